//! A pipeline's prompts (`../shared/spec/psrp-host-calls.md` §4, H0–H10):
//! the command's own confirmation and the provider's `ShouldProcess`,
//! `ShouldContinue` and `PromptUser`, answered from the preferences or put
//! to the client as host calls, one at a time per pipeline.
//!
//! A question that needs the user sends a PIPELINE_HOST_CALL and waits for
//! the session to hand over the client's PIPELINE_HOST_RESPONSE
//! ([`Prompts::respond`]); Stop, Close, a lost transport or any cancel of
//! the context ([`Prompts::abort`], or the context's cancel flag, looked at
//! every few milliseconds) ends the wait at once with `MI_RESULT_FAILED`.
//! A prompt that cannot take place (no interactive host, an error or an
//! invalid answer from the client) fails this and every later prompt of
//! the pipeline, and the pipeline ends Failed with [`Prompts::failure`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::host_call::{
    self as hc, Answer, CAPTION, CONFIRM_CHOICES, CONTINUE_CHOICES, Choice, PIPELINE_HOST_CALL,
};
use super::messages::SessionError;
use super::outbox::lock;
use crate::host::{Context, MiError, Pool, Prompter, ProviderText, Question};
use crate::psrp::Guid;

/// How often a waiting prompt looks at its context's cancel flag.
const POLL: Duration = Duration::from_millis(20);

const FAILED: MiError = MiError::Failed("the prompt could not take place");

/// What decides how a pipeline's prompts are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Settings {
    /// Effective WhatIf (`-WhatIf`, else `$WhatIfPreference`).
    pub what_if: bool,
    /// A confirmation is needed (effective ConfirmPreference Low or Medium:
    /// every operation has ConfirmImpact Medium).
    pub confirm: bool,
    /// The client has an interactive host: UI host calls may go out (H1).
    pub ui: bool,
    /// The client asked for verbose output (auto-confirmed descriptions
    /// become VERBOSE_RECORDs, as PowerShell's `WriteVerbose` does).
    pub verbose: bool,
    /// The cmdlet, for the HostException record.
    pub command: &'static str,
}

#[derive(Default)]
struct State {
    /// An earlier Yes to All (`true`) or No to All (`false`).
    remembered: Option<bool>,
    /// A prompt could not take place: every later one fails, and the
    /// pipeline ends Failed with this.
    failure: Option<SessionError>,
    /// A host call is on the wire (one at a time per pipeline).
    asking: bool,
    /// The `ci` the call on the wire waits for.
    pending: Option<i64>,
    /// Its answer, once the session handed it over.
    answer: Option<Answer>,
    /// Stop, Close or a lost client: no prompt may wait any more.
    aborted: bool,
}

/// A pipeline's prompter.
pub(super) struct Prompts {
    pool: Arc<Pool>,
    pipeline: Guid,
    settings: Settings,
    /// The session's call-id counter (H2: one per runspace pool).
    calls: Arc<AtomicI64>,
    state: Mutex<State>,
    changed: Condvar,
}

impl Prompts {
    pub(super) fn new(
        pool: &Arc<Pool>,
        pipeline: Guid,
        settings: Settings,
        calls: &Arc<AtomicI64>,
    ) -> Arc<Prompts> {
        Arc::new(Prompts {
            pool: Arc::clone(pool),
            pipeline,
            settings,
            calls: Arc::clone(calls),
            state: Mutex::default(),
            changed: Condvar::new(),
        })
    }

    /// Ends every wait, now and later (Stop, Close, a lost client).
    pub(super) fn abort(&self) {
        lock(&self.state).aborted = true;
        self.changed.notify_all();
    }

    /// Why the pipeline must end Failed, if a prompt could not take place.
    pub(super) fn failure(&self) -> Option<SessionError> {
        lock(&self.state).failure.clone()
    }

    /// Hands over the client's answer to call `ci`: `false` (ignored) when
    /// no call of this pipeline waits for that `ci` or it was answered.
    pub(super) fn respond(&self, ci: i64, answer: Answer) -> bool {
        let mut st = lock(&self.state);
        if st.pending != Some(ci) || st.answer.is_some() {
            return false;
        }
        st.answer = Some(answer);
        self.changed.notify_all();
        true
    }

