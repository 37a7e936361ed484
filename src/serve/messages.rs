//! The session's own messages: the server's CLIXML (as psrpcore 0.3.1 and
//! PowerShell write it), and the reader of the client's CLIXML objects
//! ([`read_value`]) that the session decodes its requests with.
//!
//! Strings are written with the project's text encoder
//! ([`crate::psrp::text::encode_str`]: XML escaping and `_xHHHH_`).

pub use super::errors::{Cmdlet, SessionError};
use crate::psrp::Guid;
use crate::psrp::decode::{XmlElement, parse_xml};
use crate::psrp::text::{decode_escapes_into, encode_str};

// ---- message types ---------------------------------------------------------

/// SESSION_CAPABILITY.
pub const SESSION_CAPABILITY: u32 = 0x0001_0002;
/// INIT_RUNSPACEPOOL.
pub const INIT_RUNSPACEPOOL: u32 = 0x0001_0004;
/// PUBLIC_KEY.
pub const PUBLIC_KEY: u32 = 0x0001_0005;
/// CONNECT_RUNSPACEPOOL.
pub const CONNECT_RUNSPACEPOOL: u32 = 0x0001_0008;
/// SET_MAX_RUNSPACES.
pub const SET_MAX_RUNSPACES: u32 = 0x0002_1002;
/// SET_MIN_RUNSPACES.
pub const SET_MIN_RUNSPACES: u32 = 0x0002_1003;
/// RUNSPACE_AVAILABILITY.
pub const RUNSPACE_AVAILABILITY: u32 = 0x0002_1004;
/// RUNSPACEPOOL_STATE.
pub const RUNSPACEPOOL_STATE: u32 = 0x0002_1005;
/// CREATE_PIPELINE.
pub const CREATE_PIPELINE: u32 = 0x0002_1006;
/// GET_AVAILABLE_RUNSPACES.
pub const GET_AVAILABLE_RUNSPACES: u32 = 0x0002_1007;
/// APPLICATION_PRIVATE_DATA.
pub const APPLICATION_PRIVATE_DATA: u32 = 0x0002_1009;
/// GET_COMMAND_METADATA.
pub const GET_COMMAND_METADATA: u32 = 0x0002_100A;
/// RESET_RUNSPACE_STATE.
pub const RESET_RUNSPACE_STATE: u32 = 0x0002_1010;
/// PIPELINE_INPUT.
pub const PIPELINE_INPUT: u32 = 0x0004_1002;
/// END_OF_PIPELINE_INPUT.
pub const END_OF_PIPELINE_INPUT: u32 = 0x0004_1003;
/// PIPELINE_OUTPUT.
pub const PIPELINE_OUTPUT: u32 = 0x0004_1004;
/// ERROR_RECORD.
pub const ERROR_RECORD: u32 = 0x0004_1005;
/// PIPELINE_STATE.
pub const PIPELINE_STATE: u32 = 0x0004_1006;

/// RunspacePoolState values.
pub mod pool_state {
    /// Opened.
    pub const OPENED: i32 = 2;
    /// Closed.
    pub const CLOSED: i32 = 3;
    /// Broken.
    pub const BROKEN: i32 = 5;
}

/// PSInvocationState values.
pub mod pipeline_state {
    /// Running.
    pub const RUNNING: i32 = 1;
    /// Stopped.
    pub const STOPPED: i32 = 3;
    /// Completed.
    pub const COMPLETED: i32 = 4;
    /// Failed.
    pub const FAILED: i32 = 5;
}

// ---- the server's messages -------------------------------------------------

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn doc(body: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(BOM.len() + body.len());
    v.extend_from_slice(BOM);
    v.extend_from_slice(body.as_bytes());
    v
}

