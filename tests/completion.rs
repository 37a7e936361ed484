//! How an operation ended (completion callback, wait) and a client that goes
//! away (transport gone), through the C ABI a host uses and the Rust API.

mod common;

use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use common::{Captured, w};
use mi_psrp::ffi::connection::{
    MIPSRP_ENDING_FREED, MIPSRP_ENDING_POST_ERROR, MIPSRP_ENDING_POST_RESULT, MIPSRP_WAIT_INFINITE,
    mipsrp_context_set_completion, mipsrp_context_transport_gone, mipsrp_context_wait,
    mipsrp_pool_send, mipsrp_pool_transport_gone,
};
use mi_psrp::ffi::context::{
    MI_Context_Canceled, MI_Context_PostError, MI_Context_PostResult, MI_Context_RegisterCancel,
    MI_Context_WriteError, MI_Context_WriteMessage, MI_Context_WriteProgress,
};
use mi_psrp::ffi::host::{
    mipsrp_context_cancel, mipsrp_context_flush, mipsrp_context_free, mipsrp_context_get_outcome,
    mipsrp_context_set_progress_interval, mipsrp_pool_free,
};
use mi_psrp::host::{Context, Ending, MiError, Outcome, Pool};
use mi_psrp::mi::{
    MI_CancellationReason, MI_Context, MI_REASON_SERVICESTOP, MI_REASON_SHUTDOWN,
    MI_RESULT_ACCESS_DENIED, MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_FOUND,
    MI_RESULT_OK, MI_Result,
};
use mi_psrp::psrp::{Guid, ProgressRecordType, decode_stream};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

fn progress(ctx: *mut MI_Context, status: &str) -> MI_Result {
    let (a, s) = (w("Copying"), w(status));
    // SAFETY: live context, NUL-terminated strings.
    unsafe { MI_Context_WriteProgress(ctx, a.as_ptr(), std::ptr::null(), s.as_ptr(), 10, 5) }
}

/// What the completion callback saw.
#[derive(Default)]
struct Seen {
    calls: AtomicUsize,
    last: Mutex<Option<(MI_Result, u32, ThreadId)>>,
    /// Fragments in the sink when the callback ran.
    sink_len: AtomicUsize,
    /// What `mipsrp_context_get_outcome` answered from inside the callback.
    outcome: Mutex<Option<(MI_Result, MI_Result)>>,
    captured: Option<&'static Captured>,
}

unsafe extern "C" fn on_complete(
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

fn set_completion(ctx: *mut MI_Context, seen: &Seen) -> MI_Result {
    // SAFETY: live context; `seen` outlives it in every test.
    unsafe {
        mipsrp_context_set_completion(ctx, Some(on_complete), seen as *const Seen as *mut c_void)
    }
}

fn leak<T>(t: T) -> &'static T {
    Box::leak(Box::new(t))
}

/// A raw pointer that may cross threads (the C API's contexts are thread-safe).
#[derive(Clone, Copy)]
struct Ptr(usize);
impl Ptr {
    fn ctx(self) -> *mut MI_Context {
        self.0 as *mut MI_Context
    }
}

