//! Warning, verbose, debug and error records: what a PowerShell client reads
//! of them (`InformationalRecord(PSObject)`,
//! `ErrorRecord.ConstructFromPSObjectForRemoting`); every other member, such
//! as `InvocationInfo_*` and nested objects, is skipped.

use super::DecodeError;
use super::object::{Value, properties, wrong};
use super::xml::{self, Element};
use crate::psrp::message::UTF8_BOM;
use crate::psrp::streams::{ErrorCategory, InformationalKind, InformationalRecord};
use crate::psrp::text::PsString;

/// Parses a message's CLIXML (with or without a leading BOM) whose root must be `<Obj>`.
pub(crate) fn root_object(xml: &[u8]) -> Result<Element, DecodeError> {
    let xml = xml.strip_prefix(&UTF8_BOM).unwrap_or(xml);
    let xml = std::str::from_utf8(xml).map_err(|_| DecodeError::InvalidUtf8)?;
    let root = xml::parse(xml)?;
    if root.name != "Obj" {
        return Err(DecodeError::UnexpectedElement(root.name));
    }
    Ok(root)
}

const MESSAGE: &str = "InformationalRecord_Message";
const SERIALIZE_INVOCATION_INFO: &str = "InformationalRecord_SerializeInvocationInfo";

/// Decodes the CLIXML of a warning, verbose or debug record. Both properties a
/// PowerShell client reads must be there: the message (a string, or `<Nil>`,
/// decoded as the empty string) and `<B>` `…_SerializeInvocationInfo`.
pub fn decode_informational_clixml(
    kind: InformationalKind,
    xml: &[u8],
) -> Result<InformationalRecord<PsString>, DecodeError> {
    let root = root_object(xml)?;
    let mut props = properties(&root, &[MESSAGE, SERIALIZE_INVOCATION_INFO])?;
    let message = props.take_str_or_nil(MESSAGE)?.unwrap_or_default();
    match props.take(SERIALIZE_INVOCATION_INFO)? {
        Value::Bool => {}
        v => return Err(wrong(SERIALIZE_INVOCATION_INFO, &v)),
    }
    Ok(InformationalRecord { kind, message })
}

/// An error record as a PowerShell client reads it. `None` stands for a
/// `<Nil>` (or, for the exception's fields, an absent value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedErrorRecord {
    /// The exception's .NET type (the first of its type names), e.g.
    /// `Microsoft.PowerShell.Commands.WriteErrorException`.
    pub exception_type: Option<PsString>,
    /// The exception's `Message` property.
    pub exception_message: Option<PsString>,
    /// `TargetObject`, when it is a string.
    pub target_object: Option<PsString>,
    /// `FullyQualifiedErrorId`.
    pub fully_qualified_error_id: Option<PsString>,
    /// `ErrorCategory_Category` (sent as a number, or as the category's name).
    pub category: ErrorCategory,
    /// `ErrorCategory_Activity`.
    pub activity: Option<PsString>,
    /// `ErrorCategory_Reason`.
    pub reason: Option<PsString>,
    /// `ErrorCategory_TargetName`.
    pub target_name: Option<PsString>,
    /// `ErrorCategory_TargetType`.
    pub target_type: Option<PsString>,
    /// `ErrorCategory_Message`: the server's rendering of the category line.
    pub category_message: Option<PsString>,
    /// `ErrorDetails_Message`, when the record has error details.
    pub error_details_message: Option<PsString>,
}

impl DecodedErrorRecord {
    /// The text a PowerShell client shows for the error: the exception's
    /// Message if not blank, else `ErrorCategory_Message` (the client's
    /// `RemoteException`).
    pub fn message(&self) -> PsString {
        let blank = |s: &PsString| {
            char::decode_utf16(s.units().iter().copied()).all(|c| c.is_ok_and(char::is_whitespace))
        };
        match &self.exception_message {
            Some(m) if !blank(m) => m.clone(),
            _ => self.category_message.clone().unwrap_or_default(),
        }
    }
}

const EXCEPTION: &str = "Exception";
const TARGET_OBJECT: &str = "TargetObject";
const FQEID: &str = "FullyQualifiedErrorId";
const CATEGORY: &str = "ErrorCategory_Category";
const ACTIVITY: &str = "ErrorCategory_Activity";
const REASON: &str = "ErrorCategory_Reason";
const TARGET_NAME: &str = "ErrorCategory_TargetName";
const TARGET_TYPE: &str = "ErrorCategory_TargetType";
const CATEGORY_MESSAGE: &str = "ErrorCategory_Message";
const SERIALIZE_EXTENDED_INFO: &str = "SerializeExtendedInfo";
const DETAILS_MESSAGE: &str = "ErrorDetails_Message";

