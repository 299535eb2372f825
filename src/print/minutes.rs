//! The 会议记录 of a 民心沟通会 on A4: the meeting in a ruled table (theme, time, place, host,
//! chair, recorder, units, attendance, representatives), then 一、通报事项, 二、反馈事项 (the cases
//! fed back, their parties masked, with the outcome as told and the revisit at the meeting),
//! 三、群众意见建议 (and the report forms they became), 四、后续工作, signature lines, and a
//! sign-in sheet (参会人员签到表) of blank ruled lines for everyone who came.

use chrono::{DateTime, FixedOffset};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time, or_dash};
use super::layout::{Align, Cell, Flow, Sheet, Table, mm, text_width};
use super::parts::{body, heading, number, signatures};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::records::Meeting;

const SIZE: f32 = 10.5;
const BODY: f32 = 12.0;
const BODY_LEADING: f32 = 22.0;

/// The sign-in sheet has at least this many lines, even for a small meeting.
pub const MIN_SIGN_IN_ROWS: usize = 20;
/// And at most this many: a larger meeting prints the sheet again.
pub const MAX_SIGN_IN_ROWS: usize = 200;

/// The minutes of a meeting as PDF bytes.
pub fn minutes_pdf(
    meeting: &Meeting,
    config: &Config,
    printed_at: DateTime<FixedOffset>,
) -> Result<Vec<u8>, PrintError> {
    let title = format!("{}民心沟通会会议记录", meeting.area());
    check(meeting, &title)?;
    let mut flow = Flow::new(Sheet::a4_official());
    number(&mut flow, 14.0, &meeting.meeting_no);
    flow.gap(mm(2.0));
    flow.paragraph(Face::Title, 22.0, 34.0, Align::Center, 0.0, &title);
    flow.gap(mm(4.0));
    flow.table(&overview(meeting));

    let after_heading = BODY_LEADING * 2.0;
    heading(&mut flow, 14.0, "一、通报事项", after_heading);
    body(&mut flow, BODY, BODY_LEADING, or_none(&meeting.items));

    let feedback = feedback_table(meeting, &flow);
    let keep_feedback = feedback
        .as_ref()
        .map_or(after_heading, |t| flow.opening_height(t));
    heading(&mut flow, 14.0, "二、反馈事项", keep_feedback);
    match &feedback {
        Some(t) => flow.table(t),
        None => body(&mut flow, BODY, BODY_LEADING, "本次会议未反馈案件。"),
    }

    let opinions = opinion_table(meeting, &flow);
    let keep_opinions = opinions
        .as_ref()
        .map_or(after_heading, |t| flow.opening_height(t));
    heading(&mut flow, 14.0, "三、群众意见建议", keep_opinions);
    match &opinions {
        Some(t) => flow.table(t),
        None => body(
            &mut flow,
            BODY,
            BODY_LEADING,
            "会上群众未提出新的意见建议。",
        ),
    }

    heading(&mut flow, 14.0, "四、后续工作", after_heading);
    body(&mut flow, BODY, BODY_LEADING, or_none(&meeting.plans));

    flow.gap(mm(4.0));
    let held = meeting.held_at.date_naive();
    signatures(&mut flow, 12.0, &["主持人", "记录人"], Some(held), mm(34.0));

    sign_in_sheet(&mut flow, meeting);
    let pages = flow.finish();
    let meta = Meta {
        title: &format!("民心沟通会会议记录 {}", meeting.meeting_no),
        author: &config.center.name,
        created: printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

fn or_none(text: &str) -> &str {
    if text.trim().is_empty() {
        "无。"
    } else {
        text
    }
}

fn check(m: &Meeting, title: &str) -> Result<(), PrintError> {
    let mut fields: Vec<(String, &str)> = vec![
        ("会议编号".into(), &m.meeting_no),
        ("会议主题".into(), &m.title),
        ("会议地点".into(), &m.place),
        ("主办组织".into(), &m.host),
        ("主持人".into(), &m.chair),
        ("记录人".into(), &m.recorder),
        ("通报事项".into(), &m.items),
        ("后续工作".into(), &m.plans),
    ];
    for (i, u) in m.units.iter().enumerate() {
        fields.push((format!("参会单位第{}个", i + 1), u));
    }
    for (i, r) in m.representatives.iter().enumerate() {
        fields.push((format!("群众代表第{}位", i + 1), r));
    }
    for f in &m.feedback {
        fields.push((format!("{}的类别", f.case_no), &f.category));
        fields.push((format!("{}的反馈情况", f.case_no), &f.told));
        fields.push((format!("{}的回访情况", f.case_no), &f.revisit_note));
    }
    for o in &m.opinions {
        fields.push((format!("意见{}的发言人", o.seq), &o.speaker));
        fields.push((format!("意见{}", o.seq), &o.text));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("标题", title)]))
        .map_err(PrintError::Unprintable)
}

