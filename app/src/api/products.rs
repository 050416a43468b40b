//! A vendor's products: create, edit, publish and hide.
use super::AppError;
use crate::domain::category::{Category, OcopStars};
use crate::domain::id::ProductId;
use crate::domain::invalid::{
    DESCRIPTION_MAX, FieldErrors, Invalid, NAME_MAX, optional_text, required_text,
};
use crate::domain::money::Dong;
use crate::domain::quantity::{Quantity, Unit};
use crate::model::{OcopCert, Product, ProductDraft, StockMove};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const CERTIFICATE_MAX: usize = 60;
pub const OCOP_FIRST_YEAR: i32 = 2018;

/// The product form as posted. Numbers arrive as text so that a wrong one is a field error in
/// the visitor's language, not a rejected request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub name: String,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub category: String,
    pub unit: String,
    pub price: String,
    /// Empty for unlimited.
    pub stock: Option<String>,
    /// The stock the form showed, in steps (empty: unlimited); absent on a new product's form.
    pub stock_shown: Option<String>,
    /// Empty when the product has no OCOP certificate.
    pub ocop_stars: Option<String>,
    pub ocop_certificate: Option<String>,
    pub ocop_year: Option<String>,
    pub published: Option<String>,
    /// A new product's form submission (see [`crate::domain::submission`]).
    pub submission: Option<String>,
}

impl ProductForm {
    pub fn parse(&self, this_year: i32) -> Result<ProductDraft, FieldErrors> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_text(&self.name, NAME_MAX));
        let description_vi = errors.check(
            "description_vi",
            required_text(&self.description_vi, DESCRIPTION_MAX),
        );
        let description_en = errors.check(
            "description_en",
            optional_text(&text(&self.description_en), DESCRIPTION_MAX),
        );
        let category = errors.check("category", self.category.parse::<Category>());
        let unit = errors.check("unit", self.unit.parse::<Unit>());
        let price = errors.check("price", Dong::parse_price(&self.price));
        let stock = match (unit, text(&self.stock).trim()) {
            (_, "") => Some(None),
            (Some(unit), stock) => errors
                .check("stock", Quantity::parse_stock(stock, unit))
                .map(Some),
            (None, _) => None,
        };
        let stock_shown = match self.stock_shown.as_deref().map(str::trim) {
            None => Some(None),
            Some("") => Some(Some(None)),
            Some(steps) => errors
                .check(
                    "stock",
                    steps.parse::<i64>().map_err(|_| Invalid::NotANumber),
                )
                .map(|steps| Some(Some(Quantity::from_steps(steps)))),
        };
        let ocop = self.parse_ocop(this_year, &mut errors);
        errors.clone().into_result()?;
        match (
            name,
            description_vi,
            description_en,
            category,
            unit,
            price,
            stock,
            stock_shown,
            ocop,
        ) {
            (
                Some(name),
                Some(description_vi),
                Some(description_en),
                Some(category),
                Some(unit),
                Some(price),
                Some(stock),
                Some(stock_shown),
                Some(ocop),
            ) => Ok(ProductDraft {
                name,
                description_vi,
                description_en,
                category,
                unit,
                price,
                stock,
                stock_shown,
                ocop,
                published: self.published.is_some(),
            }),
            _ => Err(errors),
        }
    }

    /// The OCOP certificate: none when no stars are given, else its stars (3 to 5), number and
    /// year (from the first certifications to this one), each refused under its own field.
    /// `None` when a part was refused.
    fn parse_ocop(&self, this_year: i32, errors: &mut FieldErrors) -> Option<Option<OcopCert>> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let stars = match text(&self.ocop_stars).trim() {
            "" => return Some(None),
            stars => errors.check(
                "ocop_stars",
                stars
                    .parse::<u8>()
                    .map_err(|_| Invalid::NotANumber)
                    .and_then(OcopStars::new),
            ),
        };
        let certificate = errors.check(
            "ocop_certificate",
            required_text(&text(&self.ocop_certificate), CERTIFICATE_MAX),
        );
        let year = errors.check(
            "ocop_year",
            text(&self.ocop_year)
                .trim()
                .parse::<i32>()
                .map_err(|_| Invalid::NotANumber)
                .and_then(|y| {
                    (OCOP_FIRST_YEAR..=this_year)
                        .contains(&y)
                        .then_some(y)
                        .ok_or(Invalid::OutOfRange {
                            min: OCOP_FIRST_YEAR.into(),
                            max: this_year.into(),
                        })
                }),
        );
        match (stars, certificate, year) {
            (Some(stars), Some(certificate_no), Some(year)) => Some(Some(OcopCert {
                stars,
                certificate_no,
                year,
            })),
            _ => None,
        }
    }

    pub fn from_product(p: &Product) -> Self {
        ProductForm {
            name: p.name.clone(),
            description_vi: p.description_vi.clone(),
            description_en: p.description_en.clone(),
            category: p.category.slug().to_string(),
            unit: p.unit.slug().to_string(),
            price: p.price.amount().to_string(),
            stock: p.stock.map(|q| q.format(p.unit, '.')),
            stock_shown: Some(p.stock.map(|q| q.steps().to_string()).unwrap_or_default()),
            ocop_stars: p.ocop.as_ref().map(|o| o.stars.get().to_string()),
            ocop_certificate: p.ocop.as_ref().map(|o| o.certificate_no.clone()),
            ocop_year: p.ocop.as_ref().map(|o| o.year.to_string()),
            published: p.published.then(|| "on".to_string()),
            submission: None,
        }
    }
}

