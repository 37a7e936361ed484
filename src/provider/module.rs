//! Loading a provider module: `dlopen` (through `libloading`), `MI_Main`
//! with a complete `MI_Server`, the checks a module must pass, the module's
//! `Load`, each class's `Load` on its first use, and unloading (classes, then
//! the module, then the library).
//!
//! Load errors name the path and the reason ([`LoadError`]); nothing aborts.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::context::{Operation, ProviderContext, UnloadControl};
use super::instance::value;
use super::instance::{self, check_class_decl, check_method_decl};
use crate::host::{CharType, Context, MiError, Pool};
use crate::mi::*;
use crate::psrp::guid::Guid;

/// The newest `MI_Module.version` mi-psrp loads: `MI_VERSION` of its header (1.1.0).
pub const SUPPORTED_VERSION: u32 = (1 << 16) | (1 << 8);

/// How long `Load` and `Unload` calls may take before loading fails.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a module did not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The module's path.
    pub path: PathBuf,
    /// What went wrong.
    pub reason: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot load {}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for LoadError {}

unsafe extern "system" fn server_get_version(version: *mut MI_Uint32) -> MI_Result {
    if version.is_null() {
        return MI_RESULT_INVALID_PARAMETER;
    }
    // SAFETY: non-NULL, writable by MI's contract.
    unsafe { version.write(SUPPORTED_VERSION) };
    MI_RESULT_OK
}

/// The host name, NUL-terminated, in each character type (made once).
fn system_name() -> &'static (Vec<u8>, Vec<MI_Char>) {
    static NAME: std::sync::OnceLock<(Vec<u8>, Vec<MI_Char>)> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        let name = host_name();
        let mut u: Vec<u8> = name.bytes().collect();
        u.push(0);
        let mut w: Vec<MI_Char> = if size_of::<MI_Char>() == 2 {
            name.encode_utf16().map(|u| u as MI_Char).collect()
        } else {
            name.chars().map(|c| c as u32 as MI_Char).collect()
        };
        w.push(0);
        (u, w)
    })
}

/// The machine's name: `gethostname`.
#[cfg(unix)]
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for its length.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    let len = if rc == 0 {
        buf.iter().position(|&b| b == 0).unwrap_or(0)
    } else {
        0
    };
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

/// The machine's name on Windows: `%COMPUTERNAME%`, which Windows sets for
/// every process (libc has no `gethostname` there).
#[cfg(windows)]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_default()
}

unsafe extern "system" fn server_get_system_name_utf8(name: *mut *const MI_Char) -> MI_Result {
    if name.is_null() {
        return MI_RESULT_INVALID_PARAMETER;
    }
    // SAFETY: non-NULL, writable; the name lives for the process.
    unsafe { name.write(system_name().0.as_ptr().cast()) };
    MI_RESULT_OK
}

unsafe extern "system" fn server_get_system_name_wide(name: *mut *const MI_Char) -> MI_Result {
    if name.is_null() {
        return MI_RESULT_INVALID_PARAMETER;
    }
    // SAFETY: non-NULL, writable; the name lives for the process.
    unsafe { name.write(system_name().1.as_ptr()) };
    MI_RESULT_OK
}

static SERVER_FT_UTF8: MI_ServerFT = MI_ServerFT {
    GetVersion: Some(server_get_version),
    GetSystemName: Some(server_get_system_name_utf8),
};

static SERVER_FT_WIDE: MI_ServerFT = MI_ServerFT {
    GetVersion: Some(server_get_version),
    GetSystemName: Some(server_get_system_name_wide),
};

/// What a class is at: not loaded yet, or loaded with the provider's self.
#[derive(Clone, Copy)]
enum ClassState {
    NotLoaded,
    Loaded(*mut libc::c_void),
}

/// The module's unload requests (`RefuseUnload`, `RequestUnload`).
#[derive(Default)]
struct UnloadFlags {
    refused: AtomicBool,
    requested: AtomicBool,
}

