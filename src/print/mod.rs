//! Paper: a fully loaded case (or a list of cases, or a table of figures) in, PDF bytes out. The
//! receipt slip (受理回执), the 民事办理书 and the 民声登记簿; and the paper of supervision: the
//! 月度统计报表, the deadline board for the wall, the 督办通知单. Drawn with the three embedded
//! faces. Nothing here reads the database or decides where the bytes go.

pub mod fonts;
pub mod layout;

mod board;
mod chart;
mod error;
mod form;
mod format;
mod image;
mod monthly;
mod pdf;
mod register;
mod slip;
mod urge;

pub use crate::domain::missing_evidence;
pub use board::{BoardInput, board_pdf};
pub use error::PrintError;
pub use fonts::{Unprintable, check_coverage};
pub use form::{AnnexImage, DRAFT_NUMBER, FormInput, ImageFormat, form_pdf};
pub use monthly::{MonthlyInput, OverdueUnit, UNITS_LISTED, monthly_pdf};
pub use register::register_pdf;
pub use slip::{SUPERSEDES, SlipLayout, qr_payload, slip_pdf, slip_pdf_superseding};
pub use urge::{UrgeInput, UrgedCase, urge_pdf};
