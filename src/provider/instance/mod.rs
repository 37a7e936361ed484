//! `MI_Instance`: mi-psrp's implementation of every `MI_InstanceFT` slot over
//! the layout generated providers declare — `MI_ClassDecl.size` bytes that
//! start with the `MI_Instance` header, each property an `MI_<Type>Field`
//! (`value`, `exists`, `flags`) at `MI_PropertyDecl.offset` — for class
//! instances, method parameters (`MI_MethodDecl` read as a class, as MI
//! does) and dynamic instances (no generated structure: each element has a
//! field cell of its own).
//!
//! | concept | file |
//! |---|---|
//! | the instance record, elements, ownership, clone, destruct | this file |
//! | value sizes, owned memory, provider text | [`value`] |
//! | setting and reading values | [`element`] |
//! | the function table (`MI_InstanceFT`) | [`ft`] |
//! | reading an instance into CIM output values | [`read`] |
//!
//! Ownership (MI's rules): a value set with no flag is copied, deeply
//! (strings, arrays, embedded instances, cloned); `MI_FLAG_BORROW` keeps the
//! caller's pointers, which must outlive the instance; `MI_FLAG_ADOPT` takes
//! the caller's memory, which must come from `malloc` (instances: any of ours,
//! deleted with `MI_Instance_Delete`). `Destruct` frees exactly what the
//! instance owns, whatever the provider wrote into its fields directly;
//! `Delete` destructs and frees an instance this library allocated.
//!
//! Every instance of ours has its table (`ft`) pointing at [`ft::INSTANCE_FT`],
//! `reserved[0]` holding `MAGIC`, `reserved[1]` its `Record` and
//! `reserved[2]` the instance's own address: a copy of the structure (a
//! provider that copied it by value) is refused (`MI_RESULT_INVALID_PARAMETER`)
//! without following its record pointer (freed if the original is gone),
//! instead of freeing the same memory twice.

pub mod element;
pub mod ft;
pub mod read;
pub mod value;
pub(crate) mod write;

use std::alloc::Layout;
use std::ptr::{self, NonNull};

use crate::host::{CharType, MiError};
use crate::mi::{
    MI_ClassDecl, MI_Instance, MI_MethodDecl, MI_ParameterDecl, MI_PropertyDecl,
    MI_RESULT_INVALID_PARAMETER, MI_Result, MI_Type,
};
use value::{Owned, OwnedText, Units};

/// `reserved[0]` of every instance mi-psrp made.
pub(crate) const MAGIC: isize = 0x4d49_5053_5250_494e_u64 as isize; // "MIPSRPIN"

/// The deepest nesting of embedded instances read or cloned: deeper (or a
/// cycle, which a provider can make by writing pointers directly) is refused.
pub const MAX_DEPTH: usize = 32;

/// The offset omigen gives a streamed parameter (`[Stream]`), which has no
/// field in the structure: `WriteStreamParameter` sends its items.
pub const NO_FIELD: u32 = 0xFFFF_FFFF;

/// The largest class a declaration may describe (`MI_ClassDecl.size`).
const MAX_CLASS_SIZE: u32 = 1 << 24;

/// What an instance is an instance of.
pub(crate) enum Kind {
    /// A class: `classDecl` is the provider's `MI_ClassDecl`.
    Class,
    /// A method's parameters: `classDecl` is the `MI_MethodDecl` (as MI
    /// lays it out, its first fields are a class declaration's).
    Parameters(*const MI_MethodDecl),
    /// A dynamic instance: its own class declaration and field cells.
    Dynamic(Box<Dynamic>),
}

/// The class and fields of a dynamic instance.
pub(crate) struct Dynamic {
    /// The declaration `classDecl` points at.
    decl: Box<MI_ClassDecl>,
    /// Owns the text `decl.name` points at.
    #[allow(dead_code)]
    name: OwnedText,
    /// Boxed: `prop_ptrs` points at each declaration, which must not move.
    #[allow(clippy::vec_box)]
    props: Vec<Box<MI_PropertyDecl>>,
    prop_ptrs: Vec<*const MI_PropertyDecl>,
    names: Vec<OwnedText>,
    /// One field per element, laid out as a generated structure's field.
    #[allow(clippy::vec_box)]
    cells: Vec<Box<[u64; 5]>>,
}

