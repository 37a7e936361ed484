//! `Get-CimInstance -Filter`: the WQL subset this endpoint reads
//! (`P = 'text'`, `P = 123`, `P = TRUE`/`FALSE`, joined by `AND`), and the
//! check of each output against it (the pool's sink drops the outputs of a
//! filtered pipeline that do not meet it).

use super::convert::text;
use super::messages::{self as m, Value};
use crate::psrp::fragment::{FRAGMENT_HEADER_LEN, FragmentHeader};
use crate::psrp::message::MESSAGE_HEADER_LEN;

/// A literal of a `-Filter` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `'text'` or `"text"`.
    Text(String),
    /// `123`, `-5`.
    Int(i64),
    /// `TRUE`, `FALSE`.
    Bool(bool),
}

impl Literal {
    /// The value a parameter conversion takes.
    pub fn value(&self) -> Value {
        match self {
            Literal::Text(s) => Value::Str(s.clone()),
            Literal::Int(i) => Value::Int(*i),
            Literal::Bool(b) => Value::Bool(*b),
        }
    }

    /// Whether an output's property value `v` equals this literal (text
    /// ignoring case, numbers by value, booleans).
    pub fn matches(&self, v: &Value) -> bool {
        match (self, v) {
            (Literal::Bool(b), Value::Bool(x)) => b == x,
            (Literal::Int(i), Value::Int(x)) => i == x,
            (Literal::Int(i), Value::UInt(x)) => i128::from(*i) == i128::from(*x),
            (Literal::Int(i), Value::Real(x)) => (*i as f64) == *x,
            (Literal::Text(t), v) => text(v).is_some_and(|x| x.eq_ignore_ascii_case(t)),
            (Literal::Int(i), Value::Str(s)) => s.trim().parse::<i64>() == Ok(*i),
            (Literal::Bool(b), Value::Str(s)) => {
                s.eq_ignore_ascii_case(if *b { "True" } else { "False" })
            }
            _ => false,
        }
    }
}

/// One `P = v` of a `-Filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The property (matched ignoring case).
    pub property: String,
    /// Its value.
    pub value: Literal,
}

/// What `-Filter` supports, for messages.
pub const FILTER_SUBSET: &str = "this endpoint (mi-psrp serve) reads filters of the form \
     \"Property = value [AND Property = value ...]\" where each value is 'text', \"text\", \
     an integer, TRUE or FALSE";

/// Parses the WQL subset of `-Filter`: `P = 'text'`, `P = 123`, `P = TRUE`,
/// joined by `AND` (keywords and names ignoring case).
pub fn parse_filter(filter: &str) -> Result<Vec<Condition>, String> {
    #[derive(Debug, PartialEq)]
    enum Tok {
        Name(String),
        Eq,
        Lit(Literal),
    }
    let bad = |what: String| format!("{what}: {FILTER_SUBSET}");
    let chars: Vec<char> = filter.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '=' {
            toks.push(Tok::Eq);
            i += 1;
        } else if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(bad(format!("an unterminated string in '{filter}'"))),
                    Some(&q) if q == c && chars.get(i + 1) == Some(&c) => {
                        s.push(c);
                        i += 2;
                    }
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(&x) => {
                        s.push(x);
                        i += 1;
                    }
                }
            }
            toks.push(Tok::Lit(Literal::Text(s)));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            let n = n
                .parse()
                .map_err(|_| bad(format!("the number {n} is out of range")))?;
            toks.push(Tok::Lit(Literal::Int(n)));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            toks.push(if w.eq_ignore_ascii_case("true") {
                Tok::Lit(Literal::Bool(true))
            } else if w.eq_ignore_ascii_case("false") {
                Tok::Lit(Literal::Bool(false))
            } else {
                Tok::Name(w)
            });
        } else {
            return Err(bad(format!("'{c}' in '{filter}' is not supported")));
        }
    }
    let mut out = Vec::new();
    let mut t = toks.into_iter().peekable();
    loop {
        match (t.next(), t.next(), t.next()) {
            (Some(Tok::Name(p)), Some(Tok::Eq), Some(Tok::Lit(v))) => out.push(Condition {
                property: p,
                value: v,
            }),
            _ => return Err(bad(format!("'{filter}' is not supported"))),
        }
        match t.next() {
            None => return Ok(out),
            Some(Tok::Name(w)) if w.eq_ignore_ascii_case("and") && t.peek().is_some() => {}
            Some(_) => return Err(bad(format!("'{filter}' is not supported"))),
        }
    }
}

/// Whether a PIPELINE_OUTPUT message (its fragments, headers included)
/// meets `filter`: every condition's property is a member of the output
/// object with an equal value. An output that does not decode is kept.
pub(super) fn meets(fragments: &[u8], filter: &[Condition]) -> bool {
    let mut message = Vec::with_capacity(fragments.len());
    let mut rest = fragments;
    while let Some((head, after)) = rest.split_first_chunk::<FRAGMENT_HEADER_LEN>() {
        let len = (FragmentHeader::from_bytes(head).blob_length as usize).min(after.len());
        message.extend_from_slice(&after[..len]);
        rest = &after[len..];
    }
    let Some(data) = message.get(MESSAGE_HEADER_LEN..) else {
        return true;
    };
    let Ok(v) = m::read_value(data) else {
        return true;
    };
    let m::Value::Object { members, .. } = &v else {
        return true;
    };
    filter.iter().all(|c| {
        members
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&c.property))
            .is_some_and(|(_, x)| c.value.matches(x))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wql_subset() {
        let c = parse_filter("Name = 'al''pha' and u32 = -7 AND Enabled=true").unwrap();
        assert_eq!(
            c,
            [
                Condition {
                    property: "Name".into(),
                    value: Literal::Text("al'pha".into())
                },
                Condition {
                    property: "u32".into(),
                    value: Literal::Int(-7)
                },
                Condition {
                    property: "Enabled".into(),
                    value: Literal::Bool(true)
                },
            ]
        );
        for bad in [
            "",
            "Name",
            "Name = ",
            "Name > 3",
            "Name = 'x' OR U8 = 1",
            "Name = 'x' AND",
            "Name LIKE 'a%'",
            "Name = 'x",
            "Name = 99999999999999999999",
        ] {
            let e = parse_filter(bad).unwrap_err();
            assert!(e.contains("Property = value"), "{bad}: {e}");
        }
        assert!(Literal::Text("ALPHA".into()).matches(&Value::Str("alpha".into())));
        assert!(Literal::Int(5).matches(&Value::UInt(5)));
        assert!(!Literal::Bool(true).matches(&Value::Bool(false)));
        assert!(!Literal::Int(5).matches(&Value::Nil));
    }
}
