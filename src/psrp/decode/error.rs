//! [`DecodeError`]: why bytes are not a stream of records.

use std::fmt;

use crate::psrp::record::ValidationError;

/// Why bytes could not be decoded into records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer bytes than a header or a declared length needs.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes there.
        available: usize,
    },
    /// A fragment with ObjectId 0.
    ObjectIdZero,
    /// Flag bits other than Start and End.
    InvalidFlags(u8),
    /// A fragment with no data.
    EmptyFragment {
        /// Its message.
        object_id: u64,
        /// Its FragmentId.
        fragment_id: u64,
    },
    /// A FragmentId (or Start flag) out of sequence.
    FragmentOutOfSequence {
        /// The message.
        object_id: u64,
        /// The FragmentId expected.
        expected: u64,
        /// The FragmentId found.
        found: u64,
    },
    /// A fragment of another message before the current one ended.
    Interleaved {
        /// The message under way.
        expected: u64,
        /// The ObjectId found.
        found: u64,
    },
    /// A fragment header whose BlobLength would make its message longer than
    /// the decoder's maximum message size.
    MessageTooLarge {
        /// The message.
        object_id: u64,
        /// Bytes the message would have with this fragment.
        size: u64,
        /// The maximum.
        max: usize,
    },
    /// The stream ended in the middle of a message.
    UnterminatedMessage(u64),
    /// A message for the server where only the client's are asked for
    /// ([`decode_progress_message`](super::decode_progress_message)).
    NotForClient(u32),
    /// A Destination that is neither the client (1) nor the server (2).
    InvalidDestination(u32),
    /// Not the message type asked for
    /// ([`decode_progress_message`](super::decode_progress_message)).
    UnexpectedMessageType(u32),
    /// The data is not UTF-8.
    InvalidUtf8,
    /// The XML is not well-formed.
    Xml(String),
    /// A DOCTYPE, which PowerShell's reader prohibits.
    DoctypeNotAllowed,
    /// A start tag (named here) with the same attribute twice.
    DuplicateAttribute(String),
    /// Elements nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep(usize),
    /// An element where the record's structure has none.
    UnexpectedElement(String),
    /// A required property is missing.
    MissingProperty(&'static str),
    /// A property appears twice.
    DuplicateProperty(&'static str),
    /// A property has the wrong CLIXML type (`<I64>` where `<I32>` belongs, say).
    WrongPropertyType {
        /// The property.
        property: &'static str,
        /// The element found.
        found: String,
    },
    /// An `<I32>` whose text is not a 32-bit integer.
    InvalidInteger(String),
    /// A `<B>` whose text is not a boolean.
    InvalidBoolean(String),
    /// A `Type` value other than 0 (Processing) and 1 (Completed).
    InvalidRecordType(i32),
    /// An `ErrorCategory_Category` string that names no category.
    InvalidErrorCategory(String),
    /// The record breaks one of the rules a PowerShell client checks.
    InvalidRecord(ValidationError),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeError::*;
        match self {
            Truncated {
                what,
                needed,
                available,
            } => {
                write!(
                    f,
                    "truncated {what}: {needed} bytes needed, {available} there"
                )
            }
            ObjectIdZero => f.write_str("fragment with ObjectId 0"),
            InvalidFlags(b) => write!(f, "fragment flags {b:#04x} have unknown bits"),
            EmptyFragment {
                object_id,
                fragment_id,
            } => {
                write!(f, "fragment {fragment_id} of object {object_id} is empty")
            }
            FragmentOutOfSequence {
                object_id,
                expected,
                found,
            } => write!(
                f,
                "object {object_id}: fragment {found} where fragment {expected} (with the right Start flag) belongs"
            ),
            Interleaved { expected, found } => {
                write!(f, "object {found} began before object {expected} ended")
            }
            MessageTooLarge {
                object_id,
                size,
                max,
            } => write!(
                f,
                "object {object_id} would be {size} bytes, above the maximum message size of {max}"
            ),
            UnterminatedMessage(id) => write!(f, "stream ends inside object {id}"),
            NotForClient(d) => write!(f, "destination {d:#x} is not the client"),
            InvalidDestination(d) => {
                write!(f, "destination {d:#x} is neither the client nor the server")
            }
            UnexpectedMessageType(t) => {
                write!(f, "message type {t:#010x} is not a progress record")
            }
            InvalidUtf8 => f.write_str("message data is not UTF-8"),
            Xml(e) => write!(f, "malformed XML: {e}"),
            DoctypeNotAllowed => f.write_str("a DOCTYPE, which PowerShell prohibits"),
            DuplicateAttribute(e) => write!(f, "an attribute appears twice in <{e}>"),
            TooDeep(n) => write!(f, "elements nested more than {n} deep"),
            UnexpectedElement(e) => write!(f, "unexpected element <{e}>"),
            MissingProperty(p) => write!(f, "property {p} is missing"),
            DuplicateProperty(p) => write!(f, "property {p} appears twice"),
            WrongPropertyType { property, found } => {
                write!(
                    f,
                    "property {property} is <{found}>, not the type it must be"
                )
            }
            InvalidInteger(t) => write!(f, "{t:?} is not a 32-bit integer"),
            InvalidBoolean(t) => write!(f, "{t:?} is not a boolean"),
            InvalidRecordType(v) => {
                write!(f, "record type {v} is neither Processing nor Completed")
            }
            InvalidErrorCategory(t) => write!(f, "{t:?} is not an error category"),
            InvalidRecord(e) => write!(f, "invalid progress record: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl From<quick_xml::Error> for DecodeError {
    fn from(e: quick_xml::Error) -> Self {
        DecodeError::Xml(e.to_string())
    }
}
