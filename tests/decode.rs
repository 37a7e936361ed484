//! The decoder accepts what a PowerShell client accepts and rejects the rest
//! with a typed error.

use mi_psrp::psrp::{
    ClixmlValue, DecodeError, DecodedRecord, Guid, MessageHeader, ProgressRecordType, PsString,
    ValidationError, decode_progress_clixml, decode_progress_message, decode_stream,
    fragment_message,
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
        got.extend(push(&mut decoder, std::slice::from_ref(b)).unwrap());
    }
    decoder.finish().unwrap();
    assert_eq!(got, whole);
    assert_eq!(got[2].progress().unwrap().activity, "three");

    let mut cut = mi_psrp::psrp::StreamDecoder::new();
    assert!(push(&mut cut, &stream[..stream.len() - 5]).unwrap().len() == 2);
    assert!(matches!(
        cut.finish(),
        Err(DecodeError::Truncated {
            what: "fragment blob",
            ..
        })
    ));
}

/// A stream of one progress message with the given activity, cut into
/// fragments of `fragment_size`.
fn progress_stream(activity: &str, object_id: u64, fragment_size: u32) -> Vec<u8> {
    let record = mi_psrp::psrp::ProgressRecord::new(1, activity, "s");
    let mut message = Vec::new();
    mi_psrp::psrp::encode_progress_message(
        &MessageHeader::progress(Guid::default(), Guid::default()),
        &record,
        &mut message,
    )
    .unwrap();
    let mut stream = Vec::new();
    fragment_message(&message, object_id, fragment_size, &mut stream);
    stream
}

fn fragment_header(object_id: u64, fragment_id: u64, flags: u8, blob_length: u32) -> [u8; 21] {
    mi_psrp::psrp::FragmentHeader {
        object_id,
        fragment_id,
        flags,
        blob_length,
    }
    .to_bytes()
}

/// Pushes `bytes`: the messages they complete, or the error (the messages
/// completed before it are checked by the tests that need them).
fn push(decoder: &mut StreamDecoder, bytes: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut out = Vec::new();
    decoder.push(bytes, &mut out).map(|()| out)
}

/// Pushes `bytes` and returns the error with the offset it was found at.
fn first_error(decoder: &mut StreamDecoder, bytes: &[u8]) -> (DecodeError, u64) {
    let e = push(decoder, bytes).unwrap_err();
    (e, decoder.offset())
}

use mi_psrp::psrp::{DEFAULT_MAX_MESSAGE_SIZE, DecodedMessage, StreamDecoder};

#[test]
fn each_fragment_header_is_checked_as_soon_as_its_21_bytes_are_there() {
    // Each bad header claims a 4 GiB blob that never comes: the error must not wait for it.
    let cases: [(&[u8], DecodeError); 4] = [
        (
            &fragment_header(1, 0, 0x13, u32::MAX),
            DecodeError::InvalidFlags(0x13),
        ),
        (
            &fragment_header(0, 0, 3, u32::MAX),
            DecodeError::ObjectIdZero,
        ),
        (
            &fragment_header(1, 5, 3, u32::MAX),
            DecodeError::FragmentOutOfSequence {
                object_id: 1,
                expected: 0,
                found: 5,
            },
        ),
        (
            &fragment_header(1, 0, 3, u32::MAX),
            DecodeError::MessageTooLarge {
                object_id: 1,
                size: u64::from(u32::MAX),
                max: DEFAULT_MAX_MESSAGE_SIZE,
            },
        ),
    ];
    for (header, expected) in cases {
        // Byte by byte: nothing until the 21st byte, then the error.
        let mut d = StreamDecoder::new();
        for b in &header[..20] {
            assert!(push(&mut d, std::slice::from_ref(b)).unwrap().is_empty());
        }
        assert_eq!(first_error(&mut d, &header[20..]), (expected.clone(), 21));
        // And later pushes keep failing.
        assert_eq!(push(&mut d, b"more").unwrap_err(), expected);
    }
    // Interleaving: a second message's header after the first fragment of a message.
    let mut d = StreamDecoder::new();
    let stream = progress_stream("act", 1, 100);
    push(&mut d, &stream[..100]).unwrap();
    assert_eq!(
        first_error(&mut d, &fragment_header(2, 0, 3, u32::MAX)),
        (
            DecodeError::Interleaved {
                expected: 1,
                found: 2
            },
            121
        )
    );
}

