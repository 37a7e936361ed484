//! The CLIXML of CIM output objects (`psrp-cim-output.md` §3–§6), byte for
//! byte as PowerShell's serializer writes a `CimInstance`, a
//! `CimMethodResult` and a `CimMethodStreamedResult` into one
//! PIPELINE_OUTPUT message: no whitespace, `<Nil N="…" />` with its space,
//! every `<T>`, `<ToString>`, `<S>` text and `N` name through the one
//! string encoder of [`crate::psrp::text`].
//!
//! One call writes one message's object. `Obj` and `TN` RefIds restart at 0
//! in every call and count in document order; a TN list equal to one
//! written earlier in the same call is a `<TNRef>`. Everything is appended
//! to the caller's buffer: nothing is allocated per value (the writer keeps
//! one UTF-16 buffer for ToString and class XML, and the list of its TNs).
//!
//! Method results (§5) are in `methods.rs`, `__ClassMetadata` (§6) in
//! `metadata.rs`, ToString in `tostring.rs`, value text in [`super::format`]
//! and [`super::datetime`].

use std::ops::Range;

use super::datetime::{DatetimeValue, resolve_datetime, write_duration_xml, write_timestamp_xml};
use super::format::{write_base64, write_i64, write_real32, write_real64, write_u64};
pub use super::metadata::ClassCache;
use super::tostring::instance_to_string;
use super::{CimDatetime, CimInstance, CimOutput, CimProperty, CimString, CimValue};
use crate::psrp::text::encode_units;

/// How output objects are written: per pool (the computer name) and per
/// pipeline (the class cache).
#[derive(Debug, Default)]
pub struct OutputOptions<'a> {
    /// `PSComputerName` (and, unless [`OutputOptions::server_name`] is set,
    /// `ServerName`): `None` writes `<Nil N="PSComputerName" />` (R3).
    pub computer_name: Option<&'a CimString>,
    /// `Some`: every CimInstance carries `__ClassMetadata`, cached per pipeline (R5).
    pub class_cache: Option<&'a mut ClassCache>,
    /// The current time in .NET ticks (100 ns since 0001-01-01 UTC), for the "now" sentinel.
    pub now_ticks: i64,
    /// The `ServerName` of `__ClassMetadata` entries when it differs from
    /// the computer name; `None` takes [`OutputOptions::computer_name`], and
    /// with neither it is empty (`<S N="ServerName"></S>`). Windows sends the
    /// local NetBIOS name with a null `PSComputerName` in a local session
    /// (the MailDaemon sample): that is `computer_name: None,
    /// server_name: Some(name)`.
    pub server_name: Option<&'a CimString>,
}

/// Why an object cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CimWriteError {
    /// A timestamp that names no instant, in the named property (or
    /// parameter, or the array holding it): a field out of range (month 0 or
    /// 13, a day the month does not have, hour 24, µs 1000000, year 0 other
    /// than the sentinels) or an instant outside 0001–9999 once its `utc`
    /// offset is applied. MMI throws on these while converting and Windows
    /// has no form for them (spec open question 4): mi-psrp refuses the
    /// whole object rather than send a made-up value or a silent Nil.
    InvalidDatetime {
        /// The property (or parameter) name.
        property: String,
    },
}

impl CimWriteError {
    pub(crate) fn invalid_datetime(name: &[u16]) -> Self {
        CimWriteError::InvalidDatetime {
            property: String::from_utf16_lossy(name),
        }
    }
}

impl std::fmt::Display for CimWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CimWriteError::InvalidDatetime { property } => {
                write!(
                    f,
                    "property {property}: the timestamp names no date and time"
                )
            }
        }
    }
}

impl std::error::Error for CimWriteError {}

