//! The demo's first accounts: the province's administrator and each market's board, who
//! review the stalls, and the tourist who buys.
use super::{DEMO_PASSWORD, Seed, create_user_at};
use app::domain::email::Login;
use app::domain::id::UserId;
use app::domain::market::Market;
use app::domain::role::{Role, StallPlace};
use app::i18n::Locale;
use app::ports::Accounts;
use app::vocab::Label;

/// The staff accounts, by id.
pub(super) struct Staff {
    pub admin: UserId,
    /// Each market's board.
    pub managers: Vec<(Market, UserId)>,
}

impl Staff {
    /// Who approves a stall at `place`: a market stall is approved by its market's board, an
    /// OCOP producer's by the department.
    pub fn reviewer(&self, place: &StallPlace) -> UserId {
        place
            .market()
            .and_then(|m| self.managers.iter().find(|(market, _)| *market == m))
            .map_or(self.admin, |(_, id)| *id)
    }
}

/// The administrator and a manager for each market, each added to `logins` as (role, login).
pub(super) async fn staff(
    seed: &Seed<'_>,
    logins: &mut Vec<(String, String)>,
) -> anyhow::Result<Staff> {
    let admin = create_user_at(
        seed.db,
        &seed.clock,
        "Quản trị Sở TT&TT",
        login("admin@choso.vn")?,
        DEMO_PASSWORD,
        Role::Admin,
    )
    .await?;
    logins.push(("admin".into(), "admin@choso.vn".into()));
    let mut managers: Vec<(Market, UserId)> = Vec::new();
    for market in Market::ALL {
        let email = format!("quanly.{}@choso.vn", market.slug().replace('-', ""));
        let id = create_user_at(
            seed.db,
            &seed.clock,
            &format!("Ban quản lý {}", market.label(Locale::vi)),
            login(&email)?,
            DEMO_PASSWORD,
            Role::MarketManager,
        )
        .await?;
        seed.ports
            .accounts
            .set_role(id, Role::MarketManager, Some(market))
            .await
            .map_err(anyhow::Error::msg)?;
        managers.push((market, id));
        logins.push((format!("manager {}", market.slug()), email));
    }
    Ok(Staff { admin, managers })
}

/// The tourist who buys from the stalls, added to `logins`; returns the account's id.
pub(super) async fn shopper(
    seed: &Seed<'_>,
    logins: &mut Vec<(String, String)>,
) -> anyhow::Result<UserId> {
    let shopper = create_user_at(
        seed.db,
        &seed.clock,
        "Khách du lịch",
        login("khach@choso.vn")?,
        DEMO_PASSWORD,
        Role::Shopper,
    )
    .await?;
    logins.push(("shopper".into(), "khach@choso.vn".into()));
    Ok(shopper)
}

fn login(text: &str) -> anyhow::Result<Login> {
    Login::parse(text).map_err(|e| anyhow::anyhow!("demo login {text:?}: {e}"))
}
