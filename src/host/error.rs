//! The host API's error type and its `MI_Result` codes.

use std::fmt;

use crate::mi::{
    MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_SUPPORTED,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result,
};

/// Why a host or context call did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiError {
    /// An argument is NULL, empty or out of range (`MI_RESULT_INVALID_PARAMETER`).
    InvalidParameter(&'static str),
    /// The call cannot be made now: the context has ended, or the call came from
    /// inside the pool's sink (`MI_RESULT_FAILED`).
    Failed(&'static str),
    /// mi-psrp does not implement this (`MI_RESULT_NOT_SUPPORTED`).
    NotSupported,
    /// The encoded message would be larger than the pool allows
    /// (`MI_RESULT_SERVER_LIMITS_EXCEEDED`).
    LimitsExceeded {
        /// Bytes the message needs.
        size: usize,
        /// The pool's maximum.
        max: usize,
    },
    /// Another `MI_Result` (`MI_RESULT_NO_SUCH_PROPERTY`, `MI_RESULT_TYPE_MISMATCH`,
    /// `MI_RESULT_NOT_FOUND`, …), with the reason.
    Code(MI_Result, &'static str),
}

impl MiError {
    /// The `MI_Result` a C caller receives.
    pub fn code(&self) -> MI_Result {
        match self {
            MiError::InvalidParameter(_) => MI_RESULT_INVALID_PARAMETER,
            MiError::Failed(_) => MI_RESULT_FAILED,
            MiError::NotSupported => MI_RESULT_NOT_SUPPORTED,
            MiError::LimitsExceeded { .. } => MI_RESULT_SERVER_LIMITS_EXCEEDED,
            MiError::Code(code, _) => *code,
        }
    }
}

impl fmt::Display for MiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MiError::InvalidParameter(why) => write!(f, "invalid parameter: {why}"),
            MiError::Failed(why) => write!(f, "failed: {why}"),
            MiError::NotSupported => f.write_str("not supported"),
            MiError::LimitsExceeded { size, max } => {
                write!(f, "message of {size} bytes exceeds the maximum of {max}")
            }
            MiError::Code(code, why) => {
                write!(f, "MI_Result {code}: {why}")
            }
        }
    }
}

impl std::error::Error for MiError {}
