//! The 督办通知单: the center's numbered notice to a unit whose cases are past their due date —
//! the unit addressed, the overdue open cases with how many days each is late, the day by which
//! the unit must reply, and the signature and seal. On the official A4 sheet (GB/T 9704-2012),
//! with a tear-off receipt for the unit to sign and return.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time};
use super::layout::{
    Align, Cell, Flow, Item, Sheet, Table, baseline, mm, text_width, wrap_at_most,
};
use super::pdf::{Meta, render};
use crate::config::Config;

const SIZE: f32 = 9.5;
const BODY: f32 = 14.0;

/// An overdue case as the notice lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgedCase {
    pub case_no: String,
    pub received: NaiveDate,
    pub name: String,
    pub town: String,
    pub village: String,
    pub category: String,
    pub request: String,
    pub due_date: NaiveDate,
    /// Calendar days past the due date, as of the notice.
    pub days_overdue: i64,
}

/// Everything on a 督办通知单.
#[derive(Debug, Clone)]
pub struct UrgeInput<'a> {
    /// `陇综督〔2026〕4号`
    pub number: &'a str,
    pub unit: &'a str,
    pub cases: &'a [UrgedCase],
    pub reply_by: NaiveDate,
    /// The supervisor's words, if any, printed as 督办意见.
    pub note: &'a str,
    /// Who issued it (the 值班长's real name).
    pub issuer: &'a str,
    pub config: &'a Config,
    pub issued_at: DateTime<FixedOffset>,
}

/// The notice as PDF bytes.
pub fn urge_pdf(input: &UrgeInput) -> Result<Vec<u8>, PrintError> {
    check(input)?;
    let config = input.config;
    let today = input.issued_at.date_naive();
    let mut flow = Flow::new(Sheet::a4_official());
    flow.line(Face::Title, 22.0, 36.0, Align::Center, "督办通知单");
    flow.line(Face::Body, 14.0, 24.0, Align::Right, input.number);
    flow.gap(mm(2.0));
    flow.paragraph(
        Face::Body,
        BODY,
        BODY * 1.75,
        Align::Left,
        0.0,
        &format!("{}：", input.unit),
    );
    let oldest = input
        .cases
        .iter()
        .map(|c| c.days_overdue)
        .max()
        .unwrap_or(0);
    let body = format!(
        "　　经核查，截至{}，你单位承办的下列{}件群众诉求事项已超过办理期限仍未办结（最长超期{}天）。现予督办，请于{}前办结，并将办理情况书面回复{}；确有困难不能按期办结的，请书面说明原因和拟办结时间。",
        date(today),
        input.cases.len(),
        oldest,
        date(input.reply_by),
        config.center.name,
    );
    flow.paragraph(Face::Body, BODY, BODY * 1.75, Align::Left, 0.0, &body);
    if !input.note.trim().is_empty() {
        flow.paragraph(
            Face::Body,
            BODY,
            BODY * 1.75,
            Align::Left,
            0.0,
            &format!("　　督办意见：{}", input.note.trim()),
        );
    }
    flow.gap(mm(3.0));
    flow.table(&cases(&flow, input));
    flow.gap(mm(2.0));
    flow.paragraph(
        Face::Body,
        10.5,
        17.0,
        Align::Left,
        0.0,
        &format!(
            "联系电话：{}　　地址：{}",
            config.center.phone, config.center.address
        ),
    );
    signature(&mut flow, input);
    receipt(&mut flow, input);

    let pages = flow.finish();
    let meta = Meta {
        title: &format!("督办通知单 {}", input.number),
        author: &config.center.name,
        created: input.issued_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// The ruled list of the overdue cases.
fn cases(flow: &Flow, input: &UrgeInput) -> Table {
    let mut t = Table::new(&[], SIZE);
    t.pad_x = mm(1.0);
    t.pad_y = mm(0.9);
    t.leading = SIZE * 1.4;
    let body = |s: &str| text_width(Face::Body, SIZE, s);
    let label = |s: &str| text_width(Face::Label, SIZE, s);
    let fit = |w: f32, header: &str| w.max(label(header)) + 2.0 * t.pad_x + 1.0;
    let number = fit(
        input
            .cases
            .iter()
            .map(|c| body(&c.case_no))
            .fold(0.0, f32::max),
        "案件编号",
    );
    let seq = fit(body("99"), "序号");
    let day = fit(body("2026-12-28"), "受理日期");
    let late = fit(body("9999天"), "超期");
    let person = fit(body("欧阳修文"), "当事人");
    let block = flow.sheet.block_width;
    let rest = (block - seq - number - day - late - person).max(mm(40.0));
    t.columns = vec![seq, number, person, rest, day, late];
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("案件编号"),
        Cell::label("当事人"),
        Cell::label("乡镇/村、类别及诉求"),
        Cell::label("受理日期\n办理期限"),
        Cell::label("超期"),
    ]];
    let inner = rest - 2.0 * t.pad_x;
    for (i, c) in input.cases.iter().enumerate() {
        let flat = c.request.split_whitespace().collect::<Vec<_>>().join(" ");
        let what = format!("{}{}（{}）：{flat}", c.town, c.village, c.category);
        t.rows.push(vec![
            Cell::centered((i + 1).to_string()),
            Cell::centered(c.case_no.as_str()),
            Cell::centered(c.name.as_str()),
            Cell::value(wrap_at_most(Face::Body, SIZE, &what, inner, 3).join("\n")),
            Cell::centered(format!(
                "{}\n{}",
                c.received.format("%Y-%m-%d"),
                c.due_date.format("%Y-%m-%d")
            )),
            Cell::centered(format!("{}天", c.days_overdue)).face(Face::Label),
        ]);
    }
    t
}

