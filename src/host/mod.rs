//! The host side, in safe Rust: a [`Pool`] (runspace pool id, ObjectId counter,
//! sink) and a [`Context`] per operation. The C functions in [`crate::ffi`]
//! are thin wrappers over these.

pub mod context;
pub mod error;
pub mod pool;

pub use context::{Context, UNKNOWN};
pub use error::MiError;
pub use pool::{Pool, Sink};
