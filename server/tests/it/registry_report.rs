//! The registry and the onboarding report through the whole stack, on the fixture registry
//! walked through months of real events (`support::registry`), with the expected numbers worked
//! out by hand beside each check: the report day by day, imports and re-imports, the CSV export,
//! targets, links to the registry; then who sees what; then a registry larger than one query.
use crate::support::TestApp;
use crate::support::registry::{REGISTRY, at, row, stages, stall_entries, world};
use app::api::AppError;
use app::domain::invalid::Invalid;

#[tokio::test]
async fn the_report_follows_the_registrys_history_day_by_day() {
    let w = world().await;
    let report = w.admin.report("2026-04-30", "").await.unwrap().report;
    // Cốc Lếu: CL-1, CL-2, CL-3. CL-1 has every stage; CL-2 was suspended on 10/4, so it is
    // no longer approved (its product and card payments remain); CL-3 never signed up.
    assert_eq!(stages(row(&report, "market:coc-leu")), (3, 2, 1, 2, 2, 1));
    assert_eq!(row(&report, "market:coc-leu").share_percent, 33.3);
    // Sa Pa: SP-1, onboarded. Bắc Hà: nobody registered.
    assert_eq!(stages(row(&report, "market:sa-pa")), (1, 1, 1, 1, 1, 1));
    assert_eq!(row(&report, "market:bac-ha").registered, 0);
    // OCOP: OC-1, onboarded through the Sa Pa stall it shares with SP-1.
    assert_eq!(stages(row(&report, "ocop")), (1, 1, 1, 1, 1, 1));
    // The province: CL-1, CL-2, CL-3 and Mai once (SP-1 and OC-1 share a phone): 4
    // entities, CL-1 and Mai onboarded: 2 of 4 = 50.0 %, the default target, no gap.
    let province = row(&report, "province");
    assert_eq!(stages(province), (4, 3, 2, 3, 3, 2));
    assert_eq!(
        (
            province.share_percent,
            province.target_percent,
            province.gap
        ),
        (50.0, 50.0, 0)
    );
    // Households: CL-1, CL-3, SP-1; OC-1 is a cooperative, CL-2 a business.
    assert_eq!(row(&report, "entity_type:household").registered, 3);
    assert_eq!(row(&report, "entity_type:household").onboarded, 2);
    assert_eq!(row(&report, "district:Sa Pa").registered, 1);
    // OC-1 registers two products; the stall sells "Táo mèo sấy Sa Pa" only: 1 of 2.
    assert_eq!(
        (report.ocop_products.registered, report.ocop_products.online),
        (2, 1)
    );
    assert_eq!(report.ocop_products.share_percent, 50.0);

    // CL-2 counts until the day before its suspension and not from that day.
    let cl =
        |page: app::api::reports::OnboardingPage| row(&page.report, "market:coc-leu").onboarded;
    assert_eq!(cl(w.admin.report("2026-04-09", "").await.unwrap()), 2);
    assert_eq!(cl(w.admin.report("2026-04-10", "").await.unwrap()), 1);
    // 11/2: CL-1 has an account but its stall is not yet approved.
    let early = w.admin.report("2026-02-11", "").await.unwrap().report;
    assert_eq!(stages(row(&early, "market:coc-leu")), (3, 1, 0, 0, 0, 0));
    // Before the import there is nobody to count.
    let before = w.admin.report("2026-01-04", "").await.unwrap().report;
    assert_eq!(row(&before, "province").registered, 0);

    // The trend ends on the report's day; at the end of February only CL-1 was onboarded.
    let page = w.admin.report("2026-04-30", "province").await.unwrap();
    let trend: Vec<(String, u32)> = page
        .trend
        .iter()
        .map(|p| (p.date.to_string(), p.onboarded))
        .collect();
    assert_eq!(trend.len(), 12);
    assert_eq!(
        &trend[9..],
        &[
            ("2026-02-28".to_string(), 1),
            ("2026-03-31".to_string(), 3),
            ("2026-04-30".to_string(), 2),
        ]
    );
    // Not yet onboarded: CL-2 lacks approval (suspended), CL-3 everything.
    let pending: Vec<(&str, usize)> = page
        .pending
        .iter()
        .map(|p| (p.external_id.as_str(), p.lacks.len()))
        .collect();
    assert_eq!(pending, vec![("CL-2", 1), ("CL-3", 4)]);
}

