//! A fixture registry walked through months of real events on the app's own clock, and the
//! readers of the onboarding report it is checked against.
use super::{TestApp, Visitor};
use app::api::AppError;
use app::domain::id::StallId;
use app::domain::invalid::Invalid;
use app::domain::onboarding::{Report, SegmentRow, vietnam};
use app::ports::Clock;
use chrono::{DateTime, TimeZone, Utc};

/// Five good rows and two bad ones (lines 7 and 8). SP-1 and OC-1 are one producer, who
/// sells at Sa Pa market and is certified OCOP: they share a phone number.
pub const REGISTRY: &str = "\u{feff}external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\r
CL-1,market_vendor,coc-leu,A-01,Nguyễn Văn An,household,0912 100 001,Lào Cai,\r
CL-2,market_vendor,coc-leu,A-02,Trần Thị Bình,business,+84912100002,Lào Cai,\r
CL-3,market_vendor,coc-leu,A-03,Lê Văn Cường,household,,Lào Cai,\r
SP-1,market_vendor,sa-pa,S-01,Giàng Thị Mai,household,0912100004,Sa Pa,\r
OC-1,ocop_producer,,,\"HTX Táo mèo Giàng Mai\",cooperative,0912100004,Sa Pa,Táo mèo sấy|4;Rượu táo mèo|3\r
CL-X,market_vendor,,A-09,Phạm Văn Dũng,household,,Lào Cai,\r
OC-9,ocop_producer,,,Cơ sở chè,business,,Hà Nội,Chè|7\r
";

/// 10:00 in Lào Cai on a day of 2026.
pub fn at(month: u32, day: u32) -> DateTime<Utc> {
    vietnam()
        .with_ymd_and_hms(2026, month, day, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn row<'a>(report: &'a Report, segment: &str) -> &'a SegmentRow {
    report
        .segments
        .iter()
        .find(|r| r.segment == segment)
        .unwrap_or_else(|| panic!("no segment {segment} in {report:?}"))
}

/// (registered, account, approved, listed, e-payment ready, onboarded)
pub fn stages(r: &SegmentRow) -> (u32, u32, u32, u32, u32, u32) {
    (
        r.registered,
        r.account,
        r.stall_approved,
        r.listed,
        r.epayment_ready,
        r.onboarded,
    )
}

async fn open_stall(vendor: &Visitor, name: &str, market: &str, stall_no: &str) -> StallId {
    vendor
        .save_stall(&[
            ("name", name),
            ("place_kind", "market"),
            ("market", market),
            ("stall_no", stall_no),
            ("description_vi", "Hàng nhà làm."),
            ("phone", "0912 000 999"),
            ("sun", "on"),
        ])
        .await
        .expect("opening a stall");
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    vendor.my_stall().await.unwrap().0.id
}

/// A stall's registry entries as its reviewer's queue shows them.
pub async fn stall_entries(reviewer: &Visitor, stall_id: StallId) -> app::model::StallEntries {
    let queue: Vec<(StallId, app::model::StallEntries)> = reviewer
        .call_json("/api/review_registry", &[])
        .await
        .unwrap();
    queue
        .into_iter()
        .find(|(id, _)| *id == stall_id)
        .map(|(_, entries)| entries)
        .expect("the stall is in the reviewer's queue")
}

pub struct World {
    pub app: TestApp,
    pub clock: Clock,
    pub admin: Visitor,
    pub coc_leu: Visitor,
}

/// The fixture's history:
/// - 5/1 the registry is imported.
/// - CL-1 signs up 10/2, sets up VietQR and its stall is approved 12/2, with a product 13/2;
///   the Cốc Lếu manager confirms the suggested entry.
/// - CL-2 signs up 1/3, takes cards and is approved 2/3 with a product; the administrator
///   links it by its id; the manager suspends the stall 10/4.
/// - SP-1 / OC-1 signs up 15/3, sets up VietQR and its Sa Pa stall is approved 16/3 with
///   "Táo mèo sấy Sa Pa"; linked to both entries.
///
/// A stall is approved only once it can be paid, so each sets up its payments first.
pub async fn world() -> World {
    let clock = Clock::set_at(at(1, 5));
    let app = TestApp::spawn_with({
        let clock = clock.clone();
        move |s| s.clock = clock
    })
    .await;
    let admin = app.admin().await;
    let coc_leu = app.manager("coc-leu").await;
    let sa_pa = app.manager("sa-pa").await;
    assert_eq!(admin.upload_registry(REGISTRY, false).await.status(), 303);

    clock.set(at(2, 10));
    let an = app.vendor("0912100001").await;
    let an_stall = open_stall(&an, "Gian anh An", "coc-leu", "A-01").await;
    clock.set(at(2, 12));
    an.set_payments(true, false, "0").await;
    coc_leu.move_stall(an_stall, "approve").await.unwrap();
    clock.set(at(2, 13));
    an.add_product("Thịt trâu gác bếp", "900.000", "10", true)
        .await
        .unwrap();
    let suggested = stall_entries(&coc_leu, an_stall).await;
    assert_eq!(
        suggested.suggestions[0].row.external_id, "CL-1",
        "the same phone number and stall number suggest CL-1 first"
    );
    coc_leu.link_entry(an_stall, "CL-1").await.unwrap();

    clock.set(at(3, 1));
    let binh = app.vendor("0912100002").await;
    let binh_stall = open_stall(&binh, "Gian chị Bình", "coc-leu", "A-02").await;
    clock.set(at(3, 2));
    binh.set_payments(false, true, "0").await;
    coc_leu.move_stall(binh_stall, "approve").await.unwrap();
    binh.add_product("Gạo Séng Cù", "35.000", "", true)
        .await
        .unwrap();
    admin.link_entry(binh_stall, "CL-2").await.unwrap();

    clock.set(at(3, 15));
    let mai = app.vendor("0912100004").await;
    let mai_stall = open_stall(&mai, "Táo mèo chị Mai", "sa-pa", "S-01").await;
    clock.set(at(3, 16));
    mai.set_payments(true, false, "0").await;
    sa_pa.move_stall(mai_stall, "approve").await.unwrap();
    mai.add_product("Táo mèo sấy Sa Pa", "120.000", "", true)
        .await
        .unwrap();
    sa_pa.link_entry(mai_stall, "SP-1").await.unwrap();
    // OC-1 is an OCOP entry: only the province's administrators link those.
    assert_eq!(
        sa_pa.link_entry(mai_stall, "OC-1").await,
        Err(AppError::field("external_id", Invalid::Unknown))
    );
    admin.link_entry(mai_stall, "OC-1").await.unwrap();

    clock.set(at(4, 10));
    coc_leu
        .call(
            "/api/move_stall",
            &[
                ("stall_id", &binh_stall.to_string()),
                ("step", "suspend"),
                ("reason", "Chưa nộp phí"),
            ],
        )
        .await
        .unwrap();
    clock.set(at(5, 1));
    World {
        app,
        clock,
        admin,
        coc_leu,
    }
}
