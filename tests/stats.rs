//! Statistics and exports as a supervisor uses them: the real binary, a real register. Every
//! figure of `minshi stats --json` is recomputed here from the CSV export, by RULES.md's
//! definitions written out again (not by the library's code), for several periods and
//! break-downs, on hand-made edge cases and on demo data.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use common::{at, input, minshi, open, stderr, stdout};
use minshi::domain::{Action, CaseKey, Level, Outcome, Satisfaction};

const NOW: &str = "2026-06-30T17:00:00+08:00";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-06-30")
}

/// One exported case, as the test reads it.
#[derive(Debug, Clone)]
struct Row {
    cols: BTreeMap<String, String>,
}

impl Row {
    fn get(&self, k: &str) -> &str {
        self.cols
            .get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no column {k}"))
    }
    fn date(&self, k: &str) -> Option<NaiveDate> {
        let v = self.get(k);
        (!v.is_empty()).then(|| day(v))
    }
    fn is_open(&self) -> bool {
        matches!(self.get("状态"), "已登记" | "已分流" | "办理中")
    }
    /// (date, satisfaction label) of every 回访.
    fn follow_ups(&self) -> Vec<(NaiveDate, String)> {
        let v = self.get("回访记录");
        if v.is_empty() {
            return Vec::new();
        }
        v.split('；')
            .map(|item| {
                let (d, s) = item.split_once(' ').unwrap();
                (day(d), s.to_string())
            })
            .collect()
    }
    fn group(&self, by: &str) -> String {
        let or_unrouted = |v: &str| {
            if v.is_empty() {
                "未分流".to_string()
            } else {
                v.to_string()
            }
        };
        match by {
            "town" => self.get("乡镇").into(),
            "village" => format!("{}/{}", self.get("乡镇"), self.get("村")),
            "unit" => or_unrouted(self.get("责任单位")),
            "category" => self.get("类别").into(),
            "channel" => self.get("渠道").into(),
            "route" => self.get("办理方式").into(),
            "level" => or_unrouted(self.get("层级")),
            "clerk" => self.get("受理人").into(),
            other => panic!("{other}"),
        }
    }
}

fn read_csv(path: &Path) -> Vec<Row> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "CSV starts with a BOM"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| Row {
            cols: headers
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect(),
        })
        .collect()
}

