//! Output objects (PIPELINE_OUTPUT messages) read back from their CLIXML,
//! as the forms the writer in `psrp::cim::clixml` emits them: CimInstance
//! objects (`<Props>`), method results and streamed results (`<MS>`),
//! arrays (`<LST>`), and primitives. [`format_list`] shows an object as
//! PowerShell's `Format-List` does; [`object_json`] as typed JSON.

use serde_json::{Map, Value as Json, json};

use super::sanitize::visible;
use crate::psrp::decode::{XmlElement, parse_xml};

/// One value of an output object.
#[derive(Debug, Clone, PartialEq)]
pub enum PsValue {
    /// `<Nil />`.
    Nil,
    /// A primitive: its element name (`S`, `I32`, `DT`, …) and text
    /// (`_xHHHH_` escapes of strings decoded).
    Primitive {
        /// The element name.
        tag: String,
        /// The text.
        text: String,
    },
    /// An `<Obj>`.
    Object(PsObject),
}

/// An `<Obj>`: type names, ToString, properties (`<Props>` then `<MS>`), list items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PsObject {
    /// The type names, most derived first.
    pub type_names: Vec<String>,
    /// `<ToString>`.
    pub to_string: Option<String>,
    /// The properties and notes, in order (`__ClassMetadata` left out).
    pub properties: Vec<(String, PsValue)>,
    /// `<LST>` items, for an array.
    pub items: Option<Vec<PsValue>>,
    /// A primitive inside the object (an enum's `<I32>`).
    pub value: Option<Box<PsValue>>,
}

fn text_of(e: &XmlElement) -> String {
    e.string()
        .map(|s| s.to_string_lossy())
        .unwrap_or_else(|_| e.raw_text().to_owned())
}

fn name_of(e: &XmlElement) -> Option<String> {
    e.attr("N").map(|n| {
        let mut units = Vec::new();
        crate::psrp::text::decode_escapes_into(n, &mut units);
        String::from_utf16_lossy(&units)
    })
}

struct Reader {
    /// TN RefId → type names.
    type_names: Vec<(String, Vec<String>)>,
}

impl Reader {
    fn value(&mut self, e: &XmlElement) -> PsValue {
        match e.name.as_str() {
            "Nil" => PsValue::Nil,
            "Obj" => PsValue::Object(self.object(e)),
            tag => PsValue::Primitive {
                tag: tag.to_owned(),
                text: text_of(e),
            },
        }
    }

    fn object(&mut self, e: &XmlElement) -> PsObject {
        let mut o = PsObject::default();
        for c in &e.children {
            match c.name.as_str() {
                "TN" => {
                    let names: Vec<String> = c
                        .children
                        .iter()
                        .filter(|t| t.name == "T")
                        .map(text_of)
                        .collect();
                    if let Some(id) = c.attr("RefId") {
                        self.type_names.push((id.to_owned(), names.clone()));
                    }
                    o.type_names = names;
                }
                "TNRef" => {
                    if let Some(id) = c.attr("RefId") {
                        if let Some((_, names)) = self.type_names.iter().find(|(i, _)| i == id) {
                            o.type_names = names.clone();
                        }
                    }
                }
                "ToString" => o.to_string = Some(text_of(c)),
                "Props" | "MS" => {
                    for p in &c.children {
                        let Some(name) = name_of(p) else { continue };
                        if name == "__ClassMetadata" {
                            continue;
                        }
                        let v = self.value(p);
                        o.properties.push((name, v));
                    }
                }
                "LST" | "IE" | "STK" | "QUE" => {
                    let items = c.children.iter().map(|i| self.value(i)).collect();
                    o.items = Some(items);
                }
                _ => o.value = Some(Box::new(self.value(c))),
            }
        }
        o
    }
}

