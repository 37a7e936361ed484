//! `mi-psrp serve`: the sans-IO session fed client messages (built with
//! the project's fragmenter, and a real client's stream from pypsrp's
//! recordings), bad input that must not crash it, and the built binary
//! driven end to end by pypsrp 1.0.0b1 (`tests/serve/test_serve.py`).

#[path = "serve/client.rs"]
mod client;
mod common;

use std::time::{Duration, Instant};

use client::*;
use mi_psrp::provider::module::Module;
use mi_psrp::psrp::{FRAGMENT_HEADER_LEN, FragmentHeader, Guid};
use mi_psrp::serve::messages::{self as m, Value, read_value};
use mi_psrp::serve::transport::{Packet, Stream, base64_decode, parse_line};
use mi_psrp::serve::{Config, Event, Session};

#[test]
fn a_session_opens_runs_pipelines_and_closes() {
    let mut s = Session::new(Config::new(vec![xyz()]));
    let mut c = Client::new();
    let opened = replies(&open(&mut s, &mut c));
    let types: Vec<u32> = opened
        .iter()
        .flat_map(|(_, _, ms)| ms.iter().map(|m| m.0))
        .collect();
    assert_eq!(
        types,
        [
            m::SESSION_CAPABILITY,
            m::APPLICATION_PRIVATE_DATA,
            m::RUNSPACEPOOL_STATE
        ]
    );
    assert_eq!(opened.iter().filter(|r| r.0 == "DataAck").count(), 2);

    // Runspace availability: SET_MAX then GET_AVAILABLE.
    let line = c.data(
        m::SET_MAX_RUNSPACES,
        Guid::NIL,
        r#"<Obj RefId="0"><MS><I32 N="MaxRunspaces">5</I32><I64 N="ci">1</I64></MS></Obj>"#,
        32_768,
    );
    s.receive(&line).unwrap();
    let line = c.data(
        m::GET_AVAILABLE_RUNSPACES,
        Guid::NIL,
        r#"<Obj RefId="0"><MS><I64 N="ci">2</I64></MS></Obj>"#,
        32_768,
    );
    s.receive(&line).unwrap();
    let r = replies(&s.poll_output().unwrap());
    let avail: Vec<String> = r
        .iter()
        .flat_map(|(_, _, ms)| ms.iter())
        .map(|(t, _, d)| {
            assert_eq!(*t, m::RUNSPACE_AVAILABILITY);
            String::from_utf8_lossy(d).into_owned()
        })
        .collect();
    assert!(
        avail[0].contains(r#"<B N="SetMinMaxRunspacesResponse">true</B><I64 N="ci">1</I64>"#),
        "{avail:?}"
    );
    assert!(
        avail[1].contains(r#"<I64 N="SetMinMaxRunspacesResponse">5</I64><I64 N="ci">2</I64>"#),
        "{avail:?}"
    );

    // Get-CimInstance XYZ_Widget, in 60-byte fragments.
    let pid = Guid::parse("1649325d-f028-40e1-8304-c2a117f08102").unwrap();
    s.receive(&Packet::Command(pid).to_line()[..]).unwrap();
    let line = c.data(
        m::CREATE_PIPELINE,
        pid,
        &create_pipeline(
            "Get-CimInstance",
            r#"<Obj RefId="8"><MS><S N="N">ClassName</S><S N="V">XYZ_Widget</S></MS></Obj>"#,
        ),
        60,
    );
    let events = s.receive(&line).unwrap();
    assert!(
        matches!(events[0], Event::PipelineStarted { .. }),
        "{events:?}"
    );
    let mut got = Vec::new();
    let completed = |b: &[u8]| {
        replies(b)
            .iter()
            .flat_map(|(_, _, ms)| ms.iter())
            .any(|(t, _, d)| *t == m::PIPELINE_STATE && state_of(d) == 4)
    };
    drain_until(&s, &mut got, &completed);
    let r = replies(&got);
    assert_eq!(r[0].0, "CommandAck");
    let msgs: Vec<Sent> = r.into_iter().flat_map(|(_, _, ms)| ms).collect();
    assert!(msgs.iter().all(|(_, p, _)| *p == pid));
    assert_eq!(msgs[0].0, m::PIPELINE_STATE);
    assert_eq!(state_of(&msgs[0].2), 1);
    let outputs: Vec<String> = msgs
        .iter()
        .filter(|(t, _, _)| *t == 0x0004_1004)
        .map(|(_, _, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    assert_eq!(outputs.len(), 2);
    assert!(
        outputs[0].contains("alpha") && outputs[1].contains("beta"),
        "{outputs:?}"
    );
    // No -Verbose: no VERBOSE_RECORD; the warning comes.
    assert!(!msgs.iter().any(|(t, _, _)| *t == 0x0004_100A));
    assert!(msgs.iter().any(|(t, _, _)| *t == 0x0004_1009));

    // An unknown command: Failed with its ErrorRecord; the session goes on.
    let pid2 = Guid::parse("2649325d-f028-40e1-8304-c2a117f08102").unwrap();
    let line = c.data(
        m::CREATE_PIPELINE,
        pid2,
        &create_pipeline("Get-Process", ""),
        32_768,
    );
    let events = s.receive(&line).unwrap();
    assert!(
        matches!(events[0], Event::PipelineFailed { .. }),
        "{events:?}"
    );
    let r = replies(&s.poll_output().unwrap());
    let (t, p, d) = &r[0].2[0];
    assert_eq!((*t, *p), (m::PIPELINE_STATE, pid2));
    assert_eq!(state_of(d), 5);
    let rec = read_value(d).unwrap();
    let rec = rec.member("ExceptionAsErrorRecord").unwrap();
    assert_eq!(
        rec.member("FullyQualifiedErrorId"),
        Some(&Value::Str("CommandNotFoundException".into()))
    );

    // Unknown message types are ignored.
    let line = c.data(0x0002_100E, Guid::NIL, "<Nil />", 32_768);
    assert!(matches!(
        s.receive(&line).unwrap()[..],
        [Event::Ignored {
            message_type: 0x0002_100E
        }]
    ));
    assert!(!s.is_closed());

    // Close: RUNSPACEPOOL_STATE Closed, then CloseAck.
    s.receive(&Packet::Close(pid).to_line()[..]).unwrap();
    s.receive(&Packet::Close(Guid::NIL).to_line()[..]).unwrap();
    assert!(s.is_closed());
    let r = replies(&s.poll_output().unwrap());
    let tags: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(tags[tags.len() - 3..], ["CloseAck", "Data", "CloseAck"][..]);
    let state = &r[r.len() - 2];
    assert_eq!(state.2[0].0, m::RUNSPACEPOOL_STATE);
    assert!(String::from_utf8_lossy(&state.2[0].2).contains(r#"<I32 N="RunspaceState">3</I32>"#));
}

#[test]
fn a_stop_cancels_the_operation() {
    let mut s = Session::new(Config::new(vec![xyz()]));
    let mut c = Client::new();
    open(&mut s, &mut c);
    let pid = Guid::parse("3649325d-f028-40e1-8304-c2a117f08102").unwrap();
    let line = c.data(
        m::CREATE_PIPELINE,
        pid,
        &create_pipeline(
            "Invoke-CimMethod",
            r#"<Obj RefId="8"><MS><S N="N">ClassName</S><S N="V">XYZ_Bad</S></MS></Obj><Obj RefId="9"><MS><S N="N">MethodName</S><S N="V">NeverEnds</S></MS></Obj>"#,
        ),
        32_768,
    );
    s.receive(&line).unwrap();
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| {
        replies(b)
            .iter()
            .flat_map(|(_, _, ms)| ms.iter())
            .any(|(t, _, _)| *t == 0x0004_1010)
    });
    let events = s.receive(&Packet::Signal(pid).to_line()[..]).unwrap();
    assert_eq!(events, [Event::Stopping(pid)]);
    drain_until(&s, &mut got, &|b| {
        replies(b).iter().any(|r| r.0 == "SignalAck")
    });
    let r = replies(&got);
    let states: Vec<i64> = r
        .iter()
        .flat_map(|(_, _, ms)| ms.iter())
        .filter(|(t, _, _)| *t == m::PIPELINE_STATE)
        .map(|(_, _, d)| state_of(d))
        .collect();
    assert_eq!(states, [1, 3]);
    s.end_of_input();
}

/// The client side of a real session (pypsrp's recording of a Windows
/// PowerShell client, SESSION_CAPABILITY through SET_MAX/SET_MIN and
/// GET_AVAILABLE_RUNSPACES), replayed: every request answered.
#[test]
fn a_real_clients_stream_is_answered() {
    let stream = std::fs::read(common::repo().join(
        "tests/fixtures/real-sessions/test_psrp_set_runspaces@b3512f1__eb695f81__pool__c2s.bin",
    ))
    .unwrap();
    let mut s = Session::new(Config::new(vec![]));
    // One Data line per message, as an OutOfProc client sends them.
    let mut rest = &stream[..];
    let mut sent = 0;
    let mut message = Vec::new();
    let mut answered = 0;
    while !rest.is_empty() {
        let (head, after) = rest.split_first_chunk::<FRAGMENT_HEADER_LEN>().unwrap();
        let h = FragmentHeader::from_bytes(head);
        let len = FRAGMENT_HEADER_LEN + h.blob_length as usize;
        message.extend_from_slice(&rest[..len]);
        rest = &after[h.blob_length as usize..];
        if h.is_end() {
            let mut line = Packet::Data {
                stream: Stream::Default,
                guid: Guid::NIL,
                payload: std::mem::take(&mut message),
            }
            .to_line();
            line.pop();
            let events = s.receive(&line).unwrap();
            answered += events
                .iter()
                .filter(|e| !matches!(e, Event::Ignored { .. }))
                .count();
            sent += 1;
        }
    }
    assert!(sent >= 4, "{sent}");
    assert_eq!(
        answered, sent,
        "every message of the stream is one the session handles"
    );
    let r = replies(&s.poll_output().unwrap());
    let types: Vec<u32> = r
        .iter()
        .flat_map(|(_, _, ms)| ms.iter().map(|m| m.0))
        .collect();
    assert_eq!(
        &types[..3],
        [
            m::SESSION_CAPABILITY,
            m::APPLICATION_PRIVATE_DATA,
            m::RUNSPACEPOOL_STATE
        ]
    );
    assert!(
        types[3..].iter().all(|t| *t == m::RUNSPACE_AVAILABILITY),
        "{types:x?}"
    );
    // ci as the client spelled it ("CI" in SET_MAX/SET_MIN), -1 refused.
    let answers: Vec<String> = r
        .iter()
        .flat_map(|(_, _, ms)| ms.iter())
        .skip(3)
        .map(|(_, _, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    let want = [
        r#"<I64 N="SetMinMaxRunspacesResponse">1</I64><I64 N="ci">0</I64>"#,
        r#"<B N="SetMinMaxRunspacesResponse">true</B><I64 N="ci">1</I64>"#,
        r#"<I64 N="SetMinMaxRunspacesResponse">5</I64><I64 N="ci">2</I64>"#,
        r#"<B N="SetMinMaxRunspacesResponse">false</B><I64 N="ci">3</I64>"#,
        r#"<B N="SetMinMaxRunspacesResponse">false</B><I64 N="ci">4</I64>"#,
    ];
    assert_eq!(answers.len(), want.len());
    for (a, w) in answers.iter().zip(want) {
        assert!(a.contains(w), "{a} lacks {w}");
    }
    assert_eq!(r.iter().filter(|x| x.0 == "DataAck").count(), sent);
}

#[test]
fn bad_input_is_an_error_or_a_clean_close_never_a_panic() {
    let nil = "00000000-0000-0000-0000-000000000000";
    // Lines the session ignores (with an error), going on.
    for line in [
        "not xml".to_owned(),
        "<Frob PSGuid='x' />".to_owned(),
        format!("<Bogus PSGuid='{nil}' />"),
        "<!DOCTYPE a [<!ENTITY b 'c'>]><Close PSGuid='&b;' />".to_owned(),
        "\u{0}\u{1}".to_owned(),
    ] {
        let mut s = Session::new(Config::new(vec![]));
        let e = s.receive(line.as_bytes()).unwrap_err();
        assert!(!e.fatal, "{line}: {e}");
        assert!(!s.is_closed());
    }
    // Data the session cannot go on from: a clean close.
    let mut c = Client::new();
    let good = c.data(m::SESSION_CAPABILITY, Guid::NIL, CAPABILITY, 32_768);
    let good_payload = match parse_line(&good).unwrap() {
        Packet::Data { payload, .. } => payload,
        _ => unreachable!(),
    };
    let mut cut = good_payload.clone();
    cut.truncate(30);
    let mut bad_order = good_payload.clone();
    bad_order[8..16].copy_from_slice(&5u64.to_be_bytes()); // FragmentId 5 first
    for (what, line) in [
        (
            "bad base64",
            format!("<Data Stream='Default' PSGuid='{nil}'>@@@@</Data>").into_bytes(),
        ),
        ("a cut fragment", data_line(&cut)),
        ("fragments out of order", data_line(&bad_order)),
        ("a message before the capability", {
            let mut c = Client::new();
            c.data(m::INIT_RUNSPACEPOOL, Guid::NIL, INIT, 32_768)
        }),
    ] {
        let mut s = Session::new(Config::new(vec![]));
        let e = s.receive(&line).unwrap_err();
        assert!(e.fatal, "{what}: {e}");
        assert!(s.is_closed(), "{what}");
    }
    // A CREATE_PIPELINE that does not decode: that pipeline fails.
    let mut s = Session::new(Config::new(vec![]));
    let mut c = Client::new();
    open(&mut s, &mut c);
    let pid = Guid::parse("4649325d-f028-40e1-8304-c2a117f08102").unwrap();
    for body in [
        "<Obj RefId=\"0\"><MS /></Obj>",
        "<S>x</S>",
        "<Ref RefId=\"9\" />",
    ] {
        let line = c.data(m::CREATE_PIPELINE, pid, body, 32_768);
        let events = s.receive(&line).unwrap();
        assert!(
            matches!(events[..], [Event::PipelineFailed { .. }]),
            "{body}: {events:?}"
        );
    }
    // An overlong line, given in pieces: a clean close.
    let mut s = Session::new(Config::new(vec![]));
    let chunk = vec![b'a'; 1 << 20];
    let mut results = Vec::new();
    for _ in 0..3 {
        results.extend(s.receive_bytes(&chunk));
    }
    assert!(results.iter().any(|r| r.as_ref().is_err_and(|e| e.fatal)));
    assert!(s.is_closed());
    // Arbitrary bytes never panic.
    let mut seed = 0x1234_5678u32;
    for _ in 0..200 {
        let mut s = Session::new(Config::new(vec![]));
        let mut bytes = good.clone();
        for _ in 0..4 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let i = (seed as usize >> 4) % bytes.len();
            bytes[i] = (seed >> 20) as u8;
        }
        bytes.push(b'\n');
        let _ = s.receive_bytes(&bytes);
    }
    assert!(base64_decode(b"AA==").is_some());
}

/// pypsrp 1.0.0b1 through ProcessInfo against the built binary.
#[test]
fn pypsrp_runs_cim_cmdlets_through_mi_psrp_serve() {
    let module = common::modules::build_module("xyz", 2);
    let (status, stdout, stderr) = common::run_bounded(
        common::pytest("tests/serve/test_serve.py")
            .env("MIPSRP_SERVE", env!("CARGO_BIN_EXE_mi-psrp"))
            .env("XYZ_MODULE", &module),
        Duration::from_secs(600),
    );
    let status = status.unwrap_or_else(|| panic!("hung: killed\n{stdout}\n{stderr}"));
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("15 passed"), "{stdout}");
}

/// Every command of the set, through the session against a copy of the xyz
/// module (its store is its own): New-CimInstance with a datetime and an
/// embedded instance from a hashtable, Get-CimInstance -Filter by key
/// (GetInstance) and by another property (EnumerateInstances filtered),
/// Set-CimInstance, Get-CimInstance, Invoke-CimMethod and Remove-CimInstance
/// on the instance sent back, -WhatIf (the provider not called),
/// -WarningAction, -ErrorAction, -Confirm from a client without a host.
#[test]
fn the_command_set_maps_to_mi_operations() {
    let module = Module::load(common::modules::module_copy("xyz", 2, "serve-set")).unwrap();
    let mut s = Session::new(Config::new(vec![module]));
    let mut c = Client::new();
    open(&mut s, &mut c);
    let mut n = 0u32;
    let mut next = || {
        n += 1;
        Guid::parse(&format!("{n:08x}-0000-40e1-8304-c2a117f08102")).unwrap()
    };

    // New-CimInstance: Create, the created instance is its output.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "New-CimInstance",
        &(s_arg("ClassName", "XYZ_Widget")
            + &arg(
                "Property",
                &table(&[
                    ("Name", "<S>gamma</S>"),
                    ("U8", "<I32>7</I32>"),
                    ("Enabled", "<B>true</B>"),
                    ("Stamp", "<DT>2024-05-06T07:08:09.5+02:00</DT>"),
                    (
                        "Part",
                        r#"<Obj><TN RefId="91"><T>System.Collections.Hashtable</T></TN><DCT><En><S N="Key">Name</S><S N="Value">bolt</S></En><En><S N="Key">Weight</S><I32 N="Value">3</I32></En></DCT></Obj>"#,
                    ),
                    (
                        "Texts",
                        r#"<Obj><TN RefId="92"><T>System.Object[]</T></TN><LST><S>a</S><S>b</S></LST></Obj>"#,
                    ),
                ]),
            )),
    );
    assert_eq!(final_state(&msgs).0, 4, "{msgs:?}");
    let out = outputs(&msgs);
    assert_eq!(out.len(), 1);
    assert!(
        out[0].contains(">gamma<") && out[0].contains("bolt"),
        "{}",
        out[0]
    );
    assert!(out[0].contains("2024-05-06T05:08:09.5+00:00"), "{}", out[0]);

    // -Filter naming the key: GetInstance (one output, no enumeration
    // warning); naming another property: the enumeration, filtered.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Get-CimInstance",
        &(s_arg("ClassName", "XYZ_Widget") + &s_arg("Filter", "name = 'gamma'")),
    );
    assert_eq!(final_state(&msgs).0, 4);
    assert_eq!(outputs(&msgs).len(), 1);
    assert!(!msgs.iter().any(|(t, _, _)| *t == WARNING));
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Get-CimInstance",
        &(s_arg("ClassName", "XYZ_Widget") + &s_arg("Filter", "u8 = 7 AND Enabled = TRUE")),
    );
    let out = outputs(&msgs);
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains(">gamma<"));
    assert!(msgs.iter().any(|(t, _, _)| *t == WARNING));
    // An unsupported filter, an unknown property: Failed, saying why.
    for (filter, id) in [
        ("Name LIKE 'g%'", "ParameterArgumentValidationError,"),
        ("Frob = 1", "HRESULT 0x8004100c,"),
    ] {
        let msgs = run_pipeline(
            &mut s,
            &mut c,
            next(),
            "Get-CimInstance",
            &(s_arg("ClassName", "XYZ_Widget") + &s_arg("Filter", filter)),
        );
        let (state, rec) = final_state(&msgs);
        assert_eq!(state, 5);
        let rec = rec.unwrap();
        let Some(Value::Str(fqid)) = rec.member("FullyQualifiedErrorId") else {
            panic!("{rec:?}")
        };
        assert!(fqid.starts_with(id), "{filter}: {fqid}");
    }

    // The instance sent back: Set-CimInstance, then Get-CimInstance.
    let gamma = input_object(&out[0]);
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Set-CimInstance",
        &(gamma.clone() + &arg("Property", &table(&[("U8", "<I32>9</I32>")]))),
    );
    assert_eq!(final_state(&msgs).0, 4, "{msgs:?}");
    let msgs = run_pipeline(&mut s, &mut c, next(), "Get-CimInstance", &gamma);
    let out = outputs(&msgs);
    assert_eq!(out.len(), 1);
    assert!(out[0].contains(r#"<By N="U8">9</By>"#), "{}", out[0]);

    // An instance method on it.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Invoke-CimMethod",
        &(gamma.clone()
            + &s_arg("MethodName", "Resize")
            + &arg(
                "Arguments",
                &table(&[("Size", "<I64>5</I64>"), ("Note", "<S>n</S>")]),
            )),
    );
    assert_eq!(final_state(&msgs).0, 4, "{msgs:?}");
    assert!(
        outputs(&msgs).iter().any(|o| o.contains("CimMethodResult")),
        "{msgs:?}"
    );

    // -WhatIf: Running, Completed, nothing else; gamma is still there.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Remove-CimInstance",
        &(gamma.clone() + &switch_arg("WhatIf")),
    );
    let types: Vec<u32> = msgs.iter().map(|m| m.0).collect();
    assert_eq!(types, [m::PIPELINE_STATE, m::PIPELINE_STATE]);
    assert_eq!(final_state(&msgs).0, 4);
    let msgs = run_pipeline(&mut s, &mut c, next(), "Get-CimInstance", &gamma);
    assert_eq!(outputs(&msgs).len(), 1);

    // -Confirm from a client without a host (this one sent no HostInfo):
    // no host call, the pipeline fails with PowerShell's HostException and
    // the provider is not called (gamma is still there below).
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Remove-CimInstance",
        &(gamma.clone() + &switch_arg("Confirm")),
    );
    assert!(
        msgs.iter().all(|(t, _, _)| *t == m::PIPELINE_STATE),
        "{msgs:?}"
    );
    let (state, rec) = final_state(&msgs);
    assert_eq!(state, 5);
    let rec = rec.unwrap();
    assert_eq!(
        rec.member("FullyQualifiedErrorId").and_then(Value::as_str),
        Some(
            "HostFunctionNotImplemented,Microsoft.Management.Infrastructure.CimCmdlets.RemoveCimInstanceCommand"
        )
    );
    let msgs = run_pipeline(&mut s, &mut c, next(), "Get-CimInstance", &gamma);
    assert_eq!(outputs(&msgs).len(), 1);

    // Remove-CimInstance, then Get-CimInstance fails (not found) — and
    // with -ErrorAction SilentlyContinue sends no error record.
    let msgs = run_pipeline(&mut s, &mut c, next(), "Remove-CimInstance", &gamma);
    assert_eq!(final_state(&msgs).0, 4);
    let msgs = run_pipeline(&mut s, &mut c, next(), "Get-CimInstance", &gamma);
    assert!(msgs.iter().any(|(t, _, _)| *t == 0x0004_1005), "{msgs:?}");
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Get-CimInstance",
        &(gamma.clone() + &s_arg("ErrorAction", "SilentlyContinue")),
    );
    assert!(!msgs.iter().any(|(t, _, _)| *t == 0x0004_1005), "{msgs:?}");

    // -WarningAction SilentlyContinue: the enumeration's warning is not sent.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        next(),
        "Get-CimInstance",
        &(s_arg("ClassName", "XYZ_Widget") + &s_arg("WarningAction", "SilentlyContinue")),
    );
    assert_eq!(outputs(&msgs).len(), 2);
    assert!(!msgs.iter().any(|(t, _, _)| *t == WARNING));
    s.receive(&Packet::Close(Guid::NIL).to_line()[..]).unwrap();
}

