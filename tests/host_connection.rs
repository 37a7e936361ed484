//! One connection, one counter (issue 10), through the C ABI a host uses: the
//! framed sink's facts equal what decoding the fragments gives, the host's own
//! messages (`mipsrp_pool_send`) get the right header and share the pool's
//! ObjectIds and ordering with the contexts' records (also from many threads),
//! the host's ObjectId source, pool-level records, and every refusal sends
//! nothing.

mod common;

use std::ffi::{CString, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{Captured, w};
use mi_psrp::ffi::connection::{
    mipsrp_fragment_info, mipsrp_pool_new_framed, mipsrp_pool_send,
    mipsrp_pool_set_object_id_source,
};
use mi_psrp::ffi::context::{
    MI_Context_PostResult, MI_Context_WriteMessage, MI_Context_WriteProgress,
};
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new, mipsrp_pool, mipsrp_pool_free,
    mipsrp_pool_set_fragment_size, mipsrp_pool_set_max_message_size,
};
use mi_psrp::host::{FragmentInfo, MiError, Pool};
use mi_psrp::mi::{
    MI_Context, MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result,
};
use mi_psrp::psrp::message::DESTINATION_CLIENT;
use mi_psrp::psrp::{
    FRAGMENT_HEADER_LEN, FragmentHeader, Guid, MESSAGE_HEADER_LEN, MessageHeader, PROGRESS_RECORD,
    WARNING_RECORD, decode_stream,
};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";
const NIL: &str = "00000000-0000-0000-0000-000000000000";
/// PIPELINE_STATE, a message type the library itself never sends.
const PIPELINE_STATE: u32 = 0x0004_1006;
/// RUNSPACEPOOL_STATE.
const RUNSPACEPOOL_STATE: u32 = 0x0002_1005;

/// What a framed sink received: each fragment with its info.
#[derive(Default)]
struct Framed(Mutex<Vec<(mipsrp_fragment_info, Vec<u8>)>>);

impl Framed {
    fn take(&self) -> Vec<(mipsrp_fragment_info, Vec<u8>)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

unsafe extern "C" fn framed_sink(
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

fn framed_pool(framed: &Framed) -> *mut mipsrp_pool {
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

fn context(pool: *mut mipsrp_pool, pid: &str, activity: i32) -> *mut MI_Context {
    common::context(pool, pid, activity, -1)
}

fn progress(ctx: *mut MI_Context, status: &str) -> MI_Result {
    let (a, s) = (w("Copying"), w(status));
    // SAFETY: live context, NUL-terminated strings.
    unsafe { MI_Context_WriteProgress(ctx, a.as_ptr(), std::ptr::null(), s.as_ptr(), 10, 5) }
}

fn send(pool: *mut mipsrp_pool, message_type: u32, pid: Option<&str>, data: &[u8]) -> MI_Result {
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
fn header_of(fragment: &[u8]) -> FragmentHeader {
    FragmentHeader::from_bytes(fragment[..FRAGMENT_HEADER_LEN].try_into().unwrap())
}

/// Whole messages from fragments, in order: (ObjectId, header, data).
fn messages<'a>(
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

fn pid_text(info: &mipsrp_fragment_info) -> String {
    let bytes: Vec<u8> = info.pipeline_id.iter().map(|&c| c as u8).collect();
    assert_eq!(bytes[36], 0, "NUL-terminated");
    String::from_utf8(bytes[..36].to_vec()).unwrap()
}

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
