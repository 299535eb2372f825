//! What the screens look like, at the minimum size (80×24) and a comfortable one (120×40), on a
//! fixed clock and fixed demo data. Review a changed snapshot like code.

mod print_common;

use chrono::DateTime;
use minshi::domain::NewCaseInput;
use minshi::domain::records::RecordKey;
use minshi::home::Home;
use minshi::tui::{App, Clock};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
}

fn fixture(cases: u64) -> Fixture {
    fixture_as(cases, "zhangli")
}

/// The demo register with `login` at the keyboard.
fn fixture_as(cases: u64, login: &str) -> Fixture {
    let mut f = at_login_screen(cases);
    log_in(&mut f.app, login);
    f
}

/// The demo register on a fixed clock, the program at its login screen.
fn at_login_screen(cases: u64) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, cases, 7, now, &mut |_| {}).unwrap();
    let app = App::new(store, &home, Clock::Fixed(now));
    Fixture { _dir: dir, app }
}

/// At the login screen: name, Tab, password, Enter — as a clerk does.
fn log_in(app: &mut App, login: &str) {
    type_str(app, login);
    key(app, KeyCode::Tab);
    type_str(app, minshi::demo::DEMO_PASSWORD);
    key(app, KeyCode::Enter);
    assert!(!app.is_locked(), "logged in as {login}");
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

/// Text as an input method commits it: whole strings, not key by key.
fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.resized(w, h);
    while app.deferred() {}
    t.draw(|f| app.draw(f)).unwrap();
    // The rows learnt while drawing may call for another page.
    app.tick();
    while app.deferred() {}
    t.draw(|f| app.draw(f)).unwrap();
    text_of(t.backend_mut())
}

/// The screen as a person reads it: each wide character once, trailing blanks dropped, and
/// where the terminal cursor sits (input methods put their window there).
fn text_of(backend: &mut TestBackend) -> String {
    use ratatui::backend::Backend;
    use unicode_width::UnicodeWidthStr;
    let buf = backend.buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let pos = backend.get_cursor_position().unwrap();
    out.push_str(&format!("cursor: {},{}\n", pos.x, pos.y));
    out
}

fn fill_form(app: &mut App) {
    key(app, KeyCode::F(2));
    type_str(app, "欧阳𠮷葛\u{E0100}");
    key(app, KeyCode::Tab);
    type_str(app, "11010519491231002x");
    key(app, KeyCode::Tab);
    type_str(app, "13812341234");
    // 性别 comes from the ID: Tab passes it by.
    key(app, KeyCode::Tab);
    type_str(app, "首阳");
    key(app, KeyCode::Enter);
    type_str(app, "南门");
    key(app, KeyCode::Enter);
    type_str(app, "南街3号");
    key(app, KeyCode::Tab);
    // 来访 is preselected at the counter.
    key(app, KeyCode::Tab);
    type_str(app, "劳动");
    key(app, KeyCode::Enter);
    app.handle(Event::Paste(
        "在县城工地打工半年，老板拖欠工资一万二千元，多次讨要未果。\r请求协调支付工资。".into(),
    ));
}

/// The fixtures' day: the demo's clock stops here.
fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

/// The board's rows, unfiltered, in its order (the most urgent first).
fn board_rows(app: &App) -> Vec<minshi::store::BoardRow> {
    let filter = Default::default();
    let total = app.store().board_count(&filter, today()).unwrap() as usize;
    app.store().board(&filter, today(), 0, total).unwrap()
}

/// The most urgent case on the board that `want` accepts, given the case, its timeline and its
/// evidence: a test says what it needs of a case instead of taking whatever the demo happened
/// to leave in the first row.
fn case_on_board(
    app: &App,
    want: impl Fn(&minshi::domain::Case, &[minshi::domain::Event], &[minshi::domain::Evidence]) -> bool,
) -> minshi::domain::CaseKey {
    let store = app.store();
    board_rows(app)
        .into_iter()
        .map(|r| r.key)
        .find(|&k| {
            let case = store.case(k).unwrap();
            want(
                &case,
                &store.timeline(k).unwrap(),
                &store.evidence(k).unwrap(),
            )
        })
        .expect("the demo leaves such a case on the board")
}

/// On the board, move to a case and open it, as a clerk does; the view's title names it.
fn open_case(app: &mut App, case: minshi::domain::CaseKey) {
    let at = board_rows(app)
        .iter()
        .position(|r| r.key == case)
        .expect("the case is on the board");
    key(app, KeyCode::Home);
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
    let no = app.store().case(case).unwrap().case_no;
    let shown = screen(app, 120, 40);
    assert!(
        shown.contains(&format!("案件 {no}")),
        "{case} opened: {shown}"
    );
}

/// When the case was registered (the first event of its timeline).
fn registered_on(events: &[minshi::domain::Event]) -> chrono::NaiveDate {
    events
        .iter()
        .find(|e| e.kind == minshi::domain::EventKind::Register)
        .expect("a case's timeline starts with its registration")
        .at
        .date_naive()
}

#[test]
fn board() {
    let mut f = fixture(400);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("board_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

#[test]
fn board_filtered_to_overdue_in_one_town() {
    let mut f = fixture(400);
    // A town where a case is overdue (which one is the demo's doing).
    let overdue = board_rows(&f.app)
        .into_iter()
        .find(|r| r.due_date < today())
        .expect("the demo leaves cases overdue");
    type_str(&mut f.app, "t");
    type_str(&mut f.app, &overdue.town);
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "o");
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains(&format!("乡镇：{} · 只看超期", overdue.town))
            && shown.contains(&overdue.case_no),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn moving_from_the_end_shows_the_rows_counting_would() {
    let mut f = fixture(400);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let filter = Default::default();
    let total = f.app.store().board_count(&filter, today).unwrap() as usize;
    let all = f.app.store().board(&filter, today, 0, total).unwrap();
    screen(&mut f.app, 80, 24);
    key(&mut f.app, KeyCode::End);
    key(&mut f.app, KeyCode::PageUp);
    key(&mut f.app, KeyCode::PageUp);
    key(&mut f.app, KeyCode::Up);
    key(&mut f.app, KeyCode::PageDown);
    key(&mut f.app, KeyCode::Up);
    // 24 rows leave 17 for the table: End, up two pages, up one, down a page, up one.
    let sel = total - 1 - 17 - 17 - 1 + 17 - 1;
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains(&format!("第{}/{total}件", sel + 1)),
        "{shown}"
    );
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains(&format!("案件 {}", all[sel].case_no)),
        "expected {}: {shown}",
        all[sel].case_no
    );
}

#[test]
fn form_empty() {
    let mut f = fixture(50);
    key(&mut f.app, KeyCode::F(2));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("form_empty_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

#[test]
fn form_filled_with_chinese() {
    let mut f = fixture(50);
    fill_form(&mut f.app);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("form_filled_{w}x{h}"), screen(&mut f.app, w, h));
    }
    let input = f.app.form.input();
    assert_eq!(input.name, "欧阳𠮷葛\u{E0100}");
    assert_eq!(input.id_number, "11010519491231002X");
    assert_eq!(input.gender, "女");
    assert_eq!(input.town, "首阳镇");
    assert_eq!(input.village, "南门村");
    assert_eq!(
        input.request,
        "在县城工地打工半年，老板拖欠工资一万二千元，多次讨要未果。\n请求协调支付工资。"
    );
}

#[test]
fn form_with_errors() {
    let mut f = fixture(50);
    key(&mut f.app, KeyCode::F(2));
    type_str(&mut f.app, "王芳");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "110105194912310021");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "12345");
    key(&mut f.app, KeyCode::Tab);
    ctrl(&mut f.app, 's');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("form_errors_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

#[test]
fn case_view() {
    let mut f = fixture(400);
    key(&mut f.app, KeyCode::Enter);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("case_{w}x{h}"), screen(&mut f.app, w, h));
    }
    type_str(&mut f.app, "a");
    key(&mut f.app, KeyCode::Enter);
    insta::assert_snapshot!("case_dialog_120x40", screen(&mut f.app, 120, 40));
}

/// The first case on the board, opened, with two evidence files attached through the dialog.
fn case_with_evidence(f: &mut Fixture) {
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "e");
    f.app
        .handle(Event::Paste("'tests/fixtures/annex.jpg'".into()));
    key(&mut f.app, KeyCode::Tab);
    // The kind is chosen already (the source, as nothing is attached yet); the title is the
    // file's name until the clerk names it.
    key(&mut f.app, KeyCode::Tab);
    for _ in 0.."annex.jpg".len() {
        key(&mut f.app, KeyCode::Backspace);
    }
    type_str(&mut f.app, "来访登记表（扫描件）");
}

#[test]
fn evidence_dialog_and_list() {
    let mut f = fixture(400);
    case_with_evidence(&mut f);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("evidence_dialog_{w}x{h}"), screen(&mut f.app, w, h));
    }
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("已添加证据1：来访登记表（扫描件）"),
        "{shown}"
    );
    // The same file again, as a photo: stored once, listed twice.
    type_str(&mut f.app, "e");
    type_str(&mut f.app, "tests/fixtures/annex.jpg");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "现场");
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "3");
    key(&mut f.app, KeyCode::Backspace);
    key(&mut f.app, KeyCode::Tab);
    key(&mut f.app, KeyCode::Backspace);
    type_str(&mut f.app, "2");
    ctrl(&mut f.app, 's');
    for (w, h) in SIZES {
        insta::assert_snapshot!(
            format!("case_with_evidence_{w}x{h}"),
            screen(&mut f.app, w, h)
        );
    }
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("相同文件已存过，未重复保存"), "{shown}");
}

#[test]
fn a_missing_evidence_file_is_named_when_the_clerk_leaves_the_path() {
    let mut f = fixture(50);
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "e");
    type_str(&mut f.app, "tests/fixtures/没有这个文件.jpg");
    key(&mut f.app, KeyCode::Tab);
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains("找不到文件「tests/fixtures/没有这个文件.jpg」"),
        "{shown}"
    );
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains("找不到文件"),
        "the dialog stays open: {shown}"
    );
}