impl UnloadControl for UnloadFlags {
    fn refuse_unload(&self) {
        self.refused.store(true, Ordering::Release);
    }
    fn request_unload(&self) {
        self.requested.store(true, Ordering::Release);
    }
}

/// A loaded provider module.
///
/// Thread-safety: every method takes `&self`; operations may run on several
/// threads at once (class `Load`s are serialized).
pub struct Module {
    path: PathBuf,
    /// `None` once unloaded, or leaked (a Load/Unload that never ended).
    lib: Option<libloading::Library>,
    module: *mut MI_Module,
    char_type: CharType,
    /// The server `MI_Main` was given: it must outlive the module.
    _server: Box<MI_Server>,
    module_self: *mut MI_Module_Self,
    classes: Mutex<Vec<ClassState>>,
    unload: Arc<UnloadFlags>,
    /// Where the module's own Load/Unload contexts send (nowhere).
    quiet: Arc<Pool>,
}

// SAFETY: the module's pointers are its own static data and the provider's
// self pointers, which MI lets any thread use; mutable state is locked.
unsafe impl Send for Module {}
// SAFETY: as above.
unsafe impl Sync for Module {}

/// Waits for the operation on `pc` to end; its result, or `None` on timeout.
fn finish(pc: ProviderContext, timeout: Duration) -> Option<(MI_Result, Option<String>)> {
    let outcome = pc.context().wait(Some(timeout));
    match outcome {
        Some(o) => Some((o.result, o.message)),
        None => {
            // The provider may still post on it: keep the context allocated.
            std::mem::forget(pc);
            None
        }
    }
}

impl Module {
    /// Loads the module at `path`: opens the library, calls `MI_Main`, checks
    /// the module (not NULL, version at most [`SUPPORTED_VERSION`], `charSize`
    /// 1 for UTF-8 or `sizeof(wchar_t)` for wide, a schema whose
    /// declarations are sound, or a dynamic provider table) and calls its
    /// `Load`, waiting up to [`LOAD_TIMEOUT`] for its `PostResult`.
    pub fn load(path: impl AsRef<Path>) -> Result<Arc<Module>, LoadError> {
        let path = path.as_ref().to_path_buf();
        let err = |reason: String| LoadError {
            path: path.clone(),
            reason,
        };
        // SAFETY: loading a provider module runs its initializers: trusting
        // the module is what loading one means (MI's model).
        let lib = unsafe { libloading::Library::new(&path) }.map_err(|e| err(e.to_string()))?;
        // SAFETY: MI_Main's type is MI's (`MI_MainFunction`).
        let main: libloading::Symbol<unsafe extern "C" fn(*mut MI_Server) -> *mut MI_Module> =
            unsafe { lib.get(b"MI_Main\0") }.map_err(|e| err(format!("no MI_Main: {e}")))?;
        let mut server = Box::new(MI_Server {
            serverFT: &SERVER_FT_WIDE,
            contextFT: &super::context::CONTEXT_FT,
            instanceFT: &instance::ft::INSTANCE_FT,
            propertySetFT: &super::sets::PROPERTY_SET_FT,
            filterFT: &super::filter::FILTER_FT,
        });
        // SAFETY: calling the module's entry point with a complete server
        // that lives as long as the module.
        let module = unsafe { main(&mut *server) };
        if module.is_null() {
            return Err(err("MI_Main returned NULL".into()));
        }
        // SAFETY: a non-NULL MI_Module from MI_Main.
        let m = unsafe { &*module };
        if m.version > SUPPORTED_VERSION {
            return Err(err(format!(
                "module version {}.{}.{} is newer than the supported {}.{}.{}",
                m.version >> 16,
                (m.version >> 8) & 0xFF,
                m.version & 0xFF,
                SUPPORTED_VERSION >> 16,
                (SUPPORTED_VERSION >> 8) & 0xFF,
                SUPPORTED_VERSION & 0xFF
            )));
        }
        let char_type = match CharType::from_char_size(m.charSize as usize) {
            Some(ct) => ct,
            None => {
                return Err(err(format!(
                    "charSize {} is neither 1 (UTF-8) nor sizeof(wchar_t) ({})",
                    m.charSize,
                    std::mem::size_of::<MI_Char>()
                )));
            }
        };
        server.serverFT = match char_type {
            CharType::Utf8 => &SERVER_FT_UTF8,
            CharType::Wide => &SERVER_FT_WIDE,
        };
        // SAFETY: the module's schema, read only.
        let classes = unsafe { check_schema(m) }.map_err(|e| err(e.to_string()))?;
        let quiet = Pool::new(Guid::NIL, |_: &[u8]| {});
        let mut loaded = Module {
            path: path.clone(),
            lib: Some(lib),
            module,
            char_type,
            _server: server,
            module_self: std::ptr::null_mut(),
            classes: Mutex::new(vec![ClassState::NotLoaded; classes]),
            unload: Arc::default(),
            quiet,
        };
        if let Some(load) = m.Load {
            let pc = loaded.quiet_context();
            let mut module_self = std::ptr::null_mut();
            // SAFETY: the module's Load with a writable self and a live context.
            unsafe { load(&mut module_self, pc.as_ptr()) };
            match finish(pc, LOAD_TIMEOUT) {
                Some((MI_RESULT_OK, _)) => loaded.module_self = module_self,
                Some((r, msg)) => {
                    // The module did not load: nothing to unload, close the library.
                    return Err(err(format!(
                        "the module's Load posted {} ({r}){}",
                        crate::host::error_id::native_error_code_name(r)
                            .unwrap_or("an unknown result"),
                        msg.map(|m| format!(": {m}")).unwrap_or_default()
                    )));
                }
                None => {
                    std::mem::forget(loaded.lib.take());
                    return Err(err(format!(
                        "the module's Load did not post a result within {} s",
                        LOAD_TIMEOUT.as_secs()
                    )));
                }
            }
        }
        Ok(Arc::new(loaded))
    }

