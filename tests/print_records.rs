//! The paper of 一本、一单、一会 printed through the real binary and read back: the 民意报告单
//! (filled, pending and blank, A5), the 民心沟通会's minutes with their sign-in sheet and its
//! notice for the village board (A4, no full name, ID or phone of anyone), and a cadre's
//! 民情笔记本 (their own only).

mod common;
mod print_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{PASSWORD, minshi, stderr, stdout};
use print_common::{all_text, embedded_fonts, page_sizes_mm, page_texts, placed_texts};

const DAY1: &str = "2026-03-02T09:00:00+08:00";
const DAY2: &str = "2026-03-03T10:00:00+08:00";
const DAY9: &str = "2026-03-10T15:00:00+08:00";
const DAY20: &str = "2026-03-21T09:00:00+08:00";

/// Everyone's personal data that goes into the register below: none of it may reach the
/// notice board.
const NAMES: [&str; 7] = ["张明", "张桂兰", "王有福", "马慧", "李强", "刘洋", "陈静"];
const PHONES: [&str; 2] = ["13912345678", "13912345679"];
const ID: &str = "11010519491231002X";

fn run(home: &Path, now: &str, as_login: Option<&str>, args: &[&str], input: &str) -> Output {
    let mut cmd = minshi(home, now);
    if let Some(login) = as_login {
        cmd.args(["--as", login]).env("MINSHI_PASSWORD", PASSWORD);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn add_cadre(home: &Path, login: &str, name: &str) {
    let out = minshi(home, DAY1)
        .args([
            "user",
            "add",
            login,
            "--name",
            name,
            "--role",
            "网格员",
            "--center",
            "首阳镇",
        ])
        .env("MINSHI_NEW_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    ok(out);
}

const VISIT: &str = r#"{
  "visited_on": "2026-03-01",
  "companions": ["李强"],
  "name": "张桂兰", "phone": "13912345678",
  "town": "首阳镇", "village": "南门村", "group": "3社", "address": "南门村3社12号",
  "kind": "入户走访",
  "situation": "老两口务农，儿子在外务工",
  "raised": "儿子在工地被拖欠工资；村道路灯不亮",
  "answered": "路灯问题已当场联系村委会",
  "follow_up": "跟进工资追讨进展",
  "reports": [
    {"name": "张明", "id_number": "11010519491231002X", "phone": "13912345679",
     "address": "南门村3社12号",
     "request": "在县城工地务工被拖欠工资12000元",
     "facts": "2025年在某工地务工6个月，工头拖欠工资", "opinion": "建议立案，转司法所调解"},
    {"request": "村道路灯不亮，夜间出行不便", "opinion": "建议当场答复"}
  ]
}"#;

/// The loop of `tests/records.rs` up to a meeting with a case fed back (the outcome told in
/// words that name the party, their ID, phone and house), its party revisited, and an opinion
/// become a third report. Returns the case key.
fn register(home: &Path) -> String {
    add_cadre(home, "mahui", "马慧");
    add_cadre(home, "lisi", "李四");
    ok(run(
        home,
        DAY1,
        Some("mahui"),
        &["visit", "add", "--json", "-"],
        VISIT,
    ));
    let case = ok(run(
        home,
        DAY2,
        None,
        &["report", "triage", "2026-1", "立案", "--json", "-"],
        r#"{"category": "劳动争议", "route": "限时办理", "unit": "首阳镇司法所"}"#,
    ));
    let case: serde_json::Value = serde_json::from_str(&case).unwrap();
    let case_key = case["key"].as_str().unwrap().to_string();
    ok(run(
        home,
        DAY2,
        None,
        &[
            "report",
            "triage",
            "2026-2",
            "答复",
            "--answer",
            "已协调村委会更换路灯，三日内修复",
        ],
        "",
    ));
    for args in [
        vec!["act", &case_key, "签收"],
        vec![
            "act",
            &case_key,
            "办结",
            "--outcome",
            "调解成功",
            "--result",
            "工头当场支付拖欠工资12000元",
        ],
    ] {
        ok(run(home, DAY9, None, &args, ""));
    }
    ok(run(
        home,
        DAY20,
        None,
        &["meeting", "add", "--json", "-"],
        r#"{"title": "首阳镇三月民心沟通会", "held_at": "2026-03-20T14:30:00+08:00",
            "place": "首阳镇南门村村委会会议室", "host": "中共首阳镇委员会", "chair": "刘洋",
            "recorder": "陈静", "units": ["首阳镇综治中心", "首阳镇司法所", "首阳派出所"],
            "attendance": 46, "representatives": ["张桂兰", "王有福"],
            "town": "首阳镇", "village": "南门村",
            "items": "通报本月受理和办结情况：本月共受理群众反映事项12件，已办结9件。",
            "plans": "下月走访南门村全部农户，重点排查土地和劳资纠纷。"}"#,
    ));
    ok(run(
        home,
        DAY20,
        None,
        &[
            "meeting",
            "feedback",
            "2026-1",
            &case_key,
            "--told",
            "张明（身份证11010519491231002X，电话13912345679，住南门村3社12号）被拖欠的工资12000元，经司法所调解，已由工头当场支付",
        ],
        "",
    ));
    ok(run(
        home,
        DAY20,
        None,
        &[
            "meeting",
            "revisit",
            "2026-1",
            &case_key,
            "--satisfaction",
            "满意",
            "--note",
            "工资已全部到手",
        ],
        "",
    ));
    ok(run(
        home,
        DAY20,
        None,
        &[
            "meeting",
            "opinion",
            "2026-1",
            "--speaker",
            "王有福",
            "--text",
            "王有福家门前排水沟堵塞，雨天积水，联系电话13912345678",
            "--report",
        ],
        "",
    ));
    case_key
}

/// Prints through the binary into `dir/name` and returns the PDF.
fn print(home: &Path, as_login: Option<&str>, args: &[&str], name: &str) -> Vec<u8> {
    let path: PathBuf = home.join("out").join(name);
    let mut all: Vec<&str> = vec!["print"];
    all.extend_from_slice(args);
    let p = path.to_str().unwrap();
    all.extend_from_slice(&["-o", p]);
    let out = ok(run(home, DAY20, as_login, &all, ""));
    assert!(out.contains("已生成"), "{out}");
    std::fs::read(&path).unwrap()
}

fn assert_a5(pdf: &[u8], pages: usize) {
    let sizes = page_sizes_mm(pdf);
    assert_eq!(sizes.len(), pages, "{sizes:?}");
    for (w, h) in sizes {
        assert!(
            (w - 148.0).abs() < 0.5 && (h - 210.0).abs() < 0.5,
            "{w}×{h}"
        );
    }
}

fn assert_a4(pdf: &[u8]) -> usize {
    let sizes = page_sizes_mm(pdf);
    for (w, h) in &sizes {
        assert!(
            (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
            "{w}×{h}"
        );
    }
    sizes.len()
}

/// The faces are embedded as subsets (a whole face would be megabytes).
fn assert_fonts_embedded(pdf: &[u8]) {
    let fonts = embedded_fonts(pdf);
    assert!(!fonts.is_empty());
    for f in fonts {
        assert!(
            f.program_bytes > 1000 && f.program_bytes < 2_000_000,
            "{}: {} bytes",
            f.name,
            f.program_bytes
        );
    }
}

/// The text with every space and line break taken out, so that a name broken over two lines
/// is still found.
fn squeezed(pdf: &[u8]) -> String {
    all_text(pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn contains_all(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "missing {e} in {text}");
    }
}

#[test]
fn report_forms_filled_pending_and_blank() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let case_key = register(home);

    // The 管理员 sees the form as the center keeps it: personal data in full.
    let pdf = print(home, None, &["report", "2026-1"], "report1.pdf");
    assert_a5(&pdf, 1);
    assert_fonts_embedded(&pdf);
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &[
            "民意报告单",
            "陇民报〔2026〕1号",
            "入户走访",
            "马慧",
            "张明",
            ID,
            "13912345679",
            "首阳镇",
            "南门村",
            "在县城工地务工被拖欠工资12000元",
            "建议立案，转司法所调解",
            "首阳镇综治中心",
            "研判情况",
            "立案",
            "陇综民〔2026〕1号",
            "报告人签字",
            "研判人签字",
            "2026年3月3日",
        ],
    );
    assert!(case_key.starts_with("2026-"));

    // The cadre who wrote it prints it with the ID and phones masked.
    let pdf = print(
        home,
        Some("mahui"),
        &["report", "2026-1"],
        "report1-cadre.pdf",
    );
    let text = squeezed(&pdf);
    contains_all(&text, &["张明", "110105********002X", "139****5679"]);
    assert!(
        !text.contains(ID) && !text.contains("13912345679"),
        "{text}"
    );

    // An answered form carries the answer.
    let text = squeezed(&print(home, None, &["report", "2026-2"], "report2.pdf"));
    contains_all(
        &text,
        &["当场答复", "已协调村委会更换路灯，三日内修复", "未具名"],
    );

    // A form still waiting leaves its triage to be written by hand.
    let pdf = print(home, None, &["report", "陇民报〔2026〕3号"], "report3.pdf");
    assert_a5(&pdf, 1);
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &["陇民报〔2026〕3号", "民心沟通会", "□立案", "□引导"],
    );

    // The blank form: no number, a box for it, every source to tick.
    let pdf = print(home, Some("mahui"), &["report", "--blank"], "blank.pdf");
    assert_a5(&pdf, 1);
    assert_fonts_embedded(&pdf);
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &[
            "民意报告单",
            "编号",
            "□入户走访",
            "□民心沟通会",
            "反映事项",
            "基本情况",
        ],
    );
    assert!(!text.contains("陇民报"), "{text}");
    assert!(!text.contains("〔2026〕"), "{text}");

    let out = run(home, DAY20, None, &["print", "report"], "");
    assert!(!out.status.success(), "a key or --blank is needed");
}

