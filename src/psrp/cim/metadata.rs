//! `__ClassMetadata` (`psrp-cim-output.md` §6.1, §6.3): the class entries
//! PowerShell's serializer attaches to every CimInstance, and the
//! per-pipeline cache that decides which of them carry the class XML.
//!
//! As ser.cs `PrepareCimInstanceForSerialization`, called once the
//! instance's Props are written (so nested instances fill the cache first):
//! walk the class chain leaf → root, one entry per class; a class the cache
//! holds ends the walk and its entry has no `MiXml`; the others get `MiXml`
//! and are cached (leaf first) once the walk ends; the list is written root
//! first.

use super::clixml::{Name, Writer, encode16};
use super::format::{TextSink, write_i64};
use super::{CimClass, CimInstance, CimPropertyDecl};

/// The per-pipeline `__ClassMetadata` cache: the class ids (`CimClass.id`,
/// the entries' `Hash`) the client has been sent the XML of. Like
/// PowerShell's `CimClassSerializationCache`, it is emptied when a class is
/// added to a cache that holds [`ClassCache::LIMIT`] already.
#[derive(Debug, Clone, Default)]
pub struct ClassCache {
    ids: Vec<i32>,
    /// The ids when the message being written began, to undo its additions
    /// if it fails.
    saved: Vec<i32>,
}

impl ClassCache {
    /// How many classes the cache holds before it is emptied (PowerShell's
    /// `MaxItemsInCimClassCache`).
    pub const LIMIT: usize = 100;

    /// An empty cache, for a new pipeline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the class with this id has been sent with its XML.
    pub fn contains(&self, id: i32) -> bool {
        self.ids.contains(&id)
    }

    /// How many classes it holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Forgets every class.
    pub fn clear(&mut self) {
        self.ids.clear();
    }

    /// `AddClassToCache`: at the limit, empty first.
    fn add(&mut self, id: i32) {
        if self.ids.len() >= Self::LIMIT {
            self.ids.clear();
        }
        if !self.contains(id) {
            self.ids.push(id);
        }
    }

    pub(super) fn save(&mut self) {
        self.saved.clone_from(&self.ids);
    }

    pub(super) fn restore(&mut self) {
        std::mem::swap(&mut self.ids, &mut self.saved);
    }
}

/// `<QUALIFIER>` of a key property, as WMI writes it (the MSFT_DiskImage sample).
const KEY_QUALIFIER: &[u8] =
    b"<QUALIFIER NAME=\"key\" TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>true</VALUE></QUALIFIER>";

/// MI's XML names of the scalar types, by `MI_Type` (reference: none;
/// instance: `string`, an embedded instance being a string in CIM-XML).
const TYPE_NAMES: [&str; 16] = [
    "boolean", "uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64",
    "real32", "real64", "char16", "datetime", "string", "", "string",
];

const MI_REFERENCE: u32 = 14;
const MI_INSTANCE: u32 = 15;
const MI_ARRAY: u32 = 16;

impl Writer<'_> {
    /// `<MS><Obj N="__ClassMetadata" …>…</Obj></MS>` for `inst`, updating
    /// the cache.
    pub(super) fn class_metadata(&mut self, inst: &CimInstance) {
        let Some(cache) = self.cache.as_deref_mut() else {
            return;
        };
        let mut count = 0;
        let mut ends_cached = false;
        for class in inst.class.chain() {
            count += 1;
            if cache.contains(class.id) {
                ends_cached = true;
                break;
            }
        }
        for class in inst.class.chain().take(count - usize::from(ends_cached)) {
            cache.add(class.id);
        }
        self.ascii(b"<MS>");
        self.open_obj(Name::Fixed("__ClassMetadata"));
        self.type_names(|out| {
            out.extend_from_slice(b"<T>System.Collections.ArrayList</T><T>System.Object</T>")
        });
        self.ascii(b"<LST>");
        // Root first: chains are short, so walking again for each is cheaper
        // than collecting them.
        for i in (0..count).rev() {
            if let Some(class) = inst.class.chain().nth(i) {
                let with_xml = !(ends_cached && i == count - 1);
                self.class_entry(class, &inst.namespace.0, with_xml);
            }
        }
        self.ascii(b"</LST></Obj></MS>");
    }

    /// One entry: ClassName, Namespace, ServerName, Hash[, MiXml].
    fn class_entry(&mut self, class: &CimClass, namespace: &[u16], with_xml: bool) {
        self.open_obj(Name::None);
        self.ascii(b"<MS>");
        self.string(Name::Fixed("ClassName"), &class.name.0);
        self.string(Name::Fixed("Namespace"), namespace);
        self.string(Name::Fixed("ServerName"), self.server_name.unwrap_or(&[]));
        self.ascii(b"<I32 N=\"Hash\">");
        write_i64(self.out, i64::from(class.id));
        self.ascii(b"</I32>");
        if with_xml {
            class_xml(class, &mut self.scratch);
            self.ascii(b"<S N=\"MiXml\">");
            encode16(&self.scratch, self.out);
            self.ascii(b"</S>");
        }
        self.ascii(b"</MS></Obj>");
    }
}