#[test]
fn printing_from_the_case_view_writes_pdfs_and_says_so() {
    use minshi::domain::{EventKind, Status};
    let mut f = fixture(50);
    let home = f._dir.path().to_path_buf();
    // A case in handling, registered directly (a 民意报告单 it came from would be its source),
    // with nothing attached: once closed, its 办理书 lacks 事项来源.
    let case_key = case_on_board(&f.app, |case, events, evidence| {
        case.status == Status::InProgress
            && evidence.is_empty()
            && !events.iter().any(|e| e.kind == EventKind::LinkReport)
    });
    open_case(&mut f.app, case_key);
    type_str(&mut f.app, "p");
    let shown = screen(&mut f.app, 120, 40);
    let slip = std::fs::read_dir(home.join("printouts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("slip-")
        })
        .expect("a slip under printouts/");
    assert!(std::fs::read(&slip).unwrap().starts_with(b"%PDF"));
    let name = slip.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        shown.contains(&format!("受理回执：已生成 printouts/{name}")),
        "{shown}"
    );
    assert!(shown.contains("打印受理回执"), "on the timeline: {shown}");
    // The case is open: its 办理书 is an unnumbered draft (issue "The counter workflow").
    type_str(&mut f.app, "f");
    let draft = screen(&mut f.app, 120, 40);
    assert!(
        draft.contains("民事办理书：已生成 printouts/form-") && draft.contains("打印的是草稿"),
        "{draft}"
    );
    assert!(!draft.contains("首次打印"), "{draft}");
    // Once the case is closed (here from a second connection, as a unit's clerk would), the
    // first print takes the number.
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    let mut second = Home::at(&home).open().unwrap();
    let supervisor = second
        .login("wangfang", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    second
        .act(
            case_key,
            &minshi::domain::Action::Close {
                outcome: minshi::domain::Outcome::Explained,
                result: "已向当事人解释低保政策".into(),
                basis: String::new(),
            },
            &supervisor,
            now,
        )
        .unwrap();
    drop(second);
    type_str(&mut f.app, "f");
    // Nothing attached as 事项来源: the clerk calls the 值班长, who logs in to confirm.
    let asked = screen(&mut f.app, 120, 40);
    assert!(asked.contains("须值班长确认"), "{asked}");
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    let first = screen(&mut f.app, 120, 40);
    assert!(
        first.contains("（首次打印）：已生成 printouts/form-"),
        "{first}"
    );
    // Every print of paper that lacks its evidence is confirmed anew.
    type_str(&mut f.app, "f");
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    let again = screen(&mut f.app, 120, 40);
    assert!(
        again.contains("（补打，第2次打印）：已生成 printouts/form-"),
        "{again}"
    );
}

#[test]
fn ctrl_p_after_saving_prints_the_new_case_slip() {
    let mut f = fixture(20);
    let home = f._dir.path().to_path_buf();
    key(&mut f.app, KeyCode::F(2));
    ctrl(&mut f.app, 'p');
    let shown = screen(&mut f.app, 80, 24);
    assert!(shown.contains("还没有刚登记的案件"), "{shown}");
    fill_form(&mut f.app);
    for _ in 0..8 {
        key(&mut f.app, KeyCode::Tab);
    }
    type_str(&mut f.app, "限时");
    key(&mut f.app, KeyCode::Enter);
    ctrl(&mut f.app, 's');
    ctrl(&mut f.app, 'p');
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains("受理回执：已生成 printouts/slip-2026-"),
        "{shown}"
    );
    assert!(
        std::fs::read_dir(home.join("printouts")).unwrap().count() == 1,
        "one slip"
    );
}

#[test]
fn help() {
    let mut f = fixture(50);
    key(&mut f.app, KeyCode::F(1));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("help_board_{w}x{h}"), screen(&mut f.app, w, h));
    }
    key(&mut f.app, KeyCode::Esc);
    key(&mut f.app, KeyCode::F(2));
    key(&mut f.app, KeyCode::F(1));
    insta::assert_snapshot!("help_form_120x40", screen(&mut f.app, 120, 40));
}

/// An overdue case in handling: F1 says why 延期 (past the deadline) and the supervisor's
/// actions are not offered, and the action menu offers only what can be done.
#[test]
fn help_in_a_case_says_why_actions_are_not_offered() {
    let mut f = fixture(400);
    key(&mut f.app, KeyCode::Enter);
    // The board's first row: the case most overdue, its number in the view's title.
    let view = screen(&mut f.app, 120, 40);
    let no = view
        .split_once("陇综民〔")
        .and_then(|(_, rest)| rest.split_once('号'))
        .map(|(no, _)| no.to_string())
        .expect("the case's number in the title");
    let (year, seq) = no.split_once('〕').unwrap();
    let case_key = format!("{year}-{seq}").parse().unwrap();
    let due = f.app.store().case(case_key).unwrap().due_date;
    let today = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00")
        .unwrap()
        .date_naive();
    assert!(due < today, "overdue: {view}");
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(help.contains("【现在不能做的操作】"), "{help}");
    assert!(
        help.contains(&format!("已超过办理期限（{due}），延期须在期限届满前申请")),
        "{help}"
    );
    assert!(help.contains("须由值班长或管理员办理"), "{help}");
    assert!(help.contains("红底"), "{help}");
    key(&mut f.app, KeyCode::Esc);
    type_str(&mut f.app, "a");
    let menu = screen(&mut f.app, 120, 40);
    assert!(menu.contains("办理操作"), "{menu}");
    assert!(!menu.contains("延期"), "{menu}");
}

/// A town center's clerk registers people of that town: 乡镇 is filled in on every new form
/// (typing replaces it, as any value already there); the county's clerk who takes over next
/// gets it empty.
#[test]
fn a_town_clerks_form_starts_in_its_own_town() {
    let mut f = fixture_as(20, "zhaomin");
    key(&mut f.app, KeyCode::F(2));
    insta::assert_snapshot!("form_town_clerk_80x24", screen(&mut f.app, 80, 24));
    let input = f.app.form.input();
    assert_eq!(
        (input.town.as_str(), input.village.as_str()),
        ("首阳镇", "")
    );
    // Someone from another town: the name, then (past ID, phone, gender) 文峰 replaces it.
    type_str(&mut f.app, "孙梅");
    for _ in 0..4 {
        key(&mut f.app, KeyCode::Tab);
    }
    type_str(&mut f.app, "文峰");
    key(&mut f.app, KeyCode::Enter);
    assert_eq!(f.app.form.input().town, "文峰镇");
    // Cleared (Ctrl-L, y), the next form is in 首阳镇 again.
    ctrl(&mut f.app, 'l');
    type_str(&mut f.app, "y");
    assert_eq!(f.app.form.input().town, "首阳镇");
    // The county's clerk takes the counter: nothing filled in for them.
    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    log_in(&mut f.app, "zhangli");
    let input = f.app.form.input();
    assert_eq!((input.town.as_str(), input.village.as_str()), ("", ""));
}

/// A village center's clerk gets both the town and the village filled in.
#[test]
fn a_village_clerks_form_starts_in_its_own_village() {
    use minshi::domain::{Center, Role};
    let mut f = at_login_screen(10);
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    let mut store = Home::at(f._dir.path()).open().unwrap();
    let admin = store
        .login("admin", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    let clerk = minshi::store::NewAccount {
        login: "nanmen".into(),
        real_name: "南门村受理员".into(),
        role: Role::Clerk,
        center: Center::from_code("首阳镇/南门村"),
        os_user: None,
    };
    store
        .add_account(&clerk, minshi::demo::DEMO_PASSWORD, Some(&admin), now)
        .unwrap();
    drop(store);
    log_in(&mut f.app, "nanmen");
    key(&mut f.app, KeyCode::F(2));
    let input = f.app.form.input();
    assert_eq!(
        (input.town.as_str(), input.village.as_str()),
        ("首阳镇", "南门村")
    );
    let shown = screen(&mut f.app, 80, 24);
    assert!(
        shown.contains("首阳镇") && shown.contains("南门村"),
        "{shown}"
    );
}

/// A draft restored at login is the form as it was left, place and all: the clerk's own town
/// does not overwrite the town the draft holds.
#[test]
fn a_restored_draft_keeps_its_own_town() {
    let mut f = at_login_screen(10);
    let left = NewCaseInput {
        name: "孙梅".into(),
        town: "文峰镇".into(),
        channel: "来访".into(),
        ..NewCaseInput::default()
    };
    minshi::tui::DraftFile::new(&f._dir.path().join("drafts"), "zhaomin")
        .save(&left)
        .unwrap();
    log_in(&mut f.app, "zhaomin");
    let asked = screen(&mut f.app, 80, 24);
    assert!(asked.contains("草稿"), "{asked}");
    type_str(&mut f.app, "y");
    assert_eq!(f.app.form.input(), left);
}

/// Enter on a pick list nobody typed in or moved in leaves it empty: the first item is not
/// recorded because it happens to be highlighted.
#[test]
fn enter_on_an_untouched_picker_records_nothing() {
    let mut f = fixture(10);
    key(&mut f.app, KeyCode::F(2));
    type_str(&mut f.app, "孙梅");
    for _ in 0..4 {
        key(&mut f.app, KeyCode::Tab);
    }
    type_str(&mut f.app, "首阳");
    key(&mut f.app, KeyCode::Enter);
    // 村（社区）: Enter without typing.
    key(&mut f.app, KeyCode::Enter);
    let input = f.app.form.input();
    assert_eq!(input.town, "首阳镇");
    assert_eq!(input.village, "");
    // ↓ Enter takes the highlighted one.
    key(&mut f.app, KeyCode::BackTab);
    key(&mut f.app, KeyCode::Down);
    key(&mut f.app, KeyCode::Enter);
    assert!(!f.app.form.input().village.is_empty());
}

#[test]
fn too_small_says_so() {
    let mut f = fixture(10);
    insta::assert_snapshot!(screen(&mut f.app, 60, 20));
}

#[test]
fn save_registers_once_and_clears_the_form() {
    let mut f = fixture(20);
    fill_form(&mut f.app);
    // Route.
    for _ in 0..8 {
        key(&mut f.app, KeyCode::Tab);
    }
    type_str(&mut f.app, "限时");
    key(&mut f.app, KeyCode::Enter);
    let before = f
        .app
        .store()
        .board_count(
            &Default::default(),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        )
        .unwrap();
    ctrl(&mut f.app, 's');
    ctrl(&mut f.app, 's');
    let after = f
        .app
        .store()
        .board_count(
            &Default::default(),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        )
        .unwrap();
    assert_eq!(after, before + 1, "{}", screen(&mut f.app, 120, 40));
    // Blank again, with the counter's channel preselected for the next person.
    assert_eq!(
        f.app.form.input(),
        NewCaseInput {
            channel: "来访".into(),
            ..NewCaseInput::default()
        }
    );
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("未保存；上一件已登记为 陇综民〔2026〕"),
        "{shown}"
    );
    assert!(
        !shown.contains("必填"),
        "a fresh form shows no errors: {shown}"
    );
}

#[test]
fn login_screen_and_a_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    insta::assert_snapshot!("login_80x24", screen(&mut app, 80, 24));
    type_str(&mut app, "zhangli");
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, "wrong-password");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("再错4次将锁定5分钟"), "{s}");
    assert!(app.is_locked() && app.session().is_none());
    // Four more wrong ones lock the account; then even the right password is refused.
    for _ in 0..4 {
        type_str(&mut app, "wrong-password");
        key(&mut app, KeyCode::Enter);
    }
    type_str(&mut app, minshi::demo::DEMO_PASSWORD);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("已锁定"), "{s}");
    assert!(app.session().is_none());
}

#[test]
fn idle_lock_keeps_the_form_and_unlocks_with_the_password() {
    let mut f = fixture(20);
    fill_form(&mut f.app);
    let before = f.app.form.input();
    assert!(!f.app.lock_if_idle(std::time::Duration::from_secs(9 * 60)));
    assert!(f.app.lock_if_idle(std::time::Duration::from_secs(10 * 60)));
    let s = screen(&mut f.app, 120, 40);
    insta::assert_snapshot!("locked_120x40", s);
    // Nothing typed reaches the form while locked: the password goes to the lock screen.
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    assert!(!f.app.is_locked());
    assert_eq!(f.app.form.input(), before);
    assert_eq!(f.app.session().unwrap().login(), "zhangli");
}

