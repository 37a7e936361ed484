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
// The casts make cbindgen write `(MI_Boolean)1`: an `MI_Boolean`, as Microsoft's.
#[allow(clippy::unnecessary_cast)]
pub const MI_TRUE: MI_Boolean = 1 as MI_Boolean;
/// `MI_FALSE`.
#[allow(clippy::unnecessary_cast)]
pub const MI_FALSE: MI_Boolean = 0 as MI_Boolean;

/// `MI_Type`: the type of a value, property or parameter (a 4-byte
/// enumeration in Microsoft's header; here `unsigned int` and `#define`s).
pub type MI_Type = c_uint;
/// `boolean`.
pub const MI_BOOLEAN: MI_Type = 0;
/// `uint8`.
pub const MI_UINT8: MI_Type = 1;
/// `sint8`.
pub const MI_SINT8: MI_Type = 2;
/// `uint16`.
pub const MI_UINT16: MI_Type = 3;
/// `sint16`.
pub const MI_SINT16: MI_Type = 4;
/// `uint32`.
pub const MI_UINT32: MI_Type = 5;
/// `sint32`.
pub const MI_SINT32: MI_Type = 6;
/// `uint64`.
pub const MI_UINT64: MI_Type = 7;
/// `sint64`.
pub const MI_SINT64: MI_Type = 8;
/// `real32`.
pub const MI_REAL32: MI_Type = 9;
/// `real64`.
pub const MI_REAL64: MI_Type = 10;
/// `char16`.
pub const MI_CHAR16: MI_Type = 11;
/// `datetime`.
pub const MI_DATETIME: MI_Type = 12;
/// `string`.
pub const MI_STRING: MI_Type = 13;
/// `reference`.
pub const MI_REFERENCE: MI_Type = 14;
/// `instance`.
pub const MI_INSTANCE: MI_Type = 15;
/// An array of `boolean`.
pub const MI_BOOLEANA: MI_Type = 16;
/// An array of `uint8`.
pub const MI_UINT8A: MI_Type = 17;
/// An array of `sint8`.
pub const MI_SINT8A: MI_Type = 18;
/// An array of `uint16`.
pub const MI_UINT16A: MI_Type = 19;
/// An array of `sint16`.
pub const MI_SINT16A: MI_Type = 20;
/// An array of `uint32`.
pub const MI_UINT32A: MI_Type = 21;
/// An array of `sint32`.
pub const MI_SINT32A: MI_Type = 22;
/// An array of `uint64`.
pub const MI_UINT64A: MI_Type = 23;
/// An array of `sint64`.
pub const MI_SINT64A: MI_Type = 24;
/// An array of `real32`.
pub const MI_REAL32A: MI_Type = 25;
/// An array of `real64`.
pub const MI_REAL64A: MI_Type = 26;
/// An array of `char16`.
pub const MI_CHAR16A: MI_Type = 27;
/// An array of `datetime`.
pub const MI_DATETIMEA: MI_Type = 28;
/// An array of `string`.
pub const MI_STRINGA: MI_Type = 29;
/// An array of `reference`.
pub const MI_REFERENCEA: MI_Type = 30;
/// An array of `instance`.
pub const MI_INSTANCEA: MI_Type = 31;
/// The bit that makes a type an array type (`MI_BOOLEANA` is `MI_BOOLEAN | MI_ARRAY`).
pub const MI_ARRAY: MI_Type = 16;

/// `MI_PromptType` (a 4-byte enumeration in Microsoft's header).
pub type MI_PromptType = c_uint;
/// `MI_PROMPTTYPE_NORMAL`.
pub const MI_PROMPTTYPE_NORMAL: MI_PromptType = 0;
/// `MI_PROMPTTYPE_CRITICAL`.
pub const MI_PROMPTTYPE_CRITICAL: MI_PromptType = 1;

/// `MI_CallbackMode` (a 4-byte enumeration in Microsoft's header).
pub type MI_CallbackMode = c_uint;
/// Report to the client.
pub const MI_CALLBACKMODE_REPORT: MI_CallbackMode = 0;
/// Ask the client.
pub const MI_CALLBACKMODE_INQUIRE: MI_CallbackMode = 1;
/// Ignore.
pub const MI_CALLBACKMODE_IGNORE: MI_CallbackMode = 2;