/// Replaces `out` with the class's MI XML (§6.3): DSP0201's
/// `<CLASS NAME="C"[ SUPERCLASS="P"]>` holding the class's own properties
/// in declaration order, no class qualifiers, no methods.
///
/// - `PROPERTY` / `PROPERTY.ARRAY` with `TYPE`; an embedded instance (or
///   array of them) is `TYPE="string"` with the qualifier DSP0004 and OMI's
///   `xmlserializer.c` give it: `<QUALIFIER NAME="EmbeddedInstance"
///   TYPE="string"><VALUE>{class}</VALUE></QUALIFIER>` (exactly the form of
///   the DSC sample's `PsDscRunAsCredential`), or, with no class name,
///   `<QUALIFIER NAME="EmbeddedObject" TYPE="boolean"><VALUE>true</VALUE></QUALIFIER>`;
/// - `PROPERTY.REFERENCE` with `REFERENCECLASS` when the class is known;
///   a reference array, which DSP0201 has no property element for (OMI's
///   serializer refuses it), is `PROPERTY.REFARRAY`, the form DSP0201 gives
///   a reference-array parameter [unverified];
/// - a key gets WMI's `key` qualifier, after any `EmbeddedInstance` one
///   (OMI's order; alphabetical, as WMI lists qualifiers).
///
/// Names are XML-escaped as OMI escapes them; the whole text is then
/// string-encoded as any `<S>` (so `<` arrives as `&lt;`).
pub(super) fn class_xml(class: &CimClass, out: &mut Vec<u16>) {
    out.clear();
    out.push_ascii(b"<CLASS NAME=\"");
    xml_escaped(out, &class.name.0);
    if let Some(superclass) = &class.superclass {
        out.push_ascii(b"\" SUPERCLASS=\"");
        xml_escaped(out, &superclass.name.0);
    }
    out.push_ascii(b"\">");
    for p in &class.local_properties {
        property_xml(p, out);
    }
    out.push_ascii(b"</CLASS>");
}

fn property_xml(p: &CimPropertyDecl, out: &mut Vec<u16>) {
    let (element, scalar): (&[u8], u32) = match p.mi_type {
        MI_REFERENCE => (b"PROPERTY.REFERENCE", MI_REFERENCE),
        t if t == MI_REFERENCE | MI_ARRAY => (b"PROPERTY.REFARRAY", MI_REFERENCE),
        t if t & MI_ARRAY != 0 && t < 2 * MI_ARRAY => (b"PROPERTY.ARRAY", t & !MI_ARRAY),
        t => (b"PROPERTY", t),
    };
    out.push_ascii(b"<");
    out.push_ascii(element);
    out.push_ascii(b" NAME=\"");
    xml_escaped(out, &p.name.0);
    out.push_ascii(b"\"");
    if scalar == MI_REFERENCE {
        if let Some(class) = &p.class_name {
            out.push_ascii(b" REFERENCECLASS=\"");
            xml_escaped(out, &class.0);
            out.push_ascii(b"\"");
        }
    } else {
        out.push_ascii(b" TYPE=\"");
        let name = TYPE_NAMES
            .get(scalar as usize)
            .copied()
            .unwrap_or("unknown");
        out.push_ascii(name.as_bytes());
        out.push_ascii(b"\"");
    }
    out.push_ascii(b">");
    if scalar == MI_INSTANCE {
        match &p.class_name {
            Some(class) => {
                out.push_ascii(b"<QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>");
                xml_escaped(out, &class.0);
                out.push_ascii(b"</VALUE></QUALIFIER>");
            }
            None => out.push_ascii(
                b"<QUALIFIER NAME=\"EmbeddedObject\" TYPE=\"boolean\"><VALUE>true</VALUE></QUALIFIER>",
            ),
        }
    }
    if p.key {
        out.push_ascii(KEY_QUALIFIER);
    }
    out.push_ascii(b"</");
    out.push_ascii(element);
    out.push_ascii(b">");
}

