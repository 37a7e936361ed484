//! Values in MI's memory layout: how big each `MI_Type`'s value is inside a
//! field, the memory an instance owns for a value (copied text, arrays,
//! embedded instances), and the provider text of each character type.

use std::ptr;

use crate::host::{CharType, MiError};
use crate::mi::{
    MI_ARRAY, MI_Char, MI_DATETIME, MI_Datetime, MI_INSTANCE, MI_INSTANCEA, MI_Instance,
    MI_REFERENCE, MI_REFERENCEA, MI_STRING, MI_STRINGA, MI_Type,
};

/// The largest value a field holds (`MI_Datetime`).
pub(crate) const MAX_VALUE_SIZE: usize = std::mem::size_of::<MI_Datetime>();

/// The size of a value of type `t` inside a field, which is also where the
/// field's `exists` byte is (`flags` follows it); `None` for a type above 31.
pub(crate) fn value_size(t: MI_Type) -> Option<usize> {
    Some(match t {
        0..=2 => 1,
        3 | 4 => 2,
        5 | 6 => 4,
        7 | 8 => 8,
        9 => 4,
        10 => 8,
        11 => 2,
        MI_DATETIME => MAX_VALUE_SIZE,
        13..=15 => std::mem::size_of::<*const u8>(),
        16..=31 => std::mem::size_of::<crate::mi::MI_Array>(),
        _ => return None,
    })
}

/// The size of one element of an array of type `t` (16–31).
pub(crate) fn element_size(t: MI_Type) -> usize {
    value_size(t & !MI_ARRAY).unwrap_or(0)
}

/// Whether a value of type `t` holds pointers (and so memory an instance may own).
pub(crate) fn holds_pointers(t: MI_Type) -> bool {
    t >= MI_STRING
}

/// A NUL-terminated string in a provider's character type, owned by an
/// instance (a copy of the provider's text, or a name).
#[derive(Debug)]
pub(crate) enum OwnedText {
    /// UTF-8 bytes, then NUL.
    Utf8(Box<[u8]>),
    /// `wchar_t` units, then NUL.
    Wide(Box<[MI_Char]>),
}

impl OwnedText {
    /// A copy of the NUL-terminated string at `p`.
    ///
    /// # Safety
    /// `p` is non-NULL and points to a NUL-terminated string of `ct` units.
    pub(crate) unsafe fn copy(p: *const MI_Char, ct: CharType) -> OwnedText {
        match ct {
            CharType::Utf8 => {
                // SAFETY: the caller's contract: a NUL-terminated byte string.
                let len = unsafe { libc::strlen(p.cast()) };
                // SAFETY: `len + 1` bytes (with the NUL) are readable.
                let s = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len + 1) };
                OwnedText::Utf8(s.into())
            }
            CharType::Wide => {
                // SAFETY: the caller's contract: a NUL-terminated wide string.
                let len = unsafe { libc::wcslen(p) };
                // SAFETY: `len + 1` units (with the NUL) are readable.
                let s = unsafe { std::slice::from_raw_parts(p, len + 1) };
                OwnedText::Wide(s.into())
            }
        }
    }

    /// `s` in character type `ct` (a name or a value from Rust).
    pub(crate) fn from_str(s: &str, ct: CharType) -> OwnedText {
        match ct {
            CharType::Utf8 => {
                let mut v: Vec<u8> = s.bytes().filter(|&b| b != 0).collect();
                v.push(0);
                OwnedText::Utf8(v.into())
            }
            CharType::Wide => {
                // UTF-16 where `wchar_t` is 2 bytes (Windows), UTF-32 elsewhere.
                let mut v: Vec<MI_Char> = if size_of::<MI_Char>() == 2 {
                    s.encode_utf16()
                        .filter(|&u| u != 0)
                        .map(|u| u as MI_Char)
                        .collect()
                } else {
                    s.chars()
                        .filter(|&c| c != '\0')
                        .map(|c| c as u32 as MI_Char)
                        .collect()
                };
                v.push(0);
                OwnedText::Wide(v.into())
            }
        }
    }

    /// UTF-16 units in character type `ct` (a CIM string from Rust; a wide
    /// string on a 4-byte `wchar_t` keeps pairs joined and lone surrogates as
    /// they are; UTF-8 text writes each lone surrogate as U+FFFD).
    pub(crate) fn from_utf16(units: &[u16], ct: CharType) -> OwnedText {
        let chars = char::decode_utf16(units.iter().copied());
        match ct {
            CharType::Utf8 => {
                let s: String = chars
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect();
                OwnedText::from_str(&s, ct)
            }
            // A 2-byte `wchar_t` (Windows) is UTF-16: the units as they are.
            CharType::Wide if size_of::<MI_Char>() == 2 => {
                let mut v: Vec<MI_Char> = units
                    .iter()
                    .filter(|&&u| u != 0)
                    .map(|&u| u as MI_Char)
                    .collect();
                v.push(0);
                OwnedText::Wide(v.into())
            }
            CharType::Wide => {
                let mut v: Vec<MI_Char> = Vec::with_capacity(units.len() + 1);
                for c in chars {
                    let u = match c {
                        Ok(c) => c as u32,
                        Err(e) => u32::from(e.unpaired_surrogate()),
                    };
                    if u != 0 {
                        v.push(u as MI_Char);
                    }
                }
                v.push(0);
                OwnedText::Wide(v.into())
            }
        }
    }

    /// The string, for a field or a name.
    pub(crate) fn as_ptr(&self) -> *const MI_Char {
        match self {
            OwnedText::Utf8(b) => b.as_ptr().cast(),
            OwnedText::Wide(w) => w.as_ptr(),
        }
    }
}

