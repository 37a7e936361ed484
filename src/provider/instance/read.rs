//! Reading an instance into CIM output values ([`crate::psrp::cim`]): every
//! element in declaration order, strings to UTF-16, embedded instances and
//! references read whole (to [`super::MAX_DEPTH`]), the class chain with its
//! local property declarations.

use std::collections::HashMap;
use std::ptr;
use std::sync::Arc;

use super::value::{self, Units};
use super::{Kind, MAX_DEPTH, record};
use crate::host::{CharType, MiError};
use crate::mi::*;
use crate::psrp::cim::{
    CimClass, CimDatetime, CimInstance, CimProperty, CimPropertyDecl, CimString, CimValue,
};

/// Reads instances, keeping the class of each declaration it met.
pub(crate) struct Reader<'a> {
    /// The namespace of an instance whose `nameSpace` is NULL (rule R8).
    pub(crate) default_namespace: &'a CimString,
    /// The classes of dynamic instances met in this read (their declarations
    /// live in the instances, so their addresses mean nothing after it).
    classes: HashMap<usize, Arc<CimClass>>,
    /// The classes of schema declarations, kept across reads by the caller
    /// (a context keeps one per operation: the module outlives it).
    schema_classes: Option<&'a mut ClassCache>,
}

/// Classes of schema declarations by address, kept across reads.
pub type ClassCache = HashMap<usize, Arc<CimClass>>;

const NOT_OURS: MiError = MiError::InvalidParameter(
    "not an instance of this library (NULL, foreign, destructed, or a copy of one)",
);

/// A stable id for a declaration (the `__ClassMetadata` Hash): its address, folded to 32 bits.
fn class_id(decl: *const MI_ClassDecl) -> i32 {
    let a = decl as usize as u64;
    ((a >> 32) ^ a) as u32 as i32
}

/// # Safety
/// `p` is NULL or NUL-terminated in `ct`.
unsafe fn text(p: *const MI_Char, ct: CharType) -> Result<CimString, MiError> {
    if p.is_null() {
        return Ok(CimString::default());
    }
    // SAFETY: forwarded.
    Ok(CimString(unsafe { value::units(p, ct) }.to_utf16()?))
}

impl<'a> Reader<'a> {
    /// A reader whose instances without a namespace take `default_namespace`.
    pub(crate) fn new(default_namespace: &'a CimString) -> Self {
        Reader {
            default_namespace,
            classes: HashMap::new(),
            schema_classes: None,
        }
    }

    /// A reader that keeps the classes of schema declarations in `cache`
    /// (declarations of the module the caller's operation runs).
    pub(crate) fn with_cache(default_namespace: &'a CimString, cache: &'a mut ClassCache) -> Self {
        Reader {
            default_namespace,
            classes: HashMap::new(),
            schema_classes: Some(cache),
        }
    }

