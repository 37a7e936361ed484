//! The streaming decoder fed in random chunk sizes, with a small maximum
//! message size: it never panics; chunking never changes the outcome (the
//! same messages — also those completed before an error — and the same error
//! at the same byte as one push of everything);
//! an error is found at a byte the stream has; the work is linear (bytes
//! copied at most three times the input). Run with `-rss_limit_mb` and
//! `-timeout` so that quadratic time or unbounded memory is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_psrp::psrp::StreamDecoder;

/// Small, so that the limit is reached by inputs libFuzzer makes.
const MAX: usize = 4096;

fuzz_target!(|data: &[u8]| {
    // The first two bytes seed the chunk sizes; the rest is the stream.
    let (seed, stream) = match data {
        [a, b, rest @ ..] => (u32::from(*a) << 8 | u32::from(*b), rest),
        _ => return,
    };

    let mut whole = StreamDecoder::with_max_message_size(MAX);
    let mut all = Vec::new();
    let whole_result = whole.push(stream, &mut all);
    let whole_offset = whole.offset();

    let mut chunked = StreamDecoder::with_max_message_size(MAX);
    let mut messages = Vec::new();
    let mut state = seed | 1;
    let mut rest = stream;
    let mut chunked_error = None;
    while !rest.is_empty() {
        // xorshift: sizes 1..=64, sometimes large.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let size = if state % 8 == 0 {
            (state % 4096) as usize + 1
        } else {
            (state % 64) as usize + 1
        };
        let (chunk, after) = rest.split_at(size.min(rest.len()));
        rest = after;
        if let Err(e) = chunked.push(chunk, &mut messages) {
            chunked_error = Some(e);
            break;
        }
    }
    assert!(chunked.bytes_copied() <= 3 * stream.len() as u64 + 64);
    // Failing or not, the messages completed are the same.
    assert_eq!(all, messages);
    match (whole_result, chunked_error) {
        (Ok(()), None) => {
            assert_eq!(chunked.offset(), stream.len() as u64);
            let whole_end = whole.finish();
            assert_eq!(whole_end, chunked.finish());
        }
        (Err(e), Some(f)) => {
            assert_eq!(e, f);
            assert_eq!(whole_offset, chunked.offset());
            assert!(whole_offset <= stream.len() as u64);
            assert!(whole_offset > 0);
        }
        (w, c) => panic!("chunking changed the outcome: {w:?} vs {c:?}"),
    }
});
