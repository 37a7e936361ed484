//! The read-only fields generated providers declare (`MI_Const<Type>Field`,
//! `MI_Const<Type>AField`): the same layout as their mutable twins in
//! [`super::field`], with `const` pointers.

#![allow(non_camel_case_types)]

use super::instance::MI_Instance;
use super::types::{
    MI_Boolean, MI_Char, MI_Char16, MI_Real32, MI_Real64, MI_Sint8, MI_Sint16, MI_Sint32,
    MI_Sint64, MI_Uint8, MI_Uint16, MI_Uint32, MI_Uint64,
};
use super::value::*;

/// `MI_ConstBooleanField`: a read-only `MI_BooleanField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstBooleanField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Boolean,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint8Field`: a read-only `MI_Uint8Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint8Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint8,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint8Field`: a read-only `MI_Sint8Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint8Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint8,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint16Field`: a read-only `MI_Uint16Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint16Field`: a read-only `MI_Sint16Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint32Field`: a read-only `MI_Uint32Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint32Field`: a read-only `MI_Sint32Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint64Field`: a read-only `MI_Uint64Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Uint64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint64Field`: a read-only `MI_Sint64Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Sint64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReal32Field`: a read-only `MI_Real32Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal32Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real32,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReal64Field`: a read-only `MI_Real64Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal64Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Real64,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstChar16Field`: a read-only `MI_Char16Field`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstChar16Field {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Char16,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstDatetimeField`: a read-only `MI_DatetimeField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstDatetimeField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_Datetime,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstStringField`: a read-only `MI_StringField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstStringField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *const MI_Char,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReferenceField`: a read-only `MI_ReferenceField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReferenceField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *const MI_Instance,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstInstanceField`: a read-only `MI_InstanceField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstInstanceField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: *const MI_Instance,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstBooleanAField`: a read-only `MI_BooleanAField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstBooleanAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstBooleanA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint8AField`: a read-only `MI_Uint8AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint8AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstUint8A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint8AField`: a read-only `MI_Sint8AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint8AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstSint8A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint16AField`: a read-only `MI_Uint16AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstUint16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint16AField`: a read-only `MI_Sint16AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstSint16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint32AField`: a read-only `MI_Uint32AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstUint32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint32AField`: a read-only `MI_Sint32AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstSint32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstUint64AField`: a read-only `MI_Uint64AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstUint64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstUint64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstSint64AField`: a read-only `MI_Sint64AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstSint64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstSint64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReal32AField`: a read-only `MI_Real32AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal32AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstReal32A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReal64AField`: a read-only `MI_Real64AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReal64AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstReal64A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstChar16AField`: a read-only `MI_Char16AField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstChar16AField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstChar16A,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstDatetimeAField`: a read-only `MI_DatetimeAField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstDatetimeAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstDatetimeA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstStringAField`: a read-only `MI_StringAField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstStringAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstStringA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstReferenceAField`: a read-only `MI_ReferenceAField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstReferenceAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstReferenceA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}

/// `MI_ConstInstanceAField`: a read-only `MI_InstanceAField`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MI_ConstInstanceAField {
    /// The value; meaningful when `exists` is `MI_TRUE`.
    pub value: MI_ConstInstanceA,
    /// `MI_TRUE` when the property or parameter is not null.
    pub exists: MI_Boolean,
    /// Reserved for the server (`MI_FLAG_*` bits of the field).
    pub flags: MI_Uint8,
}
