//! The CLIXML of the warning, verbose, debug and error records
//! (`psrp-streams-wire.md` sections 3.1 and 5.5): the same text encoder and
//! integer writer as the progress record, constant bytes in between.

use super::{FieldError, TextField, write_i32, write_text};
use crate::psrp::streams::{
    CIM_EXCEPTION, CIM_EXCEPTION_REASON, ErrorCategory, ErrorRecord, InformationalRecord,
};
use crate::psrp::text::PsText;

const INFO_OPEN: &[u8] = b"<Obj RefId=\"0\"><TN RefId=\"0\"><T>";
const INFO_TYPE_NAMES: &[u8] = b"</T><T>System.Management.Automation.InformationalRecord</T>\
<T>System.Object</T></TN>";
const TO_STRING_OPEN: &[u8] = b"<ToString>";
const TO_STRING_CLOSE: &[u8] = b"</ToString>";
/// What .NET's `XmlWriter.WriteElementString` writes for an empty string.
const TO_STRING_EMPTY: &[u8] = b"<ToString />";
const INFO_MESSAGE: &[u8] = b"<MS><S N=\"InformationalRecord_Message\">";
const INFO_CLOSE: &[u8] =
    b"</S><B N=\"InformationalRecord_SerializeInvocationInfo\">false</B></MS></Obj>";

/// Appends the CLIXML of a warning, verbose or debug record to `out`. On error
/// `out` may hold part of the record.
pub fn write_informational_clixml<S: PsText>(
    record: &InformationalRecord<S>,
    out: &mut Vec<u8>,
) -> Result<(), FieldError> {
    out.extend_from_slice(INFO_OPEN);
    out.extend_from_slice(record.kind.type_name().as_bytes());
    out.extend_from_slice(INFO_TYPE_NAMES);
    if record.message.is_empty() {
        out.extend_from_slice(TO_STRING_EMPTY);
        out.extend_from_slice(INFO_MESSAGE);
    } else {
        // The message twice: encoded once, then copied.
        out.extend_from_slice(TO_STRING_OPEN);
        let start = out.len();
        write_text(out, &record.message, TextField::Message)?;
        let end = out.len();
        out.extend_from_slice(TO_STRING_CLOSE);
        out.extend_from_slice(INFO_MESSAGE);
        out.extend_from_within(start..end);
    }
    out.extend_from_slice(INFO_CLOSE);
    Ok(())
}

/// The exact size of [`write_informational_clixml`]'s output for a record of
/// `kind` whose message encodes to `message_len` bytes.
pub fn informational_clixml_len(
    kind: crate::psrp::streams::InformationalKind,
    message_len: usize,
) -> usize {
    let fixed = INFO_OPEN.len()
        + kind.type_name().len()
        + INFO_TYPE_NAMES.len()
        + INFO_MESSAGE.len()
        + INFO_CLOSE.len();
    if message_len == 0 {
        fixed + TO_STRING_EMPTY.len()
    } else {
        fixed + TO_STRING_OPEN.len() + TO_STRING_CLOSE.len() + 2 * message_len
    }
}

const ERR_OPEN: &[u8] = b"<Obj RefId=\"0\"><TN RefId=\"0\">\
<T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN>";
const ERR_EXCEPTION: &[u8] = b"<MS><B N=\"writeErrorStream\">true</B>\
<Obj N=\"Exception\" RefId=\"1\"><TN RefId=\"1\">\
<T>Microsoft.Management.Infrastructure.CimException</T><T>System.Exception</T>\
<T>System.Object</T></TN><ToString>Microsoft.Management.Infrastructure.CimException";
const ERR_MESSAGE: &[u8] = b"</ToString><Props><S N=\"Message\">";
const ERR_TO_ID: &[u8] = b"</S><Obj N=\"Data\" RefId=\"2\"><TN RefId=\"2\">\
<T>System.Collections.ListDictionaryInternal</T><T>System.Object</T></TN><DCT /></Obj>\
<Nil N=\"InnerException\" /><Nil N=\"TargetSite\" /><Nil N=\"StackTrace\" />\
<Nil N=\"HelpLink\" /><Nil N=\"Source\" /><I32 N=\"HResult\">-2146233088</I32></Props></Obj>\
<Nil N=\"TargetObject\" /><S N=\"FullyQualifiedErrorId\">";
const ERR_TO_CATEGORY: &[u8] =
    b"</S><Nil N=\"InvocationInfo\" /><I32 N=\"ErrorCategory_Category\">";
