//! Host calls (`../shared/spec/psrp-host-calls.md` §2): the PIPELINE_HOST_CALL
//! messages the endpoint sends — a PromptForChoice confirmation and a
//! WriteLine2 What-if line, in the template of a real Windows capture — the
//! client's PIPELINE_HOST_RESPONSE read back, and the error records a prompt
//! that cannot take place ends its pipeline with.

use super::errors::RUNTIME;
use super::messages::{SessionError, Value, doc, esc};

/// PIPELINE_HOST_CALL (server → client).
pub const PIPELINE_HOST_CALL: u32 = 0x0004_1100;
/// PIPELINE_HOST_RESPONSE (client → server).
pub const PIPELINE_HOST_RESPONSE: u32 = 0x0004_1101;
/// The `ci` of a call that gets no response (`ServerDispatchTable.VoidCallId`).
pub const VOID_CALL: i64 = -100;

/// A choice of a PromptForChoice: its label and help message.
pub type Choice = (&'static str, &'static str);

/// PowerShell's confirmation choices, in order (a remoting server leaves
/// out `&Suspend`).
pub const CONFIRM_CHOICES: [Choice; 4] = [
    ("&Yes", "Continue with only the next step of the operation."),
    (
        "Yes to &All",
        "Continue with all the steps of the operation.",
    ),
    (
        "&No",
        "Skip this operation and proceed with the next operation.",
    ),
    (
        "No to A&ll",
        "Skip this operation and all subsequent operations.",
    ),
];

/// `ShouldContinue`'s two choices.
pub const CONTINUE_CHOICES: [Choice; 2] = [CONFIRM_CHOICES[0], CONFIRM_CHOICES[2]];

/// The caption of every confirmation.
pub const CAPTION: &str = "Confirm";

/// The confirmation message of description `d`.
pub fn confirm_message(d: &str) -> String {
    format!("Are you sure you want to perform this action?\n{d}")
}

/// `ShouldContinue`'s message: the provider's, or PowerShell's when empty.
pub fn continue_message(m: &str) -> &str {
    if m.is_empty() {
        "Continue with this operation?"
    } else {
        m
    }
}

fn call(ci: i64, method: &str, id: u32, args: &str) -> Vec<u8> {
    doc(&format!(
        concat!(
            r#"<Obj RefId="0"><MS><I64 N="ci">{ci}</I64><Obj N="mi" RefId="1"><TN RefId="0">"#,
            r#"<T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T>"#,
            r#"<T>System.ValueType</T><T>System.Object</T></TN><ToString>{method}</ToString>"#,
            r#"<I32>{id}</I32></Obj><Obj N="mp" RefId="2"><TN RefId="1">"#,
            r#"<T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST>{args}</LST>"#,
            r#"</Obj></MS></Obj>"#
        ),
        ci = ci,
        method = method,
        id = id,
        args = args,
    ))
}

/// `PromptForChoice(caption, message, choices, default)` as call `ci`
/// (method id 26).
pub fn prompt_for_choice(
    ci: i64,
    caption: &str,
    message: &str,
    choices: &[Choice],
    default: i32,
) -> Vec<u8> {
    use std::fmt::Write;
    let mut args = format!(
        r#"<S>{}</S><S>{}</S><Obj RefId="3"><TNRef RefId="1" /><LST>"#,
        esc(caption),
        esc(message)
    );
    for (i, (label, help)) in choices.iter().enumerate() {
        let _ = write!(
            args,
            r#"<Obj RefId="{}"><MS><S N="label">{}</S><S N="helpMessage">{}</S></MS></Obj>"#,
            i + 4,
            esc(label),
            esc(help)
        );
    }
    let _ = write!(args, "</LST></Obj><I32>{default}</I32>");
    call(ci, "PromptForChoice", 26, &args)
}

/// `WriteLine(line)` (WriteLine2, method id 16), a void call.
pub fn write_line(line: &str) -> Vec<u8> {
    call(
        VOID_CALL,
        "WriteLine2",
        16,
        &format!("<S>{}</S>", esc(line)),
    )
}

