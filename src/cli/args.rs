//! JSON → [`CimValue`] by declared type: what `mi-psrp invoke`, `get`,
//! `create`, `modify` and `delete` take as `--arguments`, `--key` and
//! `--properties`.
//!
//! [`json_to_value`] is a pure function of the JSON value, the declared
//! `MI_Type` (and class, for embedded instances and references) and a
//! [`Schema`] that answers for the properties of embedded instances, so it can
//! be fuzzed. The rules:
//!
//! - integers must be JSON integers within the exact type's range; reals any
//!   JSON number (a real32 within `f32`'s range);
//! - strings JSON strings; booleans JSON booleans;
//! - char16 a one-UTF-16-unit string or an integer 0–65535;
//! - datetimes a string: ISO 8601 (`2024-05-06T07:08:09.123456+02:00`, `Z`,
//!   or no offset for UTC; a date alone), CIM datetime text
//!   (`20240506070809.123456+120`, interval `00000001020304.000005:000`), or an
//!   ISO 8601 duration (`P1DT2H`, `PT0.5S`, `P2W`) for an interval;
//! - arrays JSON arrays of the element type (`null` items only in string,
//!   reference and instance arrays);
//! - embedded instances and references JSON objects, with an optional
//!   `"__class"` naming the class (a derived one), else the declared class;
//! - `null` is null (`Ok(None)`).
//!
//! A value that does not fit is a [`ValueError`] naming the property and the
//! type: `property Size: 300 does not fit uint8`.

use std::sync::Arc;

use serde_json::Value;

pub use crate::provider::schema::{NoClasses, Schema};
pub use crate::psrp::cim::input::{parse_datetime, type_name};
use crate::psrp::cim::{
    CimClass, CimDatetime, CimInstance, CimProperty, CimPropertyDecl, CimString, CimValue,
};

/// A value that does not fit its declared type (or names an unknown property).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// The property (`Part.Weight` for one of an embedded instance, `Texts[2]`
    /// for an array item).
    pub property: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "property {}: {}", self.property, self.message)
    }
}

impl std::error::Error for ValueError {}

/// The deepest nesting of embedded instances and arrays accepted.
pub const MAX_NESTING: usize = 32;

/// A short text of a JSON value for a message.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

struct Conv<'a> {
    schema: &'a dyn Schema,
}

fn err(property: &str, message: impl Into<String>) -> ValueError {
    ValueError {
        property: property.to_owned(),
        message: message.into(),
    }
}

fn no_fit(property: &str, v: &Value, t: u32) -> ValueError {
    err(
        property,
        format!("{} does not fit {}", shown(v), type_name(t)),
    )
}

/// Converts `json` to a value of `MI_Type` `mi_type` (0–31); `class` is the
/// declared class of an embedded instance or reference; `property` names it
/// in errors. `null` is `Ok(None)`. A converted value's
/// [`mi_type`](CimValue::mi_type) is `mi_type`.
pub fn json_to_value(
    json: &Value,
    mi_type: u32,
    class: Option<&str>,
    schema: &dyn Schema,
    property: &str,
) -> Result<Option<CimValue>, ValueError> {
    if json.is_null() {
        return Ok(None);
    }
    Conv { schema }
        .value(json, mi_type, class, property, 0)
        .map(Some)
}

macro_rules! int_item {
    ($v:expr, $t:ty, $ty:expr, $p:expr) => {{
        let v: &Value = $v;
        let n = match v {
            Value::Number(n) => n
                .as_i64()
                .and_then(|i| <$t>::try_from(i).ok())
                .or_else(|| n.as_u64().and_then(|u| <$t>::try_from(u).ok())),
            _ => None,
        };
        n.ok_or_else(|| no_fit($p, v, $ty))
    }};
}

