//! The ActivityIds of a pool's live contexts, so that an automatic id never
//! equals an explicit one in use: two contexts with one ActivityId would be
//! one progress bar on the client.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, PoisonError};

/// The next activity id from the process-wide counter (1, 2, …; after
/// `i32::MAX` it starts again at 1), as PowerShell's CIM cmdlets number theirs.
fn next_activity_id() -> i32 {
    static NEXT: AtomicI32 = AtomicI32::new(1);
    match NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        Some(if v == i32::MAX { 1 } else { v + 1 })
    }) {
        Ok(v) | Err(v) => v,
    }
}

/// The ids in use in one pool, each with the number of live contexts using it
/// (a host may give two contexts one explicit id on purpose).
#[derive(Default)]
pub(crate) struct ActivityIds(Mutex<HashMap<i32, u32>>);

impl ActivityIds {
    /// Takes `id` for a new context: `id` itself when it is 0 or more,
    /// otherwise the next id of the process-wide counter that no live context
    /// of the pool uses and that is not `parent`.
    pub(crate) fn take(&self, id: i32, parent: i32) -> i32 {
        let mut ids = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let id = if id >= 0 {
            id
        } else {
            loop {
                let id = next_activity_id();
                if id != parent && !ids.contains_key(&id) {
                    break id;
                }
            }
        };
        *ids.entry(id).or_default() += 1;
        id
    }

    /// Gives `id` back when its context goes away.
    pub(crate) fn release(&self, id: i32) {
        let mut ids = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = ids.get_mut(&id) {
            *n -= 1;
            if *n == 0 {
                ids.remove(&id);
            }
        }
    }
}
