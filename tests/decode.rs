//! The decoder accepts what a PowerShell client accepts and rejects the rest
//! with a typed error.

use mi_psrp::psrp::{
    DecodeError, Guid, MessageHeader, ProgressRecordType, ValidationError, decode_progress_clixml,
    decode_progress_message, decode_stream, fragment_message,
};

const TYPE_OBJ: &str = "<Obj N=\"Type\" RefId=\"1\"><TN RefId=\"0\"><T>System.Management.Automation.ProgressRecordType</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>Processing</ToString><I32>0</I32></Obj>";

/// A record's CLIXML with `replace` applied to PowerShell's exact text.
fn xml(replace: &[(&str, &str)]) -> String {
    let mut s = format!(
        "<Obj RefId=\"0\"><MS><S N=\"Activity\">act</S><I32 N=\"ActivityId\">2</I32><S N=\"StatusDescription\">st</S><Nil N=\"CurrentOperation\" /><I32 N=\"ParentActivityId\">-1</I32><I32 N=\"PercentComplete\">10</I32>{TYPE_OBJ}<I32 N=\"SecondsRemaining\">-1</I32></MS></Obj>"
    );
    for (from, to) in replace {
        assert!(s.contains(from), "{from}");
        s = s.replace(from, to);
    }
    s
}

fn err(replace: &[(&str, &str)]) -> DecodeError {
    decode_progress_clixml(xml(replace).as_bytes()).unwrap_err()
}

