//! An app whose clock stands where a test puts it, in Lào Cai's time.
use super::TestApp;

/// The moment `day` November 2026, `hour`:`minute` in Lào Cai (UTC+7).
pub fn lao_cai(day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    app::domain::onboarding::vietnam()
        .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The app with its clock standing at `at`, and that clock, for the test to set on.
pub async fn app_at(at: chrono::DateTime<chrono::Utc>) -> (TestApp, app::ports::Clock) {
    let clock = app::ports::Clock::set_at(at);
    let app = TestApp::spawn_with({
        let clock = clock.clone();
        move |s| s.clock = clock
    })
    .await;
    (app, clock)
}
