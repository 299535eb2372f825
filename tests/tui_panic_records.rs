//! A panic saves every form in progress, not only the registration: a cadre's half-typed visit
//! and a clerk's 立案 of a report come back from their drafts. The hook is process-wide, so this
//! file is its own test binary.

use std::collections::BTreeMap;

use chrono::DateTime;
use minshi::domain::records::ReportInput;
use minshi::home::Home;
use minshi::tui::draft::DraftFile;
use minshi::tui::{App, Clock, install_panic_hook};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn log_in(app: &mut App, login: &str) {
    type_str(app, login);
    key(app, KeyCode::Tab);
    type_str(app, minshi::demo::DEMO_PASSWORD);
    key(app, KeyCode::Enter);
    assert!(!app.is_locked(), "logged in as {login}");
}

#[test]
fn a_panic_saves_the_visit_and_the_registration_of_a_report_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    let clerk = store
        .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    let report = store
        .add_report(
            &ReportInput {
                source: "电话".into(),
                reporter: "李秀兰".into(),
                name: "李秀兰".into(),
                town: "首阳镇".into(),
                village: "首阳村".into(),
                request: "自来水管冻裂，全村停水三天".into(),
                ..ReportInput::default()
            },
            &clerk,
            now,
        )
        .unwrap();
    let drafts = home.drafts_dir();

    // A cadre lands on the notebook and starts a visit: date, kind, then the person.
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "mahui");
    type_str(&mut app, "n");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, "王有福");
    let visit = DraftFile::named(&drafts, "visit", "mahui");
    assert!(
        !visit.path().exists(),
        "no draft written yet: the 300 ms save runs between events"
    );
    install_panic_hook(app.draft_mirror());
    assert!(std::panic::catch_unwind(|| panic!("boom")).is_err());
    let saved: BTreeMap<String, String> = visit.load_value().expect("the hook saved the visit");
    assert_eq!(saved.get("name").map(String::as_str), Some("王有福"));

    // A clerk starts the 立案 of the report: the registration filled from it is saved too.
    let store = home.open().unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhangli");
    key(&mut app, KeyCode::F(7));
    key(&mut app, KeyCode::Home);
    type_str(&mut app, "r");
    let triage = DraftFile::named(&drafts, "triage", "zhangli");
    assert!(!triage.path().exists());
    install_panic_hook(app.draft_mirror());
    assert!(std::panic::catch_unwind(|| panic!("boom")).is_err());
    let saved: serde_json::Value = triage.load_value().expect("the hook saved the 立案");
    assert_eq!(saved["report"], report.key.to_string());
    assert_eq!(saved["input"]["name"], "李秀兰");
}
