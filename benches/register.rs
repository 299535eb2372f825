//! The register on 1,000,000 demo cases: generation, the board, its header, search, and one
//! durable registration. Prints figures; run with `cargo bench --bench register`.
//! `MINSHI_BENCH_CASES` changes the size; `MINSHI_BENCH_REUSE=1` keeps an existing database.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use minshi::config::Config;
use minshi::domain::{NewCaseInput, Status};
use minshi::store::{BoardFilter, Store};
use minshi::{clock, demo};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    f(); // warm the page cache and the statement cache
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let (db, _) = common::register();
    let config = Arc::new(Config::embedded());
    let mut store = Store::open(&db, config).expect("open");
    let today = clock::today();
    let dir = db.parent().expect("the register's folder").to_path_buf();
    println!(
        "open cases: {}",
        store.board_count(&BoardFilter::default(), today).unwrap()
    );

    let filters = [
        ("board first page, no filter", BoardFilter::default()),
        (
            "board first page, town",
            BoardFilter {
                town: Some("首阳镇".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "board first page, unit",
            BoardFilter {
                unit: Some("首阳镇司法所".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "board first page, category",
            BoardFilter {
                category: Some("劳动争议".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "board first page, status",
            BoardFilter {
                status: Some(Status::Dispatched),
                ..BoardFilter::default()
            },
        ),
        (
            "board first page, overdue only",
            BoardFilter {
                overdue_only: true,
                ..BoardFilter::default()
            },
        ),
        (
            "board first page, town + category + overdue",
            BoardFilter {
                town: Some("首阳镇".into()),
                category: Some("劳动争议".into()),
                overdue_only: true,
                ..BoardFilter::default()
            },
        ),
    ];
    for (label, filter) in &filters {
        let d = time(200, || store.board(filter, today, 0, 40).unwrap());
        println!("{label}: {}", ms(d));
    }
    let d = time(200, || {
        store
            .board(&BoardFilter::default(), today, 5_000, 40)
            .unwrap()
    });
    println!("board page at row 5,000, no filter: {}", ms(d));
    for (label, filter) in [&filters[0], &filters[1], &filters[5]].map(|(l, f)| (l, f)) {
        let d = time(50, || store.header(filter, today).unwrap());
        println!("header counts ({label}): {}", ms(d));
    }
    for q in [
        "王芳",
        "工资",
        "首阳",
        "宅基地",
        "拖欠工资",
        "养老保险缴费",
        "1381",
    ] {
        let mut n = 0;
        let d = time(100, || {
            let rows = store.search(q, 50).unwrap().unwrap();
            n = rows.len();
            rows
        });
        println!(
            "search newest 50, 「{q}」 ({} chars, {n} rows): {}",
            q.chars().count(),
            ms(d)
        );
    }
    let input = NewCaseInput {
        name: "王芳".into(),
        id_number: "11010519491231002X".into(),
        phone: "13812341234".into(),
        town: "首阳镇".into(),
        village: "南门村".into(),
        channel: "来访".into(),
        category: "劳动争议".into(),
        route: "限时办理".into(),
        request: "讨要拖欠工资8000元".into(),
        ..NewCaseInput::default()
    };
    let clerk = store
        .login("zhangli", demo::DEMO_PASSWORD, clock::now())
        .expect("login")
        .expect("the demo password");
    let d = time(200, || {
        store.register(&input, &clerk, clock::now()).unwrap()
    });
    println!(
        "register one case, durable (synchronous=FULL), median of 200: {}",
        ms(d)
    );
    let t = Instant::now();
    let (problems, _) = store
        .check_against(None, minshi::store::Depth::Quick)
        .unwrap();
    println!(
        "check (quick_check, hash chain, replay of every case): {:.1} s, {} problems",
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    let t = Instant::now();
    let problems = store.check().unwrap();
    println!(
        "check --full (integrity_check, hash chain, replay of every case): {:.1} s, {} problems",
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    for p in problems.iter().take(5) {
        println!("  {p}");
    }
    // The whole register as one archive: snapshot, evidence, manifest.
    let home = minshi::home::Home::at(&dir);
    let archive = dir.join("bench-backup.tar");
    let _ = std::fs::remove_file(&archive);
    let t = Instant::now();
    let made = minshi::backup::make(&store, &home, &archive, clock::now()).unwrap();
    println!(
        "backup archive: {:.1} s, {:.0} MB",
        t.elapsed().as_secs_f64(),
        made.bytes as f64 / 1e6
    );
    let _ = std::fs::remove_file(&archive);
}