/// The code units of a NUL-terminated provider string, as `u32`s (bytes for
/// UTF-8, `wchar_t` values for wide).
///
/// # Safety
/// `p` is non-NULL and points to a NUL-terminated string of `ct` units, valid for `'a`.
pub(crate) unsafe fn units<'a>(p: *const MI_Char, ct: CharType) -> Units<'a> {
    match ct {
        CharType::Utf8 => {
            // SAFETY: the caller's contract.
            let len = unsafe { libc::strlen(p.cast()) };
            // SAFETY: `len` bytes are readable, as strlen just read them.
            Units::Utf8(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
        }
        CharType::Wide => {
            // SAFETY: the caller's contract.
            let len = unsafe { libc::wcslen(p) };
            // SAFETY: `len` units are readable, as wcslen just read them.
            Units::Wide(unsafe { std::slice::from_raw_parts(p, len) })
        }
    }
}

/// A provider string's units, borrowed.
#[derive(Clone, Copy)]
pub(crate) enum Units<'a> {
    /// UTF-8 bytes.
    Utf8(&'a [u8]),
    /// `wchar_t` units.
    Wide(&'a [MI_Char]),
}

impl Units<'_> {
    /// Whether the two names are equal, ignoring ASCII case (MI names are
    /// case-insensitive; the names of a schema are ASCII identifiers).
    pub(crate) fn eq_name(self, other: Units<'_>) -> bool {
        fn fold(u: u32) -> u32 {
            if (u32::from(b'A')..=u32::from(b'Z')).contains(&u) {
                u + 32
            } else {
                u
            }
        }
        fn same<A: Copy, B: Copy>(a: &[A], b: &[B], ua: fn(A) -> u32, ub: fn(B) -> u32) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| fold(ua(x)) == fold(ub(y)))
        }
        let byte = |b: u8| u32::from(b);
        let wide = |w: MI_Char| w as u32;
        match (self, other) {
            (Units::Utf8(a), Units::Utf8(b)) => a.eq_ignore_ascii_case(b),
            (Units::Wide(a), Units::Wide(b)) => same(a, b, wide, wide),
            (Units::Utf8(a), Units::Wide(b)) => same(a, b, byte, wide),
            (Units::Wide(a), Units::Utf8(b)) => same(a, b, wide, byte),
        }
    }

    /// Whether it equals `name`, ignoring ASCII case.
    pub(crate) fn eq_str(self, name: &str) -> bool {
        match self {
            Units::Utf8(b) => b.eq_ignore_ascii_case(name.as_bytes()),
            Units::Wide(w) => {
                w.len() == name.chars().count()
                    && w.iter().zip(name.chars()).all(|(&u, c)| {
                        let u = u as u32;
                        let c = c as u32;
                        u == c
                            || (u < 0x80 && c < 0x80 && (u as u8).eq_ignore_ascii_case(&(c as u8)))
                    })
            }
        }
    }

    /// The text as UTF-16 (CIM's and .NET's units): UTF-8 with U+FFFD for
    /// each maximal invalid sequence (as .NET decodes it); wide text as it is
    /// (4-byte `wchar_t`: values above U+FFFF as surrogate pairs, surrogate
    /// values as lone units). A wide value above 0x10FFFF →
    /// [`MiError::InvalidParameter`].
    pub(crate) fn to_utf16(self) -> Result<Vec<u16>, MiError> {
        match self {
            // Plain ASCII (names, most text) widens unit for unit.
            Units::Utf8(b) if b.is_ascii() => Ok(b.iter().map(|&c| u16::from(c)).collect()),
            Units::Utf8(b) => {
                let text = String::from_utf8_lossy(b);
                let mut out = Vec::with_capacity(text.len());
                out.extend(text.encode_utf16());
                Ok(out)
            }
            Units::Wide(w) => {
                let mut out = Vec::with_capacity(w.len());
                for &u in w {
                    let u = u as u32;
                    match u {
                        0..=0xFFFF => out.push(u as u16),
                        0x1_0000..=0x10_FFFF => {
                            let v = u - 0x1_0000;
                            out.push(0xD800 | (v >> 10) as u16);
                            out.push(0xDC00 | (v & 0x3FF) as u16);
                        }
                        _ => {
                            return Err(MiError::InvalidParameter(
                                "a string holds a value above 0x10FFFF, which is not a code point",
                            ));
                        }
                    }
                }
                Ok(out)
            }
        }
    }
}