    fn quiet_context(&self) -> ProviderContext {
        let ctx = Context::with_char_type(&self.quiet, Guid::NIL, -1, -1, self.char_type)
            .expect("valid ids");
        ProviderContext::new(ctx)
    }

    /// The module's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The module's character type (`charSize`).
    pub fn char_type(&self) -> CharType {
        self.char_type
    }

    /// Whether a provider of the module called `RefuseUnload` (a host that
    /// unloads idle modules keeps this one).
    pub fn unload_refused(&self) -> bool {
        self.unload.refused.load(Ordering::Acquire)
    }

    /// Whether a provider of the module called `RequestUnload` (a host
    /// should unload it when idle).
    pub fn unload_requested(&self) -> bool {
        self.unload.requested.load(Ordering::Acquire)
    }

    fn schema(&self) -> Option<&MI_SchemaDecl> {
        // SAFETY: the module lives while `self` does; its schema is checked.
        unsafe { (*self.module).schemaDecl.as_ref() }
    }

    /// The class declarations of the schema.
    pub fn class_decls(&self) -> Vec<*const MI_ClassDecl> {
        let Some(s) = self.schema() else {
            return Vec::new();
        };
        // SAFETY: checked at load: `numClassDecls` readable pointers.
        (0..s.numClassDecls as usize)
            .map(|i| unsafe { *s.classDecls.add(i) })
            .collect()
    }

    /// The names of the classes the module declares.
    pub fn class_names(&self) -> Vec<String> {
        self.class_decls()
            .into_iter()
            // SAFETY: checked declarations with names.
            .map(|d| unsafe { value::units((*d).name, self.char_type) }.to_utf16())
            .filter_map(Result::ok)
            .map(|u| String::from_utf16_lossy(&u))
            .collect()
    }