    fn fail(&self, st: &mut State, e: SessionError) -> MiError {
        if st.failure.is_none() {
            st.failure = Some(e);
        }
        FAILED
    }

    /// Waits for this pipeline's turn to ask (another thread's host call
    /// answered); fails at once after an abort, a cancel or a failure.
    fn turn(&self, ctx: &Context) -> Result<MutexGuard<'_, State>, MiError> {
        let mut st = lock(&self.state);
        loop {
            if st.aborted || ctx.canceled() || st.failure.is_some() {
                return Err(FAILED);
            }
            if !st.asking {
                return Ok(st);
            }
            st = self
                .changed
                .wait_timeout(st, POLL)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// One PromptForChoice round trip: sends the call, waits for its answer.
    fn round_trip(
        &self,
        mut st: MutexGuard<'_, State>,
        ctx: &Context,
        message: &str,
        choices: &[Choice],
    ) -> Result<usize, MiError> {
        let ci = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        st.asking = true;
        st.pending = Some(ci);
        st.answer = None;
        drop(st);
        let sent = self.pool.send_message(
            PIPELINE_HOST_CALL,
            self.pipeline,
            &hc::prompt_for_choice(ci, CAPTION, message, choices, 0),
        );
        let mut st = lock(&self.state);
        let answer = loop {
            if sent.is_err() || st.aborted || ctx.canceled() {
                break None;
            }
            if let Some(a) = st.answer.take() {
                break Some(a);
            }
            st = self
                .changed
                .wait_timeout(st, POLL)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        };
        st.asking = false;
        st.pending = None;
        self.changed.notify_all();
        match answer {
            None => Err(FAILED),
            Some(Answer::Choice(n)) => match usize::try_from(n) {
                Ok(n) if n < choices.len() => Ok(n),
                _ => Err(self.fail(&mut st, SessionError::host_call_failed("PromptForChoice"))),
            },
            Some(Answer::Error(e)) => Err(self.fail(&mut st, e)),
            Some(Answer::Invalid) => {
                Err(self.fail(&mut st, SessionError::host_call_failed("PromptForChoice")))
            }
        }
    }

    /// A confirmation (H4): `description` as PowerShell's `ShouldProcess`
    /// words it. Remembered answers, then WhatIf (the What-if line), then
    /// the preferences, then the user.
    pub(super) fn confirm(&self, ctx: &Context, description: &str) -> Result<bool, MiError> {
        let mut st = self.turn(ctx)?;
        if let Some(r) = st.remembered {
            return Ok(r);
        }
        let s = self.settings;
        if s.what_if {
            drop(st);
            if s.ui {
                let line = hc::write_line(&format!("What if: {description}"));
                let _ = self
                    .pool
                    .send_message(PIPELINE_HOST_CALL, self.pipeline, &line);
            }
            return Ok(false);
        }
        if !s.confirm {
            drop(st);
            if s.verbose {
                let _ = ctx.write_message(1, Some(ProviderText::utf8(description.as_bytes())));
            }
            return Ok(true);
        }
        let message = hc::confirm_message(description);
        if !s.ui {
            return Err(self.fail(
                &mut st,
                SessionError::host_not_interactive(s.command, &message),
            ));
        }
        let n = self.round_trip(st, ctx, &message, &CONFIRM_CHOICES)?;
        if n == 1 || n == 3 {
            lock(&self.state).remembered = Some(n == 1);
        }
        Ok(n <= 1)
    }

    /// A question always asked (H5): Yes or No, nothing remembered.
    pub(super) fn ask_to_continue(&self, ctx: &Context, message: &str) -> Result<bool, MiError> {
        let mut st = self.turn(ctx)?;
        let message = hc::continue_message(message);
        if !self.settings.ui {
            return Err(self.fail(
                &mut st,
                SessionError::host_not_interactive(self.settings.command, message),
            ));
        }
        Ok(self.round_trip(st, ctx, message, &CONTINUE_CHOICES)? == 0)
    }
}

impl Prompter for Prompts {
    fn ask(&self, context: &Context, question: &Question) -> Result<bool, MiError> {
        match question {
            Question::Confirm(d) => self.confirm(context, d),
            Question::Continue(m) => self.ask_to_continue(context, m),
        }
    }
}
