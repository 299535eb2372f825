//! An accountable register, through the real binary on real files: who may do what, 更正 on the
//! record, tampering found by `check`, digests that prove a history, backup and restore, and a
//! missing database that is never silently recreated.

mod common;

use std::path::Path;
use std::process::Output;

use common::{PASSWORD, minshi, minshi_raw, stderr, stdout};
use serde_json::Value;

const NOW: &str = "2026-03-05T10:00:00+08:00";

const CASE: &str = r#"{"name": "张桂兰", "id_number": "11010519491231002X", "phone": "13893212345",
    "town": "首阳镇", "village": "南门村", "channel": "来访", "category": "邻里",
    "route": "限时办理", "request": "邻居占用通道"}"#;

fn run(home: &Path, args: &[&str]) -> Output {
    minshi(home, NOW).args(args).output().unwrap()
}

/// As `login` with its password.
fn run_as(home: &Path, login: &str, args: &[&str]) -> Output {
    minshi(home, NOW)
        .arg("--as")
        .arg(login)
        .args(args)
        .env("MINSHI_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn register(home: &Path, as_login: Option<&str>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case.json");
    std::fs::write(&file, CASE).unwrap();
    let file = file.to_string_lossy().into_owned();
    match as_login {
        Some(l) => run_as(home, l, &["register", "--json", &file]),
        None => run(home, &["register", "--json", &file]),
    }
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
}

