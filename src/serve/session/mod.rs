//! The server's state machine, sans I/O: transport lines in
//! ([`Session::receive`]), transport lines out ([`Session::poll_output`],
//! or [`Outbox::wait`] from a writer thread).
//!
//! Every PSRP message the session sends goes through one [`Pool`] (its
//! ObjectId counter and framed sink), the session's own messages
//! ([`Pool::send_message`]) and the providers' records alike; the framed
//! sink writes each message as one `<Data>` line into the [`Outbox`].
//! Transport answers (`DataAck`, `CommandAck`, `SignalAck`, `CloseAck`) go
//! into the same outbox, after the messages the element caused.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Instant;

mod pipelines;

pub use super::config::{Config, Event, ServeError};
use super::host_call::{PIPELINE_HOST_RESPONSE, read_response};
use super::input::Pending;
use super::messages::{self as m, Availability, SessionError, pool_state};
use super::outbox::Outbox;
use super::pipeline::Pipeline;
use super::preferences::Preferences;
use super::transport::{Packet, Stream, TransportError, parse_line, write_data};
use crate::host::{FragmentInfo, MiError, Pool};
use crate::mi::MI_REASON_SHUTDOWN;
use crate::psrp::fragment::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader};
use crate::psrp::message::{DESTINATION_SERVER, MESSAGE_HEADER_LEN, MessageHeader};
use crate::psrp::{DecodeError, Guid};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the client's SESSION_CAPABILITY.
    New,
    /// Capabilities exchanged.
    Negotiated,
    /// INIT_RUNSPACEPOOL answered.
    Opened,
    /// Over.
    Closed,
}

/// One client's session.
pub struct Session {
    config: Config,
    outbox: Arc<Outbox>,
    pool: Option<Arc<Pool>>,
    phase: Phase,
    /// One reassembler per PSGuid (the pool's and each pipeline's Data).
    defrag: HashMap<Guid, Defragmenter>,
    pipelines: HashMap<Guid, Pipeline>,
    /// Pipelines waiting for the end of their input.
    inputs: HashMap<Guid, Pending>,
    /// Bytes of a line not ended yet ([`Session::receive_bytes`]).
    partial: Vec<u8>,
    max_runspaces: i64,
    min_runspaces: i64,
    /// The runspace pool's host (INIT_RUNSPACEPOOL's HostInfo) can answer
    /// prompts: it has a UI.
    pool_ui: bool,
    /// Host call ids: one counter for the session (H2).
    calls: Arc<AtomicI64>,
    /// The preference variables the client set (they hold for its later
    /// pipelines, as runspace variables would).
    preferences: Preferences,
}

/// Whether a HostInfo (`_isHostNull`, `_isHostUINull`, …) has a UI: both
/// flags present and false (missing or undecodable: no host, H1).
fn host_has_ui(host: Option<&m::Value>) -> bool {
    let no = |name: &str| {
        matches!(
            host.and_then(|h| h.member(name)),
            Some(m::Value::Bool(false))
        )
    };
    no("_isHostNull") && no("_isHostUINull")
}

impl Session {
    /// A session serving `config`'s modules.
    pub fn new(config: Config) -> Session {
        let outbox = Arc::new(Outbox::new(config.max_queued_output));
        Session {
            config,
            outbox,
            pool: None,
            phase: Phase::New,
            defrag: HashMap::new(),
            pipelines: HashMap::new(),
            inputs: HashMap::new(),
            partial: Vec::new(),
            max_runspaces: 1,
            min_runspaces: 1,
            pool_ui: false,
            calls: Arc::new(AtomicI64::new(0)),
            preferences: Preferences::default(),
        }
    }

    /// The preference variables in force for the next pipeline.
    pub fn preferences(&self) -> Preferences {
        self.preferences
    }

    /// The outbox, for a writer thread.
    pub fn outbox(&self) -> Arc<Outbox> {
        Arc::clone(&self.outbox)
    }

    /// Every line queued so far, concatenated.
    pub fn poll_output(&self) -> Option<Vec<u8>> {
        self.outbox.take()
    }

    /// Whether the session is over (the caller drains the output and exits).
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// The pool, once the client's capability came.
    pub fn pool(&self) -> Option<&Arc<Pool>> {
        self.pool.as_ref()
    }

