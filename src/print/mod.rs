//! Paper: a fully loaded case (or a list of cases) in, PDF bytes out. The receipt slip (受理回执),
//! the 民事办理书 and the 民声登记簿, drawn with the three embedded faces. Nothing here reads the
//! database or decides where the bytes go.

pub mod fonts;
pub mod layout;

mod error;
mod form;
mod format;
mod image;
mod pdf;
mod register;
mod slip;

pub use crate::domain::missing_evidence;
pub use error::PrintError;
pub use fonts::{Unprintable, body_prints, check_coverage};
pub use form::{AnnexImage, DRAFT_NUMBER, FormInput, ImageFormat, form_pdf};
pub use register::register_pdf;
pub use slip::{SUPERSEDES, SlipLayout, qr_payload, slip_pdf, slip_pdf_superseding};
