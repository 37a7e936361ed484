//! The preference variables a session keeps (`$ConfirmPreference`,
//! `$WhatIfPreference`, `$VerbosePreference`, `$DebugPreference`,
//! `$WarningPreference`, `$ErrorActionPreference`): set by a script's
//! assignments, they hold for the session's later pipelines, as runspace
//! variables would, until RESET_RUNSPACE_STATE; a command's common
//! parameters override them (`../shared/spec/psrp-host-calls.md` H3).

use super::commands::{Bound, CHANGING, action, short};
use super::messages::{SessionError, Value};
use crate::host::ErrorAction;

/// `$ConfirmPreference` (PowerShell's ConfirmImpact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfirmImpact {
    /// `None`: never asks.
    None,
    /// `Low`: asks for every operation.
    Low,
    /// `Medium`: asks for operations of medium impact or more (every
    /// provider operation is Medium).
    Medium,
    /// `High` (the default): asks for high-impact operations only.
    High,
}

/// The preference variables a session keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    /// `$ConfirmPreference` (default High).
    pub confirm: ConfirmImpact,
    /// `$WhatIfPreference` (default false).
    pub what_if: bool,
    /// `$VerbosePreference` Continue (default SilentlyContinue: false).
    pub verbose: bool,
    /// `$DebugPreference` Continue (default SilentlyContinue: false).
    pub debug: bool,
    /// `$WarningPreference` not SilentlyContinue/Ignore (default Continue: true).
    pub warnings: bool,
    /// `$ErrorActionPreference` (default Continue).
    pub error_action: ErrorAction,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            confirm: ConfirmImpact::High,
            what_if: false,
            verbose: false,
            debug: false,
            warnings: true,
            error_action: ErrorAction::Continue,
        }
    }
}

fn refuse(name: &str, v: &Value, takes: &str) -> SessionError {
    SessionError::parse(format!(
        "${name} = '{}': this endpoint (mi-psrp serve) takes {takes} for ${name}.",
        short(v)
    ))
}

/// Continue (`true`), SilentlyContinue or Ignore (`false`).
fn shown(name: &str, v: &Value) -> Result<bool, SessionError> {
    match action(v) {
        Some("Continue") => Ok(true),
        Some("SilentlyContinue" | "Ignore") => Ok(false),
        _ => Err(refuse(name, v, "Continue, SilentlyContinue or Ignore")),
    }
}

impl Preferences {
    /// Sets `$name` (one of [`super::script::PREFERENCES`]) to `v`; a value
    /// this endpoint does not take → a ParseException, nothing changed.
    pub fn set(&mut self, name: &str, v: &Value) -> Result<(), SessionError> {
        match name {
            "ConfirmPreference" => {
                const NAMES: [(&str, ConfirmImpact); 4] = [
                    ("None", ConfirmImpact::None),
                    ("Low", ConfirmImpact::Low),
                    ("Medium", ConfirmImpact::Medium),
                    ("High", ConfirmImpact::High),
                ];
                let found = match v {
                    Value::Str(s) => NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(s.trim())),
                    Value::Int(i) => usize::try_from(*i).ok().and_then(|i| NAMES.get(i)),
                    Value::UInt(u) => usize::try_from(*u).ok().and_then(|i| NAMES.get(i)),
                    _ => None,
                };
                self.confirm = found
                    .ok_or_else(|| refuse(name, v, "None, Low, Medium or High"))?
                    .1;
            }
            "WhatIfPreference" => {
                self.what_if = match v {
                    Value::Bool(b) => *b,
                    Value::Int(0) | Value::UInt(0) => false,
                    Value::Int(1) | Value::UInt(1) => true,
                    _ => return Err(refuse(name, v, "$true or $false")),
                };
            }
            "VerbosePreference" => self.verbose = shown(name, v)?,
            "DebugPreference" => self.debug = shown(name, v)?,
            "WarningPreference" => self.warnings = shown(name, v)?,
            "ErrorActionPreference" => {
                self.error_action = match action(v) {
                    Some("Continue") => ErrorAction::Continue,
                    Some("SilentlyContinue" | "Ignore") => ErrorAction::Ignore,
                    Some("Stop") => ErrorAction::Stop,
                    _ => {
                        return Err(refuse(
                            name,
                            v,
                            "Continue, SilentlyContinue, Ignore or Stop",
                        ));
                    }
                };
            }
            _ => return Err(refuse(name, v, "no value")),
        }
        Ok(())
    }

    /// `b` with every choice made: its common parameters, else these
    /// preferences.
    pub fn resolve(&self, b: &Bound) -> Bound {
        let changing = CHANGING.contains(&b.command);
        let mut r = b.clone();
        r.verbose = Some(b.verbose.unwrap_or(self.verbose));
        r.debug = Some(b.debug.unwrap_or(self.debug));
        r.warnings = Some(b.warnings.unwrap_or(self.warnings));
        r.error_action = Some(b.error_action.unwrap_or(self.error_action));
        r.what_if = Some(b.what_if.filter(|_| changing).unwrap_or(self.what_if));
        // -Confirm: Low; -Confirm:$false: None; a confirmation is needed
        // at Low and Medium (every operation's impact is Medium).
        r.confirm = Some(match b.confirm.filter(|_| changing) {
            Some(c) => c,
            None => matches!(self.confirm, ConfirmImpact::Low | ConfirmImpact::Medium),
        });
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_powershell_converts_them() {
        let mut p = Preferences::default();
        p.set("ConfirmPreference", &Value::Str("low".into()))
            .unwrap();
        assert_eq!(p.confirm, ConfirmImpact::Low);
        p.set("ConfirmPreference", &Value::Int(2)).unwrap();
        assert_eq!(p.confirm, ConfirmImpact::Medium);
        p.set("WhatIfPreference", &Value::Bool(true)).unwrap();
        p.set("VerbosePreference", &Value::Str("Continue".into()))
            .unwrap();
        p.set("WarningPreference", &Value::Int(0)).unwrap();
        p.set("ErrorActionPreference", &Value::Str("Stop".into()))
            .unwrap();
        assert!(p.what_if && p.verbose && !p.warnings);
        assert_eq!(p.error_action, ErrorAction::Stop);
        let before = p;
        for (n, v) in [
            ("ConfirmPreference", Value::Str("Sometimes".into())),
            ("ConfirmPreference", Value::Int(4)),
            ("WhatIfPreference", Value::Str("yes".into())),
            ("DebugPreference", Value::Str("Inquire".into())),
            ("ErrorActionPreference", Value::Str("Suspend".into())),
        ] {
            let e = p.set(n, &v).unwrap_err();
            assert!(e.message.contains(n), "{e:?}");
            assert_eq!(p, before, "nothing changed");
        }
    }
}