    /// Takes bytes as they arrive (any split), handling each whole line.
    /// A line longer than [`super::transport::MAX_LINE`] ends the session.
    pub fn receive_bytes(&mut self, mut bytes: &[u8]) -> Vec<Result<Vec<Event>, ServeError>> {
        let mut results = Vec::new();
        while !bytes.is_empty() && !self.is_closed() {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let line = if self.partial.is_empty() {
                        self.receive(&bytes[..i])
                    } else {
                        self.partial.extend_from_slice(&bytes[..i]);
                        let line = std::mem::take(&mut self.partial);
                        self.receive(&line)
                    };
                    results.push(line);
                    bytes = &bytes[i + 1..];
                }
                None => {
                    self.partial.extend_from_slice(bytes);
                    if self.partial.len() > super::transport::MAX_LINE {
                        let n = self.partial.len();
                        self.partial = Vec::new();
                        results.push(Err(self.fatal(TransportError::LineTooLong(n).to_string())));
                    }
                    break;
                }
            }
        }
        results
    }

    /// Handles one line (without its `\n`).
    pub fn receive(&mut self, line: &[u8]) -> Result<Vec<Event>, ServeError> {
        if self.is_closed() {
            return Err(ServeError {
                message: "the session is closed".into(),
                fatal: true,
            });
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let packet = match parse_line(line) {
            Ok(p) => p,
            // A bad Data cannot be acknowledged: the client would wait for
            // its DataAck forever, so the session ends.
            Err(
                e @ (TransportError::BadBase64
                | TransportError::LineTooLong(_)
                | TransportError::BadStream),
            ) => return Err(self.fatal(e.to_string())),
            Err(e) => {
                return Err(ServeError {
                    message: format!("ignored {e}"),
                    fatal: false,
                });
            }
        };
        let mut events = Vec::new();
        match packet {
            Packet::Data {
                stream: _,
                guid,
                payload,
            } => {
                // A host response comes on the PromptResponse stream (pypsrp)
                // or the Default one: both are read alike.
                self.data(guid, &payload, &mut events)?;
                if !self.is_closed() {
                    self.ack(Packet::DataAck(guid));
                }
            }
            Packet::Command(guid) => self.ack(Packet::CommandAck(guid)),
            Packet::Signal(guid) => {
                self.signal(guid, &mut events);
                self.ack(Packet::SignalAck(guid));
            }
            Packet::Close(guid) if guid.is_nil() => {
                self.end(true);
                self.ack(Packet::CloseAck(guid));
                self.outbox.finish();
                events.push(Event::Closed);
            }
            Packet::Close(guid) => {
                self.close_pipeline(guid);
                events.push(Event::PipelineClosed(guid));
                self.ack(Packet::CloseAck(guid));
            }
            // Acks from a client: nothing to do.
            Packet::DataAck(_)
            | Packet::CommandAck(_)
            | Packet::SignalAck(_)
            | Packet::CloseAck(_) => {}
        }
        Ok(events)
    }

    /// The end of input: every operation is ended (the pool's transport is
    /// gone: cancelled with `MI_REASON_SERVICESTOP`), waited for (bounded).
    pub fn end_of_input(&mut self) {
        if self.phase != Phase::Closed {
            if let Some(pool) = &self.pool {
                pool.transport_gone();
            }
            self.end(false);
        }
        self.outbox.finish();
    }

    fn ack(&self, p: Packet) {
        self.outbox.push(p.to_line(), false);
    }

    fn fatal(&mut self, message: String) -> ServeError {
        if self.phase != Phase::Closed {
            if let Some(pool) = &self.pool {
                let _ = pool.send_message(
                    m::RUNSPACEPOOL_STATE,
                    Guid::NIL,
                    &m::runspace_pool_state(pool_state::BROKEN),
                );
                pool.transport_gone();
            }
            self.end(false);
            self.outbox.finish();
        }
        ServeError {
            message,
            fatal: true,
        }
    }

    /// Ends every pipeline (cancel, bounded wait), then the pool: Closed is
    /// sent when `close` (a client's Close).
    fn end(&mut self, close: bool) {
        let until = Instant::now() + self.config.shutdown_grace;
        self.inputs.clear();
        for p in self.pipelines.values() {
            p.stop(MI_REASON_SHUTDOWN);
        }
        let ids: Vec<Guid> = self.pipelines.keys().copied().collect();
        for id in ids {
            if let Some(p) = self.pipelines.remove(&id) {
                p.release(until);
            }
        }
        if close && self.phase != Phase::New && self.phase != Phase::Closed {
            if let Some(pool) = &self.pool {
                let _ = pool.send_message(
                    m::RUNSPACEPOOL_STATE,
                    Guid::NIL,
                    &m::runspace_pool_state(pool_state::CLOSED),
                );
            }
        }
        self.phase = Phase::Closed;
    }

    fn data(
        &mut self,
        guid: Guid,
        payload: &[u8],
        events: &mut Vec<Event>,
    ) -> Result<(), ServeError> {
        let mut rest = payload;
        while !rest.is_empty() {
            let Some((head, after)) = rest.split_first_chunk::<FRAGMENT_HEADER_LEN>() else {
                return Err(self.fatal(format!(
                    "a fragment header cut short ({} bytes)",
                    rest.len()
                )));
            };
            let header = FragmentHeader::from_bytes(head);
            let len = header.blob_length as usize;
            if after.len() < len {
                return Err(self.fatal(format!(
                    "a fragment cut short: {len} bytes declared, {} there",
                    after.len()
                )));
            }
            let (blob, next) = after.split_at(len);
            rest = next;
            if !self.defrag.contains_key(&guid) && self.defrag.len() > self.config.max_pipelines {
                return Err(self.fatal("too many streams of fragments".into()));
            }
            let max = self.config.max_message_size as usize;
            let d = self
                .defrag
                .entry(guid)
                .or_insert_with(|| Defragmenter::with_max_message_size(max));
            match d.push(&header, blob) {
                Ok(Some((_, message))) => {
                    if !d.in_message() {
                        self.defrag.remove(&guid);
                    }
                    self.message(&message, events)?;
                    if self.is_closed() {
                        return Ok(());
                    }
                }
                Ok(None) => {}
                Err(e) => return Err(self.fatal(format!("bad fragments: {e}"))),
            }
        }
        Ok(())
    }

    fn message(&mut self, message: &[u8], events: &mut Vec<Event>) -> Result<(), ServeError> {
        let Some((head, data)) = message.split_first_chunk::<MESSAGE_HEADER_LEN>() else {
            let e = DecodeError::Truncated {
                what: "message header",
                needed: MESSAGE_HEADER_LEN,
                available: message.len(),
            };
            return Err(self.fatal(e.to_string()));
        };
        let header = MessageHeader::from_bytes(head);
        if header.destination != DESTINATION_SERVER {
            events.push(Event::Ignored {
                message_type: header.message_type,
            });
            return Ok(());
        }
        match (self.phase, header.message_type) {
            (Phase::New, m::SESSION_CAPABILITY) => {
                let pool = self.make_pool(header.runspace_pool_id);
                let _ =
                    pool.send_message(m::SESSION_CAPABILITY, Guid::NIL, &m::session_capability());
                self.phase = Phase::Negotiated;
                events.push(Event::Negotiated {
                    runspace_pool_id: header.runspace_pool_id,
                });
            }
            (Phase::New, t) => {
                return Err(self.fatal(format!(
                    "message type 0x{t:08x} before the session capability"
                )));
            }
            (_, _) if Some(header.runspace_pool_id) != self.pool.as_ref().map(|p| p.id()) => {
                events.push(Event::Ignored {
                    message_type: header.message_type,
                });
            }
            (Phase::Negotiated, m::CONNECT_RUNSPACEPOOL) => {
                // Reconnecting (Connect-PSSession, Receive-PSSession) needs
                // a pool kept past its connection: refused, clearly, and
                // the session ends (there is no pool to go on with).
                let e = SessionError::reconnect_refused();
                if let Some(pool) = &self.pool {
                    let _ = pool.send_message(
                        m::RUNSPACEPOOL_STATE,
                        Guid::NIL,
                        &m::runspace_pool_state_with_error(pool_state::BROKEN, &e),
                    );
                }
                self.end(false);
                self.outbox.finish();
                events.push(Event::Closed);
                return Err(ServeError {
                    message: e.message,
                    fatal: true,
                });
            }
            (Phase::Negotiated, m::INIT_RUNSPACEPOOL) => {
                let pool = self.pool.clone().expect("negotiated");
                let v = m::read_value(data).ok();
                self.pool_ui = host_has_ui(v.as_ref().and_then(|v| v.member("HostInfo")));
                let _ = pool.send_message(
                    m::APPLICATION_PRIVATE_DATA,
                    Guid::NIL,
                    &m::application_private_data(),
                );
                let _ = pool.send_message(
                    m::RUNSPACEPOOL_STATE,
                    Guid::NIL,
                    &m::runspace_pool_state(pool_state::OPENED),
                );
                self.phase = Phase::Opened;
                events.push(Event::Opened);
            }
            (
                Phase::Opened,
                t @ (m::SET_MAX_RUNSPACES
                | m::SET_MIN_RUNSPACES
                | m::GET_AVAILABLE_RUNSPACES
                | m::RESET_RUNSPACE_STATE),
            ) => {
                let v = m::read_value(data).ok();
                let Some(ci) = v.as_ref().and_then(m::call_id) else {
                    events.push(Event::Ignored { message_type: t });
                    return Ok(());
                };
                let count = |name: &str| match v.as_ref().and_then(|v| v.member(name)) {
                    Some(m::Value::Int(n)) => Some(*n),
                    _ => None,
                };
                let answer = match t {
                    // As PowerShell: a maximum below 1 or the minimum, or a
                    // minimum below 1 or above the maximum, is refused.
                    m::SET_MAX_RUNSPACES => match count("MaxRunspaces") {
                        Some(n) if n >= self.min_runspaces && n >= 1 => {
                            self.max_runspaces = n.min(1 << 20);
                            Availability::Done(true)
                        }
                        _ => Availability::Done(false),
                    },
                    m::SET_MIN_RUNSPACES => match count("MinRunspaces") {
                        Some(n) if n >= 1 && n <= self.max_runspaces => {
                            self.min_runspaces = n;
                            Availability::Done(true)
                        }
                        _ => Availability::Done(false),
                    },
                    m::GET_AVAILABLE_RUNSPACES => {
                        let busy = self.running() as i64;
                        Availability::Count((self.max_runspaces - busy).max(0))
                    }
                    // RESET_RUNSPACE_STATE: the variables the client set
                    // are gone, as a reset runspace's are.
                    _ => {
                        self.preferences = Preferences::default();
                        Availability::Done(true)
                    }
                };
                if let Some(pool) = &self.pool {
                    let _ = pool.send_message(
                        m::RUNSPACE_AVAILABILITY,
                        Guid::NIL,
                        &m::runspace_availability(ci, answer),
                    );
                }
                events.push(Event::Availability { message_type: t });
            }
            (Phase::Opened, m::CREATE_PIPELINE) => {
                self.create_pipeline(header.pipeline_id, data, events);
            }
            (Phase::Opened, m::PIPELINE_INPUT) => {
                let id = header.pipeline_id;
                let Some(pending) = self.inputs.get_mut(&id) else {
                    events.push(Event::Ignored {
                        message_type: m::PIPELINE_INPUT,
                    });
                    return Ok(());
                };
                let kept = m::read_value(data)
                    .map_err(|e| {
                        SessionError::parse(format!("PIPELINE_INPUT does not decode: {e}"))
                    })
                    .and_then(|v| pending.push(data.len(), v));
                if let Err(e) = kept {
                    self.inputs.remove(&id);
                    self.fail(id, &e, events);
                }
            }
            (Phase::Opened, m::END_OF_PIPELINE_INPUT) => {
                let id = header.pipeline_id;
                let Some(pending) = self.inputs.remove(&id) else {
                    events.push(Event::Ignored {
                        message_type: m::END_OF_PIPELINE_INPUT,
                    });
                    return Ok(());
                };
                let ui = pending.ui;
                match pending.bind(&self.preferences) {
                    Ok(bound) => self.run(id, bound, ui, events),
                    Err(e) => self.fail(id, &e, events),
                }
            }
            (Phase::Opened, PIPELINE_HOST_RESPONSE) => {
                let id = header.pipeline_id;
                let used = match (self.pipelines.get(&id), m::read_value(data).ok()) {
                    (Some(p), Some(v)) => match read_response(&v) {
                        Some((ci, answer)) => p.respond(ci, answer),
                        None => false,
                    },
                    _ => false,
                };
                events.push(if used {
                    Event::Answered(id)
                } else {
                    Event::Ignored {
                        message_type: PIPELINE_HOST_RESPONSE,
                    }
                });
            }
            (Phase::Opened, m::GET_COMMAND_METADATA) => {
                let e = SessionError::parse(
                    "Get-Command (GET_COMMAND_METADATA) is not supported by this endpoint \
                     (mi-psrp serve)"
                        .into(),
                );
                self.fail(header.pipeline_id, &e, events);
            }
            (_, t) => events.push(Event::Ignored { message_type: t }),
        }
        Ok(())
    }

    fn make_pool(&mut self, id: Guid) -> Arc<Pool> {
        let outbox = Arc::clone(&self.outbox);
        let mut message = Vec::new();
        let pool = Pool::new_framed(id, move |info: &FragmentInfo, fragment: &[u8]| {
            if info.start {
                message.clear();
            }
            message.extend_from_slice(fragment);
            if info.end {
                let mut line = Vec::with_capacity(message.len() * 4 / 3 + 100);
                write_data(
                    &mut line,
                    Stream::Default,
                    info.pipeline_id_text(),
                    &message,
                );
                message.clear();
                outbox.push(line, true);
            }
        });
        let _ = pool.set_max_message_size(self.config.max_message_size);
        self.pool = Some(Arc::clone(&pool));
        pool
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.phase != Phase::Closed {
            self.end_of_input();
        }
    }
}

impl From<MiError> for ServeError {
    fn from(e: MiError) -> Self {
        ServeError {
            message: e.to_string(),
            fatal: false,
        }
    }
}