#[test]
fn a_bad_message_header_is_reported_at_its_40th_byte() {
    // A destination other than the client (1) or the server (2).
    let mut stream = progress_stream("act", 1, 32768);
    stream[21] = 3;
    let mut d = StreamDecoder::new();
    assert_eq!(
        first_error(&mut d, &stream),
        (DecodeError::InvalidDestination(3), 61)
    );
    // For the server, and of a type the decoder reads generically: both decode.
    let mut stream = progress_stream("act", 1, 32768);
    stream[21] = 2;
    stream[25..29].copy_from_slice(&0x0004_1004u32.to_le_bytes()); // PIPELINE_OUTPUT
    let m = decode_stream(&stream).unwrap();
    assert_eq!(m[0].header.destination, 2);
    assert_eq!(m[0].kind_name(), "pipeline_output");
    let Some(v) = (match &m[0].record {
        DecodedRecord::Object(v) => v,
        other => panic!("{other:?}"),
    }) else {
        panic!("no object")
    };
    let o = v.object().unwrap();
    assert_eq!(
        o.property("Activity"),
        Some(&ClixmlValue::String(PsString::from("act")))
    );
    assert_eq!(
        o.property("PercentComplete"),
        Some(&ClixmlValue::Integer(-1))
    );
    // A type MS-PSRP does not define is a message of its own, its data unread.
    let mut stream = progress_stream("act", 1, 32768);
    stream[25..29].copy_from_slice(&0x0005_0001u32.to_le_bytes());
    let m = decode_stream(&stream).unwrap();
    assert_eq!(m[0].record, DecodedRecord::Unknown);
    assert_eq!(m[0].kind_name(), "unknown");
}

#[test]
fn messages_completed_before_an_error_are_never_lost_whatever_the_read_sizes() {
    // Two good messages, then a third whose XML is malformed.
    let mut stream = progress_stream("one", 1, 32768);
    stream.extend(progress_stream("two", 2, 32768));
    let good = stream.len();
    let mut bad = progress_stream("three", 3, 32768);
    let at = bad.len() - 10;
    bad[at] = b'<';
    stream.extend(&bad);
    for read in [1, 7, 100, good, stream.len()] {
        let mut d = StreamDecoder::new();
        let mut got = Vec::new();
        let mut error = None;
        for chunk in stream.chunks(read) {
            if let Err(e) = d.push(chunk, &mut got) {
                error = Some(e);
                break;
            }
        }
        assert!(matches!(error, Some(DecodeError::Xml(_))), "{error:?}");
        assert_eq!(d.offset(), stream.len() as u64, "read size {read}");
        let activities: Vec<_> = got
            .iter()
            .map(|m| m.progress().unwrap().activity.to_string_lossy())
            .collect();
        assert_eq!(activities, ["one", "two"], "read size {read}");
        // Once failed, nothing more comes.
        let mut more = Vec::new();
        assert!(d.push(&stream[..good], &mut more).is_err());
        assert!(more.is_empty());
    }
}

