//! The 情况通报 of a 民心沟通会 for the village notice board (公示), A4: what was reported, the
//! cases fed back with their parties masked (张某某), their category and outcome as told, the
//! opinions raised and the next steps, and the center's phone. A notice board is public: no full
//! name, ID number, phone or house number of anyone reaches it. The parties are printed masked,
//! the representatives and speakers not at all, and every free text passes through [`scrub`],
//! which hides the private strings the caller names and any phone, ID or house number left in
//! the words of a clerk.

use chrono::{DateTime, FixedOffset};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::date;
use super::layout::{Align, Cell, Flow, Sheet, Table, mm, text_width, wrap};
use super::parts::{body, heading, number};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::mask_name;
use crate::domain::records::Meeting;

const BODY: f32 = 14.0;
const LEADING: f32 = 26.0;
const SIZE: f32 = 11.0;

/// What stands in for a phone, ID number or address taken out of a text.
pub const HIDDEN: &str = "××";

/// Everything printed on a notice.
#[derive(Debug, Clone)]
pub struct NoticeInput<'a> {
    pub meeting: &'a Meeting,
    pub config: &'a Config,
    pub printed_at: DateTime<FixedOffset>,
    /// Full names of the people concerned (parties, reporters, representatives, speakers): any
    /// found in a text is printed masked.
    pub names: &'a [String],
    /// Their phones, ID numbers and addresses: any found in a text is printed as [`HIDDEN`].
    pub private: &'a [String],
}

