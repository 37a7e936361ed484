//! `mi-psrp watch`: what PowerShell's console shows for each message, as
//! text ([`describe_progress`], [`record_lines`], [`message_lines`]) and as
//! plain lines for output that is not a terminal ([`Lines`]). Progress comes
//! from PROGRESS_RECORD messages and from `WriteProgress` host calls alike.
//! The live bars are in [`bars`](super::bars).
//!
//! Every string from a record goes through [`sanitize`](super::sanitize).
//! Indentation shows nesting up to [`MAX_INDENT_DEPTH`] levels; deeper
//! activities are drawn at that depth, so output stays linear in the input
//! whatever the length of a parent chain.

use std::collections::HashMap;
use std::io::{self, Write};

use super::Show;
use super::sanitize::visible_ps;
use crate::psrp::decode::{DecodedHostCall, DecodedState};
use crate::psrp::message::PIPELINE_OUTPUT;
use crate::psrp::{
    DecodedErrorRecord, DecodedMessage, DecodedProgressRecord, DecodedRecord, Guid,
    InformationalRecord, ProgressRecordType, PsString,
};

/// Nesting levels shown by indentation (two spaces each).
pub const MAX_INDENT_DEPTH: usize = 8;

/// The indentation for an activity `depth` levels down, capped.
pub fn indent(depth: usize) -> String {
    "  ".repeat(depth.min(MAX_INDENT_DEPTH))
}

/// One line for a progress record, as PowerShell's console host puts it
/// together: activity, status, time left, current operation.
pub fn describe_progress(r: &DecodedProgressRecord) -> String {
    let mut s = format!(
        "{}: {}",
        visible_ps(&r.activity),
        visible_ps(&r.status_description).trim()
    );
    if r.seconds_remaining >= 0 {
        s.push_str(&format!(" ({}s left)", r.seconds_remaining));
    }
    if let Some(op) = r
        .current_operation
        .as_ref()
        .filter(|o| !o.units().is_empty())
    {
        s.push_str(" — ");
        s.push_str(&visible_ps(op));
    }
    s
}

