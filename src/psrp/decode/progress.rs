//! Progress records: the eight properties of a `ProgressRecord`.

use super::DecodeError;
use super::object::{Value, enum_value, properties, wrong};
use super::records::root_object;
use super::xml::Element;
use crate::psrp::record::{DecodedProgressRecord, ProgressRecord, ProgressRecordType};

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

/// Decodes the CLIXML of a progress record (with or without a leading BOM).
pub fn decode_progress_clixml(xml: &[u8]) -> Result<DecodedProgressRecord, DecodeError> {
    progress_from(&root_object(xml)?)
}

/// Decodes a progress record's object: a PROGRESS_RECORD message's root, or
/// the record a `WriteProgress` host call carries.
pub(crate) fn progress_from(obj: &Element) -> Result<DecodedProgressRecord, DecodeError> {
    let mut props = properties(obj, &PROPERTIES)?;
    let activity = props.take_str("Activity")?;
    let activity_id = props.take_i32("ActivityId")?;
    let status_description = props.take_str("StatusDescription")?;
    let current_operation = props.take_str_or_nil("CurrentOperation")?;
    let parent_activity_id = props.take_i32("ParentActivityId")?;
    let percent_complete = props.take_i32("PercentComplete")?;
    let type_value = match props.take("Type")? {
        Value::I32(v) => v,
        Value::Obj(obj) => match enum_value(obj)? {
            Some(v) => v,
            None => return Err(wrong("Type", &Value::Obj(obj))),
        },
        v => return Err(wrong("Type", &v)),
    };
    let record_type = ProgressRecordType::from_value(type_value)
        .ok_or(DecodeError::InvalidRecordType(type_value))?;
    let seconds_remaining = props.take_i32("SecondsRemaining")?;
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
