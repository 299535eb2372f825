//! Cases, timelines and evidence built by hand for the paper tests and the benchmark, and a small
//! PDF reader (lopdf) to get the text back out through the fonts' ToUnicode maps.
#![allow(dead_code)]

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use minshi::config::Config;
use minshi::domain::{
    Case, CaseKey, Event, Evidence, EvidenceKind, Extension, FollowUp, Gender, IdNumber, Level,
    Outcome, Person, Phone, Resolution, Route, Satisfaction, Status,
};
use minshi::print::{AnnexImage, FormInput};

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test time")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

pub fn config() -> Config {
    Config::embedded()
}

/// A resolved and followed-up land dispute with an ordinary amount of text.
pub fn case() -> Case {
    let received = at("2026-03-05T14:30:00+08:00");
    Case {
        id: 12,
        key: CaseKey {
            year: 2026,
            seq: 12,
        },
        case_no: "陇综民〔2026〕12号".into(),
        received_at: received,
        channel: "来访".into(),
        clerk: "李秀兰".into(),
        person: Person {
            name: "王𬌗".into(),
            gender: Some(Gender::Male),
            birth_date: Some(day(1985, 3, 17)),
            id_number: Some(IdNumber::parse("621122198503171239").expect("valid id")),
            phone: Some(Phone::parse("13812341234").expect("valid phone")),
            town: "首阳镇".into(),
            village: "首阳村".into(),
            address: "三社12号".into(),
        },
        group_size: 1,
        representatives: vec![],
        category: "土地承包经营".into(),
        request: "请求村委会按合同返还2024年被占用的承包地0.8亩，并补偿两季的青苗损失。".into(),
        facts: "2024年4月，村里修建产业路时占用了申请人家的承包地约0.8亩，当时村干部口头答应秋收后调整土地，至今未落实。".into(),
        reasons: "申请人持有《农村土地承包经营权证》，占地未经本人同意，也未签订任何补偿协议。".into(),
        place: "首阳镇首阳村三社".into(),
        urgent: false,
        legal: false,
        repeat: false,
        route: Route::Timed,
        level: Some(Level::Township),
        unit: Some("首阳镇人民调解委员会".into()),
        due_date: day(2026, 4, 4),
        due_basis: "《人民调解工作若干规定》第33条，一般在一个月内调结".into(),
        extension: None,
        status: Status::FollowedUp,
        resolution: Some(Resolution {
            outcome: Outcome::Mediated,
            result: "经镇村两级调解，村委会同意在本村机动地中调整0.8亩耕地给申请人，并一次性补偿青苗费1600元，双方签订调解协议。".into(),
            basis: "《中华人民共和国农村土地承包法》第31条；《人民调解法》第29条".into(),
            closed_at: at("2026-03-28T10:00:00+08:00"),
            on_time: true,
        }),
        follow_up: Some(FollowUp {
            date: day(2026, 3, 30),
            way: "电话回访".into(),
            satisfaction: Satisfaction::Satisfied,
            notes: "补偿款已到账，调整的土地已丈量交付。".into(),
        }),
        decline_reason: None,
        duplicate_of: None,
        duplicates: vec![],
        updated_at: at("2026-03-30T09:00:00+08:00"),
    }
}

pub fn events(n: usize) -> Vec<Event> {
    let start = at("2026-03-05T14:30:00+08:00");
    let steps = [
        (
            "登记",
            "来访受理，土地承包经营，限时办理，办理期限至2026-04-04",
        ),
        ("分流", "分流至首阳镇人民调解委员会，限时办理"),
        ("签收", ""),
        ("进展", "调解员到现场查看被占土地，测量面积约0.8亩"),
        (
            "进展",
            "召集村委会与申请人第一次调解，双方就补偿标准未达成一致",
        ),
        ("进展", "第二次调解，村委会同意以机动地调整并补偿青苗费"),
        ("办结", "签订调解协议书，调解成功"),
        ("回访", "电话回访，群众表示满意"),
    ];
    (0..n)
        .map(|i| {
            let (action, details) = steps[i % steps.len()];
            Event {
                at: start + Duration::hours(20 * i as i64 + 1),
                actor: if i % 2 == 0 { "李秀兰" } else { "张建国" }.into(),
                action: action.into(),
                details: details.into(),
                kind: minshi::domain::EventKind::from_label(action)
                    .unwrap_or(minshi::domain::EventKind::Legacy),
            }
        })
        .collect()
}

