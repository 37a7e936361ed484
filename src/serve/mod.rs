//! `mi-psrp serve`: a PowerShell remoting endpoint for provider modules, as
//! a sans-IO core (bytes in, events and bytes out) that a thin stdin/stdout
//! loop drives (`src/cli/serve.rs`), so that it can be fuzzed and reused.
//!
//! | part | module |
//! |---|---|
//! | the OutOfProc line codec (`<Data>`, `<DataAck>`, `<Command>`, …) | [`transport`] |
//! | the session's own messages (CLIXML), the client's objects read back | [`messages`] |
//! | the error records the session writes | [`errors`] |
//! | the pipeline's commands, bound | [`commands`] |
//! | argument values converted by declared type | [`convert`] |
//! | `-Filter`'s WQL subset, and the outputs checked against it | [`filter`] |
//! | host calls: PromptForChoice, What-if lines, the client's answers | [`host_call`] |
//! | the preference variables a session keeps | [`preferences`] |
//! | a pipeline's prompts: remembered answers, host calls, waits | `prompt.rs` |
//! | pipeline input, bound to `-InputObject` per object | [`input`] |
//! | a bound command made ready for its module (class, keys, instances) | `prepare.rs` |
//! | a pipeline's context, thread, stop and ending | `pipeline.rs` |
//! | the lines waiting to be written, and their backpressure | [`outbox`] |
//! | the session's configuration, events and errors | [`config`] |
//! | the server's state machine | [`session`] |
//!
//! ```no_run
//! use mi_psrp::provider::module::Module;
//! use mi_psrp::serve::{Config, Session};
//!
//! let module = Module::load("libacme_provider.so").unwrap();
//! let mut session = Session::new(Config::new(vec![module]));
//! for result in session.receive_bytes(b"<Command PSGuid='00000000-0000-0000-0000-000000000000' />\n") {
//!     let _events = result;
//! }
//! let _bytes_to_write = session.poll_output();
//! ```

pub mod commands;
pub mod config;
pub mod convert;
pub mod errors;
pub mod filter;
pub mod host_call;
pub mod input;
pub mod messages;
pub mod outbox;
mod pipeline;
pub mod preferences;
mod prepare;
mod prompt;
mod script;
pub mod session;
pub mod transport;

pub use outbox::Outbox;
pub use preferences::{ConfirmImpact, Preferences};
pub use session::{Config, Event, ServeError, Session};
