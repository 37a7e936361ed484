//! The tree of a script: an optional `param()` block and one pipeline of
//! commands with their arguments, nesting bounded by `MAX_DEPTH`.

use super::lexer::{Tok, Token};
use super::*;
use crate::serve::commands::MAX_COMMANDS;
use crate::serve::messages::{SessionError, Value};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    Lit(Value),
    /// A param variable: its index.
    Param(usize),
    Args,
    ArgsIndex(usize),
    /// `a, b, c`.
    List(Vec<Expr>),
    /// `@( s; s )`: each statement's items.
    Array(Vec<Expr>),
    /// `@{ k = v }`.
    Dict(Vec<(Expr, Expr)>),
    /// `[datetime]x`.
    DateTime(Box<Expr>),
}

/// A command of the script: its name and arguments (name, value).
pub(super) type Command = (String, Vec<(Option<String>, Expr)>);

pub(super) struct Script {
    pub(super) params: Vec<(String, Option<Expr>)>,
    /// `$Name = value` statements before the pipeline (preference
    /// variables only: [`PREFERENCES`]), the name as spelt in the list.
    pub(super) assignments: Vec<(&'static str, Expr)>,
    pub(super) commands: Vec<Command>,
}

pub(super) struct Parser<'a> {
    pub(super) toks: &'a [Token],
    pub(super) pos: usize,
    pub(super) depth: usize,
    pub(super) params: Vec<(String, Option<Expr>)>,
}

