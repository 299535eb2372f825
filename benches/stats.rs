//! The supervisor's desk on 1,000,000 demo cases: demo generation, every period × break-down
//! of the statistics (median and worst), the board header's rates under filters, and
//! `export register` of about 100,000 cases to XLSX (time and peak memory of the real binary,
//! through `/usr/bin/time -v`). Prints figures; run with `cargo bench --bench stats`.
//! `MINSHI_BENCH_CASES` changes the size; `MINSHI_BENCH_REUSE=1` keeps an existing database
//! (the same one `benches/register.rs` makes).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Duration as Days;
mod common;

use minshi::clock;
use minshi::config::Config;
use minshi::domain::stats::{Dim, Period};
use minshi::store::{BoardFilter, StatFilter, Store};

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let (db, cases) = common::register();
    let config = Arc::new(Config::embedded());
    let store = Store::open(&db, config).expect("open");
    let today = clock::today();
    let dir = db.parent().expect("the register's folder").to_path_buf();

    let mut periods: Vec<(String, Period)> = ["本月", "上月", "本季度", "上季度", "本年", "上年"]
        .iter()
        .map(|w| {
            (
                w.to_string(),
                Period::named(w, today).expect("named period"),
            )
        })
        .collect();
    for (name, from, to) in [
        ("all history", today - Days::days(800), today),
        (
            "odd 7 weeks",
            today - Days::days(100),
            today - Days::days(51),
        ),
        ("one day", today - Days::days(10), today - Days::days(10)),
        (
            "13 months odd",
            today - Days::days(400),
            today - Days::days(3),
        ),
    ] {
        periods.push((name.to_string(), Period::new(from, to).expect("period")));
    }
    let filters = [
        ("county", StatFilter::default()),
        (
            "town 首阳镇",
            StatFilter {
                town: Some("首阳镇".into()),
                ..StatFilter::default()
            },
        ),
    ];
    let mut all = Vec::new();
    let mut worst: Option<(Duration, String)> = None;
    for (fname, filter) in &filters {
        for (pname, period) in &periods {
            for by in Dim::ALL {
                let _ = store.statistics_for(filter, *period, by, today); // warm
                let t = Instant::now();
                let table = store
                    .statistics_for(filter, *period, by, today)
                    .expect("statistics");
                let took = t.elapsed();
                std::hint::black_box(&table);
                all.push(took);
                if worst.as_ref().is_none_or(|(w, _)| took > *w) {
                    worst = Some((
                        took,
                        format!(
                            "{fname}, {pname}, by {} ({} rows)",
                            by.label(),
                            table.rows.len()
                        ),
                    ));
                }
            }
        }
    }
    all.sort_unstable();
    println!(
        "statistics, {} queries (2 areas × {} periods × {} break-downs): median {}, p90 {}, worst {} ({})",
        all.len(),
        periods.len(),
        Dim::ALL.len(),
        ms(all[all.len() / 2]),
        ms(all[all.len() * 9 / 10]),
        worst.as_ref().map_or(String::new(), |w| ms(w.0)),
        worst.map_or(String::new(), |w| w.1)
    );
    let year = Period::named("本年", today).expect("this year");
    let store_session = store.accounts().expect("accounts");
    let admin = store_session
        .iter()
        .find(|a| a.role == minshi::domain::Role::Admin)
        .expect("demo admin");
    println!("(header rates as {}:)", admin.real_name);
    for (name, filter) in [
        ("none", BoardFilter::default()),
        (
            "town",
            BoardFilter {
                town: Some("首阳镇".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "unit",
            BoardFilter {
                unit: Some("首阳镇司法所".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "unit + category (counted case by case)",
            BoardFilter {
                unit: Some("首阳镇司法所".into()),
                category: Some("邻里".into()),
                ..BoardFilter::default()
            },
        ),
        (
            "county unit + category (counted case by case)",
            BoardFilter {
                unit: Some("县司法局".into()),
                category: Some("邻里".into()),
                ..BoardFilter::default()
            },
        ),
    ] {
        let f = StatFilter {
            town: filter.town.clone(),
            unit: filter.unit.clone(),
            category: filter.category.clone(),
            ..StatFilter::default()
        };
        let _ = store.statistics_for(&f, year, Dim::Town, today);
        let mut runs: Vec<Duration> = Vec::new();
        let mut received = 0;
        for _ in 0..15 {
            let t = Instant::now();
            let table = store
                .statistics_for(&f, year, Dim::Town, today)
                .expect("header");
            runs.push(t.elapsed());
            received = table.total.received();
        }
        runs.sort_unstable();
        println!(
            "  header rates this year, filter {name}: median {}, worst {} (received {received})",
            ms(runs[runs.len() / 2]),
            ms(runs[runs.len() - 1])
        );
    }
    // A village center's table: its village and a break-down other than the village.
    let village = StatFilter {
        town: Some("首阳镇".into()),
        village: Some("南门村".into()),
        ..StatFilter::default()
    };
    let mut runs: Vec<Duration> = Vec::new();
    for by in Dim::ALL {
        let _ = store.statistics_for(&village, year, by, today);
        let t = Instant::now();
        std::hint::black_box(
            store
                .statistics_for(&village, year, by, today)
                .expect("village"),
        );
        runs.push(t.elapsed());
    }
    runs.sort_unstable();
    println!(
        "village center (首阳镇南门村), this year, {} break-downs: median {}, worst {}",
        runs.len(),
        ms(runs[runs.len() / 2]),
        ms(runs[runs.len() - 1])
    );

    // Export about 100,000 cases: the days before today that hold that many.
    let per_day = (cases as f64 / (cases / 1_400).clamp(120, 730) as f64).max(1.0);
    let days = (100_000.0 / per_day).ceil() as i64;
    let from = (today - Days::days(days)).format("%Y-%m-%d").to_string();
    let to = today.format("%Y-%m-%d").to_string();
    let out = dir.join("export.xlsx");
    let time = std::path::Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-v").arg(env!("CARGO_BIN_EXE_minshi"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_minshi"))
    };
    let t = Instant::now();
    let result = cmd
        .arg("--home")
        .arg(&dir)
        .args(["export", "register", "--from", &from, "--to", &to, "--xlsx"])
        .arg(&out)
        .output()
        .expect("export runs");
    let took = t.elapsed();
    let err = String::from_utf8_lossy(&result.stderr);
    let exported = err
        .lines()
        .find(|l| l.contains("已导出"))
        .unwrap_or("")
        .to_string();
    let peak = err
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map_or("unknown (no /usr/bin/time)".to_string(), |kb| {
            format!("{:.0} MB", kb / 1024.0)
        });
    println!(
        "export register {from}..{to} to XLSX: {:.2} s, peak memory {peak}, file {:.0} MB — {}",
        took.as_secs_f64(),
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1e6,
        if result.status.success() {
            exported
        } else {
            format!("FAILED: {err}")
        }
    );
}
