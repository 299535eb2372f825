//! The register on a real SQLite file: numbering, lifecycle, timeline, search, board, integrity.

mod common;

use chrono::NaiveDate;
use common::{at, input, open};
use minshi::domain::stats::Period;
use minshi::domain::{Action, CaseKey, Level, NewCaseInput, Outcome, Route, Satisfaction, Status};
use minshi::store::{BoardFilter, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn numbers_are_per_year_and_displayed_with_the_county_short_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let a = store
        .register(
            &input("王芳", "邻里", "排水纠纷"),
            &who,
            at("2025-12-31T16:00:00+08:00"),
        )
        .unwrap();
    let b = store
        .register(
            &input("李强", "邻里", "排水纠纷"),
            &who,
            at("2026-01-04T09:00:00+08:00"),
        )
        .unwrap();
    let c = store
        .register(
            &input("赵敏", "邻里", "排水纠纷"),
            &who,
            at("2026-01-04T09:05:00+08:00"),
        )
        .unwrap();
    assert_eq!(a.key.to_string(), "2025-000001");
    assert_eq!(b.key.to_string(), "2026-000001");
    assert_eq!(c.key.to_string(), "2026-000002");
    assert_eq!(c.case_no, "陇综民〔2026〕2号");
    assert_eq!(c.received_at.to_rfc3339(), "2026-01-04T09:05:00+08:00");
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn due_date_follows_route_category_and_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    // 邻里 is a dispute: 30 days. From 2026-01-16 that is 02-15, in the Spring Festival → 02-24.
    let c = store
        .register(
            &input("王芳", "邻里", "排水纠纷"),
            &who,
            at("2026-01-16T10:00:00+08:00"),
        )
        .unwrap();
    assert_eq!(c.due_date, d("2026-02-24"));
    // 政策咨询: 3 working days from Thursday 2026-02-12 → 13 (Fri), 14 (make-up Sat), 24 (Tue).
    let c = store
        .register(
            &input("李强", "政策咨询", "咨询养老保险"),
            &who,
            at("2026-02-12T10:00:00+08:00"),
        )
        .unwrap();
    assert_eq!(c.due_date, d("2026-02-24"));
}

#[test]
fn the_whole_lifecycle_is_on_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let c = store
        .register(
            &input("王芳", "劳动争议", "讨要拖欠工资"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    let k = c.key;
    let steps = [
        Action::Dispatch {
            level: Level::Township,
            unit: "首阳镇司法所".into(),
            note: String::new(),
        },
        Action::Accept {
            note: String::new(),
        },
        Action::Progress {
            note: "已约谈用工方".into(),
            happened_on: None,
        },
        Action::Extend {
            days: 10,
            reason: "需核实工程款".into(),
        },
        Action::Close {
            outcome: Outcome::Mediated,
            result: "用工方已支付工资".into(),
            basis: String::new(),
        },
        Action::FollowUp {
            date: d("2026-03-18"),
            way: "电话".into(),
            satisfaction: Satisfaction::Satisfied,
            notes: String::new(),
        },
        Action::Archive {
            note: String::new(),
        },
    ];
    for (i, a) in steps.iter().enumerate() {
        // No 事项来源 is attached: the 值班长 acting confirms the 归档.
        store
            .act_confirmed(
                k,
                a,
                &who,
                Some(&who),
                at(&format!("2026-03-{:02}T10:00:00+08:00", 3 + i * 3)),
            )
            .unwrap();
    }
    let c = store.case(k).unwrap();
    assert_eq!(c.status, Status::Archived);
    assert_eq!(c.unit.as_deref(), Some("首阳镇司法所"));
    assert_eq!(c.extension.as_ref().unwrap().previous_due, d("2026-03-17"));
    assert_eq!(c.due_date, d("2026-03-27"));
    assert!(c.resolution.as_ref().unwrap().on_time);
    let actions: Vec<String> = store
        .timeline(k)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "登记", "分流", "签收", "进展", "延期", "办结", "回访", "归档"
        ]
    );
    let today = d("2026-03-30");
    let rates = store
        .header_rates(
            &who,
            &BoardFilter::default(),
            Period::named("本年", today).unwrap(),
            today,
        )
        .unwrap();
    assert_eq!(
        (rates.received(), rates.ended(), rates.on_time()),
        (1, 1, 1)
    );
    assert_eq!(rates.satisfaction_rate(), Some(1.0));
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_refused_action_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let c = store
        .register(
            &input("王芳", "邻里", "排水纠纷"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    let err = store
        .act(
            c.key,
            &Action::Close {
                outcome: Outcome::Supported,
                result: "x".into(),
                basis: String::new(),
            },
            &who,
            at("2026-03-03T09:00:00+08:00"),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)));
    assert!(err.to_string().contains("「已登记」"), "{err}");
    assert_eq!(store.timeline(c.key).unwrap().len(), 1);
    assert_eq!(store.case(c.key).unwrap().status, Status::Registered);
}

