//! A pipeline's commands: read from CREATE_PIPELINE's `PowerShell` object,
//! bound to the CIM cmdlets this endpoint runs, and their arguments
//! converted by each parameter's declared type.
//!
//! Supported, given structured (AddCommand/AddParameter):
//!
//! - `Get-CimInstance [-ClassName] C [-Namespace N] [-KeyOnly]`
//! - `Invoke-CimMethod [-ClassName] C [[-Arguments] @{…}] [-MethodName] M [-Namespace N]`
//!
//! with `-Verbose` and `-Debug` (the provider's verbose and debug messages
//! are sent only when asked, as PowerShell's preferences do). Parameter
//! names are case-insensitive and may be shortened to an unambiguous prefix.
//! Anything else fails the pipeline with PowerShell's exception names.

use super::messages::{SessionError, Value};
use crate::psrp::cim::{CimString, CimValue};

/// The most items of an argument array.
pub const MAX_ARGUMENT_ITEMS: usize = 65_536;
/// The most commands a pipeline may name (one is run; more are refused).
pub const MAX_COMMANDS: usize = 16;

/// One command of the pipeline, as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandSpec {
    /// The command name, or the script text.
    pub name: String,
    /// Script text (AddScript) rather than a command.
    pub is_script: bool,
    /// The arguments: name (`None`: positional) and value.
    pub args: Vec<(Option<String>, Value)>,
}

/// Reads the commands of a CREATE_PIPELINE object.
pub fn read_create_pipeline(v: &Value) -> Result<Vec<CommandSpec>, String> {
    let ps = v
        .member("PowerShell")
        .ok_or("CREATE_PIPELINE without a PowerShell member")?;
    let mut out = Vec::new();
    let mut lists = vec![ps.member("Cmds")];
    // More statements (`a; b`): refused below, but read.
    if let Some(Value::List(extra)) = ps.member("ExtraCmds") {
        lists.extend(extra.iter().map(|e| e.member("Cmds")));
    }
    for list in lists {
        let Some(Value::List(cmds)) = list else {
            return Err("PowerShell.Cmds is not a list".into());
        };
        for c in cmds {
            if out.len() >= MAX_COMMANDS {
                return Err(format!("more than {MAX_COMMANDS} commands"));
            }
            let name = c
                .member("Cmd")
                .and_then(Value::as_str)
                .ok_or("a command without a Cmd")?
                .to_owned();
            let is_script = matches!(c.member("IsScript"), Some(Value::Bool(true)));
            let mut args = Vec::new();
            match c.member("Args") {
                Some(Value::List(items)) => {
                    for a in items {
                        let n = match a.member("N") {
                            Some(Value::Str(s)) => Some(s.clone()),
                            Some(Value::Nil) | None => None,
                            Some(_) => return Err("an argument name that is not text".into()),
                        };
                        let value = a.member("V").cloned().unwrap_or(Value::Nil);
                        args.push((n, value));
                    }
                }
                None | Some(Value::Nil) => {}
                Some(_) => return Err("a command whose Args is not a list".into()),
            }
            out.push(CommandSpec {
                name,
                is_script,
                args,
            });
        }
    }
    Ok(out)
}

/// What a pipeline runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// `Get-CimInstance`: EnumerateInstances.
    Enumerate {
        /// Only keys.
        keys_only: bool,
    },
    /// `Invoke-CimMethod` (static).
    Invoke {
        /// The method.
        method: String,
        /// The `-Arguments` entries.
        arguments: Vec<(String, Value)>,
    },
}

/// A bound command.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The cmdlet's name as PowerShell spells it.
    pub command: &'static str,
    /// The class.
    pub class: String,
    /// The namespace (`root/cimv2` unless given).
    pub namespace: String,
    /// The operation.
    pub operation: Operation,
    /// `-Verbose`.
    pub verbose: bool,
    /// `-Debug`.
    pub debug: bool,
}

/// The default namespace.
pub const DEFAULT_NAMESPACE: &str = "root/cimv2";

const GET_PARAMS: &[&str] = &["ClassName", "Namespace", "KeyOnly", "Verbose", "Debug"];
const INVOKE_PARAMS: &[&str] = &[
    "ClassName",
    "MethodName",
    "Arguments",
    "Namespace",
    "Verbose",
    "Debug",
];

fn switch(v: &Value) -> Result<bool, String> {
    match v {
        Value::Nil => Ok(true),
        Value::Bool(b) => Ok(*b),
        Value::Object { members, .. } if members.iter().any(|(n, _)| n == "IsPresent") => {
            match members.iter().find(|(n, _)| n == "IsPresent") {
                Some((_, Value::Bool(b))) => Ok(*b),
                _ => Err("not a switch value".into()),
            }
        }
        _ => Err("not a switch value".into()),
    }
}