#[test]
fn minutes_and_the_notice_board() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    register(home);

    let pdf = print(home, None, &["minutes", "2026-1"], "minutes.pdf");
    let pages = assert_a4(&pdf);
    assert!(
        pages >= 3,
        "minutes and a sign-in sheet for 46: {pages} pages"
    );
    assert_fonts_embedded(&pdf);
    let texts = page_texts(&pdf);
    let first: String = texts[0].chars().filter(|c| !c.is_whitespace()).collect();
    contains_all(
        &first,
        &[
            "陇沟通〔2026〕1号",
            "首阳镇南门村民心沟通会会议记录",
            "首阳镇三月民心沟通会",
            "2026年3月20日14:30",
            "首阳镇南门村村委会会议室",
            "中共首阳镇委员会",
            "刘洋",
            "陈静",
            "46人",
            "首阳镇司法所",
            "张桂兰、王有福",
            "一、通报事项",
        ],
    );
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &[
            "二、反馈事项",
            "陇综民〔2026〕1号",
            "张某某",
            "劳动争议",
            "满意",
            "三、群众意见建议",
            "陇民报〔2026〕3号",
            "四、后续工作",
            "下月走访南门村全部农户",
            "主持人（签字）",
            "参会人员签到表",
        ],
    );
    // The sign-in sheet is on pages of its own, one numbered line for each of the 46.
    let sheet_starts = texts
        .iter()
        .position(|t| t.contains("参会人员签到表"))
        .unwrap();
    assert!(sheet_starts >= 1);
    let sheet: String = texts[sheet_starts..].concat();
    assert!(sheet.contains("签名") && sheet.contains("单位/村组"));
    let numbers: Vec<u32> = placed_texts(&pdf)[sheet_starts..]
        .iter()
        .flatten()
        .filter_map(|p| p.text.trim().parse().ok())
        .collect();
    let last = numbers.iter().copied().max().unwrap_or(0);
    assert!(
        (46..=minshi::print::MAX_SIGN_IN_ROWS as u32).contains(&last),
        "{last} lines"
    );
    for n in 1..=last {
        assert!(numbers.contains(&n), "line {n} of the sign-in sheet");
    }

    let pdf = print(home, None, &["notice", "2026-1"], "notice.pdf");
    assert!(assert_a4(&pdf) >= 1);
    assert_fonts_embedded(&pdf);
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &[
            "首阳镇南门村民心沟通会情况通报",
            "陇沟通〔2026〕1号",
            "2026年3月20日",
            "张某某",
            "劳动争议",
            "12000元",
            "已由工头当场支付",
            "满意",
            "排水沟堵塞",
            "下月走访南门村全部农户",
            "陇西县综治中心",
            "0932-6623110",
            "2026年3月21日",
        ],
    );
    // Nobody's full name, ID number, phone or house number is on the notice board.
    for name in NAMES {
        assert!(!text.contains(name), "the notice names {name}: {text}");
    }
    for phone in PHONES {
        assert!(!text.contains(phone), "the notice shows {phone}");
        assert!(
            !text.contains(&phone[7..]),
            "the notice shows the end of {phone}"
        );
    }
    assert!(!text.contains(ID) && !text.contains("110105"), "{text}");
    assert!(!text.contains("12号"), "a house number: {text}");
}