#[tokio::test]
async fn a_registry_upload_reports_each_rejected_row_and_a_reimport_changes_nothing() {
    let w = world().await;
    let registry = w.admin.registry().await;
    let summary = registry.last_import.unwrap().unwrap();
    assert_eq!(
        (
            summary.rows,
            summary.created,
            summary.updated,
            summary.unchanged
        ),
        (7, 5, 0, 0)
    );
    let rejected: Vec<(u64, &str, &str)> = summary
        .rejections
        .iter()
        .flat_map(|r| {
            r.errors
                .0
                .iter()
                .map(move |e| (r.line, r.external_id.as_str(), e.field.as_str()))
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (7, "CL-X", "market"),
            (8, "OC-9", "district"),
            (8, "OC-9", "ocop_products")
        ]
    );
    assert_eq!(registry.entries.len(), 5);
    // The list searches ids and names, accents optional.
    let found: app::api::reports::RegistryView = w
        .admin
        .call_json("/api/registry_overview", &[("search[q]", "giang thi mai")])
        .await
        .unwrap();
    assert_eq!(found.matching, 1);
    assert_eq!(found.entries[0].row.external_id, "SP-1");
    let unlinked: app::api::reports::RegistryView = w
        .admin
        .call_json("/api/registry_overview", &[("search[unlinked]", "1")])
        .await
        .unwrap();
    let ids: Vec<&str> = unlinked
        .entries
        .iter()
        .map(|e| e.row.external_id.as_str())
        .collect();
    assert_eq!(ids, ["CL-3"]);
    let before = w.admin.report("2026-04-30", "").await.unwrap().report;

    // The same file again, later: every good row is already there as it is.
    w.clock.set(at(5, 20));
    w.admin.upload_registry(REGISTRY, false).await;
    let again = w.admin.registry().await.last_import.unwrap().unwrap();
    assert_eq!(
        (
            again.created,
            again.updated,
            again.unchanged,
            again.rejections.len()
        ),
        (0, 0, 5, 2)
    );
    assert_eq!(
        w.admin.report("2026-04-30", "").await.unwrap().report,
        before
    );

    // A strict import of a file with a bad row applies none of it, not even the good rows.
    let changed = REGISTRY.replace("Lê Văn Cường", "Lê Văn Cường (Út)");
    w.admin.upload_registry(&changed, true).await;
    let strict = w.admin.registry().await.last_import.unwrap().unwrap();
    assert!(!strict.applied);
    let cl3 = w.admin.registry().await.entries;
    assert!(cl3.iter().any(|e| e.row.name == "Lê Văn Cường"));
    // Without --strict the good rows apply: one entry renamed, nothing added.
    w.admin.upload_registry(&changed, false).await;
    let lenient = w.admin.registry().await.last_import.unwrap().unwrap();
    assert_eq!((lenient.created, lenient.updated), (0, 1));
    assert_eq!(w.admin.registry().await.entries.len(), 5);

    // A file without the required columns is refused whole.
    w.admin.upload_registry("id,name\n1,A\n", false).await;
    assert!(w.admin.registry().await.last_import.unwrap().is_err());
    // Only administrators import.
    assert_eq!(
        w.coc_leu.upload_registry(REGISTRY, false).await.status(),
        403
    );
}

