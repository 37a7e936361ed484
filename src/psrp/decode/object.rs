//! A serialized object's properties (`<MS>` and `<Props>` members) as typed
//! values: the part every record decoder shares.

use std::collections::HashMap;

use super::DecodeError;
use super::xml::Element;
use crate::psrp::text::PsString;

/// A property value as CLIXML spells it.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    Str(PsString),
    Nil,
    I32(i32),
    Bool,
    Obj(&'a Element),
    Other(&'a str),
}

impl Value<'_> {
    fn tag(&self) -> &str {
        match self {
            Value::Str(_) => "S",
            Value::Nil => "Nil",
            Value::I32(_) => "I32",
            Value::Bool => "B",
            Value::Obj(_) => "Obj",
            Value::Other(t) => t,
        }
    }
}

pub(crate) fn parse_i32(text: &str) -> Result<i32, DecodeError> {
    text.trim_matches([' ', '\t', '\r', '\n'])
        .parse()
        .map_err(|_| DecodeError::InvalidInteger(text.to_owned()))
}

/// `XmlConvert.ToBoolean`: `true`, `false`, `1` or `0`, white space around.
pub(crate) fn parse_bool(text: &str) -> Result<bool, DecodeError> {
    match text.trim_matches([' ', '\t', '\r', '\n']) {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(DecodeError::InvalidBoolean(text.to_owned())),
    }
}

fn value(e: &Element) -> Result<Value<'_>, DecodeError> {
    Ok(match e.name.as_str() {
        "S" => Value::Str(e.string()?),
        "Nil" => Value::Nil,
        "I32" => Value::I32(parse_i32(e.primitive_text()?)?),
        "B" => {
            parse_bool(e.primitive_text()?)?;
            Value::Bool
        }
        "Obj" => Value::Obj(e),
        other => Value::Other(other),
    })
}

/// The properties of one object that a decoder asked for, by name.
pub(crate) struct Props<'a>(HashMap<&'static str, Value<'a>>);

/// Reads the members of `obj` (children of its `<MS>` and `<Props>`), keeping
/// those named in `wanted`. Every member must have a name and a well-formed
/// value; a wanted one must not appear twice.
pub(crate) fn properties<'a>(
    obj: &'a Element,
    wanted: &[&'static str],
) -> Result<Props<'a>, DecodeError> {
    let mut props = HashMap::new();
    for set in obj
        .children
        .iter()
        .filter(|c| c.name == "MS" || c.name == "Props")
    {
        for member in &set.children {
            let Some(name) = member.attr("N") else {
                return Err(DecodeError::UnexpectedElement(member.name.clone()));
            };
            let v = value(member)?;
            if let Some(&known) = wanted.iter().find(|w| **w == name) {
                if props.insert(known, v).is_some() {
                    return Err(DecodeError::DuplicateProperty(known));
                }
            }
        }
    }
    Ok(Props(props))
}

/// The value of an enumeration object (`<Obj>` holding an `<I32>`), if it has one.
pub(crate) fn enum_value(obj: &Element) -> Result<Option<i32>, DecodeError> {
    obj.child("I32")
        .map(|i| parse_i32(i.primitive_text()?))
        .transpose()
}

impl<'a> Props<'a> {
    pub fn take(&mut self, name: &'static str) -> Result<Value<'a>, DecodeError> {
        self.0
            .remove(name)
            .ok_or(DecodeError::MissingProperty(name))
    }

    /// Takes a property that may be absent.
    pub fn take_opt(&mut self, name: &'static str) -> Option<Value<'a>> {
        self.0.remove(name)
    }

    pub fn take_str(&mut self, name: &'static str) -> Result<PsString, DecodeError> {
        match self.take(name)? {
            Value::Str(s) => Ok(s),
            v => Err(wrong(name, &v)),
        }
    }

    /// A string or `<Nil>` (`None`).
    pub fn take_str_or_nil(&mut self, name: &'static str) -> Result<Option<PsString>, DecodeError> {
        match self.take(name)? {
            Value::Str(s) => Ok(Some(s)),
            Value::Nil => Ok(None),
            v => Err(wrong(name, &v)),
        }
    }

    pub fn take_i32(&mut self, name: &'static str) -> Result<i32, DecodeError> {
        match self.take(name)? {
            Value::I32(v) => Ok(v),
            v => Err(wrong(name, &v)),
        }
    }
}

pub(crate) fn wrong(property: &'static str, v: &Value<'_>) -> DecodeError {
    DecodeError::WrongPropertyType {
        property,
        found: v.tag().to_owned(),
    }
}
