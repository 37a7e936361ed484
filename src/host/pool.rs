//! A runspace pool: its id, its ObjectId counter (or the host's), the sink
//! that receives its fragments (plain or framed), and the links to its live
//! contexts that a lost transport reaches. Shared (`Arc`) by the host's handle
//! and every context of the pool.

use std::cell::Cell;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::activity::ActivityIds;
use super::clock::{Clock, SystemClock};
use super::context::Link;
use super::error::MiError;
use super::fault;
use crate::psrp::fragment::{
    DEFAULT_FRAGMENT_SIZE, FRAGMENT_HEADER_LEN, MIN_FRAGMENT_SIZE, emit_fragments_in_place_with,
};
use crate::psrp::guid::{Guid, GuidText};
use crate::psrp::message::{DESTINATION_CLIENT, MESSAGE_HEADER_LEN, MessageHeader};

/// The default largest message: 1 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u32 = 1 << 20;
/// The smallest maximum message size a pool accepts.
pub const MIN_MAX_MESSAGE_SIZE: u32 = 1024;

/// Where a pool's fragments go: one whole fragment (21-byte header and blob) per
/// call. Calls never overlap and come in ObjectId order; the slice is valid only
/// during the call.
pub trait Sink: Send {
    /// Receives one fragment.
    fn send(&mut self, fragment: &[u8]);
}

impl<F: FnMut(&[u8]) + Send> Sink for F {
    fn send(&mut self, fragment: &[u8]) {
        self(fragment)
    }
}

/// What a framed sink learns of each fragment besides its bytes, so that a
/// host can frame it for its transport without parsing the 21-byte header
/// (or the 40-byte message header of the first fragment) back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentInfo {
    /// The message's ObjectId.
    pub object_id: u64,
    /// The fragment's position in its message, from 0.
    pub fragment_id: u64,
    /// The PSRP message type of the fragment's message (e.g. `0x00041010`).
    pub message_type: u32,
    /// The first fragment of its message.
    pub start: bool,
    /// The last fragment of its message.
    pub end: bool,
    /// The message's pipeline id; [`Guid::NIL`] for the runspace pool itself.
    pub pipeline_id: Guid,
    pipeline_text: GuidText,
}

impl FragmentInfo {
    /// The pipeline id in its `D` form, lower case
    /// (`00000000-0000-0000-0000-000000000000` for the runspace pool).
    pub fn pipeline_id_text(&self) -> &str {
        self.pipeline_text.as_str()
    }

    /// The pipeline id's 36 ASCII bytes.
    pub fn pipeline_id_bytes(&self) -> &[u8; 36] {
        self.pipeline_text.as_bytes()
    }
}

/// Where a framed pool's fragments go: one whole fragment per call, with what
/// it is. Same ordering and lifetime rules as [`Sink`].
pub trait FramedSink: Send {
    /// Receives one fragment and its facts.
    fn send(&mut self, info: &FragmentInfo, fragment: &[u8]);
}

impl<F: FnMut(&FragmentInfo, &[u8]) + Send> FramedSink for F {
    fn send(&mut self, info: &FragmentInfo, fragment: &[u8]) {
        self(info, fragment)
    }
}

/// Where a message goes: its pipeline, as a GUID and as text made once (by
/// the context at its creation), so that no send formats anything.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    pub(crate) pipeline_id: Guid,
    pub(crate) text: GuidText,
}

impl Route {
    pub(crate) fn new(pipeline_id: Guid) -> Route {
        Route {
            pipeline_id,
            text: pipeline_id.text(),
        }
    }
}

/// A host's source of ObjectIds ([`Pool::set_object_id_source`]).
pub type ObjectIdSource = Box<dyn FnMut() -> u64 + Send>;

/// A small non-zero number that names the calling thread, for the
/// re-entrancy check. (A `const` thread-local: one TLS load on the hot path.)
#[inline]
fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TOKEN: Cell<u64> = const { Cell::new(0) };
    }
    TOKEN.with(|t| match t.get() {
        0 => {
            let token = NEXT.fetch_add(1, Ordering::Relaxed);
            t.set(token);
            token
        }
        token => token,
    })
}

enum Output {
    Plain(Box<dyn Sink>),
    Framed(Box<dyn FramedSink>),
}

struct Outbox {
    /// The last ObjectId sent (0 before the first).
    last_object_id: u64,
    /// The host's ObjectIds; `None`: the pool counts.
    source: Option<ObjectIdSource>,
    output: Output,
}

impl Outbox {
    /// The ObjectId of the next message: counted, or the host's if it is
    /// above the last one sent.
    #[inline]
    fn next_object_id(&mut self) -> Option<NonZeroU64> {
        match &mut self.source {
            None => NonZeroU64::new(self.last_object_id.wrapping_add(1)),
            Some(source) => Some(source())
                .filter(|&id| id > self.last_object_id)?
                .try_into()
                .ok(),
        }
    }
}

