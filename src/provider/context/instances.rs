//! The context slots that make and post instances: `ConstructInstance`,
//! `ConstructParameters`, `NewInstance`, `NewDynamicInstance`,
//! `NewParameters`, `PostInstance`, `WriteStreamParameter`, and the unload
//! requests (`RefuseUnload`, `RequestUnload`) that reach the module.
//!
//! What `PostInstance` sends depends on the operation the context runs
//! ([`Operation`]): for an Invoke, the method's out-parameter instance
//! becomes a CimMethodResult and anything else is refused; for the other
//! operations an instance of the operation's class (or one derived from it)
//! becomes a CimInstance and an instance of another class is refused
//! (`MI_RESULT_INVALID_PARAMETER`, nothing sent). A context no module runs
//! (made by `mipsrp_context_new`) sends any class instance.

use std::sync::Arc;

use super::{handle, live};
use crate::host::MiError;
use crate::mi::{
    MI_Char, MI_ClassDecl, MI_Context, MI_FLAG_NULL, MI_Instance, MI_MethodDecl,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_SUPPORTED, MI_RESULT_OK, MI_Result, MI_Type,
    MI_Uint32, MI_Value,
};
use crate::provider::instance::{self, Kind, read::Reader, record, value};
use crate::provider::{code, guard};
use crate::psrp::cim::{CimOutput, CimString};

/// What the module layer tells a context about the operation it runs.
pub struct Operation {
    /// The operation's namespace (instances posted without one take it).
    pub namespace: CimString,
    /// The class the operation was asked for.
    pub class_name: CimString,
    /// The class declaration (posted instances must be of it, or derive
    /// from it); NULL for a dynamic provider's class (any instance).
    pub class_decl: *const MI_ClassDecl,
    /// For an Invoke: the method's name and declaration (NULL for a dynamic provider's).
    pub method: Option<(CimString, *const MI_MethodDecl)>,
    /// Where `RefuseUnload` and `RequestUnload` go.
    pub unload: Option<Arc<dyn UnloadControl>>,
    /// An Enumerate's filter: a posted instance that does not match it is
    /// accepted and not sent.
    pub filter: Option<crate::provider::filter::Query>,
}

// SAFETY: the declarations belong to a loaded module, which outlives every
// operation it runs; they are only read.
unsafe impl Send for Operation {}
// SAFETY: as above.
unsafe impl Sync for Operation {}

/// A module's answer to `RefuseUnload` and `RequestUnload`.
pub trait UnloadControl: Send + Sync {
    /// The provider asks not to be unloaded while idle.
    fn refuse_unload(&self);
    /// The provider asks to be unloaded soon.
    fn request_unload(&self);
}

/// Runs `f` with the live host context and the char type, mapping errors.
fn with_live(
    context: *const MI_Context,
    f: impl FnOnce(&super::ContextHandle) -> Result<(), MiError>,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(context) } {
            return code;
        }
        // SAFETY: as above; `live` checked it is ours.
        let h = unsafe { handle(context) }.expect("ours");
        code(f(h))
    })
}

pub(super) unsafe extern "system" fn slot_construct_instance(
    c: *mut MI_Context,
    d: *const MI_ClassDecl,
    i: *mut MI_Instance,
) -> MI_Result {
    with_live(c, |h| {
        // SAFETY: MI's contract: `i` is `d->size` writable bytes.
        unsafe { instance::construct(i, d, h.ctx.char_type()) }
    })
}

pub(super) unsafe extern "system" fn slot_construct_parameters(
    c: *mut MI_Context,
    d: *const MI_MethodDecl,
    i: *mut MI_Instance,
) -> MI_Result {
    with_live(c, |h| {
        // SAFETY: MI's contract: `i` is `d->size` writable bytes.
        unsafe { instance::construct_parameters(i, d, h.ctx.char_type()) }
    })
}