#[test]
fn reopening_takes_back_the_rates_and_gives_a_new_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let mut i = input("王芳", "政策咨询", "咨询");
    i.route = "当场办结".into();
    let c = store
        .register(&i, &who, at("2026-03-02T09:00:00+08:00"))
        .unwrap();
    assert_eq!(c.due_date, d("2026-03-02"));
    let now = at("2026-03-02T09:30:00+08:00");
    store
        .act(
            c.key,
            &Action::Close {
                outcome: Outcome::Explained,
                result: "当场解答".into(),
                basis: String::new(),
            },
            &who,
            now,
        )
        .unwrap();
    store
        .act(
            c.key,
            &Action::FollowUp {
                date: d("2026-03-02"),
                way: "电话".into(),
                satisfaction: Satisfaction::Dissatisfied,
                notes: String::new(),
            },
            &who,
            now,
        )
        .unwrap();
    let reopened = store
        .act(
            c.key,
            &Action::Reopen {
                reason: "不满意".into(),
            },
            &who,
            at("2026-03-04T09:00:00+08:00"),
        )
        .unwrap();
    assert_eq!(reopened.status, Status::InProgress);
    assert!(reopened.resolution.is_none() && reopened.follow_up.is_none());
    // Not the same-day deadline of 当场办结 (overdue at once): 政策咨询's 3 working days from
    // the day reopened.
    assert_eq!(reopened.route, Route::Timed);
    assert_eq!(reopened.due_date, d("2026-03-09"));
    // The statistics keep the first ending (办结数 1) but a reopened case is not 化解; the
    // board's open count has it again.
    let today = d("2026-03-04");
    let rates = store
        .header_rates(
            &who,
            &BoardFilter::default(),
            Period::named("本年", today).unwrap(),
            today,
        )
        .unwrap();
    assert_eq!(
        (rates.received(), rates.ended(), rates.resolved()),
        (1, 1, 0)
    );
    assert_eq!(
        store.header(&BoardFilter::default(), today).unwrap().open,
        1
    );
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn duplicates_are_merged_and_linked_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let first = store
        .register(
            &input("王芳", "邻里", "排水"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    let second = store
        .register(
            &input("王芳", "邻里", "排水"),
            &who,
            at("2026-03-03T09:00:00+08:00"),
        )
        .unwrap();
    assert!(second.repeat, "same phone registered before");
    let now = at("2026-03-03T10:00:00+08:00");
    let merged = store
        .act(second.key, &Action::Merge { into: first.key }, &who, now)
        .unwrap();
    assert_eq!(merged.status, Status::Merged);
    assert_eq!(merged.duplicate_of, Some(first.key));
    assert_eq!(store.case(first.key).unwrap().duplicates, vec![second.key]);
    assert!(
        store
            .act(first.key, &Action::Merge { into: first.key }, &who, now)
            .is_err()
    );
    let missing = CaseKey {
        year: 2026,
        seq: 99,
    };
    assert!(matches!(
        store.act(first.key, &Action::Merge { into: missing }, &who, now),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn search_finds_two_character_words_phone_fragments_and_ids_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let mut a = input("王芳", "劳动争议", "讨要拖欠工资");
    a.id_number = "11010519491231002X".into();
    a.address = "3社宅基地旁".into();
    store
        .register(&a, &who, at("2026-03-02T09:00:00+08:00"))
        .unwrap();
    let mut b = input("李王芳", "房屋宅基地", "宅基地边界争议");
    b.phone = "0932-6623110".into();
    store
        .register(&b, &who, at("2026-03-03T09:00:00+08:00"))
        .unwrap();
    let mut c = input("赵敏", "邻里", "邻居排水，拖欠");
    c.phone = "13900001111".into();
    store
        .register(&c, &who, at("2026-03-04T09:00:00+08:00"))
        .unwrap();

    let names = |q: &str| -> Vec<String> {
        store
            .search(q, 50)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names("王芳"), ["李王芳", "王芳"]);
    assert_eq!(names("工资"), ["王芳"]);
    assert_eq!(names("宅基地"), ["李王芳", "王芳"]);
    assert_eq!(names("拖欠"), ["赵敏", "王芳"]);
    assert_eq!(names("6623"), ["李王芳"]);
    assert_eq!(names("1234"), ["王芳"]);
    assert_eq!(names("11010519491231002x"), ["王芳"]);
    assert_eq!(names("首阳 排水"), ["赵敏"]);
    assert!(names("火星").is_empty());
    // A phrase does not match across a punctuation break: 排水 + 拖欠 are separate runs.
    assert!(names("排水拖欠").is_empty());
    assert!(store.search("王", 50).unwrap().is_err());
    assert!(store.search("123", 50).unwrap().is_err());
}

#[test]
fn board_orders_by_time_left_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let mut consult = input("李强", "政策咨询", "咨询");
    consult.town = "巩昌镇".into();
    consult.village = String::new();
    store
        .register(
            &input("王芳", "邻里", "排水"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    store
        .register(&consult, &who, at("2026-03-02T10:00:00+08:00"))
        .unwrap();
    store
        .register(
            &input("赵敏", "劳动争议", "工资"),
            &who,
            at("2026-03-02T11:00:00+08:00"),
        )
        .unwrap();
    let today = d("2026-03-10");
    let all = store.board(&BoardFilter::default(), today, 0, 10).unwrap();
    let order: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(order, ["李强", "赵敏", "王芳"]);
    let overdue = BoardFilter {
        overdue_only: true,
        ..BoardFilter::default()
    };
    assert_eq!(store.board(&overdue, today, 0, 10).unwrap()[0].name, "李强");
    assert_eq!(store.board_count(&overdue, today).unwrap(), 1);
    let town = BoardFilter {
        town: Some("首阳镇".into()),
        ..BoardFilter::default()
    };
    assert_eq!(store.board_count(&town, today).unwrap(), 2);
    let cat = BoardFilter {
        category: Some("劳动争议".into()),
        ..BoardFilter::default()
    };
    assert_eq!(store.board(&cat, today, 0, 10).unwrap()[0].name, "赵敏");
    let page2 = store.board(&BoardFilter::default(), today, 1, 1).unwrap();
    assert_eq!(page2[0].name, "赵敏");
    let h = store.header(&BoardFilter::default(), today).unwrap();
    assert_eq!((h.open, h.overdue), (3, 1));
    let h = store
        .header(&BoardFilter::default(), d("2026-03-02"))
        .unwrap();
    assert_eq!(h.registered_today, 3);
}

#[test]
fn bad_input_writes_nothing_and_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let bad = NewCaseInput {
        id_number: "110105194912310021".into(),
        ..input("王芳", "邻里", "排水")
    };
    let err = store
        .register(&bad, &who, at("2026-03-02T09:00:00+08:00"))
        .unwrap_err();
    assert!(err.to_string().contains("身份证号（id_number）"), "{err}");
    let ok = store
        .register(
            &input("王芳", "邻里", "排水"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    assert_eq!(ok.key.seq, 1, "a refused registration takes no number");
}

#[test]
fn someone_elses_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minshi.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE accounts (id INTEGER); INSERT INTO accounts VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = minshi::store::Store::open(
        &path,
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::NotOurs(_)), "{err}");
    assert!(err.to_string().contains("不是 minshi 的数据库"));
    assert_eq!(std::fs::read(&path).unwrap(), before);

    std::fs::write(
        &path,
        b"this is not a database at all, just some text padding it out........",
    )
    .unwrap();
    let err = minshi::store::Store::open(
        &path,
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::Damaged(..)), "{err}");
}

#[test]
fn check_finds_a_gap_in_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    for n in ["甲", "乙", "丙"] {
        store
            .register(
                &input(n, "邻里", "排水"),
                &who,
                at("2026-03-02T09:00:00+08:00"),
            )
            .unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("minshi.db")).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DELETE FROM events WHERE case_id = 2; DELETE FROM cases WHERE id = 2;",
    )
    .unwrap();
    drop(conn);
    let problems = open(dir.path()).check().unwrap();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|p| p.contains("2026年案件编号不连续")),
        "{text:?}"
    );
    // The statistics, recounted from the events, no longer agree with the sums kept.
    assert!(text.iter().any(|p| p.contains("统计汇总")), "{text:?}");
}