impl Conv<'_> {
    fn value(
        &self,
        v: &Value,
        t: u32,
        class: Option<&str>,
        p: &str,
        depth: usize,
    ) -> Result<CimValue, ValueError> {
        if depth > MAX_NESTING {
            return Err(err(p, "nested too deeply"));
        }
        Ok(match t {
            0 => CimValue::Boolean(v.as_bool().ok_or_else(|| no_fit(p, v, t))?),
            1 => CimValue::Uint8(int_item!(v, u8, t, p)?),
            2 => CimValue::Sint8(int_item!(v, i8, t, p)?),
            3 => CimValue::Uint16(int_item!(v, u16, t, p)?),
            4 => CimValue::Sint16(int_item!(v, i16, t, p)?),
            5 => CimValue::Uint32(int_item!(v, u32, t, p)?),
            6 => CimValue::Sint32(int_item!(v, i32, t, p)?),
            7 => CimValue::Uint64(int_item!(v, u64, t, p)?),
            8 => CimValue::Sint64(int_item!(v, i64, t, p)?),
            9 => CimValue::Real32(real32(v, p)?),
            10 => CimValue::Real64(v.as_f64().ok_or_else(|| no_fit(p, v, t))?),
            11 => CimValue::Char16(char16(v, p)?),
            12 => CimValue::Datetime(datetime(v, p)?),
            13 => CimValue::String(CimString::from(v.as_str().ok_or_else(|| no_fit(p, v, t))?)),
            14 => CimValue::Reference(Box::new(self.instance(v, t, class, p, depth)?)),
            15 => CimValue::Instance(Box::new(self.instance(v, t, class, p, depth)?)),
            16..32 => self.array(v, t, class, p, depth)?,
            _ => return Err(err(p, format!("{} is no MI type", t))),
        })
    }

    fn array(
        &self,
        v: &Value,
        t: u32,
        class: Option<&str>,
        p: &str,
        depth: usize,
    ) -> Result<CimValue, ValueError> {
        let items = v.as_array().ok_or_else(|| no_fit(p, v, t))?;
        let et = t - 16;
        let mut scalars = Vec::with_capacity(items.len());
        let mut optional = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            if item.is_null() {
                if matches!(et, 13..=15) {
                    optional.push(None);
                    continue;
                }
                return Err(err(&ip, format!("null is no {} item", type_name(t))));
            }
            let x = self.value(item, et, class, &ip, depth + 1)?;
            if matches!(et, 13..=15) {
                optional.push(Some(x));
            } else {
                scalars.push(x);
            }
        }
        macro_rules! collect {
            ($variant:ident, $arr:ident) => {
                CimValue::$arr(
                    scalars
                        .into_iter()
                        .filter_map(|x| match x {
                            CimValue::$variant(y) => Some(y),
                            _ => None,
                        })
                        .collect(),
                )
            };
        }
        let inst = |x: Option<CimValue>| match x {
            Some(CimValue::Instance(b) | CimValue::Reference(b)) => Some(*b),
            _ => None,
        };
        Ok(match et {
            0 => collect!(Boolean, BooleanA),
            1 => collect!(Uint8, Uint8A),
            2 => collect!(Sint8, Sint8A),
            3 => collect!(Uint16, Uint16A),
            4 => collect!(Sint16, Sint16A),
            5 => collect!(Uint32, Uint32A),
            6 => collect!(Sint32, Sint32A),
            7 => collect!(Uint64, Uint64A),
            8 => collect!(Sint64, Sint64A),
            9 => collect!(Real32, Real32A),
            10 => collect!(Real64, Real64A),
            11 => collect!(Char16, Char16A),
            12 => collect!(Datetime, DatetimeA),
            13 => CimValue::StringA(
                optional
                    .into_iter()
                    .map(|x| match x {
                        Some(CimValue::String(s)) => Some(s),
                        _ => None,
                    })
                    .collect(),
            ),
            14 => CimValue::ReferenceA(optional.into_iter().map(inst).collect()),
            _ => CimValue::InstanceA(optional.into_iter().map(inst).collect()),
        })
    }

    fn instance(
        &self,
        v: &Value,
        t: u32,
        declared: Option<&str>,
        p: &str,
        depth: usize,
    ) -> Result<CimInstance, ValueError> {
        let obj = v.as_object().ok_or_else(|| no_fit(p, v, t))?;
        let class = match obj.get("__class") {
            Some(Value::String(c)) => c.as_str(),
            Some(other) => {
                return Err(err(
                    p,
                    format!("\"__class\" must be a class name, not {}", shown(other)),
                ));
            }
            None => declared.ok_or_else(|| {
                err(
                    p,
                    format!("{} of no declared class needs \"__class\"", type_name(t)),
                )
            })?,
        };
        if !self.schema.has_class(class) {
            return Err(err(p, format!("no class {class}")));
        }
        let mut decls = Vec::new();
        let mut properties = Vec::new();
        for (name, item) in obj {
            if name == "__class" {
                continue;
            }
            let np = format!("{p}.{name}");
            let (it, ic) = self
                .schema
                .property(class, name)
                .ok_or_else(|| err(&np, format!("class {class} has no property {name}")))?;
            let value = if item.is_null() {
                None
            } else {
                Some(self.value(item, it, ic.as_deref(), &np, depth + 1)?)
            };
            decls.push(CimPropertyDecl {
                name: CimString::from(name.as_str()),
                mi_type: it,
                key: false,
                class_name: ic.map(CimString::from),
            });
            properties.push(CimProperty {
                name: CimString::from(name.as_str()),
                value,
                key: false,
            });
        }
        Ok(CimInstance {
            class: Arc::new(CimClass {
                name: CimString::from(class),
                superclass: None,
                local_properties: decls,
                id: 0,
            }),
            namespace: CimString::default(),
            properties,
        })
    }
}