/// The notice as PDF bytes.
pub fn notice_pdf(input: &NoticeInput) -> Result<Vec<u8>, PrintError> {
    let m = input.meeting;
    let s = |text: &str| scrub(text, input.names, input.private);
    let title = format!("{}民心沟通会情况通报", m.area());
    check(input, &title)?;
    let mut flow = Flow::new(Sheet::a4_official());
    number(&mut flow, 14.0, &m.meeting_no);
    flow.gap(mm(2.0));
    flow.paragraph(Face::Title, 22.0, 34.0, Align::Center, 0.0, &title);
    flow.gap(mm(4.0));

    let units = if m.units.is_empty() {
        String::new()
    } else {
        format!("，{}等单位参加", s(&m.units.join("、")))
    };
    body(
        &mut flow,
        BODY,
        LEADING,
        &format!(
            "{}，{}在{}召开民心沟通会{units}，参会群众{}人。现将会议情况通报如下：",
            date(m.held_at.date_naive()),
            s(&m.host),
            s(&m.place),
            m.attendance
        ),
    );

    let mut n = 0;
    let mut next_heading = |flow: &mut Flow, text: &str, keep: f32| {
        n += 1;
        heading(flow, 15.0, &format!("{}、{text}", numeral(n)), keep);
    };
    let keep = LEADING * 2.0;
    if !m.items.trim().is_empty() {
        next_heading(&mut flow, "通报事项", keep);
        body(&mut flow, BODY, LEADING, &s(&m.items));
    }

    next_heading(&mut flow, "群众反映事项办理情况", keep);
    if m.feedback.is_empty() {
        body(&mut flow, BODY, LEADING, "本次会议未反馈案件。");
    } else {
        let revisited = m
            .feedback
            .iter()
            .filter(|f| f.satisfaction.is_some())
            .count();
        let satisfied = m
            .feedback
            .iter()
            .filter(|f| f.satisfaction.is_some_and(|s| s.is_satisfied()))
            .count();
        let mut summary = format!("本次会议反馈群众反映事项{}件", m.feedback.len());
        if revisited > 0 {
            summary.push_str(&format!(
                "，会上回访当事人{revisited}件，其中满意（含基本满意）{satisfied}件"
            ));
        }
        summary.push_str("。具体如下：");
        body(&mut flow, BODY, LEADING, &summary);
        flow.gap(mm(1.0));
        let t = feedback_table(input, &flow);
        flow.table(&t);
    }

    if !m.opinions.is_empty() {
        next_heading(&mut flow, "群众意见建议", keep);
        let reported = m.opinions.iter().filter(|o| o.report.is_some()).count();
        let mut text = format!("会上群众提出意见建议{}条", m.opinions.len());
        if reported > 0 {
            text.push_str(&format!(
                "，其中{reported}条已转为民意报告单，由综治中心研判办理"
            ));
        }
        text.push('：');
        body(&mut flow, BODY, LEADING, &text);
        for (i, o) in m.opinions.iter().enumerate() {
            let mut line = format!("{}. {}", i + 1, s(o.text.trim()));
            if let Some(no) = &o.report_no {
                line.push_str(&format!("（已转为民意报告单{no}）"));
            }
            body(&mut flow, BODY, LEADING, &line);
        }
    }

    if !m.plans.trim().is_empty() {
        next_heading(&mut flow, "下一步工作", keep);
        body(&mut flow, BODY, LEADING, &s(&m.plans));
    }

    // The closing words and the center's name and date stay together: a page with only the
    // signature is not a notice.
    let closing = format!(
        "\u{3000}\u{3000}群众对以上事项如有疑问，或有新的意见建议，可向{}反映，咨询电话：{}。",
        input.config.center.name, input.config.center.phone
    );
    let lines = wrap(Face::Body, BODY, &closing, flow.sheet.block_width).len();
    flow.gap(mm(3.0));
    flow.keep(LEADING * (lines as f32 + 2.0) + mm(8.0));
    body(&mut flow, BODY, LEADING, &closing);
    flow.gap(mm(8.0));
    flow.line(
        Face::Body,
        BODY,
        LEADING,
        Align::Right,
        &format!("{}\u{3000}\u{3000}", input.config.center.name),
    );
    flow.line(
        Face::Body,
        BODY,
        LEADING,
        Align::Right,
        &format!("{}\u{3000}\u{3000}", date(input.printed_at.date_naive())),
    );
    let pages = flow.finish();
    let meta = Meta {
        title: &title,
        author: &input.config.center.name,
        created: input.printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// `一`, `二`, … for the headings (a notice has a handful).
fn numeral(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or("十")
}

fn check(input: &NoticeInput, title: &str) -> Result<(), PrintError> {
    let m = input.meeting;
    let mut fields: Vec<(String, &str)> = vec![
        ("会议编号".into(), &m.meeting_no),
        ("会议地点".into(), &m.place),
        ("主办组织".into(), &m.host),
        ("通报事项".into(), &m.items),
        ("后续工作".into(), &m.plans),
        ("中心名称".into(), &input.config.center.name),
        ("中心电话".into(), &input.config.center.phone),
    ];
    for (i, u) in m.units.iter().enumerate() {
        fields.push((format!("参会单位第{}个", i + 1), u));
    }
    for f in &m.feedback {
        fields.push((format!("{}的类别", f.case_no), &f.category));
        fields.push((format!("{}的反馈情况", f.case_no), &f.told));
    }
    for o in &m.opinions {
        fields.push((format!("意见{}", o.seq), &o.text));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("标题", title)]))
        .map_err(PrintError::Unprintable)
}

fn feedback_table(input: &NoticeInput, flow: &Flow) -> Table {
    let m = input.meeting;
    let s = |text: &str| scrub(text, input.names, input.private);
    let mut t = Table::new(&[], SIZE);
    let fit = |header: &str, texts: &mut dyn Iterator<Item = &str>| {
        let widest = texts
            .map(|s| text_width(Face::Body, SIZE, s))
            .fold(text_width(Face::Label, SIZE, header), f32::max);
        widest + 2.0 * t.pad_x + mm(1.0)
    };
    let seq = fit(
        "序号",
        &mut [m.feedback.len().to_string().as_str()].into_iter(),
    );
    let name = fit(
        "当事人",
        &mut m.feedback.iter().map(|f| f.name_masked.as_str()),
    );
    let category = fit("事项类别", &mut std::iter::empty());
    let revisit = fit("回访满意度", &mut std::iter::empty());
    let told = flow.sheet.block_width - seq - name - category - revisit;
    t.columns = vec![seq, name, category, told, revisit];
    t.header = vec![vec![
        Cell::label("序号"),
        Cell::label("当事人"),
        Cell::label("事项类别"),
        Cell::label("办理情况及结果"),
        Cell::label("回访满意度"),
    ]];
    for (i, f) in m.feedback.iter().enumerate() {
        t.rows.push(vec![
            Cell::centered((i + 1).to_string()),
            // Masked again here: the notice never relies on its caller for the one rule it
            // exists to keep.
            Cell::centered(mask_masked(&f.name_masked)),
            Cell::centered(f.category.clone()),
            Cell::value(s(f.told.trim())),
            Cell::centered(f.satisfaction.map_or("—", |s| s.label())),
        ]);
    }
    t
}

