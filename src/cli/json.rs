//! `mi-psrp decode`: one JSON object per message.
//!
//! Every line has `object_id`, `destination`, `message_type`,
//! `runspace_pool_id`, `pipeline_id`, `kind` (the message type's name:
//! `progress`, `warning`, `verbose`, `debug`, `error`, `information`,
//! `pipeline_state`, `pipeline_host_call`, `session_capability` … or
//! `unknown`) and `record`: a record's fields under their wire names, a
//! state's number, name and error, a host call's id, method and arguments,
//! and any other message's data as a generic value ([`value_json`]); `null`
//! when there is no data or the type is unknown. Strings go through
//! [`sanitize`](super::sanitize): control, C1 and bidirectional characters
//! and lone surrogates are `\u` escapes.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Show;
use super::sanitize::json_string;
use crate::psrp::decode::{ClixmlValue, DecodedHostCall, DecodedState};
use crate::psrp::{
    DecodedErrorRecord, DecodedMessage, DecodedProgressRecord, DecodedRecord, PsString,
};

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

fn progress_fields(line: &mut String, r: &DecodedProgressRecord) {
    line.push_str("{\"Activity\":");
    json_string(line, &r.activity);
    let _ = write!(
        line,
        ",\"ActivityId\":{},\"StatusDescription\":",
        r.activity_id
    );
    json_string(line, &r.status_description);
    line.push_str(",\"CurrentOperation\":");
    opt_string(line, r.current_operation.as_ref());
    let _ = write!(
        line,
        ",\"ParentActivityId\":{},\"PercentComplete\":{},\"Type\":\"{}\",\"SecondsRemaining\":{}}}",
        r.parent_activity_id,
        r.percent_complete,
        r.record_type.name(),
        r.seconds_remaining
    );
}

/// A generic CLIXML value as JSON: `null`, a string, a boolean, a number;
/// another primitive (`<DT>`, `<G>` …) as its text; `<Ref>` as
/// `{"Ref":"id"}`; an object as `{"TypeNames":[…],"ToString":…,"Value":…,
/// "Properties":{…},"Items":[…],"Entries":[{"Key":…,"Value":…}]}`, with
/// only the members it has.
pub fn value_json(out: &mut String, v: &ClixmlValue) {
    match v {
        ClixmlValue::Nil => out.push_str("null"),
        ClixmlValue::String(s) | ClixmlValue::Text { text: s, .. } => json_string(out, s),
        ClixmlValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ClixmlValue::Integer(n) => {
            let _ = write!(out, "{n}");
        }
        ClixmlValue::Ref(id) => {
            out.push_str("{\"Ref\":");
            json_string(out, &PsString::from(id.as_str()));
            out.push('}');
        }
        ClixmlValue::Object(o) => {
            out.push('{');
            let mut first = true;
            let mut key = |out: &mut String, k: &str| {
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                let _ = write!(out, "\"{k}\":");
            };
            if !o.type_names.is_empty() {
                key(out, "TypeNames");
                out.push('[');
                for (i, t) in o.type_names.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(out, t);
                }
                out.push(']');
            }
            if let Some(t) = &o.to_string {
                key(out, "ToString");
                json_string(out, t);
            }
            if let Some(v) = &o.value {
                key(out, "Value");
                value_json(out, v);
            }
            if !o.properties.is_empty() {
                key(out, "Properties");
                out.push('{');
                for (i, (name, v)) in o.properties.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(out, name);
                    out.push(':');
                    value_json(out, v);
                }
                out.push('}');
            }
            if let Some(items) = &o.items {
                key(out, "Items");
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    value_json(out, v);
                }
                out.push(']');
            }
            if let Some(entries) = &o.entries {
                key(out, "Entries");
                out.push('[');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str("{\"Key\":");
                    value_json(out, k);
                    out.push_str(",\"Value\":");
                    value_json(out, v);
                    out.push('}');
                }
                out.push(']');
            }
            out.push('}');
        }
    }
}

fn opt_value(line: &mut String, v: Option<&ClixmlValue>) {
    match v {
        Some(v) => value_json(line, v),
        None => line.push_str("null"),
    }
}

fn state_fields(line: &mut String, s: &DecodedState) {
    let _ = write!(line, "{{\"State\":{},\"Name\":", s.state);
    match s.name {
        Some(n) => {
            let _ = write!(line, "\"{n}\"");
        }
        None => line.push_str("null"),
    }
    line.push_str(",\"Error\":");
    match &s.error {
        Some(e) => error_fields(line, e),
        None => line.push_str("null"),
    }
    line.push('}');
}

fn host_call_fields(line: &mut String, c: &DecodedHostCall) {
    let _ = write!(
        line,
        "{{\"CallId\":{},\"MethodId\":{},\"Method\":",
        c.call_id, c.method_id
    );
    match c.method {
        Some(n) => {
            let _ = write!(line, "\"{n}\"");
        }
        None => line.push_str("null"),
    }
    line.push_str(",\"Arguments\":[");
    for (i, a) in c.arguments.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        value_json(line, a);
    }
    line.push(']');
    if let Some((_, r)) = &c.progress {
        line.push_str(",\"Progress\":");
        progress_fields(line, r);
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
        m.kind_name(),
    );
    match &m.record {
        DecodedRecord::Progress(r) => progress_fields(&mut line, r),
        DecodedRecord::Informational(r) => {
            line.push_str("{\"Message\":");
            json_string(&mut line, &r.message);
            line.push('}');
        }
        DecodedRecord::Error(r) => error_fields(&mut line, r),
        DecodedRecord::Information(v) => value_json(&mut line, v),
        DecodedRecord::Object(v) | DecodedRecord::Other(v) => opt_value(&mut line, v.as_ref()),
        DecodedRecord::State(s) => state_fields(&mut line, s),
        DecodedRecord::HostCall(c) => host_call_fields(&mut line, c),
        DecodedRecord::Unknown => line.push_str("null"),
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