#[test]
fn f12_locks_and_another_clerk_takes_over_with_the_draft_kept_for_the_first() {
    let mut f = fixture(20);
    fill_form(&mut f.app);
    let typed = f.app.form.input();
    key(&mut f.app, KeyCode::F(12));
    assert!(f.app.is_locked());
    let s = screen(&mut f.app, 80, 24);
    assert!(s.contains("张丽（受理员）的工作已锁定"), "{s}");
    // From the password to the login name, which holds zhangli: liming typed replaces it.
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "liming");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    assert_eq!(f.app.session().unwrap().login(), "liming");
    assert!(
        f.app.form.is_blank(),
        "the first clerk's form is not left to the second"
    );
    let kept = minshi::tui::DraftFile::new(&f._dir.path().join("drafts"), "zhangli")
        .load()
        .expect("zhangli's form is kept as zhangli's draft");
    assert_eq!(kept, typed);
}

/// The lock screen asks the last clerk for the password, their login there; a clerk taking over
/// tabs to the login and types their own, which replaces it (never appended to), as a value
/// put there for the clerk is everywhere: Backspace removes it whole, End makes it text to add
/// to.
#[test]
fn typing_a_login_at_the_lock_screen_replaces_the_last_one() {
    let mut f = fixture(20);
    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "liming");
    let shown = screen(&mut f.app, 80, 24);
    insta::assert_snapshot!("lock_another_login_80x24", shown);
    assert!(
        shown.contains("登录名   liming") && !shown.contains("zhangli"),
        "{shown}"
    );
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    assert_eq!(f.app.session().unwrap().login(), "liming");

    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    key(&mut f.app, KeyCode::Backspace);
    assert!(
        !screen(&mut f.app, 80, 24).contains("liming"),
        "Backspace takes the login whole"
    );
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    assert_eq!(f.app.session().unwrap().login(), "wangfang");

    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    key(&mut f.app, KeyCode::End);
    type_str(&mut f.app, "x");
    let shown = screen(&mut f.app, 80, 24);
    assert!(shown.contains("登录名   wangfangx"), "{shown}");
}

/// In the open action menu: 更正 of the address, with the reason, submitted.
fn correct_address(app: &mut App) {
    type_str(app, "更正");
    key(app, KeyCode::Enter);
    type_str(app, "详细地址");
    key(app, KeyCode::Enter);
    type_str(app, "南门村三社12号");
    key(app, KeyCode::Tab);
    type_str(app, "门牌号记错");
    ctrl(app, 's');
}

#[test]
fn correcting_from_the_case_view_goes_on_the_record_and_follows_the_roles() {
    use minshi::domain::{EventKind, Status};
    let mut f = fixture(50);
    // A case in handling, registered before today, within its time, never extended or urged: a
    // 值班长 may extend and urge it, and neither word is on its screen for another reason.
    let case = case_on_board(&f.app, |case, events, _| {
        case.status == Status::InProgress
            && registered_on(events) < today()
            && case.due_date >= today()
            && case.extension.is_none()
            && !events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Extend | EventKind::Urge))
    });
    open_case(&mut f.app, case);
    type_str(&mut f.app, "a");
    let menu = screen(&mut f.app, 120, 40);
    // A 受理员 is not offered what only a 值班长 may do.
    assert!(!menu.contains("延期") && !menu.contains("督办"), "{menu}");
    correct_address(&mut f.app);
    let refused = screen(&mut f.app, 120, 40);
    assert!(refused.contains("只能更正本人当天登记的案件"), "{refused}");
    // The 值班长 takes over at the lock screen and corrects it.
    key(&mut f.app, KeyCode::Esc);
    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    open_case(&mut f.app, case);
    type_str(&mut f.app, "a");
    let menu = screen(&mut f.app, 120, 40);
    assert!(menu.contains("延期") && menu.contains("督办"), "{menu}");
    correct_address(&mut f.app);
    let done = screen(&mut f.app, 120, 40);
    assert!(done.contains("已更正详细地址"), "{done}");
    assert!(
        done.contains("更正详细地址"),
        "the timeline shows it: {done}"
    );
    assert!(f.app.store().check().unwrap().is_empty());
}

#[test]
fn a_new_search_starts_empty() {
    let mut f = fixture(50);
    type_str(&mut f.app, "/");
    type_str(&mut f.app, "王芳");
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "/");
    type_str(&mut f.app, "工资");
    key(&mut f.app, KeyCode::Enter);
    let s = screen(&mut f.app, 120, 40);
    assert!(s.contains("搜索「工资」"), "{s}");
    assert!(!s.contains("王芳工资"), "{s}");
}

#[test]
fn q_in_a_case_asks_before_quitting() {
    // Any case will do (twenty of the demo's are all ended by the fixture's day: fifty leave
    // some on the board).
    let mut f = fixture(50);
    let case = case_on_board(&f.app, |_, _, _| true);
    open_case(&mut f.app, case);
    type_str(&mut f.app, "q");
    assert!(!f.app.quit, "q in a case does not end the program at once");
    let s = screen(&mut f.app, 80, 24);
    assert!(s.contains("退出民事直通车？"), "{s}");
    type_str(&mut f.app, "n");
    assert!(!f.app.quit);
    type_str(&mut f.app, "q");
    type_str(&mut f.app, "y");
    assert!(f.app.quit);
}

/// In December a deadline crosses into a year without a holiday table: the clerk is told once,
/// plainly, and the 管理员 — who can add the table — is told at login what to do.
#[test]
fn a_missing_holiday_table_is_told_to_the_clerk_once_and_to_the_admin() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-12-21T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhangli");
    let mut saved = Vec::new();
    for _ in 0..2 {
        fill_form(&mut app);
        key(&mut app, KeyCode::PageDown);
        type_str(&mut app, "限时");
        key(&mut app, KeyCode::Enter);
        ctrl(&mut app, 's');
        saved.push(screen(&mut app, 120, 40));
    }
    assert!(
        saved[0].contains("2027年的节假日安排尚未录入") && saved[0].contains("请告知管理员补录"),
        "{}",
        saved[0]
    );
    assert!(!saved[0].contains("config.toml"), "{}", saved[0]);
    assert!(
        saved[1].contains("已登记 陇综民〔2026〕2号"),
        "{}",
        saved[1]
    );
    assert!(!saved[1].contains("节假日安排"), "told once: {}", saved[1]);

    let store = home.open().unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "admin");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("[holidays.2027]"), "{shown}");
    assert!(shown.contains("列出要加的内容"), "{shown}");
}

/// A date put in a dialog for the clerk (today) is selected: typing replaces it, it is never
/// appended to.
#[test]
fn a_prefilled_date_is_replaced_by_typing() {
    let mut f = fixture(400);
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "a");
    type_str(&mut f.app, "进展");
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "已约谈双方");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "2026-03-04");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("已记录进展"), "{shown}");
    assert!(shown.contains("2026-03-04：已约谈双方"), "{shown}");
}

/// The header's rates follow the board's filters and a period: under a town filter they are
/// that town's, not the county's, and p changes the period.
#[test]
fn header_rates_follow_the_filters_and_the_period() {
    let mut f = fixture(400);
    let rates = |s: &str| {
        s.lines()
            .find(|l| l.contains("化解率"))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let county = rates(&screen(&mut f.app, 120, 40));
    assert!(county.starts_with("本年："), "{county}");
    type_str(&mut f.app, "t");
    type_str(&mut f.app, "首阳");
    key(&mut f.app, KeyCode::Enter);
    let town = rates(&screen(&mut f.app, 120, 40));
    assert!(town.starts_with("本年："), "{town}");
    assert_ne!(county, town, "a town's figures are its own");
    type_str(&mut f.app, "p");
    let quarter = rates(&screen(&mut f.app, 120, 40));
    assert!(quarter.starts_with("本季度："), "{quarter}");
}

/// The demo register and the clock of the other snapshots, with the 值班长 王芳 at the keyboard.
fn supervisor_fixture(cases: u64) -> Fixture {
    let mut f = fixture(cases);
    key(&mut f.app, KeyCode::F(12));
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    assert!(!f.app.is_locked());
    f
}

#[test]
fn statistics_by_town_and_by_category() {
    let mut f = supervisor_fixture(400);
    key(&mut f.app, KeyCode::F(4));
    // 本年: p steps 本月 → 上月 → 本季度 → 本年.
    type_str(&mut f.app, "ppp");
    key(&mut f.app, KeyCode::Down);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("stats_town_{w}x{h}"), screen(&mut f.app, w, h));
    }
    type_str(&mut f.app, "bbb");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("stats_category_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

/// F1 on the statistics lists every figure with its definition: in two columns at 120×40, and
/// at 80×24 in one column that ↓ and PgDn scroll.
#[test]
fn help_on_the_statistics_defines_every_figure() {
    let mut f = supervisor_fixture(50);
    key(&mut f.app, KeyCode::F(4));
    key(&mut f.app, KeyCode::F(1));
    let wide = screen(&mut f.app, 120, 40);
    insta::assert_snapshot!("help_stats_120x40", wide);
    for figure in minshi::domain::stats::Figure::ALL {
        assert!(wide.contains(figure.label()), "{:?}: {wide}", figure);
    }
    let top = screen(&mut f.app, 80, 24);
    insta::assert_snapshot!("help_stats_80x24", top);
    key(&mut f.app, KeyCode::PageDown);
    key(&mut f.app, KeyCode::PageDown);
    key(&mut f.app, KeyCode::Down);
    let scrolled = screen(&mut f.app, 80, 24);
    insta::assert_snapshot!("help_stats_80x24_scrolled", scrolled);
    assert!(scrolled.contains("县级化解占比"), "{scrolled}");
    // Any other key closes it.
    type_str(&mut f.app, "x");
    let closed = screen(&mut f.app, 80, 24);
    assert!(closed.contains("统计期间："), "{closed}");
}

/// d asks for two dates; a wrong one is named in the dialog, and the table follows good ones.
#[test]
fn typed_dates_set_the_period() {
    let mut f = supervisor_fixture(400);
    key(&mut f.app, KeyCode::F(4));
    type_str(&mut f.app, "d");
    type_str(&mut f.app, "2025-13-01");
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Enter);
    let refused = screen(&mut f.app, 80, 24);
    insta::assert_snapshot!("stats_dates_refused_80x24", refused);
    assert!(
        refused.contains("起始日期「2025-13-01」应为 2026-03-05 的形式"),
        "{refused}"
    );
    // Back to the wrong date, and typed again (a field gone back to is edited, not replaced).
    key(&mut f.app, KeyCode::Tab);
    for _ in 0.."2025-13-01".len() {
        key(&mut f.app, KeyCode::Backspace);
    }
    type_str(&mut f.app, "2025-10-01");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "2025-12-31");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("统计期间：2025-10-01 至 2025-12-31  按乡镇分组"),
        "{shown}"
    );
    assert!(
        shown.contains("2025-01"),
        "the trend ends with December: {shown}"
    );
}

