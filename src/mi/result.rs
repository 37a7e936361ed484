//! `MI_Result`: the result codes of every MI call.
//!
//! Microsoft declares `MI_Result` as a C enumeration (4 bytes on every ABI that
//! matters). Values that cross the C boundary are taken as plain integers, never
//! as a Rust enum: a provider may pass any number to `PostResult`.

#![allow(non_camel_case_types)]

use std::os::raw::c_uint;

/// `MI_Result`: a 4-byte result code.
pub type MI_Result = c_uint;

/// The operation succeeded.
pub const MI_RESULT_OK: MI_Result = 0;
/// An unspecified failure; also: the context has ended, or a call was made from inside a sink.
pub const MI_RESULT_FAILED: MI_Result = 1;
/// `MI_RESULT_ACCESS_DENIED`.
pub const MI_RESULT_ACCESS_DENIED: MI_Result = 2;
/// `MI_RESULT_INVALID_NAMESPACE`.
pub const MI_RESULT_INVALID_NAMESPACE: MI_Result = 3;
/// A NULL, empty or out-of-range argument; nothing was changed.
pub const MI_RESULT_INVALID_PARAMETER: MI_Result = 4;
/// `MI_RESULT_INVALID_CLASS`.
pub const MI_RESULT_INVALID_CLASS: MI_Result = 5;
/// `MI_RESULT_NOT_FOUND`.
pub const MI_RESULT_NOT_FOUND: MI_Result = 6;
/// The slot exists in the function table but mi-psrp does not implement it.
pub const MI_RESULT_NOT_SUPPORTED: MI_Result = 7;
/// `MI_RESULT_CLASS_HAS_CHILDREN`.
pub const MI_RESULT_CLASS_HAS_CHILDREN: MI_Result = 8;
/// `MI_RESULT_CLASS_HAS_INSTANCES`.
pub const MI_RESULT_CLASS_HAS_INSTANCES: MI_Result = 9;
/// `MI_RESULT_INVALID_SUPERCLASS`.
pub const MI_RESULT_INVALID_SUPERCLASS: MI_Result = 10;
/// `MI_RESULT_ALREADY_EXISTS`.
pub const MI_RESULT_ALREADY_EXISTS: MI_Result = 11;
/// `MI_RESULT_NO_SUCH_PROPERTY`.
pub const MI_RESULT_NO_SUCH_PROPERTY: MI_Result = 12;
/// `MI_RESULT_TYPE_MISMATCH`.
pub const MI_RESULT_TYPE_MISMATCH: MI_Result = 13;
/// `MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED`.
pub const MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED: MI_Result = 14;
/// `MI_RESULT_INVALID_QUERY`.
pub const MI_RESULT_INVALID_QUERY: MI_Result = 15;
/// `MI_RESULT_METHOD_NOT_AVAILABLE`.
pub const MI_RESULT_METHOD_NOT_AVAILABLE: MI_Result = 16;
/// `MI_RESULT_METHOD_NOT_FOUND`.
pub const MI_RESULT_METHOD_NOT_FOUND: MI_Result = 17;
/// `MI_RESULT_NAMESPACE_NOT_EMPTY`.
pub const MI_RESULT_NAMESPACE_NOT_EMPTY: MI_Result = 20;
/// `MI_RESULT_INVALID_ENUMERATION_CONTEXT`.
pub const MI_RESULT_INVALID_ENUMERATION_CONTEXT: MI_Result = 21;
/// `MI_RESULT_INVALID_OPERATION_TIMEOUT`.
pub const MI_RESULT_INVALID_OPERATION_TIMEOUT: MI_Result = 22;
/// `MI_RESULT_PULL_HAS_BEEN_ABANDONED`.
pub const MI_RESULT_PULL_HAS_BEEN_ABANDONED: MI_Result = 23;
/// `MI_RESULT_PULL_CANNOT_BE_ABANDONED`.
pub const MI_RESULT_PULL_CANNOT_BE_ABANDONED: MI_Result = 24;
/// `MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED`.
pub const MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED: MI_Result = 25;
/// `MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED`.
pub const MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED: MI_Result = 26;
/// The encoded message would exceed the pool's maximum message size.
pub const MI_RESULT_SERVER_LIMITS_EXCEEDED: MI_Result = 27;
/// `MI_RESULT_SERVER_IS_SHUTTING_DOWN`.
pub const MI_RESULT_SERVER_IS_SHUTTING_DOWN: MI_Result = 28;