/// Reads one PIPELINE_OUTPUT message's data (after the 40-byte header; a
/// UTF-8 BOM is skipped).
pub fn read_output(data: &[u8]) -> Result<PsValue, String> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let text = std::str::from_utf8(data).map_err(|e| format!("output object: {e}"))?;
    let root = parse_xml(text).map_err(|e| format!("output object: {e}"))?;
    Ok(Reader {
        type_names: Vec::new(),
    }
    .value(&root))
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b' ' | b'\n' | b'\r' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// How a value shows in a `Format-List` line: strings as they are, booleans
/// `True`/`False`, arrays `{a, b}`, objects by their ToString.
pub fn display(v: &PsValue) -> String {
    match v {
        PsValue::Nil => String::new(),
        PsValue::Primitive { tag, text } => match tag.as_str() {
            "B" => match text.as_str() {
                "true" => "True".into(),
                "false" => "False".into(),
                t => t.into(),
            },
            "C" => text
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_else(|| text.clone()),
            "BA" => match base64_decode(text) {
                Some(bytes) => format!(
                    "{{{}}}",
                    bytes
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => text.clone(),
            },
            _ => text.clone(),
        },
        PsValue::Object(o) => {
            if let Some(items) = &o.items {
                format!(
                    "{{{}}}",
                    items.iter().map(display).collect::<Vec<_>>().join(", ")
                )
            } else if let Some(s) = &o.to_string {
                s.clone()
            } else if let Some(v) = &o.value {
                display(v)
            } else {
                o.type_names.first().cloned().unwrap_or_default()
            }
        }
    }
}

/// The `Format-List` lines of an object: `Name : value`, names padded to the
/// longest; a value of several lines continues under the first, indented.
/// Every string is made safe for a terminal. A value that is not an object
/// shows as itself.
pub fn format_list(v: &PsValue) -> Vec<String> {
    let PsValue::Object(o) = v else {
        return vec![visible(&display(v))];
    };
    if o.properties.is_empty() {
        return vec![visible(&display(v))];
    }
    let width = o
        .properties
        .iter()
        .map(|(n, _)| visible(n).chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (name, value) in &o.properties {
        let name = visible(name);
        let pad = " ".repeat(width - name.chars().count());
        let text = display(value);
        let mut parts = text.split('\n');
        let first = parts.next().unwrap_or_default();
        lines.push(format!(
            "{name}{pad} : {}",
            visible(first.trim_end_matches('\r'))
        ));
        for more in parts {
            lines.push(format!(
                "{} {}",
                " ".repeat(width + 2),
                visible(more.trim_end_matches('\r'))
            ));
        }
    }
    lines
}

fn number(tag: &str, text: &str) -> Option<Json> {
    match tag {
        "By" | "U16" | "U32" | "U64" => text.parse::<u64>().ok().map(Json::from),
        "SB" | "I16" | "I32" | "I64" => text.parse::<i64>().ok().map(Json::from),
        "Sg" | "Db" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Json::Number),
        "B" => match text {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            _ => None,
        },
        "C" => text
            .parse::<u32>()
            .ok()
            .and_then(char::from_u32)
            .map(|c| Json::String(c.to_string())),
        _ => None,
    }
}

/// A value as typed JSON: `{"type": "S", "value": "w1"}` (the element name),
/// `{"type": "Nil", "value": null}`, arrays `{"type": "Obj", "type_names":
/// […], "items": […]}`, objects with `to_string` and `properties`.
pub fn value_json(v: &PsValue) -> Json {
    match v {
        PsValue::Nil => json!({"type": "Nil", "value": null}),
        PsValue::Primitive { tag, text } => {
            let value = number(tag, text).unwrap_or_else(|| Json::String(text.clone()));
            json!({"type": tag, "value": value})
        }
        PsValue::Object(o) => {
            let mut m = Map::new();
            m.insert("type".into(), "Obj".into());
            m.insert("type_names".into(), json!(o.type_names));
            if let Some(s) = &o.to_string {
                m.insert("to_string".into(), Json::String(s.clone()));
            }
            if !o.properties.is_empty() || o.items.is_none() {
                m.insert("properties".into(), properties_json(o));
            }
            if let Some(items) = &o.items {
                m.insert("items".into(), items.iter().map(value_json).collect());
            }
            if let Some(v) = &o.value {
                m.insert("value".into(), value_json(v));
            }
            Json::Object(m)
        }
    }
}

fn properties_json(o: &PsObject) -> Json {
    let mut props = Map::new();
    for (n, v) in &o.properties {
        props.insert(n.clone(), value_json(v));
    }
    Json::Object(props)
}

/// The JSON line of an output object:
/// `{"kind":"output","type_names":[…],"to_string":…,"properties":{…}}`.
pub fn object_json(v: &PsValue) -> Json {
    match v {
        PsValue::Object(o) => {
            let mut m = Map::new();
            m.insert("kind".into(), "output".into());
            m.insert("type_names".into(), json!(o.type_names));
            if let Some(s) = &o.to_string {
                m.insert("to_string".into(), Json::String(s.clone()));
            }
            m.insert("properties".into(), properties_json(o));
            if let Some(items) = &o.items {
                m.insert("items".into(), items.iter().map(value_json).collect());
            }
            Json::Object(m)
        }
        other => json!({"kind": "output", "value": value_json(other)}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psrp::cim::{
        CimClass, CimInstance, CimOutput, CimProperty, CimString, CimValue, OutputOptions,
        write_output_clixml,
    };
    use std::sync::Arc;

    fn prop(name: &str, value: Option<CimValue>) -> CimProperty {
        CimProperty {
            name: CimString::from(name),
            value,
            key: name == "Name",
        }
    }

    #[test]
    fn reads_what_the_writer_writes() {
        let class = Arc::new(CimClass {
            name: CimString::from("XYZ_Part"),
            superclass: None,
            local_properties: vec![],
            id: 7,
        });
        let part = CimInstance {
            class: class.clone(),
            namespace: CimString::from("root/cimv2"),
            properties: vec![prop("Name", Some(CimValue::String("p1".into())))],
        };
        let inst = CimInstance {
            class,
            namespace: CimString::from("root/cimv2"),
            properties: vec![
                prop("Name", Some(CimValue::String("a_x<b".into()))),
                prop("LongerName", Some(CimValue::Uint32A(vec![1, 2]))),
                prop("Flag", Some(CimValue::Boolean(true))),
                prop("Bytes", Some(CimValue::Uint8A(vec![1, 2, 255]))),
                prop("C", Some(CimValue::Char16(u16::from(b'z')))),
                prop("Part", Some(CimValue::Instance(Box::new(part)))),
                prop("Gone", None),
            ],
        };
        let mut out = Vec::new();
        write_output_clixml(
            CimOutput::Instance(&inst),
            &mut OutputOptions::default(),
            &mut out,
        )
        .unwrap();
        let v = read_output(&out).unwrap();
        let lines = format_list(&v);
        assert_eq!(lines[0], "Name           : a_x<b");
        assert_eq!(lines[1], "LongerName     : {1, 2}");
        assert_eq!(lines[2], "Flag           : True");
        assert_eq!(lines[3], "Bytes          : {1, 2, 255}");
        assert_eq!(lines[4], "C              : z");
        assert!(
            lines[5].starts_with("Part           : XYZ_Part"),
            "{}",
            lines[5]
        );
        assert_eq!(lines[6], "Gone           : ");
        assert_eq!(lines[7], "PSComputerName : ");
        let j = object_json(&v);
        assert_eq!(
            j["properties"]["Name"],
            json!({"type": "S", "value": "a_x<b"})
        );
        assert_eq!(j["properties"]["Flag"]["value"], json!(true));
        assert_eq!(
            j["type_names"][0],
            json!("Microsoft.Management.Infrastructure.CimInstance#root/cimv2/XYZ_Part")
        );
    }
}