#[test]
fn provider_ends_later_on_another_thread_while_the_host_waits() {
    let captured = leak(Captured::default());
    let pool = common::pool(RPID, captured);
    let ctx = common::context(pool, PID, 1, -1);
    let seen = leak(Seen {
        captured: Some(captured),
        ..Seen::default()
    });
    assert_eq!(set_completion(ctx, seen), MI_RESULT_OK);
    assert_eq!(progress(ctx, "working"), MI_RESULT_OK);

    // Still going: a short wait times out, as get_outcome answers.
    let mut result = 12345;
    let t0 = Instant::now();
    // SAFETY: live context, writable result.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 30, &mut result) },
        MI_RESULT_NOT_FOUND
    );
    assert!(t0.elapsed() >= Duration::from_millis(25), "it waited");
    assert_eq!(result, 12345, "nothing written");
    // SAFETY: live context; 0 just looks.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 0, std::ptr::null_mut()) },
        MI_RESULT_NOT_FOUND
    );
    assert_eq!(seen.calls.load(Ordering::SeqCst), 0);

    let p = Ptr(ctx as usize);
    let provider = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        // SAFETY: live context, used by the provider until it ends it.
        let r = unsafe { MI_Context_PostResult(p.ctx(), MI_RESULT_ACCESS_DENIED) };
        (r, thread::current().id())
    });
    // SAFETY: live context, writable result; the provider ends it within 100 ms.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 10_000, &mut result) },
        MI_RESULT_OK
    );
    assert_eq!(result, MI_RESULT_ACCESS_DENIED);
    // Once a wait returned, the callback has run.
    assert_eq!(seen.calls.load(Ordering::SeqCst), 1);
    let (r, provider_thread) = provider.join().unwrap();
    assert_eq!(r, MI_RESULT_OK);
    let (res, ending, on) = seen.last.lock().unwrap().unwrap();
    assert_eq!(
        (res, ending),
        (MI_RESULT_ACCESS_DENIED, MIPSRP_ENDING_POST_RESULT)
    );
    assert_eq!(
        on, provider_thread,
        "on the thread that ended the operation"
    );
    // After the last record reached the sink: the Completed record is there.
    let stream = captured.stream();
    let msgs = decode_stream(&stream).unwrap();
    assert_eq!(
        msgs.last().unwrap().progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
    assert_eq!(seen.sink_len.load(Ordering::SeqCst), captured.len());
    assert_eq!(
        *seen.outcome.lock().unwrap(),
        Some((MI_RESULT_OK, MI_RESULT_ACCESS_DENIED))
    );

    // Infinite waits after the end return at once, again and again.
    // SAFETY: live context.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, MIPSRP_WAIT_INFINITE, &mut result) },
        MI_RESULT_OK
    );
    // A callback set after the end is called at once, on the setting thread.
    let late = leak(Seen::default());
    assert_eq!(set_completion(ctx, late), MI_RESULT_OK);
    assert_eq!(late.calls.load(Ordering::SeqCst), 1);
    let (res, ending, on) = late.last.lock().unwrap().unwrap();
    assert_eq!(
        (res, ending, on),
        (
            MI_RESULT_ACCESS_DENIED,
            MIPSRP_ENDING_POST_RESULT,
            thread::current().id()
        )
    );
    // Freeing after the end calls nothing again.
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
    assert_eq!(seen.calls.load(Ordering::SeqCst), 1, "exactly once");
    assert_eq!(late.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn post_error_and_free_before_the_end_are_reported() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);

    let ctx = common::context(pool, PID, 1, -1);
    let seen = Seen::default();
    assert_eq!(set_completion(ctx, &seen), MI_RESULT_OK);
    let (t, m) = (w("WIN32"), w("no access"));
    // SAFETY: live context, NUL-terminated strings.
    assert_eq!(
        unsafe { MI_Context_PostError(ctx, 5, t.as_ptr(), m.as_ptr()) },
        MI_RESULT_OK
    );
    let (res, ending, _) = seen.last.lock().unwrap().unwrap();
    assert_eq!((res, ending), (5, MIPSRP_ENDING_POST_ERROR));
    let mut result = 0;
    // SAFETY: live context.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 0, &mut result) },
        MI_RESULT_OK
    );
    assert_eq!(result, 5);
    // SAFETY: made above.
    unsafe { mipsrp_context_free(ctx) };
    assert_eq!(seen.calls.load(Ordering::SeqCst), 1);

    // Freed before the provider ended it: FREED, result OK, on the freeing
    // thread, with the Completed record sent first and the context still
    // readable from the callback.
    let ctx = common::context(pool, PID, 2, -1);
    let seen = Seen::default();
    assert_eq!(progress(ctx, "abandoned"), MI_RESULT_OK);
    assert_eq!(set_completion(ctx, &seen), MI_RESULT_OK);
    let before = captured.len();
    // SAFETY: made above.
    unsafe { mipsrp_context_free(ctx) };
    assert_eq!(seen.calls.load(Ordering::SeqCst), 1);
    let (res, ending, on) = seen.last.lock().unwrap().unwrap();
    assert_eq!(
        (res, ending, on),
        (MI_RESULT_OK, MIPSRP_ENDING_FREED, thread::current().id())
    );
    assert_eq!(
        *seen.outcome.lock().unwrap(),
        Some((MI_RESULT_OK, MI_RESULT_OK))
    );
    assert_eq!(
        captured.len(),
        before + 1,
        "the Completed record went out first"
    );

    // A callback replaced before the end is never called; NULL clears.
    let ctx = common::context(pool, PID, 3, -1);
    let (first, second) = (Seen::default(), Seen::default());
    assert_eq!(set_completion(ctx, &first), MI_RESULT_OK);
    assert_eq!(set_completion(ctx, &second), MI_RESULT_OK);
    // SAFETY: live context.
    assert_eq!(
        unsafe { MI_Context_PostResult(ctx, MI_RESULT_OK) },
        MI_RESULT_OK
    );
    assert_eq!(
        (
            first.calls.load(Ordering::SeqCst),
            second.calls.load(Ordering::SeqCst)
        ),
        (0, 1)
    );
    let ctx2 = common::context(pool, PID, 4, -1);
    assert_eq!(set_completion(ctx2, &first), MI_RESULT_OK);
    // SAFETY: live context; NULL clears.
    assert_eq!(
        unsafe { mipsrp_context_set_completion(ctx2, None, std::ptr::null_mut()) },
        MI_RESULT_OK
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx2);
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
    assert_eq!(first.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn completion_calls_bad_input() {
    let seen = Seen::default();
    let user = &seen as *const Seen as *mut c_void;
    let mut result = 77;
    // A context whose table is not ours.
    let foreign = MI_Context {
        ft: std::ptr::null(),
        reserved: [0; 3],
    };
    let foreign = &foreign as *const MI_Context as *mut MI_Context;
    for ctx in [std::ptr::null_mut(), foreign] {
        // SAFETY: NULL or a readable context that is not ours.
        unsafe {
            assert_eq!(
                mipsrp_context_set_completion(ctx, Some(on_complete), user),
                MI_RESULT_INVALID_PARAMETER
            );
            assert_eq!(
                mipsrp_context_wait(ctx, 0, &mut result),
                MI_RESULT_INVALID_PARAMETER
            );
            assert_eq!(
                mipsrp_context_transport_gone(ctx),
                MI_RESULT_INVALID_PARAMETER
            );
        }
    }
    assert_eq!(result, 77);
    // SAFETY: NULL pool.
    assert_eq!(
        unsafe { mipsrp_pool_transport_gone(std::ptr::null_mut()) },
        MI_RESULT_INVALID_PARAMETER
    );
    assert_eq!(seen.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn wait_from_the_sink_or_the_cancel_callback_fails_instead_of_waiting_for_itself() {
    let slot: Arc<Mutex<Option<Arc<Context>>>> = Arc::default();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (s, r) = (Arc::clone(&slot), Arc::clone(&seen));
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |_: &[u8]| {
        if let Some(ctx) = s.lock().unwrap().as_ref() {
            r.lock()
                .unwrap()
                .push(ctx.try_wait(Some(Duration::from_secs(5))));
        }
    });
    let ctx = Arc::new(Context::new(&pool, Guid::parse(PID).unwrap(), 1, -1).unwrap());
    *slot.lock().unwrap() = Some(Arc::clone(&ctx));
    ctx.write_progress(Some("a"), None, None, 1, 1).unwrap();
    assert!(matches!(
        seen.lock().unwrap()[..],
        [Err(MiError::Failed(_))]
    ));
    slot.lock().unwrap().take();

    let in_cancel = Arc::new(Mutex::new(None));
    let (c2, s2) = (Arc::clone(&ctx), Arc::clone(&in_cancel));
    ctx.register_cancel(Box::new(move |_| {
        *s2.lock().unwrap() = Some(c2.try_wait(None));
    }))
    .unwrap();
    ctx.cancel(MI_REASON_SHUTDOWN).unwrap();
    assert!(matches!(
        *in_cancel.lock().unwrap(),
        Some(Err(MiError::Failed(_)))
    ));

    // From the completion callback itself: the outcome, at once.
    let in_completion = Arc::new(Mutex::new(None));
    let (c3, s3) = (Arc::clone(&ctx), Arc::clone(&in_completion));
    ctx.on_complete(Box::new(move |outcome| {
        *s3.lock().unwrap() = Some((outcome.clone(), c3.wait(None)));
    }));
    ctx.post_result(MI_RESULT_OK).unwrap();
    let (outcome, waited) = in_completion.lock().unwrap().take().unwrap();
    assert_eq!(outcome.ending, Ending::PostResult);
    assert_eq!(waited, Some(outcome));
    assert!(ctx.is_ended());
}

#[test]
fn rust_completion_fires_once_also_when_dropped_and_from_other_threads() {
    let pool = Pool::new(Guid::parse(RPID).unwrap(), |_: &[u8]| {});
    let calls = Arc::new(AtomicU32::new(0));
    let last: Arc<Mutex<Option<Outcome>>> = Arc::default();
    let ctx = Arc::new(Context::new(&pool, Guid::parse(PID).unwrap(), 1, -1).unwrap());
    let (c, l) = (Arc::clone(&calls), Arc::clone(&last));
    ctx.on_complete(Box::new(move |o| {
        c.fetch_add(1, Ordering::SeqCst);
        *l.lock().unwrap() = Some(o.clone());
    }));
    assert_eq!(ctx.wait(Some(Duration::from_millis(20))), None);
    // Several providers race to end it: one wins, the rest fail; once.
    let racers: Vec<_> = (0..4)
        .map(|i| {
            let ctx = Arc::clone(&ctx);
            thread::spawn(move || ctx.post_result(i))
        })
        .collect();
    let waiter = {
        let ctx = Arc::clone(&ctx);
        thread::spawn(move || ctx.wait(None))
    };
    let won: Vec<_> = racers.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(won.iter().filter(|r| r.is_ok()).count(), 1, "{won:?}");
    let outcome = waiter.join().unwrap().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(last.lock().unwrap().as_ref(), Some(&outcome));

    // Dropped before the end: Freed, once.
    let ctx = Context::new(&pool, Guid::parse(PID).unwrap(), 2, -1).unwrap();
    let (c, l) = (Arc::clone(&calls), Arc::clone(&last));
    ctx.on_complete(Box::new(move |o| {
        c.fetch_add(1, Ordering::SeqCst);
        *l.lock().unwrap() = Some(o.clone());
    }));
    drop(ctx);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(last.lock().unwrap().as_ref().unwrap().ending, Ending::Freed);
}

// ---- transport gone ---------------------------------------------------------

#[derive(Default)]
struct Cancels {
    calls: AtomicUsize,
    reason: AtomicU32,
    /// What a write from inside the callback answered.
    write: Mutex<Option<MI_Result>>,
    ctx: AtomicUsize,
}

unsafe extern "system" fn on_cancel(reason: MI_CancellationReason, data: *mut c_void) {
    // SAFETY: the tests pass a `&Cancels` that outlives the context.
    let c = unsafe { &*(data as *const Cancels) };
    c.calls.fetch_add(1, Ordering::SeqCst);
    c.reason.store(reason, Ordering::SeqCst);
    let ctx = c.ctx.load(Ordering::SeqCst) as *mut MI_Context;
    *c.write.lock().unwrap() = Some(progress(ctx, "from the cancel callback"));
}

fn register(ctx: *mut MI_Context, c: &Cancels) {
    c.ctx.store(ctx as usize, Ordering::SeqCst);
    // SAFETY: live context; `c` outlives it.
    let r = unsafe {
        MI_Context_RegisterCancel(ctx, Some(on_cancel), c as *const Cancels as *mut c_void)
    };
    assert_eq!(r, MI_RESULT_OK);
}

fn canceled(ctx: *mut MI_Context) -> bool {
    let mut flag = 0;
    // SAFETY: live context, writable flag.
    assert_eq!(unsafe { MI_Context_Canceled(ctx, &mut flag) }, MI_RESULT_OK);
    flag != 0
}

fn every_write_fails(ctx: *mut MI_Context) {
    let text = w("gone");
    let mut flag = 9;
    assert_eq!(progress(ctx, "after"), MI_RESULT_FAILED);
    // SAFETY: live context, NUL-terminated strings, writable flag.
    unsafe {
        assert_eq!(
            MI_Context_WriteMessage(ctx, 1, text.as_ptr()),
            MI_RESULT_FAILED
        );
        assert_eq!(
            MI_Context_WriteError(ctx, 5, text.as_ptr(), text.as_ptr(), &mut flag),
            MI_RESULT_FAILED
        );
        // Even bad arguments: the state is checked first.
        assert_eq!(
            MI_Context_WriteProgress(
                ctx,
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                500,
                0
            ),
            MI_RESULT_FAILED
        );
        assert_eq!(
            mipsrp_context_flush(ctx),
            MI_RESULT_OK,
            "a host call: nothing to do"
        );
    }
    assert_eq!(flag, 9);
}

#[test]
fn a_context_whose_transport_is_gone_is_cancelled_once_and_sends_nothing_more() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);
    let ctx = common::context(pool, PID, 1, -1);
    let cancels = Cancels::default();
    register(ctx, &cancels);
    let seen = Seen::default();
    assert_eq!(set_completion(ctx, &seen), MI_RESULT_OK);
    // A held record that must never go out.
    assert_eq!(progress(ctx, "sent"), MI_RESULT_OK);
    // SAFETY: live context.
    assert_eq!(
        unsafe { mipsrp_context_set_progress_interval(ctx, 3_600_000) },
        MI_RESULT_OK
    );
    assert_eq!(progress(ctx, "held"), MI_RESULT_OK);
    let before = captured.len();
    assert!(!canceled(ctx));

    // SAFETY: live context.
    assert_eq!(unsafe { mipsrp_context_transport_gone(ctx) }, MI_RESULT_OK);
    assert_eq!(cancels.calls.load(Ordering::SeqCst), 1);
    assert_eq!(cancels.reason.load(Ordering::SeqCst), MI_REASON_SERVICESTOP);
    assert_eq!(
        *cancels.write.lock().unwrap(),
        Some(MI_RESULT_FAILED),
        "the callback's write fails"
    );
    assert!(canceled(ctx));
    every_write_fails(ctx);
    // Idempotent, and a later cancel changes nothing.
    // SAFETY: live context.
    unsafe {
        assert_eq!(mipsrp_context_transport_gone(ctx), MI_RESULT_OK);
        assert_eq!(mipsrp_context_cancel(ctx, MI_REASON_SHUTDOWN), MI_RESULT_OK);
    }
    assert_eq!(cancels.calls.load(Ordering::SeqCst), 1);
    // PostResult still ends it: outcome and completion, no Completed record.
    // SAFETY: live context.
    assert_eq!(
        unsafe { MI_Context_PostResult(ctx, MI_RESULT_OK) },
        MI_RESULT_OK
    );
    assert_eq!(seen.calls.load(Ordering::SeqCst), 1);
    let mut result = 99;
    // SAFETY: live context.
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 0, &mut result) },
        MI_RESULT_OK
    );
    assert_eq!(result, MI_RESULT_OK);
    // SAFETY: made above.
    unsafe { mipsrp_context_free(ctx) };
    assert_eq!(captured.len(), before, "nothing more reached the sink");

    // PostError on a gone context: ended, recorded, not sent.
    let ctx = common::context(pool, PID, 2, -1);
    let seen = Seen::default();
    assert_eq!(set_completion(ctx, &seen), MI_RESULT_OK);
    assert_eq!(progress(ctx, "x"), MI_RESULT_OK);
    let before = captured.len();
    // SAFETY: live context.
    assert_eq!(unsafe { mipsrp_context_transport_gone(ctx) }, MI_RESULT_OK);
    let t = w("WIN32");
    // SAFETY: live context, NUL-terminated strings.
    assert_eq!(
        unsafe { MI_Context_PostError(ctx, 5, t.as_ptr(), t.as_ptr()) },
        MI_RESULT_OK
    );
    let (res, ending, _) = seen.last.lock().unwrap().unwrap();
    assert_eq!((res, ending), (5, MIPSRP_ENDING_POST_ERROR));
    // SAFETY: made above.
    unsafe { mipsrp_context_free(ctx) };
    assert_eq!(captured.len(), before);
    // SAFETY: made above.
    unsafe { mipsrp_pool_free(pool) };
}

