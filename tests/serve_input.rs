//! `mi-psrp serve`'s pipeline input: CREATE_PIPELINE with `NoInput` false,
//! PIPELINE_INPUT objects bound to `-InputObject` one operation each, and
//! END_OF_PIPELINE_INPUT; remembered confirmations across the piped
//! instances; input no parameter takes; a stop before the input ended.

#[path = "serve/client.rs"]
mod client;
mod common;

use client::*;
use mi_psrp::provider::module::Module;
use mi_psrp::psrp::Guid;
use mi_psrp::serve::host_call::{PIPELINE_HOST_CALL, PIPELINE_HOST_RESPONSE};
use mi_psrp::serve::messages::{self as m, Value, read_value};
use mi_psrp::serve::{Config, Event, Session};

const OUTPUT: u32 = 0x0004_1004;

fn pid(n: u32) -> Guid {
    Guid::parse(&format!("{n:08x}-0000-40e1-8304-c2a117f08102")).unwrap()
}

/// CREATE_PIPELINE expecting input.
fn create_with_input(c: &mut Client, id: Guid, cmd: &str, args: &str) -> Vec<u8> {
    let x = create_pipeline_with(cmd, args, &host_info(false, true)).replacen(
        r#"<B N="NoInput">true</B>"#,
        r#"<B N="NoInput">false</B>"#,
        1,
    );
    c.data(m::CREATE_PIPELINE, id, &x, 32_768)
}

fn input(s: &mut Session, c: &mut Client, id: Guid, objects: &[String]) -> Vec<Event> {
    let mut events = Vec::new();
    for o in objects {
        let body = o.trim_start_matches('\u{feff}');
        let line = c.data(m::PIPELINE_INPUT, id, body, 32_768);
        events.extend(s.receive(&line).unwrap());
    }
    let line = c.data(m::END_OF_PIPELINE_INPUT, id, "", 32_768);
    events.extend(s.receive(&line).unwrap());
    events
}

fn widgets(s: &mut Session, c: &mut Client, id: Guid) -> Vec<String> {
    outputs(&run_pipeline(
        s,
        c,
        id,
        "Get-CimInstance",
        &s_arg("ClassName", "XYZ_Widget"),
    ))
}

fn names(msgs: &[Sent]) -> Vec<String> {
    let mut n: Vec<String> = msgs
        .iter()
        .filter(|(t, _, _)| *t == OUTPUT)
        .map(|(_, _, d)| {
            let v = read_value(d).unwrap();
            v.member("Name").and_then(Value::as_str).unwrap().to_owned()
        })
        .collect();
    n.sort();
    n
}

