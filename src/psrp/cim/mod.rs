//! CIM objects as they go on the wire (`psrp-cim-output.md`): what a provider
//! posts — an instance, a method's out-parameters, a streamed parameter item —
//! in owned, pointer-free Rust values, and their CLIXML.
//!
//! The provider layer (`crate::provider`) reads an `MI_Instance` into these
//! values; the host sends them as PIPELINE_OUTPUT messages. Nothing here knows
//! MI's memory layout.
//!
//! | concept | file |
//! |---|---|
//! | the values (this model) | this file |
//! | the CLIXML writer, a CimInstance | [`clixml`] |
//! | CimMethodResult, CimMethodStreamedResult | `methods.rs` |
//! | `__ClassMetadata`: the class cache and the class XML | `metadata.rs` |
//! | ToString of an instance | `tostring.rs` (the `?` table: `categories.rs`) |
//! | value text: integers, reals, base64 | [`format`](mod@format) |
//! | datetimes: sentinels, UTC instants, intervals, their text | [`datetime`] |

mod categories;
pub mod clixml;
pub mod datetime;
pub mod format;
pub mod input;
mod metadata;
mod methods;
mod tostring;

use std::sync::Arc;

pub use clixml::{CimWriteError, ClassCache, OutputOptions, write_output_clixml};

/// Text as CIM and .NET hold it: UTF-16 code units, lone surrogates allowed
/// (a wide provider's `wchar_t` text, or UTF-8 decoded with U+FFFD for each
/// invalid sequence, is converted to this once, when the value is read).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct CimString(pub Vec<u16>);

impl CimString {
    /// The text as a Rust string, each lone surrogate as U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf16_lossy(&self.0)
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether it equals `ascii`, ignoring ASCII case (as MI compares names).
    pub fn eq_ignore_ascii_case(&self, ascii: &str) -> bool {
        self.0.len() == ascii.len()
            && self
                .0
                .iter()
                .zip(ascii.bytes())
                .all(|(&u, b)| u < 0x80 && (u as u8).eq_ignore_ascii_case(&b))
    }
}

impl From<&str> for CimString {
    fn from(s: &str) -> Self {
        CimString(s.encode_utf16().collect())
    }
}

impl From<String> for CimString {
    fn from(s: String) -> Self {
        CimString::from(s.as_str())
    }
}

impl std::fmt::Display for CimString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

/// `MI_Datetime`: a timestamp (DSP0004 `yyyymmddhhmmss.mmmmmmsutc`) or an
/// interval (`ddddddddhhmmss.mmmmmm:000`), field for field as MI holds them.
/// Not validated here: the writer refuses a timestamp that names no instant
/// ([`CimWriteError::InvalidDatetime`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CimDatetime {
    /// A point in time; `utc` is the offset from UTC in minutes.
    Timestamp {
        /// Year (0–9999).
        year: u32,
        /// Month, 1–12.
        month: u32,
        /// Day of the month.
        day: u32,
        /// Hour, 0–23.
        hour: u32,
        /// Minute, 0–59.
        minute: u32,
        /// Second, 0–59.
        second: u32,
        /// Microseconds, 0–999999.
        microseconds: u32,
        /// Offset from UTC in minutes.
        utc: i32,
    },
    /// A duration.
    Interval {
        /// Days.
        days: u32,
        /// Hours.
        hours: u32,
        /// Minutes.
        minutes: u32,
        /// Seconds.
        seconds: u32,
        /// Microseconds.
        microseconds: u32,
    },
}