/// Limits and endings: a pipeline past `max_pipelines` fails (the others go
/// on), a CREATE_PIPELINE for a pipeline that exists is refused, a Signal or
/// Close for an unknown pipeline is only acknowledged, arguments nested too
/// deeply fail their pipeline, and the end of input while operations run
/// cancels them and ends the session within the grace.
#[test]
fn limits_and_the_end_of_input_while_operations_run() {
    let mut config = Config::new(vec![xyz()]);
    config.max_pipelines = 2;
    let mut s = Session::new(config);
    let mut c = Client::new();
    open(&mut s, &mut c);
    let never = s_arg("ClassName", "XYZ_Bad") + &s_arg("MethodName", "NeverEnds");
    let stranger = Guid::parse("99999999-1111-40e1-8304-c2a117f08102").unwrap();
    let ids: Vec<Guid> = (1..=3)
        .map(|i| Guid::parse(&format!("{i:08x}-1111-40e1-8304-c2a117f08102")).unwrap())
        .collect();
    // Arguments nested too deeply (a reference chain is bounded by the
    // reader; hashtables by the conversion): that pipeline fails.
    let mut deep = r#"<S N="Value">x</S>"#.to_owned();
    for _ in 0..40 {
        deep = format!(
            r#"<Obj N="Value"><TN RefId="95"><T>System.Collections.Hashtable</T></TN><DCT><En><S N="Key">Part</S>{deep}</En></DCT></Obj>"#
        );
    }
    let deep = deep.replacen(r#"<Obj N="Value">"#, r#"<Obj N="V">"#, 1);
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        stranger,
        "New-CimInstance",
        &(s_arg("ClassName", "XYZ_Widget") + &arg("Property", &deep)),
    );
    let (state, rec) = final_state(&msgs);
    assert_eq!(state, 5);
    assert!(format!("{rec:?}").contains("nested"), "{rec:?}");
    for id in &ids[..2] {
        let line = c.data(
            m::CREATE_PIPELINE,
            *id,
            &create_pipeline("Invoke-CimMethod", &never),
            32_768,
        );
        let events = s.receive(&line).unwrap();
        assert!(
            matches!(events[..], [Event::PipelineStarted { .. }]),
            "{events:?}"
        );
    }
    // The same id again: refused, the running one untouched.
    let line = c.data(
        m::CREATE_PIPELINE,
        ids[0],
        &create_pipeline("Invoke-CimMethod", &never),
        32_768,
    );
    assert!(matches!(
        s.receive(&line).unwrap()[..],
        [Event::PipelineFailed { .. }]
    ));
    // A third: the most pipelines are open.
    let msgs = run_pipeline(&mut s, &mut c, ids[2], "Invoke-CimMethod", &never);
    let (state, rec) = final_state(&msgs);
    assert_eq!(state, 5);
    assert!(format!("{rec:?}").contains("pipelines open"), "{rec:?}");
    // Unknown pipelines: acknowledged, nothing else.
    assert_eq!(
        s.receive(&Packet::Signal(stranger).to_line()[..]).unwrap(),
        []
    );
    // The end of input while two operations run: both cancelled, the
    // session over, within the grace.
    let start = Instant::now();
    s.end_of_input();
    assert!(s.is_closed());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // Input after the end: refused, no panic.
    assert!(
        s.receive(b"<Close PSGuid='00000000-0000-0000-0000-000000000000' />")
            .is_err()
    );
}

