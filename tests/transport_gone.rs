//! A client that goes away (issue 10): `mipsrp_context_transport_gone` and
//! `mipsrp_pool_transport_gone` cancel once with `MI_REASON_SERVICESTOP`, make
//! every write fail and let nothing more reach the sink, still let the
//! provider end its operation, and never wait for a blocked sink.

mod common;

use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self};
use std::time::Duration;

use common::connection::*;
use common::{Captured, w};
use mi_psrp::ffi::connection::{
    MIPSRP_ENDING_POST_ERROR, mipsrp_context_transport_gone, mipsrp_context_wait, mipsrp_pool_send,
    mipsrp_pool_transport_gone,
};
use mi_psrp::ffi::context::{
    MI_Context_Canceled, MI_Context_PostError, MI_Context_PostResult, MI_Context_RegisterCancel,
    MI_Context_WriteError, MI_Context_WriteMessage, MI_Context_WriteProgress,
};
use mi_psrp::ffi::host::{
    mipsrp_context_cancel, mipsrp_context_flush, mipsrp_context_free,
    mipsrp_context_set_progress_interval, mipsrp_pool_free,
};
use mi_psrp::host::{Context, MiError, Pool};
use mi_psrp::mi::{
    MI_CancellationReason, MI_Context, MI_REASON_SERVICESTOP, MI_REASON_SHUTDOWN, MI_RESULT_FAILED,
    MI_RESULT_OK, MI_Result,
};
use mi_psrp::psrp::Guid;

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
