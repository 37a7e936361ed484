//! A runspace pool: its id, its ObjectId counter and the sink that receives its
//! fragments. Shared (`Arc`) by the host's handle and every context of the pool.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::activity::ActivityIds;
use super::clock::{Clock, SystemClock};
use super::error::MiError;
use super::fault;
use crate::psrp::fragment::{
    DEFAULT_FRAGMENT_SIZE, FRAGMENT_HEADER_LEN, MIN_FRAGMENT_SIZE, emit_fragments_in_place,
};
use crate::psrp::guid::Guid;

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

struct Outbox {
    next_object_id: u64,
    sink: Box<dyn Sink>,
}

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
        Arc::new(Pool {
            id,
            clock,
            fragment_size: AtomicU32::new(DEFAULT_FRAGMENT_SIZE),
            max_message_size: AtomicU32::new(DEFAULT_MAX_MESSAGE_SIZE),
            outbox: Mutex::new(Outbox {
                next_object_id: 1,
                sink: Box::new(sink),
            }),
            sink_thread: AtomicU64::new(0),
            activity_ids: ActivityIds::default(),
        })
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

    /// Sends one message: `buf` is `FRAGMENT_HEADER_LEN` bytes of room followed
    /// by the message. Assigns the next ObjectId and hands every fragment to the
    /// sink before returning it. The message bytes are overwritten.
    ///
    /// The caller has checked [`Pool::in_sink_on_this_thread`] (before taking
    /// its own lock, which is where a re-entrant call would deadlock).
    pub(crate) fn send(&self, buf: &mut [u8]) -> u64 {
        debug_assert!(buf.len() > FRAGMENT_HEADER_LEN);
        debug_assert!(!self.in_sink_on_this_thread());
        let mut outbox = self.lock();
        fault::hit(fault::Point::Send);
        let object_id = outbox.next_object_id;
        outbox.next_object_id += 1;
        let fragment_size = self.fragment_size();
        self.sink_thread.store(thread_token(), Ordering::Relaxed);
        let _in_sink = InSink(&self.sink_thread);
        let sink = &mut outbox.sink;
        emit_fragments_in_place(buf, object_id, fragment_size, |f| sink.send(f));
        object_id
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("id", &self.id)
            .field("fragment_size", &self.fragment_size())
            .finish_non_exhaustive()
    }
}
