//! An in-memory terminal for the live view: records every character drawn.
#![allow(dead_code)]

use std::io;
use std::sync::{Arc, Mutex};

use indicatif::TermLike;

/// A terminal of a fixed size; `text` is everything written to it, cursor
/// movements as `<up n>` and the like.
#[derive(Debug, Clone)]
pub struct Screen {
    pub height: u16,
    pub text: Arc<Mutex<String>>,
}

impl Screen {
    pub fn new(height: u16) -> Self {
        Screen {
            height,
            text: Arc::default(),
        }
    }
    pub fn contents(&self) -> String {
        self.text.lock().unwrap().clone()
    }
    fn put(&self, s: &str) -> io::Result<()> {
        self.text.lock().unwrap().push_str(s);
        Ok(())
    }
}

impl TermLike for Screen {
    fn width(&self) -> u16 {
        100
    }
    fn height(&self) -> u16 {
        self.height
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.put(&format!("<up {n}>"))
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.put(&format!("<down {n}>"))
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.put(&format!("<right {n}>"))
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.put(&format!("<left {n}>"))
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.put(s)?;
        self.put("\n")
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.put(s)
    }
    fn clear_line(&self) -> io::Result<()> {
        self.put("<clear>")
    }
    fn flush(&self) -> io::Result<()> {
        Ok(())
    }
}