/// `MI_ProviderArchitecture` (a 4-byte enumeration in Microsoft's header).
pub type MI_ProviderArchitecture = c_uint;
/// A 32-bit provider.
pub const MI_PROVIDER_ARCHITECTURE_32BIT: MI_ProviderArchitecture = 0;
/// A 64-bit provider.
pub const MI_PROVIDER_ARCHITECTURE_64BIT: MI_ProviderArchitecture = 1;

/// `MI_ErrorCategory` (a 4-byte enumeration in Microsoft's header).
pub type MI_ErrorCategory = c_uint;
/// `MI_ERRORCATEGORY_NOT_SPECIFIED`.
pub const MI_ERRORCATEGORY_NOT_SPECIFIED: MI_ErrorCategory = 0;
/// `MI_ERRORCATEGORY_OPEN_ERROR`.
pub const MI_ERRORCATEGORY_OPEN_ERROR: MI_ErrorCategory = 1;
/// `MI_ERRORCATEGORY_CLOS_EERROR` (Microsoft's spelling).
pub const MI_ERRORCATEGORY_CLOS_EERROR: MI_ErrorCategory = 2;
/// `MI_ERRORCATEGORY_DEVICE_ERROR`.
pub const MI_ERRORCATEGORY_DEVICE_ERROR: MI_ErrorCategory = 3;
/// `MI_ERRORCATEGORY_DEADLOCK_DETECTED`.
pub const MI_ERRORCATEGORY_DEADLOCK_DETECTED: MI_ErrorCategory = 4;
/// `MI_ERRORCATEGORY_INVALID_ARGUMENT`.
pub const MI_ERRORCATEGORY_INVALID_ARGUMENT: MI_ErrorCategory = 5;
/// `MI_ERRORCATEGORY_INVALID_DATA`.
pub const MI_ERRORCATEGORY_INVALID_DATA: MI_ErrorCategory = 6;
/// `MI_ERRORCATEGORY_INVALID_OPERATION`.
pub const MI_ERRORCATEGORY_INVALID_OPERATION: MI_ErrorCategory = 7;
/// `MI_ERRORCATEGORY_INVALID_RESULT`.
pub const MI_ERRORCATEGORY_INVALID_RESULT: MI_ErrorCategory = 8;
/// `MI_ERRORCATEGORY_INVALID_TYPE`.
pub const MI_ERRORCATEGORY_INVALID_TYPE: MI_ErrorCategory = 9;
/// `MI_ERRORCATEGORY_METADATA_ERROR`.
pub const MI_ERRORCATEGORY_METADATA_ERROR: MI_ErrorCategory = 10;
/// `MI_ERRORCATEGORY_NOT_IMPLEMENTED`.
pub const MI_ERRORCATEGORY_NOT_IMPLEMENTED: MI_ErrorCategory = 11;
/// `MI_ERRORCATEGORY_NOT_INSTALLED`.
pub const MI_ERRORCATEGORY_NOT_INSTALLED: MI_ErrorCategory = 12;
/// `MI_ERRORCATEGORY_OBJECT_NOT_FOUND`.
pub const MI_ERRORCATEGORY_OBJECT_NOT_FOUND: MI_ErrorCategory = 13;
/// `MI_ERRORCATEGORY_OPERATION_STOPPED`.
pub const MI_ERRORCATEGORY_OPERATION_STOPPED: MI_ErrorCategory = 14;
/// `MI_ERRORCATEGORY_OPERATION_TIMEOUT`.
pub const MI_ERRORCATEGORY_OPERATION_TIMEOUT: MI_ErrorCategory = 15;
/// `MI_ERRORCATEGORY_SYNTAX_ERROR`.
pub const MI_ERRORCATEGORY_SYNTAX_ERROR: MI_ErrorCategory = 16;
/// `MI_ERRORCATEGORY_PARSER_ERROR`.
pub const MI_ERRORCATEGORY_PARSER_ERROR: MI_ErrorCategory = 17;
/// `MI_ERRORCATEGORY_ACCESS_DENIED`.
pub const MI_ERRORCATEGORY_ACCESS_DENIED: MI_ErrorCategory = 18;
/// `MI_ERRORCATEGORY_RESOURCE_BUSY`.
pub const MI_ERRORCATEGORY_RESOURCE_BUSY: MI_ErrorCategory = 19;
/// `MI_ERRORCATEGORY_RESOURCE_EXISTS`.
pub const MI_ERRORCATEGORY_RESOURCE_EXISTS: MI_ErrorCategory = 20;
/// `MI_ERRORCATEGORY_RESOURCE_UNAVAILABLE`.
pub const MI_ERRORCATEGORY_RESOURCE_UNAVAILABLE: MI_ErrorCategory = 21;
/// `MI_ERRORCATEGORY_READ_ERROR`.
pub const MI_ERRORCATEGORY_READ_ERROR: MI_ErrorCategory = 22;
/// `MI_ERRORCATEGORY_WRITE_ERROR`.
pub const MI_ERRORCATEGORY_WRITE_ERROR: MI_ErrorCategory = 23;
/// `MI_ERRORCATEGORY_FROM_STDERR`.
pub const MI_ERRORCATEGORY_FROM_STDERR: MI_ErrorCategory = 24;
/// `MI_ERRORCATEGORY_SECURITY_ERROR`.
pub const MI_ERRORCATEGORY_SECURITY_ERROR: MI_ErrorCategory = 25;
/// `MI_ERRORCATEGORY_PROTOCOL_ERROR`.
pub const MI_ERRORCATEGORY_PROTOCOL_ERROR: MI_ErrorCategory = 26;
/// `MI_ERRORCATEGORY_CONNECTION_ERROR`.
pub const MI_ERRORCATEGORY_CONNECTION_ERROR: MI_ErrorCategory = 27;
/// `MI_ERRORCATEGORY_AUTHENTICATION_ERROR`.
pub const MI_ERRORCATEGORY_AUTHENTICATION_ERROR: MI_ErrorCategory = 28;
/// `MI_ERRORCATEGORY_LIMITS_EXCEEDED`.
pub const MI_ERRORCATEGORY_LIMITS_EXCEEDED: MI_ErrorCategory = 29;
/// `MI_ERRORCATEGORY_QUOTA_EXCEEDED`.
pub const MI_ERRORCATEGORY_QUOTA_EXCEEDED: MI_ErrorCategory = 30;
/// `MI_ERRORCATEGORY_NOT_ENABLED`.
pub const MI_ERRORCATEGORY_NOT_ENABLED: MI_ErrorCategory = 31;

