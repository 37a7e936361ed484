//! The `<ToString>` of a CimInstance (`psrp-cim-output.md` §3.3): MMI's
//! `CimInstance.ToString()` and `Helpers.ToStringFromNameAndValue`, built as
//! UTF-16 units (the 40-unit cut counts them) into a buffer the writer
//! reuses, then string-encoded by the caller.

use super::categories::is_kept;
use super::datetime::{
    DatetimeValue, resolve_datetime, write_timespan_invariant, write_timestamp_invariant,
};
use super::format::{
    TextSink, write_i64, write_real32_invariant, write_real64_invariant, write_u64,
};
use super::{CimInstance, CimProperty, CimValue, CimWriteError};

/// A key's value text longer than this (in UTF-16 units) is cut to it and `...` added.
pub(crate) const MAX_KEY_TEXT_UNITS: usize = 40;

/// Replaces `out` with the ToString of `inst`: `{Class}`, `{Class} ({keys})`,
/// `{Class}: {caption}` or `{Class}: {caption} ({keys})`.
///
/// `caption` is the first property named `Caption` (ASCII case ignored, as
/// MI compares names) when it holds a non-empty string, as it stands; `keys`
/// are the properties flagged key, in order, joined with `", "` (see
/// [`key_text`]). Fails only on a key timestamp that names no date.
pub(crate) fn instance_to_string(
    inst: &CimInstance,
    now_ticks: i64,
    out: &mut Vec<u16>,
) -> Result<(), CimWriteError> {
    out.clear();
    out.extend_from_slice(&inst.class.name.0);
    let caption = inst
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case("Caption"))
        .and_then(|p| match &p.value {
            Some(CimValue::String(s)) if !s.is_empty() => Some(s),
            _ => None,
        });
    if let Some(caption) = caption {
        out.push_ascii(b": ");
        out.extend_from_slice(&caption.0);
    }
    let open = out.len();
    out.push_ascii(b" (");
    let keys = out.len();
    for (i, p) in inst.properties.iter().filter(|p| p.key).enumerate() {
        if i > 0 {
            out.push_ascii(b", ");
        }
        key_text(p, now_ticks, out)?;
    }
    // `string.Join` of the keys: empty (no key at all) means no parentheses.
    if out.len() == keys {
        out.truncate(open);
    } else {
        out.push_ascii(b")");
    }
    Ok(())
}

/// Appends one key as MMI writes it: `{Name}` for a null value, else
/// `{Name} = {text}`: `...` for an instance, reference or any array; a
/// string or char16 in double quotes with every unit that is not a letter,
/// decimal digit, punctuation or white space (and not a control) as `?`;
/// otherwise the invariant `ToString()` of the value (R9). A text longer
/// than 40 units is cut to 40 and `...` added.
pub(crate) fn key_text(
    p: &CimProperty,
    now_ticks: i64,
    out: &mut Vec<u16>,
) -> Result<(), CimWriteError> {
    out.extend_from_slice(&p.name.0);
    let Some(value) = &p.value else {
        return Ok(());
    };
    out.push_ascii(b" = ");
    let start = out.len();
    match value {
        CimValue::Boolean(b) => out.push_ascii(if *b { b"True" } else { b"False" }),
        CimValue::Uint8(v) => write_u64(out, u64::from(*v)),
        CimValue::Sint8(v) => write_i64(out, i64::from(*v)),
        CimValue::Uint16(v) => write_u64(out, u64::from(*v)),
        CimValue::Sint16(v) => write_i64(out, i64::from(*v)),
        CimValue::Uint32(v) => write_u64(out, u64::from(*v)),
        CimValue::Sint32(v) => write_i64(out, i64::from(*v)),
        CimValue::Uint64(v) => write_u64(out, *v),
        CimValue::Sint64(v) => write_i64(out, *v),
        CimValue::Real32(v) => write_real32_invariant(out, *v),
        CimValue::Real64(v) => write_real64_invariant(out, *v),
        CimValue::Char16(c) => quoted(out, std::slice::from_ref(c)),
        CimValue::String(s) => quoted(out, &s.0),
        CimValue::Datetime(dt) => match resolve_datetime(dt, now_ticks) {
            Some(DatetimeValue::Timestamp(ts)) => write_timestamp_invariant(out, ts),
            Some(DatetimeValue::Interval(ticks)) => write_timespan_invariant(out, ticks),
            None => return Err(CimWriteError::invalid_datetime(&p.name.0)),
        },
        _ => out.push_ascii(b"..."),
    }
    if out.len() - start > MAX_KEY_TEXT_UNITS {
        out.truncate(start + MAX_KEY_TEXT_UNITS);
        out.push_ascii(b"...");
    }
    Ok(())
}

