//! Moving on the board by seeking from a row on screen (or from the end) gives exactly the rows
//! that counting with OFFSET gives, under every filter, on a register in a real file.

mod common;

use chrono::NaiveDate;
use minshi::domain::{Action, ActionKind, CaseKey, allowed_actions};
use minshi::store::{BoardFilter, BoardRow, Seek, Store};

fn keys(rows: &[BoardRow]) -> Vec<CaseKey> {
    rows.iter().map(|r| r.key).collect()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn register(dir: &std::path::Path) -> Store {
    let mut store = common::open(dir);
    let now = common::at("2026-03-05T10:00:00+08:00");
    minshi::demo::generate(&mut store, 1500, 3, now, &mut |_| {}).unwrap();
    store
}

fn filters() -> Vec<BoardFilter> {
    vec![
        BoardFilter::default(),
        BoardFilter {
            town: Some("首阳镇".into()),
            ..BoardFilter::default()
        },
        BoardFilter {
            overdue_only: true,
            ..BoardFilter::default()
        },
    ]
}

#[test]
fn seeking_page_by_page_matches_counting_with_offset() {
    let dir = tempfile::tempdir().unwrap();
    let store = register(dir.path());
    for filter in filters() {
        // Pages small enough that every filter turns several (a town's open cases at Longxi's
        // pace are a score or so).
        let page = 3;
        let total = store.board_count(&filter, today()).unwrap() as usize;
        assert!(
            total > 4 * page,
            "{filter:?} shows too few rows to page: {total}"
        );
        let all = keys(&store.board(&filter, today(), 0, total).unwrap());

        // Forward from each page's last row.
        let mut walked = keys(&store.board(&filter, today(), 0, page).unwrap());
        while walked.len() < total {
            let last = *walked.last().unwrap();
            let next = keys(
                &store
                    .board_seek(&filter, today(), Seek::After(last), page)
                    .unwrap(),
            );
            assert!(!next.is_empty());
            walked.extend(next);
        }
        assert_eq!(walked, all, "{filter:?}");

        // The last page, then backwards from each page's first row.
        let last = keys(
            &store
                .board_seek(&filter, today(), Seek::Last, page)
                .unwrap(),
        );
        assert_eq!(last, all[total - page..], "{filter:?}");
        let mut back = last;
        while back.len() < total {
            let first = back[0];
            let mut before = keys(
                &store
                    .board_seek(&filter, today(), Seek::Before(first), page)
                    .unwrap(),
            );
            assert!(!before.is_empty());
            before.extend(back);
            back = before;
        }
        assert_eq!(back, all, "{filter:?}");

        // From a row: that row and the ones after it.
        let mid = total / 2;
        let from = keys(
            &store
                .board_seek(&filter, today(), Seek::From(all[mid]), page)
                .unwrap(),
        );
        assert_eq!(from, all[mid..mid + page], "{filter:?}");
    }
}

#[test]
fn a_row_that_closed_still_marks_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = register(dir.path());
    let filter = BoardFilter::default();
    let total = store.board_count(&filter, today()).unwrap() as usize;
    let rows = store.board(&filter, today(), 0, total).unwrap();
    let all = keys(&rows);
    // A row in the middle whose state lets it be closed at once (declined).
    let i = (100..total - 10)
        .find(|&i| allowed_actions(rows[i].status, rows[i].route).contains(&ActionKind::Decline))
        .expect("a declinable case");
    let anchor = all[i];
    let now = common::at("2026-03-05T11:00:00+08:00");
    let who = common::who(&mut store);
    store
        .act(
            anchor,
            &Action::Decline {
                reason: "不属于受理范围，已引导至法院".into(),
            },
            &who,
            now,
        )
        .unwrap();
    let after = keys(
        &store
            .board_seek(&filter, today(), Seek::After(anchor), 5)
            .unwrap(),
    );
    assert_eq!(after, all[i + 1..i + 6]);
    let from = keys(
        &store
            .board_seek(&filter, today(), Seek::From(anchor), 5)
            .unwrap(),
    );
    assert_eq!(from, all[i + 1..i + 6], "the closed row itself is gone");
    let before = keys(
        &store
            .board_seek(&filter, today(), Seek::Before(anchor), 5)
            .unwrap(),
    );
    assert_eq!(before, all[i - 5..i]);
}

#[test]
fn list_pages_ride_the_indexes_and_count_what_they_show() {
    use minshi::store::{ListFilter, Listing};
    let dir = tempfile::tempdir().unwrap();
    let store = register(dir.path());
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let range = |listing| ListFilter {
        listing,
        received_from: Some(d("2026-01-01")),
        received_to: Some(d("2026-02-28")),
        ..ListFilter::default()
    };
    for listing in [Listing::All, Listing::Closed] {
        let plan = store
            .list_plan(&range(listing), today())
            .unwrap()
            .join(" | ");
        assert!(
            plan.contains("USING INDEX cases_received (received_date>? AND received_date<?)"),
            "{listing:?}: {plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{listing:?} sorts: {plan}");
    }
    // Open cases between two dates: an index (SQLite picks the dates' or the board's), never a
    // walk through every case.
    let plan = store
        .list_plan(&range(Listing::Open), today())
        .unwrap()
        .join(" | ");
    assert!(plan.contains("USING INDEX cases_"), "{plan}");
    // Open cases without dates: the board's own order, from its partial index.
    let plan = store
        .list_plan(&ListFilter::default(), today())
        .unwrap()
        .join(" | ");
    assert!(
        plan.contains("cases_open_due") && !plan.contains("TEMP B-TREE"),
        "{plan}"
    );
    // Newest first without dates: the same index walked backwards, no sort.
    let plan = store
        .list_plan(
            &ListFilter {
                listing: Listing::All,
                ..ListFilter::default()
            },
            today(),
        )
        .unwrap()
        .join(" | ");
    assert!(
        plan.contains("cases_received") && !plan.contains("TEMP B-TREE"),
        "{plan}"
    );
    // Pages and counts agree: every case is open or ended, once.
    let count = |l| store.list_count(&range(l), today()).unwrap();
    let (all, open, closed) = (
        count(Listing::All),
        count(Listing::Open),
        count(Listing::Closed),
    );
    assert!(open > 0 && closed > 0, "{open} {closed}");
    assert_eq!(all, open + closed);
    let rows = store
        .list(&range(Listing::All), today(), 0, 100_000)
        .unwrap();
    assert_eq!(rows.len() as u64, all);
    assert!(
        rows.windows(2)
            .all(|w| w[0].received_at.date_naive() >= w[1].received_at.date_naive())
    );
    assert!(rows.iter().all(|r| {
        let day = r.received_at.date_naive();
        day >= d("2026-01-01") && day <= d("2026-02-28")
    }));
}