/// `MI_LIFECYCLE_INDICATION_NONE` (OMI API version 2): no lifecycle indication.
pub const MI_LIFECYCLE_INDICATION_NONE: MI_Uint32 = 0;
/// `MI_LIFECYCLE_INDICATION_CREATE`.
pub const MI_LIFECYCLE_INDICATION_CREATE: MI_Uint32 = 1;
/// `MI_LIFECYCLE_INDICATION_MODIFY`.
pub const MI_LIFECYCLE_INDICATION_MODIFY: MI_Uint32 = 2;
/// `MI_LIFECYCLE_INDICATION_DELETE`.
pub const MI_LIFECYCLE_INDICATION_DELETE: MI_Uint32 = 4;
/// `MI_LIFECYCLE_INDICATION_READ`.
pub const MI_LIFECYCLE_INDICATION_READ: MI_Uint32 = 8;
/// `MI_LIFECYCLE_INDICATION_METHODCALL`.
pub const MI_LIFECYCLE_INDICATION_METHODCALL: MI_Uint32 = 16;
/// `MI_LIFECYCLE_INDICATION_ALL`: every lifecycle indication.
pub const MI_LIFECYCLE_INDICATION_ALL: MI_Uint32 = 31;

/// `MI_Class`: a class object of the client API; opaque here (providers
/// meet it only through `MI_InstanceFT::GetClass` and `MI_ClassDecl::owningClass`).
pub struct MI_Class {
    _opaque: [u8; 0],
}

/// `MI_SessionFT`: the session function table of the client API; opaque here.
pub struct MI_SessionFT {
    _opaque: [u8; 0],
}

/// `MI_Session`: a client session handle, filled by `GetLocalSession`.
#[repr(C)]
pub struct MI_Session {
    /// Reserved for the server.
    pub reserved1: MI_Uint64,
    /// Reserved for the server.
    pub reserved2: libc::ptrdiff_t,
    /// The session's function table (opaque here).
    pub ft: *const MI_SessionFT,
}

/// `MI_Module_Self`: whatever the provider's module `Load` returns; the
/// provider may define it, the header leaves it incomplete.
pub struct MI_Module_Self {
    _opaque: [u8; 0],
}
