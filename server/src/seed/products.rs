//! A demo stall's listings: the product written, its OCOP certificate as the seed files give
//! it, and a photo generated in the product's colour.
use crate::photos::Renditions;
use anyhow::Context;
use app::domain::category::OcopStars;
use app::domain::id::ProductId;
use app::model::{OcopCert, ProductDraft, Stall};
use app::ports::{Catalog, NewProduct};
use serde::Deserialize;

/// An OCOP certificate as the seed files give it.
#[derive(Deserialize)]
pub(super) struct DemoOcop {
    stars: u8,
    certificate_no: String,
    year: i32,
}

impl DemoOcop {
    pub fn cert(self) -> anyhow::Result<OcopCert> {
        Ok(OcopCert {
            stars: OcopStars::new(self.stars).map_err(anyhow::Error::msg)?,
            certificate_no: self.certificate_no,
            year: self.year,
        })
    }
}

/// Lists `draft` on the stall with `photos` (storage keys), as its owner.
pub(super) async fn list(
    catalog: &dyn Catalog,
    stall: &Stall,
    draft: &ProductDraft,
    photos: &[String],
) -> anyhow::Result<ProductId> {
    let product = NewProduct {
        draft,
        photos,
        submission: None,
    };
    catalog
        .create(stall.id, product, stall.owner_id)
        .await
        .map(|created| created.id())
        .map_err(|e| anyhow::anyhow!("{}: {e}", draft.name))
}

/// A simple still life in the product's colour: a round fruit-like shape on a light cloth, so
/// the demo has real images of the right sizes without shipping photographs.
pub(super) fn demo_photo(color: &str) -> anyhow::Result<Renditions> {
    let hex = color.trim_start_matches('#');
    anyhow::ensure!(hex.len() == 6, "colour {color:?} is not #rrggbb");
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).context("colour");
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    let draw = |w: u32, h: u32| -> anyhow::Result<Vec<u8>> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let (cx, cy, radius) = (w as f32 / 2.0, h as f32 * 0.55, h as f32 * 0.33);
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() / radius;
            if d < 1.0 {
                // Lighter towards the top left, like light on a round fruit or a jar.
                let shade = 1.15 - 0.35 * d - 0.1 * ((y as f32 - cy) / radius);
                let lit = |c: u8| (c as f32 * shade).clamp(0.0, 255.0) as u8;
                image::Rgb([lit(r), lit(g), lit(b)])
            } else {
                let band = if (y / 12) % 2 == 0 { 246 } else { 238 };
                image::Rgb([band, band - 4, band - 14])
            }
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img)?;
        Ok(out)
    };
    Ok(Renditions {
        display: draw(640, 480)?,
        thumb: draw(320, 240)?,
    })
}
