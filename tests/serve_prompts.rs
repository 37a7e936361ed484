//! `mi-psrp serve`'s prompts (`../shared/spec/psrp-host-calls.md` §4): the
//! command's own confirmation (H0), the provider's `ShouldProcess`,
//! `ShouldContinue` and `PromptUser` (H4–H6) as PromptForChoice host calls
//! and What-if lines, clients without a host (H7), the answers the session
//! accepts (H8) and waits that end at once (H9). The xyz module's
//! `XYZ_Widget.Ask` calls a prompt slot `Times` times and reports each
//! call's code and answer.

#[path = "serve/client.rs"]
mod client;
mod common;

use std::time::{Duration, Instant};

use client::*;
use mi_psrp::host::context::prompt::describe;
use mi_psrp::psrp::Guid;
use mi_psrp::serve::host_call::{
    self as hc, CAPTION, CONFIRM_CHOICES, CONTINUE_CHOICES, PIPELINE_HOST_CALL,
    PIPELINE_HOST_RESPONSE,
};
use mi_psrp::serve::messages::{self as m, Value, read_value};
use mi_psrp::serve::transport::Stream;
use mi_psrp::serve::{Config, Event, Session};

const VERBOSE: u32 = 0x0004_1008;
const ERROR: u32 = 0x0004_1005;

fn pid(n: u32) -> Guid {
    Guid::parse(&format!("{n:08x}-0000-40e1-8304-c2a117f08102")).unwrap()
}

fn session(ui: bool) -> (Session, Client) {
    let mut config = Config::new(vec![xyz()]);
    // Far longer than any wait here: a release that waited for the grace
    // (instead of ending the prompt) shows as a wait of a minute.
    config.shutdown_grace = Duration::from_secs(60);
    let mut s = Session::new(config);
    let mut c = Client::new();
    open_with(&mut s, &mut c, &host_info(ui, false));
    (s, c)
}

/// `Invoke-CimMethod XYZ_Widget Ask -Arguments @{Kind; Times; Text}` and
/// more arguments.
fn ask_args(kind: u32, times: u32, text: &str, more: &str) -> String {
    s_arg("ClassName", "XYZ_Widget")
        + &s_arg("MethodName", "Ask")
        + &arg(
            "Arguments",
            &table(&[
                ("Kind", &format!("<U32>{kind}</U32>")),
                ("Times", &format!("<U32>{times}</U32>")),
                ("Text", &format!("<S>{text}</S>")),
            ]),
        )
        + more
}

/// Starts a pipeline (its own HostInfo: uses the pool's).
fn start(s: &mut Session, c: &mut Client, id: Guid, cmd: &str, args: &str) {
    let x = create_pipeline_with(cmd, args, &host_info(false, true));
    let line = c.data(m::CREATE_PIPELINE, id, &x, 32_768);
    s.receive(&line).unwrap();
}

/// Waits for the next host call of pipeline `id` (after `seen` of them), or
/// the pipeline's end: the call's data.
fn next_call(s: &Session, got: &mut Vec<u8>, id: Guid, seen: usize) -> Option<Vec<u8>> {
    let calls = |b: &[u8]| -> Vec<Vec<u8>> {
        of_pipeline(b, id)
            .into_iter()
            .filter(|(t, _, _)| *t == PIPELINE_HOST_CALL)
            .map(|(_, _, d)| d)
            .collect()
    };
    drain_until(s, got, &|b| calls(b).len() > seen || pipeline_ended(b, id));
    calls(got).into_iter().nth(seen)
}

fn finish(s: &Session, got: &mut Vec<u8>, id: Guid) -> Vec<(u32, Guid, Vec<u8>)> {
    drain_until(s, got, &|b| pipeline_ended(b, id));
    of_pipeline(got, id)
}

/// The client's answer `mr` to call `ci`, as pypsrp writes it.
fn answer_xml(ci: i64, mr: &str) -> String {
    format!(
        r#"<Obj RefId="0"><MS><I64 N="ci">{ci}</I64><Obj RefId="1" N="mi"><I32>26</I32><TN RefId="0"><T>System.Management.Automation.Remoting.RemoteHostMethodId</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>PromptForChoice</ToString></Obj>{mr}</MS></Obj>"#
    )
}