/// `"text"`, each unit that is not kept as `?`.
fn quoted(out: &mut Vec<u16>, units: &[u16]) {
    out.push(u16::from(b'"'));
    out.extend(
        units
            .iter()
            .map(|&u| if is_kept(u) { u } else { u16::from(b'?') }),
    );
    out.push(u16::from(b'"'));
}

impl CimInstance {
    /// The instance's ToString as text (what PowerShell shows for it, and
    /// names it by in a confirmation): `instance_to_string` with
    /// timestamps resolved at tick 0; the class name alone when a key
    /// timestamp names no date.
    pub fn display_text(&self) -> String {
        let mut units = Vec::new();
        if instance_to_string(self, 0, &mut units).is_err() {
            return self.class.name.to_string_lossy();
        }
        String::from_utf16_lossy(&units)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::psrp::cim::{CimClass, CimDatetime, CimString};

    fn class(name: &str) -> Arc<CimClass> {
        Arc::new(CimClass {
            name: name.into(),
            superclass: None,
            local_properties: Vec::new(),
            id: 1,
        })
    }

    fn prop(name: &str, value: Option<CimValue>, key: bool) -> CimProperty {
        CimProperty {
            name: name.into(),
            value,
            key,
        }
    }

    fn s(text: &str) -> Option<CimValue> {
        Some(CimValue::String(text.into()))
    }

    fn to_string(class_name: &str, properties: Vec<CimProperty>) -> String {
        let inst = CimInstance {
            class: class(class_name),
            namespace: CimString::default(),
            properties,
        };
        let mut out = Vec::new();
        instance_to_string(&inst, 0, &mut out).unwrap();
        String::from_utf16(&out).unwrap()
    }

    #[test]
    fn the_four_forms() {
        assert_eq!(
            to_string(
                "MSFT_TaskRepetitionPattern",
                vec![prop("Duration", s("P1D"), false)]
            ),
            "MSFT_TaskRepetitionPattern"
        );
        assert_eq!(
            to_string(
                "Win32_LogicalDisk",
                vec![
                    prop("Caption", s("C:"), false),
                    prop("DeviceID", s("C:"), true)
                ]
            ),
            "Win32_LogicalDisk: C: (DeviceID = \"C:\")"
        );
        assert_eq!(
            to_string(
                "Win32_DiskPartition",
                vec![prop("DeviceID", s("Disk #0, Partition #0"), true)]
            ),
            "Win32_DiskPartition (DeviceID = \"Disk #0, Partition #0\")"
        );
        assert_eq!(
            to_string("XYZ_Widget", vec![prop("caption", s("a+b\t"), false)]),
            "XYZ_Widget: a+b\t",
            "the caption is neither sanitised nor cut, and found in any case"
        );
        // An empty or non-string Caption is no caption.
        assert_eq!(
            to_string("XYZ_Widget", vec![prop("Caption", s(""), false)]),
            "XYZ_Widget"
        );
        assert_eq!(
            to_string(
                "XYZ_Widget",
                vec![prop("Caption", Some(CimValue::Uint8(1)), false)]
            ),
            "XYZ_Widget"
        );
    }

    #[test]
    fn key_texts() {
        assert_eq!(
            to_string("XYZ_Widget", vec![prop("Name", s("a+b"), true)]),
            "XYZ_Widget (Name = \"a?b\")"
        );
        assert_eq!(
            to_string(
                "XYZ_Disk",
                vec![
                    prop("DeviceID", s("C:"), true),
                    prop("Size", Some(CimValue::Uint64(5)), false),
                    prop("Index", Some(CimValue::Uint32(0)), true),
                ]
            ),
            "XYZ_Disk (DeviceID = \"C:\", Index = 0)"
        );
        let inst = CimInstance {
            class: class("XYZ_Thing"),
            namespace: CimString::default(),
            properties: Vec::new(),
        };
        assert_eq!(
            to_string(
                "XYZ_Link",
                vec![
                    prop(
                        "Antecedent",
                        Some(CimValue::Reference(Box::new(inst.clone()))),
                        true
                    ),
                    prop("Dependent", Some(CimValue::Instance(Box::new(inst))), true),
                ]
            ),
            "XYZ_Link (Antecedent = ..., Dependent = ...)"
        );
        assert_eq!(
            to_string("XYZ_Widget", vec![prop("Name", None, true)]),
            "XYZ_Widget (Name)"
        );
        assert_eq!(
            to_string(
                "XYZ_Widget",
                vec![prop(
                    "Name",
                    s("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                    true
                )]
            ),
            "XYZ_Widget (Name = \"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm...)"
        );
        assert_eq!(
            to_string(
                "C",
                vec![
                    prop("A", Some(CimValue::Uint8A(vec![])), true),
                    prop("B", Some(CimValue::StringA(vec![])), true),
                    prop("C", Some(CimValue::Boolean(true)), true),
                    prop("D", Some(CimValue::Sint64(i64::MIN)), true),
                    prop("E", Some(CimValue::Real64(f64::NEG_INFINITY)), true),
                    prop("F", Some(CimValue::Real32(0.5)), true),
                    prop("G", Some(CimValue::Char16(u16::from(b'x'))), true),
                    prop("H", Some(CimValue::Char16(u16::from(b'$'))), true),
                ]
            ),
            "C (A = ..., B = ..., C = True, D = -9223372036854775808, E = -Infinity, \
F = 0.5, G = \"x\", H = \"?\")"
        );
    }

    #[test]
    fn forty_units() {
        // Text of 40 units (quotes included) stays; 41 is cut to 40 + "...".
        let k38 = "a".repeat(38);
        assert_eq!(
            to_string("C", vec![prop("K", s(&k38), true)]),
            format!("C (K = \"{k38}\")")
        );
        let k39 = "a".repeat(39);
        assert_eq!(
            to_string("C", vec![prop("K", s(&k39), true)]),
            format!("C (K = \"{k39}...)")
        );
    }

    #[test]
    fn question_marks_by_category() {
        // Symbols, controls, marks, No/Nl numbers and surrogate halves.
        let units: Vec<u16> = "$+<=>^|~`\t\n\u{301}\u{B2}\u{2160}"
            .encode_utf16()
            .chain([0xD83D, 0xDE00, 0xDC00])
            .chain("é中_-(«»)¡ \u{A0}\u{2028}\u{2029}\u{3000}٣ǅʰ".encode_utf16())
            .collect();
        let inst = CimInstance {
            class: class("C"),
            namespace: CimString::default(),
            properties: vec![CimProperty {
                name: "K".into(),
                value: Some(CimValue::String(CimString(units))),
                key: true,
            }],
        };
        let mut out = Vec::new();
        instance_to_string(&inst, 0, &mut out).unwrap();
        assert_eq!(
            String::from_utf16(&out).unwrap(),
            format!(
                "C (K = \"{}é中_-(«»)¡ \u{A0}\u{2028}\u{2029}\u{3000}٣ǅʰ\")",
                "?".repeat(17)
            )
        );
    }

    #[test]
    fn datetime_keys() {
        let ts = CimDatetime::Timestamp {
            year: 2024,
            month: 5,
            day: 6,
            hour: 7,
            minute: 8,
            second: 9,
            microseconds: 5,
            utc: 120,
        };
        let iv = CimDatetime::Interval {
            days: 0,
            hours: 1,
            minutes: 2,
            seconds: 3,
            microseconds: 0,
        };
        assert_eq!(
            to_string(
                "C",
                vec![
                    prop("T", Some(CimValue::Datetime(ts)), true),
                    prop("I", Some(CimValue::Datetime(iv)), true)
                ]
            ),
            "C (T = 05/06/2024 05:08:09, I = 01:02:03)"
        );
        let bad = CimDatetime::Timestamp {
            year: 2024,
            month: 13,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            microseconds: 0,
            utc: 0,
        };
        let inst = CimInstance {
            class: class("C"),
            namespace: CimString::default(),
            properties: vec![prop("When", Some(CimValue::Datetime(bad)), true)],
        };
        assert_eq!(
            instance_to_string(&inst, 0, &mut Vec::new()),
            Err(CimWriteError::InvalidDatetime {
                property: "When".into()
            })
        );
    }
}
