//! The 民事办理书 read back from its PDF bytes: text, fonts, pages, reprint marking, evidence,
//! annexed images and refusal of unprintable characters.

mod print_common;

use minshi::domain::{EvidenceKind, Status};
use minshi::print::{
    AnnexImage, DRAFT_NUMBER, ImageFormat, PrintError, form_pdf, missing_evidence,
};
use print_common::*;

fn ordinary_form() -> Vec<u8> {
    let (cfg, c, ev, evd) = (config(), case(), events(8), evidence(5));
    form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).expect("the form prints")
}

#[test]
fn names_rare_characters_and_numbers_extract_as_text() {
    let text = all_text(&ordinary_form());
    for expected in [
        "民事办理书",
        "陇西县综治中心",
        "陇综民书〔2026〕45号",
        "陇综民〔2026〕12号",
        "王𬌗",
        "2026年3月5日 14:30",
        "621122********1239",
        "138****1234",
        "首阳镇人民调解委员会",
        "《中华人民共和国农村土地承包法》第31条",
        "满意度：满意",
        "经办人（签字）",
        "审核人（签字）",
        "当事人（签字）",
        "陇西县综治中心（盖章）",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    assert!(
        !text.contains("621122198503171239"),
        "the full ID must not be printed"
    );
    assert!(
        !text.contains("13812341234"),
        "the full phone must not be printed"
    );
}

#[test]
fn extension_a_group_and_a_rare_representative_are_printed() {
    let (cfg, c, ev, evd) = (config(), long_case(), events(3), evidence(2));
    let text = all_text(&form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap());
    assert!(text.contains("刘䶮"));
    assert!(text.contains("3人"));
    assert!(text.contains("经赵主任批准延期30日"));
    assert!(text.contains("2026年5月6日"));
}

#[test]
fn fonts_are_embedded_as_small_subsets() {
    let pdf = ordinary_form();
    assert_eq!(
        page_sizes_mm(&pdf).len(),
        2,
        "the ordinary form is two pages"
    );
    assert!(
        pdf.len() < 300_000,
        "a two-page form is {} bytes",
        pdf.len()
    );
    let fonts = embedded_fonts(&pdf);
    assert_eq!(fonts.len(), 3, "body, title and label faces");
    for f in &fonts {
        let (tag, rest) = f.name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{}",
            f.name
        );
        assert!(rest.starts_with("Noto"), "{}", f.name);
        assert!(
            f.program_bytes > 0 && f.program_bytes < 150_000,
            "{}: {}",
            f.name,
            f.program_bytes
        );
    }
}

#[test]
fn a4_pages_with_page_numbers() {
    let pdf = ordinary_form();
    for (i, ((w, h), text)) in page_sizes_mm(&pdf)
        .into_iter()
        .zip(page_texts(&pdf))
        .enumerate()
    {
        assert!(
            (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
            "{w}×{h}"
        );
        assert!(text.contains(&format!("— {} —", i + 1)), "page {}", i + 1);
    }
}

#[test]
fn long_form_runs_over_pages_with_header_rows_repeated() {
    let (cfg, c, ev, evd) = (config(), long_case(), events(40), evidence(60));
    let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap();
    let pages = page_texts(&pdf);
    assert!(pages.len() > 2, "{} pages", pages.len());
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains(&format!("— {} —", i + 1)),
            "page {} unnumbered",
            i + 1
        );
    }
    assert!(pages[1].contains("— 2 —"));
    // The 2000-character request continues on the next page under its label.
    assert!(pages.iter().any(|p| p.contains("诉求内容（续）")));
    let with_header = pages
        .iter()
        .filter(|p| p.contains("序号名称类型页数添加时间"))
        .count();
    assert!(with_header >= 2, "evidence header on {with_header} pages");
    let all = pages.concat();
    assert!(
        all.contains("60电话回访记录"),
        "the last evidence row is printed"
    );
    // Every timeline entry is there, the last one too.
    let last = ev.last().unwrap();
    let when = last.at.format("%Y年%-m月%-d日 %H:%M");
    let line = format!("{when}　{}　{}：{}", last.actor, last.action, last.details);
    assert!(all.contains(&line), "missing {line}");
    assert!(all.contains("打印时间：2026年3月31日 16:05"));
}

