//! Telephone numbers: mainland mobiles (11 digits, 1[3-9]…) and landlines (an area code that can
//! exist + a local number).

use std::fmt;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phone {
    Mobile(String),
    /// Stored as `0932-6623110`.
    Landline(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("电话号码只能包含数字和“-”")]
    Characters,
    #[error("手机号应为11位、以13—19开头")]
    Mobile,
    #[error("固定电话应为区号加号码，如 0932-6623110")]
    Landline,
    #[error("区号 {0} 不存在（区号为 010、02X 或 0 加 3—9 开头的四位，如 0932）")]
    AreaCode(String),
    #[error("固定电话的本地号码不以 0 开头（{0} 不是本地号码）")]
    LocalNumber(String),
    #[error("号码 {0} 全是同一个数字，请填写真实的电话")]
    Placeholder(String),
}

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let s = s.strip_prefix("+86").unwrap_or(&s);
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(PhoneError::Characters);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let first = digits.chars().next().unwrap_or_default();
        if digits.len() > 1 && digits.chars().all(|c| c == first) {
            return Err(PhoneError::Placeholder(digits));
        }
        if s.starts_with('1') {
            let b = digits.as_bytes();
            if digits.len() == 11 && (b'3'..=b'9').contains(&b[1]) && !s.contains('-') {
                return Ok(Phone::Mobile(digits));
            }
            return Err(PhoneError::Mobile);
        }
        if !s.starts_with('0') {
            return Err(PhoneError::Landline);
        }
        // Area codes are 3 digits (010, 02x) or 4 digits; numbers 7 or 8 digits.
        let (area, number) = match s.split_once('-') {
            Some((a, n)) => (a.to_string(), n.replace('-', "")),
            None => {
                let area_len = if s.starts_with("01") || s.starts_with("02") {
                    3
                } else {
                    4
                };
                if digits.len() <= area_len {
                    return Err(PhoneError::Landline);
                }
                (
                    digits[..area_len].to_string(),
                    digits[area_len..].to_string(),
                )
            }
        };
        if !(3..=4).contains(&area.len()) || !(7..=8).contains(&number.len()) {
            return Err(PhoneError::Landline);
        }
        if !area_code_can_exist(&area) {
            return Err(PhoneError::AreaCode(area));
        }
        // A leading 0 is the trunk prefix, never part of a local number.
        if number.starts_with('0') {
            return Err(PhoneError::LocalNumber(number));
        }
        Ok(Phone::Landline(format!("{area}-{number}")))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Phone::Mobile(s) | Phone::Landline(s) => s,
        }
    }

    /// Only the digits, for searching by fragment.
    pub fn digits(&self) -> String {
        self.as_str().chars().filter(char::is_ascii_digit).collect()
    }
}

/// Whether a mainland area code has a possible shape: 010 (Beijing), 02X for the eight other
/// large cities (026 was never given out), or four digits beginning 03–09.
fn area_code_can_exist(area: &str) -> bool {
    let b = area.as_bytes();
    match (b.len(), b) {
        (3, [b'0', b'1', b'0']) => true,
        (3, [b'0', b'2', d]) => *d != b'6',
        (4, [b'0', d, ..]) => (b'3'..=b'9').contains(d),
        _ => false,
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(
            Phone::parse("138 1234 5678"),
            Ok(Phone::Mobile("13812345678".into()))
        );
        assert_eq!(
            Phone::parse("+8619912345678"),
            Ok(Phone::Mobile("19912345678".into()))
        );
        assert_eq!(Phone::parse("12812345678"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("1381234567"), Err(PhoneError::Mobile));
    }

    #[test]
    fn landlines() {
        assert_eq!(
            Phone::parse("0932-6623110"),
            Ok(Phone::Landline("0932-6623110".into()))
        );
        assert_eq!(
            Phone::parse("09326623110"),
            Ok(Phone::Landline("0932-6623110".into()))
        );
        assert_eq!(
            Phone::parse("01012345678"),
            Ok(Phone::Landline("010-12345678".into()))
        );
        assert_eq!(Phone::parse("0932-12"), Err(PhoneError::Landline));
        assert_eq!(Phone::parse("6623110"), Err(PhoneError::Landline));
        assert_eq!(Phone::parse("138abc"), Err(PhoneError::Characters));
    }

    #[test]
    fn numbers_of_one_repeated_digit_are_refused() {
        assert_eq!(
            Phone::parse("00000000000"),
            Err(PhoneError::Placeholder("00000000000".into()))
        );
        assert_eq!(
            Phone::parse("1111-1111111"),
            Err(PhoneError::Placeholder("11111111111".into()))
        );
        assert!(matches!(
            Phone::parse("0000-0000000"),
            Err(PhoneError::Placeholder(_))
        ));
        assert!(
            Phone::parse("18888888888").is_ok(),
            "a lucky number is real"
        );
    }

    #[test]
    fn area_codes_that_cannot_exist_are_refused() {
        for bad in [
            "000-12345678",
            "0012-6623110",
            "011-66231100",
            "026-66231100",
            "0101-6623110",
            "0201-6623110",
            "0232-6623110",
        ] {
            assert!(
                matches!(Phone::parse(bad), Err(PhoneError::AreaCode(_))),
                "{bad}: {:?}",
                Phone::parse(bad)
            );
        }
        for good in [
            "010-66231100",
            "021-66231100",
            "029-86231100",
            "0311-6623110",
            "0999-6623110",
        ] {
            assert!(Phone::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn local_numbers_do_not_begin_with_0() {
        assert_eq!(
            Phone::parse("0932-0623110"),
            Err(PhoneError::LocalNumber("0623110".into()))
        );
        assert_eq!(
            Phone::parse("0932-0000000"),
            Err(PhoneError::LocalNumber("0000000".into()))
        );
    }
}
