use super::entities::{login_failure, user};
use super::{backend, store_error, stored};
use app::domain::email::Login;
use app::domain::id::UserId;
use app::domain::market::Market;
use app::domain::phone::Phone;
use app::domain::role::Role;
use app::model::User;
use app::ports::{Accounts, Credentials, NewUser, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

/// Accounts, with the clock that dates them (an account is the first onboarding stage).
pub struct AccountStore(pub DatabaseConnection, pub app::ports::Clock);

fn login_condition(login: &Login) -> Condition {
    match login {
        Login::Phone(phone) => Condition::all().add(user::Column::Phone.eq(phone.as_str())),
        Login::Email(email) => Condition::all().add(user::Column::Email.eq(email.as_str())),
    }
}

pub(crate) fn to_user(row: user::Model) -> StoreResult<User> {
    Ok(User {
        id: UserId::new(row.id),
        full_name: row.full_name,
        phone: row
            .phone
            .as_deref()
            .map(|p| Phone::parse(p).map_err(backend))
            .transpose()?,
        email: row.email,
        role: stored("users.role", &row.role)?,
        market: row
            .market
            .as_deref()
            .map(|m| stored::<Market>("users.market", m))
            .transpose()?,
    })
}

#[async_trait]
impl Accounts for AccountStore {
    async fn create(&self, new: NewUser) -> StoreResult<UserId> {
        let (phone, email) = match &new.login {
            Login::Phone(p) => (Some(p.as_str().to_string()), None),
            Login::Email(e) => (None, Some(e.as_str().to_string())),
        };
        let row = user::ActiveModel {
            full_name: Set(new.full_name),
            phone: Set(phone),
            email: Set(email),
            password_hash: Set(new.password_hash),
            role: Set(new.role.slug().to_string()),
            market: Set(None),
            created_at: Set(self.1.now()),
            ..Default::default()
        }
        .insert(&self.0)
        .await
        .map_err(|e| store_error(e, "login"))?;
        Ok(UserId::new(row.id))
    }

    async fn credentials(&self, login: &Login) -> StoreResult<Option<Credentials>> {
        let row = user::Entity::find()
            .filter(login_condition(login))
            .one(&self.0)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| Credentials {
            user_id: UserId::new(r.id),
            password_hash: r.password_hash,
        }))
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        let id = id.get();
        user::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_user)
            .transpose()
    }

    async fn by_login(&self, login: &Login) -> StoreResult<Option<User>> {
        user::Entity::find()
            .filter(login_condition(login))
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_user)
            .transpose()
    }

    async fn set_role(&self, id: UserId, role: Role, market: Option<Market>) -> StoreResult<()> {
        let id = id.get();
        let row = user::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .ok_or(app::ports::StoreError::NotFound)?;
        let mut active: user::ActiveModel = row.into();
        active.role = Set(role.slug().to_string());
        active.market = Set(market.map(|m| m.slug().to_string()));
        active.update(&self.0).await.map_err(backend)?;
        Ok(())
    }

    async fn with_role(&self, role: Role) -> StoreResult<Vec<User>> {
        user::Entity::find()
            .filter(user::Column::Role.eq(role.slug()))
            .order_by_asc(user::Column::FullName)
            .order_by_asc(user::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(to_user)
            .collect()
    }

    async fn failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64> {
        login_failure::Entity::find()
            .filter(login_failure::Column::Key.eq(key))
            .filter(login_failure::Column::At.gte(since))
            .count(&self.0)
            .await
            .map_err(backend)
    }

    async fn record_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<i64> {
        let row = login_failure::ActiveModel {
            key: Set(key.to_string()),
            at: Set(at),
            ..Default::default()
        }
        .insert(&self.0)
        .await
        .map_err(backend)?;
        Ok(row.id)
    }

    async fn forget_failure(&self, id: i64) -> StoreResult<()> {
        login_failure::Entity::delete_by_id(id)
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn clear_failures(&self, key: &str) -> StoreResult<()> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Key.eq(key))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