#[test]
fn a_pool_whose_transport_is_gone_cancels_every_context_now_and_later() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);
    let (a, b) = (
        common::context(pool, PID, 1, -1),
        common::context(pool, PID, 2, -1),
    );
    let (ca, cb) = (Cancels::default(), Cancels::default());
    register(a, &ca);
    register(b, &cb);
    // One context already cancelled: its callback is not called again.
    // SAFETY: live context.
    assert_eq!(
        unsafe { mipsrp_context_cancel(b, MI_REASON_SHUTDOWN) },
        MI_RESULT_OK
    );
    assert_eq!(progress(a, "before"), MI_RESULT_OK);
    let before = captured.len();
    // SAFETY: live pool.
    assert_eq!(unsafe { mipsrp_pool_transport_gone(pool) }, MI_RESULT_OK);
    assert_eq!(
        (
            ca.calls.load(Ordering::SeqCst),
            ca.reason.load(Ordering::SeqCst)
        ),
        (1, MI_REASON_SERVICESTOP)
    );
    assert_eq!(
        (
            cb.calls.load(Ordering::SeqCst),
            cb.reason.load(Ordering::SeqCst)
        ),
        (1, MI_REASON_SHUTDOWN)
    );
    for ctx in [a, b] {
        assert!(canceled(ctx));
        every_write_fails(ctx);
    }
    // SAFETY: live pool, readable data.
    let r = unsafe { mipsrp_pool_send(pool, 0x0004_1006, std::ptr::null(), b"x".as_ptr(), 1) };
    assert_eq!(r, MI_RESULT_FAILED);
    // A context made now is gone from its start.
    let c = common::context(pool, PID, 3, -1);
    assert!(canceled(c));
    every_write_fails(c);
    let cc = Cancels::default();
    register(c, &cc);
    assert_eq!(
        (
            cc.calls.load(Ordering::SeqCst),
            cc.reason.load(Ordering::SeqCst)
        ),
        (1, MI_REASON_SERVICESTOP)
    );
    // SAFETY: live pool.
    assert_eq!(
        unsafe { mipsrp_pool_transport_gone(pool) },
        MI_RESULT_OK,
        "idempotent"
    );
    assert_eq!(ca.calls.load(Ordering::SeqCst), 1);
    // SAFETY: made above.
    unsafe {
        for ctx in [a, b, c] {
            assert_eq!(MI_Context_PostResult(ctx, MI_RESULT_OK), MI_RESULT_OK);
            mipsrp_context_free(ctx);
        }
        mipsrp_pool_free(pool);
    }
    assert_eq!(captured.len(), before, "nothing more reached the sink");
}

