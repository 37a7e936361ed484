//! How an MI error (`resultCode`, `resultType`) becomes the
//! `FullyQualifiedErrorId` and `ErrorCategory` of a PowerShell error record,
//! as PowerShell's CIM cmdlets and OMI name them (`psrp-streams-wire.md`,
//! section 6).
//!
//! | `resultType` | FullyQualifiedErrorId | category |
//! |---|---|---|
//! | `"MI"` or NULL | `MiClientApiError_<NativeErrorCode name>` (the number if unnamed) | the CIM cmdlets' table of the MI result |
//! | `"HRESULT"` | `HRESULT 0x%08x` | a Win32-facility HRESULT as its Win32 code, `E_NOTIMPL` as NotSupported, through the table; else NotSpecified |
//! | `"WIN32"` | `Windows System Error %u` | the Win32 codes below as MI results, through the table; else NotSpecified |
//! | `"ERRNO"` | `CRT errno %u` | OMI's rule: EINVAL → InvalidParameter, EACCES → AccessDenied, ENOMEM → ServerLimitsExceeded, else Failed, through the table |
//! | anything else | `<resultType> <resultCode>` | NotSpecified |
//!
//! Result types compare ignoring ASCII case, as OMI compares them. Win32 codes
//! read as MI results (our choice, as no capture shows Windows' own): 5 →
//! AccessDenied; 2, 3, 1168 → NotFound; 87 → InvalidParameter; 50, 120 →
//! NotSupported; 80, 183 → AlreadyExists; 8, 14 → ServerLimitsExceeded.

use super::text::ProviderText;
use crate::mi::MI_Result;
use crate::psrp::clixml::write_i32;
use crate::psrp::streams::ErrorCategory;
use crate::psrp::text::{InvalidCodePoint, PsText, SourceText};

/// The names of `Microsoft.Management.Infrastructure.NativeErrorCode`, by
/// value (MI_RESULT_* 0–28; 18 and 19 are not defined).
const NATIVE_ERROR_CODES: [Option<&str>; 29] = [
    Some("Ok"),
    Some("Failed"),
    Some("AccessDenied"),
    Some("InvalidNamespace"),
    Some("InvalidParameter"),
    Some("InvalidClass"),
    Some("NotFound"),
    Some("NotSupported"),
    Some("ClassHasChildren"),
    Some("ClassHasInstances"),
    Some("InvalidSuperClass"),
    Some("AlreadyExists"),
    Some("NoSuchProperty"),
    Some("TypeMismatch"),
    Some("QueryLanguageNotSupported"),
    Some("InvalidQuery"),
    Some("MethodNotAvailable"),
    Some("MethodNotFound"),
    None,
    None,
    Some("NamespaceNotEmpty"),
    Some("InvalidEnumerationContext"),
    Some("InvalidOperationTimeout"),
    Some("PullHasBeenAbandoned"),
    Some("PullCannotBeAbandoned"),
    Some("FilteredEnumerationNotSupported"),
    Some("ContinuationOnErrorNotSupported"),
    Some("ServerLimitsExceeded"),
    Some("ServerIsShuttingDown"),
];

/// The name of an MI result in PowerShell's `NativeErrorCode` enumeration.
pub fn native_error_code_name(result: MI_Result) -> Option<&'static str> {
    NATIVE_ERROR_CODES.get(result as usize).copied().flatten()
}

