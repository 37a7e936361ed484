//! The messages of a session that are not records: their names (MS-PSRP
//! 2.2.1), state messages (RUNSPACEPOOL_STATE, PIPELINE_STATE) and host calls.

use super::DecodeError;
use super::object::{Value, properties, wrong};
use super::progress::progress_from;
use super::records::{DecodedErrorRecord, error_from};
use super::value::{ClixmlValue, read_value};
use super::xml::Element;
use crate::psrp::record::DecodedProgressRecord;

/// Every message type of MS-PSRP 2.2.1, with the name `decode` gives it:
/// the record kinds by their short names, the rest by their MS-PSRP names
/// in lower case.
pub const MESSAGE_TYPES: [(u32, &str); 31] = [
    (0x0001_0002, "session_capability"),
    (0x0001_0004, "init_runspacepool"),
    (0x0001_0005, "public_key"),
    (0x0001_0006, "encrypted_session_key"),
    (0x0001_0007, "public_key_request"),
    (0x0001_0008, "connect_runspacepool"),
    (0x0002_1002, "set_max_runspaces"),
    (0x0002_1003, "set_min_runspaces"),
    (0x0002_1004, "runspace_availability"),
    (0x0002_1005, "runspacepool_state"),
    (0x0002_1006, "create_pipeline"),
    (0x0002_1007, "get_available_runspaces"),
    (0x0002_1008, "user_event"),
    (0x0002_1009, "application_private_data"),
    (0x0002_100A, "get_command_metadata"),
    (0x0002_100B, "runspacepool_init_data"),
    (0x0002_100C, "reset_runspace_state"),
    (0x0002_1100, "runspacepool_host_call"),
    (0x0002_1101, "runspacepool_host_response"),
    (0x0004_1002, "pipeline_input"),
    (0x0004_1003, "end_of_pipeline_input"),
    (0x0004_1004, "pipeline_output"),
    (0x0004_1005, "error"),
    (0x0004_1006, "pipeline_state"),
    (0x0004_1007, "debug"),
    (0x0004_1008, "verbose"),
    (0x0004_1009, "warning"),
    (0x0004_1010, "progress"),
    (0x0004_1011, "information"),
    (0x0004_1100, "pipeline_host_call"),
    (0x0004_1101, "pipeline_host_response"),
];

/// The name of `message_type` (see [`MESSAGE_TYPES`]), if it is one MS-PSRP defines.
pub fn message_type_name(message_type: u32) -> Option<&'static str> {
    MESSAGE_TYPES
        .iter()
        .find(|(t, _)| *t == message_type)
        .map(|(_, n)| *n)
}

/// `INFORMATION_RECORD`.
pub const INFORMATION_RECORD: u32 = 0x0004_1011;
/// `PIPELINE_INPUT`.
pub const PIPELINE_INPUT: u32 = 0x0004_1002;
/// `RUNSPACEPOOL_STATE`.
pub const RUNSPACEPOOL_STATE: u32 = 0x0002_1005;
/// `PIPELINE_STATE`.
pub const PIPELINE_STATE: u32 = 0x0004_1006;
/// `RUNSPACEPOOL_HOST_CALL`.
pub const RUNSPACEPOOL_HOST_CALL: u32 = 0x0002_1100;
/// `PIPELINE_HOST_CALL`.
pub const PIPELINE_HOST_CALL: u32 = 0x0004_1100;

/// A RUNSPACEPOOL_STATE or PIPELINE_STATE message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedState {
    /// `RunspaceState` or `PipelineState`.
    pub state: i32,
    /// The state's name ([`runspace_pool_state_name`], [`pipeline_state_name`]).
    pub name: Option<&'static str>,
    /// `ExceptionAsErrorRecord`, when the state came with an error.
    pub error: Option<DecodedErrorRecord>,
}

/// The name of a runspace pool state, as PowerShell's
/// `System.Management.Automation.Runspaces.RunspacePoolState` has it (what a
/// server sends; MS-PSRP 2.2.3.4 lists 6 and 7 as NegotiationSent and
/// NegotiationSucceeded, and 9 as Disconnected, which no PowerShell sends).
pub fn runspace_pool_state_name(state: i32) -> Option<&'static str> {
    const NAMES: [&str; 9] = [
        "BeforeOpen",
        "Opening",
        "Opened",
        "Closed",
        "Closing",
        "Broken",
        "Disconnecting",
        "Disconnected",
        "Connecting",
    ];
    usize::try_from(state)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
}

/// The name of a pipeline state (`PSInvocationState`, MS-PSRP 2.2.3.5).
pub fn pipeline_state_name(state: i32) -> Option<&'static str> {
    const NAMES: [&str; 7] = [
        "NotStarted",
        "Running",
        "Stopping",
        "Stopped",
        "Completed",
        "Failed",
        "Disconnected",
    ];
    usize::try_from(state)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
}

/// Reads a state message's root: the state (an `<I32>`) and its error.
pub(crate) fn state_from(root: &Element, pipeline: bool) -> Result<DecodedState, DecodeError> {
    let (state_name, name_of): (&'static str, fn(i32) -> Option<&'static str>) = if pipeline {
        ("PipelineState", pipeline_state_name)
    } else {
        ("RunspaceState", runspace_pool_state_name)
    };
    const ERROR: &str = "ExceptionAsErrorRecord";
    let mut props = properties(root, &[state_name, ERROR])?;
    let state = props.take_i32(state_name)?;
    let error = match props.take_opt(ERROR) {
        None | Some(Value::Nil) => None,
        Some(Value::Obj(e)) => Some(error_from(e, root)?),
        Some(v) => return Err(wrong(ERROR, &v)),
    };
    Ok(DecodedState {
        state,
        name: name_of(state),
        error,
    })
}

