//! `MI_Filter`: the query an Enumerate receives, in the subset of WQL the
//! CIM cmdlets' `-Filter` is mostly used with: `P = literal [AND Q = literal]…`,
//! alone or after `SELECT * FROM Class WHERE`. Literals are quoted strings
//! (`'…'` or `"…"`, a doubled quote inside), integers, `TRUE`/`FALSE` and
//! `NULL`; names and keywords ignore ASCII case. `GetExpression` gives the
//! language `WQL` and the text; `Evaluate` tells whether an instance matches
//! (strings compared ignoring case, as WMI compares them; numbers by value
//! whatever the property's integer type; `NULL` matches a null or absent
//! property). A host also filters with [`Query::matches`] what a provider
//! that ignores the filter posts.

#![allow(non_snake_case)]

use std::ptr;

use super::guard;
use super::instance::read::Reader;
use super::instance::value::OwnedText;
use crate::host::CharType;
use crate::mi::{
    MI_Boolean, MI_Char, MI_FALSE, MI_Filter, MI_FilterFT, MI_Instance,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK, MI_Result, MI_TRUE,
};
use crate::psrp::cim::{CimInstance, CimString, CimValue};

/// The longest filter text accepted.
pub const MAX_FILTER_LEN: usize = 4096;

/// A literal of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A quoted string.
    Text(String),
    /// An integer.
    Integer(i128),
    /// `TRUE` or `FALSE`.
    Boolean(bool),
    /// `NULL`.
    Null,
}

/// `Property = Literal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The property name.
    pub property: String,
    /// The value it must have.
    pub value: Literal,
}

/// A parsed filter: the class it names (after `FROM`, if any) and its conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The class of `SELECT * FROM Class`, if the text has one.
    pub class: Option<String>,
    /// The conditions, all of which must hold.
    pub conditions: Vec<Condition>,
}

/// Why a filter text is refused: what the subset accepts, and where it stopped.
pub type FilterError = String;

/// The tokens of a filter.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Text(String),
    Number(i128),
    Eq,
    Star,
}

fn tokens(text: &str) -> Result<Vec<Tok>, FilterError> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '=' => out.push(Tok::Eq),
            '*' => out.push(Tok::Star),
            '\'' | '"' => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some((_, q)) if q == c => {
                            if chars.peek().map(|&(_, n)| n) == Some(c) {
                                chars.next();
                                s.push(c);
                            } else {
                                break;
                            }
                        }
                        Some((_, ch)) => s.push(ch),
                        None => return Err(format!("unterminated string at character {at}")),
                    }
                }
                out.push(Tok::Text(s));
            }
            '-' | '0'..='9' => {
                let mut s = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                let n = s
                    .parse()
                    .map_err(|_| format!("not an integer at character {at}: {s}"))?;
                out.push(Tok::Number(n));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut s = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                out.push(Tok::Word(s));
            }
            other => {
                return Err(format!(
                    "'{other}' at character {at}: only `Property = value [AND …]` is supported"
                ));
            }
        }
    }
    Ok(out)
}

fn keyword(t: Option<&Tok>, k: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(k))
}