/// The first type name of `obj`: its `<TN>`'s first `<T>`, or the list a
/// `<TNRef>` points to.
fn first_type_name(obj: &Element, root: &Element) -> Result<Option<PsString>, DecodeError> {
    if let Some(tn) = obj.child("TN") {
        return tn.child("T").map(Element::string).transpose();
    }
    let Some(id) = obj.child("TNRef").and_then(|r| r.attr("RefId")) else {
        return Ok(None);
    };
    Ok(xml::type_names(root)
        .into_iter()
        .find(|(ref_id, _)| ref_id == id)
        .map(|(_, name)| crate::psrp::text::decode_escapes(&name)))
}

fn category(v: Value<'_>) -> Result<ErrorCategory, DecodeError> {
    match v {
        Value::I32(n) => Ok(ErrorCategory(n)),
        Value::Str(s) => {
            let name = s.to_string_lossy();
            (0..)
                .map(ErrorCategory)
                .take_while(|c| c.name().is_some())
                .find(|c| c.name() == Some(name.trim()))
                .ok_or(DecodeError::InvalidErrorCategory(name))
        }
        v => Err(wrong(CATEGORY, &v)),
    }
}

/// Decodes the CLIXML of an error record. The members a PowerShell client
/// requires must be there (§5.4 of the streams spec), each possibly `<Nil>`;
/// `InvocationInfo`, `ErrorDetails_*` and anything else are optional.
pub fn decode_error_clixml(xml: &[u8]) -> Result<DecodedErrorRecord, DecodeError> {
    let root = root_object(xml)?;
    error_from(&root, &root)
}

/// Decodes an error record's object `obj` (an ERROR_RECORD message's root, or
/// a state message's `ExceptionAsErrorRecord`) in document `root`.
pub(crate) fn error_from(obj: &Element, root: &Element) -> Result<DecodedErrorRecord, DecodeError> {
    let mut props = properties(
        obj,
        &[
            EXCEPTION,
            TARGET_OBJECT,
            FQEID,
            CATEGORY,
            ACTIVITY,
            REASON,
            TARGET_NAME,
            TARGET_TYPE,
            CATEGORY_MESSAGE,
            SERIALIZE_EXTENDED_INFO,
            DETAILS_MESSAGE,
        ],
    )?;
    let (exception_type, exception_message) = match props.take(EXCEPTION)? {
        Value::Nil => (None, None),
        Value::Obj(e) => {
            let message = match properties(e, &["Message"])?.take_opt("Message") {
                Some(Value::Str(s)) => Some(s),
                _ => None,
            };
            (first_type_name(e, root)?, message)
        }
        v => return Err(wrong(EXCEPTION, &v)),
    };
    let target_object = match props.take(TARGET_OBJECT)? {
        Value::Str(s) => Some(s),
        _ => None,
    };
    let fully_qualified_error_id = props.take_str_or_nil(FQEID)?;
    let category = category(props.take(CATEGORY)?)?;
    let activity = props.take_str_or_nil(ACTIVITY)?;
    let reason = props.take_str_or_nil(REASON)?;
    let target_name = props.take_str_or_nil(TARGET_NAME)?;
    let target_type = props.take_str_or_nil(TARGET_TYPE)?;
    let category_message = props.take_str_or_nil(CATEGORY_MESSAGE)?;
    match props.take(SERIALIZE_EXTENDED_INFO)? {
        Value::Bool | Value::Nil => {}
        v => return Err(wrong(SERIALIZE_EXTENDED_INFO, &v)),
    }
    let error_details_message = match props.take_opt(DETAILS_MESSAGE) {
        None | Some(Value::Nil) => None,
        Some(Value::Str(s)) => Some(s),
        Some(v) => return Err(wrong(DETAILS_MESSAGE, &v)),
    };
    Ok(DecodedErrorRecord {
        exception_type,
        exception_message,
        target_object,
        fully_qualified_error_id,
        category,
        activity,
        reason,
        target_name,
        target_type,
        category_message,
        error_details_message,
    })
}