/// The methods of a host call (MS-PSRP 2.2.3.17, `RemoteHostMethodId`), by
/// number from 1.
const HOST_METHODS: [&str; 56] = [
    "GetName",
    "GetVersion",
    "GetInstanceId",
    "GetCurrentCulture",
    "GetCurrentUICulture",
    "SetShouldExit",
    "EnterNestedPrompt",
    "ExitNestedPrompt",
    "NotifyBeginApplication",
    "NotifyEndApplication",
    "ReadLine",
    "ReadLineAsSecureString",
    "Write1",
    "Write2",
    "WriteLine1",
    "WriteLine2",
    "WriteLine3",
    "WriteErrorLine",
    "WriteDebugLine",
    "WriteProgress",
    "WriteVerboseLine",
    "WriteWarningLine",
    "Prompt",
    "PromptForCredential1",
    "PromptForCredential2",
    "PromptForChoice",
    "GetForegroundColor",
    "SetForegroundColor",
    "GetBackgroundColor",
    "SetBackgroundColor",
    "GetCursorPosition",
    "SetCursorPosition",
    "GetWindowPosition",
    "SetWindowPosition",
    "GetCursorSize",
    "SetCursorSize",
    "GetBufferSize",
    "SetBufferSize",
    "GetWindowSize",
    "SetWindowSize",
    "GetWindowTitle",
    "SetWindowTitle",
    "GetMaxWindowSize",
    "GetMaxPhysicalWindowSize",
    "GetKeyAvailable",
    "ReadKey",
    "FlushInputBuffer",
    "SetBufferContents1",
    "SetBufferContents2",
    "GetBufferContents",
    "ScrollBufferContents",
    "PushRunspace",
    "PopRunspace",
    "GetIsRunspacePushed",
    "GetRunspace",
    "PromptForChoiceMultipleSelection",
];

/// `RemoteHostMethodId.WriteProgress`.
pub const WRITE_PROGRESS: i32 = 20;

/// The name of host method `id` (MS-PSRP 2.2.3.17).
pub fn host_method_name(id: i32) -> Option<&'static str> {
    usize::try_from(id)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| HOST_METHODS.get(i))
        .copied()
}

/// A RUNSPACEPOOL_HOST_CALL or PIPELINE_HOST_CALL message (MS-PSRP 2.2.2.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedHostCall {
    /// `ci`: the call's id (-100 for a call that expects no answer).
    pub call_id: i64,
    /// `mi`: the method's number.
    pub method_id: i32,
    /// The method's name, if the number is one MS-PSRP defines.
    pub method: Option<&'static str>,
    /// `mp`: the arguments, as generic values (none when `mp` is absent or
    /// `<Nil>`).
    pub arguments: Vec<ClixmlValue>,
    /// For `WriteProgress`: its source id and progress record.
    pub progress: Option<(i64, DecodedProgressRecord)>,
}

/// Reads a host call's root: `ci`, `mi` and `mp`; a `WriteProgress` call's
/// record must be a progress record a client can read.
pub(crate) fn host_call_from(root: &Element) -> Result<DecodedHostCall, DecodeError> {
    let member = |name: &'static str| {
        root.children
            .iter()
            .filter(|c| c.name == "MS" || c.name == "Props")
            .flat_map(|set| set.children.iter())
            .find(|m| m.attr("N") == Some(name))
            .ok_or(DecodeError::MissingProperty(name))
    };
    let ci = member("ci")?;
    let call_id = match read_value(ci)? {
        ClixmlValue::Integer(n) if ci.name == "I64" => n as i64,
        _ => {
            return Err(DecodeError::WrongPropertyType {
                property: "ci",
                found: ci.name.clone(),
            });
        }
    };
    let mi = member("mi")?;
    let method_id = match read_value(mi)? {
        ClixmlValue::Object(o) => match o.value {
            Some(ClixmlValue::Integer(n)) => i32::try_from(n).ok(),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| DecodeError::WrongPropertyType {
        property: "mi",
        found: mi.name.clone(),
    })?;
    // `mp` absent or `<Nil>`: a call without arguments (psrpcore reads it so).
    let mp = member("mp").ok();
    let arguments = match mp.map(read_value).transpose()? {
        None | Some(ClixmlValue::Nil) => Vec::new(),
        Some(ClixmlValue::Object(o)) => o.items.unwrap_or_default(),
        Some(_) => {
            return Err(DecodeError::WrongPropertyType {
                property: "mp",
                found: mp.map(|m| m.name.clone()).unwrap_or_default(),
            });
        }
    };
    let progress = if method_id == WRITE_PROGRESS {
        // mp's list: the source id (`<I64>`), then the record (`<Obj>`).
        let items = mp
            .and_then(|mp| mp.children.iter().find(|c| c.name == "LST"))
            .map(|l| l.children.as_slice())
            .unwrap_or_default();
        let (Some(ClixmlValue::Integer(source)), [first, record, ..]) = (arguments.first(), items)
        else {
            return Err(DecodeError::MissingProperty("WriteProgress arguments"));
        };
        let source = i64::try_from(*source).map_err(|_| DecodeError::WrongPropertyType {
            property: "WriteProgress sourceId",
            found: first.name.clone(),
        })?;
        if record.name != "Obj" {
            return Err(DecodeError::UnexpectedElement(record.name.clone()));
        }
        Some((source, progress_from(record)?))
    } else {
        None
    };
    Ok(DecodedHostCall {
        call_id,
        method_id,
        method: host_method_name(method_id),
        arguments,
        progress,
    })
}