/// The vendor's own product, for its edit page; another vendor's is "not found".
#[server(endpoint = "my_product")]
pub async fn my_product(product_id: ProductId) -> Result<Product, AppError> {
    let ports = super::ports()?;
    let actor = super::session::actor().await?;
    let (_, product) = crate::authz::OwnerOf::product(&ports, actor, product_id).await?;
    Ok(product)
}

/// Creates a product in the vendor's stall, or saves changes to one of its products.
/// Returns the product's id.
#[server(endpoint = "save_product")]
pub async fn save_product(
    product_id: Option<ProductId>,
    form: ProductForm,
) -> Result<ProductId, AppError> {
    super::refused::keeping(PRODUCT_FORM, &form, save(product_id, &form)).await
}

/// The product form's name for [`super::refused`].
pub const PRODUCT_FORM: &str = "product";

/// The new-product form's page, which it also posts to (multipart, with its photos).
pub const NEW_PRODUCT_PAGE: &str = "/my/products/new";

/// The new-product form as the vendor left it when it was refused, or a fresh one: either way
/// with the submission token that makes posting it twice add one product.
#[server(endpoint = "new_product_form")]
pub async fn new_product_form() -> Result<ProductForm, AppError> {
    let kept = super::refused::refused_form(PRODUCT_FORM.to_string()).await?;
    let mut form = kept
        .and_then(|json| serde_json::from_str::<ProductForm>(&json).ok())
        .unwrap_or_else(|| ProductForm {
            unit: "kg".into(),
            published: Some("on".into()),
            ..Default::default()
        });
    if form.submission.is_none() {
        form.submission = Some(crate::domain::submission::Submission::fresh().into());
    }
    Ok(form)
}

#[cfg(feature = "ssr")]
async fn save(product_id: Option<ProductId>, form: &ProductForm) -> Result<ProductId, AppError> {
    use chrono::Datelike;
    let ports = super::ports()?;
    let actor = super::session::actor().await?;
    let owner = match crate::authz::OwnerOf::stall_of(&ports, actor).await {
        // A vendor or shopper without a stall has nowhere to put a product.
        Err(AppError::NotFound) => return Err(AppError::Forbidden),
        other => other?,
    };
    let draft = form.parse(ports.clock.now().year())?;
    let id = crate::service::catalog::save_product(&ports, &owner, product_id, &draft).await?;
    leptos_axum::redirect(&format!("/my/products/{id}?{}", super::stalls::SAVED));
    Ok(id)
}

/// The vendor records goods received (`reason` `received`) or spoiled (`spoiled`) for their
/// product: `amount` in the product's unit, added to or taken from whatever is left now.
#[server(endpoint = "adjust_stock")]
pub async fn adjust_stock(
    product_id: ProductId,
    reason: String,
    amount: String,
) -> Result<Quantity, AppError> {
    let ports = super::ports()?;
    let actor = super::session::actor().await?;
    let (owner, product) = crate::authz::OwnerOf::product(&ports, actor, product_id).await?;
    use crate::domain::stock::StockReason;
    let reason = match reason.parse::<StockReason>() {
        Ok(r @ (StockReason::Received | StockReason::Spoiled)) => r,
        _ => return Err(AppError::field("reason", Invalid::Unknown)),
    };
    let amount =
        Quantity::parse(&amount, product.unit).map_err(|e| AppError::field("amount", e))?;
    crate::service::catalog::adjust_stock(&ports, &owner, &product, reason, amount).await
}

/// The last changes the vendor made to their product's stock, newest first.
#[server(endpoint = "stock_history")]
pub async fn stock_history(product_id: ProductId) -> Result<Vec<StockMove>, AppError> {
    let ports = super::ports()?;
    let actor = super::session::actor().await?;
    crate::authz::OwnerOf::product(&ports, actor, product_id).await?;
    let shown = crate::service::catalog::STOCK_HISTORY_SHOWN;
    Ok(ports.catalog.stock_moves(product_id, shown).await?)
}

#[server(endpoint = "set_product_published")]
pub async fn set_product_published(product_id: ProductId, published: bool) -> Result<(), AppError> {
    let ports = super::ports()?;
    let actor = super::session::actor().await?;
    crate::authz::OwnerOf::product(&ports, actor, product_id).await?;
    ports.catalog.set_published(product_id, published).await?;
    Ok(())
}
