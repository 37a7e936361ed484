//! Values: `MI_Datetime`, the array types (`MI_<Type>A` and their read-only
//! `MI_Const<Type>A` twins) and the `MI_Value` union, laid out as in
//! Microsoft's `mi.h`. Declarations only: mi-psrp reads none of them.

#![allow(non_camel_case_types, non_snake_case)]

use super::instance::MI_Instance;
use super::types::{
    MI_Boolean, MI_Char, MI_Char16, MI_Real32, MI_Real64, MI_Sint8, MI_Sint16, MI_Sint32,
    MI_Sint64, MI_Uint8, MI_Uint16, MI_Uint32, MI_Uint64,
};

/// `MI_Timestamp`: a point in time, `YYYYMMDDHHMMSS.MMMMMMSUTC`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Timestamp {
    /// Year.
    pub year: MI_Uint32,
    /// Month, 1–12.
    pub month: MI_Uint32,
    /// Day of the month.
    pub day: MI_Uint32,
    /// Hour.
    pub hour: MI_Uint32,
    /// Minute.
    pub minute: MI_Uint32,
    /// Second.
    pub second: MI_Uint32,
    /// Microseconds.
    pub microseconds: MI_Uint32,
    /// Offset from UTC, in minutes.
    pub utc: MI_Sint32,
}

/// `MI_Interval`: a duration, `DDDDDDDDHHMMSS.MMMMMM:000`; padded to the size
/// of `MI_Timestamp`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Interval {
    /// Days.
    pub days: MI_Uint32,
    /// Hours.
    pub hours: MI_Uint32,
    /// Minutes.
    pub minutes: MI_Uint32,
    /// Seconds.
    pub seconds: MI_Uint32,
    /// Microseconds.
    pub microseconds: MI_Uint32,
    /// Padding.
    pub __padding1: MI_Uint32,
    /// Padding.
    pub __padding2: MI_Uint32,
    /// Padding.
    pub __padding3: MI_Uint32,
}

/// The union inside `MI_Datetime` (anonymous in Microsoft's header, tagged
/// `_MI_DatetimeUnion` in ours; only its member name `u` is ever written).
#[repr(C)]
#[derive(Clone, Copy)]
pub union MI_DatetimeUnion {
    /// When `isTimestamp` is true.
    pub timestamp: MI_Timestamp,
    /// When `isTimestamp` is false.
    pub interval: MI_Interval,
}

/// `MI_Datetime`: a timestamp or an interval.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Datetime {
    /// Non-zero: `u.timestamp`; zero: `u.interval`.
    pub isTimestamp: MI_Uint32,
    /// The value.
    pub u: MI_DatetimeUnion,
}

