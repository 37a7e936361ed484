//! The client side of `mi-psrp serve`'s sans-IO tests: messages built with
//! the project's fragmenter as Data lines, the server's lines read back.
//! Shared by tests/serve.rs and tests/serve_prompts.rs (`#[path]`).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use mi_psrp::provider::module::Module;
use mi_psrp::psrp::fragment::fragment_message;
use mi_psrp::psrp::message::{DESTINATION_SERVER, MESSAGE_HEADER_LEN, MessageHeader};
use mi_psrp::psrp::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader, Guid};
use mi_psrp::serve::Session;
use mi_psrp::serve::messages::{self as m, Value, read_value};
use mi_psrp::serve::transport::{Packet, Stream, parse_line};

use super::common;

pub const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";

/// The xyz module (wide), a copy of its own per test: the module keeps its
/// instances in globals (its store), which another test's session would
/// unload under this one when they shared the library.
pub fn xyz() -> Arc<Module> {
    let tag: String = std::thread::current()
        .name()
        .unwrap_or("main")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    Module::load(common::modules::module_copy("xyz", 2, &tag)).expect("load xyz")
}

/// A client: its messages as Data lines, with increasing ObjectIds.
pub struct Client {
    pub rpid: Guid,
    pub next_id: u64,
}

impl Client {
    pub fn new() -> Client {
        Client {
            rpid: Guid::parse(RPID).unwrap(),
            next_id: 1,
        }
    }

    pub fn data(
        &mut self,
        message_type: u32,
        pipeline: Guid,
        clixml: &str,
        fragment_size: u32,
    ) -> Vec<u8> {
        let mut message = MessageHeader {
            destination: DESTINATION_SERVER,
            message_type,
            runspace_pool_id: self.rpid,
            pipeline_id: pipeline,
        }
        .to_bytes()
        .to_vec();
        message.extend_from_slice(b"\xEF\xBB\xBF");
        message.extend_from_slice(clixml.as_bytes());
        let mut fragments = Vec::new();
        fragment_message(&message, self.next_id, fragment_size, &mut fragments);
        self.next_id += 1;
        let mut line = Packet::Data {
            stream: Stream::Default,
            guid: pipeline,
            payload: fragments,
        }
        .to_line();
        line.pop();
        line
    }
}

/// A message the server sent: type, pipeline, data.
pub type Sent = (u32, Guid, Vec<u8>);

/// The server's lines: (element, PSGuid, messages).
pub fn replies(bytes: &[u8]) -> Vec<(String, Guid, Vec<Sent>)> {
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let p =
            parse_line(line).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(line)));
        let (tag, guid, payload) = match p {
            Packet::Data { guid, payload, .. } => ("Data", guid, payload),
            Packet::DataAck(g) => ("DataAck", g, vec![]),
            Packet::CommandAck(g) => ("CommandAck", g, vec![]),
            Packet::SignalAck(g) => ("SignalAck", g, vec![]),
            Packet::CloseAck(g) => ("CloseAck", g, vec![]),
            other => panic!("the server sent {other:?}"),
        };
        let mut messages = Vec::new();
        let mut d = Defragmenter::new();
        let mut rest = &payload[..];
        while !rest.is_empty() {
            let (head, after) = rest.split_first_chunk::<FRAGMENT_HEADER_LEN>().unwrap();
            let h = FragmentHeader::from_bytes(head);
            let (blob, next) = after.split_at(h.blob_length as usize);
            rest = next;
            if let Some((_, msg)) = d.push(&h, blob).unwrap() {
                let header =
                    MessageHeader::from_bytes(msg.first_chunk::<MESSAGE_HEADER_LEN>().unwrap());
                messages.push((
                    header.message_type,
                    header.pipeline_id,
                    msg[MESSAGE_HEADER_LEN..].to_vec(),
                ));
            }
        }
        out.push((tag.to_owned(), guid, messages));
    }
    out
}

