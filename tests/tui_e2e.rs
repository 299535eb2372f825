//! The real binary in a pseudo-terminal, driven as a clerk drives it: Chinese text arrives as an
//! input method commits it (whole UTF-8 strings), pastes come bracketed. The screen is read back
//! through a terminal emulator, and the register is checked through `Store`.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use minshi::domain::{CaseKey, Status};
use minshi::home::Home;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const TAB: &str = "\t";
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
const CTRL_P: &str = "\x10";

struct Term {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    /// Keys pressed since the count was last reset (see `keys_in`).
    keys: usize,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

/// A register with the demo accounts (受理员 zhangli among them), no cases.
fn register_with_accounts(home: &Path) {
    let mut store = Home::at(home).open_or_create().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T09:00:00+08:00").unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
}

/// How many keys a clerk presses to send `s`: one per ASCII character, one for a control key
/// or an escape sequence (F2, ↓), one for a paste, and one for each run of Chinese text (an input
/// method commits a word at once; the pinyin typed for it is not counted, which favours typing).
fn keys_in(s: &str) -> usize {
    if s.starts_with('\x1b') {
        return 1;
    }
    let mut keys = 0;
    let mut in_run = false;
    for c in s.chars() {
        if c.is_ascii() {
            keys += 1;
            in_run = false;
        } else if !in_run {
            keys += 1;
            in_run = true;
        }
    }
    keys
}

impl Term {
    /// The program on a register with accounts, logged in as the 受理员 张丽 at its login screen.
    fn start(home: &Path) -> Term {
        Term::start_as(home, "zhangli")
    }

    /// The program logged in as one of the demo accounts.
    fn start_as(home: &Path, login: &str) -> Term {
        if !home.join("minshi.home").exists() {
            register_with_accounts(home);
        }
        let mut t = Term::launch(home);
        t.wait_for("登录名");
        t.send(login);
        t.send(TAB);
        t.send(minshi::demo::DEMO_PASSWORD);
        t.send(ENTER);
        t.keys = 0;
        t
    }

