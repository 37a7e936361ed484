//! `MI_Instance` and its function table `MI_InstanceFT`, `MI_PropertySet`,
//! `MI_Filter`: the objects a provider receives or fills, each a function
//! table pointer and words that belong to whoever made it, as in Microsoft's
//! `mi.h`. mi-psrp makes none of them (its contexts' instance slots return
//! `MI_RESULT_NOT_SUPPORTED`); the header declares them so that generated
//! providers compile, and their inline helpers call through `ft`.

#![allow(non_camel_case_types, non_snake_case)]

use super::result::MI_Result;
use super::schema::MI_ClassDecl;
use super::types::{MI_Boolean, MI_Char, MI_Class, MI_Type, MI_Uint32};
use super::value::MI_Value;

/// `MI_Instance`: a CIM instance. Generated structures start with one
/// (`__instance`) and put their property fields after it.
#[repr(C)]
pub struct MI_Instance {
    /// The function table of whoever made the instance.
    pub ft: *const MI_InstanceFT,
    /// The instance's class declaration.
    pub classDecl: *const MI_ClassDecl,
    /// The server name, or NULL.
    pub serverName: *const MI_Char,
    /// The namespace, or NULL.
    pub nameSpace: *const MI_Char,
    /// Reserved for whoever made the instance.
    pub reserved: [libc::ptrdiff_t; 4],
}

/// `MI_InstanceFT`: the operations on an instance, slot for slot as in
/// Microsoft's header. Every slot's first parameter is the instance.
#[repr(C)]
pub struct MI_InstanceFT {
    /// Copies the instance into a new one.
    pub Clone: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            newInstance: *mut *mut MI_Instance,
        ) -> MI_Result,
    >,
    /// Releases what the instance holds (for an instance constructed in place).
    pub Destruct: Option<unsafe extern "system" fn(self_: *mut MI_Instance) -> MI_Result>,
    /// Destructs and frees the instance (for one made by `Clone` or `New*`).
    pub Delete: Option<unsafe extern "system" fn(self_: *mut MI_Instance) -> MI_Result>,
    /// Whether the instance is of the class `classDecl` or one derived from it.
    pub IsA: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            classDecl: *const MI_ClassDecl,
            flag: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// The class name.
    pub GetClassName: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            className: *mut *const MI_Char,
        ) -> MI_Result,
    >,
    /// Sets the namespace.
    pub SetNameSpace: Option<
        unsafe extern "system" fn(self_: *mut MI_Instance, nameSpace: *const MI_Char) -> MI_Result,
    >,
    /// The namespace.
    pub GetNameSpace: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            nameSpace: *mut *const MI_Char,
        ) -> MI_Result,
    >,
    /// The number of properties.
    pub GetElementCount: Option<
        unsafe extern "system" fn(self_: *const MI_Instance, count: *mut MI_Uint32) -> MI_Result,
    >,
    /// Adds a property (dynamic instances).
    pub AddElement: Option<
        unsafe extern "system" fn(
            self_: *mut MI_Instance,
            name: *const MI_Char,
            value: *const MI_Value,
            r#type: MI_Type,
            flags: MI_Uint32,
        ) -> MI_Result,
    >,
    /// Sets a property by name.
    pub SetElement: Option<
        unsafe extern "system" fn(
            self_: *mut MI_Instance,
            name: *const MI_Char,
            value: *const MI_Value,
            r#type: MI_Type,
            flags: MI_Uint32,
        ) -> MI_Result,
    >,
    /// Sets a property by index (what generated `_Set_*` helpers call).
    pub SetElementAt: Option<
        unsafe extern "system" fn(
            self_: *mut MI_Instance,
            index: MI_Uint32,
            value: *const MI_Value,
            r#type: MI_Type,
            flags: MI_Uint32,
        ) -> MI_Result,
    >,
    /// Reads a property by name.
    pub GetElement: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            name: *const MI_Char,
            value: *mut MI_Value,
            r#type: *mut MI_Type,
            flags: *mut MI_Uint32,
            index: *mut MI_Uint32,
        ) -> MI_Result,
    >,
    /// Reads a property by index.
    pub GetElementAt: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            index: MI_Uint32,
            name: *mut *const MI_Char,
            value: *mut MI_Value,
            r#type: *mut MI_Type,
            flags: *mut MI_Uint32,
        ) -> MI_Result,
    >,
    /// Makes a property null, by name.
    pub ClearElement: Option<
        unsafe extern "system" fn(self_: *mut MI_Instance, name: *const MI_Char) -> MI_Result,
    >,
    /// Makes a property null, by index (what generated `_Clear_*` helpers call).
    pub ClearElementAt:
        Option<unsafe extern "system" fn(self_: *mut MI_Instance, index: MI_Uint32) -> MI_Result>,
    /// The server name.
    pub GetServerName: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            name: *mut *const MI_Char,
        ) -> MI_Result,
    >,
    /// Sets the server name.
    pub SetServerName: Option<
        unsafe extern "system" fn(self_: *mut MI_Instance, name: *const MI_Char) -> MI_Result,
    >,
    /// The instance's class object.
    pub GetClass: Option<
        unsafe extern "system" fn(
            self_: *const MI_Instance,
            instanceClass: *mut *mut MI_Class,
        ) -> MI_Result,
    >,
}