pub(super) fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("'{w}'"),
        Tok::Param { name, .. } => format!("'-{name}'"),
        Tok::Str(_) => "a string".into(),
        Tok::Num(_) => "a number".into(),
        Tok::Var(v) => format!("'${v}'"),
        Tok::Args | Tok::ArgsIndex(_) => "'$args'".into(),
        Tok::Const(_) => "a constant".into(),
        Tok::Cast(c) => format!("'[{c}]'"),
        Tok::AtBrace => "'@{'".into(),
        Tok::AtParen => "'@('".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::RBrace => "'}'".into(),
        Tok::Comma => "','".into(),
        Tok::Semi => "';'".into(),
        Tok::Newline => "a line end".into(),
        Tok::Pipe => "'|'".into(),
        Tok::Eq => "'='".into(),
    }
}

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    pub(super) fn err(&self, message: String) -> SessionError {
        let (line, col) = match self.toks.get(self.pos).or(self.toks.last()) {
            Some(t) => (t.line, t.col),
            None => (1, 1),
        };
        parse_error(message, line, col)
    }

    pub(super) fn unexpected(&self, context: &str) -> SessionError {
        match self.peek() {
            Some(t) => self.err(format!("unexpected {} {context}.", describe(t))),
            None => self.err(format!("the script ends {context}.")),
        }
    }

    pub(super) fn skip_newlines(&mut self) {
        while self.peek() == Some(&Tok::Newline) {
            self.pos += 1;
        }
    }

    pub(super) fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline | Tok::Semi)) {
            self.pos += 1;
        }
    }

    pub(super) fn expect(&mut self, t: &Tok, context: &str) -> Result<(), SessionError> {
        if self.peek() == Some(t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(context))
        }
    }

    pub(super) fn enter(&mut self) -> Result<(), SessionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!(
                "values nest more than {MAX_DEPTH} levels deep (@{{}}, @(), (), casts)."
            )));
        }
        Ok(())
    }

    pub(super) fn script(mut self) -> Result<Script, SessionError> {
        self.skip_newlines();
        if let Some(Tok::Word(w)) = self.peek()
            && w.eq_ignore_ascii_case("param")
            && self.toks.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::LParen)
        {
            self.pos += 2;
            self.param_block()?;
        }
        self.skip_separators();
        let mut assignments = Vec::new();
        while let Some(Tok::Var(name)) = self.peek()
            && self.toks.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::Eq)
        {
            let Some(&known) = PREFERENCES.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
                return Err(self.err(format!(
                    "assigning ${name} is not supported: only the preference variables \
                     ${} may be set.",
                    PREFERENCES.join(", $")
                )));
            };
            if assignments.len() >= PREFERENCES.len() * 4 {
                return Err(self.err("too many assignments.".into()));
            }
            self.pos += 2;
            self.skip_newlines();
            let value = self.expr()?;
            assignments.push((known, value));
            if !matches!(self.peek(), None | Some(Tok::Newline | Tok::Semi)) {
                return Err(self.unexpected("after an assignment: expected ';' or a line end"));
            }
            self.skip_separators();
        }
        let mut commands = Vec::new();
        if self.peek().is_some() {
            commands = self.pipeline()?;
            self.skip_separators();
            if self.peek().is_some() {
                return Err(self.err(
                    "only a single pipeline of the CIM cmdlets is supported (one statement: no \
                     ';' or line between commands)."
                        .into(),
                ));
            }
        }
        Ok(Script {
            params: self.params,
            assignments,
            commands,
        })
    }

    pub(super) fn param_block(&mut self) -> Result<(), SessionError> {
        self.skip_newlines();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_newlines();
            let name = match self.peek() {
                Some(Tok::Var(n)) => n.clone(),
                Some(Tok::Cast(_)) => {
                    return Err(self.err(
                        "types and attributes in param() are not supported: write \
                         param($a, $b = default)."
                            .into(),
                    ));
                }
                _ => return Err(self.unexpected("in param(): expected $name")),
            };
            if self
                .params
                .iter()
                .any(|(p, _)| p.eq_ignore_ascii_case(&name))
            {
                return Err(self.err(format!("duplicate parameter ${name} in param().")));
            }
            self.pos += 1;
            self.skip_newlines();
            let default = if self.peek() == Some(&Tok::Eq) {
                self.pos += 1;
                self.skip_newlines();
                // A default may name the parameters before it; a comma
                // ends it (a list needs parentheses).
                Some(self.primary()?)
            } else {
                None
            };
            self.params.push((name, default));
            self.skip_newlines();
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("in param(): expected ',' or ')'")),
            }
        }
    }

    pub(super) fn pipeline(&mut self) -> Result<Vec<Command>, SessionError> {
        let mut commands = Vec::new();
        loop {
            if commands.len() >= MAX_COMMANDS {
                return Err(self.err(format!("a pipeline of more than {MAX_COMMANDS} commands.")));
            }
            let name = match self.peek() {
                Some(Tok::Word(w)) => {
                    if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(w)) {
                        return Err(
                            self.err(format!("the language keyword '{w}' is not supported."))
                        );
                    }
                    w.clone()
                }
                _ => {
                    return Err(self.unexpected(
                        "where a command name was expected (a statement must be a command)",
                    ));
                }
            };
            self.pos += 1;
            let mut args = Vec::new();
            loop {
                match self.peek() {
                    None | Some(Tok::Newline | Tok::Semi | Tok::Pipe) => break,
                    Some(Tok::Param { name: p, colon }) => {
                        let (p, colon) = (p.clone(), *colon);
                        self.pos += 1;
                        if colon {
                            if !self.starts_argument() {
                                return Err(
                                    self.unexpected(&format!("after '-{p}:': expected its value"))
                                );
                            }
                            args.push((Some(p), self.argument()?));
                        } else if is_switch(&name, &p) {
                            args.push((Some(p), Expr::Lit(Value::Bool(true))));
                        } else if self.starts_argument() {
                            args.push((Some(p), self.argument()?));
                        } else {
                            let mut e = SessionError::parameter_binding(
                                &name,
                                "MissingArgument",
                                &p,
                                format!(
                                    "Missing an argument for parameter '{p}'. Specify a value \
                                     for it and try again."
                                ),
                            );
                            if !["Get-CimInstance", "Invoke-CimMethod"]
                                .iter()
                                .any(|c| c.eq_ignore_ascii_case(&name))
                            {
                                e.error_id = "MissingArgument".into();
                            }
                            return Err(e);
                        }
                    }
                    Some(_) if self.starts_argument() => args.push((None, self.argument()?)),
                    Some(Tok::Cast(_)) => {
                        return Err(self.err(
                            "a cast in a command's arguments is supported in parentheses: \
                             ([datetime]'…')."
                                .into(),
                        ));
                    }
                    Some(_) => return Err(self.unexpected("in a command's arguments")),
                }
            }
            commands.push((name, args));
            if self.peek() == Some(&Tok::Pipe) {
                self.pos += 1;
                self.skip_newlines();
            } else {
                return Ok(commands);
            }
        }
    }

    pub(super) fn starts_argument(&self) -> bool {
        matches!(
            self.peek(),
            Some(
                Tok::Word(_)
                    | Tok::Str(_)
                    | Tok::Num(_)
                    | Tok::Var(_)
                    | Tok::Args
                    | Tok::ArgsIndex(_)
                    | Tok::Const(_)
                    | Tok::AtBrace
                    | Tok::AtParen
                    | Tok::LParen
            )
        )
    }

    /// An argument: a primary, or a comma list of them (bare words are text).
    pub(super) fn argument(&mut self) -> Result<Expr, SessionError> {
        let first = self.arg_primary()?;
        if self.peek() != Some(&Tok::Comma) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            self.skip_newlines();
            if !self.starts_argument() {
                return Err(self.unexpected("after ',': expected a value"));
            }
            items.push(self.arg_primary()?);
        }
        Ok(Expr::List(items))
    }

    pub(super) fn arg_primary(&mut self) -> Result<Expr, SessionError> {
        if let Some(Tok::Word(w)) = self.peek() {
            let w = w.clone();
            self.pos += 1;
            return Ok(Expr::Lit(Value::Str(w)));
        }
        self.primary()
    }

    /// An expression: a primary or a comma list of them.
    pub(super) fn expr(&mut self) -> Result<Expr, SessionError> {
        let first = self.primary()?;
        if self.peek() != Some(&Tok::Comma) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            self.skip_newlines();
            items.push(self.primary()?);
        }
        Ok(Expr::List(items))
    }

    /// A value in expression mode.
    pub(super) fn primary(&mut self) -> Result<Expr, SessionError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.unexpected("where a value was expected"));
        };
        self.pos += 1;
        Ok(match t {
            Tok::Str(s) => Expr::Lit(Value::Str(s)),
            Tok::Num(v) | Tok::Const(v) => Expr::Lit(v),
            Tok::Args => Expr::Args,
            Tok::ArgsIndex(i) => Expr::ArgsIndex(i),
            Tok::Var(name) => {
                match self
                    .params
                    .iter()
                    .position(|(p, _)| p.eq_ignore_ascii_case(&name))
                {
                    Some(i) => Expr::Param(i),
                    None => {
                        self.pos -= 1;
                        return Err(self.err(format!(
                            "the variable '${name}' is not supported: only $true, $false, \
                             $null, $args and the script's param() variables are."
                        )));
                    }
                }
            }
            Tok::Cast(c) => {
                if !c.eq_ignore_ascii_case("datetime") && !c.eq_ignore_ascii_case("System.DateTime")
                {
                    self.pos -= 1;
                    return Err(self.err(format!(
                        "the cast [{c}] is not supported: only [datetime]'…' is."
                    )));
                }
                self.enter()?;
                let inner = self.primary()?;
                self.depth -= 1;
                Expr::DateTime(Box::new(inner))
            }
            Tok::LParen => {
                self.enter()?;
                self.skip_newlines();
                let e = self.expr()?;
                self.skip_newlines();
                self.expect(&Tok::RParen, "in ( … ): expected ')'")?;
                self.depth -= 1;
                e
            }
            Tok::AtParen => {
                self.enter()?;
                let mut items = Vec::new();
                loop {
                    self.skip_separators();
                    if self.peek() == Some(&Tok::RParen) {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.expr()?);
                    if !matches!(self.peek(), Some(Tok::Newline | Tok::Semi | Tok::RParen)) {
                        return Err(self.unexpected("in @( … ): expected ',', ';' or ')'"));
                    }
                }
                self.depth -= 1;
                Expr::Array(items)
            }
            Tok::AtBrace => {
                self.enter()?;
                let mut entries: Vec<(Expr, Expr)> = Vec::new();
                loop {
                    self.skip_separators();
                    if self.peek() == Some(&Tok::RBrace) {
                        self.pos += 1;
                        break;
                    }
                    let key = match self.peek() {
                        Some(Tok::Word(w)) => {
                            let w = w.clone();
                            self.pos += 1;
                            Expr::Lit(Value::Str(w))
                        }
                        _ => self.primary()?,
                    };
                    if let Expr::Lit(Value::Str(k)) = &key
                        && entries.iter().any(
                            |(e, _)| matches!(e, Expr::Lit(Value::Str(o)) if o.eq_ignore_ascii_case(k)),
                        )
                    {
                        return Err(self.err(format!(
                            "duplicate key '{k}' in a hashtable literal."
                        )));
                    }
                    self.expect(&Tok::Eq, "in @{ … }: expected '=' after the key")?;
                    self.skip_newlines();
                    let value = self.expr()?;
                    entries.push((key, value));
                    if !matches!(self.peek(), Some(Tok::Newline | Tok::Semi | Tok::RBrace)) {
                        return Err(self.unexpected("in @{ … }: expected ';', a line end or '}'"));
                    }
                }
                self.depth -= 1;
                Expr::Dict(entries)
            }
            Tok::Word(w) => {
                self.pos -= 1;
                return Err(self.err(format!(
                    "the bare word '{w}' inside a value: only literal values are supported \
                     inside @(), @{{}} and ( ) (quote text; no commands)."
                )));
            }
            Tok::Param { name, .. } => {
                self.pos -= 1;
                return Err(self.err(format!(
                    "the operator or parameter '-{name}' inside a value is not supported."
                )));
            }
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("where a value was expected"));
            }
        })
    }
}

/// Whether parameter `name` of `command` is a switch: one of [`SWITCHES`],
/// or a prefix of one and of no parameter that takes a value.
pub(super) fn is_switch(command: &str, name: &str) -> bool {
    let prefix_of = |k: &&str| {
        k.len() >= name.len() && k.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
    };
    // Get-CimInstance has no -Key: there, -Key is -KeyOnly.
    let get = command.eq_ignore_ascii_case("Get-CimInstance");
    SWITCHES.iter().any(|k| k.eq_ignore_ascii_case(name))
        || (SWITCHES.iter().any(prefix_of)
            && !VALUED
                .iter()
                .filter(|k| !(get && **k == "Key"))
                .any(prefix_of))
}
