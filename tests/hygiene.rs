//! Nothing wrong gets in, nothing harmful comes out — the real binary as a script uses it: bad
//! input refused naming the field with nothing written, stored control characters never reaching
//! the terminal, personal-data files owner-only, links in the home refused, a read-only home read
//! without being changed, no panic when the reader of the output goes away.

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{minshi, stderr, stdout};
use serde_json::{Value, json};

const NOW: &str = "2026-03-02T09:00:00+08:00";

const GOOD: &str = r#"{"name":"王芳","id_number":"11010519491231002x","phone":"138 1234 1234",
  "town":"首阳镇","village":"南门村","address":"3社12号","channel":"来访","category":"劳动争议",
  "route":"限时办理","request":"讨要拖欠工资8000元","facts":"在工地务工3个月"}"#;

/// What a terminal must never receive from stored or typed text.
const HARMFUL: [&[u8]; 5] = [
    b"\x1b",
    b"\x07",
    b"\0",
    "\u{202E}".as_bytes(),
    "\u{9B}".as_bytes(),
];

fn register(home: &Path, json: &str) -> Output {
    let mut child = minshi(home, NOW)
        .args(["register", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn run(home: &Path, args: &[&str]) -> Output {
    minshi(home, NOW).args(args).output().unwrap()
}

/// GOOD with `field` set to `value`.
fn with(field: &str, value: Value) -> String {
    let mut v: Value = serde_json::from_str(GOOD).unwrap();
    v[field] = value;
    v.to_string()
}

fn case_count(home: &Path) -> i64 {
    let db = home.join("minshi.db");
    if !db.exists() {
        return 0;
    }
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn assert_harmless(what: &str, out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        for bad in HARMFUL {
            assert!(
                !stream.windows(bad.len()).any(|w| w == bad),
                "{what} printed {bad:?}: {}{}",
                stdout(out),
                stderr(out)
            );
        }
    }
}

#[test]
fn each_class_of_bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let group = |reps: Value| {
        let mut v: Value = serde_json::from_str(&with("group_size", json!(3))).unwrap();
        v["representatives"] = reps;
        v.to_string()
    };
    let cases = [
        (
            with("received_at", json!("2027-03-01T09:00:00+08:00")),
            "受理时间（received_at）",
        ),
        (
            with("received_at", json!("9999-12-20T09:00:00+08:00")),
            "受理时间（received_at）",
        ),
        (with("name", json!("\u{200B}")), "姓名（name）"),
        (with("name", json!("\u{FEFF}")), "姓名（name）"),
        (with("name", json!("王\n芳")), "姓名（name）"),
        (with("name", json!("王芳\u{202E}")), "姓名（name）"),
        (
            with("address", json!("3社\u{E000}号")),
            "详细地址（address）",
        ),
        // Tibetan: assigned, but in none of the faces the paper is printed in.
        (with("place", json!("工地\u{0F40}")), "事发地点（place）"),
        (
            with("request", json!("讨薪\u{1b}[2J")),
            "诉求内容（request）",
        ),
        (
            group(json!(["张三", "\u{1b}]52;c;aGk=\u{7}"])),
            "代表（representatives）",
        ),
        (
            group(json!(["张三", "长".repeat(1_000_000)])),
            "代表（representatives）",
        ),
        (
            group(json!(["甲", "乙", "丙", "丁", "戊", "己"])),
            "代表（representatives）",
        ),
        (
            with("group_size", json!(4_294_967_295u32)),
            "人数（group_size）",
        ),
        (with("phone", json!("00000000000")), "联系电话（phone）"),
        // Born 2030-01-01; the check character is right.
        (
            with("id_number", json!("621122203001011239")),
            "身份证号（id_number）",
        ),
        (
            with("id_number", json!("00000019900101123X")),
            "身份证号（id_number）",
        ),
        ("[]".to_string(), "没有要登记的案件"),
    ];
    for (json, expected) in &cases {
        let out = register(home.path(), json);
        assert!(!out.status.success(), "accepted: {expected} {json:.200}");
        assert!(
            stderr(&out).contains(expected),
            "{expected} not in: {}",
            stderr(&out)
        );
        assert_harmless(expected, &out);
    }
    assert_eq!(case_count(home.path()), 0, "nothing may have been written");
    let out = register(home.path(), GOOD);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_evidence_title_with_control_characters_is_refused() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    let file = home.path().join("笔录.txt");
    std::fs::write(&file, b"minutes").unwrap();
    let out = run(
        home.path(),
        &[
            "evidence",
            "add",
            "2026-1",
            file.to_str().unwrap(),
            "--kind",
            "调解笔录",
            "--title",
            "笔录\u{1b}[2J",
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("证据名称：第3个字符"),
        "{}",
        stderr(&out)
    );
    assert_harmless("evidence add", &out);
    let out = run(home.path(), &["evidence", "list", "2026-1"]);
    assert!(stdout(&out).contains("还没有证据"), "{}", stdout(&out));
}

#[test]
fn every_json_refusal_is_in_chinese_with_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let bad = [
        "",
        "{",
        "{\"name\": ",
        "{\"name\" \"王芳\"}",
        "{\"name\": \"王芳\",}",
        "{\"name\": \"王芳\"} x",
        "{\"name\": \"王芳\" \"phone\": \"1\"}",
        "[{\"name\": \"王芳\"} {}]",
        "[{\"name\": \"王芳\"}",
        "{\"name\": \"王芳",
        "{\"name\": 王芳}",
        "{\"name\": \"\\x\"}",
        "{\"name\": \"a\u{1}\"}",
        "{\"name\": \"\\ud800\"}",
        "{\"name\": \"\\u12\"}",
        "{\"name\": \"\\udc00\"}",
        "{1: 2}",
        "{\"urgent\": tru}",
        "{\"group_size\": 1e999}",
        "{\"group_size\": -1}",
        "{\"group_size\": 1.5}",
        "{\"group_size\": 4294967296}",
        "{\"group_size\": \"3\"}",
        "{\"urgent\": \"yes\"}",
        "{\"name\": 3}",
        "{\"representatives\": \"张三\"}",
        "{\"representatives\": [1]}",
        "{\"received_at\": \"2026-13-01T09:00:00+08:00\"}",
        "{\"received_at\": \"昨天\"}",
        "{\"received_at\": \"2026-03-01\"}",
        "{\"received_at\": 20260301}",
        "{\"name\": \"王芳\", \"name\": \"李四\"}",
        "{\"nmae\": \"王芳\"}",
        "\"王芳\"",
        "null",
        "[1]",
    ];
    let english = [
        "expected",
        "invalid",
        "EOF",
        "while",
        "unknown",
        "trailing",
        "found",
        "input",
        "error",
        "integer",
        "string",
        "sequence",
        "struct",
        "at line",
        "out of range",
        "escape",
    ];
    for json in bad {
        let out = register(home.path(), json);
        let err = stderr(&out);
        assert!(!out.status.success(), "accepted: {json}");
        assert!(
            err.contains("JSON 格式有误（第") && err.contains("行第") && err.contains("列）"),
            "{json}: {err}"
        );
        for word in english {
            assert!(!err.contains(word), "{json}: English «{word}» in: {err}");
        }
    }
    let out = register(
        home.path(),
        "{\n  \"name\": \"王芳\",\n  \"group_size\": -1\n}",
    );
    assert!(
        stderr(&out).contains("第3行") && stderr(&out).contains("人数 group_size"),
        "the field is named: {}",
        stderr(&out)
    );
    assert_eq!(case_count(home.path()), 0);
}

#[test]
fn register_reads_a_file_with_a_byte_order_mark_and_refuses_other_encodings() {
    let home = tempfile::tempdir().unwrap();
    let out = register(home.path(), &format!("\u{FEFF}{GOOD}"));
    assert!(out.status.success(), "{}", stderr(&out));
    let gbk = home.path().join("gbk.json");
    std::fs::write(&gbk, b"{\"name\": \"\xcd\xf5\xb7\xbc\"}").unwrap();
    let out = minshi(home.path(), NOW)
        .args(["register", "--json"])
        .arg(&gbk)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("不是 UTF-8"), "{}", stderr(&out));
}

/// A case whose text was stored, before intake checked it, with terminal escapes.
fn home_with_poisoned_case() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    let file = home.path().join("evidence.txt");
    std::fs::write(&file, b"minutes").unwrap();
    let out = run(
        home.path(),
        &[
            "evidence",
            "add",
            "2026-1",
            file.to_str().unwrap(),
            "--kind",
            "会议记录",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(home.path().join("minshi.db")).unwrap();
    let poison = "\u{1b}]52;c;aGFja2Vk\u{7}\u{1b}[2J\0\u{202E}\u{9b}31m\n第二行";
    conn.execute(
        "UPDATE cases SET name = ?1, address = ?1, request = '讨要工资' || ?1, facts = ?1, place = ?1",
        [poison],
    )
    .unwrap();
    // Events show their actor's name and words rendered from their payload: an old event
    // (kind 18) shows the words it was recorded with.
    conn.execute(
        "UPDATE events SET actor_name = ?1, actor = ?1, kind = 18,
            data = json_object('action', ?1, 'text', ?1)",
        [poison],
    )
    .unwrap();
    conn.execute("UPDATE evidence SET title = ?1", [poison])
        .unwrap();
    home
}

#[test]
fn stored_escapes_never_reach_the_terminal() {
    let home = home_with_poisoned_case();
    for args in [
        vec!["show", "2026-1"],
        vec!["list"],
        vec!["search", "工资"],
        vec!["evidence", "list", "2026-1"],
    ] {
        let out = run(home.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_harmless(&format!("{args:?}"), &out);
        assert!(
            stdout(&out).contains('␛'),
            "{args:?} shows the escape: {}",
            stdout(&out)
        );
    }
    assert_harmless("check", &run(home.path(), &["check"]));
    let list = stdout(&run(home.path(), &["list"]));
    assert_eq!(
        list.lines().count(),
        3,
        "a line break in a name does not split its row: {list}"
    );
    // JSON carries the stored text exactly, escaped by serde.
    let out = run(home.path(), &["show", "2026-1", "--json"]);
    assert_harmless("show --json", &out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["name"].as_str().unwrap().starts_with('\u{1b}'));
}

#[test]
fn error_messages_never_echo_escapes() {
    let home = home_with_poisoned_case();
    let escape = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{202E}";
    for args in [
        vec!["show", escape],
        vec!["list", "--town", escape],
        vec!["act", "2026-1", "分流", "--unit", escape],
        vec!["act", "2026-1", escape],
        vec!["search", escape],
    ] {
        let out = run(home.path(), &args);
        assert_harmless(&format!("{args:?}"), &out);
        assert!(
            stdout(&out).contains('␛') || stderr(&out).contains('␛'),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

#[test]
fn files_holding_personal_data_are_owner_only() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    let src = home.path().join("调解协议书.jpg");
    std::fs::write(&src, b"\xff\xd8\xff\xe0 pretend jpeg").unwrap();
    let out = run(
        home.path(),
        &[
            "evidence",
            "add",
            "2026-1",
            src.to_str().unwrap(),
            "--kind",
            "调解协议书",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(home.path(), &["print", "slip", "2026-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let outside = tempfile::tempdir().unwrap();
    let custom = outside.path().join("new").join("回执.pdf");
    let out = minshi(home.path(), NOW)
        .args(["print", "slip", "2026-1", "-o"])
        .arg(&custom)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let backup = outside.path().join("copy.db");
    let out = minshi(home.path(), NOW)
        .arg("backup")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let evidence_dir = home.path().join("evidence");
    let sub = std::fs::read_dir(&evidence_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let evidence_file = std::fs::read_dir(&sub)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let files: [(&str, PathBuf); 6] = [
        ("log", home.path().join("minshi.log")),
        ("database", home.path().join("minshi.db")),
        ("evidence", evidence_file),
        (
            "printout",
            home.path().join("printouts/slip-2026-000001.pdf"),
        ),
        ("-o", custom.clone()),
        ("backup", backup),
    ];
    for (what, path) in &files {
        assert_eq!(mode(path), 0o600, "{what}: {}", path.display());
    }
    for dir in [
        evidence_dir.clone(),
        sub,
        home.path().join("drafts"),
        home.path().join("printouts"),
        home.path().join("backups"),
        custom.parent().unwrap().to_path_buf(),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
}

#[test]
fn symlinks_in_the_home_are_refused_and_never_followed() {
    for own in ["evidence", "printouts", "minshi.db"] {
        let home = tempfile::tempdir().unwrap();
        assert!(register(home.path(), GOOD).status.success());
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("target");
        let place = home.path().join(own);
        if own == "minshi.db" {
            std::fs::rename(&place, &target).unwrap();
        } else {
            std::fs::remove_dir(&place).unwrap();
            std::fs::create_dir(&target).unwrap();
        }
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink(&target, &place).unwrap();
        let src = home.path().join("笔录.txt");
        std::fs::write(&src, b"minutes").unwrap();
        for args in [
            vec![
                "evidence",
                "add",
                "2026-1",
                src.to_str().unwrap(),
                "--kind",
                "调解笔录",
            ],
            vec!["print", "slip", "2026-1"],
            vec!["list"],
        ] {
            let out = run(home.path(), &args);
            assert!(
                !out.status.success(),
                "{own} {args:?} went through the link"
            );
            assert!(
                stderr(&out).contains("是符号链接"),
                "{own} {args:?}: {}",
                stderr(&out)
            );
        }
        assert_eq!(mode(&target), 0o755, "{own}: the target was chmodded");
        if own != "minshi.db" {
            assert!(
                std::fs::read_dir(&target).unwrap().next().is_none(),
                "{own}: something was written through the link"
            );
        }
    }
}

/// Every entry under `dir` with its mode.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut all = vec![(dir.to_path_buf(), mode(dir))];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(modes(&path));
        } else {
            all.push((path.clone(), mode(&path)));
        }
    }
    all.sort();
    all
}

fn set_modes(dir: &Path, dirs: u32, files: u32) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            set_modes(&path, dirs, files);
        } else {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(files)).unwrap();
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dirs)).unwrap();
}

#[test]
fn a_read_only_home_is_read_without_being_changed() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    set_modes(home.path(), 0o500, 0o400);
    let before = modes(home.path());
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "2026-1"],
        vec!["search", "工资"],
        vec!["check"],
        vec!["evidence", "list", "2026-1"],
        vec!["due", "--from", "2026-03-02", "--days", "5"],
    ] {
        let out = run(home.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(modes(home.path()), before, "{args:?} changed the home");
    }
    assert!(stdout(&run(home.path(), &["list"])).contains("王芳"));
    let out = register(home.path(), GOOD);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("是只读的"), "{}", stderr(&out));
    assert_eq!(
        modes(home.path()),
        before,
        "a refused write changed the home"
    );
    set_modes(home.path(), 0o700, 0o600);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    for args in [vec!["list"], vec!["show", "2026-1"], vec!["list", "--json"]] {
        let mut child = minshi(home.path(), NOW)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written, as `head -1` does after a line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            out.status.success() || out.status.signal() == Some(13),
            "{args:?}: {:?} {err}",
            out.status
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn numbers_out_of_range_are_refused_in_chinese() {
    let home = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            vec!["due", "--from", "2026-03-02", "--days", "4294967295"],
            "天数最多为3650",
        ),
        (
            vec!["due", "--from", "2026-03-02", "--days", "96000000"],
            "天数最多为3650",
        ),
        (
            vec!["due", "--from", "2026-03-02", "--days", "-5"],
            "天数不能为负数",
        ),
        (
            vec!["due", "--from", "2026-03-02", "--days", "五"],
            "不是整数",
        ),
        (vec!["list", "--limit", "-1"], "条数不能为负数"),
        (vec!["demo", "--cases", "x"], "不是整数"),
    ] {
        let out = run(home.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            !err.contains("error:") && !err.contains("invalid"),
            "{args:?}: {err}"
        );
    }
}