#[test]
fn memory_is_bounded_by_the_maximum_message_size() {
    // A message that never ends: Start, then fragment after fragment.
    let max = 64 * 1024;
    let mut d = StreamDecoder::with_max_message_size(max);
    // The message header is valid; the data never ends.
    let mut blob = MessageHeader::progress(Guid::default(), Guid::default())
        .to_bytes()
        .to_vec();
    blob.resize(4000, b'x');
    let mut fed = 0usize;
    let mut id = 0u64;
    let err = loop {
        let flags = if id == 0 { 1 } else { 0 };
        let mut fragment = fragment_header(1, id, flags, blob.len() as u32).to_vec();
        fragment.extend_from_slice(&blob);
        fed += fragment.len();
        match push(&mut d, &fragment) {
            Ok(m) => assert!(m.is_empty()),
            Err(e) => break e,
        }
        id += 1;
        assert!(fed < 2 * max, "no error after {fed} bytes");
    };
    assert_eq!(
        err,
        DecodeError::MessageTooLarge {
            object_id: 1,
            size: 68_000,
            max
        }
    );
    assert!(d.bytes_copied() <= 3 * max as u64);

    // A message of exactly the maximum is accepted, one byte more is not.
    let exact = progress_stream("act", 1, 32768);
    let size = exact.len() - 21;
    let mut d = StreamDecoder::with_max_message_size(size);
    assert_eq!(push(&mut d, &exact).unwrap().len(), 1);
    let mut d = StreamDecoder::with_max_message_size(size - 1);
    assert!(matches!(
        push(&mut d, &exact).unwrap_err(),
        DecodeError::MessageTooLarge { .. }
    ));
    // The decoder's default is the library's.
    assert_eq!(
        DEFAULT_MAX_MESSAGE_SIZE,
        mi_psrp::host::pool::DEFAULT_MAX_MESSAGE_SIZE as usize
    );
}

/// Feeds one message with an activity of `len` bytes, in one fragment of the
/// largest size the library can send, 4 KiB at a time; returns bytes fed and
/// bytes the decoder copied.
fn copies_for(len: usize) -> (u64, u64) {
    copies_in_fragments(len, u32::MAX)
}

fn copies_in_fragments(len: usize, fragment_size: u32) -> (u64, u64) {
    let stream = progress_stream(&"a".repeat(len), 1, fragment_size);
    let mut d = StreamDecoder::with_max_message_size(64 << 20);
    let mut messages = 0;
    for chunk in stream.chunks(4096) {
        messages += push(&mut d, chunk).unwrap().len();
    }
    assert_eq!(messages, 1);
    let copied = d.bytes_copied();
    d.finish().unwrap();
    (stream.len() as u64, copied)
}

#[test]
fn work_is_linear_in_the_input_fed_in_small_pieces() {
    let (small_in, small_copied) = copies_for(1 << 20);
    let (large_in, large_copied) = copies_for(16 << 20);
    eprintln!(
        "one fragment: {small_copied} copied for {small_in} in, {large_copied} for {large_in}"
    );
    // Each byte is copied once: the fragment's room is reserved by its header.
    assert!(small_copied < small_in, "{small_copied} for {small_in}");
    assert!(large_copied < large_in, "{large_copied} for {large_in}");
    // 16 times the input, at most ~16 times the work (quadratic would be 256).
    assert!(
        large_copied <= 17 * small_copied,
        "{large_copied} vs {small_copied}"
    );
    // In PowerShell's 32 KiB fragments: amortized growth, under 3 copies a byte.
    let (many_in, many_copied) = copies_in_fragments(16 << 20, 32768);
    eprintln!("32 KiB fragments: {many_copied} copied for {many_in} in");
    assert!(many_copied < 3 * many_in, "{many_copied} for {many_in}");
}

#[test]
fn the_clixml_reader_matches_powershells_both_ways() {
    // PowerShell's reader prohibits DTDs and rejects a repeated attribute …
    let mut with_doctype = b"<!DOCTYPE Obj>".to_vec();
    with_doctype.extend(xml(&[]).bytes());
    assert_eq!(
        decode_progress_clixml(&with_doctype).unwrap_err(),
        DecodeError::DoctypeNotAllowed
    );
    assert_eq!(
        err(&[("<S N=\"Activity\">", "<S N=\"Activity\" N=\"b\">")]),
        DecodeError::DuplicateAttribute("S".into())
    );
    // … anywhere in the document, in members nobody reads too.
    assert_eq!(
        err(&[("<TN RefId=\"0\">", "<TN RefId=\"0\" RefId=\"1\">")]),
        DecodeError::DuplicateAttribute("TN".into())
    );
    // … and accepts any character reference (CheckCharacters = false).
    let r = decode_progress_clixml(xml(&[("act<", "a&#0;&#x1B;&#xD800;<")]).as_bytes()).unwrap();
    assert_eq!(r.activity.units(), [0x61, 0, 0x1B, 0xD800]);
}
