//! Time for coalescing and timeouts, injectable so that tests never sleep.

use std::sync::atomic::{AtomicU64, Ordering};

/// A monotonic clock in milliseconds. A pool's contexts read it to coalesce
/// progress and to track timeouts.
pub trait Clock: Send + Sync {
    /// Milliseconds since an arbitrary fixed point; never decreases.
    fn now_ms(&self) -> u64;
}

/// The system's monotonic clock. On Linux it reads `CLOCK_MONOTONIC_COARSE`
/// (a few nanoseconds a read, a resolution of a few milliseconds, ample for
/// progress intervals and timeouts); elsewhere `std::time::Instant`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(target_os = "linux")]
    fn now_ms(&self) -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC_COARSE
        // exists on every Linux since 2.6.32, so the call cannot fail.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut ts) };
        ts.tv_sec as u64 * 1000 + ts.tv_nsec as u64 / 1_000_000
    }

    #[cfg(not(target_os = "linux"))]
    fn now_ms(&self) -> u64 {
        use std::sync::OnceLock;
        use std::time::Instant;
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64
    }
}

/// A clock that moves only when told to, and counts how often it is read:
/// for tests.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicU64,
    reads: AtomicU64,
}

impl ManualClock {
    /// A clock at `ms`.
    pub fn new(ms: u64) -> Self {
        ManualClock {
            now: AtomicU64::new(ms),
            reads: AtomicU64::new(0),
        }
    }
    /// How many times it has been read.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::SeqCst)
    }
    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: u64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
    /// Sets the clock to `ms`.
    pub fn set(&self, ms: u64) {
        self.now.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.now.load(Ordering::SeqCst)
    }
}
