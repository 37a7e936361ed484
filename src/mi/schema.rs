//! The schema a generated provider compiles in (`schema.c`): class, property,
//! method, parameter and qualifier declarations, and the `MI_FLAG_*` bits they
//! carry, laid out as in Microsoft's `mi.h`. Declarations only.
//!
//! Microsoft spells the pointer fields `MI_CONST T* MI_CONST*`; with `MI_CONST`
//! at its default (`const`) that is the `*const *const T` written here.

#![allow(non_camel_case_types, non_snake_case)]

use std::os::raw::c_int;

use super::context::MI_Context;
use super::instance::MI_Instance;
use super::module::MI_ProviderFT;
use super::types::{MI_Char, MI_Class, MI_Uint32};

/// `MI_FLAG_CLASS`: Meta type / qualifier scope: class.
pub const MI_FLAG_CLASS: c_int = 1;
/// `MI_FLAG_METHOD`: Meta type / qualifier scope: method.
pub const MI_FLAG_METHOD: c_int = 2;
/// `MI_FLAG_PROPERTY`: Meta type / qualifier scope: property.
pub const MI_FLAG_PROPERTY: c_int = 4;
/// `MI_FLAG_PARAMETER`: Meta type / qualifier scope: parameter.
pub const MI_FLAG_PARAMETER: c_int = 8;
/// `MI_FLAG_ASSOCIATION`: Meta type / qualifier scope: association.
pub const MI_FLAG_ASSOCIATION: c_int = 16;
/// `MI_FLAG_INDICATION`: Meta type / qualifier scope: indication.
pub const MI_FLAG_INDICATION: c_int = 32;
/// `MI_FLAG_REFERENCE`: Meta type / qualifier scope: reference.
pub const MI_FLAG_REFERENCE: c_int = 64;
/// `MI_FLAG_ANY`: Every qualifier scope.
pub const MI_FLAG_ANY: c_int = 0x7f;
/// `MI_FLAG_ENABLEOVERRIDE`: Qualifier flavor: EnableOverride.
pub const MI_FLAG_ENABLEOVERRIDE: c_int = 0x80;
/// `MI_FLAG_DISABLEOVERRIDE`: Qualifier flavor: DisableOverride.
pub const MI_FLAG_DISABLEOVERRIDE: c_int = 0x100;
/// `MI_FLAG_RESTRICTED`: Qualifier flavor: Restricted.
pub const MI_FLAG_RESTRICTED: c_int = 0x200;
/// `MI_FLAG_TOSUBCLASS`: Qualifier flavor: ToSubclass.
pub const MI_FLAG_TOSUBCLASS: c_int = 0x400;
/// `MI_FLAG_TRANSLATABLE`: Qualifier flavor: Translatable.
pub const MI_FLAG_TRANSLATABLE: c_int = 0x800;
/// `MI_FLAG_KEY`: Boolean qualifier Key.
pub const MI_FLAG_KEY: c_int = 0x1000;
/// `MI_FLAG_IN`: Boolean qualifier In.
pub const MI_FLAG_IN: c_int = 0x2000;
/// `MI_FLAG_OUT`: Boolean qualifier Out.
pub const MI_FLAG_OUT: c_int = 0x4000;
/// `MI_FLAG_REQUIRED`: Boolean qualifier Required.
pub const MI_FLAG_REQUIRED: c_int = 0x8000;
/// `MI_FLAG_STATIC`: Boolean qualifier Static.
pub const MI_FLAG_STATIC: c_int = 0x10000;
/// `MI_FLAG_ABSTRACT`: Boolean qualifier Abstract.
pub const MI_FLAG_ABSTRACT: c_int = 0x20000;
/// `MI_FLAG_TERMINAL`: Boolean qualifier Terminal.
pub const MI_FLAG_TERMINAL: c_int = 0x40000;
/// `MI_FLAG_EXPENSIVE`: Boolean qualifier Expensive.
pub const MI_FLAG_EXPENSIVE: c_int = 0x80000;
/// `MI_FLAG_STREAM`: Boolean qualifier Stream.
pub const MI_FLAG_STREAM: c_int = 0x100000;
/// `MI_FLAG_READONLY`: Boolean qualifier Read.
pub const MI_FLAG_READONLY: c_int = 0x200000;
/// `MI_FLAG_TOINSTANCE`: Qualifier flavor ToInstance (ignored).
pub const MI_FLAG_TOINSTANCE: c_int = 0x400000;
/// `MI_FLAG_NOT_MODIFIED`: The property was not modified.
pub const MI_FLAG_NOT_MODIFIED: c_int = 0x2000000;
/// `MI_FLAG_VERSION`: Version bits.
pub const MI_FLAG_VERSION: c_int = 0x1c000000;
/// `MI_FLAG_NULL`: The value is null.
pub const MI_FLAG_NULL: c_int = 0x20000000;
/// `MI_FLAG_BORROW`: The callee may keep a pointer to the value instead of copying it.
pub const MI_FLAG_BORROW: c_int = 0x40000000;
/// `MI_FLAG_ADOPT`: the callee takes ownership of the value.
// The cast makes cbindgen write `(MI_Uint32)`: an `MI_Uint32`, as Microsoft's.
#[allow(clippy::unnecessary_cast)]
pub const MI_FLAG_ADOPT: MI_Uint32 = 0x8000_0000 as MI_Uint32;

/// `MI_FeatureDecl`: what every declaration starts with.
#[repr(C)]
pub struct MI_FeatureDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code: `(name[0] << 16) | (name[len-1] << 8) | len`, lower-cased.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
}