/// Waits until the session's output holds a line with `needle`.
pub fn drain_until(session: &Session, got: &mut Vec<u8>, needle: &dyn Fn(&[u8]) -> bool) {
    let start = Instant::now();
    loop {
        if let Some(b) = session.poll_output() {
            got.extend_from_slice(&b);
        }
        if needle(got) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {}",
            String::from_utf8_lossy(got)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub const CAPABILITY: &str = r#"<Obj RefId="0"><MS><Version N="PSVersion">2.0</Version><Version N="protocolversion">2.3</Version><Version N="SerializationVersion">1.1.0.1</Version></MS></Obj>"#;
pub const INIT: &str =
    r#"<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32></MS></Obj>"#;

pub fn create_pipeline(cmd: &str, args: &str) -> String {
    format!(
        r#"<Obj RefId="0"><MS><B N="NoInput">true</B><Obj RefId="4" N="PowerShell"><MS><Obj RefId="5" N="Cmds"><TN RefId="3"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><Obj RefId="6"><MS><S N="Cmd">{cmd}</S><Obj RefId="7" N="Args"><TNRef RefId="3" /><LST>{args}</LST></Obj><B N="IsScript">false</B></MS></Obj></LST></Obj></MS></Obj></MS></Obj>"#
    )
}

pub fn state_of(data: &[u8]) -> i64 {
    match read_value(data).unwrap().member("PipelineState") {
        Some(Value::Int(i)) => *i,
        other => panic!("{other:?}"),
    }
}

pub fn open(session: &mut Session, client: &mut Client) -> Vec<u8> {
    for (t, x) in [
        (m::SESSION_CAPABILITY, CAPABILITY),
        (m::INIT_RUNSPACEPOOL, INIT),
    ] {
        let line = client.data(t, Guid::NIL, x, 32_768);
        session.receive(&line).unwrap();
    }
    session.poll_output().unwrap()
}
pub fn data_line(payload: &[u8]) -> Vec<u8> {
    let mut l = Packet::Data {
        stream: Stream::Default,
        guid: Guid::NIL,
        payload: payload.to_vec(),
    }
    .to_line();
    l.pop();
    l
}
/// One named argument of CREATE_PIPELINE's `Args`.
pub fn arg(name: &str, value_xml: &str) -> String {
    format!(r#"<Obj><MS><S N="N">{name}</S>{value_xml}</MS></Obj>"#)
}

pub fn s_arg(name: &str, text: &str) -> String {
    arg(name, &format!(r#"<S N="V">{text}</S>"#))
}

pub fn switch_arg(name: &str) -> String {
    arg(name, r#"<Nil N="V" />"#)
}

/// A hashtable value (`@{…}`) of entries given as CLIXML values.
pub fn table(entries: &[(&str, &str)]) -> String {
    let mut x = String::from(
        r#"<Obj N="V"><TN RefId="90"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT>"#,
    );
    for (k, v) in entries {
        x.push_str(&format!(
            r#"<En><S N="Key">{k}</S>{}</En>"#,
            v.replacen('>', r#" N="Value">"#, 1)
        ));
    }
    x.push_str("</DCT></Obj>");
    x
}

/// Runs one pipeline to its end: the messages sent for it.
pub fn run_pipeline(
    s: &mut Session,
    c: &mut Client,
    pid: Guid,
    cmd: &str,
    args: &str,
) -> Vec<Sent> {
    let line = c.data(m::CREATE_PIPELINE, pid, &create_pipeline(cmd, args), 32_768);
    s.receive(&line).unwrap();
    let mut got = Vec::new();
    let ended = |b: &[u8]| {
        replies(b)
            .iter()
            .flat_map(|(_, _, ms)| ms.iter())
            .any(|(t, p, d)| *t == m::PIPELINE_STATE && *p == pid && state_of(d) >= 3)
    };
    drain_until(s, &mut got, &ended);
    replies(&got)
        .into_iter()
        .flat_map(|(_, _, ms)| ms)
        .filter(|(_, p, _)| *p == pid)
        .collect()
}

pub const OUTPUT: u32 = 0x0004_1004;
pub const WARNING: u32 = 0x0004_1009;

pub fn outputs(msgs: &[Sent]) -> Vec<String> {
    msgs.iter()
        .filter(|(t, _, _)| *t == OUTPUT)
        .map(|(_, _, d)| String::from_utf8_lossy(d).into_owned())
        .collect()
}

pub fn final_state(msgs: &[Sent]) -> (i64, Option<Value>) {
    let (_, _, d) = msgs
        .iter()
        .rev()
        .find(|(t, _, _)| *t == m::PIPELINE_STATE)
        .unwrap();
    let v = read_value(d).unwrap();
    (state_of(d), v.member("ExceptionAsErrorRecord").cloned())
}

/// An output sent back as `-InputObject` (as a client re-serializes a
/// deserialized CimInstance).
pub fn input_object(output: &str) -> String {
    let body = output.trim_start_matches('\u{feff}');
    arg(
        "InputObject",
        &body.replacen(r#"<Obj RefId="0">"#, r#"<Obj N="V" RefId="900">"#, 1),
    )
}

impl Client {
    /// As [`Client::data`], on a given stream (`PromptResponse` for host
    /// responses, as pypsrp sends them).
    pub fn data_on(
        &mut self,
        stream: Stream,
        message_type: u32,
        pipeline: Guid,
        clixml: &str,
    ) -> Vec<u8> {
        let line = self.data(message_type, pipeline, clixml, 32_768);
        let Ok(Packet::Data { guid, payload, .. }) = parse_line(&line) else {
            panic!("a Data line")
        };
        let mut line = Packet::Data {
            stream,
            guid,
            payload,
        }
        .to_line();
        line.pop();
        line
    }
}

/// A HostInfo member: a host with a UI (and no RawUI, as pypsrp's), or
/// none; `_useRunspaceHost` as given.
pub fn host_info(ui: bool, use_runspace_host: bool) -> String {
    format!(
        r#"<Obj N="HostInfo" RefId="3"><MS><B N="_isHostNull">{n}</B><B N="_isHostUINull">{n}</B><B N="_isHostRawUINull">true</B><B N="_useRunspaceHost">{use_runspace_host}</B></MS></Obj>"#,
        n = !ui
    )
}

/// INIT_RUNSPACEPOOL with `host` (a [`host_info`]).
pub fn init_with(host: &str) -> String {
    format!(
        r#"<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32>{host}</MS></Obj>"#
    )
}

/// CREATE_PIPELINE of one command with `host` (a [`host_info`]).
pub fn create_pipeline_with(cmd: &str, args: &str, host: &str) -> String {
    create_pipeline(cmd, args).replacen(
        r#"<B N="NoInput">true</B>"#,
        &format!(r#"<B N="NoInput">true</B>{host}"#),
        1,
    )
}

/// Opens a session whose pool's host is `host`.
pub fn open_with(session: &mut Session, client: &mut Client, host: &str) -> Vec<u8> {
    for (t, x) in [
        (m::SESSION_CAPABILITY, CAPABILITY.to_owned()),
        (m::INIT_RUNSPACEPOOL, init_with(host)),
    ] {
        let line = client.data(t, Guid::NIL, &x, 32_768);
        session.receive(&line).unwrap();
    }
    session.poll_output().unwrap()
}

/// The messages of pipeline `pid` in `got`.
pub fn of_pipeline(got: &[u8], pid: Guid) -> Vec<Sent> {
    replies(got)
        .into_iter()
        .flat_map(|(_, _, ms)| ms)
        .filter(|(_, p, _)| *p == pid)
        .collect()
}

/// Whether `got` holds pipeline `pid`'s final state.
pub fn pipeline_ended(got: &[u8], pid: Guid) -> bool {
    of_pipeline(got, pid)
        .iter()
        .any(|(t, _, d)| *t == m::PIPELINE_STATE && state_of(d) >= 3)
}