/// Writes a new heap instance through `out`.
fn give(
    out: *mut *mut MI_Instance,
    made: Result<instance::HeapInstance, MiError>,
) -> Result<(), MiError> {
    let made = made?;
    // SAFETY: `out` was checked non-NULL by the caller; writable by MI's contract.
    unsafe { out.write(made.into_raw()) };
    Ok(())
}

pub(super) unsafe extern "system" fn slot_new_instance(
    c: *mut MI_Context,
    d: *const MI_ClassDecl,
    i: *mut *mut MI_Instance,
) -> MI_Result {
    with_live(c, |h| {
        if i.is_null() {
            return Err(MiError::InvalidParameter("newInstance is NULL"));
        }
        // SAFETY: a declaration of the provider's schema, by MI's contract.
        give(i, unsafe { instance::new_instance(d, h.ctx.char_type()) })
    })
}

pub(super) unsafe extern "system" fn slot_new_parameters(
    c: *mut MI_Context,
    d: *const MI_MethodDecl,
    i: *mut *mut MI_Instance,
) -> MI_Result {
    with_live(c, |h| {
        if i.is_null() {
            return Err(MiError::InvalidParameter("newInstance is NULL"));
        }
        // SAFETY: a declaration of the provider's schema, by MI's contract.
        give(i, unsafe { instance::new_parameters(d, h.ctx.char_type()) })
    })
}

pub(super) unsafe extern "system" fn slot_new_dynamic_instance(
    c: *mut MI_Context,
    n: *const MI_Char,
    f: MI_Uint32,
    i: *mut *mut MI_Instance,
) -> MI_Result {
    let _ = f;
    with_live(c, |h| {
        if i.is_null() || n.is_null() {
            return Err(MiError::InvalidParameter(
                "className or newInstance is NULL",
            ));
        }
        let ct = h.ctx.char_type();
        // SAFETY: non-NULL, NUL-terminated in the provider's type by MI's contract.
        let name = unsafe { value::units(n, ct) };
        give(i, instance::new_dynamic(name, ct))
    })
}

/// Whether `decl` is `want` or derives from it (by address, then by name).
///
/// # Safety
/// Both are checked declarations (or NULL).
unsafe fn derives(
    decl: *const MI_ClassDecl,
    want: *const MI_ClassDecl,
    ct: crate::host::CharType,
) -> bool {
    if want.is_null() {
        return true;
    }
    // SAFETY: checked declarations.
    unsafe {
        let w = value::units((*want).name, ct);
        let mut c = decl;
        while !c.is_null() {
            if std::ptr::eq(c, want) || value::units((*c).name, ct).eq_name(w) {
                return true;
            }
            c = (*c).superClassDecl;
        }
    }
    false
}

