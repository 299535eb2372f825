//! The paper of supervision through the binary: the 月度统计报表, the deadline board for the
//! wall and the 督办通知单, each parsed back from its PDF; the notice's number series and the
//! 督办 it records on every case it lists.

mod common;
mod print_common;

use std::path::Path;

use chrono::NaiveDate;
use common::{PASSWORD, at, input, minshi, open, stderr, stdout};
use minshi::config::Config;
use minshi::domain::stats::{Counter, Figures, Period};
use minshi::domain::{Action, CaseKey, Level, Outcome};
use minshi::print::{MonthlyInput, OverdueUnit, monthly_pdf};
use print_common::{all_text, embedded_fonts, page_sizes_mm, page_texts};

/// Wednesday 25 November 2026, mid-morning.
const NOW: &str = "2026-11-25T10:00:00+08:00";
const UNIT_A: &str = "县人力资源和社会保障局";
const UNIT_C: &str = "县民政局";

fn unit_b() -> String {
    format!("{}司法所", Config::embedded().towns[0].name)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// What the tests know of the register they made.
struct Made {
    /// Cases received in 2026-11, 2026-10 and 2025-11.
    november: usize,
    october: usize,
    last_november: usize,
    /// Cases ended in 2026-11.
    ended: usize,
    /// The open overdue cases of unit A, B, and the unrouted one, with their due dates.
    overdue_a: Vec<(CaseKey, NaiveDate)>,
    overdue_b: Vec<(CaseKey, NaiveDate)>,
    overdue_unrouted: Vec<(CaseKey, NaiveDate)>,
    /// An open case of unit C, not overdue.
    open_c: CaseKey,
    /// Every open case with its due date.
    open: Vec<(CaseKey, NaiveDate, String)>,
}

/// A register with cases in every town of Longxi in November 2026, some in October 2026 and
/// November 2025, three units with open cases (two of them late) and one late case not yet
/// routed.
fn register(home: &Path) -> Made {
    let config = Config::embedded();
    let mut store = open(home);
    let who = common::who(&mut store);
    let names = ["张建国", "李秀英", "王小明", "赵丽华", "欧阳修文"];
    let mut n = 0;
    // A case to be closed at once is registered 当场办结; the others 限时办理.
    let mut reg = |store: &mut minshi::store::Store,
                   town: usize,
                   category: &str,
                   when: &str,
                   on_the_spot: bool|
     -> minshi::domain::Case {
        let t = &config.towns[town % config.towns.len()];
        let mut i = input(names[n % names.len()], category, "请求帮助解决实际困难");
        if on_the_spot {
            i.route = "当场办结".into();
        }
        n += 1;
        i.town = t.name.clone();
        i.village = t.villages[0].clone();
        store.register(&i, &who, at(when)).unwrap()
    };
    let mut made = Made {
        november: 0,
        october: 0,
        last_november: 0,
        ended: 0,
        overdue_a: Vec::new(),
        overdue_b: Vec::new(),
        overdue_unrouted: Vec::new(),
        open_c: CaseKey { year: 0, seq: 0 },
        open: Vec::new(),
    };
    // Every town: one to three neighbour disputes in November, the first of each closed.
    for town in 0..config.towns.len() {
        for k in 0..(town % 3 + 1) {
            let when = format!("2026-11-{:02}T09:{:02}:00+08:00", 2 + town, 10 + k);
            let c = reg(&mut store, town, "邻里", &when, k == 0);
            made.november += 1;
            if k == 0 {
                store
                    .act(
                        c.key,
                        &Action::Close {
                            outcome: Outcome::Mediated,
                            result: "双方达成调解协议".into(),
                            basis: String::new(),
                        },
                        &who,
                        at(&format!("2026-11-{:02}T16:00:00+08:00", 3 + town)),
                    )
                    .unwrap();
                made.ended += 1;
            } else {
                made.open.push((c.key, c.due_date, c.case_no.clone()));
            }
        }
    }
    let dispatch = |store: &mut minshi::store::Store, key, level, unit: &str, when: &str| {
        store
            .act(
                key,
                &Action::Dispatch {
                    level,
                    unit: unit.into(),
                    note: String::new(),
                },
                &who,
                at(when),
            )
            .unwrap();
    };
    // Unit A: two requests for help (3 working days) from early November, now late.
    for when in ["2026-11-02T10:00:00+08:00", "2026-11-09T10:00:00+08:00"] {
        let c = reg(&mut store, 3, "求助", when, false);
        made.november += 1;
        dispatch(&mut store, c.key, Level::County, UNIT_A, when);
        made.overdue_a.push((c.key, c.due_date));
        made.open.push((c.key, c.due_date, c.case_no.clone()));
    }
    // Unit B: a policy question from the 16th, late.
    let c = reg(
        &mut store,
        0,
        "政策咨询",
        "2026-11-16T10:00:00+08:00",
        false,
    );
    made.november += 1;
    dispatch(
        &mut store,
        c.key,
        Level::Township,
        &unit_b(),
        "2026-11-16T11:00:00+08:00",
    );
    made.overdue_b.push((c.key, c.due_date));
    made.open.push((c.key, c.due_date, c.case_no.clone()));
    // Unit C: a dispute of the 20th, within its month.
    let c = reg(&mut store, 5, "邻里", "2026-11-20T10:00:00+08:00", false);
    made.november += 1;
    dispatch(
        &mut store,
        c.key,
        Level::County,
        UNIT_C,
        "2026-11-20T11:00:00+08:00",
    );
    made.open_c = c.key;
    made.open.push((c.key, c.due_date, c.case_no.clone()));
    // Not routed, and late.
    let c = reg(&mut store, 2, "求助", "2026-11-03T10:00:00+08:00", false);
    made.november += 1;
    made.overdue_unrouted.push((c.key, c.due_date));
    made.open.push((c.key, c.due_date, c.case_no.clone()));
    // The months to compare with, all closed at once.
    for when in [
        "2026-10-12T09:00:00+08:00",
        "2026-10-13T09:00:00+08:00",
        "2026-10-14T09:00:00+08:00",
        "2025-11-05T09:00:00+08:00",
    ] {
        let c = reg(&mut store, 1, "邻里", when, true);
        if when.starts_with("2025") {
            made.last_november += 1;
        } else {
            made.october += 1;
        }
        store
            .act(
                c.key,
                &Action::Close {
                    outcome: Outcome::Explained,
                    result: "当场解释说明".into(),
                    basis: String::new(),
                },
                &who,
                at(when),
            )
            .unwrap();
    }
    made.open.sort_by_key(|(k, due, _)| (*due, *k));
    made
}

fn run(home: &Path, args: &[&str]) -> std::process::Output {
    minshi(home, NOW).args(args).output().unwrap()
}

fn run_as(home: &Path, login: &str, args: &[&str]) -> std::process::Output {
    minshi(home, NOW)
        .args(["--as", login])
        .args(args)
        .env("MINSHI_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn printed(home: &Path, name: &str) -> Vec<u8> {
    std::fs::read(home.join("printouts").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fonts_are_embedded_subsets(pdf: &[u8]) {
    let fonts = embedded_fonts(pdf);
    assert!(!fonts.is_empty());
    for f in &fonts {
        let (tag, rest) = f.name.split_once('+').expect("subset tag");
        assert!(tag.len() == 6, "{}", f.name);
        assert!(rest.starts_with("Noto"), "{}", f.name);
        assert!(
            f.program_bytes > 0 && f.program_bytes < 200_000,
            "{}: {}",
            f.name,
            f.program_bytes
        );
    }
}

fn case_no(key: CaseKey) -> String {
    Config::embedded().case_number(key.year, key.seq)
}

/// A change as the report prints it.
fn change(now: usize, before: usize) -> String {
    let d = now as i64 - before as i64;
    if d == 0 { "0".into() } else { format!("{d:+}") }
}

#[test]
fn monthly_report_compares_months_lists_every_town_and_fits_two_pages() {
    let home = tempfile::tempdir().unwrap();
    let made = register(home.path());
    let out = run(home.path(), &["print", "monthly", "--month", "2026-11"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("monthly-202611.pdf"),
        "{}",
        stdout(&out)
    );
    let pdf = printed(home.path(), "monthly-202611.pdf");
    let pages = page_sizes_mm(&pdf);
    assert!(pages.len() <= 2, "{} pages", pages.len());
    for (w, h) in &pages {
        assert!(
            (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
            "A4: {w}×{h}"
        );
    }
    fonts_are_embedded_subsets(&pdf);
    let text = all_text(&pdf);
    assert!(text.contains("月度统计报表"));
    assert!(text.contains("2026年11月"));
    assert!(text.contains("统计范围：全县"));
    for t in &Config::embedded().towns {
        assert!(text.contains(&t.name), "{} missing", t.name);
    }
    // 受理数: this month, the month before and the change, a year earlier and the change.
    let received = format!(
        "受理数{}{}{}{}{}",
        made.november,
        made.october,
        change(made.november, made.october),
        made.last_november,
        change(made.november, made.last_november)
    );
    assert!(text.contains(&received), "{received} in {text}");
    let ended = format!("办结数{}{}", made.ended, made.october);
    assert!(text.contains(&ended), "{ended}");
    // 超期在办: the four late cases, none in the months compared with.
    assert!(text.contains("超期在办40+40+4"), "{text}");
    // The overdue table: unit A with two cases, the oldest late since its due date.
    let oldest_a = made.overdue_a.iter().map(|(_, d)| *d).min().unwrap();
    let days_a = (day("2026-11-25") - oldest_a).num_days();
    assert!(
        text.contains(&format!("{UNIT_A}2{days_a}")),
        "{UNIT_A} 2 {days_a} in {text}"
    );
    assert!(text.contains(&format!("{}1", unit_b())));
    assert!(text.contains("未分流1"));
    assert!(
        !text.contains(UNIT_C),
        "a unit with nothing late is not listed"
    );
    assert!(text.contains("共4件"));
    // The chart, the categories, satisfaction, and the definitions as footnotes.
    assert!(text.contains("图1"));
    assert!(text.contains("各乡镇受理数与办结数"));
    assert!(text.contains("分类别情况") && text.contains("求助") && text.contains("邻里"));
    assert!(text.contains("群众满意度"));
    assert!(text.contains("化解率：化解数 ÷ 受理数。"));
    assert!(text.contains("满意率：期间内的回访"));
    // The loop's figures, by town too, each defined once.
    assert!(text.contains("研判及时率") && text.contains("反馈率"));
    assert!(text.contains("报告单研判及时率：期间内研判的民意报告单"));
    assert!(!text.contains("研判及时率：报告单研判及时率"));
    assert!(text.contains("本月尚未结束，数据截至2026年11月25日"));
}

#[test]
fn monthly_report_with_every_category_and_many_late_units_still_fits_two_pages() {
    let config = Config::embedded();
    let f = |received: i64| {
        let mut f = Figures::default();
        f.counts[Counter::Received as usize] = received;
        f.counts[Counter::Ended as usize] = received / 2;
        f.counts[Counter::Resolved as usize] = received / 3;
        f.counts[Counter::Days as usize] = received * 4;
        f.counts[Counter::OnTime as usize] = received / 3;
        f.counts[Counter::FollowUps as usize] = received / 4;
        f.counts[Counter::Satisfied as usize] = received / 5;
        f.overdue_open = received / 7;
        f
    };
    let towns: Vec<(String, Figures)> = config
        .towns
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), f(100 + 37 * i as i64)))
        .collect();
    let categories: Vec<(String, Figures)> = config
        .categories()
        .enumerate()
        .map(|(i, c)| (c.clone(), f(10 + 13 * i as i64)))
        .collect();
    let units: Vec<OverdueUnit> = config
        .units()
        .iter()
        .take(60)
        .enumerate()
        .map(|(i, u)| OverdueUnit {
            unit: u.clone(),
            cases: 60 - i as u64,
            oldest_due: day("2026-10-01"),
        })
        .collect();
    let mut total = Figures::default();
    for (_, x) in &towns {
        total.add(x);
    }
    let pdf = monthly_pdf(&MonthlyInput {
        month: Period::new(day("2026-11-01"), day("2026-11-30")).unwrap(),
        area: "全县".into(),
        reference: day("2026-11-30"),
        total,
        previous: f(1500),
        year_ago: Figures::default(),
        by_town: &towns,
        by_category: &categories,
        overdue_units: &units,
        config: &config,
        printed_at: at("2026-12-01T09:00:00+08:00"),
    })
    .unwrap();
    let pages = page_texts(&pdf);
    assert!(pages.len() <= 2, "{} pages", pages.len());
    let text = pages.concat();
    for c in config.categories() {
        assert!(text.contains(c.as_str()), "{c} missing");
    }
    assert!(text.contains(&format!("其他{}个单位", 60 - minshi::print::UNITS_LISTED)));
    assert!(text.contains("— 2 —"));
}

#[test]
fn monthly_report_is_for_supervisors_and_for_months_begun() {
    let home = tempfile::tempdir().unwrap();
    register(home.path());
    let out = run_as(
        home.path(),
        "zhangli",
        &["print", "monthly", "--month", "2026-11"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("无权查看统计"), "{}", stderr(&out));
    let out = run(home.path(), &["print", "monthly", "--month", "2026-12"]);
    assert!(stderr(&out).contains("还没有开始"), "{}", stderr(&out));
    let out = run(home.path(), &["print", "monthly", "--month", "2026"]);
    assert!(stderr(&out).contains("不是月份"), "{}", stderr(&out));
    // The default is last month.
    let out = run_as(home.path(), "wangfang", &["print", "monthly"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = all_text(&printed(home.path(), "monthly-202610.pdf"));
    assert!(text.contains("2026年10月1日至2026年10月31日"));
}

#[test]
fn board_is_landscape_most_overdue_first_with_names_masked() {
    let home = tempfile::tempdir().unwrap();
    let made = register(home.path());
    let out = run(home.path(), &["print", "board"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = printed(home.path(), "board-20261125.pdf");
    for (w, h) in page_sizes_mm(&pdf) {
        assert!(
            (w - 297.0).abs() < 0.5 && (h - 210.0).abs() < 0.5,
            "landscape A4: {w}×{h}"
        );
    }
    fonts_are_embedded_subsets(&pdf);
    let pages = page_texts(&pdf);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("案件编号受理日期当事人乡镇/村类别责任单位状态期限剩余/超期"),
            "{p}"
        );
        assert!(p.contains(&format!("— {} —", i + 1)));
    }
    let text = pages.concat();
    assert!(text.contains("在办案件期限一览表"));
    assert!(text.contains("陇西县综治中心"));
    assert!(text.contains(&format!("在办{}件，其中超期4件", made.open.len())));
    // On a wall: masked names only.
    assert!(text.contains("张某某") && text.contains("欧阳某某"));
    for full in ["张建国", "李秀英", "欧阳修文", "13812341234", "138****1234"] {
        assert!(!text.contains(full), "{full} printed on the wall");
    }
    // Board order: by due date, the most overdue first.
    let positions: Vec<usize> = made
        .open
        .iter()
        .map(|(_, _, no)| {
            text.find(&format!("{no}2026-"))
                .unwrap_or_else(|| panic!("{no} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    let (first, due) = made.overdue_a[0];
    let late = (day("2026-11-25") - due).num_days();
    assert!(text.contains(&format!("▲超期{late}天")), "{text}");
    assert_eq!(text.matches("▲超期").count(), 4);
    assert!(text.find(&case_no(first)) < text.find(&case_no(made.open_c)));

    // Filters: a unit's overdue cases only.
    let out = run(
        home.path(),
        &["print", "board", "--unit", UNIT_A, "--overdue", "-o"],
    );
    assert!(!out.status.success(), "-o needs a file");
    let file = home.path().join("a.pdf");
    let out = minshi(home.path(), NOW)
        .args(["print", "board", "--unit", UNIT_A, "--overdue", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = all_text(&std::fs::read(&file).unwrap());
    assert!(
        text.contains(&format!("单位：{UNIT_A} · 只看超期")),
        "{text}"
    );
    assert!(text.contains("在办2件，其中超期2件"));
    for (k, _) in &made.overdue_a {
        assert!(text.contains(&case_no(*k)));
    }
    assert!(!text.contains(&case_no(made.overdue_b[0].0)));
    let out = run(home.path(), &["print", "board", "--town", "不存在镇"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不存在镇"), "{}", stderr(&out));
}

/// The timeline of a case as `minshi show --json` gives it: (action, details) of each event.
fn timeline(home: &Path, key: CaseKey) -> Vec<(String, String)> {
    let out = run(home, &["show", &key.to_string(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["details"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn urges(home: &Path, key: CaseKey) -> Vec<String> {
    timeline(home, key)
        .into_iter()
        .filter(|(a, _)| a == "督办")
        .map(|(_, d)| d)
        .collect()
}

#[test]
fn urge_numbers_its_notices_and_records_a_urge_on_every_listed_case() {
    let home = tempfile::tempdir().unwrap();
    let made = register(home.path());

    let out = run(home.path(), &["print", "urge", "--unit", UNIT_A]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("督办通知单 陇综督〔2026〕1号"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("超期未办结案件2件，回复期限2026-11-30"));
    let pdf = printed(home.path(), "urge-2026-1.pdf");
    fonts_are_embedded_subsets(&pdf);
    for (w, h) in page_sizes_mm(&pdf) {
        assert!(
            (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
            "A4: {w}×{h}"
        );
    }
    let text = all_text(&pdf);
    assert!(text.contains("督办通知单"));
    assert!(text.contains("陇综督〔2026〕1号"));
    assert!(text.contains(&format!("{UNIT_A}：")));
    // Three working days from Wednesday the 25th: Thursday, Friday and Monday the 30th.
    assert!(text.contains("请于2026年11月30日前办结"), "{text}");
    assert!(text.contains("陇西县综治中心（盖章）"));
    // The binary acts as the 管理员 bound to the OS user.
    assert!(text.contains("签发人：王建国"), "{text}");
    for (key, due) in &made.overdue_a {
        assert!(text.contains(&case_no(*key)));
        let late = (day("2026-11-25") - *due).num_days();
        assert!(text.contains(&format!("{late}天")));
        let u = urges(home.path(), *key);
        assert_eq!(u.len(), 1, "{u:?}");
        assert!(u[0].starts_with("督办通知单陇综督〔2026〕1号："), "{u:?}");
        assert!(u[0].contains(&format!("已超期{late}天")), "{u:?}");
    }
    assert!(urges(home.path(), made.overdue_b[0].0).is_empty());

    // Nothing late at unit C: refused, and no number taken.
    let out = run(home.path(), &["print", "urge", "--unit", UNIT_C]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("没有超期未办结的案件，无需督办"),
        "{}",
        stderr(&out)
    );
    assert!(urges(home.path(), made.open_c).is_empty());
    // A 受理员 may not urge: refused, and no number taken.
    let out = run_as(
        home.path(),
        "zhangli",
        &["print", "urge", "--unit", &unit_b()],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("无权「督办」"), "{}", stderr(&out));
    assert!(urges(home.path(), made.overdue_b[0].0).is_empty());
    // An unknown unit is named.
    let out = run(home.path(), &["print", "urge", "--unit", "不存在局"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不存在局"), "{}", stderr(&out));

    // The next notice is number 2, by a 值班长, with a reply-by date and words of their own.
    let out = run_as(
        home.path(),
        "wangfang",
        &[
            "print",
            "urge",
            "--unit",
            &unit_b(),
            "--reply-by",
            "2026-12-04",
            "--note",
            "请于本周内上门答复当事人",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("陇综督〔2026〕2号"),
        "{}",
        stdout(&out)
    );
    let text = all_text(&printed(home.path(), "urge-2026-2.pdf"));
    assert!(text.contains("陇综督〔2026〕2号"));
    assert!(text.contains("请于2026年12月4日前办结"));
    assert!(text.contains("督办意见：请于本周内上门答复当事人"));
    assert!(text.contains("签发人：王芳"));
    let u = urges(home.path(), made.overdue_b[0].0);
    assert_eq!(u, ["督办通知单陇综督〔2026〕2号：请于本周内上门答复当事人"]);
    // A reply-by day already past is refused.
    let out = run(
        home.path(),
        &[
            "print",
            "urge",
            "--unit",
            UNIT_A,
            "--reply-by",
            "2026-11-01",
        ],
    );
    assert!(stderr(&out).contains("早于今天"), "{}", stderr(&out));

    // A second notice to unit A lists its cases again, under number 3.
    let out = run(home.path(), &["print", "urge", "--unit", UNIT_A]);
    assert!(
        stdout(&out).contains("陇综督〔2026〕3号"),
        "{}",
        stdout(&out)
    );
    assert_eq!(urges(home.path(), made.overdue_a[0].0).len(), 2);

    // check finds the series whole, and a gap when the counter ran ahead of the notices.
    let out = run(home.path(), &["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    {
        let conn = rusqlite::Connection::open(home.path().join("minshi.db")).unwrap();
        conn.execute(
            "UPDATE counters SET last = 5 WHERE series = 'urge' AND year = 2026",
            [],
        )
        .unwrap();
    }
    let out = run(home.path(), &["check"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("2026年督办通知单编号计数器（5）与已用的最大编号（3）不符"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_urge_notice_lists_a_unit_with_many_late_cases_over_pages() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut store = open(home.path());
        let who = common::who(&mut store);
        for i in 0..40 {
            let mut c = input(
                "刘䶮",
                "求助",
                &"家中房屋漏雨，请求协调维修资金。".repeat(6),
            );
            c.town = "首阳镇".into();
            c.village = "首阳村".into();
            let when = format!("2026-10-{:02}T09:00:00+08:00", 1 + i % 28);
            let case = store.register(&c, &who, at(&when)).unwrap();
            store
                .act(
                    case.key,
                    &Action::Dispatch {
                        level: Level::County,
                        unit: UNIT_A.into(),
                        note: String::new(),
                    },
                    &who,
                    at(&when),
                )
                .unwrap();
        }
    }
    let out = run(home.path(), &["print", "urge", "--unit", UNIT_A]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = page_texts(&printed(home.path(), "urge-2026-1.pdf"));
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains(&format!("— {} —", i + 1)));
    }
    let text = pages.concat();
    assert!(text.contains("下列40件"));
    assert!(text.contains("刘䶮"));
    assert!(text.contains("督办通知单回执（陇综督〔2026〕1号）"));
    let last = pages.last().unwrap();
    assert!(last.contains("（盖章）"), "the seal after the list");
    // Each listed case, once, in the table.
    for seq in 1..=40 {
        let no = format!("陇综民〔2026〕{seq}号");
        assert_eq!(text.matches(&format!("{no}刘䶮")).count(), 1, "{no}");
    }
}

mod tui {
    //! 督办 from the board: d on a board filtered by a unit, a y/n question, the notice printed.

    use super::*;
    use minshi::home::Home;
    use minshi::tui::{App, Clock};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn key(app: &mut App, code: KeyCode) {
        app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn type_str(app: &mut App, s: &str) {
        for c in s.chars() {
            key(app, KeyCode::Char(c));
        }
    }

    fn screen(app: &mut App) -> String {
        let mut t = Terminal::new(TestBackend::new(160, 40)).unwrap();
        app.resized(160, 40);
        while app.deferred() {}
        t.draw(|f| app.draw(f)).unwrap();
        // Each wide character once, as a person reads the screen.
        use unicode_width::UnicodeWidthStr;
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                skip = sym.width().saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }

    fn board_as(dir: &Path, login: &str) -> App {
        let store = open(dir);
        let mut app = App::new(store, &Home::at(dir), Clock::Fixed(at(NOW)));
        type_str(&mut app, login);
        key(&mut app, KeyCode::Tab);
        type_str(&mut app, PASSWORD);
        key(&mut app, KeyCode::Enter);
        assert!(!app.is_locked());
        app
    }

    #[test]
    fn d_on_a_board_filtered_by_a_unit_prints_its_urge_notice_after_yes() {
        let dir = tempfile::tempdir().unwrap();
        let made = register(dir.path());
        let mut app = board_as(dir.path(), "wangfang");
        type_str(&mut app, "u");
        type_str(&mut app, "人力资源");
        key(&mut app, KeyCode::Enter);
        type_str(&mut app, "d");
        let shown = screen(&mut app);
        assert!(
            shown.contains(&format!("向{UNIT_A}打印督办通知单？")),
            "{shown}"
        );
        assert!(shown.contains("超期未办结案件2件"), "{shown}");
        // n leaves everything as it was.
        type_str(&mut app, "n");
        let shown = screen(&mut app);
        assert!(shown.contains("未督办"), "{shown}");
        assert!(!dir.path().join("printouts/urge-2026-1.pdf").exists());
        type_str(&mut app, "d");
        type_str(&mut app, "y");
        let shown = screen(&mut app);
        assert!(shown.contains("督办通知单 陇综督〔2026〕1号"), "{shown}");
        let text = all_text(&std::fs::read(dir.path().join("printouts/urge-2026-1.pdf")).unwrap());
        assert!(text.contains("签发人：王芳"));
        drop(app);
        for (k, _) in &made.overdue_a {
            assert_eq!(urges(dir.path(), *k).len(), 1);
        }
    }

    #[test]
    fn d_is_refused_to_a_clerk_and_without_a_unit() {
        let dir = tempfile::tempdir().unwrap();
        register(dir.path());
        let mut app = board_as(dir.path(), "zhangli");
        type_str(&mut app, "d");
        let shown = screen(&mut app);
        assert!(shown.contains("无权「督办」"), "{shown}");
        drop(app);
        // The second row of the board is the late case of the 3rd, not yet routed.
        let mut app = board_as(dir.path(), "wangfang");
        key(&mut app, KeyCode::Down);
        type_str(&mut app, "d");
        let shown = screen(&mut app);
        assert!(shown.contains("督办要有责任单位"), "{shown}");
        assert!(!dir.path().join("printouts").exists());
    }

    /// The statistics by 责任单位 with unit A's row selected (本月: November 2026).
    fn statistics_on_unit_a(app: &mut App) {
        key(app, KeyCode::F(4));
        // 乡镇 → 村 → 责任单位.
        type_str(app, "bb");
        for _ in 0..20 {
            if screen(app).contains(&format!("受理数（按责任单位） · {UNIT_A} ")) {
                return;
            }
            key(app, KeyCode::Down);
        }
        panic!("no row of {UNIT_A}: {}", screen(app));
    }

    #[test]
    fn u_on_the_statistics_by_unit_urges_the_selected_unit_like_d_on_the_board() {
        let dir = tempfile::tempdir().unwrap();
        let made = register(dir.path());
        let mut app = board_as(dir.path(), "wangfang");
        // Not by 责任单位: told how to get there.
        key(&mut app, KeyCode::F(4));
        type_str(&mut app, "u");
        assert!(screen(&mut app).contains("请按 b 换到按「责任单位」分组"));
        key(&mut app, KeyCode::Esc);
        statistics_on_unit_a(&mut app);
        type_str(&mut app, "u");
        let shown = screen(&mut app);
        assert!(
            shown.contains(&format!("向{UNIT_A}打印督办通知单？")),
            "{shown}"
        );
        assert!(shown.contains("超期未办结案件2件"), "{shown}");
        type_str(&mut app, "n");
        assert!(screen(&mut app).contains("未督办"));
        type_str(&mut app, "uy");
        let shown = screen(&mut app);
        assert!(shown.contains("督办通知单 陇综督〔2026〕1号"), "{shown}");
        assert!(
            shown.contains("统计期间："),
            "still the statistics: {shown}"
        );
        // The series goes on: the next notice, from the board, is the second.
        key(&mut app, KeyCode::F(3));
        type_str(&mut app, "u");
        type_str(&mut app, "人力资源");
        key(&mut app, KeyCode::Enter);
        type_str(&mut app, "dy");
        assert!(screen(&mut app).contains("督办通知单 陇综督〔2026〕2号"));
        drop(app);
        for n in [1, 2] {
            assert!(
                dir.path()
                    .join(format!("printouts/urge-2026-{n}.pdf"))
                    .exists()
            );
        }
        for (k, _) in &made.overdue_a {
            let recorded = urges(dir.path(), *k);
            assert_eq!(recorded.len(), 2, "{recorded:?}");
            assert!(recorded[0].contains("陇综督〔2026〕1号"), "{recorded:?}");
        }
        // The other late unit was not urged.
        for (k, _) in &made.overdue_b {
            assert!(urges(dir.path(), *k).is_empty());
        }
    }
}
