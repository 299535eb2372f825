//! Paper benchmark: the two-page 民事办理书, the slip on A5 and on an 80 mm roll, and a 1,000-row
//! 民声登记簿, each rendered several times in a release build; prints the median time and the size.
//! Run with `cargo bench --bench print`. Target: 办理书 ≤ 30 ms and ≤ 150 KB.

#[path = "../tests/print_common/mod.rs"]
mod print_common;

use std::time::{Duration, Instant};

use minshi::print::{SlipLayout, form_pdf, register_pdf, slip_pdf};
use print_common::*;

fn measure(name: &str, runs: usize, mut f: impl FnMut() -> Vec<u8>) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = f();
        times.push(start.elapsed());
        size = bytes.len();
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{name:<28} median {:>8.2} ms  (min {:>7.2}, max {:>7.2}, {runs} runs)  {:>8.1} KB",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );
    (median, size)
}

fn main() {
    let cfg = config();
    let c = case();
    let (ev, evd) = (events(8), evidence(5));
    let input = form_input(&c, &ev, &evd, &cfg, &[]);

    // The first document pays for parsing the three faces once per process.
    let start = Instant::now();
    let first = form_pdf(&input).expect("form");
    println!(
        "{:<28} {:>8.2} ms (includes loading the fonts)",
        "办理书, first in process",
        start.elapsed().as_secs_f64() * 1e3
    );
    let pages = page_sizes_mm(&first).len();

    let (form_time, form_size) = measure(&format!("办理书 ({pages} pages)"), 21, || {
        form_pdf(&input).expect("form")
    });
    measure("受理回执 A5", 21, || {
        slip_pdf(&c, &cfg, SlipLayout::A5).expect("slip")
    });
    measure("受理回执 80 mm roll", 21, || {
        slip_pdf(&c, &cfg, SlipLayout::Roll80mm).expect("slip")
    });
    let cases = register_cases(1000);
    let printed = at("2026-04-01T09:00:00+08:00");
    let register =
        register_pdf(&cases, day(2026, 1, 1), day(2026, 12, 31), &cfg, printed).expect("register");
    let register_pages = page_sizes_mm(&register).len();
    measure(
        &format!("登记簿 1000 rows ({register_pages} pages)"),
        5,
        || {
            register_pdf(&cases, day(2026, 1, 1), day(2026, 12, 31), &cfg, printed)
                .expect("register")
        },
    );

    let ok = form_time <= Duration::from_millis(30) && form_size <= 150 * 1024;
    println!(
        "办理书 target ≤ 30 ms and ≤ 150 KB: {}",
        if ok { "met" } else { "NOT met" }
    );
}
