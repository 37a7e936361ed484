//! Values of the tree: literals, the param variables and `$args`, the
//! param() binding of the script command's arguments; bounded by `MAX_NODES`.

use super::parser::Expr;
use super::*;
use crate::serve::messages::{MAX_NODES, SessionError, Value};

/// How many values `v` holds (itself included), without recursion.
pub(super) fn nodes(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::List(items) => stack.extend(items),
            Value::Dict(entries) => {
                for (k, v) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
            Value::Object { members, .. } => stack.extend(members.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    n
}

pub(super) struct Eval<'a> {
    pub(super) params: Vec<Value>,
    pub(super) args: &'a [Value],
    pub(super) nodes: usize,
}

impl Eval<'_> {
    pub(super) fn count(&mut self, n: usize) -> Result<(), SessionError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(SessionError::parse(format!(
                "the script's values come to more than {MAX_NODES} items. {SUPPORTED}"
            )));
        }
        Ok(())
    }

    pub(super) fn copy(&mut self, v: &Value) -> Result<Value, SessionError> {
        self.count(nodes(v))?;
        Ok(v.clone())
    }

    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value, SessionError> {
        Ok(match e {
            Expr::Lit(v) => self.copy(v)?,
            Expr::Param(i) => {
                let v = self.params.get(*i).cloned().unwrap_or(Value::Nil);
                self.copy(&v)?
            }
            Expr::Args => {
                let v = Value::List(self.args.to_vec());
                self.copy(&v)?
            }
            Expr::ArgsIndex(i) => {
                let v = self.args.get(*i).cloned().unwrap_or(Value::Nil);
                self.copy(&v)?
            }
            Expr::List(items) => {
                self.count(1)?;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Value::List(out)
            }
            Expr::Array(statements) => {
                self.count(1)?;
                let mut out = Vec::new();
                for s in statements {
                    match self.eval(s)? {
                        Value::List(items) => out.extend(items),
                        Value::Nil if matches!(s, Expr::Lit(Value::Nil)) => out.push(Value::Nil),
                        // A null from a variable enumerates to nothing, as in PowerShell.
                        Value::Nil => {}
                        v => out.push(v),
                    }
                }
                Value::List(out)
            }
            Expr::Dict(entries) => {
                self.count(1)?;
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    out.push((self.eval(k)?, self.eval(v)?));
                }
                Value::Dict(out)
            }
            Expr::DateTime(inner) => match self.eval(inner)? {
                Value::Str(s) => Value::Str(s),
                Value::Nil => Value::Nil,
                other => {
                    return Err(SessionError::parse(format!(
                        "the cast [datetime] is supported on a quoted string, not '{}'. \
                         {SUPPORTED}",
                        crate::serve::commands::short(&other)
                    )));
                }
            },
        })
    }
}

/// The script's parameter names bound to the script command's arguments:
/// each parameter's value (`None`: its default), and `$args`.
pub(super) fn bind_params(
    params: &[(String, Option<Expr>)],
    given: &[(Option<String>, Value)],
) -> Result<(Vec<Option<Value>>, Vec<Value>), SessionError> {
    let binding = |id: &str, p: &str, m: String| {
        let mut e = SessionError::parameter_binding("", id, p, m);
        e.error_id = id.to_owned();
        e
    };
    let mut bound: Vec<Option<Value>> = vec![None; params.len()];
    for (name, value) in given {
        let Some(n) = name else { continue };
        let n = n.trim_start_matches('-').trim_end_matches(':');
        let exact = params.iter().position(|(p, _)| p.eq_ignore_ascii_case(n));
        let matches: Vec<usize> = (0..params.len())
            .filter(|&i| {
                let p = params[i].0.as_bytes();
                !n.is_empty()
                    && p.len() >= n.len()
                    && p[..n.len()].eq_ignore_ascii_case(n.as_bytes())
            })
            .collect();
        let i = match (exact, matches.as_slice()) {
            (Some(i), _) => i,
            (None, [i]) => *i,
            (None, []) => {
                let names: Vec<String> = params.iter().map(|(p, _)| format!("-{p}")).collect();
                return Err(binding(
                    "NamedParameterNotFound",
                    n,
                    format!(
                        "A parameter cannot be found that matches parameter name '{n}'. The \
                         script's param() declares: {}.",
                        if names.is_empty() {
                            "no parameters".to_owned()
                        } else {
                            names.join(", ")
                        }
                    ),
                ));
            }
            (None, _) => {
                return Err(binding(
                    "AmbiguousParameter",
                    n,
                    format!(
                        "Parameter cannot be processed because the parameter name '{n}' is ambiguous."
                    ),
                ));
            }
        };
        if bound[i].is_some() {
            return Err(binding(
                "ParameterAlreadyBound",
                &params[i].0,
                format!(
                    "Cannot bind parameter because parameter '{}' is specified more than once.",
                    params[i].0
                ),
            ));
        }
        bound[i] = Some(value.clone());
    }
    let mut rest = Vec::new();
    let mut free = 0;
    for (name, value) in given {
        if name.is_some() {
            continue;
        }
        while free < bound.len() && bound[free].is_some() {
            free += 1;
        }
        if free < bound.len() {
            bound[free] = Some(value.clone());
        } else {
            rest.push(value.clone());
        }
    }
    Ok((bound, rest))
}
