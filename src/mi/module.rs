//! What a provider module hands its server: `MI_Module` (returned by the
//! provider's `MI_Main`), the per-class `MI_ProviderFT` and its function
//! types, and the `MI_Server` that `MI_Main` receives — laid out as in
//! Microsoft's `mi.h`. Declarations only: mi-psrp does not load modules.

#![allow(non_camel_case_types, non_snake_case)]

use std::os::raw::c_int;

use super::context::{MI_Context, MI_ContextFT};
use super::instance::{
    MI_Filter, MI_FilterFT, MI_Instance, MI_InstanceFT, MI_PropertySet, MI_PropertySetFT,
};
use super::result::MI_Result;
use super::schema::MI_SchemaDecl;
use super::types::{MI_Boolean, MI_Char, MI_Module_Self, MI_Uint32, MI_Uint64};

/// `MI_ProviderFT_Load`: a class provider's Load.
pub type MI_ProviderFT_Load = Option<
    unsafe extern "system" fn(
        self_: *mut *mut libc::c_void,
        selfModule: *mut MI_Module_Self,
        context: *mut MI_Context,
    ),
>;

/// `MI_ProviderFT_Unload`: a class provider's Unload.
pub type MI_ProviderFT_Unload =
    Option<unsafe extern "system" fn(self_: *mut libc::c_void, context: *mut MI_Context)>;

/// `MI_ProviderFT_GetInstance`.
pub type MI_ProviderFT_GetInstance = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        instanceName: *const MI_Instance,
        propertySet: *const MI_PropertySet,
    ),
>;

/// `MI_ProviderFT_EnumerateInstances`.
pub type MI_ProviderFT_EnumerateInstances = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        propertySet: *const MI_PropertySet,
        keysOnly: MI_Boolean,
        filter: *const MI_Filter,
    ),
>;

/// `MI_ProviderFT_CreateInstance`.
pub type MI_ProviderFT_CreateInstance = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        newInstance: *const MI_Instance,
    ),
>;

/// `MI_ProviderFT_ModifyInstance`.
pub type MI_ProviderFT_ModifyInstance = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        modifiedInstance: *const MI_Instance,
        propertySet: *const MI_PropertySet,
    ),
>;

/// `MI_ProviderFT_DeleteInstance`.
pub type MI_ProviderFT_DeleteInstance = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        instanceName: *const MI_Instance,
    ),
>;

/// `MI_ProviderFT_AssociatorInstances`.
pub type MI_ProviderFT_AssociatorInstances = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        instanceName: *const MI_Instance,
        resultClass: *const MI_Char,
        role: *const MI_Char,
        resultRole: *const MI_Char,
        propertySet: *const MI_PropertySet,
        keysOnly: MI_Boolean,
        filter: *const MI_Filter,
    ),
>;

/// `MI_ProviderFT_ReferenceInstances`.
pub type MI_ProviderFT_ReferenceInstances = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        instanceName: *const MI_Instance,
        role: *const MI_Char,
        propertySet: *const MI_PropertySet,
        keysOnly: MI_Boolean,
        filter: *const MI_Filter,
    ),
>;

/// `MI_ProviderFT_EnableIndications`.
pub type MI_ProviderFT_EnableIndications = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        indicationsContext: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
    ),
>;

/// `MI_ProviderFT_DisableIndications`.
pub type MI_ProviderFT_DisableIndications = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        indicationsContext: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
    ),
>;

/// `MI_ProviderFT_Subscribe`.
pub type MI_ProviderFT_Subscribe = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        filter: *const MI_Filter,
        bookmark: *const MI_Char,
        subscriptionID: MI_Uint64,
        subscriptionSelf: *mut *mut libc::c_void,
    ),
>;

/// `MI_ProviderFT_Unsubscribe`.
pub type MI_ProviderFT_Unsubscribe = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        subscriptionID: MI_Uint64,
        subscriptionSelf: *mut libc::c_void,
    ),
>;

/// `MI_ProviderFT_Invoke`.
pub type MI_ProviderFT_Invoke = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        methodName: *const MI_Char,
        instanceName: *const MI_Instance,
        inputParameters: *const MI_Instance,
    ),
>;