#[test]
fn a_cadre_prints_their_own_notebook_and_no_one_else_s() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    register(home);
    let period = ["--from", "2026-03-01", "--to", "2026-03-31"];
    let args = |cadre: &'static str| {
        let mut a = vec!["notebook", "--cadre", cadre];
        a.extend_from_slice(&period);
        a
    };

    let pdf = print(home, Some("mahui"), &args("mahui"), "notebook.pdf");
    assert_eq!(assert_a4(&pdf), 1);
    assert_fonts_embedded(&pdf);
    let text = squeezed(&pdf);
    contains_all(
        &text,
        &[
            "民情笔记本",
            "马慧",
            "首阳镇综治中心",
            "2026年3月1日至2026年3月31日",
            "走访1次",
            "上报事项2件",
            "第1次走访",
            "张桂兰",
            "139****5678",
            "首阳镇南门村3社12号",
            "入户走访",
            "同行人员",
            "李强",
            "老两口务农",
            "儿子在工地被拖欠工资",
            "路灯问题已当场联系村委会",
            "跟进工资追讨进展",
            "陇民报〔2026〕1号（立案）",
            "陇民报〔2026〕2号（当场答复）",
            "—1—",
        ],
    );
    assert!(!text.contains("13912345678"));

    // Another cadre may not print it; the 管理员 may, with the phone in full.
    let mut all = vec!["print"];
    all.extend(args("mahui"));
    let out = run(home, DAY20, Some("lisi"), &all, "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("只能打印本人的民情笔记本"),
        "{}",
        stderr(&out)
    );
    let text = squeezed(&print(home, None, &args("mahui"), "notebook-admin.pdf"));
    assert!(text.contains("13912345678"), "{text}");

    // A period without visits says so.
    let pdf = print(
        home,
        Some("lisi"),
        &[
            "notebook",
            "--cadre",
            "lisi",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
        ],
        "empty.pdf",
    );
    assert_eq!(assert_a4(&pdf), 1);
    assert!(squeezed(&pdf).contains("本期间没有走访记录"));

    let out = run(
        home,
        DAY20,
        None,
        &[
            "print",
            "notebook",
            "--cadre",
            "nobody",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
        ],
        "",
    );
    assert!(
        stderr(&out).contains("没有登录名为「nobody」的账号"),
        "{}",
        stderr(&out)
    );
}
