//! `mi-psrp`: see a PSRP fragment stream the way a PowerShell client would.
//!
//! ```text
//! mi-psrp decode [FILE|-]   one JSON object per PROGRESS_RECORD message
//! mi-psrp watch  [FILE|-]   live progress bars, nested by ParentActivityId
//! ```
//!
//! Both read the stream as it arrives (a pipe from a host works), and exit
//! with status 1 and a message on standard error at the first malformed byte.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use mi_psrp::psrp::{
    DecodeError, DecodedMessage, Guid, ProgressRecordType, PsString, StreamDecoder,
};

const USAGE: &str = "\
usage: mi-psrp decode [FILE|-]   print each PROGRESS_RECORD message as a JSON object
       mi-psrp watch  [FILE|-]   show the progress records as live progress bars
       mi-psrp --help | --version

Reads a PSRP fragment stream (what an mi-psrp pool's sink receives, back to
back) from FILE, or from standard input when FILE is - or absent.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, path) = match args.as_slice() {
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [flag] if flag == "--version" || flag == "-V" => {
            println!("mi-psrp {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        [command] => (command.as_str(), "-"),
        [command, path] => (command.as_str(), path.as_str()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let input: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("mi-psrp: {path}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let result = match command {
        "decode" => run(input, &mut Decode),
        "watch" => {
            if io::stdout().is_terminal() {
                run(input, &mut Bars::new())
            } else {
                run(input, &mut Lines::default())
            }
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mi-psrp: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What to do with each decoded message.
trait Show {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()>;
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads the stream in whatever pieces arrive and shows each message.
fn run(mut input: impl Read, show: &mut dyn Show) -> Result<(), String> {
    let mut decoder = StreamDecoder::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut offset = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("reading: {e}")),
        };
        let messages = decoder
            .push(&buf[..n])
            .map_err(|e| describe(e, offset + n as u64))?;
        offset += n as u64;
        for m in &messages {
            match show.message(m) {
                Ok(()) => {}
                // The reader went away (`| head`): stop quietly, as Unix tools do.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
                Err(e) => return Err(format!("writing: {e}")),
            }
        }
    }
    decoder.finish().map_err(|e| describe(e, offset))?;
    match show.end() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("writing: {e}")),
        _ => Ok(()),
    }
}

fn describe(e: DecodeError, offset: u64) -> String {
    format!("malformed stream (within its first {offset} bytes): {e}")
}

// ---- decode: JSON lines ---------------------------------------------------

#[derive(Default)]
struct Decode;

/// A JSON string; lone surrogates are written as `\uXXXX`, which JSON allows.
fn json_string(out: &mut String, s: &PsString) {
    out.push('"');
    for r in char::decode_utf16(s.units().iter().copied()) {
        match r {
            Ok('"') => out.push_str("\\\""),
            Ok('\\') => out.push_str("\\\\"),
            Ok(c) if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            Ok(c) => out.push(c),
            Err(e) => {
                let _ = write!(out, "\\u{:04x}", e.unpaired_surrogate());
            }
        }
    }
    out.push('"');
}

impl Show for Decode {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        let r = &m.record;
        let mut line = String::with_capacity(256);
        let _ = write!(
            line,
            "{{\"object_id\":{},\"destination\":{},\"message_type\":\"0x{:08x}\",\"runspace_pool_id\":\"{}\",\"pipeline_id\":\"{}\",\"record\":{{\"Activity\":",
            m.object_id,
            m.header.destination,
            m.header.message_type,
            m.header.runspace_pool_id,
            m.header.pipeline_id
        );
        json_string(&mut line, &r.activity);
        let _ = write!(
            line,
            ",\"ActivityId\":{},\"StatusDescription\":",
            r.activity_id
        );
        json_string(&mut line, &r.status_description);
        line.push_str(",\"CurrentOperation\":");
        match &r.current_operation {
            Some(op) => json_string(&mut line, op),
            None => line.push_str("null"),
        }
        let _ = write!(
            line,
            ",\"ParentActivityId\":{},\"PercentComplete\":{},\"Type\":\"{}\",\"SecondsRemaining\":{}}}}}",
            r.parent_activity_id,
            r.percent_complete,
            r.record_type.name(),
            r.seconds_remaining
        );
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{line}")?;
        stdout.flush()
    }
}

// ---- watch: what the console host shows -----------------------------------

/// One line of text for a record, as PowerShell's console host puts it
/// together: activity, status, percentage, time left, current operation.
fn describe_record(m: &DecodedMessage) -> String {
    let r = &m.record;
    let mut s = format!(
        "{}: {}",
        r.activity,
        r.status_description.to_string().trim()
    );
    if r.seconds_remaining >= 0 {
        let _ = write!(s, " ({}s left)", r.seconds_remaining);
    }
    if let Some(op) = r
        .current_operation
        .as_ref()
        .filter(|o| !o.units().is_empty())
    {
        let _ = write!(s, " — {op}");
    }
    s
}

/// Plain lines, for a terminal that is not one (a pipe, a CI log).
#[derive(Default)]
struct Lines {
    depth: HashMap<(Guid, i32), usize>,
}

impl Show for Lines {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        let r = &m.record;
        let key = (m.header.pipeline_id, r.activity_id);
        let depth = match self.depth.get(&key) {
            Some(&d) => d,
            None => {
                let d = self
                    .depth
                    .get(&(key.0, r.parent_activity_id))
                    .map_or(0, |d| d + 1);
                self.depth.insert(key, d);
                d
            }
        };
        let indent = "  ".repeat(depth);
        let mut stdout = io::stdout().lock();
        match r.record_type {
            ProgressRecordType::Completed => {
                self.depth.remove(&key);
                writeln!(stdout, "{indent}[done] {}", r.activity)?;
            }
            ProgressRecordType::Processing => {
                let pct = if r.percent_complete >= 0 {
                    format!("{:>3}%", r.percent_complete)
                } else {
                    "   …".to_owned()
                };
                writeln!(stdout, "{indent}[{pct}] {}", describe_record(m))?;
            }
        }
        stdout.flush()
    }
}

