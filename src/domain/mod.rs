//! Pure types and rules of the register: cases, people, states and actions, validation and
//! masking. Nothing here knows about SQLite, terminals or PDF.

#[macro_use]
mod labels;
mod account;
mod case;
mod correct;
mod event;
mod evidence;
mod field;
mod id_number;
mod lifecycle;
mod mask;
mod phone;
pub mod records;
pub mod stats;
mod validate;

pub use account::{
    Account, Center, Op, Role, Session, authorize, authorize_case, authorize_notebook, check_login,
    check_password,
};
pub use case::{Case, CaseKey, Event, Extension, FollowUp, Person, Resolution};
pub use correct::{CORRECTABLE, CorrectionError, correction_effects, correction_field, input_of};
pub use event::{Effects, EventKind, action_label, describe};
pub use evidence::{Evidence, EvidenceKind, missing_evidence};
pub use field::Field;
pub use id_number::{Gender, IdNumber, IdNumberError};
pub use labels::{FOLLOW_UP_WAYS, Level, Outcome, Route, Satisfaction, Status};
pub use lifecycle::{
    Action, ActionKind, CaseFacts, Planned, Refusal, Transition, allowed_actions, availability,
    case_columns, effects, registration, texts, transition,
};
pub use mask::{mask_id, mask_name, mask_phone};
pub use phone::{Phone, PhoneError};
pub use validate::{
    Answer, FieldError, MAX_GROUP_SIZE, MAX_REPRESENTATIVES, NewCase, NewCaseInput, Printable,
    any_char, check_text, validate_new_case,
};
