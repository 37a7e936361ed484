//! A context that behaves like a real MI host: coalescing (on a manual clock,
//! never sleeping), completion, progress not requested, timeouts, cancel,
//! locale and the sink re-entrancy rule — through the Rust host API.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use mi_psrp::host::{CharType, Context, ManualClock, MiError, Pool, ProviderText};
use mi_psrp::mi::{MI_MAX_LOCALE_SIZE, MI_REASON_SHUTDOWN, MI_REASON_TIMEOUT, MI_RESULT_OK};
use mi_psrp::psrp::{DecodedMessage, Guid, ProgressRecordType, decode_stream};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

struct Fixture {
    clock: Arc<ManualClock>,
    wire: Arc<Mutex<Vec<u8>>>,
    pool: Arc<Pool>,
}

impl Fixture {
    fn new() -> Self {
        let clock = Arc::new(ManualClock::new(1_000));
        let wire = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&wire);
        let pool = Pool::with_clock(
            Guid::parse(RPID).unwrap(),
            move |f: &[u8]| sink.lock().unwrap().extend_from_slice(f),
            clock.clone(),
        );
        Fixture { clock, wire, pool }
    }

    fn context(&self, id: i32) -> Context {
        Context::new(&self.pool, Guid::parse(PID).unwrap(), id, -1).unwrap()
    }

    /// Everything sent since the last call, decoded.
    fn sent(&self) -> Vec<DecodedMessage> {
        let bytes = std::mem::take(&mut *self.wire.lock().unwrap());
        decode_stream(&bytes).unwrap()
    }

    /// Status descriptions of everything sent since the last call.
    fn statuses(&self) -> Vec<String> {
        self.sent()
            .iter()
            .map(|m| m.progress().unwrap().status_description.to_string())
            .collect()
    }
}

fn write(ctx: &Context, status: &str) -> Result<(), MiError> {
    ctx.write_progress(Some("Copying"), Some("op"), Some(status), 50, 10)
}

#[test]
fn coalescing_holds_replaces_supersedes_and_flushes() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_progress_interval(100);

    write(&ctx, "first").unwrap();
    assert_eq!(
        f.statuses(),
        ["first"],
        "the first write is always sent at once"
    );

    f.clock.advance(10);
    write(&ctx, "second").unwrap();
    f.clock.advance(40);
    write(&ctx, "third").unwrap();
    assert!(f.statuses().is_empty(), "within the interval: held");
    assert!(ctx.has_pending());

    ctx.flush().unwrap();
    assert_eq!(
        f.statuses(),
        ["third"],
        "flush sends the newest pending record only"
    );
    assert!(!ctx.has_pending());
    ctx.flush().unwrap();
    assert!(f.statuses().is_empty(), "nothing left to flush");

    // The flush at t=1050 was a send: the interval counts from there.
    f.clock.set(1_149);
    write(&ctx, "fourth").unwrap();
    assert!(f.statuses().is_empty());
    f.clock.set(1_150);
    write(&ctx, "fifth").unwrap();
    assert_eq!(
        f.statuses(),
        ["fifth"],
        "after the interval: sent, superseding 'fourth'"
    );
    assert!(!ctx.has_pending());

    f.clock.advance(1);
    write(&ctx, "sixth").unwrap();
    assert!(f.statuses().is_empty());
    ctx.post_result(MI_RESULT_OK).unwrap();
    let sent = f.sent();
    assert_eq!(
        sent.len(),
        2,
        "PostResult sends the pending record, then Completed"
    );
    assert_eq!(sent[0].progress().unwrap().status_description, "sixth");
    assert_eq!(
        sent[0].progress().unwrap().record_type,
        ProgressRecordType::Processing
    );
    assert_eq!(
        sent[1].progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
    assert_eq!(sent[1].progress().unwrap().status_description, "sixth");
}

#[test]
fn interval_zero_sends_everything() {
    let f = Fixture::new();
    let ctx = f.context(1);
    for i in 0..5 {
        write(&ctx, &i.to_string()).unwrap();
    }
    assert_eq!(f.statuses(), ["0", "1", "2", "3", "4"]);
}

