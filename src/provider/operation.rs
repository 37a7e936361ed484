//! Running a module's operations on a context: Invoke (static and instance
//! methods, `providerFT->Invoke` for dynamic providers), EnumerateInstances,
//! GetInstance, CreateInstance, ModifyInstance, DeleteInstance. The provider
//! may end the operation later, on another thread: [`run`] returns once the
//! provider's function returned; the host waits on the context
//! ([`crate::host::Context::wait`] / `on_complete`).
//!
//! What fails before the provider is called ends the operation on the
//! context with an error record (`PostError`) — an unknown class or method,
//! a class whose `Load` failed (with the provider's result), a provider
//! without the function (`MI_RESULT_NOT_SUPPORTED`) — and is also returned.

use std::sync::Arc;

use super::context::ProviderContext;
use super::filter::Filter;
use super::instance::{HeapInstance, record};
use super::module::Module;
use super::sets::PropertySet;
use crate::host::{MiError, ProviderText};
use crate::mi::*;

/// An operation to run.
pub enum Request<'a> {
    /// `Invoke-CimMethod`: a static method (no `instance`) or an instance
    /// method (`instance` holds the target's keys).
    Invoke {
        /// The class.
        class: &'a str,
        /// The method.
        method: &'a str,
        /// The target instance of an instance method.
        instance: Option<&'a HeapInstance>,
        /// The in-parameters (made by [`Module::new_parameters`]); `None`: none set.
        parameters: Option<&'a HeapInstance>,
    },
    /// `Get-CimInstance` without keys: every instance, or those a filter
    /// selects.
    Enumerate {
        /// The class.
        class: &'a str,
        /// Only keys wanted.
        keys_only: bool,
        /// The properties wanted (`None`: all).
        properties: Option<&'a [&'a str]>,
        /// A WQL filter (the subset of [`super::filter`]): handed to the
        /// provider as its `MI_Filter`, and applied to what it posts (an
        /// instance that does not match is not sent). A text outside the
        /// subset ends the operation with `MI_RESULT_INVALID_QUERY`.
        filter: Option<&'a str>,
    },
    /// GetInstance: the instance whose keys `instance` holds.
    Get {
        /// The keys.
        instance: &'a HeapInstance,
        /// The properties wanted (`None`: all).
        properties: Option<&'a [&'a str]>,
    },
    /// CreateInstance.
    Create {
        /// The new instance.
        instance: &'a HeapInstance,
    },
    /// ModifyInstance.
    Modify {
        /// The instance with the properties to change.
        instance: &'a HeapInstance,
        /// The properties to change (`None`: those set).
        properties: Option<&'a [&'a str]>,
    },
    /// DeleteInstance.
    Delete {
        /// The keys.
        instance: &'a HeapInstance,
    },
}

/// Ends the operation with `result` and `message`, returning the error.
fn fail(pc: &ProviderContext, result: MI_Result, message: &str) -> MiError {
    let _ = pc.context().post_error(
        result,
        Some(ProviderText::utf8(b"MI")),
        Some(ProviderText::utf8(message.as_bytes())),
    );
    MiError::Code(
        result,
        "the operation failed before the provider was called",
    )
}

/// The class name of an instance of ours, as Rust text.
fn class_of(inst: &HeapInstance) -> Result<String, MiError> {
    // SAFETY: a live heap instance of ours.
    let rec = unsafe { record(inst.as_ptr()) }.ok_or(MiError::InvalidParameter("not ours"))?;
    // SAFETY: ours: a checked declaration with a name.
    let u =
        unsafe { super::instance::value::units((*(*inst.as_ptr()).classDecl).name, rec.char_type) };
    Ok(String::from_utf16_lossy(&u.to_utf16()?))
}

/// Runs `request` of `module` in namespace `namespace` on `pc`.
pub fn run(
    module: &Arc<Module>,
    pc: &ProviderContext,
    namespace: &str,
    request: Request<'_>,
) -> Result<(), MiError> {
    let ct = module.char_type();
    if pc.context().char_type() != ct {
        return Err(MiError::InvalidParameter(
            "the context's character type is not the module's",
        ));
    }
    let class_name = match &request {
        Request::Invoke { class, .. } | Request::Enumerate { class, .. } => (*class).to_owned(),
        Request::Get { instance, .. }
        | Request::Create { instance }
        | Request::Modify { instance, .. }
        | Request::Delete { instance } => class_of(instance)?,
    };
    for inst in match &request {
        Request::Invoke {
            instance,
            parameters,
            ..
        } => vec![*instance, *parameters],
        Request::Get { instance, .. }
        | Request::Create { instance }
        | Request::Modify { instance, .. }
        | Request::Delete { instance } => vec![Some(*instance)],
        Request::Enumerate { .. } => vec![],
    }
    .into_iter()
    .flatten()
    {
        // SAFETY: a live heap instance.
        if unsafe { record(inst.as_ptr()) }.is_none_or(|r| r.char_type != ct) {
            return Err(MiError::InvalidParameter(
                "an instance of the request is not of this module's character type",
            ));
        }
    }
    let query = match &request {
        Request::Enumerate {
            filter: Some(text), ..
        } => match super::filter::parse(text) {
            Ok(q) => Some(q),
            Err(why) => {
                return Err(fail(
                    pc,
                    MI_RESULT_INVALID_QUERY,
                    &format!("invalid filter: {why}"),
                ));
            }
        },
        _ => None,
    };
    let Some((index, decl)) = module.find_class(&class_name) else {
        // A dynamic provider serves any class, with a NULL self.
        let Some(dft) = module.dynamic_ft() else {
            return Err(fail(
                pc,
                MI_RESULT_INVALID_CLASS,
                &format!("the module has no class {class_name}"),
            ));
        };
        let method = match &request {
            Request::Invoke { method, .. } => Some((*method, std::ptr::null())),
            _ => None,
        };
        let mut op = module.operation(namespace, std::ptr::null(), &class_name, method);
        op.filter = query;
        pc.set_operation(op);
        let target = Target {
            class_self: std::ptr::null_mut(),
            ft: Some(dft),
            invoke: dft.Invoke,
        };
        return call(pc, &target, namespace, &class_name, request, ct);
    };
    let method = match &request {
        Request::Invoke { method, .. } => match module.find_method(decl, method) {
            Some(m) => Some((*method, m)),
            None => {
                return Err(fail(
                    pc,
                    MI_RESULT_METHOD_NOT_FOUND,
                    &format!("class {class_name} has no method {method}"),
                ));
            }
        },
        _ => None,
    };
    let mut op = module.operation(namespace, decl, &class_name, method);
    op.filter = query;
    pc.set_operation(op);
    let class_self = match module.class_self(index, decl) {
        Ok(s) => s,
        Err((r, msg)) => return Err(fail(pc, r, &msg)),
    };
    let target = Target {
        class_self,
        // SAFETY: a checked declaration; NULL or its provider table.
        ft: unsafe { (*decl).providerFT.as_ref() },
        // SAFETY: found above: a checked method declaration.
        invoke: method.and_then(|(_, m)| unsafe { (*m).function }),
    };
    call(pc, &target, namespace, &class_name, request, ct)
}

