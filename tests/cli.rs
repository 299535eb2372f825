//! The command line as a script uses it: the real binary, a real home folder, a fixed clock.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{minshi, minshi_raw, stderr, stdout};

const NOW: &str = "2026-03-02T09:00:00+08:00";

const GOOD: &str = r#"{"name":"王芳","id_number":"11010519491231002x","phone":"138 1234 1234",
  "town":"首阳镇","village":"南门村","address":"3社12号","channel":"来访","category":"劳动争议",
  "route":"限时办理","unit":"","request":"讨要拖欠工资8000元","facts":"在工地务工3个月",
  "reasons":"","urgent":true,"legal":false,"group_size":1}"#;

fn register(home: &std::path::Path, json: &str) -> std::process::Output {
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

#[test]
fn register_prints_the_case_with_stable_keys() {
    let home = tempfile::tempdir().unwrap();
    let out = register(home.path(), GOOD);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["key"], "2026-000001");
    assert_eq!(v["case_no"], "陇综民〔2026〕1号");
    assert_eq!(v["status"], "已登记");
    assert_eq!(v["received_at"], "2026-03-02T09:00:00+08:00");
    assert_eq!(v["due_date"], "2026-03-17");
    assert_eq!(v["name"], "王芳");
    assert_eq!(v["town"], "首阳镇");
    assert_eq!(v["category"], "劳动争议");
    assert_eq!(v["route"], "限时办理");
    assert_eq!(v["id_number"], "11010519491231002X");
    assert_eq!(v["phone"], "13812341234");
    assert_eq!(v["gender"], "女");
    assert_eq!(v["clerk"], "测试员");
    assert_eq!(v["urgent"], true);
}

#[test]
fn every_command_speaks_json() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    for args in [
        vec!["list", "--json"],
        vec!["search", "工资", "--json"],
        vec!["show", "2026-000001", "--json"],
        vec!["check", "--json"],
        vec![
            "due",
            "--from",
            "2026-02-12",
            "--days",
            "5",
            "--working",
            "--json",
        ],
    ] {
        let out = minshi(home.path(), NOW).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {}", stdout(&out)));
        match args[0] {
            "list" | "search" => assert_eq!(v[0]["key"], "2026-000001", "{args:?}"),
            "show" => assert_eq!(v["timeline"][0]["action"], "登记"),
            "check" => assert_eq!(v["ok"], true),
            _ => assert_eq!(v["due_date"], "2026-02-26"),
        }
    }
}

#[test]
fn bad_input_is_refused_in_chinese_and_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let cases = [
        (
            GOOD.replace("002x", "0021"),
            "身份证号（id_number）：身份证号校验位不符",
        ),
        (GOOD.replace("138 1234 1234", "12345"), "联系电话（phone）"),
        (
            GOOD.replace("首阳镇", "火星镇"),
            "乡镇（town）：「火星镇」不在清单中",
        ),
        (GOOD.replace("劳动争议", "吵架"), "事项类别（category）"),
        (
            GOOD.replace("限时办理", "马上办"),
            "办理方式（route）：「马上办」不是办理方式",
        ),
        (
            GOOD.replace("讨要拖欠工资8000元", ""),
            "诉求内容（request）：必填",
        ),
        (
            GOOD.replace("讨要拖欠工资8000元", &"长".repeat(2001)),
            "最多2000个字",
        ),
        (GOOD.replace("\"name\"", "\"nmae\""), "不认识的字段 `nmae`"),
        ("{\"name\": ".to_string(), "JSON 格式有误"),
        (
            format!("[{GOOD}, {}]", GOOD.replace("首阳镇", "火星镇")),
            "第2个案件",
        ),
    ];
    for (json, expected) in cases {
        let out = register(home.path(), &json);
        assert!(!out.status.success(), "accepted: {expected}");
        assert!(
            stderr(&out).contains(expected),
            "{expected} not in: {}",
            stderr(&out)
        );
    }
    let out = minshi(home.path(), NOW)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), "[]", "nothing may have been written");
}