/// The C names of the MI results (`MI_RESULT_OK` …), by value; 18 and 19
/// are not defined.
const MI_RESULT_NAMES: [Option<&str>; 29] = [
    Some("MI_RESULT_OK"),
    Some("MI_RESULT_FAILED"),
    Some("MI_RESULT_ACCESS_DENIED"),
    Some("MI_RESULT_INVALID_NAMESPACE"),
    Some("MI_RESULT_INVALID_PARAMETER"),
    Some("MI_RESULT_INVALID_CLASS"),
    Some("MI_RESULT_NOT_FOUND"),
    Some("MI_RESULT_NOT_SUPPORTED"),
    Some("MI_RESULT_CLASS_HAS_CHILDREN"),
    Some("MI_RESULT_CLASS_HAS_INSTANCES"),
    Some("MI_RESULT_INVALID_SUPERCLASS"),
    Some("MI_RESULT_ALREADY_EXISTS"),
    Some("MI_RESULT_NO_SUCH_PROPERTY"),
    Some("MI_RESULT_TYPE_MISMATCH"),
    Some("MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED"),
    Some("MI_RESULT_INVALID_QUERY"),
    Some("MI_RESULT_METHOD_NOT_AVAILABLE"),
    Some("MI_RESULT_METHOD_NOT_FOUND"),
    None,
    None,
    Some("MI_RESULT_NAMESPACE_NOT_EMPTY"),
    Some("MI_RESULT_INVALID_ENUMERATION_CONTEXT"),
    Some("MI_RESULT_INVALID_OPERATION_TIMEOUT"),
    Some("MI_RESULT_PULL_HAS_BEEN_ABANDONED"),
    Some("MI_RESULT_PULL_CANNOT_BE_ABANDONED"),
    Some("MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED"),
    Some("MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED"),
    Some("MI_RESULT_SERVER_LIMITS_EXCEEDED"),
    Some("MI_RESULT_SERVER_IS_SHUTTING_DOWN"),
];

/// The C name of an MI result (`MI_RESULT_ACCESS_DENIED`), if it has one.
pub fn mi_result_name(result: MI_Result) -> Option<&'static str> {
    MI_RESULT_NAMES.get(result as usize).copied().flatten()
}

/// The CIM cmdlets' category for an MI result (`ErrorToErrorRecord`).
pub fn category_of_mi_result(result: MI_Result) -> ErrorCategory {
    match result {
        2 => ErrorCategory::PERMISSION_DENIED,
        3 | 5 | 8 | 9 | 10 | 12 | 16 | 17 | 20 | 21 => ErrorCategory::METADATA_ERROR,
        4 | 15 | 22 => ErrorCategory::INVALID_ARGUMENT,
        6 => ErrorCategory::OBJECT_NOT_FOUND,
        7 | 14 | 25 | 26 => ErrorCategory::NOT_IMPLEMENTED,
        11 => ErrorCategory::RESOURCE_EXISTS,
        13 => ErrorCategory::INVALID_TYPE,
        23 => ErrorCategory::OPERATION_STOPPED,
        24 => ErrorCategory::CLOSE_ERROR,
        27 => ErrorCategory::RESOURCE_BUSY,
        28 => ErrorCategory::RESOURCE_UNAVAILABLE,
        _ => ErrorCategory::NOT_SPECIFIED,
    }
}

/// A Win32 error code as the MI result of the same meaning, if it has one.
fn win32_as_mi_result(code: u32) -> Option<MI_Result> {
    Some(match code {
        5 => 2,
        2 | 3 | 1168 => 6,
        87 => 4,
        50 | 120 => 7,
        80 | 183 => 11,
        8 | 14 => 27,
        _ => return None,
    })
}

/// OMI's `errno` → MI result (`omierror.c`).
fn errno_as_mi_result(code: u32) -> MI_Result {
    match i32::try_from(code) {
        Ok(libc::EINVAL) => 4,
        Ok(libc::EACCES) => 2,
        Ok(libc::ENOMEM) => 27,
        _ => 1,
    }
}

/// Which family a `resultType` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family<'a> {
    Mi,
    Hresult,
    Win32,
    Errno,
    Other(ProviderText<'a>),
}

/// The `FullyQualifiedErrorId` of an MI error, written without allocating,
/// and its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorId<'a> {
    family: Family<'a>,
    code: u32,
}