fn overview(m: &Meeting) -> Table {
    let mut t = Table::new(&[26.0, 52.0, 26.0, 52.0], SIZE);
    let pair = |l1: &str, v1: String, l2: &str, v2: String| {
        vec![
            Cell::label(l1),
            Cell::value(v1),
            Cell::label(l2),
            Cell::value(v2),
        ]
    };
    let wide = |l: &str, v: String| vec![Cell::label(l), Cell::value(v).span(3)];
    t.rows = vec![
        wide("会议主题", m.title.clone()),
        pair(
            "会议时间",
            date_time(m.held_at),
            "会议地点",
            m.place.clone(),
        ),
        pair("主办组织", m.host.clone(), "主 持 人", m.chair.clone()),
        pair(
            "记 录 人",
            m.recorder.clone(),
            "参会人数",
            format!("{}人", m.attendance),
        ),
        wide("参会单位", or_dash(&m.units.join("、")).to_string()),
        wide(
            "群众代表",
            or_dash(&m.representatives.join("、")).to_string(),
        ),
    ];
    t
}

/// A column as wide as the widest of `texts` (and its header), in millimetres.
fn fit(t: &Table, header: &str, texts: impl Iterator<Item = String>) -> f32 {
    let widest = texts
        .map(|s| text_width(Face::Body, t.size, &s))
        .fold(text_width(Face::Label, t.size, header), f32::max);
    (widest + 2.0 * t.pad_x + mm(1.0)) * 25.4 / 72.0
}

fn block_mm(flow: &Flow) -> f32 {
    flow.sheet.block_width * 25.4 / 72.0
}

fn feedback_table(m: &Meeting, flow: &Flow) -> Option<Table> {
    if m.feedback.is_empty() {
        return None;
    }
    let mut t = Table::new(&[], SIZE);
    let seq = fit(&t, "序号", [m.feedback.len().to_string()].into_iter());
    let case = fit(&t, "案件编号", m.feedback.iter().map(|f| f.case_no.clone()));
    let name = fit(
        &t,
        "当事人",
        m.feedback.iter().map(|f| f.name_masked.clone()),
    );
    // A category or satisfaction wraps rather than take the outcome's room.
    let category = fit(&t, "类别", ["土地承包".to_string()].into_iter());
    let revisit = fit(&t, "会上回访", std::iter::empty());
    let told = block_mm(flow) - seq - case - name - category - revisit;
    t = Table::new(&[seq, case, name, category, told, revisit], SIZE);
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("案件编号"),
        Cell::label("当事人"),
        Cell::label("类别"),
        Cell::label("办理结果"),
        Cell::label("会上回访"),
    ]];
    for (i, f) in m.feedback.iter().enumerate() {
        let mut told = f.told.trim().to_string();
        if !f.revisit_note.trim().is_empty() {
            told.push_str(&format!("\n回访情况：{}", f.revisit_note.trim()));
        }
        t.rows.push(vec![
            Cell::centered((i + 1).to_string()),
            Cell::centered(f.case_no.clone()),
            Cell::centered(f.name_masked.clone()),
            Cell::centered(f.category.clone()),
            Cell::value(or_dash(&told).to_string()),
            Cell::centered(f.satisfaction.map_or("未回访", |s| s.label())),
        ]);
    }
    Some(t)
}

