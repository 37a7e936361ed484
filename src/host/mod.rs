//! The host side, in safe Rust: a [`Pool`] (runspace pool id, ObjectId counter,
//! sink, clock) and a [`Context`] per operation. The C functions in
//! [`crate::ffi`] are thin wrappers over these.

mod activity;
pub mod clock;
pub mod context;
pub mod error;
pub mod error_id;
pub mod fault;
pub mod pool;
pub mod text;

pub use clock::{Clock, ManualClock, SystemClock};
pub use context::prompt::{Prompter, Question};
pub use context::{
    CancelCallback, CimErrorParts, CompletionCallback, Context, DEFAULT_LOCALE, Ending,
    ErrorAction, Outcome, UNKNOWN,
};
pub use error::MiError;
pub use pool::{FragmentInfo, FramedSink, ObjectIdSource, OutputSettings, Pool, Sink};
pub use text::{CharType, Given, ProviderText};
