//! What a held (coalesced) write costs: under a 1 MiB maximum message size,
//! one held write of a ~1 MiB record grows the heap by less than 2 MiB —
//! about its own encoded size — for a wide (`wchar_t`) and a UTF-8 context;
//! and the context's memory at rest stays a small multiple of the maximum.
//!
//! Measured as glibc counts it: `mallinfo2()`'s bytes in use (`uordblks +
//! hblkhd`) after
//! `malloc_trim(0)`, just before and just after the one held write. One test
//! function, so no other test of this binary allocates meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mi_psrp::host::{Context, ManualClock, Pool};
use mi_psrp::psrp::{Guid, SourceText, Utf8Text};

const MAX: usize = 1 << 20;
/// Three strings this long make a record just under the maximum: (1 MiB -
/// 1 KiB) / 3 characters each, the rest being the record's fixed CLIXML.
const LEN: usize = (MAX - 1024) / 3;

/// Bytes in use by malloc, after giving back what can be: in the heap's
/// chunks (`uordblks`) and in chunks of their own (`hblkhd`: a block above
/// the mmap threshold, as a 1 MiB buffer may be).
fn in_use() -> isize {
    // SAFETY: plain calls into glibc's allocator statistics; no pointers.
    let m = unsafe {
        libc::malloc_trim(0);
        libc::mallinfo2()
    };
    (m.uordblks + m.hblkhd) as isize
}

/// A context of a pool whose sink only counts bytes (it keeps nothing), with
/// an interval long enough that every write after the first is held.
fn setup() -> (Arc<Pool>, Arc<AtomicUsize>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_000));
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let pool = Pool::with_clock(
        Guid::default(),
        move |f: &[u8]| {
            counter.fetch_add(f.len(), Ordering::Relaxed);
        },
        clock.clone(),
    );
    pool.set_max_message_size(MAX as u32).unwrap();
    (pool, sent, clock)
}

/// Sends one ~1 MiB write, then measures the heap around a second one that is
/// held. Returns (growth in bytes, the context's retained bytes after).
fn held_growth<S: SourceText>(strings: [[S; 3]; 2]) -> (isize, usize) {
    let (pool, sent, clock) = setup();
    let ctx = Context::new(&pool, Guid::default(), 1, -1).unwrap();
    ctx.set_progress_interval(60_000);
    let [first, second] = strings;
    let [a, o, s] = first;
    ctx.write_progress(Some(a), Some(o), Some(s), 10, 5)
        .unwrap();
    let after_first = sent.load(Ordering::Relaxed);
    assert!(after_first > MAX - 1024, "the first write is sent at once");
    assert!(!ctx.has_pending());
    clock.advance(1);

    let [a, o, s] = second;
    let before = in_use();
    ctx.write_progress(Some(a), Some(o), Some(s), 20, 4)
        .unwrap();
    let after = in_use();
    assert!(ctx.has_pending(), "the second write is held");
    assert_eq!(sent.load(Ordering::Relaxed), after_first, "nothing sent");
    let retained = ctx.retained_bytes();

    // The held write is the one sent when flushed, whole.
    ctx.flush().unwrap();
    assert!(!ctx.has_pending());
    assert!(sent.load(Ordering::Relaxed) > 2 * (MAX - 1024));
    (after - before, retained)
}

#[test]
fn a_held_write_costs_about_its_encoded_size() {
    // wchar_t on Linux: 32-bit units.
    let wide = |c: char| vec![c as u32; LEN];
    let texts = [
        [wide('a'), wide('b'), wide('c')],
        [wide('d'), wide('e'), wide('f')],
    ];
    let (wide_growth, wide_retained) = held_growth(
        texts
            .each_ref()
            .map(|three| three.each_ref().map(|t| t.as_slice())),
    );
    let utf8 = |c: u8| vec![c; LEN];
    let texts = [
        [utf8(b'a'), utf8(b'b'), utf8(b'c')],
        [utf8(b'd'), utf8(b'e'), utf8(b'f')],
    ];
    let (utf8_growth, utf8_retained) = held_growth(
        texts
            .each_ref()
            .map(|three| three.each_ref().map(|t| Utf8Text(t))),
    );
    eprintln!(
        "one held write of 3 x {LEN} ASCII characters: heap +{wide_growth} B (wide), \
         +{utf8_growth} B (UTF-8); retained {wide_retained} B / {utf8_retained} B"
    );
    for growth in [wide_growth, utf8_growth] {
        // About the text held (3 x LEN bytes as WTF-8) and well under 2 MiB.
        assert!(growth < 2 * MAX as isize, "{growth}");
        assert!(
            growth >= 3 * LEN as isize,
            "{growth}: the text must be held"
        );
    }
    // At rest: the work buffer, the last record and the held one, each about
    // the maximum.
    for retained in [wide_retained, utf8_retained] {
        assert!(retained <= 4 * MAX, "{retained}");
    }
}
