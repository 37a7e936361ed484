//! `MI_Context_WriteMessage` (warning, verbose and debug records),
//! `MI_Context_WriteError` and `MI_Context_PostError` (error records), and the
//! host's settings for them: which channels the client wants, and what it
//! does on an error (its ErrorAction).

use std::sync::atomic::Ordering;

use super::{Context, Ending, MiError, NOT_A_CODE_POINT, Outcome, State};
use crate::host::error_id::ErrorId;
use crate::host::text::ProviderText;
use crate::psrp::clixml::streams::{
    error_clixml_len, informational_clixml_len, write_error_clixml, write_informational_clixml,
};
use crate::psrp::message::{MESSAGE_HEADER_LEN, UTF8_BOM};
use crate::psrp::streams::{ERROR_RECORD, ErrorRecord, InformationalKind, InformationalRecord};
use crate::psrp::text::SourceText;

/// Every `WriteMessage` channel wanted: bits 0 (warning), 1 (verbose), 2 (debug).
pub(super) const ALL_CHANNELS: u8 = 0b111;

/// Bytes of a message besides its CLIXML.
const ENVELOPE: usize = MESSAGE_HEADER_LEN + UTF8_BOM.len();

/// What the client does when the provider writes an error: its
/// `ErrorActionPreference` for the pipeline, as the host learned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorAction {
    /// `Continue` (the default): the error record is sent and the provider
    /// is told to continue (`*flag` = `MI_TRUE`).
    Continue = 0,
    /// `Stop`: the error record is sent and the provider is told to stop
    /// (`*flag` = `MI_FALSE`).
    Stop = 1,
    /// `SilentlyContinue` or `Ignore`: nothing is sent and the provider is
    /// told to continue.
    Ignore = 2,
}

impl ErrorAction {
    /// The action of a number (`MIPSRP_ERROR_ACTION_*`); `None` for another.
    pub fn from_u32(v: u32) -> Option<ErrorAction> {
        match v {
            0 => Some(ErrorAction::Continue),
            1 => Some(ErrorAction::Stop),
            2 => Some(ErrorAction::Ignore),
            _ => None,
        }
    }
}

/// A provider's error, checked and measured, ready to be written.
struct CheckedError<'a> {
    record: ErrorRecord<ProviderText<'a>, ErrorId<'a>>,
    size: usize,
}

impl Context {
    /// Whether the client wants `WriteMessage` channel `channel` (its
    /// `-Verbose`, `-Debug`, `WarningAction`). Default: every channel. A
    /// channel not wanted is validated, answered `OK` and not sent. An
    /// unknown channel → [`MiError::InvalidParameter`].
    pub fn set_message_requested(&self, channel: u32, requested: bool) -> Result<(), MiError> {
        let kind = InformationalKind::from_channel(channel)
            .ok_or(MiError::InvalidParameter("unknown WriteMessage channel"))?;
        let bit = 1u8 << kind.channel();
        if requested {
            self.channels.fetch_or(bit, Ordering::AcqRel);
        } else {
            self.channels.fetch_and(!bit, Ordering::AcqRel);
        }
        Ok(())
    }

    /// What the client does on an error (default [`ErrorAction::Continue`]).
    pub fn set_error_action(&self, action: ErrorAction) {
        self.error_action.store(action as u8, Ordering::Release);
    }

    pub(super) fn error_action(&self) -> ErrorAction {
        ErrorAction::from_u32(u32::from(self.error_action.load(Ordering::Acquire)))
            .unwrap_or(ErrorAction::Continue)
    }

    /// `MI_Context_WriteMessage`: a WARNING_RECORD (channel 0), VERBOSE_RECORD
    /// (1) or DEBUG_RECORD (2) whose message is `message` (may be empty).
    ///
    /// Another channel, a `None` message or a string holding a value above
    /// 0x10FFFF → [`MiError::InvalidParameter`]; over the pool's maximum
    /// message size → [`MiError::LimitsExceeded`]; an ended context or a call
    /// from inside the pool's sink → [`MiError::Failed`]. Nothing is sent then.
    /// A channel the client does not want is validated and not sent. A held
    /// progress record of the context is sent first.
    pub fn write_message(
        &self,
        channel: u32,
        message: Option<ProviderText<'_>>,
    ) -> Result<(), MiError> {
        let mut guard = self.live_state()?;
        let state = &mut *guard;
        let kind = InformationalKind::from_channel(channel)
            .ok_or(MiError::InvalidParameter("unknown WriteMessage channel"))?;
        let message = message.ok_or(MiError::InvalidParameter("message must not be NULL"))?;
        message.check().map_err(|_| NOT_A_CODE_POINT)?;
        let size = self.measure(
            ENVELOPE + informational_clixml_len(kind, message.max_encoded_len()),
            || {
                let len = message.encoded_len().map_err(|_| NOT_A_CODE_POINT)?;
                Ok(ENVELOPE + informational_clixml_len(kind, len))
            },
        )?;
        if self.channels.load(Ordering::Acquire) & (1 << kind.channel()) == 0 {
            return Ok(());
        }
        self.flush_pending(state)?;
        let record = InformationalRecord { kind, message };
        self.send_record(state, kind.message_type(), size, |out| {
            write_informational_clixml(&record, out)
        })
    }