#[test]
fn transport_gone_never_waits_for_a_write_blocked_in_the_sink() {
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (entered_tx, release_rx) = (Mutex::new(entered_tx), Mutex::new(release_rx));
    let blocking = Arc::new(AtomicUsize::new(1));
    let sent = Arc::new(AtomicUsize::new(0));
    let (gate, count) = (Arc::clone(&blocking), Arc::clone(&sent));
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |_: &[u8]| {
        count.fetch_add(1, Ordering::SeqCst);
        if gate.swap(0, Ordering::SeqCst) == 1 {
            entered_tx.lock().unwrap().send(()).unwrap();
            release_rx.lock().unwrap().recv().unwrap();
        }
    });
    let ctx = Arc::new(Context::new(&pool, Guid::parse(PID).unwrap(), 1, -1).unwrap());
    let in_callback = Arc::new(Mutex::new(None));
    let (c2, seen) = (Arc::clone(&ctx), Arc::clone(&in_callback));
    ctx.register_cancel(Box::new(move |reason| {
        *seen.lock().unwrap() = Some((
            reason,
            c2.write_progress(Some("stopping"), None, None, 1, 1),
        ));
    }))
    .unwrap();
    let writer = {
        let ctx = Arc::clone(&ctx);
        thread::spawn(move || ctx.write_progress(Some("copying"), None, None, 1, 1))
    };
    entered_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    // The write holds the context and the pool, blocked in the sink.
    let (done_tx, done_rx) = mpsc::channel();
    let gone = {
        let pool = Arc::clone(&pool);
        thread::spawn(move || {
            pool.transport_gone();
            done_tx.send(()).unwrap();
        })
    };
    let returned = done_rx.recv_timeout(Duration::from_secs(10));
    release_tx.send(()).unwrap();
    assert!(
        returned.is_ok(),
        "transport_gone waited for the blocked sink"
    );
    gone.join().unwrap();
    assert_eq!(
        writer.join().unwrap(),
        Ok(()),
        "the write under way finishes"
    );
    let (reason, write) = in_callback.lock().unwrap().take().unwrap();
    assert_eq!(reason, MI_REASON_SERVICESTOP);
    assert!(matches!(write, Err(MiError::Failed(_))));
    let after = sent.load(Ordering::SeqCst);
    assert!(matches!(
        ctx.write_progress(Some("more"), None, None, 1, 1),
        Err(MiError::Failed(_))
    ));
    assert!(ctx.canceled() && ctx.is_transport_gone() && pool.is_transport_gone());
    ctx.post_result(MI_RESULT_OK).unwrap();
    assert_eq!(sent.load(Ordering::SeqCst), after, "no Completed record");
    assert_eq!(
        pool.send_message(0x0004_1006, Guid::NIL, b""),
        Err(MiError::Failed(
            "the transport is gone (transport_gone was called)"
        ))
    );
}
