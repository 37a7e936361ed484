//! The stream records beside `ProgressRecord`: `WarningRecord`,
//! `VerboseRecord` and `DebugRecord` (PowerShell's `InformationalRecord`s), and
//! `ErrorRecord`, with PowerShell's rules for the text an error record carries.
//!
//! Facts from `psrp-streams-wire.md` (sections 1, 3 and 5), checked against the
//! captured messages in `tests/fixtures/powershell-streams.json`.

use std::fmt;

/// `MessageType` of an `ERROR_RECORD` message.
pub const ERROR_RECORD: u32 = 0x0004_1005;
/// `MessageType` of a `DEBUG_RECORD` message.
pub const DEBUG_RECORD: u32 = 0x0004_1007;
/// `MessageType` of a `VERBOSE_RECORD` message.
pub const VERBOSE_RECORD: u32 = 0x0004_1008;
/// `MessageType` of a `WARNING_RECORD` message.
pub const WARNING_RECORD: u32 = 0x0004_1009;

/// Which informational stream a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InformationalKind {
    /// `WarningRecord`: MI channel 0 (`MI_WRITEMESSAGE_CHANNEL_WARNING`).
    Warning,
    /// `VerboseRecord`: MI channel 1 (`MI_WRITEMESSAGE_CHANNEL_VERBOSE`).
    Verbose,
    /// `DebugRecord`: MI channel 2 (`MI_WRITEMESSAGE_CHANNEL_DEBUG`).
    Debug,
}

impl InformationalKind {
    /// Every kind, in channel order.
    pub const ALL: [InformationalKind; 3] = [
        InformationalKind::Warning,
        InformationalKind::Verbose,
        InformationalKind::Debug,
    ];

    /// The kind of an `MI_Context_WriteMessage` channel; `None` for another number.
    pub fn from_channel(channel: u32) -> Option<Self> {
        Self::ALL.get(channel as usize).copied()
    }

    /// The MI channel.
    pub fn channel(self) -> u32 {
        self as u32
    }

    /// The PSRP message type.
    pub fn message_type(self) -> u32 {
        match self {
            InformationalKind::Warning => WARNING_RECORD,
            InformationalKind::Verbose => VERBOSE_RECORD,
            InformationalKind::Debug => DEBUG_RECORD,
        }
    }

    /// The kind sent with PSRP message type `message_type`, if any.
    pub fn from_message_type(message_type: u32) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.message_type() == message_type)
    }

    /// The record's .NET type name (the first `<T>` of its type names).
    pub fn type_name(self) -> &'static str {
        match self {
            InformationalKind::Warning => "System.Management.Automation.WarningRecord",
            InformationalKind::Verbose => "System.Management.Automation.VerboseRecord",
            InformationalKind::Debug => "System.Management.Automation.DebugRecord",
        }
    }

    /// The prefix PowerShell's console writes before such a line (`WARNING`, …).
    pub fn label(self) -> &'static str {
        match self {
            InformationalKind::Warning => "WARNING",
            InformationalKind::Verbose => "VERBOSE",
            InformationalKind::Debug => "DEBUG",
        }
    }
}

/// A warning, verbose or debug record (no InvocationInfo: mi-psrp has none,
/// so `InformationalRecord_SerializeInvocationInfo` is always `false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformationalRecord<S> {
    /// Which stream.
    pub kind: InformationalKind,
    /// The message; may be empty.
    pub message: S,
}

/// PowerShell's `ErrorCategory` (the numbering of MI's `MI_ErrorCategory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCategory(pub i32);

/// The names of `ErrorCategory` 0–31, as `Enum.ToString()` writes them.
const CATEGORY_NAMES: [&str; 32] = [
    "NotSpecified",
    "OpenError",
    "CloseError",
    "DeviceError",
    "DeadlockDetected",
    "InvalidArgument",
    "InvalidData",
    "InvalidOperation",
    "InvalidResult",
    "InvalidType",
    "MetadataError",
    "NotImplemented",
    "NotInstalled",
    "ObjectNotFound",
    "OperationStopped",
    "OperationTimeout",
    "SyntaxError",
    "ParserError",
    "PermissionDenied",
    "ResourceBusy",
    "ResourceExists",
    "ResourceUnavailable",
    "ReadError",
    "WriteError",
    "FromStdErr",
    "SecurityError",
    "ProtocolError",
    "ConnectionError",
    "AuthenticationError",
    "LimitsExceeded",
    "QuotaExceeded",
    "NotEnabled",
];

impl ErrorCategory {
    /// `NotSpecified` (0).
    pub const NOT_SPECIFIED: ErrorCategory = ErrorCategory(0);
    /// `InvalidArgument` (5).
    pub const INVALID_ARGUMENT: ErrorCategory = ErrorCategory(5);
    /// `MetadataError` (10).
    pub const METADATA_ERROR: ErrorCategory = ErrorCategory(10);
    /// `NotImplemented` (11).
    pub const NOT_IMPLEMENTED: ErrorCategory = ErrorCategory(11);
    /// `ObjectNotFound` (13).
    pub const OBJECT_NOT_FOUND: ErrorCategory = ErrorCategory(13);
    /// `OperationStopped` (14).
    pub const OPERATION_STOPPED: ErrorCategory = ErrorCategory(14);
    /// `PermissionDenied` (18).
    pub const PERMISSION_DENIED: ErrorCategory = ErrorCategory(18);
    /// `ResourceBusy` (19).
    pub const RESOURCE_BUSY: ErrorCategory = ErrorCategory(19);
    /// `ResourceExists` (20).
    pub const RESOURCE_EXISTS: ErrorCategory = ErrorCategory(20);
    /// `ResourceUnavailable` (21).
    pub const RESOURCE_UNAVAILABLE: ErrorCategory = ErrorCategory(21);
    /// `CloseError` (2).
    pub const CLOSE_ERROR: ErrorCategory = ErrorCategory(2);
    /// `InvalidType` (9).
    pub const INVALID_TYPE: ErrorCategory = ErrorCategory(9);
    /// `ConnectionError` (27).
    pub const CONNECTION_ERROR: ErrorCategory = ErrorCategory(27);

    /// The enumeration's name, if the number is defined.
    pub fn name(self) -> Option<&'static str> {
        usize::try_from(self.0)
            .ok()
            .and_then(|i| CATEGORY_NAMES.get(i).copied())
    }
}

impl fmt::Display for ErrorCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}

/// An `ErrorRecord` as mi-psrp sends it: its exception is a
/// `Microsoft.Management.Infrastructure.CimException` whose Message is
/// `message`; TargetObject and InvocationInfo are null; the category strings
/// are PowerShell's (`ErrorCategory_Reason` is `CimException`).
///
/// The id may be of another text type than the message (the host builds it
/// from MI's result type and code without allocating).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRecord<S, F = S> {
    /// The exception's Message, also the record's `ToString`; may be empty.
    pub message: S,
    /// `FullyQualifiedErrorId` (`MiClientApiError_AccessDenied`, `HRESULT 0x80070005` …).
    pub fully_qualified_error_id: F,
    /// `ErrorCategory_Category`.
    pub category: ErrorCategory,
}

/// The .NET type of the exception mi-psrp's error records carry.
pub const CIM_EXCEPTION: &str = "Microsoft.Management.Infrastructure.CimException";

/// The `ErrorCategory_Reason` of mi-psrp's error records: the exception's
/// type name, which PowerShell never shortens.
pub const CIM_EXCEPTION_REASON: &str = "CimException";
