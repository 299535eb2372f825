//! Evidence files and the 办理书 number series on a real home folder.

mod common;

use common::{at, input, minshi, open, stderr, stdout};

const NOW: &str = "2026-03-02T09:00:00+08:00";

#[test]
fn evidence_is_copied_once_listed_and_verified() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        store
            .register(&input("王芳", "邻里", "排水"), &who, at(NOW))
            .unwrap();
    }
    let file = home.path().join("来访登记表.jpg");
    std::fs::write(&file, b"\xff\xd8\xff\xe0 scanned form bytes").unwrap();
    let add = |kind: &str, title: &str| {
        minshi(home.path(), NOW)
            .args(["evidence", "add", "2026-000001"])
            .arg(&file)
            .args(["--kind", kind, "--title", title, "--pages", "2"])
            .output()
            .unwrap()
    };
    let out = add("事项来源", "来访登记表");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = add("现场照片", "同一文件再附一次");
    assert!(stdout(&out).contains("未重复保存"), "{}", stdout(&out));
    let out = add("照片", "x");
    assert!(
        stderr(&out).contains("证据类型「照片」不对"),
        "{}",
        stderr(&out)
    );

    let out = minshi(home.path(), NOW)
        .args(["evidence", "list", "2026-1", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["kind"], "事项来源");
    assert_eq!(v[0]["pages"], 2);
    assert_eq!(v[1]["seq"], 2);
    let stored: Vec<_> = walk(&home.path().join("evidence"));
    assert_eq!(stored.len(), 1, "one copy for the same bytes: {stored:?}");
    assert_eq!(
        std::fs::read(&stored[0]).unwrap(),
        std::fs::read(&file).unwrap()
    );

    let out = minshi(home.path(), NOW)
        .args(["evidence", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    std::fs::write(&stored[0], b"changed").unwrap();
    let out = minshi(home.path(), NOW)
        .args(["evidence", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("已被改动"), "{}", stdout(&out));
    let timeline = open(home.path())
        .timeline("2026-000001".parse().unwrap())
        .unwrap();
    assert_eq!(
        timeline.iter().filter(|e| e.action == "添加证据").count(),
        2
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn second_print_is_marked_reprint_and_keeps_the_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let a = store
        .register(&input("王芳", "邻里", "排水"), &who, at(NOW))
        .unwrap();
    let b = store
        .register(&input("李强", "邻里", "排水"), &who, at(NOW))
        .unwrap();
    let first = store
        .print_form(b.key, &who, at("2026-03-05T10:00:00+08:00"))
        .unwrap();
    assert_eq!(first.form_no, "陇综民书〔2026〕1号");
    assert!(!first.is_reprint());
    let other = store
        .print_form(a.key, &who, at("2026-03-05T11:00:00+08:00"))
        .unwrap();
    assert_eq!(other.form_no, "陇综民书〔2026〕2号");
    let again = store
        .print_form(b.key, &who, at("2026-03-06T10:00:00+08:00"))
        .unwrap();
    assert_eq!(again.form_no, first.form_no);
    assert_eq!(again.print_count, 2);
    assert!(again.is_reprint());
    assert_eq!(again.first_printed_at, at("2026-03-05T10:00:00+08:00"));
    let prints: Vec<String> = store
        .timeline(b.key)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "打印办理书")
        .map(|e| e.details)
        .collect();
    assert_eq!(
        prints,
        [
            "首次打印民事办理书，编号陇综民书〔2026〕1号",
            "补打民事办理书陇综民书〔2026〕1号（第2次打印）"
        ]
    );
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_form_that_cannot_be_made_takes_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let c = store
        .register(&input("王芳", "邻里", "排水"), &who, at(NOW))
        .unwrap();
    let failed = store.print_form_with(c.key, &who, at(NOW), |_| Err::<(), _>("字体缺字"));
    assert!(matches!(
        failed,
        Err(minshi::store::PrintFormError::Render("字体缺字"))
    ));
    let (print, bytes) = store
        .print_form_with(c.key, &who, at(NOW), |p| {
            Ok::<_, ()>(p.form_no.clone().into_bytes())
        })
        .unwrap();
    assert_eq!(print.form_no, "陇综民书〔2026〕1号");
    assert_eq!(print.print_count, 1);
    assert_eq!(bytes, "陇综民书〔2026〕1号".as_bytes());
    let prints = store
        .timeline(c.key)
        .unwrap()
        .iter()
        .filter(|e| e.action == "打印办理书")
        .count();
    assert_eq!(prints, 1, "the failed attempt left no trace");
}

/// A case closed at the counter, followed up, with no evidence attached.
fn closed_without_evidence(store: &mut minshi::store::Store, who: &minshi::domain::Session) {
    let mut i = input("王芳", "政策咨询", "咨询政策");
    i.route = "当场办结".into();
    i.outcome = "解释说明".into();
    i.result = "当场解答".into();
    store.register(&i, who, at(NOW)).unwrap();
    store
        .act(
            minshi::domain::CaseKey { year: 2026, seq: 1 },
            &minshi::domain::Action::FollowUp {
                date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                way: "电话".into(),
                satisfaction: minshi::domain::Satisfaction::Satisfied,
                notes: String::new(),
            },
            who,
            at(NOW),
        )
        .unwrap();
}

#[test]
fn printing_or_archiving_without_required_evidence_needs_a_supervisor_and_is_recorded() {
    use minshi::domain::{Action, CaseKey};
    use minshi::store::{PrintFormError, StoreError};
    let home = tempfile::tempdir().unwrap();
    let mut store = open(home.path());
    let supervisor = common::who(&mut store);
    let clerk = common::login(&mut store, "zhangli");
    closed_without_evidence(&mut store, &clerk);
    let key = CaseKey { year: 2026, seq: 1 };
    let render = |_: &minshi::store::FormPrint| Ok::<(), String>(());

    // The clerk alone: refused, naming what is missing, and no number is taken.
    match store.print_form_confirmed(key, &clerk, None, at(NOW), render) {
        Err(PrintFormError::Store(StoreError::NeedsConfirmation(missing))) => {
            assert_eq!(missing, vec![minshi::domain::EvidenceKind::Source]);
        }
        other => panic!("printed without confirmation: {:?}", other.map(|p| p.0)),
    }
    // A clerk cannot confirm for a clerk.
    let other_clerk = common::login(&mut store, "zhangli");
    assert!(matches!(
        store.print_form_confirmed(key, &clerk, Some(&other_clerk), at(NOW), render),
        Err(PrintFormError::Store(StoreError::Refused(_)))
    ));
    let (print, ()) = store
        .print_form_confirmed(key, &clerk, Some(&supervisor), at(NOW), render)
        .unwrap();
    assert_eq!(print.print_count, 1);
    assert_eq!(print.seq, 1, "the refused tries took no number");

    let archive = Action::Archive {
        note: String::new(),
    };
    assert!(matches!(
        store.act(key, &archive, &clerk, at(NOW)),
        Err(StoreError::NeedsConfirmation(_))
    ));
    store
        .act_confirmed(key, &archive, &clerk, Some(&supervisor), at(NOW))
        .unwrap();
    let words: Vec<String> = store
        .timeline(key)
        .unwrap()
        .iter()
        .map(|e| e.details.clone())
        .collect();
    assert!(
        words.iter().any(|w| w.contains("缺少证据事项来源，经王芳确认")
            && w.contains("首次打印民事办理书")),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|w| w.contains("缺少证据事项来源，经王芳确认归档")),
        "{words:?}"
    );
    // The confirmations are part of the chained record.
    assert!(store.check().unwrap().is_empty(), "check must pass");
}

#[test]
fn a_pdf_evidence_file_is_said_to_go_separately_when_attached() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        store
            .register(&input("王芳", "邻里", "排水"), &who, at(NOW))
            .unwrap();
    }
    let file = home.path().join("调解协议书.pdf");
    std::fs::write(&file, b"%PDF-1.7\n% a scanned agreement\n").unwrap();
    let out = minshi(home.path(), NOW)
        .args(["evidence", "add", "2026-1"])
        .arg(&file)
        .args(["--kind", "调解协议书"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("已添加证据1：调解协议书.pdf"), "{said}");
    assert!(said.contains("附件另附"), "{said}");
}
