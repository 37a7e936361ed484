//! The module API of `mi_psrp.h`: load a provider module, make the typed
//! input instances of its classes and methods, run its operations on a
//! context made by `mipsrp_context_new_ex` (for the module's `charSize`).
//! Thin wrappers over [`crate::provider`].
//!
//! Input instances are `MI_Instance`s of mi-psrp: set their elements with
//! Microsoft's `MI_Instance_SetElement` (strings in the module's character
//! type), free them with `MI_Instance_Delete`.

#![allow(non_camel_case_types)]

use std::mem::ManuallyDrop;
use std::sync::Arc;

use super::{c_str, guard};
use crate::host::MiError;
use crate::mi::{
    MI_Boolean, MI_Context, MI_Instance, MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_FOUND,
    MI_RESULT_OK, MI_Result,
};
use crate::provider::context::{ProviderContext, ours};
use crate::provider::instance::{HeapInstance, record};
use crate::provider::module::Module;
use crate::provider::operation::{Request, run};

/// A loaded provider module. Opaque; made by `mipsrp_module_load`, released
/// (its classes and the module unloaded, the library closed) by
/// `mipsrp_module_free`.
pub struct mipsrp_module {
    module: Arc<Module>,
}

/// Copies `text` into `buf` (`size` bytes, NUL-terminated, cut to fit).
fn copy_text(text: &str, buf: *mut libc::c_char, size: usize) {
    if buf.is_null() || size == 0 {
        return;
    }
    let n = text.len().min(size - 1);
    // SAFETY: `buf` holds `size` writable bytes, by the caller's contract.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
    }
}

/// Loads the provider module at `path` (a shared library exporting
/// `MI_Main`): calls `MI_Main` with mi-psrp's `MI_Server`, checks the module
/// (not NULL, `version` at most 1.1.0, `charSize` 1 for UTF-8 or
/// `sizeof(wchar_t)`, a sound schema or a dynamic provider table) and calls
/// its `Load`, waiting up to 30 s for its `PostResult`. Modules of both
/// character types may be loaded at once.
///
/// - `path`: a NUL-terminated UTF-8 path.
/// - `module`: receives the module, owned by the caller.
/// - `error`, `error_size`: NULL/0, or a buffer that receives the reason on
///   failure (the path and, e.g., `dlerror()`'s text), NUL-terminated, cut to fit.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `path` or
/// `module` is NULL or `path` is not UTF-8; `MI_RESULT_FAILED` when the
/// module does not load (the reason in `error`). Nothing is left loaded on failure.
///
/// Thread-safety: any thread.
///
/// # Safety
/// `path` is NULL or NUL-terminated; `module` is NULL or writable; `error`
/// is NULL or `error_size` writable bytes. Loading runs the library's code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_load(
    path: *const libc::c_char,
    module: *mut *mut mipsrp_module,
    error: *mut libc::c_char,
    error_size: usize,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or NUL-terminated, by contract.
        let Some(path) = (unsafe { c_str(path) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if module.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        match Module::load(path) {
            Ok(m) => {
                // SAFETY: non-NULL, writable by contract.
                unsafe { module.write(Box::into_raw(Box::new(mipsrp_module { module: m }))) };
                MI_RESULT_OK
            }
            Err(e) => {
                copy_text(&e.to_string(), error, error_size);
                crate::mi::MI_RESULT_FAILED
            }
        }
    })
}

/// Unloads a module: each loaded class's `Unload`, then the module's, then
/// closes the library. Ignores NULL. Call it once every operation of the
/// module has ended and its instances are deleted.
///
/// # Safety
/// `module` is NULL or a module from `mipsrp_module_load` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_free(module: *mut mipsrp_module) {
    super::guard_void(|| {
        if !module.is_null() {
            // SAFETY: a module of ours, released once here.
            drop(unsafe { Box::from_raw(module) });
        }
    })
}

/// The module's character size (`MI_Module.charSize`) in `*char_size`: 1
/// (UTF-8) or `sizeof(wchar_t)`: pass it to `mipsrp_context_new_ex` for its
/// contexts. Returns `MI_RESULT_OK`, or `MI_RESULT_INVALID_PARAMETER` when an
/// argument is NULL.
///
/// # Safety
/// `module` is NULL or a live module; `char_size` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_char_size(
    module: *const mipsrp_module,
    char_size: *mut u32,
) -> MI_Result {
    // SAFETY: NULL or a live module, by contract.
    match (unsafe { module.as_ref() }, char_size.is_null()) {
        (Some(m), false) => {
            // SAFETY: non-NULL, writable.
            unsafe { char_size.write(m.module.char_type().char_size() as u32) };
            MI_RESULT_OK
        }
        _ => MI_RESULT_INVALID_PARAMETER,
    }
}

