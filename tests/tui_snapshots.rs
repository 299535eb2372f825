//! What the screens look like, at the minimum size (80×24) and a comfortable one (120×40), on a
//! fixed clock and fixed demo data. Review a changed snapshot like code.

use chrono::DateTime;
use minshi::domain::NewCaseInput;
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
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path());
    let mut store = home.open_or_create().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, cases, 7, now, &mut |_| {}).unwrap();
    let mut app = App::new(store, &home, Clock::Fixed(now));
    log_in(&mut app, "zhangli");
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
    type_str(&mut f.app, "t");
    type_str(&mut f.app, "首阳");
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "o");
    insta::assert_snapshot!(screen(&mut f.app, 120, 40));
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
    let mut f = fixture(50);
    let home = f._dir.path().to_path_buf();
    key(&mut f.app, KeyCode::Enter);
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
    let case_key: minshi::domain::CaseKey = draft
        .split_once("（20")
        .and_then(|(_, rest)| rest.split_once('）'))
        .map(|(k, _)| format!("20{k}"))
        .and_then(|k| k.parse().ok())
        .expect("the case key on the screen");
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
    key(&mut f.app, KeyCode::F(1));
    let help = screen(&mut f.app, 120, 40);
    assert!(help.contains("【现在不能做的操作】"), "{help}");
    assert!(
        help.contains("已超过办理期限（2025-11-26），延期须在期限届满前申请"),
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
    // From the password to the login name, which holds zhangli: replace it with liming.
    key(&mut f.app, KeyCode::Tab);
    for _ in 0.."zhangli".len() {
        key(&mut f.app, KeyCode::Backspace);
    }
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
    let mut f = fixture(50);
    key(&mut f.app, KeyCode::Enter);
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
    for _ in 0.."zhangli".len() {
        key(&mut f.app, KeyCode::Backspace);
    }
    type_str(&mut f.app, "wangfang");
    key(&mut f.app, KeyCode::Tab);
    type_str(&mut f.app, minshi::demo::DEMO_PASSWORD);
    key(&mut f.app, KeyCode::Enter);
    key(&mut f.app, KeyCode::Enter);
    type_str(&mut f.app, "a");
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
    let mut f = fixture(20);
    key(&mut f.app, KeyCode::Enter);
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
