//! The deadline board on paper, for the wall or a meeting: every open case the filter shows, in
//! board order (most overdue first), on landscape A4 with the header on every page. Overdue
//! rows are shaded and say 超期N天 in bold. It goes on a wall: names are masked (张某某), and
//! no phone or ID number is printed.

use chrono::{DateTime, FixedOffset};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time};
use super::layout::{Align, Cell, Flow, Sheet, Table, mm, text_width};
use super::pdf::{Meta, render};
use crate::calendar::Band;
use crate::config::Config;
use crate::domain::{Status, mask_name};
use crate::store::BoardRow;

const SIZE: f32 = 9.0;
/// The shade of an overdue row.
const OVERDUE_GREY: f32 = 0.88;

/// Everything the board print shows.
#[derive(Debug, Clone)]
pub struct BoardInput<'a> {
    /// The open cases, in board order.
    pub rows: &'a [BoardRow],
    /// The filter in words (乡镇：首阳镇 · 只看超期), empty for none.
    pub filter: String,
    pub config: &'a Config,
    pub printed_at: DateTime<FixedOffset>,
}

/// The board as PDF bytes.
pub fn board_pdf(input: &BoardInput) -> Result<Vec<u8>, PrintError> {
    check(input)?;
    let config = input.config;
    let today = input.printed_at.date_naive();
    let mut flow = Flow::new(Sheet::a4_landscape());
    flow.line(Face::Title, 22.0, 34.0, Align::Center, "在办案件期限一览表");
    let left: Vec<_> = input
        .rows
        .iter()
        .map(|r| config.time_left(today, r.due_date, r.route, &r.category))
        .collect();
    let overdue = left.iter().filter(|l| l.band == Band::Overdue).count();
    let filter = if input.filter.is_empty() {
        "全部在办案件".to_string()
    } else {
        input.filter.clone()
    };
    flow.line(
        Face::Body,
        11.0,
        18.0,
        Align::Center,
        &format!(
            "{}　　{filter}　　截至{}：在办{}件，其中超期{}件　　打印时间：{}",
            config.center.name,
            date(today),
            input.rows.len(),
            overdue,
            date_time(input.printed_at)
        ),
    );
    flow.line(
        Face::Body,
        9.0,
        15.0,
        Align::Center,
        "按办理期限排列，超期最久的在前；▲及底色为已超期，粗体为今日或下一个工作日到期。当事人姓名已作隐去处理。",
    );
    flow.gap(mm(1.5));

    let mut t = Table::new(&[], SIZE);
    t.pad_x = mm(1.2);
    t.pad_y = mm(0.8);
    t.leading = SIZE * 1.35;
    t.columns = widths(input, t.pad_x, flow.sheet.block_width);
    t.header = vec![
        [
            "序号",
            "案件编号",
            "受理日期",
            "当事人",
            "乡镇/村",
            "类别",
            "责任单位",
            "状态",
            "期限",
            "剩余/超期",
        ]
        .map(Cell::label)
        .to_vec(),
    ];
    for (i, (r, left)) in input.rows.iter().zip(&left).enumerate() {
        let place = [r.town.as_str(), r.village.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join("");
        let unit = r
            .unit
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or("待分流");
        let person = if r.urgent {
            format!("{}（紧急）", mask_name(&r.name))
        } else {
            mask_name(&r.name)
        };
        let mut row = vec![
            Cell::centered((i + 1).to_string()),
            Cell::centered(r.case_no.as_str()),
            Cell::centered(r.received_at.format("%Y-%m-%d").to_string()),
            Cell::centered(person),
            Cell::value(place),
            Cell::centered(r.category.as_str()),
            Cell::value(unit),
            Cell::centered(r.status.label()),
            Cell::centered(r.due_date.format("%Y-%m-%d").to_string()),
            match left.band {
                Band::Overdue => Cell::centered(format!("▲{}", left.text)).face(Face::Label),
                Band::Within1 => Cell::centered(left.text.as_str()).face(Face::Label),
                _ => Cell::centered(left.text.as_str()),
            },
        ];
        if left.band == Band::Overdue {
            row = row.into_iter().map(|c| c.shade(OVERDUE_GREY)).collect();
        }
        t.rows.push(row);
    }
    if t.rows.is_empty() {
        t.rows.push(vec![
            Cell::centered("没有符合条件的在办案件").span(t.columns.len()),
        ]);
    }
    flow.table(&t);

    let pages = flow.finish();
    let meta = Meta {
        title: "在办案件期限一览表",
        author: &config.center.name,
        created: input.printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// Column widths in points: numbers, dates and labels as wide as their widest text so that none
/// wraps; the place and the unit share what is left.
fn widths(input: &BoardInput, pad: f32, block: f32) -> Vec<f32> {
    let body = |s: &str| text_width(Face::Body, SIZE, s);
    let bold = |s: &str| text_width(Face::Label, SIZE, s);
    let widest = |texts: &mut dyn Iterator<Item = f32>, header: &str| {
        texts.fold(bold(header), f32::max) + 2.0 * pad + 1.0
    };
    let year = chrono::Datelike::year(&input.printed_at);
    let number = widest(
        &mut input
            .rows
            .iter()
            .map(|r| body(&r.case_no))
            .chain([body(&input.config.case_number(year, 99_999))]),
        "案件编号",
    );
    let date_w = widest(&mut [body("2026-12-28")].into_iter(), "受理日期");
    let person = widest(&mut [body("欧阳某某（紧急）")].into_iter(), "当事人");
    let category = widest(
        &mut input
            .config
            .categories()
            .map(|c| body(c))
            .chain(input.rows.iter().map(|r| body(&r.category))),
        "类别",
    );
    let status = widest(&mut Status::ALL.iter().map(|s| body(s.label())), "状态");
    let left = widest(
        &mut [bold("▲超期9999天"), bold("剩99个工作日")].into_iter(),
        "剩余/超期",
    );
    let seq = widest(
        &mut [body(&input.rows.len().max(999).to_string())].into_iter(),
        "序号",
    );
    let fixed = seq + number + 2.0 * date_w + person + category + status + left;
    let rest = (block - fixed).max(mm(60.0));
    vec![
        seq,
        number,
        date_w,
        person,
        rest * 0.4,
        category,
        rest * 0.6,
        status,
        date_w,
        left,
    ]
}

fn check(input: &BoardInput) -> Result<(), PrintError> {
    let mut fields: Vec<(String, &str)> = vec![
        ("中心名称".into(), input.config.center.name.as_str()),
        ("筛选".into(), input.filter.as_str()),
    ];
    for r in input.rows {
        let at = |what: &str| format!("{}的{what}", r.case_no);
        fields.push(("案件编号".into(), &r.case_no));
        fields.push((at("姓名"), &r.name));
        fields.push((at("乡镇"), &r.town));
        fields.push((at("村"), &r.village));
        fields.push((at("事项类别"), &r.category));
        if let Some(u) = &r.unit {
            fields.push((at("责任单位"), u));
        }
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &input.config.center.name)]))
        .map_err(PrintError::Unprintable)
}
