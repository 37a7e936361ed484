//! One connection, one counter (issue 10), through the C ABI a host uses: the
//! framed sink's facts equal what decoding the fragments gives, the host's own
//! messages (`mipsrp_pool_send`) get the right header and share the pool's
//! ObjectIds and ordering with the contexts' records, pool-level records, and
//! every refusal sends nothing. (ObjectIds across threads and from the host:
//! `object_ids.rs`.)

mod common;

use std::ffi::{CString, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::connection::*;
use common::{Captured, w};
use mi_psrp::ffi::connection::{mipsrp_pool_new_framed, mipsrp_pool_send};
use mi_psrp::ffi::context::{MI_Context_PostResult, MI_Context_WriteMessage};
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new, mipsrp_pool_free, mipsrp_pool_set_fragment_size,
    mipsrp_pool_set_max_message_size,
};
use mi_psrp::host::{FragmentInfo, MiError, Pool};
use mi_psrp::mi::{MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK, MI_RESULT_SERVER_LIMITS_EXCEEDED};
use mi_psrp::psrp::message::DESTINATION_CLIENT;
use mi_psrp::psrp::{Guid, PROGRESS_RECORD, WARNING_RECORD, decode_stream};

#[test]
fn framed_info_is_what_decoding_the_fragments_gives() {
    let framed = Framed::default();
    let pool = framed_pool(&framed);
    // Small fragments: every message is several of them.
    // SAFETY: live pool.
    assert_eq!(
        unsafe { mipsrp_pool_set_fragment_size(pool, 64) },
        MI_RESULT_OK
    );
    let ctx = context(pool, PID, 1);
    let pool_ctx = context(pool, NIL, 2);
    assert_eq!(progress(ctx, "one"), MI_RESULT_OK);
    let warning = w("careful");
    // SAFETY: live context, NUL-terminated string.
    assert_eq!(
        unsafe { MI_Context_WriteMessage(ctx, 0, warning.as_ptr()) },
        MI_RESULT_OK
    );
    assert_eq!(
        send(pool, PIPELINE_STATE, Some(PID), &[7u8; 150]),
        MI_RESULT_OK
    );
    assert_eq!(
        send(pool, RUNSPACEPOOL_STATE, None, b"pool state"),
        MI_RESULT_OK
    );
    assert_eq!(progress(pool_ctx, "pool-level"), MI_RESULT_OK);
    // SAFETY: live context.
    assert_eq!(
        unsafe { MI_Context_PostResult(ctx, MI_RESULT_OK) },
        MI_RESULT_OK
    );

    let got = framed.take();
    assert!(got.len() > 20, "small fragments: {} of them", got.len());
    for (info, bytes) in &got {
        let h = header_of(bytes);
        assert!(bytes.len() <= 64);
        assert_eq!(info.object_id, h.object_id);
        assert_eq!(info.fragment_id, h.fragment_id);
        assert_eq!(info.start != 0, h.is_start());
        assert_eq!(info.end != 0, h.is_end());
        assert!(info.start <= 1 && info.end <= 1, "MI_Boolean is 0 or 1");
    }
    // Per message: type and PID of the info equal the message header's.
    let msgs = messages(got.iter().map(|(_, b)| b.as_slice()));
    let mut i = 0;
    for (id, header, _) in &msgs {
        while i < got.len() && got[i].0.object_id == *id {
            assert_eq!(got[i].0.message_type, header.message_type);
            assert_eq!(pid_text(&got[i].0), header.pipeline_id.to_string());
            i += 1;
        }
    }
    assert_eq!(i, got.len());
    let kinds: Vec<(u32, String)> = msgs
        .iter()
        .map(|(_, h, _)| (h.message_type, h.pipeline_id.to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            (PROGRESS_RECORD, PID.to_owned()),
            (WARNING_RECORD, PID.to_owned()),
            (PIPELINE_STATE, PID.to_owned()),
            (RUNSPACEPOOL_STATE, NIL.to_owned()),
            (PROGRESS_RECORD, NIL.to_owned()),
            (PROGRESS_RECORD, PID.to_owned()), // Completed
        ]
    );
    assert!(msgs.iter().map(|m| m.0).eq(1..=6), "one counter for all");
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_context_free(pool_ctx);
        mipsrp_pool_free(pool);
    }
}

