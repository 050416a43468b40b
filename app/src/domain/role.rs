//! Who a user is, where a stall sells, and who may review which stall.
use super::invalid::Invalid;
use super::market::{EntityType, Market};
use serde::{Deserialize, Serialize};

slug_enum! {
    /// What a user may do.
    pub enum Role {
        Shopper = "shopper",
        Vendor = "vendor",
        MarketManager = "market_manager",
        Admin = "admin",
    }
}

/// The signed-in user as far as permissions are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: super::id::UserId,
    pub role: Role,
    /// The market a [`Role::MarketManager`] manages.
    pub market: Option<Market>,
}

/// Where a stall sells: a pitch in one of the markets, or an OCOP producer selling from home.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StallPlace {
    Market {
        market: Market,
        stall_no: Option<String>,
    },
    Ocop {
        entity_type: EntityType,
        commune: String,
        district: String,
    },
}

impl StallPlace {
    pub fn market(&self) -> Option<Market> {
        match self {
            StallPlace::Market { market, .. } => Some(*market),
            StallPlace::Ocop { .. } => None,
        }
    }
}

impl Actor {
    /// Market managers and administrators review stalls (each within their own scope).
    pub fn is_reviewer(&self) -> bool {
        matches!(self.role, Role::MarketManager | Role::Admin)
    }

    /// Whether this actor may approve, reject, suspend or reinstate a stall at `place`.
    ///
    /// A market manager knows the vendors of their own market only; OCOP producers are
    /// certified by the province, so only its administrators review them.
    pub fn can_review(&self, place: &StallPlace) -> bool {
        match self.role {
            Role::Admin => true,
            Role::MarketManager => {
                matches!((self.market, place.market()), (Some(mine), Some(theirs)) if mine == theirs)
            }
            Role::Shopper | Role::Vendor => false,
        }
    }
}

/// Whether a user may be made a market manager. An administrator would lose the province for
/// one market (and an administrator making themselves one would lock the province out); a
/// vendor with a stall would review, and could approve, their own stall.
pub fn may_become_manager(role: Role, owns_stall: bool) -> Result<(), Invalid> {
    match role {
        Role::Admin => Err(Invalid::Administrator),
        _ if owns_stall => Err(Invalid::OwnsStall),
        _ => Ok(()),
    }
}

/// What a market manager becomes when the role is taken back: a vendor if they have a stall
/// (one appointed before stall owners were refused), else a shopper.
pub fn role_after_managing(owns_stall: bool) -> Role {
    if owns_stall {
        Role::Vendor
    } else {
        Role::Shopper
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_an_administrator_nor_a_stall_owner_becomes_a_manager() {
        assert_eq!(
            may_become_manager(Role::Admin, false),
            Err(Invalid::Administrator)
        );
        assert_eq!(
            may_become_manager(Role::Vendor, true),
            Err(Invalid::OwnsStall)
        );
        assert_eq!(may_become_manager(Role::Vendor, false), Ok(()));
        assert_eq!(may_become_manager(Role::Shopper, false), Ok(()));
        assert_eq!(may_become_manager(Role::MarketManager, false), Ok(()));
    }

    #[test]
    fn a_former_manager_with_a_stall_sells_again() {
        assert_eq!(role_after_managing(true), Role::Vendor);
        assert_eq!(role_after_managing(false), Role::Shopper);
    }

    fn actor(role: Role, market: Option<Market>) -> Actor {
        Actor {
            user_id: super::super::id::UserId::new(7),
            role,
            market,
        }
    }

    fn pitch(market: Market) -> StallPlace {
        StallPlace::Market {
            market,
            stall_no: Some("B12".to_owned()),
        }
    }

    fn ocop() -> StallPlace {
        StallPlace::Ocop {
            entity_type: EntityType::Cooperative,
            commune: "Y Tý".to_owned(),
            district: "Bát Xát".to_owned(),
        }
    }

    #[test]
    fn only_a_market_place_has_a_market() {
        assert_eq!(pitch(Market::SaPa).market(), Some(Market::SaPa));
        assert_eq!(ocop().market(), None);
    }

    #[test]
    fn an_admin_reviews_every_stall() {
        let admin = actor(Role::Admin, None);
        assert!(Market::ALL.into_iter().all(|m| admin.can_review(&pitch(m))));
        assert!(admin.can_review(&ocop()));
    }

    #[test]
    fn a_market_manager_reviews_only_their_own_market() {
        let manager = actor(Role::MarketManager, Some(Market::BacHa));
        assert!(manager.can_review(&pitch(Market::BacHa)));
        assert!(!manager.can_review(&pitch(Market::SaPa)));
        assert!(!manager.can_review(&ocop()));
    }

    #[test]
    fn a_market_manager_without_a_market_reviews_nothing() {
        let manager = actor(Role::MarketManager, None);
        assert!(!manager.can_review(&ocop()));
        assert!(
            Market::ALL
                .into_iter()
                .all(|m| !manager.can_review(&pitch(m)))
        );
    }

    #[test]
    fn shoppers_and_vendors_review_nothing() {
        for role in [Role::Shopper, Role::Vendor] {
            let someone = actor(role, Some(Market::CocLeu));
            assert!(!someone.can_review(&pitch(Market::CocLeu)));
            assert!(!someone.can_review(&ocop()));
        }
    }
}

/// A place as flat text columns: how a form posts it and a table stores it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlatPlace {
    /// `market` or `ocop`.
    pub kind: &'static str,
    pub market: Option<String>,
    pub stall_no: Option<String>,
    pub entity_type: Option<String>,
    pub commune: Option<String>,
    pub district: Option<String>,
}

impl StallPlace {
    pub fn flatten(&self) -> FlatPlace {
        match self {
            StallPlace::Market { market, stall_no } => FlatPlace {
                kind: "market",
                market: Some(market.slug().to_string()),
                stall_no: stall_no.clone(),
                ..Default::default()
            },
            StallPlace::Ocop {
                entity_type,
                commune,
                district,
            } => FlatPlace {
                kind: "ocop",
                entity_type: Some(entity_type.slug().to_string()),
                commune: Some(commune.clone()),
                district: Some(district.clone()),
                ..Default::default()
            },
        }
    }
}
