//! Scalar and opaque types of Microsoft's `mi.h`, as the C ABI sees them.
//!
//! cbindgen reads this file to write `include/mi.h`; the spellings here are the
//! header's spellings. `MI_Char` itself is declared by the header's preamble
//! (it depends on `MI_CHAR_TYPE`), so it is excluded from cbindgen's output.

#![allow(non_camel_case_types)]

use std::os::raw::{
    c_double, c_float, c_int, c_longlong, c_schar, c_short, c_uchar, c_uint, c_ulonglong, c_ushort,
};

/// `MI_Boolean`: `unsigned char`, `MI_TRUE` (1) or `MI_FALSE` (0).
pub type MI_Boolean = c_uchar;
/// `MI_Uint8`.
pub type MI_Uint8 = c_uchar;
/// `MI_Sint8`.
pub type MI_Sint8 = c_schar;
/// `MI_Uint16`.
pub type MI_Uint16 = c_ushort;
/// `MI_Sint16`.
pub type MI_Sint16 = c_short;
/// `MI_Uint32`.
pub type MI_Uint32 = c_uint;
/// `MI_Sint32`.
pub type MI_Sint32 = c_int;
/// `MI_Uint64`.
pub type MI_Uint64 = c_ulonglong;
/// `MI_Sint64`.
pub type MI_Sint64 = c_longlong;
/// `MI_Real32`.
pub type MI_Real32 = c_float;
/// `MI_Real64`.
pub type MI_Real64 = c_double;
/// `MI_Char16`: a UTF-16 code unit.
pub type MI_Char16 = c_ushort;

/// `MI_Char` with `MI_CHAR_TYPE 2`: `wchar_t` (UTF-16 on Windows, UTF-32 elsewhere).
pub type MI_Char = libc::wchar_t;

/// `MI_TRUE`.
pub const MI_TRUE: MI_Boolean = 1;
/// `MI_FALSE`.
pub const MI_FALSE: MI_Boolean = 0;

/// `MI_Type` (a 4-byte enumeration in Microsoft's header; only passed by pointer here).
pub type MI_Type = c_uint;

/// `MI_PromptType` (a 4-byte enumeration in Microsoft's header).
pub type MI_PromptType = c_uint;
/// `MI_PROMPTTYPE_NORMAL`.
pub const MI_PROMPTTYPE_NORMAL: MI_PromptType = 0;
/// `MI_PROMPTTYPE_CRITICAL`.
pub const MI_PROMPTTYPE_CRITICAL: MI_PromptType = 1;

/// `MI_Instance`: opaque here (mi-psrp implements no instance slot).
pub struct MI_Instance {
    _opaque: [u8; 0],
}

/// `MI_ClassDecl`: opaque here.
pub struct MI_ClassDecl {
    _opaque: [u8; 0],
}

/// `MI_MethodDecl`: opaque here.
pub struct MI_MethodDecl {
    _opaque: [u8; 0],
}

/// `MI_Session`: opaque here (only passed by pointer to `GetLocalSession`).
pub struct MI_Session {
    _opaque: [u8; 0],
}

/// `MI_Value`: opaque here (only passed by pointer).
pub struct MI_Value {
    _opaque: [u8; 0],
}