/// What mi-psrp keeps for each instance it made (`reserved[1]`).
pub(crate) struct Record {
    /// The address of the instance this record belongs to.
    owner: *const MI_Instance,
    pub(crate) char_type: CharType,
    pub(crate) kind: Kind,
    /// How the instance's memory was allocated, when this library allocated it.
    heap: Option<Layout>,
    /// What the instance owns, per element.
    owned: Vec<Option<Owned>>,
    namespace: Option<OwnedText>,
    server_name: Option<OwnedText>,
}

/// One element (property or parameter) of an instance: its declaration and field.
#[derive(Clone, Copy)]
pub(crate) struct Element {
    pub(crate) name: *const crate::mi::MI_Char,
    pub(crate) ty: MI_Type,
    pub(crate) decl_flags: u32,
    pub(crate) class_name: *const crate::mi::MI_Char,
    /// The field: the value, then `exists`, then `flags`; NULL for a
    /// streamed parameter, which has none ([`NO_FIELD`]).
    pub(crate) field: *mut u8,
}

impl Element {
    /// Whether the field holds a value.
    pub(crate) fn exists(&self) -> bool {
        if self.field.is_null() {
            return false;
        }
        let size = value::value_size(self.ty).unwrap_or(0);
        // SAFETY: `field` is a field of type `ty`: its `exists` byte is at `size`.
        unsafe { *self.field.add(size) != 0 }
    }
}

/// An instance this library allocated, deleted on drop.
#[derive(Debug)]
pub struct HeapInstance(NonNull<MI_Instance>);

// SAFETY: the instance is owned by this handle alone; MI instances are not
// tied to a thread (a provider may post one from any thread).
unsafe impl Send for HeapInstance {}
// SAFETY: `&HeapInstance` gives only reads.
unsafe impl Sync for HeapInstance {}

impl HeapInstance {
    /// The instance.
    pub fn as_ptr(&self) -> *mut MI_Instance {
        self.0.as_ptr()
    }

    /// Gives up ownership: the caller deletes it (`MI_Instance_Delete`).
    pub fn into_raw(self) -> *mut MI_Instance {
        let p = self.0.as_ptr();
        std::mem::forget(self);
        p
    }

    /// Takes ownership of an instance of ours allocated by this library.
    ///
    /// # Safety
    /// `p` is an instance from [`HeapInstance::into_raw`] (or a `New*` or
    /// `Clone` of ours), not deleted, owned by no one else.
    pub unsafe fn from_raw(p: *mut MI_Instance) -> Option<HeapInstance> {
        NonNull::new(p).map(HeapInstance)
    }
}

impl Drop for HeapInstance {
    fn drop(&mut self) {
        // SAFETY: the handle owns a live heap instance of ours.
        let _ = unsafe { delete(self.0.as_ptr()) };
    }
}

/// Deletes an instance through its own table (ours or another's); ignores NULL.
///
/// # Safety
/// `inst` is NULL or a live instance the caller owns.
pub(crate) unsafe fn delete_any(inst: *mut MI_Instance) {
    if inst.is_null() {
        return;
    }
    // SAFETY: a live instance, by the caller's contract.
    let Some(ft) = (unsafe { (*inst).ft.as_ref() }) else {
        return;
    };
    if let Some(del) = ft.Delete {
        // SAFETY: the instance's own Delete, on an instance the caller owns.
        unsafe { del(inst) };
    }
}