const ERR_TO_CATEGORY_MESSAGE: &[u8] = b"</I32><S N=\"ErrorCategory_Activity\"></S>\
<S N=\"ErrorCategory_Reason\">CimException</S><S N=\"ErrorCategory_TargetName\"></S>\
<S N=\"ErrorCategory_TargetType\"></S><S N=\"ErrorCategory_Message\">";
/// [`ERR_TO_CATEGORY_MESSAGE`] cut around the target name.
const ERR_TO_TARGET: &[u8] = b"</I32><S N=\"ErrorCategory_Activity\"></S>\
<S N=\"ErrorCategory_Reason\">CimException</S><S N=\"ErrorCategory_TargetName\">";
const TARGET_TO_CATEGORY_MESSAGE: &[u8] =
    b"</S><S N=\"ErrorCategory_TargetType\"></S><S N=\"ErrorCategory_Message\">";
/// `ErrorCategory_Message` after the category: `({TargetName}:{TargetType})
/// [{Activity}], {Reason}` with the first three empty.
const CATEGORY_MESSAGE_REST: &[u8] = b": (:) [], CimException";
const ERR_CLOSE: &[u8] =
    b"</S><B N=\"SerializeExtendedInfo\">false</B><Nil N=\"PSMessageDetails\" /></MS></Obj>";

/// Appends the CLIXML of an error record to `out`. On error `out` may hold
/// part of the record.
///
/// The record's `ToString` is the message, or — for an empty message — the
/// exception's `ToString()`, which is then its type name alone.
pub fn write_error_clixml<S: PsText, F: PsText>(
    record: &ErrorRecord<S, F>,
    out: &mut Vec<u8>,
) -> Result<(), FieldError> {
    write_error_clixml_with_target(record, &[], out)
}

/// [`write_error_clixml`] with `ErrorCategory_TargetName` = `target`
/// (UTF-16; a CIM_Error's `ErrorSource`), which the category message then
/// shows as `({target}:)`, cut as PowerShell's `ErrorCategoryInfo.Ellipsize`
/// cuts it: more than 40 units become the first 15, `…`, the last 15. An
/// empty target writes exactly what [`write_error_clixml`] writes.
pub fn write_error_clixml_with_target<S: PsText, F: PsText>(
    record: &ErrorRecord<S, F>,
    target: &[u16],
    out: &mut Vec<u8>,
) -> Result<(), FieldError> {
    debug_assert_eq!(CIM_EXCEPTION_REASON, "CimException");
    out.extend_from_slice(ERR_OPEN);
    out.extend_from_slice(TO_STRING_OPEN);
    let message = if record.message.is_empty() {
        out.extend_from_slice(CIM_EXCEPTION.as_bytes());
        None
    } else {
        let start = out.len();
        write_text(out, &record.message, TextField::Message)?;
        Some(start..out.len())
    };
    out.extend_from_slice(TO_STRING_CLOSE);
    out.extend_from_slice(ERR_EXCEPTION);
    if let Some(m) = &message {
        out.extend_from_slice(b": ");
        out.extend_from_within(m.clone());
    }
    out.extend_from_slice(ERR_MESSAGE);
    if let Some(m) = message {
        out.extend_from_within(m);
    }
    out.extend_from_slice(ERR_TO_ID);
    write_text(
        out,
        &record.fully_qualified_error_id,
        TextField::FullyQualifiedErrorId,
    )?;
    out.extend_from_slice(ERR_TO_CATEGORY);
    write_i32(out, record.category.0);
    if target.is_empty() {
        out.extend_from_slice(ERR_TO_CATEGORY_MESSAGE);
        write_category_prefix(out, record.category);
        out.extend_from_slice(CATEGORY_MESSAGE_REST);
    } else {
        let field = |error| FieldError {
            field: TextField::Message,
            error,
        };
        out.extend_from_slice(ERR_TO_TARGET);
        target.encode_into(out).map_err(field)?;
        out.extend_from_slice(TARGET_TO_CATEGORY_MESSAGE);
        write_category_prefix(out, record.category);
        out.extend_from_slice(b": (");
        if target.len() <= 40 {
            target.encode_into(out).map_err(field)?;
        } else {
            target[..15].encode_into(out).map_err(field)?;
            out.extend_from_slice("\u{2026}".as_bytes());
            target[target.len() - 15..]
                .encode_into(out)
                .map_err(field)?;
        }
        out.extend_from_slice(&CATEGORY_MESSAGE_REST[3..]);
    }
    out.extend_from_slice(ERR_CLOSE);
    Ok(())
}