/// The client's answer to a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `mr`: the chosen index (not yet checked against the choices).
    Choice(i64),
    /// `me`: the client's host method failed; the error it sent.
    Error(SessionError),
    /// Neither a usable `mr` nor an `me`.
    Invalid,
}

/// Reads a PIPELINE_HOST_RESPONSE: its `ci` (`None`: none, the response is
/// ignored) and answer. Members are read by name, in any order.
pub fn read_response(v: &Value) -> Option<(i64, Answer)> {
    let ci = super::messages::call_id(v)?;
    if let Some(me) = v.member("me").filter(|m| **m != Value::Nil) {
        return Some((ci, Answer::Error(remote_error(me))));
    }
    let answer = match v.member("mr") {
        Some(Value::Int(n)) => Answer::Choice(*n),
        Some(Value::UInt(n)) => i64::try_from(*n).map_or(Answer::Invalid, Answer::Choice),
        _ => Answer::Invalid,
    };
    Some((ci, answer))
}

/// The error a client's `me` carries, as the pipeline's terminating error
/// (PowerShell rethrows it): its Exception message, FullyQualifiedErrorId
/// and category.
fn remote_error(me: &Value) -> SessionError {
    const T: &[&str] = &[
        "System.Management.Automation.RemoteException",
        RUNTIME[0],
        RUNTIME[1],
        RUNTIME[2],
    ];
    let message = me
        .member("Exception")
        .and_then(|e| e.member("Message"))
        .and_then(Value::as_str)
        .unwrap_or("The host's method failed.")
        .to_owned();
    let id = me
        .member("FullyQualifiedErrorId")
        .and_then(Value::as_str)
        .unwrap_or("RemoteHostExecutionException")
        .to_owned();
    let category = match me.member("ErrorCategory_Category") {
        Some(Value::Int(c)) => i32::try_from(*c).unwrap_or(0),
        _ => 0,
    };
    SessionError::runtime(T, "RemoteException", category, id, message, "")
}

impl SessionError {
    /// `HostException` (`HostFunctionNotImplemented`): `command` needed to
    /// ask with `message` and the client has no interactive host.
    pub fn host_not_interactive(command: &'static str, message: &str) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.Host.HostException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        let cmdlet = super::errors::cmdlet_class(command);
        let mut e = SessionError::runtime(
            T,
            "HostException",
            11,
            format!(
                "HostFunctionNotImplemented,Microsoft.Management.Infrastructure.CimCmdlets.{cmdlet}"
            ),
            format!(
                "A command that prompts the user failed because the host program or the command \
                 type does not support user interaction. The host was attempting to request \
                 confirmation with the following message: {message}"
            ),
            "",
        );
        e.activity = super::errors::Cmdlet::from_name(command);
        e
    }

