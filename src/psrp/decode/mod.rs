//! Decoding: fragment streams → messages → records, accepting what a
//! PowerShell client accepts and rejecting the rest with a [`DecodeError`].
//!
//! | part | module |
//! |---|---|
//! | the stream, as it arrives, with its limits | [`stream`] |
//! | CLIXML documents, with PowerShell's reader rules | `xml` |
//! | progress records | `progress` |
//! | warning/verbose/debug and error records | `records` |
//! | state messages, host calls, message type names | `session` |
//! | any other CLIXML value, read generically | `value` |

mod error;
mod object;
mod progress;
mod records;
mod session;
pub mod stream;
mod value;
mod xml;

pub use error::DecodeError;
pub use progress::decode_progress_clixml;
pub use records::{DecodedErrorRecord, decode_error_clixml, decode_informational_clixml};
pub use session::{
    DecodedHostCall, DecodedState, INFORMATION_RECORD, MESSAGE_TYPES, PIPELINE_HOST_CALL,
    PIPELINE_INPUT, PIPELINE_STATE, RUNSPACEPOOL_HOST_CALL, RUNSPACEPOOL_STATE, WRITE_PROGRESS,
    host_method_name, message_type_name, pipeline_state_name, runspace_pool_state_name,
};
pub use stream::{StreamDecoder, decode_stream};
pub use value::{ClixmlObject, ClixmlValue};
pub use xml::MAX_DEPTH;
/// The CLIXML tree reader, for the `cli` feature's reader of output objects
/// and `serve`'s reader of client messages.
pub(crate) use xml::{Element as XmlElement, parse as parse_xml};

use super::message::{
    DESTINATION_CLIENT, DESTINATION_SERVER, MESSAGE_HEADER_LEN, MessageHeader, PIPELINE_OUTPUT,
    PROGRESS_RECORD, UTF8_BOM,
};
use super::record::DecodedProgressRecord;
use super::streams::{ERROR_RECORD, InformationalKind, InformationalRecord};
use super::text::PsString;

/// A decoded message: a record of a kind the decoder knows field by field,
/// a state or a host call, or any other message as a generic value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodedRecord {
    /// A `PROGRESS_RECORD` message.
    Progress(DecodedProgressRecord),
    /// A `WARNING_RECORD`, `VERBOSE_RECORD` or `DEBUG_RECORD` message.
    Informational(InformationalRecord<PsString>),
    /// An `ERROR_RECORD` message.
    Error(DecodedErrorRecord),
    /// An `INFORMATION_RECORD` message, as a generic object.
    Information(ClixmlValue),
    /// A `PIPELINE_OUTPUT` or `PIPELINE_INPUT` message: its object (`None`
    /// for no data, which a PowerShell peer reads as `$null`).
    Object(Option<ClixmlValue>),
    /// A `RUNSPACEPOOL_STATE` or `PIPELINE_STATE` message.
    State(DecodedState),
    /// A `RUNSPACEPOOL_HOST_CALL` or `PIPELINE_HOST_CALL` message.
    HostCall(DecodedHostCall),
    /// Any other message type of MS-PSRP: its data as a generic value
    /// (`None` for no data).
    Other(Option<ClixmlValue>),
    /// A message type MS-PSRP does not define: its data is not read.
    Unknown,
}

impl DecodedRecord {
    /// The progress record, if this is one (a PROGRESS_RECORD message, or a
    /// `WriteProgress` host call).
    pub fn progress(&self) -> Option<&DecodedProgressRecord> {
        match self {
            DecodedRecord::Progress(r) => Some(r),
            DecodedRecord::HostCall(DecodedHostCall {
                progress: Some((_, r)),
                ..
            }) => Some(r),
            _ => None,
        }
    }

    /// The progress record, if this is one, by value.
    pub fn into_progress(self) -> Option<DecodedProgressRecord> {
        match self {
            DecodedRecord::Progress(r) => Some(r),
            DecodedRecord::HostCall(DecodedHostCall {
                progress: Some((_, r)),
                ..
            }) => Some(r),
            _ => None,
        }
    }

