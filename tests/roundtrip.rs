//! encode → fragment → decode gives the input back, for arbitrary text
//! (lone surrogates included) and every interesting fragment size.

use std::sync::{Arc, Mutex};

use mi_psrp::host::{Context, Pool};
use mi_psrp::psrp::{
    FRAGMENT_HEADER_LEN, Guid, MessageHeader, ProgressRecord, ProgressRecordType, PsString,
    decode_stream, encode_progress_message, fragment_message, split_fragments,
};
use proptest::prelude::*;

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

fn header() -> MessageHeader {
    MessageHeader::progress(Guid::parse(RPID).unwrap(), Guid::parse(PID).unwrap())
}

fn utf16() -> impl Strategy<Value = Vec<u16>> {
    // Bias towards the interesting units: ASCII specials, C0/C1, surrogates, nonchars.
    let unit = prop_oneof![
        4 => any::<u16>(),
        2 => prop::sample::select(vec![b'_' as u16, b'x' as u16, b'X' as u16, b'&' as u16, b'<' as u16, b'>' as u16, 0, 9, 10, 13, 0x7F, 0x85, 0x9F, 0xFFFE, 0xFFFF]),
        2 => 0xD800u16..=0xDFFF,
        3 => 0x20u16..0x7F,
    ];
    prop::collection::vec(unit, 0..60)
}

fn non_empty_utf16() -> impl Strategy<Value = Vec<u16>> {
    utf16().prop_filter("non-empty", |v| !v.is_empty())
}

fn decode_one(stream: &[u8]) -> ProgressRecord<PsString> {
    let mut msgs = decode_stream(stream).unwrap();
    assert_eq!(msgs.len(), 1);
    msgs.pop().unwrap().record.into_progress().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn utf16_records_survive_every_fragment_size(
        activity in non_empty_utf16(),
        status in non_empty_utf16(),
        current in proptest::option::of(utf16()),
        activity_id in 0..=i32::MAX,
        percent in -1..=100i32,
        seconds in any::<i32>(),
        completed in any::<bool>(),
        random_size in 22u32..300,
    ) {
        let record = ProgressRecord {
            activity: activity.as_slice(),
            activity_id,
            status_description: status.as_slice(),
            current_operation: current.as_deref(),
            parent_activity_id: if activity_id == 0 { -1 } else { activity_id - 1 },
            percent_complete: percent,
            seconds_remaining: seconds,
            record_type: if completed { ProgressRecordType::Completed } else { ProgressRecordType::Processing },
        };
        let mut message = Vec::new();
        encode_progress_message(&header(), &record, &mut message).unwrap();
        let exactly_full = (message.len() + FRAGMENT_HEADER_LEN) as u32;
        for size in [22, exactly_full, exactly_full - 1, exactly_full + 1, random_size] {
            let mut stream = Vec::new();
            fragment_message(&message, 5, size, &mut stream);
            let fragments: Vec<_> = split_fragments(&stream).map(Result::unwrap).collect();
            let expected_count = message.len().div_ceil(size as usize - FRAGMENT_HEADER_LEN);
            prop_assert_eq!(fragments.len(), expected_count);
            if size == exactly_full { prop_assert_eq!(fragments.len(), 1); }
            if size == exactly_full - 1 {
                prop_assert_eq!(fragments.len(), 2);
                prop_assert_eq!(fragments[1].0.blob_length, 1);
            }
            let got = decode_one(&stream);
            prop_assert_eq!(got.activity.units(), activity.as_slice());
            prop_assert_eq!(got.status_description.units(), status.as_slice());
            prop_assert_eq!(got.current_operation.as_ref().map(|s| s.units()), current.as_deref());
            prop_assert_eq!(got.activity_id, record.activity_id);
            prop_assert_eq!(got.parent_activity_id, record.parent_activity_id);
            prop_assert_eq!(got.percent_complete, percent);
            prop_assert_eq!(got.seconds_remaining, seconds);
            prop_assert_eq!(got.record_type, record.record_type);
        }
    }

    #[test]
    fn utf32_text_decodes_to_its_utf16(units in prop::collection::vec(
        prop_oneof![0u32..0x80, 0xD800u32..0xE000, 0u32..=0x10FFFF], 1..40)) {
        let record = ProgressRecord::new(1, units.as_slice(), units.as_slice());
        let mut message = Vec::new();
        encode_progress_message(&header(), &record, &mut message).unwrap();
        prop_assert!(!message[43..].iter().any(|&b| b >= 0xF0), "no 4-byte UTF-8 ever");
        let mut stream = Vec::new();
        fragment_message(&message, 1, 32768, &mut stream);
        let expected: Vec<u16> = units.iter().flat_map(|&u| {
            if u >= 0x1_0000 {
                let v = u - 0x1_0000;
                vec![0xD800 | (v >> 10) as u16, 0xDC00 | (v & 0x3FF) as u16]
            } else {
                vec![u as u16]
            }
        }).collect();
        let got = decode_one(&stream);
        prop_assert_eq!(got.activity.units(), expected.as_slice());
    }

    #[test]
    fn rust_strings_round_trip(s in "\\PC{1,40}") {
        let record = ProgressRecord::new(3, s.as_str(), s.as_str());
        let mut message = Vec::new();
        encode_progress_message(&header(), &record, &mut message).unwrap();
        let mut stream = Vec::new();
        fragment_message(&message, 1, 64, &mut stream);
        let got = decode_one(&stream);
        prop_assert_eq!(got.activity.to_string_checked().unwrap(), s);
    }

    #[test]
    fn the_host_path_round_trips(activity in non_empty_utf16(), current in proptest::option::of(utf16()), size in 22u32..200) {
        let frags = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&frags);
        let pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| sink.lock().unwrap().extend_from_slice(f));
        pool.set_fragment_size(size).unwrap();
        let ctx = Context::new(&pool, Guid::parse(PID).unwrap(), 7, -1).unwrap();
        ctx.write_progress(Some(activity.as_slice()), current.as_deref(), None, 42, 0xFFFF_FFFF).unwrap();
        let stream = frags.lock().unwrap().clone();
        let msgs = decode_stream(&stream).unwrap();
        prop_assert_eq!(msgs.len(), 1);
        prop_assert_eq!(msgs[0].object_id, 1);
        let got = msgs[0].progress().unwrap();
        prop_assert_eq!(got.activity.units(), activity.as_slice());
        prop_assert_eq!(got.current_operation.as_ref().map(|s| s.units()), current.as_deref());
        prop_assert_eq!(&got.status_description, &PsString::from(" "));
        prop_assert_eq!(got.percent_complete, 42);
        prop_assert_eq!(got.seconds_remaining, -1);
    }
}
