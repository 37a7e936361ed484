//! The session's pipelines: CREATE_PIPELINE read and bound (assignments,
//! input awaited, or the operations started), their failure, Signal and
//! Close.

use std::time::Instant;

use super::super::commands::{Bound, bind, read_create_pipeline, unbound};
use super::super::input::Pending;
use super::super::messages::{self as m, SessionError, pipeline_state};
use super::super::pipeline::{Pipeline, Step};
use super::super::prepare::prepare;
use super::super::prompt::{Prompts, Settings};
use super::{Event, Session, host_has_ui};
use crate::mi::{MI_REASON_NONE, MI_REASON_SHUTDOWN};
use crate::psrp::Guid;

impl Session {
    /// Pipelines whose operation goes on.
    pub(super) fn running(&self) -> usize {
        self.pipelines.values().filter(|p| !p.ended()).count()
    }

    pub(super) fn fail(&mut self, id: Guid, e: &SessionError, events: &mut Vec<Event>) {
        if let Some(pool) = &self.pool {
            let _ = pool.send_message(
                m::PIPELINE_STATE,
                id,
                &pipeline_state(m::pipeline_state::FAILED, Some(e)),
            );
        }
        events.push(Event::PipelineFailed {
            id,
            message: e.message.clone(),
        });
    }

    pub(super) fn create_pipeline(&mut self, id: Guid, data: &[u8], events: &mut Vec<Event>) {
        if id.is_nil() || self.pipelines.contains_key(&id) {
            let e = SessionError::parse(format!(
                "CREATE_PIPELINE for pipeline {} that {}",
                m::guid_text(id),
                if id.is_nil() { "is nil" } else { "exists" }
            ));
            if !id.is_nil() {
                events.push(Event::PipelineFailed {
                    id,
                    message: e.message,
                });
            }
            return;
        }
        // Pipelines that ended and were not closed are let go of first.
        let done: Vec<Guid> = self
            .pipelines
            .iter()
            .filter(|(_, p)| p.released())
            .map(|(g, _)| *g)
            .collect();
        if self.pipelines.len() + self.inputs.len() >= self.config.max_pipelines {
            for g in done {
                if let Some(p) = self.pipelines.remove(&g) {
                    p.release(Instant::now());
                }
            }
        }
        if self.pipelines.len() + self.inputs.len() >= self.config.max_pipelines {
            let e = SessionError::cim(
                "Invoke-CimMethod",
                27,
                format!(
                    "this session already has {} pipelines open (the most it allows)",
                    self.config.max_pipelines
                ),
                "",
            );
            return self.fail(id, &e, events);
        }
        let value = m::read_value(data)
            .map_err(|e| SessionError::parse(format!("CREATE_PIPELINE does not decode: {e}")));
        // NoInput false: the client sends PIPELINE_INPUT, then
        // END_OF_PIPELINE_INPUT (missing: no input, as PowerShell reads it).
        let takes_input = matches!(
            value.as_ref().ok().and_then(|v| v.member("NoInput")),
            Some(m::Value::Bool(false))
        );
        let ui = match value.as_ref().ok().and_then(|v| v.member("HostInfo")) {
            Some(h) if matches!(h.member("_useRunspaceHost"), Some(m::Value::Bool(true))) => {
                self.pool_ui
            }
            h => host_has_ui(h),
        };
        let bound = value
            .and_then(|v| {
                read_create_pipeline(&v)
                    .map_err(|e| SessionError::parse(format!("CREATE_PIPELINE: {e}")))
            })
            .and_then(|cmds| unbound(&cmds));
        let request = match bound {
            Ok(r) => r,
            Err(e) => return self.fail(id, &e, events),
        };
        // The assignments take effect together, or not at all.
        let mut preferences = self.preferences;
        for (name, value) in &request.assignments {
            if let Err(e) = preferences.set(name, value) {
                return self.fail(id, &e, events);
            }
        }
        self.preferences = preferences;
        if request.commands.is_empty() {
            // Only assignments: the pipeline completes at once.
            self.send_states(
                id,
                &[m::pipeline_state::RUNNING, m::pipeline_state::COMPLETED],
            );
            events.push(Event::PreferencesSet(id));
            return;
        }
        if takes_input {
            self.inputs.insert(id, Pending::new(request.commands, ui));
            events.push(Event::AwaitingInput(id));
            return;
        }
        match bind(&request.commands) {
            Ok(b) => {
                let b = self.preferences.resolve(&b);
                self.run(id, vec![b], ui, events);
            }
            Err(e) => self.fail(id, &e, events),
        }
    }

    pub(super) fn send_states(&self, id: Guid, states: &[i32]) {
        if let Some(pool) = &self.pool {
            for &state in states {
                let _ = pool.send_message(m::PIPELINE_STATE, id, &pipeline_state(state, None));
            }
        }
    }

    /// Runs the bound commands (one per input object, or one), or fails
    /// the pipeline before any runs when one cannot be made ready.
    pub(super) fn run(&mut self, id: Guid, bound: Vec<Bound>, ui: bool, events: &mut Vec<Event>) {
        let Some(first) = bound.first().cloned() else {
            // Input expected and none came: nothing to do.
            self.send_states(
                id,
                &[m::pipeline_state::RUNNING, m::pipeline_state::COMPLETED],
            );
            return;
        };
        let mut steps = Vec::with_capacity(bound.len());
        for b in bound {
            match prepare(&self.config.modules, &b) {
                Ok(prepared) => steps.push(Step { bound: b, prepared }),
                Err(e) => return self.fail(id, &e, events),
            }
        }
        self.start(id, &first, steps, ui);
        events.push(Event::PipelineStarted { id, command: first });
    }

    /// Runs `steps` on a thread of their own, prompts answered as the
    /// common parameters of `b`, the preferences and the client's host
    /// (`ui`) say (H1, H3).
    pub(super) fn start(&mut self, id: Guid, b: &Bound, steps: Vec<Step>, ui: bool) {
        let pool = self.pool.clone().expect("opened");
        let settings = Settings {
            what_if: b.what_if.unwrap_or(false),
            confirm: b.confirm.unwrap_or(false),
            ui,
            verbose: b.verbose.unwrap_or(false),
            command: b.command,
        };
        let prompts = Prompts::new(&pool, id, settings, &self.calls);
        let p = Pipeline::spawn(&pool, id, steps, prompts);
        self.pipelines.insert(id, p);
    }

    pub(super) fn signal(&mut self, id: Guid, events: &mut Vec<Event>) {
        if self.inputs.remove(&id).is_some() {
            // Stopped before it started: Stopped at once.
            if let Some(pool) = &self.pool {
                let stopped =
                    pipeline_state(m::pipeline_state::STOPPED, Some(&SessionError::stopped()));
                let _ = pool.send_message(m::PIPELINE_STATE, id, &stopped);
            }
            events.push(Event::Stopping(id));
            return;
        }
        let Some(p) = self.pipelines.get(&id) else {
            return;
        };
        if p.stop_and_wait(MI_REASON_NONE) {
            events.push(Event::Stopping(id));
        }
    }

    pub(super) fn close_pipeline(&mut self, id: Guid) {
        self.defrag.remove(&id);
        self.inputs.remove(&id);
        let Some(p) = self.pipelines.remove(&id) else {
            return;
        };
        p.stop(MI_REASON_SHUTDOWN);
        p.release(Instant::now() + self.config.shutdown_grace);
    }
}
