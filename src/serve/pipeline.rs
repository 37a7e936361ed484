//! A pipeline's operation: its context (message channels and error action
//! from the command's common parameters, the completion that sends its
//! PIPELINE_STATE), the thread that runs the provider, its stop (the
//! context's cancel) and its ending (the thread lets go of the context,
//! the session frees it, bounded).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Instant;

use super::commands::Bound;
use super::messages::{self as m, SessionError, pipeline_state};
use super::outbox::lock;
use super::prepare::{Job, Prepared};
use super::prompt::Prompts;
use crate::host::context::prompt::describe;
use crate::host::error_id::mi_result_name;
use crate::host::{Context, Ending, ErrorAction, Outcome, Pool, ProviderText};
use crate::mi::{MI_CancellationReason, MI_RESULT_OK};
use crate::provider::context::ProviderContext;
use crate::provider::module::Module;
use crate::provider::operation::{Request, run};
use crate::psrp::Guid;

/// What a pipeline's provider thread and completion callback share.
#[derive(Default)]
struct Shared {
    stop_requested: AtomicBool,
    /// The operation ended (its PIPELINE_STATE was sent).
    ended: Mutex<bool>,
    /// The provider thread let go of the context and instances.
    released: Mutex<bool>,
    changed: Condvar,
}

impl Shared {
    fn set(&self, which: &Mutex<bool>) {
        *lock(which) = true;
        self.changed.notify_all();
    }