/// A message larger than the maximum (in fragments, each small), and more
/// streams of fragments in flight than the session allows: a clean close.
#[test]
fn oversized_messages_and_too_many_streams_close_the_session() {
    let mut config = Config::new(vec![]);
    config.max_message_size = 4096;
    config.max_pipelines = 2;
    let mut s = Session::new(config.clone());
    let mut c = Client::new();
    let big = format!("<S>{}</S>", "x".repeat(8192));
    let line = c.data(m::SESSION_CAPABILITY, Guid::NIL, &big, 1000);
    let e = s.receive(&line).unwrap_err();
    assert!(e.fatal, "{e}");
    assert!(s.is_closed());

    // First fragments (no end) on more PSGuids than allowed.
    let mut s = Session::new(config);
    let mut c = Client::new();
    open(&mut s, &mut c);
    let mut fatal = false;
    for i in 0..5u32 {
        let pid = Guid::parse(&format!("{i:08x}-2222-40e1-8304-c2a117f08102")).unwrap();
        let whole = c.data(m::CREATE_PIPELINE, pid, &big[..2000], 500);
        let payload = match parse_line(&whole).unwrap() {
            Packet::Data { payload, .. } => payload,
            _ => unreachable!(),
        };
        // Only the first fragment: its message stays in flight.
        let first = FRAGMENT_HEADER_LEN + 500;
        let line = Packet::Data {
            stream: Stream::Default,
            guid: pid,
            payload: payload[..first].to_vec(),
        }
        .to_line();
        if let Err(e) = s.receive(&line[..line.len() - 1]) {
            assert!(e.fatal, "{e}");
            fatal = true;
            break;
        }
    }
    assert!(fatal && s.is_closed());
}