/// A name that should already be masked (`张某某`) is kept; anything else is masked now.
fn mask_masked(name: &str) -> String {
    if name.trim().is_empty() {
        "—".into()
    } else if name.contains('某') {
        name.to_string()
    } else {
        mask_name(name)
    }
}

/// `text` as a public notice may show it: each of `names` masked (`张某某`), each of `private`
/// (phones, ID numbers, addresses) replaced by [`HIDDEN`], then any number of 7 or more digits
/// (a phone or ID number not named) replaced by [`HIDDEN`] and any house number (`12号`, `3室`)
/// reduced to `×号`. A document number (`陇民报〔2026〕3号`) keeps its number.
pub fn scrub(text: &str, names: &[String], private: &[String]) -> String {
    let mut out = text.to_string();
    let mut private: Vec<&str> = private
        .iter()
        .map(|p| p.trim())
        .filter(|p| p.chars().count() >= 2)
        .collect();
    private.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in private {
        out = out.replace(p, HIDDEN);
    }
    let mut names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        // One character is no name to look for: it would mask every word it is part of.
        .filter(|n| n.chars().count() >= 2)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        out = out.replace(n, &mask_name(n));
    }
    hide_numbers(&out)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Numbers that can only be a phone, an ID or a house number, hidden.
fn hide_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run of digits, with the separators phones are written with between them.
        let start = i;
        let mut digits = 0;
        let mut end = i;
        while end < chars.len() {
            let c = chars[end];
            if is_digit(c) {
                digits += 1;
                end += 1;
            } else if matches!(c, '-' | '－' | ' ')
                && end + 1 < chars.len()
                && is_digit(chars[end + 1])
            {
                end += 1;
            } else {
                break;
            }
        }
        if digits == 17 && end < chars.len() && matches!(chars[end], 'X' | 'x' | 'Ｘ') {
            end += 1;
            digits += 1;
        }
        let before = start.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(end).copied();
        if digits >= 7 {
            out.push_str(HIDDEN);
        } else if matches!(after, Some('号' | '室')) && before != Some('〕') {
            out.push('×');
        } else {
            out.extend(&chars[start..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_are_masked_and_private_strings_hidden() {
        let text = "张明的工资已由工头当场支付，张明住南门村3社12号，电话13912345679。";
        let out = scrub(
            text,
            &strings(&["张明", "王有福"]),
            &strings(&["南门村3社12号", "13912345679"]),
        );
        assert_eq!(out, "张某某的工资已由工头当场支付，张某某住××，电话××。");
    }

    #[test]
    fn numbers_nobody_named_are_hidden_all_the_same() {
        let out = scrub(
            "当事人电话139 1234 5678，身份证11010519491231002X，住3社12号，座机0932-6623110",
            &[],
            &[],
        );
        assert_eq!(out, "当事人电话××，身份证××，住3社×号，座机××");
    }

    #[test]
    fn money_dates_and_document_numbers_stay() {
        let text = "2026年3月5日支付工资12000元，见陇民报〔2026〕3号";
        assert_eq!(scrub(text, &[], &[]), text);
    }

    #[test]
    fn one_character_is_not_taken_for_a_name() {
        assert_eq!(scrub("王家的事", &strings(&["王"]), &[]), "王家的事");
    }

    #[test]
    fn fixed_wording_is_in_the_faces() {
        assert_eq!(
            check_coverage_in(
                Face::Label,
                &[("", "序号当事人事项类别办理情况及结果回访满意度一二三四、")]
            ),
            Ok(())
        );
        assert_eq!(
            check_coverage(&[(
                "",
                "××召开民心沟通会等单位参加，参会群众人。现将会议情况通报如下："
            )]),
            Ok(())
        );
    }
}
