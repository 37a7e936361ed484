//! `Get-CimInstance -Filter`: the WQL subset of [`crate::provider::filter`]
//! (one parser for the endpoint and the providers), read here to find a
//! filter that names every key (a GetInstance), and written back as the
//! text an Enumerate hands its provider (which applies it to what the
//! provider posts: a non-matching instance is never sent).

use super::messages::Value;
pub use crate::provider::filter::{Condition, Literal};

/// What `-Filter` supports, for messages.
pub const FILTER_SUBSET: &str = "this endpoint (mi-psrp serve) reads filters of the form \
     \"Property = value [AND Property = value ...]\" where each value is 'text', \"text\", \
     an integer, TRUE, FALSE or NULL";

/// A literal as the value a parameter conversion takes.
pub trait LiteralValue {
    /// The value.
    fn value(&self) -> Value;
}

impl LiteralValue for Literal {
    fn value(&self) -> Value {
        match self {
            Literal::Text(s) => Value::Str(s.clone()),
            // parse_filter keeps integers within i64.
            Literal::Integer(i) => Value::Int(i64::try_from(*i).unwrap_or_default()),
            Literal::Boolean(b) => Value::Bool(*b),
            Literal::Null => Value::Nil,
        }
    }
}

/// Parses `-Filter`'s text: conditions joined by `AND` (a `SELECT * FROM …
/// WHERE` prefix is refused: `-ClassName` names the class).
pub fn parse_filter(filter: &str) -> Result<Vec<Condition>, String> {
    let q =
        crate::provider::filter::parse(filter).map_err(|why| format!("{why}: {FILTER_SUBSET}"))?;
    if q.class.is_some() {
        return Err(format!("a SELECT statement in -Filter: {FILTER_SUBSET}"));
    }
    for c in &q.conditions {
        if let Literal::Integer(n) = c.value {
            if i64::try_from(n).is_err() {
                return Err(format!("the number {n} is out of range: {FILTER_SUBSET}"));
            }
        }
    }
    Ok(q.conditions)
}

/// The WQL text of `conditions`, as the provider's `MI_Filter` gives it.
pub fn to_wql(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| {
            let v = match &c.value {
                Literal::Text(s) => format!("'{}'", s.replace('\'', "''")),
                Literal::Integer(n) => n.to_string(),
                Literal::Boolean(b) => (if *b { "TRUE" } else { "FALSE" }).to_owned(),
                Literal::Null => "NULL".to_owned(),
            };
            format!("{} = {v}", c.property)
        })
        .collect::<Vec<_>>()
        .join(" AND ")
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
                    value: Literal::Integer(-7)
                },
                Condition {
                    property: "Enabled".into(),
                    value: Literal::Boolean(true)
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
        // What goes to the provider reads back as the same conditions.
        let c = parse_filter("Name = 'it''s' AND N = 3 AND B = FALSE AND Z = NULL").unwrap();
        assert_eq!(parse_filter(&to_wql(&c)).unwrap(), c);
        assert_eq!(Literal::Integer(5).value(), Value::Int(5));
        assert_eq!(Literal::Null.value(), Value::Nil);
    }
}
