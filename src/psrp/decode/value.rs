//! Any CLIXML value, read generically: what `decode` shows of the messages
//! that have no record structure of their own (pipeline output and input,
//! INFORMATION_RECORD, host-call arguments, session messages).
//!
//! The reader is as strict as the record decoders about the XML (it is the
//! same [`xml`](super::xml) reader, with PowerShell's rules) and about the
//! primitives whose text it interprets (`<B>`, the integer types); every
//! other primitive (`<DT>`, `<G>`, `<Db>` …) is kept as its text.

use std::collections::HashMap;

use super::DecodeError;
use super::object::parse_i32;
use super::xml::Element;
use crate::psrp::text::{PsString, decode_escapes};

/// A CLIXML value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClixmlValue {
    /// `<Nil/>`.
    Nil,
    /// `<S>` (escapes decoded).
    String(PsString),
    /// `<B>`.
    Bool(bool),
    /// `<I32>`, `<I64>`, `<I16>`, `<SB>`, `<By>`, `<U16>`, `<U32>`, `<U64>`.
    Integer(i128),
    /// Any other primitive, by its element name: `<DT>`, `<TS>`, `<G>`,
    /// `<Db>`, `<Version>`, `<SS>` … and its text.
    Text {
        /// The element name.
        tag: String,
        /// The text (escapes decoded).
        text: PsString,
    },
    /// `<Ref RefId="…"/>`: the object with that RefId, sent earlier.
    Ref(String),
    /// `<Obj>`.
    Object(Box<ClixmlObject>),
}

/// An `<Obj>`: its type names, `<ToString>`, value, properties and contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClixmlObject {
    /// `<TN>` (or the list a `<TNRef>` names), most derived first.
    pub type_names: Vec<PsString>,
    /// `<ToString>`.
    pub to_string: Option<PsString>,
    /// A primitive the object wraps (an enumeration's number, say).
    pub value: Option<ClixmlValue>,
    /// The members of `<MS>` and `<Props>`, in document order.
    pub properties: Vec<(PsString, ClixmlValue)>,
    /// The items of `<LST>`, `<IE>`, `<STK>` or `<QUE>`, if it has one.
    pub items: Option<Vec<ClixmlValue>>,
    /// The entries of `<DCT>` (key, value), if it has one.
    pub entries: Option<Vec<(ClixmlValue, ClixmlValue)>>,
}