    /// The class of a checked declaration, with its superclasses.
    ///
    /// # Safety
    /// `decl` is a checked class declaration (or a dynamic one of ours).
    unsafe fn class(
        &mut self,
        decl: *const MI_ClassDecl,
        ct: CharType,
        schema: bool,
    ) -> Result<Arc<CimClass>, MiError> {
        if let Some(c) = self.classes.get(&(decl as usize)) {
            return Ok(Arc::clone(c));
        }
        if schema {
            if let Some(c) = self
                .schema_classes
                .as_ref()
                .and_then(|m| m.get(&(decl as usize)))
            {
                return Ok(Arc::clone(c));
            }
        }
        // SAFETY: checked, by the caller's contract.
        let d = unsafe { &*decl };
        let superclass = if d.superClassDecl.is_null() {
            None
        } else {
            // SAFETY: a checked declaration's chain is checked.
            Some(unsafe { self.class(d.superClassDecl, ct, schema)? })
        };
        // SAFETY: a checked name.
        let name = unsafe { text(d.name, ct)? };
        let mut local = Vec::new();
        for i in 0..d.numProperties as usize {
            // SAFETY: checked declarations.
            let p = unsafe { &**d.properties.add(i) };
            // OMI's rule: a property is the class's own when its propagator
            // is the class (or, without one, when the superclass lacks it).
            let own = if p.propagator.is_null() {
                superclass.as_ref().is_none_or(|s| {
                    // SAFETY: a checked name.
                    let n = unsafe { value::units(p.name, ct) };
                    !s.chain().any(|c| {
                        c.local_properties
                            .iter()
                            .any(|q| utf16_eq_units(&q.name, n))
                    })
                })
            } else {
                // SAFETY: NUL-terminated.
                unsafe { value::units(p.propagator, ct) }
                    .eq_name(unsafe { value::units(d.name, ct) })
            };
            if own {
                local.push(CimPropertyDecl {
                    // SAFETY: checked, NUL-terminated.
                    name: unsafe { text(p.name, ct)? },
                    mi_type: p.r#type,
                    key: p.flags & MI_FLAG_KEY as u32 != 0,
                    // SAFETY: NULL or NUL-terminated.
                    class_name: if p.className.is_null() {
                        None
                    } else {
                        Some(unsafe { text(p.className, ct)? })
                    },
                });
            }
        }
        let c = Arc::new(CimClass {
            name,
            superclass,
            local_properties: local,
            id: class_id(decl),
        });
        match self.schema_classes.as_mut() {
            Some(m) if schema => m.insert(decl as usize, Arc::clone(&c)),
            _ => self.classes.insert(decl as usize, Arc::clone(&c)),
        };
        Ok(c)
    }

    /// Reads a class or dynamic instance of ours.
    ///
    /// # Safety
    /// `inst` is NULL or readable; the values of its existing elements are
    /// valid for their types (MI's contract for what a provider writes).
    pub(crate) unsafe fn instance(
        &mut self,
        inst: *const MI_Instance,
        depth: usize,
    ) -> Result<CimInstance, MiError> {
        if depth > MAX_DEPTH {
            return Err(MiError::InvalidParameter(
                "embedded instances nest too deep (or form a cycle)",
            ));
        }
        // SAFETY: forwarded.
        let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
        if matches!(rec.kind, Kind::Parameters(_)) {
            return Err(MiError::InvalidParameter(
                "a method's parameters are not an instance of a class",
            ));
        }
        let ct = rec.char_type;
        // SAFETY: ours: a checked declaration.
        let schema = matches!(rec.kind, Kind::Class);
        // SAFETY: as above.
        let class = unsafe { self.class((*inst).classDecl, ct, schema)? };
        // SAFETY: ours: NULL or our text.
        let ns = unsafe { (*inst).nameSpace };
        let namespace = if ns.is_null() {
            self.default_namespace.clone()
        } else {
            // SAFETY: our own NUL-terminated text.
            unsafe { text(ns, ct)? }
        };
        let mut properties = Vec::with_capacity(rec.count(inst) as usize);
        for i in 0..rec.count(inst) {
            let e = rec.element(inst, i).expect("in range");
            properties.push(CimProperty {
                // SAFETY: a checked name.
                name: unsafe { text(e.name, ct)? },
                // SAFETY: forwarded.
                value: unsafe { self.element(&e, ct, depth)? },
                key: e.decl_flags & MI_FLAG_KEY as u32 != 0,
            });
        }
        Ok(CimInstance {
            class,
            namespace,
            properties,
        })
    }

