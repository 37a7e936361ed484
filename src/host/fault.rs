//! Fault injection for tests: with the `fault-injection` feature, a test arms
//! a point and the next call that reaches it panics, so that the tests can
//! show no panic crosses the C boundary and nothing is left broken. Without
//! the feature, `hit` compiles to nothing.

/// Where a panic can be injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Point {
    /// In WriteProgress, while the context's lock is held, before encoding.
    Encode = 1,
    /// In the pool, while its lock is held, before the sink is called.
    Send = 2,
}

#[cfg(feature = "fault-injection")]
static ARMED: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Makes the next call that reaches `point` panic (once).
#[cfg(feature = "fault-injection")]
pub fn arm(point: Point) {
    ARMED.store(point as u8, std::sync::atomic::Ordering::SeqCst);
}

/// Panics if `point` is armed, disarming it.
#[inline(always)]
pub(crate) fn hit(point: Point) {
    #[cfg(feature = "fault-injection")]
    if ARMED
        .compare_exchange(
            point as u8,
            0,
            std::sync::atomic::Ordering::SeqCst,
            std::sync::atomic::Ordering::SeqCst,
        )
        .is_ok()
    {
        panic!("mi-psrp: injected panic at {point:?}");
    }
    #[cfg(not(feature = "fault-injection"))]
    let _ = point;
}