/// `MI_Array`: an array of any type, as `MI_Value::array` sees it.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Array {
    /// The elements.
    pub data: *mut libc::c_void,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_BooleanA`: an array of `MI_Boolean` (`MI_BOOLEANA`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_BooleanA {
    /// The elements.
    pub data: *mut MI_Boolean,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Uint8A`: an array of `MI_Uint8` (`MI_UINT8A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint8A {
    /// The elements.
    pub data: *mut MI_Uint8,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Sint8A`: an array of `MI_Sint8` (`MI_SINT8A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint8A {
    /// The elements.
    pub data: *mut MI_Sint8,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Uint16A`: an array of `MI_Uint16` (`MI_UINT16A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint16A {
    /// The elements.
    pub data: *mut MI_Uint16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Sint16A`: an array of `MI_Sint16` (`MI_SINT16A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint16A {
    /// The elements.
    pub data: *mut MI_Sint16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Uint32A`: an array of `MI_Uint32` (`MI_UINT32A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint32A {
    /// The elements.
    pub data: *mut MI_Uint32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Sint32A`: an array of `MI_Sint32` (`MI_SINT32A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint32A {
    /// The elements.
    pub data: *mut MI_Sint32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Uint64A`: an array of `MI_Uint64` (`MI_UINT64A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint64A {
    /// The elements.
    pub data: *mut MI_Uint64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Sint64A`: an array of `MI_Sint64` (`MI_SINT64A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint64A {
    /// The elements.
    pub data: *mut MI_Sint64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Real32A`: an array of `MI_Real32` (`MI_REAL32A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real32A {
    /// The elements.
    pub data: *mut MI_Real32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Real64A`: an array of `MI_Real64` (`MI_REAL64A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real64A {
    /// The elements.
    pub data: *mut MI_Real64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Char16A`: an array of `MI_Char16` (`MI_CHAR16A`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Char16A {
    /// The elements.
    pub data: *mut MI_Char16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_DatetimeA`: an array of `MI_Datetime` (`MI_DATETIMEA`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_DatetimeA {
    /// The elements.
    pub data: *mut MI_Datetime,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_StringA`: an array of `MI_Char` pointers (`MI_STRINGA`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_StringA {
    /// The elements.
    pub data: *mut *mut MI_Char,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ReferenceA`: an array of `MI_Instance` pointers (`MI_REFERENCEA`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ReferenceA {
    /// The elements.
    pub data: *mut *mut MI_Instance,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_InstanceA`: an array of `MI_Instance` pointers (`MI_INSTANCEA`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_InstanceA {
    /// The elements.
    pub data: *mut *mut MI_Instance,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstBooleanA`: a read-only `MI_BooleanA`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstBooleanA {
    /// The elements.
    pub data: *const MI_Boolean,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstUint8A`: a read-only `MI_Uint8A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint8A {
    /// The elements.
    pub data: *const MI_Uint8,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstSint8A`: a read-only `MI_Sint8A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint8A {
    /// The elements.
    pub data: *const MI_Sint8,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstUint16A`: a read-only `MI_Uint16A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint16A {
    /// The elements.
    pub data: *const MI_Uint16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstSint16A`: a read-only `MI_Sint16A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint16A {
    /// The elements.
    pub data: *const MI_Sint16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstUint32A`: a read-only `MI_Uint32A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint32A {
    /// The elements.
    pub data: *const MI_Uint32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstSint32A`: a read-only `MI_Sint32A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint32A {
    /// The elements.
    pub data: *const MI_Sint32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstUint64A`: a read-only `MI_Uint64A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint64A {
    /// The elements.
    pub data: *const MI_Uint64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstSint64A`: a read-only `MI_Sint64A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint64A {
    /// The elements.
    pub data: *const MI_Sint64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstReal32A`: a read-only `MI_Real32A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal32A {
    /// The elements.
    pub data: *const MI_Real32,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstReal64A`: a read-only `MI_Real64A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal64A {
    /// The elements.
    pub data: *const MI_Real64,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstChar16A`: a read-only `MI_Char16A`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstChar16A {
    /// The elements.
    pub data: *const MI_Char16,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstDatetimeA`: a read-only `MI_DatetimeA`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstDatetimeA {
    /// The elements.
    pub data: *const MI_Datetime,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstStringA`: a read-only `MI_StringA`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstStringA {
    /// The elements.
    pub data: *const *const MI_Char,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstReferenceA`: a read-only `MI_ReferenceA`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReferenceA {
    /// The elements.
    pub data: *const *const MI_Instance,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_ConstInstanceA`: a read-only `MI_InstanceA`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstInstanceA {
    /// The elements.
    pub data: *const *const MI_Instance,
    /// How many.
    pub size: MI_Uint32,
}

/// `MI_Value`: one value of any `MI_Type`; the member read is the one the
/// accompanying `MI_Type` names.
#[repr(C)]
#[derive(Clone, Copy)]
pub union MI_Value {
    /// `MI_BOOLEAN`.
    pub boolean: MI_Boolean,
    /// `MI_UINT8`.
    pub uint8: MI_Uint8,
    /// `MI_SINT8`.
    pub sint8: MI_Sint8,
    /// `MI_UINT16`.
    pub uint16: MI_Uint16,
    /// `MI_SINT16`.
    pub sint16: MI_Sint16,
    /// `MI_UINT32`.
    pub uint32: MI_Uint32,
    /// `MI_SINT32`.
    pub sint32: MI_Sint32,
    /// `MI_UINT64`.
    pub uint64: MI_Uint64,
    /// `MI_SINT64`.
    pub sint64: MI_Sint64,
    /// `MI_REAL32`.
    pub real32: MI_Real32,
    /// `MI_REAL64`.
    pub real64: MI_Real64,
    /// `MI_CHAR16`.
    pub char16: MI_Char16,
    /// `MI_DATETIME`.
    pub datetime: MI_Datetime,
    /// `MI_STRING`.
    pub string: *mut MI_Char,
    /// `MI_INSTANCE`.
    pub instance: *mut MI_Instance,
    /// `MI_REFERENCE`.
    pub reference: *mut MI_Instance,
    /// `MI_BOOLEANA`.
    pub booleana: MI_BooleanA,
    /// `MI_UINT8A`.
    pub uint8a: MI_Uint8A,
    /// `MI_SINT8A`.
    pub sint8a: MI_Sint8A,
    /// `MI_UINT16A`.
    pub uint16a: MI_Uint16A,
    /// `MI_SINT16A`.
    pub sint16a: MI_Sint16A,
    /// `MI_UINT32A`.
    pub uint32a: MI_Uint32A,
    /// `MI_SINT32A`.
    pub sint32a: MI_Sint32A,
    /// `MI_UINT64A`.
    pub uint64a: MI_Uint64A,
    /// `MI_SINT64A`.
    pub sint64a: MI_Sint64A,
    /// `MI_REAL32A`.
    pub real32a: MI_Real32A,
    /// `MI_REAL64A`.
    pub real64a: MI_Real64A,
    /// `MI_CHAR16A`.
    pub char16a: MI_Char16A,
    /// `MI_DATETIMEA`.
    pub datetimea: MI_DatetimeA,
    /// `MI_STRINGA`.
    pub stringa: MI_StringA,
    /// `MI_REFERENCEA`.
    pub referencea: MI_ReferenceA,
    /// `MI_INSTANCEA`.
    pub instancea: MI_InstanceA,
    /// Any array, untyped.
    pub array: MI_Array,
}
