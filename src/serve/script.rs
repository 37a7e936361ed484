//! Script text (AddScript, `Invoke-Command { … }`): a small, strict,
//! bounded reader of the subset this endpoint runs, giving the same
//! [`CommandSpec`]s that structured commands (AddCommand/AddParameter) give.
//!
//! Accepted:
//!
//! - an optional leading `param($a, $b = default, …)` block, bound to the
//!   script command's arguments (positional in order, as `-ArgumentList`
//!   sends them, or by name); the positional ones left over are `$args`;
//! - exactly one pipeline: commands joined by `|`, each a name then
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

use super::commands::{CommandSpec, MAX_COMMANDS};
use super::messages::{MAX_NODES, SessionError, Value};

/// The longest script text read (bytes).
pub const MAX_SCRIPT_LEN: usize = 64 * 1024;
/// The most tokens a script may have.
pub const MAX_TOKENS: usize = 16 * 1024;
/// The deepest nesting of `@{}`, `@()`, `()` and casts.
pub const MAX_DEPTH: usize = 32;

const SUPPORTED: &str = "This endpoint (mi-psrp serve) reads script text of one pipeline of the \
     CIM cmdlets with literal arguments: quoted strings, numbers, $true, $false, $null, @{…}, \
     @(…), comma lists, ([datetime]'…'), and the script's param() variables and $args[N].";

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

// ---- tokens ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word: a command name, or text in argument mode.
    Word(String),
    /// `-Name` or `-Name:`.
    Param {
        name: String,
        colon: bool,
    },
    /// A quoted string.
    Str(String),
    /// A number.
    Num(Value),
    /// `$name` (not `$args`, `$true`, `$false`, `$null`).
    Var(String),
    /// `$args`.
    Args,
    /// `$args[N]`.
    ArgsIndex(usize),
    /// `$true`, `$false`, `$null`.
    Const(Value),
    /// `[type]`.
    Cast(String),
    AtBrace,
    AtParen,
    LParen,
    RParen,
    RBrace,
    Comma,
    Semi,
    Newline,
    Pipe,
    Eq,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    tok: Tok,
    line: usize,
    col: usize,
}

fn is_newline(c: char) -> bool {
    c == '\n' || c == '\r'
}

fn is_space(c: char) -> bool {
    c.is_whitespace() && !is_newline(c)
}

/// Ends a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ';' | ',' | '|' | '&' | '(' | ')' | '{' | '}' | '\'' | '"' | '`' | '=' | '<' | '>'
        )
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    line_start: usize,
    out: Vec<Token>,
}

impl Lexer {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn col(&self) -> usize {
        self.pos - self.line_start + 1
    }

    fn err(&self, message: String) -> SessionError {
        parse_error(message, self.line, self.col())
    }