/// The record of an instance of ours; `None` for NULL, foreign, destructed,
/// or a copy of one of ours.
///
/// # Safety
/// `inst` is NULL or points to a readable `MI_Instance`; if it is one of
/// ours, nothing else uses its record during `'a`.
pub(crate) unsafe fn record<'a>(inst: *const MI_Instance) -> Option<&'a mut Record> {
    if inst.is_null() {
        return None;
    }
    // SAFETY: readable, by the caller's contract.
    let i = unsafe { &*inst };
    // reserved[2] holds the instance's own address: a byte copy (made by a
    // provider that copied the structure) has its original's, and is told
    // apart here, before its record pointer — which may be freed by now —
    // is followed.
    if !ptr::eq(i.ft, &ft::INSTANCE_FT)
        || i.reserved[0] != MAGIC
        || i.reserved[1] == 0
        || i.reserved[2] != inst as isize
    {
        return None;
    }
    let rec = i.reserved[1] as *mut Record;
    // SAFETY: an instance whose table and magic are ours holds its live
    // record's address in reserved[1] (set by `init`, cleared by `destruct`)
    // — unless it is a byte copy, which the owner check below tells apart
    // before anything is written.
    let r = unsafe { &mut *rec };
    if !ptr::eq(r.owner, inst) {
        return None;
    }
    Some(r)
}

/// Checks a class declaration a provider hands over before any memory is
/// laid out by it: every property declared, of a known type, its field
/// inside `size`; a superclass chain no deeper than [`MAX_DEPTH`].
///
/// # Safety
/// `decl` is NULL or points to a readable `MI_ClassDecl` whose arrays are readable.
pub(crate) unsafe fn check_class_decl(decl: *const MI_ClassDecl) -> Result<(), MiError> {
    // SAFETY: NULL or readable, by the caller's contract.
    let d =
        unsafe { decl.as_ref() }.ok_or(MiError::InvalidParameter("class declaration is NULL"))?;
    if d.name.is_null() {
        return Err(MiError::InvalidParameter(
            "the class declaration has no name",
        ));
    }
    // SAFETY: forwarded.
    unsafe { check_fields(d.properties.cast(), d.numProperties, d.size)? };
    let mut depth = 0;
    let mut sup = d.superClassDecl;
    while !sup.is_null() {
        depth += 1;
        if depth > MAX_DEPTH {
            return Err(MiError::InvalidParameter(
                "the superclass chain is too deep (or a cycle)",
            ));
        }
        // SAFETY: a superclass declaration of a readable declaration.
        sup = unsafe { (*sup).superClassDecl };
    }
    Ok(())
}

/// The same checks for a method's parameter declaration.
///
/// # Safety
/// `decl` is NULL or points to a readable `MI_MethodDecl` whose arrays are readable.
pub(crate) unsafe fn check_method_decl(decl: *const MI_MethodDecl) -> Result<(), MiError> {
    // SAFETY: NULL or readable, by the caller's contract.
    let d =
        unsafe { decl.as_ref() }.ok_or(MiError::InvalidParameter("method declaration is NULL"))?;
    if d.name.is_null() {
        return Err(MiError::InvalidParameter(
            "the method declaration has no name",
        ));
    }
    // SAFETY: forwarded; parameter declarations start as property declarations.
    unsafe { check_fields(d.parameters.cast(), d.numParameters, d.size) }
}

/// # Safety
/// `props` is NULL or points to `count` readable declaration pointers.
unsafe fn check_fields(
    props: *const *const MI_ParameterDecl,
    count: u32,
    size: u32,
) -> Result<(), MiError> {
    let header = std::mem::size_of::<MI_Instance>() as u64;
    if u64::from(size) < header || size > MAX_CLASS_SIZE {
        return Err(MiError::InvalidParameter(
            "the declaration's size is smaller than MI_Instance or too large",
        ));
    }
    if count > 0 && props.is_null() {
        return Err(MiError::InvalidParameter(
            "the declaration lists no properties",
        ));
    }
    for i in 0..count as usize {
        // SAFETY: `count` pointers are readable.
        let p = unsafe { *props.add(i) };
        // SAFETY: NULL or a readable declaration.
        let p = unsafe { p.as_ref() }
            .ok_or(MiError::InvalidParameter("a property declaration is NULL"))?;
        let vs = value::value_size(p.r#type).ok_or(MiError::InvalidParameter(
            "a property's type is not an MI_Type",
        ))?;
        if p.name.is_null() {
            return Err(MiError::InvalidParameter("a property has no name"));
        }
        if p.offset == NO_FIELD {
            continue;
        }
        if u64::from(p.offset) < header || u64::from(p.offset) + vs as u64 + 2 > u64::from(size) {
            return Err(MiError::InvalidParameter(
                "a property's field is outside the structure (offset and size disagree with its type)",
            ));
        }
    }
    Ok(())
}

