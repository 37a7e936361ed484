//! Set-up shared by the benchmarks: a pool whose sink only counts bytes, a
//! context, and the yardstick's record as wide strings.
#![allow(dead_code)]

/// Building C provider modules (benches/module/).
pub mod cmodule;

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

use mi_psrp::ffi::context::MI_Context_WriteProgress;
use mi_psrp::ffi::host::{mipsrp_context_new_ex, mipsrp_pool, mipsrp_pool_new};
use mi_psrp::mi::{MI_Char, MI_Context, MI_RESULT_OK, MI_Result};

pub const ACTIVITY: &str = "Copying files";
pub const STATUS: &str = "35 of 50 items copied";
pub const OPERATION: &str = "copying sample.txt";

/// A NUL-terminated wide string.
pub fn w(s: &str) -> Vec<MI_Char> {
    s.chars().map(|c| c as MI_Char).chain([0]).collect()
}

/// A byte counter on a cache line of its own (two pools' counters side by
/// side would make two writer threads share a line: false sharing).
#[repr(align(128))]
pub struct Counter(pub AtomicUsize);

/// The sink: adds up the bytes. A pool never calls its sink twice at once, so
/// a plain read-modify-write of the relaxed atomic is enough (no `lock` prefix).
unsafe extern "C" fn count_bytes(user_data: *mut c_void, _fragment: *const u8, length: usize) {
    // SAFETY: `user_data` is the leaked counter below.
    let bytes = unsafe { &(*(user_data as *const Counter)).0 };
    bytes.store(bytes.load(Ordering::Relaxed) + length, Ordering::Relaxed);
}

/// A pool (through the C API) whose sink adds up the bytes it receives.
pub fn pool() -> (*mut mipsrp_pool, &'static AtomicUsize) {
    let counter: &'static Counter = Box::leak(Box::new(Counter(AtomicUsize::new(0))));
    let bytes = &counter.0;
    let mut pool = std::ptr::null_mut();
    // SAFETY: valid string, sink and out-pointer; the counter is never freed.
    let r = unsafe {
        mipsrp_pool_new(
            c"626c4f6f-3c6b-7e4a-9c1d-1234567890ab".as_ptr(),
            Some(count_bytes),
            counter as *const Counter as *mut c_void,
            &mut pool,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    (pool, bytes)
}

/// A context of `pool` with activity id 4 and no parent, as in the yardstick,
/// for a wide provider.
pub fn context(pool: *mut mipsrp_pool) -> *mut MI_Context {
    context_of(pool, size_of::<MI_Char>())
}

/// The same for a provider of character size `char_size` (1: UTF-8).
fn context_of(pool: *mut mipsrp_pool, char_size: usize) -> *mut MI_Context {
    let mut ctx = std::ptr::null_mut();
    // SAFETY: live pool, valid string and out-pointer.
    let r = unsafe {
        mipsrp_context_new_ex(
            pool,
            c"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".as_ptr(),
            4,
            -1,
            char_size,
            &mut ctx,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    ctx
}

/// The exported C call, as a provider makes it.
#[inline(always)]
pub fn write(
    ctx: *mut MI_Context,
    a: &[MI_Char],
    op: &[MI_Char],
    st: &[MI_Char],
    pct: u32,
    secs: u32,
) -> MI_Result {
    // SAFETY: live context and NUL-terminated strings.
    unsafe { MI_Context_WriteProgress(ctx, a.as_ptr(), op.as_ptr(), st.as_ptr(), pct, secs) }
}

/// The core alone: wide strings in, one whole fragment out, into a reused
/// buffer — what the C yardstick's `build_progress` does (its `wcslen`s included).
#[inline(never)]
pub fn core_encode(
    buf: &mut Vec<u8>,
    header: &[u8; 40],
    object_id: u64,
    s: [&[MI_Char]; 3],
) -> usize {
    use mi_psrp::psrp::fragment::{FLAG_END, FLAG_START, FRAGMENT_HEADER_LEN, FragmentHeader};
    use mi_psrp::psrp::message::encode_progress_message_with;
    use mi_psrp::psrp::{ProgressRecord, ProgressRecordType};
    let len = |p: &[MI_Char]| {
        // SAFETY: NUL-terminated strings made by `w`.
        unsafe { libc::wcslen(p.as_ptr()) }
    };
    let record = ProgressRecord {
        activity: &s[0][..len(s[0])],
        activity_id: 4,
        status_description: &s[1][..len(s[1])],
        current_operation: Some(&s[2][..len(s[2])]),
        parent_activity_id: -1,
        percent_complete: std::hint::black_box(20),
        seconds_remaining: 30,
        record_type: ProgressRecordType::Processing,
    };
    buf.clear();
    buf.resize(FRAGMENT_HEADER_LEN, 0);
    encode_progress_message_with(header, &record, buf).unwrap();
    let fragment = FragmentHeader {
        object_id,
        fragment_id: 0,
        flags: FLAG_START | FLAG_END,
        blob_length: (buf.len() - FRAGMENT_HEADER_LEN) as u32,
    };
    buf[..FRAGMENT_HEADER_LEN].copy_from_slice(&fragment.to_bytes());
    buf.len()
}

/// A context of `pool` for a UTF-8 provider (`MI_CHAR_TYPE 1`), activity 4.
pub fn context_utf8(pool: *mut mipsrp_pool) -> *mut MI_Context {
    context_of(pool, 1)
}

/// A NUL-terminated UTF-8 string.
pub fn u(s: &str) -> Vec<u8> {
    s.bytes().chain([0]).collect()
}

/// The exported C call, as a UTF-8 provider makes it: the same symbol, the
/// strings are `char`.
#[inline(always)]
pub fn write_utf8(
    ctx: *mut MI_Context,
    a: &[u8],
    op: &[u8],
    st: &[u8],
    pct: u32,
    secs: u32,
) -> MI_Result {
    let p = |s: &[u8]| s.as_ptr().cast::<MI_Char>();
    // SAFETY: live UTF-8 context, whose slots read NUL-terminated `char` strings.
    unsafe { MI_Context_WriteProgress(ctx, p(a), p(op), p(st), pct, secs) }
}

/// `MI_Context_WriteMessage` on channel `channel` (0 warning, 1 verbose, 2 debug).
#[inline(always)]
pub fn write_message(ctx: *mut MI_Context, channel: u32, message: &[MI_Char]) -> MI_Result {
    // SAFETY: live context and a NUL-terminated string.
    unsafe { mi_psrp::ffi::context::MI_Context_WriteMessage(ctx, channel, message.as_ptr()) }
}