/// A 受理员 pressing F4 is told who may open the statistics, and stays where they were.
#[test]
fn a_clerk_cannot_open_the_statistics() {
    let mut f = fixture(50);
    let before = screen(&mut f.app, 120, 40);
    assert!(!before.contains("F4 统计"), "no tab for a clerk: {before}");
    key(&mut f.app, KeyCode::F(4));
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("不能打开统计：张丽（受理员）无权查看统计：只有值班长、管理员可以"),
        "{shown}"
    );
    assert!(shown.contains("筛选："), "still the board: {shown}");
    assert!(!shown.contains("统计期间："), "{shown}");
}

/// Enter on a row lists that row's cases on the board — as many as the row received — says
/// so above them, and Esc goes back to the statistics.
#[test]
fn enter_on_a_row_lists_its_cases_on_the_board() {
    let mut f = supervisor_fixture(400);
    key(&mut f.app, KeyCode::F(4));
    type_str(&mut f.app, "ppp");
    key(&mut f.app, KeyCode::Home);
    key(&mut f.app, KeyCode::Down);
    let stats = screen(&mut f.app, 120, 40);
    assert!(stats.contains("第2/17行"), "{stats}");
    // The second row of the table: its town and 受理数.
    let row: Vec<&str> = stats
        .lines()
        .skip_while(|l| !l.starts_with(" 乡镇"))
        .nth(2)
        .unwrap()
        .split_whitespace()
        .collect();
    let (town, received) = (row[0], row[1].parse::<u64>().unwrap());
    key(&mut f.app, KeyCode::Enter);
    let board = screen(&mut f.app, 120, 40);
    insta::assert_snapshot!("board_drilled_to_a_town_120x40", board);
    assert!(
        board.contains(&format!("统计 本年 · 乡镇：{town}：期间内受理{received}件")),
        "{board}"
    );
    assert!(
        board.contains(&format!(
            "筛选（Esc 回统计 x 清除）：乡镇：{town} · 受理 2026-01-01 至 2026-12-31 · 含已结束"
        )),
        "{board}"
    );
    let listed: Vec<&str> = board
        .lines()
        .skip_while(|l| !l.contains("编号"))
        .skip(1)
        .filter(|l| l.contains("陇综民"))
        .collect();
    assert_eq!(listed.len() as u64, received, "{board}");
    assert!(listed.iter().all(|l| l.contains(town)), "{board}");
    assert!(board.contains(&format!("第1/{received}件")), "{board}");
    insta::assert_snapshot!("board_drilled_to_a_town_80x24", screen(&mut f.app, 80, 24));
    key(&mut f.app, KeyCode::Esc);
    let back = screen(&mut f.app, 120, 40);
    assert!(back.contains("统计期间：本年"), "{back}");
    assert!(back.contains("第2/17行"), "the same row: {back}");
    key(&mut f.app, KeyCode::Esc);
    let board = screen(&mut f.app, 120, 40);
    assert!(board.contains("筛选：无"), "the board as it was: {board}");
}
/// The screen with the fixture's home folder written as `<home>`: the dialog shows where the
/// file goes, and the temporary folder's name changes with every run.
fn screen_in_home(f: &mut Fixture, w: u16, h: u16) -> String {
    let home = f._dir.path().display().to_string();
    screen(&mut f.app, w, h).replace(&home, "<home>")
}

/// Ticks (as the event loop does between keys) until the status line says `done`.
fn tick_until(f: &mut Fixture, done: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        f.app.tick();
        let shown = screen_in_home(f, 120, 40);
        if shown.contains(done) {
            return shown;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "no {done}: {shown}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The statistics of 本年 by town, on the second town's row: its name and 受理数.
fn stats_on_second_town(f: &mut Fixture) -> (String, u64) {
    key(&mut f.app, KeyCode::F(4));
    type_str(&mut f.app, "ppp");
    key(&mut f.app, KeyCode::Home);
    key(&mut f.app, KeyCode::Down);
    let stats = screen(&mut f.app, 120, 40);
    let row: Vec<&str> = stats
        .lines()
        .skip_while(|l| !l.starts_with(" 乡镇"))
        .nth(2)
        .unwrap()
        .split_whitespace()
        .collect();
    (row[0].to_string(), row[1].parse().unwrap())
}

/// e on a row asks what to export (the row's cases or the table), as what, and where: a file
/// named for the row and the period in the home's exports folder.
#[test]
fn the_export_dialog_offers_the_row_or_the_table() {
    let mut f = supervisor_fixture(400);
    let (town, received) = stats_on_second_town(&mut f);
    type_str(&mut f.app, "e");
    let asked = screen_in_home(&mut f, 120, 40);
    insta::assert_snapshot!("stats_export_dialog_120x40", asked);
    assert!(
        asked.contains(&format!("该行的案件：乡镇：{town}（{received}件）")),
        "{asked}"
    );
    assert!(asked.contains("整张统计表"), "{asked}");
    // Past the content, to the format: CSV changes the file's name, until one is typed.
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Down);
    key(&mut f.app, KeyCode::Enter);
    let csv = screen_in_home(&mut f, 80, 24);
    insta::assert_snapshot!("stats_export_dialog_csv_80x24", csv);
    assert!(
        csv.contains(&format!(
            "保存到        exports/登记簿-{town}-2026-01-01至2026-12-31.csv"
        )),
        "{csv}"
    );
    key(&mut f.app, KeyCode::Esc);
    assert!(!screen(&mut f.app, 80, 24).contains("导出内容"));
}

/// The gauge of an export, drawn from a given moment of it: counting, a third of the rows,
/// saving, and being cancelled.
#[test]
fn the_export_gauge_shows_rows_done_of_rows_counted() {
    use minshi::export::Progress;
    use minshi::tui::export::GaugeView;
    use ratatui::widgets::Widget;
    let moments = [
        ("counting", Progress::default(), false),
        (
            "a_third",
            Progress {
                done: 6_667,
                total: 20_000,
                saving: false,
            },
            false,
        ),
        (
            "saving",
            Progress {
                done: 20_000,
                total: 20_000,
                saving: true,
            },
            false,
        ),
        (
            "cancelling",
            Progress {
                done: 12_000,
                total: 20_000,
                saving: false,
            },
            true,
        ),
    ];
    for (name, progress, cancelling) in moments {
        let mut t = Terminal::new(TestBackend::new(80, 12)).unwrap();
        t.draw(|f| {
            GaugeView {
                what: "导出该行的案件：全县 · 本年",
                to: "exports/登记簿-2026-01-01至2026-12-31.xlsx",
                progress,
                cancelling,
            }
            .render(f.area(), f.buffer_mut())
        })
        .unwrap();
        insta::assert_snapshot!(format!("export_gauge_{name}"), text_of(t.backend_mut()));
    }
}

/// e, Enter three times: the row's cases go to a workbook in the background; the status line
/// says where, and the workbook holds exactly the row's cases, with the 值班长's full data.
#[test]
fn a_rows_cases_exported_from_the_statistics_read_back_from_the_workbook() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut f = supervisor_fixture(400);
    let (town, received) = stats_on_second_town(&mut f);
    type_str(&mut f.app, "e");
    for _ in 0..3 {
        key(&mut f.app, KeyCode::Enter);
    }
    let name = format!("exports/登记簿-{town}-2026-01-01至2026-12-31.xlsx");
    let done = tick_until(
        &mut f,
        &format!("已导出{received}件案件（乡镇：{town} · 本年）到 {name}"),
    );
    assert!(done.contains("统计期间：本年"), "back on the table: {done}");
    let path = f._dir.path().join(&name);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("登记簿").unwrap();
    let header: Vec<String> = (0..minshi::export::COLUMNS.len())
        .map(|c| sheet.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(header, minshi::export::COLUMNS);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<_> = sheet.rows().skip(1).collect();
    assert_eq!(rows.len() as u64, received);
    for r in &rows {
        assert_eq!(r[col("乡镇")], Data::String(town.clone()));
        assert!(matches!(r[col("受理日期")], Data::DateTime(_)), "{r:?}");
        let phone = r[col("联系电话")].to_string();
        assert!(
            phone.is_empty() || !phone.contains('*'),
            "unmasked: {phone}"
        );
    }
    // In number order, each case once.
    let numbers: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let mut unique = numbers.clone();
    unique.dedup();
    assert_eq!(unique.len(), numbers.len());
    let notes = book.worksheet_range("说明").unwrap();
    let note = |k: &str| {
        notes
            .rows()
            .find(|r| r[0] == Data::String(k.into()))
            .map(|r| r[1].to_string())
            .unwrap()
    };
    assert_eq!(note("导出人"), "王芳");
    assert_eq!(note("个人信息"), "完整（注意保密）");
    assert_eq!(note("案件数"), received.to_string());
    assert!(note("期间与筛选").contains(&format!("乡镇：{town}")));
    // Nothing else left beside it.
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

/// The whole table as CSV; then a folder that is not there: the dialog comes back as it was,
/// saying why, and nothing is written.
#[test]
fn the_table_goes_to_csv_and_a_missing_folder_is_said_in_the_dialog() {
    let mut f = supervisor_fixture(400);
    stats_on_second_town(&mut f);
    type_str(&mut f.app, "e");
    // 整张统计表, CSV, the path suggested.
    key(&mut f.app, KeyCode::Down);
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Down);
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Enter);
    let name = "exports/统计表-按乡镇-2026-01-01至2026-12-31.csv";
    tick_until(
        &mut f,
        &format!("已导出统计表（按乡镇分组 · 本年，17行及合计）到 {name}"),
    );
    let csv = std::fs::read_to_string(f._dir.path().join(name)).unwrap();
    assert!(csv.starts_with("\u{FEFF}乡镇,受理数,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 17 + 1);
    // The total row's 受理数 is the sum of the rows'.
    let received = |l: &str| l.split(',').nth(1).unwrap().parse::<u64>().unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    let (total, rows) = lines.split_last().unwrap();
    assert!(total.starts_with("合计,"), "{csv}");
    assert_eq!(
        received(total),
        rows.iter().map(|l| received(l)).sum::<u64>()
    );

    type_str(&mut f.app, "e");
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "/没有这个目录/登记簿.xlsx");
    key(&mut f.app, KeyCode::Enter);
    let failed = tick_until(&mut f, "导出失败，没有写出文件");
    assert!(
        failed.contains("无法创建文件 /没有这个目录/登记簿.xlsx：目录不存在"),
        "{failed}"
    );
    assert!(failed.contains("保存到"), "the dialog is back: {failed}");
    assert!(
        failed.contains("/没有这个目录/登记簿.xlsx"),
        "with the path typed: {failed}"
    );
}

// ---------------------------------------------------------------------------------------------
// 一本、一单、一会

/// What `records_fixture` added by hand on top of the demo's history.
struct Scenario {
    /// By phone, a week old: late for triage.
    phone: RecordKey,
    /// The two the cadre's visit sent up: wage arrears, then a street lamp.
    wage: RecordKey,
    lamp: RecordKey,
    /// The 首阳镇 meeting, the newest of all.
    meeting: RecordKey,
}

/// The demo register (400 cases with the visits, reports and meetings the demo makes for them,
/// up to 2026-02-20) with what the loop adds in the fortnight after: a cadre's visit that sent
/// two matters up, a phone report a week old (late for triage), and a 首阳镇 meeting to feed
/// back at.
fn records_fixture(login: &str) -> (Fixture, Scenario) {
    use minshi::domain::records::{MeetingInput, ReportInput, VisitInput};
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let demo_until = DateTime::parse_from_rfc3339("2026-02-20T18:00:00+08:00").unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, demo_until).unwrap();
    minshi::demo::generate(&mut store, 400, 7, demo_until, &mut |_| {}).unwrap();
    let as_ = |store: &mut minshi::store::Store, login: &str| {
        store
            .login(login, minshi::demo::DEMO_PASSWORD, now)
            .unwrap()
            .unwrap()
    };
    let cadre = as_(&mut store, "mahui");
    let clerk = as_(&mut store, "zhangli");
    let week_ago = DateTime::parse_from_rfc3339("2026-02-26T15:20:00+08:00").unwrap();
    let phone = store
        .add_report(
            &ReportInput {
                source: "电话".into(),
                reporter: "李秀兰".into(),
                name: "李秀兰".into(),
                phone: "13993221234".into(),
                town: "首阳镇".into(),
                village: "首阳村".into(),
                request: "自来水管冻裂，全村停水三天".into(),
                facts: "入冬以来村里主管道多次冻裂，村委会已报修但未修复".into(),
                opinion: "建议转镇水管站处理".into(),
                received_at: Some(week_ago),
                ..ReportInput::default()
            },
            &clerk,
            week_ago,
        )
        .unwrap()
        .key;
    let visited = DateTime::parse_from_rfc3339("2026-03-04T16:00:00+08:00").unwrap();
    let (_, sent_up) = store
        .add_visit(
            &VisitInput {
                visited_on: Some(visited.date_naive()),
                companions: vec!["李强".into()],
                name: "张桂兰".into(),
                phone: "13912345678".into(),
                town: "首阳镇".into(),
                village: "南门村".into(),
                group: "3社".into(),
                address: "南门村3社12号".into(),
                kind: "入户走访".into(),
                situation: "老两口务农，儿子在外务工".into(),
                raised: "儿子在工地被拖欠工资；村道路灯不亮".into(),
                answered: "路灯问题已当场联系村委会".into(),
                reports: vec![
                    ReportInput {
                        name: "张明".into(),
                        phone: "13912345679".into(),
                        request: "在县城工地务工被拖欠工资12000元".into(),
                        facts: "2025年在某工地务工6个月，工头拖欠工资".into(),
                        opinion: "建议立案，转司法所调解".into(),
                        ..ReportInput::default()
                    },
                    ReportInput {
                        request: "村道路灯不亮，夜间出行不便".into(),
                        opinion: "建议当场答复".into(),
                        ..ReportInput::default()
                    },
                ],
                ..VisitInput::default()
            },
            &cadre,
            visited,
        )
        .unwrap();
    // Three cases of 首阳镇 ended in the days before the meeting, to feed back there: a wage
    // dispute mediated (its parties are revisited), a question answered, a neighbours' quarrel.
    use minshi::domain::Outcome;
    let ended = [
        (
            "杨建华",
            "劳动争议",
            "讨要拖欠工资8000元",
            Outcome::Mediated,
            "经调解，用工方当场支付工资8000元",
        ),
        (
            "赵小红",
            "政策咨询",
            "咨询新农合报销比例",
            Outcome::Explained,
            "已解释报销政策并告知办理地点",
        ),
        (
            "周立新",
            "邻里",
            "邻居堆放柴草堵塞通道",
            Outcome::Mediated,
            "经调解，邻居当日清理柴草",
        ),
    ];
    for (n, (name, category, request, outcome, result)) in ended.into_iter().enumerate() {
        let registered = DateTime::parse_from_rfc3339("2026-03-02T09:30:00+08:00").unwrap()
            + chrono::Duration::minutes(10 * n as i64);
        let case = store
            .register(
                &minshi::domain::NewCaseInput {
                    name: name.into(),
                    town: "首阳镇".into(),
                    village: "南门村".into(),
                    channel: "来访".into(),
                    category: category.into(),
                    route: "限时办理".into(),
                    unit: "首阳镇司法所".into(),
                    request: request.into(),
                    ..Default::default()
                },
                &clerk,
                registered,
            )
            .unwrap();
        let closed = DateTime::parse_from_rfc3339("2026-03-03T17:00:00+08:00").unwrap()
            + chrono::Duration::minutes(10 * n as i64);
        for action in [
            minshi::domain::Action::Accept {
                note: String::new(),
            },
            minshi::domain::Action::Close {
                outcome,
                result: result.into(),
                basis: String::new(),
            },
        ] {
            store.act(case.key, &action, &clerk, closed).unwrap();
        }
    }
    let held = DateTime::parse_from_rfc3339("2026-03-04T14:30:00+08:00").unwrap();
    let meeting = store
        .add_meeting(
            &MeetingInput {
                title: "首阳镇三月民心沟通会".into(),
                held_at: Some(held),
                place: "首阳镇政府三楼会议室".into(),
                host: "中共首阳镇委员会".into(),
                chair: "刘洋".into(),
                recorder: "陈静".into(),
                units: vec!["首阳镇综治中心".into(), "首阳镇司法所".into()],
                attendance: 46,
                representatives: vec!["王有福".into()],
                town: "首阳镇".into(),
                items: "通报本月受理和办结情况".into(),
                plans: "下月走访南门村全部农户".into(),
                ..MeetingInput::default()
            },
            &clerk,
            held,
        )
        .unwrap()
        .key;
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, login);
    let scenario = Scenario {
        phone,
        wage: sent_up[0],
        lamp: sent_up[1],
        meeting,
    };
    (Fixture { _dir: dir, app }, scenario)
}