/// A block of memory for array elements, 8-byte aligned, zeroed.
pub(crate) fn block(bytes: usize) -> Box<[u64]> {
    vec![0u64; bytes.div_ceil(8).max(1)].into_boxed_slice()
}

/// Memory an instance owns for one value; dropping it frees the memory (and
/// deletes embedded instances). Its fields are held for their drop only.
#[allow(dead_code)]
pub(crate) enum Owned {
    /// A copied string.
    Text(OwnedText),
    /// Array elements without pointers (numbers, char16, datetimes).
    Block(Box<[u64]>),
    /// A string array: the pointer array and the strings.
    Texts {
        /// The pointers the field's array points at.
        ptrs: Box<[*const MI_Char]>,
        /// The strings (`None` for a NULL element).
        items: Vec<Option<OwnedText>>,
    },
    /// An embedded instance or reference, made by this library.
    Instance(super::HeapInstance),
    /// An instance or reference array: the pointer array and the instances.
    Instances {
        /// The pointers the field's array points at.
        ptrs: Box<[*mut MI_Instance]>,
        /// The instances (`None` for a NULL element).
        items: Vec<Option<super::HeapInstance>>,
    },
    /// Memory a provider handed over with `MI_FLAG_ADOPT`: freed with
    /// `free()`, or for an instance with its own `Delete`.
    Adopted(Adopted),
}

// SAFETY: the pointers in `Owned` point into memory it owns (or, for
// `Adopted`, that the provider handed over), never shared with another owner.
unsafe impl Send for Owned {}
// SAFETY: as for Send; `&Owned` gives no access to the memory.
unsafe impl Sync for Owned {}

/// Memory adopted from a provider (`MI_FLAG_ADOPT`), freed on drop.
#[derive(Debug)]
pub(crate) struct Adopted {
    pub(crate) ty: MI_Type,
    pub(crate) value: [u8; MAX_VALUE_SIZE],
}

