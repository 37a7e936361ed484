//! Decoding: fragment streams → messages → records, accepting what a
//! PowerShell client accepts and rejecting the rest with a [`DecodeError`].
//!
//! | part | module |
//! |---|---|
//! | the stream, as it arrives, with its limits | [`stream`] |
//! | CLIXML documents, with PowerShell's reader rules | `xml` |
//! | progress records | `progress` |
//! | warning/verbose/debug and error records | `records` |

mod error;
mod object;
mod progress;
mod records;
pub mod stream;
mod xml;

pub use error::DecodeError;
pub use progress::decode_progress_clixml;
pub use records::{DecodedErrorRecord, decode_error_clixml, decode_informational_clixml};
pub use stream::{StreamDecoder, decode_stream};
pub use xml::MAX_DEPTH;
/// The CLIXML tree reader, for the `cli` feature's reader of output objects
/// and `serve`'s reader of client messages.
pub(crate) use xml::{Element as XmlElement, parse as parse_xml};

use super::message::{DESTINATION_CLIENT, MESSAGE_HEADER_LEN, MessageHeader, PROGRESS_RECORD};
use super::record::DecodedProgressRecord;
use super::streams::{ERROR_RECORD, InformationalKind, InformationalRecord};
use super::text::PsString;

/// A decoded record of any kind the decoder knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodedRecord {
    /// A `PROGRESS_RECORD` message.
    Progress(DecodedProgressRecord),
    /// A `WARNING_RECORD`, `VERBOSE_RECORD` or `DEBUG_RECORD` message.
    Informational(InformationalRecord<PsString>),
    /// An `ERROR_RECORD` message.
    Error(DecodedErrorRecord),
}

impl DecodedRecord {
    /// The progress record, if this is one.
    pub fn progress(&self) -> Option<&DecodedProgressRecord> {
        match self {
            DecodedRecord::Progress(r) => Some(r),
            _ => None,
        }
    }

    /// The progress record, if this is one, by value.
    pub fn into_progress(self) -> Option<DecodedProgressRecord> {
        match self {
            DecodedRecord::Progress(r) => Some(r),
            _ => None,
        }
    }

    /// A short name for the kind: `progress`, `warning`, `verbose`, `debug`, `error`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            DecodedRecord::Progress(_) => "progress",
            DecodedRecord::Informational(r) => match r.kind {
                InformationalKind::Warning => "warning",
                InformationalKind::Verbose => "verbose",
                InformationalKind::Debug => "debug",
            },
            DecodedRecord::Error(_) => "error",
        }
    }
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    /// The fragments' ObjectId.
    pub object_id: u64,
    /// The message header.
    pub header: MessageHeader,
    /// The record.
    pub record: DecodedRecord,
}

impl DecodedMessage {
    /// The progress record, if the message holds one.
    pub fn progress(&self) -> Option<&DecodedProgressRecord> {
        self.record.progress()
    }
}

/// Whether the decoder knows records of `message_type`.
fn known_message_type(message_type: u32) -> bool {
    message_type == PROGRESS_RECORD
        || message_type == ERROR_RECORD
        || InformationalKind::from_message_type(message_type).is_some()
}

/// Checks a message header as soon as its 40 bytes are there: for the client,
/// and a record type the decoder knows.
pub fn check_message_header(header: &MessageHeader) -> Result<(), DecodeError> {
    if header.destination & DESTINATION_CLIENT == 0 {
        return Err(DecodeError::NotForClient(header.destination));
    }
    if !known_message_type(header.message_type) {
        return Err(DecodeError::UnexpectedMessageType(header.message_type));
    }
    Ok(())
}

fn split_header(message: &[u8]) -> Result<(MessageHeader, &[u8]), DecodeError> {
    let Some((head, data)) = message.split_first_chunk::<MESSAGE_HEADER_LEN>() else {
        return Err(DecodeError::Truncated {
            what: "message header",
            needed: MESSAGE_HEADER_LEN,
            available: message.len(),
        });
    };
    let header = MessageHeader::from_bytes(head);
    check_message_header(&header)?;
    Ok((header, data))
}

/// Decodes a whole message (header and data) holding any record the decoder knows.
pub fn decode_message(message: &[u8]) -> Result<(MessageHeader, DecodedRecord), DecodeError> {
    let (header, data) = split_header(message)?;
    let record = if header.message_type == PROGRESS_RECORD {
        DecodedRecord::Progress(decode_progress_clixml(data)?)
    } else if header.message_type == ERROR_RECORD {
        DecodedRecord::Error(decode_error_clixml(data)?)
    } else {
        let kind = InformationalKind::from_message_type(header.message_type)
            .ok_or(DecodeError::UnexpectedMessageType(header.message_type))?;
        DecodedRecord::Informational(decode_informational_clixml(kind, data)?)
    };
    Ok((header, record))
}

/// Decodes a whole message (header and data) holding a progress record; any
/// other record type is [`DecodeError::UnexpectedMessageType`].
pub fn decode_progress_message(
    message: &[u8],
) -> Result<(MessageHeader, DecodedProgressRecord), DecodeError> {
    let (header, data) = split_header(message)?;
    if header.message_type != PROGRESS_RECORD {
        return Err(DecodeError::UnexpectedMessageType(header.message_type));
    }
    Ok((header, decode_progress_clixml(data)?))
}