/// A CIM value of one of the 32 `MI_Type`s. Arrays of strings, references
/// and instances may hold NULL elements (`None`, written `<Nil />`).
#[derive(Clone, Debug, PartialEq)]
pub enum CimValue {
    /// `MI_BOOLEAN`.
    Boolean(bool),
    /// `MI_UINT8`.
    Uint8(u8),
    /// `MI_SINT8`.
    Sint8(i8),
    /// `MI_UINT16`.
    Uint16(u16),
    /// `MI_SINT16`.
    Sint16(i16),
    /// `MI_UINT32`.
    Uint32(u32),
    /// `MI_SINT32`.
    Sint32(i32),
    /// `MI_UINT64`.
    Uint64(u64),
    /// `MI_SINT64`.
    Sint64(i64),
    /// `MI_REAL32`.
    Real32(f32),
    /// `MI_REAL64`.
    Real64(f64),
    /// `MI_CHAR16`: one UTF-16 code unit.
    Char16(u16),
    /// `MI_DATETIME`.
    Datetime(CimDatetime),
    /// `MI_STRING`.
    String(CimString),
    /// `MI_REFERENCE`: the referenced instance (its keys).
    Reference(Box<CimInstance>),
    /// `MI_INSTANCE`: an embedded instance.
    Instance(Box<CimInstance>),
    /// `MI_BOOLEANA`.
    BooleanA(Vec<bool>),
    /// `MI_UINT8A`.
    Uint8A(Vec<u8>),
    /// `MI_SINT8A`.
    Sint8A(Vec<i8>),
    /// `MI_UINT16A`.
    Uint16A(Vec<u16>),
    /// `MI_SINT16A`.
    Sint16A(Vec<i16>),
    /// `MI_UINT32A`.
    Uint32A(Vec<u32>),
    /// `MI_SINT32A`.
    Sint32A(Vec<i32>),
    /// `MI_UINT64A`.
    Uint64A(Vec<u64>),
    /// `MI_SINT64A`.
    Sint64A(Vec<i64>),
    /// `MI_REAL32A`.
    Real32A(Vec<f32>),
    /// `MI_REAL64A`.
    Real64A(Vec<f64>),
    /// `MI_CHAR16A`.
    Char16A(Vec<u16>),
    /// `MI_DATETIMEA` (may mix timestamps and intervals).
    DatetimeA(Vec<CimDatetime>),
    /// `MI_STRINGA`.
    StringA(Vec<Option<CimString>>),
    /// `MI_REFERENCEA`.
    ReferenceA(Vec<Option<CimInstance>>),
    /// `MI_INSTANCEA`.
    InstanceA(Vec<Option<CimInstance>>),
}

impl CimValue {
    /// The value of an integer of any size (`None` for any other type).
    pub fn as_integer(&self) -> Option<i128> {
        Some(match *self {
            CimValue::Uint8(x) => x.into(),
            CimValue::Sint8(x) => x.into(),
            CimValue::Uint16(x) => x.into(),
            CimValue::Sint16(x) => x.into(),
            CimValue::Uint32(x) => x.into(),
            CimValue::Sint32(x) => x.into(),
            CimValue::Uint64(x) => x.into(),
            CimValue::Sint64(x) => x.into(),
            _ => return None,
        })
    }

    /// The value's `MI_Type` (0–31).
    pub fn mi_type(&self) -> u32 {
        match self {
            CimValue::Boolean(_) => 0,
            CimValue::Uint8(_) => 1,
            CimValue::Sint8(_) => 2,
            CimValue::Uint16(_) => 3,
            CimValue::Sint16(_) => 4,
            CimValue::Uint32(_) => 5,
            CimValue::Sint32(_) => 6,
            CimValue::Uint64(_) => 7,
            CimValue::Sint64(_) => 8,
            CimValue::Real32(_) => 9,
            CimValue::Real64(_) => 10,
            CimValue::Char16(_) => 11,
            CimValue::Datetime(_) => 12,
            CimValue::String(_) => 13,
            CimValue::Reference(_) => 14,
            CimValue::Instance(_) => 15,
            CimValue::BooleanA(_) => 16,
            CimValue::Uint8A(_) => 17,
            CimValue::Sint8A(_) => 18,
            CimValue::Uint16A(_) => 19,
            CimValue::Sint16A(_) => 20,
            CimValue::Uint32A(_) => 21,
            CimValue::Sint32A(_) => 22,
            CimValue::Uint64A(_) => 23,
            CimValue::Sint64A(_) => 24,
            CimValue::Real32A(_) => 25,
            CimValue::Real64A(_) => 26,
            CimValue::Char16A(_) => 27,
            CimValue::DatetimeA(_) => 28,
            CimValue::StringA(_) => 29,
            CimValue::ReferenceA(_) => 30,
            CimValue::InstanceA(_) => 31,
        }
    }
}