#[test]
fn second_print_is_marked_reprint_and_keeps_its_number() {
    let (cfg, c, ev, evd) = (config(), case(), events(3), evidence(1));
    let mut input = form_input(&c, &ev, &evd, &cfg, &[]);
    let first = all_text(&form_pdf(&input).unwrap());
    assert!(first.contains("陇综民书〔2026〕45号"));
    assert!(!first.contains("补打"));
    input.print_count = 2;
    let second = all_text(&form_pdf(&input).unwrap());
    assert!(second.contains("陇综民书〔2026〕45号"));
    assert!(second.contains("补打（第2次打印）"));
}

#[test]
fn evidence_list_shows_kind_pages_and_hash_prefix() {
    let text = all_text(&ordinary_form());
    assert!(text.contains("证据材料清单"));
    assert!(
        text.contains("1来访登记表事项来源12026年3月6日3f5a9c0e7b21"),
        "{text}"
    );
    assert!(text.contains("调解协议书"));
    assert!(
        !text.contains(SHA),
        "only the first 12 hex characters are printed"
    );
}

#[test]
fn form_without_evidence_says_none() {
    let (cfg, c, ev) = (config(), case(), events(1));
    let text = all_text(&form_pdf(&form_input(&c, &ev, &[], &cfg, &[])).unwrap());
    assert!(text.contains("（无）"));
}

#[test]
fn jpeg_annex_is_embedded_byte_for_byte() {
    let jpeg = std::fs::read("tests/fixtures/annex.jpg").unwrap();
    let annex = vec![AnnexImage {
        evidence_seq: 2,
        title: "被占土地现场照片".into(),
        bytes: jpeg.clone(),
        format: ImageFormat::Jpeg,
    }];
    let (cfg, c, ev, evd) = (config(), case(), events(8), evidence(5));
    let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &annex)).unwrap();
    assert!(
        contains_bytes(&pdf, &jpeg),
        "the JPEG file is inside the PDF unchanged"
    );
    assert_eq!(images(&pdf), vec![(96, 64, "DCTDecode".to_string())]);
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 3, "two pages of form and one annex page");
    assert!(pages[2].contains("附件2：被占土地现场照片"));
    assert!(pages[2].contains("— 3 —"));
    assert!(all_text(&pdf).contains("（见附件2）"));
}

#[test]
fn png_annex_is_embedded_losslessly() {
    let (w, h) = (40u32, 30u32);
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % 256) as u8, 80, 160, if i % 3 == 0 { 128 } else { 255 }])
            .collect();
        writer.write_image_data(&data).unwrap();
    }
    let annex = vec![AnnexImage {
        evidence_seq: 4,
        title: "调解协议书".into(),
        bytes: png,
        format: ImageFormat::Png,
    }];
    let (cfg, c, ev, evd) = (config(), case(), events(2), evidence(5));
    let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &annex)).unwrap();
    let imgs = images(&pdf);
    assert!(
        imgs.contains(&(40, 30, "FlateDecode".to_string())),
        "{imgs:?}"
    );
    assert_eq!(
        imgs.len(),
        2,
        "the colour image and its alpha mask: {imgs:?}"
    );
    assert!(all_text(&pdf).contains("附件4：调解协议书"));
}

#[test]
fn broken_annex_is_refused_with_its_number() {
    let annex = vec![AnnexImage {
        evidence_seq: 3,
        title: "笔录扫描件".into(),
        bytes: b"not an image".to_vec(),
        format: ImageFormat::Jpeg,
    }];
    let (cfg, c, ev, evd) = (config(), case(), events(2), evidence(3));
    let err = form_pdf(&form_input(&c, &ev, &evd, &cfg, &annex)).unwrap_err();
    assert!(matches!(err, PrintError::Image { seq: 3, .. }));
    assert!(err.to_string().contains("附件3「笔录扫描件」"), "{err}");
}

#[test]
fn unprintable_character_is_reported_with_its_field_and_nothing_printed() {
    let (cfg, mut c, mut ev, evd) = (config(), case(), events(2), evidence(1));
    c.person.name = "王\u{E000}".into();
    ev[1].details = "已电话联系\u{E000}".into();
    let err = form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap_err();
    let PrintError::Unprintable(list) = &err else {
        panic!("expected Unprintable, got {err}");
    };
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0].field.as_str(), list[0].ch, list[0].position),
        ("姓名", '\u{E000}', 2)
    );
    assert_eq!(list[1].field, "办理过程第2条的内容");
    let msg = err.to_string();
    assert!(
        msg.contains("「姓名」第2个字符「U+E000」无法打印（字体中没有此字）"),
        "{msg}"
    );
}

