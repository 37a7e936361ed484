//! Setting an element from a CIM value (what a host builds input instances
//! and parameters from): the value is laid out in MI's memory form in
//! temporaries, then set as a provider's `SetElementAt` with no flag would
//! set it (copied), so the same checks and ownership apply.

use std::ptr;

use super::element;
use super::value::{MAX_VALUE_SIZE, OwnedText};
use super::{HeapInstance, record};
use crate::host::MiError;
use crate::mi::{MI_Array, MI_Char, MI_Instance};
use crate::psrp::cim::{CimInstance, CimValue};

/// Sets element `index` of `inst` to `value` (`None`: null). Embedded
/// instances and references are made by `make` (which knows the module's
/// classes). A value of another type than the element's →
/// `MI_RESULT_TYPE_MISMATCH`.
///
/// # Safety
/// `inst` is NULL or readable.
pub(crate) unsafe fn set_cim(
    inst: *mut MI_Instance,
    index: u32,
    value: Option<&CimValue>,
    make: &mut dyn FnMut(&CimInstance) -> Result<HeapInstance, MiError>,
) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let rec =
        unsafe { record(inst) }.ok_or(MiError::InvalidParameter("not an instance of ours"))?;
    let ct = rec.char_type;
    let ty = rec
        .element(inst, index)
        .ok_or(MiError::Code(
            crate::mi::MI_RESULT_NO_SUCH_PROPERTY,
            "no such element",
        ))?
        .ty;
    let Some(v) = value else {
        // SAFETY: forwarded; NULL makes the element null.
        return unsafe { element::set_at(inst, index, ptr::null(), ty, 0, 0) };
    };
    let mut bytes = [0u8; MAX_VALUE_SIZE];
    // Temporaries the value points into; dropped after the copy.
    let mut texts: Vec<OwnedText> = Vec::new();
    let mut ptrs: Vec<*const MI_Char> = Vec::new();
    let mut insts: Vec<HeapInstance> = Vec::new();
    let mut iptrs: Vec<*mut MI_Instance> = Vec::new();
    let mut block: Vec<u8> = Vec::new();
    fn put<T: Copy>(b: &mut [u8; MAX_VALUE_SIZE], v: T) {
        // SAFETY: every T here is at most MAX_VALUE_SIZE bytes.
        unsafe { ptr::write_unaligned(b.as_mut_ptr().cast::<T>(), v) }
    }
    fn raw<T: Copy>(items: &[T], block: &mut Vec<u8>) {
        // SAFETY: plain data viewed as bytes.
        let b = unsafe {
            std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), std::mem::size_of_val(items))
        };
        block.extend_from_slice(b);
    }
    let arr = |n: usize, p: *const u8, b: &mut [u8; MAX_VALUE_SIZE]| {
        put(
            b,
            MI_Array {
                data: p.cast_mut().cast(),
                size: n as u32,
            },
        )
    };
    match v {
        CimValue::Boolean(x) => put(&mut bytes, u8::from(*x)),
        CimValue::Uint8(x) => put(&mut bytes, *x),
        CimValue::Sint8(x) => put(&mut bytes, *x),
        CimValue::Uint16(x) => put(&mut bytes, *x),
        CimValue::Sint16(x) => put(&mut bytes, *x),
        CimValue::Uint32(x) => put(&mut bytes, *x),
        CimValue::Sint32(x) => put(&mut bytes, *x),
        CimValue::Uint64(x) => put(&mut bytes, *x),
        CimValue::Sint64(x) => put(&mut bytes, *x),
        CimValue::Real32(x) => put(&mut bytes, *x),
        CimValue::Real64(x) => put(&mut bytes, *x),
        CimValue::Char16(x) => put(&mut bytes, *x),
        CimValue::Datetime(d) => put(&mut bytes, super::read::mi_datetime(d)),
        CimValue::String(s) => {
            texts.push(OwnedText::from_utf16(&s.0, ct));
            put(&mut bytes, texts[0].as_ptr());
        }
        CimValue::Instance(i) | CimValue::Reference(i) => {
            insts.push(make(i)?);
            put(&mut bytes, insts[0].as_ptr());
        }
        CimValue::BooleanA(a) => {
            let v: Vec<u8> = a.iter().map(|&b| u8::from(b)).collect();
            raw(&v, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes);
        }
        CimValue::Uint8A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Sint8A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Uint16A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Sint16A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Uint32A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Sint32A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Uint64A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Sint64A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Real32A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Real64A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::Char16A(a) => {
            raw(a, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes)
        }
        CimValue::DatetimeA(a) => {
            let v: Vec<_> = a.iter().map(super::read::mi_datetime).collect();
            raw(&v, &mut block);
            arr(a.len(), block.as_ptr(), &mut bytes);
        }
        CimValue::StringA(a) => {
            for s in a {
                match s {
                    Some(s) => {
                        texts.push(OwnedText::from_utf16(&s.0, ct));
                        ptrs.push(texts.last().expect("pushed").as_ptr());
                    }
                    None => ptrs.push(ptr::null()),
                }
            }
            arr(a.len(), ptrs.as_ptr().cast(), &mut bytes);
        }
        CimValue::InstanceA(a) | CimValue::ReferenceA(a) => {
            for i in a {
                match i {
                    Some(i) => {
                        insts.push(make(i)?);
                        iptrs.push(insts.last().expect("pushed").as_ptr());
                    }
                    None => iptrs.push(ptr::null_mut()),
                }
            }
            arr(a.len(), iptrs.as_ptr().cast(), &mut bytes);
        }
    }
    if v.mi_type() != ty {
        return Err(MiError::Code(
            crate::mi::MI_RESULT_TYPE_MISMATCH,
            "the value's type is not the element's declared type",
        ));
    }
    // SAFETY: `bytes` is an MI_Value of type `ty` whose pointers point into
    // the temporaries above, alive until the copy returns.
    unsafe { element::set_at(inst, index, bytes.as_ptr().cast(), ty, 0, 0) }
}
