//! The per-pool maximum message size: refused with SERVER_LIMITS_EXCEEDED at
//! exactly one byte over, nothing sent, the context still usable; and memory
//! stays bounded by the maximum however long a provider runs.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Captured, context, pool};
use mi_psrp::ffi::context::MI_Context_WriteProgress;
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_set_progress_interval,
    mipsrp_context_set_progress_requested, mipsrp_pool_free, mipsrp_pool_set_max_message_size,
};
use mi_psrp::mi::{
    MI_Char, MI_Context, MI_FALSE, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result,
};
use mi_psrp::psrp::{Guid, MessageHeader, ProgressRecord, decode_stream, encode_progress_message};

/// Live heap bytes and their high-water mark.
struct Tracking;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// The heap counters are process-wide: the tests take turns.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

/// `n` copies of an ASCII character: one unit each, in UTF-16 (2-byte
/// `wchar_t`, Windows) as in UTF-32.
fn wide(n: usize, c: char) -> Vec<MI_Char> {
    assert!(c.is_ascii());
    std::iter::repeat_n(c as u8 as MI_Char, n)
        .chain([0])
        .collect()
}

fn write(ctx: *mut MI_Context, activity: &[MI_Char]) -> MI_Result {
    // SAFETY: live context, NUL-terminated string.
    unsafe {
        MI_Context_WriteProgress(
            ctx,
            activity.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            50,
            5,
        )
    }
}

/// The message size of this test's records with an activity of `n` 'a's.
fn message_len(n: usize) -> usize {
    let header = MessageHeader::progress(Guid::parse(RPID).unwrap(), Guid::parse(PID).unwrap());
    let activity = "a".repeat(n);
    let mut record = ProgressRecord::new(7, activity.as_str(), " ");
    record.percent_complete = 50;
    record.seconds_remaining = 5;
    let mut out = Vec::new();
    encode_progress_message(&header, &record, &mut out).unwrap();
    out.len()
}

#[test]
fn one_byte_over_is_refused_and_changes_nothing() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let captured = Captured::default();
    let pool = pool(RPID, &captured);
    // SAFETY: live pool (and NULL).
    unsafe {
        assert_eq!(
            mipsrp_pool_set_max_message_size(std::ptr::null_mut(), 4096),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_pool_set_max_message_size(pool, 1023),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(mipsrp_pool_set_max_message_size(pool, 1024), MI_RESULT_OK);
    }
    let ctx = context(pool, PID, 7, -1);
    // 1024 bytes: find the activity length whose message is exactly the maximum.
    let n = (1..1024).find(|&n| message_len(n) == 1024).unwrap();
    assert_eq!(
        write(ctx, &wide(n + 1, 'a')),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    assert_eq!(captured.len(), 0, "nothing sent");
    assert_eq!(
        write(ctx, &wide(n, 'a')),
        MI_RESULT_OK,
        "exactly the maximum is fine"
    );
    let sent = captured.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].len(), 21 + 1024);

    // Escapes count: 'a' is one byte, '<' four; a huge string is refused too
    // (and its size found without encoding it into a buffer).
    assert_eq!(
        write(ctx, &wide(300, '<')),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    assert_eq!(
        write(ctx, &wide(5_000_000, 'a')),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    // A held (coalesced) write and a write nobody asked for obey the limit too.
    // SAFETY: live context.
    unsafe { mipsrp_context_set_progress_interval(ctx, 3_600_000) };
    assert_eq!(
        write(ctx, &wide(n + 1, 'a')),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    assert_eq!(write(ctx, &wide(10, 'b')), MI_RESULT_OK);
    // SAFETY: live context.
    unsafe { mipsrp_context_set_progress_requested(ctx, MI_FALSE) };
    assert_eq!(
        write(ctx, &wide(n + 1, 'a')),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    assert_eq!(captured.len(), 0);

    // Still usable, and the held write survived the refusals.
    // SAFETY: live context.
    unsafe { mipsrp_context_set_progress_requested(ctx, 1) };
    // SAFETY: handles made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
    let msgs = decode_stream(&captured.stream()).unwrap();
    assert_eq!(msgs.len(), 2, "the held write, then Completed");
    assert_eq!(msgs[0].progress().unwrap().activity, "bbbbbbbbbb");
}

#[test]
fn memory_stays_bounded_over_a_million_writes() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let captured = Captured::default();
    let pool = pool(RPID, &captured);
    // SAFETY: live pool.
    unsafe { assert_eq!(mipsrp_pool_set_max_message_size(pool, 4096), MI_RESULT_OK) };
    let ctx = context(pool, PID, 7, -1);
    // Strings from empty to well past the limit, with escapes (which grow 4-7×).
    let strings: Vec<Vec<MI_Char>> = (0..64)
        .map(|i| {
            let n = i * 97 % 6000 + 1;
            (0..n)
                .map(|k| {
                    if k % 11 == 0 {
                        '<' as MI_Char
                    } else {
                        'x' as MI_Char
                    }
                })
                .chain([0])
                .collect()
        })
        .collect();
    let mut refused = 0;
    let mut run = |count: usize| {
        for i in 0..count {
            // Send nothing to the capture buffer: it would grow on its own.
            captured.0.lock().unwrap().clear();
            match write(ctx, &strings[i % strings.len()]) {
                MI_RESULT_OK => {}
                MI_RESULT_SERVER_LIMITS_EXCEEDED => refused += 1,
                r => panic!("unexpected {r}"),
            }
        }
    };
    run(10_000); // warm up: every buffer reaches its largest size
    captured.0.lock().unwrap().clear();
    let warm_peak = PEAK.load(Ordering::Relaxed);
    let warm_live = LIVE.load(Ordering::Relaxed);
    run(1_000_000);
    captured.0.lock().unwrap().clear();
    let peak = PEAK.load(Ordering::Relaxed);
    let live = LIVE.load(Ordering::Relaxed);
    assert!(
        refused > 100_000,
        "the mix includes oversize records ({refused})"
    );
    // The test harness's own thread may allocate a little meanwhile (it
    // reports the other test's result): allow that slack, far below what one
    // byte leaked or grown per write would add over a million writes.
    const SLACK: usize = 16 * 1024;
    assert!(
        peak <= warm_peak + SLACK,
        "peak heap grew after warm-up: {warm_peak} -> {peak}"
    );
    assert!(
        live.abs_diff(warm_live) <= SLACK,
        "live heap changed after warm-up: {warm_live} -> {live}"
    );
    // And the warmed-up heap is bounded by the maximum, not by the strings.
    assert!(warm_live < 64 * 4096 + 1_000_000, "live heap {warm_live}");
    // SAFETY: handles made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}
