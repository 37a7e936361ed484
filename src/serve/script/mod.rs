//! Script text (AddScript, `Invoke-Command { … }`): a small, strict,
//! bounded reader of the subset this endpoint runs, giving the same
//! [`CommandSpec`]s that structured commands (AddCommand/AddParameter) give.
//!
//! Accepted:
//!
//! - an optional leading `param($a, $b = default, …)` block, bound to the
//!   script command's arguments (positional in order, as `-ArgumentList`
//!   sends them, or by name); the positional ones left over are `$args`;
//! - assignments of the preference variables ([`PREFERENCES`]:
//!   `$ConfirmPreference = 'Low'`, …), each its own statement, before
//!   the pipeline;
//! - at most one pipeline: commands joined by `|`, each a name then
//!   parameters (`-Name value`, `-Name:value`, switches) and arguments;
//!   `-Name` takes no value when it names (or is a prefix of only) one of
//!   the switches ([`SWITCHES`]: `-KeyOnly`, `-Verbose`, `-WhatIf`, …);
//! - values: bare words (text), `'single'` (`''` escape) and `"double"`
//!   quoted strings (backtick escapes; no `$` expansion), numbers
//!   (`42`, `-1`, `0x1F`, `1.5`, `1e3`, `4kb`…`1pb`), `$true`, `$false`,
//!   `$null`, the param variables, `$args`, `$args[N]`, `@{ k = v; … }`,
//!   `@( a, b )`, comma lists `a, b, c` (one argument), `( … )`, and
//!   `([datetime]'…')`;
//! - comments (`#…`, `<# … #>`), backtick line continuations, newlines
//!   and `;` around the one statement.
//!
//! Anything else is an error value naming PowerShell's exception
//! (`ParseException`, `ParameterBindingException`) with a message saying
//! what is supported. Bounded: [`MAX_SCRIPT_LEN`], [`MAX_TOKENS`],
//! [`MAX_DEPTH`] and [`MAX_NODES`] (the values the variables copy).

mod eval;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use super::commands::CommandSpec;
use super::messages::{SessionError, Value};
use eval::{Eval, bind_params, nodes};
use lexer::Lexer;
use parser::Parser;

/// The longest script text read (bytes).
pub const MAX_SCRIPT_LEN: usize = 64 * 1024;
/// The most tokens a script may have.
pub const MAX_TOKENS: usize = 16 * 1024;
/// The deepest nesting of `@{}`, `@()`, `()` and casts.
pub const MAX_DEPTH: usize = 32;

const SUPPORTED: &str = "This endpoint (mi-psrp serve) reads script text of one pipeline of the \
     CIM cmdlets with literal arguments: quoted strings, numbers, $true, $false, $null, @{…}, \
     @(…), comma lists, ([datetime]'…'), and the script's param() variables and $args[N].";

/// The variables a script may assign: the preferences the session keeps.
pub const PREFERENCES: &[&str] = &[
    "ConfirmPreference",
    "WhatIfPreference",
    "VerbosePreference",
    "DebugPreference",
    "WarningPreference",
    "ErrorActionPreference",
];

/// What a script asks for: preference assignments (name as in
/// [`PREFERENCES`], value), then its pipeline's commands (maybe none).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// `$Name = value`, in order.
    pub assignments: Vec<(&'static str, Value)>,
    /// The pipeline.
    pub commands: Vec<CommandSpec>,
}

const KEYWORDS: &[&str] = &[
    "begin",
    "break",
    "catch",
    "class",
    "continue",
    "data",
    "do",
    "dynamicparam",
    "else",
    "elseif",
    "end",
    "enum",
    "exit",
    "filter",
    "finally",
    "for",
    "foreach",
    "function",
    "if",
    "param",
    "process",
    "return",
    "switch",
    "throw",
    "trap",
    "try",
    "until",
    "using",
    "while",
    "workflow",
];

/// The switch parameters of the CIM cmdlets and the common parameters:
/// these take no value unless given as `-Name:value`.
const SWITCHES: &[&str] = &[
    "KeyOnly",
    "Shallow",
    "ClientOnly",
    "PassThru",
    "Verbose",
    "Debug",
    "WhatIf",
    "Confirm",
];

/// The parameters (of the CIM cmdlets and the common ones) that take a
/// value: a prefix of one of these is not taken for a switch.
const VALUED: &[&str] = &[
    "ClassName",
    "Namespace",
    "MethodName",
    "Arguments",
    "InputObject",
    "Property",
    "Filter",
    "Query",
    "QueryDialect",
    "ResourceUri",
    "ComputerName",
    "CimSession",
    "CimClass",
    "Key",
    "OperationTimeoutSec",
    "ErrorAction",
    "WarningAction",
    "InformationAction",
    "ProgressAction",
    "ErrorVariable",
    "WarningVariable",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
];

fn parse_error(message: String, line: usize, col: usize) -> SessionError {
    SessionError::parse(format!("At line:{line} char:{col}: {message} {SUPPORTED}"))
}

/// Reads script text `script` given the script command's arguments
/// (`-ArgumentList` values as positional ones, or named): its preference
/// assignments and the pipeline's commands, as structured commands are given.
pub fn parse(script: &str, arguments: &[(Option<String>, Value)]) -> Result<Parsed, SessionError> {
    if script.len() > MAX_SCRIPT_LEN {
        return Err(SessionError::parse(format!(
            "the script text is longer than {MAX_SCRIPT_LEN} bytes. {SUPPORTED}"
        )));
    }
    let tokens = Lexer {
        chars: script.chars().collect(),
        pos: 0,
        line: 1,
        line_start: 0,
        out: Vec::new(),
    }
    .run()?;
    let parsed = Parser {
        toks: &tokens,
        pos: 0,
        depth: 0,
        params: Vec::new(),
    }
    .script()?;
    let (bound, rest) = bind_params(&parsed.params, arguments)?;
    let mut eval = Eval {
        params: Vec::with_capacity(bound.len()),
        args: &rest,
        nodes: 0,
    };
    for (given, (_, default)) in bound.into_iter().zip(&parsed.params) {
        let v = match (given, default) {
            (Some(v), _) => {
                eval.count(nodes(&v))?;
                v
            }
            (None, Some(d)) => eval.eval(d)?,
            (None, None) => Value::Nil,
        };
        eval.params.push(v);
    }
    let mut out = Vec::with_capacity(parsed.commands.len());
    for (name, args) in &parsed.commands {
        let mut spec = CommandSpec {
            name: name.clone(),
            is_script: false,
            args: Vec::with_capacity(args.len()),
        };
        for (n, e) in args {
            spec.args.push((n.clone(), eval.eval(e)?));
        }
        out.push(spec);
    }
    let mut assignments = Vec::with_capacity(parsed.assignments.len());
    for (name, e) in &parsed.assignments {
        assignments.push((*name, eval.eval(e)?));
    }
    Ok(Parsed {
        assignments,
        commands: out,
    })
}