/// Appends the CLIXML of `object` (no BOM) to `out`: one PIPELINE_OUTPUT
/// message's data after the BOM.
///
/// With a class cache in `options`, every CimInstance (nested ones
/// included) carries `__ClassMetadata` and the cache learns its classes.
/// On error `out` and the cache are left as they were.
pub fn write_output_clixml(
    object: CimOutput<'_>,
    options: &mut OutputOptions<'_>,
    out: &mut Vec<u8>,
) -> Result<(), CimWriteError> {
    let start = out.len();
    let mut cache = options.class_cache.as_deref_mut();
    if let Some(cache) = cache.as_deref_mut() {
        cache.save();
    }
    let mut w = Writer {
        out,
        computer_name: options.computer_name.map(|s| &s.0[..]),
        server_name: options
            .server_name
            .or(options.computer_name)
            .map(|s| &s.0[..]),
        cache,
        now_ticks: options.now_ticks,
        next_obj: 0,
        type_names: Vec::new(),
        scratch: Vec::new(),
    };
    let result = w.output(object);
    if result.is_err() {
        w.out.truncate(start);
        if let Some(cache) = w.cache {
            cache.restore();
        }
    }
    result
}

/// The name of an element: none (an array item), a constant already in its
/// encoded form, or text to encode.
#[derive(Clone, Copy)]
pub(super) enum Name<'n> {
    /// No `N` attribute.
    None,
    /// A name needing no encoding.
    Fixed(&'static str),
    /// A name to encode.
    Units(&'n [u16]),
}

/// The state of one message's object.
pub(super) struct Writer<'w> {
    pub(super) out: &'w mut Vec<u8>,
    computer_name: Option<&'w [u16]>,
    pub(super) server_name: Option<&'w [u16]>,
    pub(super) cache: Option<&'w mut ClassCache>,
    now_ticks: i64,
    /// The next `Obj` RefId.
    next_obj: u32,
    /// The content (`<T>…</T>…`) of each TN list written, at its RefId.
    type_names: Vec<Range<usize>>,
    /// UTF-16 text being built: a ToString, a class's XML.
    pub(super) scratch: Vec<u16>,
}

/// Appends UTF-16 text, string-encoded (which cannot fail for UTF-16).
#[inline]
pub(super) fn encode16(units: &[u16], out: &mut Vec<u8>) {
    let encoded = encode_units(units, out);
    debug_assert!(encoded.is_ok(), "every UTF-16 unit encodes");
}

/// The TN content of an array of `$t`.
macro_rules! array_tn {
    ($t:literal) => {
        concat!("<T>", $t, "</T><T>System.Array</T><T>System.Object</T>")
    };
}

const CIM_INSTANCE_T: &[u8] = b"<T>Microsoft.Management.Infrastructure.CimInstance#";
const CIM_INSTANCE_TAIL: &[u8] =
    b"<T>Microsoft.Management.Infrastructure.CimInstance</T><T>System.Object</T>";