    /// `PSRemotingDataStructureException` (`RemoteHostCallFailed`): the
    /// client's answer to `method` was not one of its choices.
    pub fn host_call_failed(method: &str) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.Remoting.PSRemotingDataStructureException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        SessionError::runtime(
            T,
            "PSRemotingDataStructureException",
            0,
            "RemoteHostCallFailed".into(),
            format!("Remote host call to \"{method}\" failed."),
            "",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::context::prompt::describe;
    use crate::serve::messages::read_value;

    const BOM: &[u8] = b"\xEF\xBB\xBF";

    /// `../shared/spec/psrp-host-calls.md` §2.4, the confirmation of
    /// `ShouldProcess("web", "Restart service")` (derived from the captured
    /// PromptForChoice of §2.3, test_psrp_pshost_ui_mocked_methods).
    const CONFIRMATION: &str = r#"<Obj RefId="0"><MS><I64 N="ci">1</I64><Obj N="mi" RefId="1"><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>PromptForChoice</ToString><I32>26</I32></Obj><Obj N="mp" RefId="2"><TN RefId="1"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><S>Confirm</S><S>Are you sure you want to perform this action?_x000A_Performing the operation "Restart service" on target "web".</S><Obj RefId="3"><TNRef RefId="1" /><LST><Obj RefId="4"><MS><S N="label">&amp;Yes</S><S N="helpMessage">Continue with only the next step of the operation.</S></MS></Obj><Obj RefId="5"><MS><S N="label">Yes to &amp;All</S><S N="helpMessage">Continue with all the steps of the operation.</S></MS></Obj><Obj RefId="6"><MS><S N="label">&amp;No</S><S N="helpMessage">Skip this operation and proceed with the next operation.</S></MS></Obj><Obj RefId="7"><MS><S N="label">No to A&amp;ll</S><S N="helpMessage">Skip this operation and all subsequent operations.</S></MS></Obj></LST></Obj><I32>0</I32></LST></Obj></MS></Obj>"#;

    /// §2.4's What-if line.
    const WHAT_IF: &str = r#"<Obj RefId="0"><MS><I64 N="ci">-100</I64><Obj N="mi" RefId="1"><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>WriteLine2</ToString><I32>16</I32></Obj><Obj N="mp" RefId="2"><TN RefId="1"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><S>What if: Performing the operation "Restart service" on target "web".</S></LST></Obj></MS></Obj>"#;

    /// §2.3, the captured PromptForChoice (ObjectId 29 of CAP), byte for byte.
    const CAPTURED: &str = r#"<Obj RefId="0"><MS><I64 N="ci">5</I64><Obj N="mi" RefId="1"><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>PromptForChoice</ToString><I32>26</I32></Obj><Obj N="mp" RefId="2"><TN RefId="1"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><S>PromptForChoice caption</S><S>PromptForChoice message</S><Obj RefId="3"><TNRef RefId="1" /><LST><Obj RefId="4"><MS><S N="label">Prompt1 label</S><S N="helpMessage">Prompt1 help</S></MS></Obj><Obj RefId="5"><MS><S N="label">Prompt2 label</S><S N="helpMessage">Prompt2 help</S></MS></Obj></LST></Obj><I32>0</I32></LST></Obj></MS></Obj>"#;

    fn body(v: &[u8]) -> &str {
        std::str::from_utf8(v.strip_prefix(BOM).expect("BOM")).unwrap()
    }

    #[test]
    fn calls_are_byte_exact_to_the_template() {
        let d = describe("web", "Restart service");
        let m = prompt_for_choice(1, CAPTION, &confirm_message(&d), &CONFIRM_CHOICES, 0);
        assert_eq!(body(&m), CONFIRMATION);
        assert_eq!(body(&m).len(), 1043 + d.len());
        assert_eq!(body(&write_line(&format!("What if: {d}"))), WHAT_IF);
        assert_eq!(
            body(&write_line(&format!("What if: {d}"))).len(),
            396 + d.len()
        );
        const P: [Choice; 2] = [
            ("Prompt1 label", "Prompt1 help"),
            ("Prompt2 label", "Prompt2 help"),
        ];
        let m = prompt_for_choice(
            5,
            "PromptForChoice caption",
            "PromptForChoice message",
            &P,
            0,
        );
        assert_eq!(body(&m), CAPTURED);
        // ShouldContinue: two choices, 727 + |M|.
        let m = prompt_for_choice(2, CAPTION, "Sure?", &CONTINUE_CHOICES, 0);
        assert_eq!(body(&m).len(), 727 + 5);
    }

    #[test]
    fn text_is_encoded_like_records() {
        let m = write_line("a&b<c>\r\n_x0041_ \u{1F600}");
        assert!(
            body(&m).contains("<S>a&amp;b&lt;c&gt;_x000D__x000A__x005F_x0041_ _xD83D__xDE00_</S>"),
            "{}",
            body(&m)
        );
        let v = read_value(&m).unwrap();
        let Some(Value::List(args)) = v.member("mp") else {
            panic!("{v:?}")
        };
        assert_eq!(args[0], Value::Str("a&b<c>\r\n_x0041_ \u{1F600}".into()));
    }

    #[test]
    fn responses_are_read_by_name() {
        let mi = r#"<Obj N="mi" RefId="1"><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T></TN><ToString>PromptForChoice</ToString><I32>26</I32></Obj>"#;
        // pypsrp's order, PowerShell's order, a string, none, an error.
        let cases = [
            (
                format!(
                    r#"<Obj RefId="0"><MS><I64 N="ci">5</I64>{mi}<I32 N="mr">1</I32></MS></Obj>"#
                ),
                Some((5, Answer::Choice(1))),
            ),
            (
                format!(
                    r#"<Obj RefId="0"><MS><I32 N="mr">2</I32><I64 N="ci">1</I64>{mi}</MS></Obj>"#
                ),
                Some((1, Answer::Choice(2))),
            ),
            (
                format!(r#"<Obj RefId="0"><MS><I64 N="ci">3</I64>{mi}<S N="mr">1</S></MS></Obj>"#),
                Some((3, Answer::Invalid)),
            ),
            (
                format!(r#"<Obj RefId="0"><MS><I64 N="ci">3</I64>{mi}</MS></Obj>"#),
                Some((3, Answer::Invalid)),
            ),
            (
                format!(r#"<Obj RefId="0"><MS>{mi}<I32 N="mr">1</I32></MS></Obj>"#),
                None,
            ),
        ];
        for (xml, want) in cases {
            assert_eq!(
                read_response(&read_value(xml.as_bytes()).unwrap()),
                want,
                "{xml}"
            );
        }
        // §2.5: pypsrp's `me` for a PSHostUI without prompt_for_choice.
        let me = r#"<Obj RefId="0"><MS><I64 N="ci">1</I64><Obj RefId="1" N="mi"><I32>26</I32><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>PromptForChoice</ToString></Obj><Obj RefId="2" N="me"><TN RefId="1"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><MS><Obj RefId="3" N="Exception"><TN RefId="2"><T>System.Exception</T><T>System.Object</T></TN><Props><S N="Message">NotImplementedError when running HostMethodIdentifier.PromptForChoice</S><Nil N="Data" /><Nil N="HelpLink" /><Nil N="HResult" /><Nil N="InnerException" /><Nil N="Source" /><Nil N="StackTrace" /><Nil N="TargetSite" /></Props></Obj><Nil N="TargetObject" /><S N="FullyQualifiedErrorId">RemoteHostExecutionException</S><Nil N="InvocationInfo" /><I32 N="ErrorCategory_Category">0</I32><Nil N="ErrorCategory_Activity" /><S N="ErrorCategory_Reason">Exception</S><Nil N="ErrorCategory_TargetName" /><Nil N="ErrorCategory_TargetType" /><S N="ErrorCategory_Message">NotSpecified (:) [], Exception</S><B N="SerializeExtendedInfo">false</B></MS><ToString>NotImplementedError when running HostMethodIdentifier.PromptForChoice</ToString></Obj></MS></Obj>"#;
        let Some((1, Answer::Error(e))) = read_response(&read_value(me.as_bytes()).unwrap()) else {
            panic!()
        };
        assert_eq!(e.error_id, "RemoteHostExecutionException");
        assert_eq!(
            e.message,
            "NotImplementedError when running HostMethodIdentifier.PromptForChoice"
        );
    }

    #[test]
    fn the_host_exception_record() {
        let d = describe("web", "Invoke-CimMethod: Restart");
        let e = SessionError::host_not_interactive("Invoke-CimMethod", &confirm_message(&d));
        let m = super::super::messages::pipeline_state(5, Some(&e));
        let v = read_value(&m).unwrap();
        let r = v.member("ExceptionAsErrorRecord").unwrap();
        assert_eq!(
            r.member("FullyQualifiedErrorId").and_then(Value::as_str),
            Some(
                "HostFunctionNotImplemented,Microsoft.Management.Infrastructure.CimCmdlets.InvokeCimMethodCommand"
            )
        );
        assert_eq!(r.member("ErrorCategory_Category"), Some(&Value::Int(11)));
        assert_eq!(
            r.member("ErrorCategory_Message").and_then(Value::as_str),
            Some("NotImplemented (:) [Invoke-CimMethod], HostException")
        );
        let msg = r
            .member("Exception")
            .and_then(|x| x.member("Message"))
            .and_then(Value::as_str)
            .unwrap();
        assert!(msg.ends_with(&format!(
            "following message: Are you sure you want to perform this action?\n{d}"
        )));
    }
}
