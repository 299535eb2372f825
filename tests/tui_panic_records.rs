//! A panic saves every form in progress, not only the registration: a cadre's half-typed visit,
//! a clerk's 立案 of a report, an answer to one and an opinion raised at a meeting come back
//! from their drafts. The hook is process-wide, so this file is its own test binary.

use std::collections::BTreeMap;

use chrono::DateTime;
use minshi::domain::records::{MeetingInput, ReportInput};
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
fn a_panic_saves_the_visit_the_triage_and_the_opinion_in_progress() {
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
    let meeting = store
        .add_meeting(
            &MeetingInput {
                title: "首阳镇三月民心沟通会".into(),
                held_at: Some(now),
                place: "首阳镇政府三楼会议室".into(),
                host: "中共首阳镇委员会".into(),
                chair: "刘洋".into(),
                recorder: "陈静".into(),
                attendance: 46,
                town: "首阳镇".into(),
                ..MeetingInput::default()
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

    // The answer to the same report, half typed in its dialog.
    let store = home.open().unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhangli");
    key(&mut app, KeyCode::F(7));
    key(&mut app, KeyCode::Home);
    type_str(&mut app, "d");
    type_str(&mut app, "已联系水管站");
    let answer = DraftFile::of_record(&drafts, "answered", &report.key.to_string(), "zhangli");
    assert!(!answer.path().exists());
    install_panic_hook(app.draft_mirror());
    assert!(std::panic::catch_unwind(|| panic!("boom")).is_err());
    let saved: serde_json::Value = answer.load_value().expect("the hook saved the answer");
    assert_eq!(saved["record"], report.key.to_string());
    assert_eq!(saved["typed"]["answer"], "已联系水管站");

    // An opinion raised at the meeting, half typed.
    let store = home.open().unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhangli");
    key(&mut app, KeyCode::F(8));
    key(&mut app, KeyCode::Enter);
    type_str(&mut app, "o");
    type_str(&mut app, "王有福");
    let opinion = DraftFile::of_record(&drafts, "opinion", &meeting.key.to_string(), "zhangli");
    assert!(!opinion.path().exists());
    install_panic_hook(app.draft_mirror());
    assert!(std::panic::catch_unwind(|| panic!("boom")).is_err());
    let saved: serde_json::Value = opinion.load_value().expect("the hook saved the opinion");
    assert_eq!(saved["record_no"], meeting.meeting_no);
    assert_eq!(saved["typed"]["speaker"], "王有福");
}