pub const SHA: &str = "3f5a9c0e7b21d4468e0c2f1a9b7d6e5c4b3a29180f7e6d5c4b3a291807f6e5d4";

pub fn evidence(n: usize) -> Vec<Evidence> {
    let kinds = [
        (EvidenceKind::Source, "来访登记表"),
        (EvidenceKind::Photo, "被占土地现场照片"),
        (EvidenceKind::MediationRecord, "第一次调解笔录"),
        (EvidenceKind::MediationAgreement, "调解协议书"),
        (EvidenceKind::FollowUpRecord, "电话回访记录"),
    ];
    (0..n)
        .map(|i| {
            let (kind, title) = kinds[i % kinds.len()];
            let mut sha = SHA.to_string();
            if i > 0 {
                sha.replace_range(0..4, &format!("{:04x}", i * 7919 % 65536));
            }
            Evidence {
                seq: i as u32 + 1,
                kind,
                title: title.into(),
                pages: 1 + (i as u32 % 4),
                file_name: format!("scan{i}.pdf"),
                size: 120_000,
                sha256: sha,
                added_at: at("2026-03-06T09:00:00+08:00") + Duration::days(i as i64),
                added_by: "李秀兰".into(),
            }
        })
        .collect()
}

pub fn form_input<'a>(
    case: &'a Case,
    events: &'a [Event],
    evidence: &'a [Evidence],
    config: &'a Config,
    annex: &'a [AnnexImage],
) -> FormInput<'a> {
    FormInput {
        case,
        events,
        evidence,
        form_no: "陇综民书〔2026〕45号".into(),
        print_count: 1,
        draft: false,
        printed_at: at("2026-03-31T16:05:00+08:00"),
        config,
        annex,
        attached_separately: &[],
        supersedes: false,
    }
}

/// A case with every text field at its limit and an extension.
pub fn long_case() -> Case {
    let mut c = case();
    c.request = "我家的承包地被占用后一直没有得到解决，".repeat(100);
    c.request.truncate(
        c.request
            .char_indices()
            .nth(2000)
            .map_or(c.request.len(), |(i, _)| i),
    );
    c.facts = "事实：村里修路占地，".repeat(80);
    c.reasons = "理由：依法享有承包经营权。".repeat(60);
    c.extension = Some(Extension {
        days: 30,
        previous_due: day(2026, 4, 4),
        new_due: day(2026, 5, 6),
        reason: "涉及多户土地调整，需要重新丈量".into(),
        approver: "赵主任".into(),
    });
    c.group_size = 3;
    c.representatives = vec!["王𬌗".into(), "刘䶮".into()];
    c
}

/// `n` cases of the register, varied.
pub fn register_cases(n: usize) -> Vec<Case> {
    let base = case();
    let categories = [
        "土地承包经营",
        "邻里",
        "劳动争议",
        "婚姻家庭",
        "求助",
        "政策咨询",
    ];
    let statuses = [
        Status::Registered,
        Status::Dispatched,
        Status::InProgress,
        Status::Resolved,
        Status::FollowedUp,
        Status::Archived,
    ];
    (0..n)
        .map(|i| {
            let mut c = base.clone();
            c.id = i as i64 + 1;
            c.key = CaseKey {
                year: 2026,
                seq: i as u32 + 1,
            };
            c.case_no = format!("陇综民〔2026〕{}号", i + 1);
            c.received_at = at("2026-01-02T09:00:00+08:00") + Duration::minutes(97 * i as i64);
            c.due_date = c.received_at.date_naive() + Duration::days(30);
            c.category = categories[i % categories.len()].into();
            c.status = statuses[i % statuses.len()];
            c.person.name = ["王𬌗", "刘䶮", "张三丰", "欧阳修文"][i % 4].into();
            if i % 7 == 0 {
                c.request = "工资被拖欠八个月，多次讨要无果，请求帮助追回欠薪。".repeat(4);
            }
            if i % 5 == 0 {
                c.unit = None;
            }
            c
        })
        .collect()
}