    /// The notes of a CimMethodResult from a parameters instance: the OUT
    /// parameters in declaration order (unset ones `None`), then
    /// `ReturnValue` from `MIReturn` (rule R2). A dynamic instance (a dynamic
    /// provider's output) gives every element not flagged IN alone.
    ///
    /// # Safety
    /// As for [`Reader::instance`].
    pub(crate) unsafe fn method_result(
        &mut self,
        inst: *const MI_Instance,
    ) -> Result<Vec<CimProperty>, MiError> {
        // SAFETY: forwarded.
        let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
        let dynamic = matches!(rec.kind, Kind::Dynamic(_));
        if matches!(rec.kind, Kind::Class) {
            return Err(MiError::InvalidParameter("not a method's parameters"));
        }
        let ct = rec.char_type;
        let mut out = Vec::new();
        let mut ret = None;
        for i in 0..rec.count(inst) {
            let e = rec.element(inst, i).expect("in range");
            // SAFETY: a checked name.
            let name = unsafe { value::units(e.name, ct) };
            if name.eq_str("MIReturn") {
                ret = Some(CimProperty {
                    name: CimString::from("ReturnValue"),
                    // SAFETY: forwarded.
                    value: unsafe { self.element(&e, ct, 0)? },
                    key: false,
                });
            } else if !e.field.is_null()
                && (e.decl_flags & MI_FLAG_OUT as u32 != 0
                    // A dynamic instance declares nothing: every element
                    // not marked IN alone is an output.
                    || (dynamic && e.decl_flags & MI_FLAG_IN as u32 == 0))
            {
                out.push(CimProperty {
                    name: CimString(name.to_utf16()?),
                    // SAFETY: forwarded.
                    value: unsafe { self.element(&e, ct, 0)? },
                    key: false,
                });
            }
        }
        out.extend(ret);
        Ok(out)
    }

    /// The value of one element, `None` when it does not exist.
    ///
    /// # Safety
    /// As for [`Reader::instance`].
    unsafe fn element(
        &mut self,
        e: &super::Element,
        ct: CharType,
        depth: usize,
    ) -> Result<Option<CimValue>, MiError> {
        if !e.exists() {
            return Ok(None);
        }
        // SAFETY: the field holds a value of type `e.ty`.
        unsafe { self.value(e.field.cast_const(), e.ty, ct, depth) }
    }

    /// Reads a value of type `ty` at `v` (an `MI_Value` or a field).
    ///
    /// # Safety
    /// `v` holds a valid value of type `ty` in character type `ct`.
    pub(crate) unsafe fn value(
        &mut self,
        v: *const u8,
        ty: MI_Type,
        ct: CharType,
        depth: usize,
    ) -> Result<Option<CimValue>, MiError> {
        // SAFETY (every read below): `v` holds a value of type `ty`; arrays'
        // `size` elements are readable at `data`, by the caller's contract.
        unsafe {
            macro_rules! scalar {
                ($t:ty) => {
                    ptr::read_unaligned(v.cast::<$t>())
                };
            }
            macro_rules! array {
                ($t:ty) => {{
                    let a = ptr::read_unaligned(v.cast::<MI_Array>());
                    if a.data.is_null() || a.size == 0 {
                        Vec::new()
                    } else {
                        std::slice::from_raw_parts(a.data.cast::<$t>(), a.size as usize).to_vec()
                    }
                }};
            }
            Ok(Some(match ty {
                MI_BOOLEAN => CimValue::Boolean(scalar!(u8) != 0),
                MI_UINT8 => CimValue::Uint8(scalar!(u8)),
                MI_SINT8 => CimValue::Sint8(scalar!(i8)),
                MI_UINT16 => CimValue::Uint16(scalar!(u16)),
                MI_SINT16 => CimValue::Sint16(scalar!(i16)),
                MI_UINT32 => CimValue::Uint32(scalar!(u32)),
                MI_SINT32 => CimValue::Sint32(scalar!(i32)),
                MI_UINT64 => CimValue::Uint64(scalar!(u64)),
                MI_SINT64 => CimValue::Sint64(scalar!(i64)),
                MI_REAL32 => CimValue::Real32(scalar!(f32)),
                MI_REAL64 => CimValue::Real64(scalar!(f64)),
                MI_CHAR16 => CimValue::Char16(scalar!(u16)),
                MI_DATETIME => CimValue::Datetime(datetime(&scalar!(MI_Datetime))),
                MI_STRING => {
                    let p = scalar!(*const MI_Char);
                    if p.is_null() {
                        return Ok(None);
                    }
                    CimValue::String(text(p, ct)?)
                }
                MI_INSTANCE | MI_REFERENCE => {
                    let p = scalar!(*const MI_Instance);
                    if p.is_null() {
                        return Ok(None);
                    }
                    let i = Box::new(self.instance(p, depth + 1)?);
                    if ty == MI_INSTANCE {
                        CimValue::Instance(i)
                    } else {
                        CimValue::Reference(i)
                    }
                }
                MI_BOOLEANA => CimValue::BooleanA(array!(u8).into_iter().map(|b| b != 0).collect()),
                MI_UINT8A => CimValue::Uint8A(array!(u8)),
                MI_SINT8A => CimValue::Sint8A(array!(i8)),
                MI_UINT16A => CimValue::Uint16A(array!(u16)),
                MI_SINT16A => CimValue::Sint16A(array!(i16)),
                MI_UINT32A => CimValue::Uint32A(array!(u32)),
                MI_SINT32A => CimValue::Sint32A(array!(i32)),
                MI_UINT64A => CimValue::Uint64A(array!(u64)),
                MI_SINT64A => CimValue::Sint64A(array!(i64)),
                MI_REAL32A => CimValue::Real32A(array!(f32)),
                MI_REAL64A => CimValue::Real64A(array!(f64)),
                MI_CHAR16A => CimValue::Char16A(array!(u16)),
                MI_DATETIMEA => {
                    CimValue::DatetimeA(array!(MI_Datetime).iter().map(datetime).collect())
                }
                MI_STRINGA => {
                    let mut items = Vec::new();
                    for p in array!(*const MI_Char) {
                        items.push(if p.is_null() {
                            None
                        } else {
                            Some(text(p, ct)?)
                        });
                    }
                    CimValue::StringA(items)
                }
                MI_INSTANCEA | MI_REFERENCEA => {
                    let mut items = Vec::new();
                    for p in array!(*const MI_Instance) {
                        items.push(if p.is_null() {
                            None
                        } else {
                            Some(self.instance(p, depth + 1)?)
                        });
                    }
                    if ty == MI_INSTANCEA {
                        CimValue::InstanceA(items)
                    } else {
                        CimValue::ReferenceA(items)
                    }
                }
                _ => return Err(MiError::InvalidParameter("the type is not an MI_Type")),
            }))
        }
    }
}

