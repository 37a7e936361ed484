//! ObjectIds (issue 10): unique and increasing across every message of a
//! connection — contexts' records and the host's own messages from several
//! threads, ObjectIds taken from the host's source, refused ones, and the
//! pool's counter again after them.

mod common;

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};

use common::Captured;
use common::connection::*;
use mi_psrp::ffi::connection::mipsrp_pool_set_object_id_source;
use mi_psrp::ffi::context::MI_Context_PostResult;
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_pool, mipsrp_pool_free, mipsrp_pool_set_fragment_size,
};
use mi_psrp::mi::{MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK};

/// The host's counter: hands out `next`, then `next + step`; 0 (refuse) once
/// `refuse` is set.
struct HostIds {
    next: AtomicU64,
    step: u64,
    refuse: AtomicU64,
    calls: AtomicU64,
}

unsafe extern "C" fn host_ids(user_data: *mut c_void) -> u64 {
    // SAFETY: the test passes a `&HostIds` that outlives the pool.
    let ids = unsafe { &*(user_data as *const HostIds) };
    ids.calls.fetch_add(1, Ordering::SeqCst);
    match ids.refuse.load(Ordering::SeqCst) {
        0 => ids.next.fetch_add(ids.step, Ordering::SeqCst),
        1 => 0,
        // A value not above the last one sent.
        _ => ids.next.load(Ordering::SeqCst) - ids.step,
    }
}

#[test]
fn object_ids_stay_unique_and_increasing_across_threads() {
    let framed = Framed::default();
    let pool = framed_pool(&framed);
    // SAFETY: live pool.
    assert_eq!(
        unsafe { mipsrp_pool_set_fragment_size(pool, 100) },
        MI_RESULT_OK
    );
    const THREADS: usize = 4;
    const EACH: usize = 200;
    let pool_addr = pool as usize;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let pool = pool_addr as *mut mipsrp_pool;
                let ctx = context(pool, PID, 10 + t as i32);
                for i in 0..EACH {
                    assert_eq!(progress(ctx, &format!("t{t} #{i}")), MI_RESULT_OK);
                    let data = format!("host message {t}/{i}");
                    assert_eq!(
                        send(pool, PIPELINE_STATE, Some(PID), data.as_bytes()),
                        MI_RESULT_OK
                    );
                }
                // SAFETY: made above, used by this thread only.
                unsafe { mipsrp_context_free(ctx) };
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let got = framed.take();
    let msgs = messages(got.iter().map(|(_, b)| b.as_slice()));
    // 2 messages per round, plus one Completed record per context.
    let n = THREADS * (2 * EACH + 1);
    assert_eq!(msgs.len(), n);
    assert!(
        msgs.iter().map(|m| m.0).eq(1..=n as u64),
        "dense, increasing, in sink order"
    );
    let host = msgs
        .iter()
        .filter(|m| m.1.message_type == PIPELINE_STATE)
        .count();
    assert_eq!(host, THREADS * EACH);
    // SAFETY: made above.
    unsafe { mipsrp_pool_free(pool) };
}

/// The host's counter: hands out `next`, then `next + step`; 0 (refuse) once
/// `refuse` is set.

#[test]
fn object_ids_from_the_host_then_from_the_pool_again() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);
    let ctx = context(pool, PID, 1);
    assert_eq!(progress(ctx, "own counter"), MI_RESULT_OK); // 1
    let ids = HostIds {
        next: AtomicU64::new(100),
        step: 10,
        refuse: AtomicU64::new(0),
        calls: AtomicU64::new(0),
    };
    let user = &ids as *const HostIds as *mut c_void;
    // SAFETY: live pool; `ids` outlives its use (the source is cleared below).
    assert_eq!(
        unsafe { mipsrp_pool_set_object_id_source(pool, Some(host_ids), user) },
        MI_RESULT_OK
    );
    assert_eq!(progress(ctx, "host's 100"), MI_RESULT_OK);
    assert_eq!(
        send(pool, PIPELINE_STATE, None, b"host's 110"),
        MI_RESULT_OK
    );
    assert_eq!(ids.calls.load(Ordering::SeqCst), 2, "once per message");
    // Refused: 0, then a value not above the last one.
    for how in [1, 2] {
        ids.refuse.store(how, Ordering::SeqCst);
        assert_eq!(progress(ctx, "refused"), MI_RESULT_FAILED);
        assert_eq!(
            send(pool, PIPELINE_STATE, None, b"refused"),
            MI_RESULT_FAILED
        );
    }
    ids.refuse.store(0, Ordering::SeqCst);
    assert_eq!(progress(ctx, "host's 120"), MI_RESULT_OK);
    // NULL: the pool's counter, after the last ObjectId sent.
    // SAFETY: live pool.
    let r = unsafe { mipsrp_pool_set_object_id_source(pool, None, std::ptr::null_mut()) };
    assert_eq!(r, MI_RESULT_OK);
    assert_eq!(send(pool, PIPELINE_STATE, None, b"121"), MI_RESULT_OK);
    // SAFETY: live context.
    assert_eq!(
        unsafe { MI_Context_PostResult(ctx, MI_RESULT_OK) },
        MI_RESULT_OK
    );
    // SAFETY: NULL pool.
    let r = unsafe { mipsrp_pool_set_object_id_source(std::ptr::null_mut(), Some(host_ids), user) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);

    let msgs = messages(captured.take().iter().map(Vec::as_slice));
    let got: Vec<u64> = msgs.iter().map(|m| m.0).collect();
    assert_eq!(got, [1, 100, 110, 120, 121, 122]);
    assert!(
        msgs.iter().all(|m| m.2 != b"refused"),
        "a refused message sends nothing"
    );
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}