/// The start of `ErrorCategoryInfo.GetMessage()`, up to its colon
/// (PowerShell's en-US `ErrorCategoryStrings`): the category's name, but
/// `Deadlock detected` for DeadlockDetected and `Unrecognized error category
/// {n}` for a number the enumeration does not define.
fn write_category_prefix(out: &mut Vec<u8>, category: ErrorCategory) {
    match category.name() {
        Some("DeadlockDetected") => out.extend_from_slice(b"Deadlock detected"),
        Some(name) => out.extend_from_slice(name.as_bytes()),
        None => {
            out.extend_from_slice(b"Unrecognized error category ");
            write_i32(out, category.0);
        }
    }
}

/// The exact size of [`write_error_clixml`]'s output for a record whose
/// message encodes to `message_len` bytes and whose id to `id_len`.
pub fn error_clixml_len(category: ErrorCategory, message_len: usize, id_len: usize) -> usize {
    let prefix = match category.name() {
        Some("DeadlockDetected") => "Deadlock detected".len(),
        Some(name) => name.len(),
        None => "Unrecognized error category ".len() + i32_len(category.0),
    };
    let messages = if message_len == 0 {
        CIM_EXCEPTION.len()
    } else {
        3 * message_len + 2
    };
    ERR_OPEN.len()
        + TO_STRING_OPEN.len()
        + TO_STRING_CLOSE.len()
        + ERR_EXCEPTION.len()
        + ERR_MESSAGE.len()
        + ERR_TO_ID.len()
        + ERR_TO_CATEGORY.len()
        + ERR_TO_CATEGORY_MESSAGE.len()
        + CATEGORY_MESSAGE_REST.len()
        + ERR_CLOSE.len()
        + messages
        + id_len
        + i32_len(category.0)
        + prefix
}