/// What an operation calls: the provider's self for the class (NULL for a
/// dynamic provider), its table, and for an Invoke the method's function
/// (`MI_MethodDecl.function`, or a dynamic provider's `Invoke`).
struct Target<'a> {
    class_self: *mut libc::c_void,
    ft: Option<&'a MI_ProviderFT>,
    invoke: MI_ProviderFT_Invoke,
}

/// Calls the provider's function for `request`; a function it lacks ends
/// the operation with `MI_RESULT_NOT_SUPPORTED`.
fn call(
    pc: &ProviderContext,
    target: &Target<'_>,
    namespace: &str,
    class_name: &str,
    request: Request<'_>,
    ct: crate::host::CharType,
) -> Result<(), MiError> {
    let not_supported = || {
        fail(
            pc,
            MI_RESULT_NOT_SUPPORTED,
            "the provider does not implement this operation",
        )
    };
    let (c, me) = (pc.as_ptr(), target.class_self);
    let ns = OwnedName::new(namespace, ct);
    let cn = OwnedName::new(class_name, ct);
    let (ns, cn) = (ns.ptr(), cn.ptr());
    let ft = target.ft;
    let props = |p: Option<&[&str]>| p.map(|p| PropertySet::new(p, ct));
    let set = |p: &Option<Box<PropertySet>>| p.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    let null = std::ptr::null();
    // SAFETY (each call): the provider's own function, with its self, a live
    // context, NUL-terminated names in its character type, instances of ours
    // of its character type and a property set of ours, all outliving the call.
    unsafe {
        match request {
            Request::Invoke {
                method,
                instance,
                parameters,
                ..
            } => {
                let Some(f) = target.invoke else {
                    return Err(not_supported());
                };
                let mn = OwnedName::new(method, ct);
                let instance = instance.map_or(null, |i| i.as_ptr().cast_const());
                let parameters = parameters.map_or(null, |i| i.as_ptr().cast_const());
                f(me, c, ns, cn, mn.ptr(), instance, parameters);
            }
            Request::Enumerate {
                keys_only,
                properties,
                filter,
                ..
            } => {
                let Some(f) = ft.and_then(|f| f.EnumerateInstances) else {
                    return Err(not_supported());
                };
                let ps = props(properties);
                let keys_only = if keys_only { MI_TRUE } else { MI_FALSE };
                // Parsed once already (in `run`): this cannot fail.
                let filter = filter.and_then(|t| Filter::new(t, ct).ok());
                let fp = filter.as_ref().map_or(std::ptr::null(), |f| f.as_ptr());
                f(me, c, ns, cn, set(&ps), keys_only, fp);
            }
            Request::Get {
                instance,
                properties,
            } => {
                let Some(f) = ft.and_then(|f| f.GetInstance) else {
                    return Err(not_supported());
                };
                let ps = props(properties);
                f(me, c, ns, cn, instance.as_ptr(), set(&ps));
            }
            Request::Create { instance } => {
                let Some(f) = ft.and_then(|f| f.CreateInstance) else {
                    return Err(not_supported());
                };
                f(me, c, ns, cn, instance.as_ptr());
            }
            Request::Modify {
                instance,
                properties,
            } => {
                let Some(f) = ft.and_then(|f| f.ModifyInstance) else {
                    return Err(not_supported());
                };
                let ps = props(properties);
                f(me, c, ns, cn, instance.as_ptr(), set(&ps));
            }
            Request::Delete { instance } => {
                let Some(f) = ft.and_then(|f| f.DeleteInstance) else {
                    return Err(not_supported());
                };
                f(me, c, ns, cn, instance.as_ptr());
            }
        }
    }
    Ok(())
}

/// A name passed to a provider, in its character type.
struct OwnedName(super::instance::value::OwnedText);

impl OwnedName {
    fn new(s: &str, ct: crate::host::CharType) -> Self {
        OwnedName(super::instance::value::OwnedText::from_str(s, ct))
    }
    fn ptr(&self) -> *const MI_Char {
        self.0.as_ptr()
    }
}