/// The text of every page, decoded through the ToUnicode maps.
pub fn page_texts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages = doc.get_pages();
    pages
        .keys()
        .map(|&n| doc.extract_text(&[n]).expect("text extracts"))
        .collect()
}

/// One piece of text as the page shows it: where its text matrix starts it (points from the
/// page's bottom-left corner) and what it says.
#[derive(Debug, Clone)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub text: String,
}

/// Every text piece of every page with its position, decoded through the ToUnicode maps.
pub fn placed_texts(pdf: &[u8]) -> Vec<Vec<Placed>> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|&id| {
            let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding> = doc
                .get_page_fonts(id)
                .expect("page fonts")
                .into_iter()
                .filter_map(|(name, font)| font.get_font_encoding(&doc).ok().map(|e| (name, e)))
                .collect();
            let content = lopdf::content::Content::decode(&doc.get_page_content(id))
                .expect("content decodes");
            let mut encoding = None;
            let (mut x, mut y) = (0.0, 0.0);
            let mut placed = Vec::new();
            for op in &content.operations {
                match op.operator.as_str() {
                    "Tf" => {
                        encoding = op.operands[0].as_name().ok().and_then(|n| encodings.get(n));
                    }
                    "Tm" => {
                        x = op.operands[4].as_float().expect("Tm x");
                        y = op.operands[5].as_float().expect("Tm y");
                    }
                    "Tj" | "TJ" => {
                        let enc = encoding.expect("a font is set before text");
                        let mut text = String::new();
                        let mut pieces = vec![&op.operands[0]];
                        if let Ok(list) = op.operands[0].as_array() {
                            pieces = list.iter().collect();
                        }
                        for piece in pieces {
                            if let Ok(bytes) = piece.as_str() {
                                text.push_str(&lopdf::Document::decode_text(enc, bytes).unwrap());
                            }
                        }
                        placed.push(Placed { x, y, text });
                    }
                    _ => {}
                }
            }
            placed
        })
        .collect()
}

pub fn all_text(pdf: &[u8]) -> String {
    page_texts(pdf).concat()
}

/// Width and height of every page in millimetres, from the MediaBox.
pub fn page_sizes_mm(pdf: &[u8]) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|&id| {
            let page = doc.get_dictionary(id).expect("page dictionary");
            let b = page
                .get(b"MediaBox")
                .and_then(|o| o.as_array())
                .expect("MediaBox");
            let n = |i: usize| b[i].as_float().expect("number");
            let pt = 25.4 / 72.0;
            ((n(2) - n(0)) * pt, (n(3) - n(1)) * pt)
        })
        .collect()
}

/// An embedded font: its /FontName and the size of its font program in bytes.
pub struct EmbeddedFont {
    pub name: String,
    pub program_bytes: usize,
}

pub fn embedded_fonts(pdf: &[u8]) -> Vec<EmbeddedFont> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let mut fonts = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name = dict
            .get(b"FontName")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let program_bytes = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
            .iter()
            .filter_map(|k| dict.get(k).ok())
            .filter_map(|o| o.as_reference().ok())
            .filter_map(|id| doc.get_object(id).ok())
            .filter_map(|o| o.as_stream().ok())
            .map(|s| s.content.len())
            .sum();
        fonts.push(EmbeddedFont {
            name,
            program_bytes,
        });
    }
    fonts
}

/// Image XObjects: (width, height, filter) of each.
pub fn images(pdf: &[u8]) -> Vec<(i64, i64, String)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image".as_slice())
        })
        .map(|s| {
            let n = |k: &[u8]| s.dict.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
            let filter = s
                .dict
                .get(b"Filter")
                .and_then(|f| f.as_name())
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .unwrap_or_default();
            (n(b"Width"), n(b"Height"), filter)
        })
        .collect()
}

pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