#[test]
fn missing_evidence_follows_the_state() {
    let mut c = case();
    // The case's follow-up is recorded: it is the 回访记录.
    assert_eq!(missing_evidence(&c, &[], &[]), vec![EvidenceKind::Source]);
    assert_eq!(missing_evidence(&c, &evidence(5), &[]), vec![]);
    c.status = Status::Resolved;
    c.follow_up = None;
    assert_eq!(missing_evidence(&c, &[], &[]), vec![EvidenceKind::Source]);
    c.status = Status::InProgress;
    c.resolution = None;
    assert_eq!(missing_evidence(&c, &[], &[]), vec![]);
}

#[test]
fn a_recorded_follow_up_counts_as_the_follow_up_record() {
    let mut c = case();
    let source = evidence(1);
    assert_eq!(missing_evidence(&c, &source, &events(8)), vec![]);
    // Followed up, but the case row lost its follow-up: the 回访 step on the timeline counts.
    c.follow_up = None;
    assert_eq!(missing_evidence(&c, &source, &events(8)), vec![]);
    // Neither the case nor the timeline has it: the record is missing.
    assert_eq!(
        missing_evidence(&c, &source, &events(7)),
        vec![EvidenceKind::FollowUpRecord]
    );
    assert_eq!(
        missing_evidence(&c, &evidence(5), &events(7)),
        vec![],
        "an added 回访记录 file counts too"
    );
}

fn draft_of_an_open_case() -> Vec<u8> {
    let (cfg, mut c, ev, evd) = (config(), case(), events(3), evidence(2));
    c.status = Status::Dispatched;
    c.resolution = None;
    c.follow_up = None;
    let mut input = form_input(&c, &ev, &evd, &cfg, &[]);
    input.draft = true;
    input.form_no = String::new();
    input.print_count = 0;
    form_pdf(&input).unwrap()
}

#[test]
fn an_open_case_prints_as_an_unnumbered_draft() {
    let pdf = draft_of_an_open_case();
    let text = all_text(&pdf);
    assert!(text.contains(DRAFT_NUMBER), "{text}");
    assert!(!text.contains("陇综民书"), "a draft has no number");
    assert!(!text.contains("补打") && !text.contains("次打印"));
    assert!(text.contains("当前状态已分流"));
    // The diagonal mark is on every page, turned (the text matrix is not a plain translation).
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages = placed_texts(&pdf);
    assert!(!pages.is_empty());
    for (page, (&id, placed)) in doc.get_pages().values().zip(&pages).enumerate() {
        assert!(
            placed.iter().any(|p| p.text == "草稿"),
            "page {} has no 草稿 mark",
            page + 1
        );
        let content = lopdf::content::Content::decode(&doc.get_page_content(id)).unwrap();
        let turned = content
            .operations
            .iter()
            .any(|op| op.operator == "Tm" && op.operands[1].as_float().is_ok_and(|sin| sin > 0.3));
        assert!(turned, "page {} mark is not diagonal", page + 1);
    }
}

#[test]
fn handling_history_leaves_out_prints_and_evidence() {
    let (cfg, c, evd) = (config(), case(), evidence(2));
    let mut ev = events(8);
    let system = [
        ("打印回执", "打印受理回执".to_string()),
        (
            "添加证据",
            format!("证据1「来访登记表」（事项来源），SHA-256 {SHA}"),
        ),
        (
            "打印办理书",
            "首次打印民事办理书，编号陇综民书〔2026〕44号".to_string(),
        ),
    ];
    for (i, (action, details)) in system.into_iter().enumerate() {
        let mut e = ev[i].clone();
        e.action = action.into();
        e.kind = minshi::domain::EventKind::from_label(action).expect("a kind the store writes");
        e.details = details;
        ev.push(e);
    }
    let text = all_text(&form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap());
    for gone in [
        "打印回执",
        "添加证据",
        "打印办理书",
        "陇综民书〔2026〕44号",
        &SHA[..12],
    ] {
        let in_process = text
            .split("办理过程")
            .nth(1)
            .is_some_and(|rest| rest.split("证据材料清单").next().unwrap().contains(gone));
        assert!(!in_process, "{gone} is in 办理过程");
    }
    for step in [
        "登记：来访受理",
        "分流：分流至首阳镇人民调解委员会",
        "签收",
        "办结：签订调解协议书",
        "回访：电话回访",
    ] {
        assert!(text.contains(step), "missing step {step}");
    }
}