/// The queue as the logged-in account sees it, oldest first, as F7 lists it.
fn queue(app: &App) -> Vec<minshi::domain::records::Report> {
    let who = app.session().unwrap().clone();
    let pending = minshi::store::ReportFilter {
        pending: true,
        ..Default::default()
    };
    app.store().reports(&pending, &who).unwrap()
}

/// On F7, put the selection on a report of the queue.
fn select_report(app: &mut App, report: RecordKey) {
    let at = queue(app)
        .iter()
        .position(|r| r.key == report)
        .expect("the report waits in the queue");
    key(app, KeyCode::Home);
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
}

#[test]
fn report_queue() {
    let (mut f, _) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("queue_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

#[test]
fn a_report_opened() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    // The wage arrears the cadre sent up.
    select_report(&mut f.app, sc.wage);
    key(&mut f.app, KeyCode::Enter);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("report_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

#[test]
fn help_on_the_report_queue() {
    let (mut f, _) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    key(&mut f.app, KeyCode::F(1));
    insta::assert_snapshot!("help_queue_120x40", screen(&mut f.app, 120, 40));
}

/// The board's header counts the reports waiting for triage, at the minimum width too.
#[test]
fn the_board_header_counts_the_queue() {
    let (mut f, _) = records_fixture("zhangli");
    // Counted here from the list and the calendar: the triage limit is 3 working days, and the
    // demo's are received before 2026-02-20 (a late one waits since before 2026-03-02, the
    // third working day before today, 2026-03-05).
    let waiting = queue(&f.app);
    let limit = DateTime::parse_from_rfc3339("2026-03-02T00:00:00+08:00").unwrap();
    let late = waiting.iter().filter(|r| r.received_at < limit).count();
    assert!(
        waiting.len() >= 3 && late >= 1,
        "the fixture's three, the phone call late"
    );
    let shown = screen(&mut f.app, 80, 24);
    let head = shown.lines().nth(1).unwrap_or_default();
    assert!(
        head.contains(&format!("待研判{}（超期{late}）", waiting.len())),
        "{shown}"
    );
    assert!(head.contains("在办"), "{shown}");
}

/// An answer typed and left with Esc is kept for its report: d on another report opens blank,
/// g on the same one too (another dialog), d on it again brings the text back; once answered,
/// the draft is gone.
#[test]
fn an_answer_left_unfinished_comes_back_on_its_report_only() {
    let (mut f, sc) = records_fixture("zhangli");
    let home = f._dir.path().to_path_buf();
    let drafts = home.join("drafts");
    let lamp_no = format!("陇民报〔2026〕{}号", sc.lamp.seq);
    key(&mut f.app, KeyCode::F(7));
    select_report(&mut f.app, sc.lamp);
    type_str(&mut f.app, "d");
    type_str(&mut f.app, "已联系村委会，三日内修复路灯");
    key(&mut f.app, KeyCode::Esc);
    let left = screen(&mut f.app, 120, 40);
    assert!(
        left.contains(&format!(
            "已取消；{lamp_no} 的当场答复草稿保留（再按 d 继续）"
        )),
        "{left}"
    );
    let file =
        minshi::tui::DraftFile::of_record(&drafts, "answered", &sc.lamp.to_string(), "zhangli");
    assert!(
        file.path().exists(),
        "written on Esc, not left to the next save"
    );

    select_report(&mut f.app, sc.phone);
    type_str(&mut f.app, "d");
    let other = screen(&mut f.app, 120, 40);
    assert!(!other.contains("三日内修复路灯"), "{other}");
    assert!(!other.contains("已恢复"), "{other}");
    key(&mut f.app, KeyCode::Esc);
    select_report(&mut f.app, sc.lamp);
    type_str(&mut f.app, "g");
    assert!(!screen(&mut f.app, 120, 40).contains("三日内修复路灯"));
    key(&mut f.app, KeyCode::Esc);

    type_str(&mut f.app, "d");
    insta::assert_snapshot!("answer_restored_80x24", screen(&mut f.app, 80, 24));
    ctrl(&mut f.app, 's');
    let done = screen(&mut f.app, 120, 40);
    assert!(done.contains(&format!("{lamp_no}：已当场答复")), "{done}");
    let left: Vec<_> = std::fs::read_dir(&drafts).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    let who = f.app.session().unwrap().clone();
    let lamp = f.app.store().report(sc.lamp, &who).unwrap();
    assert_eq!(lamp.triage.unwrap().text, "已联系村委会，三日内修复路灯");
}

/// 立案 opens the registration form filled from the report, on 事项类别; Ctrl-S registers the
/// case through the triage, linking both.
#[test]
fn triage_into_a_case_from_the_prefilled_form() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    let waiting = queue(&f.app).len();
    select_report(&mut f.app, sc.wage);
    type_str(&mut f.app, "r");
    insta::assert_snapshot!("triage_form_80x24", screen(&mut f.app, 80, 24));
    type_str(&mut f.app, "劳动");
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::PageDown);
    type_str(&mut f.app, "限时");
    key(&mut f.app, KeyCode::Enter);
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("已立案 陇综民〔2026〕"), "{shown}");
    assert!(
        shown.contains(&format!("由民意报告单陇民报〔2026〕{}号", sc.wage.seq)),
        "{shown}"
    );
    let store = f.app.store();
    let who = f.app.session().unwrap().clone();
    let report = store.report(sc.wage, &who).unwrap();
    assert_eq!(
        report.status,
        minshi::domain::records::ReportStatus::Registered
    );
    let case = store.case(report.case.unwrap()).unwrap();
    assert_eq!(case.person.name, "张明");
    assert_eq!(case.channel, "入户走访");
    assert_eq!(case.category, "劳动争议");
    // Back on the queue, one fewer waits.
    assert!(
        shown.contains(&format!("待研判 {} 张", waiting - 1)),
        "{shown}"
    );
}

