//! What a session is given (its modules and limits: [`Config`]) and what it
//! reports (an [`Event`] per element handled, a [`ServeError`]).

use std::sync::Arc;
use std::time::Duration;

use super::commands::Bound;
use crate::provider::module::Module;
use crate::psrp::Guid;

/// The session's limits and modules.
#[derive(Clone)]
pub struct Config {
    /// The provider modules; classes are looked up in this order.
    pub modules: Vec<Arc<Module>>,
    /// The most pipelines open at once.
    pub max_pipelines: usize,
    /// The largest message, in and out (header included).
    pub max_message_size: u32,
    /// How long ending the session waits for the providers to end their
    /// operations after the cancel.
    pub shutdown_grace: Duration,
    /// Output bytes queued before provider threads wait for the writer.
    pub max_queued_output: usize,
}

impl Config {
    /// The defaults for `modules`: 64 pipelines, 1 MiB messages, 5 s grace,
    /// 1 MiB of queued output (a Stop's PIPELINE_STATE waits behind what
    /// is queued: a smaller queue stops sooner for a slow client).
    pub fn new(modules: Vec<Arc<Module>>) -> Config {
        Config {
            modules,
            max_pipelines: 64,
            max_message_size: crate::host::pool::DEFAULT_MAX_MESSAGE_SIZE,
            shutdown_grace: Duration::from_secs(5),
            max_queued_output: 1 << 20,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("modules", &self.modules.len())
            .field("max_pipelines", &self.max_pipelines)
            .finish_non_exhaustive()
    }
}

/// What the session did with an element, for logs and tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The client's capability came; the pool exists.
    Negotiated {
        /// The runspace pool id.
        runspace_pool_id: Guid,
    },
    /// INIT_RUNSPACEPOOL: the pool is open.
    Opened,
    /// A runspace availability request was answered.
    Availability {
        /// The request's message type.
        message_type: u32,
    },
    /// A pipeline started its operation.
    PipelineStarted {
        /// The pipeline.
        id: Guid,
        /// What it runs.
        command: Bound,
    },
    /// A pipeline could not run (PIPELINE_STATE Failed sent).
    PipelineFailed {
        /// The pipeline.
        id: Guid,
        /// The error's message.
        message: String,
    },
    /// The pipeline waits for its input (PIPELINE_INPUT, then
    /// END_OF_PIPELINE_INPUT).
    AwaitingInput(Guid),
    /// The pipeline's script only set preference variables (it completed).
    PreferencesSet(Guid),
    /// A PIPELINE_HOST_RESPONSE answered a prompt of this pipeline.
    Answered(Guid),
    /// A Signal: the pipeline's operation was cancelled.
    Stopping(Guid),
    /// A pipeline was closed.
    PipelineClosed(Guid),
    /// A message the session does not handle, ignored.
    Ignored {
        /// Its type.
        message_type: u32,
    },
    /// The session is over (Close, end of input, or a fatal error).
    Closed,
}

/// What went wrong with an element. `fatal`: the session could not go on
/// and is closed (RUNSPACEPOOL_STATE Broken was sent when the pool existed).
#[derive(Debug, Clone, PartialEq)]
pub struct ServeError {
    /// Why.
    pub message: String,
    /// The session ended because of it.
    pub fatal: bool,
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if self.fatal {
            f.write_str(" (the session is closed)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServeError {}