#[test]
fn page_numbers_sit_on_the_outer_edge() {
    let pdf = ordinary_form();
    let pages = placed_texts(&pdf);
    assert_eq!(pages.len(), 2);
    let number = |page: usize| {
        let want = format!("— {} —", page + 1);
        pages[page]
            .iter()
            .find(|p| p.text == want)
            .unwrap_or_else(|| panic!("no {want}"))
            .clone()
    };
    let (odd, even) = (number(0), number(1));
    let mm = |v: f32| v * 72.0 / 25.4;
    // The text block runs from 28 mm to 184 mm; the number keeps one 14 pt character from the
    // outer edge, 7 mm below the block (which ends 37 + 225 mm from the top).
    let width = 14.0 * 3.0;
    assert!(odd.x > mm(140.0), "odd page number at x = {}", odd.x);
    assert!(
        odd.x + width < mm(184.0),
        "odd page number at x = {}",
        odd.x
    );
    assert!(
        (even.x - (mm(28.0) + 14.0)).abs() < 0.5,
        "even page number at x = {}",
        even.x
    );
    let baseline = mm(297.0 - 262.0 - 7.0) - 0.88 * 14.0;
    assert!(
        (odd.y - baseline).abs() < 0.5,
        "page number baseline at {}",
        odd.y
    );
    assert_eq!(odd.y, even.y);
}

#[test]
fn timeline_entries_stay_whole_on_a_page() {
    let (cfg, c, evd) = (config(), long_case(), evidence(3));
    let mut ev = events(40);
    for (i, e) in ev.iter_mut().enumerate() {
        e.details = format!(
            "第{}次记录：{}",
            i + 1,
            "调解员再次到现场核实情况并听取双方意见，".repeat(1 + i % 3)
        );
    }
    let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap();
    let pages = placed_texts(&pdf);
    let mut continued = 0;
    for (i, page) in pages.iter().enumerate() {
        // The label wraps in its column: 办理过程 / （续）.
        let Some(label) = page
            .windows(2)
            .find(|w| w[0].text == "办理过程" && w[1].text.starts_with("（续"))
            .map(|w| &w[0])
        else {
            continue;
        };
        continued += 1;
        // The first line of the cell on this page starts an entry with its date, at the cell's
        // left edge (a continuation line would be indented under the text).
        let first = page
            .iter()
            .filter(|p| p.x > label.x + 40.0 && !p.text.starts_with('—'))
            .max_by(|a, b| a.y.total_cmp(&b.y))
            .unwrap();
        assert!(
            first.text.starts_with("2026年"),
            "page {} starts with {:?}",
            i + 1,
            first.text
        );
    }
    assert!(continued > 0, "the timeline runs over a page");
}

#[test]
fn the_evidence_heading_keeps_the_table_with_it() {
    let (cfg, c, evd) = (config(), long_case(), evidence(4));
    // Timelines of every length move the heading down the page until it reaches the foot.
    for n in 1..=30 {
        let ev = events(n);
        let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap();
        for page in placed_texts(&pdf) {
            if let Some(heading) = page.iter().position(|p| p.text == "证据材料清单") {
                let after: String = page[heading..].iter().map(|p| p.text.as_str()).collect();
                assert!(
                    after.contains("序号") && after.contains("来访登记表"),
                    "{n} events: the heading stands alone"
                );
            }
        }
    }
}

#[test]
fn added_dates_never_wrap() {
    let (cfg, c, ev) = (config(), case(), events(3));
    let mut evd = evidence(2);
    evd[1].added_at = at("2026-12-28T09:00:00+08:00");
    let pdf = form_pdf(&form_input(&c, &ev, &evd, &cfg, &[])).unwrap();
    let pieces: Vec<String> = placed_texts(&pdf)
        .concat()
        .into_iter()
        .map(|p| p.text)
        .collect();
    for date in ["2026年3月6日", "2026年12月28日"] {
        assert!(
            pieces.iter().any(|p| p == date),
            "{date} is cut: {pieces:?}"
        );
    }
}

#[test]
fn evidence_that_cannot_be_annexed_is_marked_attached_separately() {
    let (cfg, c, ev, evd) = (config(), case(), events(3), evidence(3));
    let mut input = form_input(&c, &ev, &evd, &cfg, &[]);
    input.attached_separately = &[3];
    let text = all_text(&form_pdf(&input).unwrap());
    assert!(text.contains("第一次调解笔录（附件另附）"), "{text}");
    assert!(!text.contains("来访登记表（附件另附）"));
}