    fn launch(home: &Path) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_minshi"));
        cmd.arg("--home");
        cmd.arg(home);
        cmd.env("MINSHI_NOW", "2026-03-05T10:00:00+08:00");
        cmd.env("TERM", "xterm-256color");
        // No `lp` to find: printing writes the PDF and says so, whatever this machine has.
        cmd.env("PATH", "/nonexistent-minshi-test-path");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(30).unwrap(),
            NonZeroU16::new(100).unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Term {
            screen,
            writer,
            keys: 0,
            child,
            _master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Wait until the screen shows `text`; fail with the screen after the timeout.
    fn wait_for(&self, text: &str) {
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "「{text}」 never appeared; the screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, s: &str) {
        self.keys += keys_in(s);
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // A terminal delivers keystrokes one read at a time; so do we.
        std::thread::sleep(Duration::from_millis(40));
    }

    fn paste(&mut self, s: &str) {
        self.send(&format!("\x1b[200~{s}\x1b[201~"));
    }

    fn wait_exit(&mut self) {
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("the program did not exit; the screen:\n{}", self.contents());
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// F2 and a walk-in's person and matter, up to the request (which the caller pastes).
fn fill_walk_in(t: &mut Term) {
    t.send(F2);
    t.wait_for("期限与以往登记");
    t.send("王芳");
    t.send(TAB);
    t.send("11010519491231002x");
    t.send(TAB);
    t.send("13812341234");
    // 性别 comes from the ID number: Tab passes it by.
    t.send(TAB);
    t.wait_for("出生日期 1949-12-31");
    t.send("首阳");
    t.send(ENTER);
    t.send("南门");
    t.send(ENTER);
    t.send("南街3号");
    t.send(TAB);
    // 来访 is preselected at the counter.
    t.send(TAB);
    t.send("劳动");
    t.send(ENTER);
}

#[test]
fn register_find_open_and_dispatch() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start(dir.path());
    t.wait_for("没有在办案件");
    fill_walk_in(&mut t);
    t.paste("讨要拖欠的工资\r老板已拖欠半年");
    for _ in 0..8 {
        t.send(TAB);
    }
    t.send("限时");
    t.send(ENTER);
    t.wait_for("办理期限：2026-03-20");
    t.send(CTRL_S);
    t.wait_for("已登记 陇综民〔2026〕1号");
    t.send(CTRL_S);
    t.wait_for("上一件已登记为 陇综民〔2026〕1号");
    // The slip of the case just saved, while the cleared form has the keyboard.
    t.send(CTRL_P);
    t.wait_for("受理回执：已生成 printouts/slip-2026-000001.pdf");
    t.wait_for("本机没有打印机（lp），请拷走打印");
    let slip = std::fs::read(dir.path().join("printouts/slip-2026-000001.pdf")).unwrap();
    assert!(slip.starts_with(b"%PDF"), "not a PDF");

    t.send(F3);
    t.wait_for("王某某");
    t.send(ENTER);
    t.wait_for("案件 陇综民〔2026〕1号");
    t.wait_for("讨要拖欠的工资");
    t.send("a");
    t.wait_for("办理操作");
    t.send(ENTER);
    t.wait_for("办理层级");
    t.send(ENTER);
    t.send("首阳镇司法所");
    t.send(ENTER);
    t.send("请司法所调解");
    t.send(CTRL_S);
    t.wait_for("已分流，当前状态「已分流」");
    t.send(F3);
    t.wait_for("已分流");
    t.send("q");
    t.wait_exit();

    let store = Home::at(dir.path()).open().unwrap();
    let case = store.case(CaseKey { year: 2026, seq: 1 }).unwrap();
    assert_eq!(case.person.name, "王芳");
    assert_eq!(
        case.person.id_number.unwrap().as_str(),
        "11010519491231002X"
    );
    assert_eq!(case.person.town, "首阳镇");
    assert_eq!(case.person.village, "南门村");
    assert_eq!(case.request, "讨要拖欠的工资\n老板已拖欠半年");
    assert_eq!(case.status, Status::Dispatched);
    assert_eq!(case.unit.as_deref(), Some("首阳镇司法所"));
    assert_eq!(case.clerk, "张丽");
    let seq2 = store.case(CaseKey { year: 2026, seq: 2 });
    assert!(seq2.is_err(), "the second Ctrl-S registered again");
}

#[test]
fn a_killed_session_offers_its_draft_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start(dir.path());
    t.wait_for("没有在办案件");
    t.send(F2);
    t.wait_for("期限与以往登记");
    t.send("欧阳娜娜");
    t.send(TAB);
    t.send(TAB);
    t.send(TAB);
    t.send(TAB);
    t.send("首阳");
    t.send(ENTER);
    // Wait for the draft on disk, then kill without warning.
    let draft = dir.path().join("drafts/register-zhangli.json");
    let until = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&draft).is_ok_and(|s| s.contains("首阳镇")) {
        assert!(Instant::now() < until, "no draft at {}", draft.display());
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = t.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    t.wait_exit();
    drop(t);

    let mut t = Term::start(dir.path());
    t.wait_for("发现未保存的登记草稿");
    t.wait_for("当事人：欧阳娜娜");
    t.send("y");
    t.wait_for("已恢复上次未保存的登记草稿");
    t.wait_for("欧阳娜娜");
    t.wait_for("首阳镇");
}

/// Type a name, send `signal`, and check the draft is on disk and the terminal given back.
fn signal_saves_the_draft_and_restores_the_terminal(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start(dir.path());
    t.wait_for("没有在办案件");
    t.send(F2);
    t.wait_for("期限与以往登记");
    t.send("王芳");
    t.wait_for("王芳");
    let pid = t.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    t.wait_exit();
    let draft = std::fs::read_to_string(dir.path().join("drafts/register-zhangli.json")).unwrap();
    assert!(draft.contains("王芳"), "{signal}: {draft}");
    // Out of the alternate screen and with the cursor shown again (once the last bytes are read).
    let until = Instant::now() + Duration::from_secs(5);
    while t.screen.lock().unwrap().screen().alternate_screen() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(30));
    }
    let screen = t.screen.lock().unwrap();
    assert!(!screen.screen().alternate_screen(), "{signal}");
    assert!(!screen.screen().hide_cursor(), "{signal}");
    assert!(!screen.screen().bracketed_paste(), "{signal}");
}

#[test]
fn sighup_saves_the_draft_and_restores_the_terminal() {
    signal_saves_the_draft_and_restores_the_terminal("HUP");
}

#[test]
fn sigterm_saves_the_draft_and_restores_the_terminal() {
    signal_saves_the_draft_and_restores_the_terminal("TERM");
}

