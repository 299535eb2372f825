//! Visits, reports and meetings in the library on a real SQLite file: who may see and triage
//! what, a failed triage leaves nothing behind, and `check` finds a record changed or removed
//! behind the program's back.

mod common;

use common::{PASSWORD, at, input, login, open, who};
use minshi::domain::records::{MeetingInput, RecordKey, ReportInput, ReportStatus, VisitInput};
use minshi::domain::{Center, NewCaseInput, Role};
use minshi::store::{NewAccount, ReportFilter, Store, StoreError, VisitFilter};

const NOW: &str = "2026-03-02T09:00:00+08:00";

fn account(store: &mut Store, login_name: &str, name: &str, role: Role, center: &str) {
    let admin = common::login(store, "admin");
    store
        .add_account(
            &NewAccount {
                login: login_name.into(),
                real_name: name.into(),
                role,
                center: Center::from_code(center),
                os_user: None,
            },
            PASSWORD,
            Some(&admin),
            at(NOW),
        )
        .expect("account");
}

fn visit(town: &str, village: &str, request: &str) -> VisitInput {
    VisitInput {
        name: "张桂兰".into(),
        town: town.into(),
        village: village.into(),
        kind: "入户走访".into(),
        raised: request.into(),
        reports: vec![ReportInput {
            request: request.into(),
            ..ReportInput::default()
        }],
        ..VisitInput::default()
    }
}

