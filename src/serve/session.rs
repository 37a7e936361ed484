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

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::commands::{Bound, Operation, bind, read_create_pipeline, to_cim};
use super::messages::{self as m, Availability, SessionError, pipeline_state, pool_state};
use super::transport::{Packet, Stream, TransportError, parse_line, write_data};
use crate::host::{Context, FragmentInfo, MiError, Outcome, Pool, ProviderText};
use crate::mi::{MI_REASON_NONE, MI_REASON_SHUTDOWN};
use crate::provider::context::ProviderContext;
use crate::provider::instance::HeapInstance;
use crate::provider::module::Module;
use crate::provider::operation::{Request, run};
use crate::psrp::fragment::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader};
use crate::psrp::message::{DESTINATION_SERVER, MESSAGE_HEADER_LEN, MessageHeader};
use crate::psrp::{DecodeError, Guid};

/// The session's limits and modules.
#[derive(Clone)]
pub struct Config {
    /// The provider modules; classes are looked up in this order.
    pub modules: Vec<Arc<Module>>,
    /// The most pipelines open at once.
    pub max_pipelines: usize,
    /// The largest message, in and out (header included).
    pub max_message_size: u32,
    /// How long ending the session waits for the providers to end their
    /// operations after the cancel.
    pub shutdown_grace: Duration,
    /// Output bytes queued before provider threads wait for the writer.
    pub max_queued_output: usize,
}

impl Config {
    /// The defaults for `modules`: 64 pipelines, 1 MiB messages, 5 s grace,
    /// 16 MiB of queued output.
    pub fn new(modules: Vec<Arc<Module>>) -> Config {
        Config {
            modules,
            max_pipelines: 64,
            max_message_size: crate::host::pool::DEFAULT_MAX_MESSAGE_SIZE,
            shutdown_grace: Duration::from_secs(5),
            max_queued_output: 16 << 20,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("modules", &self.modules.len())
            .field("max_pipelines", &self.max_pipelines)
            .finish_non_exhaustive()
    }
}

/// What the session did with an element, for logs and tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The client's capability came; the pool exists.
    Negotiated {
        /// The runspace pool id.
        runspace_pool_id: Guid,
    },
    /// INIT_RUNSPACEPOOL: the pool is open.
    Opened,
    /// A runspace availability request was answered.
    Availability {
        /// The request's message type.
        message_type: u32,
    },
    /// A pipeline started its operation.
    PipelineStarted {
        /// The pipeline.
        id: Guid,
        /// What it runs.
        command: Bound,
    },
    /// A pipeline could not run (PIPELINE_STATE Failed sent).
    PipelineFailed {
        /// The pipeline.
        id: Guid,
        /// The error's message.
        message: String,
    },
    /// A Signal: the pipeline's operation was cancelled.
    Stopping(Guid),
    /// A pipeline was closed.
    PipelineClosed(Guid),
    /// A message the session does not handle, ignored.
    Ignored {
        /// Its type.
        message_type: u32,
    },
    /// The session is over (Close, end of input, or a fatal error).
    Closed,
}