/// 当场答复 and 引导 in a dialog; a report already triaged is refused with the reason.
#[test]
fn answer_and_guide_in_dialogs() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    let waiting = queue(&f.app).len();
    // The lamp, the newest: last in the queue.
    key(&mut f.app, KeyCode::End);
    type_str(&mut f.app, "d");
    let dialog = screen(&mut f.app, 80, 24);
    let lamp = sc.lamp.seq;
    assert!(
        dialog.contains(&format!("当场答复 · 陇民报〔2026〕{lamp}号")),
        "{dialog}"
    );
    ctrl(&mut f.app, 's');
    let refused = screen(&mut f.app, 80, 24);
    assert!(refused.contains("请填写「答复内容」"), "{refused}");
    type_str(&mut f.app, "已协调村委会更换路灯，三日内修复");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains(&format!("陇民报〔2026〕{lamp}号：已当场答复")),
        "{shown}"
    );
    // The phone call: guided elsewhere.
    select_report(&mut f.app, sc.phone);
    type_str(&mut f.app, "g");
    type_str(&mut f.app, "属供水公司职责，已告知拨打供水服务热线");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains(&format!("陇民报〔2026〕{}号：已引导", sc.phone.seq)),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("待研判 {} 张", waiting - 2)),
        "{shown}"
    );
    // All reports, newest first: the answered lamp cannot be triaged again.
    type_str(&mut f.app, "s");
    key(&mut f.app, KeyCode::Home);
    type_str(&mut f.app, "d");
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("已研判（当场答复），不能再研判"), "{shown}");
}

/// r d m g (立案, 答复, 并案, 引导) are offered on an opened report only while it waits for
/// triage: answered from its view, the report stays open without them — not in the status
/// bar, not in F1, and r does nothing.
#[test]
fn a_triaged_report_offers_no_triage_keys() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    select_report(&mut f.app, sc.lamp);
    key(&mut f.app, KeyCode::Enter);
    let triage = "r 立案  d 答复  m 并案  g 引导";
    let waiting = screen(&mut f.app, 80, 24);
    assert!(waiting.contains(triage), "{waiting}");
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(help.contains("【研判】") && help.contains("│ r "), "{help}");
    key(&mut f.app, KeyCode::Esc);

    type_str(&mut f.app, "d");
    type_str(&mut f.app, "已协调村委会更换路灯，三日内修复");
    ctrl(&mut f.app, 's');
    let answered = screen(&mut f.app, 80, 24);
    insta::assert_snapshot!("report_triaged_80x24", answered);
    assert!(
        answered.contains(&format!(
            "民意报告单 陇民报〔2026〕{}号 · 当场答复",
            sc.lamp.seq
        )),
        "{answered}"
    );
    let hints = answered.lines().rev().nth(1).unwrap_or_default();
    assert!(hints.contains("Esc 返回"), "the status bar: {answered}");
    for hint in ["r 立案", "d 答复", "m 并案", "g 引导"] {
        assert!(!hints.contains(hint), "{hint}: {answered}");
    }
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(!help.contains("【研判】"), "{help}");
    for key in [" r ", " d ", " m ", " g "] {
        assert!(!help.contains(&format!("│{key}")), "{key}: {help}");
    }
    key(&mut f.app, KeyCode::Esc);
    type_str(&mut f.app, "r");
    assert_eq!(screen(&mut f.app, 80, 24), answered, "r is not a key here");
}

/// A cadre logs in to the notebook; the visit form at both sizes, with a matter to report.
#[test]
fn the_visit_form() {
    let (mut f, _) = records_fixture("mahui");
    let notebook = screen(&mut f.app, 80, 24);
    let who = f.app.session().unwrap().clone();
    let mine = minshi::store::VisitFilter {
        cadre: Some("mahui".into()),
        ..Default::default()
    };
    let visits = f.app.store().visits(&mine, &who).unwrap().len();
    assert!(visits > 1, "the demo's visits and the fixture's");
    assert!(
        notebook.contains(&format!("我的走访记录：{visits} 次")),
        "{notebook}"
    );
    type_str(&mut f.app, "n");
    // 走访日期 empty (today); 走访类型 preset; the person.
    key(&mut f.app, KeyCode::Tab);
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "王有福");
    // 联系电话, 乡镇 (the cadre's town, preset), 村.
    for _ in 0..3 {
        key(&mut f.app, KeyCode::Tab);
    }
    type_str(&mut f.app, "南门");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("visit_form_{w}x{h}"), screen(&mut f.app, w, h));
    }
}

/// A meeting opened: the town's cases ended since the last meeting there, to tick and feed
/// back; a revisit and an opinion that becomes a report.
#[test]
fn a_meeting_with_suggested_cases() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(8));
    key(&mut f.app, KeyCode::Enter);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("meeting_{w}x{h}"), screen(&mut f.app, w, h));
    }
    let who = f.app.session().unwrap().clone();
    let key_ = sc.meeting;
    let suggested = f.app.store().suggested_cases(key_, 60).unwrap();
    // A resolved dispute's party revisited at the meeting (fed back by that too).
    let j = suggested
        .iter()
        .position(|s| {
            f.app.store().case(s.case).unwrap().status == minshi::domain::Status::Resolved
        })
        .expect("a resolved case among the suggested");
    for _ in 0..j {
        key(&mut f.app, KeyCode::Down);
    }
    type_str(&mut f.app, "r");
    type_str(&mut f.app, "满意");
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "双方表示协议已履行");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("已会上回访（满意）"), "{shown}");
    let revisited = f.app.store().case(suggested[j].case).unwrap();
    let follow_up = revisited.follow_up.expect("the revisit is the case's 回访");
    assert_eq!(follow_up.way, "沟通会");
    // The revisited case heads the list now, fed back; below it, two more ticked with the
    // space bar (it moves on) and fed back with Enter.
    key(&mut f.app, KeyCode::Down);
    type_str(&mut f.app, " ");
    type_str(&mut f.app, " ");
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("已反馈2件"), "{shown}");
    let rest: Vec<_> = suggested
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != j)
        .map(|(_, s)| s.case)
        .collect();
    let meeting = f.app.store().meeting(key_, &who).unwrap();
    let fed: Vec<_> = meeting.feedback.iter().map(|f| f.case).collect();
    assert_eq!(fed, [suggested[j].case, rest[0], rest[1]]);
    assert_eq!(
        meeting.feedback[0].satisfaction,
        Some(minshi::domain::Satisfaction::Satisfied)
    );
    assert_eq!(
        f.app.store().suggested_cases(key_, 60).unwrap().len(),
        suggested.len() - 3
    );
    // An opinion that becomes a report.
    type_str(&mut f.app, "o");
    type_str(&mut f.app, "王有福");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "村东头排水沟堵塞，雨天积水");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, " ");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    // The next number after the lamp's: the newest report.
    let next = RecordKey {
        year: 2026,
        seq: sc.lamp.seq + 1,
    };
    assert!(
        shown.contains(&format!(
            "已记录意见，已转为民意报告单 陇民报〔2026〕{}号",
            next.seq
        )),
        "{shown}"
    );
    let report = f.app.store().report(next, &who).unwrap();
    assert_eq!(report.source, "民心沟通会");
    assert_eq!(
        report.status,
        minshi::domain::records::ReportStatus::Pending
    );
}

/// Run a search on the board as a clerk types it.
fn search(app: &mut App, q: &str) {
    key(app, KeyCode::F(3));
    type_str(app, "/");
    type_str(app, q);
    key(app, KeyCode::Enter);
}

/// Search finds the visits, report forms and meetings after the cases, each marked by its kind
/// with its number and day, names masked; two characters are enough.
#[test]
fn search_lists_records_after_the_cases() {
    let (mut f, sc) = records_fixture("zhangli");
    search(&mut f.app, "路灯");
    let top = screen(&mut f.app, 120, 40);
    insta::assert_snapshot!("search_records_120x40", top);
    let who = f.app.session().unwrap().clone();
    let found = f.app.store().search("路灯", 200).unwrap().unwrap();
    let cases = found.len();
    let hits = f
        .app
        .store()
        .search_records("路灯", &who, 50)
        .unwrap()
        .unwrap();
    assert!(hits.len() > 2, "the demo's and the fixture's");
    // On the minimum screen, Tab selects the first record, as many moves down would.
    key(&mut f.app, KeyCode::Tab);
    let shown = screen(&mut f.app, 80, 24);
    key(&mut f.app, KeyCode::Home);
    for _ in 0..cases {
        key(&mut f.app, KeyCode::Down);
    }
    assert_eq!(screen(&mut f.app, 80, 24), shown);

    // When the cases fill more than the screen, Tab scrolls the list to the first record, and
    // Tab again goes back to the first case. 拖欠 (wages, debts: the commonest matter) finds
    // more cases than the 17 rows of the minimum screen, and records after them.
    search(&mut f.app, "拖欠");
    let found = f.app.store().search("拖欠", 200).unwrap().unwrap();
    let cases = found.len();
    assert!(cases > 17, "more cases than a screen holds: {cases}");
    let records = f
        .app
        .store()
        .search_records("拖欠", &who, 50)
        .unwrap()
        .unwrap();
    assert!(!records.is_empty(), "the fixture's visit and wage report");
    key(&mut f.app, KeyCode::Tab);
    let below = screen(&mut f.app, 80, 24);
    assert!(!below.contains(&found[0].key.to_string()), "{below}");
    key(&mut f.app, KeyCode::Home);
    for _ in 0..cases {
        key(&mut f.app, KeyCode::Down);
    }
    assert_eq!(screen(&mut f.app, 80, 24), below);
    key(&mut f.app, KeyCode::Tab);
    key(&mut f.app, KeyCode::Tab);
    assert_eq!(screen(&mut f.app, 80, 24), below);
    key(&mut f.app, KeyCode::Tab);
    let first = screen(&mut f.app, 80, 24);
    assert!(first.contains(&found[0].key.to_string()), "{first}");
    assert_ne!(first, below);
    // F1 on the results lists Tab; on the board without results it is not offered.
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(
        help.contains("【搜索结果】") && help.contains("跳到走访、报告单、沟通会"),
        "{help}"
    );
    key(&mut f.app, KeyCode::Esc);
    key(&mut f.app, KeyCode::Esc);
    key(&mut f.app, KeyCode::F(1));
    assert!(!screen(&mut f.app, 120, 40).contains("【搜索结果】"));
    insta::assert_snapshot!("search_records_80x24", shown);
    // The newest first: the street lamp the cadre sent up, masked as nobody is named.
    assert!(
        shown.contains(&format!("报告单 {}", sc.lamp)) && shown.contains("未具名"),
        "{shown}"
    );
    assert!(!top.contains("张桂兰") && top.contains("张某某"), "{top}");
}