/// The lines of a text: split at CR LF, LF and CR (PowerShell's console
/// starts a new line there), each made safe.
fn text_lines(s: &PsString) -> Vec<String> {
    let text = s.units();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] == u16::from(b'\r') || text[i] == u16::from(b'\n') {
            lines.push(visible_ps(&PsString(text[start..i].to_vec())));
            if text[i] == u16::from(b'\r') && text.get(i + 1) == Some(&u16::from(b'\n')) {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    lines.push(visible_ps(&PsString(text[start..].to_vec())));
    lines
}

/// PowerShell's `ErrorCategoryInfo` text, as a client recomputes it from the
/// record's fields: `{Category}: ({TargetName}:{TargetType}) [{Activity}], {Reason}`,
/// each of the four cut to 19 + `…` + 19 characters when longer than 40.
pub fn category_info(r: &DecodedErrorRecord) -> String {
    fn part(s: &Option<PsString>) -> String {
        let s = s.as_ref().map(visible_ps).unwrap_or_default();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() <= 40 {
            return s;
        }
        let head: String = chars[..19].iter().collect();
        let tail: String = chars[chars.len() - 19..].iter().collect();
        format!("{head}…{tail}")
    }
    let body = format!(
        "({}:{}) [{}], {}",
        part(&r.target_name),
        part(&r.target_type),
        part(&r.activity),
        part(&r.reason)
    );
    match r.category.name() {
        Some("DeadlockDetected") => format!("Deadlock detected: {body}"),
        Some(name) => format!("{name}: {body}"),
        None => format!("Unrecognized error category {}: {body}", r.category.0),
    }
}

/// The lines PowerShell's console writes for a warning, verbose, debug or
/// error record (`WARNING: …`; for an error its message, then
/// `    + CategoryInfo          : …` and `    + FullyQualifiedErrorId : …`);
/// for an information record its MessageData; for a state that came with an
/// error, the error; for a host call that writes a line (`WriteLine`,
/// `WriteWarningLine` …), the line; nothing for anything else (progress is
/// drawn, not written).
pub fn record_lines(record: &DecodedRecord) -> Vec<String> {
    match record {
        DecodedRecord::Informational(InformationalRecord { kind, message }) => {
            labelled(kind.label(), message)
        }
        DecodedRecord::Error(r) => error_lines(r),
        DecodedRecord::Information(v) => {
            let data = v
                .object()
                .and_then(|o| o.property("MessageData"))
                .unwrap_or(v);
            data.display_text()
                .map(|t| text_lines(&t))
                .unwrap_or_default()
        }
        DecodedRecord::State(DecodedState { error: Some(e), .. }) => error_lines(e),
        DecodedRecord::HostCall(c) => host_call_lines(c),
        _ => Vec::new(),
    }
}

/// The lines a console writes for a message: [`record_lines`], and a
/// pipeline's output objects as their text.
pub fn message_lines(m: &DecodedMessage) -> Vec<String> {
    match &m.record {
        DecodedRecord::Object(Some(v)) if m.header.message_type == PIPELINE_OUTPUT => {
            v.display_text().map(|t| text_lines(&t)).unwrap_or_default()
        }
        other => record_lines(other),
    }
}

fn labelled(label: &str, message: &PsString) -> Vec<String> {
    let mut lines = text_lines(message);
    lines[0] = format!("{label}: {}", lines[0]);
    lines
}

fn error_lines(r: &DecodedErrorRecord) -> Vec<String> {
    let mut lines = text_lines(&r.message());
    lines.push(format!(
        "    + CategoryInfo          : {}",
        category_info(r)
    ));
    let id = r
        .fully_qualified_error_id
        .as_ref()
        .map(visible_ps)
        .unwrap_or_default();
    lines.push(format!("    + FullyQualifiedErrorId : {id}"));
    lines
}

/// What the PSHost UI's line-writing methods write: their last argument.
fn host_call_lines(c: &DecodedHostCall) -> Vec<String> {
    let text = || {
        c.arguments
            .last()
            .and_then(|a| a.display_text())
            .unwrap_or_default()
    };
    match c.method {
        Some("Write1" | "Write2" | "WriteLine2" | "WriteLine3" | "WriteErrorLine") => {
            text_lines(&text())
        }
        Some("WriteLine1") => vec![String::new()],
        Some("WriteDebugLine") => labelled("DEBUG", &text()),
        Some("WriteVerboseLine") => labelled("VERBOSE", &text()),
        Some("WriteWarningLine") => labelled("WARNING", &text()),
        _ => Vec::new(),
    }
}

/// An activity: its pipeline and ActivityId.
pub type ActivityKey = (Guid, i32);

/// Plain lines, for output that is not a terminal (a pipe, a CI log).
#[derive(Debug)]
pub struct Lines<W: Write> {
    out: W,
    depth: HashMap<ActivityKey, usize>,
}

impl<W: Write> Lines<W> {
    /// Plain lines to `out`.
    pub fn new(out: W) -> Self {
        Lines {
            out,
            depth: HashMap::new(),
        }
    }

    fn progress(&mut self, pipeline: Guid, r: &DecodedProgressRecord) -> io::Result<()> {
        let key = (pipeline, r.activity_id);
        let depth = match self.depth.get(&key) {
            Some(&d) => d,
            None => {
                let d = self
                    .depth
                    .get(&(pipeline, r.parent_activity_id))
                    .map_or(0, |d| d + 1);
                self.depth.insert(key, d);
                d
            }
        };
        let indent = indent(depth);
        match r.record_type {
            ProgressRecordType::Completed => {
                self.depth.remove(&key);
                writeln!(self.out, "{indent}[done] {}", visible_ps(&r.activity))
            }
            ProgressRecordType::Processing => {
                let pct = if r.percent_complete >= 0 {
                    format!("{:>3}%", r.percent_complete)
                } else {
                    "   …".to_owned()
                };
                writeln!(self.out, "{indent}[{pct}] {}", describe_progress(r))
            }
        }
    }
}

impl<W: Write> Show for Lines<W> {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        match m.progress() {
            Some(r) => self.progress(m.header.pipeline_id, r)?,
            None => {
                for line in message_lines(m) {
                    writeln!(self.out, "{line}")?;
                }
            }
        }
        self.out.flush()
    }
}
