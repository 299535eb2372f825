//! A name typed on the command line (town, unit, category) checked against the configured
//! choices: an unknown one is a usage error naming the choices, or the closest ones when there
//! are too many to list.

use std::fmt;

/// A command line that cannot be carried out as written: reported like clap's own refusals,
/// with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// More choices than this are not all listed: the closest ones are.
const LIST_ALL_UP_TO: usize = 30;
const CLOSEST: usize = 6;

/// The refusal of `typed`, not among `choices`, for an option that names `what` (乡镇, 单位…).
pub fn unknown(what: &str, option: &str, typed: &str, choices: &[String]) -> UsageError {
    let near = closest(typed, choices);
    let mut text = format!("{option}：没有「{typed}」这个{what}");
    if let Some(best) = near.first() {
        text.push_str(&format!("，是不是「{best}」？"));
    } else {
        text.push('。');
    }
    if choices.len() <= LIST_ALL_UP_TO {
        text.push_str(&format!("可选：{}", choices.join("、")));
    } else if near.len() > 1 {
        text.push_str(&format!("相近的还有：{}", near[1..].join("、")));
    } else if near.is_empty() {
        let some: Vec<&str> = choices.iter().take(3).map(String::as_str).collect();
        text.push_str(&format!(
            "{what}共{}个，如：{}",
            choices.len(),
            some.join("、")
        ));
    }
    UsageError(text)
}

/// The choices most like `typed`, best first: those containing it (or contained in it), then
/// those sharing the most characters with it.
pub fn closest<'a>(typed: &str, choices: &'a [String]) -> Vec<&'a str> {
    let typed = typed.trim();
    let mut scored: Vec<(usize, usize, &str)> = choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let score = if typed.is_empty() {
                0
            } else if c.contains(typed) || typed.contains(c.as_str()) {
                1000 + typed.chars().count().min(c.chars().count())
            } else {
                let mut rest: Vec<char> = c.chars().collect();
                typed
                    .chars()
                    .filter(|ch| match rest.iter().position(|r| r == ch) {
                        Some(p) => {
                            rest.swap_remove(p);
                            true
                        }
                        None => false,
                    })
                    .count()
            };
            // One shared character of a long name is chance, not likeness.
            (score >= 2).then_some((score, i, c.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(CLOSEST)
        .map(|(_, _, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_near_miss_is_named_first() {
        let towns = list(&["首阳镇", "文峰镇", "巩昌镇"]);
        assert_eq!(closest("首阳", &towns), ["首阳镇"]);
        assert_eq!(closest("首阳乡", &towns)[0], "首阳镇");
        assert!(closest("不存在", &towns).is_empty());
        let units = list(&["县司法局", "首阳镇司法所", "文峰镇司法所", "县公安局"]);
        assert_eq!(
            closest("司法所", &units),
            ["首阳镇司法所", "文峰镇司法所", "县司法局"]
        );
    }

    #[test]
    fn few_choices_are_all_listed_many_only_the_closest() {
        let towns = list(&["首阳镇", "文峰镇"]);
        let e = unknown("乡镇", "--town", "首阳", &towns).to_string();
        assert_eq!(
            e,
            "--town：没有「首阳」这个乡镇，是不是「首阳镇」？可选：首阳镇、文峰镇"
        );
        let many: Vec<String> = (0..40).map(|i| format!("第{i}单位")).collect();
        let e = unknown("单位", "--unit", "不存在", &many).to_string();
        assert_eq!(
            e,
            "--unit：没有「不存在」这个单位。单位共40个，如：第0单位、第1单位、第2单位"
        );
    }
}