impl<'a> ErrorId<'a> {
    /// The id of the error `code` of type `result_type` (`None`: `"MI"`).
    pub fn new(code: u32, result_type: Option<ProviderText<'a>>) -> Self {
        let family = match result_type {
            None => Family::Mi,
            Some(t) if t.eq_ignore_ascii_case("MI") => Family::Mi,
            Some(t) if t.eq_ignore_ascii_case("HRESULT") => Family::Hresult,
            Some(t) if t.eq_ignore_ascii_case("WIN32") => Family::Win32,
            Some(t) if t.eq_ignore_ascii_case("ERRNO") => Family::Errno,
            Some(t) => Family::Other(t),
        };
        ErrorId { family, code }
    }

    /// The record's category.
    pub fn category(&self) -> ErrorCategory {
        let mi = match self.family {
            Family::Mi => Some(self.code),
            Family::Win32 => win32_as_mi_result(self.code),
            Family::Hresult => match self.code {
                0x8000_4001 => Some(7), // E_NOTIMPL
                c if c & 0xFFFF_0000 == 0x8007_0000 => win32_as_mi_result(c & 0xFFFF),
                _ => None,
            },
            Family::Errno => Some(errno_as_mi_result(self.code)),
            Family::Other(_) => None,
        };
        mi.map_or(ErrorCategory::NOT_SPECIFIED, category_of_mi_result)
    }
}

impl ErrorId<'_> {
    /// An upper bound of the id's encoded length.
    pub fn max_encoded_len(&self) -> usize {
        const LONGEST_FIXED: usize = 42; // MiClientApiError_ContinuationOnErrorNotSupported
        match self.family {
            Family::Other(t) => t.max_encoded_len() + 11,
            _ => LONGEST_FIXED + 10,
        }
    }

    /// The id's exact encoded length.
    pub fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        let digits = self.code.checked_ilog10().map_or(1, |d| d as usize + 1);
        Ok(match self.family {
            Family::Mi => {
                "MiClientApiError_".len()
                    + native_error_code_name(self.code).map_or(digits, str::len)
            }
            Family::Hresult => "HRESULT 0x".len() + 8,
            Family::Win32 => "Windows System Error ".len() + digits,
            Family::Errno => "CRT errno ".len() + digits,
            Family::Other(t) => t.encoded_len()? + 1 + digits,
        })
    }
}

fn write_u32(out: &mut Vec<u8>, v: u32) {
    match i32::try_from(v) {
        Ok(v) => write_i32(out, v),
        Err(_) => {
            // Above i32::MAX: ten digits.
            write_i32(out, (v / 10) as i32);
            out.push(b'0' + (v % 10) as u8);
        }
    }
}

