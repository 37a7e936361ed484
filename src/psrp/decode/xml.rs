//! A small CLIXML document reader with the rules of PowerShell's reader
//! (`XmlReaderSettings` of the remoting deserializer: `DtdProcessing.Prohibit`,
//! `CheckCharacters = false`, comments and processing instructions ignored):
//!
//! - a DOCTYPE is rejected, and so is a start tag with the same attribute twice;
//! - a character reference may name any code point, `&#0;` and other
//!   control characters included (`CheckCharacters = false`); a reference to a
//!   lone surrogate (`&#xD800;`) becomes that UTF-16 unit;
//! - only the five predefined entities exist.
//!
//! The document becomes a tree of [`Element`]s that the record decoders read.
//! Nesting is bounded by [`MAX_DEPTH`], so that neither building nor dropping
//! the tree can exhaust the stack.

use quick_xml::Reader;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use super::DecodeError;
use crate::psrp::text::{PsString, decode_escapes_into};

/// The deepest element nesting accepted: a bound on the decoder's work and
/// stack, far above what a record needs (5 levels).
pub const MAX_DEPTH: usize = 64;

/// One element: its name, attributes, text and child elements.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    attrs: Vec<(String, String)>,
    /// The text with references resolved; lone-surrogate references are kept
    /// apart in `surrogates` (byte offset into `text`, unit), as `String`
    /// cannot hold them.
    text: String,
    surrogates: Vec<(usize, u16)>,
    pub children: Vec<Element>,
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text as XML gives it (references resolved, `_xHHHH_` not decoded).
    pub fn raw_text(&self) -> &str {
        &self.text
    }

    /// The text of a string element: references resolved, then PowerShell's
    /// `_xHHHH_` escapes decoded. An element inside it is an error.
    pub fn string(&self) -> Result<PsString, DecodeError> {
        self.no_children()?;
        let mut units = Vec::with_capacity(self.text.len());
        let mut from = 0;
        // A surrogate is never a hex digit, so no escape spans one.
        for &(at, unit) in &self.surrogates {
            decode_escapes_into(&self.text[from..at], &mut units);
            units.push(unit);
            from = at;
        }
        decode_escapes_into(&self.text[from..], &mut units);
        Ok(PsString(units))
    }

    /// Fails if the element has a child element (a primitive value must not).
    pub fn no_children(&self) -> Result<(), DecodeError> {
        match self.children.first() {
            Some(c) => Err(DecodeError::UnexpectedElement(c.name.clone())),
            None => Ok(()),
        }
    }

    /// The text of a primitive (number, boolean): no elements, no surrogates.
    pub fn primitive_text(&self) -> Result<&str, DecodeError> {
        self.no_children()?;
        if !self.surrogates.is_empty() {
            return Err(DecodeError::InvalidInteger(self.text.clone()));
        }
        Ok(&self.text)
    }
}

/// What a reference stands for.
enum Resolved {
    Char(char),
    Surrogate(u16),
}

/// Resolves `&name;` (given without `&` and `;`) as PowerShell's reader does.
fn resolve(name: &str) -> Result<Resolved, DecodeError> {
    let number = if let Some(hex) = name.strip_prefix("#x") {
        Some(u32::from_str_radix(hex, 16))
    } else {
        name.strip_prefix('#').map(|dec| dec.parse::<u32>())
    };
    match number {
        Some(Ok(v)) if !name.contains('+') => match char::from_u32(v) {
            Some(c) => Ok(Resolved::Char(c)),
            None if (0xD800..=0xDFFF).contains(&v) => Ok(Resolved::Surrogate(v as u16)),
            None => Err(DecodeError::Xml(format!("&{name}; names no character"))),
        },
        Some(_) => Err(DecodeError::Xml(format!("&{name}; is not a number"))),
        None => Ok(Resolved::Char(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return Err(DecodeError::Xml(format!("unknown entity &{name};"))),
        })),
    }
}

/// An attribute value: white space normalized to spaces, references resolved.
fn attr_value(raw: &str) -> Result<String, DecodeError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.extend(rest[..amp].chars().map(normalize_space));
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            return Err(DecodeError::Xml(
                "unterminated reference in an attribute".into(),
            ));
        };
        match resolve(&after[..semi])? {
            Resolved::Char(c) => out.push(c),
            Resolved::Surrogate(_) => {
                return Err(DecodeError::Xml(
                    "a surrogate reference in an attribute".into(),
                ));
            }
        }
        rest = &after[semi + 1..];
    }
    out.extend(rest.chars().map(normalize_space));
    Ok(out)
}

