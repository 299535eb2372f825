//! The 民声登记簿 read back from its PDF bytes.

mod print_common;

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