/// Lays out a fresh instance at `inst` (`size` bytes, zeroed here): the
/// header and its record.
///
/// # Safety
/// `inst` points to `size` writable bytes, aligned for `MI_Instance`, that
/// no one else uses; `class_decl` is checked ([`check_class_decl`] or
/// [`check_method_decl`]) and outlives the instance.
unsafe fn init(
    inst: *mut MI_Instance,
    size: usize,
    class_decl: *const MI_ClassDecl,
    char_type: CharType,
    kind: Kind,
    heap: Option<Layout>,
    elements: usize,
) {
    // SAFETY: `size` writable bytes, by the caller's contract.
    unsafe { ptr::write_bytes(inst.cast::<u8>(), 0, size) };
    let rec = Box::new(Record {
        owner: inst,
        char_type,
        kind,
        heap,
        owned: (0..elements).map(|_| None).collect(),
        namespace: None,
        server_name: None,
    });
    // SAFETY: the header is writable (size ≥ its size).
    unsafe {
        (*inst).ft = &ft::INSTANCE_FT;
        (*inst).classDecl = class_decl;
        (*inst).reserved[0] = MAGIC;
        (*inst).reserved[1] = Box::into_raw(rec) as isize;
        (*inst).reserved[2] = inst as isize;
    }
}

/// `ConstructInstance`: lays out an instance of `decl` in the provider's memory.
///
/// # Safety
/// `inst` points to `decl->size` writable bytes; `decl` is readable and
/// outlives the instance.
pub(crate) unsafe fn construct(
    inst: *mut MI_Instance,
    decl: *const MI_ClassDecl,
    char_type: CharType,
) -> Result<(), MiError> {
    if inst.is_null() {
        return Err(MiError::InvalidParameter("instance is NULL"));
    }
    // SAFETY: forwarded.
    unsafe { check_class_decl(decl)? };
    // SAFETY: checked above; `size` bytes writable by the caller's contract.
    unsafe {
        let d = &*decl;
        init(
            inst,
            d.size as usize,
            decl,
            char_type,
            Kind::Class,
            None,
            d.numProperties as usize,
        );
    }
    Ok(())
}

/// `ConstructParameters`: lays out the parameters of `decl` in the provider's memory.
///
/// # Safety
/// As for [`construct`], with a method declaration.
pub(crate) unsafe fn construct_parameters(
    inst: *mut MI_Instance,
    decl: *const MI_MethodDecl,
    char_type: CharType,
) -> Result<(), MiError> {
    if inst.is_null() {
        return Err(MiError::InvalidParameter("instance is NULL"));
    }
    // SAFETY: forwarded.
    unsafe { check_method_decl(decl)? };
    // SAFETY: checked above.
    unsafe {
        let d = &*decl;
        init(
            inst,
            d.size as usize,
            decl.cast(),
            char_type,
            Kind::Parameters(decl),
            None,
            d.numParameters as usize,
        );
    }
    Ok(())
}

/// Allocates `size` zeroed bytes for an instance.
fn allocate(size: usize) -> Result<(*mut MI_Instance, Layout), MiError> {
    let layout = Layout::from_size_align(size.max(std::mem::size_of::<MI_Instance>()), 16)
        .map_err(|_| MiError::InvalidParameter("instance size"))?;
    // SAFETY: the layout's size is non-zero.
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        return Err(MiError::LimitsExceeded { size, max: 0 });
    }
    Ok((p.cast(), layout))
}

/// `NewInstance`: a heap instance of `decl`.
///
/// # Safety
/// `decl` is NULL or readable, and outlives the instance.
pub(crate) unsafe fn new_instance(
    decl: *const MI_ClassDecl,
    char_type: CharType,
) -> Result<HeapInstance, MiError> {
    // SAFETY: forwarded.
    unsafe { check_class_decl(decl)? };
    // SAFETY: checked.
    let d = unsafe { &*decl };
    let (p, layout) = allocate(d.size as usize)?;
    // SAFETY: fresh memory of `layout.size()` ≥ `size` bytes.
    unsafe {
        init(
            p,
            layout.size(),
            decl,
            char_type,
            Kind::Class,
            Some(layout),
            d.numProperties as usize,
        )
    };
    Ok(HeapInstance(NonNull::new(p).expect("allocated")))
}