/// Enter on a record opens it where it lives — a report in F7, a meeting in F8, a visit in
/// F9 — and Esc there comes back to the search's results.
#[test]
fn enter_on_a_record_opens_it_on_its_screen() {
    let (mut f, sc) = records_fixture("zhangli");
    // One report and no case: it is the first row one can select.
    search(&mut f.app, "停水");
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains(&format!("民意报告单 陇民报〔2026〕{}号", sc.phone.seq)),
        "{shown}"
    );
    assert!(shown.contains("自来水管冻裂"), "{shown}");
    key(&mut f.app, KeyCode::Esc);
    let back = screen(&mut f.app, 120, 40);
    assert!(back.contains("搜索「停水」：案件0件"), "{back}");

    // The meeting, the newest of the 沟通会 found.
    search(&mut f.app, "沟通会");
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains(&format!(
            "民心沟通会 陇沟通〔2026〕{}号 · 首阳镇三月民心沟通会",
            sc.meeting.seq
        )),
        "{shown}"
    );
    assert!(shown.contains("【建议反馈】"), "{shown}");
    key(&mut f.app, KeyCode::Esc);
    assert!(screen(&mut f.app, 120, 40).contains("搜索「沟通会」：案件0件"));

    // The cadre's visit, found by what the household told.
    search(&mut f.app, "老两口");
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("走访记录") && shown.contains("老两口务农"),
        "{shown}"
    );
    assert!(shown.contains("F9 笔记本"), "{shown}");
    key(&mut f.app, KeyCode::Esc);
    assert!(screen(&mut f.app, 120, 40).contains("搜索「老两口」："));
}

/// A cadre searches from the notebook with `/`: the board lists what they may see — their own
/// visits and reports, not another cadre's.
#[test]
fn a_cadre_searches_from_the_notebook_and_sees_only_their_own_records() {
    let (mut f, _) = records_fixture("mahui");
    let notebook = screen(&mut f.app, 80, 24);
    assert!(notebook.contains("/ 搜索"), "{notebook}");
    type_str(&mut f.app, "/");
    type_str(&mut f.app, "路灯");
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    assert!(shown.contains("搜索「路灯」："), "{shown}");
    let who = f.app.session().unwrap().clone();
    let hits = f
        .app
        .store()
        .search_records("路灯", &who, 50)
        .unwrap()
        .unwrap();
    assert!(!hits.is_empty());
    for hit in &hits {
        match hit {
            minshi::store::RecordHit::Visit(v) => assert_eq!(v.cadre, "mahui"),
            minshi::store::RecordHit::Report(r) => assert_eq!(r.recorded_by_login, "mahui"),
            minshi::store::RecordHit::Meeting(_) => {}
        }
    }
    // The county's clerk finds more: the other cadres' visits too.
    let (g, _) = records_fixture("zhangli");
    let county = g.app.session().unwrap().clone();
    let all = g
        .app
        .store()
        .search_records("路灯", &county, 50)
        .unwrap()
        .unwrap();
    assert!(all.len() > hits.len(), "{} > {}", all.len(), hits.len());
}

/// A case whose party was revisited already (by phone, before the meeting) is marked among
/// the suggested ones, and r on it says so with when and how, instead of failing.
#[test]
fn a_meeting_marks_the_cases_that_cannot_be_revisited() {
    let (mut f, sc) = records_fixture("zhangli");
    let suggested = f.app.store().suggested_cases(sc.meeting, 60).unwrap();
    let first = suggested[0].clone();
    {
        let who = f.app.session().unwrap().clone();
        let at = DateTime::parse_from_rfc3339("2026-03-04T09:00:00+08:00").unwrap();
        let follow = minshi::domain::Action::FollowUp {
            date: at.date_naive(),
            way: "电话".into(),
            satisfaction: minshi::domain::Satisfaction::Satisfied,
            notes: String::new(),
        };
        // The store is the application's: act through a second handle on the same file.
        let path = f._dir.path().to_path_buf();
        let mut store = Home::at(&path).open().unwrap();
        store.act(first.case, &follow, &who, at).unwrap();
    }
    key(&mut f.app, KeyCode::F(8));
    key(&mut f.app, KeyCode::Enter);
    let shown = screen(&mut f.app, 120, 40);
    let row = shown
        .lines()
        .find(|l| l.contains(&first.case_no))
        .unwrap_or_default();
    assert!(row.contains("（已回访）"), "{shown}");
    // The others are not marked.
    let other = shown
        .lines()
        .find(|l| l.contains(&suggested[1].case_no))
        .unwrap_or_default();
    assert!(!other.contains("（已"), "{shown}");
    type_str(&mut f.app, "r");
    let said = screen(&mut f.app, 120, 40);
    assert!(
        said.contains(&format!(
            "{} 不能会上回访：已于2026-03-04电话回访过（满意），一件案件只回访一次",
            first.case_no
        )),
        "{said}"
    );
    assert!(!said.contains("会上回访 ·"), "no dialog opened: {said}");
    // It can still be fed back.
    type_str(&mut f.app, " ");
    key(&mut f.app, KeyCode::Enter);
    assert!(screen(&mut f.app, 120, 40).contains("已反馈1件"));
}

/// A cadre's view of the reports offers no 研判: no hints, nothing in F1, and a key pressed
/// anyway says why.
#[test]
fn a_cadre_is_not_offered_triage() {
    let (mut f, _) = records_fixture("mahui");
    key(&mut f.app, KeyCode::F(7));
    let shown = screen(&mut f.app, 120, 40);
    let hints = shown.lines().rev().nth(1).unwrap_or_default();
    assert!(hints.contains("Enter 打开"), "{shown}");
    assert!(
        !hints.contains("立案") && !hints.contains("引导"),
        "{shown}"
    );
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(!help.contains("【研判】"), "{help}");
    key(&mut f.app, KeyCode::Esc);
    key(&mut f.app, KeyCode::Enter);
    let opened = screen(&mut f.app, 120, 40);
    assert!(!opened.contains("r 立案"), "{opened}");
    type_str(&mut f.app, "r");
    let said = screen(&mut f.app, 120, 40);
    assert!(said.contains("研判"), "told why: {said}");
    // A clerk is offered it.
    let (mut g, _) = records_fixture("zhangli");
    key(&mut g.app, KeyCode::F(7));
    key(&mut g.app, KeyCode::F(1));
    assert!(screen(&mut g.app, 120, 40).contains("【研判】"));
}

/// F1 on the 立案 form says that Esc goes back to the report, and what Ctrl-S and Ctrl-L do
/// there.
#[test]
fn help_on_the_registration_of_a_report() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    select_report(&mut f.app, sc.wage);
    type_str(&mut f.app, "r");
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(help.contains("【立案】"), "{help}");
    assert!(help.contains("回报告单（表单保留）"), "{help}");
    assert!(help.contains("按报告单重新预填"), "{help}");
    assert!(!help.contains("回看板"), "{help}");
    assert!(!help.contains("保存登记"), "{help}");
}

/// A town's clerk searching a common word gets every match of the town, not the town's share
/// of the county's newest matches.
#[test]
fn a_town_clerks_search_counts_every_case_of_the_town() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, 1500, 7, now, &mut |_| {}).unwrap();
    let county = store
        .search_page("请求", 0, 100_000, None)
        .unwrap()
        .unwrap();
    let town: Vec<_> = county.rows.iter().filter(|r| r.town == "首阳镇").collect();
    let among_newest = county.rows[..200]
        .iter()
        .filter(|r| r.town == "首阳镇")
        .count();
    assert!(
        county.total > 200 && town.len() > among_newest,
        "a word common enough"
    );
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhaomin");
    search(&mut app, "请求");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains(&format!("案件{}件", town.len())), "{shown}");
    let listed: Vec<&str> = shown.lines().filter(|l| l.contains("陇综民")).collect();
    assert!(
        listed.len() > 20 && listed.iter().all(|l| l.contains("首阳镇")),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------------------------
// The papers of 一本、一单、一会 printed from their screens

/// The file `name` under the fixture home's `printouts/`, read back: a PDF whose text (spaces
/// and line breaks taken out) is returned.
fn printout_text(f: &Fixture, name: &str) -> String {
    let path = f._dir.path().join("printouts").join(name);
    let pdf = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(pdf.starts_with(b"%PDF"), "{}", path.display());
    print_common::all_text(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn assert_check_clean(app: &App) {
    let problems = app.store().check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn p_on_an_opened_report_prints_it_and_counts_the_print() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    select_report(&mut f.app, sc.wage);
    key(&mut f.app, KeyCode::Enter);
    let before = screen(&mut f.app, 120, 40);
    assert!(before.contains("p 打印报告单"), "hinted: {before}");
    assert!(!before.contains("已打印"), "{before}");
    type_str(&mut f.app, "p");
    let shown = screen(&mut f.app, 120, 40);
    let no = format!("陇民报〔2026〕{}号", sc.wage.seq);
    let name = format!("report-{}.pdf", sc.wage);
    assert!(
        shown.contains(&format!("民意报告单 {no}：已生成 printouts/{name}")),
        "{shown}"
    );
    let text = printout_text(&f, &name);
    assert!(text.contains("民意报告单") && text.contains(&no), "{text}");
    assert!(text.contains("在县城工地务工被拖欠工资12000元"), "{text}");
    // Counted on the report, and shown on it at once.
    assert!(shown.contains("已打印 1 次"), "{shown}");
    let who = f.app.session().unwrap().clone();
    assert_eq!(f.app.store().report(sc.wage, &who).unwrap().prints, 1);
    type_str(&mut f.app, "p");
    assert!(screen(&mut f.app, 120, 40).contains("已打印 2 次"));
    assert_check_clean(&f.app);
}

#[test]
fn b_on_the_queue_prints_a_blank_report_form() {
    let (mut f, _) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(7));
    type_str(&mut f.app, "b");
    let shown = screen(&mut f.app, 120, 40);
    assert!(
        shown.contains("空白民意报告单：已生成 printouts/report-blank.pdf"),
        "{shown}"
    );
    let text = printout_text(&f, "report-blank.pdf");
    assert!(text.contains("民意报告单"), "{text}");
    assert!(text.contains("报告人签字"), "{text}");
    assert_check_clean(&f.app);
    // Listed in F1 under the queue.
    key(&mut f.app, KeyCode::F(1));
    assert!(screen(&mut f.app, 120, 40).contains("打印空白报告单"));
}

#[test]
fn p_and_shift_p_on_a_meeting_print_its_minutes_and_notice() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(8));
    key(&mut f.app, KeyCode::Enter);
    let no = format!("陇沟通〔2026〕{}号", sc.meeting.seq);
    let opened = screen(&mut f.app, 120, 40);
    assert!(opened.contains(&no), "the scenario's meeting: {opened}");
    assert!(!opened.contains("已打印"), "{opened}");

    type_str(&mut f.app, "p");
    let shown = screen(&mut f.app, 120, 40);
    let minutes = format!("minutes-{}.pdf", sc.meeting);
    assert!(
        shown.contains(&format!("会议记录 {no}：已生成 printouts/{minutes}")),
        "{shown}"
    );
    assert!(shown.contains("已打印会议记录 1 次"), "{shown}");
    let text = printout_text(&f, &minutes);
    assert!(text.contains("会议记录") && text.contains(&no), "{text}");
    assert!(text.contains("首阳镇三月民心沟通会"), "{text}");

    type_str(&mut f.app, "P");
    let shown = screen(&mut f.app, 120, 40);
    let notice = format!("notice-{}.pdf", sc.meeting);
    assert!(
        shown.contains(&format!("公示 {no}：已生成 printouts/{notice}")),
        "{shown}"
    );
    assert!(shown.contains("已打印会议记录 1 次、公示 1 次"), "{shown}");
    let text = printout_text(&f, &notice);
    assert!(text.contains(&no), "{text}");
    for name in ["刘洋", "陈静", "王有福"] {
        assert!(!text.contains(name), "{name} on the notice board: {text}");
    }
    let who = f.app.session().unwrap().clone();
    let m = f.app.store().meeting(sc.meeting, &who).unwrap();
    assert_eq!((m.minutes_prints, m.notice_prints), (1, 1));
    assert_check_clean(&f.app);
}

