//! `MI_Context_WriteCimError` and `PostCimError` on the host side: an
//! ERROR_RECORD whose parts the provider layer took from a `CIM_Error`
//! instance (`psrp-host-calls.md` §5), sent as `WriteError` and `PostError`
//! send theirs (error action, held progress first, the ending).

use super::{Context, Ending, MiError, Outcome, State};
use crate::mi::MI_Result;
use crate::psrp::clixml::streams::write_error_clixml_with_target;
use crate::psrp::message::{MESSAGE_HEADER_LEN, UTF8_BOM};
use crate::psrp::streams::{ERROR_RECORD, ErrorCategory, ErrorRecord};

/// The parts of an error record made from a `CIM_Error` instance.
#[derive(Debug, Clone, Copy)]
pub struct CimErrorParts<'a> {
    /// The exception's message (UTF-16).
    pub message: &'a [u16],
    /// `FullyQualifiedErrorId` (UTF-16).
    pub error_id: &'a [u16],
    /// The category.
    pub category: ErrorCategory,
    /// `ErrorCategory_TargetName` (`ErrorSource`; empty for none).
    pub target_name: &'a [u16],
}

impl Context {
    fn cim_error_clixml(&self, e: &CimErrorParts<'_>) -> Result<Vec<u8>, MiError> {
        let mut clixml = Vec::new();
        let record = ErrorRecord {
            message: e.message,
            fully_qualified_error_id: e.error_id,
            category: e.category,
        };
        write_error_clixml_with_target(&record, e.target_name, &mut clixml)
            .map_err(|_| MiError::InvalidParameter("a string of the CIM_Error is not text"))?;
        let size = MESSAGE_HEADER_LEN + UTF8_BOM.len() + clixml.len();
        let max = self.pool.max_message_size() as usize;
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        Ok(clixml)
    }

    fn send_cim_error(&self, state: &mut State, clixml: &[u8]) -> Result<(), MiError> {
        let size = MESSAGE_HEADER_LEN + UTF8_BOM.len() + clixml.len();
        self.send_record(state, ERROR_RECORD, size, |out| {
            out.extend_from_slice(clixml);
            Ok(())
        })
    }

    /// `MI_Context_WriteCimError`: a non-terminating ERROR_RECORD, under the
    /// error action as [`Context::write_error`]: returns whether the
    /// provider should continue; nothing is sent when the client ignores
    /// errors. Errors as for `write_error`; nothing sent then.
    pub fn write_cim_error(&self, e: &CimErrorParts<'_>) -> Result<bool, MiError> {
        let mut guard = self.live_state()?;
        let state = &mut *guard;
        let clixml = self.cim_error_clixml(e)?;
        let action = self.error_action();
        if action == super::ErrorAction::Ignore {
            return Ok(true);
        }
        self.flush_pending(state)?;
        self.send_cim_error(state, &clixml)?;
        self.note_stop_error(|v| {
            v.extend_from_slice(&clixml);
            true
        });
        Ok(action != super::ErrorAction::Stop)
    }

    /// `MI_Context_PostCimError`: ends the operation with `result`, sending
    /// the ERROR_RECORD as [`Context::post_error`] sends its record. The
    /// outcome keeps `result`, result type `"MI"` and the message.
    pub fn post_cim_error(&self, result: MI_Result, e: &CimErrorParts<'_>) -> Result<(), MiError> {
        let clixml = {
            let _open = self.open_state()?;
            self.cim_error_clixml(e)?
        };
        let outcome = Outcome {
            ending: Ending::PostError,
            result,
            result_type: Some("MI".to_owned()),
            message: Some(String::from_utf16_lossy(e.message)),
        };
        self.end(outcome, |ctx, state| {
            ctx.send_cim_error(state, &clixml)?;
            ctx.note_stop_error(|v| {
                v.extend_from_slice(&clixml);
                true
            });
            Ok(())
        })
    }
}