impl Writer<'_> {
    fn output(&mut self, object: CimOutput<'_>) -> Result<(), CimWriteError> {
        match object {
            CimOutput::Instance(inst) => self.instance(Name::None, inst),
            CimOutput::MethodResult {
                class_name,
                method_name,
                parameters,
            } => self.method_result(class_name, method_name, parameters),
            CimOutput::StreamedResult {
                class_name,
                method_name,
                parameter_name,
                item_type,
                value,
            } => self.streamed_result(class_name, method_name, parameter_name, item_type, value),
        }
    }

    #[inline]
    pub(super) fn ascii(&mut self, s: &[u8]) {
        self.out.extend_from_slice(s);
    }

    /// ` N="{name}"`, as `XmlWriter` writes an attribute: the encoded name
    /// with `"` as `&quot;` (the string encoder leaves `"` alone).
    fn name_attribute(&mut self, name: Name<'_>) {
        match name {
            Name::None => {}
            Name::Fixed(s) => {
                self.ascii(b" N=\"");
                self.ascii(s.as_bytes());
                self.ascii(b"\"");
            }
            Name::Units(units) => {
                self.ascii(b" N=\"");
                let start = self.out.len();
                encode16(units, self.out);
                if self.out[start..].contains(&b'"') {
                    let encoded = self.out.split_off(start);
                    for b in encoded {
                        if b == b'"' {
                            self.ascii(b"&quot;");
                        } else {
                            self.out.push(b);
                        }
                    }
                }
                self.ascii(b"\"");
            }
        }
    }

    /// `<{tag}[ N="…"]>`.
    #[inline]
    pub(super) fn open(&mut self, tag: &[u8], name: Name<'_>) {
        self.out.push(b'<');
        self.ascii(tag);
        self.name_attribute(name);
        self.out.push(b'>');
    }

    /// `</{tag}>`.
    #[inline]
    pub(super) fn close(&mut self, tag: &[u8]) {
        self.ascii(b"</");
        self.ascii(tag);
        self.out.push(b'>');
    }

    /// `<Nil[ N="…"] />`.
    pub(super) fn nil(&mut self, name: Name<'_>) {
        self.ascii(b"<Nil");
        self.name_attribute(name);
        self.ascii(b" />");
    }

    /// `<S[ N="…"]>{text}</S>`.
    pub(super) fn string(&mut self, name: Name<'_>, text: &[u16]) {
        self.open(b"S", name);
        encode16(text, self.out);
        self.close(b"S");
    }

    /// `<Obj[ N="…"] RefId="r">` with the next RefId.
    pub(super) fn open_obj(&mut self, name: Name<'_>) {
        self.ascii(b"<Obj");
        self.name_attribute(name);
        self.ascii(b" RefId=\"");
        write_u64(self.out, u64::from(self.next_obj));
        self.ascii(b"\">");
        self.next_obj += 1;
    }

    /// `<TN RefId="t">{content}</TN>`, or `<TNRef RefId="k" />` when the
    /// same list was written before in this message. `content` appends the
    /// `<T>` elements; they are written, compared, and taken back on a match.
    pub(super) fn type_names(&mut self, content: impl FnOnce(&mut Vec<u8>)) {
        let open = self.out.len();
        self.ascii(b"<TN RefId=\"");
        write_u64(self.out, self.type_names.len() as u64);
        self.ascii(b"\">");
        let start = self.out.len();
        content(self.out);
        let new = start..self.out.len();
        let out = &*self.out;
        let earlier = self
            .type_names
            .iter()
            .position(|r| r.len() == new.len() && out[r.clone()] == out[new.clone()]);
        match earlier {
            Some(k) => {
                self.out.truncate(open);
                self.ascii(b"<TNRef RefId=\"");
                write_u64(self.out, k as u64);
                self.ascii(b"\" />");
            }
            None => {
                self.ascii(b"</TN>");
                self.type_names.push(new);
            }
        }
    }

    /// `PSComputerName`: Nil, or the configured name (R3).
    pub(super) fn computer_name_note(&mut self) {
        match self.computer_name {
            None => self.ascii(b"<Nil N=\"PSComputerName\" />"),
            Some(name) => self.string(Name::Fixed("PSComputerName"), name),
        }
    }

    /// A CimInstance object (§3): TN from the class chain, ToString, Props
    /// with PSComputerName last, `__ClassMetadata` when the cache is on.
    pub(super) fn instance(
        &mut self,
        name: Name<'_>,
        inst: &CimInstance,
    ) -> Result<(), CimWriteError> {
        self.open_obj(name);
        self.type_names(|out| instance_type_names(out, inst));
        instance_to_string(inst, self.now_ticks, &mut self.scratch)?;
        if self.scratch.is_empty() {
            self.ascii(b"<ToString />");
        } else {
            self.ascii(b"<ToString>");
            encode16(&self.scratch, self.out);
            self.ascii(b"</ToString>");
        }
        self.ascii(b"<Props>");
        for p in &inst.properties {
            self.property(p)?;
        }
        self.computer_name_note();
        self.ascii(b"</Props>");
        if self.cache.is_some() {
            self.class_metadata(inst);
        }
        self.ascii(b"</Obj>");
        Ok(())
    }

    /// One property or note: its value, or `<Nil N="…" />`.
    pub(super) fn property(&mut self, p: &CimProperty) -> Result<(), CimWriteError> {
        match &p.value {
            Some(v) => self.value(Name::Units(&p.name.0), v, &p.name.0),
            None => {
                self.nil(Name::Units(&p.name.0));
                Ok(())
            }
        }
    }

    /// A value per §4; `property` names it in an error.
    pub(super) fn value(
        &mut self,
        name: Name<'_>,
        v: &CimValue,
        property: &[u16],
    ) -> Result<(), CimWriteError> {
        match v {
            CimValue::Boolean(b) => {
                self.open(b"B", name);
                self.ascii(if *b { b"true" } else { b"false" });
                self.close(b"B");
            }
            CimValue::Uint8(x) => self.unsigned(b"By", name, u64::from(*x)),
            CimValue::Sint8(x) => self.signed(b"SB", name, i64::from(*x)),
            CimValue::Uint16(x) => self.unsigned(b"U16", name, u64::from(*x)),
            CimValue::Sint16(x) => self.signed(b"I16", name, i64::from(*x)),
            CimValue::Uint32(x) => self.unsigned(b"U32", name, u64::from(*x)),
            CimValue::Sint32(x) => self.signed(b"I32", name, i64::from(*x)),
            CimValue::Uint64(x) => self.unsigned(b"U64", name, *x),
            CimValue::Sint64(x) => self.signed(b"I64", name, *x),
            CimValue::Real32(x) => {
                self.open(b"Sg", name);
                write_real32(self.out, *x);
                self.close(b"Sg");
            }
            CimValue::Real64(x) => {
                self.open(b"Db", name);
                write_real64(self.out, *x);
                self.close(b"Db");
            }
            CimValue::Char16(c) => self.unsigned(b"C", name, u64::from(*c)),
            CimValue::Datetime(dt) => self.datetime(name, dt, property)?,
            CimValue::String(s) => self.string(name, &s.0),
            CimValue::Reference(inst) | CimValue::Instance(inst) => self.instance(name, inst)?,
            CimValue::Uint8A(bytes) => {
                self.open(b"BA", name);
                write_base64(self.out, bytes);
                self.close(b"BA");
            }
            CimValue::BooleanA(items) => {
                self.array(name, array_tn!("System.Boolean[]"), items, |w, b| {
                    w.ascii(if *b { b"<B>true</B>" } else { b"<B>false</B>" });
                    Ok(())
                })?
            }
            CimValue::Sint8A(items) => {
                self.signed_array(name, array_tn!("System.SByte[]"), b"SB", items)?
            }
            CimValue::Uint16A(items) => {
                self.unsigned_array(name, array_tn!("System.UInt16[]"), b"U16", items)?
            }
            CimValue::Sint16A(items) => {
                self.signed_array(name, array_tn!("System.Int16[]"), b"I16", items)?
            }
            CimValue::Uint32A(items) => {
                self.unsigned_array(name, array_tn!("System.UInt32[]"), b"U32", items)?
            }
            CimValue::Sint32A(items) => {
                self.signed_array(name, array_tn!("System.Int32[]"), b"I32", items)?
            }
            CimValue::Uint64A(items) => {
                self.unsigned_array(name, array_tn!("System.UInt64[]"), b"U64", items)?
            }
            CimValue::Sint64A(items) => {
                self.signed_array(name, array_tn!("System.Int64[]"), b"I64", items)?
            }
            CimValue::Real32A(items) => {
                self.array(name, array_tn!("System.Single[]"), items, |w, x| {
                    w.ascii(b"<Sg>");
                    write_real32(w.out, *x);
                    w.ascii(b"</Sg>");
                    Ok(())
                })?
            }
            CimValue::Real64A(items) => {
                self.array(name, array_tn!("System.Double[]"), items, |w, x| {
                    w.ascii(b"<Db>");
                    write_real64(w.out, *x);
                    w.ascii(b"</Db>");
                    Ok(())
                })?
            }
            CimValue::Char16A(items) => {
                self.unsigned_array(name, array_tn!("System.Char[]"), b"C", items)?
            }
            CimValue::DatetimeA(items) => {
                self.array(name, array_tn!("System.Object[]"), items, |w, dt| {
                    w.datetime(Name::None, dt, property)
                })?
            }
            CimValue::StringA(items) => {
                self.array(name, array_tn!("System.String[]"), items, |w, s| {
                    match s {
                        Some(s) => w.string(Name::None, &s.0),
                        None => w.ascii(b"<Nil />"),
                    }
                    Ok(())
                })?
            }
            CimValue::ReferenceA(items) | CimValue::InstanceA(items) => self.array(
                name,
                array_tn!("Microsoft.Management.Infrastructure.CimInstance[]"),
                items,
                |w, inst| match inst {
                    Some(inst) => w.instance(Name::None, inst),
                    None => {
                        w.ascii(b"<Nil />");
                        Ok(())
                    }
                },
            )?,
        }
        Ok(())
    }

    fn unsigned(&mut self, tag: &[u8], name: Name<'_>, v: u64) {
        self.open(tag, name);
        write_u64(self.out, v);
        self.close(tag);
    }

    fn signed(&mut self, tag: &[u8], name: Name<'_>, v: i64) {
        self.open(tag, name);
        write_i64(self.out, v);
        self.close(tag);
    }

    fn unsigned_array<T: Copy + Into<u64>>(
        &mut self,
        name: Name<'_>,
        type_names: &str,
        tag: &[u8],
        items: &[T],
    ) -> Result<(), CimWriteError> {
        self.array(name, type_names, items, |w, x| {
            w.unsigned(tag, Name::None, (*x).into());
            Ok(())
        })
    }

    fn signed_array<T: Copy + Into<i64>>(
        &mut self,
        name: Name<'_>,
        type_names: &str,
        tag: &[u8],
        items: &[T],
    ) -> Result<(), CimWriteError> {
        self.array(name, type_names, items, |w, x| {
            w.signed(tag, Name::None, (*x).into());
            Ok(())
        })
    }

    /// `<Obj[ N="…"] RefId="r"><TN…>{type_names}</TN><LST>{items}</LST></Obj>`,
    /// `<LST />` when empty.
    fn array<T>(
        &mut self,
        name: Name<'_>,
        type_names: &str,
        items: &[T],
        mut item: impl FnMut(&mut Self, &T) -> Result<(), CimWriteError>,
    ) -> Result<(), CimWriteError> {
        self.open_obj(name);
        self.type_names(|out| out.extend_from_slice(type_names.as_bytes()));
        if items.is_empty() {
            self.ascii(b"<LST />");
        } else {
            self.ascii(b"<LST>");
            for x in items {
                item(self, x)?;
            }
            self.ascii(b"</LST>");
        }
        self.ascii(b"</Obj>");
        Ok(())
    }

    /// `<DT>` or `<TS>`.
    fn datetime(
        &mut self,
        name: Name<'_>,
        dt: &CimDatetime,
        property: &[u16],
    ) -> Result<(), CimWriteError> {
        match resolve_datetime(dt, self.now_ticks) {
            Some(DatetimeValue::Timestamp(ts)) => {
                self.open(b"DT", name);
                write_timestamp_xml(self.out, ts);
                self.close(b"DT");
            }
            Some(DatetimeValue::Interval(ticks)) => {
                self.open(b"TS", name);
                write_duration_xml(self.out, ticks);
                self.close(b"TS");
            }
            None => return Err(CimWriteError::invalid_datetime(property)),
        }
        Ok(())
    }
}

