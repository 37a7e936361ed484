//! The CLIXML of every record mi-psrp sends, byte for byte as PowerShell
//! serializes it: properties in PowerShell's order, `<Nil N="…" />` with its
//! space, empty strings as `<S N="…"></S>`, no whitespace, no XML declaration.
//! Every string goes through the one text encoder of [`super::text`].
//!
//! This file holds the progress record and what every record shares; the
//! warning/verbose/debug and error records are in [`streams`].

pub mod streams;

use std::ops::Range;

use super::record::{ProgressRecord, ProgressRecordType};
use super::text::{InvalidCodePoint, PsText};

/// Which string of a record an encoding error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// `Activity`.
    Activity,
    /// `StatusDescription`.
    StatusDescription,
    /// `CurrentOperation`.
    CurrentOperation,
    /// An informational record's or an error's message.
    Message,
    /// An error record's `FullyQualifiedErrorId`.
    FullyQualifiedErrorId,
}

impl TextField {
    /// The property name.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Activity => "Activity",
            TextField::StatusDescription => "StatusDescription",
            TextField::CurrentOperation => "CurrentOperation",
            TextField::Message => "Message",
            TextField::FullyQualifiedErrorId => "FullyQualifiedErrorId",
        }
    }
}

/// A string of a record that holds a value that is not a code point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    /// The string.
    pub field: TextField,
    /// The value and where it is.
    pub error: InvalidCodePoint,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.name(), self.error)
    }
}

impl std::error::Error for FieldError {}

const OPEN_ACTIVITY: &[u8] = b"<Obj RefId=\"0\"><MS><S N=\"Activity\">";
const ACTIVITY_TO_ID: &[u8] = b"</S><I32 N=\"ActivityId\">";
const ID_TO_STATUS: &[u8] = b"</I32><S N=\"StatusDescription\">";
const STATUS_TO_CURRENT: &[u8] = b"</S><S N=\"CurrentOperation\">";
const CURRENT_TO_PARENT: &[u8] = b"</S><I32 N=\"ParentActivityId\">";
const STATUS_NIL_CURRENT_TO_PARENT: &[u8] =
    b"</S><Nil N=\"CurrentOperation\" /><I32 N=\"ParentActivityId\">";
const PARENT_TO_PERCENT: &[u8] = b"</I32><I32 N=\"PercentComplete\">";
const PERCENT_TO_TYPE: &[u8] = b"</I32><Obj N=\"Type\" RefId=\"1\"><TN RefId=\"0\">\
<T>System.Management.Automation.ProgressRecordType</T><T>System.Enum</T>\
<T>System.ValueType</T><T>System.Object</T></TN><ToString>";
const TYPE_PROCESSING: &[u8] = b"Processing</ToString><I32>0";
const TYPE_COMPLETED: &[u8] = b"Completed</ToString><I32>1";
const TYPE_TO_SECONDS: &[u8] = b"</I32></Obj><I32 N=\"SecondsRemaining\">";
const CLOSE: &[u8] = b"</I32></MS></Obj>";

/// The bytes of a record besides its strings and numbers, with the longest
/// numbers: a message is at most this plus its encoded strings and 43 bytes.
pub const FIXED_CLIXML_MAX: usize = OPEN_ACTIVITY.len()
    + ACTIVITY_TO_ID.len()
    + ID_TO_STATUS.len()
    + STATUS_NIL_CURRENT_TO_PARENT.len()
    + STATUS_TO_CURRENT.len()
    + PARENT_TO_PERCENT.len()
    + PERCENT_TO_TYPE.len()
    + TYPE_PROCESSING.len()
    + TYPE_TO_SECONDS.len()
    + CLOSE.len()
    + 5 * 11;

/// Two decimal digits for each number 0–99.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends an `i32` in decimal, as .NET's `Int32.ToString()` with the
/// invariant culture. Progress numbers are mostly one or two digits (or -1),
/// which take the short paths.
#[inline]
pub fn write_i32(out: &mut Vec<u8>, v: i32) {
    match v {
        0..=9 => out.push(b'0' + v as u8),
        10..=99 => out.extend_from_slice(&DIGIT_PAIRS[2 * v as usize..2 * v as usize + 2]),
        -1 => out.extend_from_slice(b"-1"),
        _ => write_i32_long(out, v),
    }
}

