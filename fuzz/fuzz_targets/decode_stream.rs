//! Arbitrary bytes as a PSRP fragment stream: the decoder never panics, and
//! every record it accepts re-encodes and decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_psrp::psrp::{DecodedRecord, decode_stream, encode_progress_message, fragment_message};

fuzz_target!(|data: &[u8]| {
    let Ok(messages) = decode_stream(data) else {
        return;
    };
    for m in messages {
        // Only PROGRESS_RECORD messages have an encoder here.
        let DecodedRecord::Progress(record) = &m.record else {
            continue;
        };
        let mut message = Vec::new();
        encode_progress_message(&m.header, record, &mut message)
            .expect("a decoded record is valid and encodable");
        let mut stream = Vec::new();
        fragment_message(&message, m.object_id, 32768, &mut stream);
        let again = decode_stream(&stream).expect("our own encoding decodes");
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].record, m.record);
        assert_eq!(again[0].header, m.header);
    }
});