/// A CimInstance's type names (§3.2): `…CimInstance#{ns}/{Class}` for each
/// class of the chain, leaf first (none when the namespace is empty), then
/// `…CimInstance#{Class}` for each, then `…CimInstance` and `System.Object`.
fn instance_type_names(out: &mut Vec<u8>, inst: &CimInstance) {
    // Encoded in pieces: a namespace is followed by `/`, a class name by
    // `<`, never by `x`, so the pieces encode as the whole strings would.
    if !inst.namespace.is_empty() {
        for class in inst.class.chain() {
            out.extend_from_slice(CIM_INSTANCE_T);
            encode16(&inst.namespace.0, out);
            out.push(b'/');
            encode16(&class.name.0, out);
            out.extend_from_slice(b"</T>");
        }
    }
    for class in inst.class.chain() {
        out.extend_from_slice(CIM_INSTANCE_T);
        encode16(&class.name.0, out);
        out.extend_from_slice(b"</T>");
    }
    out.extend_from_slice(CIM_INSTANCE_TAIL);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::psrp::cim::CimClass;

    fn class(name: &str, superclass: Option<Arc<CimClass>>) -> Arc<CimClass> {
        Arc::new(CimClass {
            name: name.into(),
            superclass,
            local_properties: Vec::new(),
            id: 1,
        })
    }

    fn write(inst: &CimInstance) -> String {
        let mut out = Vec::new();
        write_output_clixml(
            CimOutput::Instance(inst),
            &mut OutputOptions::default(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn type_names_encoded_in_pieces_equal_the_whole_strings_encoded() {
        for (ns, leaf, base) in [
            ("root/_x", "x_", "_X"),
            ("a_", "xb_", "x"),
            ("", "_x_x", "X_"),
            ("ns\u{1F600}", "é_", "<&>"),
        ] {
            let inst = CimInstance {
                class: class(leaf, Some(class(base, None))),
                namespace: ns.into(),
                properties: Vec::new(),
            };
            let mut pieces = Vec::new();
            instance_type_names(&mut pieces, &inst);
            let mut names = Vec::new();
            if !ns.is_empty() {
                names.push(format!(
                    "{}#{ns}/{leaf}",
                    "Microsoft.Management.Infrastructure.CimInstance"
                ));
                names.push(format!(
                    "{}#{ns}/{base}",
                    "Microsoft.Management.Infrastructure.CimInstance"
                ));
            }
            names.push(format!(
                "Microsoft.Management.Infrastructure.CimInstance#{leaf}"
            ));
            names.push(format!(
                "Microsoft.Management.Infrastructure.CimInstance#{base}"
            ));
            names.push("Microsoft.Management.Infrastructure.CimInstance".into());
            names.push("System.Object".into());
            let mut whole = Vec::new();
            for n in names {
                whole.extend_from_slice(b"<T>");
                crate::psrp::text::encode_str(&n, &mut whole);
                whole.extend_from_slice(b"</T>");
            }
            assert_eq!(
                String::from_utf8(pieces).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    #[test]
    fn equal_type_names_share_a_tn_whatever_class_object_holds_them() {
        // Two declarations of one class (two Arcs, two ids): same TN list.
        let a = CimInstance {
            class: class("C", None),
            namespace: "ns".into(),
            properties: Vec::new(),
        };
        let b = CimInstance {
            class: class("C", None),
            ..a.clone()
        };
        let outer = CimInstance {
            class: class("Outer", None),
            namespace: "ns".into(),
            properties: vec![CimProperty {
                name: "L".into(),
                value: Some(CimValue::InstanceA(vec![Some(a), Some(b)])),
                key: false,
            }],
        };
        let xml = write(&outer);
        assert_eq!(xml.matches("<TN RefId=").count(), 3, "{xml}");
        assert!(
            xml.contains("<Obj RefId=\"3\"><TNRef RefId=\"2\" />"),
            "{xml}"
        );
    }

    #[test]
    fn quotes_in_names_and_an_empty_to_string() {
        let inst = CimInstance {
            class: class("", None),
            namespace: CimString::default(),
            properties: vec![CimProperty {
                name: "a\"b\"".into(),
                value: None,
                key: false,
            }],
        };
        assert_eq!(
            write(&inst),
            "<Obj RefId=\"0\"><TN RefId=\"0\"><T>Microsoft.Management.Infrastructure.CimInstance#</T>\
<T>Microsoft.Management.Infrastructure.CimInstance</T><T>System.Object</T></TN><ToString />\
<Props><Nil N=\"a&quot;b&quot;\" /><Nil N=\"PSComputerName\" /></Props></Obj>"
        );
    }
}