/// How many bytes [`write_i32`] writes for `v`.
fn i32_len(v: i32) -> usize {
    let digits = v
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1);
    digits + usize::from(v < 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psrp::streams::InformationalKind;

    fn info(kind: InformationalKind, message: &str) -> String {
        let mut out = Vec::new();
        write_informational_clixml(&InformationalRecord { kind, message }, &mut out).unwrap();
        let mut m = Vec::new();
        message.encode_into(&mut m).unwrap();
        assert_eq!(informational_clixml_len(kind, m.len()), out.len());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn warning_as_powershell_writes_it() {
        assert_eq!(
            info(InformationalKind::Warning, "warning stream"),
            "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.WarningRecord</T>\
<T>System.Management.Automation.InformationalRecord</T><T>System.Object</T></TN>\
<ToString>warning stream</ToString><MS><S N=\"InformationalRecord_Message\">warning stream</S>\
<B N=\"InformationalRecord_SerializeInvocationInfo\">false</B></MS></Obj>"
        );
    }

    #[test]
    fn empty_message_has_an_empty_to_string_element() {
        let xml = info(InformationalKind::Debug, "");
        assert!(xml.contains("</TN><ToString /><MS>"), "{xml}");
        assert!(
            xml.contains("<S N=\"InformationalRecord_Message\"></S>"),
            "{xml}"
        );
        // The spec's sizes: 285 bytes of data (BOM included) for an empty debug record.
        assert_eq!(xml.len() + 3, 285);
        assert_eq!(info(InformationalKind::Warning, "").len() + 3, 287);
    }

    #[test]
    fn informational_size_rule_of_the_spec() {
        // data = 3 + 293 + 2·|M| (Warning/Verbose), 3 + 291 + 2·|M| (Debug).
        for (kind, base) in [
            (InformationalKind::Warning, 293),
            (InformationalKind::Verbose, 293),
            (InformationalKind::Debug, 291),
        ] {
            assert_eq!(info(kind, "a<b").len(), base + 2 * "a&lt;b".len());
        }
    }

    fn error(message: &str, id: &str, category: i32) -> String {
        let record = ErrorRecord {
            message,
            fully_qualified_error_id: id,
            category: ErrorCategory(category),
        };
        let mut out = Vec::new();
        write_error_clixml(&record, &mut out).unwrap();
        let (mut m, mut f) = (Vec::new(), Vec::new());
        message.encode_into(&mut m).unwrap();
        id.encode_into(&mut f).unwrap();
        assert_eq!(
            error_clixml_len(ErrorCategory(category), m.len(), f.len()),
            out.len()
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn error_record_is_the_template_of_the_spec() {
        // psrp-streams-wire.md section 5.5, verbatim.
        assert_eq!(
            error("Access is denied.", "Windows System Error 5", 18),
            "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><ToString>Access is denied.</ToString><MS><B N=\"writeErrorStream\">true</B><Obj N=\"Exception\" RefId=\"1\"><TN RefId=\"1\"><T>Microsoft.Management.Infrastructure.CimException</T><T>System.Exception</T><T>System.Object</T></TN><ToString>Microsoft.Management.Infrastructure.CimException: Access is denied.</ToString><Props><S N=\"Message\">Access is denied.</S><Obj N=\"Data\" RefId=\"2\"><TN RefId=\"2\"><T>System.Collections.ListDictionaryInternal</T><T>System.Object</T></TN><DCT /></Obj><Nil N=\"InnerException\" /><Nil N=\"TargetSite\" /><Nil N=\"StackTrace\" /><Nil N=\"HelpLink\" /><Nil N=\"Source\" /><I32 N=\"HResult\">-2146233088</I32></Props></Obj><Nil N=\"TargetObject\" /><S N=\"FullyQualifiedErrorId\">Windows System Error 5</S><Nil N=\"InvocationInfo\" /><I32 N=\"ErrorCategory_Category\">18</I32><S N=\"ErrorCategory_Activity\"></S><S N=\"ErrorCategory_Reason\">CimException</S><S N=\"ErrorCategory_TargetName\"></S><S N=\"ErrorCategory_TargetType\"></S><S N=\"ErrorCategory_Message\">PermissionDenied: (:) [], CimException</S><B N=\"SerializeExtendedInfo\">false</B><Nil N=\"PSMessageDetails\" /></MS></Obj>"
        );
    }

    #[test]
    fn empty_error_message_and_special_categories() {
        let xml = error("", "MiClientApiError_Failed", 0);
        assert!(
            xml.contains(
                "<ToString>Microsoft.Management.Infrastructure.CimException</ToString><MS>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<TN RefId=\"1\"><T>Microsoft.Management.Infrastructure.CimException</T><T>System.Exception</T><T>System.Object</T></TN><ToString>Microsoft.Management.Infrastructure.CimException</ToString>"), "{xml}");
        assert!(xml.contains("<S N=\"Message\"></S>"), "{xml}");
        assert!(
            xml.contains(">NotSpecified: (:) [], CimException<"),
            "{xml}"
        );
        let xml = error("x", "id", 4);
        assert!(
            xml.contains(">Deadlock detected: (:) [], CimException<"),
            "{xml}"
        );
        for n in [i32::MIN, -1, 10, 32, 99, 100, i32::MAX] {
            error("x", "id", n); // the length rule holds for every number
        }
        let xml = error("x", "id", 99);
        assert!(
            xml.contains(">Unrecognized error category 99: (:) [], CimException<"),
            "{xml}"
        );
        let xml = error("a&b\n", "id", -3);
        assert!(
            xml.contains("CimException: a&amp;b_x000A_</ToString>"),
            "{xml}"
        );
    }
}
