//! Who may do what: every role and ownership check of the server, in one place (server only).
//!
//! Each guard is a type that can only be had by passing its check, so a use case that takes
//! one can't be reached without it. Server functions obtain a guard from the signed-in actor
//! (`Admin::check(actor().await?)`, `OwnerOf::stall_of(&ports, actor).await`…); axum handlers
//! take the same guards as arguments (see [`extract`]), so a route and a server function that
//! do the same thing refuse the same people.
//!
//! Refusals follow one rule: not signed in → [`AppError::NotSignedIn`]; the wrong role →
//! [`AppError::Forbidden`]; someone else's stall, product or order → [`AppError::NotFound`], so
//! a stranger learns nothing about what exists.
pub mod extract;

use crate::api::AppError;
use crate::domain::id::{ProductId, StallId};
use crate::domain::market::Market;
use crate::domain::order::OrderActor;
use crate::domain::role::{Actor, Role};
use crate::model::{Order, Product, RegistryEntry, Stall, User};
use crate::ports::Ports;

/// A province administrator.
#[derive(Clone, Copy, Debug)]
pub struct Admin(pub Actor);

impl Admin {
    pub fn check(actor: Actor) -> Result<Self, AppError> {
        match actor.role {
            Role::Admin => Ok(Admin(actor)),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// Someone who keeps a stall or may open one: a vendor, or a shopper (who becomes one). Market
/// managers and administrators review stalls and never keep one, or they could approve their
/// own ([`may_keep_a_stall`](crate::domain::stall::may_keep_a_stall)).
#[derive(Clone, Copy, Debug)]
pub struct StallKeeper(pub Actor);

impl StallKeeper {
    pub fn check(actor: Actor) -> Result<Self, AppError> {
        if crate::domain::stall::may_keep_a_stall(actor.role) {
            Ok(StallKeeper(actor))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A vendor and the stall they own.
#[derive(Clone, Debug)]
pub struct OwnerOf {
    pub actor: Actor,
    pub stall: Stall,
}

impl OwnerOf {
    /// The signed-in vendor's own stall: anyone but a vendor is forbidden; a vendor without a
    /// stall finds none.
    pub async fn stall_of(ports: &Ports, actor: Actor) -> Result<Self, AppError> {
        if actor.role != Role::Vendor {
            return Err(AppError::Forbidden);
        }
        let stall = ports
            .stalls
            .by_owner(actor.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(OwnerOf { actor, stall })
    }

    /// The signed-in vendor's stall and its product `product_id`. Another vendor's product
    /// is "not found", so its existence isn't revealed.
    pub async fn product(
        ports: &Ports,
        actor: Actor,
        product_id: ProductId,
    ) -> Result<(Self, Product), AppError> {
        let owner = Self::stall_of(ports, actor).await?;
        let product = owner.owns_product(ports, product_id).await?;
        Ok((owner, product))
    }

    /// This owner's product `product_id`; another stall's is "not found".
    pub async fn owns_product(
        &self,
        ports: &Ports,
        product_id: ProductId,
    ) -> Result<Product, AppError> {
        ports
            .catalog
            .by_id(product_id)
            .await?
            .filter(|p| p.stall_id == self.stall.id)
            .ok_or(AppError::NotFound)
    }
}

/// A market manager or administrator and one stall they may review: approve, suspend, link to
/// the registry.
#[derive(Clone, Debug)]
pub struct ReviewerOf {
    pub actor: Actor,
    pub stall: Stall,
}

impl ReviewerOf {
    /// Whoever reviews nothing learns nothing, not even whether the stall exists.
    pub async fn stall(ports: &Ports, actor: Actor, stall_id: StallId) -> Result<Self, AppError> {
        if !actor.is_reviewer() {
            return Err(AppError::Forbidden);
        }
        let stall = ports
            .stalls
            .by_id(stall_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.can_review(&stall.place) {
            return Err(AppError::Forbidden);
        }
        Ok(ReviewerOf { actor, stall })
    }

    /// Whether a registry entry is this reviewer's to link: an administrator links any, a
    /// market manager their own market's.
    pub fn may_link(&self, entry: &RegistryEntry) -> bool {
        self.actor.role == Role::Admin
            || (self.actor.market.is_some() && entry.row.market == self.actor.market)
    }
}

/// A market manager or administrator: someone with a review queue.
#[derive(Clone, Copy, Debug)]
pub struct Reviewer(pub Actor);

impl Reviewer {
    pub fn check(actor: Actor) -> Result<Self, AppError> {
        if actor.is_reviewer() {
            Ok(Reviewer(actor))
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether this reviewer's queue holds `stall`.
    pub fn reviews(&self, stall: &Stall) -> bool {
        self.0.can_review(&stall.place)
    }
}

/// Whose onboarding report someone may read: the whole province (`None`) for an administrator,
/// their own market for its manager; anyone else is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportReader {
    pub actor: Actor,
    pub scope: Option<Market>,
}

impl ReportReader {
    pub fn check(actor: Actor) -> Result<Self, AppError> {
        let scope = match actor.role {
            Role::Admin => None,
            Role::MarketManager => Some(actor.market.ok_or(AppError::Forbidden)?),
            Role::Vendor | Role::Shopper => return Err(AppError::Forbidden),
        };
        Ok(ReportReader { actor, scope })
    }
}

/// Who keeps the money's books: an administrator for every stall, a vendor for their own
/// (`stall` is then theirs). A vendor's bank statement can only pay that vendor's orders.
#[derive(Clone, Copy, Debug)]
pub struct Bookkeeper {
    pub actor: Actor,
    pub stall: Option<StallId>,
}

impl Bookkeeper {
    pub async fn check(ports: &Ports, actor: Actor) -> Result<Self, AppError> {
        let stall = match actor.role {
            Role::Admin => None,
            Role::Vendor => Some(OwnerOf::stall_of(ports, actor).await?.stall.id),
            Role::Shopper | Role::MarketManager => return Err(AppError::Forbidden),
        };
        Ok(Bookkeeper { actor, stall })
    }
}

/// Someone who may move `order` on, and in which capacity: an administrator any order, a
/// vendor their own stall's. Another stall's order is "not found".
#[derive(Clone, Copy, Debug)]
pub struct OrderHandler {
    pub actor: Actor,
    pub as_: OrderActor,
}

impl OrderHandler {
    pub async fn of(ports: &Ports, actor: Actor, order: &Order) -> Result<Self, AppError> {
        let as_ = match actor.role {
            Role::Admin => OrderActor::Admin,
            Role::Vendor => {
                let stall = ports.stalls.by_owner(actor.user_id).await?;
                if stall.is_none_or(|s| s.id != order.stall_id) {
                    return Err(AppError::NotFound);
                }
                OrderActor::Vendor
            }
            Role::Shopper | Role::MarketManager => return Err(AppError::Forbidden),
        };
        Ok(OrderHandler { actor, as_ })
    }
}

/// Whether `user` sees `stall` before it is public, and its hidden products: its owner and
/// whoever may review it.
pub fn is_insider(user: Option<&User>, stall: &Stall) -> bool {
    user.is_some_and(|user| user.id == stall.owner_id || user.actor().can_review(&stall.place))
}

/// A client of the reporting API, known by a bearer token an administrator created.
#[derive(Clone, Copy, Debug)]
pub struct ApiClient;

impl ApiClient {
    /// Checks an `Authorization` header's value: `Bearer <token>`, the scheme's name in any
    /// case (RFC 9110), the token one an administrator created and has not revoked.
    pub async fn bearer(ports: &Ports, authorization: Option<&str>) -> Result<Self, AppError> {
        let token = authorization
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or(AppError::NotSignedIn)?;
        let hash = crate::service::reports::token_hash(token);
        if ports.api_tokens.accept(&hash).await? {
            Ok(ApiClient)
        } else {
            Err(AppError::NotSignedIn)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, market: Option<Market>) -> Actor {
        Actor {
            user_id: crate::domain::id::UserId::new(1),
            role,
            market,
        }
    }

    #[test]
    fn only_an_administrator_is_one() {
        assert!(Admin::check(actor(Role::Admin, None)).is_ok());
        for role in [Role::Shopper, Role::Vendor, Role::MarketManager] {
            assert_eq!(
                Admin::check(actor(role, Some(Market::SaPa))).err(),
                Some(AppError::Forbidden)
            );
        }
    }

    #[test]
    fn a_report_is_the_province_for_an_administrator_and_a_market_for_its_manager() {
        assert_eq!(
            ReportReader::check(actor(Role::Admin, None)).unwrap().scope,
            None
        );
        assert_eq!(
            ReportReader::check(actor(Role::MarketManager, Some(Market::BacHa)))
                .unwrap()
                .scope,
            Some(Market::BacHa)
        );
        assert!(ReportReader::check(actor(Role::MarketManager, None)).is_err());
        assert!(ReportReader::check(actor(Role::Vendor, None)).is_err());
        assert!(ReportReader::check(actor(Role::Shopper, None)).is_err());
    }

    #[test]
    fn staff_never_keep_a_stall() {
        assert!(StallKeeper::check(actor(Role::Shopper, None)).is_ok());
        assert!(StallKeeper::check(actor(Role::Vendor, None)).is_ok());
        assert!(StallKeeper::check(actor(Role::MarketManager, Some(Market::SaPa))).is_err());
        assert!(StallKeeper::check(actor(Role::Admin, None)).is_err());
    }
}
