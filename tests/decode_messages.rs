//! Messages that are not records, as a PowerShell peer reads them: generic
//! values (pipeline output and input, INFORMATION_RECORD, session messages),
//! RUNSPACEPOOL_STATE and PIPELINE_STATE, host calls.

use mi_psrp::psrp::{
    ClixmlValue, DecodeError, DecodedRecord, Guid, MessageHeader, PsString, decode_message,
};

/// PowerShell's progress record, as `tests/decode.rs` has it.
const PROGRESS: &str = "<Obj RefId=\"3\"><MS><S N=\"Activity\">act</S><I32 N=\"ActivityId\">2</I32><S N=\"StatusDescription\">st</S><Nil N=\"CurrentOperation\" /><I32 N=\"ParentActivityId\">-1</I32><I32 N=\"PercentComplete\">10</I32><Obj N=\"Type\" RefId=\"4\"><TN RefId=\"2\"><T>System.Management.Automation.ProgressRecordType</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>Processing</ToString><I32>0</I32></Obj><I32 N=\"SecondsRemaining\">-1</I32></MS></Obj>";

/// A whole message of `message_type` for the client holding `xml`.
fn message(message_type: u32, xml: &str) -> Vec<u8> {
    let mut m = MessageHeader::progress(Guid::default(), Guid::default()).to_bytes();
    m[4..8].copy_from_slice(&message_type.to_le_bytes());
    let mut m = m.to_vec();
    m.extend_from_slice(xml.as_bytes());
    m
}

#[test]
fn generic_values_keep_every_member_and_check_the_primitives_they_read() {
    let xml = r#"<Obj RefId="0"><TN RefId="0"><T>A_x002E_B</T><T>System.Object</T></TN><ToString>t</ToString><MS><I64 N="big">-9223372036854775808</I64><U64 N="u">18446744073709551615</U64><B N="b">1</B><DT N="when">2018-06-13T23:46:12+00:00</DT><Nil N="n"/><Obj N="again" RefId="1"><TNRef RefId="0"/><LST><S>x</S><Ref RefId="0"/></LST></Obj><Obj N="d" RefId="2"><DCT><En><S N="Key">k</S><I32 N="Value">7</I32></En></DCT></Obj></MS></Obj>"#;
    let (_, record) = decode_message(&message(0x0004_1004, xml)).unwrap();
    let DecodedRecord::Object(Some(v)) = record else {
        panic!("{record:?}")
    };
    let o = v.object().unwrap();
    assert_eq!(
        o.type_names,
        [PsString::from("A.B"), PsString::from("System.Object")]
    );
    assert_eq!(o.to_string, Some(PsString::from("t")));
    assert_eq!(
        o.property("big"),
        Some(&ClixmlValue::Integer(i64::MIN.into()))
    );
    assert_eq!(
        o.property("u"),
        Some(&ClixmlValue::Integer(u64::MAX.into()))
    );
    assert_eq!(o.property("b"), Some(&ClixmlValue::Bool(true)));
    assert!(matches!(o.property("when"), Some(ClixmlValue::Text { tag, .. }) if tag == "DT"));
    assert_eq!(o.property("n"), Some(&ClixmlValue::Nil));
    let again = o.property("again").unwrap().object().unwrap();
    assert_eq!(again.type_names, o.type_names, "TNRef resolved");
    assert_eq!(
        again.items,
        Some(vec![
            ClixmlValue::String(PsString::from("x")),
            ClixmlValue::Ref("0".into())
        ])
    );
    let d = o.property("d").unwrap().object().unwrap();
    assert_eq!(
        d.entries,
        Some(vec![(
            ClixmlValue::String(PsString::from("k")),
            ClixmlValue::Integer(7)
        )])
    );
    // Out of range, not a number, not a boolean: malformed.
    for bad in [
        "<I32>2147483648</I32>",
        "<U64>-1</U64>",
        "<By>256</By>",
        "<B>yes</B>",
        "<S><x/></S>",
    ] {
        assert!(decode_message(&message(0x0004_1004, bad)).is_err(), "{bad}");
    }
    // No data: no object.
    assert_eq!(
        decode_message(&message(0x0004_1004, "")).unwrap().1,
        DecodedRecord::Object(None)
    );
}

#[test]
fn states_and_host_calls_are_read_as_a_peer_reads_them() {
    let (_, r) = decode_message(&message(
        0x0002_1005,
        r#"<Obj RefId="0"><MS><I32 N="RunspaceState">5</I32></MS></Obj>"#,
    ))
    .unwrap();
    let DecodedRecord::State(s) = r else { panic!() };
    assert_eq!((s.state, s.name, s.error), (5, Some("Broken"), None));
    // A state without its number is malformed.
    assert_eq!(
        decode_message(&message(0x0004_1006, r#"<Obj RefId="0"><MS/></Obj>"#)).unwrap_err(),
        DecodeError::MissingProperty("PipelineState")
    );
    let call = |mp: &str| {
        format!(
            r#"<Obj RefId="0"><MS><I64 N="ci">-100</I64><Obj N="mi" RefId="1"><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T></TN><ToString>WriteProgress</ToString><I32>20</I32></Obj>{mp}</MS></Obj>"#
        )
    };
    let record = format!(
        r#"<Obj N="mp" RefId="2"><TN RefId="1"><T>System.Collections.ArrayList</T></TN><LST><I64>7</I64>{}</LST></Obj>"#,
        PROGRESS
    );
    let (_, r) = decode_message(&message(0x0004_1100, &call(&record))).unwrap();
    let DecodedRecord::HostCall(c) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        (c.call_id, c.method_id, c.method),
        (-100, 20, Some("WriteProgress"))
    );
    assert_eq!(c.progress.as_ref().unwrap().0, 7);
    assert_eq!(r.progress().unwrap().activity, "act");
    // A WriteProgress call whose record a client cannot read is malformed.
    let bad = record
        .replace("<I32 N=\"ActivityId\">", "<I64 N=\"ActivityId\">")
        .replace(
            "</I32><S N=\"StatusDescription\">",
            "</I64><S N=\"StatusDescription\">",
        );
    assert!(decode_message(&message(0x0004_1100, &call(&bad))).is_err());
    // The call id must be an <I64>.
    let wrong = call(&record).replace("<I64 N=\"ci\">-100</I64>", "<I32 N=\"ci\">-100</I32>");
    assert!(matches!(
        decode_message(&message(0x0004_1100, &wrong)).unwrap_err(),
        DecodeError::WrongPropertyType { property: "ci", .. }
    ));
}