/// Why [`Pool::send`] sent nothing (it answers `None`, which fits a
/// register on the write path): the sender's transport is gone, or the
/// host's ObjectId source refused the message.
#[cold]
pub(crate) fn refusal(gone: &AtomicBool) -> MiError {
    if gone.load(Ordering::Relaxed) {
        GONE
    } else {
        MiError::Failed(
            "the host's ObjectId source refused the message (0, or not above the last ObjectId sent)",
        )
    }
}

/// The pool's live contexts, as the links a lost transport reaches.
#[derive(Default)]
struct Links {
    /// `transport_gone` was called: contexts made from now on are gone at once.
    gone: bool,
    live: Vec<Arc<Link>>,
}

const GONE: MiError = MiError::Failed("the transport is gone (transport_gone was called)");

/// A runspace pool.
pub struct Pool {
    id: Guid,
    clock: Arc<dyn Clock>,
    fragment_size: AtomicU32,
    max_message_size: AtomicU32,
    outbox: Mutex<Outbox>,
    /// The token of the thread inside the sink, 0 when none is.
    sink_thread: AtomicU64,
    /// The ActivityIds of the pool's live contexts.
    activity_ids: ActivityIds,
    /// `transport_gone` was called (also kept in `links`, under its lock).
    gone: AtomicBool,
    links: Mutex<Links>,
    /// How CIM output objects are written (computer name, class metadata).
    output_settings: std::sync::RwLock<OutputSettings>,
}

/// How a pool's CIM output objects are written (`psrp-cim-output.md` R3, R5).
#[derive(Debug, Clone, Default)]
pub struct OutputSettings {
    /// `PSComputerName` (and the class metadata's `ServerName`); `None`: Nil.
    pub computer_name: Option<crate::psrp::cim::CimString>,
    /// Whether every CimInstance carries `__ClassMetadata` (off by default).
    pub class_metadata: bool,
}

/// Clears `Pool::sink_thread` when the sink returns or unwinds.
struct InSink<'a>(&'a AtomicU64);