/// `NewParameters`: a heap parameters instance of `decl`.
///
/// # Safety
/// `decl` is NULL or readable, and outlives the instance.
pub(crate) unsafe fn new_parameters(
    decl: *const MI_MethodDecl,
    char_type: CharType,
) -> Result<HeapInstance, MiError> {
    // SAFETY: forwarded.
    unsafe { check_method_decl(decl)? };
    // SAFETY: checked.
    let d = unsafe { &*decl };
    let (p, layout) = allocate(d.size as usize)?;
    // SAFETY: fresh memory.
    unsafe {
        init(
            p,
            layout.size(),
            decl.cast(),
            char_type,
            Kind::Parameters(decl),
            Some(layout),
            d.numParameters as usize,
        )
    };
    Ok(HeapInstance(NonNull::new(p).expect("allocated")))
}

/// `NewDynamicInstance`: an instance of class `class_name` with no
/// declared properties; `AddElement` adds them.
pub(crate) fn new_dynamic(
    class_name: Units<'_>,
    char_type: CharType,
) -> Result<HeapInstance, MiError> {
    let name16 = class_name.to_utf16()?;
    if name16.is_empty() {
        return Err(MiError::InvalidParameter("the class name is empty"));
    }
    let name = OwnedText::from_utf16(&name16, char_type);
    // SAFETY: MI_ClassDecl is plain data; all-zero is a declaration with no
    // name, properties or pointers, filled in below.
    let mut decl: Box<MI_ClassDecl> = Box::new(unsafe { std::mem::zeroed() });
    decl.flags = crate::mi::MI_FLAG_CLASS as u32;
    decl.name = name.as_ptr();
    decl.size = std::mem::size_of::<MI_Instance>() as u32;
    let decl_ptr: *const MI_ClassDecl = &*decl;
    let dynamic = Box::new(Dynamic {
        decl,
        name,
        props: Vec::new(),
        prop_ptrs: Vec::new(),
        names: Vec::new(),
        cells: Vec::new(),
    });
    let (p, layout) = allocate(std::mem::size_of::<MI_Instance>())?;
    // SAFETY: fresh memory; the declaration lives in the record's Dynamic box.
    unsafe {
        init(
            p,
            layout.size(),
            decl_ptr,
            char_type,
            Kind::Dynamic(dynamic),
            Some(layout),
            0,
        )
    };
    Ok(HeapInstance(NonNull::new(p).expect("allocated")))
}

impl Record {
    /// How many elements the instance has.
    pub(crate) fn count(&self, inst: *const MI_Instance) -> u32 {
        match &self.kind {
            // SAFETY: a live instance of ours has a checked declaration.
            Kind::Class => unsafe { (*(*inst).classDecl).numProperties },
            // SAFETY: as above.
            Kind::Parameters(m) => unsafe { (**m).numParameters },
            Kind::Dynamic(d) => d.cells.len() as u32,
        }
    }

    /// Element `index`, or `None` past the end.
    pub(crate) fn element(&self, inst: *const MI_Instance, index: u32) -> Option<Element> {
        if index >= self.count(inst) {
            return None;
        }
        let i = index as usize;
        match &self.kind {
            Kind::Class | Kind::Parameters(_) => {
                // SAFETY: a checked declaration: `index` < its count, every
                // declaration non-NULL with its field inside the structure.
                unsafe {
                    let d = &*(*inst).classDecl;
                    let p = &**d.properties.cast::<*const MI_ParameterDecl>().add(i);
                    Some(Element {
                        name: p.name,
                        ty: p.r#type,
                        decl_flags: p.flags,
                        class_name: p.className,
                        field: if p.offset == NO_FIELD {
                            ptr::null_mut()
                        } else {
                            inst.cast::<u8>().cast_mut().add(p.offset as usize)
                        },
                    })
                }
            }
            Kind::Dynamic(d) => {
                let p = &d.props[i];
                Some(Element {
                    name: p.name,
                    ty: p.r#type,
                    decl_flags: p.flags,
                    class_name: ptr::null(),
                    field: d.cells[i].as_ptr().cast::<u8>().cast_mut(),
                })
            }
        }
    }

