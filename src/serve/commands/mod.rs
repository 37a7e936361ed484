//! A pipeline's commands: read from CREATE_PIPELINE's `PowerShell` object
//! and bound to the CIM cmdlets this endpoint runs.
//!
//! Supported, given structured (AddCommand/AddParameter) or as script text
//! ([`script_commands`]):
//!
//! - `Get-CimInstance [-ClassName] C [-Namespace N] [-Filter F] [-KeyOnly]`,
//!   `Get-CimInstance -InputObject $i [-KeyOnly]`
//! - `Invoke-CimMethod [-ClassName] C [[-Arguments] @{…}] [-MethodName] M [-Namespace N]`,
//!   `Invoke-CimMethod -InputObject $i -MethodName M [-Arguments @{…}]`
//! - `New-CimInstance [-ClassName] C [[-Property] @{…}] [-Namespace N]`
//! - `Set-CimInstance [-InputObject] $i [[-Property] @{…}]`
//! - `Remove-CimInstance [-InputObject] $i`
//!
//! with the common parameters `-Verbose`, `-Debug`, `-WarningAction`,
//! `-ErrorAction`, and `-WhatIf` and `-Confirm` on the commands that change
//! state (the `-…Variable` ones are refused). Parameter names are
//! case-insensitive and may be shortened to an unambiguous prefix. Anything
//! else fails the pipeline with PowerShell's exception names.

pub use super::convert::{MAX_NESTING, short, to_cim};
pub use super::filter::{Condition, FILTER_SUBSET, Literal, LiteralValue, parse_filter};
use super::messages::{SessionError, Value};
pub use super::script::{PREFERENCES, Parsed};
use crate::host::ErrorAction;

mod read;

pub(super) use read::action;
pub use read::{CommandSpec, Target, instance_class, read_create_pipeline};
use read::{entries, switch, target};

/// The most items of an argument array.
pub const MAX_ARGUMENT_ITEMS: usize = 65_536;
/// The most commands a pipeline may name (one is run; more are refused).
pub const MAX_COMMANDS: usize = 16;

/// What a pipeline runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// `Get-CimInstance -ClassName C [-Filter F]`: GetInstance when the
    /// filter gives every key (the session decides: it knows the keys), else
    /// EnumerateInstances, its outputs filtered.
    Enumerate {
        /// Only keys.
        keys_only: bool,
        /// The `-Filter` conditions (empty: none).
        filter: Vec<Condition>,
    },
    /// `Get-CimInstance -InputObject $i`: GetInstance.
    Get {
        /// The instance.
        target: Target,
        /// Only keys.
        keys_only: bool,
    },
    /// `New-CimInstance`: CreateInstance.
    Create {
        /// The `-Property` entries.
        properties: Vec<(String, Value)>,
    },
    /// `Set-CimInstance`: ModifyInstance.
    Modify {
        /// The instance.
        target: Target,
        /// The `-Property` entries (`None`: the instance's own properties).
        properties: Option<Vec<(String, Value)>>,
    },
    /// `Remove-CimInstance`: DeleteInstance.
    Delete {
        /// The instance.
        target: Target,
    },
    /// `Invoke-CimMethod`: static (no target) or instance method.
    Invoke {
        /// The method.
        method: String,
        /// The `-Arguments` entries.
        arguments: Vec<(String, Value)>,
        /// `-InputObject`: the instance whose method runs.
        target: Option<Target>,
    },
}

/// A bound command.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The cmdlet's name as PowerShell spells it.
    pub command: &'static str,
    /// The class.
    pub class: String,
    /// The namespace (`-Namespace`, else the `-InputObject`'s, else `root/cimv2`).
    pub namespace: String,
    /// The operation.
    pub operation: Operation,
    /// `-Verbose` / `-Verbose:$false` (`None`: `$VerbosePreference` decides).
    pub verbose: Option<bool>,
    /// `-Debug` / `-Debug:$false` (`None`: `$DebugPreference` decides).
    pub debug: Option<bool>,
    /// Warnings wanted (`-WarningAction SilentlyContinue`/`Ignore`: not;
    /// `None`: `$WarningPreference` decides).
    pub warnings: Option<bool>,
    /// `-ErrorAction`, when given.
    pub error_action: Option<ErrorAction>,
    /// `-WhatIf` (`Some(true)`) or `-WhatIf:$false` (`Some(false)`); `None`:
    /// not given, `$WhatIfPreference` decides.
    pub what_if: Option<bool>,
    /// `-Confirm` (`Some(true)`: ConfirmPreference Low) or `-Confirm:$false`
    /// (`Some(false)`: None); `None`: not given, `$ConfirmPreference` decides.
    pub confirm: Option<bool>,
}