impl ClixmlValue {
    /// The object, if this is one.
    pub fn object(&self) -> Option<&ClixmlObject> {
        match self {
            ClixmlValue::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn string(&self) -> Option<&PsString> {
        match self {
            ClixmlValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text a console shows for the value: a string as it is, an object's
    /// `<ToString>` (or its wrapped value's text), a number in decimal; `None`
    /// for `<Nil>` and for an object with neither.
    pub fn display_text(&self) -> Option<PsString> {
        match self {
            ClixmlValue::Nil | ClixmlValue::Ref(_) => None,
            ClixmlValue::String(s) | ClixmlValue::Text { text: s, .. } => Some(s.clone()),
            ClixmlValue::Bool(b) => Some(PsString::from(if *b { "True" } else { "False" })),
            ClixmlValue::Integer(n) => Some(PsString::from(n.to_string().as_str())),
            ClixmlValue::Object(o) => o
                .to_string
                .clone()
                .or_else(|| o.value.as_ref().and_then(ClixmlValue::display_text)),
        }
    }
}

impl ClixmlObject {
    /// The first property named `name`.
    pub fn property(&self, name: &str) -> Option<&ClixmlValue> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// The integer elements and their ranges.
fn integer_range(tag: &str) -> Option<(i128, i128)> {
    Some(match tag {
        "I32" => (i32::MIN.into(), i32::MAX.into()),
        "I64" => (i64::MIN.into(), i64::MAX.into()),
        "I16" => (i16::MIN.into(), i16::MAX.into()),
        "SB" => (i8::MIN.into(), i8::MAX.into()),
        "By" => (0, u8::MAX.into()),
        "U16" => (0, u16::MAX.into()),
        "U32" => (0, u32::MAX.into()),
        "U64" => (0, u64::MAX.into()),
        _ => return None,
    })
}

fn integer(tag: &str, text: &str, (min, max): (i128, i128)) -> Result<i128, DecodeError> {
    if tag == "I32" {
        return parse_i32(text).map(i128::from);
    }
    text.trim_matches([' ', '\t', '\r', '\n'])
        .parse::<i128>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| DecodeError::InvalidInteger(text.to_owned()))
}

/// Reads values, resolving `<TNRef>`s to the type names sent before them.
#[derive(Default)]
struct Reader {
    type_names: HashMap<String, Vec<PsString>>,
}

/// Reads a document's root element as a value.
pub(crate) fn read_value(root: &Element) -> Result<ClixmlValue, DecodeError> {
    Reader::default().value(root)
}

impl Reader {
    fn value(&mut self, e: &Element) -> Result<ClixmlValue, DecodeError> {
        let tag = e.name.as_str();
        Ok(match tag {
            "Nil" => {
                e.no_children()?;
                ClixmlValue::Nil
            }
            "S" => ClixmlValue::String(e.string()?),
            "B" => ClixmlValue::Bool(super::object::parse_bool(e.primitive_text()?)?),
            "Ref" => {
                e.no_children()?;
                let id = e
                    .attr("RefId")
                    .ok_or_else(|| DecodeError::UnexpectedElement("Ref".into()))?;
                ClixmlValue::Ref(id.to_owned())
            }
            "Obj" => ClixmlValue::Object(Box::new(self.object(e)?)),
            _ => match integer_range(tag) {
                Some(range) => ClixmlValue::Integer(integer(tag, e.primitive_text()?, range)?),
                None => ClixmlValue::Text {
                    tag: tag.to_owned(),
                    text: e.string()?,
                },
            },
        })
    }

    fn object(&mut self, obj: &Element) -> Result<ClixmlObject, DecodeError> {
        let mut o = ClixmlObject::default();
        for c in &obj.children {
            match c.name.as_str() {
                "TN" => {
                    let names = c
                        .children
                        .iter()
                        .filter(|t| t.name == "T")
                        .map(Element::string)
                        .collect::<Result<Vec<_>, _>>()?;
                    if let Some(id) = c.attr("RefId") {
                        self.type_names.insert(id.to_owned(), names.clone());
                    }
                    o.type_names = names;
                }
                "TNRef" => {
                    if let Some(names) = c.attr("RefId").and_then(|id| self.type_names.get(id)) {
                        o.type_names = names.clone();
                    }
                }
                "ToString" => o.to_string = Some(c.string()?),
                "MS" | "Props" => {
                    for member in &c.children {
                        let Some(name) = member.attr("N") else {
                            return Err(DecodeError::UnexpectedElement(member.name.clone()));
                        };
                        o.properties
                            .push((decode_escapes(name), self.value(member)?));
                    }
                }
                "LST" | "IE" | "STK" | "QUE" => {
                    let items = c
                        .children
                        .iter()
                        .map(|i| self.value(i))
                        .collect::<Result<Vec<_>, _>>()?;
                    o.items.get_or_insert_with(Vec::new).extend(items);
                }
                "DCT" => {
                    let entries = o.entries.get_or_insert_with(Vec::new);
                    for en in &c.children {
                        let (mut key, mut value) = (None, None);
                        for kv in &en.children {
                            match kv.attr("N") {
                                Some("Key") => key = Some(self.value(kv)?),
                                Some("Value") => value = Some(self.value(kv)?),
                                _ => return Err(DecodeError::UnexpectedElement(kv.name.clone())),
                            }
                        }
                        let (Some(k), Some(v)) = (key, value) else {
                            return Err(DecodeError::MissingProperty("Key and Value"));
                        };
                        entries.push((k, v));
                    }
                }
                _ => o.value = Some(self.value(c)?),
            }
        }
        Ok(o)
    }
}
