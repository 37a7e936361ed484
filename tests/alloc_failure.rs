//! A write that meets a memory limit is refused with
//! MI_RESULT_SERVER_LIMITS_EXCEEDED, never an abort of the host process
//! (issue 12, item 9). A global allocator that refuses every allocation of
//! 64 MiB or more stands in for the limit (a container's, an rlimit's).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use mi_psrp::host::{CharType, Context, MiError, Pool, ProviderText};
use mi_psrp::psrp::Guid;

struct Limited;

static LIMIT_ON: AtomicBool = AtomicBool::new(false);
const LIMIT: usize = 64 << 20;

// SAFETY: forwards to the system allocator; refusing (returning NULL) is
// allowed by GlobalAlloc's contract.
unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if LIMIT_ON.load(Ordering::Relaxed) && layout.size() >= LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if LIMIT_ON.load(Ordering::Relaxed) && new_size >= LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Limited = Limited;

#[test]
fn writes_that_cannot_get_memory_are_refused_not_fatal() {
    let wire = Arc::new(Mutex::new(0usize));
    let sink = Arc::clone(&wire);
    let pool = Pool::new(
        Guid::parse("6397709e-f7d6-c54d-9568-fd4656ae4820").unwrap(),
        move |f: &[u8]| *sink.lock().unwrap() += f.len(),
    );
    pool.set_max_message_size(u32::MAX).unwrap();
    let pid = Guid::parse("632aa393-254e-b24d-8288-4d968d0da65d").unwrap();
    let ctx = Context::with_char_type(&pool, pid, 1, -1, CharType::Utf8).unwrap();
    let big = "z".repeat(80 << 20);
    let text = Some(ProviderText::utf8(big.as_bytes()));
    let small = Some(ProviderText::utf8(b"ok"));

    LIMIT_ON.store(true, Ordering::Relaxed);
    let refused = |r: Result<(), MiError>| matches!(r, Err(MiError::LimitsExceeded { .. }));
    assert!(
        refused(ctx.write_progress(text, None, None, 1, 1)),
        "progress"
    );
    assert!(refused(ctx.write_message(0, text)), "message");
    assert!(refused(ctx.write_error(1, None, text).map(drop)), "error");
    assert!(refused(ctx.post_error(1, None, text)), "post error");
    ctx.set_progress_interval(60_000);
    ctx.write_progress(small, None, None, 1, 1).unwrap();
    assert!(refused(ctx.write_progress(text, None, None, 2, 2)), "held");
    assert!(*wire.lock().unwrap() > 0, "the small write was sent");
    // Nothing broke: the context goes on and ends normally.
    let before = *wire.lock().unwrap();
    ctx.write_message(1, small).unwrap();
    ctx.post_result(0).unwrap();
    LIMIT_ON.store(false, Ordering::Relaxed);
    assert!(*wire.lock().unwrap() > before);
}