    /// The index of the element named `name` (ignoring ASCII case).
    pub(crate) fn find(&self, inst: *const MI_Instance, name: Units<'_>) -> Option<u32> {
        (0..self.count(inst)).find(|&i| {
            self.element(inst, i).is_some_and(|e| {
                // SAFETY: declared names are NUL-terminated in the instance's type.
                let n = unsafe { value::units(e.name, self.char_type) };
                n.eq_name(name)
            })
        })
    }

    /// The index of the element named `name` given as Rust text.
    pub(crate) fn find_str(&self, inst: *const MI_Instance, name: &str) -> Option<u32> {
        (0..self.count(inst)).find(|&i| {
            self.element(inst, i).is_some_and(|e| {
                // SAFETY: as in `find`.
                let n = unsafe { value::units(e.name, self.char_type) };
                n.eq_str(name)
            })
        })
    }

    /// Checks that an element named `name` of type `ty` can be added: a
    /// dynamic instance, a known type, a non-empty name of code points that
    /// it does not have yet. Its UTF-16 name.
    pub(crate) fn check_add(
        &self,
        inst: *const MI_Instance,
        name: Units<'_>,
        ty: MI_Type,
    ) -> Result<Vec<u16>, MiError> {
        if !matches!(self.kind, Kind::Dynamic(_)) {
            return Err(MiError::Code(
                crate::mi::MI_RESULT_NOT_SUPPORTED,
                "AddElement is for dynamic instances; this one has a class declaration",
            ));
        }
        if value::value_size(ty).is_none() {
            return Err(MiError::InvalidParameter("the type is not an MI_Type"));
        }
        let name16 = name.to_utf16()?;
        if name16.is_empty() {
            return Err(MiError::InvalidParameter("the element name is empty"));
        }
        if self.find(inst, name).is_some() {
            return Err(MiError::Code(
                crate::mi::MI_RESULT_ALREADY_EXISTS,
                "the instance already has an element of that name",
            ));
        }
        Ok(name16)
    }

    /// Adds an element to a dynamic instance: its declaration and an empty
    /// field. Fails (changing nothing) as [`Record::check_add`] does; once
    /// checked, it cannot fail.
    pub(crate) fn add_dynamic(
        &mut self,
        inst: *mut MI_Instance,
        name: Units<'_>,
        ty: MI_Type,
        flags: u32,
    ) -> Result<u32, MiError> {
        let name16 = self.check_add(inst, name, ty)?;
        let ct = self.char_type;
        let Kind::Dynamic(d) = &mut self.kind else {
            unreachable!("checked: a dynamic instance");
        };
        let owned_name = OwnedText::from_utf16(&name16, ct);
        // SAFETY: plain data; all-zero is a declaration filled in below.
        let mut p: Box<MI_PropertyDecl> = Box::new(unsafe { std::mem::zeroed() });
        p.flags = (crate::mi::MI_FLAG_PROPERTY as u32)
            | (flags
                & (crate::mi::MI_FLAG_KEY as u32
                    | crate::mi::MI_FLAG_IN as u32
                    | crate::mi::MI_FLAG_OUT as u32
                    | crate::mi::MI_FLAG_REQUIRED as u32
                    | crate::mi::MI_FLAG_STREAM as u32));
        p.name = owned_name.as_ptr();
        p.r#type = ty;
        d.prop_ptrs.push(&*p);
        d.props.push(p);
        d.names.push(owned_name);
        d.cells.push(Box::new([0; 5]));
        d.decl.properties = d.prop_ptrs.as_ptr();
        d.decl.numProperties = d.props.len() as u32;
        self.owned.push(None);
        Ok(d.props.len() as u32 - 1)
    }