#[test]
fn earlier_cases_of_the_same_person_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    let mut a = input("王芳", "邻里", "排水");
    a.id_number = "11010519491231002X".into();
    store
        .register(&a, &who, at("2026-03-02T09:00:00+08:00"))
        .unwrap();
    store
        .register(
            &input("李强", "邻里", "排水"),
            &who,
            at("2026-03-02T09:00:00+08:00"),
        )
        .unwrap();
    let m = store
        .earlier_cases(Some("11010519491231002X"), None, None, 10)
        .unwrap();
    assert_eq!(m.len(), 1);
    assert!(m[0].by_id && !m[0].by_phone);
    let m = store
        .earlier_cases(None, Some("13812341234"), None, 10)
        .unwrap();
    assert_eq!(m.len(), 2);
    let m = store.earlier_cases(None, None, Some("李强"), 10).unwrap();
    assert_eq!(m[0].row.name, "李强");
}

#[test]
fn a_unit_chosen_at_the_counter_without_a_level_is_dispatched_at_the_units_level() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let who = common::who(&mut store);
    for (unit, level) in [
        ("首阳镇司法所", Level::Township),
        ("县司法局", Level::County),
    ] {
        let mut i = input("王芳", "劳动争议", "讨要拖欠工资");
        i.unit = unit.into();
        let c = store
            .register(&i, &who, at("2026-03-02T09:00:00+08:00"))
            .unwrap();
        assert_eq!(c.status, Status::Dispatched);
        assert_eq!(c.level, Some(level), "{unit}");
    }
}

