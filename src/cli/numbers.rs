//! Numbers (and dates) on the command line, each with its sane range and a refusal in Chinese (clap's own
//! parsers answer "invalid digit found in string", and a number of days in the millions made
//! `due` run the calendar past the year 9999).

/// `s` as an integer in `lo..=hi`; `what` names it in the refusal.
fn bounded<T>(s: &str, what: &str, lo: T, hi: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let t = s.trim();
    let range = format!("{what}应为{lo}到{hi}之间的整数");
    if t.is_empty() {
        return Err(format!("没有填写{what}（{range}）"));
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("「{t}」不是整数（{range}）"));
    }
    if t.starts_with('-') && digits.chars().any(|c| c != '0') {
        return Err(format!("{what}不能为负数（{range}）"));
    }
    match digits.parse::<T>() {
        Ok(n) if n < lo => Err(format!("{what}至少为{lo}（现为{n}）")),
        Ok(n) if n > hi => Err(format!("{what}最多为{hi}（现为{t}）")),
        Ok(n) => Ok(n),
        // Only digits, so the number is too large for the type.
        Err(_) => Err(format!("{what}最多为{hi}（现为{t}）")),
    }
}

/// `due --days`: ten years is more than any deadline the law knows.
pub fn days(s: &str) -> Result<u32, String> {
    bounded(s, "天数", 1, 3650)
}

/// `act --days` (an extension): the lifecycle holds it to the configured maximum.
pub fn extension_days(s: &str) -> Result<u32, String> {
    bounded(s, "延期天数", 1, 3650)
}

/// `list --limit`, `search --limit`.
pub fn limit(s: &str) -> Result<usize, String> {
    bounded(s, "条数", 1, 100_000)
}

/// `list --offset`, `search --offset`.
pub fn offset(s: &str) -> Result<usize, String> {
    bounded(s, "跳过的件数", 0, 100_000_000)
}

/// A date option: `YYYY-MM-DD`, a real day of the calendar.
pub fn date(s: &str) -> Result<chrono::NaiveDate, String> {
    let t = s.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("「{t}」不是有效日期，应为 YYYY-MM-DD，如 2026-03-05"))
}

/// `evidence add --pages`.
pub fn pages(s: &str) -> Result<u32, String> {
    bounded(s, "页数", 1, 10_000)
}

/// `demo --cases`.
pub fn cases(s: &str) -> Result<u64, String> {
    bounded(s, "案件数", 1, 10_000_000)
}

/// `demo --seed`.
pub fn seed(s: &str) -> Result<u64, String> {
    bounded(s, "随机种子", 0, u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_range_pass() {
        assert_eq!(days("5"), Ok(5));
        assert_eq!(days(" 3650 "), Ok(3650));
        assert_eq!(days("+7"), Ok(7));
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn every_bad_number_is_refused_in_chinese() {
        assert_eq!(
            days("4294967295"),
            Err("天数最多为3650（现为4294967295）".into())
        );
        assert_eq!(
            days("99999999999999999999"),
            Err("天数最多为3650（现为99999999999999999999）".into())
        );
        assert_eq!(
            days("-5"),
            Err("天数不能为负数（天数应为1到3650之间的整数）".into())
        );
        assert_eq!(days("0"), Err("天数至少为1（现为0）".into()));
        assert_eq!(
            days("5天"),
            Err("「5天」不是整数（天数应为1到3650之间的整数）".into())
        );
        assert_eq!(
            days("1e3"),
            Err("「1e3」不是整数（天数应为1到3650之间的整数）".into())
        );
        assert!(days("").unwrap_err().starts_with("没有填写天数"));
        assert!(limit("-1").unwrap_err().contains("不能为负数"));
    }
}
