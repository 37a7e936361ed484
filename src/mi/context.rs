//! `MI_Context` and its function table `MI_ContextFT`, slot for slot as in
//! Microsoft's `mi.h` (and OMI's `MI.h`, whose table adds slot 30).
//!
//! Every slot is `Option<fn>` so that a table made by another host, whose slot
//! may be NULL, can be read without undefined behaviour. The table mi-psrp hands
//! out fills every slot.

#![allow(non_camel_case_types, non_snake_case)]

use std::os::raw::c_uint;

use super::instance::MI_Instance;
use super::result::MI_Result;
use super::schema::{MI_ClassDecl, MI_MethodDecl};
use super::types::{MI_Boolean, MI_Char, MI_PromptType, MI_Session, MI_Type, MI_Uint32};
use super::value::MI_Value;

/// Size, in `MI_Char`s and including the terminating NUL, of the buffer `GetLocale` fills.
pub const MI_MAX_LOCALE_SIZE: usize = 128;

/// `MI_WriteMessage` channel: warning.
pub const MI_WRITEMESSAGE_CHANNEL_WARNING: MI_Uint32 = 0;
/// `MI_WriteMessage` channel: verbose.
pub const MI_WRITEMESSAGE_CHANNEL_VERBOSE: MI_Uint32 = 1;
/// `MI_WriteMessage` channel: debug.
pub const MI_WRITEMESSAGE_CHANNEL_DEBUG: MI_Uint32 = 2;

/// `MI_LocaleType` (a 4-byte enumeration in Microsoft's header).
pub type MI_LocaleType = c_uint;
/// The UI locale the client requested.
pub const MI_LOCALE_TYPE_REQUESTED_UI: MI_LocaleType = 0;
/// The data locale the client requested.
pub const MI_LOCALE_TYPE_REQUESTED_DATA: MI_LocaleType = 1;
/// The closest UI locale the server has.
pub const MI_LOCALE_TYPE_CLOSEST_UI: MI_LocaleType = 2;
/// The closest data locale the server has.
pub const MI_LOCALE_TYPE_CLOSEST_DATA: MI_LocaleType = 3;

/// `MI_CancellationReason` (a 4-byte enumeration in Microsoft's header).
pub type MI_CancellationReason = c_uint;
/// No reason given.
pub const MI_REASON_NONE: MI_CancellationReason = 0;
/// The operation timed out.
pub const MI_REASON_TIMEOUT: MI_CancellationReason = 1;
/// The server is shutting down.
pub const MI_REASON_SHUTDOWN: MI_CancellationReason = 2;
/// The service is stopping.
pub const MI_REASON_SERVICESTOP: MI_CancellationReason = 3;

/// `MI_CancelCallback`: called once when the operation is cancelled.
pub type MI_CancelCallback = Option<
    unsafe extern "system" fn(reason: MI_CancellationReason, callbackData: *mut libc::c_void),
>;

/// `MI_Context`: a function-table pointer and three words that belong to the host
/// that made the context. 32 bytes on 64-bit targets, `ft` at offset 0.
#[repr(C)]
pub struct MI_Context {
    /// The function table. Providers must not touch it.
    pub ft: *const MI_ContextFT,
    /// Host-owned words; mi-psrp keeps a pointer to its own state in `reserved[0]`.
    pub reserved: [libc::ptrdiff_t; 3],
}

