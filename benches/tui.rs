//! The terminal program on a million cases: start to first frame, key press to next frame on the
//! board (scrolling, paging, jumping to the end, filtering), and resident memory. Prints figures;
//! targets are in DESIGN.md (first frame ≤ 200 ms, key to frame ≤ 16 ms, ≤ 100 MB).
//!
//! The database is generated once with the demo generator into `target/tmp/bench-home-1m`
//! (about two minutes) and reused.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use minshi::home::Home;
use minshi::tui::{App, Clock};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const CASES: u64 = 1_000_000;

fn home_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-home-1m")
}

fn ensure_database() -> PathBuf {
    let path = home_path();
    if path.join("minshi.db").exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    eprintln!("generating {CASES} demo cases into {} …", path.display());
    let started = Instant::now();
    let home = Home::at(&partial);
    let mut store = home.open_or_create().expect("open the bench register");
    minshi::demo::accounts(&mut store, minshi::clock::now()).expect("demo accounts");
    minshi::demo::generate(&mut store, CASES, 1, minshi::clock::now(), &mut |_| {})
        .expect("generate demo cases");
    drop(store);
    std::fs::rename(&partial, &path).expect("move the finished database into place");
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    path
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn press(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Time a key press until its frame is drawn (what the clerk waits for).
fn key_to_frame(app: &mut App, term: &mut Terminal<TestBackend>, keys: &[KeyCode]) -> Duration {
    let started = Instant::now();
    for k in keys {
        press(app, *k);
    }
    app.tick();
    term.draw(|f| app.draw(f)).unwrap();
    let t = started.elapsed();
    // The header's counts follow the frame; not part of the wait for it.
    if app.deferred() {
        term.draw(|f| app.draw(f)).unwrap();
    }
    t
}

fn report(name: &str, mut samples: Vec<Duration>) {
    let worst_at = (0..samples.len()).max_by_key(|&i| samples[i]).unwrap_or(0);
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = samples[samples.len() / 2];
    let worst = *samples.last().unwrap();
    println!(
        "{name:<44} median {:>8.3} ms   worst {:>8.3} ms (#{worst_at})   (n={})",
        ms(median),
        ms(worst),
        samples.len()
    );
}

fn main() {
    let path = ensure_database();
    let (w, h) = (120, 40);

    // Start to first frame: open the register and draw the login screen; then log in (one
    // argon2id check) and load and draw the board.
    let started = Instant::now();
    let home = Home::at(&path);
    let store = home.open().expect("open");
    let mut app = App::new(store, &home, Clock::System);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.resized(w, h);
    term.draw(|f| app.draw(f)).unwrap();
    let login_frame = started.elapsed();
    let mut keys: Vec<KeyCode> = "zhangli".chars().map(KeyCode::Char).collect();
    keys.push(KeyCode::Tab);
    keys.extend(minshi::demo::DEMO_PASSWORD.chars().map(KeyCode::Char));
    keys.push(KeyCode::Enter);
    let login = key_to_frame(&mut app, &mut term, &keys);
    assert!(!app.is_locked(), "the bench logs in");
    let first = started.elapsed();
    println!(
        "{:<44} {:>8.3} ms",
        "start to login screen",
        login_frame.as_secs_f64() * 1000.0
    );
    println!(
        "{:<44} {:>8.3} ms",
        "password check and board (after Enter)",
        login.as_secs_f64() * 1000.0
    );
    let header_started = Instant::now();
    app.deferred();
    term.draw(|f| app.draw(f)).unwrap();
    let header = header_started.elapsed();
    println!("cases in the register: {CASES}");
    println!(
        "{:<44} {:>8.3} ms",
        "start to first board frame (login typed at once)",
        first.as_secs_f64() * 1000.0
    );
    println!(
        "{:<44} {:>8.3} ms",
        "header counts and rates (after the frame)",
        header.as_secs_f64() * 1000.0
    );

    let down: Vec<Duration> = (0..200)
        .map(|_| key_to_frame(&mut app, &mut term, &[KeyCode::Down]))
        .collect();
    report("key ↓ to frame (scroll one row)", down);
    let pgdn: Vec<Duration> = (0..100)
        .map(|_| key_to_frame(&mut app, &mut term, &[KeyCode::PageDown]))
        .collect();
    report("key PgDn to frame (next page)", pgdn);
    let end: Vec<Duration> = (0..5)
        .map(|_| {
            key_to_frame(&mut app, &mut term, &[KeyCode::Home]);
            key_to_frame(&mut app, &mut term, &[KeyCode::End])
        })
        .collect();
    report("key End to frame (last open case)", end);
    // Back up from the end: each page is sought from the rows on screen.
    key_to_frame(&mut app, &mut term, &[KeyCode::End]);
    let pgup: Vec<Duration> = (0..100)
        .map(|_| key_to_frame(&mut app, &mut term, &[KeyCode::PageUp]))
        .collect();
    report("key PgUp to frame (from the end)", pgup);
    let up: Vec<Duration> = (0..200)
        .map(|_| key_to_frame(&mut app, &mut term, &[KeyCode::Up]))
        .collect();
    report("key ↑ to frame (near the end)", up);
    key_to_frame(&mut app, &mut term, &[KeyCode::Home]);

    // Filters: town picker (t, type, Enter), overdue toggle, clear.
    let mut town = Vec::new();
    let mut overdue = Vec::new();
    let mut clear = Vec::new();
    for name in ["首阳", "文峰", "巩昌", "菜子", "通安"] {
        key_to_frame(&mut app, &mut term, &[KeyCode::Char('t')]);
        let mut keys: Vec<KeyCode> = name.chars().map(KeyCode::Char).collect();
        keys.push(KeyCode::Enter);
        town.push(key_to_frame(&mut app, &mut term, &keys));
        overdue.push(key_to_frame(&mut app, &mut term, &[KeyCode::Char('o')]));
        clear.push(key_to_frame(&mut app, &mut term, &[KeyCode::Char('x')]));
    }
    report("filter by town (Enter in picker) to frame", town);
    report("toggle overdue only to frame", overdue);
    report("clear filters to frame", clear);

    println!("{:<44} {:>8.1} MB", "resident memory (VmRSS)", rss_mb());
}