/// `MI_ObjectDecl`: what classes and methods share (extends `MI_FeatureDecl`).
#[repr(C)]
pub struct MI_ObjectDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code of the name.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
    /// The properties (of a class) or parameters (of a method).
    pub properties: *const *const MI_PropertyDecl,
    /// How many.
    pub numProperties: MI_Uint32,
    /// Size of the generated structure.
    pub size: MI_Uint32,
}

/// `MI_ParameterDecl`: a method parameter (extends `MI_FeatureDecl`).
#[repr(C)]
pub struct MI_ParameterDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code of the name.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
    /// Its `MI_Type`.
    pub r#type: MI_Uint32,
    /// The class of a reference or embedded instance, or NULL.
    pub className: *const MI_Char,
    /// Array subscript.
    pub subscript: MI_Uint32,
    /// Offset of its field in the generated structure.
    pub offset: MI_Uint32,
}

/// `MI_PropertyDecl`: a class property (extends `MI_ParameterDecl`).
#[repr(C)]
pub struct MI_PropertyDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code of the name.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
    /// Its `MI_Type`.
    pub r#type: MI_Uint32,
    /// The class of a reference or embedded instance, or NULL.
    pub className: *const MI_Char,
    /// Array subscript.
    pub subscript: MI_Uint32,
    /// Offset of its field in the generated structure.
    pub offset: MI_Uint32,
    /// The ancestor class that first declared it.
    pub origin: *const MI_Char,
    /// The ancestor class that last declared it.
    pub propagator: *const MI_Char,
    /// Its default value, or NULL.
    pub value: *const libc::c_void,
}

/// `MI_MethodDecl_Invoke`: an extrinsic method's entry point.
pub type MI_MethodDecl_Invoke = Option<
    unsafe extern "system" fn(
        self_: *mut libc::c_void,
        context: *mut MI_Context,
        nameSpace: *const MI_Char,
        className: *const MI_Char,
        methodName: *const MI_Char,
        instanceName: *const MI_Instance,
        parameters: *const MI_Instance,
    ),
>;

/// `MI_MethodDecl`: a method (extends `MI_ObjectDecl`).
#[repr(C)]
pub struct MI_MethodDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code of the name.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
    /// The parameters.
    pub parameters: *const *const MI_ParameterDecl,
    /// How many.
    pub numParameters: MI_Uint32,
    /// Size of the generated parameter structure.
    pub size: MI_Uint32,
    /// The `MI_Type` of its return value.
    pub returnType: MI_Uint32,
    /// The ancestor class that first declared it.
    pub origin: *const MI_Char,
    /// The ancestor class that last declared it.
    pub propagator: *const MI_Char,
    /// The schema it belongs to.
    pub schema: *const MI_SchemaDecl,
    /// Its implementation.
    pub function: MI_MethodDecl_Invoke,
}

/// `MI_ClassDecl`: a class (extends `MI_ObjectDecl`).
#[repr(C)]
pub struct MI_ClassDecl {
    /// `MI_FLAG_*` bits.
    pub flags: MI_Uint32,
    /// Hash code of the name.
    pub code: MI_Uint32,
    /// The name.
    pub name: *const MI_Char,
    /// The qualifiers.
    pub qualifiers: *const *const MI_Qualifier,
    /// How many.
    pub numQualifiers: MI_Uint32,
    /// The properties.
    pub properties: *const *const MI_PropertyDecl,
    /// How many.
    pub numProperties: MI_Uint32,
    /// Size of the generated structure.
    pub size: MI_Uint32,
    /// The superclass's name, or NULL.
    pub superClass: *const MI_Char,
    /// The superclass's declaration, or NULL.
    pub superClassDecl: *const MI_ClassDecl,
    /// The methods.
    pub methods: *const *const MI_MethodDecl,
    /// How many.
    pub numMethods: MI_Uint32,
    /// The schema it belongs to.
    pub schema: *const MI_SchemaDecl,
    /// The provider's functions for this class.
    pub providerFT: *const MI_ProviderFT,
    /// The owning `MI_Class`: NULL for a static declaration.
    pub owningClass: *mut MI_Class,
}

/// `MI_QualifierDecl`: a qualifier type declared by the schema.
#[repr(C)]
pub struct MI_QualifierDecl {
    /// The name.
    pub name: *const MI_Char,
    /// Its `MI_Type`.
    pub r#type: MI_Uint32,
    /// Where it may appear (`MI_FLAG_CLASS` …).
    pub scope: MI_Uint32,
    /// Its flavor (`MI_FLAG_ENABLEOVERRIDE` …).
    pub flavor: MI_Uint32,
    /// Array subscript.
    pub subscript: MI_Uint32,
    /// Its default value, or NULL.
    pub value: *const libc::c_void,
}

/// `MI_Qualifier`: a qualifier on a class, property, method or parameter.
#[repr(C)]
pub struct MI_Qualifier {
    /// The name.
    pub name: *const MI_Char,
    /// Its `MI_Type`.
    pub r#type: MI_Uint32,
    /// Its flavor.
    pub flavor: MI_Uint32,
    /// Its value.
    pub value: *const libc::c_void,
}

/// `MI_SchemaDecl`: everything a provider module declares.
#[repr(C)]
pub struct MI_SchemaDecl {
    /// The qualifier declarations.
    pub qualifierDecls: *const *const MI_QualifierDecl,
    /// How many.
    pub numQualifierDecls: MI_Uint32,
    /// The class declarations.
    pub classDecls: *const *const MI_ClassDecl,
    /// How many.
    pub numClassDecls: MI_Uint32,
}
