//! Pure types and rules of the register: cases, people, states and actions, validation and
//! masking. Nothing here knows about SQLite, terminals or PDF.

mod case;
mod evidence;
mod id_number;
mod labels;
mod lifecycle;
mod mask;
mod phone;
mod validate;

pub use case::{Case, CaseKey, Event, Extension, FollowUp, Person, Resolution};
pub use evidence::{Evidence, EvidenceKind};
pub use id_number::{Gender, IdNumber, IdNumberError};
pub use labels::{Level, Outcome, Route, Satisfaction, Status};
pub use lifecycle::{
    Action, ActionKind, CaseFacts, Refusal, Transition, allowed_actions, transition,
};
pub use mask::{mask_id, mask_name, mask_phone};
pub use phone::{Phone, PhoneError};
pub use validate::{
    FieldError, MAX_GROUP_SIZE, MAX_REPRESENTATIVES, NewCase, NewCaseInput, Printable, any_char,
    check_text, field_label, validate_new_case,
};
