//! Webhooks refused before they reach the database — a bad signature, an unreadable body, the
//! other Stripe mode, a failure to apply — counted in memory and written as payment alerts at
//! most once a minute per kind: a stranger posting forged webhooks costs the database one row
//! a minute, not one per request. The first of a run is written at once.
use app::domain::payment_alert::AlertKind;
use app::model::PaymentAlert;
use app::ports::PaymentAlerts;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// How often one kind of refusal is written at most.
const WRITE_EVERY: TimeDelta = TimeDelta::minutes(1);

#[derive(Default)]
pub struct WebhookWatch {
    state: Mutex<HashMap<AlertKind, Tally>>,
}

#[derive(Default)]
struct Tally {
    /// Counted and not written yet.
    pending: Option<PaymentAlert>,
    last_written: Option<DateTime<Utc>>,
}

impl WebhookWatch {
    /// Counts one refusal of `kind` at `at`; returns the alert to write now, if it is time.
    pub fn note(&self, kind: AlertKind, detail: &str, at: DateTime<Utc>) -> Option<PaymentAlert> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let tally = state.entry(kind).or_default();
        let alert = tally.pending.get_or_insert_with(|| PaymentAlert {
            kind,
            reference: None,
            detail: String::new(),
            count: 0,
            first_at: at,
            last_at: at,
        });
        alert.count += 1;
        alert.last_at = at;
        detail.clone_into(&mut alert.detail);
        let due = tally
            .last_written
            .is_none_or(|last| at - last >= WRITE_EVERY);
        if due {
            tally.last_written = Some(at);
            tally.pending.take()
        } else {
            None
        }
    }

    /// What was counted and not written yet, leaving it counted: for `/healthz`.
    pub fn unwritten(&self) -> Vec<PaymentAlert> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.values().filter_map(|t| t.pending.clone()).collect()
    }

    /// Takes what was counted and not written yet, to write now.
    fn take(&self, at: DateTime<Utc>) -> Vec<PaymentAlert> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .values_mut()
            .filter_map(|t| {
                let alert = t.pending.take()?;
                t.last_written = Some(at);
                Some(alert)
            })
            .collect()
    }

    /// Counts one refusal and writes it when it is time; a failure to write is logged, as the
    /// refusal itself is already answered.
    pub async fn refused(
        &self,
        alerts: &dyn PaymentAlerts,
        kind: AlertKind,
        detail: &str,
        at: DateTime<Utc>,
    ) {
        if let Some(alert) = self.note(kind, detail, at) {
            write(alerts, &alert).await;
        }
    }

    /// Writes every count still in memory (the sweep does, once a minute).
    pub async fn flush(&self, alerts: &dyn PaymentAlerts, at: DateTime<Utc>) {
        for alert in self.take(at) {
            write(alerts, &alert).await;
        }
    }
}

async fn write(alerts: &dyn PaymentAlerts, alert: &PaymentAlert) {
    if let Err(error) = alerts.record(alert).await {
        tracing::error!(%error, kind = %alert.kind, "could not record a payment alert");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_refusals_is_written_first_at_once_then_once_a_minute_with_its_count() {
        let watch = WebhookWatch::default();
        let t0 = Utc::now();
        let first = watch.note(AlertKind::BadSignature, "no match", t0).unwrap();
        assert_eq!(first.count, 1);
        for s in 1..=59 {
            let at = t0 + TimeDelta::seconds(s);
            assert_eq!(watch.note(AlertKind::BadSignature, "no match", at), None);
        }
        assert_eq!(watch.unwritten()[0].count, 59, "counted, not yet written");
        let next = watch
            .note(
                AlertKind::BadSignature,
                "no match",
                t0 + TimeDelta::seconds(60),
            )
            .unwrap();
        assert_eq!(next.count, 60);
        assert_eq!(next.first_at, t0 + TimeDelta::seconds(1));
        assert!(watch.unwritten().is_empty());
        // Another kind has a minute of its own.
        assert!(
            watch
                .note(
                    AlertKind::OtherMode,
                    "livemode",
                    t0 + TimeDelta::seconds(61)
                )
                .is_some()
        );
    }
}
