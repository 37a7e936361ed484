//! The conversion of a client's argument values (`-Arguments`, `-Property`,
//! `-Filter` and `-InputObject` keys) to CIM values by each element's
//! declared type, as PowerShell's argument conversion does for the common
//! cases.

use std::sync::Arc;

use super::commands::{MAX_ARGUMENT_ITEMS, instance_class};
use super::messages::Value;
use crate::provider::schema::Schema;
use crate::psrp::cim::input::{parse_datetime, type_name};
use crate::psrp::cim::{CimClass, CimInstance, CimProperty, CimPropertyDecl, CimString, CimValue};

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

pub(super) fn text(v: &Value) -> Option<String> {
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

/// The deepest nesting of arrays and embedded instances in an argument.
pub const MAX_NESTING: usize = 32;

/// Converts `v` to a value of `MI_Type` `mi_type` (of declared class
/// `class`, for embedded instances and references) as PowerShell's argument
/// conversion would for the common cases: numbers within range, text for a
/// string, a single value for an array of one; datetimes from a
/// deserialized `DateTime` (`<DT>`, a timestamp) or `TimeSpan` (`<TS>`, an
/// interval) or their text; embedded instances from a hashtable (`@{…}`, an
/// instance of the declared class) or a deserialized CimInstance (its class,
/// its declared properties). `Ok(None)`: null. `schema` answers for the
/// classes of embedded instances.
pub fn to_cim(
    v: &Value,
    mi_type: u32,
    class: Option<&str>,
    parameter: &str,
    schema: &dyn Schema,
) -> Result<Option<CimValue>, String> {
    convert(v, mi_type, class, parameter, schema, 0)
}

fn convert(
    v: &Value,
    mi_type: u32,
    class: Option<&str>,
    parameter: &str,
    schema: &dyn Schema,
    depth: usize,
) -> Result<Option<CimValue>, String> {
    if matches!(v, Value::Nil) {
        return Ok(None);
    }
    if depth > MAX_NESTING {
        return Err(format!(
            "parameter {parameter}: nested more than {MAX_NESTING} levels deep"
        ));
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
    // The converted items of an array, `None` for a null item (refused
    // unless `nulls`).
    let convert_items = |item_type: u32, nulls: bool| -> Result<Vec<Option<CimValue>>, String> {
        let mut out = Vec::new();
        for (i, item) in items()?.into_iter().enumerate() {
            if matches!(item, Value::List(_)) {
                return Err(no_fit());
            }
            let x = convert(
                item,
                item_type,
                class,
                &format!("{parameter}[{i}]"),
                schema,
                depth + 1,
            )?;
            if x.is_none() && !nulls {
                return Err(no_fit());
            }
            out.push(x);
        }
        Ok(out)
    };
    macro_rules! array {
        ($variant:ident, $item:expr, $scalar:ident) => {{
            let mut out = Vec::new();
            for x in convert_items($item, false)? {
                match x {
                    Some(CimValue::$scalar(x)) => out.push(x),
                    _ => return Err(no_fit()),
                }
            }
            CimValue::$variant(out)
        }};
    }
    let instances = |item_type: u32| -> Result<Vec<Option<CimInstance>>, String> {
        convert_items(item_type, true)?
            .into_iter()
            .map(|x| match x {
                None => Ok(None),
                Some(CimValue::Instance(b) | CimValue::Reference(b)) => Ok(Some(*b)),
                Some(_) => Err(no_fit()),
            })
            .collect()
    };
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
        // A deserialized DateTime is `<DT>` (ISO 8601 text), a TimeSpan
        // `<TS>` (an xs:duration, `P1DT2H`): both read as text.
        12 => CimValue::Datetime(match v {
            Value::Str(s) => parse_datetime(s.trim()).ok_or_else(no_fit)?,
            _ => return Err(no_fit()),
        }),
        13 => CimValue::String(CimString::from(text(v).ok_or_else(no_fit)?.as_str())),
        14 | 15 => {
            let inst = instance(v, mi_type, class, parameter, schema, depth)?;
            if mi_type == 14 {
                CimValue::Reference(Box::new(inst))
            } else {
                CimValue::Instance(Box::new(inst))
            }
        }
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
        28 => array!(DatetimeA, 12, Datetime),
        29 => CimValue::StringA(
            convert_items(13, true)?
                .into_iter()
                .map(|x| match x {
                    Some(CimValue::String(s)) => Ok(Some(s)),
                    None => Ok(None),
                    Some(_) => Err(no_fit()),
                })
                .collect::<Result<_, String>>()?,
        ),
        30 => CimValue::ReferenceA(instances(14)?),
        31 => CimValue::InstanceA(instances(15)?),
        _ => return Err(no_fit()),
    }))
}

