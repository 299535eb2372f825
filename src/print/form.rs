//! The 民事办理书: the numbered record of how one matter was handled — the case in a ruled table,
//! its handling steps as 办理过程, the evidence list with each file's hash, signature lines and
//! the seal area — with scanned evidence appended as 附件 pages. A case still open prints as a
//! draft: marked 草稿 on every page and without a number.

use chrono::{DateTime, FixedOffset};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{address, date, date_time, masked_id, masked_phone, or_dash};
use super::image;
use super::layout::{Align, Cell, Flow, Item, Page, Sheet, Table, baseline, mm, text_width};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::{Case, Event, Evidence, EvidenceKind};

/// Everything printed on one 办理书.
#[derive(Debug, Clone)]
pub struct FormInput<'a> {
    pub case: &'a Case,
    /// The case's timeline, oldest first (sorted again here to be safe).
    pub events: &'a [Event],
    pub evidence: &'a [Evidence],
    /// `陇综民书〔2026〕45号`, issued at the first print and kept on reprints. Not printed on a
    /// draft.
    pub form_no: String,
    /// 1 for the first print; a higher count marks the copy 补打. Not printed on a draft.
    pub print_count: u32,
    /// A draft of a case still being handled: 草稿 across every page, 草稿（未编号） where the
    /// number goes, no print count.
    pub draft: bool,
    pub printed_at: DateTime<FixedOffset>,
    pub config: &'a Config,
    /// Scanned evidence appended as 附件 pages, in this order.
    pub annex: &'a [AnnexImage],
    /// The 序号 of evidence items whose files cannot be appended as pages (a PDF, say): their
    /// rows in the evidence list say 附件另附, the file being attached to the paper by hand.
    pub attached_separately: &'a [u32],
    /// The case was corrected (更正) after this 办理书 was first printed: a reprint says that
    /// the copies handed out before are superseded.
    pub supersedes: bool,
}

/// What the number field of a draft says.
pub const DRAFT_NUMBER: &str = "草稿（未编号）";

/// An image file of an evidence item, appended to the 办理书 as a page of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexImage {
    /// The evidence item's 序号: the page is titled 附件N with this number.
    pub evidence_seq: u32,
    pub title: String,
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Embedded byte for byte (DCTDecode).
    Jpeg,
    /// Decoded and embedded losslessly.
    Png,
}