    /// The index and declaration of class `name` (ignoring ASCII case).
    pub fn find_class(&self, name: &str) -> Option<(usize, *const MI_ClassDecl)> {
        self.class_decls()
            .into_iter()
            .enumerate()
            // SAFETY: checked declarations with names.
            .find(|&(_, d)| unsafe { value::units((*d).name, self.char_type) }.eq_str(name))
    }

    /// The declaration of method `method` of class `decl`.
    pub(crate) fn find_method(
        &self,
        decl: *const MI_ClassDecl,
        method: &str,
    ) -> Option<*const MI_MethodDecl> {
        // SAFETY: a checked declaration: `numMethods` readable, checked pointers.
        let d = unsafe { &*decl };
        (0..d.numMethods as usize)
            // SAFETY: as above.
            .map(|i| unsafe { *d.methods.add(i) })
            // SAFETY: checked method declarations with names.
            .find(|&m| unsafe { value::units((*m).name, self.char_type) }.eq_str(method))
    }

    /// The provider's self for class `index`, calling its `Load` on first use.
    /// A `Load` that posts an error fails this operation with the provider's
    /// result (and is tried again by the next operation on the class); other
    /// classes are not affected.
    pub(crate) fn class_self(
        &self,
        index: usize,
        decl: *const MI_ClassDecl,
    ) -> Result<*mut libc::c_void, (MI_Result, String)> {
        let mut classes = self
            .classes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(ClassState::Loaded(s)) = classes.get(index) {
            return Ok(*s);
        }
        // SAFETY: checked; `providerFT` is NULL or the class's table.
        let ft = unsafe { (*decl).providerFT.as_ref() };
        let Some(load) = ft.and_then(|f| f.Load) else {
            classes[index] = ClassState::Loaded(std::ptr::null_mut());
            return Ok(std::ptr::null_mut());
        };
        let pc = self.quiet_context();
        let mut class_self = std::ptr::null_mut();
        // SAFETY: the class's Load with a writable self, the module's self
        // and a live context.
        unsafe { load(&mut class_self, self.module_self, pc.as_ptr()) };
        match finish(pc, LOAD_TIMEOUT) {
            Some((MI_RESULT_OK, _)) => {
                classes[index] = ClassState::Loaded(class_self);
                Ok(class_self)
            }
            Some((r, msg)) => Err((r, msg.unwrap_or_else(|| "the class's Load failed".into()))),
            None => Err((
                MI_RESULT_FAILED,
                "the class's Load did not post a result".into(),
            )),
        }
    }

    /// What a context running an operation of this module is told.
    pub(crate) fn operation(
        &self,
        namespace: &str,
        decl: *const MI_ClassDecl,
        class_name: &str,
        method: Option<(&str, *const MI_MethodDecl)>,
    ) -> Operation {
        // The declaration's spelling of the name, when there is one.
        let class_name = if decl.is_null() {
            class_name.into()
        } else {
            // SAFETY: a checked declaration with a name.
            crate::psrp::cim::CimString(
                unsafe { value::units((*decl).name, self.char_type) }
                    .to_utf16()
                    .unwrap_or_default(),
            )
        };
        Operation {
            namespace: namespace.into(),
            class_name,
            class_decl: decl,
            method: method.map(|(n, d)| (n.into(), d)),
            unload: Some(Arc::clone(&self.unload) as Arc<dyn UnloadControl>),
            filter: None,
        }
    }

    /// The dynamic provider table, if the module has one.
    pub(crate) fn dynamic_ft(&self) -> Option<&MI_ProviderFT> {
        // SAFETY: the module lives while `self` does.
        unsafe { (*self.module).dynamicProviderFT.as_ref() }
    }
}

/// What is wrong with a schema.
struct SchemaError(String);

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad schema: {}", self.0)
    }
}

