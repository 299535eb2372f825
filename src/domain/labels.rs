//! The closed vocabularies of a case — routes, levels, states, outcomes, satisfaction — each with
//! its Chinese label in exactly one place.

macro_rules! labeled {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: [$name; [$($label),+].len()] = [$($name::$variant,)+];

            pub fn label(&self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_label(label: &str) -> Option<$name> {
                match label.trim() { $($label => Some($name::$variant),)+ _ => None }
            }

            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }

            /// The stored form: the variant's index, stable as long as variants are only appended.
            pub fn code(&self) -> i64 {
                *self as i64
            }

            pub fn from_code(code: i64) -> Option<$name> {
                Self::ALL.get(usize::try_from(code).ok()?).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as ::serde::Deserialize>::deserialize(d)?;
                $name::from_label(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "「{s}」不是有效值，应为：{}",
                        $name::labels().join("、")
                    ))
                })
            }
        }
    };
}

labeled!(
    /// How a matter is handled (the routes of the 民事办理书).
    Route {
        OnTheSpot => "当场办结",
        Timed => "限时办理",
        Referred => "上报转办",
        Project => "立项解决",
        LegalChannel => "引导依法解决",
    }
);

labeled!(
    /// 小事不出村、大事不出镇、矛盾不上交.
    Level {
        Village => "村",
        Township => "乡镇",
        County => "县",
    }
);

labeled!(
    /// Where a case stands in its lifecycle.
    Status {
        Registered => "已登记",
        Dispatched => "已分流",
        InProgress => "办理中",
        Resolved => "已办结",
        FollowedUp => "已回访",
        Archived => "已归档",
        Declined => "不予受理",
        Merged => "已合并",
    }
);

labeled!(
    /// Outcome of a claim (《信访工作条例》§32), or of a mediation.
    Outcome {
        Supported => "支持",
        Explained => "解释说明",
        NotSupported => "不予支持",
        Mediated => "调解成功",
        MediationFailed => "调解不成",
    }
);

labeled!(
    /// The national five-level 好差评 scale.
    Satisfaction {
        VerySatisfied => "非常满意",
        Satisfied => "满意",
        FairlySatisfied => "基本满意",
        Dissatisfied => "不满意",
        VeryDissatisfied => "非常不满意",
    }
);

/// How a 回访 (follow-up) was made: the choices the screen and the command line offer
/// (沟通会: revisited at a 民心沟通会).
pub const FOLLOW_UP_WAYS: [&str; 7] = ["电话", "上门", "当面", "来访", "短信", "微信", "沟通会"];

impl Status {
    /// Still on someone's desk: shown on the board, counted for overdue.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            Status::Registered | Status::Dispatched | Status::InProgress
        )
    }
}

impl Satisfaction {
    /// Counted in 满意率.
    pub fn is_satisfied(&self) -> bool {
        matches!(
            self,
            Satisfaction::VerySatisfied | Satisfaction::Satisfied | Satisfaction::FairlySatisfied
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for r in Route::ALL {
            assert_eq!(Route::from_label(r.label()), Some(r));
            assert_eq!(Route::from_code(r.code()), Some(r));
        }
        assert_eq!(Route::from_label("马上办"), None);
        // The store's partial indexes select open cases as `status < 3`.
        for s in Status::ALL {
            assert_eq!(s.is_open(), s.code() < 3, "{s}");
        }
        assert_eq!(Status::from_code(99), None);
        assert_eq!(
            Route::labels(),
            [
                "当场办结",
                "限时办理",
                "上报转办",
                "立项解决",
                "引导依法解决"
            ]
        );
    }
}
