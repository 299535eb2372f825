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
fn a_deadline_in_an_unknown_year_is_told_once_to_the_clerk_and_check_tells_the_admin() {
    let home = tempfile::tempdir().unwrap();
    let december = "2026-12-20T09:00:00+08:00";
    let case = GOOD.replace("劳动争议", "邻里");
    let out = minshi(home.path(), december)
        .args(["register", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("[{case}, {case}, {case}]").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The clerk hears it once, plainly, for the whole batch; nothing about files to edit.
    let err = stderr(&out);
    assert_eq!(
        err.trim(),
        "注意：2027年的节假日安排尚未录入，期限暂按只休周末计算；请告知管理员补录。"
    );
    // The case JSON keeps its warning.
    let cases: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cases.len(), 3);
    for v in &cases {
        assert_eq!(v["due_date"], "2027-01-19");
        assert!(
            v["due_warning"]
                .as_str()
                .unwrap()
                .contains("2027年尚无节假日安排表")
        );
    }
    let show = minshi(home.path(), december)
        .args(["show", "2026-1"])
        .output()
        .unwrap();
    assert!(
        stdout(&show).contains("2027年的节假日安排尚未录入"),
        "{}",
        stdout(&show)
    );
    // An extension into the unknown year is told the same way.
    for args in [
        vec!["act", "2026-1", "分流", "--unit", "首阳镇司法所"],
        vec!["act", "2026-1", "签收"],
    ] {
        let out = minshi(home.path(), december).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).is_empty(),
            "{args:?}: the deadline did not move"
        );
    }
    let out = minshi(home.path(), december)
        .args([
            "act",
            "2026-1",
            "延期",
            "--days",
            "10",
            "--reason",
            "需现场勘查",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2027年的节假日安排尚未录入"),
        "{}",
        stderr(&out)
    );
    // `check` tells the 管理员 what to add, as a warning: the register itself is sound.
    let check = minshi(home.path(), december).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let text = stdout(&check);
    assert!(text.contains("检查通过"), "{text}");
    for what in [
        "提醒：",
        "config.toml",
        "[holidays.2027]",
        "source = ",
        "off = [",
        "workdays = [",
    ] {
        assert!(text.contains(what), "{what}: {text}");
    }
    let check = minshi(home.path(), december)
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(v["ok"], true);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("[holidays.2027]")
    );
    // With the table added, nothing is said.
    std::fs::write(
        home.path().join("config.toml"),
        "[holidays.2027]\nsource = \"x\"\noff = [\"2027-01-01\"]\nworkdays = []\n",
    )
    .unwrap();
    let check = minshi(home.path(), december).arg("check").output().unwrap();
    assert!(!stdout(&check).contains("提醒"), "{}", stdout(&check));
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

/// `GOOD` received at another time (within the week before `NOW`), with another name.
fn received(name: &str, at: &str) -> String {
    GOOD.replace("王芳", name).replace(
        "\"group_size\":1",
        &format!("\"group_size\":1,\"received_at\":\"{at}\""),
    )
}