/// `-ErrorAction Stop` (and `$ErrorActionPreference = 'Stop'`): the first
/// error ends the pipeline Failed with ActionPreferenceStopException,
/// carrying that error's FullyQualifiedErrorId; without it the pipeline
/// completes with the error record alone.
#[test]
fn error_action_stop_fails_the_pipeline() {
    let mut s = Session::new(Config::new(vec![xyz()]));
    let mut c = Client::new();
    open(&mut s, &mut c);
    let missing = s_arg("ClassName", "XYZ_Widget") + &s_arg("Filter", "Name = 'nope'");
    let pid = |n: u32| Guid::parse(&format!("{n:08x}-0000-40e1-8304-c2a117f08102")).unwrap();
    let error_id = |msgs: &[Sent]| {
        let (_, _, d) = msgs
            .iter()
            .find(|(t, _, _)| *t == 0x0004_1005)
            .expect("an error record");
        let v = read_value(d).unwrap();
        v.member("FullyQualifiedErrorId")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    };
    let msgs = run_pipeline(&mut s, &mut c, pid(1), "Get-CimInstance", &missing);
    assert_eq!(final_state(&msgs).0, 4, "{msgs:?}");
    let id = error_id(&msgs);
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        pid(2),
        "Get-CimInstance",
        &(missing.clone() + &s_arg("ErrorAction", "Stop")),
    );
    let (state, rec) = final_state(&msgs);
    assert_eq!(state, 5);
    let rec = rec.unwrap();
    assert_eq!(
        rec.member("FullyQualifiedErrorId").and_then(Value::as_str),
        Some(id.as_str())
    );
    let ex = rec.member("Exception").unwrap();
    let message = ex.member("Message").and_then(Value::as_str).unwrap();
    assert!(
        message.starts_with(
            "The running command stopped because the preference variable \"ErrorActionPreference\" or common parameter is set to Stop: "
        ),
        "{message}"
    );
    assert_eq!(error_id(&msgs), id, "the record itself is sent too");
    // The preference variable, set by a script, does the same.
    let x = create_pipeline("$ErrorActionPreference = 'Stop'", "").replacen(
        r#"<B N="IsScript">false</B>"#,
        r#"<B N="IsScript">true</B>"#,
        1,
    );
    let line = c.data(m::CREATE_PIPELINE, pid(3), &x, 32_768);
    s.receive(&line).unwrap();
    let msgs = run_pipeline(&mut s, &mut c, pid(4), "Get-CimInstance", &missing);
    assert_eq!(final_state(&msgs).0, 5);
    // -ErrorAction Continue overrides it.
    let msgs = run_pipeline(
        &mut s,
        &mut c,
        pid(5),
        "Get-CimInstance",
        &(missing + &s_arg("ErrorAction", "Continue")),
    );
    assert_eq!(final_state(&msgs).0, 4);
}