#[test]
fn completed_record_ends_the_activity() {
    let f = Fixture::new();
    let ctx = Context::new(&f.pool, Guid::parse(PID).unwrap(), 7, 3).unwrap();
    ctx.write_progress(
        Some("Copy & <paste>"),
        Some("op"),
        Some("\u{1F600} 1 of 2"),
        50,
        10,
    )
    .unwrap();
    ctx.write_progress(Some("Copy & <paste>"), None, None, 100, 0)
        .unwrap();
    ctx.post_result(MI_RESULT_OK).unwrap();
    let sent = f.sent();
    assert_eq!(sent.len(), 3);
    let done = sent[2].progress().unwrap();
    assert_eq!(done.record_type, ProgressRecordType::Completed);
    assert_eq!(done.activity, "Copy & <paste>");
    assert_eq!(
        done.status_description, " ",
        "the last accepted write's status (NULL → \" \")"
    );
    assert_eq!(done.current_operation, None);
    assert_eq!((done.activity_id, done.parent_activity_id), (7, 3));
    assert_eq!((done.percent_complete, done.seconds_remaining), (-1, -1));
    assert_eq!(sent[2].object_id, sent[1].object_id + 1);

    assert_eq!(
        write(&ctx, "late"),
        Err(MiError::Failed(
            "the operation has ended (PostResult or PostError was called)"
        ))
    );
    assert!(matches!(
        ctx.post_result(MI_RESULT_OK),
        Err(MiError::Failed(_))
    ));
    assert!(f.sent().is_empty());
}

#[test]
fn no_completed_record_without_progress() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.post_result(MI_RESULT_OK).unwrap();
    assert!(f.sent().is_empty());
    assert_eq!(ctx.result(), Some(MI_RESULT_OK));
}

