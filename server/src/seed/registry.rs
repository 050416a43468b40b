//! The province's vendor registry (`registry.csv`), imported as an administrator would, and
//! read back to find each demo vendor's entry.
use crate::db;
use anyhow::Context;
use app::domain::phone::Phone;
use app::domain::role::StallPlace;
use app::model::RegistryEntry;
use app::ports::{EntryFilter, Registry};
use std::collections::HashMap;

/// The registry of every vendor the province knows, as the market boards and the OCOP
/// programme hand it over (the format the README gives).
const REGISTRY_CSV: &str = include_str!("registry.csv");

/// Imports the registry, which must be accepted whole, and returns its entries.
pub(super) async fn import(ports: &db::Stores) -> anyhow::Result<Entries> {
    let checked = crate::registry::check(REGISTRY_CSV.as_bytes())
        .map_err(|e| anyhow::anyhow!("seed/registry.csv: {e}"))?;
    anyhow::ensure!(
        checked.rejections.is_empty(),
        "seed/registry.csv has rows the import rejects:\n{}",
        app::domain::registry::rejections_csv_en(&checked.rejections)
    );
    crate::registry::import(&ports.registry, checked, true, &|_| {})
        .await
        .map_err(anyhow::Error::msg)?;
    Entries::load(&ports.registry).await
}

/// The imported registry, to find each vendor's entry.
pub(super) struct Entries {
    by_external_id: HashMap<String, RegistryEntry>,
}

impl Entries {
    async fn load(registry: &dyn Registry) -> anyhow::Result<Entries> {
        let all = registry
            .entries(&EntryFilter::default())
            .await
            .map_err(anyhow::Error::msg)?;
        Ok(Entries {
            by_external_id: all
                .into_iter()
                .map(|e| (e.row.external_id.clone(), e))
                .collect(),
        })
    }

    /// The one entry with this phone number, which must also be at the stall's place.
    pub fn of_demo_vendor(
        &self,
        phone: &Phone,
        place: &StallPlace,
    ) -> anyhow::Result<&RegistryEntry> {
        let found: Vec<&RegistryEntry> = self
            .by_external_id
            .values()
            .filter(|e| e.row.phone.as_ref() == Some(phone))
            .collect();
        let [entry] = found[..] else {
            anyhow::bail!(
                "seed/registry.csv has {} entries with {}, not one",
                found.len(),
                phone.national()
            );
        };
        if let StallPlace::Market { market, stall_no } = place {
            anyhow::ensure!(
                entry.row.market == Some(*market) && entry.row.stall_no == *stall_no,
                "registry entry {} is not at the demo stall's place",
                entry.row.external_id
            );
        }
        Ok(entry)
    }

    pub fn get(&self, external_id: &str) -> anyhow::Result<&RegistryEntry> {
        self.by_external_id
            .get(external_id)
            .with_context(|| format!("seed/registry.csv has no entry {external_id}"))
    }
}