/// Runs `f` with the module, a context of ours whose character type is the
/// module's, and the UTF-8 strings.
unsafe fn with_module(
    module: *const mipsrp_module,
    context: *mut MI_Context,
    f: impl FnOnce(&Arc<Module>, &ProviderContext) -> Result<(), MiError>,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or a live module, by contract.
        let Some(m) = (unsafe { module.as_ref() }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: NULL or a live context, by contract.
        if unsafe { ours(context) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: checked: a live context of ours, freed by the host.
        let pc = unsafe { ProviderContext::borrowed(context) };
        match f(&m.module, &pc) {
            Ok(()) => MI_RESULT_OK,
            Err(e) => e.code(),
        }
    })
}

/// A borrowed view of an instance of ours; `None` for NULL.
///
/// # Safety
/// `p` is NULL or readable.
unsafe fn view(p: *const MI_Instance) -> Result<Option<ManuallyDrop<HeapInstance>>, MiError> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: readable, by contract.
    if unsafe { record(p) }.is_none() {
        return Err(MiError::InvalidParameter(
            "an instance is not one of mi-psrp's",
        ));
    }
    // SAFETY: ours; never dropped (ManuallyDrop): the caller keeps it.
    Ok(Some(ManuallyDrop::new(
        unsafe { HeapInstance::from_raw(p.cast_mut()) }.expect("non-NULL"),
    )))
}

/// A NUL-terminated UTF-8 string argument; NULL or not UTF-8 → InvalidParameter.
unsafe fn arg<'a>(p: *const libc::c_char, what: &'static str) -> Result<&'a str, MiError> {
    // SAFETY: NULL or NUL-terminated, by contract.
    unsafe { c_str(p) }.ok_or(MiError::InvalidParameter(what))
}

/// The property names of a property list (`NULL`/0: none given → all).
unsafe fn names<'a>(
    p: *const *const libc::c_char,
    n: usize,
) -> Result<Option<Vec<&'a str>>, MiError> {
    if p.is_null() {
        return Ok(None);
    }
    (0..n)
        // SAFETY: `n` readable pointers, each NUL-terminated, by contract.
        .map(|i| unsafe { arg(*p.add(i), "a property name is NULL or not UTF-8") })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Makes a new instance of class `class_name` of the module (every property
/// null), for GetInstance, Create, Modify, Delete or an instance method's
/// target. Set its elements with `MI_Instance_SetElement`; free it with
/// `MI_Instance_Delete`.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` for a NULL
/// argument; `MI_RESULT_NOT_FOUND` when the module has no such class.
///
/// # Safety
/// `module` NULL or live; `class_name` NULL or NUL-terminated UTF-8;
/// `instance` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_new_instance(
    module: *const mipsrp_module,
    class_name: *const libc::c_char,
    instance: *mut *mut MI_Instance,
) -> MI_Result {
    guard(|| {
        // SAFETY: by contract.
        let (Some(m), Ok(c)) = (unsafe { module.as_ref() }, unsafe { arg(class_name, "") }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if instance.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        match m.module.new_instance(c) {
            Ok(i) => {
                // SAFETY: non-NULL, writable.
                unsafe { instance.write(i.into_raw()) };
                MI_RESULT_OK
            }
            Err(_) => MI_RESULT_NOT_FOUND,
        }
    })
}

/// Makes the in-parameters of method `method_name` of class `class_name`
/// (every parameter null), for `mipsrp_module_invoke`. Free with
/// `MI_Instance_Delete`.
///
/// Returns as `mipsrp_module_new_instance`; `MI_RESULT_NOT_FOUND` also when
/// the class has no such method.
///
/// # Safety
/// As for `mipsrp_module_new_instance`; `method_name` NULL or NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_new_parameters(
    module: *const mipsrp_module,
    class_name: *const libc::c_char,
    method_name: *const libc::c_char,
    parameters: *mut *mut MI_Instance,
) -> MI_Result {
    guard(|| {
        // SAFETY: by contract.
        let (Some(m), Ok(c), Ok(me)) = (
            unsafe { module.as_ref() },
            unsafe { arg(class_name, "") },
            unsafe { arg(method_name, "") },
        ) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if parameters.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        match m.module.new_parameters(c, me) {
            Ok(i) => {
                // SAFETY: non-NULL, writable.
                unsafe { parameters.write(i.into_raw()) };
                MI_RESULT_OK
            }
            Err(_) => MI_RESULT_NOT_FOUND,
        }
    })
}