#[test]
fn cadres_see_their_own_and_centers_triage_only_their_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    account(&mut store, "mahui", "马慧", Role::Cadre, "首阳镇");
    account(&mut store, "niu", "牛强", Role::Cadre, "巩昌镇");
    account(&mut store, "sy", "首阳镇受理员", Role::Clerk, "首阳镇");
    account(&mut store, "gc", "巩昌镇受理员", Role::Clerk, "巩昌镇");
    let mahui = login(&mut store, "mahui");
    let niu = login(&mut store, "niu");
    let (v1, keys1) = store
        .add_visit(&visit("首阳镇", "南门村", "灌溉渠堵塞"), &mahui, at(NOW))
        .unwrap();
    assert_eq!(keys1.len(), 1);
    // A cadre of 首阳镇 may not record a visit in another town.
    let err = store
        .add_visit(&visit("巩昌镇", "西街村", "路灯不亮"), &mahui, at(NOW))
        .unwrap_err();
    assert!(err.to_string().contains("不在"), "{err}");
    let (v2, _) = store
        .add_visit(&visit("巩昌镇", "西街村", "路灯不亮"), &niu, at(NOW))
        .unwrap();

    // Each cadre sees only their own visits.
    let mine = store.visits(&VisitFilter::default(), &mahui).unwrap();
    assert_eq!(mine.iter().map(|v| v.id).collect::<Vec<_>>(), [v1.id]);
    assert!(store.visit(v2.id, &mahui).is_err());
    // A center's clerk sees its town's and triages its own queue, not another town's.
    let sy = login(&mut store, "sy");
    let gc = login(&mut store, "gc");
    let queue = store
        .reports(
            &ReportFilter {
                pending: true,
                ..ReportFilter::default()
            },
            &sy,
        )
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].request, "灌溉渠堵塞");
    let err = store
        .triage_answer(keys1[0], ReportStatus::Answered, "已清淤", &gc, at(NOW))
        .unwrap_err();
    assert!(err.to_string().contains("不在巩昌镇"), "{err}");
    // A cadre may not triage at all.
    let err = store
        .triage_answer(keys1[0], ReportStatus::Answered, "已清淤", &mahui, at(NOW))
        .unwrap_err();
    assert!(err.to_string().contains("无权研判"), "{err}");
    let r = store
        .triage_answer(keys1[0], ReportStatus::Answered, "已清淤", &sy, at(NOW))
        .unwrap();
    assert_eq!(r.status, ReportStatus::Answered);
    assert_eq!(r.triage.unwrap().by_name, "首阳镇受理员");
    let count = store.queue_count(&sy, at(NOW).date_naive()).unwrap();
    assert_eq!((count.pending, count.late), (0, 0));
    let count = store
        .queue_count(&gc, at("2026-03-10T09:00:00+08:00").date_naive())
        .unwrap();
    assert_eq!((count.pending, count.late), (1, 1));
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_refused_registration_leaves_the_report_pending_and_no_number_taken() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let w = who(&mut store);
    let r = store
        .add_report(
            &ReportInput {
                source: "电话".into(),
                reporter: "王有福".into(),
                town: "首阳镇".into(),
                village: "南门村".into(),
                request: "邻里宅基地纠纷".into(),
                ..ReportInput::default()
            },
            &w,
            at(NOW),
        )
        .unwrap();
    assert_eq!(r.report_no, "陇民报〔2026〕1号");
    // No name and no category: refused, naming the fields; nothing written.
    let err = store
        .triage_register(r.key, &NewCaseInput::default(), &w, at(NOW))
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(store.case_count().unwrap(), 0);
    assert_eq!(
        store.report(r.key, &w).unwrap().status,
        ReportStatus::Pending
    );
    // Registered properly, the case takes number 1 and the report points at it.
    let mut case = input("王有福", "邻里", "邻里宅基地纠纷");
    case.channel = "电话".into();
    let (report, case) = store.triage_register(r.key, &case, &w, at(NOW)).unwrap();
    assert_eq!(case.case_no, "陇综民〔2026〕1号");
    assert_eq!(report.case, Some(case.key));
    // 并案 of a report already triaged is refused.
    let err = store
        .triage_merge(r.key, case.key, "", &w, at(NOW))
        .unwrap_err();
    assert!(err.to_string().contains("已研判"), "{err}");
    // A second report of the same matter is merged into the case: linked, and on its timeline.
    let again = store
        .add_report(
            &ReportInput {
                source: "微信群".into(),
                reporter: "王有福".into(),
                town: "首阳镇".into(),
                village: "南门村".into(),
                request: "宅基地纠纷又来反映".into(),
                ..ReportInput::default()
            },
            &w,
            at(NOW),
        )
        .unwrap();
    let merged = store
        .triage_merge(again.key, case.key, "同一宅基地纠纷", &w, at(NOW))
        .unwrap();
    assert_eq!(merged.status, ReportStatus::Merged);
    assert_eq!(merged.case, Some(case.key));
    let timeline = store.timeline(case.key).unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.action == "重复反映" && e.details.contains("陇民报〔2026〕2号")),
        "{timeline:?}"
    );
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn check_finds_a_record_changed_or_removed_behind_the_programs_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minshi.db");
    {
        let mut store = open(dir.path());
        let w = who(&mut store);
        store
            .add_visit(&visit("首阳镇", "南门村", "灌溉渠堵塞"), &w, at(NOW))
            .unwrap();
        store
            .add_meeting(
                &MeetingInput {
                    title: "首阳镇民心沟通会".into(),
                    held_at: Some(at(NOW)),
                    place: "镇政府会议室".into(),
                    host: "中共首阳镇委员会".into(),
                    chair: "刘洋".into(),
                    recorder: "陈静".into(),
                    attendance: 30,
                    town: "首阳镇".into(),
                    ..MeetingInput::default()
                },
                &w,
                at(NOW),
            )
            .unwrap();
        store
            .opinion(
                RecordKey { year: 2026, seq: 1 },
                "王有福",
                "村东排水沟堵塞",
                true,
                &w,
                at(NOW),
            )
            .unwrap();
        assert!(store.check().unwrap().is_empty());
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE reports SET request = '改过的事项' WHERE seq = 1",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM meeting_opinions", []).unwrap();
    drop(conn);
    let store = open(dir.path());
    let problems: Vec<String> = store
        .check()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    let all = problems.join("\n");
    assert!(
        all.contains("民意报告单") && all.contains("request"),
        "{all}"
    );
    assert!(
        all.contains("沟通会意见") && all.contains("被删除"),
        "{all}"
    );
}

#[test]
fn a_town_meetings_opinion_goes_to_the_town_center() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let w = who(&mut store);
    let m = store
        .add_meeting(
            &MeetingInput {
                title: "首阳镇民心沟通会".into(),
                held_at: Some(at(NOW)),
                place: "镇政府会议室".into(),
                host: "中共首阳镇委员会".into(),
                chair: "刘洋".into(),
                recorder: "陈静".into(),
                attendance: 30,
                town: "首阳镇".into(),
                ..MeetingInput::default()
            },
            &w,
            at(NOW),
        )
        .unwrap();
    assert_eq!(m.meeting_no, "陇沟通〔2026〕1号");
    let (m, made) = store
        .opinion(m.key, "王有福", "村东排水沟堵塞", true, &w, at(NOW))
        .unwrap();
    let report = store.report(made.unwrap(), &w).unwrap();
    assert_eq!(report.source, "民心沟通会");
    assert_eq!(report.center, Center::Town("首阳镇".into()));
    assert_eq!(report.meeting, Some(m.key));
    assert_eq!(
        m.opinions[0].report_no.as_deref(),
        Some("陇民报〔2026〕1号")
    );
    // An opinion without text is refused.
    let err = store
        .opinion(m.key, "", " ", false, &w, at(NOW))
        .unwrap_err();
    assert!(err.to_string().contains("意见内容：必填"), "{err}");
}