/// An embedded instance (or reference) from a hashtable or a deserialized
/// CimInstance.
fn instance(
    v: &Value,
    mi_type: u32,
    declared: Option<&str>,
    parameter: &str,
    schema: &dyn Schema,
    depth: usize,
) -> Result<CimInstance, String> {
    let (class, given): (String, Vec<(String, &Value)>) = match v {
        Value::Dict(entries) => {
            let class = declared.ok_or_else(|| {
                format!(
                    "parameter {parameter}: a hashtable for an {} of no declared class:                      send a CimInstance",
                    type_name(mi_type)
                )
            })?;
            let mut given = Vec::with_capacity(entries.len());
            for (k, x) in entries {
                let k = k.as_str().ok_or_else(|| {
                    format!(
                        "parameter {parameter}: a key that is not text: '{}'",
                        short(k)
                    )
                })?;
                given.push((k.to_owned(), x));
            }
            (class.to_owned(), given)
        }
        Value::Object { members, .. } => {
            let (class, _) = instance_class(v).ok_or_else(|| {
                format!(
                    "Cannot convert value '{}' of parameter {parameter} to type {}:                      not a hashtable or a CimInstance.",
                    short(v),
                    type_name(mi_type)
                )
            })?;
            // Its declared properties only (not CimClass, PSComputerName, …).
            let given = members
                .iter()
                .filter(|(n, _)| schema.property(&class, n).is_some())
                .map(|(n, x)| (n.clone(), x))
                .collect();
            (class, given)
        }
        _ => {
            return Err(format!(
                "Cannot convert value '{}' of parameter {parameter} to type {}:                  not a hashtable or a CimInstance.",
                short(v),
                type_name(mi_type)
            ));
        }
    };
    if !schema.has_class(&class) {
        return Err(format!(
            "parameter {parameter}: no module of this endpoint has class {class}"
        ));
    }
    let mut decls = Vec::with_capacity(given.len());
    let mut properties = Vec::with_capacity(given.len());
    for (name, x) in given {
        let p = format!("{parameter}.{name}");
        let (t, c) = schema
            .property(&class, &name)
            .ok_or_else(|| format!("parameter {p}: class {class} has no property {name}"))?;
        let value = convert(x, t, c.as_deref(), &p, schema, depth + 1)?;
        decls.push(CimPropertyDecl {
            name: CimString::from(name.as_str()),
            mi_type: t,
            key: false,
            class_name: c.map(CimString::from),
        });
        properties.push(CimProperty {
            name: CimString::from(name.as_str()),
            value,
            key: false,
        });
    }
    Ok(CimInstance {
        class: Arc::new(CimClass {
            name: CimString::from(class.as_str()),
            superclass: None,
            local_properties: decls,
            id: 0,
        }),
        namespace: CimString::default(),
        properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::schema::NoClasses;
    use crate::psrp::cim::CimDatetime;

    #[test]
    fn converts_by_declared_type() {
        assert_eq!(
            to_cim(&Value::Int(5), 5, None, "N", &NoClasses).unwrap(),
            Some(CimValue::Uint32(5))
        );
        assert!(to_cim(&Value::Int(-1), 5, None, "N", &NoClasses).is_err());
        assert!(to_cim(&Value::Int(300), 1, None, "N", &NoClasses).is_err());
        assert_eq!(
            to_cim(&Value::Int(7), 13, None, "S", &NoClasses).unwrap(),
            Some(CimValue::String(CimString::from("7")))
        );
        assert_eq!(
            to_cim(&Value::Str("x".into()), 29, None, "A", &NoClasses).unwrap(),
            Some(CimValue::StringA(vec![Some(CimString::from("x"))]))
        );
        assert_eq!(
            to_cim(
                &Value::List(vec![Value::Int(1), Value::UInt(2)]),
                21,
                None,
                "A",
                &NoClasses
            )
            .unwrap(),
            Some(CimValue::Uint32A(vec![1, 2]))
        );
        assert!(to_cim(&Value::Str("x".into()), 12, None, "D", &NoClasses).is_err());
        assert_eq!(to_cim(&Value::Nil, 5, None, "N", &NoClasses).unwrap(), None);
    }

    struct Parts;

    impl Schema for Parts {
        fn property(&self, class: &str, name: &str) -> Option<(u32, Option<String>)> {
            match (class, name) {
                ("XYZ_Part", "Name") => Some((13, None)),
                ("XYZ_Part", "Weight") => Some((5, None)),
                ("XYZ_Part", "Inner") => Some((15, Some("XYZ_Part".into()))),
                _ => None,
            }
        }
        fn has_class(&self, class: &str) -> bool {
            class == "XYZ_Part"
        }
    }

    #[test]
    fn converts_datetimes_instances_and_deep_nesting() {
        let ts = to_cim(
            &Value::Str("2024-05-06T07:08:09.1234567+02:00".into()),
            12,
            None,
            "D",
            &NoClasses,
        )
        .unwrap();
        assert!(
            matches!(
                ts,
                Some(CimValue::Datetime(CimDatetime::Timestamp {
                    year: 2024,
                    utc: 120,
                    ..
                }))
            ),
            "{ts:?}"
        );
        let iv = to_cim(&Value::Str("P1DT2H".into()), 12, None, "D", &NoClasses).unwrap();
        assert!(
            matches!(
                iv,
                Some(CimValue::Datetime(CimDatetime::Interval {
                    days: 1,
                    hours: 2,
                    ..
                }))
            ),
            "{iv:?}"
        );
        let s = |x: &str| Value::Str(x.into());
        let dict = Value::Dict(vec![(s("Name"), s("bolt")), (s("Weight"), Value::Int(3))]);
        let Some(CimValue::Instance(i)) = to_cim(&dict, 15, Some("XYZ_Part"), "P", &Parts).unwrap()
        else {
            panic!()
        };
        assert_eq!(i.class.name.to_string_lossy(), "XYZ_Part");
        assert_eq!(i.properties[1].value, Some(CimValue::Uint32(3)));
        // A deserialized CimInstance: its class from its type names, its
        // declared properties only.
        let obj = Value::Object {
            type_names: vec![
                "Deserialized.Microsoft.Management.Infrastructure.CimInstance#root/x/XYZ_Part"
                    .into(),
                "Deserialized.Microsoft.Management.Infrastructure.CimInstance".into(),
            ],
            members: vec![
                ("Name".into(), s("nut")),
                ("PSComputerName".into(), s("box")),
            ],
        };
        let Some(CimValue::InstanceA(a)) = to_cim(
            &Value::List(vec![obj, Value::Nil]),
            31,
            Some("XYZ_Part"),
            "P",
            &Parts,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].as_ref().unwrap().properties.len(), 1);
        assert!(
            to_cim(
                &Value::Dict(vec![(s("Frob"), s("x"))]),
                15,
                Some("XYZ_Part"),
                "P",
                &Parts
            )
            .unwrap_err()
            .contains("no property Frob")
        );
        // Nested too deeply: an error, not a stack overflow.
        let mut v = Value::Dict(vec![]);
        for _ in 0..100 {
            v = Value::Dict(vec![(s("Inner"), v)]);
        }
        assert!(
            to_cim(&v, 15, Some("XYZ_Part"), "P", &Parts)
                .unwrap_err()
                .contains("nested")
        );
    }
}
