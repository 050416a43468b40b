//! A vendor's own stall: open or edit it, and send it for approval.
use super::AppError;
use crate::domain::invalid::{
    DESCRIPTION_MAX, FieldErrors, Invalid, NAME_MAX, optional_text, required_text,
};
use crate::domain::market::{EntityType, Market, TradingDays, Weekday, district};
use crate::domain::phone::Phone;
use crate::domain::role::StallPlace;
use crate::model::{Product, Stall, StallDraft};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const STALL_NO_MAX: usize = 20;
pub const COMMUNE_MAX: usize = 60;

/// The stall form as posted: text fields, one checkbox per trading day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StallForm {
    pub name: String,
    /// `market` or `ocop`.
    pub place_kind: String,
    pub market: Option<String>,
    pub stall_no: Option<String>,
    pub entity_type: Option<String>,
    pub commune: Option<String>,
    pub district: Option<String>,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub phone: String,
    pub mon: Option<String>,
    pub tue: Option<String>,
    pub wed: Option<String>,
    pub thu: Option<String>,
    pub fri: Option<String>,
    pub sat: Option<String>,
    pub sun: Option<String>,
}

impl StallForm {
    fn days(&self) -> TradingDays {
        let ticked = [
            (Weekday::Mon, &self.mon),
            (Weekday::Tue, &self.tue),
            (Weekday::Wed, &self.wed),
            (Weekday::Thu, &self.thu),
            (Weekday::Fri, &self.fri),
            (Weekday::Sat, &self.sat),
            (Weekday::Sun, &self.sun),
        ];
        let days: Vec<Weekday> = ticked
            .into_iter()
            .filter(|(_, box_)| box_.is_some())
            .map(|(day, _)| day)
            .collect();
        TradingDays::from_days(&days)
    }

    /// Parses every field, collecting every error so the form shows them all at once.
    pub fn parse(&self) -> Result<StallDraft, FieldErrors> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_text(&self.name, NAME_MAX));
        let place = match self.place_kind.as_str() {
            "market" => {
                let market = errors.check("market", text(&self.market).parse::<Market>());
                // In capitals, as market boards write them: `a-12` and `A-12` are one pitch.
                let stall_no = errors.check(
                    "stall_no",
                    optional_text(&text(&self.stall_no), STALL_NO_MAX)
                        .map(|no| no.map(|no| no.to_uppercase())),
                );
                market
                    .zip(stall_no)
                    .map(|(market, stall_no)| StallPlace::Market { market, stall_no })
            }
            "ocop" => {
                let entity_type =
                    errors.check("entity_type", text(&self.entity_type).parse::<EntityType>());
                let commune =
                    errors.check("commune", required_text(&text(&self.commune), COMMUNE_MAX));
                let district = errors.check("district", district(&text(&self.district)));
                match (entity_type, commune, district) {
                    (Some(entity_type), Some(commune), Some(district)) => Some(StallPlace::Ocop {
                        entity_type,
                        commune,
                        district: district.to_string(),
                    }),
                    _ => None,
                }
            }
            _ => {
                errors.push("place_kind", Invalid::Required);
                None
            }
        };
        let description_vi = errors.check(
            "description_vi",
            required_text(&self.description_vi, DESCRIPTION_MAX),
        );
        let description_en = errors.check(
            "description_en",
            optional_text(&text(&self.description_en), DESCRIPTION_MAX),
        );
        let phone = errors.check("phone", Phone::parse(&self.phone));
        let trading_days = self.days();
        if trading_days.is_empty() {
            errors.push("days", Invalid::Required);
        }
        errors.clone().into_result()?;
        match (name, place, description_vi, description_en, phone) {
            (Some(name), Some(place), Some(description_vi), Some(description_en), Some(phone)) => {
                Ok(StallDraft {
                    name,
                    place,
                    description_vi,
                    description_en,
                    phone,
                    trading_days,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form filled in with a stall's current values, for editing.
    pub fn from_stall(stall: &Stall) -> Self {
        let day = |d: Weekday| stall.trading_days.contains(d).then(|| "on".to_string());
        let place = stall.place.flatten();
        StallForm {
            name: stall.name.clone(),
            place_kind: place.kind.to_string(),
            market: place.market,
            stall_no: place.stall_no,
            entity_type: place.entity_type,
            commune: place.commune,
            district: place.district,
            description_vi: stall.description_vi.clone(),
            description_en: stall.description_en.clone(),
            phone: stall.phone.national(),
            mon: day(Weekday::Mon),
            tue: day(Weekday::Tue),
            wed: day(Weekday::Wed),
            thu: day(Weekday::Thu),
            fri: day(Weekday::Fri),
            sat: day(Weekday::Sat),
            sun: day(Weekday::Sun),
        }
    }
}

/// The signed-in vendor's stall and all its products, published or not; `None` for a vendor
/// or shopper who has none yet. Staff are refused: they review stalls, never keep one.
#[server(endpoint = "my_stall")]
pub async fn my_stall() -> Result<Option<(Stall, Vec<Product>)>, AppError> {
    let keeper = crate::authz::StallKeeper::check(super::session::actor().await?)?;
    let ports = super::ports()?;
    let Some(stall) = ports.stalls.by_owner(keeper.0.user_id).await? else {
        return Ok(None);
    };
    let products = ports.catalog.of_stall(stall.id, false).await?;
    Ok(Some((stall, products)))
}

/// The signed-in vendor's set-up checklist: each step to their stall's first sale, done or
/// not, and where it is done.
#[server(endpoint = "my_setup")]
pub async fn my_setup() -> Result<crate::domain::setup::SetupChecklist, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    crate::service::setup::of_owner(&ports, &owner).await
}

/// The query `/my/stall` is shown with after a change of place sent the stall back for review.
pub const BACK_IN_REVIEW: &str = "review=again";

/// The query a saved form's page is shown again with, so it confirms the save; a redirect
/// carries it, so it works with and without JavaScript alike.
pub const SAVED: &str = "saved=1";

/// Opens the signed-in user's stall (as a draft) or saves changes to it. A shopper who opens
/// a stall becomes its vendor; staff are refused. Moving an approved or suspended stall
/// (another market, stall number or OCOP details) sends it back for review.
#[server(endpoint = "save_stall")]
pub async fn save_stall(form: StallForm) -> Result<(), AppError> {
    super::refused::keeping(STALL_FORM, &form, save(&form)).await
}

/// The stall form's name for [`super::refused`].
pub const STALL_FORM: &str = "stall";

#[cfg(feature = "ssr")]
async fn save(form: &StallForm) -> Result<(), AppError> {
    use crate::service::stalls::Saved;
    let keeper = crate::authz::StallKeeper::check(super::session::actor().await?)?;
    let draft = form.parse()?;
    let saved = crate::service::stalls::save(&super::ports()?, keeper, &draft).await?;
    leptos_axum::redirect(&if saved == Saved::BackInReview {
        format!("/my/stall?{SAVED}&{BACK_IN_REVIEW}")
    } else {
        format!("/my/stall?{SAVED}")
    });
    Ok(())
}

/// The vendor sends a draft stall to its reviewer.
#[server(endpoint = "submit_stall")]
pub async fn submit_stall() -> Result<(), AppError> {
    let actor = super::session::actor().await?;
    crate::service::stalls::submit(&super::ports()?, actor.user_id).await?;
    leptos_axum::redirect("/my/stall");
    Ok(())
}
