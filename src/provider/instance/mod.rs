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
//! | the instance record, allocation, construct, destruct, delete | this file |
//! | checking a provider's declarations before laying memory out by them | `decl` |
//! | a record's elements: lookup by index and name, dynamic growth | `record` |
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

mod decl;
pub mod element;
pub mod ft;
pub mod read;
mod record;
pub mod value;
pub(crate) mod write;

pub(crate) use decl::{check_class_decl, check_method_decl};

use std::alloc::Layout;
use std::ptr::{self, NonNull};

use crate::host::{CharType, MiError};
use crate::mi::{
    MI_ClassDecl, MI_Instance, MI_MethodDecl, MI_PropertyDecl, MI_RESULT_INVALID_PARAMETER,
    MI_Result, MI_Type,
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