/// Binds the pipeline's commands to one of the supported cmdlets.
pub fn bind(cmds: &[CommandSpec]) -> Result<Bound, SessionError> {
    let Some(first) = cmds.first() else {
        return Err(SessionError::parse("the pipeline has no command".into()));
    };
    if first.is_script {
        return Err(SessionError::parse(format!(
            "script text is not supported by this endpoint (mi-psrp serve): send the command \
             and its parameters as a command (AddCommand/AddParameter), not as a script: {}",
            first.name.chars().take(80).collect::<String>()
        )));
    }
    let (command, known, positions): (&'static str, &[&str], &[&str]) =
        if first.name.eq_ignore_ascii_case("Get-CimInstance") {
            ("Get-CimInstance", GET_PARAMS, &["ClassName"])
        } else if first.name.eq_ignore_ascii_case("Invoke-CimMethod") {
            (
                "Invoke-CimMethod",
                INVOKE_PARAMS,
                &["ClassName", "Arguments", "MethodName"],
            )
        } else {
            return Err(SessionError::command_not_found(&first.name));
        };
    if let Some(second) = cmds.get(1) {
        return Err(SessionError::parse(format!(
            "a pipeline of more than one command is not supported by this endpoint \
             (mi-psrp serve): {} | {}",
            first.name, second.name
        )));
    }
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
                        !n.is_empty() && k.len() >= n.len() && k[..n.len()].eq_ignore_ascii_case(n)
                    })
                    .collect();
                match (exact, matches.as_slice()) {
                    (Some(k), _) => k,
                    (None, [k]) => *k,
                    (None, []) => {
                        return Err(binding(
                            "NamedParameterNotFound",
                            n,
                            format!(
                                "A parameter cannot be found that matches parameter name '{n}'. \
                                 This endpoint (mi-psrp serve) supports {command} -{}.",
                                known.join(", -")
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
        given.push((param, value.clone()));
    }
    let take = |name: &str| given.iter().find(|(g, _)| *g == name).map(|(_, v)| v);
    let text = |name: &'static str, required: bool| -> Result<Option<String>, SessionError> {
        match take(name) {
            None if required => Err(binding(
                "MissingMandatoryParameter",
                name,
                format!(
                    "Cannot process command because of one or more missing mandatory parameters: {name}."
                ),
            )),
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
    let class = text("ClassName", true)?.unwrap_or_default();
    let namespace = text("Namespace", false)?.unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    let operation = if command == "Get-CimInstance" {
        Operation::Enumerate {
            keys_only: flag("KeyOnly")?,
        }
    } else {
        let method = text("MethodName", true)?.unwrap_or_default();
        let arguments = match take("Arguments") {
            None | Some(Value::Nil) => Vec::new(),
            Some(Value::Dict(entries)) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let Value::Str(k) = k else {
                        return Err(binding(
                            "ParameterArgumentTransformationError",
                            "Arguments",
                            format!("an -Arguments key that is not text: '{}'", short(k)),
                        ));
                    };
                    out.push((k.clone(), v.clone()));
                }
                out
            }
            Some(v) => {
                return Err(binding(
                    "ParameterArgumentTransformationError",
                    "Arguments",
                    format!(
                        "Cannot process argument transformation on parameter 'Arguments': \
                         '{}' is not a hashtable (IDictionary).",
                        short(v)
                    ),
                ));
            }
        };
        Operation::Invoke { method, arguments }
    };
    Ok(Bound {
        command,
        class,
        namespace,
        operation,
        verbose: flag("Verbose")?,
        debug: flag("Debug")?,
    })
}

/// A short text of a value for a message.
pub fn short(v: &Value) -> String {
    let s = match v {
        Value::Nil => "$null".to_owned(),
        Value::Bool(b) => format!("{b}"),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Char(c) => String::from_utf16_lossy(&[*c]),
        Value::Str(s) => s.clone(),
        Value::List(_) => "System.Object[]".to_owned(),
        Value::Dict(_) => "System.Collections.Hashtable".to_owned(),
        Value::Object { type_names, .. } => type_names
            .first()
            .cloned()
            .unwrap_or_else(|| "System.Object".into()),
    };
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

const TYPE_NAMES: [&str; 16] = [
    "boolean",
    "uint8",
    "sint8",
    "uint16",
    "sint16",
    "uint32",
    "sint32",
    "uint64",
    "sint64",
    "real32",
    "real64",
    "char16",
    "datetime",
    "string",
    "reference",
    "instance",
];

fn type_name(t: u32) -> String {
    match t {
        0..16 => TYPE_NAMES[t as usize].to_owned(),
        16..32 => format!("{}[]", TYPE_NAMES[t as usize - 16]),
        _ => format!("type {t}"),
    }
}

fn integer(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(i128::from(*i)),
        Value::UInt(u) => Some(i128::from(*u)),
        Value::Real(r) if r.fract() == 0.0 && r.abs() < 1e30 => Some(*r as i128),
        Value::Str(s) => s.trim().parse().ok(),
        Value::Char(c) => Some(i128::from(*c)),
        _ => None,
    }
}

fn real(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Real(r) => Some(*r),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Char(c) => String::from_utf16_lossy(&[*c]),
        _ => return None,
    })
}

