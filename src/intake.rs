//! Checking a new case as the front ends do before registering it: the domain's rules, with the
//! embedded fonts as the judge of what paper can print (the domain itself knows no fonts).

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::domain::{FieldError, NewCase, NewCaseInput, validate_new_case};

/// Whether the body face, the one people's text is printed in, has a glyph for `c` (whitespace
/// and variation selectors always pass, as in `print::check_coverage`). A character accepted at
/// the counter must never block a slip, a form or the year's register later.
pub fn printable(c: char) -> bool {
    c.is_ascii() || crate::print::body_prints(c)
}

/// Every field of `input` checked, received time against `now`, text against the fonts.
pub fn validate(
    input: &NewCaseInput,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> Result<NewCase, Vec<FieldError>> {
    validate_new_case(input, config, now, &printable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_name_characters_print_and_private_use_does_not() {
        assert!(printable('𬌗'));
        assert!(printable('䶮'));
        assert!(printable('〔'));
        assert!(
            printable('\u{E0100}'),
            "a variation selector prints as nothing"
        );
        assert!(!printable('\u{E000}'));
    }
}