    fn wait(&self, which: &Mutex<bool>, until: Instant) -> bool {
        let mut done = lock(which);
        while !*done {
            let now = Instant::now();
            if now >= until {
                return false;
            }
            done = self
                .changed
                .wait_timeout(done, until - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// A running (or ended, not yet closed) pipeline.
pub(super) struct Pipeline {
    shared: Arc<Shared>,
    /// The context, to cancel it (the provider thread owns the other handle).
    context: Option<Arc<ProviderContext>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Its prompts (to hand over answers, and to end waits on a stop).
    prompts: Arc<Prompts>,
}

impl Pipeline {
    /// Sends PIPELINE_STATE Running, then runs `prepared` on a thread of its
    /// own; the completion sends Completed (Stopped after a stop, Failed
    /// when a prompt could not take place). A command that changes state
    /// first confirms itself (H0): under WhatIf, or answered No, the
    /// provider is not called.
    pub(super) fn spawn(
        pool: &Arc<Pool>,
        id: Guid,
        b: &Bound,
        prepared: Prepared,
        prompts: Arc<Prompts>,
    ) -> Result<Pipeline, SessionError> {
        let Prepared {
            module,
            class,
            namespace,
            job,
            ..
        } = prepared;
        let ctx = Context::with_char_type(pool, id, -1, -1, module.char_type())
            .map_err(|e| SessionError::parse(format!("no context: {e}")))?;
        let _ = ctx.set_message_requested(0, b.warnings.unwrap_or(true));
        let _ = ctx.set_message_requested(1, b.verbose.unwrap_or(false));
        let _ = ctx.set_message_requested(2, b.debug.unwrap_or(false));
        if let Some(a) = b.error_action {
            ctx.set_error_action(a);
        }
        ctx.set_prompter(Arc::clone(&prompts) as Arc<dyn crate::host::Prompter>);
        // The command's own confirmation (H0): the action and target
        // PowerShell's CIM cmdlets name.
        let own_check = super::commands::CHANGING.contains(&b.command).then(|| {
            let action = match &job {
                Job::Invoke { method, .. } => format!("{}: {method}", b.command),
                _ => b.command.to_owned(),
            };
            let target = match &job {
                Job::Modify { instance }
                | Job::Delete { instance }
                | Job::Invoke {
                    target: Some(instance),
                    ..
                } => module
                    .read(instance, &namespace)
                    .map_or_else(|_| class.clone(), |ci| ci.display_text()),
                _ => class.clone(),
            };
            describe(&target, &action)
        });
        let shared = Arc::new(Shared::default());
        let done = Arc::clone(&shared);
        let state_pool = Arc::clone(pool);
        let command = b.command;
        let quiet = b.error_action == Some(ErrorAction::Ignore);
        let asked = Arc::clone(&prompts);
        ctx.on_complete(Box::new(move |outcome: &Outcome| {
            let stopped = done.stop_requested.load(Ordering::SeqCst);
            // A PostResult that is not OK carries no record of its own: the
            // CIM cmdlets write it as a CimException (a non-terminating error).
            if outcome.ending == Ending::PostResult
                && outcome.result != MI_RESULT_OK
                && !stopped
                && !quiet
            {
                let name = mi_result_name(outcome.result).unwrap_or("an MI result");
                let e = SessionError::cim(
                    command,
                    outcome.result,
                    format!(
                        "The provider ended the operation with {name} ({}).",
                        outcome.result
                    ),
                    "",
                );
                let _ = state_pool.send_message(m::ERROR_RECORD, id, &m::error_record(&e));
            }
            let msg = if stopped {
                pipeline_state(m::pipeline_state::STOPPED, Some(&SessionError::stopped()))
            } else if let Some(e) = asked.failure() {
                pipeline_state(m::pipeline_state::FAILED, Some(&e))
            } else {
                pipeline_state(m::pipeline_state::COMPLETED, None)
            };
            let _ = state_pool.send_message(m::PIPELINE_STATE, id, &msg);
            done.set(&done.ended);
        }));
        let pc = Arc::new(ProviderContext::new(ctx));
        // Running goes out before anything of the operation's.
        let _ = pool.send_message(
            m::PIPELINE_STATE,
            id,
            &pipeline_state(m::pipeline_state::RUNNING, None),
        );
        let thread_pc = Arc::clone(&pc);
        let released = Arc::clone(&shared);
        let thread_prompts = Arc::clone(&prompts);
        let thread = std::thread::Builder::new()
            .name(format!("pipeline {}", m::guid_text(id)))
            .spawn(move || {
                let go = own_check.as_ref().is_none_or(|d| {
                    thread_prompts
                        .confirm(thread_pc.context(), d)
                        .unwrap_or(false)
                });
                if go {
                    operate(&module, &thread_pc, &namespace, &class, &job);
                } else {
                    // Not confirmed: no output, no error (a prompt that
                    // could not take place fails the pipeline instead).
                    let _ = thread_pc.context().post_result(MI_RESULT_OK);
                }
                // The provider may end the operation later, on another
                // thread; the instances live until it did.
                let _ = thread_pc.context().wait(None);
                drop(thread_pc);
                drop(job);
                drop(module);
                released.set(&released.released);
            });
        let thread = match thread {
            Ok(t) => Some(t),
            Err(_) => {
                let _ = pc.context().post_error(
                    crate::mi::MI_RESULT_SERVER_LIMITS_EXCEEDED,
                    Some(ProviderText::utf8(b"MI")),
                    Some(ProviderText::utf8(b"no thread for the operation")),
                );
                shared.set(&shared.released);
                None
            }
        };
        Ok(Pipeline {
            shared,
            context: Some(pc),
            thread,
            prompts,
        })
    }

    /// Hands the client's answer to call `ci` to its waiting prompt.
    pub(super) fn respond(&self, ci: i64, answer: super::host_call::Answer) -> bool {
        self.prompts.respond(ci, answer)
    }

    /// Its operation ended (PIPELINE_STATE sent).
    pub(super) fn ended(&self) -> bool {
        *lock(&self.shared.ended)
    }

    /// Its thread let go of the context.
    pub(super) fn released(&self) -> bool {
        *lock(&self.shared.released)
    }

    /// Cancels the operation (`reason`) unless it ended: its completion
    /// then sends Stopped. `false`: it had ended.
    pub(super) fn stop(&self, reason: MI_CancellationReason) -> bool {
        if self.ended() {
            return false;
        }
        self.shared.stop_requested.store(true, Ordering::SeqCst);
        // A provider waiting on a prompt gets MI_RESULT_FAILED at once.
        self.prompts.abort();
        if let Some(ctx) = &self.context {
            // The provider's cancel callback runs here; it may end the
            // operation, whose completion sends PIPELINE_STATE Stopped.
            let _ = ctx.context().cancel(reason);
        }
        true
    }

    /// Waits (until `until`) for the thread to let go of its context, then
    /// frees it. A provider that has not ended by then keeps its context
    /// and module: its thread is left running (never joined).
    pub(super) fn release(mut self, until: Instant) {
        self.prompts.abort();
        if self.shared.wait(&self.shared.released, until) {
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
            drop(self.context.take());
        } else {
            // Still in use by the provider: leak the handle rather than free it.
            if let Some(ctx) = self.context.take() {
                std::mem::forget(ctx);
            }
        }
    }
}

/// Runs the operation (on the pipeline's thread). What fails before the
/// provider is called ends the operation with an error record.
fn operate(module: &Arc<Module>, pc: &ProviderContext, namespace: &str, class: &str, job: &Job) {
    let names: Vec<&str>;
    let request = match job {
        Job::Enumerate { keys_only, filter } => Request::Enumerate {
            class,
            keys_only: *keys_only,
            properties: None,
            filter: filter.as_deref(),
        },
        Job::Get { instance, keys } => {
            names = keys.iter().flatten().map(String::as_str).collect();
            Request::Get {
                instance,
                properties: keys.as_ref().map(|_| &names[..]),
            }
        }
        Job::Create { instance } => Request::Create { instance },
        Job::Modify { instance } => Request::Modify {
            instance,
            properties: None,
        },
        Job::Delete { instance } => Request::Delete { instance },
        Job::Invoke {
            method,
            target,
            parameters,
        } => Request::Invoke {
            class,
            method,
            instance: target.as_ref(),
            parameters: Some(parameters),
        },
    };
    if let Err(e) = run(module, pc, namespace, request) {
        if !pc.context().is_ended() {
            let text = e.to_string();
            let _ = pc.context().post_error(
                e.code(),
                Some(ProviderText::utf8(b"MI")),
                Some(ProviderText::utf8(text.as_bytes())),
            );
        }
    }
}