/// Parses a filter: `[SELECT * FROM Class [WHERE]] P = v [AND Q = w]…`.
pub fn parse(text: &str) -> Result<Query, FilterError> {
    const SUBSET: &str = "the filter subset is `Property = 'text' | number | TRUE | FALSE | NULL`, \
        joined with AND, alone or after SELECT * FROM Class WHERE";
    if text.len() > MAX_FILTER_LEN {
        return Err(format!("the filter is longer than {MAX_FILTER_LEN} bytes"));
    }
    let toks = tokens(text)?;
    let mut i = 0;
    let mut class = None;
    if keyword(toks.first(), "SELECT") {
        match (toks.get(1), toks.get(2), toks.get(3)) {
            (Some(Tok::Star), f, Some(Tok::Word(c))) if keyword(f, "FROM") => {
                class = Some(c.clone());
                i = 4;
            }
            _ => return Err(format!("expected SELECT * FROM Class: {SUBSET}")),
        }
        if i == toks.len() {
            return Ok(Query {
                class,
                conditions: Vec::new(),
            });
        }
        if !keyword(toks.get(i), "WHERE") {
            return Err(format!("expected WHERE after the class: {SUBSET}"));
        }
        i += 1;
    }
    let mut conditions = Vec::new();
    loop {
        let (Some(Tok::Word(p)), Some(Tok::Eq), Some(v)) =
            (toks.get(i), toks.get(i + 1), toks.get(i + 2))
        else {
            return Err(format!("expected a condition: {SUBSET}"));
        };
        let value = match v {
            Tok::Text(s) => Literal::Text(s.clone()),
            Tok::Number(n) => Literal::Integer(*n),
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") => Literal::Boolean(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("FALSE") => Literal::Boolean(false),
            Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => Literal::Null,
            _ => return Err(format!("{p}: not a literal: {SUBSET}")),
        };
        conditions.push(Condition {
            property: p.clone(),
            value,
        });
        i += 3;
        if i == toks.len() {
            break;
        }
        if !keyword(toks.get(i), "AND") {
            return Err(format!("expected AND: {SUBSET}"));
        }
        i += 1;
    }
    Ok(Query { class, conditions })
}

fn text_eq(s: &CimString, t: &str) -> bool {
    let a = s.to_string_lossy();
    a.len() == t.len() && a.to_lowercase() == t.to_lowercase()
}

impl Query {
    /// Whether `instance` meets every condition.
    pub fn matches(&self, instance: &CimInstance) -> bool {
        self.conditions.iter().all(|c| {
            let value = instance
                .properties
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(&c.property))
                .and_then(|p| p.value.as_ref());
            match (&c.value, value) {
                (Literal::Null, v) => v.is_none(),
                (_, None) => false,
                (Literal::Text(t), Some(CimValue::String(s))) => text_eq(s, t),
                (Literal::Integer(n), Some(v)) => v.as_integer() == Some(*n),
                (Literal::Boolean(b), Some(CimValue::Boolean(x))) => b == x,
                _ => false,
            }
        })
    }

    /// The names of the properties the conditions set with `=` (to tell
    /// whether they name every key).
    pub fn equalities(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(|c| c.value != Literal::Null)
    }
}

/// A filter of ours: the `MI_Filter` first, then its text and conditions.
#[repr(C)]
pub struct Filter {
    mi: MI_Filter,
    ct: CharType,
    language: OwnedText,
    expression: OwnedText,
    query: Query,
}

impl Filter {
    /// A WQL filter in character type `ct`, or why the text is refused.
    pub fn new(wql: &str, ct: CharType) -> Result<Box<Filter>, FilterError> {
        let query = parse(wql)?;
        let mut b = Box::new(Filter {
            mi: MI_Filter {
                ft: &FILTER_FT,
                reserved: [0; 3],
            },
            ct,
            language: OwnedText::from_str("WQL", ct),
            expression: OwnedText::from_str(wql, ct),
            query,
        });
        b.mi.reserved[0] = (&raw const *b) as isize;
        Ok(b)
    }

    /// The `MI_Filter` a provider is given.
    pub fn as_ptr(&self) -> *const MI_Filter {
        &self.mi
    }

    /// The parsed query.
    pub fn query(&self) -> &Query {
        &self.query
    }
}

/// # Safety
/// `p` is NULL or a readable `MI_Filter`.
unsafe fn ours<'a>(p: *const MI_Filter) -> Option<&'a Filter> {
    // SAFETY: NULL or readable.
    let f = unsafe { p.as_ref() }?;
    if !ptr::eq(f.ft, &FILTER_FT) || f.reserved[0] != p as isize {
        return None;
    }
    // SAFETY: ours: `p` is the first field of a live Filter.
    Some(unsafe { &*(p as *const Filter) })
}

