//! 一本、一单、一会 on the shared demo register (1,000,000 cases unless `MINSHI_BENCH_CASES`
//! says otherwise, with the visits, report forms and meetings the demo makes in proportion):
//! the report-form queue's first page (待研判, 50 forms) as a town center's clerk and as the
//! county's, and a meeting's suggested cases (the cases of its area ended since its last
//! meeting), for town and village meetings across the history. Prints median and worst; run
//! with `cargo bench --bench records` (`MINSHI_BENCH_REUSE=1` keeps the register).

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use minshi::clock;
use minshi::config::Config;
use minshi::domain::Session;
use minshi::domain::records::RecordKey;
use minshi::store::{ReportFilter, Store};

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Median and worst of `runs` timed calls, after one to warm the caches.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    std::hint::black_box(f());
    let mut all: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    all.sort_unstable();
    (all[all.len() / 2], all[all.len() - 1])
}

fn login(store: &mut Store, login: &str) -> Session {
    store
        .login(login, minshi::demo::DEMO_PASSWORD, clock::now())
        .expect("login runs")
        .unwrap_or_else(|e| panic!("demo account {login}: {e:?}"))
}

fn main() {
    let (db, _) = common::register();
    let config = Arc::new(Config::embedded());
    let mut store = Store::open(&db, config).expect("open");
    let counts: (i64, i64, i64, i64) = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM visits), (SELECT count(*) FROM reports),
                        (SELECT count(*) FROM reports WHERE status = 0),
                        (SELECT count(*) FROM meetings)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
        })
        .expect("counts of the records");
    println!(
        "records: {} visits, {} report forms ({} waiting for triage), {} meetings",
        counts.0, counts.1, counts.2, counts.3
    );

    let first_page = ReportFilter {
        pending: true,
        limit: Some(50),
        offset: 0,
    };
    for (who, label) in [
        ("zhaomin", "a town center's clerk (首阳镇)"),
        ("zhangli", "the county's clerk"),
    ] {
        let session = login(&mut store, who);
        let shown = store.reports(&first_page, &session).expect("queue").len();
        let (median, worst) = time(200, || store.reports(&first_page, &session).unwrap());
        println!(
            "queue first page, as {label}: median {}, worst {} ({shown} forms)",
            ms(median),
            ms(worst)
        );
    }

    // Meetings across the history: every 50th, town and village ones alike, and the latest.
    let clerk = login(&mut store, "zhangli");
    let meetings: Vec<(RecordKey, bool)> = store
        .meetings(&clerk, usize::MAX)
        .expect("meetings")
        .iter()
        .map(|m| (m.key, m.village.is_empty()))
        .collect();
    for (label, town) in [("town", true), ("village", false)] {
        let keys: Vec<RecordKey> = meetings
            .iter()
            .filter(|(_, t)| *t == town)
            .map(|(k, _)| *k)
            .collect();
        if keys.is_empty() {
            continue;
        }
        let sample: Vec<RecordKey> = keys
            .iter()
            .step_by((keys.len() / 200).max(1))
            .chain(keys.first())
            .copied()
            .collect();
        let mut all = Vec::new();
        let mut suggested = 0;
        for key in &sample {
            let (median, _) = time(5, || store.suggested_cases(*key, 50).unwrap());
            suggested += store.suggested_cases(*key, 50).unwrap().len();
            all.push(median);
        }
        all.sort_unstable();
        println!(
            "suggested cases, {} {label} meetings of {}: median {}, worst {} ({:.1} cases each)",
            sample.len(),
            keys.len(),
            ms(all[all.len() / 2]),
            ms(all[all.len() - 1]),
            suggested as f64 / sample.len() as f64
        );
    }

    // Search as the board runs it: the cases of the account's area (a town's clerk walks every
    // match to keep its own), then the visits, reports and meetings it may see.
    for (who, label) in [
        ("zhangli", "the county's clerk"),
        ("zhaomin", "a town center's clerk (首阳镇)"),
        ("mahui", "a cadre (首阳镇)"),
    ] {
        let session = login(&mut store, who);
        for q in ["工资", "宅基地", "王建"] {
            let center = session.center().clone();
            let (cases_median, cases_worst) =
                time(5, || store.search_within(q, &center, 0, 200).unwrap());
            let found = store
                .search_within(q, &center, 0, 200)
                .unwrap()
                .unwrap()
                .total;
            let (records_median, records_worst) =
                time(5, || store.search_records(q, &session, 50).unwrap());
            let records = store
                .search_records(q, &session, 50)
                .unwrap()
                .unwrap()
                .len();
            println!(
                "search 「{q}」 as {label}: cases median {}, worst {} ({found} found); \
                 records median {}, worst {} ({records} listed)",
                ms(cases_median),
                ms(cases_worst),
                ms(records_median),
                ms(records_worst),
            );
        }
    }
}