/// RULES.md "Statistics", for the cases `rows` over [from, to], counted again by hand.
#[derive(Debug, Default, Clone, PartialEq)]
struct Expected {
    received: i64,
    ended: i64,
    resolved: i64,
    repeated: i64,
    on_time: i64,
    days: i64,
    closed_ended: i64,
    closed_followed: i64,
    fu: i64,
    fu_satisfied: i64,
    overdue: i64,
    levels: [i64; 3],
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn expected(rows: &[&Row], from: NaiveDate, to: NaiveDate) -> Expected {
    let mut e = Expected::default();
    let inside = |d: NaiveDate| d >= from && d <= to;
    let reference = to.min(today());
    for r in rows {
        let received = r.date("受理日期").unwrap();
        if inside(received) {
            e.received += 1;
            if r.get("重复来访") == "是" || r.get("状态") == "已合并" {
                e.repeated += 1;
            }
            if !r.is_open() && ["调解成功", "支持", "解释说明"].contains(&r.get("办理结果"))
            {
                e.resolved += 1;
                // 当场办结 without a unit: the county center's own level.
                let level = match r.get("层级") {
                    "村" => 0,
                    "乡镇" => 1,
                    _ => 2,
                };
                e.levels[level] += 1;
            }
        }
        if let Some(end) = r.date("首次办结日期")
            && inside(end)
        {
            e.ended += 1;
            e.days += (end - received).num_days();
            if r.get("首次办结按期") == "是" {
                e.on_time += 1;
            }
            if r.get("首次结束方式") == "办结" {
                e.closed_ended += 1;
                if !r.follow_ups().is_empty() {
                    e.closed_followed += 1;
                }
            }
        }
        if let Some((_, latest)) = r.follow_ups().into_iter().rfind(|(d, _)| inside(*d)) {
            e.fu += 1;
            if ["非常满意", "满意", "基本满意"].contains(&latest.as_str()) {
                e.fu_satisfied += 1;
            }
        }
        if r.is_open() && r.date("办理期限").unwrap() < reference {
            e.overdue += 1;
        }
    }
    e
}

fn close(a: Option<f64>, b: &serde_json::Value, what: &str) {
    match a {
        None => assert!(b.is_null(), "{what}: expected none, got {b}"),
        Some(a) => {
            let b = b
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: expected {a}, got {b}"));
            assert!((a - b).abs() < 1e-9, "{what}: expected {a}, got {b}");
        }
    }
}

fn compare(e: &Expected, got: &serde_json::Value, what: &str) {
    let n = |k: &str| got[k].as_i64().unwrap_or(-1);
    assert_eq!(n("received"), e.received, "{what} received");
    assert_eq!(n("ended"), e.ended, "{what} ended");
    assert_eq!(n("resolved"), e.resolved, "{what} resolved");
    assert_eq!(n("repeated"), e.repeated, "{what} repeated");
    assert_eq!(n("overdue_open"), e.overdue, "{what} overdue_open");
    close(ratio(e.resolved, e.received), &got["resolved_rate"], what);
    close(ratio(e.on_time, e.ended), &got["on_time_rate"], what);
    close(ratio(e.days, e.ended), &got["avg_days"], what);
    close(
        ratio(e.closed_followed, e.closed_ended),
        &got["follow_up_rate"],
        what,
    );
    close(ratio(e.fu_satisfied, e.fu), &got["satisfaction_rate"], what);
    close(ratio(e.repeated, e.received), &got["repeat_rate"], what);
    for (i, k) in ["village", "township", "county"].iter().enumerate() {
        close(
            ratio(e.levels[i], e.resolved),
            &got["level_shares"][k],
            &format!("{what} {k} share"),
        );
    }
}

fn stats_json(home: &Path, from: &str, to: &str, by: &str) -> serde_json::Value {
    let out = minshi(home, NOW)
        .args(["stats", "--from", from, "--to", to, "--by", by, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn export_all(home: &Path) -> Vec<Row> {
    let csv = home.join("all.csv");
    let out = minshi(home, NOW)
        .args([
            "export",
            "register",
            "--from",
            "2000-01-01",
            "--to",
            "2026-06-30",
            "--csv",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    read_csv(&csv)
}

/// Every figure of every row and the total, for these periods and break-downs.
fn recompute_and_compare(home: &Path, periods: &[(&str, &str)], dims: &[&str]) {
    let rows = export_all(home);
    for (from, to) in periods {
        let (f, t) = (day(from), day(to));
        for by in dims {
            let v = stats_json(home, from, to, by);
            let all: Vec<&Row> = rows.iter().collect();
            compare(
                &expected(&all, f, t),
                &v["total"],
                &format!("{from}..{to} total"),
            );
            let mut seen = 0;
            if *by == "month" {
                let mut start = f;
                while start <= t {
                    let next = NaiveDate::from_ymd_opt(
                        if start.format("%m").to_string() == "12" {
                            start.format("%Y").to_string().parse::<i32>().unwrap() + 1
                        } else {
                            start.format("%Y").to_string().parse().unwrap()
                        },
                        start.format("%m").to_string().parse::<u32>().unwrap() % 12 + 1,
                        1,
                    )
                    .unwrap();
                    let end = (next - Duration::days(1)).min(t);
                    let key = start.format("%Y-%m").to_string();
                    let got = v["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["key"] == key.as_str())
                        .unwrap_or_else(|| panic!("no row {key}"));
                    compare(&expected(&all, start, end), got, &key);
                    seen += 1;
                    start = next;
                }
            } else {
                let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
                for r in &rows {
                    groups.entry(r.group(by)).or_default().push(r);
                }
                for (key, members) in &groups {
                    let e = expected(members, f, t);
                    let got = v["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["key"] == key.as_str());
                    match got {
                        Some(got) => {
                            compare(&e, got, &format!("{from}..{to} {by} {key}"));
                            seen += 1;
                        }
                        None => assert!(
                            e.received == 0 && e.ended == 0 && e.overdue == 0 && e.fu == 0,
                            "{from}..{to} {by}: row {key} missing: {e:?}"
                        ),
                    }
                }
            }
            assert_eq!(
                v["rows"].as_array().unwrap().len(),
                seen,
                "{from}..{to} {by}: rows shown"
            );
            assert!(
                v["definitions"]["resolved_rate"]["definition"]
                    .as_str()
                    .is_some_and(|d| d.contains("受理数"))
            );
        }
    }
}

fn key(n: u32) -> CaseKey {
    CaseKey { year: 2026, seq: n }
}

/// Edge cases by hand: ended on the due date, late, extended, reopened and 回访 twice, merged,
/// declined, on the spot, still open and overdue.
fn edge_cases(home: &Path) {
    let mut store = open(home);
    let who = common::who(&mut store);
    let mut n = 0;
    let mut register = |name: &str, category: &str, received: &str, route: &str| {
        let mut i = input(name, category, "请求调解");
        i.route = route.into();
        i.received_at = Some(at(&format!("{received}T09:00:00+08:00")));
        // A phone of their own: nobody is a repeat visitor by accident.
        n += 1;
        i.phone = format!("1391234{n:04}");
        store
            .register(&i, &who, at(&format!("{received}T09:00:00+08:00")))
            .unwrap()
            .key
    };
    let a = register("甲", "邻里", "2026-03-02", "限时办理");
    let b = register("乙", "邻里", "2026-03-05", "限时办理");
    let c = register("丙", "劳动争议", "2026-03-10", "限时办理");
    let d = register("丁", "邻里", "2026-03-11", "限时办理");
    let e = register("戊", "求助", "2026-04-01", "限时办理");
    let f = register("己", "邻里", "2026-04-02", "限时办理");
    let g = register("庚", "邻里", "2026-04-20", "限时办理");
    let h = register("辛", "政策咨询", "2026-05-06", "当场办结");
    assert_eq!(h, key(8));
    let mut store = open(home);
    let t = |s: &str| at(&format!("{s}T10:00:00+08:00"));
    let mut act = |k: CaseKey, a: Action, when: &str| {
        store
            .act(k, &a, &who, t(when))
            .unwrap_or_else(|e| panic!("{k} {when}: {e}"))
    };
    let dispatch = |unit: &str, level| Action::Dispatch {
        level,
        unit: unit.into(),
        note: String::new(),
    };
    let accept = || Action::Accept {
        note: String::new(),
    };
    let closing = |o| Action::Close {
        outcome: o,
        result: "已办理".into(),
        basis: String::new(),
    };
    let visit = |d: &str, s| Action::FollowUp {
        date: day(d),
        way: "电话".into(),
        satisfaction: s,
        notes: String::new(),
    };
    // a: closed on its due date (邻里: 30 days), followed up satisfied.
    let due_a = store_due(home, a);
    act(a, dispatch("首阳镇司法所", Level::Township), "2026-03-02");
    act(a, accept(), "2026-03-03");
    act(a, closing(Outcome::Mediated), &due_a.to_string());
    act(
        a,
        visit(
            &(due_a + Duration::days(2)).to_string(),
            Satisfaction::Satisfied,
        ),
        &(due_a + Duration::days(2)).to_string(),
    );
    // b: closed late, mediation failed.
    let due_b = store_due(home, b);
    act(b, dispatch("县司法局", Level::County), "2026-03-05");
    act(b, accept(), "2026-03-06");
    act(
        b,
        closing(Outcome::MediationFailed),
        &(due_b + Duration::days(3)).to_string(),
    );
    // c: closed, 回访 dissatisfied, reopened, closed again, 回访 satisfied (回访 twice).
    act(
        c,
        dispatch("首阳镇南门村村民委员会", Level::Village),
        "2026-03-10",
    );
    act(c, accept(), "2026-03-10");
    act(c, closing(Outcome::Supported), "2026-03-20");
    act(
        c,
        visit("2026-03-22", Satisfaction::Dissatisfied),
        "2026-03-22",
    );
    act(
        c,
        Action::Reopen {
            reason: "群众不满意".into(),
        },
        "2026-03-23",
    );
    act(c, closing(Outcome::Supported), "2026-04-10");
    act(
        c,
        visit("2026-04-12", Satisfaction::VerySatisfied),
        "2026-04-12",
    );
    // d: merged into a.
    act(d, Action::Merge { into: a }, "2026-03-12");
    // e: declined.
    act(
        e,
        Action::Decline {
            reason: "属诉讼事项，已引导至法院".into(),
        },
        "2026-04-01",
    );
    // f: extended by 10 days, closed after the first due date but before the new one.
    let due_f = store_due(home, f);
    act(f, dispatch("首阳镇司法所", Level::Township), "2026-04-02");
    act(f, accept(), "2026-04-02");
    act(
        f,
        Action::Extend {
            days: 10,
            reason: "需现场勘查".into(),
        },
        &(due_f - Duration::days(1)).to_string(),
    );
    act(
        f,
        closing(Outcome::Mediated),
        &(due_f + Duration::days(5)).to_string(),
    );
    // g: dispatched, still open and overdue on 2026-06-30.
    act(g, dispatch("首阳镇人民政府", Level::Township), "2026-04-20");
    // h: on the spot.
    act(h, closing(Outcome::Explained), "2026-05-06");
}

fn store_due(home: &Path, k: CaseKey) -> NaiveDate {
    open(home).case(k).unwrap().due_date
}

#[test]
fn figures_on_edge_cases_match_a_recount_of_the_export() {
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let rows = export_all(home.path());
    assert_eq!(rows.len(), 8);
    let c = &rows[2];
    assert_eq!(c.follow_ups().len(), 2, "{c:?}");
    assert_eq!(c.get("首次办结日期"), "2026-03-20");
    let a = &rows[0];
    assert_eq!(a.get("首次办结按期"), "是", "ended on its due date");
    let f = &rows[5];
    assert_eq!(f.get("首次办结按期"), "是", "within the extension");
    assert_eq!(f.get("延期天数"), "10");
    let g = &rows[6];
    assert!(g.get("超期天数").parse::<i64>().unwrap() > 0);
    recompute_and_compare(
        home.path(),
        &[
            ("2026-01-01", "2026-12-31"),
            ("2026-03-01", "2026-03-31"),
            ("2026-03-15", "2026-04-11"),
            ("2026-04-12", "2026-04-12"),
            ("2026-03-21", "2026-06-30"),
        ],
        &[
            "town", "village", "unit", "category", "level", "route", "clerk", "channel", "month",
        ],
    );
    // By hand, for the year: 8 received; a, c, f, h resolved (b failed, d merged, e declined).
    let v = stats_json(home.path(), "2026-01-01", "2026-12-31", "town");
    assert_eq!(v["total"]["received"], 8);
    assert_eq!(v["total"]["resolved"], 4);
    assert_eq!(v["total"]["ended"], 7);
    assert_eq!(v["total"]["overdue_open"], 1);
    assert_eq!(v["total"]["repeated"], 1);
    // c's two 回访 in one period count once, by the later (satisfied); a's is satisfied too.
    assert_eq!(v["total"]["counts"]["follow_ups"], 2);
    assert_eq!(v["total"]["satisfaction_rate"], 1.0);
    // In March alone c's first 回访 (dissatisfied) is the latest.
    let v = stats_json(home.path(), "2026-03-01", "2026-03-31", "town");
    assert_eq!(v["total"]["counts"]["follow_ups"], 1);
    assert_eq!(v["total"]["satisfaction_rate"], 0.0);
    let check = minshi(home.path(), NOW)
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}

#[test]
fn figures_on_demo_data_match_a_recount_of_the_export() {
    let home = tempfile::tempdir().unwrap();
    let out = minshi(home.path(), NOW)
        .args(["demo", "--cases", "1500"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    recompute_and_compare(
        home.path(),
        &[
            ("2026-01-01", "2026-06-30"),
            ("2026-04-01", "2026-04-30"),
            ("2026-03-17", "2026-05-09"),
        ],
        &[
            "town", "village", "unit", "category", "channel", "route", "level", "clerk", "month",
        ],
    );
    let check = minshi(home.path(), NOW).args(["check"]).output().unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}

#[test]
fn statistics_are_for_supervisors_and_periods_come_in_words() {
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let out = minshi(home.path(), NOW)
        .args(["--as", "zhangli", "stats", "--json"])
        .env("MINSHI_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("只有值班长、管理员可以"),
        "{}",
        stderr(&out)
    );
    let out = minshi(home.path(), NOW)
        .args([
            "--as", "wangfang", "stats", "--period", "上月", "--by", "类别", "--json",
        ])
        .env("MINSHI_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["period"]["from"], "2026-05-01");
    assert_eq!(v["period"]["to"], "2026-05-31");
    assert_eq!(v["by"], "category");
    let out = minshi(home.path(), NOW)
        .args(["stats", "--period", "本季度", "--by", "月份"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("2026-04-01 至 2026-06-30"), "{text}");
    assert!(text.contains("合计") && text.contains("化解率："), "{text}");
    let out = minshi(home.path(), NOW)
        .args(["stats", "--by", "星期"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不是分组方式"), "{}", stderr(&out));
}

#[test]
fn the_xlsx_export_has_dates_a_frozen_header_and_wide_chinese_columns() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let file = home.path().join("登记簿.xlsx");
    let out = minshi(home.path(), NOW)
        .args(["export", "register", "--period", "本年", "--xlsx"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "personal data is owner-only");
    }
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["登记簿", "说明"]);
    let sheet = book.worksheet_range("登记簿").unwrap();
    assert_eq!(sheet.get_size().0, 9, "header and eight cases");
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("案件编号".into())));
    assert_eq!(
        sheet.get((1, 0)),
        Some(&Data::String("陇综民〔2026〕1号".into()))
    );
    let received = sheet.get((1, 2)).unwrap();
    assert!(
        matches!(received, Data::DateTime(_)),
        "受理日期 is a date cell: {received:?}"
    );
    let serial = (day("2026-03-02") - day("1899-12-30")).num_days() as f64;
    assert!(
        matches!(received, Data::DateTime(d) if d.as_f64() == serial),
        "{received:?}"
    );
    let notes = book.worksheet_range("说明").unwrap();
    let text: Vec<String> = notes.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("王建国")),
        "who exported: {text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("化解数 ÷ 受理数")),
        "definitions"
    );

    // Widths, frozen pane and autofilter from the sheet's XML.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains(r#"<pane ySplit="1""#) || xml.contains(r#"ySplit="1""#),
        "frozen header"
    );
    assert!(xml.contains("<autoFilter ref=\"A1:"), "autofilter");
    // `<col min="12" max="13" width="10.7"/>`: neighbours of one width share an element.
    let mut widths = vec![0.0f64; 64];
    for col in xml.split("<col ").skip(1) {
        let attr = |name: &str| -> &str {
            let at = col.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            col[at..].split('"').next().unwrap()
        };
        let (min, max): (usize, usize) =
            (attr("min").parse().unwrap(), attr("max").parse().unwrap());
        for w in &mut widths[min..=max] {
            *w = attr("width").parse().unwrap();
        }
    }
    let width = |col: usize| widths[col];
    // 案件编号 陇综民〔2026〕1号 is 16 columns wide on screen: wider than its 9 characters.
    assert!(width(1) >= 16.0, "case number column {}", width(1));
    // 诉求 (Chinese) is wider than 紧急 (是/否).
    assert!(width(13) > width(37));

    let stats = home.path().join("统计.xlsx");
    let out = minshi(home.path(), NOW)
        .args(["stats", "--period", "本年", "--by", "乡镇", "--xlsx"])
        .arg(&stats)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book: Xlsx<_> = open_workbook(&stats).unwrap();
    assert_eq!(book.sheet_names(), ["统计表", "说明"]);
    let sheet = book.worksheet_range("统计表").unwrap();
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("首阳镇".into())));
    assert_eq!(sheet.get((1, 1)), Some(&Data::Float(8.0)));
    assert_eq!(sheet.get((2, 0)), Some(&Data::String("合计".into())));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&stats).unwrap()).unwrap();
    assert!(
        zip.by_name("xl/charts/chart1.xml").is_ok(),
        "a native chart"
    );
}

#[test]
fn the_csv_export_masks_on_request_and_filters() {
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let csv = home.path().join("邻里.csv");
    let out = minshi(home.path(), NOW)
        .args([
            "export",
            "register",
            "--period",
            "本年",
            "--category",
            "邻里",
            "--mask",
            "--csv",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.get("类别") == "邻里"));
    let name = rows[0].get("当事人");
    assert!(name.starts_with('甲') && name != "甲", "masked name {name}");
    assert!(rows[0].get("联系电话").contains("****"), "{:?}", rows[0]);
}

#[test]
fn header_rates_follow_the_board_filters_by_either_path() {
    use minshi::domain::stats::Period;
    use minshi::store::BoardFilter;
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let mut store = open(home.path());
    let who = common::who(&mut store);
    let year = Period::named("本年", today()).unwrap();
    let rates = |f: BoardFilter| store.header_rates(&who, &f, year, today()).unwrap();
    let all = rates(BoardFilter::default());
    assert_eq!((all.received(), all.resolved(), all.ended()), (8, 4, 7));
    // One filter rides the sums; unit and category together are counted case by case.
    let unit = rates(BoardFilter {
        unit: Some("首阳镇司法所".into()),
        ..BoardFilter::default()
    });
    let both = rates(BoardFilter {
        unit: Some("首阳镇司法所".into()),
        category: Some("邻里".into()),
        ..BoardFilter::default()
    });
    assert_eq!(unit.received(), 2, "a and f");
    assert_eq!(unit, both);
    assert_eq!(unit.on_time_rate(), Some(1.0));
    let other_town = rates(BoardFilter {
        town: Some("文峰镇".into()),
        ..BoardFilter::default()
    });
    assert_eq!(other_town.received(), 0);
}

/// The cases behind a row of a table — what Enter on the statistics screen lists — are as many
/// as the row received, for every break-down and several periods, on the hand-made edge cases
/// with demo data besides; and for a town's or a village's center, only cases of its area.
#[test]
fn the_cases_behind_each_row_are_as_many_as_it_received() {
    use minshi::domain::stats::{Dim, Period};
    use minshi::domain::{Center, Role};
    use minshi::store::NewAccount;
    let home = tempfile::tempdir().unwrap();
    edge_cases(home.path());
    let mut store = open(home.path());
    minshi::demo::generate(&mut store, 800, 3, at(NOW), &mut |_| {}).unwrap();
    let admin = common::login(&mut store, "admin");
    for (login, center) in [("sy", "首阳镇"), ("nm", "首阳镇/南门村")] {
        let account = NewAccount {
            login: login.into(),
            real_name: format!("{login}值班长"),
            role: Role::Supervisor,
            center: Center::from_code(center),
            os_user: None,
        };
        store
            .add_account(&account, common::PASSWORD, Some(&admin), at(NOW))
            .unwrap();
    }
    let periods = [
        Period::named("本年", today()).unwrap(),
        Period::named("上月", today()).unwrap(),
        Period::new(day("2025-11-17"), day("2026-02-09")).unwrap(),
    ];
    let mut rows_seen = 0;
    for login in ["wangfang", "sy", "nm"] {
        let who = common::login(&mut store, login);
        for period in periods {
            for by in Dim::ALL {
                let table = store.statistics(&who, period, by, today()).unwrap();
                let labels = table.rows.iter().map(|(k, f)| (Some(k.as_str()), f));
                for (label, figures) in labels.chain([(None, &table.total)]) {
                    let what = format!("{login} {} {by:?} {label:?}", period.describe());
                    let cases = table.cases(label).unwrap_or_else(|| panic!("{what}"));
                    let n = store.select_count(&cases, today()).unwrap();
                    assert_eq!(n as i64, figures.received(), "{what}: {cases:?}");
                    for row in store.select(&cases, today(), 0, 10_000).unwrap() {
                        let day = row.received_at.date_naive();
                        assert!(day >= period.from && day <= period.to, "{what}");
                        match login {
                            "sy" => assert_eq!(row.town, "首阳镇", "{what}"),
                            "nm" => assert_eq!(
                                (row.town.as_str(), row.village.as_str()),
                                ("首阳镇", "南门村"),
                                "{what}"
                            ),
                            _ => {}
                        }
                    }
                    rows_seen += 1;
                }
            }
        }
    }
    assert!(rows_seen > 500, "{rows_seen} rows");
    // A label the table cannot have lists nothing rather than something else.
    let who = common::who(&mut store);
    let table = store
        .statistics(&who, periods[0], Dim::Route, today())
        .unwrap();
    assert!(table.cases(Some("马上办")).is_none());
}
