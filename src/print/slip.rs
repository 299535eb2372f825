//! The receipt slip (受理回执) the citizen takes home: the case number, when it was received, who
//! came (a group's size and representatives), what was asked, who handles it and by when, how to
//! ask about progress, and a QR code of the case number (and the center's query page, if it has
//! one). A5 by default; a narrow single column for 80 mm receipt rolls.

use qrcode::{EcLevel, QrCode};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time, masked_id, masked_phone};
use super::layout::{Align, Cell, Flow, Item, Sheet, Table, mm, wrap, wrap_at_most};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::Case;

/// Paper for the slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlipLayout {
    /// A5 (half an A4 sheet), portrait.
    #[default]
    A5,
    /// An 80 mm receipt roll: one narrow column, as long as the content.
    Roll80mm,
}

const NOTE: &str = "请妥善保管本回执。凭案件编号或扫描二维码，可到本中心窗口或拨打咨询电话查询办理进度；如对办理结果有异议，请在收到答复后30日内提出。";

/// The slip of a case as PDF bytes.
pub fn slip_pdf(case: &Case, config: &Config, layout: SlipLayout) -> Result<Vec<u8>, PrintError> {
    slip_pdf_superseding(case, config, layout, false)
}

/// What a slip printed again after a 更正 says under its title.
pub const SUPERSEDES: &str = "更正后重印：此前打印的回执作废";