#[test]
fn act_runs_the_lifecycle_and_refuses_what_is_not_allowed() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    let act = |args: &[&str]| {
        minshi(home.path(), NOW)
            .arg("act")
            .args(args)
            .output()
            .unwrap()
    };
    let out = act(&[
        "2026-000001",
        "办结",
        "--outcome",
        "支持",
        "--result",
        "已解决",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("案件状态为「已登记」，不能「办结」"),
        "{}",
        stderr(&out)
    );
    let out = act(&["2026-000001", "分流"]);
    assert!(
        stderr(&out).contains("「分流」需要 --unit"),
        "{}",
        stderr(&out)
    );
    let out = act(&["陇综民〔2026〕1号", "dispatch", "--unit", "首阳镇司法所"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("已分流"));
    for args in [
        vec!["2026-1", "签收"],
        vec!["2026-1", "延期", "--days", "10", "--reason", "需调查"],
        vec![
            "2026-1",
            "办结",
            "--outcome",
            "调解成功",
            "--result",
            "已支付",
        ],
        vec!["2026-1", "回访", "--satisfaction", "满意", "--way", "电话"],
    ] {
        let out = act(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    // Nothing attached as 事项来源: 归档 needs a 值班长's confirmation (the 管理员 acting here).
    let out = act(&["2026-1", "归档"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("缺少证据：事项来源") && stderr(&out).contains("值班长确认"),
        "{}",
        stderr(&out)
    );
    let out = act(&["2026-1", "归档", "--confirmed-by", "tester"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = act(&[
        "2026-1",
        "延期",
        "--days",
        "5",
        "--reason",
        "x",
        "--approver",
        "y",
    ]);
    assert!(!out.status.success());
    let show = minshi(home.path(), NOW)
        .args(["show", "2026-000001", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["status"], "已归档");
    assert_eq!(v["extension"]["days"], 10);
    assert_eq!(v["follow_up"]["satisfaction"], "满意");
    let actions: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["登记", "分流", "签收", "延期", "办结", "回访", "归档"]
    );
    assert_eq!(v["timeline"][1]["actor"], "测试员");
    let out = minshi(home.path(), NOW)
        .args(["act", "2026-1", "进展", "--note", "x"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("该案件已终结"), "{}", stderr(&out));
}

#[test]
fn due_prints_the_worked_examples_and_warns_without_a_table() {
    let home = tempfile::tempdir().unwrap();
    let due = |args: &[&str]| {
        let out = minshi(home.path(), NOW)
            .arg("due")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        (stdout(&out).trim().to_string(), stderr(&out))
    };
    assert_eq!(
        due(&["--from", "2026-02-12", "--days", "5", "--working"]).0,
        "2026-02-26"
    );
    assert_eq!(
        due(&["--from", "2025-09-26", "--days", "5", "--working"]).0,
        "2025-10-10"
    );
    let (date, warn) = due(&["--from", "2026-08-03", "--days", "60"]);
    assert_eq!(date, "2026-10-08");
    assert!(warn.is_empty(), "{warn}");
    let (date, warn) = due(&["--from", "2027-03-01", "--days", "10", "--working"]);
    assert_eq!(date, "2027-03-15");
    assert!(warn.contains("2027年尚无节假日安排表"), "{warn}");
    let out = minshi(home.path(), NOW)
        .args(["due", "--from", "2026-02-30", "--days", "5"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("不是有效日期"), "{}", stderr(&out));
}

#[test]
fn a_deadline_in_an_unknown_year_is_flagged_on_the_case() {
    let home = tempfile::tempdir().unwrap();
    let out = minshi(home.path(), "2026-12-20T09:00:00+08:00")
        .args(["register", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(GOOD.replace("劳动争议", "邻里").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("2027年尚无节假日安排表"),
        "{}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["due_date"], "2027-01-19");
    assert!(v["due_warning"].as_str().unwrap().contains("2027"));
}

#[test]
fn a_bad_config_file_is_refused_with_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[center]\nname = \"x\"\nlevel = \"省\"\n",
    )
    .unwrap();
    let out = minshi_raw(home.path(), NOW).arg("init").output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("config.toml") && err.contains("第3行"),
        "{err}"
    );
}

#[test]
fn a_foreign_database_is_refused() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("minshi.db"), vec![b'x'; 4096]).unwrap();
    let out = minshi_raw(home.path(), NOW)
        .args(["list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("已损坏或不是数据库"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn demo_check_and_backup() {
    let home = tempfile::tempdir().unwrap();
    let out = minshi(home.path(), NOW)
        .args(["demo", "--cases", "3000", "--seed", "7"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = minshi(home.path(), NOW).args(["check"]).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // Every state, every town shows up; some are overdue.
    let store = common::open(home.path());
    let mut seen = std::collections::HashSet::new();
    for q in ["首阳", "巩昌", "永吉"] {
        for r in store.search(q, 3000).unwrap().unwrap() {
            seen.insert(r.status);
        }
    }
    assert!(seen.len() >= 6, "states seen: {seen:?}");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let overdue = minshi::store::BoardFilter {
        overdue_only: true,
        ..Default::default()
    };
    assert!(store.board_count(&overdue, today).unwrap() > 0);
    let copy = home.path().join("backups").join("copy.tar");
    let out = minshi(home.path(), NOW)
        .args(["backup"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = minshi(home.path(), NOW)
        .args(["backup"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("已存在"), "a backup never overwrites");
    // The archive restores into an empty home, as a standby machine would take it.
    let standby = tempfile::tempdir().unwrap();
    let out = minshi_raw(standby.path(), NOW)
        .arg("restore")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let copied = minshi::store::Store::open(
        &standby.path().join("minshi.db"),
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .unwrap();
    assert!(copied.check().unwrap().is_empty());
    assert_eq!(
        copied.board_count(&overdue, today).unwrap(),
        store.board_count(&overdue, today).unwrap()
    );
}

#[test]
fn check_fails_with_a_non_zero_exit_on_a_broken_timeline() {
    let home = tempfile::tempdir().unwrap();
    assert!(register(home.path(), GOOD).status.success());
    let conn = rusqlite::Connection::open(home.path().join("minshi.db")).unwrap();
    conn.execute("DELETE FROM events", []).unwrap();
    drop(conn);
    let out = minshi(home.path(), NOW).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("没有登记记录"), "{}", stdout(&out));
}

#[test]
fn the_readme_example_registers() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let example = readme
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a JSON example");
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("example.json");
    std::fs::write(&file, example).unwrap();
    let out = minshi(home.path(), NOW)
        .args(["register", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("陇综民〔2026〕1号"),
        "{}",
        stdout(&out)
    );
}