/// The queue the header counts is the queue F7 lists, for every kind of account: a county
/// clerk sees every waiting report, a town clerk those sent to the town or its villages (not
/// those about the town sent to the county, which are only in the whole list), a cadre those
/// they filled in.
#[test]
fn the_queue_count_and_the_queue_list_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    account(&mut store, "mahui", "马慧", Role::Cadre, "首阳镇");
    account(&mut store, "sy", "首阳镇受理员", Role::Clerk, "首阳镇");
    account(
        &mut store,
        "nm",
        "南门村受理员",
        Role::Clerk,
        "首阳镇/南门村",
    );
    let county = login(&mut store, "zhangli");
    let mahui = login(&mut store, "mahui");
    let sy = login(&mut store, "sy");
    let nm = login(&mut store, "nm");
    let report = |town: &str, village: &str, center: &str, request: &str| ReportInput {
        source: "电话".into(),
        reporter: "王有福".into(),
        town: town.into(),
        village: village.into(),
        center: center.into(),
        request: request.into(),
        ..ReportInput::default()
    };
    let early = at("2026-02-02T09:00:00+08:00");
    // About 首阳镇 but sent to the county; to the town; to a village center under it; to
    // another town; and the cadre's own, sent to the town by default.
    let sent = [
        (
            report("首阳镇", "南门村", "", "县里处理的事"),
            &county,
            early,
        ),
        (
            report("首阳镇", "首阳村", "首阳镇", "镇里处理的事"),
            &county,
            early,
        ),
        (
            report("首阳镇", "南门村", "首阳镇/南门村", "村里处理的事"),
            &sy,
            at(NOW),
        ),
        (
            report("巩昌镇", "西街村", "巩昌镇", "别的镇的事"),
            &county,
            at(NOW),
        ),
        (report("首阳镇", "南门村", "", "干部报的事"), &mahui, early),
    ];
    for (input, who, when) in sent {
        store.add_report(&input, who, when).unwrap();
    }
    let pending = ReportFilter {
        pending: true,
        ..ReportFilter::default()
    };
    let all = ReportFilter::default();
    let today = at("2026-03-02T09:00:00+08:00").date_naive();
    let late_before = at("2026-02-20T00:00:00+08:00").date_naive();
    let requests = |list: Vec<minshi::domain::records::Report>| {
        let mut r: Vec<String> = list.into_iter().map(|r| r.request).collect();
        r.sort();
        r
    };
    for (who, queue, whole) in [
        (
            &county,
            vec![
                "县里处理的事",
                "干部报的事",
                "别的镇的事",
                "村里处理的事",
                "镇里处理的事",
            ],
            5,
        ),
        (&sy, vec!["干部报的事", "村里处理的事", "镇里处理的事"], 4),
        (&nm, vec!["村里处理的事"], 3),
        (&mahui, vec!["干部报的事"], 1),
    ] {
        let listed = store.reports(&pending, who).unwrap();
        let late = listed
            .iter()
            .filter(|r| r.received_at.date_naive() < late_before)
            .count();
        let count = store.queue_count(who, late_before).unwrap();
        let login = who.login();
        assert_eq!(count.pending as usize, listed.len(), "{login}");
        assert_eq!(count.late as usize, late, "{login}");
        assert_eq!(
            store.reports_count(&pending, who, late_before).unwrap(),
            (count.pending, count.late),
            "{login}"
        );
        let mut queue: Vec<String> = queue.into_iter().map(String::from).collect();
        queue.sort();
        assert_eq!(requests(listed), queue, "{login}");
        let seen = store.reports(&all, who).unwrap();
        assert_eq!(seen.len(), whole, "{login}: {:?}", requests(seen));
        assert_eq!(
            store.reports_count(&all, who, today).unwrap().0 as usize,
            whole,
            "{login}"
        );
        // Every report of the queue can be opened by the account that lists it.
        for r in store.reports(&pending, who).unwrap() {
            store.report(r.key, who).unwrap();
        }
    }
    assert!(store.check().unwrap().is_empty());
}