/// Whether a CIM name equals a provider name, ignoring ASCII case.
fn utf16_eq_units(a: &CimString, b: Units<'_>) -> bool {
    b.to_utf16().is_ok_and(|u| {
        u.len() == a.0.len()
            && u.iter().zip(&a.0).all(|(&x, &y)| {
                x == y || (x < 0x80 && y < 0x80 && (x as u8).eq_ignore_ascii_case(&(y as u8)))
            })
    })
}

/// An `MI_Datetime` as a CIM value.
pub(crate) fn datetime(d: &MI_Datetime) -> CimDatetime {
    // SAFETY: `isTimestamp` says which member of the union is meaningful;
    // both are plain integers, so either read is defined.
    unsafe {
        if d.isTimestamp != 0 {
            let t = d.u.timestamp;
            CimDatetime::Timestamp {
                year: t.year,
                month: t.month,
                day: t.day,
                hour: t.hour,
                minute: t.minute,
                second: t.second,
                microseconds: t.microseconds,
                utc: t.utc,
            }
        } else {
            let i = d.u.interval;
            CimDatetime::Interval {
                days: i.days,
                hours: i.hours,
                minutes: i.minutes,
                seconds: i.seconds,
                microseconds: i.microseconds,
            }
        }
    }
}

/// A CIM datetime as an `MI_Datetime`.
pub(crate) fn mi_datetime(d: &CimDatetime) -> MI_Datetime {
    match *d {
        CimDatetime::Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            microseconds,
            utc,
        } => MI_Datetime {
            isTimestamp: 1,
            u: MI_DatetimeUnion {
                timestamp: MI_Timestamp {
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    microseconds,
                    utc,
                },
            },
        },
        CimDatetime::Interval {
            days,
            hours,
            minutes,
            seconds,
            microseconds,
        } => MI_Datetime {
            isTimestamp: 0,
            u: MI_DatetimeUnion {
                interval: MI_Interval {
                    days,
                    hours,
                    minutes,
                    seconds,
                    microseconds,
                    __padding1: 0,
                    __padding2: 0,
                    __padding3: 0,
                },
            },
        },
    }
}