    /// The namespace set with `SetNameSpace`.
    pub(crate) fn set_namespace(&mut self, inst: *mut MI_Instance, ns: Option<OwnedText>) {
        self.namespace = ns;
        // SAFETY: a live instance of ours; the text lives in the record.
        unsafe { (*inst).nameSpace = self.namespace.as_ref().map_or(ptr::null(), |t| t.as_ptr()) };
    }

    /// The server name set with `SetServerName`.
    pub(crate) fn set_server_name(&mut self, inst: *mut MI_Instance, name: Option<OwnedText>) {
        self.server_name = name;
        // SAFETY: as above.
        unsafe {
            (*inst).serverName = self
                .server_name
                .as_ref()
                .map_or(ptr::null(), |t| t.as_ptr())
        };
    }

    /// Replaces what the instance owns for element `index`.
    pub(crate) fn own(&mut self, index: u32, owned: Option<Owned>) {
        if let Some(slot) = self.owned.get_mut(index as usize) {
            *slot = owned;
        }
    }
}

/// `Destruct`: frees what the instance owns and its record; its memory stays
/// (the provider's, or freed by [`delete`]).
///
/// # Safety
/// `inst` is NULL or readable; if ours, no one uses it during or after the call.
pub(crate) unsafe fn destruct(inst: *mut MI_Instance) -> Result<Option<Layout>, MI_Result> {
    // SAFETY: forwarded.
    if unsafe { record(inst) }.is_none() {
        return Err(MI_RESULT_INVALID_PARAMETER);
    }
    // SAFETY: the record check passed: reserved[1] is our live Box, taken once here.
    let rec = unsafe { Box::from_raw((*inst).reserved[1] as *mut Record) };
    // SAFETY: the header is ours to clear.
    unsafe {
        (*inst).reserved[0] = 0;
        (*inst).reserved[1] = 0;
        (*inst).reserved[2] = 0;
        (*inst).ft = ptr::null();
        (*inst).nameSpace = ptr::null();
        (*inst).serverName = ptr::null();
    }
    let heap = rec.heap;
    drop(rec);
    Ok(heap)
}

/// `Delete`: destructs an instance this library allocated and frees it. An
/// instance constructed in the provider's memory is refused
/// (`MI_RESULT_INVALID_PARAMETER`, nothing changed): `Destruct` is its call.
///
/// # Safety
/// As for [`destruct`].
pub(crate) unsafe fn delete(inst: *mut MI_Instance) -> Result<(), MI_Result> {
    // SAFETY: forwarded.
    match unsafe { record(inst) } {
        None => return Err(MI_RESULT_INVALID_PARAMETER),
        Some(r) if r.heap.is_none() => return Err(MI_RESULT_INVALID_PARAMETER),
        Some(_) => {}
    }
    // SAFETY: ours and heap-allocated, checked above.
    let layout = unsafe { destruct(inst) }?.expect("heap instance");
    // SAFETY: allocated by `allocate` with this layout.
    unsafe { std::alloc::dealloc(inst.cast(), layout) };
    Ok(())
}

/// `IsA`: whether the instance's class is `decl` or derives from it
/// (declarations compared by address, then by name).
///
/// # Safety
/// `inst` is an instance of ours; `decl` is NULL or readable.
pub(crate) unsafe fn is_a(inst: *const MI_Instance, decl: *const MI_ClassDecl) -> bool {
    // SAFETY: forwarded.
    let Some(rec) = (unsafe { record(inst) }) else {
        return false;
    };
    if decl.is_null() || matches!(rec.kind, Kind::Parameters(_)) {
        return false;
    }
    // SAFETY: a readable declaration, by the caller's contract.
    let want = unsafe { value::units((*decl).name, rec.char_type) };
    // SAFETY: ours: a checked declaration chain.
    let mut c = unsafe { (*inst).classDecl };
    while !c.is_null() {
        // SAFETY: as above.
        if ptr::eq(c, decl) || unsafe { value::units((*c).name, rec.char_type) }.eq_name(want) {
            return true;
        }
        // SAFETY: as above.
        c = unsafe { (*c).superClassDecl };
    }
    false
}