impl PsText for ErrorId<'_> {
    fn is_empty(&self) -> bool {
        false
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        match self.family {
            Family::Mi => {
                out.extend_from_slice(b"MiClientApiError_");
                match native_error_code_name(self.code) {
                    Some(name) => out.extend_from_slice(name.as_bytes()),
                    None => write_u32(out, self.code),
                }
            }
            Family::Hresult => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"HRESULT 0x");
                out.extend(
                    (0..8)
                        .rev()
                        .map(|i| HEX[(self.code >> (4 * i)) as usize & 15]),
                );
            }
            Family::Win32 => {
                out.extend_from_slice(b"Windows System Error ");
                write_u32(out, self.code);
            }
            Family::Errno => {
                out.extend_from_slice(b"CRT errno ");
                write_u32(out, self.code);
            }
            Family::Other(t) => {
                t.encode_into(out)?;
                out.push(b' ');
                write_u32(out, self.code);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(code: u32, t: Option<&str>) -> (String, i32) {
        let e = ErrorId::new(code, t.map(|t| ProviderText::utf8(t.as_bytes())));
        let mut out = Vec::new();
        e.encode_into(&mut out).unwrap();
        assert_eq!(e.encoded_len(), Ok(out.len()));
        assert!(e.max_encoded_len() >= out.len());
        (String::from_utf8(out).unwrap(), e.category().0)
    }

    #[test]
    fn mi_results() {
        assert_eq!(id(2, None), ("MiClientApiError_AccessDenied".into(), 18));
        assert_eq!(
            id(2, Some("mi")),
            ("MiClientApiError_AccessDenied".into(), 18)
        );
        assert_eq!(id(6, Some("MI")), ("MiClientApiError_NotFound".into(), 13));
        assert_eq!(id(5, None), ("MiClientApiError_InvalidClass".into(), 10));
        assert_eq!(id(1, None), ("MiClientApiError_Failed".into(), 0));
        assert_eq!(id(0, None), ("MiClientApiError_Ok".into(), 0));
        assert_eq!(
            id(27, None),
            ("MiClientApiError_ServerLimitsExceeded".into(), 19)
        );
        assert_eq!(id(18, None), ("MiClientApiError_18".into(), 0));
        assert_eq!(
            id(4_000_000_000, None),
            ("MiClientApiError_4000000000".into(), 0)
        );
    }

    #[test]
    fn every_named_result_has_the_tables_category() {
        // psrp-streams-wire.md section 6, name by name.
        let expected = [
            ("Failed", 0),
            ("AccessDenied", 18),
            ("InvalidNamespace", 10),
            ("InvalidParameter", 5),
            ("InvalidClass", 10),
            ("NotFound", 13),
            ("NotSupported", 11),
            ("ClassHasChildren", 10),
            ("ClassHasInstances", 10),
            ("InvalidSuperClass", 10),
            ("AlreadyExists", 20),
            ("NoSuchProperty", 10),
            ("TypeMismatch", 9),
            ("QueryLanguageNotSupported", 11),
            ("InvalidQuery", 5),
            ("MethodNotAvailable", 10),
            ("MethodNotFound", 10),
            ("NamespaceNotEmpty", 10),
            ("InvalidEnumerationContext", 10),
            ("InvalidOperationTimeout", 5),
            ("PullHasBeenAbandoned", 14),
            ("PullCannotBeAbandoned", 2),
            ("FilteredEnumerationNotSupported", 11),
            ("ContinuationOnErrorNotSupported", 11),
            ("ServerLimitsExceeded", 19),
            ("ServerIsShuttingDown", 21),
        ];
        for (name, category) in expected {
            let code = (0..29)
                .find(|&c| native_error_code_name(c) == Some(name))
                .unwrap();
            assert_eq!(category_of_mi_result(code).0, category, "{name}");
        }
    }

    #[test]
    fn other_families() {
        assert_eq!(
            id(0x8007_0005, Some("HRESULT")),
            ("HRESULT 0x80070005".into(), 18)
        );
        assert_eq!(
            id(0x8004_1001, Some("hresult")),
            ("HRESULT 0x80041001".into(), 0)
        );
        assert_eq!(
            id(0x8000_4001, Some("HRESULT")),
            ("HRESULT 0x80004001".into(), 11)
        );
        assert_eq!(id(5, Some("WIN32")), ("Windows System Error 5".into(), 18));
        assert_eq!(id(87, Some("Win32")), ("Windows System Error 87".into(), 5));
        assert_eq!(
            id(9999, Some("WIN32")),
            ("Windows System Error 9999".into(), 0)
        );
        assert_eq!(id(libc::EINVAL as u32, Some("ERRNO")).1, 5);
        assert_eq!(id(libc::EACCES as u32, Some("ERRNO")).1, 18);
        assert_eq!(id(libc::ENOMEM as u32, Some("ERRNO")).1, 19);
        assert_eq!(id(2, Some("ERRNO")), ("CRT errno 2".into(), 0));
        assert_eq!(id(7, Some("WINRM")), ("WINRM 7".into(), 0));
        assert_eq!(id(u32::MAX, Some("x<y")), ("x&lt;y 4294967295".into(), 0));
    }
}