/// What went wrong with an element. `fatal`: the session could not go on
/// and is closed (RUNSPACEPOOL_STATE Broken was sent when the pool existed).
#[derive(Debug, Clone, PartialEq)]
pub struct ServeError {
    /// Why.
    pub message: String,
    /// The session ended because of it.
    pub fatal: bool,
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if self.fatal {
            f.write_str(" (the session is closed)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServeError {}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Default)]
struct Queue {
    lines: VecDeque<Vec<u8>>,
    bytes: usize,
    /// No more output will come.
    finished: bool,
    /// The writer is gone: drop output instead of waiting.
    discard: bool,
}

/// The lines waiting to be written, shared by the session, the pool's sink
/// (on provider threads) and a writer.
#[derive(Default)]
pub struct Outbox {
    queue: Mutex<Queue>,
    changed: Condvar,
    limit: usize,
}

impl Outbox {
    fn push(&self, line: Vec<u8>, wait_for_room: bool) {
        let mut q = lock(&self.queue);
        if q.discard {
            return;
        }
        while wait_for_room && q.bytes > self.limit && !q.discard {
            q = self.changed.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        q.bytes += line.len();
        q.lines.push_back(line);
        self.changed.notify_all();
    }

    /// Takes every queued line, concatenated (`None`: nothing queued).
    pub fn take(&self) -> Option<Vec<u8>> {
        let mut q = lock(&self.queue);
        if q.lines.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(q.bytes);
        for l in q.lines.drain(..) {
            out.extend_from_slice(&l);
        }
        q.bytes = 0;
        self.changed.notify_all();
        Some(out)
    }

    /// Waits up to `timeout` for output, then takes it. `Err(())` when the
    /// session is finished and everything was taken.
    #[allow(clippy::result_unit_err)]
    pub fn wait(&self, timeout: Duration) -> Result<Option<Vec<u8>>, ()> {
        let deadline = Instant::now() + timeout;
        let mut q = lock(&self.queue);
        while q.lines.is_empty() && !q.finished {
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            q = self
                .changed
                .wait_timeout(q, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        if q.lines.is_empty() {
            return Err(());
        }
        drop(q);
        Ok(self.take())
    }

    /// The writer cannot write any more (a broken pipe): output is dropped
    /// from now on and nothing waits for room.
    pub fn discard(&self) {
        let mut q = lock(&self.queue);
        q.discard = true;
        q.lines.clear();
        q.bytes = 0;
        self.changed.notify_all();
    }

    fn finish(&self) {
        lock(&self.queue).finished = true;
        self.changed.notify_all();
    }
}

/// What a pipeline's provider thread and completion callback share.
#[derive(Default)]
struct Shared {
    stop_requested: AtomicBool,
    /// The operation ended (its PIPELINE_STATE was sent).
    ended: Mutex<bool>,
    /// The provider thread let go of the context and instances.
    released: Mutex<bool>,
    changed: Condvar,
}

impl Shared {
    fn set(&self, which: &Mutex<bool>) {
        *lock(which) = true;
        self.changed.notify_all();
    }

    fn wait(&self, which: &Mutex<bool>, until: Instant) -> bool {
        let mut done = lock(which);
        while !*done {
            let now = Instant::now();
            if now >= until {
                return false;
            }
            done = self
                .changed
                .wait_timeout(done, until - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

struct Pipeline {
    shared: Arc<Shared>,
    /// The context, to cancel it (the provider thread owns the other handle).
    context: Option<Arc<ProviderContext>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

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
    /// Bytes of a line not ended yet ([`Session::receive_bytes`]).
    partial: Vec<u8>,
    max_runspaces: i64,
    min_runspaces: i64,
}

impl Session {
    /// A session serving `config`'s modules.
    pub fn new(config: Config) -> Session {
        let outbox = Arc::new(Outbox {
            limit: config.max_queued_output,
            ..Outbox::default()
        });
        Session {
            config,
            outbox,
            pool: None,
            phase: Phase::New,
            defrag: HashMap::new(),
            pipelines: HashMap::new(),
            partial: Vec::new(),
            max_runspaces: 1,
            min_runspaces: 1,
        }
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
                stream,
                guid,
                payload,
            } => {
                if stream == Stream::PromptResponse {
                    events.push(Event::Ignored { message_type: 0 });
                } else {
                    self.data(guid, &payload, &mut events)?;
                }
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
        for p in self.pipelines.values() {
            if let Some(ctx) = &p.context {
                if !*lock(&p.shared.ended) {
                    p.shared.stop_requested.store(true, Ordering::SeqCst);
                    let _ = ctx.context().cancel(MI_REASON_SHUTDOWN);
                }
            }
        }
        let ids: Vec<Guid> = self.pipelines.keys().copied().collect();
        for id in ids {
            if let Some(p) = self.pipelines.remove(&id) {
                release(p, until);
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
            (Phase::Negotiated, m::INIT_RUNSPACEPOOL) => {
                let pool = self.pool.clone().expect("negotiated");
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
                    _ => Availability::Done(true),
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

    /// Pipelines whose operation goes on.
    fn running(&self) -> usize {
        self.pipelines
            .values()
            .filter(|p| !*lock(&p.shared.ended))
            .count()
    }

    fn fail(&mut self, id: Guid, e: &SessionError, events: &mut Vec<Event>) {
        if let Some(pool) = &self.pool {
            let _ = pool.send_message(
                m::PIPELINE_STATE,
                id,
                &pipeline_state(m::pipeline_state::FAILED, Some(e)),
            );
        }
        events.push(Event::PipelineFailed {
            id,
            message: e.message.clone(),
        });
    }

    fn create_pipeline(&mut self, id: Guid, data: &[u8], events: &mut Vec<Event>) {
        if id.is_nil() || self.pipelines.contains_key(&id) {
            let e = SessionError::parse(format!(
                "CREATE_PIPELINE for pipeline {} that {}",
                m::guid_text(id),
                if id.is_nil() { "is nil" } else { "exists" }
            ));
            if !id.is_nil() {
                events.push(Event::PipelineFailed {
                    id,
                    message: e.message,
                });
            }
            return;
        }
        // Pipelines that ended and were not closed are let go of first.
        let done: Vec<Guid> = self
            .pipelines
            .iter()
            .filter(|(_, p)| *lock(&p.shared.released))
            .map(|(g, _)| *g)
            .collect();
        if self.pipelines.len() >= self.config.max_pipelines {
            for g in done {
                if let Some(p) = self.pipelines.remove(&g) {
                    release(p, Instant::now());
                }
            }
        }
        if self.pipelines.len() >= self.config.max_pipelines {
            let e = SessionError::cim(
                "Invoke-CimMethod",
                27,
                format!(
                    "this session already has {} pipelines open (the most it allows)",
                    self.config.max_pipelines
                ),
                "",
            );
            return self.fail(id, &e, events);
        }
        let bound = m::read_value(data)
            .map_err(|e| SessionError::parse(format!("CREATE_PIPELINE does not decode: {e}")))
            .and_then(|v| {
                read_create_pipeline(&v)
                    .map_err(|e| SessionError::parse(format!("CREATE_PIPELINE: {e}")))
            })
            .and_then(|cmds| bind(&cmds));
        let bound = match bound {
            Ok(b) => b,
            Err(e) => return self.fail(id, &e, events),
        };
        match self.start(id, &bound) {
            Ok(()) => events.push(Event::PipelineStarted { id, command: bound }),
            Err(e) => self.fail(id, &e, events),
        }
    }

    /// Finds the class, makes the parameters, and runs the operation on a
    /// thread of its own.
    fn start(&mut self, id: Guid, b: &Bound) -> Result<(), SessionError> {
        let found = self.config.modules.iter().find_map(|module| {
            module
                .class_names()
                .into_iter()
                .find(|n| n.eq_ignore_ascii_case(&b.class))
                .map(|n| (Arc::clone(module), n))
        });
        let Some((module, class)) = found else {
            return Err(SessionError::cim(
                b.command,
                5,
                format!(
                    "Invalid class: no module of this endpoint has class {} (namespace {})",
                    b.class, b.namespace
                ),
                &b.class,
            ));
        };
        let parameters = match &b.operation {
            Operation::Enumerate { .. } => None,
            Operation::Invoke { method, arguments } => {
                let params = module.new_parameters(&class, method).map_err(|_| {
                    SessionError::cim(
                        b.command,
                        17,
                        format!("Method not found: class {class} has no method {method}"),
                        method,
                    )
                })?;
                for (name, value) in arguments {
                    let Some((t, _)) = module.element_type(&params, name) else {
                        return Err(SessionError::cim(
                            b.command,
                            4,
                            format!(
                                "Invalid parameter: method {class}.{method} has no parameter {name}"
                            ),
                            name,
                        ));
                    };
                    let v = to_cim(value, t, name).map_err(|e| {
                        SessionError::parameter_binding(
                            b.command,
                            "ParameterArgumentTransformationError",
                            "Arguments",
                            e,
                        )
                    })?;
                    module.set(&params, name, v.as_ref()).map_err(|e| {
                        SessionError::parameter_binding(
                            b.command,
                            "ParameterArgumentTransformationError",
                            "Arguments",
                            format!("parameter {name}: {e}"),
                        )
                    })?;
                }
                Some(params)
            }
        };
        let pool = self.pool.clone().expect("opened");
        let ctx = Context::with_char_type(&pool, id, -1, -1, module.char_type())
            .map_err(|e| SessionError::parse(format!("no context: {e}")))?;
        let _ = ctx.set_message_requested(1, b.verbose);
        let _ = ctx.set_message_requested(2, b.debug);
        let shared = Arc::new(Shared::default());
        let done = Arc::clone(&shared);
        let state_pool = Arc::clone(&pool);
        ctx.on_complete(Box::new(move |_: &Outcome| {
            let stopped = done.stop_requested.load(Ordering::SeqCst);
            let msg = if stopped {
                pipeline_state(m::pipeline_state::STOPPED, Some(&SessionError::stopped()))
            } else {
                pipeline_state(m::pipeline_state::COMPLETED, None)
            };
            let _ = state_pool.send_message(m::PIPELINE_STATE, id, &msg);
            done.set(&done.ended);
        }));
        let pc = Arc::new(ProviderContext::new(ctx));
        // Running goes out before anything of the operation's.
        let _ = pool.send_message(
            m::PIPELINE_STATE,
            id,
            &pipeline_state(m::pipeline_state::RUNNING, None),
        );
        let thread_pc = Arc::clone(&pc);
        let released = Arc::clone(&shared);
        let namespace = b.namespace.clone();
        let operation = b.operation.clone();
        let thread = std::thread::Builder::new()
            .name(format!("pipeline {}", m::guid_text(id)))
            .spawn(move || {
                operate(
                    &module,
                    &thread_pc,
                    &namespace,
                    &class,
                    &operation,
                    parameters.as_ref(),
                );
                // The provider may end the operation later, on another
                // thread; the parameters live until it did.
                let _ = thread_pc.context().wait(None);
                drop(thread_pc);
                drop(parameters);
                drop(module);
                released.set(&released.released);
            });
        let thread = match thread {
            Ok(t) => Some(t),
            Err(_) => {
                let _ = pc.context().post_error(
                    crate::mi::MI_RESULT_SERVER_LIMITS_EXCEEDED,
                    Some(ProviderText::utf8(b"MI")),
                    Some(ProviderText::utf8(b"no thread for the operation")),
                );
                shared.set(&shared.released);
                None
            }
        };
        self.pipelines.insert(
            id,
            Pipeline {
                shared,
                context: Some(pc),
                thread,
            },
        );
        Ok(())
    }

    fn signal(&mut self, id: Guid, events: &mut Vec<Event>) {
        let Some(p) = self.pipelines.get(&id) else {
            return;
        };
        if *lock(&p.shared.ended) {
            return;
        }
        p.shared.stop_requested.store(true, Ordering::SeqCst);
        if let Some(ctx) = &p.context {
            // The provider's cancel callback runs here; it may end the
            // operation, whose completion sends PIPELINE_STATE Stopped.
            let _ = ctx.context().cancel(MI_REASON_NONE);
        }
        events.push(Event::Stopping(id));
    }

    fn close_pipeline(&mut self, id: Guid) {
        self.defrag.remove(&id);
        let Some(p) = self.pipelines.remove(&id) else {
            return;
        };
        if !*lock(&p.shared.ended) {
            p.shared.stop_requested.store(true, Ordering::SeqCst);
            if let Some(ctx) = &p.context {
                let _ = ctx.context().cancel(MI_REASON_SHUTDOWN);
            }
        }
        release(p, Instant::now() + self.config.shutdown_grace);
    }
}

/// Waits (until `until`) for the pipeline's thread to let go of its
/// context, then frees it. A provider that has not ended by then keeps its
/// context and module: its thread is left running (never joined).
fn release(mut p: Pipeline, until: Instant) {
    if p.shared.wait(&p.shared.released, until) {
        if let Some(t) = p.thread.take() {
            let _ = t.join();
        }
        drop(p.context.take());
    } else {
        // Still in use by the provider: leak the handle rather than free it.
        if let Some(ctx) = p.context.take() {
            std::mem::forget(ctx);
        }
    }
}

/// Runs the operation (on the pipeline's thread). What fails before the
/// provider is called ends the operation with an error record.
fn operate(
    module: &Arc<Module>,
    pc: &ProviderContext,
    namespace: &str,
    class: &str,
    operation: &Operation,
    parameters: Option<&HeapInstance>,
) {
    let request = match operation {
        Operation::Enumerate { keys_only } => Request::Enumerate {
            class,
            keys_only: *keys_only,
            properties: None,
        },
        Operation::Invoke { method, .. } => Request::Invoke {
            class,
            method,
            instance: None,
            parameters,
        },
    };
    if let Err(e) = run(module, pc, namespace, request) {
        if !pc.context().is_ended() {
            let text = e.to_string();
            let _ = pc.context().post_error(
                e.code(),
                Some(ProviderText::utf8(b"MI")),
                Some(ProviderText::utf8(text.as_bytes())),
            );
        }
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
