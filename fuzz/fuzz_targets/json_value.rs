//! The JSON → CimValue conversion of `mi-psrp invoke/create/...`
//! (`mi_psrp::cli::args::json_to_value`): arbitrary JSON text and a type
//! byte never panic, and a converted value is of the requested `MI_Type`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_psrp::cli::args::{Schema, json_to_value};

/// Two classes, one derived, with a property of each kind that nests.
struct Parts;

impl Schema for Parts {
    fn property(&self, class: &str, name: &str) -> Option<(u32, Option<String>)> {
        match (class, name) {
            ("Part" | "BigPart", "Name") => Some((13, None)),
            ("Part" | "BigPart", "Weight") => Some((5, None)),
            ("Part" | "BigPart", "When") => Some((12, None)),
            ("BigPart", "Inner") => Some((15, Some("Part".into()))),
            ("BigPart", "Others") => Some((31, Some("Part".into()))),
            ("BigPart", "Owner") => Some((14, Some("Part".into()))),
            _ => None,
        }
    }
    fn has_class(&self, class: &str) -> bool {
        matches!(class, "Part" | "BigPart")
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ty, text)) = data.split_first() else {
        return;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(text) else {
        return;
    };
    // 0–31 and a few past them (which must be refused).
    let ty = u32::from(ty % 40);
    let class = if ty & 1 == 0 { Some("Part") } else { None };
    match json_to_value(&json, ty, class, &Parts, "P") {
        Ok(Some(v)) => assert_eq!(v.mi_type(), ty),
        Ok(None) => assert!(json.is_null()),
        Err(e) => assert!(e.to_string().starts_with("property P")),
    }
});
