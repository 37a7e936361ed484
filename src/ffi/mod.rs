//! The C boundary: every `extern` function of the library, kept thin. Each one
//! checks its pointers, converts C values to Rust ones (integers stay integers),
//! calls [`crate::host`], and turns the outcome into an `MI_Result`. No panic
//! crosses this boundary: `guard` catches it and returns `MI_RESULT_FAILED`.
//!
//! `include/mi.h` is generated from [`context`] (with [`crate::mi`]), and
//! `include/mi_psrp.h` from [`host`] and [`connection`].

pub mod connection;
pub mod context;
pub mod host;
pub mod module;

pub(crate) use crate::provider::{c_str, code, guard, guard_void, text};
