//! The time of day as the center lives it: China Standard Time (UTC+8), whatever the host's zone.
//! `MINSHI_NOW` (RFC 3339) fixes the clock for tests and demonstrations.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Now, at +08:00.
pub fn now() -> DateTime<FixedOffset> {
    if let Ok(fixed) = std::env::var("MINSHI_NOW")
        && let Ok(t) = DateTime::parse_from_rfc3339(fixed.trim())
    {
        return t.with_timezone(&china());
    }
    Utc::now().with_timezone(&china())
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// `2026-03-05T14:30:00+08:00`, the form every stored time takes. Written digit by digit:
/// every event stores one, and chrono's general formatter parses its pattern each time.
pub fn format(t: &DateTime<FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    let t = t.with_timezone(&china());
    let (y, mo, d) = (t.year(), t.month(), t.day());
    let (h, mi, sec) = (t.hour(), t.minute(), t.second());
    // Years beyond four digits and leap seconds: chrono's own writing.
    if !(0..=9999).contains(&y) || t.nanosecond() >= 1_000_000_000 {
        return t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    }
    fn two(out: &mut String, n: u32) {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    let mut out = String::with_capacity(25);
    two(&mut out, y as u32 / 100);
    two(&mut out, y as u32 % 100);
    for (sep, n) in [('-', mo), ('-', d), ('T', h), (':', mi), (':', sec)] {
        out.push(sep);
        two(&mut out, n);
    }
    out.push_str("+08:00");
    out
}

pub fn parse(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// The name of whoever runs the program, for the timeline.
pub fn os_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| whoami::fallible::username().ok())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_written_as_chrono_writes_them() {
        for t in [
            "2026-03-05T14:30:00+08:00",
            "2026-12-31T23:59:59+08:00",
            "0999-01-01T00:00:00+08:00",
            "2026-03-05T06:30:07Z",
            "2026-03-05T14:30:00.750+05:00",
        ] {
            let t = DateTime::parse_from_rfc3339(t).unwrap();
            assert_eq!(
                format(&t),
                t.with_timezone(&china())
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
            );
        }
    }
}
