//! Zero heap allocations per call in steady state, counted with a counting
//! global allocator: WriteProgress (plain, coalesced, escaped, to a framed
//! sink), WriteMessage and WriteError, for wide and UTF-8 (valid or not)
//! providers, through the exported C functions.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::w;
use mi_psrp::ffi::connection::{mipsrp_fragment_info, mipsrp_pool_new_framed};
use mi_psrp::ffi::context::{
    MI_Context_WriteError, MI_Context_WriteMessage, MI_Context_WriteProgress,
};
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new_ex, mipsrp_context_set_progress_interval,
    mipsrp_pool_free, mipsrp_pool_new, mipsrp_pool_set_fragment_size,
};
use mi_psrp::mi::{MI_Char, MI_Context, MI_RESULT_OK, MI_Result};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the measuring thread during a measured window: only its
    /// allocations count (the calls under test are synchronous, their sink
    /// runs on the calling thread), so the test harness's own threads —
    /// libtest's main thread, output capture — cannot make the count flaky.
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count() {
    if COUNTING.try_with(std::cell::Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

/// The allocations `f` makes on this thread.
fn counted(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

unsafe extern "C" fn count_bytes(user_data: *mut std::ffi::c_void, _f: *const u8, len: usize) {
    // SAFETY: the test passes a live AtomicUsize.
    unsafe { &*(user_data as *const AtomicUsize) }.fetch_add(len, Ordering::Relaxed);
}

unsafe extern "C" fn count_framed(
    user_data: *mut std::ffi::c_void,
    info: *const mipsrp_fragment_info,
    _f: *const u8,
    len: usize,
) {
    // SAFETY: the test passes a live AtomicUsize; the library a valid info.
    let (counter, info) = unsafe { (&*(user_data as *const AtomicUsize), &*info) };
    assert_eq!(info.pipeline_id[36], 0);
    counter.fetch_add(len, Ordering::Relaxed);
}

fn context(
    interval_ms: u32,
) -> (
    *mut mi_psrp::ffi::host::mipsrp_pool,
    *mut MI_Context,
    &'static AtomicUsize,
) {
    context_of(interval_ms, size_of::<MI_Char>())
}

fn context_of(
    interval_ms: u32,
    char_size: usize,
) -> (
    *mut mi_psrp::ffi::host::mipsrp_pool,
    *mut MI_Context,
    &'static AtomicUsize,
) {
    let bytes: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let (mut pool, mut ctx) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: valid arguments; the counter lives for the whole test.
    unsafe {
        assert_eq!(
            mipsrp_pool_new(
                c"6397709e-f7d6-c54d-9568-fd4656ae4820".as_ptr(),
                Some(count_bytes),
                bytes as *const AtomicUsize as *mut _,
                &mut pool
            ),
            MI_RESULT_OK
        );
        assert_eq!(
            mipsrp_context_new_ex(
                pool,
                c"632aa393-254e-b24d-8288-4d968d0da65d".as_ptr(),
                4,
                -1,
                char_size,
                &mut ctx
            ),
            MI_RESULT_OK
        );
        assert_eq!(
            mipsrp_context_set_progress_interval(ctx, interval_ms),
            MI_RESULT_OK
        );
    }
    (pool, ctx, bytes)
}

/// Allocations made by `calls` calls of `call` after a warm-up.
fn allocations_of(calls: u32, call: impl Fn(u32) -> MI_Result) -> usize {
    for i in 0..100 {
        assert_eq!(call(i), MI_RESULT_OK);
    }
    counted(|| {
        for i in 0..calls {
            assert_eq!(call(i), MI_RESULT_OK);
        }
    })
}

/// Allocations made by `calls` WriteProgress calls after a warm-up.
fn allocations(ctx: *mut MI_Context, strings: [&[MI_Char]; 3], calls: u32) -> usize {
    let call = |i: u32| {
        // SAFETY: live context, NUL-terminated strings.
        let r = unsafe {
            MI_Context_WriteProgress(
                ctx,
                strings[0].as_ptr(),
                strings[1].as_ptr(),
                strings[2].as_ptr(),
                i % 101,
                i,
            )
        };
        assert_eq!(r, MI_RESULT_OK);
    };
    for i in 0..100 {
        call(i);
    }
    counted(|| {
        for i in 0..calls {
            call(i);
        }
    })
}

// One test function: the allocation counter is process-wide, so the cases
// must not run concurrently with each other.
#[test]
fn steady_state_write_progress_allocates_nothing() {
    let (activity, status, op) = (
        w("Copying files"),
        w("35 of 50 items copied"),
        w("copying sample.txt"),
    );
    let escaped: Vec<MI_Char> = w(&"<tag> & _x0041_ \t\u{1F600} café\u{7F}".repeat(20));

    let (pool, ctx, bytes) = context(0);
    assert_eq!(
        allocations(ctx, [&activity, &op, &status], 10_000),
        0,
        "plain"
    );
    assert!(
        bytes.load(Ordering::Relaxed) > 10_000 * 500,
        "the calls did send"
    );
    assert_eq!(
        allocations(ctx, [&escaped, &escaped, &escaped], 10_000),
        0,
        "escaped"
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }

    // The message and error calls, wide and UTF-8 (valid and not).
    let message = w("Copying sample.txt: 35 of 50 items");
    let escaped_message = w(&"<a> & _x0041_ \t\u{1F600}".repeat(20));
    let (pool, ctx, bytes) = context(0);
    for (what, text) in [
        ("wide message", &message),
        ("wide escaped message", &escaped_message),
    ] {
        let n = allocations_of(10_000, |i| {
            // SAFETY: live context, NUL-terminated string.
            unsafe { MI_Context_WriteMessage(ctx, i % 3, text.as_ptr()) }
        });
        assert_eq!(n, 0, "{what}");
    }
    let win32 = w("WIN32");
    let n = allocations_of(10_000, |i| {
        let mut flag = 0;
        // SAFETY: live context, NUL-terminated strings, writable flag.
        unsafe { MI_Context_WriteError(ctx, i % 30, win32.as_ptr(), message.as_ptr(), &mut flag) }
    });
    assert_eq!(n, 0, "wide WriteError");
    assert!(
        bytes.load(Ordering::Relaxed) > 30_000 * 300,
        "the calls did send"
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }

    let (pool, ctx, _) = context_of(0, 1);
    let texts: [&[u8]; 3] = [
        b"Copying files\0",
        "<tag> & _x0041_ \t\u{1F600} caf\u{e9}\u{7F}\0".as_bytes(),
        b"bad \xff\xe2\x82 utf-8 \xed\xa0\x80\0",
    ];
    for text in texts {
        let p = text.as_ptr().cast::<MI_Char>();
        let n = allocations_of(10_000, |i| {
            // SAFETY: live UTF-8 context, NUL-terminated strings.
            unsafe { MI_Context_WriteProgress(ctx, p, p, p, i % 101, i) }
        });
        assert_eq!(n, 0, "UTF-8 WriteProgress {text:?}");
        let n = allocations_of(10_000, |i| {
            // SAFETY: live UTF-8 context, NUL-terminated string.
            unsafe { MI_Context_WriteMessage(ctx, i % 3, p) }
        });
        assert_eq!(n, 0, "UTF-8 WriteMessage {text:?}");
        let n = allocations_of(10_000, |i| {
            let mut flag = 0;
            // SAFETY: live UTF-8 context, NUL-terminated strings, writable flag.
            unsafe { MI_Context_WriteError(ctx, i, p, p, &mut flag) }
        });
        assert_eq!(n, 0, "UTF-8 WriteError {text:?}");
    }
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }

    // A framed pool: the per-fragment info is built on the stack.
    let framed_bytes: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let (mut pool, mut ctx) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: valid arguments; the counter lives for the whole test.
    unsafe {
        assert_eq!(
            mipsrp_pool_new_framed(
                c"6397709e-f7d6-c54d-9568-fd4656ae4820".as_ptr(),
                Some(count_framed),
                framed_bytes as *const AtomicUsize as *mut _,
                &mut pool
            ),
            MI_RESULT_OK
        );
        assert_eq!(mipsrp_pool_set_fragment_size(pool, 200), MI_RESULT_OK);
        assert_eq!(
            mipsrp_context_new_ex(
                pool,
                c"632aa393-254e-b24d-8288-4d968d0da65d".as_ptr(),
                4,
                -1,
                size_of::<MI_Char>(),
                &mut ctx
            ),
            MI_RESULT_OK
        );
    }
    assert_eq!(
        allocations(ctx, [&activity, &op, &status], 10_000),
        0,
        "framed, several fragments per message"
    );
    assert!(
        framed_bytes.load(Ordering::Relaxed) > 10_000 * 500,
        "the calls did send"
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }

    let (pool, ctx, bytes) = context(3_600_000);
    assert_eq!(
        allocations(ctx, [&activity, &op, &status], 10_000),
        0,
        "coalesced"
    );
    assert!(
        bytes.load(Ordering::Relaxed) < 2_000,
        "the calls were coalesced"
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}