#[test]
fn input_objects_run_one_operation_each() {
    let mut s = Session::new(Config::new(vec![xyz()]));
    let mut c = Client::new();
    open_with(&mut s, &mut c, &host_info(true, false));
    let all = widgets(&mut s, &mut c, pid(1));
    assert_eq!(all.len(), 2);

    // Get-CimInstance with the instances as input: GetInstance each.
    let id = pid(2);
    let events = s
        .receive(&create_with_input(&mut c, id, "Get-CimInstance", ""))
        .unwrap();
    assert_eq!(events, [Event::AwaitingInput(id)]);
    let events = input(&mut s, &mut c, id, &all);
    assert!(
        matches!(&events[..], [Event::PipelineStarted { .. }]),
        "{events:?}"
    );
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| pipeline_ended(b, id));
    let msgs = of_pipeline(&got, id);
    assert_eq!(names(&msgs), ["alpha", "beta"]);
    assert_eq!(final_state(&msgs).0, 4);

    // No input: a command that needs it does nothing, and completes.
    let id = pid(3);
    s.receive(&create_with_input(&mut c, id, "Remove-CimInstance", ""))
        .unwrap();
    input(&mut s, &mut c, id, &[]);
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| pipeline_ended(b, id));
    let msgs = of_pipeline(&got, id);
    assert_eq!(msgs.len(), 2, "Running, Completed: {msgs:?}");
    assert_eq!(final_state(&msgs).0, 4);

    // A command complete without input, given input: InputObjectNotBound.
    let id = pid(4);
    s.receive(&create_with_input(
        &mut c,
        id,
        "Get-CimInstance",
        &s_arg("ClassName", "XYZ_Widget"),
    ))
    .unwrap();
    let events = input(&mut s, &mut c, id, &all[..1]);
    assert!(
        matches!(&events[..], [Event::PipelineFailed { .. }]),
        "{events:?}"
    );
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| pipeline_ended(b, id));
    let (state, rec) = final_state(&of_pipeline(&got, id));
    assert_eq!(state, 5);
    assert!(
        format!("{rec:?}").contains("InputObjectNotBound,"),
        "{rec:?}"
    );

    // Input that is not an instance: the binding error of -InputObject.
    let id = pid(5);
    s.receive(&create_with_input(&mut c, id, "Remove-CimInstance", ""))
        .unwrap();
    let events = input(&mut s, &mut c, id, &["<S>alpha</S>".to_owned()]);
    assert!(
        matches!(&events[..], [Event::PipelineFailed { .. }]),
        "{events:?}"
    );

    // A stop before the input ended: Stopped, nothing run; later input
    // for it is ignored.
    let id = pid(6);
    s.receive(&create_with_input(&mut c, id, "Remove-CimInstance", ""))
        .unwrap();
    let line = format!("<Signal PSGuid='{}' />", m::guid_text(id));
    assert_eq!(s.receive(line.as_bytes()).unwrap(), [Event::Stopping(id)]);
    let events = input(&mut s, &mut c, id, &all[..1]);
    assert_eq!(
        events,
        [
            Event::Ignored {
                message_type: m::PIPELINE_INPUT
            },
            Event::Ignored {
                message_type: m::END_OF_PIPELINE_INPUT
            }
        ]
    );
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| pipeline_ended(b, id));
    assert_eq!(final_state(&of_pipeline(&got, id)).0, 3);
    assert_eq!(widgets(&mut s, &mut c, pid(7)).len(), 2, "nothing removed");
}

/// `… | Remove-CimInstance -Confirm`: Yes to All at the first instance
/// answers the others (PowerShell keeps it per command invocation).
#[test]
fn yes_to_all_holds_across_the_piped_instances() {
    let module = Module::load(common::modules::module_copy("xyz", 2, "serve-input")).unwrap();
    let mut s = Session::new(Config::new(vec![module]));
    let mut c = Client::new();
    open_with(&mut s, &mut c, &host_info(true, false));
    let all = widgets(&mut s, &mut c, pid(1));
    let id = pid(2);
    s.receive(&create_with_input(
        &mut c,
        id,
        "Remove-CimInstance",
        &switch_arg("Confirm"),
    ))
    .unwrap();
    input(&mut s, &mut c, id, &all);
    let mut got = Vec::new();
    drain_until(&s, &mut got, &|b| {
        of_pipeline(b, id)
            .iter()
            .any(|(t, _, _)| *t == PIPELINE_HOST_CALL)
    });
    let call = of_pipeline(&got, id)
        .into_iter()
        .find(|(t, _, _)| *t == PIPELINE_HOST_CALL)
        .unwrap()
        .2;
    let ci = m::call_id(&read_value(&call).unwrap()).unwrap();
    let answer =
        format!(r#"<Obj RefId="0"><MS><I64 N="ci">{ci}</I64><I32 N="mr">1</I32></MS></Obj>"#);
    let line = c.data(PIPELINE_HOST_RESPONSE, id, &answer, 32_768);
    assert_eq!(s.receive(&line).unwrap(), [Event::Answered(id)]);
    drain_until(&s, &mut got, &|b| pipeline_ended(b, id));
    let msgs = of_pipeline(&got, id);
    assert_eq!(
        msgs.iter()
            .filter(|(t, _, _)| *t == PIPELINE_HOST_CALL)
            .count(),
        1
    );
    assert_eq!(final_state(&msgs).0, 4);
    assert!(widgets(&mut s, &mut c, pid(3)).is_empty(), "both removed");
}