/// `MI_PropertySet`: the properties a client asked for.
#[repr(C)]
pub struct MI_PropertySet {
    /// The function table of whoever made the set.
    pub ft: *const MI_PropertySetFT,
    /// Reserved for whoever made the set.
    pub reserved: [libc::ptrdiff_t; 3],
}

/// `MI_PropertySetFT`: the operations on a property set.
#[repr(C)]
pub struct MI_PropertySetFT {
    /// The number of names.
    pub GetElementCount: Option<
        unsafe extern "system" fn(self_: *const MI_PropertySet, count: *mut MI_Uint32) -> MI_Result,
    >,
    /// Whether `name` is in the set.
    pub ContainsElement: Option<
        unsafe extern "system" fn(
            self_: *const MI_PropertySet,
            name: *const MI_Char,
            flag: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// Adds `name`.
    pub AddElement: Option<
        unsafe extern "system" fn(self_: *mut MI_PropertySet, name: *const MI_Char) -> MI_Result,
    >,
    /// The name at `index`.
    pub GetElementAt: Option<
        unsafe extern "system" fn(
            self_: *const MI_PropertySet,
            index: MI_Uint32,
            name: *mut *const MI_Char,
        ) -> MI_Result,
    >,
    /// Removes every name.
    pub Clear: Option<unsafe extern "system" fn(self_: *mut MI_PropertySet) -> MI_Result>,
    /// Releases what the set holds.
    pub Destruct: Option<unsafe extern "system" fn(self_: *mut MI_PropertySet) -> MI_Result>,
    /// Destructs and frees the set.
    pub Delete: Option<unsafe extern "system" fn(self_: *mut MI_PropertySet) -> MI_Result>,
    /// Copies the set.
    pub Clone: Option<
        unsafe extern "system" fn(
            self_: *const MI_PropertySet,
            newPropertySet: *mut *mut MI_PropertySet,
        ) -> MI_Result,
    >,
}

/// `MI_Filter`: the query of an enumeration or subscription.
#[repr(C)]
pub struct MI_Filter {
    /// The function table of whoever made the filter.
    pub ft: *const MI_FilterFT,
    /// Reserved for whoever made the filter.
    pub reserved: [libc::ptrdiff_t; 3],
}

/// `MI_FilterFT`: the operations on a filter.
#[repr(C)]
pub struct MI_FilterFT {
    /// Whether `instance` matches the filter.
    pub Evaluate: Option<
        unsafe extern "system" fn(
            self_: *const MI_Filter,
            instance: *const MI_Instance,
            result: *mut MI_Boolean,
        ) -> MI_Result,
    >,
    /// The query language and expression.
    pub GetExpression: Option<
        unsafe extern "system" fn(
            self_: *const MI_Filter,
            queryLang: *mut *const MI_Char,
            queryExpr: *mut *const MI_Char,
        ) -> MI_Result,
    >,
}
