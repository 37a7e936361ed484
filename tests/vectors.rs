//! Byte-exact reproduction of PROGRESS_RECORD fragments captured from real
//! Windows PowerShell servers (tests/fixtures/powershell-progress.json).

mod common;

use common::{Captured, context, hex, pool, w};
use mi_psrp::ffi::context::MI_Context_WriteProgress;
use mi_psrp::ffi::host::{mipsrp_context_free, mipsrp_pool_free};
use mi_psrp::mi::MI_RESULT_OK;
use mi_psrp::psrp::{
    Guid, MessageHeader, ProgressRecord, ProgressRecordType, decode_stream,
    encode_progress_message, fragment_message,
};
use serde_json::Value;

fn vector(name: &str) -> Value {
    let text = include_str!("fixtures/powershell-progress.json");
    let all: Value = serde_json::from_str(text).unwrap();
    all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()
        .clone()
}

#[test]
fn processing_vector_through_the_c_api() {
    let v = vector("processing");
    let expected = hex(v["fragment_hex"].as_str().unwrap());
    let captured = Captured::default();
    let pool = pool(v["runspace_pool_id"].as_str().unwrap(), &captured);
    let ctx = context(pool, v["pipeline_id"].as_str().unwrap(), 2, -1);
    let (activity, status) = (w("activity"), w("description"));
    // SAFETY: live context and NUL-terminated strings.
    let r = unsafe {
        MI_Context_WriteProgress(
            ctx,
            activity.as_ptr(),
            std::ptr::null(),
            status.as_ptr(),
            0xFFFF_FFFF,
            0xFFFF_FFFF,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    let got = captured.take();
    assert_eq!(got.len(), 1, "one fragment");
    let got = &got[0];
    assert_eq!(got.len(), expected.len());
    // Every byte but the ObjectId (the capture's server had sent 18 messages before).
    assert_eq!(got[8..], expected[8..]);
    assert_eq!(
        got[..8],
        1u64.to_be_bytes(),
        "our pool's first ObjectId is 1"
    );
    // SAFETY: handles made above, freed once.
    unsafe {
        mipsrp_context_free(ctx);
        mipsrp_pool_free(pool);
    }
}

#[test]
fn completed_vector_through_the_rust_core() {
    let v = vector("completed");
    let expected = hex(v["fragment_hex"].as_str().unwrap());
    let header = MessageHeader::progress(
        Guid::parse(v["runspace_pool_id"].as_str().unwrap()).unwrap(),
        Guid::parse(v["pipeline_id"].as_str().unwrap()).unwrap(),
    );
    let record = ProgressRecord {
        activity: "Preparing modules for first use.",
        activity_id: 0,
        status_description: " ",
        current_operation: None,
        parent_activity_id: -1,
        percent_complete: -1,
        seconds_remaining: -1,
        record_type: ProgressRecordType::Completed,
    };
    let mut message = Vec::new();
    encode_progress_message(&header, &record, &mut message).unwrap();
    let mut stream = Vec::new();
    fragment_message(
        &message,
        v["object_id"].as_u64().unwrap(),
        32768,
        &mut stream,
    );
    assert_eq!(
        stream, expected,
        "identical to the capture, ObjectId included"
    );
}

#[test]
fn both_vectors_decode_to_their_recorded_fields() {
    for name in ["processing", "completed"] {
        let v = vector(name);
        let msgs = decode_stream(&hex(v["fragment_hex"].as_str().unwrap())).unwrap();
        assert_eq!(msgs.len(), 1);
        let m = &msgs[0];
        let r = &v["record"];
        assert_eq!(m.object_id, v["object_id"].as_u64().unwrap());
        assert_eq!(
            m.header.destination,
            v["destination"].as_u64().unwrap() as u32
        );
        assert_eq!(m.header.message_type, 0x0004_1010);
        assert_eq!(
            m.header.runspace_pool_id.to_string(),
            v["runspace_pool_id"].as_str().unwrap()
        );
        assert_eq!(
            m.header.pipeline_id.to_string(),
            v["pipeline_id"].as_str().unwrap()
        );
        assert_eq!(
            m.progress().unwrap().activity,
            r["Activity"].as_str().unwrap()
        );
        assert_eq!(
            i64::from(m.progress().unwrap().activity_id),
            r["ActivityId"].as_i64().unwrap()
        );
        assert_eq!(
            m.progress().unwrap().status_description,
            r["StatusDescription"].as_str().unwrap()
        );
        assert!(
            r["CurrentOperation"].is_null() && m.progress().unwrap().current_operation.is_none()
        );
        assert_eq!(
            i64::from(m.progress().unwrap().parent_activity_id),
            r["ParentActivityId"].as_i64().unwrap()
        );
        assert_eq!(
            i64::from(m.progress().unwrap().percent_complete),
            r["PercentComplete"].as_i64().unwrap()
        );
        assert_eq!(
            m.progress().unwrap().record_type.name(),
            r["Type"].as_str().unwrap()
        );
        assert_eq!(
            i64::from(m.progress().unwrap().seconds_remaining),
            r["SecondsRemaining"].as_i64().unwrap()
        );
    }
}

#[test]
fn spec_string_vector() {
    let text = include_str!("fixtures/powershell-progress.json");
    let all: Value = serde_json::from_str(text).unwrap();
    for case in all["string_encoding"].as_array().unwrap() {
        let units: Vec<u16> = case["input_utf16"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_u64().unwrap() as u16)
            .collect();
        let mut out = Vec::new();
        mi_psrp::psrp::text::encode_units(&units, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            case["encoded"].as_str().unwrap()
        );
    }
}