/// p on the queue prints the selected report without opening it, through the same function as
/// p on the opened report: the same file, the same masking for the account (a clerk's copy
/// masks the phone, a 值班长's does not), the print counted on the report and chained.
#[test]
fn p_on_the_queue_prints_the_selected_report() {
    for (login, phone) in [("zhangli", "139****5679"), ("wangfang", "13912345679")] {
        let (mut f, sc) = records_fixture(login);
        key(&mut f.app, KeyCode::F(7));
        let listed = screen(&mut f.app, 120, 40);
        assert!(listed.contains("p 打印  s 切换待研判/全部"), "{listed}");
        select_report(&mut f.app, sc.wage);
        type_str(&mut f.app, "p");
        let shown = screen(&mut f.app, 120, 40);
        let no = format!("陇民报〔2026〕{}号", sc.wage.seq);
        let name = format!("report-{}.pdf", sc.wage);
        assert!(
            shown.contains(&format!("民意报告单 {no}：已生成 printouts/{name}")),
            "{login}: {shown}"
        );
        assert!(shown.contains("待研判"), "still on the queue: {shown}");
        let text = printout_text(&f, &name);
        assert!(text.contains("民意报告单") && text.contains(&no), "{text}");
        assert!(text.contains("在县城工地务工被拖欠工资12000元"), "{text}");
        assert!(text.contains(phone), "{login}: {phone} in {text}");
        if phone.contains('*') {
            assert!(!text.contains("13912345679"), "{text}");
        }
        let who = f.app.session().unwrap().clone();
        assert_eq!(f.app.store().report(sc.wage, &who).unwrap().prints, 1);
        // Opened afterwards, the report shows the print made from the list.
        key(&mut f.app, KeyCode::Enter);
        assert!(screen(&mut f.app, 120, 40).contains("已打印 1 次"));
        assert_check_clean(&f.app);
    }
}

/// p and P on the meeting list print the selected meeting's minutes and notice, as they do on
/// the opened meeting; F1 lists both keys there.
#[test]
fn p_and_shift_p_on_the_meeting_list_print_the_selected_meeting() {
    let (mut f, sc) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(8));
    let listed = screen(&mut f.app, 120, 40);
    assert!(listed.contains("p/P 打印记录/公示"), "{listed}");
    let no = format!("陇沟通〔2026〕{}号", sc.meeting.seq);
    // The scenario's meeting is the newest, selected first.
    type_str(&mut f.app, "p");
    let shown = screen(&mut f.app, 120, 40);
    let minutes = format!("minutes-{}.pdf", sc.meeting);
    assert!(
        shown.contains(&format!("会议记录 {no}：已生成 printouts/{minutes}")),
        "{shown}"
    );
    let text = printout_text(&f, &minutes);
    assert!(text.contains("会议记录") && text.contains(&no), "{text}");
    assert!(text.contains("首阳镇三月民心沟通会"), "{text}");

    type_str(&mut f.app, "P");
    let shown = screen(&mut f.app, 120, 40);
    let notice = format!("notice-{}.pdf", sc.meeting);
    assert!(
        shown.contains(&format!("公示 {no}：已生成 printouts/{notice}")),
        "{shown}"
    );
    let text = printout_text(&f, &notice);
    assert!(text.contains(&no), "{text}");
    for name in ["刘洋", "陈静", "王有福"] {
        assert!(!text.contains(name), "{name} on the notice board: {text}");
    }
    let who = f.app.session().unwrap().clone();
    let m = f.app.store().meeting(sc.meeting, &who).unwrap();
    assert_eq!((m.minutes_prints, m.notice_prints), (1, 1));
    assert_check_clean(&f.app);

    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(help.contains("打印选中的沟通会的会议记录"), "{help}");
    assert!(help.contains("打印选中的沟通会的公示"), "{help}");
}

#[test]
fn a_cadre_prints_this_months_notebook_from_f9() {
    let (mut f, _) = records_fixture("mahui");
    key(&mut f.app, KeyCode::F(9));
    type_str(&mut f.app, "p");
    insta::assert_snapshot!("notebook_print_80x24", screen(&mut f.app, 80, 24));
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 120, 40);
    let name = "notebook-mahui-20260301-20260331.pdf";
    assert!(
        shown.contains(&format!(
            "民情笔记本（2026-03-01至2026-03-31）：已生成 printouts/{name}"
        )),
        "{shown}"
    );
    assert!(
        !shown.contains("打印民情笔记本 ·"),
        "the dialog closed: {shown}"
    );
    let text = printout_text(&f, name);
    for expected in [
        "民情笔记本",
        "马慧",
        "2026年3月1日至2026年3月31日",
        "张桂兰",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
    // The print is on the timeline (chained), and the chain stays whole.
    assert_check_clean(&f.app);
}

#[test]
fn typed_dates_set_the_notebooks_period_and_a_bad_one_is_named() {
    let (mut f, _) = records_fixture("mahui");
    key(&mut f.app, KeyCode::F(9));
    type_str(&mut f.app, "p");
    type_str(&mut f.app, "2026-02-30");
    ctrl(&mut f.app, 's');
    let shown = screen(&mut f.app, 80, 24);
    assert!(shown.contains("起始日期「2026-02-30」应为"), "{shown}");
    key(&mut f.app, KeyCode::Esc);
    type_str(&mut f.app, "p");
    type_str(&mut f.app, "2026-02-01");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, "2026-03-04");
    ctrl(&mut f.app, 's');
    screen(&mut f.app, 80, 24);
    let text = printout_text(&f, "notebook-mahui-20260201-20260304.pdf");
    assert!(text.contains("张桂兰"), "{text}");
}

/// Whose notebook a center's account may print is `authorize_notebook`'s to say: a clerk
/// is offered only their own (and told why not when they type another cadre's), a 值班长 any
/// cadre's of the area.
#[test]
fn a_clerk_is_told_why_not_and_a_supervisor_prints_the_cadres_notebook() {
    let (mut f, _) = records_fixture("zhangli");
    key(&mut f.app, KeyCode::F(9));
    let first = {
        let who = f.app.session().unwrap().clone();
        let filter = minshi::store::VisitFilter {
            limit: Some(1),
            ..Default::default()
        };
        f.app.store().visits(&filter, &who).unwrap()[0].clone()
    };
    type_str(&mut f.app, "p");
    let asked = screen(&mut f.app, 120, 40);
    assert!(asked.contains("zhangli 张丽"), "{asked}");
    assert!(
        !asked.contains(&format!("{} {}", first.cadre, first.cadre_name)),
        "the selected visit's cadre is not offered to a clerk: {asked}"
    );
    type_str(&mut f.app, &first.cadre);
    ctrl(&mut f.app, 's');
    let refused = screen(&mut f.app, 120, 40);
    assert!(refused.contains("只能打印本人的民情笔记本"), "{refused}");
    assert!(refused.contains("未能打印，原因见下方状态栏"), "{refused}");
    let none = f._dir.path().join("printouts");
    assert!(
        !none.exists() || std::fs::read_dir(&none).unwrap().next().is_none(),
        "nothing written"
    );

    let (mut g, _) = records_fixture("wangfang");
    key(&mut g.app, KeyCode::F(9));
    type_str(&mut g.app, "p");
    let asked = screen(&mut g.app, 120, 40);
    assert!(
        asked.contains(&format!("{} {}", first.cadre, first.cadre_name)),
        "the selected visit's cadre first: {asked}"
    );
    ctrl(&mut g.app, 's');
    let shown = screen(&mut g.app, 120, 40);
    let name = format!("notebook-{}-20260301-20260331.pdf", first.cadre);
    assert!(
        shown.contains(&format!("已生成 printouts/{name}")),
        "{shown}"
    );
    assert!(printout_text(&g, &name).contains(&first.cadre_name));
    assert_check_clean(&g.app);
}

/// The 走访人 the print dialog offers on F9 follow `authorize_notebook`: a town's clerk sees
/// the town's visits but is offered only her own notebook; a cadre prints their own, without a
/// choice; the county's 值班长 is offered every cadre.
#[test]
fn the_notebook_dialog_offers_only_whose_the_account_may_print() {
    let (mut f, _) = records_fixture("zhaomin");
    key(&mut f.app, KeyCode::F(9));
    type_str(&mut f.app, "p");
    insta::assert_snapshot!(
        "notebook_print_town_clerk_80x24",
        screen(&mut f.app, 80, 24)
    );

    let (mut g, _) = records_fixture("mahui");
    key(&mut g.app, KeyCode::F(9));
    type_str(&mut g.app, "p");
    insta::assert_snapshot!("notebook_print_cadre_120x40", screen(&mut g.app, 120, 40));

    let (mut h, _) = records_fixture("wangfang");
    key(&mut h.app, KeyCode::F(9));
    type_str(&mut h.app, "p");
    // The list is longer than its window: type to filter, as a clerk does.
    for cadre in [
        "mahui 马慧",
        "yangfan 杨帆",
        "hejing 何静",
        "goujun 苟军",
        "qihaiyan 漆海燕",
    ] {
        let login = cadre.split(' ').next().unwrap();
        type_str(&mut h.app, login);
        let shown = screen(&mut h.app, 120, 40);
        assert!(shown.contains(cadre), "{cadre} offered: {shown}");
        for _ in login.chars() {
            key(&mut h.app, KeyCode::Backspace);
        }
    }
    type_str(&mut h.app, "zhangli");
    let shown = screen(&mut h.app, 120, 40);
    assert!(
        !shown.contains("zhangli 张丽"),
        "a clerk's is not offered: {shown}"
    );
}
