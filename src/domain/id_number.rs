//! Resident identity numbers (GB 11643-1999): 18 characters, a check character over the first 17,
//! an address code in a real province, a birth date that exists, the sex in the sequence number.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid resident ID number, upper-case X.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号应为18位（现为{0}位）")]
    Length(usize),
    #[error("身份证号前17位只能是数字，最后一位是数字或X")]
    Characters,
    #[error("身份证号中的出生日期 {0} 不存在")]
    BirthDate(String),
    #[error("身份证号中的出生日期 {0} 晚于今天，请核对")]
    BornLater(NaiveDate),
    #[error("身份证号前6位地址码 {0} 不存在（前两位应为省、自治区、直辖市的代码，如 62 甘肃）")]
    AddressCode(String),
    #[error("身份证号校验位不符（应为 {expected}），请核对是否输错")]
    CheckCharacter { expected: char },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

impl Gender {
    pub fn label(&self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn from_label(s: &str) -> Option<Gender> {
        match s.trim() {
            "男" => Some(Gender::Male),
            "女" => Some(Gender::Female),
            _ => None,
        }
    }
}

impl IdNumber {
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let s: String = input.trim().to_uppercase();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(IdNumberError::Length(chars.len()));
        }
        if !chars[..17].iter().all(char::is_ascii_digit)
            || !(chars[17].is_ascii_digit() || chars[17] == 'X')
        {
            return Err(IdNumberError::Characters);
        }
        if !is_province(&s[..2]) {
            return Err(IdNumberError::AddressCode(s[..6].to_string()));
        }
        let birth = &s[6..14];
        NaiveDate::parse_from_str(birth, "%Y%m%d")
            .ok()
            .filter(|d| chrono::Datelike::year(d) >= 1850)
            .ok_or_else(|| IdNumberError::BirthDate(birth.to_string()))?;
        let sum: u32 = chars[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
            .sum();
        let expected = CHECK[(sum % 11) as usize];
        if chars[17] != expected {
            return Err(IdNumberError::CheckCharacter { expected });
        }
        Ok(IdNumber(s))
    }

    /// Like [`IdNumber::parse`], for a person standing at the counter on `today`: not born yet
    /// is a typing error.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<IdNumber, IdNumberError> {
        let id = IdNumber::parse(input)?;
        let born = id.birth_date();
        if born > today {
            return Err(IdNumberError::BornLater(born));
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked on construction")
    }

    pub fn gender(&self) -> Gender {
        let seq = self.0.as_bytes()[16] - b'0';
        if seq % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The 6-digit address code of the place of first registration.
    pub fn address_code(&self) -> &str {
        &self.0[..6]
    }
}

/// The province-level codes of GB/T 2260 that begin an address code (91 for the permanent
/// residence cards of foreigners). Only the province is checked: counties are merged and renamed,
/// and an ID issued under a retired county code stays valid for life.
fn is_province(code: &str) -> bool {
    matches!(
        code.parse::<u8>(),
        Ok(11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 91)
    )
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for IdNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IdNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IdNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_examples_from_the_standard() {
        let a = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(a.gender(), Gender::Female);
        assert_eq!(
            a.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        let b = IdNumber::parse("440524188001010014").unwrap();
        assert_eq!(b.gender(), Gender::Male);
        assert_eq!(b.birth_date(), NaiveDate::from_ymd_opt(1880, 1, 1).unwrap());
    }

    #[test]
    fn lower_case_x_is_stored_upper_case() {
        assert_eq!(
            IdNumber::parse(" 11010519491231002x ").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn wrong_check_character_says_which_is_expected() {
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckCharacter { expected: 'X' })
        );
    }

    #[test]
    fn birth_date_must_exist() {
        // 1990-02-30 does not exist; the check character is computed for these 17 digits.
        let body = "62112219900230123";
        let sum: u32 = body
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let id = format!("{body}{}", CHECK[(sum % 11) as usize]);
        assert_eq!(
            IdNumber::parse(&id),
            Err(IdNumberError::BirthDate("19900230".into()))
        );
    }

    #[test]
    fn length_and_characters_are_checked() {
        assert_eq!(IdNumber::parse("1234"), Err(IdNumberError::Length(4)));
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdNumberError::Characters)
        );
        assert!(IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ").is_err());
    }

    #[test]
    fn retired_address_codes_are_accepted() {
        // 440524 (潮阳县) no longer exists; the number is still valid.
        assert!(IdNumber::parse("440524188001010014").is_ok());
    }

    /// `body` (17 digits) with its check character.
    fn with_check(body: &str) -> String {
        let sum: u32 = body
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        format!("{body}{}", CHECK[(sum % 11) as usize])
    }

    #[test]
    fn address_code_000000_is_refused() {
        let id = with_check("00000019900101123");
        assert_eq!(
            IdNumber::parse(&id),
            Err(IdNumberError::AddressCode("000000".into()))
        );
    }

    #[test]
    fn address_code_outside_every_province_is_refused() {
        for prefix in [
            "10", "16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70", "83", "99",
        ] {
            let id = with_check(&format!("{prefix}112219900101123"));
            assert!(
                matches!(IdNumber::parse(&id), Err(IdNumberError::AddressCode(_))),
                "{id}"
            );
        }
        for prefix in [
            "11", "15", "21", "37", "46", "50", "54", "62", "65", "71", "81", "82", "91",
        ] {
            let id = with_check(&format!("{prefix}112219900101123"));
            assert!(IdNumber::parse(&id).is_ok(), "{id}");
        }
    }

    #[test]
    fn birth_date_after_today_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let born_2030 = with_check("62112220300101123");
        assert!(
            IdNumber::parse(&born_2030).is_ok(),
            "a valid number in itself"
        );
        assert_eq!(
            IdNumber::parse_on(&born_2030, today),
            Err(IdNumberError::BornLater(
                NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
            ))
        );
        let born_today = with_check("62112220260302123");
        assert!(IdNumber::parse_on(&born_today, today).is_ok());
    }
}