fn opinion_table(m: &Meeting, flow: &Flow) -> Option<Table> {
    if m.opinions.is_empty() {
        return None;
    }
    let mut t = Table::new(&[], SIZE);
    let seq = fit(&t, "序号", [m.opinions.len().to_string()].into_iter());
    let speaker =
        fit(&t, "发言人", m.opinions.iter().map(|o| o.speaker.clone())).min(block_mm(flow) / 5.0);
    let report = fit(
        &t,
        "转报告单编号",
        m.opinions.iter().filter_map(|o| o.report_no.clone()),
    );
    let text = block_mm(flow) - seq - speaker - report;
    t = Table::new(&[seq, speaker, text, report], SIZE);
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("发言人"),
        Cell::label("问题/建议"),
        Cell::label("转报告单编号"),
    ]];
    for o in &m.opinions {
        t.rows.push(vec![
            Cell::centered(o.seq.to_string()),
            Cell::centered(or_dash(&o.speaker).to_string()),
            Cell::value(o.text.clone()),
            Cell::centered(o.report_no.clone().unwrap_or_else(|| "—".into())),
        ]);
    }
    Some(t)
}

/// How many lines the sign-in sheet has: one for everyone who came (at least
/// [`MIN_SIGN_IN_ROWS`], at most [`MAX_SIGN_IN_ROWS`]).
pub fn sign_in_rows(attendance: u32) -> usize {
    (attendance as usize).clamp(MIN_SIGN_IN_ROWS, MAX_SIGN_IN_ROWS)
}

/// The 参会人员签到表 on pages of its own: numbered blank lines, the last page filled to its
/// foot.
fn sign_in_sheet(flow: &mut Flow, m: &Meeting) {
    flow.new_page();
    flow.line(Face::Title, 18.0, 30.0, Align::Center, "参会人员签到表");
    flow.paragraph(
        Face::Body,
        10.5,
        17.0,
        Align::Center,
        0.0,
        &format!("{}　{}", m.meeting_no, m.title),
    );
    flow.paragraph(
        Face::Body,
        10.5,
        17.0,
        Align::Center,
        0.0,
        &format!("时间：{}　地点：{}", date(m.held_at.date_naive()), m.place),
    );
    flow.gap(mm(2.0));
    let mut t = Table::new(&[14.0, 28.0, 50.0, 34.0, 30.0], SIZE);
    // Tall enough to sign in by hand.
    t.leading = 20.0;
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("姓名"),
        Cell::label("单位/村组"),
        Cell::label("联系电话"),
        Cell::label("签名"),
    ]];
    // Header and rows alike are one line of the table's leading.
    let row = t.leading + 2.0 * t.pad_y;
    let header = row;
    let first = ((flow.remaining() - header + 0.01) / row).floor().max(1.0) as usize;
    let next = ((flow.sheet.block_height - header + 0.01) / row)
        .floor()
        .max(1.0) as usize;
    let wanted = sign_in_rows(m.attendance);
    let rows = if wanted <= first {
        first
    } else {
        first + (wanted - first).div_ceil(next) * next
    };
    let blank = || Cell::value("");
    for i in 0..rows {
        t.rows.push(vec![
            Cell::centered((i + 1).to_string()),
            blank(),
            blank(),
            blank(),
            blank(),
        ]);
    }
    flow.table(&t);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_sheet_has_room_for_everyone_within_limits() {
        assert_eq!(sign_in_rows(3), MIN_SIGN_IN_ROWS);
        assert_eq!(sign_in_rows(46), 46);
        assert_eq!(sign_in_rows(5000), MAX_SIGN_IN_ROWS);
    }

    #[test]
    fn fixed_wording_is_in_the_faces() {
        let labels = "会议主题时间地点主办组织主持人记录人参会人数单位群众代表一、通报事项二反馈三意见建议\
            四后续工作序号案件编号当事人类别办理结果会上回访发言人问题/转报告单签到表姓名村组联系电话签名";
        assert_eq!(check_coverage_in(Face::Label, &[("", labels)]), Ok(()));
        assert_eq!(
            check_coverage_in(Face::Title, &[("", "民心沟通会会议记录参会人员签到表")]),
            Ok(())
        );
    }
}
