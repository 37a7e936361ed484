//! A pipeline's operations (one, or one per input object), run one after
//! the other on a thread of the pipeline's own, each on a context of its
//! own (message channels and error action from the common parameters, the
//! pipeline's prompter); the PIPELINE_STATE the pipeline ends with; its
//! stop (the cancel of the operation under way) and its ending (the thread
//! lets go of every context; the session waits for that, bounded).

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
use crate::host::{Context, Ending, ErrorAction, Pool, ProviderText};
use crate::mi::{MI_CancellationReason, MI_RESULT_OK};
use crate::provider::context::ProviderContext;
use crate::provider::module::Module;
use crate::provider::operation::{Request, run};
use crate::psrp::Guid;

/// How long a stop waits for the pipeline to end before the session goes on.
const STOP_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// What a pipeline's thread and the session share.
#[derive(Default)]
struct Shared {
    stop_requested: AtomicBool,
    /// The pipeline ended (its PIPELINE_STATE was sent).
    ended: Mutex<bool>,
    /// The thread let go of every context and instance.
    released: Mutex<bool>,
    changed: Condvar,
    /// The context of the operation under way, to cancel it.
    current: Mutex<Option<Arc<ProviderContext>>>,
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

/// One operation of a pipeline: the command bound for it (its own
/// `-InputObject` when the instances came as pipeline input) and made
/// ready for its module.
pub(super) struct Step {
    /// The bound command, common parameters resolved.
    pub bound: Bound,
    /// Its module, class and job.
    pub prepared: Prepared,
}

/// A running (or ended, not yet closed) pipeline.
pub(super) struct Pipeline {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Its prompts (to hand over answers, and to end waits on a stop).
    prompts: Arc<Prompts>,
}

impl Pipeline {
    /// Sends PIPELINE_STATE Running, then runs `steps` one after the other
    /// on a thread of its own, each on a context of its own, and ends with
    /// Completed — Stopped after a stop, Failed when a prompt could not
    /// take place or the client stops on errors and one came (the steps
    /// left are not run then). A command that changes state first confirms
    /// itself (H0): under WhatIf, or answered No, the provider is not called.
    pub(super) fn spawn(
        pool: &Arc<Pool>,
        id: Guid,
        steps: Vec<Step>,
        prompts: Arc<Prompts>,
    ) -> Pipeline {
        let shared = Arc::new(Shared::default());
        // Running goes out before anything of the operations'.
        let _ = pool.send_message(
            m::PIPELINE_STATE,
            id,
            &pipeline_state(m::pipeline_state::RUNNING, None),
        );
        let (thread_shared, thread_prompts, thread_pool) =
            (Arc::clone(&shared), Arc::clone(&prompts), Arc::clone(pool));
        let thread = std::thread::Builder::new()
            .name(format!("pipeline {}", m::guid_text(id)))
            .spawn(move || {
                let end = run_steps(&thread_pool, id, steps, &thread_shared, &thread_prompts);
                let _ = thread_pool.send_message(m::PIPELINE_STATE, id, &end);
                thread_shared.set(&thread_shared.ended);
                thread_shared.set(&thread_shared.released);
            });
        let thread = match thread {
            Ok(t) => Some(t),
            Err(_) => {
                let e = SessionError::cim(
                    "Invoke-CimMethod",
                    crate::mi::MI_RESULT_SERVER_LIMITS_EXCEEDED,
                    "no thread for the operation".into(),
                    "",
                );
                let _ = pool.send_message(
                    m::PIPELINE_STATE,
                    id,
                    &pipeline_state(m::pipeline_state::FAILED, Some(&e)),
                );
                shared.set(&shared.ended);
                shared.set(&shared.released);
                None
            }
        };
        Pipeline {
            shared,
            thread,
            prompts,
        }
    }

    /// Hands the client's answer to call `ci` to its waiting prompt.
    pub(super) fn respond(&self, ci: i64, answer: super::host_call::Answer) -> bool {
        self.prompts.respond(ci, answer)
    }

    /// It ended (PIPELINE_STATE sent).
    pub(super) fn ended(&self) -> bool {
        *lock(&self.shared.ended)
    }

    /// Its thread let go of every context.
    pub(super) fn released(&self) -> bool {
        *lock(&self.shared.released)
    }

    /// Cancels the operation under way (`reason`) and runs no more, unless
    /// the pipeline ended: it then ends Stopped. `false`: it had ended.
    pub(super) fn stop(&self, reason: MI_CancellationReason) -> bool {
        if self.ended() {
            return false;
        }
        self.shared.stop_requested.store(true, Ordering::SeqCst);
        // A provider waiting on a prompt gets MI_RESULT_FAILED at once.
        self.prompts.abort();
        let current = lock(&self.shared.current).clone();
        if let Some(pc) = current {
            // The provider's cancel callback runs here, outside every lock.
            let _ = pc.context().cancel(reason);
        }
        true
    }