    /// Consumes a newline (`\r\n`, `\n` or `\r`) at the position.
    fn newline(&mut self) {
        if self.peek(0) == Some('\r') && self.peek(1) == Some('\n') {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    fn push(&mut self, tok: Tok, line: usize, col: usize) -> Result<(), SessionError> {
        if self.out.len() >= MAX_TOKENS {
            return Err(self.err(format!("the script has more than {MAX_TOKENS} tokens.")));
        }
        self.out.push(Token { tok, line, col });
        Ok(())
    }

    fn run(mut self) -> Result<Vec<Token>, SessionError> {
        while let Some(c) = self.peek(0) {
            let (line, col) = (self.line, self.col());
            match c {
                c if is_space(c) => self.pos += 1,
                c if is_newline(c) => {
                    self.newline();
                    if !matches!(
                        self.out.last(),
                        Some(Token {
                            tok: Tok::Newline,
                            ..
                        })
                    ) {
                        self.push(Tok::Newline, line, col)?;
                    }
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| !is_newline(c)) {
                        self.pos += 1;
                    }
                }
                '<' if self.peek(1) == Some('#') => {
                    self.pos += 2;
                    loop {
                        match self.peek(0) {
                            None => {
                                return Err(parse_error(
                                    "the block comment '<#' is not closed by '#>'.".into(),
                                    line,
                                    col,
                                ));
                            }
                            Some('#') if self.peek(1) == Some('>') => {
                                self.pos += 2;
                                break;
                            }
                            Some(c) if is_newline(c) => self.newline(),
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                '`' => match self.peek(1) {
                    Some(n) if is_newline(n) => {
                        self.pos += 1;
                        self.newline();
                    }
                    _ => {
                        return Err(self.err(
                            "a backtick is supported only at a line end (a line continuation) \
                             or inside a double-quoted string."
                                .into(),
                        ));
                    }
                },
                '\'' => {
                    let s = self.single_quoted()?;
                    self.push(Tok::Str(s), line, col)?;
                }
                '"' => {
                    let s = self.double_quoted()?;
                    self.push(Tok::Str(s), line, col)?;
                }
                '$' => {
                    let t = self.variable()?;
                    self.push(t, line, col)?;
                }
                '@' => {
                    let t = match self.peek(1) {
                        Some('{') => Tok::AtBrace,
                        Some('(') => Tok::AtParen,
                        _ => {
                            return Err(self.err(
                                "'@' is supported only as @{…} or @(…) (no splatting, no \
                                 here-strings)."
                                    .into(),
                            ));
                        }
                    };
                    self.pos += 2;
                    self.push(t, line, col)?;
                }
                '[' => {
                    let t = self.cast()?;
                    self.push(t, line, col)?;
                }
                '(' | ')' | '}' | ',' | ';' | '=' => {
                    self.pos += 1;
                    let t = match c {
                        '(' => Tok::LParen,
                        ')' => Tok::RParen,
                        '}' => Tok::RBrace,
                        ',' => Tok::Comma,
                        ';' => Tok::Semi,
                        _ => Tok::Eq,
                    };
                    self.push(t, line, col)?;
                }
                '|' if self.peek(1) != Some('|') => {
                    self.pos += 1;
                    self.push(Tok::Pipe, line, col)?;
                }
                '{' => {
                    return Err(self.err("script blocks ({ … }) are not supported.".into()));
                }
                '|' | '&' | '<' | '>' => {
                    return Err(self.err(format!(
                        "the operator '{c}' is not supported (no redirection, call operator, \
                         background job or pipeline chain)."
                    )));
                }
                '-' => {
                    let t = self.dash()?;
                    self.push(t, line, col)?;
                }
                _ => {
                    let w = self.word()?;
                    let t = number(&w).map_or(Tok::Word(w), Tok::Num);
                    self.push(t, line, col)?;
                }
            }
        }
        Ok(self.out)
    }

    /// A bare word from the position.
    fn word(&mut self) -> Result<String, SessionError> {
        let start = self.pos;
        while let Some(c) = self.peek(0) {
            if ends_word(c) {
                break;
            }
            if c == '$' {
                return Err(self.err(
                    "a variable inside a bare word is not supported: quote the text, or pass \
                     the variable as its own argument."
                        .into(),
                ));
            }
            self.pos += 1;
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    /// `-5`, `-Name`, `-Name:`, or a word starting with `-`.
    fn dash(&mut self) -> Result<Tok, SessionError> {
        match self.peek(1) {
            Some(c)
                if c.is_ascii_digit()
                    || (c == '.' && self.peek(2).is_some_and(|d| d.is_ascii_digit())) =>
            {
                let w = self.word()?;
                Ok(number(&w).map_or(Tok::Word(w), Tok::Num))
            }
            Some(c) if c.is_alphabetic() || c == '_' || c == '?' => {
                self.pos += 1;
                let start = self.pos;
                while self.peek(0).is_some_and(|c| is_ident(c) || c == '?') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                let colon = self.peek(0) == Some(':');
                if colon {
                    self.pos += 1;
                } else if let Some(c) = self.peek(0)
                    && !ends_word(c)
                {
                    return Err(self.err(format!(
                        "unexpected '{c}' after the parameter -{name}: write -{name}:value or \
                         -{name} value."
                    )));
                }
                Ok(Tok::Param { name, colon })
            }
            Some('-') => Err(self.err("'--' and '--%' are not supported.".into())),
            _ => Ok(Tok::Word(self.word()?)),
        }
    }

    fn single_quoted(&mut self) -> Result<String, SessionError> {
        let (line, col) = (self.line, self.col());
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek(0) {
                None => {
                    return Err(parse_error(
                        "the string is missing the terminator: '.".into(),
                        line,
                        col,
                    ));
                }
                Some('\'') if self.peek(1) == Some('\'') => {
                    s.push('\'');
                    self.pos += 2;
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    if is_newline(c) {
                        let start = self.pos;
                        self.newline();
                        s.extend(&self.chars[start..self.pos]);
                    } else {
                        s.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, SessionError> {
        let (line, col) = (self.line, self.col());
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek(0) {
                None => {
                    return Err(parse_error(
                        "the string is missing the terminator: \".".into(),
                        line,
                        col,
                    ));
                }
                Some('"') if self.peek(1) == Some('"') => {
                    s.push('"');
                    self.pos += 2;
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some('`') => {
                    let Some(e) = self.peek(1) else {
                        self.pos += 1;
                        continue;
                    };
                    if is_newline(e) {
                        self.pos += 1;
                        let start = self.pos;
                        self.newline();
                        s.extend(&self.chars[start..self.pos]);
                        continue;
                    }
                    self.pos += 2;
                    s.push(match e {
                        '0' => '\0',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        'e' => '\u{1b}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'v' => '\u{b}',
                        'u' => {
                            return Err(self.err(
                                "the escape `u{…} is not supported: write the character itself."
                                    .into(),
                            ));
                        }
                        other => other,
                    });
                }
                Some('$')
                    if self.peek(1).is_some_and(|c| {
                        is_ident(c) || matches!(c, '{' | '(' | '?' | '^' | '$' | ':')
                    }) =>
                {
                    return Err(self.err(
                        "variable expansion in a double-quoted string (\"…$…\") is not \
                         supported: use a single-quoted string, escape the dollar sign (`$), or \
                         pass the variable as its own argument."
                            .into(),
                    ));
                }
                Some(c) => {
                    if is_newline(c) {
                        let start = self.pos;
                        self.newline();
                        s.extend(&self.chars[start..self.pos]);
                    } else {
                        s.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// `$true`, `$false`, `$null`, `$args`, `$args[N]`, `$name`.
    fn variable(&mut self) -> Result<Tok, SessionError> {
        self.pos += 1;
        let start = self.pos;
        while self.peek(0).is_some_and(is_ident) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if name.is_empty() {
            return Err(self.err(
                "only simple variables ($name) are supported (no ${…}, $(…), $_ or $?).".into(),
            ));
        }
        if self.peek(0) == Some(':') {
            return Err(self.err(format!(
                "the scoped or drive variable ${name}:… is not supported."
            )));
        }
        let lower = name.to_ascii_lowercase();
        let tok = match lower.as_str() {
            "true" => Tok::Const(Value::Bool(true)),
            "false" => Tok::Const(Value::Bool(false)),
            "null" => Tok::Const(Value::Nil),
            "args" if self.peek(0) == Some('[') => {
                self.pos += 1;
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let digits: String = self.chars[start..self.pos].iter().collect();
                if self.peek(0) != Some(']') || digits.is_empty() {
                    return Err(self.err(
                        "only $args[N] with a literal index N (0, 1, …) is supported.".into(),
                    ));
                }
                self.pos += 1;
                // An index past any argument is $null, as in PowerShell.
                Tok::ArgsIndex(digits.parse().unwrap_or(usize::MAX))
            }
            "args" => Tok::Args,
            _ => Tok::Var(name),
        };
        if let Some(c) = self.peek(0)
            && matches!(c, '.' | '[')
        {
            return Err(self.err(format!(
                "member access and indexing ('{c}' after a variable) are not supported."
            )));
        }
        Ok(tok)
    }

    /// `[type]`: the name, read.
    fn cast(&mut self) -> Result<Tok, SessionError> {
        self.pos += 1;
        let start = self.pos;
        while self.peek(0).is_some_and(|c| is_ident(c) || c == '.') {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if self.peek(0) != Some(']') {
            return Err(self.err(
                "a type is supported only as the cast ([datetime]'…') (no attributes, generic or \
                 array types)."
                    .into(),
            ));
        }
        self.pos += 1;
        Ok(Tok::Cast(name))
    }
}

/// A PowerShell number literal (the whole of `w`), or `None`.
fn number(w: &str) -> Option<Value> {
    let (neg, body) = match w.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, w),
    };
    let lower = body.to_ascii_lowercase();
    let (digits, multiplier) = [
        ("kb", 1u64 << 10),
        ("mb", 1 << 20),
        ("gb", 1 << 30),
        ("tb", 1 << 40),
        ("pb", 1 << 50),
    ]
    .iter()
    .find_map(|(s, m)| lower.strip_suffix(s).map(|d| (d, *m)))
    .unwrap_or((lower.as_str(), 1));
    if digits.is_empty() {
        return None;
    }
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let u = u64::from_str_radix(hex, 16).ok()?;
        // As PowerShell: 32 bits are an Int32 (0xFFFFFFFF is -1), else Int64.
        Some(match u32::try_from(u) {
            Ok(small) => i64::from(small as i32),
            Err(_) => u as i64,
        })
    } else if digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    let sign = if neg { -1 } else { 1 };
    if let Some(i) = int {
        if let Some(v) = i
            .checked_mul(multiplier as i64)
            .and_then(|v| v.checked_mul(sign))
        {
            return Some(Value::Int(v));
        }
        return Some(Value::Real(i as f64 * multiplier as f64 * sign as f64));
    }
    if digits.starts_with("0x") {
        return None;
    }
    // Decimal with a fraction or an exponent (or too big for an Int64).
    let mut seen_digit = false;
    let mut seen_exp = false;
    let mut prev = ' ';
    for c in digits.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_exp => {}
            'e' if seen_digit && !seen_exp => seen_exp = true,
            '+' | '-' if prev == 'e' => {}
            _ => return None,
        }
        prev = c;
    }
    if !seen_digit || digits.matches('.').count() > 1 || prev == 'e' || prev == '+' || prev == '-' {
        return None;
    }
    let r: f64 = digits.parse().ok()?;
    Some(Value::Real(r * multiplier as f64 * sign as f64))
}

// ---- the tree --------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Expr {
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
type Command = (String, Vec<(Option<String>, Expr)>);

struct Script {
    params: Vec<(String, Option<Expr>)>,
    commands: Vec<Command>,
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
    depth: usize,
    params: Vec<(String, Option<Expr>)>,
}

fn describe(t: &Tok) -> String {
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
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn err(&self, message: String) -> SessionError {
        let (line, col) = match self.toks.get(self.pos).or(self.toks.last()) {
            Some(t) => (t.line, t.col),
            None => (1, 1),
        };
        parse_error(message, line, col)
    }

    fn unexpected(&self, context: &str) -> SessionError {
        match self.peek() {
            Some(t) => self.err(format!("unexpected {} {context}.", describe(t))),
            None => self.err(format!("the script ends {context}.")),
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Tok::Newline) {
            self.pos += 1;
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline | Tok::Semi)) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, t: &Tok, context: &str) -> Result<(), SessionError> {
        if self.peek() == Some(t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(context))
        }
    }

    fn enter(&mut self) -> Result<(), SessionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!(
                "values nest more than {MAX_DEPTH} levels deep (@{{}}, @(), (), casts)."
            )));
        }
        Ok(())
    }

    fn script(mut self) -> Result<Script, SessionError> {
        self.skip_newlines();
        if let Some(Tok::Word(w)) = self.peek()
            && w.eq_ignore_ascii_case("param")
            && self.toks.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::LParen)
        {
            self.pos += 2;
            self.param_block()?;
        }
        self.skip_separators();
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
            commands,
        })
    }

    fn param_block(&mut self) -> Result<(), SessionError> {
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

    fn pipeline(&mut self) -> Result<Vec<Command>, SessionError> {
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

    fn starts_argument(&self) -> bool {
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
    fn argument(&mut self) -> Result<Expr, SessionError> {
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

    fn arg_primary(&mut self) -> Result<Expr, SessionError> {
        if let Some(Tok::Word(w)) = self.peek() {
            let w = w.clone();
            self.pos += 1;
            return Ok(Expr::Lit(Value::Str(w)));
        }
        self.primary()
    }

    /// An expression: a primary or a comma list of them.
    fn expr(&mut self) -> Result<Expr, SessionError> {
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
    fn primary(&mut self) -> Result<Expr, SessionError> {
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
fn is_switch(command: &str, name: &str) -> bool {
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

// ---- values ----------------------------------------------------------------

/// How many values `v` holds (itself included), without recursion.
fn nodes(v: &Value) -> usize {
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

struct Eval<'a> {
    params: Vec<Value>,
    args: &'a [Value],
    nodes: usize,
}

impl Eval<'_> {
    fn count(&mut self, n: usize) -> Result<(), SessionError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(SessionError::parse(format!(
                "the script's values come to more than {MAX_NODES} items. {SUPPORTED}"
            )));
        }
        Ok(())
    }

    fn copy(&mut self, v: &Value) -> Result<Value, SessionError> {
        self.count(nodes(v))?;
        Ok(v.clone())
    }

    fn eval(&mut self, e: &Expr) -> Result<Value, SessionError> {
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
                        super::commands::short(&other)
                    )));
                }
            },
        })
    }
}