/// The default namespace.
pub const DEFAULT_NAMESPACE: &str = "root/cimv2";

/// The commands that change state (they take `-WhatIf` and `-Confirm`).
pub const CHANGING: &[&str] = &[
    "Invoke-CimMethod",
    "New-CimInstance",
    "Set-CimInstance",
    "Remove-CimInstance",
];

/// Each command's own parameters, then its positional ones in order.
const COMMANDS: &[(&str, &[&str], &[&str])] = &[
    (
        "Get-CimInstance",
        &["ClassName", "Namespace", "Filter", "KeyOnly", "InputObject"],
        &["ClassName"],
    ),
    (
        "Invoke-CimMethod",
        &[
            "ClassName",
            "MethodName",
            "Arguments",
            "Namespace",
            "InputObject",
        ],
        &["ClassName", "Arguments", "MethodName"],
    ),
    (
        "New-CimInstance",
        &["ClassName", "Property", "Namespace"],
        &["ClassName", "Property"],
    ),
    (
        "Set-CimInstance",
        &["InputObject", "Property"],
        &["InputObject", "Property"],
    ),
    ("Remove-CimInstance", &["InputObject"], &["InputObject"]),
];

/// The common parameters this endpoint maps.
const COMMON: &[&str] = &["Verbose", "Debug", "WarningAction", "ErrorAction"];
/// The common parameters it refuses (named, to be recognized).
const REFUSED: &[&str] = &[
    "ErrorVariable",
    "WarningVariable",
    "InformationAction",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
    "ProgressAction",
];

/// What a pipeline asks for: the preference variables its script sets
/// (name, value), then its command, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// `$Name = value` assignments, in order (script text only).
    pub assignments: Vec<(&'static str, Value)>,
    /// The bound command (`None`: the script only sets variables).
    pub command: Option<Bound>,
}

/// Reads the pipeline's commands: script text (its assignments and its
/// pipeline, bound as if given structured) or structured commands.
pub fn plan(cmds: &[CommandSpec]) -> Result<Request, SessionError> {
    let parsed = unbound(cmds)?;
    let command = if parsed.commands.is_empty() {
        None
    } else {
        Some(bind(&parsed.commands)?)
    };
    Ok(Request {
        assignments: parsed.assignments,
        command,
    })
}

/// The pipeline's assignments and commands, not bound yet: script text
/// read, structured commands as they are.
pub fn unbound(cmds: &[CommandSpec]) -> Result<Parsed, SessionError> {
    match cmds {
        [first, ..] if first.is_script => {
            if let Some(second) = cmds.get(1) {
                return Err(SessionError::parse(format!(
                    "a script followed by more commands is not supported by this endpoint \
                     (mi-psrp serve): | {}",
                    second.name
                )));
            }
            script_commands(first)
        }
        _ => Ok(Parsed {
            assignments: Vec::new(),
            commands: cmds.to_vec(),
        }),
    }
}

/// `cmds` (one command: more are refused by [`bind`]) with `input` as its
/// `-InputObject`, as PowerShell binds a pipeline input object.
pub fn with_input(cmds: &[CommandSpec], input: Value) -> Vec<CommandSpec> {
    let mut cmds = cmds.to_vec();
    if let Some(first) = cmds.first_mut() {
        first.args.push((Some("InputObject".into()), input));
    }
    cmds
}

/// The ParameterBindingException of a pipeline input object no parameter
/// takes (the command was given everything it needs without it).
pub fn input_not_bound(command: &str) -> SessionError {
    SessionError::parameter_binding(
        command,
        "InputObjectNotBound",
        "",
        "The input object cannot be bound to any parameters for the command either because \
         the command does not take pipeline input or the input and its properties do not \
         match any of the parameters that take pipeline input."
            .into(),
    )
}