#[test]
fn another_process_writing_does_not_freeze_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start(dir.path());
    t.wait_for("没有在办案件");
    fill_walk_in(&mut t);
    t.paste("讨要拖欠的工资");
    for _ in 0..8 {
        t.send(TAB);
    }
    t.send("限时");
    t.send(ENTER);
    t.wait_for("办理期限：2026-03-20");
    // Another program holds the write lock (a long import, say).
    let other = rusqlite::Connection::open(dir.path().join("minshi.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let asked = Instant::now();
    t.send(CTRL_S);
    t.wait_for("数据库正忙");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "the clerk is told at once, not after the 30 s a script waits"
    );
    // The screen still answers, and the form is all there.
    t.send("\x1bOP");
    t.wait_for("帮助：本屏的按键");
    t.send("\x1b");
    t.wait_for("讨要拖欠的工资");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    t.send(CTRL_S);
    t.wait_for("已登记 陇综民〔2026〕1号");
}

#[test]
fn a_clerk_is_offered_only_what_a_clerk_may_do() {
    let dir = tempfile::tempdir().unwrap();
    register_with_accounts(dir.path());
    {
        let mut store = Home::at(dir.path()).open().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T09:30:00+08:00").unwrap();
        let clerk = store
            .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
            .unwrap()
            .unwrap();
        let input = minshi::domain::NewCaseInput {
            name: "王芳".into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            channel: "来访".into(),
            category: "劳动争议".into(),
            route: "限时办理".into(),
            unit: "首阳镇司法所".into(),
            request: "讨要拖欠的工资".into(),
            ..Default::default()
        };
        store.register(&input, &clerk, now).unwrap();
    }
    let mut t = Term::start(dir.path());
    t.wait_for("王某某");
    t.send(ENTER);
    t.wait_for("案件 陇综民〔2026〕1号");
    t.send("a");
    t.wait_for("办理操作");
    t.wait_for("更正");
    let screen = t.contents();
    assert!(screen.contains("签收"), "{screen}");
    for only_a_supervisor in ["延期", "督办", "不予受理"] {
        assert!(!screen.contains(only_a_supervisor), "{screen}");
    }
}

const DOWN: &str = "\x1b[B";
const F5: &str = "\x1b[15~";
const F6: &str = "\x1b[17~";
const CTRL_L: &str = "\x0c";

/// A matter solved at the counter is registered closed in one step, with the answer on the
/// slip; its 回访 then takes the way chosen with ↓ Enter over the preset 电话.
#[test]
fn on_the_spot_closes_at_registration_and_pickers_take_what_is_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start(dir.path());
    t.wait_for("没有在办案件");
    fill_walk_in(&mut t);
    t.paste("咨询拖欠工资如何维权");
    for _ in 0..8 {
        t.send(TAB);
    }
    t.send("当场");
    t.send(ENTER);
    // The answer's fields appear under 办理方式; the unit's do not.
    t.wait_for("结果类型");
    t.send("解释");
    t.send(ENTER);
    t.paste("告知可向劳动保障监察大队投诉，并讲解申请劳动仲裁的程序");
    t.send(TAB);
    t.send("《劳动保障监察条例》第九条");
    t.send(CTRL_S);
    t.wait_for("已登记并当场办结 陇综民〔2026〕1号");
    t.send(CTRL_P);
    t.wait_for("受理回执：已生成 printouts/slip-2026-000001.pdf");

    // 回访: 回访方式 holds 电话; ↓ Enter takes 上门.
    t.send(F3);
    t.send("/");
    t.send("王芳");
    t.send(ENTER);
    t.wait_for("王某某");
    t.send(ENTER);
    t.wait_for("案件 陇综民〔2026〕1号");
    t.send("a");
    t.wait_for("办理操作");
    t.send("回访");
    t.send(ENTER);
    t.wait_for("回访方式");
    t.send(TAB);
    t.send(DOWN);
    t.send(ENTER);
    // 满意度: typing filters, Enter takes the option typed in full.
    t.send("基本满意");
    t.send(ENTER);
    t.send("当事人表示清楚了");
    t.send(CTRL_S);
    t.wait_for("已回访");

    // The final 办理书 without its 事项来源: the clerk calls the 值班长 over.
    t.send("f");
    t.wait_for("须值班长确认");
    t.wait_for("缺少证据：事项来源");
    t.send("zhangli");
    t.send(ENTER);
    t.send(minshi::demo::DEMO_PASSWORD);
    t.send(ENTER);
    t.wait_for("张丽是受理员，不能确认");
    t.send("wangfang");
    t.send(TAB);
    t.send(minshi::demo::DEMO_PASSWORD);
    t.send(ENTER);
    t.wait_for("（首次打印）");
    t.wait_for("经王芳确认打印");
    t.send("q");
    t.wait_for("退出民事直通车？");
    t.send("y");
    t.wait_exit();

    let store = Home::at(dir.path()).open().unwrap();
    let case = store.case(CaseKey { year: 2026, seq: 1 }).unwrap();
    // Closed at registration, then followed up.
    assert_eq!(case.status, Status::FollowedUp);
    let r = case.resolution.as_ref().unwrap();
    assert_eq!(r.outcome, minshi::domain::Outcome::Explained);
    assert!(r.result.starts_with("告知可向劳动保障监察大队投诉"));
    assert_eq!(r.basis, "《劳动保障监察条例》第九条");
    assert!(case.unit.is_none());
    let f = case.follow_up.as_ref().unwrap();
    assert_eq!(f.way, "上门");
    let confirmed = store
        .timeline(CaseKey { year: 2026, seq: 1 })
        .unwrap()
        .iter()
        .any(|e| e.details.contains("缺少证据事项来源，经王芳确认"));
    assert!(confirmed, "the confirmation is on the timeline");
    assert_eq!(
        f.satisfaction,
        minshi::domain::Satisfaction::FairlySatisfied
    );

    let slip = std::fs::read(dir.path().join("printouts/slip-2026-000001.pdf")).unwrap();
    let text = pdf_text(&slip);
    assert!(text.contains("答复内容"), "{text}");
    assert!(text.contains("告知可向劳动保障监察大队投诉"), "{text}");
    assert!(text.contains("解释说明"), "{text}");
    assert!(!text.contains("待分流"), "{text}");
}