/// `MI_ContextFT`: 31 slots (Windows tables end at slot 29; OMI API version 2 adds slot 30).
#[repr(C)]
pub struct MI_ContextFT {
    /// Slot 0: ends the operation with `result`.
    pub PostResult:
        Option<unsafe extern "system" fn(context: *mut MI_Context, result: MI_Result) -> MI_Result>,
    /// Slot 1.
    pub PostInstance: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            instance: *const MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 2.
    pub PostIndication: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            indication: *const MI_Instance,
            subscriptionIDCount: MI_Uint32,
            bookmark: *const MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 3.
    pub ConstructInstance: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            classDecl: *const MI_ClassDecl,
            instance: *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 4.
    pub ConstructParameters: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            methodDecl: *const MI_MethodDecl,
            instance: *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 5.
    pub NewInstance: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            classDecl: *const MI_ClassDecl,
            instance: *mut *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 6.
    pub NewDynamicInstance: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            className: *const MI_Char,
            flags: MI_Uint32,
            instance: *mut *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 7.
    pub NewParameters: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            methodDecl: *const MI_MethodDecl,
            instance: *mut *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Slot 8: whether the operation was cancelled.
    pub Canceled: Option<
        unsafe extern "system" fn(context: *const MI_Context, flag: *mut MI_Boolean) -> MI_Result,
    >,
    /// Slot 9: the host's locale of the given type, into an `MI_MAX_LOCALE_SIZE` buffer.
    pub GetLocale: Option<
        unsafe extern "system" fn(
            context: *const MI_Context,
            localeType: MI_LocaleType,
            locale: *mut MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 10: registers the callback called when the operation is cancelled.
    pub RegisterCancel: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            callback: MI_CancelCallback,
            callbackData: *mut libc::c_void,
        ) -> MI_Result,
    >,
    /// Slot 11.
    pub RequestUnload: Option<unsafe extern "system" fn(context: *mut MI_Context) -> MI_Result>,
    /// Slot 12.
    pub RefuseUnload: Option<unsafe extern "system" fn(context: *mut MI_Context) -> MI_Result>,
    /// Slot 13.
    pub GetLocalSession: Option<
        unsafe extern "system" fn(
            context: *const MI_Context,
            session: *mut MI_Session,
        ) -> MI_Result,
    >,
    /// Slot 14.
    pub SetStringOption: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            name: *const MI_Char,
            value: *const MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 15.
    pub GetStringOption: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            name: *const MI_Char,
            value: *mut *const MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 16.
    pub GetNumberOption: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            name: *const MI_Char,
            value: *mut MI_Uint32,
        ) -> MI_Result,
    >,
    /// Slot 17.
    pub GetCustomOption: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            name: *const MI_Char,
            valueType: *mut MI_Type,
            value: *mut MI_Value,
        ) -> MI_Result,
    >,
    /// Slot 18.
    pub GetCustomOptionCount: Option<
        unsafe extern "system" fn(context: *mut MI_Context, count: *mut MI_Uint32) -> MI_Result,
    >,
    /// Slot 19.
    pub GetCustomOptionAt: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            index: MI_Uint32,
            name: *mut *const MI_Char,
            valueType: *mut MI_Type,
            value: *mut MI_Value,
        ) -> MI_Result,
    >,
    /// Slot 20.
    pub WriteMessage: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            channel: MI_Uint32,
            message: *const MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 21: reports progress; see `MI_Context_WriteProgress`.
    pub WriteProgress: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            activity: *const MI_Char,
            currentOperation: *const MI_Char,
            statusDescription: *const MI_Char,
            percentComplete: MI_Uint32,
            secondsRemaining: MI_Uint32,
        ) -> MI_Result,
    >,
    /// Slot 22.
    pub WriteStreamParameter: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            name: *const MI_Char,
            value: *const MI_Value,
            r#type: MI_Type,
            flags: MI_Uint32,
        ) -> MI_Result,
    >,
    /// Slot 23.
    pub WriteCimError: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            error: *const MI_Instance,
            flag: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Slot 24.
    pub PromptUser: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            message: *const MI_Char,
            promptType: MI_PromptType,
            result: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Slot 25.
    pub ShouldProcess: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            target: *const MI_Char,
            action: *const MI_Char,
            result: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Slot 26.
    pub ShouldContinue: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            message: *const MI_Char,
            result: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Slot 27.
    pub PostError: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            resultCode: MI_Uint32,
            resultType: *const MI_Char,
            errorMessage: *const MI_Char,
        ) -> MI_Result,
    >,
    /// Slot 28.
    pub PostCimError: Option<
        unsafe extern "system" fn(context: *mut MI_Context, error: *const MI_Instance) -> MI_Result,
    >,
    /// Slot 29.
    pub WriteError: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            resultCode: MI_Uint32,
            resultType: *const MI_Char,
            errorMessage: *const MI_Char,
            flag: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Slot 30 (OMI API version 2 only).
    pub GetLifecycleIndicationContext: Option<
        unsafe extern "system" fn(
            context: *mut MI_Context,
            lifecycleContext: *mut *mut MI_LifecycleIndicationContext,
        ) -> MI_Result,
    >,
}

/// `MI_LifecycleIndicationContext` (OMI): opaque here.
pub struct MI_LifecycleIndicationContext {
    _opaque: [u8; 0],
}