/// Binds the pipeline's commands to one of the supported cmdlets (script
/// text: its pipeline; its assignments are left to [`plan`]).
pub fn bind(cmds: &[CommandSpec]) -> Result<Bound, SessionError> {
    let Some(first) = cmds.first() else {
        return Err(SessionError::parse("the pipeline has no command".into()));
    };
    if first.is_script {
        return plan(cmds)?
            .command
            .ok_or_else(|| SessionError::parse("the script has no command".into()));
    }
    let Some(&(command, own, positions)) = COMMANDS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(&first.name))
    else {
        return Err(SessionError::command_not_found(&first.name));
    };
    if let Some(second) = cmds.get(1) {
        return Err(SessionError::parse(format!(
            "a pipeline of more than one command is not supported by this endpoint \
             (mi-psrp serve): {} | {}",
            first.name, second.name
        )));
    }
    let changing = CHANGING.contains(&command);
    let mut known: Vec<&'static str> = own.to_vec();
    known.extend_from_slice(COMMON);
    if changing {
        known.extend_from_slice(&["WhatIf", "Confirm"]);
    }
    known.extend_from_slice(REFUSED);
    let binding = |id: &str, p: &str, m: String| SessionError::parameter_binding(command, id, p, m);
    let mut given: Vec<(&'static str, Value)> = Vec::new();
    let mut positional = positions.iter();
    for (name, value) in &first.args {
        let param = match name {
            Some(n) => {
                let n = n.trim_start_matches('-').trim_end_matches(':');
                let exact = known.iter().copied().find(|k| k.eq_ignore_ascii_case(n));
                let matches: Vec<&'static str> = known
                    .iter()
                    .copied()
                    .filter(|k| {
                        !n.is_empty()
                            && k.len() >= n.len()
                            && k.as_bytes()[..n.len()].eq_ignore_ascii_case(n.as_bytes())
                    })
                    .collect();
                match (exact, matches.as_slice()) {
                    (Some(k), _) => k,
                    (None, [k]) => *k,
                    (None, []) => {
                        let mut supported: Vec<&str> = own.to_vec();
                        supported.extend_from_slice(COMMON);
                        if changing {
                            supported.extend_from_slice(&["WhatIf", "Confirm"]);
                        }
                        return Err(binding(
                            "NamedParameterNotFound",
                            n,
                            format!(
                                "A parameter cannot be found that matches parameter name '{n}'. \
                                 This endpoint (mi-psrp serve) supports {command} -{}.",
                                supported.join(", -")
                            ),
                        ));
                    }
                    (None, _) => {
                        return Err(binding(
                            "AmbiguousParameter",
                            n,
                            format!(
                                "Parameter cannot be processed because the parameter name '{n}' \
                                 is ambiguous. Possible matches include: -{}.",
                                matches.join(" -")
                            ),
                        ));
                    }
                }
            }
            None => loop {
                match positional.next() {
                    Some(p) if given.iter().any(|(g, _)| g == p) => continue,
                    Some(p) => break *p,
                    None => {
                        return Err(binding(
                            "PositionalParameterNotFound",
                            "",
                            format!(
                                "A positional parameter cannot be found that accepts argument \
                                 '{}'.",
                                short(value)
                            ),
                        ));
                    }
                }
            },
        };
        if given.iter().any(|(g, _)| *g == param) {
            return Err(binding(
                "ParameterAlreadyBound",
                param,
                format!(
                    "Cannot bind parameter because parameter '{param}' is specified more than once."
                ),
            ));
        }
        if REFUSED.contains(&param) {
            return Err(binding(
                "ParameterNotSupported",
                param,
                format!(
                    "The common parameter -{param} is not supported by this endpoint \
                     (mi-psrp serve): it supports -Verbose, -Debug, -WarningAction, \
                     -ErrorAction and, on commands that change state, -WhatIf and -Confirm."
                ),
            ));
        }
        given.push((param, value.clone()));
    }
    let take = |name: &str| given.iter().find(|(g, _)| *g == name).map(|(_, v)| v);
    let missing = |name: &str| {
        binding(
            "MissingMandatoryParameter",
            name,
            format!(
                "Cannot process command because of one or more missing mandatory parameters: {name}."
            ),
        )
    };
    let text = |name: &'static str, required: bool| -> Result<Option<String>, SessionError> {
        match take(name) {
            None if required => Err(missing(name)),
            None => Ok(None),
            Some(Value::Str(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(v) => Err(binding(
                "ParameterArgumentValidationError",
                name,
                format!(
                    "Cannot validate argument on parameter '{name}': '{}' is not a non-empty string.",
                    short(v)
                ),
            )),
        }
    };
    let flag = |name: &'static str| -> Result<bool, SessionError> {
        take(name).map_or(Ok(false), |v| {
            switch(v).map_err(|e| {
                binding(
                    "ParameterArgumentTransformationError",
                    name,
                    format!("Cannot process argument transformation on parameter '{name}': {e}."),
                )
            })
        })
    };
    let preference = |name: &'static str| -> Result<Option<&'static str>, SessionError> {
        let Some(v) = take(name) else { return Ok(None) };
        match action(v) {
            Some(a @ ("SilentlyContinue" | "Ignore" | "Continue" | "Stop")) => Ok(Some(a)),
            Some(a) => Err(binding(
                "ParameterArgumentValidationError",
                name,
                format!(
                    "-{name} {a} is not supported by this endpoint (mi-psrp serve): it takes \
                     Continue, SilentlyContinue, Ignore or Stop (no prompts yet)."
                ),
            )),
            None => Err(binding(
                "ParameterArgumentTransformationError",
                name,
                format!(
                    "Cannot convert value '{}' of parameter {name} to type \
                     System.Management.Automation.ActionPreference.",
                    short(v)
                ),
            )),
        }
    };
    let given_flag = |name: &'static str| -> Result<Option<bool>, SessionError> {
        if take(name).is_some() {
            flag(name).map(Some)
        } else {
            Ok(None)
        }
    };
    let input = take("InputObject")
        .map(|v| target(command, v))
        .transpose()?;
    let class_name = text("ClassName", false)?;
    let (class, input_ns) = match (&input, class_name) {
        (Some(_), Some(_)) => {
            return Err(binding(
                "AmbiguousParameterSet",
                "InputObject",
                "Parameter set cannot be resolved using the specified named parameters: \
                 -ClassName and -InputObject cannot be given together."
                    .into(),
            ));
        }
        (Some(t), None) => (t.class.clone(), t.namespace.clone()),
        (None, Some(c)) => (c, None),
        (None, None) if own.contains(&"ClassName") => return Err(missing("ClassName")),
        (None, None) => return Err(missing("InputObject")),
    };
    let namespace = text("Namespace", false)?
        .or(input_ns)
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    let operation = match command {
        "Get-CimInstance" => {
            let filter = text("Filter", false)?
                .map(|f| parse_filter(&f))
                .transpose()
                .map_err(|e| binding("ParameterArgumentValidationError", "Filter", e))?
                .unwrap_or_default();
            let keys_only = flag("KeyOnly")?;
            match input {
                Some(target) if filter.is_empty() => Operation::Get { target, keys_only },
                Some(_) => {
                    return Err(binding(
                        "AmbiguousParameterSet",
                        "Filter",
                        "-Filter and -InputObject cannot be given together.".into(),
                    ));
                }
                None => Operation::Enumerate { keys_only, filter },
            }
        }
        "Invoke-CimMethod" => Operation::Invoke {
            method: text("MethodName", true)?.unwrap_or_default(),
            arguments: take("Arguments")
                .map(|v| entries(command, "Arguments", v))
                .transpose()?
                .unwrap_or_default(),
            target: input,
        },
        "New-CimInstance" => Operation::Create {
            properties: take("Property")
                .map(|v| entries(command, "Property", v))
                .transpose()?
                .unwrap_or_default(),
        },
        "Set-CimInstance" => Operation::Modify {
            target: input.expect("InputObject is required"),
            properties: take("Property")
                .map(|v| entries(command, "Property", v))
                .transpose()?,
        },
        _ => Operation::Delete {
            target: input.expect("InputObject is required"),
        },
    };
    let warning_action = preference("WarningAction")?;
    let error_action = preference("ErrorAction")?.map(|a| match a {
        "Stop" => ErrorAction::Stop,
        "Continue" => ErrorAction::Continue,
        _ => ErrorAction::Ignore,
    });
    Ok(Bound {
        command,
        class,
        namespace,
        operation,
        verbose: given_flag("Verbose")?,
        debug: given_flag("Debug")?,
        warnings: warning_action.map(|a| !matches!(a, "SilentlyContinue" | "Ignore")),
        error_action,
        what_if: given_flag("WhatIf")?,
        confirm: given_flag("Confirm")?,
    })
}

/// The assignments and commands of script text (AddScript; `script.args`
/// holds its `-ArgumentList` values), read by `script::parse`: the subset
/// it reads, or a ParseException / ParameterBindingException saying what
/// is supported.
pub fn script_commands(script: &CommandSpec) -> Result<super::script::Parsed, SessionError> {
    super::script::parse(&script.name, &script.args)
}

#[cfg(test)]
mod tests;