/// A reconnect (CONNECT_RUNSPACEPOOL after the capability, as
/// Connect-PSSession sends it) is refused clearly: RUNSPACEPOOL_STATE
/// Broken carrying why, then the session ends.
#[test]
fn a_reconnect_is_refused_clearly() {
    let mut s = Session::new(Config::new(vec![xyz()]));
    let mut c = Client::new();
    let line = c.data(m::SESSION_CAPABILITY, Guid::NIL, CAPABILITY, 32_768);
    s.receive(&line).unwrap();
    let connect = r#"<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32></MS></Obj>"#;
    let line = c.data(0x0001_0008, Guid::NIL, connect, 32_768);
    let e = s.receive(&line).unwrap_err();
    assert!(
        e.fatal && e.message.contains("disconnected sessions"),
        "{e}"
    );
    assert!(s.is_closed());
    let got = s.poll_output().unwrap();
    let (_, _, d) = replies(&got)
        .into_iter()
        .flat_map(|(_, _, ms)| ms)
        .find(|(t, _, _)| *t == m::RUNSPACEPOOL_STATE)
        .expect("a pool state");
    let v = read_value(&d).unwrap();
    assert_eq!(v.member("RunspaceState"), Some(&Value::Int(5)));
    assert_eq!(
        v.member("ExceptionAsErrorRecord")
            .and_then(|r| r.member("FullyQualifiedErrorId"))
            .and_then(Value::as_str),
        Some("RemoteRunspacePoolReconnectNotSupported")
    );
}