/// Converts `v` to a value of `MI_Type` `mi_type` as PowerShell's argument
/// conversion would for the common cases (numbers within range, text for a
/// string, a single value for an array of one; arrays of scalars only, so
/// an argument nests one level at most). `Ok(None)`: null. Datetimes,
/// references and embedded instances are not converted yet (an error says so).
pub fn to_cim(v: &Value, mi_type: u32, parameter: &str) -> Result<Option<CimValue>, String> {
    if matches!(v, Value::Nil) {
        return Ok(None);
    }
    let no_fit = || {
        format!(
            "Cannot convert value '{}' of parameter {parameter} to type {}.",
            short(v),
            type_name(mi_type)
        )
    };
    macro_rules! int {
        ($t:ty, $variant:ident) => {
            CimValue::$variant(
                integer(v)
                    .and_then(|i| <$t>::try_from(i).ok())
                    .ok_or_else(no_fit)?,
            )
        };
    }
    let items = || -> Result<Vec<&Value>, String> {
        let items: Vec<&Value> = match v {
            Value::List(items) => items.iter().collect(),
            other => vec![other],
        };
        if items.len() > MAX_ARGUMENT_ITEMS {
            return Err(format!(
                "parameter {parameter}: more than {MAX_ARGUMENT_ITEMS} items"
            ));
        }
        Ok(items)
    };
    macro_rules! array {
        ($variant:ident, $item:expr, $scalar:ident) => {{
            let mut out = Vec::new();
            for (i, item) in items()?.into_iter().enumerate() {
                if matches!(item, Value::List(_)) {
                    return Err(no_fit());
                }
                match to_cim(item, $item, &format!("{parameter}[{i}]"))? {
                    Some(CimValue::$scalar(x)) => out.push(x),
                    _ => return Err(no_fit()),
                }
            }
            CimValue::$variant(out)
        }};
    }
    Ok(Some(match mi_type {
        0 => CimValue::Boolean(match v {
            Value::Bool(b) => *b,
            _ => return Err(no_fit()),
        }),
        1 => int!(u8, Uint8),
        2 => int!(i8, Sint8),
        3 => int!(u16, Uint16),
        4 => int!(i16, Sint16),
        5 => int!(u32, Uint32),
        6 => int!(i32, Sint32),
        7 => int!(u64, Uint64),
        8 => int!(i64, Sint64),
        9 => CimValue::Real32(
            real(v)
                .filter(|r| !r.is_finite() || r.abs() <= f64::from(f32::MAX))
                .ok_or_else(no_fit)? as f32,
        ),
        10 => CimValue::Real64(real(v).ok_or_else(no_fit)?),
        11 => CimValue::Char16(match v {
            Value::Char(c) => *c,
            Value::Str(s) if s.encode_utf16().count() == 1 => s.encode_utf16().next().unwrap_or(0),
            other => integer(other)
                .and_then(|i| u16::try_from(i).ok())
                .ok_or_else(no_fit)?,
        }),
        13 => CimValue::String(CimString::from(text(v).ok_or_else(no_fit)?.as_str())),
        16 => array!(BooleanA, 0, Boolean),
        17 => array!(Uint8A, 1, Uint8),
        18 => array!(Sint8A, 2, Sint8),
        19 => array!(Uint16A, 3, Uint16),
        20 => array!(Sint16A, 4, Sint16),
        21 => array!(Uint32A, 5, Uint32),
        22 => array!(Sint32A, 6, Sint32),
        23 => array!(Uint64A, 7, Uint64),
        24 => array!(Sint64A, 8, Sint64),
        25 => array!(Real32A, 9, Real32),
        26 => array!(Real64A, 10, Real64),
        27 => array!(Char16A, 11, Char16),
        29 => {
            let mut out = Vec::new();
            for (i, item) in items()?.into_iter().enumerate() {
                if matches!(item, Value::List(_)) {
                    return Err(no_fit());
                }
                match to_cim(item, 13, &format!("{parameter}[{i}]"))? {
                    Some(CimValue::String(x)) => out.push(Some(x)),
                    None => out.push(None),
                    _ => return Err(no_fit()),
                }
            }
            CimValue::StringA(out)
        }
        _ => {
            return Err(format!(
                "parameter {parameter}: values of type {} are not supported by this endpoint \
                 (mi-psrp serve) yet",
                type_name(mi_type)
            ));
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(name: &str, args: &[(Option<&str>, Value)]) -> Vec<CommandSpec> {
        vec![CommandSpec {
            name: name.into(),
            is_script: false,
            args: args
                .iter()
                .map(|(n, v)| (n.map(str::to_owned), v.clone()))
                .collect(),
        }]
    }

    #[test]
    fn binds_the_cim_cmdlets() {
        let s = |x: &str| Value::Str(x.into());
        let b = bind(&cmd("get-ciminstance", &[(None, s("XYZ_Widget"))])).unwrap();
        assert_eq!(b.class, "XYZ_Widget");
        assert_eq!(b.namespace, DEFAULT_NAMESPACE);
        assert_eq!(b.operation, Operation::Enumerate { keys_only: false });
        let b = bind(&cmd(
            "Invoke-CimMethod",
            &[
                (Some("class"), s("C")),
                (Some("MethodName"), s("Scan")),
                (Some("Arguments"), Value::Dict(vec![(s("Pattern"), s("p"))])),
                (Some("Verbose"), Value::Nil),
            ],
        ))
        .unwrap();
        assert!(b.verbose && !b.debug);
        assert_eq!(
            b.operation,
            Operation::Invoke {
                method: "Scan".into(),
                arguments: vec![("Pattern".into(), s("p"))]
            }
        );
        let e = bind(&cmd("Get-Process", &[])).unwrap_err();
        assert_eq!(e.reason, "CommandNotFoundException");
        let e = bind(&cmd("Get-CimInstance", &[(Some("Frob"), s("x"))])).unwrap_err();
        assert_eq!(e.reason, "ParameterBindingException");
        assert!(e.error_id.starts_with("NamedParameterNotFound,"));
        let e = bind(&cmd("Get-CimInstance", &[])).unwrap_err();
        assert!(e.error_id.starts_with("MissingMandatoryParameter,"));
        // A prefix binds the one parameter it starts (-N: -Namespace).
        let e = bind(&cmd("Invoke-CimMethod", &[(Some("N"), s("x"))])).unwrap_err();
        assert!(
            e.error_id.starts_with("MissingMandatoryParameter,"),
            "{e:?}"
        );
        assert_eq!(e.target_name, "ClassName");
        let e = bind(&cmd("Invoke-CimMethod", &[(None, s("C"))])).unwrap_err();
        assert_eq!(e.target_name, "MethodName");
        let e = bind(&cmd(
            "Get-CimInstance",
            &[(None, s("C")), (Some("ClassName"), s("D"))],
        ))
        .unwrap_err();
        assert!(e.error_id.starts_with("ParameterAlreadyBound,"), "{e:?}");
        let e = bind(&cmd("Get-CimInstance", &[(None, s("C")), (None, s("D"))])).unwrap_err();
        assert!(
            e.error_id.starts_with("PositionalParameterNotFound,"),
            "{e:?}"
        );
    }

    #[test]
    fn converts_by_declared_type() {
        assert_eq!(
            to_cim(&Value::Int(5), 5, "N").unwrap(),
            Some(CimValue::Uint32(5))
        );
        assert!(to_cim(&Value::Int(-1), 5, "N").is_err());
        assert!(to_cim(&Value::Int(300), 1, "N").is_err());
        assert_eq!(
            to_cim(&Value::Int(7), 13, "S").unwrap(),
            Some(CimValue::String(CimString::from("7")))
        );
        assert_eq!(
            to_cim(&Value::Str("x".into()), 29, "A").unwrap(),
            Some(CimValue::StringA(vec![Some(CimString::from("x"))]))
        );
        assert_eq!(
            to_cim(&Value::List(vec![Value::Int(1), Value::UInt(2)]), 21, "A").unwrap(),
            Some(CimValue::Uint32A(vec![1, 2]))
        );
        assert!(to_cim(&Value::Str("x".into()), 12, "D").is_err());
        assert_eq!(to_cim(&Value::Nil, 5, "N").unwrap(), None);
    }
}
