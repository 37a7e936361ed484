//! The parts of the `mi-psrp` tool (feature `cli`): reading a stream
//! ([`run`]), JSON lines ([`json`]), the live view ([`watch`]) and the one
//! sanitizer every output path goes through ([`sanitize`]).

pub mod args;
pub mod bars;
pub mod json;
pub mod output;
pub mod provider;
pub mod sanitize;
pub mod serve;
pub mod serve_config;
mod tree;
pub mod watch;

use std::io::{self, Read};

use crate::psrp::{DecodedMessage, StreamDecoder};

/// What to do with each decoded message.
pub trait Show {
    /// Shows one message.
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()>;
    /// The stream ended cleanly.
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads the stream in whatever pieces arrive and shows each message; stops
/// at the first malformed byte, having shown every message completed before
/// it, with a message that says where and why (made safe for a terminal). A
/// reader that went away (`| head`) ends it quietly.
pub fn run(
    mut input: impl Read,
    show: &mut dyn Show,
    max_message_size: usize,
) -> Result<(), String> {
    let mut decoder = StreamDecoder::with_max_message_size(max_message_size);
    let mut buf = vec![0u8; 64 * 1024];
    let mut messages = Vec::new();
    let malformed = |e: crate::psrp::DecodeError, offset: u64| {
        sanitize::visible(&format!("malformed stream at byte {offset}: {e}"))
    };
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("reading: {e}")),
        };
        messages.clear();
        // Every message completed before a malformed byte is shown first.
        let pushed = decoder.push(&buf[..n], &mut messages);
        for m in &messages {
            match show.message(m) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
                Err(e) => return Err(format!("writing: {e}")),
            }
        }
        pushed.map_err(|e| malformed(e, decoder.offset()))?;
    }
    let offset = decoder.offset();
    decoder.finish().map_err(|e| malformed(e, offset))?;
    match show.end() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("writing: {e}")),
        _ => Ok(()),
    }
}