/// The script's parameter names bound to the script command's arguments:
/// each parameter's value (`None`: its default), and `$args`.
fn bind_params(
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

/// Reads script text `script` given the script command's arguments
/// (`-ArgumentList` values as positional ones, or named): the pipeline's
/// commands, as structured commands are given.
pub fn parse(
    script: &str,
    arguments: &[(Option<String>, Value)],
) -> Result<Vec<CommandSpec>, SessionError> {
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
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    fn one(script: &str) -> CommandSpec {
        let mut c = parse(script, &[]).unwrap_or_else(|e| panic!("{script}: {e:?}"));
        assert_eq!(c.len(), 1, "{script}");
        c.remove(0)
    }

    /// The value of the one argument of the one command.
    fn arg(script: &str) -> Value {
        let c = one(script);
        assert_eq!(c.args.len(), 1, "{script}: {c:?}");
        c.args[0].1.clone()
    }

    fn refused(script: &str, args: &[(Option<String>, Value)]) -> SessionError {
        match parse(script, args) {
            Ok(c) => panic!("{script}: accepted as {c:?}"),
            Err(e) => e,
        }
    }

    fn parse_err(script: &str, needle: &str) {
        let e = refused(script, &[]);
        assert_eq!(e.reason, "ParseException", "{script}: {e:?}");
        assert!(e.message.contains(needle), "{script}: {}", e.message);
        assert!(e.message.contains("mi-psrp serve"), "{}", e.message);
    }

    #[test]
    fn a_command_with_named_and_positional_arguments() {
        let c = one("Get-CimInstance -ClassName XYZ_Widget -Namespace root/cimv2");
        assert_eq!(c.name, "Get-CimInstance");
        assert!(!c.is_script);
        assert_eq!(
            c.args,
            vec![
                (Some("ClassName".into()), s("XYZ_Widget")),
                (Some("Namespace".into()), s("root/cimv2"))
            ]
        );
        let c = one("  get-ciminstance XYZ_Widget -KeyOnly -Verbose:$false  ");
        assert_eq!(
            c.args,
            vec![
                (None, s("XYZ_Widget")),
                (Some("KeyOnly".into()), Value::Bool(true)),
                (Some("Verbose".into()), Value::Bool(false))
            ]
        );
        // A switch followed by a positional argument; a prefix of a switch.
        let c = one("Get-CimInstance -Key XYZ_Widget");
        assert_eq!(c.args[0], (Some("Key".into()), Value::Bool(true)));
        assert_eq!(c.args[1], (None, s("XYZ_Widget")));
        let c = one("New-CimInstance -Key Name");
        assert_eq!(c.args, vec![(Some("Key".into()), s("Name"))]);
        let c = one("Invoke-CimMethod -Verb -WhatI -Conf:$false");
        assert_eq!(c.args[0], (Some("Verb".into()), Value::Bool(true)));
        assert_eq!(c.args[1], (Some("WhatI".into()), Value::Bool(true)));
        assert_eq!(c.args[2], (Some("Conf".into()), Value::Bool(false)));
        let c = one("Get-CimInstance -ClassName:'X' -Namespace: n");
        assert_eq!(c.args[0], (Some("ClassName".into()), s("X")));
        assert_eq!(c.args[1], (Some("Namespace".into()), s("n")));
    }

    #[test]
    fn literals() {
        assert_eq!(arg("c 'it''s'"), s("it's"));
        assert_eq!(arg("c ''"), s(""));
        assert_eq!(arg("c \"a`tb`n`\"q`\" `` `$x\""), s("a\tb\n\"q\" ` $x"));
        assert_eq!(arg("c \"say \"\"hi\"\"\""), s("say \"hi\""));
        assert_eq!(arg("c \"cost: 5$\""), s("cost: 5$"));
        assert_eq!(arg("c 42"), Value::Int(42));
        assert_eq!(arg("c -42"), Value::Int(-42));
        assert_eq!(arg("c 0x1F"), Value::Int(31));
        assert_eq!(arg("c 0xFFFFFFFF"), Value::Int(-1));
        assert_eq!(arg("c -0x10"), Value::Int(-16));
        assert_eq!(arg("c 1.5"), Value::Real(1.5));
        assert_eq!(arg("c -.5"), Value::Real(-0.5));
        assert_eq!(arg("c 1e3"), Value::Real(1000.0));
        assert_eq!(arg("c 2kb"), Value::Int(2048));
        assert_eq!(arg("c 1MB"), Value::Int(1 << 20));
        assert_eq!(arg("c 1.5gb"), Value::Real(1.5 * f64::from(1u32 << 30)));
        assert_eq!(arg("c 99999999999999999999"), Value::Real(1e20));
        assert_eq!(arg("c 5abc"), s("5abc"));
        assert_eq!(arg("c $true"), Value::Bool(true));
        assert_eq!(arg("c $FALSE"), Value::Bool(false));
        assert_eq!(arg("c $null"), Value::Nil);
        assert_eq!(arg("c a#b"), s("a#b"));
        assert_eq!(
            arg("c ([datetime]'2024-01-02T03:04:05Z')"),
            s("2024-01-02T03:04:05Z")
        );
        assert_eq!(arg("c (5)"), Value::Int(5));
        assert_eq!(arg("c -"), s("-"));
    }

    #[test]
    fn arrays_and_comma_lists() {
        let l = |v: Vec<Value>| Value::List(v);
        assert_eq!(arg("c a, 'b', 3"), l(vec![s("a"), s("b"), Value::Int(3)]));
        assert_eq!(arg("c 1,\n  2"), l(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(arg("c @()"), l(vec![]));
        assert_eq!(arg("c @(1)"), l(vec![Value::Int(1)]));
        assert_eq!(arg("c @( 1, 2 )"), l(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(
            arg("c @(\n 1\n 2; 3\n)"),
            l(vec![Value::Int(1), Value::Int(2), Value::Int(3)])
        );
        // @() enumerates its statements' values once: the inner array of a
        // comma list stays nested.
        assert_eq!(arg("c @(@(1, 2))"), l(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(
            arg("c @(1, @(2, 3))"),
            l(vec![Value::Int(1), l(vec![Value::Int(2), Value::Int(3)])])
        );
        assert_eq!(arg("c (1, 2)"), l(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(arg("c @($null)"), l(vec![Value::Nil]));
    }

    #[test]
    fn hashtables_nested() {
        let v = arg(
            "Invoke-CimMethod @{ Pattern = 'p'; 'Quoted Key' = 1, 2\n  Inner = @{ x = @(1); y = $true }\n Empty = @{} }",
        );
        assert_eq!(
            v,
            Value::Dict(vec![
                (s("Pattern"), s("p")),
                (
                    s("Quoted Key"),
                    Value::List(vec![Value::Int(1), Value::Int(2)])
                ),
                (
                    s("Inner"),
                    Value::Dict(vec![
                        (s("x"), Value::List(vec![Value::Int(1)])),
                        (s("y"), Value::Bool(true))
                    ])
                ),
                (s("Empty"), Value::Dict(vec![])),
            ])
        );
        assert_eq!(
            arg("c @{1 = 'one'}"),
            Value::Dict(vec![(Value::Int(1), s("one"))])
        );
    }

    #[test]
    fn param_binding_with_argument_list_and_defaults() {
        let pos = |v: Value| (None, v);
        let c = parse(
            "param($c, $p) Invoke-CimMethod -ClassName $c -MethodName Scan -Arguments @{Pattern=$p}",
            &[pos(s("XYZ_Widget")), pos(s("p"))],
        )
        .unwrap();
        assert_eq!(
            c[0].args,
            vec![
                (Some("ClassName".into()), s("XYZ_Widget")),
                (Some("MethodName".into()), s("Scan")),
                (
                    Some("Arguments".into()),
                    Value::Dict(vec![(s("Pattern"), s("p"))])
                )
            ]
        );
        // Defaults, a default naming an earlier parameter, named binding.
        let script = "param(\n  $Class = 'XYZ_Widget',\n  $Ns = 'root/' + 'x'\n)";
        assert_eq!(refused(script, &[]).reason, "ParseException");
        let script = "param(\n  $Class = 'XYZ_Widget', # the class\n  $Ns = $Class, $Unset\n)\nGet-CimInstance $Class -Namespace $ns $unset";
        let c = parse(script, &[]).unwrap();
        assert_eq!(
            c[0].args,
            vec![
                (None, s("XYZ_Widget")),
                (Some("Namespace".into()), s("XYZ_Widget")),
                (None, Value::Nil)
            ]
        );
        let c = parse(script, &[(Some("ns".into()), s("n")), pos(s("C"))]).unwrap();
        assert_eq!(c[0].args[0].1, s("C"));
        assert_eq!(c[0].args[1].1, s("n"));
        // $args: the positional arguments past param().
        let c = parse(
            "param($a) c $a $args[0] $args[1] $args[7] $args",
            &[pos(Value::Int(1)), pos(Value::Int(2)), pos(Value::Int(3))],
        )
        .unwrap();
        let vals: Vec<Value> = c[0].args.iter().map(|a| a.1.clone()).collect();
        assert_eq!(
            vals,
            vec![
                Value::Int(1),
                Value::Int(2),
                Value::Int(3),
                Value::Nil,
                Value::List(vec![Value::Int(2), Value::Int(3)])
            ]
        );
        let c = parse("Get-CimInstance -ClassName $args[0]", &[pos(s("X"))]).unwrap();
        assert_eq!(c[0].args[0].1, s("X"));
        // Arguments the param() cannot take.
        let e = refused("param($a) c $a", &[(Some("b".into()), s("x"))]);
        assert_eq!(e.reason, "ParameterBindingException");
        assert_eq!(e.error_id, "NamedParameterNotFound");
        let e = refused(
            "param($a) c $a",
            &[(Some("a".into()), s("x")), (Some("A".into()), s("y"))],
        );
        assert_eq!(e.error_id, "ParameterAlreadyBound");
        let e = refused("param($ab, $ac) c", &[(Some("a".into()), s("x"))]);
        assert_eq!(e.error_id, "AmbiguousParameter");
        parse_err("param($a, $a) c", "duplicate parameter");
        parse_err("param([string]$a) c", "param()");
        parse_err("c $undefined", "'$undefined'");
        parse_err("c; param($a)", "single pipeline");
    }

    #[test]
    fn two_commands_piped_comments_and_continuations() {
        let c = parse(
            "<# a\n block #> Get-CimInstance XYZ_Widget | # why\n  Invoke-CimMethod -MethodName Scan",
            &[],
        )
        .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "Get-CimInstance");
        assert_eq!(c[1].name, "Invoke-CimMethod");
        assert_eq!(c[1].args, vec![(Some("MethodName".into()), s("Scan"))]);
        let c = one("\r\n# leading\r\nGet-CimInstance `\r\n  -ClassName `\n XYZ_Widget ;\n\n");
        assert_eq!(c.args, vec![(Some("ClassName".into()), s("XYZ_Widget"))]);
        assert_eq!(parse("", &[]).unwrap(), vec![]);
        assert_eq!(parse(" # only a comment\n;", &[]).unwrap(), vec![]);
    }

    #[test]
    fn refusals() {
        parse_err("Get-CimInstance X; Get-CimInstance Y", "single pipeline");
        parse_err("Get-CimInstance X\nGet-CimInstance Y", "single pipeline");
        parse_err("c \"a $x b\"", "variable expansion");
        parse_err("c \"$(1)\"", "variable expansion");
        parse_err("c ([int]'5')", "[int]");
        parse_err("c [datetime]'x'", "parentheses");
        parse_err("c @{a = 1", "the script ends");
        parse_err("c @(1", "the script ends");
        parse_err("c (1", "the script ends");
        parse_err("c )", "unexpected ')'");
        parse_err("c }", "unexpected '}'");
        parse_err("c 'abc", "terminator");
        parse_err("c \"abc", "terminator");
        parse_err("c <# abc", "not closed");
        parse_err("c { 1 }", "script blocks");
        parse_err("c > out.txt", "operator");
        parse_err("c && d", "operator");
        parse_err("c || d", "operator");
        parse_err("& c", "operator");
        parse_err("c @args", "splatting");
        parse_err("c $a.b", "member access");
        parse_err("param($a) c $a.b", "member access");
        parse_err("c $env:PATH", "scoped");
        parse_err("c ${x}", "simple variables");
        parse_err("c @(Get-Process)", "bare word 'Get-Process'");
        parse_err("c @{a = b}", "bare word 'b'");
        parse_err("c (1 -eq 1)", "'-eq'");
        parse_err("5 | c", "command name");
        parse_err("return 5", "keyword 'return'");
        parse_err("if ($true) { c }", "script blocks");
        parse_err("c a`b", "backtick");
        parse_err("c x$y", "bare word");
        parse_err("c a,", "expected a value");
        parse_err("c -Name:", "expected its value");
        parse_err("c --% x", "'--'");
        parse_err("c @{a = 1; a = 2}", "duplicate key");
        parse_err(
            &format!("c {}", "@(".repeat(MAX_DEPTH + 1)),
            "nest more than",
        );
        parse_err(&format!("c {}1", "(".repeat(10_000)), "nest more than");
        parse_err(
            &format!("c '{}'", "x".repeat(MAX_SCRIPT_LEN)),
            "longer than",
        );
        parse_err(&format!("c {}", "1,".repeat(MAX_TOKENS)), "tokens");
        // Within the depth limit it parses.
        let deep = format!("c {}1{}", "@(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&deep, &[]).is_ok());
        // A value copied many times is bounded.
        let big = Value::List(vec![Value::Int(0); 50_000]);
        let e = refused("param($a) c $a $a $a", &[(None, big)]);
        assert!(e.message.contains("items"), "{}", e.message);
        // A non-switch parameter without a value: ParameterBindingException.
        let e = refused("Get-CimInstance -ClassName", &[]);
        assert_eq!(e.reason, "ParameterBindingException");
        assert!(e.error_id.starts_with("MissingArgument,"), "{}", e.error_id);
        let e = refused("Get-CimInstance -ClassName -KeyOnly", &[]);
        assert_eq!(e.target_name, "ClassName");
        let e = refused("Get-Frob -Name", &[]);
        assert_eq!(e.error_id, "MissingArgument");
    }

    #[test]
    fn script_commands_bind_as_structured_ones() {
        use super::super::commands::{Operation, bind};
        let script = |text: &str, args: Vec<(Option<String>, Value)>| {
            bind(&[CommandSpec {
                name: text.into(),
                is_script: true,
                args,
            }])
        };
        let b = script("Get-CimInstance -ClassName XYZ_Widget", vec![]).unwrap();
        assert_eq!(
            (b.command, b.class.as_str()),
            ("Get-CimInstance", "XYZ_Widget")
        );
        let b = script(
            "param($c, $p) Invoke-CimMethod -ClassName $c -MethodName Scan -Arguments @{Pattern=$p}",
            vec![(None, s("XYZ_Widget")), (None, s("p"))],
        )
        .unwrap();
        assert!(
            matches!(
                &b.operation,
                Operation::Invoke { method, arguments, .. }
                    if method == "Scan" && *arguments == vec![("Pattern".to_owned(), s("p"))]
            ),
            "{:?}",
            b.operation
        );
        let e = script("Get-Process", vec![]).unwrap_err();
        assert_eq!(e.reason, "CommandNotFoundException");
        let e = script("Get-CimInstance -ClassName X -Frob 1", vec![]).unwrap_err();
        assert_eq!(e.reason, "ParameterBindingException");
        let e = script("Get-CimInstance X; Get-CimInstance Y", vec![]).unwrap_err();
        assert_eq!(e.reason, "ParseException");
    }

    #[test]
    fn random_text_never_panics() {
        const ALPHABET: &[&str] = &[
            "Get-CimInstance",
            " ",
            "\n",
            "\r\n",
            "-ClassName",
            "-K",
            ":",
            "'",
            "''",
            "\"",
            "`",
            "`\n",
            "$",
            "$a",
            "$true",
            "$args[",
            "$args[0]",
            "]",
            "[datetime]",
            "[",
            "@{",
            "@(",
            "(",
            ")",
            "{",
            "}",
            "=",
            ";",
            ",",
            "|",
            "#",
            "<#",
            "#>",
            "0x",
            "1",
            "-5",
            ".",
            "e",
            "kb",
            "param(",
            "é",
            "\u{0}",
            "x",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            let args = [(None, Value::Int(1)), (Some("a".into()), s("v"))];
            let _ = parse(&text, &args);
            let _ = parse(&text, &[]);
        }
        // Arbitrary characters too.
        for _ in 0..3000 {
            let len = (next() % 64) as usize;
            let text: String = (0..len)
                .map(|_| char::from_u32((next() % 0x3000) as u32).unwrap_or('?'))
                .collect();
            let _ = parse(&text, &[]);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_read_or_refused(text in "\\PC{0,200}") {
            let _ = parse(&text, &[(None, Value::Nil)]);
        }
    }
}
