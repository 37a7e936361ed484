//! The exported MI_Context_WriteMessage, WriteError and PostError fed
//! arbitrary strings of both character types (UTF-8 bytes, valid or not, and
//! wide values, in range or not), channels, codes and fragment sizes: each
//! returns exactly what the rules say, sends nothing when it refuses, and
//! what it sends holds the text as an independent oracle encodes it
//! (`String::from_utf8_lossy`, then the UTF-16 encoder).
#![no_main]

use std::ffi::c_void;
use std::sync::Mutex;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mi_psrp::ffi::context::{MI_Context_PostError, MI_Context_WriteError, MI_Context_WriteMessage};
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new_ex, mipsrp_pool_free, mipsrp_pool_new,
    mipsrp_pool_set_fragment_size,
};
use mi_psrp::mi::{
    MI_Char, MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result,
};
use mi_psrp::psrp::split_fragments;
use mi_psrp::psrp::text::encode_units;

#[derive(Arbitrary, Debug)]
enum Text {
    Utf8(Vec<u8>),
    Wide(Vec<i32>),
}

#[derive(Arbitrary, Debug)]
enum Call {
    Message {
        channel: u32,
        text: Option<Text>,
    },
    Error {
        code: u32,
        kind: Option<Text>,
        text: Option<Text>,
    },
    PostError {
        code: u32,
        kind: Option<Text>,
        text: Option<Text>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    utf8: bool,
    calls: Vec<Call>,
    fragment_size: u16,
}

static WIRE: Mutex<Vec<u8>> = Mutex::new(Vec::new());

unsafe extern "C" fn sink(_: *mut c_void, fragment: *const u8, length: usize) {
    // SAFETY: the library passes `length` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(fragment, length) };
    WIRE.lock().unwrap().extend_from_slice(bytes);
}

/// The provider's NUL-terminated string in the context's type (a string of
/// the other type is read as this one's: the fuzzer picks the bytes), and
/// whether the rules accept it, and its oracle encoding.
struct Arg {
    bytes: Vec<u8>,
    valid: bool,
    encoded: Vec<u8>,
}

fn arg(text: &Text, utf8: bool) -> Arg {
    if utf8 {
        let raw: Vec<u8> = match text {
            Text::Utf8(b) => b.clone(),
            Text::Wide(w) => w.iter().flat_map(|c| c.to_le_bytes()).collect(),
        };
        let raw: Vec<u8> = raw.into_iter().take_while(|&b| b != 0).collect();
        let units: Vec<u16> = String::from_utf8_lossy(&raw).encode_utf16().collect();
        let mut encoded = Vec::new();
        encode_units(&units, &mut encoded).unwrap();
        let mut bytes = raw;
        bytes.push(0);
        Arg {
            bytes,
            valid: true,
            encoded,
        }
    } else {
        let wide: Vec<i32> = match text {
            Text::Wide(w) => w.clone(),
            Text::Utf8(b) => b.iter().map(|&c| i32::from(c)).collect(),
        };
        let wide: Vec<MI_Char> = wide
            .into_iter()
            .take_while(|&c| c != 0)
            .map(|c| c as MI_Char)
            .collect();
        let valid = wide.iter().all(|&c| (0..=0x10_FFFF).contains(&(c as i64)));
        let mut encoded = Vec::new();
        if valid {
            let units: Vec<u16> = wide
                .iter()
                .flat_map(|&c| {
                    let c = c as u32;
                    if c >= 0x1_0000 {
                        let v = c - 0x1_0000;
                        vec![0xD800 | (v >> 10) as u16, 0xDC00 | (v & 0x3FF) as u16]
                    } else {
                        vec![c as u16]
                    }
                })
                .collect();
            encode_units(&units, &mut encoded).unwrap();
        }
        let bytes = wide
            .iter()
            .chain([&0])
            .flat_map(|c| c.to_ne_bytes())
            .collect();
        Arg {
            bytes,
            valid,
            encoded,
        }
    }
}

fn ptr(a: &Option<Arg>) -> *const MI_Char {
    a.as_ref()
        .map_or(std::ptr::null(), |a| a.bytes.as_ptr().cast())
}

fuzz_target!(|input: Input| {
    WIRE.lock().unwrap().clear();
    let mut pool = std::ptr::null_mut();
    // SAFETY: valid id, sink and out-pointer.
    let r = unsafe {
        mipsrp_pool_new(
            c"6397709e-f7d6-c54d-9568-fd4656ae4820".as_ptr(),
            Some(sink),
            std::ptr::null_mut(),
            &mut pool,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    // SAFETY: live pool.
    unsafe { mipsrp_pool_set_fragment_size(pool, u32::from(input.fragment_size).max(22)) };
    let mut ctx = std::ptr::null_mut();
    let char_size = if input.utf8 { 1 } else { size_of::<MI_Char>() };
    // SAFETY: live pool, valid id and out-pointer.
    let r = unsafe {
        mipsrp_context_new_ex(
            pool,
            c"632aa393-254e-b24d-8288-4d968d0da65d".as_ptr(),
            1,
            -1,
            char_size,
            &mut ctx,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    let mut ended = false;
    for call in input.calls.iter().take(8) {
        let before = WIRE.lock().unwrap().len();
        let (r, expected, texts): (MI_Result, MI_Result, Vec<Arg>) = match call {
            Call::Message { channel, text } => {
                let t = text.as_ref().map(|t| arg(t, input.utf8));
                // SAFETY: live context; NULL or NUL-terminated text of its type.
                let r = unsafe { MI_Context_WriteMessage(ctx, *channel, ptr(&t)) };
                let ok = *channel <= 2 && t.as_ref().is_some_and(|t| t.valid);
                (
                    r,
                    if ok {
                        MI_RESULT_OK
                    } else {
                        MI_RESULT_INVALID_PARAMETER
                    },
                    t.into_iter().collect(),
                )
            }
            Call::Error { code, kind, text } | Call::PostError { code, kind, text } => {
                let k = kind.as_ref().map(|t| arg(t, input.utf8));
                let t = text.as_ref().map(|t| arg(t, input.utf8));
                let ok = k.as_ref().is_none_or(|a| a.valid) && t.as_ref().is_none_or(|a| a.valid);
                let r = if let Call::Error { .. } = call {
                    let mut flag = 9;
                    // SAFETY: live context; NULL or NUL-terminated strings; writable flag.
                    let r =
                        unsafe { MI_Context_WriteError(ctx, *code, ptr(&k), ptr(&t), &mut flag) };
                    assert!(if r == MI_RESULT_OK {
                        flag == 1
                    } else {
                        flag == 9
                    });
                    r
                } else {
                    // SAFETY: live context; NULL or NUL-terminated strings.
                    unsafe { MI_Context_PostError(ctx, *code, ptr(&k), ptr(&t)) }
                };
                (
                    r,
                    if ok {
                        MI_RESULT_OK
                    } else {
                        MI_RESULT_INVALID_PARAMETER
                    },
                    t.into_iter().collect(),
                )
            }
        };
        let wire = WIRE.lock().unwrap();
        if ended || r == MI_RESULT_SERVER_LIMITS_EXCEEDED {
            assert!(
                !ended || r == MI_RESULT_FAILED,
                "FAILED after the end: {call:?}"
            );
            assert_eq!(wire.len(), before, "a refused call sends nothing");
            continue;
        }
        assert_eq!(r, expected, "{call:?}");
        if r != MI_RESULT_OK {
            assert_eq!(wire.len(), before, "a refused call sends nothing");
            continue;
        }
        ended = matches!(call, Call::PostError { .. });
        let blobs: Vec<u8> = split_fragments(&wire[before..])
            .flat_map(|f| f.unwrap().1.to_vec())
            .collect();
        for t in texts {
            assert!(
                blobs
                    .windows(t.encoded.len().max(1))
                    .any(|w| w == t.encoded.as_slice())
                    || t.encoded.is_empty(),
                "the text reaches the wire as the oracle encodes it"
            );
        }
    }
    // SAFETY: made above, freed once.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
});
