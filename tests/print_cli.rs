//! `minshi print …` as a clerk's script uses it: files under printouts/, numbering on the
//! timeline, warnings for missing evidence, a clear message when there is no printer.

mod common;

use common::{at, input, minshi, open, stderr, stdout};
use minshi::domain::{Action, Outcome};

const NOW: &str = "2026-03-02T09:00:00+08:00";

/// Close case 2026-1 (registered 当场办结) at the counter.
fn close_on_the_spot(home: &std::path::Path) {
    let mut store = open(home);
    let who = common::who(&mut store);
    store
        .act(
            "2026-000001".parse().unwrap(),
            &Action::Close {
                outcome: Outcome::Explained,
                result: "当场解答".into(),
                basis: String::new(),
            },
            &who,
            at(NOW),
        )
        .unwrap();
}

// The 办理书 prints below happen after the case was closed: since the issue "The counter
// workflow", an open case's 办理书 is an unnumbered draft (see the next test).
#[test]
fn slip_form_and_register_go_to_printouts_and_on_the_timeline() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        let mut i = input("王芳", "邻里", "排水纠纷");
        i.route = "当场办结".into();
        store.register(&i, &who, at(NOW)).unwrap();
    }
    let run = |args: &[&str]| minshi(home.path(), NOW).args(args).output().unwrap();
    let out = run(&["print", "slip", "2026-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let slip = home.path().join("printouts/slip-2026-000001.pdf");
    assert!(std::fs::read(&slip).unwrap().starts_with(b"%PDF"));
    close_on_the_spot(home.path());

    let out = run(&["print", "form", "2026-1", "--confirmed-by", "admin"]);
    assert!(
        stdout(&out).contains("陇综民书〔2026〕1号（首次打印）"),
        "{}",
        stdout(&out)
    );
    let out = run(&["print", "form", "2026-1", "--confirmed-by", "admin", "-o"]);
    assert!(!out.status.success(), "-o needs a file");
    let custom = home.path().join("out").join("办理书.pdf");
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1", "--confirmed-by", "admin", "-o"])
        .arg(&custom)
        .output()
        .unwrap();
    assert!(stdout(&out).contains("补打，第2次打印"), "{}", stdout(&out));
    assert!(custom.exists());

    let out = run(&[
        "print",
        "register",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        home.path()
            .join("printouts/register-20260301-20260331.pdf")
            .exists()
    );
    let out = run(&[
        "print",
        "register",
        "--from",
        "2026-03-31",
        "--to",
        "2026-03-01",
    ]);
    assert!(stderr(&out).contains("晚于截止日期"), "{}", stderr(&out));

    let timeline = open(home.path())
        .timeline("2026-000001".parse().unwrap())
        .unwrap();
    let prints: Vec<&str> = timeline
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("打印"))
        .collect();
    assert_eq!(prints, ["打印回执", "打印办理书", "打印办理书"]);
}

#[test]
fn an_open_case_prints_drafts_and_the_first_print_after_closing_takes_number_one() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        let mut i = input("王芳", "政策咨询", "咨询政策");
        i.route = "当场办结".into();
        store.register(&i, &who, at(NOW)).unwrap();
    }
    let run = |args: &[&str]| minshi(home.path(), NOW).args(args).output().unwrap();
    let draft = home.path().join("printouts/form-2026-000001-draft.pdf");
    for _ in 0..2 {
        let out = run(&["print", "form", "2026-1", "--confirmed-by", "admin"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("草稿"), "{}", stderr(&out));
        assert!(!stdout(&out).contains("首次打印"), "{}", stdout(&out));
        let text = pdf_text(&std::fs::read(&draft).unwrap());
        assert!(text.contains("草稿（未编号）"));
        assert!(!text.contains("陇综民书"), "a draft has no number");
    }
    let timeline = open(home.path())
        .timeline("2026-000001".parse().unwrap())
        .unwrap();
    assert!(
        timeline.iter().all(|e| e.action != "打印办理书"),
        "a draft is not recorded"
    );

    close_on_the_spot(home.path());
    let out = run(&["print", "form", "2026-1", "--confirmed-by", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("陇综民书〔2026〕1号（首次打印）"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("草稿"), "{}", stderr(&out));
    let text =
        pdf_text(&std::fs::read(home.path().join("printouts/form-2026-000001.pdf")).unwrap());
    assert!(text.contains("陇综民书〔2026〕1号"));
    assert!(!text.contains("补打") && !text.contains("草稿"));
}

#[test]
fn a_pdf_evidence_file_is_marked_attached_separately_and_the_clerk_told() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        let mut i = input("王芳", "政策咨询", "咨询政策");
        i.route = "当场办结".into();
        store.register(&i, &who, at(NOW)).unwrap();
    }
    close_on_the_spot(home.path());
    let scan = home.path().join("笔录.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n% a scanned record\n%%EOF\n").unwrap();
    let out = minshi(home.path(), NOW)
        .args(["evidence", "add", "2026-1"])
        .arg(&scan)
        .args(["--kind", "事项来源", "--title", "来访笔录"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = home.path().join("form.pdf");
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1", "--annex", "-o"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("证据1「来访笔录」是 PDF 文件") && stderr(&out).contains("附件另附"),
        "{}",
        stderr(&out)
    );
    assert!(pdf_text(&std::fs::read(&pdf).unwrap()).contains("来访笔录（附件另附）"));
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text extracts")
}

#[test]
fn a_closed_case_without_its_source_warns_and_unprintable_text_prints_nothing() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        let mut i = input("王芳", "政策咨询", "咨询政策");
        i.route = "当场办结".into();
        let c = store.register(&i, &who, at(NOW)).unwrap();
        // Text stored before intake refused private-use characters.
        let conn = rusqlite::Connection::open(home.path().join("minshi.db")).unwrap();
        conn.execute("UPDATE cases SET request = '咨询\u{E000}政策'", [])
            .unwrap();
        store
            .act(
                c.key,
                &Action::Close {
                    outcome: Outcome::Explained,
                    result: "当场解答".into(),
                    basis: String::new(),
                },
                &who,
                at(NOW),
            )
            .unwrap();
    }
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1", "--confirmed-by", "admin"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("无法打印"), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+E000"), "{}", stderr(&out));
    let store = open(home.path());
    let timeline = store.timeline("2026-000001".parse().unwrap()).unwrap();
    assert!(
        timeline.iter().all(|e| e.action != "打印办理书"),
        "no number was issued"
    );
    drop(store);
    let conn = rusqlite::Connection::open(home.path().join("minshi.db")).unwrap();
    let forms: i64 = conn
        .query_row("SELECT COUNT(*) FROM forms", [], |r| r.get(0))
        .unwrap();
    assert_eq!(forms, 0);
}

