//! How values are written on paper: dates as `2026年3月5日`, masked personal data, addresses.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

use crate::domain::{Person, mask_id, mask_phone};

/// `2026年3月5日`
pub(crate) fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2026年3月5日 14:30`, in the time's own offset (the counter's local time).
pub(crate) fn date_time(t: DateTime<FixedOffset>) -> String {
    format!("{} {:02}:{:02}", date(t.date_naive()), t.hour(), t.minute())
}

/// The person's address from town, village and detail, without repeating a town or village the
/// detail already names.
pub(crate) fn address(p: &Person) -> String {
    let mut out = String::new();
    for part in [&p.town, &p.village] {
        if !part.is_empty() && !p.address.contains(part.as_str()) {
            out.push_str(part);
        }
    }
    out.push_str(&p.address);
    out
}

pub(crate) fn masked_id(p: &Person) -> String {
    p.id_number
        .as_ref()
        .map_or_else(|| "未提供".to_string(), |id| mask_id(id.as_str()))
}

pub(crate) fn masked_phone(p: &Person) -> String {
    p.phone
        .as_ref()
        .map_or_else(|| "未提供".to_string(), |ph| mask_phone(ph.as_str()))
}

pub(crate) fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_no_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d), "2026年3月5日");
        let t = DateTime::parse_from_rfc3339("2026-03-05T14:30:00+08:00").unwrap();
        assert_eq!(date_time(t), "2026年3月5日 14:30");
    }
}
