//! 一本、一单、一会 through the real binary: a cadre's visit with two matters to report, their
//! triage (one registered as a case, one answered), the case handled and closed, fed back at a
//! 民心沟通会 where its party is revisited, and an opinion there becoming a new report form.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::{PASSWORD, minshi, stderr, stdout};
use serde_json::Value;

const DAY1: &str = "2026-03-02T09:00:00+08:00";
const DAY2: &str = "2026-03-03T10:00:00+08:00";
const DAY9: &str = "2026-03-10T15:00:00+08:00";
const DAY20: &str = "2026-03-21T09:00:00+08:00";

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

fn json(out: Output) -> Value {
    let text = ok(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn add_cadre(home: &Path) {
    let out = minshi(home, DAY1)
        .args([
            "user",
            "add",
            "mahui",
            "--name",
            "马慧",
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
  "reports": [
    {"name": "张明", "phone": "13912345679", "request": "在县城工地务工被拖欠工资12000元",
     "facts": "2025年在某工地务工6个月，工头拖欠工资", "opinion": "建议立案，转司法所调解"},
    {"request": "村道路灯不亮，夜间出行不便", "opinion": "建议当场答复"}
  ]
}"#;

#[test]
fn the_loop_closes_from_a_visit_to_a_meeting() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    add_cadre(home);

    // 一本: the cadre's visit, with two matters that must go up.
    let visit = json(run(
        home,
        DAY1,
        Some("mahui"),
        &["visit", "add", "--json", "-"],
        VISIT,
    ));
    let keys: Vec<String> = visit["report_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["2026-000001", "2026-000002"]);
    assert_eq!(visit["cadre_name"], "马慧");
    // A cadre sees the phone masked.
    assert_eq!(visit["phone"], "139****5678");
    let listed = ok(run(home, DAY1, Some("mahui"), &["visit", "list"], ""));
    assert!(
        listed.contains("张桂兰") && listed.contains("报告单2张"),
        "{listed}"
    );

    // 一单: both wait in the queue; a cadre may not triage.
    let queue = json(run(
        home,
        DAY2,
        None,
        &["report", "list", "--pending", "--json"],
        "",
    ));
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["report_no"], "陇民报〔2026〕1号");
    assert_eq!(queue[0]["source"], "入户走访");
    assert_eq!(queue[0]["status"], "待研判");
    let refused = run(
        home,
        DAY2,
        Some("mahui"),
        &["report", "triage", "2026-2", "答复", "--answer", "好"],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("无权研判"),
        "{}",
        stderr(&refused)
    );

    // 研判: the first registered as a case (the form prefilled from the report), the second
    // answered on the spot.
    let case = json(run(
        home,
        DAY2,
        None,
        &[
            "report",
            "triage",
            "陇民报〔2026〕1号",
            "立案",
            "--json",
            "-",
        ],
        r#"{"category": "劳动争议", "route": "限时办理", "unit": "首阳镇司法所"}"#,
    ));
    let case_key = case["key"].as_str().unwrap().to_string();
    assert_eq!(case["report"], "2026-000001");
    assert_eq!(case["name"], "张明");
    assert_eq!(case["channel"], "入户走访");
    let answered = json(run(
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
    assert_eq!(answered["status"], "当场答复");
    assert_eq!(
        answered["triage"]["text"],
        "已协调村委会更换路灯，三日内修复"
    );
    let report = json(run(
        home,
        DAY2,
        None,
        &["report", "show", "2026-1", "--json"],
        "",
    ));
    assert_eq!(report["case"], case_key.as_str());
    assert_eq!(report["status"], "立案");
    let again = run(
        home,
        DAY2,
        None,
        &["report", "triage", "2026-1", "答复", "--answer", "x"],
        "",
    );
    assert!(stderr(&again).contains("已研判"), "{}", stderr(&again));
    let queue = json(run(
        home,
        DAY2,
        None,
        &["report", "list", "--pending", "--json"],
        "",
    ));
    assert_eq!(queue.as_array().unwrap().len(), 0);

    // The case handled and closed.
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
    let shown = json(run(home, DAY9, None, &["show", &case_key, "--json"], ""));
    assert_eq!(shown["report"], "2026-000001");
    let timeline = shown["timeline"].to_string();
    assert!(
        timeline.contains("由民意报告单陇民报〔2026〕1号立案"),
        "{timeline}"
    );

    // 一会: the meeting suggests the case, feeds it back, revisits its party, and takes an
    // opinion as a new report form.
    let meeting = json(run(
        home,
        DAY20,
        None,
        &["meeting", "add", "--json", "-"],
        r#"{"title": "首阳镇三月民心沟通会", "held_at": "2026-03-20T14:30:00+08:00",
            "place": "首阳镇南门村村委会会议室", "host": "中共首阳镇委员会", "chair": "刘洋",
            "recorder": "陈静", "units": ["首阳镇综治中心", "首阳镇司法所", "首阳派出所"],
            "attendance": 46, "representatives": ["张桂兰", "王有福"],
            "town": "首阳镇", "village": "南门村",
            "items": "通报本月受理和办结情况", "plans": "下月走访南门村全部农户"}"#,
    ));
    assert_eq!(meeting["meeting_no"], "陇沟通〔2026〕1号");
    let mkey = meeting["key"].as_str().unwrap().to_string();
    let suggested = ok(run(home, DAY20, None, &["meeting", "feedback", &mkey], ""));
    assert!(suggested.contains(&case_key), "{suggested}");
    assert!(suggested.contains("调解成功"), "{suggested}");
    ok(run(
        home,
        DAY20,
        None,
        &["meeting", "feedback", &mkey, &case_key],
        "",
    ));
    let revisited = ok(run(
        home,
        DAY20,
        None,
        &[
            "meeting",
            "revisit",
            &mkey,
            &case_key,
            "--satisfaction",
            "满意",
            "--note",
            "工资已全部到手",
        ],
        "",
    ));
    assert!(revisited.contains("会上回访：满意"), "{revisited}");
    let shown = json(run(home, DAY20, None, &["show", &case_key, "--json"], ""));
    let timeline = shown["timeline"].to_string();
    assert!(timeline.contains("沟通会回访"), "{timeline}");
    let opinion = ok(run(
        home,
        DAY20,
        None,
        &[
            "meeting",
            "opinion",
            &mkey,
            "--speaker",
            "王有福",
            "--text",
            "村东头排水沟堵塞，雨天积水",
            "--report",
        ],
        "",
    ));
    assert!(
        opinion.contains("已转为民意报告单 陇民报〔2026〕3号"),
        "{opinion}"
    );
    let queue = json(run(
        home,
        DAY20,
        None,
        &["report", "list", "--pending", "--json"],
        "",
    ));
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["source"], "民心沟通会");
    assert_eq!(queue[0]["meeting"], mkey.as_str());
    let shown = json(run(
        home,
        DAY20,
        None,
        &["meeting", "show", &mkey, "--json"],
        "",
    ));
    assert_eq!(shown["feedback"][0]["name_masked"], "张某某");
    assert_eq!(shown["feedback"][0]["satisfaction"], "满意");
    assert_eq!(shown["opinions"][0]["report_no"], "陇民报〔2026〕3号");

    // The report form is the case's 事项来源 and the meeting's 回访 its record: 归档 needs no
    // 值班长's confirmation of missing evidence.
    ok(run(home, DAY20, None, &["act", &case_key, "归档"], ""));

    // The figures of the loop: both reports triaged within the limit, the one ended case fed
    // back; a third report (the opinion) still waits and does not count.
    let stats = json(run(
        home,
        DAY20,
        None,
        &[
            "stats",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--by",
            "乡镇",
            "--json",
        ],
        "",
    ));
    assert_eq!(stats["total"]["triage_on_time_rate"], 1.0, "{stats}");
    assert_eq!(stats["total"]["feedback_rate"], 1.0, "{stats}");
    let town = &stats["rows"][0];
    assert_eq!(town["key"], "首阳镇");
    assert_eq!(town["feedback_rate"], 1.0, "{town}");
    let by_category = json(run(
        home,
        DAY20,
        None,
        &[
            "stats",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--by",
            "类别",
            "--json",
        ],
        "",
    ));
    assert_eq!(by_category["rows"][0]["feedback_rate"], Value::Null);
    assert_eq!(by_category["total"]["feedback_rate"], 1.0);

    // Search finds the visit and the reports as it finds cases; the register checks clean,
    // every new record replayed from the timeline.
    let found = ok(run(home, DAY20, None, &["search", "路灯"], ""));
    assert!(found.contains("陇民报〔2026〕2号"), "{found}");
    ok(run(home, DAY20, None, &["check"], ""));
}

#[test]
fn bad_records_are_refused_naming_the_fields() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let out = run(
        home,
        DAY1,
        None,
        &["report", "add", "--json", "-"],
        r#"{"source": "飞鸽传书", "town": "首阳镇", "phone": "12"}"#,
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("来源（source）"), "{err}");
    assert!(err.contains("反映事项（request）：必填"), "{err}");
    assert!(err.contains("当事人电话（phone）"), "{err}");
    let out = run(
        home,
        DAY1,
        None,
        &["meeting", "add", "--json", "-"],
        r#"{"title": "会", "colour": "red"}"#,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("colour"), "{}", stderr(&out));
    // Nothing was written.
    let queue = json(run(home, DAY1, None, &["report", "list", "--json"], ""));
    assert_eq!(queue.as_array().unwrap().len(), 0);
}

/// The demo writes the loop in proportion, through the counter's writes: most forms registered,
/// the rest answered, merged or guided, a few waiting (some past the limit); visits spread over
/// the cadres, half of them with nothing to report; meetings that feed back, revisit and turn
/// opinions into forms.
#[test]
fn the_demo_writes_visits_forms_and_meetings_in_proportion() {
    use minshi::domain::records::ReportStatus;
    use minshi::store::{ReportFilter, VisitFilter};
    use std::collections::{BTreeMap, BTreeSet};

    let dir = tempfile::tempdir().unwrap();
    let now = common::at("2026-03-05T10:00:00+08:00");
    let mut store = minshi::store::Store::open(
        &dir.path().join("minshi.db"),
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    let made = minshi::demo::generate(&mut store, 2000, 3, now, &mut |_| {}).unwrap();
    assert_eq!(made.cases, 2000);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let county = store
        .login("zhangli", minshi::demo::DEMO_PASSWORD, now)
        .unwrap()
        .unwrap();

    let all = ReportFilter {
        limit: Some(100_000),
        ..ReportFilter::default()
    };
    let reports = store.reports(&all, &county).unwrap();
    assert_eq!(reports.len() as u64, made.records.reports);
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &reports {
        *by_status.entry(r.status.key()).or_default() += 1;
        assert_eq!(
            r.case.is_some(),
            matches!(r.status, ReportStatus::Registered | ReportStatus::Merged),
            "{}",
            r.report_no
        );
    }
    let share = |k: &str| by_status.get(k).copied().unwrap_or(0) as f64 / reports.len() as f64;
    assert!(share("registered") > 0.5, "{by_status:?}");
    for k in ["answered", "merged", "guided", "pending"] {
        assert!(share(k) > 0.0 && share(k) < 0.35, "{k}: {by_status:?}");
    }
    let late = store
        .queue_count(&county, now.date_naive() - chrono::Duration::days(5))
        .unwrap();
    assert!(
        late.pending as u64 == made.records.pending && late.late > 0,
        "{late:?}"
    );
    // Cases registered from forms carry the form's source as their channel.
    let from_forms: BTreeSet<&str> = reports
        .iter()
        .filter(|r| r.status == ReportStatus::Registered)
        .map(|r| r.source.as_str())
        .collect();
    assert!(from_forms.contains("入户走访") && from_forms.contains("民心沟通会"));

    let visits = store
        .visits(
            &VisitFilter {
                limit: Some(100_000),
                ..VisitFilter::default()
            },
            &county,
        )
        .unwrap();
    let cadres: BTreeSet<&str> = visits.iter().map(|v| v.cadre.as_str()).collect();
    assert!(cadres.len() >= 4, "{cadres:?}");
    let quiet = visits.iter().filter(|v| v.reports.is_empty()).count();
    assert!(
        quiet * 3 > visits.len() && quiet * 3 < visits.len() * 2,
        "{quiet} of {}",
        visits.len()
    );

    let meetings = store.meetings(&county, usize::MAX).unwrap();
    assert_eq!(meetings.len() as u64, made.records.meetings);
    assert!(meetings.iter().any(|m| m.village.is_empty()));
    assert!(meetings.iter().any(|m| !m.village.is_empty()));
    let (mut fed, mut revisited, mut reported) = (0, 0, 0);
    for m in &meetings {
        let m = store.meeting(m.key, &county).unwrap();
        fed += m.feedback.len();
        revisited += m
            .feedback
            .iter()
            .filter(|f| f.satisfaction.is_some())
            .count();
        reported += m.opinions.iter().filter(|o| o.report.is_some()).count();
    }
    assert!(
        fed > 100 && revisited > 20 && reported > 10,
        "{fed} {revisited} {reported}"
    );
    // A revisit at a meeting is the case's 回访, way 沟通会.
    let m = meetings
        .iter()
        .map(|m| store.meeting(m.key, &county).unwrap())
        .find(|m| m.feedback.iter().any(|f| f.satisfaction.is_some()))
        .unwrap();
    let f = m
        .feedback
        .iter()
        .find(|f| f.satisfaction.is_some())
        .unwrap();
    let timeline = store.timeline(f.case).unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.action == "回访" && e.details.contains("沟通会")),
        "{timeline:?}"
    );
}

/// 研判及时率 and 反馈率 come from sums kept with the writes (`loop_agg`): on demo data, for
/// several periods and break-downs, they are what a recount of the forms and the meetings
/// gives — each form in the month it was triaged, each ended case once, at its first feedback,
/// in the month it ended. `check` finds the sums changed behind the program's back, and a
/// register from before the sums gets them on opening.
#[test]
fn the_loops_figures_are_the_forms_and_meetings_recounted() {
    use chrono::NaiveDate;
    use minshi::domain::stats::{Dim, LoopCounts, Period};
    use minshi::store::StatFilter;
    use std::collections::{BTreeMap, BTreeSet};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minshi.db");
    let now = common::at("2026-03-05T10:00:00+08:00");
    let today = now.date_naive();
    let open = || {
        minshi::store::Store::open(&db, std::sync::Arc::new(minshi::config::Config::embedded()))
            .unwrap()
    };
    let mut store = open();
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, 1500, 5, now, &mut |_| {}).unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());

    // The recount, straight from the tables: (town, village, day) of each triage and whether
    // in time; (town, village, ended day) of each case's first feedback.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let day = |s: String| NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap();
    let triaged: Vec<(String, String, NaiveDate, bool)> = conn
        .prepare("SELECT town, village, triaged_at, triage_in_time FROM reports WHERE triaged_at IS NOT NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, day(r.get(2)?), r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut seen = BTreeSet::new();
    let fed: Vec<(String, String, NaiveDate)> = conn
        .prepare("SELECT case_id, town, village, ended_on FROM meeting_cases ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, day(r.get(3)?)))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .into_iter()
        .filter(|(case, ..)| seen.insert(*case))
        .map(|(_, t, v, d)| (t, v, d))
        .collect();
    assert!(
        triaged.len() > 500 && fed.len() > 100,
        "{} {}",
        triaged.len(),
        fed.len()
    );
    assert!(triaged.iter().any(|t| !t.3), "some forms triaged late");

    let label = |by: Dim, town: &str, village: &str, d: NaiveDate| match by {
        Dim::Town => town.to_string(),
        Dim::Village => format!("{town}/{village}"),
        _ => d.format("%Y-%m").to_string(),
    };
    let recount = |f: &StatFilter, p: Period, by: Dim| {
        let mut rows: BTreeMap<String, LoopCounts> = BTreeMap::new();
        let mut total = LoopCounts::default();
        let inside = |t: &str, d: NaiveDate| {
            d >= p.from && d <= p.to && f.town.as_ref().is_none_or(|own| own == t)
        };
        for (t, v, d, in_time) in &triaged {
            if inside(t, *d) {
                for c in [rows.entry(label(by, t, v, *d)).or_default(), &mut total] {
                    c.triaged += 1;
                    c.triaged_in_time += i64::from(*in_time);
                }
            }
        }
        for (t, v, d) in &fed {
            if inside(t, *d) {
                rows.entry(label(by, t, v, *d)).or_default().fed_back += 1;
                total.fed_back += 1;
            }
        }
        (rows, total)
    };
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let periods = [
        Period {
            from: d("2024-01-01"),
            to: today,
        },
        Period {
            from: d("2026-01-01"),
            to: d("2026-12-31"),
        },
        Period {
            from: d("2026-02-10"),
            to: d("2026-02-20"),
        },
        Period {
            from: d("2025-11-15"),
            to: d("2026-01-10"),
        },
    ];
    let town = StatFilter {
        town: Some("首阳镇".into()),
        ..StatFilter::default()
    };
    let figures = |store: &minshi::store::Store| {
        let mut all = Vec::new();
        for p in periods {
            for (f, by) in [
                (StatFilter::default(), Dim::Town),
                (StatFilter::default(), Dim::Village),
                (StatFilter::default(), Dim::Month),
                (town.clone(), Dim::Village),
                (town.clone(), Dim::Month),
            ] {
                let table = store.statistics_for(&f, p, by, today).unwrap();
                let (rows, total) = recount(&f, p, by);
                assert_eq!(table.total.loop_counts, Some(total), "{p:?} {by:?} {f:?}");
                for (label, got) in &table.rows {
                    let want = rows.get(label).copied().unwrap_or_default();
                    assert_eq!(got.loop_counts, Some(want), "{label} {p:?} {by:?} {f:?}");
                }
                all.push(table);
            }
        }
        all
    };
    let before = figures(&store);
    assert!(
        before
            .iter()
            .any(|t| t.total.loop_counts.unwrap().fed_back > 0)
    );

    // Moved behind the program's back: check says so.
    conn.execute(
        "UPDATE loop_agg SET fed_back = fed_back + 1
         WHERE (grain, period, town, village) = (SELECT grain, period, town, village FROM loop_agg LIMIT 1)",
        [],
    )
    .unwrap();
    let problems = store.check().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.0.contains("研判及时率、反馈率的汇总有1行")),
        "{problems:?}"
    );
    // A register from before the sums (version 5, so without the print counts of version 7
    // nor the superseded 回访 of version 9 either): opening it fills them, the same figures.
    drop(store);
    let pairs: i64 = conn
        .query_row("SELECT count(*) FROM fu_pairs", [], |r| r.get(0))
        .unwrap();
    assert!(pairs > 0, "the demo revisits some cases twice");
    conn.execute_batch(
        "DROP TABLE loop_agg;
         ALTER TABLE reports DROP COLUMN prints;
         ALTER TABLE meetings DROP COLUMN minutes_prints;
         ALTER TABLE meetings DROP COLUMN notice_prints;
         DROP TABLE fu_pairs;
         ALTER TABLE stat_agg DROP COLUMN fu_superseded;
         ALTER TABLE stat_agg DROP COLUMN fu_superseded_sat;
         PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(conn);
    let store = open();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert_eq!(figures(&store), before);
}

/// A search of the records lists exactly what the account may open, however far down the
/// matches it is: the county's clerk everything; a town's or a village's clerk the visits,
/// forms and meetings of their area and the forms that came to their center; a cadre their own
/// visits and forms and the meetings of their area.
#[test]
fn a_records_search_lists_exactly_what_the_account_may_open() {
    use minshi::domain::{Center, Role};
    use minshi::store::{NewAccount, RecordHit, Store};

    let dir = tempfile::tempdir().unwrap();
    let now = common::at("2026-03-05T10:00:00+08:00");
    let mut store = Store::open(
        &dir.path().join("minshi.db"),
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .unwrap();
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, 1500, 7, now, &mut |_| {}).unwrap();
    let login = |store: &mut Store, login: &str, password: &str| {
        store.login(login, password, now).unwrap().unwrap()
    };
    let county = login(&mut store, "zhangli", minshi::demo::DEMO_PASSWORD);
    let admin = login(&mut store, "admin", minshi::demo::DEMO_PASSWORD);
    // A village center's clerk, of the village of 首阳镇 with the most visits.
    let visits = store
        .visits(
            &minshi::store::VisitFilter {
                town: Some("首阳镇".into()),
                ..Default::default()
            },
            &county,
        )
        .unwrap();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for v in &visits {
        *counts.entry(v.village.as_str()).or_default() += 1;
    }
    let village = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(v, _)| v.to_string())
        .expect("首阳镇 has visits");
    store
        .add_account(
            &NewAccount {
                login: "cunwei".into(),
                real_name: "村综治专干".into(),
                role: Role::Clerk,
                center: Center::Village {
                    town: "首阳镇".into(),
                    village,
                },
                os_user: None,
            },
            common::PASSWORD,
            Some(&admin),
            now,
        )
        .unwrap();
    let accounts = [
        county.clone(),
        login(&mut store, "zhaomin", minshi::demo::DEMO_PASSWORD),
        login(&mut store, "cunwei", common::PASSWORD),
        login(&mut store, "mahui", minshi::demo::DEMO_PASSWORD),
        login(&mut store, "yangfan", minshi::demo::DEMO_PASSWORD),
    ];
    let may_open = |store: &Store, hit: &RecordHit, who: &minshi::domain::Session| match hit {
        RecordHit::Visit(v) => store.visit(v.id, who).is_ok(),
        RecordHit::Report(r) => store.report(r.key, who).is_ok(),
        RecordHit::Meeting(m) => store.meeting(m.key, who).is_ok(),
    };
    let mut seen = vec![0; accounts.len()];
    for q in ["路灯", "工资", "反映", "首阳"] {
        let all = store
            .search_records(q, &county, 1_000_000)
            .unwrap()
            .unwrap();
        for (i, who) in accounts.iter().enumerate() {
            let want: Vec<&RecordHit> = all.iter().filter(|h| may_open(&store, h, who)).collect();
            let got = store.search_records(q, who, 1_000_000).unwrap().unwrap();
            assert_eq!(got.iter().collect::<Vec<_>>(), want, "{q} {}", who.login());
            // The first page is the head of the whole list.
            let page = store.search_records(q, who, 5).unwrap().unwrap();
            assert_eq!(page.len(), want.len().min(5), "{q} {}", who.login());
            seen[i] += want.len();
        }
    }
    assert!(
        seen.iter().all(|n| *n > 0),
        "every account finds some: {seen:?}"
    );
    assert!(seen[1] < seen[0] && seen[2] < seen[1], "{seen:?}");
}
