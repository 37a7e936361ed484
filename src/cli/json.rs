//! `mi-psrp decode`: one JSON object per message.
//!
//! Every line has `object_id`, `destination`, `message_type`,
//! `runspace_pool_id`, `pipeline_id`, `kind` (`progress`, `warning`,
//! `verbose`, `debug`, `error`) and `record`, the record's fields under their
//! wire names. Strings go through [`sanitize`](super::sanitize): control,
//! C1 and bidirectional characters and lone surrogates are `\u` escapes.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Show;
use super::sanitize::json_string;
use crate::psrp::{DecodedErrorRecord, DecodedMessage, DecodedRecord, PsString};

/// Writes JSON lines to `W`.
#[derive(Debug)]
pub struct JsonLines<W: Write> {
    out: W,
}

impl<W: Write> JsonLines<W> {
    /// JSON lines to `out`.
    pub fn new(out: W) -> Self {
        JsonLines { out }
    }
}

fn opt_string(out: &mut String, s: Option<&PsString>) {
    match s {
        Some(s) => json_string(out, s),
        None => out.push_str("null"),
    }
}

fn error_fields(line: &mut String, r: &DecodedErrorRecord) {
    line.push_str("{\"Exception\":{\"Type\":");
    opt_string(line, r.exception_type.as_ref());
    line.push_str(",\"Message\":");
    opt_string(line, r.exception_message.as_ref());
    line.push_str("},\"TargetObject\":");
    opt_string(line, r.target_object.as_ref());
    line.push_str(",\"FullyQualifiedErrorId\":");
    opt_string(line, r.fully_qualified_error_id.as_ref());
    let _ = write!(line, ",\"ErrorCategory_Category\":{}", r.category.0);
    for (name, value) in [
        ("ErrorCategory_Activity", &r.activity),
        ("ErrorCategory_Reason", &r.reason),
        ("ErrorCategory_TargetName", &r.target_name),
        ("ErrorCategory_TargetType", &r.target_type),
        ("ErrorCategory_Message", &r.category_message),
        ("ErrorDetails_Message", &r.error_details_message),
    ] {
        let _ = write!(line, ",\"{name}\":");
        opt_string(line, value.as_ref());
    }
    line.push('}');
}

/// The JSON object for one message, without the newline.
pub fn json_line(m: &DecodedMessage) -> String {
    let mut line = String::with_capacity(256);
    let _ = write!(
        line,
        "{{\"object_id\":{},\"destination\":{},\"message_type\":\"0x{:08x}\",\"runspace_pool_id\":\"{}\",\"pipeline_id\":\"{}\",\"kind\":\"{}\",\"record\":",
        m.object_id,
        m.header.destination,
        m.header.message_type,
        m.header.runspace_pool_id,
        m.header.pipeline_id,
        m.record.kind_name(),
    );
    match &m.record {
        DecodedRecord::Progress(r) => {
            line.push_str("{\"Activity\":");
            json_string(&mut line, &r.activity);
            let _ = write!(
                line,
                ",\"ActivityId\":{},\"StatusDescription\":",
                r.activity_id
            );
            json_string(&mut line, &r.status_description);
            line.push_str(",\"CurrentOperation\":");
            opt_string(&mut line, r.current_operation.as_ref());
            let _ = write!(
                line,
                ",\"ParentActivityId\":{},\"PercentComplete\":{},\"Type\":\"{}\",\"SecondsRemaining\":{}}}",
                r.parent_activity_id,
                r.percent_complete,
                r.record_type.name(),
                r.seconds_remaining
            );
        }
        DecodedRecord::Informational(r) => {
            line.push_str("{\"Message\":");
            json_string(&mut line, &r.message);
            line.push('}');
        }
        DecodedRecord::Error(r) => error_fields(&mut line, r),
    }
    line.push('}');
    line
}

impl<W: Write> Show for JsonLines<W> {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        writeln!(self.out, "{}", json_line(m))?;
        self.out.flush()
    }
}
