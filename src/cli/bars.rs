//! Live progress bars on a terminal, with indicatif.
//!
//! Bounded whatever the input: no thread of its own (no steady tick; a
//! spinner moves when its activity reports), and at most as many bars as fit
//! the terminal, in a fixed set of slots that show the first activities in
//! drawing order; one more line says how many activities are not shown.
//! Warning, verbose, debug and error records are printed above the bars.

use std::io;
use std::sync::Arc;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use super::Show;
use super::tree::Tree;
use super::watch::{ActivityKey, describe_progress, indent, message_lines};
use crate::psrp::{DecodedMessage, ProgressRecordType};

/// What a bar shows.
#[derive(Debug, Clone, PartialEq)]
struct View {
    text: String,
    percent: Option<u64>,
}

/// A terminal shared by the bars and by the code that asks its size.
#[derive(Debug, Clone)]
struct Shared(Arc<dyn TermLike>);

impl TermLike for Shared {
    fn width(&self) -> u16 {
        self.0.width()
    }
    fn height(&self) -> u16 {
        self.0.height()
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Bars shown on a terminal `height` lines high: two lines per bar, one for
/// the "more" line, one spare; at least one.
pub fn bars_that_fit(height: u16) -> usize {
    (usize::from(height).saturating_sub(2) / 2).max(1)
}

/// One drawn bar and which version of which activity it shows.
struct Slot {
    bar: ProgressBar,
    shows: Option<(ActivityKey, u64)>,
}

/// Live bars, one per activity that fits, children under their parent; a
/// Completed record removes its activity and those under it, as PowerShell's
/// console host does.
pub struct Bars {
    term: Shared,
    multi: MultiProgress,
    tree: Tree<View>,
    slots: Vec<Slot>,
    more: ProgressBar,
    more_shown: bool,
    known: ProgressStyle,
    unknown: ProgressStyle,
    completed: usize,
}

impl Bars {
    /// Bars drawn on `term` (`console::Term::stdout()` for the real terminal).
    pub fn new(term: impl TermLike + 'static) -> Self {
        let term = Shared(Arc::new(term));
        let multi =
            MultiProgress::with_draw_target(ProgressDrawTarget::term_like(Box::new(term.clone())));
        Bars {
            term,
            multi,
            tree: Tree::default(),
            slots: Vec::new(),
            more: ProgressBar::hidden(),
            more_shown: false,
            known: ProgressStyle::with_template(
                "{prefix}{wide_msg}\n{prefix}[{bar:50.cyan/blue}] {pos:>3}%",
            )
            .expect("valid template")
            .progress_chars("##-"),
            unknown: ProgressStyle::with_template("{prefix}{wide_msg}\n{prefix}{spinner} working")
                .expect("valid template"),
            completed: 0,
        }
    }

    /// Bars drawn now (at most [`bars_that_fit`] the terminal).
    pub fn bars_drawn(&self) -> usize {
        self.slots.len()
    }

    /// Live activities not drawn for lack of room.
    pub fn hidden(&self) -> usize {
        self.tree.len() - self.slots.len()
    }

    /// What each drawn bar shows, top to bottom: its indentation and text.
    pub fn rows(&self) -> Vec<String> {
        self.slots
            .iter()
            .map(|s| format!("{}{}", s.bar.prefix(), s.bar.message()))
            .collect()
    }

    /// Puts the first activities that fit into the slots.
    fn draw(&mut self) {
        let cap = bars_that_fit(self.term.height());
        let visible = self.tree.first(cap);
        while self.slots.len() > visible.len() {
            let slot = self.slots.pop().expect("a slot");
            slot.bar.finish_and_clear();
            self.multi.remove(&slot.bar);
        }
        while self.slots.len() < visible.len() {
            let bar = if self.more_shown {
                self.multi.insert_before(&self.more, ProgressBar::new(100))
            } else {
                self.multi.add(ProgressBar::new(100))
            };
            self.slots.push(Slot { bar, shows: None });
        }
        for (slot, (key, node)) in self.slots.iter_mut().zip(&visible) {
            if slot.shows == Some((*key, node.version)) {
                continue;
            }
            slot.shows = Some((*key, node.version));
            slot.bar.set_prefix(indent(node.depth));
            match node.view.percent {
                Some(p) => {
                    slot.bar.set_style(self.known.clone());
                    slot.bar.set_position(p);
                }
                None => {
                    slot.bar.set_style(self.unknown.clone());
                    slot.bar.tick();
                }
            }
            slot.bar.set_message(node.view.text.clone());
        }
        let hidden = self.tree.len() - visible.len();
        if hidden > 0 {
            if !self.more_shown {
                self.more = self.multi.add(ProgressBar::new(0));
                self.more
                    .set_style(ProgressStyle::with_template("{msg}").expect("valid template"));
                self.more_shown = true;
            }
            self.more
                .set_message(format!("… and {hidden} more activities not shown"));
        } else if self.more_shown {
            self.more.finish_and_clear();
            self.multi.remove(&self.more);
            self.more_shown = false;
        }
    }
}

impl Show for Bars {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        let Some(r) = m.progress() else {
            for line in message_lines(m) {
                self.multi.println(line)?;
            }
            return Ok(());
        };
        let key = (m.header.pipeline_id, r.activity_id);
        if r.record_type == ProgressRecordType::Completed {
            self.tree.remove(key);
            self.completed += 1;
        } else {
            let view = View {
                text: describe_progress(r),
                percent: u64::try_from(r.percent_complete).ok(),
            };
            self.tree
                .update(key, (m.header.pipeline_id, r.parent_activity_id), view);
        }
        self.draw();
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        for slot in self.slots.drain(..) {
            slot.bar.finish_and_clear();
        }
        self.more.finish_and_clear();
        self.multi.clear()?;
        self.term
            .write_line(&format!("{} activities completed", self.completed))?;
        self.term.flush()
    }
}
