//! The register the benchmarks share: `MINSHI_BENCH_CASES` demo cases (1,000,000 unless told)
//! under `target/bench-home-N`, generated once and kept with `MINSHI_BENCH_REUSE=1`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use minshi::config::Config;
use minshi::store::Store;
use minshi::{clock, demo};

/// The benchmark register, made (and its generation timed and printed) unless reused: its
/// path and its size in cases.
pub fn register() -> (PathBuf, u64) {
    let cases: u64 = std::env::var("MINSHI_BENCH_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-home-{cases}"));
    let db = dir.join("minshi.db");
    let reuse = std::env::var("MINSHI_BENCH_REUSE").is_ok_and(|v| v == "1") && db.exists();
    if !reuse {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench folder");
        let mut store = Store::open(&db, Arc::new(Config::embedded())).expect("open");
        demo::accounts(&mut store, clock::now()).expect("demo accounts");
        let t = Instant::now();
        demo::generate(&mut store, cases, 1, clock::now(), &mut |_| {}).expect("demo");
        println!(
            "demo generation, {cases} cases (search index and statistics included): {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("database: {} ({:.0} MB)", db.display(), size as f64 / 1e6);
    (db, cases)
}