/// The 办理书 as PDF bytes.
pub fn form_pdf(input: &FormInput) -> Result<Vec<u8>, PrintError> {
    check(input)?;
    let images = input
        .annex
        .iter()
        .map(|a| {
            match a.format {
                ImageFormat::Jpeg => image::jpeg(&a.bytes),
                ImageFormat::Png => image::png(&a.bytes),
            }
            .map_err(|reason| PrintError::Image {
                seq: a.evidence_seq,
                title: a.title.clone(),
                reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut flow = Flow::new(Sheet::a4_official());
    if input.draft {
        flow.watermark("草稿");
    }
    heading(&mut flow, input);
    flow.table(&case_table(input));
    evidence_list(&mut flow, input);
    signatures(&mut flow, input);
    for (i, (annex, img)) in input.annex.iter().zip(&images).enumerate() {
        annex_page(&mut flow, i, annex, img.width, img.height);
    }
    let pages: Vec<Page> = flow.finish();
    let title = if input.draft {
        format!("民事办理书（草稿） {}", input.case.case_no)
    } else {
        format!("民事办理书 {}", input.form_no)
    };
    let meta = Meta {
        title: &title,
        author: &input.config.center.name,
        created: input.printed_at,
    };
    let xobjects: Vec<_> = images.into_iter().map(|i| i.xobject).collect();
    Ok(render(&meta, &pages, &xobjects))
}

/// Every user-written character must be in the fonts before anything is drawn.
fn check(input: &FormInput) -> Result<(), PrintError> {
    let c = input.case;
    let p = &c.person;
    let mut fields: Vec<(String, &str)> = vec![
        ("文书编号".into(), &input.form_no),
        ("案件编号".into(), &c.case_no),
        ("来源渠道".into(), &c.channel),
        ("受理人".into(), &c.clerk),
        ("姓名".into(), &p.name),
        ("乡镇".into(), &p.town),
        ("村".into(), &p.village),
        ("住址".into(), &p.address),
        ("事项类别".into(), &c.category),
        ("诉求内容".into(), &c.request),
        ("事实".into(), &c.facts),
        ("理由".into(), &c.reasons),
        ("事发地点".into(), &c.place),
        ("期限依据".into(), &c.due_basis),
        ("中心名称".into(), &input.config.center.name),
    ];
    for (i, r) in c.representatives.iter().enumerate() {
        fields.push((format!("代表{}", i + 1), r));
    }
    if let Some(u) = &c.unit {
        fields.push(("责任单位".into(), u));
    }
    if let Some(x) = &c.extension {
        fields.push(("延期理由".into(), &x.reason));
        fields.push(("延期批准人".into(), &x.approver));
    }
    if let Some(r) = &c.resolution {
        fields.push(("办理结果".into(), &r.result));
        fields.push(("办理依据".into(), &r.basis));
    }
    if let Some(f) = &c.follow_up {
        fields.push(("回访方式".into(), &f.way));
        fields.push(("回访记录".into(), &f.notes));
    }
    if let Some(d) = &c.decline_reason {
        fields.push(("不予受理原因".into(), d));
    }
    for (i, e) in input
        .events
        .iter()
        .filter(|e| e.is_handling_step())
        .enumerate()
    {
        fields.push((format!("办理过程第{}条的经办人", i + 1), &e.actor));
        fields.push((format!("办理过程第{}条的事项", i + 1), &e.action));
        fields.push((format!("办理过程第{}条的内容", i + 1), &e.details));
    }
    for e in input.evidence {
        fields.push((format!("证据材料第{}项的名称", e.seq), &e.title));
        fields.push((format!("证据材料第{}项的添加人", e.seq), &e.added_by));
    }
    for a in input.annex {
        fields.push((format!("附件{}的标题", a.evidence_seq), &a.title));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    // Annex titles head their pages in the label face, the center's name the form in the title
    // face.
    let annex_titles: Vec<(String, &str)> = input
        .annex
        .iter()
        .map(|a| (format!("附件{}的标题", a.evidence_seq), a.title.as_str()))
        .collect();
    let annex_titles: Vec<(&str, &str)> =
        annex_titles.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Label, &annex_titles))
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &input.config.center.name)]))
        .map_err(PrintError::Unprintable)
}

fn heading(flow: &mut Flow, input: &FormInput) {
    let top = flow.y;
    let number = if input.draft {
        DRAFT_NUMBER
    } else {
        &input.form_no
    };
    flow.line(Face::Body, 14.0, 22.0, Align::Right, number);
    if !input.draft && input.print_count > 1 {
        let tag = if input.supersedes {
            format!("更正后重印（第{}次打印）", input.print_count)
        } else {
            format!("补打（第{}次打印）", input.print_count)
        };
        let size = 10.5;
        let w = text_width(Face::Label, size, &tag) + mm(3.0);
        let h = size * 1.6;
        let x = flow.sheet.right() - w;
        let y = flow.y + mm(0.5);
        flow.push(Item::Frame {
            x,
            y,
            w,
            h,
            width: 0.8,
        });
        flow.push(Item::Text {
            face: Face::Label,
            size,
            x: x + mm(1.5),
            baseline: baseline(y, size, h),
            text: tag,
        });
        flow.y = y + h;
    }
    flow.y = flow.y.max(top + 22.0) + mm(2.0);
    flow.paragraph(
        Face::Title,
        16.0,
        26.0,
        Align::Center,
        0.0,
        &input.config.center.name,
    );
    flow.line(Face::Title, 22.0, 38.0, Align::Center, "民事办理书");
    flow.gap(mm(3.0));
}

