//! A provider's questions to its user — `MI_Context_ShouldProcess`,
//! `ShouldContinue` and `PromptUser` — handed to the host's [`Prompter`].
//!
//! The context checks the call (a live operation, not from inside the
//! pool's sink or the context's own cancel callback, text that is text) and
//! words it as PowerShell does; the prompter decides how to ask (a PSRP host
//! call, a What-if line, an automatic answer) and may block until the user
//! answers. A context without a prompter answers `MI_RESULT_NOT_SUPPORTED`,
//! as before prompts existed.

use std::sync::Arc;

use super::{Context, NOT_A_CODE_POINT};
use crate::host::error::MiError;
use crate::host::text::ProviderText;
use crate::psrp::text::SourceText;

/// `MI_PROMPTTYPE_NORMAL`: a confirmation, as `ShouldProcess`.
pub const PROMPT_NORMAL: u32 = 0;
/// `MI_PROMPTTYPE_CRITICAL`: always asked, as `ShouldContinue`.
pub const PROMPT_CRITICAL: u32 = 1;

/// What a provider asks, worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// A confirmation that the preferences may answer (`ShouldProcess`,
    /// `PromptUser` Normal): the description, e.g. `Performing the operation
    /// "Restart service" on target "web".`
    Confirm(String),
    /// A question always put to the user (`ShouldContinue`, `PromptUser`
    /// Critical): the message.
    Continue(String),
}

/// PowerShell's description of an operation (`ShouldProcess(target, action)`).
pub fn describe(target: &str, action: &str) -> String {
    format!("Performing the operation \"{action}\" on target \"{target}\".")
}

/// Asks the user on a context's behalf.
pub trait Prompter: Send + Sync {
    /// Answers `question` for `context`'s operation: `Ok(true)` go on,
    /// `Ok(false)` do not. May block until the user answers; must return
    /// at once when the operation is cancelled. An error is returned to the
    /// provider as its `MI_Result` (the prompt could not take place).
    fn ask(&self, context: &Context, question: &Question) -> Result<bool, MiError>;
}

fn text_of(t: Option<ProviderText<'_>>) -> Result<String, MiError> {
    let Some(t) = t else {
        return Ok(String::new());
    };
    t.check().map_err(|_| NOT_A_CODE_POINT)?;
    t.try_to_string_lossy()
        .map_err(|_| MiError::Code(crate::mi::MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory"))
}

impl Context {
    /// Gives the context its prompter (once; a second call changes nothing
    /// and returns `false`).
    pub fn set_prompter(&self, prompter: Arc<dyn Prompter>) -> bool {
        self.prompter.set(prompter).is_ok()
    }

    /// The checks of every prompt: a live operation, not from inside the
    /// pool's sink, not from the context's own cancel callback, not after a
    /// cancel ([`MiError::Failed`]); then a prompter ([`MiError::NotSupported`]).
    fn prompter(&self) -> Result<&Arc<dyn Prompter>, MiError> {
        self.check_live()?;
        if self.in_own_cancel_callback() {
            return Err(MiError::Failed("a prompt from inside the cancel callback"));
        }
        if self.canceled() {
            return Err(MiError::Failed("the operation is cancelled"));
        }
        self.prompter.get().ok_or(MiError::NotSupported)
    }

    /// `MI_Context_ShouldProcess(target, action)`: NULL strings are empty.
    pub fn should_process(
        &self,
        target: Option<ProviderText<'_>>,
        action: Option<ProviderText<'_>>,
    ) -> Result<bool, MiError> {
        let p = self.prompter()?;
        let question = Question::Confirm(describe(&text_of(target)?, &text_of(action)?));
        p.ask(self, &question)
    }

    /// `MI_Context_ShouldContinue(message)`: a NULL message is empty.
    pub fn should_continue(&self, message: Option<ProviderText<'_>>) -> Result<bool, MiError> {
        let p = self.prompter()?;
        p.ask(self, &Question::Continue(text_of(message)?))
    }

    /// `MI_Context_PromptUser(message, type)`: [`PROMPT_NORMAL`] is a
    /// confirmation described by `message`, [`PROMPT_CRITICAL`] a question
    /// always asked; any other type → [`MiError::InvalidParameter`].
    pub fn prompt_user(
        &self,
        message: Option<ProviderText<'_>>,
        prompt_type: u32,
    ) -> Result<bool, MiError> {
        let p = self.prompter()?;
        let message = text_of(message)?;
        let question = match prompt_type {
            PROMPT_NORMAL => Question::Confirm(message),
            PROMPT_CRITICAL => Question::Continue(message),
            _ => return Err(MiError::InvalidParameter("unknown MI_PromptType")),
        };
        p.ask(self, &question)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::host::Pool;

    struct Record(Mutex<Vec<Question>>, bool);
    impl Prompter for Record {
        fn ask(&self, _: &Context, q: &Question) -> Result<bool, MiError> {
            self.0.lock().unwrap().push(q.clone());
            Ok(self.1)
        }
    }

    fn context() -> Context {
        let pool = Pool::new(crate::psrp::Guid::from_bytes_le([1; 16]), |_: &[u8]| {});
        Context::new(&pool, crate::psrp::Guid::from_bytes_le([2; 16]), -1, -1).unwrap()
    }

    #[test]
    fn questions_are_worded_and_checked() {
        let ctx = context();
        let u = |s: &'static str| Some(ProviderText::utf8(s.as_bytes()));
        assert_eq!(
            ctx.should_process(u("web"), u("Restart")),
            Err(MiError::NotSupported)
        );
        let r = Arc::new(Record(Mutex::default(), true));
        assert!(ctx.set_prompter(r.clone()));
        assert!(!ctx.set_prompter(r.clone()), "set once");
        assert_eq!(ctx.should_process(u("web"), u("Restart")), Ok(true));
        assert_eq!(ctx.should_process(None, None), Ok(true));
        assert_eq!(ctx.should_continue(u("Sure?")), Ok(true));
        assert_eq!(ctx.prompt_user(u("Wipe"), PROMPT_NORMAL), Ok(true));
        assert_eq!(ctx.prompt_user(u("Wipe"), PROMPT_CRITICAL), Ok(true));
        assert!(matches!(
            ctx.prompt_user(u("Wipe"), 2),
            Err(MiError::InvalidParameter(_))
        ));
        assert_eq!(
            *r.0.lock().unwrap(),
            [
                Question::Confirm("Performing the operation \"Restart\" on target \"web\".".into()),
                Question::Confirm("Performing the operation \"\" on target \"\".".into()),
                Question::Continue("Sure?".into()),
                Question::Confirm("Wipe".into()),
                Question::Continue("Wipe".into()),
            ]
        );
        // Cancelled, then ended: refused without asking.
        ctx.cancel(0).unwrap();
        assert!(matches!(
            ctx.should_continue(u("x")),
            Err(MiError::Failed(_))
        ));
        ctx.post_result(0).unwrap();
        assert!(matches!(
            ctx.should_continue(u("x")),
            Err(MiError::Failed(_))
        ));
        assert_eq!(r.0.lock().unwrap().len(), 5);
    }
}
