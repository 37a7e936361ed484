//! The lines waiting to be written: the session's transport answers and
//! every `<Data>` line the pool's framed sink makes (on provider threads
//! too), taken by [`crate::serve::Session::poll_output`] or a writer thread
//! ([`Outbox::wait`]). Backpressure: a provider thread that would queue
//! more than the limit waits for the writer to take the output (or to be
//! gone: [`Outbox::discard`]); the session's own answers never wait.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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
    /// An outbox whose writers wait once more than `limit` bytes are queued.
    pub(super) fn new(limit: usize) -> Outbox {
        Outbox {
            limit,
            ..Outbox::default()
        }
    }

    /// Queues `line`; `wait_for_room`: first wait while more than the limit
    /// is queued (a provider thread), unless the writer is gone.
    pub(super) fn push(&self, line: Vec<u8>, wait_for_room: bool) {
        let mut q = lock(&self.queue);
        while wait_for_room && q.bytes > self.limit && !q.discard {
            q = self.changed.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        // Also when the writer went away while this one waited.
        if q.discard {
            return;
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

    /// No more output will come: [`Outbox::wait`] ends once it is taken.
    pub(super) fn finish(&self) {
        lock(&self.queue).finished = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_full_outbox_holds_writers_until_taken_or_discarded() {
        let o = Arc::new(Outbox::new(4));
        o.push(b"12345".to_vec(), true); // over the limit now
        let writer = {
            let o = Arc::clone(&o);
            std::thread::spawn(move || o.push(b"6".to_vec(), true))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!writer.is_finished(), "waits for room");
        // The session's own answers never wait.
        o.push(b"ack".to_vec(), false);
        assert_eq!(o.take().unwrap(), b"12345ack");
        writer.join().unwrap();
        assert_eq!(o.wait(Duration::ZERO).unwrap().unwrap(), b"6");
        // A writer that is gone: waiting ends, output is dropped.
        o.push(b"12345".to_vec(), true);
        let writer = {
            let o = Arc::clone(&o);
            std::thread::spawn(move || o.push(b"7".to_vec(), true))
        };
        std::thread::sleep(Duration::from_millis(20));
        o.discard();
        writer.join().unwrap();
        assert_eq!(o.take(), None);
        o.finish();
        assert_eq!(o.wait(Duration::from_secs(1)), Err(()));
    }
}
