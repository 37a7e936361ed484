//! `mi-psrp`: see a PSRP fragment stream the way a PowerShell client would.
//!
//! ```text
//! mi-psrp decode [FILE|-]   one JSON object per record message
//! mi-psrp watch  [FILE|-]   live progress bars, nested by ParentActivityId,
//!                           with warnings, verbose, debug and errors above
//! ```
//!
//! Both read the stream as it arrives (a pipe from a host works), and exit
//! with status 1 and a message on standard error at the first malformed byte.
//! The work is in the library's `cli` module.

use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

use mi_psrp::cli::bars::Bars;
use mi_psrp::cli::json::JsonLines;
use mi_psrp::cli::watch::Lines;
use mi_psrp::cli::{Show, run};
use mi_psrp::psrp::DEFAULT_MAX_MESSAGE_SIZE;

const USAGE: &str = "\
usage: mi-psrp [--max-message-size BYTES] decode [FILE|-]
       mi-psrp [--max-message-size BYTES] watch  [FILE|-]
       mi-psrp --help | --version

decode  print each record message (progress, warning, verbose, debug, error)
        as a JSON object, one per line
watch   show progress records as live progress bars, and the other records
        as PowerShell's console writes them

Reads a PSRP fragment stream (what an mi-psrp pool's sink receives, back to
back) from FILE, or from standard input when FILE is - or absent. A message
larger than --max-message-size (default 1048576, the library's default
maximum) is an error. Control and bidirectional characters in records are
shown as <U+XXXX> (escaped as \\uXXXX in JSON).";

fn main() -> ExitCode {
    let mut max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
    let mut words = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--version" | "-V" => {
                println!("mi-psrp {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--max-message-size" => match args.next().and_then(|v| v.parse::<usize>().ok()) {
                Some(n) if n > 0 => max_message_size = n,
                _ => {
                    eprintln!("mi-psrp: --max-message-size needs a number of bytes\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => words.push(arg),
        }
    }
    let (command, path) = match words.as_slice() {
        [command] => (command.as_str(), "-"),
        [command, path] => (command.as_str(), path.as_str()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut show: Box<dyn Show> = match command {
        "decode" => Box::new(JsonLines::new(io::stdout().lock())),
        "watch" if io::stdout().is_terminal() => Box::new(Bars::new(console::Term::stdout())),
        "watch" => Box::new(Lines::new(io::stdout().lock())),
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
                eprintln!("mi-psrp: {}: {e}", mi_psrp::cli::sanitize::visible(path));
                return ExitCode::from(2);
            }
        }
    };
    match run(input, show.as_mut(), max_message_size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mi-psrp: {e}");
            ExitCode::FAILURE
        }
    }
}
