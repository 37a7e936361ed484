//! The tokens of script text: words, strings, numbers, variables, punctuation,
//! comments and continuations skipped, bounded by `MAX_TOKENS`.

use super::*;
use crate::serve::messages::{SessionError, Value};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) line: usize,
    pub(super) col: usize,
}

pub(super) fn is_newline(c: char) -> bool {
    c == '\n' || c == '\r'
}

pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() && !is_newline(c)
}

/// Ends a bare word.
pub(super) fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ';' | ',' | '|' | '&' | '(' | ')' | '{' | '}' | '\'' | '"' | '`' | '=' | '<' | '>'
        )
}

pub(super) fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) struct Lexer {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) line: usize,
    pub(super) line_start: usize,
    pub(super) out: Vec<Token>,
}

impl Lexer {
    pub(super) fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    pub(super) fn col(&self) -> usize {
        self.pos - self.line_start + 1
    }

    pub(super) fn err(&self, message: String) -> SessionError {
        parse_error(message, self.line, self.col())
    }

    /// Consumes a newline (`\r\n`, `\n` or `\r`) at the position.
    pub(super) fn newline(&mut self) {
        if self.peek(0) == Some('\r') && self.peek(1) == Some('\n') {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    pub(super) fn push(&mut self, tok: Tok, line: usize, col: usize) -> Result<(), SessionError> {
        if self.out.len() >= MAX_TOKENS {
            return Err(self.err(format!("the script has more than {MAX_TOKENS} tokens.")));
        }
        self.out.push(Token { tok, line, col });
        Ok(())
    }

    pub(super) fn run(mut self) -> Result<Vec<Token>, SessionError> {
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
    pub(super) fn word(&mut self) -> Result<String, SessionError> {
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
    pub(super) fn dash(&mut self) -> Result<Tok, SessionError> {
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

    pub(super) fn single_quoted(&mut self) -> Result<String, SessionError> {
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

    pub(super) fn double_quoted(&mut self) -> Result<String, SessionError> {
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
    pub(super) fn variable(&mut self) -> Result<Tok, SessionError> {
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
    pub(super) fn cast(&mut self) -> Result<Tok, SessionError> {
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
pub(super) fn number(w: &str) -> Option<Value> {
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