/// Printing a report, a meeting's minutes and notice, or a cadre's notebook goes on the
/// tamper-evident timeline as a case's print does: the counts on the rows are replayed by
/// `check`, and changing one behind the program's back is found.
#[test]
fn prints_of_records_are_chained_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minshi.db");
    let home = minshi::home::Home::at(dir.path());
    let out = |name: &str| dir.path().join(name);
    let meeting_key;
    {
        let mut store = open(dir.path());
        account(&mut store, "mahui", "马慧", Role::Cadre, "首阳镇");
        let clerk = login(&mut store, "zhangli");
        let cadre = login(&mut store, "mahui");
        let (_, reports) = store
            .add_visit(&visit("首阳镇", "南门村", "灌溉渠堵塞"), &cadre, at(NOW))
            .unwrap();
        let meeting = store
            .add_meeting(
                &MeetingInput {
                    title: "首阳镇三月民心沟通会".into(),
                    held_at: Some(at(NOW)),
                    place: "镇政府会议室".into(),
                    host: "中共首阳镇委员会".into(),
                    chair: "刘洋".into(),
                    recorder: "陈静".into(),
                    attendance: 30,
                    town: "首阳镇".into(),
                    ..MeetingInput::default()
                },
                &clerk,
                at(NOW),
            )
            .unwrap();
        meeting_key = meeting.key;
        assert_eq!(meeting.printed(), None);
        let before = store.head().unwrap().unwrap().count;
        let now = at("2026-03-03T10:00:00+08:00");
        for _ in 0..2 {
            minshi::printing::report_form(
                &mut store,
                &home,
                reports[0],
                Some(&out("r.pdf")),
                &clerk,
                now,
            )
            .unwrap();
        }
        minshi::printing::minutes(
            &mut store,
            &home,
            meeting.key,
            Some(&out("m.pdf")),
            &clerk,
            now,
        )
        .unwrap();
        for _ in 0..2 {
            minshi::printing::notice(
                &mut store,
                &home,
                meeting.key,
                Some(&out("n.pdf")),
                &clerk,
                now,
            )
            .unwrap();
        }
        let period = (at(NOW).date_naive(), at(NOW).date_naive());
        minshi::printing::notebook(
            &mut store,
            &home,
            "mahui",
            period,
            Some(&out("b.pdf")),
            &cadre,
            now,
        )
        .unwrap();
        // The blank form holds no record: nothing to put on the timeline.
        minshi::printing::blank_report_form(&store, &home, Some(&out("blank.pdf")), now).unwrap();
        assert_eq!(store.head().unwrap().unwrap().count, before + 6);
        assert_eq!(store.report(reports[0], &clerk).unwrap().prints, 2);
        let m = store.meeting(meeting.key, &clerk).unwrap();
        assert_eq!((m.minutes_prints, m.notice_prints), (1, 2));
        assert_eq!(
            m.printed().as_deref(),
            Some("已打印会议记录 1 次、公示 2 次")
        );
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    }
    // What the timeline says of them, in order.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut said: Vec<String> = conn
        .prepare("SELECT kind, data FROM events ORDER BY id DESC LIMIT 6")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(|row| {
            let (kind, data) = row.unwrap();
            let kind = minshi::domain::EventKind::from_code(kind).unwrap();
            assert_eq!(kind, minshi::domain::EventKind::PrintRecord);
            minshi::domain::describe(kind, &serde_json::from_str(&data).unwrap())
        })
        .collect();
    said.reverse();
    assert_eq!(
        said,
        [
            "打印民意报告单陇民报〔2026〕1号（第1次）",
            "打印民意报告单陇民报〔2026〕1号（第2次）",
            "打印陇沟通〔2026〕1号的会议记录（第1次）",
            "打印陇沟通〔2026〕1号的情况通报（公示，第1次）",
            "打印陇沟通〔2026〕1号的情况通报（公示，第2次）",
            "打印马慧的民情笔记本（2026-03-02至2026-03-02，走访1次）",
        ]
    );
    // A count changed behind the program's back is found.
    conn.execute("UPDATE meetings SET notice_prints = 1", [])
        .unwrap();
    drop(conn);
    let store = open(dir.path());
    let all: Vec<String> = store
        .check()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    let all = all.join("\n");
    assert!(
        all.contains("民心沟通会") && all.contains("notice_prints"),
        "{all}"
    );
    let clerk = {
        let mut store = open(dir.path());
        login(&mut store, "zhangli")
    };
    assert_eq!(store.meeting(meeting_key, &clerk).unwrap().notice_prints, 1);
}
