//! Warning, verbose, debug and error records: every captured message of those
//! types (tests/fixtures/powershell-streams.json, real Windows PowerShell 2.0
//! and 5.1 servers) decodes, with its fields; what a PowerShell client
//! rejects is rejected with a typed error.

mod common;

use mi_psrp::psrp::text::decode_escapes;
use mi_psrp::psrp::{
    DecodeError, DecodedErrorRecord, DecodedRecord, ErrorCategory, InformationalKind, PsString,
    decode_error_clixml, decode_informational_clixml, decode_stream,
};
use serde_json::Value;

fn captures() -> Vec<Value> {
    let v: Value = serde_json::from_str(include_str!("fixtures/powershell-streams.json")).unwrap();
    v["captures"].as_array().unwrap().clone()
}

/// The text of the first `<ToString>` of a capture, read independently of the
/// decoder (PowerShell writes an informational record's message there too).
fn first_to_string(clixml: &str) -> PsString {
    let start = clixml.find("<ToString>").unwrap() + "<ToString>".len();
    let end = start + clixml[start..].find("</ToString>").unwrap();
    let xml_text = clixml[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    decode_escapes(&xml_text)
}

#[test]
fn every_captured_warning_verbose_and_debug_record_decodes() {
    let mut seen = 0;
    for c in captures() {
        let kind = match c["message_type_name"].as_str().unwrap() {
            "WARNING_RECORD" => InformationalKind::Warning,
            "VERBOSE_RECORD" => InformationalKind::Verbose,
            "DEBUG_RECORD" => InformationalKind::Debug,
            _ => continue,
        };
        // Whole fragments, PowerShell 2.0 captures 10 and 11 included: a
        // PowerShell client reads only the two InformationalRecord_ members,
        // so the CLR 2 InvocationInfo that stops psrpcore does not matter.
        let id = c["id"].as_u64().unwrap();
        let msgs = decode_stream(&common::hex(c["fragment_hex"].as_str().unwrap()))
            .unwrap_or_else(|e| panic!("capture {id}: {e}"));
        assert_eq!(msgs.len(), 1);
        let DecodedRecord::Informational(r) = &msgs[0].record else {
            panic!("capture {id}: {:?}", msgs[0].record)
        };
        assert_eq!(r.kind, kind, "capture {id}");
        let clixml = c["clixml"].as_str().unwrap();
        assert_eq!(r.message, first_to_string(clixml), "capture {id}");
        assert_eq!(
            msgs[0].header.pipeline_id.to_string(),
            c["pid"].as_str().unwrap(),
            "capture {id}"
        );
        seen += 1;
    }
    assert_eq!(seen, 17, "5 warnings, 3 verbose, 9 debug");
    // Spot checks by hand.
    let c = captures();
    let decode = |i: usize| {
        decode_stream(&common::hex(c[i]["fragment_hex"].as_str().unwrap())).unwrap()[0]
            .record
            .clone()
    };
    assert!(matches!(decode(0), DecodedRecord::Informational(r) if r.message == "warning stream"));
    assert!(
        matches!(decode(6), DecodedRecord::Informational(r) if r.message == "WriteVerboseLine")
    );
    assert!(matches!(decode(10), DecodedRecord::Informational(r) if r.message == "End Block"));
    let DecodedRecord::Informational(multi) = decode(3) else {
        panic!()
    };
    let text = multi.message.to_string();
    assert!(
        text.starts_with("Failed to disable MaximumAllowedMemory input size: ")
            && text.contains("\r\n"),
        "{text:?}"
    );
}

fn s(text: &str) -> Option<PsString> {
    Some(PsString::from(text))
}

#[test]
fn every_captured_error_record_decodes_with_its_fields() {
    let c = captures();
    let decode = |i: usize| -> DecodedErrorRecord {
        assert_eq!(c[i]["message_type_name"], "ERROR_RECORD");
        match decode_stream(&common::hex(c[i]["fragment_hex"].as_str().unwrap()))
            .unwrap()
            .remove(0)
            .record
        {
            DecodedRecord::Error(e) => e,
            other => panic!("{other:?}"),
        }
    };
    let write_error = DecodedErrorRecord {
        exception_type: s("Microsoft.PowerShell.Commands.WriteErrorException"),
        exception_message: s("error stream"),
        target_object: None,
        fully_qualified_error_id: s("Microsoft.PowerShell.Commands.WriteErrorException"),
        category: ErrorCategory::NOT_SPECIFIED,
        activity: s("Write-Error"),
        reason: s("WriteErrorException"),
        target_name: s(""),
        target_type: s(""),
        category_message: s("NotSpecified: (:) [Write-Error], WriteErrorException"),
        error_details_message: None,
    };
    // 27: SerializeExtendedInfo false; 28: true, with InvocationInfo_* members.
    assert_eq!(decode(27), write_error);
    assert_eq!(decode(28), write_error);
    assert_eq!(decode(27).message(), "error stream");
    // 29: another exception type, a string TargetObject, InvocationInfo.
    let not_found = "Cannot find a provider with the name 'FileSystem'.";
    assert_eq!(
        decode(29),
        DecodedErrorRecord {
            exception_type: s("System.Management.Automation.ProviderNotFoundException"),
            exception_message: s(not_found),
            target_object: s("FileSystem"),
            fully_qualified_error_id: s(
                "ProviderNotFound,Microsoft.PowerShell.Commands.GetItemCommand"
            ),
            category: ErrorCategory::OBJECT_NOT_FOUND,
            activity: s("Get-Item"),
            reason: s("ProviderNotFoundException"),
            target_name: s("FileSystem"),
            target_type: s("String"),
            category_message: s(
                "ObjectNotFound: (FileSystem:String) [Get-Item], ProviderNotFoundException"
            ),
            error_details_message: None,
        }
    );
    // The same ErrorRecord inside PIPELINE_OUTPUT / PIPELINE_STATE captures
    // (not stream messages) decodes from its CLIXML too, where it is the root.
    for i in [32, 33, 34] {
        let r = decode_error_clixml(c[i]["clixml"].as_str().unwrap().as_bytes())
            .unwrap_or_else(|e| panic!("capture {i}: {e}"));
        assert!(r.fully_qualified_error_id.is_some(), "capture {i}");
    }
}

/// The spec's template for mi-psrp's own error record (§5.5).
const TEMPLATE: &str = r#"<Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><ToString>Access is denied.</ToString><MS><B N="writeErrorStream">true</B><Obj N="Exception" RefId="1"><TN RefId="1"><T>Microsoft.Management.Infrastructure.CimException</T><T>System.Exception</T><T>System.Object</T></TN><ToString>Microsoft.Management.Infrastructure.CimException: Access is denied.</ToString><Props><S N="Message">Access is denied.</S><Obj N="Data" RefId="2"><TN RefId="2"><T>System.Collections.ListDictionaryInternal</T><T>System.Object</T></TN><DCT /></Obj><Nil N="InnerException" /><Nil N="TargetSite" /><Nil N="StackTrace" /><Nil N="HelpLink" /><Nil N="Source" /><I32 N="HResult">-2146233088</I32></Props></Obj><Nil N="TargetObject" /><S N="FullyQualifiedErrorId">Windows System Error 5</S><Nil N="InvocationInfo" /><I32 N="ErrorCategory_Category">18</I32><S N="ErrorCategory_Activity"></S><S N="ErrorCategory_Reason">CimException</S><S N="ErrorCategory_TargetName"></S><S N="ErrorCategory_TargetType"></S><S N="ErrorCategory_Message">PermissionDenied: (:) [], CimException</S><B N="SerializeExtendedInfo">false</B><Nil N="PSMessageDetails" /></MS></Obj>"#;

fn error_with(replace: &[(&str, &str)]) -> Result<DecodedErrorRecord, DecodeError> {
    let mut xml = TEMPLATE.to_owned();
    for (from, to) in replace {
        assert!(xml.contains(from), "{from}");
        xml = xml.replace(from, to);
    }
    decode_error_clixml(xml.as_bytes())
}

#[test]
fn error_records_accept_what_a_client_accepts() {
    let r = error_with(&[]).unwrap();
    assert_eq!(
        r.exception_type,
        s("Microsoft.Management.Infrastructure.CimException")
    );
    assert_eq!(r.category, ErrorCategory::PERMISSION_DENIED);
    assert_eq!(r.message(), "Access is denied.");
    // psrpcore's form: Nil category strings, ToString after MS, no writeErrorStream.
    let r = error_with(&[
        (
            "<S N=\"ErrorCategory_Activity\"></S>",
            "<Nil N=\"ErrorCategory_Activity\" />",
        ),
        ("<B N=\"writeErrorStream\">true</B>", ""),
        ("<ToString>Access is denied.</ToString><MS>", "<MS>"),
        (
            "</MS></Obj>",
            "</MS><ToString>Access is denied.</ToString></Obj>",
        ),
    ])
    .unwrap();
    assert_eq!(r.activity, None);
    // The category as its name; a Nil exception (the client falls back to the category message).
    let r = error_with(&[(
        "<I32 N=\"ErrorCategory_Category\">18</I32>",
        "<S N=\"ErrorCategory_Category\">ResourceBusy</S>",
    )])
    .unwrap();
    assert_eq!(r.category, ErrorCategory::RESOURCE_BUSY);
    let start = TEMPLATE.find("<Obj N=\"Exception\"").unwrap();
    let end = TEMPLATE.find("<Nil N=\"TargetObject\"").unwrap();
    let r = error_with(&[(&TEMPLATE[start..end], "<Nil N=\"Exception\" />")]).unwrap();
    assert_eq!(
        (r.exception_type.clone(), r.exception_message.clone()),
        (None, None)
    );
    assert_eq!(r.message(), "PermissionDenied: (:) [], CimException");
    // Error details are read when there.
    let r = error_with(&[(
        "<B N=\"SerializeExtendedInfo\">",
        "<S N=\"ErrorDetails_Message\">details</S><Nil N=\"ErrorDetails_RecommendedAction\" /><B N=\"SerializeExtendedInfo\">",
    )])
    .unwrap();
    assert_eq!(r.error_details_message, s("details"));
}

#[test]
fn error_records_reject_what_a_client_rejects() {
    for required in [
        "<Nil N=\"TargetObject\" />",
        "<S N=\"FullyQualifiedErrorId\">Windows System Error 5</S>",
        "<I32 N=\"ErrorCategory_Category\">18</I32>",
        "<S N=\"ErrorCategory_Reason\">CimException</S>",
        "<S N=\"ErrorCategory_Message\">PermissionDenied: (:) [], CimException</S>",
        "<B N=\"SerializeExtendedInfo\">false</B>",
    ] {
        assert!(
            matches!(
                error_with(&[(required, "")]),
                Err(DecodeError::MissingProperty(_))
            ),
            "{required}"
        );
    }
    let start = TEMPLATE.find("<Obj N=\"Exception\"").unwrap();
    let end = TEMPLATE.find("<Nil N=\"TargetObject\"").unwrap();
    assert_eq!(
        error_with(&[(&TEMPLATE[start..end], "")]).unwrap_err(),
        DecodeError::MissingProperty("Exception")
    );
    assert_eq!(
        error_with(&[(&TEMPLATE[start..end], "<S N=\"Exception\">x</S>")]).unwrap_err(),
        DecodeError::WrongPropertyType {
            property: "Exception",
            found: "S".into()
        }
    );
    assert_eq!(
        error_with(&[(
            "<I32 N=\"ErrorCategory_Category\">18</I32>",
            "<S N=\"ErrorCategory_Category\">Bogus</S>"
        )])
        .unwrap_err(),
        DecodeError::InvalidErrorCategory("Bogus".into())
    );
    assert_eq!(
        error_with(&[(">false</B><Nil", ">maybe</B><Nil")]).unwrap_err(),
        DecodeError::InvalidBoolean("maybe".into())
    );
    assert_eq!(
        error_with(&[("</MS>", "<S N=\"FullyQualifiedErrorId\">again</S></MS>")]).unwrap_err(),
        DecodeError::DuplicateProperty("FullyQualifiedErrorId")
    );
    assert_eq!(
        error_with(&[("<DCT />", "<DCT N=\"a\" N=\"a\" />")]).unwrap_err(),
        DecodeError::DuplicateAttribute("DCT".into())
    );
}

const WARNING: &str = r#"<Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.WarningRecord</T><T>System.Management.Automation.InformationalRecord</T><T>System.Object</T></TN><ToString>w</ToString><MS><S N="InformationalRecord_Message">w</S><B N="InformationalRecord_SerializeInvocationInfo">false</B></MS></Obj>"#;

#[test]
fn informational_records_need_both_members() {
    let decode =
        |xml: &str| decode_informational_clixml(InformationalKind::Warning, xml.as_bytes());
    assert_eq!(decode(WARNING).unwrap().message, "w");
    // Nil message (MI's NULL) decodes as empty; psrpcore's self-closed empty string too.
    let nil = WARNING.replace(
        "<S N=\"InformationalRecord_Message\">w</S>",
        "<Nil N=\"InformationalRecord_Message\" />",
    );
    assert_eq!(decode(&nil).unwrap().message, "");
    let empty = WARNING.replace(
        "<S N=\"InformationalRecord_Message\">w</S>",
        "<S N=\"InformationalRecord_Message\" />",
    );
    assert_eq!(decode(&empty).unwrap().message, "");
    assert_eq!(
        decode(&WARNING.replace(
            "<B N=\"InformationalRecord_SerializeInvocationInfo\">false</B>",
            ""
        ))
        .unwrap_err(),
        DecodeError::MissingProperty("InformationalRecord_SerializeInvocationInfo")
    );
    assert_eq!(
        decode(&WARNING.replace("<S N=\"InformationalRecord_Message\">w</S>", "")).unwrap_err(),
        DecodeError::MissingProperty("InformationalRecord_Message")
    );
    assert_eq!(
        decode(&WARNING.replace(
            "<B N=\"InformationalRecord_SerializeInvocationInfo\">false</B>",
            "<Nil N=\"InformationalRecord_SerializeInvocationInfo\" />"
        ))
        .unwrap_err(),
        DecodeError::WrongPropertyType {
            property: "InformationalRecord_SerializeInvocationInfo",
            found: "Nil".into()
        }
    );
    assert_eq!(
        decode(&WARNING.replace(
            "<S N=\"InformationalRecord_Message\">w</S>",
            "<I32 N=\"InformationalRecord_Message\">1</I32>"
        ))
        .unwrap_err(),
        DecodeError::WrongPropertyType {
            property: "InformationalRecord_Message",
            found: "I32".into()
        }
    );
}