/// Checks every declaration of the module's schema; the number of classes.
///
/// # Safety
/// `m` is the module `MI_Main` returned.
unsafe fn check_schema(m: &MI_Module) -> Result<usize, SchemaError> {
    // SAFETY: NULL or the module's schema.
    let Some(s) = (unsafe { m.schemaDecl.as_ref() }) else {
        if m.dynamicProviderFT.is_null() {
            return Err(SchemaError(
                "the module has neither a schema nor a dynamic provider table".into(),
            ));
        }
        return Ok(0);
    };
    if s.numClassDecls > 0 && s.classDecls.is_null() {
        return Err(SchemaError("the schema lists no class declarations".into()));
    }
    for i in 0..s.numClassDecls as usize {
        // SAFETY: `numClassDecls` readable pointers.
        let d = unsafe { *s.classDecls.add(i) };
        // SAFETY: NULL or a declaration of the module.
        if let Err(e) = unsafe { check_class_decl(d) } {
            // SAFETY: as above; the name is read only if the pointers are there.
            let name = unsafe { d.as_ref() }
                .filter(|d| !d.name.is_null())
                .and_then(|d| {
                    unsafe {
                        value::units(
                            d.name,
                            crate::host::CharType::from_char_size(m.charSize as usize)?,
                        )
                    }
                    .to_utf16()
                    .ok()
                })
                .map(|u| String::from_utf16_lossy(&u))
                .unwrap_or_else(|| format!("#{i}"));
            return Err(SchemaError(format!("class {name}: {e}")));
        }
        // SAFETY: checked above.
        let dd = unsafe { &*d };
        if dd.numMethods > 0 && dd.methods.is_null() {
            return Err(SchemaError(format!(
                "class #{i} lists no method declarations"
            )));
        }
        for j in 0..dd.numMethods as usize {
            // SAFETY: `numMethods` readable pointers.
            if let Err(e) = unsafe { check_method_decl(*dd.methods.add(j)) } {
                return Err(SchemaError(format!("class #{i}, method #{j}: {e}")));
            }
        }
    }
    Ok(s.numClassDecls as usize)
}

impl Drop for Module {
    /// Unloads: each loaded class's `Unload`, then the module's, each
    /// waited for (up to [`LOAD_TIMEOUT`]); then closes the library. A
    /// provider that never ends an Unload keeps its library loaded (closing
    /// it under the provider would crash).
    fn drop(&mut self) {
        let decls = self.class_decls();
        let states = std::mem::take(
            &mut *self
                .classes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut ended = true;
        for (i, state) in states.into_iter().enumerate().rev() {
            let ClassState::Loaded(class_self) = state else {
                continue;
            };
            // SAFETY: a checked declaration; NULL or its provider table.
            let unload = unsafe { (*decls[i]).providerFT.as_ref() }.and_then(|f| f.Unload);
            if let Some(unload) = unload {
                let pc = self.quiet_context();
                // SAFETY: the class's Unload with its self and a live context.
                unsafe { unload(class_self, pc.as_ptr()) };
                ended &= finish(pc, LOAD_TIMEOUT).is_some();
            }
        }
        // SAFETY: the module lives until the library closes.
        if let Some(unload) = unsafe { (*self.module).Unload } {
            let pc = self.quiet_context();
            // SAFETY: the module's Unload with its self and a live context.
            unsafe { unload(self.module_self, pc.as_ptr()) };
            ended &= finish(pc, LOAD_TIMEOUT).is_some();
        }
        if !ended {
            std::mem::forget(self.lib.take());
        }
    }
}

impl Module {
    /// A new instance of class `class` (for Get/Create/Modify/Delete, or an
    /// instance method's target), every property null.
    pub fn new_instance(&self, class: &str) -> Result<instance::HeapInstance, MiError> {
        let (_, decl) = self.find_class(class).ok_or(MiError::Code(
            MI_RESULT_INVALID_CLASS,
            "the module has no such class",
        ))?;
        // SAFETY: a checked declaration of the loaded module.
        unsafe { instance::new_instance(decl, self.char_type) }
    }