fn case_table(input: &FormInput) -> Table {
    let c = input.case;
    let p = &c.person;
    let mut t = Table::new(&[26.0, 52.0, 26.0, 52.0], 11.0);
    t.leading = 11.0 * 1.45;
    let pair = |l1: &str, v1: String, l2: &str, v2: String| {
        vec![
            Cell::label(l1),
            Cell::value(v1),
            Cell::label(l2),
            Cell::value(v2),
        ]
    };
    let wide = |l: &str, v: String| vec![Cell::label(l), Cell::value(v).span(3)];

    let mut nature: Vec<&str> = Vec::new();
    if c.urgent {
        nature.push("紧急");
    }
    if c.legal {
        nature.push("涉法涉诉");
    }
    if c.repeat {
        nature.push("重复");
    }
    let category = if nature.is_empty() {
        c.category.clone()
    } else {
        format!("{}（{}）", c.category, nature.join("、"))
    };
    t.rows.push(pair(
        "案件编号",
        c.case_no.clone(),
        "受理时间",
        date_time(c.received_at),
    ));
    t.rows.push(pair(
        "来源渠道",
        c.channel.clone(),
        "受 理 人",
        c.clerk.clone(),
    ));
    t.rows.push(pair(
        "事项类别",
        category,
        "当前状态",
        c.status.label().to_string(),
    ));
    t.rows.push(pair(
        "当 事 人",
        p.name.clone(),
        "性　　别",
        p.gender.map_or("—", |g| g.label()).to_string(),
    ));
    t.rows
        .push(pair("身份证号", masked_id(p), "联系电话", masked_phone(p)));
    t.rows
        .push(wide("住　　址", or_dash(&address(p)).to_string()));
    if c.group_size > 1 {
        t.rows.push(pair(
            "来访人数",
            format!("{}人", c.group_size),
            "代　　表",
            or_dash(&c.representatives.join("、")).to_string(),
        ));
    }
    t.rows
        .push(wide("诉求内容", or_dash(&c.request).to_string()));
    let facts = [c.facts.trim(), c.reasons.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    t.rows.push(wide("事实与理由", or_dash(&facts).to_string()));
    if !c.place.trim().is_empty() {
        t.rows.push(wide("事发地点", c.place.clone()));
    }
    let route = match c.level {
        Some(level) => format!("{}（{}级）", c.route.label(), level.label()),
        None => c.route.label().to_string(),
    };
    t.rows.push(pair(
        "办理方式",
        route,
        "责任单位",
        c.unit
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "待分流".into()),
    ));
    let mut due = format!("{}前", date(c.due_date));
    if !c.due_basis.trim().is_empty() {
        due.push_str(&format!("（依据：{}）", c.due_basis.trim()));
    }
    if let Some(x) = &c.extension {
        due.push_str(&format!(
            "\n经{}批准延期{}日，由{}延至{}。延期理由：{}",
            x.approver,
            x.days,
            date(x.previous_due),
            date(x.new_due),
            x.reason
        ));
    }
    t.rows.push(wide("办理期限", due));
    t.rows.push(vec![
        Cell::label("办理过程"),
        Cell::value(process(input.events)).span(3).entries(),
    ]);
    t.rows.push(wide("办理结果\n及依据", result(c)));
    t.rows.push(wide("回访情况\n及满意度", follow_up(c)));
    let mut notes = Vec::new();
    if let Some(k) = c.duplicate_of {
        notes.push(format!("本案已合并至{k}办理。"));
    }
    if !c.duplicates.is_empty() {
        let keys: Vec<String> = c.duplicates.iter().map(|k| k.to_string()).collect();
        notes.push(format!("合并办理的重复件：{}。", keys.join("、")));
    }
    if !notes.is_empty() {
        t.rows.push(wide("备　　注", notes.join("\n")));
    }
    t
}