#[test]
fn accepts_powershell_exact_form_and_its_variations() {
    let r = decode_progress_clixml(xml(&[]).as_bytes()).unwrap();
    assert_eq!(r.activity, "act");
    assert_eq!(r.current_operation, None);
    assert_eq!(r.record_type, ProgressRecordType::Processing);

    // _X upper case, 8 digits, lower-case hex, char and entity references, CDATA.
    let r = decode_progress_clixml(
        xml(&[(
            "act<",
            "_X0041__x0001f600__x00e9_&amp;&lt;&#x41;&#66;<![CDATA[<c>]]><",
        )])
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(r.activity, "A\u{1F600}é&<AB<c>");
    // A self-closed empty string, properties in another order, a TNRef type.
    let r = decode_progress_clixml(
        xml(&[
            ("<Nil N=\"CurrentOperation\" />", "<S N=\"CurrentOperation\"/>"),
            (
                "<S N=\"Activity\">act</S><I32 N=\"ActivityId\">2</I32>",
                "<I32 N=\"ActivityId\">2</I32><S N=\"Activity\">act</S>",
            ),
            (TYPE_OBJ, "<Obj N=\"Type\" RefId=\"1\"><TNRef RefId=\"0\" /><ToString>Completed</ToString><I32>1</I32></Obj>"),
        ])
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(r.current_operation.unwrap(), "");
    assert_eq!(r.record_type, ProgressRecordType::Completed);
    // A BOM, white space after the root, unknown extra properties.
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(xml(&[("</MS>", "<S N=\"Extra\">x</S></MS>")]).bytes());
    bytes.extend(b"\r\n");
    assert!(decode_progress_clixml(&bytes).is_ok());
}

#[test]
fn rejects_what_a_client_rejects() {
    assert_eq!(
        err(&[("<S N=\"Activity\">act</S>", "")]),
        DecodeError::MissingProperty("Activity")
    );
    assert_eq!(
        err(&[(
            "<I32 N=\"ActivityId\">2</I32>",
            "<I64 N=\"ActivityId\">2</I64>"
        )]),
        DecodeError::WrongPropertyType {
            property: "ActivityId",
            found: "I64".into()
        }
    );
    assert_eq!(
        err(&[("<S N=\"Activity\">act</S>", "<Nil N=\"Activity\" />")]),
        DecodeError::WrongPropertyType {
            property: "Activity",
            found: "Nil".into()
        }
    );
    assert_eq!(
        err(&[(
            "<I32 N=\"PercentComplete\">10</I32>",
            "<Nil N=\"PercentComplete\" />"
        )]),
        DecodeError::WrongPropertyType {
            property: "PercentComplete",
            found: "Nil".into()
        }
    );
    assert_eq!(
        err(&[(
            "<I32 N=\"PercentComplete\">10</I32>",
            "<S N=\"PercentComplete\">10</S>"
        )]),
        DecodeError::WrongPropertyType {
            property: "PercentComplete",
            found: "S".into()
        }
    );
    assert_eq!(
        err(&[("<S N=\"Activity\">act</S>", "<S N=\"Activity\"></S>")]),
        DecodeError::InvalidRecord(ValidationError::EmptyActivity)
    );
    assert_eq!(
        err(&[(
            "<S N=\"StatusDescription\">st</S>",
            "<S N=\"StatusDescription\"></S>"
        )]),
        DecodeError::InvalidRecord(ValidationError::EmptyStatusDescription)
    );
    assert_eq!(
        err(&[(
            ">-1</I32><I32 N=\"PercentComplete\">",
            ">2</I32><I32 N=\"PercentComplete\">"
        )]),
        DecodeError::InvalidRecord(ValidationError::ParentIsSelf(2))
    );
    assert_eq!(
        err(&[(">10</I32>", ">150</I32>")]),
        DecodeError::InvalidRecord(ValidationError::PercentAbove100(150))
    );
    assert_eq!(
        err(&[(
            "<I32 N=\"ActivityId\">2</I32>",
            "<I32 N=\"ActivityId\">-3</I32>"
        )]),
        DecodeError::InvalidRecord(ValidationError::NegativeActivityId(-3))
    );
    assert_eq!(
        err(&[("<I32>0</I32></Obj>", "<I32>2</I32></Obj>")]),
        DecodeError::InvalidRecordType(2)
    );
    assert_eq!(
        err(&[(">10</I32>", ">ten</I32>")]),
        DecodeError::InvalidInteger("ten".into())
    );
    assert_eq!(
        err(&[(">10</I32>", ">4294967296</I32>")]),
        DecodeError::InvalidInteger("4294967296".into())
    );
    assert_eq!(
        err(&[("</MS>", "<S N=\"Activity\">again</S></MS>")]),
        DecodeError::DuplicateProperty("Activity")
    );
    assert!(matches!(
        err(&[("</MS></Obj>", "</MS>")]),
        DecodeError::Xml(_)
    ));
    assert!(matches!(err(&[("</S>", "</T>")]), DecodeError::Xml(_)));
    assert!(matches!(err(&[("act<", "&bogus;<")]), DecodeError::Xml(_)));
    assert!(matches!(
        err(&[("act<", "a<b/><")]),
        DecodeError::UnexpectedElement(e) if e == "b"
    ));
    assert_eq!(
        decode_progress_clixml(b"\xff\xfe").unwrap_err(),
        DecodeError::InvalidUtf8
    );
    assert!(matches!(
        decode_progress_clixml(format!("{}<Obj/>", xml(&[])).as_bytes()).unwrap_err(),
        DecodeError::UnexpectedElement(_)
    ));
}

#[test]
fn rejects_bad_message_headers_and_streams() {
    let header = MessageHeader::progress(Guid::default(), Guid::default());
    let mut msg = header.to_bytes().to_vec();
    msg.extend(xml(&[]).bytes());
    assert!(decode_progress_message(&msg).is_ok());

    let mut to_server = msg.clone();
    to_server[0] = 2;
    assert_eq!(
        decode_progress_message(&to_server).unwrap_err(),
        DecodeError::NotForClient(2)
    );
    let mut other = msg.clone();
    other[4..8].copy_from_slice(&0x0004_1011u32.to_le_bytes());
    assert_eq!(
        decode_progress_message(&other).unwrap_err(),
        DecodeError::UnexpectedMessageType(0x0004_1011)
    );
    assert!(matches!(
        decode_progress_message(&msg[..39]).unwrap_err(),
        DecodeError::Truncated {
            what: "message header",
            ..
        }
    ));

    let mut stream = Vec::new();
    fragment_message(&msg, 1, 100, &mut stream);
    assert_eq!(decode_stream(&stream).unwrap().len(), 1);
    // Cut after the first fragment: the message never ends.
    assert_eq!(
        decode_stream(&stream[..100]).unwrap_err(),
        DecodeError::UnterminatedMessage(1)
    );
    // ObjectId 0.
    let mut zero = stream.clone();
    zero[7] = 0;
    assert_eq!(decode_stream(&zero).unwrap_err(), DecodeError::ObjectIdZero);
}

#[test]
fn stream_decoder_takes_bytes_as_they_come() {
    let header = MessageHeader::progress(Guid::default(), Guid::default());
    let mut stream = Vec::new();
    for (id, act) in [(1u64, "one"), (2, "two"), (3, "three")] {
        let mut msg = header.to_bytes().to_vec();
        msg.extend(xml(&[("act<", &format!("{act}<"))]).bytes());
        fragment_message(&msg, id, 60, &mut stream);
    }
    let whole = decode_stream(&stream).unwrap();
    assert_eq!(whole.len(), 3);
    let mut decoder = mi_psrp::psrp::StreamDecoder::new();
    let mut got = Vec::new();
    for b in &stream {
        got.extend(decoder.push(std::slice::from_ref(b)).unwrap());
    }
    decoder.finish().unwrap();
    assert_eq!(got, whole);
    assert_eq!(got[2].record.activity, "three");

    let mut cut = mi_psrp::psrp::StreamDecoder::new();
    assert!(cut.push(&stream[..stream.len() - 5]).unwrap().len() == 2);
    assert!(matches!(
        cut.finish(),
        Err(DecodeError::Truncated {
            what: "fragment blob",
            ..
        })
    ));
}
