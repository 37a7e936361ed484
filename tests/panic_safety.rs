//! No panic crosses the C boundary: with the `fault-injection` feature the
//! core is made to panic inside WriteProgress (context lock held) and inside
//! the pool's send (pool lock held); the C functions return MI_RESULT_FAILED,
//! and the context and pool stay usable, their ObjectIds still dense.
//! Run by `cargo test --all-features` (README, CI).
#![cfg(feature = "fault-injection")]

mod common;

use common::{Captured, context, pool, w};
use mi_psrp::ffi::context::{MI_Context_PostResult, MI_Context_WriteProgress};
use mi_psrp::ffi::host::{mipsrp_context_flush, mipsrp_context_free, mipsrp_pool_free};
use mi_psrp::host::fault::{Point, arm};
use mi_psrp::mi::{MI_Context, MI_RESULT_FAILED, MI_RESULT_OK, MI_Result};
use mi_psrp::psrp::{ProgressRecordType, decode_stream};

fn write(ctx: *mut MI_Context, text: &str) -> MI_Result {
    let t = w(text);
    // SAFETY: live context, NUL-terminated strings.
    unsafe { MI_Context_WriteProgress(ctx, t.as_ptr(), std::ptr::null(), t.as_ptr(), 10, 1) }
}

#[test]
fn panics_become_mi_result_failed_and_leave_everything_usable() {
    let captured = Captured::default();
    let pool = pool("6397709e-f7d6-c54d-9568-fd4656ae4820", &captured);
    let ctx = context(pool, "632aa393-254e-b24d-8288-4d968d0da65d", 3, -1);

    assert_eq!(write(ctx, "before"), MI_RESULT_OK);
    arm(Point::Encode);
    assert_eq!(write(ctx, "panics while encoding"), MI_RESULT_FAILED);
    assert_eq!(write(ctx, "after encode panic"), MI_RESULT_OK);
    arm(Point::Send);
    assert_eq!(write(ctx, "panics while sending"), MI_RESULT_FAILED);
    assert_eq!(write(ctx, "after send panic"), MI_RESULT_OK);
    // Host calls still work on the context and its pool.
    // SAFETY: live context.
    assert_eq!(unsafe { mipsrp_context_flush(ctx) }, MI_RESULT_OK);
    let other = context(pool, "632aa393-254e-b24d-8288-4d968d0da65d", 4, -1);
    assert_eq!(write(other, "another context"), MI_RESULT_OK);
    // SAFETY: live contexts.
    unsafe {
        assert_eq!(MI_Context_PostResult(ctx, MI_RESULT_OK), MI_RESULT_OK);
        mipsrp_context_free(ctx);
        mipsrp_context_free(other);
        mipsrp_pool_free(pool);
    }

    let msgs = decode_stream(&captured.stream()).unwrap();
    let statuses: Vec<String> = msgs
        .iter()
        .filter(|m| m.progress().unwrap().record_type == ProgressRecordType::Processing)
        .map(|m| m.progress().unwrap().status_description.to_string())
        .collect();
    assert_eq!(
        statuses,
        [
            "before",
            "after encode panic",
            "after send panic",
            "another context"
        ]
    );
    assert!(
        msgs.iter().map(|m| m.object_id).eq(1..=msgs.len() as u64),
        "a panic consumed no ObjectId"
    );
}