/// One property (or parameter) declaration of a class, as `__ClassMetadata`
/// describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CimPropertyDecl {
    /// The name.
    pub name: CimString,
    /// Its `MI_Type` (0–31).
    pub mi_type: u32,
    /// Declared with `MI_FLAG_KEY`.
    pub key: bool,
    /// The class of an embedded instance or reference (`MI_PropertyDecl.className`).
    pub class_name: Option<CimString>,
}

/// A class: its name, its superclass, the properties it declares itself
/// (`MI_PropertyDecl.propagator` is the class: OMI's rule), and an id fixed
/// per class declaration (the `__ClassMetadata` Hash and cache key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CimClass {
    /// The class name.
    pub name: CimString,
    /// The superclass, if any.
    pub superclass: Option<Arc<CimClass>>,
    /// The properties this class declares itself, in declaration order.
    pub local_properties: Vec<CimPropertyDecl>,
    /// Fixed per class declaration within a process (e.g. from its address).
    pub id: i32,
}

impl CimClass {
    /// The class and its superclasses, leaf first.
    pub fn chain(&self) -> impl Iterator<Item = &CimClass> {
        std::iter::successors(Some(self), |c| c.superclass.as_deref())
    }
}

/// One property of an instance (or parameter of a method result).
#[derive(Clone, Debug, PartialEq)]
pub struct CimProperty {
    /// The name.
    pub name: CimString,
    /// The value; `None` when the property does not exist or is NULL (`<Nil>`).
    pub value: Option<CimValue>,
    /// Declared with `MI_FLAG_KEY` (ToString lists keys).
    pub key: bool,
}

/// An instance: its class (with the chain of superclasses), its namespace
/// (already resolved: an instance whose `nameSpace` was NULL takes the
/// operation's — rule R8; empty means none), and every property in
/// `MI_ClassDecl.properties[]` order (a dynamic instance: the order its
/// elements were added).
#[derive(Clone, Debug, PartialEq)]
pub struct CimInstance {
    /// The class.
    pub class: Arc<CimClass>,
    /// The namespace (`/`-separated), empty for none.
    pub namespace: CimString,
    /// The properties, in order.
    pub properties: Vec<CimProperty>,
}

/// What one PIPELINE_OUTPUT message carries.
#[derive(Clone, Copy, Debug)]
pub enum CimOutput<'a> {
    /// A posted instance (Get/Enumerate/Create/Modify): a CimInstance object.
    Instance(&'a CimInstance),
    /// The out-parameter instance of an Invoke: a CimMethodResult. `parameters`
    /// are the OUT parameters in `MI_MethodDecl.parameters[]` order (unset
    /// ones with value `None`), then `ReturnValue` (MIReturn, renamed).
    MethodResult {
        /// The class named by the invoke request.
        class_name: &'a CimString,
        /// The method name.
        method_name: &'a CimString,
        /// The notes, in order, ReturnValue last.
        parameters: &'a [CimProperty],
    },
    /// A `WriteStreamParameter` item: a CimMethodStreamedResult.
    StreamedResult {
        /// The class named by the invoke request.
        class_name: &'a CimString,
        /// The method name.
        method_name: &'a CimString,
        /// The parameter name.
        parameter_name: &'a CimString,
        /// The item's `MI_Type` (ItemType is this + 1).
        item_type: u32,
        /// The item; `None` for NULL.
        value: Option<&'a CimValue>,
    },
}