impl Drop for Adopted {
    fn drop(&mut self) {
        // SAFETY: `value` holds an MI_Value of type `ty` whose memory the
        // provider gave up with MI_FLAG_ADOPT: allocated with malloc (MI's
        // rule for adopted values, see docs/modules.md), or an instance
        // deleted with its own table.
        unsafe {
            let v = self.value.as_ptr();
            match self.ty {
                MI_STRING => libc::free(ptr::read_unaligned(v.cast::<*mut libc::c_void>())),
                MI_INSTANCE | MI_REFERENCE => {
                    let inst = ptr::read_unaligned(v.cast::<*mut MI_Instance>());
                    super::delete_any(inst);
                }
                MI_STRINGA => {
                    let a = ptr::read_unaligned(v.cast::<crate::mi::MI_Array>());
                    let items = a.data.cast::<*mut libc::c_void>();
                    if !items.is_null() {
                        for i in 0..a.size as usize {
                            libc::free(*items.add(i));
                        }
                    }
                    libc::free(a.data);
                }
                MI_INSTANCEA | MI_REFERENCEA => {
                    let a = ptr::read_unaligned(v.cast::<crate::mi::MI_Array>());
                    let items = a.data.cast::<*mut MI_Instance>();
                    if !items.is_null() {
                        for i in 0..a.size as usize {
                            super::delete_any(*items.add(i));
                        }
                    }
                    libc::free(a.data);
                }
                t if t & MI_ARRAY != 0 => {
                    let a = ptr::read_unaligned(v.cast::<crate::mi::MI_Array>());
                    libc::free(a.data);
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mi::*;
    use std::mem::offset_of;

    #[test]
    fn exists_follows_the_value_in_every_field() {
        assert_eq!(
            offset_of!(MI_BooleanField, exists),
            value_size(MI_BOOLEAN).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Uint8Field, exists),
            value_size(MI_UINT8).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Sint8Field, exists),
            value_size(MI_SINT8).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Uint16Field, exists),
            value_size(MI_UINT16).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Sint16Field, exists),
            value_size(MI_SINT16).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Uint32Field, exists),
            value_size(MI_UINT32).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Sint32Field, exists),
            value_size(MI_SINT32).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Uint64Field, exists),
            value_size(MI_UINT64).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Sint64Field, exists),
            value_size(MI_SINT64).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Real32Field, exists),
            value_size(MI_REAL32).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Real64Field, exists),
            value_size(MI_REAL64).unwrap()
        );
        assert_eq!(
            offset_of!(MI_Char16Field, exists),
            value_size(MI_CHAR16).unwrap()
        );
        assert_eq!(
            offset_of!(MI_DatetimeField, exists),
            value_size(MI_DATETIME).unwrap()
        );
        assert_eq!(
            offset_of!(MI_StringField, exists),
            value_size(MI_STRING).unwrap()
        );
        assert_eq!(
            offset_of!(MI_ReferenceField, exists),
            value_size(MI_REFERENCE).unwrap()
        );
        assert_eq!(
            offset_of!(MI_InstanceField, exists),
            value_size(MI_INSTANCE).unwrap()
        );
        for t in MI_BOOLEANA..=MI_INSTANCEA {
            assert_eq!(offset_of!(MI_StringAField, exists), value_size(t).unwrap());
        }
        assert_eq!(
            offset_of!(MI_Uint8AField, exists),
            value_size(MI_UINT8A).unwrap()
        );
        assert_eq!(
            offset_of!(MI_DatetimeAField, exists),
            value_size(MI_DATETIMEA).unwrap()
        );
        assert_eq!(value_size(32), None);
        assert_eq!(element_size(MI_DATETIMEA), 36);
        assert_eq!(element_size(MI_SINT16A), 2);
    }

    #[test]
    fn names_compare_ignoring_ascii_case() {
        let a = OwnedText::from_str("Name", CharType::Wide);
        let b = OwnedText::from_str("nAME", CharType::Utf8);
        // SAFETY: both are NUL-terminated strings of their types.
        let (ua, ub) = unsafe {
            (
                units(a.as_ptr(), CharType::Wide),
                units(b.as_ptr(), CharType::Utf8),
            )
        };
        assert!(ua.eq_name(ub));
        assert!(ua.eq_str("NAME"));
        assert!(!ua.eq_str("Names"));
    }

    #[test]
    fn utf16_of_each_character_type() {
        let w = OwnedText::from_utf16(&[0x41, 0xD83D, 0xDE00, 0xDC00], CharType::Wide);
        // SAFETY: NUL-terminated wide string.
        let u = unsafe { units(w.as_ptr(), CharType::Wide) };
        assert_eq!(u.to_utf16().unwrap(), vec![0x41, 0xD83D, 0xDE00, 0xDC00]);
        let n = OwnedText::from_utf16(&[0x41, 0xDC00], CharType::Utf8);
        // SAFETY: NUL-terminated byte string.
        let u = unsafe { units(n.as_ptr(), CharType::Utf8) };
        assert_eq!(u.to_utf16().unwrap(), vec![0x41, 0xFFFD]);
        // A unit above U+10FFFF only exists where `wchar_t` is 4 bytes.
        #[cfg(not(windows))]
        assert!(Units::Wide(&[0x11_0000]).to_utf16().is_err());
        assert_eq!(
            Units::Utf8(b"a\xffb").to_utf16().unwrap(),
            vec![0x61, 0xFFFD, 0x62]
        );
    }
}
