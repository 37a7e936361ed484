//! Decoding: fragment streams → messages → progress records, accepting what a
//! PowerShell client accepts and rejecting the rest with a [`DecodeError`].

use std::collections::HashMap;
use std::fmt;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::fragment::{Defragmenter, take_fragment};
use super::message::{
    DESTINATION_CLIENT, MESSAGE_HEADER_LEN, MessageHeader, PROGRESS_RECORD, UTF8_BOM,
};
use super::record::{DecodedProgressRecord, ProgressRecord, ProgressRecordType, ValidationError};
use super::text::{PsString, decode_escapes};

/// Why bytes could not be decoded into progress records.
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
    /// The stream ended in the middle of a message.
    UnterminatedMessage(u64),
    /// The Destination lacks the client bit.
    NotForClient(u32),
    /// Not a `PROGRESS_RECORD` message.
    UnexpectedMessageType(u32),
    /// The data is not UTF-8.
    InvalidUtf8,
    /// The XML is not well-formed.
    Xml(String),
    /// An element where the progress record's structure has none.
    UnexpectedElement(String),
    /// One of the eight properties is missing.
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
    /// A `Type` value other than 0 (Processing) and 1 (Completed).
    InvalidRecordType(i32),
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
            UnterminatedMessage(id) => write!(f, "stream ends inside object {id}"),
            NotForClient(d) => write!(f, "destination {d:#x} is not the client"),
            UnexpectedMessageType(t) => write!(f, "message type {t:#010x} is not PROGRESS_RECORD"),
            InvalidUtf8 => f.write_str("message data is not UTF-8"),
            Xml(e) => write!(f, "malformed XML: {e}"),
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
            InvalidRecordType(v) => {
                write!(f, "record type {v} is neither Processing nor Completed")
            }
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

/// One decoded `PROGRESS_RECORD` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    /// The fragments' ObjectId.
    pub object_id: u64,
    /// The message header.
    pub header: MessageHeader,
    /// The record.
    pub record: DecodedProgressRecord,
}

/// The eight properties, in PowerShell's order.
const PROPERTIES: [&str; 8] = [
    "Activity",
    "ActivityId",
    "StatusDescription",
    "CurrentOperation",
    "ParentActivityId",
    "PercentComplete",
    "Type",
    "SecondsRemaining",
];

/// A property value as CLIXML spells it.
#[derive(Debug)]
enum Value {
    Str(PsString),
    Nil,
    I32(i32),
    /// A serialized enumeration: `<Obj>` holding an `<I32>`.
    Enum(i32),
    Other(String),
}

fn element_name(e: &BytesStart<'_>) -> String {
    e.name().as_ref().to_owned()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, DecodeError> {
    Ok(
        match e.try_get_attribute(name).map_err(quick_xml::Error::from)? {
            Some(a) => Some(a.normalized_value(XmlVersion::Implicit1_0)?.into_owned()),
            None => None,
        },
    )
}

/// Reads the text of an element whose start tag was just read, up to its end tag.
fn read_text(reader: &mut Reader<&[u8]>) -> Result<String, DecodeError> {
    let mut text = String::new();
    loop {
        match reader.read_event()? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.into_inner()),
            Event::GeneralRef(r) => match r.resolve_char_ref()? {
                Some(c) => text.push(c),
                None => text.push(match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => return Err(DecodeError::Xml(format!("unknown entity &{other};"))),
                }),
            },
            Event::End(_) => return Ok(text),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Start(e) | Event::Empty(e) => {
                return Err(DecodeError::UnexpectedElement(element_name(&e)));
            }
            Event::Eof => return Err(DecodeError::Xml("document ends inside an element".into())),
            Event::Decl(_) | Event::DocType(_) => {
                return Err(DecodeError::Xml("declaration inside an element".into()));
            }
        }
    }
}

fn parse_i32(text: &str) -> Result<i32, DecodeError> {
    text.trim_matches([' ', '\t', '\r', '\n'])
        .parse()
        .map_err(|_| DecodeError::InvalidInteger(text.to_owned()))
}