    /// A short name for the record kinds: `progress`, `warning`, `verbose`,
    /// `debug`, `error`, `information`; `object`, `state`, `host_call`,
    /// `other`, `unknown` for the rest ([`DecodedMessage::kind_name`] names
    /// every message by its type).
    pub fn kind_name(&self) -> &'static str {
        match self {
            DecodedRecord::Progress(_) => "progress",
            DecodedRecord::Informational(r) => match r.kind {
                InformationalKind::Warning => "warning",
                InformationalKind::Verbose => "verbose",
                InformationalKind::Debug => "debug",
            },
            DecodedRecord::Error(_) => "error",
            DecodedRecord::Information(_) => "information",
            DecodedRecord::Object(_) => "object",
            DecodedRecord::State(_) => "state",
            DecodedRecord::HostCall(_) => "host_call",
            DecodedRecord::Other(_) => "other",
            DecodedRecord::Unknown => "unknown",
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
    /// The progress record, if the message holds one (a PROGRESS_RECORD, or
    /// a `WriteProgress` host call).
    pub fn progress(&self) -> Option<&DecodedProgressRecord> {
        self.record.progress()
    }

    /// The message's kind: its type's name in [`MESSAGE_TYPES`] (`progress`,
    /// `warning`, `pipeline_state`, `session_capability` …), `unknown` for a
    /// type MS-PSRP does not define.
    pub fn kind_name(&self) -> &'static str {
        message_type_name(self.header.message_type).unwrap_or("unknown")
    }
}

/// Checks a message header as soon as its 40 bytes are there: its
/// Destination must be the client (1) or the server (2). Every message type
/// is accepted (an unknown one is decoded as [`DecodedRecord::Unknown`]).
pub fn check_message_header(header: &MessageHeader) -> Result<(), DecodeError> {
    match header.destination {
        DESTINATION_CLIENT | DESTINATION_SERVER => Ok(()),
        d => Err(DecodeError::InvalidDestination(d)),
    }
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

/// A message's data as a document, if it has any (a BOM alone is none).
fn document(data: &[u8]) -> Result<Option<XmlElement>, DecodeError> {
    let data = data.strip_prefix(&UTF8_BOM).unwrap_or(data);
    if data
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        return Ok(None);
    }
    let text = std::str::from_utf8(data).map_err(|_| DecodeError::InvalidUtf8)?;
    parse_xml(text).map(Some)
}

/// A message's data as a generic value, if it has any.
fn generic(data: &[u8]) -> Result<Option<ClixmlValue>, DecodeError> {
    document(data)?.as_ref().map(value::read_value).transpose()
}

/// A message's data as a document whose root is `<Obj>`.
fn object_document(data: &[u8]) -> Result<XmlElement, DecodeError> {
    records::root_object(data)
}

/// Decodes a whole message (header and data), of any type.
pub fn decode_message(message: &[u8]) -> Result<(MessageHeader, DecodedRecord), DecodeError> {
    let (header, data) = split_header(message)?;
    let t = header.message_type;
    let record = if t == PROGRESS_RECORD {
        DecodedRecord::Progress(decode_progress_clixml(data)?)
    } else if t == ERROR_RECORD {
        DecodedRecord::Error(decode_error_clixml(data)?)
    } else if let Some(kind) = InformationalKind::from_message_type(t) {
        DecodedRecord::Informational(decode_informational_clixml(kind, data)?)
    } else if t == INFORMATION_RECORD {
        let root = object_document(data)?;
        DecodedRecord::Information(value::read_value(&root)?)
    } else if t == PIPELINE_OUTPUT || t == PIPELINE_INPUT {
        DecodedRecord::Object(generic(data)?)
    } else if t == RUNSPACEPOOL_STATE || t == PIPELINE_STATE {
        let root = object_document(data)?;
        DecodedRecord::State(session::state_from(&root, t == PIPELINE_STATE)?)
    } else if t == RUNSPACEPOOL_HOST_CALL || t == PIPELINE_HOST_CALL {
        DecodedRecord::HostCall(session::host_call_from(&object_document(data)?)?)
    } else if message_type_name(t).is_some() {
        DecodedRecord::Other(generic(data)?)
    } else {
        DecodedRecord::Unknown
    };
    Ok((header, record))
}

/// Decodes a whole message (header and data) holding a progress record; any
/// other message type is [`DecodeError::UnexpectedMessageType`], and a
/// message not for the client [`DecodeError::NotForClient`].
pub fn decode_progress_message(
    message: &[u8],
) -> Result<(MessageHeader, DecodedProgressRecord), DecodeError> {
    let (header, data) = split_header(message)?;
    if header.destination != DESTINATION_CLIENT {
        return Err(DecodeError::NotForClient(header.destination));
    }
    if header.message_type != PROGRESS_RECORD {
        return Err(DecodeError::UnexpectedMessageType(header.message_type));
    }
    Ok((header, decode_progress_clixml(data)?))
}