pub(super) fn esc(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    encode_str(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The server's SESSION_CAPABILITY: protocol 2.3, PSVersion 2.0,
/// SerializationVersion 1.1.0.1.
pub fn session_capability() -> Vec<u8> {
    doc(concat!(
        r#"<Obj RefId="0"><MS><Version N="PSVersion">2.0</Version>"#,
        r#"<Version N="protocolversion">2.3</Version>"#,
        r#"<Version N="SerializationVersion">1.1.0.1</Version></MS></Obj>"#
    ))
}

/// APPLICATION_PRIVATE_DATA: a PSVersionTable with the protocol and
/// serialization versions.
pub fn application_private_data() -> Vec<u8> {
    doc(concat!(
        r#"<Obj RefId="0"><MS><Obj RefId="1" N="ApplicationPrivateData"><TN RefId="0">"#,
        r#"<T>System.Management.Automation.PSPrimitiveDictionary</T><T>System.Collections.Hashtable</T><T>System.Object</T></TN>"#,
        r#"<DCT><En><S N="Key">PSVersionTable</S><Obj RefId="2" N="Value"><TN RefId="1">"#,
        r#"<T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT>"#,
        r#"<En><S N="Key">PSRemotingProtocolVersion</S><Version N="Value">2.3</Version></En>"#,
        r#"<En><S N="Key">SerializationVersion</S><Version N="Value">1.1.0.1</Version></En>"#,
        r#"</DCT></Obj></En></DCT></Obj></MS></Obj>"#
    ))
}

/// RUNSPACEPOOL_STATE `state`.
pub fn runspace_pool_state(state: i32) -> Vec<u8> {
    doc(&format!(
        r#"<Obj RefId="0"><MS><I32 N="RunspaceState">{state}</I32></MS></Obj>"#
    ))
}

/// RUNSPACEPOOL_STATE `state` with the error that caused it.
pub fn runspace_pool_state_with_error(state: i32, e: &SessionError) -> Vec<u8> {
    let mut body = format!(r#"<Obj RefId="0"><MS><I32 N="RunspaceState">{state}</I32>"#);
    e.write(&mut body);
    body.push_str("</MS></Obj>");
    doc(&body)
}

/// RUNSPACE_AVAILABILITY answering call `ci`: a boolean (SET_MAX/SET_MIN,
/// RESET_RUNSPACE_STATE) or a count (GET_AVAILABLE_RUNSPACES, an Int64).
pub fn runspace_availability(ci: i64, answer: Availability) -> Vec<u8> {
    let value = match answer {
        Availability::Done(b) => format!(r#"<B N="SetMinMaxRunspacesResponse">{b}</B>"#),
        Availability::Count(n) => format!(r#"<I64 N="SetMinMaxRunspacesResponse">{n}</I64>"#),
    };
    doc(&format!(
        r#"<Obj RefId="0"><MS>{value}<I64 N="ci">{ci}</I64></MS></Obj>"#
    ))
}

/// The answer of a RUNSPACE_AVAILABILITY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Whether a change was made.
    Done(bool),
    /// How many runspaces are available.
    Count(i64),
}

/// ERROR_RECORD: `e` as a non-terminating error of the pipeline.
pub fn error_record(e: &SessionError) -> Vec<u8> {
    let mut body = String::new();
    e.write(&mut body);
    doc(&body.replacen(
        r#"<Obj RefId="1" N="ExceptionAsErrorRecord">"#,
        r#"<Obj RefId="0">"#,
        1,
    ))
}

/// PIPELINE_STATE `state`, with the error record of a Failed or Stopped one.
pub fn pipeline_state(state: i32, error: Option<&SessionError>) -> Vec<u8> {
    let mut body = format!(r#"<Obj RefId="0"><MS><I32 N="PipelineState">{state}</I32>"#);
    if let Some(e) = error {
        e.write(&mut body);
    }
    body.push_str("</MS></Obj>");
    doc(&body)
}

// ---- the client's objects --------------------------------------------------

/// A value of a client's CLIXML object, as the session reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `<Nil />`.
    Nil,
    /// `<B>`.
    Bool(bool),
    /// A signed integer (`SB`, `I16`, `I32`, `I64`).
    Int(i64),
    /// An unsigned integer (`By`, `U16`, `U32`, `U64`).
    UInt(u64),
    /// `Sg`, `Db`, `D` (decimal).
    Real(f64),
    /// `<C>`: one UTF-16 unit.
    Char(u16),
    /// `S`, and the primitives read as text (`DT`, `TS`, `G`, `URI`, `Version`, …).
    Str(String),
    /// An `<Obj>` with a list (`LST`, `IE`, `STK`, `QUE`).
    List(Vec<Value>),
    /// An `<Obj>` with a dictionary (`DCT`).
    Dict(Vec<(Value, Value)>),
    /// Any other `<Obj>`: its type names and members (`Props`, `MS`).
    Object {
        /// The type names, most derived first.
        type_names: Vec<String>,
        /// The members, in order.
        members: Vec<(String, Value)>,
    },
}

impl Value {
    /// Member `name` of an object (`None`: not an object or no such member).
    pub fn member(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object { members, .. } => {
                members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// The value as text, for a name or a string parameter.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The most nodes a client's object may expand to (references included):
/// a bound against `<Ref>` chains that double at every level.
pub const MAX_NODES: usize = 100_000;

/// Why a client's object could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

struct Reader {
    /// `RefId` → the object (for `<Ref>`).
    objects: Vec<(String, Value)>,
    /// `TN` `RefId` → type names.
    type_names: Vec<(String, Vec<String>)>,
    nodes: usize,
}

fn text_of(e: &XmlElement) -> String {
    e.string()
        .map(|s| s.to_string_lossy())
        .unwrap_or_else(|_| e.raw_text().to_owned())
}

fn name_of(e: &XmlElement) -> Option<String> {
    e.attr("N").map(|n| {
        let mut units = Vec::new();
        decode_escapes_into(n, &mut units);
        String::from_utf16_lossy(&units)
    })
}

impl Reader {
    fn count(&mut self, n: usize) -> Result<(), ReadError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(ReadError(format!(
                "the object is larger than {MAX_NODES} values"
            )));
        }
        Ok(())
    }

    fn value(&mut self, e: &XmlElement) -> Result<Value, ReadError> {
        self.count(1)?;
        let bad = |what: &str| ReadError(format!("<{}>: {what}", e.name));
        let t = e.raw_text().trim();
        Ok(match e.name.as_str() {
            "Nil" => Value::Nil,
            "B" => Value::Bool(match t {
                "true" => true,
                "false" => false,
                _ => return Err(bad("not a boolean")),
            }),
            "SB" | "I16" | "I32" | "I64" => {
                Value::Int(t.parse().map_err(|_| bad("not an integer"))?)
            }
            "By" | "U16" | "U32" | "U64" => {
                Value::UInt(t.parse().map_err(|_| bad("not an integer"))?)
            }
            "Sg" | "Db" | "D" => Value::Real(t.parse().map_err(|_| bad("not a number"))?),
            "C" => Value::Char(t.parse().map_err(|_| bad("not a character"))?),
            "Obj" => {
                let v = self.object(e)?;
                if let Some(id) = e.attr("RefId") {
                    self.objects.push((id.to_owned(), v.clone()));
                }
                v
            }
            "Ref" => {
                let id = e.attr("RefId").ok_or_else(|| bad("no RefId"))?;
                let v = self
                    .objects
                    .iter()
                    .rev()
                    .find(|(i, _)| i == id)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| bad("an unknown RefId"))?;
                self.count(size(&v))?;
                v
            }
            "BA" => Value::Str(t.to_owned()),
            _ => {
                e.no_children().map_err(|err| bad(&err.to_string()))?;
                Value::Str(text_of(e))
            }
        })
    }

    fn object(&mut self, e: &XmlElement) -> Result<Value, ReadError> {
        let mut type_names = Vec::new();
        let mut members = Vec::new();
        let mut list = None;
        let mut dict = None;
        let mut inner = None;
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
                    type_names = names;
                }
                "TNRef" => {
                    if let Some(id) = c.attr("RefId") {
                        if let Some((_, names)) = self.type_names.iter().find(|(i, _)| i == id) {
                            type_names = names.clone();
                        }
                    }
                }
                "ToString" => {}
                "Props" | "MS" => {
                    for p in &c.children {
                        let Some(name) = name_of(p) else { continue };
                        let v = self.value(p)?;
                        members.push((name, v));
                    }
                }
                "LST" | "IE" | "STK" | "QUE" => {
                    let mut items = Vec::with_capacity(c.children.len().min(1024));
                    for i in &c.children {
                        items.push(self.value(i)?);
                    }
                    list = Some(items);
                }
                "DCT" => {
                    let mut entries = Vec::new();
                    for en in c.children.iter().filter(|en| en.name == "En") {
                        let mut key = None;
                        let mut value = Value::Nil;
                        for kv in &en.children {
                            match kv.attr("N") {
                                Some("Key") => key = Some(self.value(kv)?),
                                Some("Value") => value = self.value(kv)?,
                                _ => {}
                            }
                        }
                        let key =
                            key.ok_or_else(|| ReadError("a DCT entry without a Key".into()))?;
                        entries.push((key, value));
                    }
                    dict = Some(entries);
                }
                _ => inner = Some(self.value(c)?),
            }
        }
        Ok(if let Some(items) = list {
            Value::List(items)
        } else if let Some(entries) = dict {
            Value::Dict(entries)
        } else if let (Some(v), true) = (inner, members.is_empty()) {
            // An enum (`<I32>` inside) or a wrapped primitive.
            v
        } else {
            Value::Object {
                type_names,
                members,
            }
        })
    }
}

fn size(v: &Value) -> usize {
    match v {
        Value::List(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Dict(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| size(k) + size(v))
                .sum::<usize>()
        }
        Value::Object { members, .. } => 1 + members.iter().map(|(_, v)| size(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Reads a message's data (a UTF-8 BOM skipped) as one value.
pub fn read_value(data: &[u8]) -> Result<Value, ReadError> {
    let data = data.strip_prefix(BOM).unwrap_or(data);
    let text = std::str::from_utf8(data).map_err(|_| ReadError("not UTF-8".into()))?;
    let root = parse_xml(text).map_err(|e| ReadError(e.to_string()))?;
    Reader {
        objects: Vec::new(),
        type_names: Vec::new(),
        nodes: 0,
    }
    .value(&root)
}

/// The `ci` (call id) of a runspace availability request (`CI` as
/// Windows PowerShell clients spell it in SET_MAX/SET_MIN_RUNSPACES).
pub fn call_id(v: &Value) -> Option<i64> {
    match v.member("ci").or_else(|| v.member("CI"))? {
        Value::Int(i) => Some(*i),
        Value::UInt(u) => i64::try_from(*u).ok(),
        _ => None,
    }
}

/// A short, printable form of a GUID for messages.
pub fn guid_text(g: Guid) -> String {
    g.text().as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_refs_dicts_and_enums() {
        let xml = br#"<Obj RefId="0"><MS><Obj RefId="1" N="E"><I32>2</I32><TN RefId="0"><T>X</T></TN><ToString>U</ToString></Obj><Ref RefId="1" N="F" /><Obj RefId="2" N="D"><TN RefId="1"><T>System.Collections.Hashtable</T></TN><DCT><En><S N="Key">Pattern</S><S N="Value">p_x0041_</S></En></DCT></Obj></MS></Obj>"#;
        let v = read_value(xml).unwrap();
        assert_eq!(v.member("E"), Some(&Value::Int(2)));
        assert_eq!(v.member("F"), Some(&Value::Int(2)));
        assert_eq!(
            v.member("D"),
            Some(&Value::Dict(vec![(
                Value::Str("Pattern".into()),
                Value::Str("pA".into())
            )]))
        );
    }

    #[test]
    fn ref_bombs_are_bounded() {
        let mut xml = String::from(r#"<Obj RefId="0"><LST><S>x</S><S>x</S></LST></Obj>"#);
        let mut doc = String::from(r#"<Obj RefId="top"><MS>"#);
        doc.push_str(&xml.replace("RefId=\"0\"", "RefId=\"0\" N=\"a0\""));
        for i in 1..40 {
            xml = format!(
                r#"<Obj RefId="{i}" N="a{i}"><LST><Ref RefId="{p}" /><Ref RefId="{p}" /></LST></Obj>"#,
                p = i - 1
            );
            doc.push_str(&xml);
        }
        doc.push_str("</MS></Obj>");
        assert!(read_value(doc.as_bytes()).is_err());
    }

    #[test]
    fn failed_state_carries_its_record() {
        let m = pipeline_state(
            pipeline_state::FAILED,
            Some(&SessionError::command_not_found("Get-<X>")),
        );
        let v = read_value(&m).unwrap();
        assert_eq!(v.member("PipelineState"), Some(&Value::Int(5)));
        let rec = v.member("ExceptionAsErrorRecord").unwrap();
        assert_eq!(
            rec.member("FullyQualifiedErrorId"),
            Some(&Value::Str("CommandNotFoundException".into()))
        );
        assert_eq!(
            rec.member("ErrorCategory_TargetName"),
            Some(&Value::Str("Get-<X>".into()))
        );
    }
}
