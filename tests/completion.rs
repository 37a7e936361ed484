//! How an operation ended (issue 10): the completion callback and the wait,
//! through the C ABI a host uses and the Rust API — also when the provider
//! ends the operation later from another thread.

mod common;

use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self};
use std::time::{Duration, Instant};

use common::connection::*;
use common::{Captured, w};
use mi_psrp::ffi::connection::{
    MIPSRP_ENDING_FREED, MIPSRP_ENDING_POST_ERROR, MIPSRP_ENDING_POST_RESULT, MIPSRP_WAIT_INFINITE,
    mipsrp_context_set_completion, mipsrp_context_transport_gone, mipsrp_context_wait,
    mipsrp_pool_transport_gone,
};
use mi_psrp::ffi::context::{MI_Context_PostError, MI_Context_PostResult};
use mi_psrp::ffi::host::{mipsrp_context_free, mipsrp_pool_free};
use mi_psrp::host::{Context, Ending, MiError, Outcome, Pool};
use mi_psrp::mi::{
    MI_Context, MI_REASON_SHUTDOWN, MI_RESULT_ACCESS_DENIED, MI_RESULT_INVALID_PARAMETER,
    MI_RESULT_NOT_FOUND, MI_RESULT_OK,
};
use mi_psrp::psrp::{Guid, ProgressRecordType, decode_stream};

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