fn normalize_space(c: char) -> char {
    if matches!(c, '\t' | '\n' | '\r') {
        ' '
    } else {
        c
    }
}

fn start(e: &BytesStart<'_>) -> Result<Element, DecodeError> {
    let name = e.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    // Duplicate names are checked by the iterator (`with_checks`, the default).
    for a in e.attributes() {
        let a = match a {
            Ok(a) => a,
            Err(AttrError::Duplicated(..)) => {
                return Err(DecodeError::DuplicateAttribute(name));
            }
            Err(other) => return Err(DecodeError::Xml(other.to_string())),
        };
        attrs.push((a.key.as_ref().to_owned(), attr_value(&a.value)?));
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

/// Reads a whole document: optional declaration first, comments, processing
/// instructions and white space around one root element.
pub(crate) fn parse(xml: &str) -> Result<Element, DecodeError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut first = true;
    loop {
        let event = reader.read_event()?;
        let at_start = std::mem::replace(&mut first, false);
        match event {
            Event::DocType(_) => return Err(DecodeError::DoctypeNotAllowed),
            Event::Decl(_) if at_start => {}
            Event::Decl(_) => {
                return Err(DecodeError::Xml(
                    "an XML declaration after the start".into(),
                ));
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                return Err(DecodeError::UnexpectedElement(e.name().as_ref().to_owned()));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::TooDeep(MAX_DEPTH));
                }
                stack.push(start(&e)?);
            }
            Event::Empty(e) => {
                let element = start(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                // quick-xml has checked that the name matches the start tag.
                let element = stack
                    .pop()
                    .ok_or_else(|| DecodeError::Xml("an end tag without a start tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some(e) => e.text.push_str(&t.xml10_content()),
                None if t.trim_ascii().is_empty() => {}
                None => {
                    return Err(DecodeError::Xml("text outside the root element".into()));
                }
            },
            Event::CData(c) => match stack.last_mut() {
                Some(e) => e.text.push_str(&c.xml10_content()),
                None => return Err(DecodeError::Xml("CDATA outside the root element".into())),
            },
            Event::GeneralRef(r) => {
                let Some(e) = stack.last_mut() else {
                    return Err(DecodeError::Xml(
                        "a reference outside the root element".into(),
                    ));
                };
                match resolve(&r)? {
                    Resolved::Char(c) => e.text.push(c),
                    Resolved::Surrogate(u) => e.surrogates.push((e.text.len(), u)),
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(DecodeError::Xml("document ends inside an element".into()));
                }
                return root.ok_or_else(|| DecodeError::Xml("no root element".into()));
            }
        }
    }
}

/// Type names by `RefId`: each `<TN RefId="n">`'s first `<T>`, in document order.
pub(crate) fn type_names(root: &Element) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(e) = todo.pop() {
        if e.name == "TN" {
            if let (Some(id), Some(t)) = (e.attr("RefId"), e.child("T")) {
                out.push((id.to_owned(), t.raw_text().to_owned()));
            }
        }
        todo.extend(e.children.iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_powershell_reads_them() {
        let e = parse("<S>a&#0;&#x1;&#x1F600;&lt;&#xD800;_x0041_</S>").unwrap();
        assert_eq!(
            e.string().unwrap().units(),
            [0x61, 0, 1, 0xD83D, 0xDE00, 0x3C, 0xD800, 0x41]
        );
        assert!(matches!(
            parse("<S>&#x110000;</S>"),
            Err(DecodeError::Xml(_))
        ));
        assert!(matches!(parse("<S>&nbsp;</S>"), Err(DecodeError::Xml(_))));
        assert!(matches!(parse("<S>&#-1;</S>"), Err(DecodeError::Xml(_))));
        let e = parse("<S N=\"a&#0;\tb\"/>").unwrap();
        assert_eq!(e.attr("N"), Some("a\0 b"));
    }

    #[test]
    fn doctype_duplicates_and_depth_are_rejected() {
        assert_eq!(
            parse("<!DOCTYPE Obj [<!ENTITY e \"x\">]><Obj/>").unwrap_err(),
            DecodeError::DoctypeNotAllowed
        );
        assert_eq!(
            parse("<Obj><S N=\"a\" N=\"b\"/></Obj>").unwrap_err(),
            DecodeError::DuplicateAttribute("S".into())
        );
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&deep).is_ok());
        let deeper = format!("<b>{deep}</b>");
        assert_eq!(parse(&deeper).unwrap_err(), DecodeError::TooDeep(MAX_DEPTH));
        assert!(parse("<?xml version=\"1.0\"?><a/>").is_ok());
        assert!(parse("<a/><?xml version=\"1.0\"?>").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("x<a/>").is_err());
    }
}