/// The CSV export carries the numbers the page shows, segment by segment, named and written
/// as the page writes them (a Vietnamese reader's: `;` between fields, `33,3` for a share).
#[tokio::test]
async fn the_csv_export_equals_the_page() {
    let w = world().await;
    let html = w
        .admin
        .get("/admin/report?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    let csv = w
        .admin
        .get("/admin/report.csv?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes());
    let mut segments = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let (name, registered, onboarded, share) = (&record[0], &record[1], &record[6], &record[8]);
        if name == "Sản phẩm OCOP" {
            assert!(html.contains(&format!(
                "data-online=\"{onboarded}\" data-registered=\"{registered}\""
            )));
            continue;
        }
        segments += 1;
        let key = segment_key(name);
        let start = html
            .find(&format!("data-segment=\"{key}\""))
            .unwrap_or_else(|| panic!("the page has no row for {key}"));
        let tr = &html[start..start + html[start..].find("</tr>").unwrap()];
        assert!(tr.contains(&format!(">{name}<")), "{name}: {tr}");
        assert!(
            tr.contains(&format!("class=\"registered\">{registered}<")),
            "{name}: {tr}"
        );
        assert!(
            tr.contains(&format!("class=\"onboarded\">{onboarded}<")),
            "{name}: {tr}"
        );
        assert!(tr.contains(&format!("{share}%")), "{name}: {tr}");
    }
    // Three markets, OCOP, three entity types, two districts, the province.
    assert_eq!(segments, 10);
}

/// The key of the segment the report names `name` in Vietnamese.
fn segment_key(name: &str) -> String {
    use app::domain::onboarding::Segment;
    let mut all = vec![Segment::Ocop, Segment::Province];
    all.extend(app::domain::market::Market::ALL.map(Segment::Market));
    all.extend(app::domain::market::EntityType::ALL.map(Segment::EntityType));
    all.extend(["Lào Cai", "Sa Pa"].map(|d| Segment::District(d.to_string())));
    all.into_iter()
        .find(|s| app::vocab::segment(s, app::i18n::Locale::vi) == name)
        .unwrap_or_else(|| panic!("no segment is named {name}"))
        .key()
}

#[tokio::test]
async fn reviewers_link_and_unlink_entries_and_nobody_else_reads_the_registry() {
    let w = world().await;
    let entries = w.admin.registry().await.entries;
    let linked = |id: &str| {
        let e = entries.iter().find(|e| e.row.external_id == id).unwrap();
        (e.id, e.stall.as_ref().unwrap().id)
    };
    let ((_, an_stall), (binh_entry, binh_stall)) = (linked("CL-1"), linked("CL-2"));
    // An entry already linked to one stall is not given to another.
    assert_eq!(
        w.coc_leu.link_entry(an_stall, "CL-2").await,
        Err(AppError::field("external_id", Invalid::Taken))
    );
    // Undoing CL-2's link: on 9/4 Cốc Lếu had CL-1 alone onboarded, and CL-2 is suggested
    // for Bình's stall again (same phone, same stall number).
    w.coc_leu
        .call(
            "/api/unlink_registry_entry",
            &[
                ("stall_id", &binh_stall.to_string()),
                ("entry_id", &binh_entry.to_string()),
                ("confirmed", "yes"),
            ],
        )
        .await
        .unwrap();
    let report = w.admin.report("2026-04-09", "").await.unwrap().report;
    let cl = row(&report, "market:coc-leu");
    assert_eq!((cl.account, cl.onboarded), (1, 1));
    let again = stall_entries(&w.coc_leu, binh_stall).await;
    assert!(again.linked.is_empty());
    assert_eq!(again.suggestions[0].row.external_id, "CL-2");

    // The registry, the queue's links and the API tokens are for reviewers and administrators.
    let shopper = w.app.shopper("0912100098").await;
    let vendor = w.app.vendor("0912100097").await;
    let anonymous = w.app.anonymous();
    for path in [
        "/api/registry_overview",
        "/api/review_registry",
        "/api/api_tokens",
    ] {
        for (who, visitor) in [("shopper", &shopper), ("vendor", &vendor)] {
            assert_eq!(
                visitor.call(path, &[]).await,
                Err(AppError::Forbidden),
                "{who} {path}"
            );
        }
        assert_eq!(
            anonymous.call(path, &[]).await,
            Err(AppError::NotSignedIn),
            "{path}"
        );
    }
    assert_eq!(
        w.coc_leu.call("/api/api_tokens", &[]).await,
        Err(AppError::Forbidden)
    );
}

#[tokio::test]
async fn a_market_manager_sees_their_own_market_only() {
    let w = world().await;
    let page = w.coc_leu.report("2026-04-30", "").await.unwrap();
    let segments: Vec<&str> = page
        .report
        .segments
        .iter()
        .map(|r| r.segment.as_str())
        .collect();
    assert_eq!(segments, ["market:coc-leu"]);
    assert_eq!(page.report.ocop_products.registered, 0);
    for other in ["market:sa-pa", "province", "ocop"] {
        assert_eq!(
            w.coc_leu.report("2026-04-30", other).await.unwrap_err(),
            AppError::Forbidden,
            "{other}"
        );
    }
    // The registry list and the CSV are scoped the same way.
    let entries = w.coc_leu.registry().await.entries;
    assert!(entries.iter().all(|e| e.row.external_id.starts_with("CL-")));
    let csv = w
        .coc_leu
        .get("/admin/report.csv?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        csv.lines().count(),
        3,
        "header, Cốc Lếu, OCOP products: {csv}"
    );
    assert!(!csv.contains("Chợ Sa Pa"));
    // Shoppers and vendors get no report at all.
    let shopper = w.app.shopper("0912100099").await;
    assert_eq!(
        shopper.report("2026-04-30", "").await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(shopper.get("/admin/report.csv").await.status(), 403);
    assert_eq!(
        w.admin.report("30/04/2026", "").await.unwrap_err(),
        AppError::field("as_of", Invalid::Date)
    );
}

/// A province-sized registry: more entries than one `IN (…)` list carries, so the import's
/// lookup of existing entries and the report's reading of them span several queries.
#[tokio::test]
async fn a_registry_larger_than_one_query_imports_and_reimports_whole() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut csv = String::from(
        "external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\n",
    );
    for n in 0..1_234 {
        csv.push_str(&format!(
            "BH-{n:04},market_vendor,bac-ha,B-{n},Hộ {n},household,09{n:08},Bắc Hà,\n"
        ));
    }
    admin.upload_registry(&csv, true).await;
    let first = admin.registry().await.last_import.unwrap().unwrap();
    assert_eq!(
        (first.rows, first.created, first.rejections.len()),
        (1_234, 1_234, 0)
    );
    admin.upload_registry(&csv, true).await;
    let again = admin.registry().await.last_import.unwrap().unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 1_234)
    );
    let report = admin.report("", "").await.unwrap().report;
    assert_eq!(row(&report, "market:bac-ha").registered, 1_234);
    assert_eq!(row(&report, "province").registered, 1_234);
}