/// Text as OMI's `WriteBuffer_Char` escapes it in attributes and values:
/// `& < > " '` as entities, controls as `&#N;`.
fn xml_escaped(out: &mut Vec<u16>, units: &[u16]) {
    for &u in units {
        match u {
            0x26 => out.push_ascii(b"&amp;"),
            0x3C => out.push_ascii(b"&lt;"),
            0x3E => out.push_ascii(b"&gt;"),
            0x22 => out.push_ascii(b"&quot;"),
            0x27 => out.push_ascii(b"&apos;"),
            0..=0x1F => {
                out.push_ascii(b"&#");
                crate::psrp::cim::format::write_u64(out, u64::from(u));
                out.push_ascii(b";");
            }
            _ => out.push(u),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::psrp::cim::CimString;

    fn decl(name: &str, mi_type: u32, key: bool, class_name: Option<&str>) -> CimPropertyDecl {
        CimPropertyDecl {
            name: name.into(),
            mi_type,
            key,
            class_name: class_name.map(CimString::from),
        }
    }

    fn xml(class: &CimClass) -> String {
        let mut out = Vec::new();
        class_xml(class, &mut out);
        String::from_utf16(&out).unwrap()
    }

    #[test]
    fn maildaemon_class_xml_is_windows_text() {
        let class = CimClass {
            name: "MSFT_TaskRepetitionPattern".into(),
            superclass: None,
            local_properties: vec![
                decl("Duration", 13, false, None),
                decl("Interval", 13, false, None),
                decl("StopAtDurationEnd", 0, false, None),
            ],
            id: 1,
        };
        assert_eq!(
            xml(&class),
            "<CLASS NAME=\"MSFT_TaskRepetitionPattern\"><PROPERTY NAME=\"Duration\" TYPE=\"string\"></PROPERTY><PROPERTY NAME=\"Interval\" TYPE=\"string\"></PROPERTY><PROPERTY NAME=\"StopAtDurationEnd\" TYPE=\"boolean\"></PROPERTY></CLASS>"
        );
    }

    #[test]
    fn every_kind_of_property() {
        let base = Arc::new(CimClass {
            name: "XYZ_Base".into(),
            superclass: None,
            local_properties: vec![],
            id: 1,
        });
        let class = CimClass {
            name: "XYZ_<&\"'>".into(),
            superclass: Some(base),
            local_properties: vec![
                decl("Name", 13, true, None),
                decl("Tags", 29, false, None),
                decl("When", 12, false, None),
                decl("Cred", 15, false, Some("MSFT_Credential")),
                decl("Any", 15, false, None),
                decl("Parts", 31, false, Some("XYZ_Part")),
                decl("Owner", 14, true, Some("XYZ_Owner")),
                decl("Anything", 14, false, None),
                decl("Links", 30, false, Some("XYZ_Link")),
                decl("Bytes", 17, false, None),
                decl("Odd", 40, false, None),
            ],
            id: 2,
        };
        assert_eq!(
            xml(&class),
            "<CLASS NAME=\"XYZ_&lt;&amp;&quot;&apos;&gt;\" SUPERCLASS=\"XYZ_Base\">\
<PROPERTY NAME=\"Name\" TYPE=\"string\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>true</VALUE></QUALIFIER></PROPERTY>\
<PROPERTY.ARRAY NAME=\"Tags\" TYPE=\"string\"></PROPERTY.ARRAY>\
<PROPERTY NAME=\"When\" TYPE=\"datetime\"></PROPERTY>\
<PROPERTY NAME=\"Cred\" TYPE=\"string\"><QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>MSFT_Credential</VALUE></QUALIFIER></PROPERTY>\
<PROPERTY NAME=\"Any\" TYPE=\"string\"><QUALIFIER NAME=\"EmbeddedObject\" TYPE=\"boolean\"><VALUE>true</VALUE></QUALIFIER></PROPERTY>\
<PROPERTY.ARRAY NAME=\"Parts\" TYPE=\"string\"><QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>XYZ_Part</VALUE></QUALIFIER></PROPERTY.ARRAY>\
<PROPERTY.REFERENCE NAME=\"Owner\" REFERENCECLASS=\"XYZ_Owner\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>true</VALUE></QUALIFIER></PROPERTY.REFERENCE>\
<PROPERTY.REFERENCE NAME=\"Anything\"></PROPERTY.REFERENCE>\
<PROPERTY.REFARRAY NAME=\"Links\" REFERENCECLASS=\"XYZ_Link\"></PROPERTY.REFARRAY>\
<PROPERTY.ARRAY NAME=\"Bytes\" TYPE=\"uint8\"></PROPERTY.ARRAY>\
<PROPERTY NAME=\"Odd\" TYPE=\"unknown\"></PROPERTY>\
</CLASS>"
        );
    }

    #[test]
    fn cache_empties_at_the_limit() {
        let mut cache = ClassCache::new();
        for id in 0..100 {
            cache.add(id);
        }
        assert_eq!(cache.len(), 100);
        cache.add(5);
        assert_eq!(cache.len(), 1, "adding to a full cache empties it first");
        assert!(cache.contains(5));
        cache.save();
        cache.add(6);
        cache.restore();
        assert!(!cache.contains(6));
        assert!(cache.contains(5));
    }
}