    /// New in-parameters of method `method` of class `class`, every parameter null.
    pub fn new_parameters(
        &self,
        class: &str,
        method: &str,
    ) -> Result<instance::HeapInstance, MiError> {
        let (_, decl) = self.find_class(class).ok_or(MiError::Code(
            MI_RESULT_INVALID_CLASS,
            "the module has no such class",
        ))?;
        let m = self.find_method(decl, method).ok_or(MiError::Code(
            MI_RESULT_METHOD_NOT_FOUND,
            "the class has no such method",
        ))?;
        // SAFETY: a checked declaration of the loaded module.
        unsafe { instance::new_parameters(m, self.char_type) }
    }

    /// The declared `MI_Type` and class name (embedded instances and
    /// references) of element `name` of `inst`.
    pub fn element_type(
        &self,
        inst: &instance::HeapInstance,
        name: &str,
    ) -> Option<(MI_Type, Option<String>)> {
        // SAFETY: a live instance of ours.
        let rec = unsafe { instance::record(inst.as_ptr()) }?;
        let i = rec.find_str(inst.as_ptr(), name)?;
        let e = rec.element(inst.as_ptr(), i)?;
        let class = (!e.class_name.is_null()).then(|| {
            // SAFETY: a declared class name, NUL-terminated.
            let u = unsafe { value::units(e.class_name, self.char_type) };
            String::from_utf16_lossy(&u.to_utf16().unwrap_or_default())
        });
        Some((e.ty, class))
    }

    /// The names of the elements of `inst`, in order.
    pub fn element_names(&self, inst: &instance::HeapInstance) -> Vec<String> {
        // SAFETY: a live instance of ours.
        let Some(rec) = (unsafe { instance::record(inst.as_ptr()) }) else {
            return Vec::new();
        };
        (0..rec.count(inst.as_ptr()))
            .filter_map(|i| rec.element(inst.as_ptr(), i))
            // SAFETY: declared names, NUL-terminated.
            .map(|e| {
                unsafe { value::units(e.name, self.char_type) }
                    .to_utf16()
                    .unwrap_or_default()
            })
            .map(|u| String::from_utf16_lossy(&u))
            .collect()
    }

    /// Sets element `name` of `inst` to `value` (`None`: null), copied.
    /// Embedded instances are made as instances of the class their value
    /// names (a derived class of the declared one, or the declared one).
    pub fn set(
        &self,
        inst: &instance::HeapInstance,
        name: &str,
        value: Option<&crate::psrp::cim::CimValue>,
    ) -> Result<(), MiError> {
        // SAFETY: a live instance of ours.
        let rec = unsafe { instance::record(inst.as_ptr()) }
            .ok_or(MiError::InvalidParameter("not an instance of ours"))?;
        let index = rec.find_str(inst.as_ptr(), name).ok_or(MiError::Code(
            MI_RESULT_NO_SUCH_PROPERTY,
            "no element has that name",
        ))?;
        let mut make = |ci: &crate::psrp::cim::CimInstance| self.make_instance(ci);
        // SAFETY: a live instance of ours.
        unsafe { instance::write::set_cim(inst.as_ptr(), index, value, &mut make) }
    }

    fn make_instance(
        &self,
        ci: &crate::psrp::cim::CimInstance,
    ) -> Result<instance::HeapInstance, MiError> {
        let made = self.new_instance(&ci.class.name.to_string_lossy())?;
        for p in &ci.properties {
            self.set(&made, &p.name.to_string_lossy(), p.value.as_ref())?;
        }
        Ok(made)
    }

    /// Reads `inst` as a CIM instance (its namespace, when unset, `namespace`).
    pub fn read(
        &self,
        inst: &instance::HeapInstance,
        namespace: &str,
    ) -> Result<crate::psrp::cim::CimInstance, MiError> {
        let ns = crate::psrp::cim::CimString::from(namespace);
        let mut reader = instance::read::Reader::new(&ns);
        // SAFETY: a live instance of ours.
        unsafe { reader.instance(inst.as_ptr(), 0) }
    }
}
