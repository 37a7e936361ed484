//! Every message a pool sends fits the maximum in force when it is sent —
//! Completed and held records included, whose text is cut at a character
//! boundary to fit — and a context's memory stays a small multiple of the
//! current maximum whatever it sent before (issue 12, items 7 and 8).

use std::sync::{Arc, Mutex};

use mi_psrp::host::{CharType, Context, ManualClock, Pool, ProviderText};
use mi_psrp::mi::MI_RESULT_OK;
use mi_psrp::psrp::{DecodedMessage, Guid, ProgressRecordType, decode_stream, split_fragments};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

struct Fixture {
    wire: Arc<Mutex<Vec<u8>>>,
    pool: Arc<Pool>,
    clock: Arc<ManualClock>,
}

impl Fixture {
    fn new() -> Self {
        let wire = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&wire);
        let clock = Arc::new(ManualClock::new(0));
        let pool = Pool::with_clock(
            Guid::parse(RPID).unwrap(),
            move |f: &[u8]| sink.lock().unwrap().extend_from_slice(f),
            clock.clone(),
        );
        Fixture { wire, pool, clock }
    }

    fn context(&self) -> Context {
        Context::with_char_type(&self.pool, Guid::parse(PID).unwrap(), 5, -1, CharType::Utf8)
            .unwrap()
    }

    /// The messages sent since the last call, with each one's size.
    fn sent(&self) -> Vec<(usize, DecodedMessage)> {
        let wire = std::mem::take(&mut *self.wire.lock().unwrap());
        let mut sizes = Vec::new();
        for f in split_fragments(&wire) {
            let (header, blob) = f.unwrap();
            if header.is_start() {
                sizes.push(0);
            }
            *sizes.last_mut().unwrap() += blob.len();
        }
        sizes
            .into_iter()
            .zip(decode_stream(&wire).unwrap())
            .collect()
    }
}

fn text(s: &str) -> Option<ProviderText<'_>> {
    Some(ProviderText::utf8(s.as_bytes()))
}

/// The size of a record whose activity is `n` bytes of 'a', status "s".
fn size_of_write(n: usize, percent: u32, seconds: u32) -> usize {
    let f = Fixture::new();
    f.pool.set_max_message_size(u32::MAX).unwrap();
    f.context()
        .write_progress(text(&"a".repeat(n)), None, text("s"), percent, seconds)
        .unwrap();
    f.sent()[0].0
}

#[test]
fn a_completed_record_after_a_write_of_exactly_the_maximum_fits() {
    let f = Fixture::new();
    let max = 4096;
    f.pool.set_max_message_size(max as u32).unwrap();
    let n = 3000;
    let base = size_of_write(n, 0, 0);
    // Activity with multi-byte characters and escapes at the end, so a cut
    // must find a character boundary.
    // "é&_\u{1}" encodes to 2 + 5 + 1 + 7 bytes.
    let activity = format!("{}é&_\u{1}", "a".repeat(n + max - base - 15));
    let ctx = f.context();
    ctx.write_progress(text(&activity), None, text("s"), 0, 0)
        .unwrap();
    let sent = f.sent();
    assert_eq!(sent[0].0, max, "the write is exactly the maximum");
    ctx.post_result(MI_RESULT_OK).unwrap();
    let sent = f.sent();
    let (size, done) = &sent[0];
    assert!(
        *size <= max,
        "Completed record of {size} bytes against {max}"
    );
    assert_eq!(
        done.progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
    assert_eq!(done.progress().unwrap().activity_id, 5);
    let kept = done.progress().unwrap().activity.to_string_lossy();
    assert!(
        activity.starts_with(&kept) && kept.len() < activity.len(),
        "cut at a character boundary: {:?}",
        &kept[kept.len().saturating_sub(10)..]
    );
}

#[test]
fn a_held_record_fits_a_maximum_lowered_after_it_was_held() {
    let f = Fixture::new();
    let ctx = f.context();
    ctx.set_progress_interval(1000);
    ctx.write_progress(text("first"), None, text("s"), 1, 1)
        .unwrap();
    let big = "ü".repeat(150_000); // 300 KB, three times
    ctx.write_progress(text(&big), text(&big), text(&big), 2, 2)
        .unwrap();
    assert!(ctx.has_pending());
    f.sent();
    f.pool.set_max_message_size(1024).unwrap();
    ctx.flush().unwrap();
    let sent = f.sent();
    assert_eq!(sent.len(), 1);
    let (size, held) = &sent[0];
    assert!(*size <= 1024, "held record of {size} bytes against 1024");
    assert_eq!(held.progress().unwrap().percent_complete, 2);
    let a = held.progress().unwrap().activity.to_string_lossy();
    assert!(!a.is_empty() && big.starts_with(&a));
    assert_eq!(
        held.progress()
            .unwrap()
            .current_operation
            .as_ref()
            .map(|c| c.units().len()),
        Some(0),
        "cut first"
    );
    ctx.post_result(MI_RESULT_OK).unwrap();
    let sent = f.sent();
    assert!(sent[0].0 <= 1024);
    assert_eq!(
        sent[0].1.progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
}

#[test]
fn a_completed_record_fits_a_maximum_lowered_after_the_last_write() {
    let f = Fixture::new();
    let ctx = f.context();
    let big = "x".repeat(500_000);
    ctx.write_progress(text(&big), None, text(&big), 50, 1)
        .unwrap();
    f.sent();
    f.pool.set_max_message_size(1024).unwrap();
    drop(ctx); // ends the operation as PostResult does
    let sent = f.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].0 <= 1024, "{} bytes", sent[0].0);
    assert_eq!(
        sent[0].1.progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
}

#[test]
fn a_context_lets_go_of_memory_when_the_maximum_drops() {
    let f = Fixture::new();
    let ctx = f.context();
    f.pool.set_max_message_size(64 << 20).unwrap();
    let big = "y".repeat(20 << 20);
    ctx.write_progress(text(&big), text(&big), None, 1, 1)
        .unwrap();
    assert!(ctx.retained_bytes() >= 40 << 20, "it did grow");
    // A held write of the same size.
    ctx.set_progress_interval(1000);
    ctx.write_progress(text(&big), None, text(&big), 2, 2)
        .unwrap();
    drop(big);
    // Dropped undecoded: the 40 MiB message is above the decoder's default
    // maximum (1 MiB, since the stream decoder bounds its memory).
    f.wire.lock().unwrap().clear();
    f.pool.set_max_message_size(1 << 20).unwrap();
    f.clock.advance(2000);
    ctx.write_progress(text("small"), None, None, 3, 3).unwrap();
    let retained = ctx.retained_bytes();
    assert!(
        retained <= 8 << 20,
        "{retained} bytes kept under a 1 MiB maximum"
    );
    for (size, _) in f.sent() {
        assert!(size <= 1 << 20);
    }
}