fn real32(v: &Value, p: &str) -> Result<f32, ValueError> {
    let x = v.as_f64().ok_or_else(|| no_fit(p, v, 9))?;
    if x.is_finite() && x.abs() > f64::from(f32::MAX) {
        return Err(no_fit(p, v, 9));
    }
    Ok(x as f32)
}

fn char16(v: &Value, p: &str) -> Result<u16, ValueError> {
    match v {
        Value::String(s) => {
            let mut units = s.encode_utf16();
            match (units.next(), units.next()) {
                (Some(u), None) => Ok(u),
                _ => Err(no_fit(p, v, 11)),
            }
        }
        _ => int_item!(v, u16, 11, p),
    }
}

fn datetime(v: &Value, p: &str) -> Result<CimDatetime, ValueError> {
    let s = v.as_str().ok_or_else(|| no_fit(p, v, 12))?;
    parse_datetime(s).ok_or_else(|| {
        err(
            p,
            format!(
                "{} does not fit datetime (ISO 8601 like 2024-05-06T07:08:09+02:00, \
                 a duration like P1DT2H, or CIM text like 20240506070809.000000+120)",
                shown(v)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Parts;

    impl Schema for Parts {
        fn property(&self, class: &str, name: &str) -> Option<(u32, Option<String>)> {
            match (class, name) {
                ("Part" | "BigPart", "Name") => Some((13, None)),
                ("Part" | "BigPart", "Weight") => Some((5, None)),
                ("BigPart", "Extra") => Some((13, None)),
                ("BigPart", "Inner") => Some((15, Some("Part".into()))),
                _ => None,
            }
        }
        fn has_class(&self, class: &str) -> bool {
            matches!(class, "Part" | "BigPart")
        }
    }

    fn conv(v: Value, t: u32) -> Result<Option<CimValue>, ValueError> {
        json_to_value(&v, t, Some("Part"), &Parts, "P")
    }

    fn ok(v: Value, t: u32) -> CimValue {
        let x = conv(v, t).unwrap().unwrap();
        assert_eq!(x.mi_type(), t);
        x
    }

    fn bad(v: Value, t: u32) -> String {
        conv(v, t).unwrap_err().to_string()
    }

    #[test]
    fn scalars() {
        assert_eq!(ok(json!(true), 0), CimValue::Boolean(true));
        assert_eq!(ok(json!(255), 1), CimValue::Uint8(255));
        assert_eq!(ok(json!(-128), 2), CimValue::Sint8(-128));
        assert_eq!(ok(json!(65535), 3), CimValue::Uint16(65535));
        assert_eq!(ok(json!(-32768), 4), CimValue::Sint16(-32768));
        assert_eq!(ok(json!(4294967295u32), 5), CimValue::Uint32(u32::MAX));
        assert_eq!(ok(json!(i32::MIN), 6), CimValue::Sint32(i32::MIN));
        assert_eq!(ok(json!(u64::MAX), 7), CimValue::Uint64(u64::MAX));
        assert_eq!(ok(json!(i64::MIN), 8), CimValue::Sint64(i64::MIN));
        assert_eq!(ok(json!(1.5), 9), CimValue::Real32(1.5));
        assert_eq!(ok(json!(2), 10), CimValue::Real64(2.0));
        assert_eq!(ok(json!("x"), 11), CimValue::Char16(u16::from(b'x')));
        assert_eq!(ok(json!(65), 11), CimValue::Char16(65));
        assert_eq!(ok(json!("hé"), 13), CimValue::String(CimString::from("hé")));
        assert_eq!(conv(json!(null), 5), Ok(None));
    }

    #[test]
    fn integers_out_of_range() {
        assert_eq!(bad(json!(300), 1), "property P: 300 does not fit uint8");
        assert_eq!(bad(json!(-1), 1), "property P: -1 does not fit uint8");
        assert_eq!(bad(json!(128), 2), "property P: 128 does not fit sint8");
        assert_eq!(
            bad(json!(65536), 3),
            "property P: 65536 does not fit uint16"
        );
        assert_eq!(
            bad(json!(40000), 4),
            "property P: 40000 does not fit sint16"
        );
        assert_eq!(bad(json!(-1), 5), "property P: -1 does not fit uint32");
        assert_eq!(
            bad(json!(3000000000u32), 6),
            "property P: 3000000000 does not fit sint32"
        );
        assert_eq!(bad(json!(-1), 7), "property P: -1 does not fit uint64");
        assert_eq!(
            bad(json!(u64::MAX), 8),
            format!("property P: {} does not fit sint64", u64::MAX)
        );
        assert_eq!(bad(json!(1.5), 5), "property P: 1.5 does not fit uint32");
        assert_eq!(bad(json!("1"), 5), "property P: \"1\" does not fit uint32");
        assert_eq!(bad(json!(1e39), 9), "property P: 1e+39 does not fit real32");
        assert_eq!(bad(json!("x"), 10), "property P: \"x\" does not fit real64");
        assert_eq!(bad(json!(1), 0), "property P: 1 does not fit boolean");
        assert_eq!(bad(json!(1), 13), "property P: 1 does not fit string");
        assert_eq!(
            bad(json!("ab"), 11),
            "property P: \"ab\" does not fit char16"
        );
        assert_eq!(
            bad(json!("😀"), 11),
            "property P: \"😀\" does not fit char16"
        );
        assert_eq!(
            bad(json!(70000), 11),
            "property P: 70000 does not fit char16"
        );
        assert!(bad(json!(1), 32).contains("no MI type"));
    }

    #[test]
    fn datetimes() {
        let ts = |y, mo, d, h, mi, s, us, utc| CimDatetime::Timestamp {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
            microseconds: us,
            utc,
        };
        let iv = |days, hours, minutes, seconds, microseconds| CimDatetime::Interval {
            days,
            hours,
            minutes,
            seconds,
            microseconds,
        };
        let dt = |s: &str| match ok(json!(s), 12) {
            CimValue::Datetime(d) => d,
            _ => unreachable!(),
        };
        assert_eq!(
            dt("2024-05-06T07:08:09.123456+02:00"),
            ts(2024, 5, 6, 7, 8, 9, 123456, 120)
        );
        assert_eq!(dt("2024-05-06T07:08:09Z"), ts(2024, 5, 6, 7, 8, 9, 0, 0));
        assert_eq!(
            dt("2024-05-06T07:08:09.5-0130"),
            ts(2024, 5, 6, 7, 8, 9, 500000, -90)
        );
        assert_eq!(dt("2024-05-06T07:08"), ts(2024, 5, 6, 7, 8, 0, 0, 0));
        assert_eq!(dt("2024-02-29"), ts(2024, 2, 29, 0, 0, 0, 0, 0));
        assert_eq!(
            dt("20240506070809.123456+120"),
            ts(2024, 5, 6, 7, 8, 9, 123456, 120)
        );
        assert_eq!(
            dt("20240506070809.000000-300"),
            ts(2024, 5, 6, 7, 8, 9, 0, -300)
        );
        assert_eq!(dt("00000001020304.000005:000"), iv(1, 2, 3, 4, 5));
        assert_eq!(dt("P1DT2H"), iv(1, 2, 0, 0, 0));
        assert_eq!(dt("PT90M"), iv(0, 1, 30, 0, 0));
        assert_eq!(dt("PT0.5S"), iv(0, 0, 0, 0, 500000));
        assert_eq!(dt("P2W"), iv(14, 0, 0, 0, 0));
        for bad_text in [
            "2023-02-29",
            "2024-13-01",
            "2024-05-06T24:00:00",
            "2024-05-06T07:08:09+25:00",
            "20240506070809.123456*120",
            "00000001250304.000005:000",
            "00000001020304.000005:001",
            "P1Y",
            "P1M",
            "PT",
            "P",
            "PT1.5H",
            "P1H",
            "yesterday",
            "",
        ] {
            let m = bad(json!(bad_text), 12);
            assert!(
                m.starts_with("property P: ") && m.contains("does not fit datetime"),
                "{bad_text}: {m}"
            );
        }
        assert!(bad(json!(5), 12).contains("does not fit datetime"));
    }

    #[test]
    fn arrays() {
        assert_eq!(
            ok(json!([true, false]), 16),
            CimValue::BooleanA(vec![true, false])
        );
        assert_eq!(ok(json!([1, 2]), 17), CimValue::Uint8A(vec![1, 2]));
        assert_eq!(ok(json!([-1]), 18), CimValue::Sint8A(vec![-1]));
        assert_eq!(ok(json!([1]), 19), CimValue::Uint16A(vec![1]));
        assert_eq!(ok(json!([-1]), 20), CimValue::Sint16A(vec![-1]));
        assert_eq!(ok(json!([1]), 21), CimValue::Uint32A(vec![1]));
        assert_eq!(ok(json!([-1]), 22), CimValue::Sint32A(vec![-1]));
        assert_eq!(ok(json!([1]), 23), CimValue::Uint64A(vec![1]));
        assert_eq!(ok(json!([-1]), 24), CimValue::Sint64A(vec![-1]));
        assert_eq!(ok(json!([0.5]), 25), CimValue::Real32A(vec![0.5]));
        assert_eq!(ok(json!([0.25]), 26), CimValue::Real64A(vec![0.25]));
        assert_eq!(ok(json!(["a", 66]), 27), CimValue::Char16A(vec![97, 66]));
        assert_eq!(ok(json!(["P1D"]), 28).mi_type(), 28);
        assert_eq!(
            ok(json!(["a", null]), 29),
            CimValue::StringA(vec![Some(CimString::from("a")), None])
        );
        assert_eq!(ok(json!([]), 21), CimValue::Uint32A(vec![]));
        match ok(json!([{"Name": "p"}, null]), 31) {
            CimValue::InstanceA(v) => assert!(v[0].is_some() && v[1].is_none()),
            _ => unreachable!(),
        }
        assert_eq!(ok(json!([{"Name": "p"}]), 30).mi_type(), 30);
        assert_eq!(
            bad(json!([1, 300]), 17),
            "property P[1]: 300 does not fit uint8"
        );
        assert_eq!(
            bad(json!([1, null]), 21),
            "property P[1]: null is no uint32[] item"
        );
        assert_eq!(bad(json!(1), 21), "property P: 1 does not fit uint32[]");
    }

    #[test]
    fn instances() {
        match ok(json!({"Name": "p1", "Weight": 3}), 15) {
            CimValue::Instance(i) => {
                assert_eq!(i.class.name.to_string_lossy(), "Part");
                assert_eq!(i.properties.len(), 2);
            }
            _ => unreachable!(),
        }
        match ok(
            json!({"__class": "BigPart", "Extra": "x", "Inner": {"Weight": 1}}),
            14,
        ) {
            CimValue::Reference(i) => assert_eq!(i.class.name.to_string_lossy(), "BigPart"),
            _ => unreachable!(),
        }
        assert_eq!(
            bad(json!({"Extra": "x"}), 15),
            "property P.Extra: class Part has no property Extra"
        );
        assert_eq!(
            bad(json!({"Weight": -1}), 15),
            "property P.Weight: -1 does not fit uint32"
        );
        assert_eq!(
            bad(json!({"__class": "Nope"}), 15),
            "property P: no class Nope"
        );
        assert!(bad(json!({"__class": 1}), 15).contains("must be a class name"));
        assert_eq!(bad(json!([1]), 15), "property P: [1] does not fit instance");
        let none = json_to_value(&json!({}), 15, None, &Parts, "Q").unwrap_err();
        assert!(none.to_string().contains("needs \"__class\""));
        // Too deep.
        let mut v = json!({"Weight": 1});
        for _ in 0..40 {
            v = json!({"__class": "BigPart", "Inner": v});
        }
        assert!(bad(v, 15).contains("nested too deeply"));
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name(1), "uint8");
        assert_eq!(type_name(29), "string[]");
        assert_eq!(type_name(15), "instance");
    }
}