fn answer(s: &mut Session, c: &mut Client, id: Guid, ci: i64, choice: i32) -> Vec<Event> {
    let line = c.data_on(
        Stream::PromptResponse,
        PIPELINE_HOST_RESPONSE,
        id,
        &answer_xml(ci, &format!(r#"<I32 N="mr">{choice}</I32>"#)),
    );
    s.receive(&line).unwrap()
}

fn ci_of(call: &[u8]) -> i64 {
    m::call_id(&read_value(call).unwrap()).unwrap()
}

fn body(d: &[u8]) -> &[u8] {
    d.strip_prefix(b"\xEF\xBB\xBF").unwrap()
}

/// The Ask method's result: MIReturn (the yes count), Codes, Answers.
fn ask_result(msgs: &[(u32, Guid, Vec<u8>)]) -> (i64, Vec<i64>, Vec<i64>) {
    let out: Vec<Value> = msgs
        .iter()
        .filter(|(t, _, _)| *t == 0x0004_1004)
        .map(|(_, _, d)| read_value(d).unwrap())
        .collect();
    assert_eq!(out.len(), 1, "{out:?}");
    let ints = |v: Option<&Value>| -> Vec<i64> {
        match v {
            Some(Value::List(items)) => items
                .iter()
                .map(|i| match i {
                    Value::Int(n) => *n,
                    Value::UInt(n) => *n as i64,
                    Value::Bool(b) => i64::from(*b),
                    other => panic!("{other:?}"),
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    let ret = match out[0].member("ReturnValue") {
        Some(Value::UInt(n)) => *n as i64,
        Some(Value::Int(n)) => *n,
        other => panic!("{other:?} in {:?}", out[0]),
    };
    (
        ret,
        ints(out[0].member("Codes")),
        ints(out[0].member("Answers")),
    )
}

fn fqeid(msgs: &[(u32, Guid, Vec<u8>)]) -> (i64, String) {
    let (_, _, d) = msgs
        .iter()
        .rev()
        .find(|(t, _, _)| *t == m::PIPELINE_STATE)
        .unwrap();
    let v = read_value(d).unwrap();
    let state = match v.member("PipelineState") {
        Some(Value::Int(i)) => *i,
        other => panic!("{other:?}"),
    };
    let id = v
        .member("ExceptionAsErrorRecord")
        .and_then(|r| r.member("FullyQualifiedErrorId"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (state, id)
}

/// -Confirm: the command asks first (H0), then each provider ShouldProcess
/// (H4) — byte for byte the spec's template, one call id counter — and Yes
/// to All answers the rest without asking.
#[test]
fn confirm_asks_the_command_then_the_provider_and_remembers_yes_to_all() {
    let (mut s, mut c) = session(true);
    let id = pid(1);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 3, "web", &switch_arg("Confirm")),
    );
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).expect("the command's confirmation");
    let own = describe("XYZ_Widget", "Invoke-CimMethod: Ask");
    assert_eq!(
        call,
        hc::prompt_for_choice(1, CAPTION, &hc::confirm_message(&own), &CONFIRM_CHOICES, 0)
    );
    assert_eq!(answer(&mut s, &mut c, id, 1, 0), [Event::Answered(id)]);
    let call = next_call(&s, &mut got, id, 1).expect("the provider's ShouldProcess");
    // psrp-host-calls.md §2.4's example, with the session's second call id.
    let d = describe("web", "Restart service");
    assert_eq!(body(&call).len(), 1043 + d.len());
    assert_eq!(
        call,
        hc::prompt_for_choice(2, CAPTION, &hc::confirm_message(&d), &CONFIRM_CHOICES, 0)
    );
    answer(&mut s, &mut c, id, 2, 1); // Yes to All
    let msgs = finish(&s, &mut got, id);
    assert_eq!(
        msgs.iter()
            .filter(|(t, _, _)| *t == PIPELINE_HOST_CALL)
            .count(),
        2,
        "Yes to All answers the later calls"
    );
    assert_eq!(ask_result(&msgs), (3, vec![0, 0, 0], vec![1, 1, 1]));
    assert_eq!(fqeid(&msgs).0, 4);
}

/// No (2) and No to All (3): the provider is not called at the command's
/// own confirmation; answered No to All at the provider's, every later call
/// of the operation answers MI_FALSE without asking.
#[test]
fn no_and_no_to_all() {
    let (mut s, mut c) = session(true);
    let id = pid(1);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 2, "web", &switch_arg("Confirm")),
    );
    let mut got = Vec::new();
    next_call(&s, &mut got, id, 0).unwrap();
    answer(&mut s, &mut c, id, 1, 2);
    let msgs = finish(&s, &mut got, id);
    assert!(msgs.iter().all(|(t, _, _)| *t != 0x0004_1004), "not called");
    assert_eq!(fqeid(&msgs).0, 4, "No: Completed, no error");
    assert!(msgs.iter().all(|(t, _, _)| *t != ERROR));

    let id = pid(2);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 3, "web", &switch_arg("Confirm")),
    );
    let mut got = Vec::new();
    let first = next_call(&s, &mut got, id, 0).unwrap();
    assert_eq!(ci_of(&first), 2, "one counter for the session");
    answer(&mut s, &mut c, id, 2, 0);
    let second = next_call(&s, &mut got, id, 1).unwrap();
    answer(&mut s, &mut c, id, ci_of(&second), 3);
    let msgs = finish(&s, &mut got, id);
    assert_eq!(ask_result(&msgs), (0, vec![0, 0, 0], vec![0, 0, 0]));
}

/// -WhatIf with a UI: the What-if line (WriteLine2, ci -100) and the
/// provider never called; no UI: nothing at all.
#[test]
fn what_if_writes_the_line_and_never_calls_the_provider() {
    for ui in [true, false] {
        let (mut s, mut c) = session(ui);
        let id = pid(1);
        start(
            &mut s,
            &mut c,
            id,
            "Invoke-CimMethod",
            &ask_args(0, 1, "web", &switch_arg("WhatIf")),
        );
        let mut got = Vec::new();
        let msgs = finish(&s, &mut got, id);
        let calls: Vec<&Vec<u8>> = msgs
            .iter()
            .filter(|(t, _, _)| *t == PIPELINE_HOST_CALL)
            .map(|(_, _, d)| d)
            .collect();
        if ui {
            let line = format!(
                "What if: {}",
                describe("XYZ_Widget", "Invoke-CimMethod: Ask")
            );
            assert_eq!(calls, [&hc::write_line(&line)]);
        } else {
            assert!(calls.is_empty());
        }
        assert!(msgs.iter().all(|(t, _, _)| *t != 0x0004_1004), "not called");
        assert_eq!(fqeid(&msgs).0, 4);
    }
}

/// No -Confirm (ConfirmPreference High): ShouldProcess answers yes without
/// asking; with -Verbose the description goes out as a VERBOSE_RECORD.
#[test]
fn without_confirm_should_process_is_yes_and_verbose_says_so() {
    let (mut s, mut c) = session(true);
    let id = pid(1);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 2, "web", &switch_arg("Verbose")),
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    assert!(msgs.iter().all(|(t, _, _)| *t != PIPELINE_HOST_CALL));
    assert_eq!(ask_result(&msgs), (2, vec![0, 0], vec![1, 1]));
    let verbose: Vec<String> = msgs
        .iter()
        .filter(|(t, _, _)| *t == VERBOSE)
        .map(|(_, _, d)| {
            let v = read_value(d).unwrap();
            v.member("InformationalRecord_Message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let d = describe("web", "Restart service");
    assert_eq!(
        verbose,
        [
            describe("XYZ_Widget", "Invoke-CimMethod: Ask"),
            d.clone(),
            "Ask: going on".into(),
            d,
            "Ask: going on".into()
        ]
    );
}

/// ShouldContinue and PromptUser Critical always ask (two choices, even
/// under -Confirm:$false); PromptUser Normal is a confirmation described by
/// its message; an unknown prompt type and a NULL flag are refused.
#[test]
fn should_continue_prompt_user_and_bad_arguments() {
    let (mut s, mut c) = session(true);
    let q = "Wipe the disk?";
    for (n, kind, choice, want) in [(1u32, 1u32, 1, 0i64), (2, 3, 0, 1)] {
        let id = pid(n);
        start(
            &mut s,
            &mut c,
            id,
            "Invoke-CimMethod",
            &ask_args(kind, 1, q, &arg("Confirm", r#"<B N="V">false</B>"#)),
        );
        let mut got = Vec::new();
        let call = next_call(&s, &mut got, id, 0).expect("always asked");
        assert_eq!(
            call,
            hc::prompt_for_choice(ci_of(&call), CAPTION, q, &CONTINUE_CHOICES, 0)
        );
        answer(&mut s, &mut c, id, ci_of(&call), choice);
        let msgs = finish(&s, &mut got, id);
        assert_eq!(ask_result(&msgs), (want, vec![0], vec![want]));
    }
    // Empty message: PowerShell's.
    let id = pid(3);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(1, 1, "", ""),
    );
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).unwrap();
    let v = read_value(&call).unwrap();
    let Some(Value::List(args)) = v.member("mp") else {
        panic!()
    };
    assert_eq!(args[1], Value::Str("Continue with this operation?".into()));
    answer(&mut s, &mut c, id, ci_of(&call), 0);
    finish(&s, &mut got, id);
    // PromptUser Normal under -Confirm: the message is the description.
    let id = pid(4);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(2, 1, q, &switch_arg("Confirm")),
    );
    let mut got = Vec::new();
    let own = next_call(&s, &mut got, id, 0).unwrap();
    answer(&mut s, &mut c, id, ci_of(&own), 0);
    let call = next_call(&s, &mut got, id, 1).unwrap();
    assert_eq!(
        call,
        hc::prompt_for_choice(
            ci_of(&call),
            CAPTION,
            &hc::confirm_message(q),
            &CONFIRM_CHOICES,
            0
        )
    );
    answer(&mut s, &mut c, id, ci_of(&call), 2);
    let msgs = finish(&s, &mut got, id);
    assert_eq!(ask_result(&msgs), (0, vec![0], vec![0]));
    // An unknown type, a NULL flag: INVALID_PARAMETER (4), flag untouched
    // (Ask adds 1000 to the code then).
    for (n, kind) in [(5, 4u32), (6, 5)] {
        let id = pid(n);
        start(
            &mut s,
            &mut c,
            id,
            "Invoke-CimMethod",
            &ask_args(kind, 1, q, ""),
        );
        let mut got = Vec::new();
        let msgs = finish(&s, &mut got, id);
        assert!(msgs.iter().all(|(t, _, _)| *t != PIPELINE_HOST_CALL));
        assert_eq!(ask_result(&msgs), (0, vec![1004], vec![0]));
    }
}

/// A client without an interactive host: never a host call; a prompt that
/// is required answers MI_RESULT_FAILED and MI_FALSE (later ones too), and
/// the pipeline ends Failed with PowerShell's HostException after the
/// provider's own records. Which host counts: CREATE_PIPELINE's, or the
/// pool's when it says `_useRunspaceHost`.
#[test]
fn a_client_without_a_host_gets_the_host_exception() {
    let (mut s, mut c) = session(false);
    let id = pid(1);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(1, 2, "Sure?", ""),
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    assert!(msgs.iter().all(|(t, _, _)| *t != PIPELINE_HOST_CALL));
    assert_eq!(ask_result(&msgs), (0, vec![1, 1], vec![0, 0]));
    assert_eq!(
        fqeid(&msgs),
        (
            5,
            "HostFunctionNotImplemented,Microsoft.Management.Infrastructure.CimCmdlets.InvokeCimMethodCommand".into()
        )
    );
    let (_, _, d) = msgs.last().unwrap();
    let rec = read_value(d).unwrap();
    let rec = rec.member("ExceptionAsErrorRecord").unwrap();
    assert_eq!(
        rec.member("ErrorCategory_Message").and_then(Value::as_str),
        Some("NotImplemented (:) [Invoke-CimMethod], HostException")
    );
    assert!(format!("{rec:?}").contains("following message: Sure?"));

    // The pipeline's own HostInfo with a UI, on a pool without one: asks.
    let id = pid(2);
    let x = create_pipeline_with(
        "Invoke-CimMethod",
        &ask_args(1, 1, "Sure?", ""),
        &host_info(true, false),
    );
    let line = c.data(m::CREATE_PIPELINE, id, &x, 32_768);
    s.receive(&line).unwrap();
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).expect("asked");
    answer(&mut s, &mut c, id, ci_of(&call), 0);
    assert_eq!(fqeid(&finish(&s, &mut got, id)).0, 4);

    // A pool with a UI, a pipeline that says it has none (and does not
    // use the pool's): not asked.
    let (mut s, mut c) = session(true);
    let id = pid(3);
    let x = create_pipeline_with(
        "Invoke-CimMethod",
        &ask_args(1, 1, "Sure?", ""),
        &host_info(false, false),
    );
    let line = c.data(m::CREATE_PIPELINE, id, &x, 32_768);
    s.receive(&line).unwrap();
    let mut got = Vec::new();
    assert_eq!(fqeid(&finish(&s, &mut got, id)).0, 5);
}

/// H8: `me`, an answer out of range, a string and a missing `mr` fail the
/// pipeline; an unknown ci and a second answer are ignored; the answer may
/// come on the Default stream too.
#[test]
fn the_answers_the_session_accepts() {
    let me = r#"<Obj RefId="2" N="me"><TN RefId="1"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><MS><Obj RefId="3" N="Exception"><TN RefId="2"><T>System.Exception</T><T>System.Object</T></TN><Props><S N="Message">NotImplementedError when running HostMethodIdentifier.PromptForChoice</S></Props></Obj><S N="FullyQualifiedErrorId">RemoteHostExecutionException</S><I32 N="ErrorCategory_Category">0</I32></MS></Obj>"#;
    let cases = [
        (me.to_owned(), "RemoteHostExecutionException"),
        (r#"<I32 N="mr">4</I32>"#.to_owned(), "RemoteHostCallFailed"),
        (r#"<I32 N="mr">-1</I32>"#.to_owned(), "RemoteHostCallFailed"),
        (r#"<S N="mr">0</S>"#.to_owned(), "RemoteHostCallFailed"),
        (String::new(), "RemoteHostCallFailed"),
    ];
    let (mut s, mut c) = session(true);
    for (n, (mr, id_want)) in cases.iter().enumerate() {
        let id = pid(n as u32 + 1);
        start(
            &mut s,
            &mut c,
            id,
            "Invoke-CimMethod",
            &ask_args(1, 2, "Sure?", ""),
        );
        let mut got = Vec::new();
        let call = next_call(&s, &mut got, id, 0).unwrap();
        let line = c.data(
            PIPELINE_HOST_RESPONSE,
            id,
            &answer_xml(ci_of(&call), mr),
            32_768,
        );
        s.receive(&line).unwrap();
        let msgs = finish(&s, &mut got, id);
        assert_eq!(ask_result(&msgs), (0, vec![1, 1], vec![0, 0]), "{mr}");
        assert_eq!(fqeid(&msgs), (5, (*id_want).to_owned()), "{mr}");
    }
    // Unknown ci, then the right one, then a duplicate.
    let id = pid(9);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(1, 1, "Sure?", ""),
    );
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).unwrap();
    let ci = ci_of(&call);
    assert_eq!(
        answer(&mut s, &mut c, id, ci + 100, 0),
        [Event::Ignored {
            message_type: PIPELINE_HOST_RESPONSE
        }]
    );
    assert_eq!(answer(&mut s, &mut c, id, ci, 0), [Event::Answered(id)]);
    let msgs = finish(&s, &mut got, id);
    assert_eq!(ask_result(&msgs), (1, vec![0], vec![1]));
    assert_eq!(
        answer(&mut s, &mut c, id, ci, 1),
        [Event::Ignored {
            message_type: PIPELINE_HOST_RESPONSE
        }]
    );
}

/// Two pipelines prompting at once: their own call ids, answered in either
/// order.
#[test]
fn two_pipelines_prompt_at_once() {
    let (mut s, mut c) = session(true);
    let (a, b) = (pid(1), pid(2));
    start(
        &mut s,
        &mut c,
        a,
        "Invoke-CimMethod",
        &ask_args(1, 1, "A?", ""),
    );
    start(
        &mut s,
        &mut c,
        b,
        "Invoke-CimMethod",
        &ask_args(1, 1, "B?", ""),
    );
    let mut got = Vec::new();
    let ca = next_call(&s, &mut got, a, 0).unwrap();
    let cb = next_call(&s, &mut got, b, 0).unwrap();
    let (ia, ib) = (ci_of(&ca), ci_of(&cb));
    assert_ne!(ia, ib);
    assert_eq!(answer(&mut s, &mut c, b, ib, 1), [Event::Answered(b)]);
    // The other pipeline's ci on this pipeline is not its answer.
    assert_eq!(
        answer(&mut s, &mut c, a, ib, 0),
        [Event::Ignored {
            message_type: PIPELINE_HOST_RESPONSE
        }]
    );
    assert_eq!(answer(&mut s, &mut c, a, ia, 0), [Event::Answered(a)]);
    let ma = finish(&s, &mut got, a);
    let mb = finish(&s, &mut got, b);
    assert_eq!(ask_result(&ma), (1, vec![0], vec![1]));
    assert_eq!(ask_result(&mb), (0, vec![0], vec![0]));
}

/// Stop, the pipeline's Close, the session's Close and the end of input
/// while the provider waits on a prompt: the call returns at once
/// (MI_RESULT_FAILED, MI_FALSE) and the pipeline ends.
#[test]
fn stop_close_and_eof_release_a_waiting_prompt() {
    for how in ["signal", "close pipeline", "close session", "eof"] {
        let (mut s, mut c) = session(true);
        let id = pid(1);
        start(
            &mut s,
            &mut c,
            id,
            "Invoke-CimMethod",
            &ask_args(1, 1, "Sure?", ""),
        );
        let mut got = Vec::new();
        next_call(&s, &mut got, id, 0).unwrap();
        let t = Instant::now();
        match how {
            "signal" => {
                let line = format!("<Signal PSGuid='{}' />", m::guid_text(id));
                s.receive(line.as_bytes()).unwrap();
                let msgs = finish(&s, &mut got, id);
                assert_eq!(fqeid(&msgs), (3, "PipelineStopped".into()));
                assert_eq!(ask_result(&msgs), (0, vec![1], vec![0]));
            }
            "close pipeline" => {
                let line = format!("<Close PSGuid='{}' />", m::guid_text(id));
                s.receive(line.as_bytes()).unwrap();
            }
            "close session" => {
                s.receive(b"<Close PSGuid='00000000-0000-0000-0000-000000000000' />")
                    .unwrap();
                assert!(s.is_closed());
            }
            _ => {
                s.end_of_input();
                assert!(s.is_closed());
            }
        }
        // Not the session's 60 s grace: the prompt's wait ended, the
        // provider ended its operation, nothing waited for the grace.
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "{how}: {:?}",
            t.elapsed()
        );
    }
}

/// The command's own confirmation names an instance by its ToString, and
/// -Confirm:$false / -WhatIf:$false are given, not defaults.
#[test]
fn remove_confirms_the_instance_by_its_tostring() {
    let (mut s, mut c) = session(true);
    let id = pid(1);
    start(
        &mut s,
        &mut c,
        id,
        "Get-CimInstance",
        &s_arg("ClassName", "XYZ_Widget"),
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    let alpha = msgs
        .iter()
        .filter(|(t, _, _)| *t == 0x0004_1004)
        .map(|(_, _, d)| String::from_utf8_lossy(d).into_owned())
        .find(|o| o.contains(">alpha<"))
        .unwrap();
    let id = pid(2);
    start(
        &mut s,
        &mut c,
        id,
        "Remove-CimInstance",
        &(input_object(&alpha) + &switch_arg("Confirm")),
    );
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).unwrap();
    let d = describe("XYZ_Widget (Name = \"alpha\")", "Remove-CimInstance");
    let v = read_value(&call).unwrap();
    let Some(Value::List(args)) = v.member("mp") else {
        panic!()
    };
    assert_eq!(args[1], Value::Str(hc::confirm_message(&d)), "{args:?}");
    answer(&mut s, &mut c, id, ci_of(&call), 2);
    assert_eq!(fqeid(&finish(&s, &mut got, id)).0, 4);
    // -WhatIf:$false and -Confirm:$false: no line, no prompt, removed.
    let id = pid(3);
    start(
        &mut s,
        &mut c,
        id,
        "Remove-CimInstance",
        &(input_object(&alpha)
            + &arg("WhatIf", r#"<B N="V">false</B>"#)
            + &arg("Confirm", r#"<B N="V">false</B>"#)),
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    assert!(msgs.iter().all(|(t, _, _)| *t != PIPELINE_HOST_CALL));
    assert_eq!(fqeid(&msgs).0, 4);
}

/// pypsrp 1.0.0b1 with a `psrp.PSHostUI` subclass answering the prompts,
/// through ProcessInfo against the built binary (`tests/serve/test_prompts.py`).
#[test]
fn pypsrp_answers_the_prompts() {
    let module = common::modules::build_module("xyz", 2);
    let (status, stdout, stderr) = common::run_bounded(
        common::pytest("tests/serve/test_prompts.py")
            .env("MIPSRP_SERVE", env!("CARGO_BIN_EXE_mi-psrp"))
            .env("XYZ_MODULE", &module),
        Duration::from_secs(600),
    );
    let status = status.unwrap_or_else(|| panic!("hung: killed\n{stdout}\n{stderr}"));
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("8 passed"), "{stdout}");
}

/// A script's preference assignments hold for the session's later
/// pipelines (`$ConfirmPreference = 'Low'`: every operation asks;
/// `$WhatIfPreference`), a bad value fails its pipeline and changes
/// nothing, and RESET_RUNSPACE_STATE forgets them.
#[test]
fn preference_variables_hold_until_the_runspace_is_reset() {
    let (mut s, mut c) = session(true);
    let script = |s: &mut Session, c: &mut Client, id: Guid, text: &str| {
        let x = create_pipeline_with(text, "", &host_info(false, true)).replacen(
            r#"<B N="IsScript">false</B>"#,
            r#"<B N="IsScript">true</B>"#,
            1,
        );
        let line = c.data(m::CREATE_PIPELINE, id, &x, 32_768);
        s.receive(&line).unwrap()
    };
    let events = script(&mut s, &mut c, pid(1), "$ConfirmPreference = 'Low'");
    assert_eq!(events, [Event::PreferencesSet(pid(1))]);
    assert_eq!(s.preferences().confirm, mi_psrp::serve::ConfirmImpact::Low);
    let mut got = Vec::new();
    assert_eq!(fqeid(&finish(&s, &mut got, pid(1))).0, 4);
    // Now an Invoke-CimMethod asks without -Confirm...
    let id = pid(2);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 1, "web", ""),
    );
    let mut got = Vec::new();
    let call = next_call(&s, &mut got, id, 0).expect("asked");
    answer(&mut s, &mut c, id, ci_of(&call), 2);
    finish(&s, &mut got, id);
    // ...and -Confirm:$false still overrides it.
    let id = pid(3);
    start(
        &mut s,
        &mut c,
        id,
        "Invoke-CimMethod",
        &ask_args(0, 1, "web", &arg("Confirm", r#"<B N="V">false</B>"#)),
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    assert!(msgs.iter().all(|(t, _, _)| *t != PIPELINE_HOST_CALL));
    // A bad value: Failed, the preferences unchanged (both assignments).
    let events = script(
        &mut s,
        &mut c,
        pid(4),
        "$WhatIfPreference = $true; $ConfirmPreference = 'Often'",
    );
    assert!(
        matches!(&events[..], [Event::PipelineFailed { .. }]),
        "{events:?}"
    );
    assert!(!s.preferences().what_if);
    // $WhatIfPreference in a script with the command.
    let id = pid(5);
    script(
        &mut s,
        &mut c,
        id,
        "$WhatIfPreference = $true\nInvoke-CimMethod XYZ_Widget -MethodName Ask",
    );
    let mut got = Vec::new();
    let msgs = finish(&s, &mut got, id);
    let line = format!(
        "What if: {}",
        describe("XYZ_Widget", "Invoke-CimMethod: Ask")
    );
    assert!(
        msgs.iter()
            .any(|(t, _, d)| *t == PIPELINE_HOST_CALL && *d == hc::write_line(&line))
    );
    // RESET_RUNSPACE_STATE: back to the defaults.
    let reset = c.data(
        m::RESET_RUNSPACE_STATE,
        Guid::NIL,
        r#"<Obj RefId="0"><MS><I64 N="ci">1</I64></MS></Obj>"#,
        32_768,
    );
    s.receive(&reset).unwrap();
    assert_eq!(s.preferences(), mi_psrp::serve::Preferences::default());
}
