//! What the client sent, read: CREATE_PIPELINE's commands
//! ([`read_create_pipeline`]), an `-InputObject` instance ([`Target`]),
//! hashtable, switch and `ActionPreference` arguments.

use super::MAX_COMMANDS;
use crate::serve::convert::short;
use crate::serve::messages::{SessionError, Value};

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

/// An instance the client sent back (`-InputObject`): a deserialized
/// CimInstance, its class and namespace from its type names.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The class (the leaf of the type names).
    pub class: String,
    /// The namespace its type names give, if any.
    pub namespace: Option<String>,
    /// Its properties (members), by name.
    pub properties: Vec<(String, Value)>,
}

pub(super) fn switch(v: &Value) -> Result<bool, String> {
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

/// An `ActionPreference` value (the enum's number or its name).
pub(in crate::serve) fn action(v: &Value) -> Option<&'static str> {
    const NAMES: [&str; 7] = [
        "SilentlyContinue",
        "Stop",
        "Continue",
        "Inquire",
        "Ignore",
        "Suspend",
        "Break",
    ];
    match v {
        Value::Int(i) => usize::try_from(*i).ok().and_then(|i| NAMES.get(i).copied()),
        Value::UInt(u) => usize::try_from(*u).ok().and_then(|i| NAMES.get(i).copied()),
        Value::Str(s) => NAMES
            .iter()
            .copied()
            .find(|n| n.eq_ignore_ascii_case(s.trim())),
        _ => None,
    }
}

const CIM_INSTANCE: &str = "Microsoft.Management.Infrastructure.CimInstance#";

/// The class and namespace of a deserialized CimInstance, from its type
/// names (`[Deserialized.]Microsoft.Management.Infrastructure.CimInstance#ns/Class`,
/// leaf first; `…#Class` without a namespace), else its
/// `CimSystemProperties`.
pub fn instance_class(v: &Value) -> Option<(String, Option<String>)> {
    let Value::Object { type_names, .. } = v else {
        return None;
    };
    let mut names = type_names.iter().filter_map(|t| {
        t.strip_prefix("Deserialized.")
            .unwrap_or(t)
            .strip_prefix(CIM_INSTANCE)
            .filter(|rest| !rest.is_empty())
    });
    if let Some(first) = names.next() {
        return Some(match first.rsplit_once('/') {
            Some((ns, class)) if !class.is_empty() => (class.to_owned(), Some(ns.to_owned())),
            _ => (first.to_owned(), None),
        });
    }
    let sys = v.member("CimSystemProperties")?;
    let class = sys.member("ClassName")?.as_str()?.to_owned();
    let ns = sys
        .member("Namespace")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some((class, ns))
}

/// Reads `-InputObject`'s value: a deserialized CimInstance (or a list of
/// one, as pipeline input gives it).
pub(super) fn target(command: &'static str, v: &Value) -> Result<Target, SessionError> {
    let v = match v {
        Value::List(items) if items.len() == 1 => &items[0],
        other => other,
    };
    let Some((class, namespace)) = instance_class(v) else {
        return Err(SessionError::parameter_binding(
            command,
            "ParameterArgumentTransformationError",
            "InputObject",
            format!(
                "Cannot process argument transformation on parameter 'InputObject': '{}' is \
                 not a CimInstance (its type names name no \
                 Microsoft.Management.Infrastructure.CimInstance#<namespace>/<class>).",
                short(v)
            ),
        ));
    };
    let properties = match v {
        Value::Object { members, .. } => members.clone(),
        _ => Vec::new(),
    };
    Ok(Target {
        class,
        namespace,
        properties,
    })
}

/// The entries of a hashtable parameter (`-Arguments`, `-Property`).
pub(super) fn entries(
    command: &'static str,
    name: &str,
    v: &Value,
) -> Result<Vec<(String, Value)>, SessionError> {
    let binding = |m: String| {
        SessionError::parameter_binding(command, "ParameterArgumentTransformationError", name, m)
    };
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::Dict(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let Value::Str(k) = k else {
                    return Err(binding(format!(
                        "a -{name} key that is not text: '{}'",
                        short(k)
                    )));
                };
                out.push((k.clone(), v.clone()));
            }
            Ok(out)
        }
        v => Err(binding(format!(
            "Cannot process argument transformation on parameter '{name}': '{}' is not a \
             hashtable (IDictionary).",
            short(v)
        ))),
    }
}
