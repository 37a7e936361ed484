//! A PSRP client's side of `mi-psrp serve`, for the tests and benches that
//! drive the endpoint (tests/serve_config.rs, benches/serve.rs, which
//! includes it with `#[path]`): client messages as OutOfProc `<Data>` lines
//! (the project's own fragmenter), and the server's lines read back into
//! messages. The same shapes as tests/serve.rs's helpers.
#![allow(dead_code)]

use mi_psrp::psrp::fragment::fragment_message;
use mi_psrp::psrp::message::{DESTINATION_SERVER, MESSAGE_HEADER_LEN, MessageHeader};
use mi_psrp::psrp::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader, Guid};
use mi_psrp::serve::messages::{self as m, Value, read_value};
use mi_psrp::serve::transport::{Packet, Stream, parse_line};

pub const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";

pub const CAPABILITY: &str = r#"<Obj RefId="0"><MS><Version N="PSVersion">2.0</Version><Version N="protocolversion">2.3</Version><Version N="SerializationVersion">1.1.0.1</Version></MS></Obj>"#;
pub const INIT: &str =
    r#"<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32></MS></Obj>"#;

pub const OUTPUT: u32 = m::PIPELINE_OUTPUT;
pub const PROGRESS: u32 = 0x0004_1010;

/// A client: its messages as Data lines, with increasing ObjectIds.
pub struct Client {
    pub rpid: Guid,
    next_id: u64,
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        Client {
            rpid: Guid::parse(RPID).unwrap(),
            next_id: 1,
        }
    }

    /// One message as a `<Data>` line (without its `\n`).
    pub fn data(&mut self, message_type: u32, pipeline: Guid, clixml: &str) -> Vec<u8> {
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
        fragment_message(&message, self.next_id, 32_768, &mut fragments);
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

    /// SESSION_CAPABILITY then INIT_RUNSPACEPOOL, each line ended by `\n`.
    pub fn open_lines(&mut self) -> Vec<u8> {
        let mut out = self.data(m::SESSION_CAPABILITY, Guid::NIL, CAPABILITY);
        out.push(b'\n');
        out.extend(self.data(m::INIT_RUNSPACEPOOL, Guid::NIL, INIT));
        out.push(b'\n');
        out
    }

    /// CREATE_PIPELINE of one command with named arguments, `\n`-ended.
    pub fn create_pipeline_line(
        &mut self,
        pipeline: Guid,
        cmd: &str,
        args: &[(&str, &str)],
    ) -> Vec<u8> {
        let mut line = self.data(m::CREATE_PIPELINE, pipeline, &create_pipeline(cmd, args));
        line.push(b'\n');
        line
    }
}

/// A named argument: a string (`S`) or, when `value` starts with `<`, that CLIXML value.
fn arg(name: &str, value: &str) -> String {
    let v = if value.starts_with('<') {
        value.replacen('>', r#" N="V">"#, 1)
    } else {
        format!(r#"<S N="V">{value}</S>"#)
    };
    format!(r#"<Obj><MS><S N="N">{name}</S>{v}</MS></Obj>"#)
}

/// CREATE_PIPELINE's CLIXML: one command, structured (AddCommand/AddParameter).
pub fn create_pipeline(cmd: &str, args: &[(&str, &str)]) -> String {
    let args: String = args.iter().map(|(n, v)| arg(n, v)).collect();
    format!(
        r#"<Obj RefId="0"><MS><B N="NoInput">true</B><Obj RefId="4" N="PowerShell"><MS><Obj RefId="5" N="Cmds"><TN RefId="3"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><Obj RefId="6"><MS><S N="Cmd">{cmd}</S><Obj RefId="7" N="Args"><TNRef RefId="3" /><LST>{args}</LST></Obj><B N="IsScript">false</B></MS></Obj></LST></Obj></MS></Obj></MS></Obj>"#
    )
}

/// A message the server sent: type, pipeline, data.
pub type Sent = (u32, Guid, Vec<u8>);

/// Reads the server's lines as they come (any split): the elements'
/// names and the messages of their `<Data>`.
#[derive(Default)]
pub struct Reader {
    partial: Vec<u8>,
    defrag: std::collections::HashMap<Guid, Defragmenter>,
}

impl Reader {
    /// Feeds bytes; calls `each` with every element name, its PSGuid and
    /// the message (for `Data`, once per whole message; else `None`).
    pub fn feed(&mut self, mut bytes: &[u8], each: &mut dyn FnMut(&str, Guid, Option<Sent>)) {
        while let Some(i) = bytes.iter().position(|&b| b == b'\n') {
            let line = if self.partial.is_empty() {
                bytes[..i].to_vec()
            } else {
                self.partial.extend_from_slice(&bytes[..i]);
                std::mem::take(&mut self.partial)
            };
            bytes = &bytes[i + 1..];
            if !line.is_empty() {
                self.line(&line, each);
            }
        }
        self.partial.extend_from_slice(bytes);
    }

    fn line(&mut self, line: &[u8], each: &mut dyn FnMut(&str, Guid, Option<Sent>)) {
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
        if tag != "Data" {
            each(tag, guid, None);
            return;
        }
        let d = self.defrag.entry(guid).or_default();
        let mut rest = &payload[..];
        while !rest.is_empty() {
            let (head, after) = rest.split_first_chunk::<FRAGMENT_HEADER_LEN>().unwrap();
            let h = FragmentHeader::from_bytes(head);
            let (blob, next) = after.split_at(h.blob_length as usize);
            rest = next;
            if let Some((_, msg)) = d.push(&h, blob).unwrap() {
                let header =
                    MessageHeader::from_bytes(msg.first_chunk::<MESSAGE_HEADER_LEN>().unwrap());
                each(
                    tag,
                    guid,
                    Some((
                        header.message_type,
                        header.pipeline_id,
                        msg[MESSAGE_HEADER_LEN..].to_vec(),
                    )),
                );
            }
        }
    }
}

/// Every message in `bytes` (whole lines).
pub fn messages(bytes: &[u8]) -> Vec<Sent> {
    let mut out = Vec::new();
    Reader::default().feed(bytes, &mut |_, _, m| out.extend(m));
    out
}

/// A PIPELINE_STATE message's state (1 Running, 3 Stopped, 4 Completed, 5 Failed).
pub fn state_of(data: &[u8]) -> i64 {
    match read_value(data).unwrap().member("PipelineState") {
        Some(Value::Int(i)) => *i,
        other => panic!("{other:?}"),
    }
}

/// A PIPELINE_STATE message's error record, as text (empty when none).
pub fn state_error(data: &[u8]) -> String {
    format!(
        "{:?}",
        read_value(data).unwrap().member("ExceptionAsErrorRecord")
    )
}

/// A pipeline id from a number.
pub fn pipeline_id(i: u32) -> Guid {
    Guid::parse(&format!("{i:08x}-5e7e-40e1-8304-c2a117f08102")).unwrap()
}