/// Reads a serialized enumeration `<Obj>`: its `<I32>` child is the value.
fn read_enum_obj(reader: &mut Reader<&[u8]>) -> Result<Value, DecodeError> {
    let mut value = None;
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == "I32" => {
                value = Some(parse_i32(&read_text(reader)?)?);
            }
            Event::Start(e) => {
                reader.read_to_end(e.name())?;
            }
            Event::End(_) => {
                return Ok(value.map_or_else(|| Value::Other("Obj".into()), Value::Enum));
            }
            Event::Eof => return Err(DecodeError::Xml("document ends inside <Obj>".into())),
            _ => {}
        }
    }
}

/// Reads the properties inside `<MS>`.
fn read_members(
    reader: &mut Reader<&[u8]>,
    props: &mut HashMap<&'static str, Value>,
) -> Result<(), DecodeError> {
    loop {
        let (e, empty) = match reader.read_event()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => return Ok(()),
            Event::Eof => return Err(DecodeError::Xml("document ends inside <MS>".into())),
            _ => continue,
        };
        let Some(name) = attr(&e, "N")? else {
            return Err(DecodeError::UnexpectedElement(element_name(&e)));
        };
        let tag = e.name();
        let value = match (tag.as_ref(), empty) {
            ("S", true) => Value::Str(PsString::default()),
            ("S", false) => Value::Str(decode_escapes(&read_text(reader)?)),
            ("Nil", true) => Value::Nil,
            ("I32", false) => Value::I32(parse_i32(&read_text(reader)?)?),
            ("Obj", false) => read_enum_obj(reader)?,
            (other, empty) => {
                if !empty {
                    reader.read_to_end(tag)?;
                }
                Value::Other(other.to_owned())
            }
        };
        if let Some(&known) = PROPERTIES.iter().find(|p| **p == name) {
            if props.insert(known, value).is_some() {
                return Err(DecodeError::DuplicateProperty(known));
            }
        }
    }
}

fn take(
    props: &mut HashMap<&'static str, Value>,
    name: &'static str,
) -> Result<Value, DecodeError> {
    props.remove(name).ok_or(DecodeError::MissingProperty(name))
}

fn wrong(property: &'static str, v: &Value) -> DecodeError {
    let found = match v {
        Value::Str(_) => "S".to_owned(),
        Value::Nil => "Nil".to_owned(),
        Value::I32(_) => "I32".to_owned(),
        Value::Enum(_) => "Obj".to_owned(),
        Value::Other(t) => t.clone(),
    };
    DecodeError::WrongPropertyType { property, found }
}

fn take_str(
    props: &mut HashMap<&'static str, Value>,
    name: &'static str,
) -> Result<PsString, DecodeError> {
    match take(props, name)? {
        Value::Str(s) => Ok(s),
        v => Err(wrong(name, &v)),
    }
}

fn take_i32(
    props: &mut HashMap<&'static str, Value>,
    name: &'static str,
) -> Result<i32, DecodeError> {
    match take(props, name)? {
        Value::I32(v) => Ok(v),
        v => Err(wrong(name, &v)),
    }
}