fn keys(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}{}", stdout(out), stderr(out)));
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_shows_open_closed_or_all_cases_received_between_two_dates() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for (name, at) in [
        ("张一", "2026-02-26T10:00:00+08:00"),
        ("张二", "2026-02-27T10:00:00+08:00"),
        ("张三", "2026-02-28T23:59:00+08:00"),
        ("张四", "2026-03-01T00:00:00+08:00"),
    ] {
        let out = register(h, &received(name, at));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // 张二 ends: 不予受理.
    let out = minshi(h, NOW)
        .args([
            "act",
            "2026-2",
            "不予受理",
            "--reason",
            "属诉讼事项，已引导至法院",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = |args: &[&str]| {
        let out = minshi(h, NOW)
            .arg("list")
            .args(args)
            .arg("--json")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        (keys(&out), stderr(&out))
    };
    // Open cases only, in board order (same deadline: by number).
    let (open, total) = list(&[]);
    assert_eq!(open, ["2026-000001", "2026-000003", "2026-000004"]);
    assert_eq!(total.trim(), "共3件在办，显示第1–3件");
    let (closed, _) = list(&["--closed"]);
    assert_eq!(closed, ["2026-000002"]);
    // All, newest first; the dates are Beijing days with both ends included.
    let (all, _) = list(&["--all"]);
    assert_eq!(
        all,
        ["2026-000004", "2026-000003", "2026-000002", "2026-000001"]
    );
    let (some, total) = list(&["--all", "--from", "2026-02-27", "--to", "2026-02-28"]);
    assert_eq!(some, ["2026-000003", "2026-000002"]);
    assert_eq!(total.trim(), "共2件，显示第1–2件");
    let (some, _) = list(&["--from", "2026-02-28"]);
    assert_eq!(some, ["2026-000003", "2026-000004"]);
    let (some, _) = list(&["--closed", "--to", "2026-02-26"]);
    assert!(some.is_empty());
    let (page, total) = list(&["--all", "--limit", "2", "--offset", "1"]);
    assert_eq!(page, ["2026-000003", "2026-000002"]);
    assert_eq!(total.trim(), "共4件，显示第2–3件");
    let (some, _) = list(&["--all", "--status", "不予受理"]);
    assert_eq!(some, ["2026-000002"]);
    // The table for people ends with the count.
    let out = minshi(h, NOW).args(["list", "--closed"]).output().unwrap();
    assert!(
        stdout(&out).contains("共1件已结束，显示第1–1件"),
        "{}",
        stdout(&out)
    );
    // What cannot be meant is refused as a usage error (exit 2), naming what can.
    for (args, says) in [
        (vec!["--from", "2026-03-02", "--to", "2026-03-01"], "写反了"),
        (vec!["--from", "2026-02-30"], "不是有效日期"),
        (vec!["--closed", "--overdue"], "不能与"),
        (vec!["--status", "已办结"], "--closed"),
        (vec!["--closed", "--status", "办理中"], "可选：已办结"),
    ] {
        let out = minshi(h, NOW).arg("list").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn an_unknown_town_unit_or_category_is_a_usage_error_naming_the_choices() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(register(h, GOOD).status.success());
    for (args, says) in [
        (
            vec!["--town", "不存在"],
            "没有「不存在」这个乡镇。可选：巩昌镇、文峰镇",
        ),
        (vec!["--town", "首阳"], "是不是「首阳镇」？"),
        (vec!["--unit", "不存在"], "没有「不存在」这个单位"),
        (vec!["--unit", "首阳司法所"], "是不是「首阳镇司法所」？"),
        (vec!["--category", "劳动纠纷"], "是不是「劳动争议」？"),
        (vec!["--all", "--unit", "不存在"], "这个单位"),
    ] {
        let out = minshi(h, NOW).arg("list").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    // A known name with nothing to show is not an error.
    let out = minshi(h, NOW)
        .args(["list", "--unit", "县司法局"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("没有符合条件的在办案件"));
}

#[test]
fn search_says_how_many_matched_and_pages_with_limit_and_offset() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for name in ["李一", "李二", "李三"] {
        assert!(register(h, &GOOD.replace("王芳", name)).status.success());
    }
    let search = |args: &[&str]| minshi(h, NOW).arg("search").args(args).output().unwrap();
    let out = search(&["工资", "--limit", "2", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The JSON stays an array of cases; the count goes to standard error.
    assert_eq!(keys(&out), ["2026-000003", "2026-000002"]);
    assert_eq!(stderr(&out).trim(), "共3件，显示第1–2件");
    let out = search(&["工资", "--limit", "2", "--offset", "2", "--json"]);
    assert_eq!(keys(&out), ["2026-000001"]);
    assert_eq!(stderr(&out).trim(), "共3件，显示第3–3件");
    let out = search(&["工资"]);
    assert!(
        stdout(&out).trim_end().ends_with("共3件，显示第1–3件"),
        "{}",
        stdout(&out)
    );
    let out = search(&["工资", "--offset", "5"]);
    assert!(
        stdout(&out).contains("共3件，第5件之后没有了"),
        "{}",
        stdout(&out)
    );
    let out = search(&["王"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("至少输入2个字"), "{}", stderr(&out));
}

#[test]
fn a_case_of_a_village_since_renamed_still_lists_shows_and_checks() {
    // Registers made before the village list was corrected hold 西三十铺村 (for 西三十里铺村).
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let old_towns = "[[towns]]\ncode = \"621122102\"\nname = \"首阳镇\"\n\
        villages = [\"西三十铺村\", \"南门村\"]\n";
    std::fs::write(h.join("config.toml"), old_towns).unwrap();
    let out = register(h, &GOOD.replace("南门村", "西三十铺村"));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = minshi(h, NOW)
        .args([
            "act",
            "2026-1",
            "分流",
            "--unit",
            "首阳镇西三十铺村村民委员会",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(h.join("config.toml")).unwrap();
    let check = minshi(h, NOW).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let show = minshi(h, NOW).args(["show", "2026-1"]).output().unwrap();
    assert!(stdout(&show).contains("西三十铺村"), "{}", stdout(&show));
    // The unit is no longer configured, but the register holds it.
    let out = minshi(h, NOW)
        .args(["list", "--unit", "首阳镇西三十铺村村民委员会", "--json"])
        .output()
        .unwrap();
    assert_eq!(keys(&out), ["2026-000001"]);
    // New registrations take the corrected name.
    let out = register(h, &GOOD.replace("南门村", "西三十里铺村"));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = register(h, &GOOD.replace("南门村", "西三十铺村"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("西三十里铺村"), "{}", stderr(&out));
}

/// clap's own English: what must never reach a clerk.
const CLAP_WORDS: &[&str] = &[
    "error:",
    "Usage",
    "usage:",
    "unexpected",
    "invalid",
    "required",
    "found",
    "supplied",
    "possible values",
    "cannot be used",
    "tip:",
    "For more information",
    "Print help",
    "Options:",
    "Commands:",
    "Arguments:",
    "[OPTIONS]",
    "out of range",
];

fn assert_chinese(what: &str, text: &str) {
    for word in CLAP_WORDS {
        assert!(!text.contains(word), "{what}: 「{word}」 in {text}");
    }
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: not Chinese: {text}"
    );
}

#[test]
fn every_refused_command_line_is_explained_in_chinese_with_exit_code_2() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(register(h, GOOD).status.success());
    for (args, says) in [
        (vec!["list", "--limit", "-5"], "不能为负数"),
        (vec!["list", "--limit"], "--limit <N> 后面要写一个值"),
        (vec!["list", "--bogus"], "没有「--bogus」这个选项"),
        (vec!["list", "--limt", "5"], "是不是「--limit」"),
        (vec!["lst"], "没有「lst」这个命令，是不是「list」？"),
        (vec!["show", "-5"], "不能写负数"),
        (vec!["show"], "缺少必须写的参数：<编号>"),
        (vec!["search", "工资", "多余"], "多余的参数「多余」"),
        (
            vec![
                "act",
                "2026-1",
                "回访",
                "--way",
                "飞鸽",
                "--satisfaction",
                "满意",
            ],
            "可选：电话、上门、当面、来访、短信、微信",
        ),
        (
            vec!["act", "2026-1", "办结", "--outcome", "好"],
            "可选：支持",
        ),
        (vec!["list", "--overdue", "--all"], "不能与"),
        (vec!["list", "--json", "--json"], "只能写一次"),
        (
            vec!["due", "--from", "2026-03-01", "--days", "-5"],
            "不能为负数",
        ),
        (vec!["demo", "--cases", "abc"], "不是整数"),
        (vec!["print", "slip"], "缺少必须写的参数"),
    ] {
        let out = minshi(h, NOW).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("--help 查看用法"), "{args:?}: {err}");
        assert_chinese(&format!("{args:?}"), &err);
    }
    // A command without its subcommand shows the help, in Chinese, on standard error.
    for args in [vec!["user"], vec!["evidence"], vec!["print"]] {
        let out = minshi(h, NOW).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("用法："), "{args:?}: {err}");
        assert_chinese(&format!("{args:?}"), &err);
    }
    // A file that is not there: the system's English reason is not passed on either.
    let out = minshi(h, NOW)
        .args(["register", "--json", "/nonexistent/案件.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("文件或目录不存在"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("No such file"), "{}", stderr(&out));
    // A date that does not exist: chrono's English reason is not passed on.
    let out = minshi(h, NOW)
        .args(["due", "--from", "2026-02-30", "--days", "5"])
        .output()
        .unwrap();
    assert_chinese("due 2026-02-30", &stderr(&out));
}

#[test]
fn help_is_chinese_and_shows_the_choices() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["list", "--help"],
        vec!["act", "--help"],
        vec!["print", "slip", "--help"],
        vec!["help", "search"],
    ] {
        let out = minshi_raw(home.path(), NOW).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = stdout(&out);
        assert!(text.contains("用法："), "{args:?}: {text}");
        assert_chinese(&format!("{args:?}"), &text);
    }
    let act = stdout(
        &minshi_raw(home.path(), NOW)
            .args(["act", "--help"])
            .output()
            .unwrap(),
    );
    assert!(
        act.contains("[可选：电话, 上门, 当面, 来访, 短信, 微信, 沟通会]"),
        "{act}"
    );
    assert!(act.contains("回访方式"), "{act}");
}

#[test]
fn a_town_center_searches_and_counts_only_its_own_cases() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for json in [
        GOOD.to_string(),
        GOOD.replace("首阳镇", "巩昌镇").replace("南门村", "西街村"),
        GOOD.to_string(),
    ] {
        let out = register(h, &json);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = minshi(h, NOW)
        .args(["user", "add", "gc", "--name", "赵强", "--role", "受理员"])
        .args(["--center", "巩昌镇"])
        .env("MINSHI_NEW_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = minshi(h, NOW)
        .args(["--as", "gc", "search", "工资", "--json"])
        .env("MINSHI_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    assert_eq!(keys(&out), ["2026-000002"]);
    assert_eq!(stderr(&out).trim(), "共1件，显示第1–1件");
    let out = minshi(h, NOW)
        .args(["search", "工资", "--json"])
        .output()
        .unwrap();
    assert_eq!(stderr(&out).trim(), "共3件，显示第1–3件");
}