/// A town's or a village's search in SQL keeps exactly the cases `Center::covers` gives that
/// center (its own, and those sent to a unit named after it), newest first, page by page.
#[test]
fn a_centers_search_keeps_the_cases_of_its_area() {
    use minshi::domain::Center;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let now = at("2026-03-05T10:00:00+08:00");
    minshi::demo::accounts(&mut store, now).unwrap();
    minshi::demo::generate(&mut store, 1500, 11, now, &mut |_| {}).unwrap();
    // A case of 巩昌镇 sent to a unit of 首阳镇: 首阳镇's center covers it.
    let clerk = common::who(&mut store);
    let mut sent = input("孔繁荣", "劳动争议", "请求协调在首阳镇务工被拖欠的工资");
    sent.town = "巩昌镇".into();
    sent.village = String::new();
    sent.unit = "首阳镇司法所".into();
    store.register(&sent, &clerk, now).unwrap();
    let centers = [
        Center::Town("首阳镇".into()),
        Center::Town("巩昌镇".into()),
        Center::Village {
            town: "首阳镇".into(),
            village: "南门村".into(),
        },
    ];
    for q in ["请求", "工资", "首阳"] {
        let all = store.search_page(q, 0, 100_000, None).unwrap().unwrap();
        for center in &centers {
            let want: Vec<_> = all
                .rows
                .iter()
                .filter(|r| center.covers(&r.town, &r.village, r.unit.as_deref()))
                .collect();
            let page = store.search_within(q, center, 0, 100_000).unwrap().unwrap();
            assert_eq!(page.total as usize, want.len(), "{q} {center:?}");
            assert_eq!(page.rows.iter().collect::<Vec<_>>(), want, "{q} {center:?}");
            let second = store.search_within(q, center, 3, 5).unwrap().unwrap();
            let expected: Vec<_> = want.iter().skip(3).take(5).copied().collect();
            assert_eq!(second.rows.iter().collect::<Vec<_>>(), expected);
        }
        // Sent to a unit named after the town from elsewhere: found by the town too.
        if q == "请求" {
            let elsewhere = all.rows.iter().any(|r| {
                r.town != "首阳镇" && r.unit.as_deref().is_some_and(|u| u.starts_with("首阳镇"))
            });
            assert!(
                elsewhere,
                "the demo sends a case of another town to 首阳镇's units"
            );
        }
    }
    // Sent to a unit of 首阳镇 in a later write, or moved to 首阳镇 by a 更正: from then on
    // found by 首阳镇's center, and the one moved no longer by 巩昌镇's.
    let shouyang = Center::Town("首阳镇".into());
    let gongchang = Center::Town("巩昌镇".into());
    let found = |store: &minshi::store::Store, center: &Center| {
        let page = store
            .search_within("柏永福", center, 0, 100)
            .unwrap()
            .unwrap();
        assert_eq!(page.total as usize, page.rows.len());
        page.total
    };
    let mut later = input("柏永福", "基础设施", "巷道排水沟堵塞");
    later.town = "巩昌镇".into();
    later.village = String::new();
    let sent_later = store.register(&later, &clerk, now).unwrap();
    let moved = store.register(&later, &clerk, now).unwrap();
    assert_eq!(
        (found(&store, &shouyang), found(&store, &gongchang)),
        (0, 2)
    );
    store
        .act(
            sent_later.key,
            &Action::Dispatch {
                level: Level::Township,
                unit: "首阳镇人民政府".into(),
                note: String::new(),
            },
            &clerk,
            now,
        )
        .unwrap();
    store
        .correct(moved.key, ("town", "首阳镇", "登记时乡镇选错"), &clerk, now)
        .unwrap();
    assert_eq!(
        (found(&store, &shouyang), found(&store, &gongchang)),
        (2, 1)
    );
    assert!(store.check().unwrap().is_empty());
}