/// `MI_ProviderFT`: a class provider's functions; NULL for those it lacks.
#[repr(C)]
pub struct MI_ProviderFT {
    /// Load.
    pub Load: MI_ProviderFT_Load,
    /// Unload.
    pub Unload: MI_ProviderFT_Unload,
    /// GetInstance.
    pub GetInstance: MI_ProviderFT_GetInstance,
    /// EnumerateInstances.
    pub EnumerateInstances: MI_ProviderFT_EnumerateInstances,
    /// CreateInstance.
    pub CreateInstance: MI_ProviderFT_CreateInstance,
    /// ModifyInstance.
    pub ModifyInstance: MI_ProviderFT_ModifyInstance,
    /// DeleteInstance.
    pub DeleteInstance: MI_ProviderFT_DeleteInstance,
    /// AssociatorInstances.
    pub AssociatorInstances: MI_ProviderFT_AssociatorInstances,
    /// ReferenceInstances.
    pub ReferenceInstances: MI_ProviderFT_ReferenceInstances,
    /// EnableIndications.
    pub EnableIndications: MI_ProviderFT_EnableIndications,
    /// DisableIndications.
    pub DisableIndications: MI_ProviderFT_DisableIndications,
    /// Subscribe.
    pub Subscribe: MI_ProviderFT_Subscribe,
    /// Unsubscribe.
    pub Unsubscribe: MI_ProviderFT_Unsubscribe,
    /// Invoke.
    pub Invoke: MI_ProviderFT_Invoke,
}

/// `MI_MODULE_FLAG_STANDARD_QUALIFIERS`: the schema has standard qualifiers.
pub const MI_MODULE_FLAG_STANDARD_QUALIFIERS: c_int = 1;
/// `MI_MODULE_FLAG_DESCRIPTIONS`: the schema has Description qualifiers.
pub const MI_MODULE_FLAG_DESCRIPTIONS: c_int = 2;
/// `MI_MODULE_FLAG_VALUES`: the schema has Values and ValueMap qualifiers.
pub const MI_MODULE_FLAG_VALUES: c_int = 4;
/// `MI_MODULE_FLAG_MAPPING_STRINGS`: the schema has MappingStrings qualifiers.
pub const MI_MODULE_FLAG_MAPPING_STRINGS: c_int = 8;
/// `MI_MODULE_FLAG_BOOLEANS`: the schema has boolean qualifiers.
pub const MI_MODULE_FLAG_BOOLEANS: c_int = 16;
/// `MI_MODULE_FLAG_CPLUSPLUS`: the provider is written in C++.
pub const MI_MODULE_FLAG_CPLUSPLUS: c_int = 32;
/// `MI_MODULE_FLAG_LOCALIZED`: the schema's qualifiers are localized.
pub const MI_MODULE_FLAG_LOCALIZED: c_int = 64;
/// `MI_MODULE_FLAG_FILTER_SUPPORT`: the provider evaluates filters itself.
pub const MI_MODULE_FLAG_FILTER_SUPPORT: c_int = 128;

/// `MI_Module_Load`: the module's Load.
pub type MI_Module_Load =
    Option<unsafe extern "system" fn(self_: *mut *mut MI_Module_Self, context: *mut MI_Context)>;

/// `MI_Module_Unload`: the module's Unload.
pub type MI_Module_Unload =
    Option<unsafe extern "system" fn(self_: *mut MI_Module_Self, context: *mut MI_Context)>;

/// `MI_Module`: what the provider's `MI_Main` returns.
#[repr(C)]
pub struct MI_Module {
    /// `MI_VERSION` of the header the module was built with.
    pub version: MI_Uint32,
    /// Version of the generator that wrote it.
    pub generatorVersion: MI_Uint32,
    /// `MI_MODULE_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// `sizeof(MI_Char)`: 1 for `MI_CHAR_TYPE` 1, `sizeof(wchar_t)` for 2.
    pub charSize: MI_Uint32,
    /// The module's schema.
    pub schemaDecl: *mut MI_SchemaDecl,
    /// Called once after `MI_Main`.
    pub Load: MI_Module_Load,
    /// Called once before the module is unloaded.
    pub Unload: MI_Module_Unload,
    /// The functions of a dynamic provider, or NULL.
    pub dynamicProviderFT: *const MI_ProviderFT,
}

/// `MI_ServerFT`: the server's own functions.
#[repr(C)]
pub struct MI_ServerFT {
    /// The server's `MI_VERSION`.
    pub GetVersion: Option<unsafe extern "system" fn(version: *mut MI_Uint32) -> MI_Result>,
    /// The name of the machine the server runs on.
    pub GetSystemName:
        Option<unsafe extern "system" fn(systemName: *mut *const MI_Char) -> MI_Result>,
}

/// `MI_Server`: the server's function tables, passed to `MI_Main`.
#[repr(C)]
pub struct MI_Server {
    /// The server's functions.
    pub serverFT: *const MI_ServerFT,
    /// The table of the contexts it makes.
    pub contextFT: *const MI_ContextFT,
    /// The table of the instances it makes.
    pub instanceFT: *const MI_InstanceFT,
    /// The table of the property sets it makes.
    pub propertySetFT: *const MI_PropertySetFT,
    /// The table of the filters it makes.
    pub filterFT: *const MI_FilterFT,
}

/// `MI_MainFunction`: the type of a provider's `MI_Main` (`MI_MAIN_CALL`).
pub type MI_MainFunction = Option<unsafe extern "C" fn(server: *mut MI_Server) -> *mut MI_Module>;