pub(super) unsafe extern "system" fn slot_post_instance(
    c: *mut MI_Context,
    i: *const MI_Instance,
) -> MI_Result {
    with_live(c, |h| {
        let ct = h.ctx.char_type();
        // SAFETY: the provider passes an instance it holds.
        let rec = unsafe { record(i) }.ok_or(MiError::InvalidParameter(
            "the instance is NULL or not one of this library's",
        ))?;
        if rec.char_type != ct {
            return Err(MiError::InvalidParameter(
                "the instance belongs to a module of another character type",
            ));
        }
        let empty = CimString::default();
        let op = h.operation.get();
        // A module's operation keeps its classes across posts (the module
        // outlives the operation); a context no module runs reads afresh.
        let mut cache = h
            .classes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut reader = match op {
            Some(o) => Reader::with_cache(&o.namespace, &mut cache),
            None => Reader::new(&empty),
        };
        match (
            op.and_then(|o| o.method.as_ref().map(|m| (o, m))),
            &rec.kind,
        ) {
            (Some((o, (method, decl))), Kind::Parameters(d))
                if decl.is_null() || std::ptr::eq(*d, *decl) =>
            {
                // SAFETY: a live instance of ours.
                let notes = unsafe { reader.method_result(i)? };
                h.ctx.write_output(CimOutput::MethodResult {
                    class_name: &o.class_name,
                    method_name: method,
                    parameters: &notes,
                })
            }
            // A dynamic provider's Invoke has no declaration: its dynamic
            // instance holds the out-parameters.
            (Some((o, (method, decl))), Kind::Dynamic(_)) if decl.is_null() => {
                // SAFETY: a live instance of ours.
                let notes = unsafe { reader.method_result(i)? };
                h.ctx.write_output(CimOutput::MethodResult {
                    class_name: &o.class_name,
                    method_name: method,
                    parameters: &notes,
                })
            }
            (Some(_), _) => Err(MiError::InvalidParameter(
                "an Invoke posts its method's out-parameters (NewParameters/ConstructParameters of that method)",
            )),
            (None, Kind::Parameters(_)) => Err(MiError::InvalidParameter(
                "a method's parameters can only be posted by an Invoke of that method",
            )),
            (None, _) => {
                if let Some(o) = op {
                    // SAFETY: ours: checked declarations; the operation's from the module.
                    if !unsafe { derives((*i).classDecl, o.class_decl, ct) } {
                        return Err(MiError::InvalidParameter(
                            "the instance is not of the operation's class (or one derived from it)",
                        ));
                    }
                }
                // SAFETY: a live instance of ours.
                let cim = unsafe { reader.instance(i, 0)? };
                if op
                    .and_then(|o| o.filter.as_ref())
                    .is_some_and(|q| !q.matches(&cim))
                {
                    // Filtered out, as the host's query asked: nothing to send.
                    return Ok(());
                }
                h.ctx.write_output(CimOutput::Instance(&cim))
            }
        }
    })
}

pub(super) unsafe extern "system" fn slot_write_stream_parameter(
    c: *mut MI_Context,
    n: *const MI_Char,
    v: *const MI_Value,
    t: MI_Type,
    f: MI_Uint32,
) -> MI_Result {
    with_live(c, |h| {
        let ct = h.ctx.char_type();
        let Some(op) = h.operation.get() else {
            return Err(MiError::Code(
                MI_RESULT_NOT_SUPPORTED,
                "WriteStreamParameter belongs to an Invoke run by a module",
            ));
        };
        let Some((method, _)) = &op.method else {
            return Err(MiError::InvalidParameter(
                "WriteStreamParameter outside an Invoke",
            ));
        };
        if n.is_null() {
            return Err(MiError::InvalidParameter("the parameter name is NULL"));
        }
        if value::value_size(t).is_none() {
            return Err(MiError::InvalidParameter("the type is not an MI_Type"));
        }
        // SAFETY: non-NULL, NUL-terminated by MI's contract.
        let name = CimString(unsafe { value::units(n, ct) }.to_utf16()?);
        let mut reader = Reader::new(&op.namespace);
        let item = if v.is_null() || f & MI_FLAG_NULL as u32 != 0 {
            None
        } else {
            // SAFETY: an MI_Value of type `t`, by MI's contract.
            unsafe { reader.value(v.cast(), t, ct, 0)? }
        };
        h.ctx.write_output(CimOutput::StreamedResult {
            class_name: &op.class_name,
            method_name: method,
            parameter_name: &name,
            item_type: t,
            value: item.as_ref(),
        })
    })
}

fn unload(c: *mut MI_Context, refuse: bool) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(h) = (unsafe { handle(c) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        match h.operation.get().and_then(|o| o.unload.as_ref()) {
            Some(u) => {
                if refuse {
                    u.refuse_unload();
                } else {
                    u.request_unload();
                }
                MI_RESULT_OK
            }
            None => MI_RESULT_NOT_SUPPORTED,
        }
    })
}

pub(super) unsafe extern "system" fn slot_refuse_unload(c: *mut MI_Context) -> MI_Result {
    unload(c, true)
}

pub(super) unsafe extern "system" fn slot_request_unload(c: *mut MI_Context) -> MI_Result {
    unload(c, false)
}