/// Live bars with indicatif, one per activity, children under their parent;
/// a Completed record removes its bar, as PowerShell's console host does.
struct Bars {
    multi: MultiProgress,
    bars: HashMap<(Guid, i32), (ProgressBar, usize)>,
    known: ProgressStyle,
    unknown: ProgressStyle,
    completed: usize,
}

impl Bars {
    fn new() -> Self {
        Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stdout()),
            bars: HashMap::new(),
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
}

impl Show for Bars {
    fn message(&mut self, m: &DecodedMessage) -> io::Result<()> {
        let r = &m.record;
        let key = (m.header.pipeline_id, r.activity_id);
        if r.record_type == ProgressRecordType::Completed {
            if let Some((bar, _)) = self.bars.remove(&key) {
                bar.finish_and_clear();
                self.multi.remove(&bar);
            }
            self.completed += 1;
            return Ok(());
        }
        if !self.bars.contains_key(&key) {
            let parent = self.bars.get(&(key.0, r.parent_activity_id)).cloned();
            let bar = ProgressBar::new(100);
            let (bar, depth) = match parent {
                // Children go right under their parent (after its other children).
                Some((parent_bar, depth)) => {
                    let last_child = self
                        .bars
                        .values()
                        .filter(|(_, d)| *d > depth)
                        .map(|(b, _)| b.clone())
                        .last();
                    let after = last_child.unwrap_or(parent_bar);
                    (self.multi.insert_after(&after, bar), depth + 1)
                }
                None => (self.multi.add(bar), 0),
            };
            bar.set_prefix("  ".repeat(depth));
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bars.insert(key, (bar, depth));
        }
        let (bar, _) = &self.bars[&key];
        if r.percent_complete >= 0 {
            bar.set_style(self.known.clone());
            bar.set_position(r.percent_complete as u64);
        } else {
            bar.set_style(self.unknown.clone());
        }
        bar.set_message(describe_record(m));
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        for (_, (bar, _)) in self.bars.drain() {
            bar.finish_and_clear();
        }
        self.multi.clear()?;
        println!("{} activities completed", self.completed);
        Ok(())
    }
}