#[test]
fn a_rejected_write_changes_nothing() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_progress_interval(100);
    write(&ctx, "sent").unwrap();
    assert_eq!(f.statuses(), ["sent"]);
    f.clock.advance(1);
    write(&ctx, "pending").unwrap();
    let bad: &[u32] = &[0x41, 0x11_0000];
    assert!(matches!(
        ctx.write_progress(Some(bad), None, None, 1, 1),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(matches!(
        ctx.write_progress(Some("a"), None, None, 101, 1),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(f.sent().is_empty());
    ctx.post_result(MI_RESULT_OK).unwrap();
    assert_eq!(
        f.statuses(),
        ["pending", "pending"],
        "the pending record and the Completed record's status survive rejected writes"
    );
}

#[test]
fn dropping_an_unfinished_context_completes_it() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_progress_interval(100);
    write(&ctx, "a").unwrap();
    write(&ctx, "b").unwrap();
    assert_eq!(f.statuses(), ["a"]);
    drop(ctx);
    let sent = f.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].progress().unwrap().status_description, "b");
    assert_eq!(
        sent[1].progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
}

#[test]
fn progress_not_requested_sends_nothing_but_validates() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_timeout(1_000);
    ctx.set_progress_requested(false);
    f.clock.advance(600);
    write(&ctx, "quiet").unwrap();
    assert!(matches!(
        ctx.write_progress(Some(""), None, None, 1, 1),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(f.sent().is_empty());
    f.clock.advance(400);
    assert!(
        ctx.timed_out(),
        "a write that is not sent resets no timeout"
    );
    ctx.flush().unwrap();
    ctx.post_result(MI_RESULT_OK).unwrap();
    assert!(
        f.sent().is_empty(),
        "no pending and no Completed record either"
    );
}

#[test]
fn timeout_counts_from_creation_and_last_sent_progress() {
    let f = Fixture::new();
    let ctx = f.context(1);
    assert!(!ctx.timed_out(), "no timeout by default");
    f.clock.advance(1_000_000);
    assert!(!ctx.timed_out());

    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_timeout(1_000);
    f.clock.advance(999);
    assert!(!ctx.timed_out() && !ctx.canceled());
    f.clock.advance(1);
    assert!(ctx.timed_out(), "deadline = creation + timeout");
    assert!(ctx.canceled(), "a timed-out context reports Canceled");

    write(&ctx, "alive").unwrap();
    assert!(!ctx.timed_out(), "a sent record resets the deadline");
    f.clock.advance(900);
    ctx.set_progress_interval(5_000);
    write(&ctx, "held").unwrap();
    f.clock.advance(100);
    assert!(ctx.timed_out(), "a held record does not reset it");
    ctx.flush().unwrap();
    assert!(!ctx.timed_out(), "flushing it does");
    f.clock.advance(1_000);
    assert!(ctx.timed_out());
    ctx.set_timeout(0);
    assert!(!ctx.timed_out(), "timeout 0: none");
}

#[test]
fn cancel_calls_the_callback_exactly_once() {
    let f = Fixture::new();
    let ctx = f.context(1);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let c = calls.clone();
    ctx.register_cancel(Box::new(move |r| c.lock().unwrap().push(r)))
        .unwrap();
    assert!(!ctx.canceled());
    ctx.cancel(MI_REASON_SHUTDOWN).unwrap();
    ctx.cancel(MI_REASON_TIMEOUT).unwrap();
    assert_eq!(*calls.lock().unwrap(), [MI_REASON_SHUTDOWN]);
    assert!(ctx.canceled());
    write(&ctx, "winding down").unwrap();
    assert_eq!(
        f.statuses(),
        ["winding down"],
        "WriteProgress works after cancel"
    );

    // Registered after the cancel: called at once, with the first reason.
    let c = calls.clone();
    ctx.register_cancel(Box::new(move |r| c.lock().unwrap().push(r + 100)))
        .unwrap();
    assert_eq!(
        *calls.lock().unwrap(),
        [MI_REASON_SHUTDOWN, MI_REASON_SHUTDOWN + 100]
    );

    assert!(matches!(ctx.cancel(4), Err(MiError::InvalidParameter(_))));
}

#[test]
fn cancel_racing_registration_calls_once() {
    let f = Fixture::new();
    for _ in 0..500 {
        let ctx = Arc::new(f.context(1));
        let calls = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(2));
        let (c2, b2, calls2) = (ctx.clone(), barrier.clone(), calls.clone());
        let registrar = std::thread::spawn(move || {
            b2.wait();
            c2.register_cancel(Box::new(move |_| {
                calls2.fetch_add(1, Ordering::SeqCst);
            }))
            .unwrap();
        });
        barrier.wait();
        ctx.cancel(MI_REASON_TIMEOUT).unwrap();
        registrar.join().unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}

#[test]
fn no_callback_after_the_operation_ended() {
    let f = Fixture::new();
    let ctx = f.context(1);
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    ctx.register_cancel(Box::new(move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    }))
    .unwrap();
    ctx.post_result(MI_RESULT_OK).unwrap();
    ctx.cancel(MI_REASON_SHUTDOWN).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert!(matches!(
        ctx.register_cancel(Box::new(|_| {})),
        Err(MiError::Failed(_))
    ));
}

#[test]
fn locale_defaults_and_changes() {
    let f = Fixture::new();
    let ctx = f.context(1);
    let text = |ctx: &Context, t: u32| {
        let mut buf = [0x55 as mi_psrp::mi::MI_Char; MI_MAX_LOCALE_SIZE];
        ctx.get_locale(t, &mut buf).unwrap();
        let end = buf.iter().position(|&c| c == 0).unwrap();
        buf[..end]
            .iter()
            .map(|&c| char::from_u32(c as u32).unwrap())
            .collect::<String>()
    };
    for t in 0..4 {
        assert_eq!(text(&ctx, t), "en-US");
    }
    let de: Vec<_> = "de-DE".bytes().map(mi_psrp::mi::MI_Char::from).collect();
    ctx.set_locale(1, ProviderText::Wide(&de)).unwrap();
    assert_eq!(text(&ctx, 1), "de-DE");
    assert_eq!(text(&ctx, 0), "en-US");
    let mut buf = [0 as mi_psrp::mi::MI_Char; MI_MAX_LOCALE_SIZE];
    assert!(matches!(
        ctx.get_locale(4, &mut buf),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(matches!(
        ctx.set_locale(4, ProviderText::Wide(&de)),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(matches!(
        ctx.set_locale(0, ProviderText::Wide(&[])),
        Err(MiError::InvalidParameter(_))
    ));
    let long = vec![b'a' as mi_psrp::mi::MI_Char; MI_MAX_LOCALE_SIZE];
    assert!(matches!(
        ctx.set_locale(0, ProviderText::Wide(&long)),
        Err(MiError::InvalidParameter(_))
    ));
    assert!(
        ctx.set_locale(0, ProviderText::Wide(&long[..MI_MAX_LOCALE_SIZE - 1]))
            .is_ok()
    );
    assert_eq!(text(&ctx, 0).len(), MI_MAX_LOCALE_SIZE - 1);
}

#[test]
fn a_utf8_context_takes_and_gives_its_locales_as_bytes() {
    let f = Fixture::new();
    let ctx = Context::with_char_type(&f.pool, Guid::from_bytes_le([0; 16]), 1, -1, CharType::Utf8)
        .unwrap();
    let bytes = |ctx: &Context, t: u32| {
        let mut buf = [0x55u8; MI_MAX_LOCALE_SIZE];
        ctx.get_locale(t, &mut buf).unwrap();
        let end = buf.iter().position(|&c| c == 0).unwrap();
        buf[..end].to_vec()
    };
    assert_eq!(bytes(&ctx, 2), b"en-US");
    ctx.set_locale(2, ProviderText::utf8("sr-Latn-RS".as_bytes()))
        .unwrap();
    assert_eq!(bytes(&ctx, 2), b"sr-Latn-RS");
    // 127 bytes fit (with the NUL); 128 do not, even as 64 two-byte characters.
    let max = [b'a'; MI_MAX_LOCALE_SIZE - 1];
    assert!(ctx.set_locale(0, ProviderText::utf8(&max)).is_ok());
    let long = "é".repeat(64);
    assert!(matches!(
        ctx.set_locale(0, ProviderText::utf8(long.as_bytes())),
        Err(MiError::InvalidParameter(_))
    ));
    assert_eq!(bytes(&ctx, 0), max);
}

#[test]
fn a_sink_that_calls_back_into_its_pool_fails_instead_of_deadlocking() {
    let clock = Arc::new(ManualClock::new(0));
    let slot: Arc<Mutex<Option<Arc<Context>>>> = Arc::new(Mutex::new(None));
    let other_wire = Arc::new(Mutex::new(Vec::<u8>::new()));
    let ow = other_wire.clone();
    let other_pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| {
        ow.lock().unwrap().extend_from_slice(f)
    });
    let other = Arc::new(Context::new(&other_pool, Guid::parse(PID).unwrap(), 9, -1).unwrap());
    let results = Arc::new(Mutex::new(Vec::new()));
    let (s, r, o) = (slot.clone(), results.clone(), other.clone());
    let pool = Pool::with_clock(
        Guid::parse(RPID).unwrap(),
        move |_: &[u8]| {
            let guard = s.lock().unwrap();
            let Some(ctx) = guard.as_ref() else {
                return; // the test is over
            };
            let mut r = r.lock().unwrap();
            r.push(write(ctx, "from the sink").map_err(|e| e.code()));
            r.push(ctx.flush().map_err(|e| e.code()));
            r.push(ctx.post_result(MI_RESULT_OK).map_err(|e| e.code()));
            // Another pool is fine.
            r.push(write(&o, "other pool").map_err(|e| e.code()));
            // Calls that do not send are fine too.
            let _ = ctx.canceled();
        },
        clock,
    );
    let ctx = Arc::new(Context::new(&pool, Guid::parse(PID).unwrap(), 1, -1).unwrap());
    *slot.lock().unwrap() = Some(ctx.clone());
    write(&ctx, "outer").unwrap();
    let failed = mi_psrp::mi::MI_RESULT_FAILED;
    assert_eq!(
        *results.lock().unwrap(),
        [Err(failed), Err(failed), Err(failed), Ok(())]
    );
    assert!(!ctx.is_ended(), "the re-entrant PostResult changed nothing");
    assert_eq!(decode_stream(&other_wire.lock().unwrap()).unwrap().len(), 1);
    slot.lock().unwrap().take();
}

#[test]
fn threads_keep_object_ids_dense_and_per_context_order() {
    let f = Fixture::new();
    let contexts: Vec<Arc<Context>> = (0..4).map(|i| Arc::new(f.context(10 + i))).collect();
    let threads: Vec<_> = contexts
        .iter()
        .cloned()
        .map(|ctx| {
            std::thread::spawn(move || {
                for i in 0..2_000 {
                    write(&ctx, &i.to_string()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let sent = f.sent();
    assert_eq!(sent.len(), 8_000);
    assert!(sent.iter().map(|m| m.object_id).eq(1..=8_000));
    for id in 10..14 {
        let seq: Vec<u32> = sent
            .iter()
            .filter(|m| m.progress().unwrap().activity_id == id)
            .map(|m| {
                m.progress()
                    .unwrap()
                    .status_description
                    .to_string()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(
            seq.iter().copied().eq(0..2_000),
            "context {id} out of order"
        );
    }
}

#[test]
fn a_write_while_not_requested_supersedes_a_held_one() {
    let f = Fixture::new();
    let ctx = f.context(1);
    ctx.set_progress_interval(100);
    write(&ctx, "a").unwrap();
    write(&ctx, "held").unwrap();
    ctx.set_progress_requested(false);
    write(&ctx, "newest").unwrap();
    ctx.set_progress_requested(true);
    ctx.flush().unwrap();
    assert_eq!(f.statuses(), ["a"], "the stale held record is not sent");
    ctx.post_result(MI_RESULT_OK).unwrap();
    let sent = f.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
    assert_eq!(sent[0].progress().unwrap().status_description, "newest");
}

#[test]
fn cancel_returns_while_a_write_is_blocked_in_the_sink_and_the_callback_writes() {
    use std::sync::mpsc;
    use std::time::Duration;
    // The sink blocks (back-pressure) until the test lets it go.
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let entered_tx = Mutex::new(entered_tx);
    let blocking = Arc::new(AtomicUsize::new(1));
    let gate = Arc::clone(&blocking);
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |_: &[u8]| {
        if gate.swap(0, Ordering::SeqCst) == 1 {
            entered_tx.lock().unwrap().send(()).unwrap();
            release_rx.lock().unwrap().recv().unwrap();
        }
    });
    let ctx = Arc::new(Context::new(&pool, Guid::parse(PID).unwrap(), 1, -1).unwrap());
    let in_callback = Arc::new(Mutex::new(None));
    {
        let (ctx2, seen) = (Arc::clone(&ctx), Arc::clone(&in_callback));
        ctx.register_cancel(Box::new(move |_| {
            // mi.h allows a cancel callback to report progress.
            *seen.lock().unwrap() = Some(ctx2.write_progress(Some("stopping"), None, None, 1, 1));
        }))
        .unwrap();
    }
    let writer = {
        let ctx = Arc::clone(&ctx);
        std::thread::spawn(move || ctx.write_progress(Some("copying"), None, None, 1, 1))
    };
    entered_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    // The write is blocked in the sink, holding the context. Cancel from
    // another thread must come back without waiting for it.
    let (done_tx, done_rx) = mpsc::channel();
    let canceller = {
        let ctx = Arc::clone(&ctx);
        std::thread::spawn(move || {
            let r = ctx.cancel(MI_REASON_SHUTDOWN);
            done_tx.send(()).unwrap();
            r
        })
    };
    let returned = done_rx.recv_timeout(Duration::from_secs(10));
    release_tx.send(()).unwrap();
    assert!(returned.is_ok(), "cancel waited for the blocked sink");
    assert_eq!(canceller.join().unwrap(), Ok(()));
    assert!(
        matches!(*in_callback.lock().unwrap(), Some(Err(MiError::Failed(_)))),
        "the callback's write fails fast"
    );
    assert_eq!(writer.join().unwrap(), Ok(()));
    assert!(ctx.canceled());
    // With nothing blocked, a write from a cancel callback goes through.
    let ctx = Context::new(&pool, Guid::parse(PID).unwrap(), 2, -1).unwrap();
    let ctx = Arc::new(ctx);
    let seen = Arc::new(Mutex::new(None));
    let (c2, s2) = (Arc::clone(&ctx), Arc::clone(&seen));
    ctx.register_cancel(Box::new(move |_| {
        *s2.lock().unwrap() = Some(c2.write_progress(Some("stopping"), None, None, 1, 1));
    }))
    .unwrap();
    ctx.cancel(MI_REASON_SHUTDOWN).unwrap();
    assert_eq!(*seen.lock().unwrap(), Some(Ok(())));
}

#[test]
fn automatic_activity_ids_skip_the_ids_live_contexts_of_the_pool_use() {
    let f = Fixture::new();
    let pid = Guid::parse(PID).unwrap();
    let probe = Context::new(&f.pool, pid, -1, -1).unwrap();
    let a = probe.activity_id();
    drop(probe);
    // The next automatic ids are taken explicitly by live contexts.
    let explicit: Vec<Context> = (1..=3)
        .map(|k| Context::new(&f.pool, pid, a + k, -1).unwrap())
        .collect();
    for _ in 0..5 {
        let auto = Context::new(&f.pool, pid, -1, a + 4).unwrap();
        let id = auto.activity_id();
        assert!(
            !(a + 1..=a + 4).contains(&id),
            "automatic id {id} collides with a live context or the parent"
        );
    }
    // Another pool does not share the reservation.
    let other = Fixture::new();
    let ctx = Context::new(&other.pool, pid, a + 1, -1).unwrap();
    assert_eq!(ctx.activity_id(), a + 1);
    drop(explicit);
}

#[test]
fn after_the_end_the_hosts_calls_answer_ok_and_send_nothing() {
    // docs/api.md, "Checks, in order": an ended operation is not an error for a host call.
    let f = Fixture::new();
    let ctx = f.context(3);
    write(&ctx, "x").unwrap();
    ctx.post_result(MI_RESULT_OK).unwrap();
    assert_eq!(f.sent().len(), 2, "the record and Completed");
    ctx.set_progress_requested(false);
    ctx.set_progress_interval(5);
    ctx.set_timeout(5);
    assert_eq!(ctx.set_message_requested(1, false), Ok(()));
    assert_eq!(ctx.flush(), Ok(()));
    assert_eq!(ctx.cancel(MI_REASON_SHUTDOWN), Ok(()));
    assert!(f.sent().is_empty(), "nothing sent");
    assert!(matches!(write(&ctx, "late"), Err(MiError::Failed(_))));
}

#[test]
fn sending_reads_no_clock_unless_an_interval_or_a_timeout_needs_it() {
    let f = Fixture::new();
    let ctx = f.context(1);
    let before = f.clock.reads();
    for i in 0..10 {
        write(&ctx, &format!("{i}")).unwrap();
    }
    assert_eq!(f.clock.reads(), before, "no interval, no timeout: no clock");
    assert_eq!(f.sent().len(), 10);

    // A record sent with no time: setting the interval counts as its time.
    ctx.set_progress_interval(100);
    write(&ctx, "held").unwrap();
    assert!(f.sent().is_empty(), "within the interval of setting it");
    f.clock.advance(100);
    write(&ctx, "sent").unwrap();
    assert_eq!(f.statuses(), ["sent"]);

    // A timeout counts from the moment it is set.
    let ctx = f.context(2);
    write(&ctx, "untimed").unwrap();
    f.clock.advance(5_000);
    ctx.set_timeout(1_000);
    assert!(!ctx.timed_out(), "counted from set_timeout, not creation");
    f.clock.advance(1_000);
    assert!(ctx.timed_out());
}