#[test]
fn pool_send_builds_the_message_header_and_shares_the_counter() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);
    let ctx = context(pool, PID, 1);
    assert_eq!(progress(ctx, "first"), MI_RESULT_OK);
    let data =
        "\u{feff}<Obj RefId=\"0\"><MS><I32 N=\"PipelineState\">4</I32></MS></Obj>".as_bytes();
    assert_eq!(send(pool, PIPELINE_STATE, Some(PID), data), MI_RESULT_OK);
    assert_eq!(progress(ctx, "second"), MI_RESULT_OK);
    // NULL pipeline: the runspace pool itself (nil PID); any GUID form.
    assert_eq!(send(pool, RUNSPACEPOOL_STATE, None, b"x"), MI_RESULT_OK);
    assert_eq!(
        send(
            pool,
            PIPELINE_STATE,
            Some("{632AA393-254E-B24D-8288-4D968D0DA65D}"),
            b""
        ),
        MI_RESULT_OK
    );
    // SAFETY: NULL data with length 0 is allowed.
    let r =
        unsafe { mipsrp_pool_send(pool, PIPELINE_STATE, std::ptr::null(), std::ptr::null(), 0) };
    assert_eq!(r, MI_RESULT_OK);

    let fragments = captured.take();
    let msgs = messages(fragments.iter().map(Vec::as_slice));
    assert!(
        msgs.iter().map(|m| m.0).eq(1..=6),
        "ObjectIds 1..=6 in order"
    );
    let rpid = Guid::parse(RPID).unwrap();
    let pid = Guid::parse(PID).unwrap();
    for (_, h, _) in &msgs {
        assert_eq!(h.destination, DESTINATION_CLIENT);
        assert_eq!(DESTINATION_CLIENT, 1, "MS-PSRP: client = 0x00000001");
        assert_eq!(h.runspace_pool_id, rpid);
    }
    assert_eq!(
        (msgs[1].1.message_type, msgs[1].1.pipeline_id),
        (PIPELINE_STATE, pid)
    );
    assert_eq!(
        msgs[1].2, data,
        "the data follows the 40-byte header as given"
    );
    assert_eq!(
        (msgs[3].1.message_type, msgs[3].1.pipeline_id),
        (RUNSPACEPOOL_STATE, Guid::NIL)
    );
    assert_eq!(msgs[3].2, b"x");
    assert_eq!(msgs[4].1.pipeline_id, pid);
    assert!(msgs[4].2.is_empty() && msgs[5].2.is_empty());
    assert_eq!(msgs[5].1.pipeline_id, Guid::NIL);
    // The contexts' records around them still decode.
    let progress_only: Vec<u8> = fragments
        .iter()
        .filter(|f| [1, 3].contains(&header_of(f).object_id))
        .flatten()
        .copied()
        .collect();
    let decoded = decode_stream(&progress_only).unwrap();
    assert_eq!(decoded[1].progress().unwrap().status_description, "second");
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}

#[test]
fn pool_send_refuses_bad_input_and_sends_nothing() {
    let captured = Captured::default();
    let pool = common::pool(RPID, &captured);
    // SAFETY: NULL pool.
    let r =
        unsafe { mipsrp_pool_send(std::ptr::null_mut(), 1, std::ptr::null(), b"x".as_ptr(), 1) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
    for bad in [
        "",
        "not a guid",
        "632aa393-254e-b24d-8288-4d968d0da65",
        "{632aa393-254e-b24d-8288-4d968d0da65d)",
    ] {
        assert_eq!(
            send(pool, PIPELINE_STATE, Some(bad), b"x"),
            MI_RESULT_INVALID_PARAMETER,
            "{bad:?}"
        );
    }
    // SAFETY: NULL data with a length.
    let r =
        unsafe { mipsrp_pool_send(pool, PIPELINE_STATE, std::ptr::null(), std::ptr::null(), 1) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
    // Over the maximum, to the byte: header 40 + data.
    // SAFETY: live pool.
    assert_eq!(
        unsafe { mipsrp_pool_set_max_message_size(pool, 1024) },
        MI_RESULT_OK
    );
    assert_eq!(
        send(pool, PIPELINE_STATE, None, &[0u8; 1024 - 40 + 1]),
        MI_RESULT_SERVER_LIMITS_EXCEEDED
    );
    // SAFETY: a length no buffer has: refused before any slice is made of it.
    let r = unsafe {
        mipsrp_pool_send(
            pool,
            PIPELINE_STATE,
            std::ptr::null(),
            [0u8].as_ptr(),
            usize::MAX,
        )
    };
    assert_eq!(r, MI_RESULT_SERVER_LIMITS_EXCEEDED);
    assert_eq!(captured.len(), 0, "nothing sent");
    assert_eq!(
        send(pool, PIPELINE_STATE, None, &[0u8; 1024 - 40]),
        MI_RESULT_OK
    );
    let msgs = messages(captured.take().iter().map(Vec::as_slice));
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].0, 1, "no ObjectId was used by the refused calls");
    // SAFETY: made above.
    unsafe { mipsrp_pool_free(pool) };
}