/// The text of every page of a PDF, through its fonts' ToUnicode maps, without white space.
fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .expect("text extracts")
        .split_whitespace()
        .collect()
}

/// An earlier visit fills the person in with one key and opens from the form; Ctrl-L asks;
/// Tab past the last field stays there, so typing never lands in 姓名.
#[test]
fn a_repeat_visitor_is_prefilled_and_the_form_never_wraps_into_the_name() {
    let dir = tempfile::tempdir().unwrap();
    register_with_accounts(dir.path());
    {
        let mut store = Home::at(dir.path()).open().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-04T09:00:00+08:00").unwrap();
        let clerk = store
            .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
            .unwrap()
            .unwrap();
        let input = minshi::domain::NewCaseInput {
            name: "王芳".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812341234".into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            address: "南街3号".into(),
            channel: "来访".into(),
            category: "劳动争议".into(),
            route: "限时办理".into(),
            request: "讨要拖欠工资".into(),
            ..Default::default()
        };
        store.register(&input, &clerk, now).unwrap();
    }
    let mut t = Term::start(dir.path());
    t.wait_for("在办");
    t.send(F2);
    t.wait_for("期限与以往登记");
    t.send(TAB);
    t.send("11010519491231002x");
    t.send(TAB);
    t.wait_for("以往登记：1件");
    t.send(F5);
    t.wait_for("已从 陇综民〔2026〕1号 套用：姓名、联系电话、乡镇、村（社区）、详细地址");
    t.send(F6);
    t.wait_for("打开以往登记的案件");
    t.send(ENTER);
    t.wait_for("案件 陇综民〔2026〕1号");
    t.send("\x1b");
    t.wait_for("已回到登记表（表单内容保留）");

    t.send(CTRL_L);
    t.wait_for("清空登记表？");
    t.send("n");
    t.wait_for("未清空表单");
    for _ in 0..40 {
        t.send(TAB);
    }
    t.wait_for("已是最后一项（受理时间）");
    t.send("X");
    let draft = dir.path().join("drafts/register-zhangli.json");
    let until = Instant::now() + Duration::from_secs(10);
    let saved = loop {
        let text = std::fs::read_to_string(&draft).unwrap_or_default();
        if text.contains("南街3号") {
            break text;
        }
        assert!(Instant::now() < until, "no draft: {text}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let input: minshi::domain::NewCaseInput = serde_json::from_str(&saved).unwrap();
    assert_eq!(input.name, "王芳", "a Tab too many typed into the name");
    assert_eq!(input.id_number, "11010519491231002X");
    assert_eq!(input.phone, "13812341234");
    assert_eq!(input.channel, "来访");

    t.send(CTRL_L);
    t.wait_for("清空登记表？");
    t.send("y");
    t.wait_for("表单已清空");
}

const F7: &str = "\x1b[18~";
const PGDN: &str = "\x1b[6~";

/// The binary's JSON for a case, as a script reads it.
fn show_json(home: &Path, key: &str) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_minshi"))
        .args(["--home"])
        .arg(home)
        .args(["--as", "zhangli", "show", key, "--json"])
        .env("MINSHI_NOW", "2026-03-05T10:30:00+08:00")
        .env("MINSHI_PASSWORD", minshi::demo::DEMO_PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// 立案 of a phone report: F7, r on it, the registration form already holds the person and the
/// matter; the clerk chooses category and route and saves. The case is linked to its report,
/// and it took far fewer keys than typing the same case at F2.
#[test]
fn a_report_is_registered_as_a_case_in_a_few_keys() {
    let dir = tempfile::tempdir().unwrap();
    register_with_accounts(dir.path());
    {
        let mut store = Home::at(dir.path()).open().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-04T16:00:00+08:00").unwrap();
        let clerk = store
            .login("liming", minshi::demo::DEMO_PASSWORD, now)
            .unwrap()
            .unwrap();
        let report = minshi::domain::records::ReportInput {
            source: "电话".into(),
            name: "王芳".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812341234".into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            address: "南街3号".into(),
            request: "讨要拖欠的工资".into(),
            ..Default::default()
        };
        store.add_report(&report, &clerk, now).unwrap();
    }
    let mut t = Term::start(dir.path());
    t.wait_for("待研判1（超期0）");
    t.send(F7);
    t.wait_for("待研判 1 张");
    t.send("r");
    t.wait_for("立案 · 民意报告单陇民报〔2026〕1号");
    t.wait_for("11010519491231002X");
    t.send("劳动");
    t.send(ENTER);
    // 诉求内容 is there already: PgDn jumps to the next required field, 办理方式.
    t.send(PGDN);
    t.send("限时");
    t.send(ENTER);
    t.wait_for("办理期限：2026-03-19");
    t.send(CTRL_S);
    t.wait_for("已立案 陇综民〔2026〕1号（王芳，由民意报告单陇民报〔2026〕1号）");
    t.wait_for("没有待研判的报告单");
    let triage_keys = t.keys;

    // The same case typed afresh at the counter.
    t.keys = 0;
    fill_walk_in(&mut t);
    t.paste("讨要拖欠的工资");
    for _ in 0..8 {
        t.send(TAB);
    }
    t.send("限时");
    t.send(ENTER);
    t.send(CTRL_S);
    t.wait_for("已登记 陇综民〔2026〕2号");
    let typed_keys = t.keys;
    eprintln!("立案 from the report: {triage_keys} keys; typed afresh: {typed_keys} keys");
    assert!(
        triage_keys * 3 < typed_keys,
        "立案 took {triage_keys} keys, typing the case {typed_keys}"
    );

    let store = Home::at(dir.path()).open().unwrap();
    let (a, b) = (
        store.case(CaseKey { year: 2026, seq: 1 }).unwrap(),
        store.case(CaseKey { year: 2026, seq: 2 }).unwrap(),
    );
    // The same person and matter either way; only the channel tells how it came.
    assert_eq!(a.person, b.person);
    assert_eq!(
        (&a.category, &a.request, a.route),
        (&b.category, &b.request, b.route)
    );
    assert_eq!(a.channel, "电话");
    assert_eq!(b.channel, "来访");
    let shown = show_json(dir.path(), "2026-000001");
    assert_eq!(shown["report"], "2026-000001");
    let walk_in = show_json(dir.path(), "2026-000002");
    assert!(walk_in["report"].is_null(), "{walk_in}");
}

/// A cadre logs in to the notebook, records a visit with one matter to go up, and the matter
/// waits in the center's queue as a report form.
#[test]
fn a_cadre_records_a_visit_and_its_matter_waits_for_triage() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Term::start_as(dir.path(), "mahui");
    t.wait_for("我的走访记录：0 次");
    t.send("n");
    t.wait_for("记录走访（民情笔记本）");
    // 走访日期 (today), 走访类型 (入户走访, preset).
    t.send(TAB);
    t.send(TAB);
    t.send("张桂兰");
    t.send(TAB);
    t.send("13912345678");
    // 乡镇 is the cadre's town already.
    t.send(TAB);
    t.send(TAB);
    t.send("南门");
    t.send(ENTER);
    t.send("3社");
    // 详细地址, 同行人员, 家庭基本情况.
    for _ in 0..3 {
        t.send(TAB);
    }
    t.paste("儿子在外务工，老两口务农");
    t.send(TAB);
    t.paste("儿子在工地被拖欠工资");
    // 当场答复, 后续工作, then the first matter.
    for _ in 0..3 {
        t.send(TAB);
    }
    t.wait_for("事项1");
    t.send("在县城工地务工被拖欠工资12000元");
    t.send(TAB);
    t.send("张明");
    t.wait_for("张明");
    t.send(CTRL_S);
    t.wait_for("已记录走访：张桂兰；上报民意报告单1张（陇民报〔2026〕1号），待研判");
    t.wait_for("我的走访记录：1 次");
    t.send("\x1bOP");
    t.wait_for("民情笔记本");
    t.send("q");
    t.send("q");
    t.wait_exit();

    let mut store = Home::at(dir.path()).open().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T11:00:00+08:00").unwrap();
    let clerk = store
        .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    let queue = store
        .reports(
            &minshi::store::ReportFilter {
                pending: true,
                limit: Some(10),
                offset: 0,
            },
            &clerk,
        )
        .unwrap();
    assert_eq!(queue.len(), 1);
    let r = &queue[0];
    assert_eq!(r.request, "在县城工地务工被拖欠工资12000元");
    assert_eq!(r.name, "张明");
    assert_eq!(r.source, "入户走访");
    assert_eq!((r.town.as_str(), r.village.as_str()), ("首阳镇", "南门村"));
    assert_eq!(r.reporter, "马慧");
    assert!(r.visit.is_some());
}

const F4: &str = "\x1bOS";
const ESC: &str = "\x1b";

/// A 值班长 opens the statistics, breaks them down by town, moves to a row and presses Enter:
/// the board lists that town's cases of the period, and only those.
#[test]
fn a_supervisor_drills_from_a_town_into_its_cases() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().unwrap();
    register_with_accounts(dir.path());
    {
        let mut store = Home::at(dir.path()).open().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T09:00:00+08:00").unwrap();
        minshi::demo::generate(&mut store, 300, 11, now, &mut |_| {}).unwrap();
    }
    let mut t = Term::start_as(dir.path(), "wangfang");
    t.wait_for("F4 统计");
    t.send(F4);
    t.wait_for("统计期间：本月");
    // 本月 → 上月 → 本季度 → 本年.
    t.send("ppp");
    t.wait_for("统计期间：本年");
    t.send("b");
    t.wait_for("按村分组");
    t.send("B");
    t.wait_for("按乡镇分组");
    t.send(DOWN);
    t.wait_for("第2/");
    let stats = t.contents();
    let row: Vec<String> = stats
        .lines()
        .skip_while(|l| !l.starts_with(" 乡镇"))
        .nth(2)
        .unwrap_or_else(|| panic!("no second row: {stats}"))
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let (town, received) = (row[0].clone(), row[1].parse::<usize>().unwrap());
    assert!(received > 0, "{stats}");
    t.send(ENTER);
    t.wait_for(&format!("筛选（Esc 回统计 x 清除）：乡镇：{town}"));
    t.wait_for(&format!("期间内受理{received}件"));
    let board = t.contents();
    let keys: Vec<CaseKey> = board
        .lines()
        .skip_while(|l| !l.contains("编号"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().find_map(|w| w.parse::<CaseKey>().ok()))
        .collect();
    assert_eq!(keys.len(), received, "{board}");
    // Each listed case is of that town and received this year, read back from the register.
    let store = Home::at(dir.path()).open_read().unwrap();
    for key in &keys {
        let case = store.case(*key).unwrap();
        assert_eq!(case.person.town, town, "{key}: {board}");
        assert_eq!(case.received_at.date_naive().year(), 2026, "{key}");
    }
    // And none of the town's cases of the year is missing.
    let all = minshi::store::ListFilter {
        listing: minshi::store::Listing::All,
        board: minshi::store::BoardFilter {
            town: Some(town.clone()),
            ..Default::default()
        },
        received_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
        received_to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    assert_eq!(store.list_count(&all, today).unwrap() as usize, received);
    // Esc: back to the statistics, on the same row.
    t.send(ESC);
    t.wait_for("统计期间：本年");
    t.wait_for("第2/");
}

/// A cadre searches from the notebook with `/` for two characters, finds their visit (not
/// another cadre's) after the cases, opens it with Enter on F9, and Esc comes back to the list.
#[test]
fn a_cadre_finds_a_visit_by_search_and_opens_it_in_the_notebook() {
    use minshi::domain::records::VisitInput;
    let dir = tempfile::tempdir().unwrap();
    register_with_accounts(dir.path());
    {
        let mut store = Home::at(dir.path()).open().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-04T16:00:00+08:00").unwrap();
        for (login, name, village) in [
            ("mahui", "张桂兰", "南门村"),
            ("yangfan", "李秀兰", "首阳村"),
        ] {
            let cadre = store
                .login(login, minshi::demo::DEMO_PASSWORD, now)
                .unwrap()
                .unwrap();
            store
                .add_visit(
                    &VisitInput {
                        name: name.into(),
                        town: "首阳镇".into(),
                        village: village.into(),
                        kind: "入户走访".into(),
                        raised: "村道路灯不亮".into(),
                        ..VisitInput::default()
                    },
                    &cadre,
                    now,
                )
                .unwrap();
        }
    }
    let mut t = Term::start_as(dir.path(), "mahui");
    t.wait_for("我的走访记录：1 次");
    t.send("/");
    t.wait_for("搜索：");
    t.send("路灯");
    t.send(ENTER);
    t.wait_for("走访、报告单、沟通会1条");
    t.wait_for("走访   第1号");
    t.wait_for("张某某");
    assert!(!t.contents().contains("李某某"), "{}", t.contents());
    // No case matches: the visit is the first row one can select.
    t.send(ENTER);
    t.wait_for("走访记录 第1号 · 2026-03-04 张桂兰");
    t.send(ESC);
    t.wait_for("搜索「路灯」：案件0件");
    t.send(ESC);
    t.send("q");
    t.wait_exit();
}

const F8: &str = "\x1b[19~";

/// Two reports of 首阳镇 waiting in the queue (a wage arrears, a street lamp) and a meeting of
/// 首阳镇 held the day before, entered by the clerk 李明.
fn reports_and_a_meeting(home: &Path) {
    use minshi::domain::records::{MeetingInput, ReportInput};
    register_with_accounts(home);
    let mut store = Home::at(home).open().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-04T16:00:00+08:00").unwrap();
    let clerk = store
        .login("liming", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    for (name, request) in [
        ("王芳", "讨要拖欠的工资"),
        ("李秀兰", "村道路灯不亮，夜间出行不便"),
    ] {
        let report = ReportInput {
            source: "电话".into(),
            name: name.into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            request: request.into(),
            ..Default::default()
        };
        store.add_report(&report, &clerk, now).unwrap();
    }
    let meeting = MeetingInput {
        title: "首阳镇三月民心沟通会".into(),
        held_at: Some(now),
        place: "首阳镇政府三楼会议室".into(),
        host: "中共首阳镇委员会".into(),
        chair: "刘洋".into(),
        recorder: "陈静".into(),
        attendance: 46,
        town: "首阳镇".into(),
        ..MeetingInput::default()
    };
    store.add_meeting(&meeting, &clerk, now).unwrap();
}

/// Send `signal` to the program and wait for it to end.
fn signal(t: &mut Term, signal: &str) {
    let pid = t.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    t.wait_exit();
}

/// The names of the files in the home's drafts folder.
fn drafts_in(home: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(home.join("drafts"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The SSH session closes (SIGHUP) while a clerk types an answer to one report, with the 立案
/// of another stepped away from: on the next start both are announced at login, come back when
/// the clerk presses the same key on the same report, and go once each is done.
#[test]
fn sighup_mid_triage_keeps_the_answer_and_the_registration_for_their_reports() {
    use minshi::domain::records::{RecordKey, ReportStatus};
    let dir = tempfile::tempdir().unwrap();
    reports_and_a_meeting(dir.path());
    let mut t = Term::start(dir.path());
    t.send(F7);
    t.wait_for("待研判 2 张");
    t.send("r");
    t.wait_for("立案 · 民意报告单陇民报〔2026〕1号");
    t.send("劳动");
    t.send(ENTER);
    // 诉求内容, 事实与理由, 理由, then 事发地点.
    for _ in 0..3 {
        t.send(TAB);
    }
    t.send("县城建筑工地");
    t.wait_for("县城建筑工地");
    t.send(ESC);
    t.wait_for("立案表单保留");
    t.send(DOWN);
    t.send("d");
    t.wait_for("当场答复 · 陇民报〔2026〕2号");
    t.send("已协调村委会");
    t.send("修复路灯");
    t.wait_for("已协调村委会修复路灯");
    signal(&mut t, "HUP");
    drop(t);
    assert_eq!(
        drafts_in(dir.path()),
        ["answered-2026-000002-zhangli.json", "triage-zhangli.json"]
    );

    let mut t = Term::start(dir.path());
    t.wait_for("未完成的草稿：陇民报〔2026〕1号的立案");
    t.wait_for("答复（F7 选中后按 d）");
    t.send(F7);
    t.wait_for("待研判 2 张");
    t.send(DOWN);
    t.send("d");
    t.wait_for("已恢复 陇民报〔2026〕2号 的当场答复草稿");
    t.wait_for("已协调村委会修复路灯");
    t.send(CTRL_S);
    t.wait_for("陇民报〔2026〕2号：已当场答复");
    t.wait_for("待研判 1 张");
    t.send("r");
    t.wait_for("已恢复 陇民报〔2026〕1号 的立案草稿");
    t.wait_for("县城建筑工地");
    t.wait_for("劳动争议");
    // From 事项类别 past 诉求内容 (filled from the report) to 办理方式.
    t.send(PGDN);
    t.send(PGDN);
    t.send("限时");
    t.send(ENTER);
    t.send(CTRL_S);
    t.wait_for("已立案 陇综民〔2026〕1号");
    t.send("q");
    t.wait_exit();
    assert_eq!(drafts_in(dir.path()), Vec::<String>::new(), "done, gone");

    let mut store = Home::at(dir.path()).open().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T11:00:00+08:00").unwrap();
    let clerk = store
        .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    let case = store.case(CaseKey { year: 2026, seq: 1 }).unwrap();
    assert_eq!(
        (case.category.as_str(), case.place.as_str()),
        ("劳动争议", "县城建筑工地")
    );
    let lamp = store
        .report(RecordKey { year: 2026, seq: 2 }, &clerk)
        .unwrap();
    assert_eq!(lamp.status, ReportStatus::Answered);
    assert_eq!(lamp.triage.unwrap().text, "已协调村委会修复路灯");
}

/// The terminal closes while an opinion raised at a meeting is typed: the next start names it,
/// and o on the same meeting brings back the speaker and the words.
#[test]
fn sighup_mid_opinion_keeps_it_for_the_same_meeting() {
    use minshi::domain::records::RecordKey;
    let dir = tempfile::tempdir().unwrap();
    reports_and_a_meeting(dir.path());
    let mut t = Term::start(dir.path());
    t.send(F8);
    t.wait_for("民心沟通会 1 次");
    t.send(ENTER);
    t.wait_for("民心沟通会 陇沟通〔2026〕1号");
    t.send("o");
    t.wait_for("意见建议 · 陇沟通〔2026〕1号");
    t.send("王有福");
    t.send(TAB);
    t.send("村东排水沟堵塞，");
    t.send("雨天漫进院子");
    t.wait_for("雨天漫进院子");
    signal(&mut t, "HUP");
    drop(t);
    assert_eq!(drafts_in(dir.path()), ["opinion-2026-000001-zhangli.json"]);

    let mut t = Term::start(dir.path());
    t.wait_for("未完成的草稿：陇沟通〔2026〕1号的意见（F8 打开后按 o）");
    t.send(F8);
    t.wait_for("民心沟通会 1 次");
    t.send(ENTER);
    t.send("o");
    t.wait_for("已恢复 陇沟通〔2026〕1号 的意见草稿");
    t.wait_for("王有福");
    t.wait_for("村东排水沟堵塞，雨天漫进院子");
    t.send(TAB);
    t.send(TAB);
    t.send(" ");
    t.send(CTRL_S);
    t.wait_for("已记录意见，已转为民意报告单 陇民报〔2026〕3号");
    t.send(ESC);
    t.send("q");
    t.wait_exit();
    assert_eq!(drafts_in(dir.path()), Vec::<String>::new(), "done, gone");

    let mut store = Home::at(dir.path()).open().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T11:00:00+08:00").unwrap();
    let clerk = store
        .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();
    let meeting = store
        .meeting(RecordKey { year: 2026, seq: 1 }, &clerk)
        .unwrap();
    let opinion = &meeting.opinions[0];
    assert_eq!(
        (opinion.speaker.as_str(), opinion.text.as_str()),
        ("王有福", "村东排水沟堵塞，雨天漫进院子")
    );
    assert_eq!(opinion.report_no.as_deref(), Some("陇民报〔2026〕3号"));
}
