//! The sessions as the app keeps them in its database, read and changed behind its back: a
//! test ages a sign-in, or a token waiting for its page, without waiting for the clock.
use super::TestApp;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Map, Value};
use server::db::entities::session;

/// One session's data: its values by key, as the app stored them.
pub type SessionData = Map<String, Value>;

impl TestApp {
    /// The data of every session stored.
    pub async fn sessions(&self) -> Vec<SessionData> {
        let db = server::db::connect(&self.settings.database_url)
            .await
            .unwrap();
        session::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| serde_json::from_str(&row.data).unwrap())
            .collect()
    }

    /// Changes the data of every session stored with `change`.
    pub async fn change_sessions(&self, change: impl Fn(&mut SessionData)) {
        let db = server::db::connect(&self.settings.database_url)
            .await
            .unwrap();
        for row in session::Entity::find().all(&db).await.unwrap() {
            let mut data: SessionData = serde_json::from_str(&row.data).unwrap();
            change(&mut data);
            session::ActiveModel {
                id: Set(row.id),
                data: Set(serde_json::to_string(&data).unwrap()),
                ..Default::default()
            }
            .update(&db)
            .await
            .unwrap();
        }
    }
}