/// Decodes the CLIXML of a progress record (with or without a leading BOM).
pub fn decode_progress_clixml(xml: &[u8]) -> Result<DecodedProgressRecord, DecodeError> {
    let xml = xml.strip_prefix(&UTF8_BOM).unwrap_or(xml);
    let xml = std::str::from_utf8(xml).map_err(|_| DecodeError::InvalidUtf8)?;
    let mut reader = Reader::from_str(xml);
    let mut props = HashMap::new();

    // The root <Obj>.
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == "Obj" => break,
            Event::Start(e) | Event::Empty(e) => {
                return Err(DecodeError::UnexpectedElement(element_name(&e)));
            }
            Event::Eof => return Err(DecodeError::Xml("no <Obj> element".into())),
            _ => {}
        }
    }
    // Its children: <MS> holds the properties; type names and the like are skipped.
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == "MS" => read_members(&mut reader, &mut props)?,
            Event::Start(e) => {
                reader.read_to_end(e.name())?;
            }
            Event::End(_) => break,
            Event::Eof => return Err(DecodeError::Xml("document ends inside <Obj>".into())),
            _ => {}
        }
    }
    // Nothing but white space, comments and processing instructions may follow.
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Text(t) if t.trim_ascii().is_empty() => {}
            Event::Comment(_) | Event::PI(_) => {}
            Event::Start(e) | Event::Empty(e) => {
                return Err(DecodeError::UnexpectedElement(element_name(&e)));
            }
            _ => return Err(DecodeError::Xml("content after the root element".into())),
        }
    }

    let activity = take_str(&mut props, "Activity")?;
    let activity_id = take_i32(&mut props, "ActivityId")?;
    let status_description = take_str(&mut props, "StatusDescription")?;
    let current_operation = match take(&mut props, "CurrentOperation")? {
        Value::Str(s) => Some(s),
        Value::Nil => None,
        v => return Err(wrong("CurrentOperation", &v)),
    };
    let parent_activity_id = take_i32(&mut props, "ParentActivityId")?;
    let percent_complete = take_i32(&mut props, "PercentComplete")?;
    let record_type = match take(&mut props, "Type")? {
        Value::Enum(v) | Value::I32(v) => {
            ProgressRecordType::from_value(v).ok_or(DecodeError::InvalidRecordType(v))?
        }
        v => return Err(wrong("Type", &v)),
    };
    let seconds_remaining = take_i32(&mut props, "SecondsRemaining")?;
    let record = ProgressRecord {
        activity,
        activity_id,
        status_description,
        current_operation,
        parent_activity_id,
        percent_complete,
        seconds_remaining,
        record_type,
    };
    record.validate().map_err(DecodeError::InvalidRecord)?;
    Ok(record)
}

/// Decodes a whole message (header and data) holding a progress record.
pub fn decode_progress_message(
    message: &[u8],
) -> Result<(MessageHeader, DecodedProgressRecord), DecodeError> {
    let Some((head, data)) = message.split_first_chunk::<MESSAGE_HEADER_LEN>() else {
        return Err(DecodeError::Truncated {
            what: "message header",
            needed: MESSAGE_HEADER_LEN,
            available: message.len(),
        });
    };
    let header = MessageHeader::from_bytes(head);
    if header.destination & DESTINATION_CLIENT == 0 {
        return Err(DecodeError::NotForClient(header.destination));
    }
    if header.message_type != PROGRESS_RECORD {
        return Err(DecodeError::UnexpectedMessageType(header.message_type));
    }
    Ok((header, decode_progress_clixml(data)?))
}

/// Decodes a stream of fragments holding progress records, in order.
pub fn decode_stream(stream: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut decoder = StreamDecoder::new();
    let messages = decoder.push(stream)?;
    decoder.finish()?;
    Ok(messages)
}

/// Decodes a fragment stream that arrives in pieces (from a pipe or socket):
/// [`StreamDecoder::push`] takes whatever bytes came and returns the messages
/// they complete; [`StreamDecoder::finish`] says whether the stream ended
/// cleanly.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    /// Bytes of a fragment not yet complete.
    partial: Vec<u8>,
    defrag: Defragmenter,
    current: u64,
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bytes of the stream; returns the messages completed.
    /// After an error the stream cannot be resumed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
        let mut out = Vec::new();
        let owned;
        let data: &[u8] = if self.partial.is_empty() {
            bytes
        } else {
            self.partial.extend_from_slice(bytes);
            owned = std::mem::take(&mut self.partial);
            &owned
        };
        let mut rest = data;
        // A fragment not yet complete waits in `partial` for the next bytes.
        while let Ok(((header, blob), after)) = take_fragment(rest) {
            self.current = header.object_id;
            if let Some((object_id, message)) = self.defrag.push(&header, blob)? {
                let (header, record) = decode_progress_message(&message)?;
                out.push(DecodedMessage {
                    object_id,
                    header,
                    record,
                });
            }
            rest = after;
        }
        self.partial.extend_from_slice(rest);
        Ok(out)
    }

    /// Ends the stream: an error if it stopped inside a fragment or message.
    pub fn finish(self) -> Result<(), DecodeError> {
        if !self.partial.is_empty() {
            // `push` kept these bytes because they are not a whole fragment:
            // say which part is cut short.
            take_fragment(&self.partial)?;
        }
        if self.defrag.in_message() {
            return Err(DecodeError::UnterminatedMessage(self.current));
        }
        Ok(())
    }
}
