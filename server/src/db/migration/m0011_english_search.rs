//! English words find Vietnamese products: a product's search document now holds the English
//! of the glossary's words in its name (`Mận hậu` is found by `plums`), and search ranks
//! everything the document holds, English description and category included.
//!
//! `up` rewrites every product's stored document with today's recipe
//! ([`app::model::search_document`]), reading each product with its stall. `down` leaves the
//! documents as they are: they only hold more words than the older recipe wrote, which the
//! older code matches just the same.
use app::domain::category::Category;
use app::domain::market::{EntityType, Market};
use app::domain::role::StallPlace;
use sea_orm::{ConnectionTrait, QueryResult};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_english_search"
    }
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    StallId,
    Name,
    DescriptionVi,
    DescriptionEn,
    Category,
    SearchText,
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
    Name,
    PlaceKind,
    Market,
    StallNo,
    EntityType,
    Commune,
    District,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let select = Query::select()
            .column((Products::Table, Products::Id))
            .column((Products::Table, Products::Name))
            .column((Products::Table, Products::DescriptionVi))
            .column((Products::Table, Products::DescriptionEn))
            .column((Products::Table, Products::Category))
            .expr_as(
                Expr::col((Stalls::Table, Stalls::Name)),
                Alias::new("stall_name"),
            )
            .columns([
                Stalls::PlaceKind,
                Stalls::Market,
                Stalls::StallNo,
                Stalls::EntityType,
                Stalls::Commune,
                Stalls::District,
            ])
            .from(Products::Table)
            .inner_join(
                Stalls::Table,
                Expr::col((Stalls::Table, Stalls::Id)).equals((Products::Table, Products::StallId)),
            )
            .to_owned();
        for row in db.query_all(&select).await? {
            let (id, document) = document_of(&row)?;
            let update = Query::update()
                .table(Products::Table)
                .value(Products::SearchText, document)
                .and_where(Expr::col(Products::Id).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        Ok(())
    }

    /// Leaves the rewritten documents: see the module's documentation.
    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// A product's id and its search document, from a row of the query in `up`.
fn document_of(row: &QueryResult) -> Result<(i64, String), DbErr> {
    let text = |column: &str| row.try_get::<String>("", column);
    let optional = |column: &str| row.try_get::<Option<String>>("", column);
    let unknown = |what: &str, value: &str| DbErr::Migration(format!("unknown {what} {value:?}"));
    let category_slug = text("category")?;
    let category =
        Category::from_slug(&category_slug).ok_or_else(|| unknown("category", &category_slug))?;
    let place = if text("place_kind")? == "market" {
        let slug = optional("market")?.unwrap_or_default();
        StallPlace::Market {
            market: Market::from_slug(&slug).ok_or_else(|| unknown("market", &slug))?,
            stall_no: optional("stall_no")?,
        }
    } else {
        let slug = optional("entity_type")?.unwrap_or_default();
        StallPlace::Ocop {
            entity_type: EntityType::from_slug(&slug).ok_or_else(|| unknown("entity", &slug))?,
            commune: optional("commune")?.unwrap_or_default(),
            district: optional("district")?.unwrap_or_default(),
        }
    };
    let document = app::model::search_document(
        &text("name")?,
        &text("description_vi")?,
        optional("description_en")?.as_deref(),
        category,
        &text("stall_name")?,
        &place,
    );
    Ok((row.try_get("", "id")?, document))
}
