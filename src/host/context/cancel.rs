//! Cancellation and a lost transport: the part of a context that its pool
//! also reaches ([`Link`]), so that `Pool::transport_gone` can cancel every
//! live context of the pool without knowing the contexts themselves.
//!
//! Nothing here waits for a sink: the flags are atomics and the callback's
//! lock is never held while a record is sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::{Context, ENDED, lock};
use crate::host::error::MiError;
use crate::mi::{MI_CancellationReason, MI_REASON_SERVICESTOP};

/// The callback a provider registered with `RegisterCancel`.
pub type CancelCallback = Box<dyn FnOnce(MI_CancellationReason) + Send>;

#[derive(Default)]
struct Cancel {
    /// The reason of the first cancel; `None` until then.
    reason: Option<MI_CancellationReason>,
    /// Registered and not yet called.
    callback: Option<CancelCallback>,
}

/// What a context shares with its pool: whether it ended, was cancelled, or
/// lost its transport, and the provider's cancel callback.
#[derive(Default)]
pub(crate) struct Link {
    pub(super) ended: AtomicBool,
    canceled: AtomicBool,
    /// The transport is gone: nothing more of the context is sent.
    pub(super) gone: AtomicBool,
    cancel: Mutex<Cancel>,
}

impl Link {
    /// A new context's link, attached to `pool`: gone (and cancelled with
    /// `MI_REASON_SERVICESTOP`) from the start if the pool's transport is.
    pub(super) fn attached(pool: &crate::host::Pool) -> Arc<Link> {
        let link = Arc::new(Link::default());
        if pool.attach(&link) {
            link.transport_gone();
        }
        link
    }

    /// Whether the transport is gone. One relaxed load: on the write path.
    #[inline]
    pub(super) fn is_gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    pub(super) fn canceled(&self) -> bool {
        self.canceled.load(Ordering::Acquire)
    }

    /// The transport is gone: from now on the context sends nothing, and it
    /// is cancelled with `MI_REASON_SERVICESTOP` unless it already was.
    pub(crate) fn transport_gone(&self) {
        self.gone.store(true, Ordering::Release);
        self.cancel(MI_REASON_SERVICESTOP);
    }

    /// The first cancel sets the flag and calls the registered callback (not
    /// after the end); later ones change nothing.
    fn cancel(&self, reason: MI_CancellationReason) {
        let callback = {
            let mut c = lock(&self.cancel);
            if c.reason.is_some() {
                return;
            }
            c.reason = Some(reason);
            self.canceled.store(true, Ordering::Release);
            c.callback
                .take()
                .filter(|_| !self.ended.load(Ordering::Acquire))
        };
        // Outside the lock: the callback may call back into the context.
        if let Some(callback) = callback {
            running::run(self, || callback(reason));
        }
    }
}

impl Context {
    /// What the provider's `Canceled` slot reports: cancelled, transport
    /// gone, or timed out.
    pub fn canceled(&self) -> bool {
        self.link.canceled() || self.timed_out()
    }

    /// Cancels the operation: `canceled()` reports true and the callback the
    /// provider registered is called exactly once with `reason` (later, at
    /// registration, if none is registered yet). A second cancel changes
    /// nothing. After the operation has ended no callback is called.
    /// `reason` above `MI_REASON_SERVICESTOP` → [`MiError::InvalidParameter`].
    pub fn cancel(&self, reason: MI_CancellationReason) -> Result<(), MiError> {
        if reason > MI_REASON_SERVICESTOP {
            return Err(MiError::InvalidParameter("unknown cancellation reason"));
        }
        self.link.cancel(reason);
        Ok(())
    }

    /// The provider's `RegisterCancel`: `callback` is called once when the
    /// operation is cancelled — at once if it already is. Replaces a callback
    /// registered earlier and not yet called.
    pub fn register_cancel(&self, callback: CancelCallback) -> Result<(), MiError> {
        if self.is_ended() {
            return Err(ENDED);
        }
        let reason = {
            let mut c = lock(&self.link.cancel);
            match c.reason {
                Some(reason) => reason,
                None => {
                    c.callback = Some(callback);
                    return Ok(());
                }
            }
        };
        running::run(&self.link, || callback(reason));
        Ok(())
    }

    /// The client's transport is gone: from now on `canceled()` is true, the
    /// provider's cancel callback runs once with `MI_REASON_SERVICESTOP`
    /// (unless a cancel already ran it; on this thread, before this
    /// returns), every write fails with [`MiError::Failed`] and nothing more
    /// of this context reaches the sink — no held record, no Completed
    /// record. `post_result` and `post_error` still end the operation
    /// (outcome kept, completion called) but send nothing. Idempotent; never
    /// waits for a sink call under way.
    pub fn transport_gone(&self) {
        self.link.transport_gone();
    }

    /// Whether the transport is gone ([`Context::transport_gone`] or the
    /// pool's).
    pub fn is_transport_gone(&self) -> bool {
        self.link.is_gone()
    }

    /// Whether this thread is running this context's cancel callback.
    pub(super) fn in_own_cancel_callback(&self) -> bool {
        running::running_for(&self.link)
    }
}

/// Which context's cancel callback the calling thread is running, if any.
mod running {
    use std::cell::Cell;

    use super::Link;

    thread_local! {
        static RUNNING: Cell<usize> = const { Cell::new(0) };
    }

    fn id(link: &Link) -> usize {
        std::ptr::from_ref(link) as usize
    }

    /// Runs `f`, the cancel callback of `link`'s context, marked as such on
    /// this thread (also if it unwinds).
    pub(super) fn run(link: &Link, f: impl FnOnce()) {
        struct Restore(usize);
        impl Drop for Restore {
            fn drop(&mut self) {
                RUNNING.with(|r| r.set(self.0));
            }
        }
        let _restore = Restore(RUNNING.with(|r| r.replace(id(link))));
        f();
    }

    /// Whether this thread is inside the cancel callback of `link`'s context.
    pub(super) fn running_for(link: &Link) -> bool {
        RUNNING.with(|r| r.get()) == id(link)
    }
}