/// 签发人, the seal over the center's name, and the day issued.
fn signature(flow: &mut Flow, input: &UrgeInput) {
    let size = BODY;
    let leading = mm(9.0);
    flow.gap(mm(6.0));
    flow.keep(3.0 * leading);
    let left = flow.sheet.left;
    let top = flow.y;
    let base = baseline(top, size, leading);
    let label = "签发人：";
    let lw = text_width(Face::Body, size, label);
    flow.push(Item::Text {
        face: Face::Body,
        size,
        x: left,
        baseline: base,
        text: label.into(),
    });
    flow.push(Item::Text {
        face: Face::Body,
        size,
        x: left + lw,
        baseline: base,
        text: input.issuer.to_string(),
    });
    flow.push(Item::Line {
        x1: left + lw,
        y1: base + 2.5,
        x2: left + lw + mm(40.0),
        y2: base + 2.5,
        width: 0.6,
    });
    let seal = format!("{}（盖章）", input.config.center.name);
    flow.push(Item::Text {
        face: Face::Body,
        size,
        x: flow.sheet.right() - text_width(Face::Body, size, &seal) - mm(4.0),
        baseline: base,
        text: seal,
    });
    flow.y = top + leading;
    let when = date(input.issued_at.date_naive());
    flow.line(
        Face::Body,
        size,
        leading,
        Align::Right,
        &format!("{when}　"),
    );
}

/// The receipt under a dashed cut line: the unit signs it and sends it back.
fn receipt(flow: &mut Flow, input: &UrgeInput) {
    let size = 12.0;
    let leading = mm(8.5);
    flow.gap(mm(6.0));
    flow.keep(mm(6.0) + 4.0 * leading + 14.0);
    let y = flow.y;
    let (left, right) = (flow.sheet.left, flow.sheet.right());
    let mut x = left;
    let mut dashes = Vec::new();
    while x < right {
        let end = (x + mm(2.0)).min(right);
        dashes.push([x, y - 0.2, end - x, 0.4]);
        x += mm(3.5);
    }
    flow.push(Item::Shade {
        rects: dashes,
        grey: 0.0,
    });
    flow.gap(mm(3.0));
    flow.line(
        Face::Label,
        size,
        leading,
        Align::Center,
        &format!("督办通知单回执（{}）", input.number),
    );
    for line in [
        format!("承办单位：{}", input.unit),
        "签收人：＿＿＿＿＿＿＿＿　　签收时间：　　　年　　月　　日".to_string(),
        format!(
            "请于{}前将办理情况书面回复，并附本回执。",
            date(input.reply_by)
        ),
    ] {
        flow.paragraph(Face::Body, 10.5, leading, Align::Left, 0.0, &line);
    }
    flow.line(
        Face::Body,
        9.0,
        14.0,
        Align::Right,
        &format!("打印时间：{}", date_time(input.issued_at)),
    );
}

fn check(input: &UrgeInput) -> Result<(), PrintError> {
    let mut fields: Vec<(String, &str)> = vec![
        ("中心名称".into(), input.config.center.name.as_str()),
        ("中心电话".into(), input.config.center.phone.as_str()),
        ("中心地址".into(), input.config.center.address.as_str()),
        ("责任单位".into(), input.unit),
        ("督办意见".into(), input.note),
        ("签发人".into(), input.issuer),
        ("编号".into(), input.number),
    ];
    for c in input.cases {
        let at = |what: &str| format!("{}的{what}", c.case_no);
        fields.push(("案件编号".into(), &c.case_no));
        fields.push((at("姓名"), &c.name));
        fields.push((at("乡镇"), &c.town));
        fields.push((at("村"), &c.village));
        fields.push((at("事项类别"), &c.category));
        fields.push((at("诉求内容"), &c.request));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &input.config.center.name)]))
        .map_err(PrintError::Unprintable)
}
