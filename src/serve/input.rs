//! Pipeline input (PIPELINE_INPUT, END_OF_PIPELINE_INPUT): the objects a
//! client sends into a pipeline whose CREATE_PIPELINE said `NoInput`
//! false, kept (bounded) until the end of input, then bound to the
//! command's `-InputObject`, one operation each, as PowerShell runs a
//! cmdlet's ProcessRecord once per input object
//! (`Get-CimInstance … | Remove-CimInstance` sent as input).

use super::commands::{Bound, CommandSpec, bind, input_not_bound, with_input};
use super::messages::{SessionError, Value};
use super::preferences::Preferences;

/// The most input objects a pipeline takes.
pub const MAX_INPUT_OBJECTS: usize = 4096;
/// The most input a pipeline takes, in message bytes.
pub const MAX_INPUT_BYTES: usize = 16 << 20;

/// A pipeline waiting for the end of its input.
pub(super) struct Pending {
    /// Its commands, not bound yet.
    cmds: Vec<CommandSpec>,
    /// Whether its client has an interactive host.
    pub ui: bool,
    values: Vec<Value>,
    bytes: usize,
}

impl Pending {
    pub(super) fn new(cmds: Vec<CommandSpec>, ui: bool) -> Pending {
        Pending {
            cmds,
            ui,
            values: Vec::new(),
            bytes: 0,
        }
    }

    /// Keeps one input object (`len`: its message's size). Past the
    /// bounds: a ParseException, the pipeline fails.
    pub(super) fn push(&mut self, len: usize, v: Value) -> Result<(), SessionError> {
        if self.values.len() >= MAX_INPUT_OBJECTS || self.bytes + len > MAX_INPUT_BYTES {
            return Err(SessionError::parse(format!(
                "more pipeline input than this endpoint (mi-psrp serve) takes: at most \
                 {MAX_INPUT_OBJECTS} objects and {MAX_INPUT_BYTES} bytes"
            )));
        }
        self.bytes += len;
        self.values.push(v);
        Ok(())
    }

    /// The operations to run, their common parameters resolved: one per
    /// input object (bound to `-InputObject`); the command alone when it is
    /// complete without input and none came; none when it needs input and
    /// none came (as a cmdlet's ProcessRecord never runs then).
    pub(super) fn bind(self, preferences: &Preferences) -> Result<Vec<Bound>, SessionError> {
        match bind(&self.cmds) {
            Ok(b) if self.values.is_empty() => Ok(vec![preferences.resolve(&b)]),
            Ok(b) => Err(input_not_bound(b.command)),
            Err(e)
                if self.values.is_empty()
                    && e.error_id.starts_with("MissingMandatoryParameter,") =>
            {
                Ok(Vec::new())
            }
            Err(_) => self
                .values
                .into_iter()
                .map(|v| bind(&with_input(&self.cmds, v)).map(|b| preferences.resolve(&b)))
                .collect(),
        }
    }
}
