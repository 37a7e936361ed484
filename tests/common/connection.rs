//! Helpers of the host-connection tests (issue 10): a framed sink that keeps
//! what it received, whole messages read back from fragments, the host's
//! own messages, and a completion callback that records what it saw.

use std::ffi::{CString, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};

use super::{Captured, w};
use mi_psrp::ffi::connection::{
    mipsrp_context_set_completion, mipsrp_fragment_info, mipsrp_pool_new_framed, mipsrp_pool_send,
};
use mi_psrp::ffi::context::MI_Context_WriteProgress;
use mi_psrp::ffi::host::{mipsrp_context_get_outcome, mipsrp_pool};
use mi_psrp::mi::{MI_Context, MI_RESULT_OK, MI_Result};
use mi_psrp::psrp::{FRAGMENT_HEADER_LEN, FragmentHeader, MESSAGE_HEADER_LEN, MessageHeader};

pub const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
pub const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";
pub const NIL: &str = "00000000-0000-0000-0000-000000000000";
/// PIPELINE_STATE, a message type the library itself never sends.
pub const PIPELINE_STATE: u32 = 0x0004_1006;
/// RUNSPACEPOOL_STATE.
pub const RUNSPACEPOOL_STATE: u32 = 0x0002_1005;

/// What a framed sink received: each fragment with its info.
#[derive(Default)]
pub struct Framed(pub Mutex<Vec<(mipsrp_fragment_info, Vec<u8>)>>);

impl Framed {
    pub fn take(&self) -> Vec<(mipsrp_fragment_info, Vec<u8>)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

pub unsafe extern "C" fn framed_sink(
    user_data: *mut c_void,
    info: *const mipsrp_fragment_info,
    fragment: *const u8,
    length: usize,
) {
    // SAFETY: the tests pass a `&Framed` that outlives the pool; the library
    // passes a valid info and `length` readable bytes.
    let (framed, info, bytes) = unsafe {
        (
            &*(user_data as *const Framed),
            *info,
            std::slice::from_raw_parts(fragment, length),
        )
    };
    framed.0.lock().unwrap().push((info, bytes.to_vec()));
}

pub fn framed_pool(framed: &Framed) -> *mut mipsrp_pool {
    let id = CString::new(RPID).unwrap();
    let mut pool = std::ptr::null_mut();
    // SAFETY: valid string, sink and out-pointer; `framed` outlives the pool.
    let r = unsafe {
        mipsrp_pool_new_framed(
            id.as_ptr(),
            Some(framed_sink),
            framed as *const Framed as *mut c_void,
            &mut pool,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    pool
}

pub fn context(pool: *mut mipsrp_pool, pid: &str, activity: i32) -> *mut MI_Context {
    super::context(pool, pid, activity, -1)
}

pub fn progress(ctx: *mut MI_Context, status: &str) -> MI_Result {
    let (a, s) = (w("Copying"), w(status));
    // SAFETY: live context, NUL-terminated strings.
    unsafe { MI_Context_WriteProgress(ctx, a.as_ptr(), std::ptr::null(), s.as_ptr(), 10, 5) }
}

pub fn send(
    pool: *mut mipsrp_pool,
    message_type: u32,
    pid: Option<&str>,
    data: &[u8],
) -> MI_Result {
    let pid = pid.map(|p| CString::new(p).unwrap());
    // SAFETY: live pool, NUL-terminated or NULL pipeline id, readable data.
    unsafe {
        mipsrp_pool_send(
            pool,
            message_type,
            pid.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
            data.as_ptr(),
            data.len(),
        )
    }
}

/// A fragment's header, read back from its bytes.
pub fn header_of(fragment: &[u8]) -> FragmentHeader {
    FragmentHeader::from_bytes(fragment[..FRAGMENT_HEADER_LEN].try_into().unwrap())
}

/// Whole messages from fragments, in order: (ObjectId, header, data).
pub fn messages<'a>(
    fragments: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<(u64, MessageHeader, Vec<u8>)> {
    let mut out = Vec::new();
    let mut current: Option<(u64, Vec<u8>)> = None;
    for f in fragments {
        let h = header_of(f);
        assert_eq!(h.blob_length as usize, f.len() - FRAGMENT_HEADER_LEN);
        if h.is_start() {
            assert!(current.is_none(), "a message started inside another");
            current = Some((h.object_id, Vec::new()));
        }
        let (id, bytes) = current.as_mut().expect("a fragment outside a message");
        assert_eq!(*id, h.object_id, "another message's fragment in between");
        bytes.extend_from_slice(&f[FRAGMENT_HEADER_LEN..]);
        if h.is_end() {
            let (id, bytes) = current.take().unwrap();
            let header = MessageHeader::from_bytes(bytes[..MESSAGE_HEADER_LEN].try_into().unwrap());
            out.push((id, header, bytes[MESSAGE_HEADER_LEN..].to_vec()));
        }
    }
    assert!(current.is_none(), "a message never ended");
    out
}

pub fn pid_text(info: &mipsrp_fragment_info) -> String {
    let bytes: Vec<u8> = info.pipeline_id.iter().map(|&c| c as u8).collect();
    assert_eq!(bytes[36], 0, "NUL-terminated");
    String::from_utf8(bytes[..36].to_vec()).unwrap()
}

/// What the completion callback saw.
#[derive(Default)]
pub struct Seen {
    pub calls: AtomicUsize,
    pub last: Mutex<Option<(MI_Result, u32, ThreadId)>>,
    /// Fragments in the sink when the callback ran.
    pub sink_len: AtomicUsize,
    /// What `mipsrp_context_get_outcome` answered from inside the callback.
    pub outcome: Mutex<Option<(MI_Result, MI_Result)>>,
    pub captured: Option<&'static Captured>,
}

pub unsafe extern "C" fn on_complete(
    user_data: *mut c_void,
    context: *mut MI_Context,
    result: MI_Result,
    ending: u32,
) {
    // SAFETY: the tests pass a `&Seen` that outlives the context.
    let seen = unsafe { &*(user_data as *const Seen) };
    seen.calls.fetch_add(1, Ordering::SeqCst);
    *seen.last.lock().unwrap() = Some((result, ending, thread::current().id()));
    if let Some(c) = seen.captured {
        seen.sink_len.store(c.len(), Ordering::SeqCst);
    }
    let mut r = 0;
    // SAFETY: the context is valid during its completion callback.
    let code = unsafe {
        mipsrp_context_get_outcome(context, &mut r, std::ptr::null_mut(), std::ptr::null_mut())
    };
    *seen.outcome.lock().unwrap() = Some((code, r));
}

pub fn set_completion(ctx: *mut MI_Context, seen: &Seen) -> MI_Result {
    // SAFETY: live context; `seen` outlives it in every test.
    unsafe {
        mipsrp_context_set_completion(ctx, Some(on_complete), seen as *const Seen as *mut c_void)
    }
}
