//! The wire format: a progress record → CLIXML → PSRP message → fragments, and
//! back. Pure Rust, no raw pointers, no I/O: everything here works on slices
//! and `Vec<u8>` buffers the caller owns, so a host can reuse them.
//!
//! | layer | module |
//! |---|---|
//! | progress record and its rules | [`record`] |
//! | warning/verbose/debug and error records | [`streams`] |
//! | CIM output: instances, method results (PIPELINE_OUTPUT) | [`cim`] |
//! | string encoding (`_xHHHH_`, XML escaping) | [`text`] |
//! | CLIXML writer | [`clixml`] |
//! | message header, GUID byte order | [`message`], [`guid`] |
//! | fragments | [`fragment`] |
//! | decoder | [`decode`] |

pub mod cim;
pub mod clixml;
pub mod decode;
pub mod fragment;
pub mod guid;
pub mod message;
pub mod record;
pub mod streams;
pub mod text;

pub use decode::{
    ClixmlObject, ClixmlValue, DecodeError, DecodedErrorRecord, DecodedHostCall, DecodedMessage,
    DecodedRecord, DecodedState, StreamDecoder, check_message_header, decode_error_clixml,
    decode_informational_clixml, decode_message, decode_progress_clixml, decode_progress_message,
    decode_stream,
};
pub use fragment::{
    DEFAULT_FRAGMENT_SIZE, DEFAULT_MAX_MESSAGE_SIZE, Defragmenter, FRAGMENT_HEADER_LEN,
    FragmentHeader, MIN_FRAGMENT_SIZE, fragment_message, split_fragments,
};
pub use guid::{Guid, GuidParseError, GuidText};
pub use message::{
    EncodeError, MESSAGE_HEADER_LEN, MessageHeader, PROGRESS_RECORD, encode_progress_message,
};
pub use record::{DecodedProgressRecord, ProgressRecord, ProgressRecordType, ValidationError};
pub use streams::{
    DEBUG_RECORD, ERROR_RECORD, ErrorCategory, ErrorRecord, InformationalKind, InformationalRecord,
    VERBOSE_RECORD, WARNING_RECORD,
};
pub use text::{
    CodeUnit, InvalidCodePoint, PreEncoded, PsString, PsText, SourceText, Utf8Text, Wtf8Text,
};