#[test]
fn pool_calls_from_inside_the_sink_or_source_fail_instead_of_deadlocking() {
    let slot: Arc<Mutex<Option<Arc<Pool>>>> = Arc::default();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (s, r) = (Arc::clone(&slot), Arc::clone(&seen));
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |_: &[u8]| {
        if let Some(p) = s.lock().unwrap().as_ref() {
            r.lock()
                .unwrap()
                .push(p.send_message(PIPELINE_STATE, Guid::NIL, b"again"));
            r.lock()
                .unwrap()
                .push(p.set_object_id_source(None).map(|_| 0));
        }
    });
    *slot.lock().unwrap() = Some(Arc::clone(&pool));
    assert_eq!(
        pool.send_message(PIPELINE_STATE, Guid::NIL, b"first"),
        Ok(1)
    );
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert!(
            seen.iter().all(|r| matches!(r, Err(MiError::Failed(_)))),
            "{seen:?}"
        );
    }
    assert_eq!(
        pool.last_object_id(),
        1,
        "the refused message used no ObjectId"
    );
    slot.lock().unwrap().take();

    // The same from inside the host's ObjectId source.
    let from_source = Arc::new(Mutex::new(Vec::new()));
    let (p2, f2) = (Arc::downgrade(&pool), Arc::clone(&from_source));
    let next = AtomicU64::new(10);
    pool.set_object_id_source(Some(Box::new(move || {
        if let Some(p) = p2.upgrade() {
            f2.lock()
                .unwrap()
                .push(p.send_message(PIPELINE_STATE, Guid::NIL, b"x"));
            f2.lock()
                .unwrap()
                .push(p.set_object_id_source(None).map(|_| 0));
        }
        next.fetch_add(1, Ordering::SeqCst)
    })))
    .unwrap();
    assert_eq!(
        pool.send_message(PIPELINE_STATE, Guid::NIL, b"second"),
        Ok(10)
    );
    let from_source = from_source.lock().unwrap();
    assert_eq!(from_source.len(), 2);
    assert!(
        from_source
            .iter()
            .all(|r| matches!(r, Err(MiError::Failed(_)))),
        "{from_source:?}"
    );
}

#[test]
fn pool_level_records_carry_the_nil_pipeline_id() {
    // Rust API, framed: the info's pipeline id is the nil GUID, all zeros.
    let infos: Arc<Mutex<Vec<FragmentInfo>>> = Arc::default();
    let wire = Arc::new(Mutex::new(Vec::new()));
    let (i2, w2) = (Arc::clone(&infos), Arc::clone(&wire));
    let pool = Pool::new_framed(
        Guid::parse(RPID).unwrap(),
        move |info: &FragmentInfo, f: &[u8]| {
            i2.lock().unwrap().push(*info);
            w2.lock().unwrap().extend_from_slice(f);
        },
    );
    let ctx = mi_psrp::host::Context::new(&pool, Guid::NIL, 5, -1).unwrap();
    ctx.write_progress(Some("pool-wide"), None, Some("status"), 50, 1)
        .unwrap();
    ctx.post_result(MI_RESULT_OK).unwrap();
    let decoded = decode_stream(&wire.lock().unwrap()).unwrap();
    assert_eq!(decoded.len(), 2);
    for m in &decoded {
        assert_eq!(
            m.header.pipeline_id,
            Guid::NIL,
            "PID nil in the message header"
        );
        assert_eq!(m.header.runspace_pool_id, Guid::parse(RPID).unwrap());
    }
    let infos = infos.lock().unwrap();
    assert_eq!(infos.len(), 2);
    for info in infos.iter() {
        assert_eq!(info.pipeline_id, Guid::NIL);
        assert_eq!(info.pipeline_id_text(), NIL);
        assert_eq!(info.message_type, PROGRESS_RECORD);
        assert!(info.start && info.end);
    }
    assert_eq!(
        (infos[0].object_id, infos[1].object_id),
        (decoded[0].object_id, decoded[1].object_id)
    );
}

#[test]
fn framed_pool_refuses_bad_input() {
    let framed = Framed::default();
    let mut pool = std::ptr::null_mut();
    let user = &framed as *const Framed as *mut c_void;
    let id = CString::new(RPID).unwrap();
    let bad = CString::new("nope").unwrap();
    // SAFETY: each call passes one bad argument; the rest are valid.
    unsafe {
        assert_eq!(
            mipsrp_pool_new_framed(std::ptr::null(), Some(framed_sink), user, &mut pool),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_pool_new_framed(bad.as_ptr(), Some(framed_sink), user, &mut pool),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_pool_new_framed(id.as_ptr(), None, user, &mut pool),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_pool_new_framed(id.as_ptr(), Some(framed_sink), user, std::ptr::null_mut()),
            MI_RESULT_INVALID_PARAMETER
        );
    }
    assert!(pool.is_null(), "the out-pointer is left untouched");
}

#[test]
fn a_context_made_from_a_framed_pool_works_like_any_other() {
    let framed = Framed::default();
    let pool = framed_pool(&framed);
    let id = CString::new(PID).unwrap();
    let mut ctx = std::ptr::null_mut();
    // SAFETY: live pool, valid string and out-pointer.
    assert_eq!(
        unsafe { mipsrp_context_new(pool, id.as_ptr(), 3, -1, &mut ctx) },
        MI_RESULT_OK
    );
    assert_eq!(progress(ctx, "framed"), MI_RESULT_OK);
    let got = framed.take();
    let stream: Vec<u8> = got.iter().flat_map(|(_, b)| b.clone()).collect();
    let decoded = decode_stream(&stream).unwrap();
    assert_eq!(decoded[0].progress().unwrap().status_description, "framed");
    assert_eq!(pid_text(&got[0].0), PID);
    // SAFETY: made above.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}
