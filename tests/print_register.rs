//! The 民声登记簿 read back from its PDF bytes.

mod print_common;

use minshi::domain::{Outcome, Resolution, Route, Status};
use minshi::print::{PrintError, register_pdf};
use print_common::*;

#[test]
fn register_lists_every_case_with_header_on_every_page_and_totals() {
    let cases = register_cases(60);
    let printed = at("2026-04-01T09:00:00+08:00");
    let pdf = register_pdf(
        &cases,
        day(2026, 1, 1),
        day(2026, 3, 31),
        &config(),
        printed,
    )
    .unwrap();
    let sizes = page_sizes_mm(&pdf);
    assert!(sizes.len() > 1);
    for (w, h) in &sizes {
        assert!(
            (w - 297.0).abs() < 0.5 && (h - 210.0).abs() < 0.5,
            "landscape A4: {w}×{h}"
        );
    }
    let pages = page_texts(&pdf);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("序号案件编号受理日期渠道当事人乡镇/村类别诉求摘要办理方式责任单位期限状态"),
            "header on page {}",
            i + 1
        );
        assert!(p.contains(&format!("— {} —", i + 1)));
    }
    let all = pages.concat();
    assert!(all.contains("民声登记簿"));
    assert!(all.contains("登记期间：2026年1月1日至2026年3月31日"));
    for c in &cases {
        assert!(all.contains(&c.case_no), "{} missing", c.case_no);
    }
    assert!(all.contains("欧阳修文"), "internal ledger: full names");
    assert!(all.contains("刘䶮"));
    assert!(all.contains("138****1234"));
    assert!(!all.contains("13812341234"));
    assert!(!all.contains("621122"), "no ID numbers in the ledger");
    assert!(all.contains("本期登记60件"));
    // Registered, dispatched and in-progress cases (3 of every 6) are open and past due.
    assert!(all.contains("超期未办结30件"), "{all}");
    assert!(all.contains("已登记：10件"));
    assert!(all.contains("劳动争议：10件"));
}

#[test]
fn empty_period_prints_an_empty_register() {
    let pdf = register_pdf(
        &[],
        day(2026, 1, 1),
        day(2026, 1, 31),
        &config(),
        at("2026-02-01T09:00:00+08:00"),
    )
    .unwrap();
    let text = all_text(&pdf);
    assert!(text.contains("本期间无登记事项"));
    assert!(text.contains("本期登记0件"));
}

#[test]
fn reversed_period_is_refused() {
    let err = register_pdf(
        &[],
        day(2026, 2, 1),
        day(2026, 1, 1),
        &config(),
        at("2026-02-01T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::Period { .. }));
    assert!(err.to_string().contains("起始日期"));
}

#[test]
fn register_has_closing_result_and_follow_up_columns_and_totals_by_town_and_route() {
    let mut cases = register_cases(12);
    cases[1].person.town = "巩昌镇".into();
    let printed = at("2026-04-01T09:00:00+08:00");
    let pdf = register_pdf(
        &cases,
        day(2026, 1, 1),
        day(2026, 3, 31),
        &config(),
        printed,
    )
    .unwrap();
    let all = all_text(&pdf);
    assert!(
        all.contains("状态办结日期办理结果回访满意度"),
        "new columns in the header"
    );
    // Case 5 (followed up) shows its closing day, outcome and satisfaction.
    assert!(all.contains("2026-03-28调解成功满意2026-03-30"), "{all}");
    assert!(all.contains("按乡镇"));
    assert!(all.contains("首阳镇：11件") && all.contains("巩昌镇：1件"));
    assert!(all.contains("按办理方式"));
    assert!(all.contains("限时办理：12件"));
    assert!(all.contains("按状态") && all.contains("按类别"));
}

#[test]
fn case_numbers_of_five_digits_and_the_longest_channel_fit_on_one_line() {
    let mut cases = register_cases(3);
    cases[0].case_no = "陇综民〔2026〕23170号".into();
    cases[1].channel = "信访二维码".into();
    cases[2].channel = "上级转办".into();
    let pdf = register_pdf(
        &cases,
        day(2026, 1, 1),
        day(2026, 3, 31),
        &config(),
        at("2026-04-01T09:00:00+08:00"),
    )
    .unwrap();
    let pieces: Vec<String> = placed_texts(&pdf)
        .concat()
        .into_iter()
        .map(|p| p.text)
        .collect();
    for whole in [
        "陇综民〔2026〕23170号",
        "陇综民〔2026〕2号",
        "信访二维码",
        "上级转办",
        "2026-01-02",
    ] {
        assert!(pieces.iter().any(|p| p == whole), "{whole} is wrapped");
    }
}

#[test]
fn on_the_spot_cases_show_their_result_not_awaiting_dispatch() {
    let mut cases = register_cases(1);
    let c = &mut cases[0];
    c.route = Route::OnTheSpot;
    c.unit = None;
    c.level = None;
    c.status = Status::Resolved;
    c.follow_up = None;
    c.resolution = Some(Resolution {
        outcome: Outcome::Explained,
        result: "当场解答".into(),
        basis: String::new(),
        closed_at: c.received_at,
        on_time: true,
    });
    let pdf = register_pdf(
        &cases,
        day(2026, 1, 1),
        day(2026, 3, 31),
        &config(),
        at("2026-04-01T09:00:00+08:00"),
    )
    .unwrap();
    let all = all_text(&pdf);
    assert!(!all.contains("待分流"), "{all}");
    assert!(
        all.contains("当场办结2026-02-01已办结2026-01-02解释说明"),
        "{all}"
    );
}