#[inline(never)]
fn write_i32_long(out: &mut Vec<u8>, v: i32) {
    let mut digits = [0u8; 11];
    let mut n = v.unsigned_abs();
    let mut at = digits.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        at -= 2;
        digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[2 * n as usize..2 * n as usize + 2]);
    } else {
        at -= 1;
        digits[at] = b'0' + n as u8;
    }
    if v < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    out.extend_from_slice(&digits[at..]);
}

pub(crate) fn write_text<S: PsText + ?Sized>(
    out: &mut Vec<u8>,
    text: &S,
    field: TextField,
) -> Result<(), FieldError> {
    text.encode_into(out)
        .map_err(|error| FieldError { field, error })
}

/// Where the encoded Activity and StatusDescription text sit in the output of
/// [`write_progress_clixml`], so that a sender can keep them without
/// re-encoding (for the Completed record that ends an activity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSpans {
    /// The Activity text.
    pub activity: Range<usize>,
    /// The StatusDescription text.
    pub status_description: Range<usize>,
    /// The CurrentOperation text, unless it is null.
    pub current_operation: Option<Range<usize>>,
}

/// Appends the CLIXML of `record` to `out`. Does not validate the record (see
/// [`ProgressRecord::validate`]). On error `out` may hold part of the record.
pub fn write_progress_clixml<S: PsText>(
    record: &ProgressRecord<S>,
    out: &mut Vec<u8>,
) -> Result<TextSpans, FieldError> {
    out.extend_from_slice(OPEN_ACTIVITY);
    let start = out.len();
    write_text(out, &record.activity, TextField::Activity)?;
    let activity = start..out.len();
    out.extend_from_slice(ACTIVITY_TO_ID);
    write_i32(out, record.activity_id);
    out.extend_from_slice(ID_TO_STATUS);
    let start = out.len();
    write_text(
        out,
        &record.status_description,
        TextField::StatusDescription,
    )?;
    let status_description = start..out.len();
    let current_operation = match &record.current_operation {
        Some(op) => {
            out.extend_from_slice(STATUS_TO_CURRENT);
            let start = out.len();
            write_text(out, op, TextField::CurrentOperation)?;
            let span = start..out.len();
            out.extend_from_slice(CURRENT_TO_PARENT);
            Some(span)
        }
        None => {
            out.extend_from_slice(STATUS_NIL_CURRENT_TO_PARENT);
            None
        }
    };
    write_i32(out, record.parent_activity_id);
    out.extend_from_slice(PARENT_TO_PERCENT);
    write_i32(out, record.percent_complete);
    out.extend_from_slice(PERCENT_TO_TYPE);
    out.extend_from_slice(match record.record_type {
        ProgressRecordType::Processing => TYPE_PROCESSING,
        ProgressRecordType::Completed => TYPE_COMPLETED,
    });
    out.extend_from_slice(TYPE_TO_SECONDS);
    write_i32(out, record.seconds_remaining);
    out.extend_from_slice(CLOSE);
    Ok(TextSpans {
        activity,
        status_description,
        current_operation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_dotnet_writes_them() {
        for v in [
            0,
            7,
            9,
            10,
            42,
            99,
            100,
            101,
            999,
            1000,
            65535,
            -1,
            -2,
            -9,
            -10,
            -99,
            -100,
            i32::MAX,
            i32::MIN,
            -2147483647,
            1_000_000_000,
        ] {
            let mut out = Vec::new();
            write_i32(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    #[test]
    fn nil_and_empty_current_operation() {
        let mut rec = ProgressRecord::new(1, "a", "s");
        let mut out = Vec::new();
        write_progress_clixml(&rec, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains("<Nil N=\"CurrentOperation\" />"), "{xml}");

        rec.current_operation = Some("");
        let mut out = Vec::new();
        write_progress_clixml(&rec, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains("<S N=\"CurrentOperation\"></S>"), "{xml}");
    }

    #[test]
    fn fixed_part_bound_holds() {
        let rec = ProgressRecord {
            activity: "",
            activity_id: i32::MIN,
            status_description: "",
            current_operation: Some(""),
            parent_activity_id: i32::MIN,
            percent_complete: i32::MIN,
            seconds_remaining: i32::MIN,
            record_type: ProgressRecordType::Processing,
        };
        let mut out = Vec::new();
        write_progress_clixml(&rec, &mut out).unwrap();
        assert!(out.len() <= FIXED_CLIXML_MAX);
    }
}