unsafe extern "system" fn filter_evaluate(
    f: *const MI_Filter,
    instance: *const MI_Instance,
    result: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the filter it was given.
        let Some(f) = (unsafe { ours(f) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if result.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: the provider passes an instance it holds (or NULL).
        let same_type = unsafe { crate::provider::instance::record(instance) }
            .is_some_and(|r| r.char_type == f.ct);
        if !same_type {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let empty = CimString::default();
        let mut reader = Reader::new(&empty);
        // SAFETY: a live instance of ours.
        match unsafe { reader.instance(instance, 0) } {
            Ok(i) => {
                // SAFETY: non-NULL, writable by MI's contract.
                unsafe {
                    result.write(if f.query.matches(&i) {
                        MI_TRUE
                    } else {
                        MI_FALSE
                    })
                };
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

unsafe extern "system" fn filter_expression(
    f: *const MI_Filter,
    language: *mut *const MI_Char,
    expression: *mut *const MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the filter it was given.
        let Some(f) = (unsafe { ours(f) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: each out-pointer NULL or writable, by MI's contract.
        unsafe {
            if !language.is_null() {
                language.write(f.language.as_ptr());
            }
            if !expression.is_null() {
                expression.write(f.expression.as_ptr());
            }
        }
        MI_RESULT_OK
    })
}

/// The table of mi-psrp's filters.
pub static FILTER_FT: MI_FilterFT = MI_FilterFT {
    Evaluate: Some(filter_evaluate),
    GetExpression: Some(filter_expression),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psrp::cim::{CimClass, CimProperty};
    use std::sync::Arc;

    fn widget(name: &str, size: u64, on: bool) -> CimInstance {
        CimInstance {
            class: Arc::new(CimClass {
                name: "W".into(),
                superclass: None,
                local_properties: Vec::new(),
                id: 1,
            }),
            namespace: CimString::default(),
            properties: vec![
                CimProperty {
                    name: "Name".into(),
                    value: Some(CimValue::String(name.into())),
                    key: true,
                },
                CimProperty {
                    name: "Size".into(),
                    value: Some(CimValue::Uint64(size)),
                    key: false,
                },
                CimProperty {
                    name: "On".into(),
                    value: Some(CimValue::Boolean(on)),
                    key: false,
                },
                CimProperty {
                    name: "Note".into(),
                    value: None,
                    key: false,
                },
            ],
        }
    }

    #[test]
    fn the_subset_parses_and_matches() {
        let q = parse("name = 'W1' AND Size = 4096 and ON = true AND Note = NULL").unwrap();
        assert_eq!(q.class, None);
        assert_eq!(q.conditions.len(), 4);
        assert!(q.matches(&widget("w1", 4096, true)));
        assert!(!q.matches(&widget("w2", 4096, true)));
        assert!(!q.matches(&widget("w1", 4095, true)));
        assert!(!q.matches(&widget("w1", 4096, false)));
        let q = parse("SELECT * FROM XYZ_Widget WHERE Name = \"it\"\"s\"").unwrap();
        assert_eq!(q.class.as_deref(), Some("XYZ_Widget"));
        assert_eq!(q.conditions[0].value, Literal::Text("it\"s".into()));
        let q = parse("select * from W").unwrap();
        assert!(q.conditions.is_empty() && q.matches(&widget("x", 1, false)));
        assert!(parse("Size = -1").unwrap().conditions[0].value == Literal::Integer(-1));
    }

    #[test]
    fn everything_else_is_refused_with_what_is_supported() {
        for bad in [
            "",
            "Name > 'a'",
            "Name = 'a' OR Size = 1",
            "Name = 'a",
            "Name LIKE 'a%'",
            "SELECT Name FROM W",
            "SELECT * FROM W WHERE",
            "Name = Size",
            "Size = 99999999999999999999999999999999999999999",
            "(Name = 'a')",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
        assert!(parse(&"a".repeat(MAX_FILTER_LEN + 1)).is_err());
    }
}