/// Invokes method `method_name` of class `class_name` in `name_space` on
/// `context`: a static method when `instance` is NULL, else an instance
/// method on the instance whose keys `instance` holds; `parameters` from
/// `mipsrp_module_new_parameters` or NULL. The provider's out-parameters
/// reach the client as a CimMethodResult, `WriteStreamParameter` items as
/// CimMethodStreamedResults, with its progress and messages, in order.
///
/// The call returns when the provider's function returns; the provider may
/// end the operation later, on another thread: wait with
/// `mipsrp_context_wait` or a completion callback, then free the context.
/// When the operation cannot start (no such class or method, the class's
/// `Load` failed, no function) it is ended on the context with an error
/// record (`PostError`) and that result is returned.
///
/// Returns `MI_RESULT_OK` once the provider was called;
/// `MI_RESULT_INVALID_PARAMETER` for a NULL or foreign argument, a context
/// or instance of another character type than the module's; else the
/// result the operation ended with.
///
/// Thread-safety: any thread; operations may run at once.
///
/// # Safety
/// `module` NULL or live; `context` NULL or a live context from
/// `mipsrp_context_new_ex`; strings NULL or NUL-terminated UTF-8;
/// `instance`/`parameters` NULL or live instances of mi-psrp that stay
/// unchanged until the operation ends.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_invoke(
    module: *const mipsrp_module,
    context: *mut MI_Context,
    name_space: *const libc::c_char,
    class_name: *const libc::c_char,
    method_name: *const libc::c_char,
    instance: *const MI_Instance,
    parameters: *const MI_Instance,
) -> MI_Result {
    // SAFETY: forwarded contracts.
    unsafe {
        with_module(module, context, |m, pc| {
            let ns = arg(name_space, "name_space is NULL or not UTF-8")?;
            let class = arg(class_name, "class_name is NULL or not UTF-8")?;
            let method = arg(method_name, "method_name is NULL or not UTF-8")?;
            let instance = view(instance)?;
            let parameters = view(parameters)?;
            run(
                m,
                pc,
                ns,
                Request::Invoke {
                    class,
                    method,
                    instance: instance.as_deref(),
                    parameters: parameters.as_deref(),
                },
            )
        })
    }
}

/// Enumerates the instances of class `class_name`: `keys_only` asks for
/// keys only; `properties` (`property_count` names, or NULL for all) is the
/// property set the provider receives; `filter` (NUL-terminated UTF-8, or
/// NULL for none) is a WQL filter in the subset `Property = 'text' | number |
/// TRUE | FALSE | NULL` joined with `AND` (alone or after `SELECT * FROM
/// Class WHERE`): the provider receives it as its `MI_Filter`, and an
/// instance it posts that does not match is not sent. Each posted instance
/// reaches the client as a CimInstance. Returns and ends as
/// `mipsrp_module_invoke`; a filter outside the subset ends the operation
/// with `MI_RESULT_INVALID_QUERY` (error record).
///
/// # Safety
/// As for `mipsrp_module_invoke`; `properties` NULL or `property_count`
/// NUL-terminated UTF-8 strings; `filter` NULL or NUL-terminated.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mipsrp_module_enumerate(
    module: *const mipsrp_module,
    context: *mut MI_Context,
    name_space: *const libc::c_char,
    class_name: *const libc::c_char,
    filter: *const libc::c_char,
    keys_only: MI_Boolean,
    properties: *const *const libc::c_char,
    property_count: usize,
) -> MI_Result {
    // SAFETY: forwarded contracts.
    unsafe {
        with_module(module, context, |m, pc| {
            let ns = arg(name_space, "name_space is NULL or not UTF-8")?;
            let class = arg(class_name, "class_name is NULL or not UTF-8")?;
            let filter = if filter.is_null() {
                None
            } else {
                Some(arg(filter, "filter is not UTF-8")?)
            };
            let props = names(properties, property_count)?;
            run(
                m,
                pc,
                ns,
                Request::Enumerate {
                    class,
                    keys_only: keys_only != 0,
                    properties: props.as_deref(),
                    filter,
                },
            )
        })
    }
}

/// The kinds of `mipsrp_module_instance_operation`.
pub const MIPSRP_OPERATION_GET: u32 = 0;
/// CreateInstance.
pub const MIPSRP_OPERATION_CREATE: u32 = 1;
/// ModifyInstance.
pub const MIPSRP_OPERATION_MODIFY: u32 = 2;
/// DeleteInstance.
pub const MIPSRP_OPERATION_DELETE: u32 = 3;