fn process(events: &[Event]) -> String {
    let mut sorted: Vec<&Event> = events.iter().filter(|e| e.is_handling_step()).collect();
    if sorted.is_empty() {
        return "—".into();
    }
    sorted.sort_by_key(|e| e.at);
    sorted
        .iter()
        .map(|e| {
            let details = e.details.trim();
            let what = if details.is_empty() {
                e.action.clone()
            } else {
                format!("{}：{}", e.action, details)
            };
            format!("{}　{}　{}", date_time(e.at), e.actor, what)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn result(c: &Case) -> String {
    if let Some(r) = &c.resolution {
        let mut s = format!("办理结果：{}。", r.outcome.label());
        if !r.result.trim().is_empty() {
            s.push_str(r.result.trim());
        }
        if !r.basis.trim().is_empty() {
            s.push_str(&format!("\n办理依据：{}", r.basis.trim()));
        }
        s.push_str(&format!(
            "\n办结时间：{}（{}）",
            date_time(r.closed_at),
            if r.on_time {
                "按时办结"
            } else {
                "超期办结"
            }
        ));
        s
    } else if let Some(reason) = &c.decline_reason {
        format!("{}：{}", c.status.label(), reason)
    } else {
        "尚未办结".into()
    }
}

fn follow_up(c: &Case) -> String {
    match &c.follow_up {
        Some(f) => {
            let mut s = format!(
                "回访日期：{}；回访方式：{}；满意度：{}。",
                date(f.date),
                or_dash(&f.way),
                f.satisfaction.label()
            );
            if !f.notes.trim().is_empty() {
                s.push('\n');
                s.push_str(f.notes.trim());
            }
            s
        }
        None => "尚未回访".into(),
    }
}

fn evidence_list(flow: &mut Flow, input: &FormInput) {
    const SIZE: f32 = 10.5;
    let mut items: Vec<&Evidence> = input.evidence.iter().collect();
    items.sort_by_key(|e| e.seq);
    let dates: Vec<String> = items
        .iter()
        .map(|e| date(e.added_at.date_naive()))
        .collect();
    // The columns of short values are as wide as their widest text (a date never wraps its
    // 日); 名称 takes the rest of the line.
    let mut t = Table::new(&[12.0, 44.0, 24.0, 12.0, 30.0, 34.0], SIZE);
    let pad = 2.0 * t.pad_x + mm(2.0);
    let fit = |texts: &mut dyn Iterator<Item = String>, header: &str| {
        texts
            .map(|s| text_width(Face::Body, SIZE, &s))
            .fold(text_width(Face::Label, SIZE, header), f32::max)
            + pad
    };
    let kinds = fit(
        &mut EvidenceKind::ALL.iter().map(|k| k.label().to_string()),
        "类型",
    );
    let pages = fit(&mut items.iter().map(|e| e.pages.to_string()), "页数");
    let added = fit(&mut dates.iter().cloned(), "添加时间");
    let hash = fit(&mut items.iter().map(|e| short_hash(e)), "SHA-256");
    let number = t.columns[0];
    t.columns = vec![
        number,
        flow.sheet.block_width - number - kinds - pages - added - hash,
        kinds,
        pages,
        added,
        hash,
    ];
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("名称"),
        Cell::label("类型"),
        Cell::label("页数"),
        Cell::label("添加时间"),
        Cell::label("SHA-256\n（前12位）"),
    ]];
    for (e, added) in items.into_iter().zip(dates) {
        let title = if input.annex.iter().any(|a| a.evidence_seq == e.seq) {
            format!("{}（见附件{}）", e.title, e.seq)
        } else if input.attached_separately.contains(&e.seq) {
            format!("{}（附件另附）", e.title)
        } else {
            e.title.clone()
        };
        t.rows.push(vec![
            Cell::centered(e.seq.to_string()),
            Cell::value(title),
            Cell::centered(e.kind.label()),
            Cell::centered(e.pages.to_string()),
            Cell::centered(added),
            Cell::centered(short_hash(e)),
        ]);
    }
    if t.rows.is_empty() {
        t.rows.push(vec![Cell::centered("（无）").span(6)]);
    }
    flow.gap(mm(5.0));
    // The heading never stands alone at the foot of a page: it keeps the table's header and
    // first row with it.
    let heading = 24.0;
    flow.keep(heading + flow.opening_height(&t));
    flow.line(Face::Label, 14.0, heading, Align::Left, "证据材料清单");
    flow.table(&t);
}

/// The first 12 hex digits of the file's SHA-256: enough to tell files apart on paper.
fn short_hash(e: &Evidence) -> String {
    e.sha256.chars().take(12).collect()
}

fn signatures(flow: &mut Flow, input: &FormInput) {
    let size = 14.0;
    let leading = mm(10.0);
    let seal_line = mm(8.0);
    // Three signature lines, the seal area and the print note stay on one page.
    flow.gap(mm(6.0));
    flow.keep(3.0 * leading + mm(4.0) + 2.0 * seal_line + mm(2.0) + 14.0);
    let left = flow.sheet.left;
    for who in ["经办人", "审核人", "当事人"] {
        let top = flow.y;
        let label = format!("{who}（签字）：");
        let base = baseline(top, size, leading);
        let lw = text_width(Face::Body, size, &label);
        flow.push(Item::Text {
            face: Face::Body,
            size,
            x: left,
            baseline: base,
            text: label,
        });
        flow.push(Item::Line {
            x1: left + lw,
            y1: base + 2.5,
            x2: left + lw + mm(48.0),
            y2: base + 2.5,
            width: 0.6,
        });
        let when = "年　　月　　日";
        flow.push(Item::Text {
            face: Face::Body,
            size,
            x: flow.sheet.right() - text_width(Face::Body, size, when) - mm(6.0),
            baseline: base,
            text: when.into(),
        });
        flow.y = top + leading;
    }
    // The seal goes over the center's name and the date.
    flow.gap(mm(4.0));
    let seal = format!("{}（盖章）", input.config.center.name);
    flow.line(Face::Body, size, seal_line, Align::Right, &seal);
    let top = flow.y;
    let when = "年　　月　　日";
    flow.push(Item::Text {
        face: Face::Body,
        size,
        x: flow.sheet.right() - text_width(Face::Body, size, when) - mm(6.0),
        baseline: baseline(top, size, seal_line),
        text: when.into(),
    });
    flow.y = top + seal_line;
    flow.gap(mm(2.0));
    let note = if input.draft {
        format!(
            "打印时间：{}　　草稿：案件尚未办结，本件不编号，不作为正式文书",
            date_time(input.printed_at)
        )
    } else if input.supersedes && input.print_count > 1 {
        format!(
            "打印时间：{}　　第{}次打印　　案件登记内容已更正，此前打印的本文书作废",
            date_time(input.printed_at),
            input.print_count
        )
    } else {
        format!(
            "打印时间：{}　　第{}次打印",
            date_time(input.printed_at),
            input.print_count.max(1)
        )
    };
    flow.line(Face::Body, 9.0, 14.0, Align::Left, &note);
}

fn annex_page(flow: &mut Flow, index: usize, annex: &AnnexImage, width: u32, height: u32) {
    flow.new_page();
    flow.paragraph(
        Face::Label,
        16.0,
        28.0,
        Align::Left,
        0.0,
        &format!("附件{}：{}", annex.evidence_seq, annex.title),
    );
    flow.gap(mm(4.0));
    let (box_w, box_h) = (flow.sheet.block_width, flow.remaining());
    let (iw, ih) = (width.max(1) as f32, height.max(1) as f32);
    let scale = (box_w / iw).min(box_h / ih);
    let (w, h) = (iw * scale, ih * scale);
    let x = flow.sheet.left + (box_w - w) / 2.0;
    let y = flow.y;
    flow.push(Item::Image { index, x, y, w, h });
    flow.y = y + h;
}