/// The slip, saying when `supersedes` that the case was corrected after a slip was printed,
/// so that the copy the citizen holds is replaced.
pub fn slip_pdf_superseding(
    case: &Case,
    config: &Config,
    layout: SlipLayout,
    supersedes: bool,
) -> Result<Vec<u8>, PrintError> {
    let unit = unit(case);
    let mut fields: Vec<(String, &str)> = vec![
        ("案件编号".into(), &case.case_no),
        ("姓名".into(), &case.person.name),
        ("诉求内容".into(), &case.request),
        ("责任单位".into(), unit),
        ("受理人".into(), &case.clerk),
        ("中心电话".into(), &config.center.phone),
        ("中心地址".into(), &config.center.address),
    ];
    for (i, r) in case.representatives.iter().enumerate() {
        fields.push((format!("代表{}", i + 1), r));
    }
    if let Some(r) = &case.resolution {
        fields.push(("答复内容".into(), &r.result));
        fields.push(("答复依据".into(), &r.basis));
    }
    if let Some(url) = &config.center.query_url {
        fields.push(("查询网址".into(), url));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &config.center.name)]))
        .map_err(PrintError::Unprintable)?;

    let pages = match layout {
        SlipLayout::A5 => a5(case, config, supersedes),
        SlipLayout::Roll80mm => roll(case, config, supersedes),
    };
    let meta = Meta {
        title: &format!("受理回执 {}", case.case_no),
        author: &config.center.name,
        created: case.received_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// What the slip's QR code carries: the case number as printed (`陇综民〔2026〕12号`, which a
/// phone shows as text and the counter's search takes as a key) and, on a second line, the
/// center's query page for the case when `center.query_url` is configured.
pub fn qr_payload(case: &Case, config: &Config) -> String {
    let mut payload = case.case_no.clone();
    if let Some(url) = query_url(case, config) {
        payload.push('\n');
        payload.push_str(&url);
    }
    payload
}

/// The center's query page for the case, if it has one.
fn query_url(case: &Case, config: &Config) -> Option<String> {
    let template = config.center.query_url.as_deref()?;
    Some(
        template
            .replace("{key}", &case.key.to_string())
            .replace("{case_no}", &percent_encode(&case.case_no)),
    )
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A group visit's size and representatives (`3人（代表：王某、刘某）`), if the case is one.
fn group(case: &Case) -> Option<String> {
    let size = (case.group_size > 1).then(|| format!("{}人", case.group_size));
    let reps = (!case.representatives.is_empty())
        .then(|| format!("代表：{}", case.representatives.join("、")));
    match (size, reps) {
        (Some(size), Some(reps)) => Some(format!("{size}（{reps}）")),
        (size, reps) => size.or(reps),
    }
}

fn unit(case: &Case) -> &str {
    case.unit
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or("待分流")
}

/// Who handles the matter and by when; for a matter solved at the counter, the answer given
/// instead (the citizen takes it home in writing). `fit` cuts a text to so many lines.
fn handling(case: &Case, fit: impl Fn(&str, usize) -> String) -> Vec<(&'static str, String)> {
    match (&case.resolution, case.route) {
        (Some(r), crate::domain::Route::OnTheSpot) => {
            let mut rows = vec![
                (
                    "办理结果",
                    format!(
                        "当场办结：{}（{}）",
                        r.outcome.label(),
                        date(r.closed_at.date_naive())
                    ),
                ),
                // A group's row takes a line, so that the slip stays on one sheet.
                (
                    "答复内容",
                    fit(&r.result, if group(case).is_some() { 2 } else { 3 }),
                ),
            ];
            if !r.basis.trim().is_empty() {
                rows.push(("答复依据", fit(&r.basis, 1)));
            }
            rows
        }
        _ => vec![
            ("责任单位", unit(case).to_string()),
            ("答复期限", format!("{}前", date(case.due_date))),
        ],
    }
}

/// A text on at most `max_lines` lines of `width` points.
fn answer_text(text: &str, size: f32, width: f32, max_lines: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    wrap_at_most(Face::Body, size, &flat, width, max_lines).join("\n")
}

fn route(case: &Case) -> String {
    match case.level {
        Some(level) => format!("{}（{}级）", case.route.label(), level.label()),
        None => case.route.label().to_string(),
    }
}

/// The request on one paragraph, cut to `max_lines` lines of `width` points.
fn summary(case: &Case, size: f32, width: f32, max_lines: usize) -> String {
    let flat: String = case
        .request
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    wrap_at_most(Face::Body, size, &flat, width, max_lines).join("\n")
}

fn a5(case: &Case, config: &Config, supersedes: bool) -> Vec<super::layout::Page> {
    let mut flow = Flow::new(Sheet::a5());
    let width = flow.sheet.block_width;
    for l in wrap(Face::Title, 14.0, &config.center.name, width) {
        flow.line(Face::Title, 14.0, 20.0, Align::Center, &l);
    }
    flow.line(Face::Title, 22.0, 34.0, Align::Center, "受理回执");
    if supersedes {
        flow.line(Face::Label, 10.0, 14.0, Align::Center, SUPERSEDES);
    }
    flow.gap(mm(2.0));

    let size = 11.0;
    let mut t = Table::new(&[24.0, 96.0], size);
    let inner = mm(96.0) - 2.0 * t.pad_x;
    let p = &case.person;
    let row = |label: &str, value: String| vec![Cell::label(label), Cell::value(value)];
    t.rows = vec![
        row("案件编号", case.case_no.clone()),
        row("受理时间", date_time(case.received_at)),
        row("当 事 人", p.name.clone()),
        row("身份证号", masked_id(p)),
        row("联系电话", masked_phone(p)),
    ];
    // A group's row takes a line from the summary, so that the slip stays on one sheet.
    let group = group(case);
    let answered = case.resolution.is_some() && case.route == crate::domain::Route::OnTheSpot;
    let summary_lines = 4 - usize::from(group.is_some()) - usize::from(answered);
    t.rows.extend(group.map(|v| row("来访人数", v)));
    t.rows
        .push(row("诉求摘要", summary(case, size, inner, summary_lines)));
    if !answered {
        t.rows.push(row("办理方式", route(case)));
    }
    t.rows.extend(
        handling(case, |text, lines| answer_text(text, size, inner, lines))
            .into_iter()
            .map(|(l, v)| row(l, v)),
    );
    t.rows.push(row("受 理 人", case.clerk.clone()));
    flow.table(&t);
    flow.gap(mm(4.0));

    // The QR code with the case key under it on the left, how to ask about progress on the
    // right.
    let qr_size = mm(28.0);
    let top = flow.y;
    let left = flow.sheet.left;
    flow.push(qr_item(&qr_payload(case, config), left, top, qr_size));
    let key_size = 8.0;
    let key_top = top + qr_size + mm(1.0);
    flow.push(Item::Text {
        face: Face::Body,
        size: key_size,
        x: left,
        baseline: super::layout::baseline(key_top, key_size, 12.0),
        text: format!("查询码：{}", case.key),
    });
    let text_x = left + qr_size + mm(5.0);
    let text_w = width - qr_size - mm(5.0);
    let mut y = top;
    let mut note: Vec<(f32, f32, String)> = Vec::new();
    let mut add = |size: f32, leading: f32, text: &str| {
        note.extend(
            wrap(Face::Body, size, text, text_w)
                .into_iter()
                .map(|l| (size, leading, l)),
        );
    };
    add(10.0, 15.0, NOTE);
    add(10.0, 15.0, &format!("咨询电话：{}", config.center.phone));
    add(10.0, 15.0, &format!("地址：{}", config.center.address));
    if let Some(url) = query_url(case, config) {
        // The label only when it fits on the URL's line.
        let labelled = format!("网上查询：{url}");
        if wrap(Face::Body, 8.0, &labelled, text_w).len() == 1 {
            add(8.0, 12.0, &labelled);
        } else {
            add(8.0, 12.0, &url);
        }
    }
    for (size, leading, l) in note {
        flow.push(Item::Text {
            face: Face::Body,
            size,
            x: text_x,
            baseline: super::layout::baseline(y, size, leading),
            text: l,
        });
        y += leading;
    }
    flow.y = y.max(key_top + 12.0) + mm(2.0);
    flow.gap(mm(3.0));
    flow.line(
        Face::Body,
        12.0,
        20.0,
        Align::Right,
        &format!("{}（盖章）", config.center.name),
    );
    flow.line(
        Face::Body,
        12.0,
        20.0,
        Align::Right,
        &date(case.received_at.date_naive()),
    );
    flow.finish()
}

fn roll(case: &Case, config: &Config, supersedes: bool) -> Vec<super::layout::Page> {
    let mut flow = Flow::new(Sheet::roll_80mm());
    let width = flow.sheet.block_width;
    for l in wrap(Face::Title, 11.0, &config.center.name, width) {
        flow.line(Face::Title, 11.0, 16.0, Align::Center, &l);
    }
    flow.line(Face::Title, 16.0, 24.0, Align::Center, "受理回执");
    if supersedes {
        flow.line(Face::Label, 8.0, 12.0, Align::Center, SUPERSEDES);
    }
    rule(&mut flow);

    let size = 9.0;
    let leading = 13.5;
    let p = &case.person;
    let indent = super::layout::text_width(Face::Label, size, "案件编号：");
    let mut fields = vec![
        ("案件编号", case.case_no.clone()),
        ("受理时间", date_time(case.received_at)),
        ("当事人", p.name.clone()),
        ("身份证号", masked_id(p)),
        ("联系电话", masked_phone(p)),
    ];
    fields.extend(group(case).map(|v| ("来访人数", v)));
    fields.push(("诉求摘要", summary(case, size, width - indent, 6)));
    fields.push(("办理方式", route(case)));
    fields.extend(handling(case, |text, lines| {
        answer_text(text, size, width - indent, lines)
    }));
    fields.push(("受理人", case.clerk.clone()));
    for (label, value) in fields {
        let top = flow.y;
        flow.push(Item::Text {
            face: Face::Label,
            size,
            x: flow.sheet.left,
            baseline: super::layout::baseline(top, size, leading),
            text: format!("{label}："),
        });
        flow.paragraph(Face::Body, size, leading, Align::Left, indent, &value);
    }
    rule(&mut flow);
    flow.gap(mm(1.0));
    let qr_size = mm(30.0);
    let x = flow.sheet.left + (width - qr_size) / 2.0;
    let top = flow.y;
    flow.push(qr_item(&qr_payload(case, config), x, top, qr_size));
    flow.y = top + qr_size + mm(2.0);
    flow.line(
        Face::Body,
        8.0,
        12.0,
        Align::Center,
        &format!("查询码：{}", case.key),
    );
    if let Some(url) = query_url(case, config) {
        flow.paragraph(
            Face::Body,
            8.0,
            12.0,
            Align::Left,
            0.0,
            &format!("网上查询：\n{url}"),
        );
    }
    flow.gap(mm(1.0));
    flow.paragraph(Face::Body, 8.5, 12.5, Align::Left, 0.0, NOTE);
    flow.paragraph(
        Face::Body,
        8.5,
        12.5,
        Align::Left,
        0.0,
        &format!("咨询电话：{}", config.center.phone),
    );
    flow.paragraph(
        Face::Body,
        8.5,
        12.5,
        Align::Left,
        0.0,
        &format!("地址：{}", config.center.address),
    );
    flow.gap(mm(2.0));
    flow.paragraph(
        Face::Body,
        9.0,
        14.0,
        Align::Right,
        0.0,
        &format!(
            "{}\n{}",
            config.center.name,
            date(case.received_at.date_naive())
        ),
    );
    flow.finish_fitted(mm(8.0))
}

fn rule(flow: &mut Flow) {
    flow.gap(mm(1.0));
    let y = flow.y;
    flow.push(Item::Line {
        x1: flow.sheet.left,
        y1: y,
        x2: flow.sheet.right(),
        y2: y,
        width: 0.6,
    });
    flow.gap(mm(2.0));
}

/// A QR code of `text`, `size` points square, top-left at (`x`, `y`), as filled modules (one
/// rectangle per horizontal run of dark modules).
pub(crate) fn qr_item(text: &str, x: f32, y: f32, size: f32) -> Item {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return Item::Fill { rects: Vec::new() };
    };
    let n = code.width();
    let module = size / n as f32;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                rects.push([
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ]);
            } else {
                col += 1;
            }
        }
    }
    Item::Fill { rects }
}