/// Runs GetInstance (`MIPSRP_OPERATION_GET`), CreateInstance (`…_CREATE`),
/// ModifyInstance (`…_MODIFY`) or DeleteInstance (`…_DELETE`) with
/// `instance` (the keys; the new instance; the changed properties), an
/// instance of the operation's class made by `mipsrp_module_new_instance`.
/// `properties` (Get and Modify; NULL for all) is the property set.
/// Returns and ends as `mipsrp_module_invoke`; an unknown `operation` →
/// `MI_RESULT_INVALID_PARAMETER`, nothing run.
///
/// # Safety
/// As for `mipsrp_module_enumerate`; `instance` a live instance of mi-psrp.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_module_instance_operation(
    module: *const mipsrp_module,
    context: *mut MI_Context,
    operation: u32,
    name_space: *const libc::c_char,
    instance: *const MI_Instance,
    properties: *const *const libc::c_char,
    property_count: usize,
) -> MI_Result {
    // SAFETY: forwarded contracts.
    unsafe {
        with_module(module, context, |m, pc| {
            let ns = arg(name_space, "name_space is NULL or not UTF-8")?;
            let inst = view(instance)?.ok_or(MiError::InvalidParameter("instance is NULL"))?;
            let props = names(properties, property_count)?;
            let request = match operation {
                MIPSRP_OPERATION_GET => Request::Get {
                    instance: &inst,
                    properties: props.as_deref(),
                },
                MIPSRP_OPERATION_CREATE => Request::Create { instance: &inst },
                MIPSRP_OPERATION_MODIFY => Request::Modify {
                    instance: &inst,
                    properties: props.as_deref(),
                },
                MIPSRP_OPERATION_DELETE => Request::Delete { instance: &inst },
                _ => return Err(MiError::InvalidParameter("unknown operation")),
            };
            run(m, pc, ns, request)
        })
    }
}

/// How the pool's CIM output objects are written from now on:
/// `computer_name` (NUL-terminated UTF-8, or NULL) is the `PSComputerName`
/// every output object carries (NULL: a Nil, as a local Windows session
/// sends — the default); `class_metadata` non-zero adds `__ClassMetadata` to
/// every CimInstance, cached per pipeline (off by default: pwsh off Windows
/// fails a pipeline on it; see `psrp-cim-output.md` §6).
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed)
/// when `pool` is NULL or `computer_name` is not UTF-8.
///
/// Thread-safety: any thread; objects being written keep the settings they started with.
///
/// # Safety
/// `pool` is NULL or a live pool; `computer_name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_set_output(
    pool: *const super::host::mipsrp_pool,
    computer_name: *const libc::c_char,
    class_metadata: MI_Boolean,
) -> MI_Result {
    // SAFETY: forwarded contracts.
    unsafe {
        super::host::with_pool(pool, |p| {
            let name = if computer_name.is_null() {
                None
            } else {
                match c_str(computer_name) {
                    Some(n) => Some(n.into()),
                    None => return MI_RESULT_INVALID_PARAMETER,
                }
            };
            p.set_output_settings(crate::host::OutputSettings {
                computer_name: name,
                class_metadata: class_metadata != 0,
            });
            MI_RESULT_OK
        })
    }
}

/// Sets an operation option of `context`, which its provider reads with
/// `MI_Context_GetStringOption` (and `GetCustomOption`, as `MI_STRING`):
/// `name` and `value` NUL-terminated UTF-8, given to the provider in its
/// character type. A later set of the same name (ignoring ASCII case) wins.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed)
/// for a NULL or foreign argument or text that is not UTF-8.
///
/// Thread-safety: any thread; set options before running the operation.
///
/// # Safety
/// `context` NULL or a live context of mi-psrp; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_string_option(
    context: *mut MI_Context,
    name: *const libc::c_char,
    value: *const libc::c_char,
) -> MI_Result {
    guard(|| {
        // SAFETY: forwarded contracts.
        let (Some(n), Some(v)) = (unsafe { c_str(name) }, unsafe { c_str(value) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: NULL or a live context, by contract.
        if unsafe { ours(context) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: checked: a live context of ours, freed by the host.
        let pc = unsafe { ProviderContext::borrowed(context) };
        pc.set_option(
            n,
            crate::provider::context::options::OptionValue::String(v.to_owned()),
        );
        MI_RESULT_OK
    })
}

/// Sets a number option of `context` (`MI_Context_GetNumberOption`, and
/// `GetCustomOption` as `MI_UINT32`). As `mipsrp_context_set_string_option`.
///
/// # Safety
/// As for `mipsrp_context_set_string_option`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_number_option(
    context: *mut MI_Context,
    name: *const libc::c_char,
    value: u32,
) -> MI_Result {
    guard(|| {
        // SAFETY: forwarded contracts.
        let Some(n) = (unsafe { c_str(name) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: NULL or a live context, by contract.
        if unsafe { ours(context) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: checked: a live context of ours, freed by the host.
        let pc = unsafe { ProviderContext::borrowed(context) };
        pc.set_option(
            n,
            crate::provider::context::options::OptionValue::Number(value),
        );
        MI_RESULT_OK
    })
}
