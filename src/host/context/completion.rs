//! How a host learns that an operation ended, without polling: a callback
//! ([`Context::on_complete`]) and a blocking wait ([`Context::wait`]).
//!
//! The one ending path ([`Context::end`](super::Context)) calls
//! [`Context::complete`] once, after the operation's last record reached the
//! sink and after it let go of the context's lock: the callback runs with no
//! mi-psrp lock held. Nothing here is on the path of a write.

use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use super::{Context, Outcome, lock};
use crate::host::error::MiError;

/// The callback a host registers with [`Context::on_complete`].
pub type CompletionCallback = Box<dyn FnOnce(&Outcome) + Send>;

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The operation goes on.
    #[default]
    Going,
    /// It ended; the callback is running on that thread.
    Firing(ThreadId),
    /// It ended and the callback (if any) has returned.
    Done,
}

#[derive(Default)]
struct Inner {
    stage: Stage,
    callback: Option<CompletionCallback>,
}

/// A context's completion: its stage and the host's callback.
#[derive(Default)]
pub(super) struct Completion {
    inner: Mutex<Inner>,
    done: Condvar,
}

impl Context {
    /// Calls `callback` exactly once with the outcome when the operation
    /// ends (`post_result`, `post_error`, or the context dropped before
    /// either), after its last record reached the sink, on the thread that
    /// ended it, with no lock of mi-psrp held. If it has already ended,
    /// `callback` is called at once on this thread. Replaces a callback set
    /// earlier and not yet called (which is then never called).
    pub fn on_complete(&self, callback: CompletionCallback) {
        let mut inner = lock(&self.completion.inner);
        if inner.stage == Stage::Going {
            inner.callback = Some(callback);
            return;
        }
        drop(inner);
        if let Some(outcome) = self.outcome() {
            callback(outcome);
        }
    }

    /// Forgets a completion callback not yet called.
    pub fn clear_completion(&self) {
        let old = lock(&self.completion.inner).callback.take();
        drop(old);
    }

    /// Blocks until the operation has ended and its completion callback (if
    /// any) has returned, or `timeout` (`None`: no limit) has passed.
    /// Returns the outcome, or `None` when the timeout passed first — or at
    /// once when the wait would wait for itself: from inside the pool's sink
    /// or this context's cancel callback (see [`Context::try_wait`], which
    /// tells the two apart). From the completion callback itself it returns
    /// the outcome at once.
    pub fn wait(&self, timeout: Option<Duration>) -> Option<Outcome> {
        self.try_wait(timeout).ok().flatten()
    }

    /// [`Context::wait`], telling why it cannot wait: from inside the pool's
    /// sink or this context's own cancel callback → [`MiError::Failed`].
    /// `Ok(None)`: the timeout passed with the operation still going on.
    pub fn try_wait(&self, timeout: Option<Duration>) -> Result<Option<Outcome>, MiError> {
        if self.pool.in_sink_on_this_thread() {
            return Err(MiError::Failed(
                "wait called from inside the pool's sink: it would wait for itself",
            ));
        }
        if self.in_own_cancel_callback() {
            return Err(MiError::Failed(
                "wait called from the context's cancel callback: it would wait for itself",
            ));
        }
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let me = thread::current().id();
        let mut inner = lock(&self.completion.inner);
        loop {
            match inner.stage {
                Stage::Done => break,
                Stage::Firing(t) if t == me => break,
                _ => {}
            }
            inner = match (timeout, deadline) {
                (Some(_), Some(deadline)) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Ok(None);
                    }
                    self.completion
                        .done
                        .wait_timeout(inner, deadline - now)
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .0
                }
                // No timeout, or one too long to have a deadline.
                _ => self
                    .completion
                    .done
                    .wait(inner)
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            };
        }
        drop(inner);
        Ok(self.outcome().cloned())
    }

    /// Called once by the ending path, with no lock held, after the outcome
    /// was kept: runs the callback, then wakes the waiters. The last thing
    /// the ending thread does with the context is let go of the completion's
    /// lock, so that a host may free the context once `wait` returned.
    pub(super) fn complete(&self) {
        let callback = {
            let mut inner = lock(&self.completion.inner);
            inner.stage = Stage::Firing(thread::current().id());
            inner.callback.take()
        };
        /// Marks the completion done (also if the callback unwinds).
        struct Finish<'a>(&'a Completion);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                let mut inner = lock(&self.0.inner);
                inner.stage = Stage::Done;
                self.0.done.notify_all();
            }
        }
        let _finish = Finish(&self.completion);
        if let (Some(callback), Some(outcome)) = (callback, self.outcome()) {
            callback(outcome);
        }
    }
}