    /// `MI_Context_WriteError`: a non-terminating ERROR_RECORD for the error
    /// `result_code` of type `result_type` (`None`: `"MI"`) with
    /// `error_message` (`None`: empty); see [`crate::host::error_id`] for its
    /// id and category. Returns whether the provider should continue: `false`
    /// when the client stops on errors ([`ErrorAction::Stop`]). When it
    /// ignores them nothing is sent and the answer is `true`.
    ///
    /// A string holding a value above 0x10FFFF → [`MiError::InvalidParameter`];
    /// over the maximum message size → [`MiError::LimitsExceeded`]; ended or
    /// inside the sink → [`MiError::Failed`]; nothing sent then.
    pub fn write_error(
        &self,
        result_code: u32,
        result_type: Option<ProviderText<'_>>,
        error_message: Option<ProviderText<'_>>,
    ) -> Result<bool, MiError> {
        let mut guard = self.live_state()?;
        let state = &mut *guard;
        let error = self.check_error(result_code, result_type, error_message)?;
        let action = self.error_action();
        if action == ErrorAction::Ignore {
            return Ok(true);
        }
        self.flush_pending(state)?;
        self.send_error(state, &error)?;
        self.note_stop_error(|v| write_error_clixml(&error.record, v).is_ok());
        Ok(action != ErrorAction::Stop)
    }

    /// `MI_Context_PostError`: ends the operation with an error, like
    /// [`Context::post_result`]: the held progress record, then the
    /// ERROR_RECORD (as [`Context::write_error`] builds it; sent whatever the
    /// error action, since it is the operation's result), then the Completed
    /// record. The outcome keeps the code, type and message.
    ///
    /// Bad strings → [`MiError::InvalidParameter`], too large →
    /// [`MiError::LimitsExceeded`]: nothing sent and the operation goes on.
    /// Ended or inside the sink → [`MiError::Failed`].
    pub fn post_error(
        &self,
        result_code: u32,
        result_type: Option<ProviderText<'_>>,
        error_message: Option<ProviderText<'_>>,
    ) -> Result<(), MiError> {
        let error = {
            // Not `live_state`: a context whose transport is gone still ends.
            let _open = self.open_state()?;
            self.check_error(result_code, result_type, error_message)?
        };
        // The outcome's copies of the strings, made without aborting when
        // memory runs out.
        let lossy = |t: Option<ProviderText<'_>>, default: &str| {
            t.map_or_else(|| Ok(default.to_owned()), |t| t.try_to_string_lossy())
                .map_err(|_| MiError::LimitsExceeded {
                    size: error.size,
                    max: self.pool.max_message_size() as usize,
                })
        };
        let outcome = Outcome {
            ending: Ending::PostError,
            result: result_code,
            result_type: Some(lossy(result_type, "MI")?),
            message: Some(lossy(error_message, "")?),
        };
        self.end(outcome, |ctx, state| {
            ctx.send_error(state, &error)?;
            ctx.note_stop_error(|v| write_error_clixml(&error.record, v).is_ok());
            Ok(())
        })
    }

    fn check_error<'a>(
        &self,
        result_code: u32,
        result_type: Option<ProviderText<'a>>,
        error_message: Option<ProviderText<'a>>,
    ) -> Result<CheckedError<'a>, MiError> {
        for text in [result_type, error_message].iter().flatten() {
            text.check().map_err(|_| NOT_A_CODE_POINT)?;
        }
        let id = ErrorId::new(result_code, result_type);
        let message = error_message.unwrap_or(ProviderText::utf8(b""));
        let category = id.category();
        let size = self.measure(
            ENVELOPE + error_clixml_len(category, message.max_encoded_len(), id.max_encoded_len()),
            || {
                let message = message.encoded_len().map_err(|_| NOT_A_CODE_POINT)?;
                let id = id.encoded_len().map_err(|_| NOT_A_CODE_POINT)?;
                Ok(ENVELOPE + error_clixml_len(category, message, id))
            },
        )?;
        Ok(CheckedError {
            record: ErrorRecord {
                message,
                fully_qualified_error_id: id,
                category,
            },
            size,
        })
    }

    fn send_error(&self, state: &mut State, error: &CheckedError<'_>) -> Result<(), MiError> {
        self.send_record(state, ERROR_RECORD, error.size, |out| {
            write_error_clixml(&error.record, out)
        })
    }
}