    /// [`Pipeline::stop`], then a short wait for the pipeline to end: a
    /// provider that ends at its cancel gets its Stopped out before the
    /// transport's SignalAck; a slower one is not waited for longer.
    pub(super) fn stop_and_wait(&self, reason: MI_CancellationReason) -> bool {
        let stopping = self.stop(reason);
        if stopping {
            self.shared
                .wait(&self.shared.ended, Instant::now() + STOP_WAIT);
        }
        stopping
    }

    /// Waits (until `until`) for the thread to let go of its contexts and
    /// joins it. A provider that has not ended by then keeps its context
    /// and module: the thread owns them and is left running (never joined).
    pub(super) fn release(mut self, until: Instant) {
        self.prompts.abort();
        if self.shared.wait(&self.shared.released, until)
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

/// Runs the steps (on the pipeline's thread): the PIPELINE_STATE to end with.
fn run_steps(
    pool: &Arc<Pool>,
    id: Guid,
    steps: Vec<Step>,
    shared: &Shared,
    prompts: &Arc<Prompts>,
) -> Vec<u8> {
    let mut stop_error = None;
    for step in steps {
        if shared.stop_requested.load(Ordering::SeqCst) || prompts.failure().is_some() {
            break;
        }
        match run_step(pool, id, step, shared, prompts) {
            Ok(None) => {}
            Ok(Some(e)) | Err(e) => {
                stop_error = Some(e);
                break;
            }
        }
    }
    if shared.stop_requested.load(Ordering::SeqCst) {
        pipeline_state(m::pipeline_state::STOPPED, Some(&SessionError::stopped()))
    } else if let Some(e) = prompts.failure().or(stop_error) {
        pipeline_state(m::pipeline_state::FAILED, Some(&e))
    } else {
        pipeline_state(m::pipeline_state::COMPLETED, None)
    }
}

/// Runs one step to its end (the provider may end it on another thread,
/// later): `Ok(Some(e))` when the client stops on errors and one came,
/// `Err` when no context could be made.
fn run_step(
    pool: &Arc<Pool>,
    id: Guid,
    step: Step,
    shared: &Shared,
    prompts: &Arc<Prompts>,
) -> Result<Option<SessionError>, SessionError> {
    let Step { bound: b, prepared } = step;
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
    ctx.set_prompter(Arc::clone(prompts) as Arc<dyn crate::host::Prompter>);
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
    let pc = Arc::new(ProviderContext::new(ctx));
    *lock(&shared.current) = Some(Arc::clone(&pc));
    if shared.stop_requested.load(Ordering::SeqCst) {
        // A stop that came before the context was there to cancel.
        let _ = pc.context().cancel(crate::mi::MI_REASON_NONE);
    }
    let go = own_check
        .as_ref()
        .is_none_or(|d| prompts.confirm(pc.context(), d).unwrap_or(false));
    if go {
        operate(&module, &pc, &namespace, &class, &job);
    } else {
        // Not confirmed: no output, no error (a prompt that could not
        // take place fails the pipeline instead).
        let _ = pc.context().post_result(MI_RESULT_OK);
    }
    // The provider may end the operation later, on another thread; the
    // instances live until it did.
    let outcome = pc.context().wait(None);
    *lock(&shared.current) = None;
    let stopped = shared.stop_requested.load(Ordering::SeqCst);
    let action = b.error_action.unwrap_or(ErrorAction::Continue);
    // A PostResult that is not OK carries no record of its own: the CIM
    // cmdlets write it as a CimException (a non-terminating error).
    let mut result_error = None;
    if let Some(o) = &outcome
        && o.ending == Ending::PostResult
        && o.result != MI_RESULT_OK
        && !stopped
        && action != ErrorAction::Ignore
    {
        let name = mi_result_name(o.result).unwrap_or("an MI result");
        let e = SessionError::cim(
            b.command,
            o.result,
            format!(
                "The provider ended the operation with {name} ({}).",
                o.result
            ),
            "",
        );
        let _ = pool.send_message(m::ERROR_RECORD, id, &m::error_record(&e));
        result_error = Some(e);
    }
    // Stopping on errors: the first error the operation wrote (or its
    // result) ends the pipeline, as PowerShell's
    // ActionPreferenceStopException does.
    let stop_error = if action == ErrorAction::Stop && !stopped {
        match pc.context().stop_error().map(m::read_value) {
            Some(Ok(record)) => Some(SessionError::action_stopped(&record)),
            _ => result_error.as_ref().map(SessionError::as_action_stopped),
        }
    } else {
        None
    };
    drop(pc);
    drop(job);
    drop(module);
    Ok(stop_error)
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