/// A register with a 值班长 (wangfang), two 受理员 (zhangli, liming) and a 网格员 (mahui).
fn staffed() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    for (login, name, role, center) in [
        ("wangfang", "王芳", "值班长", "陇西县"),
        ("zhangli", "张丽", "受理员", "陇西县"),
        ("liming", "李明", "受理员", "陇西县"),
        ("mahui", "马慧", "网格员", "首阳镇"),
        ("gongchang", "赵强", "受理员", "巩昌镇"),
    ] {
        let out = minshi(home.path(), NOW)
            .args(["user", "add", login, "--name", name, "--role", role])
            .args(["--center", center])
            .env("MINSHI_NEW_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        ok(&out);
    }
    home
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn init_makes_the_first_admin_and_refuses_without_a_password() {
    let home = tempfile::tempdir().unwrap();
    let out = minshi_raw(home.path(), NOW)
        .args(["init", "--admin-name", "王建国"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("MINSHI_PASSWORD"), "{}", stderr(&out));
    let out = minshi_raw(home.path(), NOW)
        .args(["init", "--admin", "wang", "--admin-name", "王建国"])
        .env("MINSHI_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    ok(&out);
    assert!(
        stdout(&out).contains("管理员账号 wang（王建国）"),
        "{}",
        stdout(&out)
    );
    let out = minshi_raw(home.path(), NOW)
        .args(["user", "list", "--json"])
        .output()
        .unwrap();
    ok(&out);
    let list = json(&out);
    assert_eq!(list[0]["login"], "wang");
    assert_eq!(list[0]["role"], "管理员");
    assert_eq!(list[0]["os_user"], "tester");
}

#[test]
fn a_writing_command_without_an_account_is_refused() {
    let home = staffed();
    let out = minshi(home.path(), NOW)
        .env("USER", "nobody")
        .args(["act", "2026-1", "进展", "--note", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("不知道是谁在操作"),
        "{}",
        stderr(&out)
    );
    let out = minshi(home.path(), NOW)
        .args(["--as", "zhangli", "list"])
        .env("MINSHI_PASSWORD", "wrong-password")
        .output()
        .unwrap();
    assert!(stderr(&out).contains("再错4次"), "{}", stderr(&out));
}

#[test]
fn roles_are_enforced_on_the_command_line() {
    let home = staffed();
    let h = home.path();
    // A field cadre registers nothing.
    let out = register(h, Some("mahui"));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("马慧（网格员）无权登记案件"),
        "{}",
        stderr(&out)
    );
    // A clerk registers, under their real name.
    let out = register(h, Some("zhangli"));
    ok(&out);
    let case = json(&out);
    assert_eq!(case["clerk"], "张丽");
    // …and sees masked personal data; a 值班长 sees it in full.
    assert_eq!(case["id_number"], "110105********002X");
    assert_eq!(case["phone"], "138****2345");
    let full = json(&run_as(h, "wangfang", &["show", "2026-1", "--json"]));
    assert_eq!(full["id_number"], "11010519491231002X");
    assert_eq!(full["phone"], "13893212345");
    // The plain serial is this year's case; brackets as a keyboard types them.
    for typed in ["1", "陇综民[2026]1号", "陇综民【2026】1号"] {
        let same = json(&run_as(h, "liming", &["show", typed, "--json"]));
        assert_eq!(same["case_no"], "陇综民〔2026〕1号", "{typed}");
    }
    let masked = json(&run_as(h, "liming", &["show", "2026-1", "--json"]));
    assert_eq!(masked["id_number"], "110105********002X");
    assert!(masked["birth_date"].is_null());
    ok(&run_as(
        h,
        "zhangli",
        &["act", "2026-1", "分流", "--unit", "首阳镇司法所"],
    ));
    ok(&run_as(h, "zhangli", &["act", "2026-1", "签收"]));
    // Extensions are approved by a 值班长, who is then the approver of record.
    let args = [
        "act",
        "2026-1",
        "延期",
        "--days",
        "10",
        "--reason",
        "需现场勘查",
    ];
    let out = run_as(h, "zhangli", &args);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("只有值班长、管理员可以"),
        "{}",
        stderr(&out)
    );
    ok(&run_as(h, "wangfang", &args));
    let case = json(&run_as(h, "wangfang", &["show", "2026-1", "--json"]));
    assert_eq!(case["extension"]["approver"], "王芳");
    let timeline: Vec<&str> = case["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, ["张丽", "张丽", "张丽", "王芳"]);
    // A town center's clerk acts only on its town's cases.
    let out = run_as(h, "gongchang", &["act", "2026-1", "进展", "--note", "x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("不在巩昌镇综治中心的范围内"),
        "{}",
        stderr(&out)
    );
    // Only a 管理员 manages accounts.
    let out = minshi(h, NOW)
        .args(["--as", "wangfang", "user", "disable", "zhangli"])
        .env("MINSHI_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("无权管理账号"), "{}", stderr(&out));
    ok(&run(h, &["user", "disable", "zhangli"]));
    let out = run_as(h, "zhangli", &["act", "2026-1", "进展", "--note", "x"]);
    assert!(stderr(&out).contains("已停用"), "{}", stderr(&out));
    ok(&run(h, &["check"]));
}

#[test]
fn corrections_go_on_the_record_by_the_rules_of_registration() {
    let home = staffed();
    let h = home.path();
    ok(&register(h, Some("zhangli")));
    let out = run_as(
        h,
        "zhangli",
        &[
            "act",
            "2026-1",
            "更正",
            "--field",
            "姓名",
            "--value",
            "张桂兰11月28日下午",
        ],
    );
    assert!(stderr(&out).contains("--reason"), "{}", stderr(&out));
    // The new value passes registration's checks, naming the field.
    let out = run_as(
        h,
        "zhangli",
        &[
            "act",
            "2026-1",
            "更正",
            "--field",
            "id_number",
            "--value",
            "110105194912310021",
            "--reason",
            "抄错",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("身份证号"), "{}", stderr(&out));
    let out = run_as(
        h,
        "zhangli",
        &[
            "act",
            "2026-1",
            "更正",
            "--field",
            "姓名",
            "--value",
            "张桂花",
            "--reason",
            "听错了",
            "--json",
        ],
    );
    ok(&out);
    assert_eq!(json(&out)["name"], "张桂花");
    assert_eq!(json(&out)["case_no"], "陇综民〔2026〕1号");
    let case = json(&run_as(h, "wangfang", &["show", "2026-1", "--json"]));
    let last = &case["timeline"][1];
    assert_eq!(last["action"], "更正");
    assert_eq!(last["actor"], "张丽");
    assert_eq!(
        last["details"],
        "更正姓名：「张桂兰」改为「张桂花」，理由：听错了"
    );
    // Search finds the corrected name, not the old one.
    let found = json(&run_as(h, "wangfang", &["search", "桂花", "--json"]));
    assert_eq!(found.as_array().unwrap().len(), 1);
    // Another clerk, or the same one another day, needs a 值班长.
    let out = run_as(
        h,
        "liming",
        &[
            "act",
            "2026-1",
            "更正",
            "--field",
            "phone",
            "--value",
            "13912345678",
            "--reason",
            "x",
        ],
    );
    assert!(
        stderr(&out).contains("只能更正本人当天登记的案件"),
        "{}",
        stderr(&out)
    );
    let out = minshi(h, "2026-03-06T10:00:00+08:00")
        .args([
            "--as", "zhangli", "act", "2026-1", "更正", "--field", "phone",
        ])
        .args(["--value", "13912345678", "--reason", "x"])
        .env("MINSHI_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(!out.status.success());
    ok(&run_as(
        h,
        "wangfang",
        &[
            "act",
            "2026-1",
            "更正",
            "--field",
            "phone",
            "--value",
            "13912345678",
            "--reason",
            "群众更换号码",
        ],
    ));
    ok(&run(h, &["check"]));
}

/// A register with a few cases in several states, for tampering.
fn with_history() -> tempfile::TempDir {
    let home = staffed();
    let h = home.path();
    for _ in 0..3 {
        ok(&register(h, Some("zhangli")));
    }
    ok(&run_as(
        h,
        "zhangli",
        &["act", "2026-1", "分流", "--unit", "首阳镇司法所"],
    ));
    ok(&run_as(h, "zhangli", &["act", "2026-1", "签收"]));
    ok(&run_as(
        h,
        "zhangli",
        &[
            "act",
            "2026-1",
            "办结",
            "--outcome",
            "调解成功",
            "--result",
            "双方和解",
        ],
    ));
    ok(&run_as(
        h,
        "zhangli",
        &[
            "act",
            "2026-1",
            "回访",
            "--satisfaction",
            "满意",
            "--way",
            "电话",
        ],
    ));
    ok(&run_as(
        h,
        "wangfang",
        &[
            "act",
            "2026-2",
            "不予受理",
            "--reason",
            "属诉讼事项，已引导至法院",
        ],
    ));
    ok(&run_as(h, "zhangli", &["act", "2026-2", "归档"]));
    ok(&run(h, &["check"]));
    home
}

fn tamper(home: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(home.join("minshi.db")).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn check_fails(home: &Path, what: &str) -> String {
    let out = run(home, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{what}: {}", stdout(&out));
    stdout(&out)
}

#[test]
fn check_finds_every_kind_of_tampering() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "edit an event",
            "UPDATE events SET data = replace(data, '双方和解', '未和解') WHERE kind = 7",
            "与哈希链不符",
        ),
        (
            "change an actor",
            "UPDATE events SET actor_name = '李明' WHERE id = (SELECT MAX(id) FROM events)",
            "与哈希链不符",
        ),
        (
            "change a time",
            "UPDATE events SET at = '2026-03-01T09:00:00+08:00' WHERE kind = 0 AND case_id = 3",
            "与哈希链不符",
        ),
        (
            "delete an event",
            "DELETE FROM events WHERE kind = 8",
            "被删除",
        ),
        (
            "insert a fake follow-up",
            "INSERT INTO events (case_id, at, actor, actor_name, kind, data, hash) VALUES (3, '2026-03-05T10:00:00+08:00', 'zhangli', '张丽', 8, '{}', x'00')",
            "与哈希链不符",
        ),
        (
            "reorder events",
            "UPDATE events SET id = -1 WHERE id = 8; UPDATE events SET id = 8 WHERE id = 9; UPDATE events SET id = 9 WHERE id = -1",
            "与哈希链不符",
        ),
        (
            "edit a case row",
            "UPDATE cases SET due_date = '2026-12-31' WHERE seq = 3",
            "due_date",
        ),
        (
            "edit a case number",
            "UPDATE cases SET case_no = '陇综民〔2026〕9号' WHERE seq = 3",
            "case_no",
        ),
        (
            "make a status code up",
            "UPDATE cases SET status = 9 WHERE seq = 3",
            "无法识别",
        ),
    ];
    let clean = with_history();
    for (what, sql, says) in cases {
        let home = tempfile::tempdir().unwrap();
        for f in ["minshi.db", "minshi.home"] {
            std::fs::copy(clean.path().join(f), home.path().join(f)).unwrap();
        }
        tamper(home.path(), sql);
        let report = check_fails(home.path(), what);
        assert!(report.contains(says), "{what}: {report}");
    }
    // Evidence titles and accounts are on the chain too.
    let home = clean;
    let file = home.path().join("photo.jpg");
    std::fs::write(&file, b"\xFF\xD8\xFFjpeg").unwrap();
    ok(&run_as(
        home.path(),
        "zhangli",
        &[
            "evidence",
            "add",
            "2026-1",
            file.to_str().unwrap(),
            "--kind",
            "现场照片",
            "--title",
            "现场",
        ],
    ));
    ok(&run(home.path(), &["check"]));
    tamper(home.path(), "UPDATE evidence SET title = '协议书'");
    assert!(check_fails(home.path(), "evidence").contains("证据清单与时间线不符"));
    tamper(
        home.path(),
        "UPDATE evidence SET title = '现场'; UPDATE accounts SET role = 2 WHERE login = 'zhangli'",
    );
    assert!(check_fails(home.path(), "account").contains("账号 zhangli"));
}

/// Every byte of every table that holds history, for telling a flip that changed data.
fn dump(db: &Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).ok()?;
    let mut out = String::new();
    for table in [
        "cases", "events", "accounts", "evidence", "forms", "counters",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .ok()?;
        let n = stmt.column_count();
        let mut rows = stmt.query([]).ok()?;
        while let Ok(Some(r)) = rows.next() {
            for i in 0..n {
                out.push_str(&format!("{:?}|", r.get_ref(i).ok()?));
            }
            out.push('\n');
        }
    }
    Some(out)
}

#[test]
fn random_bit_flips_that_change_data_never_pass_check() {
    let clean = with_history();
    let original = std::fs::read(clean.path().join("minshi.db")).unwrap();
    let before = dump(&clean.path().join("minshi.db")).unwrap();
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut changed, mut undetected) = (0, Vec::new());
    for round in 0..60 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Past the header page: a flipped header is refused on open, which is found too.
        let at = 4096 + (rng as usize % (original.len() - 4096));
        let bit = (rng >> 40) as u8 % 8;
        let home = tempfile::tempdir().unwrap();
        let mut bytes = original.clone();
        bytes[at] ^= 1 << bit;
        std::fs::write(home.path().join("minshi.db"), &bytes).unwrap();
        std::fs::copy(
            clean.path().join("minshi.home"),
            home.path().join("minshi.home"),
        )
        .unwrap();
        let after = dump(&home.path().join("minshi.db"));
        if after.as_deref() == Some(before.as_str()) {
            continue;
        }
        changed += 1;
        let out = run(home.path(), &["check"]);
        if out.status.success() {
            undetected.push(format!("round {round}: byte {at} bit {bit}"));
        }
    }
    assert!(changed > 0, "some flips must have changed data");
    assert!(
        undetected.is_empty(),
        "{changed} flips changed data; passed check: {undetected:?}"
    );
}

#[test]
fn a_digest_proves_the_history_up_to_it() {
    let home = with_history();
    let h = home.path();
    let out = run(h, &["digest"]);
    ok(&out);
    let digest = stdout(&out).trim().to_string();
    assert!(digest.contains(':'), "{digest}");
    // More history afterwards does not disturb the proof.
    ok(&run_as(
        h,
        "zhangli",
        &["act", "2026-3", "分流", "--unit", "首阳镇司法所"],
    ));
    let out = run(h, &["check", "--digest", &digest]);
    ok(&out);
    assert!(stdout(&out).contains("摘要相符"), "{}", stdout(&out));
    // A change before it, with the whole chain recomputed after, still breaks the proof.
    tamper(h, "UPDATE events SET actor_name = '李明' WHERE id = 1");
    let out = run(h, &["check", "--digest", &digest]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("摘要不符"), "{}", stdout(&out));
}

#[test]
fn backup_wipe_restore_and_check() {
    let home = with_history();
    let h = home.path();
    let file = h.join("photo.jpg");
    std::fs::write(&file, b"\xFF\xD8\xFFjpeg").unwrap();
    ok(&run_as(
        h,
        "zhangli",
        &[
            "evidence",
            "add",
            "2026-1",
            file.to_str().unwrap(),
            "--kind",
            "现场照片",
        ],
    ));
    let out = run(h, &["backup"]);
    ok(&out);
    let archive = std::fs::read_dir(h.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "tar"))
        .expect("an archive in backups/");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "backups hold full ID numbers");
    }
    // Wipe: the database and the evidence go.
    for f in ["minshi.db", "minshi.db-wal", "minshi.db-shm"] {
        let _ = std::fs::remove_file(h.join(f));
    }
    std::fs::remove_dir_all(h.join("evidence")).unwrap();
    let out = run(h, &["list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("minshi restore"), "{}", stderr(&out));
    let out = run(h, &["restore", archive.to_str().unwrap()]);
    ok(&out);
    ok(&run(h, &["check"]));
    ok(&run(h, &["evidence", "verify"]));
    let case = json(&run_as(h, "wangfang", &["show", "2026-1", "--json"]));
    assert_eq!(case["status"], "已回访");
}

#[test]
fn restore_refuses_a_damaged_archive_and_a_register_in_use() {
    let home = with_history();
    let h = home.path();
    let archive = h.join("b.tar");
    ok(&run(h, &["backup", archive.to_str().unwrap()]));
    // In use: another process has the register open.
    let store = minshi::home::Home::at(h).open().unwrap();
    let out = run(h, &["restore", archive.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("另有 minshi 程序正在使用"),
        "{}",
        stderr(&out)
    );
    drop(store);
    // A damaged archive: one byte of the database changed.
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    let bad = h.join("bad.tar");
    std::fs::write(&bad, &bytes).unwrap();
    let before = std::fs::read(h.join("minshi.db")).unwrap();
    let out = run(h, &["restore", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("拒绝恢复"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(h.join("minshi.db")).unwrap(),
        before,
        "nothing replaced"
    );
}

#[test]
fn a_missing_or_empty_database_is_never_recreated() {
    let home = with_history();
    let h = home.path();
    std::fs::write(h.join("minshi.db"), b"").unwrap();
    for f in ["minshi.db-wal", "minshi.db-shm"] {
        let _ = std::fs::remove_file(h.join(f));
    }
    let out = register(h, Some("zhangli"));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("不会新建空的登记簿"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(h.join("minshi.db")).unwrap();
    let out = run(h, &["list"]);
    assert!(
        stderr(&out).contains("不会新建空的登记簿"),
        "{}",
        stderr(&out)
    );
    assert!(!h.join("minshi.db").exists());
}

#[test]
fn declining_then_archiving_leaves_check_clean() {
    let home = with_history();
    let out = run(home.path(), &["check", "--json"]);
    ok(&out);
    assert_eq!(json(&out)["ok"], true);
    ok(&run(home.path(), &["check", "--full"]));
}

#[test]
fn an_action_text_paper_cannot_print_is_refused_naming_the_field() {
    let home = staffed();
    let h = home.path();
    ok(&register(h, Some("zhangli")));
    let out = run_as(
        h,
        "zhangli",
        &["act", "2026-1", "进展", "--note", "已约谈双方😀"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("进展情况"), "{}", stderr(&out));
    let out = run_as(
        h,
        "zhangli",
        &["act", "2026-1", "进展", "--note", "已约谈\u{202E}双方"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("进展情况"), "{}", stderr(&out));
    ok(&run_as(
        h,
        "zhangli",
        &["act", "2026-1", "进展", "--note", "已约谈双方"],
    ));
}