#[test]
fn missing_evidence_is_named_before_printing() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        let mut i = input("王芳", "政策咨询", "咨询政策");
        i.route = "当场办结".into();
        let c = store.register(&i, &who, at(NOW)).unwrap();
        store
            .act(
                c.key,
                &Action::Close {
                    outcome: Outcome::Explained,
                    result: "当场解答".into(),
                    basis: String::new(),
                },
                &who,
                at(NOW),
            )
            .unwrap();
    }
    // The final 办理书 without its 事项来源: refused, naming it, unless a 值班长 confirms.
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("缺少证据：事项来源") && stderr(&out).contains("值班长确认"),
        "{}",
        stderr(&out)
    );
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1", "--confirmed-by", "admin"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("缺少证据：事项来源，经王建国确认打印"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_jpeg_annex_goes_into_the_pdf_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        store
            .register(&input("王芳", "邻里", "排水纠纷"), &who, at(NOW))
            .unwrap();
    }
    let jpeg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/annex.jpg");
    let out = minshi(home.path(), NOW)
        .args(["evidence", "add", "2026-1"])
        .arg(&jpeg)
        .args(["--kind", "现场照片", "--title", "现场照片"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = home.path().join("annexed.pdf");
    let out = minshi(home.path(), NOW)
        .args(["print", "form", "2026-1", "--annex", "-o"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&pdf).unwrap();
    let image = std::fs::read(&jpeg).unwrap();
    assert!(
        bytes.windows(image.len()).any(|w| w == image.as_slice()),
        "JPEG not embedded unchanged"
    );
}

#[test]
fn without_a_printer_the_file_is_kept_and_the_clerk_told() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        store
            .register(&input("王芳", "邻里", "排水纠纷"), &who, at(NOW))
            .unwrap();
    }
    let out = minshi(home.path(), NOW)
        .env("PATH", home.path())
        .args(["print", "slip", "2026-1", "--lp"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("无法调用 lp"), "{}", stderr(&out));
    assert!(home.path().join("printouts/slip-2026-000001.pdf").exists());
}

#[test]
fn papers_printed_before_a_correction_are_marked_superseded_when_printed_again() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| minshi(home.path(), NOW).args(args).output().unwrap();
    let case = home.path().join("case.json");
    std::fs::write(
        &case,
        r#"{"name": "张桂兰11月28日下午", "phone": "13893212345", "town": "首阳镇",
            "village": "南门村", "channel": "来访", "category": "政策咨询",
            "route": "当场办结", "request": "咨询低保政策"}"#,
    )
    .unwrap();
    let out = run(&["register", "--json", case.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&[
        "act",
        "2026-1",
        "办结",
        "--outcome",
        "解释说明",
        "--result",
        "当场解答",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let slip = home.path().join("slip.pdf");
    let form = home.path().join("form.pdf");
    for (what, file) in [("slip", &slip), ("form", &form)] {
        let mut args = vec!["print", what, "2026-1", "-o", file.to_str().unwrap()];
        if what == "form" {
            args.extend(["--confirmed-by", "tester"]);
        }
        let out = run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = |f: &std::path::Path| {
        let doc = lopdf::Document::load_mem(&std::fs::read(f).unwrap()).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).unwrap()
    };
    assert!(!text(&slip).contains("作废") && !text(&form).contains("作废"));
    let out = run(&[
        "act",
        "2026-1",
        "更正",
        "--field",
        "姓名",
        "--value",
        "张桂兰",
        "--reason",
        "误把日期录入姓名",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let slip2 = home.path().join("slip2.pdf");
    let form2 = home.path().join("form2.pdf");
    for (what, file) in [("slip", &slip2), ("form", &form2)] {
        let mut args = vec!["print", what, "2026-1", "-o", file.to_str().unwrap()];
        if what == "form" {
            args.extend(["--confirmed-by", "tester"]);
        }
        let out = run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let slip_text = text(&slip2).replace(char::is_whitespace, "");
    assert!(slip_text.contains("更正后重印"), "{slip_text}");
    assert!(slip_text.contains("此前打印的回执作废"), "{slip_text}");
    let form_text = text(&form2).replace(char::is_whitespace, "");
    assert!(form_text.contains("更正后重印"), "{form_text}");
    assert!(form_text.contains("此前打印的本文书作废"), "{form_text}");
    assert!(
        !form_text.contains("11月28日下午"),
        "the corrected name: {form_text}"
    );
}

#[test]
fn register_with_the_answer_of_an_on_the_spot_matter_closes_it_and_the_slip_shows_the_answer() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| minshi(home.path(), NOW).args(args).output().unwrap();
    let case = home.path().join("case.json");
    std::fs::write(
        &case,
        r#"{"name": "张桂兰", "phone": "13893212345", "town": "首阳镇",
            "village": "南门村", "channel": "来访", "category": "政策咨询",
            "route": "当场办结", "request": "咨询低保政策，家中两位老人均无固定收入，儿子在外务工收入不稳定，想了解能否申请低保以及需要准备哪些材料",
            "group_size": 3, "representatives": ["张桂兰"],
            "outcome": "解释说明", "result": "讲解低保申请条件和所需材料",
            "basis": "《甘肃省最低生活保障办法》"}"#,
    )
    .unwrap();
    let out = run(&["register", "--json", case.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["show", "2026-1", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["status"], "已办结", "{shown}");
    assert_eq!(shown["resolution"]["outcome"], "解释说明", "{shown}");
    assert_eq!(shown["resolution"]["result"], "讲解低保申请条件和所需材料");
    assert_eq!(shown["resolution"]["basis"], "《甘肃省最低生活保障办法》");

    let slip = home.path().join("slip.pdf");
    let out = run(&["print", "slip", "2026-1", "-o", slip.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = lopdf::Document::load_mem(&std::fs::read(&slip).unwrap()).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert_eq!(pages.len(), 1, "the slip stays on one sheet");
    let text = doc
        .extract_text(&pages)
        .unwrap()
        .replace(char::is_whitespace, "");
    assert!(
        text.contains("答复内容讲解低保申请条件和所需材料"),
        "{text}"
    );
    assert!(
        text.contains("答复依据《甘肃省最低生活保障办法》"),
        "{text}"
    );
    assert!(
        !text.contains("待分流") && !text.contains("答复期限"),
        "{text}"
    );

    // An answer belongs to 当场办结 only; the field is named.
    std::fs::write(
        &case,
        r#"{"name": "李强", "town": "首阳镇", "channel": "来访", "category": "邻里",
            "route": "限时办理", "request": "排水纠纷", "result": "已调解"}"#,
    )
    .unwrap();
    let out = run(&["register", "--json", case.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("答复内容"), "{}", stderr(&out));
    assert!(stderr(&out).contains("当场办结"), "{}", stderr(&out));
}
