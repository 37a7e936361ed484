//! The property and parameter fields of the structures that generated
//! providers declare (`MI_<Type>Field`, `MI_<Type>AField`, `MI_ArrayField`):
//! a value, an `exists` flag and a `flags` byte, as in Microsoft's `mi.h`.

#![allow(non_camel_case_types)]

use super::instance::MI_Instance;
use super::types::{
    MI_Boolean, MI_Char, MI_Char16, MI_Real32, MI_Real64, MI_Sint8, MI_Sint16, MI_Sint32,
    MI_Sint64, MI_Uint8, MI_Uint16, MI_Uint32, MI_Uint64,
};
use super::value::*;

/// `MI_BooleanField`: a `MI_Boolean` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_BooleanField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Boolean,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint8Field`: a `MI_Uint8` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint8Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint8,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint8Field`: a `MI_Sint8` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint8Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint8,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint16Field`: a `MI_Uint16` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint16Field`: a `MI_Sint16` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint32Field`: a `MI_Uint32` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint32Field`: a `MI_Sint32` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint64Field`: a `MI_Uint64` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint64Field`: a `MI_Sint64` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Real32Field`: a `MI_Real32` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Real64Field`: a `MI_Real64` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Char16Field`: a `MI_Char16` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Char16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Char16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_DatetimeField`: a `MI_Datetime` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_DatetimeField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Datetime,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_StringField`: a `MI_String` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_StringField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *mut MI_Char,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ReferenceField`: a `MI_Reference` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ReferenceField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *mut MI_Instance,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_InstanceField`: a `MI_Instance` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_InstanceField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *mut MI_Instance,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_BooleanAField`: an `MI_BooleanA` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_BooleanAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_BooleanA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint8AField`: an `MI_Uint8A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint8AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint8A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint8AField`: an `MI_Sint8A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint8AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint8A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint16AField`: an `MI_Uint16A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint16AField`: an `MI_Sint16A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint32AField`: an `MI_Uint32A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint32AField`: an `MI_Sint32A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Uint64AField`: an `MI_Uint64A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Uint64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Sint64AField`: an `MI_Sint64A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Sint64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Real32AField`: an `MI_Real32A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Real64AField`: an `MI_Real64A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Real64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_Char16AField`: an `MI_Char16A` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_Char16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Char16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_DatetimeAField`: an `MI_DatetimeA` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_DatetimeAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_DatetimeA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_StringAField`: an `MI_StringA` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_StringAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_StringA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ReferenceAField`: an `MI_ReferenceA` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ReferenceAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ReferenceA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_InstanceAField`: an `MI_InstanceA` property or parameter of a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_InstanceAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_InstanceA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ArrayField`: an array of any type in a generated structure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ArrayField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Array,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}