impl Drop for InSink<'_> {
    fn drop(&mut self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

impl Pool {
    /// A pool with runspace pool id `id` whose fragments go to `sink`.
    pub fn new(id: Guid, sink: impl Sink + 'static) -> Arc<Pool> {
        Self::with_clock(id, sink, Arc::new(SystemClock))
    }

    /// A pool whose contexts read time from `clock` (for coalescing and
    /// timeouts): [`SystemClock`] in production, a
    /// [`ManualClock`](super::clock::ManualClock) in tests.
    pub fn with_clock(id: Guid, sink: impl Sink + 'static, clock: Arc<dyn Clock>) -> Arc<Pool> {
        Self::make(id, Output::Plain(Box::new(sink)), clock)
    }

    /// A pool whose fragments go to `sink` with their [`FragmentInfo`].
    pub fn new_framed(id: Guid, sink: impl FramedSink + 'static) -> Arc<Pool> {
        Self::framed_with_clock(id, sink, Arc::new(SystemClock))
    }

    /// [`Pool::new_framed`] reading time from `clock`.
    pub fn framed_with_clock(
        id: Guid,
        sink: impl FramedSink + 'static,
        clock: Arc<dyn Clock>,
    ) -> Arc<Pool> {
        Self::make(id, Output::Framed(Box::new(sink)), clock)
    }

    fn make(id: Guid, output: Output, clock: Arc<dyn Clock>) -> Arc<Pool> {
        Arc::new(Pool {
            id,
            clock,
            fragment_size: AtomicU32::new(DEFAULT_FRAGMENT_SIZE),
            max_message_size: AtomicU32::new(DEFAULT_MAX_MESSAGE_SIZE),
            outbox: Mutex::new(Outbox {
                last_object_id: 0,
                source: None,
                output,
            }),
            sink_thread: AtomicU64::new(0),
            activity_ids: ActivityIds::default(),
            gone: AtomicBool::new(false),
            links: Mutex::new(Links::default()),
            output_settings: std::sync::RwLock::new(OutputSettings::default()),
        })
    }

    /// How CIM output objects are written from now on: the computer name
    /// every object carries as `PSComputerName` (`None`: a Nil, as a local
    /// Windows session sends) and whether instances carry `__ClassMetadata`
    /// (off by default: pwsh off Windows fails a pipeline on it,
    /// `psrp-cim-output.md` §6.2).
    pub fn set_output_settings(&self, settings: OutputSettings) {
        *self
            .output_settings
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = settings;
    }

    /// The output settings in force.
    pub fn output_settings(&self) -> OutputSettings {
        self.output_settings
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The clock's time in milliseconds (for the "now" datetime sentinel: the
    /// wall clock, not the pool's monotonic one).
    pub(crate) fn now_ticks(&self) -> i64 {
        // .NET ticks (100 ns) from 0001-01-01 to the Unix epoch.
        const EPOCH_TICKS: i64 = 621_355_968_000_000_000;
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        EPOCH_TICKS + (since.as_nanos() / 100) as i64
    }

    /// The runspace pool id.
    pub fn id(&self) -> Guid {
        self.id
    }

    /// Sets the fragment size (bytes, the 21-byte header included) for messages
    /// sent from now on. Below 22 → [`MiError::InvalidParameter`].
    pub fn set_fragment_size(&self, fragment_size: u32) -> Result<(), MiError> {
        if fragment_size < MIN_FRAGMENT_SIZE {
            return Err(MiError::InvalidParameter(
                "fragment size must be at least 22 bytes (21-byte header and one of data)",
            ));
        }
        self.fragment_size.store(fragment_size, Ordering::Relaxed);
        Ok(())
    }

    /// Sets the largest message (40-byte header, BOM and CLIXML) a context of
    /// this pool may send; a write whose message would be larger is refused with
    /// [`MiError::LimitsExceeded`]. Below [`MIN_MAX_MESSAGE_SIZE`] →
    /// [`MiError::InvalidParameter`].
    pub fn set_max_message_size(&self, bytes: u32) -> Result<(), MiError> {
        if bytes < MIN_MAX_MESSAGE_SIZE {
            return Err(MiError::InvalidParameter(
                "the maximum message size must be at least 1024 bytes",
            ));
        }
        self.max_message_size.store(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// The largest message a context of this pool may send, in bytes.
    pub fn max_message_size(&self) -> u32 {
        self.max_message_size.load(Ordering::Relaxed)
    }

    /// The ActivityIds of the pool's live contexts.
    pub(crate) fn activity_ids(&self) -> &ActivityIds {
        &self.activity_ids
    }

    /// The pool's clock, in milliseconds.
    pub(crate) fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// The fragment size in force.
    pub fn fragment_size(&self) -> u32 {
        self.fragment_size.load(Ordering::Relaxed)
    }

    /// Whether the calling thread is inside this pool's sink.
    pub(crate) fn in_sink_on_this_thread(&self) -> bool {
        // Only this thread ever stores its own token, so a relaxed load sees it.
        self.sink_thread.load(Ordering::Relaxed) == thread_token()
    }

    fn lock(&self) -> MutexGuard<'_, Outbox> {
        // A sink that panicked leaves the outbox consistent: the counter was
        // already advanced and nothing else is mid-update.
        self.outbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends one message of type `message_type` on `route`: `buf` is
    /// `FRAGMENT_HEADER_LEN` bytes of room followed by the message. Takes the
    /// next ObjectId (counted, or from the host's source) and hands every
    /// fragment to the sink before returning it. The message bytes are as
    /// they were afterwards.
    ///
    /// Nothing is sent, and `None` returned (see [`refusal`] for why), when `gone` (the
    /// sender's transport-gone flag, read under the pool's lock) is set or
    /// the host's source refuses the message.
    ///
    /// The caller has checked [`Pool::in_sink_on_this_thread`] (before taking
    /// its own lock, which is where a re-entrant call would deadlock).
    pub(crate) fn send(
        &self,
        buf: &mut [u8],
        message_type: u32,
        route: &Route,
        gone: &AtomicBool,
    ) -> Option<NonZeroU64> {
        debug_assert!(buf.len() > FRAGMENT_HEADER_LEN);
        debug_assert!(!self.in_sink_on_this_thread());
        let mut outbox = self.lock();
        fault::hit(fault::Point::Send);
        if gone.load(Ordering::Relaxed) {
            return None;
        }
        let fragment_size = self.fragment_size();
        // Marked before the host's ObjectId source runs, so that a source
        // calling back into the pool fails instead of deadlocking.
        self.sink_thread.store(thread_token(), Ordering::Relaxed);
        let _in_sink = InSink(&self.sink_thread);
        let id = outbox.next_object_id()?;
        outbox.last_object_id = id.get();
        let object_id = id.get();
        match &mut outbox.output {
            Output::Plain(sink) => {
                emit_fragments_in_place_with(buf, object_id, fragment_size, |_, f| sink.send(f))
            }
            Output::Framed(sink) => {
                let mut info = FragmentInfo {
                    object_id,
                    fragment_id: 0,
                    message_type,
                    start: true,
                    end: false,
                    pipeline_id: route.pipeline_id,
                    pipeline_text: route.text,
                };
                emit_fragments_in_place_with(buf, object_id, fragment_size, |h, f| {
                    info.fragment_id = h.fragment_id;
                    info.start = h.is_start();
                    info.end = h.is_end();
                    sink.send(&info, f)
                })
            }
        }
        Some(id)
    }

    // ---- the host's own messages, ObjectIds, a lost transport ---------------

    /// Sends one message of the host's own (Destination: client) through this
    /// pool: its 40-byte header (`message_type`, this pool's id, `pipeline`
    /// — [`Guid::NIL`] for the runspace pool itself) followed by `data`, with
    /// the pool's next ObjectId, fragmented at the pool's fragment size, in
    /// order with the contexts' records. Returns the ObjectId.
    ///
    /// Over the maximum message size (header included), or memory that
    /// cannot be had → [`MiError::LimitsExceeded`]; from inside this pool's
    /// sink (or ObjectId source), after [`Pool::transport_gone`], or refused
    /// by the host's ObjectId source → [`MiError::Failed`]. Nothing is sent
    /// then and no ObjectId is used.
    pub fn send_message(
        &self,
        message_type: u32,
        pipeline: Guid,
        data: &[u8],
    ) -> Result<u64, MiError> {
        if self.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        if self.gone.load(Ordering::Acquire) {
            return Err(GONE);
        }
        let max = self.max_message_size() as usize;
        let size = MESSAGE_HEADER_LEN.saturating_add(data.len());
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        let mut buf = Vec::new();
        buf.try_reserve_exact(FRAGMENT_HEADER_LEN + size)
            .map_err(|_| MiError::LimitsExceeded { size, max })?;
        buf.resize(FRAGMENT_HEADER_LEN, 0);
        let header = MessageHeader {
            destination: DESTINATION_CLIENT,
            message_type,
            runspace_pool_id: self.id,
            pipeline_id: pipeline,
        };
        buf.extend_from_slice(&header.to_bytes());
        buf.extend_from_slice(data);
        self.send(&mut buf, message_type, &Route::new(pipeline), &self.gone)
            .map(NonZeroU64::get)
            .ok_or_else(|| refusal(&self.gone))
    }

    /// Takes every ObjectId from `source` from now on (`None`: the pool's own
    /// counter again, continuing after the last ObjectId sent). `source` is
    /// called once per message, under the pool's send lock (never
    /// concurrently), on the sending thread, just before the message's first
    /// fragment goes to the sink. An id that is 0 or not above the last one
    /// the pool sent refuses the message: nothing is sent and the sending
    /// call fails with [`MiError::Failed`]. So ObjectIds stay unique and
    /// increasing either way.
    ///
    /// Waits for a message being sent. From inside this pool's sink (or
    /// source) → [`MiError::Failed`], nothing changed.
    pub fn set_object_id_source(&self, source: Option<ObjectIdSource>) -> Result<(), MiError> {
        if self.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        let old = std::mem::replace(&mut self.lock().source, source);
        drop(old); // outside the lock: dropping a host's source runs its code
        Ok(())
    }

    /// The last ObjectId the pool sent (0 before the first message).
    pub fn last_object_id(&self) -> u64 {
        self.lock().last_object_id
    }

    /// The transport to the client is gone: every live context of the pool
    /// is told so ([`Context::transport_gone`](super::Context::transport_gone):
    /// `Canceled`, its cancel callback once with `MI_REASON_SERVICESTOP`,
    /// nothing more sent), contexts made from now on are gone from their
    /// start, and [`Pool::send_message`] fails. Idempotent. Never waits for a
    /// sink call under way; the cancel callbacks run on this thread before
    /// this returns.
    pub fn transport_gone(&self) {
        let live = {
            let mut links = lock(&self.links);
            links.gone = true;
            self.gone.store(true, Ordering::Release);
            links.live.clone()
        };
        // Outside the lock: cancel callbacks may make or free contexts.
        for link in live {
            link.transport_gone();
        }
    }

    /// Whether [`Pool::transport_gone`] was called.
    pub fn is_transport_gone(&self) -> bool {
        self.gone.load(Ordering::Acquire)
    }

    /// Records a new context's link; tells whether the pool's transport is
    /// already gone (the context is then gone from its start).
    pub(crate) fn attach(&self, link: &Arc<Link>) -> bool {
        let mut links = lock(&self.links);
        links.live.push(Arc::clone(link));
        links.gone
    }

    /// Forgets a context's link when the context goes away.
    pub(crate) fn detach(&self, link: &Arc<Link>) {
        let mut links = lock(&self.links);
        if let Some(i) = links.live.iter().position(|l| Arc::ptr_eq(l, link)) {
            links.live.swap_remove(i);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("id", &self.id)
            .field("fragment_size", &self.fragment_size())
            .finish_non_exhaustive()
    }
}
