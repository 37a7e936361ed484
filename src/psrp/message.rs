//! The PSRP message: a 40-byte header (destination, type, runspace pool id,
//! pipeline id) followed by the data, here a UTF-8 BOM and CLIXML.

use super::clixml::{FieldError, TextSpans, write_progress_clixml};
use super::guid::Guid;
use super::record::{ProgressRecord, ValidationError};
use super::text::PsText;

/// Bytes in a message header.
pub const MESSAGE_HEADER_LEN: usize = 40;
/// The UTF-8 byte-order mark PowerShell puts before the CLIXML.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// `Destination` value for messages to the client.
pub const DESTINATION_CLIENT: u32 = 0x0000_0001;
/// `Destination` value for messages to the server.
pub const DESTINATION_SERVER: u32 = 0x0000_0002;

/// `MessageType` of a `PROGRESS_RECORD` message.
pub const PROGRESS_RECORD: u32 = 0x0004_1010;
/// PIPELINE_OUTPUT: one object a pipeline outputs (`psrp-cim-output.md` §2).
pub const PIPELINE_OUTPUT: u32 = 0x0004_1004;

/// A message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageHeader {
    /// Who the message is for (`DESTINATION_CLIENT` for progress).
    pub destination: u32,
    /// What the message is (`PROGRESS_RECORD`).
    pub message_type: u32,
    /// The runspace pool id.
    pub runspace_pool_id: Guid,
    /// The pipeline id (all zero for a runspace-pool message).
    pub pipeline_id: Guid,
}

impl MessageHeader {
    /// The header of a progress record sent to the client.
    pub fn progress(runspace_pool_id: Guid, pipeline_id: Guid) -> Self {
        MessageHeader {
            destination: DESTINATION_CLIENT,
            message_type: PROGRESS_RECORD,
            runspace_pool_id,
            pipeline_id,
        }
    }

    /// The 40 bytes: destination and type little-endian, the GUIDs in .NET order.
    pub fn to_bytes(&self) -> [u8; MESSAGE_HEADER_LEN] {
        let mut b = [0u8; MESSAGE_HEADER_LEN];
        b[0..4].copy_from_slice(&self.destination.to_le_bytes());
        b[4..8].copy_from_slice(&self.message_type.to_le_bytes());
        b[8..24].copy_from_slice(&self.runspace_pool_id.to_bytes_le());
        b[24..40].copy_from_slice(&self.pipeline_id.to_bytes_le());
        b
    }

    /// Reads a header from the first 40 bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8; MESSAGE_HEADER_LEN]) -> Self {
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let guid_at = |i: usize| {
            let mut g = [0u8; 16];
            g.copy_from_slice(&bytes[i..i + 16]);
            Guid::from_bytes_le(g)
        };
        MessageHeader {
            destination: u32_at(0),
            message_type: u32_at(4),
            runspace_pool_id: guid_at(8),
            pipeline_id: guid_at(24),
        }
    }
}

/// Why a record could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    /// The record breaks one of PowerShell's rules.
    Invalid(ValidationError),
    /// A string holds a value that is not a code point.
    Text(FieldError),
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodeError::Invalid(e) => write!(f, "invalid progress record: {e}"),
            EncodeError::Text(e) => write!(f, "unencodable text: {e}"),
        }
    }
}

impl std::error::Error for EncodeError {}

impl From<ValidationError> for EncodeError {
    fn from(e: ValidationError) -> Self {
        EncodeError::Invalid(e)
    }
}

impl From<FieldError> for EncodeError {
    fn from(e: FieldError) -> Self {
        EncodeError::Text(e)
    }
}

/// Validates `record` and appends the whole `PROGRESS_RECORD` message (header,
/// BOM, CLIXML) to `out`. On error `out` is left as it was.
pub fn encode_progress_message<S: PsText>(
    header: &MessageHeader,
    record: &ProgressRecord<S>,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    encode_progress_message_with(&header.to_bytes(), record, out).map(drop)
}

/// [`encode_progress_message`] with the header already in its 40 bytes, for a
/// sender that writes many messages with one header. Returns where the
/// Activity and StatusDescription text landed in `out`.
pub fn encode_progress_message_with<S: PsText>(
    header: &[u8; MESSAGE_HEADER_LEN],
    record: &ProgressRecord<S>,
    out: &mut Vec<u8>,
) -> Result<TextSpans, EncodeError> {
    record.validate()?;
    let start = out.len();
    out.extend_from_slice(header);
    out.extend_from_slice(&UTF8_BOM);
    write_progress_clixml(record, out).map_err(|e| {
        out.truncate(start);
        EncodeError::Text(e)
    })
}