/// A whole province's registry imported while shoppers check out: the import writes in small
/// transactions, so no checkout waits behind it long enough to fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_registry_import_never_keeps_shoppers_from_checking_out() {
    const ROWS: usize = 10_000;
    const SHOPPERS: usize = 16;
    let app = TestApp::spawn().await;
    let (_, tea) = app
        .transfer_vendor("0912500001", "sa-pa", ("Chè", "40.000", "1000"))
        .await;
    let mut csv = String::from(
        "external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\n",
    );
    for i in 0..ROWS {
        csv.push_str(&format!(
            "OC-{i},ocop_producer,,,Cơ sở {i},household,,Sa Pa,Chè|4\n"
        ));
    }
    let admin = app.admin().await;
    let started = std::time::Instant::now();
    let import = tokio::spawn(async move {
        admin.upload_registry(&csv, false).await;
        admin.registry().await.last_import
    });
    let mut checkouts = tokio::task::JoinSet::new();
    for n in 0..SHOPPERS {
        let shopper = app.anonymous();
        checkouts.spawn(async move {
            shopper.add_to_cart(tea, "1").await?;
            let phone = format!("0912 6{n:02} 000");
            shopper
                .place_order("vietqr", &[("form[phone]", &phone)])
                .await
        });
    }
    let placed = checkouts.join_all().await;
    println!("checkouts done after {:?}", started.elapsed());
    let outcome = import
        .await
        .unwrap()
        .expect("an import")
        .expect("a good file");
    assert_eq!(outcome.created, ROWS);
    println!("import done after {:?}", started.elapsed());
    for outcome in &placed {
        assert!(outcome.is_ok(), "{outcome:?}");
    }
    let entries = app
        .ports
        .registry
        .entries(&Default::default())
        .await
        .unwrap();
    assert_eq!(entries.len(), ROWS);
}
