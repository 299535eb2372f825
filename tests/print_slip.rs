//! The receipt slip read back from its PDF bytes.

mod print_common;

use std::path::Path;

use minshi::config::Config;
use minshi::print::{PrintError, SlipLayout, qr_payload, slip_pdf};
use print_common::*;

#[test]
fn a5_slip_carries_what_the_citizen_needs() {
    let (cfg, mut c) = (config(), case());
    c.unit = None;
    let pdf = slip_pdf(&c, &cfg, SlipLayout::A5).unwrap();
    let sizes = page_sizes_mm(&pdf);
    assert_eq!(sizes.len(), 1);
    assert!((sizes[0].0 - 148.0).abs() < 0.5 && (sizes[0].1 - 210.0).abs() < 0.5);
    let text = all_text(&pdf);
    for expected in [
        "陇西县综治中心",
        "受理回执",
        "陇综民〔2026〕12号",
        "2026年3月5日 14:30",
        "王𬌗",
        "621122********1239",
        "138****1234",
        "请求村委会按合同返还2024年被占用的承包地0.8亩",
        "限时办理",
        "待分流",
        "2026年4月4日前",
        "0932-6623110",
        "甘肃省定西市陇西县巩昌镇",
        "李秀兰",
        "请妥善保管本回执",
        "2026-000012",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    assert!(!text.contains("621122198503171239"));
    assert!(!text.contains("13812341234"));
}

#[test]
fn long_request_is_cut_with_an_ellipsis() {
    let (cfg, c) = (config(), long_case());
    for layout in [SlipLayout::A5, SlipLayout::Roll80mm] {
        let pdf = slip_pdf(&c, &cfg, layout).unwrap();
        assert_eq!(page_sizes_mm(&pdf).len(), 1, "{layout:?} stays on one page");
        let text = all_text(&pdf);
        assert!(text.contains("……"), "{layout:?}");
        assert!(
            text.chars().count() < 600,
            "{layout:?}: the whole request was printed"
        );
    }
}

#[test]
fn roll_slip_is_80mm_wide_and_as_long_as_its_content() {
    let cfg = config();
    let short = slip_pdf(&case(), &cfg, SlipLayout::Roll80mm).unwrap();
    let (w, h) = page_sizes_mm(&short)[0];
    assert!((w - 80.0).abs() < 0.5, "{w}");
    assert!(h > 100.0 && h < 297.0, "{h}");
    let mut c = case();
    c.request = "请求解决。".into();
    let (_, shorter) = page_sizes_mm(&slip_pdf(&c, &cfg, SlipLayout::Roll80mm).unwrap())[0];
    assert!(
        shorter < h,
        "a shorter request gives a shorter slip: {shorter} vs {h}"
    );
    assert!(all_text(&short).contains("陇综民〔2026〕12号"));
}

#[test]
fn slip_draws_a_qr_code() {
    let pdf = slip_pdf(&case(), &config(), SlipLayout::A5).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    // The modules are one filled path of many small subpaths.
    let moves = content.matches(" m\n").count() + content.matches(" m ").count();
    assert!(moves > 50, "{moves} subpaths");
}

#[test]
fn unprintable_request_is_refused() {
    let mut c = case();
    c.request = "请求\u{E000}处理".into();
    let err = slip_pdf(&c, &config(), SlipLayout::A5).unwrap_err();
    assert!(
        matches!(&err, PrintError::Unprintable(l) if l[0].field == "诉求内容" && l[0].position == 3)
    );
}

#[test]
fn a_group_visit_shows_its_size_and_representatives() {
    let (cfg, c) = (config(), long_case());
    for layout in [SlipLayout::A5, SlipLayout::Roll80mm] {
        let text = all_text(&slip_pdf(&c, &cfg, layout).unwrap());
        assert!(text.contains("来访人数"), "{layout:?}: {text}");
        assert!(
            text.contains("3人（代表：王𬌗、刘䶮）"),
            "{layout:?}: {text}"
        );
    }
    let single = all_text(&slip_pdf(&case(), &cfg, SlipLayout::A5).unwrap());
    assert!(!single.contains("来访人数"));
}

#[test]
fn qr_code_carries_the_case_number_and_the_configured_query_page() {
    let c = case();
    assert_eq!(qr_payload(&c, &config()), "陇综民〔2026〕12号");
    let center = |url: &str| {
        Config::from_override(
            Path::new("config.toml"),
            &format!(
                "[center]\nname = \"陇西县综治中心\"\nlevel = \"县\"\nphone = \"0932-6623110\"\naddress = \"巩昌镇\"\nquery_url = \"{url}\"\n"
            ),
        )
        .unwrap()
    };
    let cfg = center("https://zz.longxi.gov.cn/q?key={key}");
    assert_eq!(
        qr_payload(&c, &cfg),
        "陇综民〔2026〕12号\nhttps://zz.longxi.gov.cn/q?key=2026-000012"
    );
    let cfg = center("https://zz.longxi.gov.cn/q?no={case_no}");
    let payload = qr_payload(&c, &cfg);
    assert!(payload.starts_with("陇综民〔2026〕12号\n"), "{payload}");
    assert!(
        payload.ends_with("no=%E9%99%87%E7%BB%BC%E6%B0%91%E3%80%942026%E3%80%9512%E5%8F%B7"),
        "{payload}"
    );
    // The slip says where to look it up.
    let text = all_text(
        &slip_pdf(
            &c,
            &center("https://zz.longxi.gov.cn/q?key={key}"),
            SlipLayout::A5,
        )
        .unwrap(),
    );
    assert!(
        text.contains("https://zz.longxi.gov.cn/q?key=2026-000012"),
        "{text}"
    );
}
