//! `mi-psrp`: see a PSRP fragment stream the way a PowerShell client would.
//!
//! ```text
//! mi-psrp decode [FILE|-]   one JSON object per record message
//! mi-psrp watch  [FILE|-]   live progress bars, nested by ParentActivityId,
//!                           with warnings, verbose, debug and errors above
//! mi-psrp serve [--config FILE] [--module PATH...] [--log FILE|syslog]
//!                           a PowerShell remoting endpoint (OutOfProc on
//!                           stdin/stdout, as an SSH subsystem) for modules
//! mi-psrp invoke|get|enumerate|create|modify|delete MODULE CLASS ...
//!                           run one operation of a provider module and show
//!                           what it writes as a PowerShell console would
//! ```
//!
//! `decode` and `watch` read the stream as it arrives (a pipe from a host
//! works), and exit with status 1 and a message on standard error at the
//! first malformed byte. The provider commands exit with 0 when the
//! operation ended OK, 1 when it ended with an error, 2 on a usage, load or
//! value error. The work is in the library's `cli` module.

use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

use mi_psrp::cli::bars::Bars;
use mi_psrp::cli::json::JsonLines;
use mi_psrp::cli::provider;
use mi_psrp::cli::watch::Lines;
use mi_psrp::cli::{Show, run};
use mi_psrp::psrp::DEFAULT_MAX_MESSAGE_SIZE;

const USAGE: &str = "\
usage: mi-psrp [--max-message-size BYTES] decode [FILE|-]
       mi-psrp [--max-message-size BYTES] watch  [FILE|-]
       mi-psrp invoke    MODULE CLASS METHOD [--arguments JSON] [--key JSON] [OPTIONS]
       mi-psrp get       MODULE CLASS --key JSON [OPTIONS]
       mi-psrp enumerate MODULE CLASS [--keys-only] [--filter WQL] [OPTIONS]
       mi-psrp create    MODULE CLASS --properties JSON [OPTIONS]
       mi-psrp modify    MODULE CLASS --properties JSON [OPTIONS]
       mi-psrp delete    MODULE CLASS --key JSON [OPTIONS]
       mi-psrp serve [--config FILE] [--module PATH...] [--log FILE|syslog]
       mi-psrp --help | --version

decode  print each record message (progress, warning, verbose, debug, error)
        as a JSON object, one per line
watch   show progress records as live progress bars, and the other records
        as PowerShell's console writes them

Reads a PSRP fragment stream (what an mi-psrp pool's sink receives, back to
back) from FILE, or from standard input when FILE is - or absent. A message
larger than --max-message-size (default 1048576, the library's default
maximum) is an error. Control and bidirectional characters in records are
shown as <U+XXXX> (escaped as \\uXXXX in JSON).

serve   a PowerShell remoting endpoint for the provider modules: speaks the
        OutOfProc transport on standard input and output (what `pwsh -s` and
        an sshd Subsystem speak) and runs the CIM cmdlets on the modules'
        classes: Get-CimInstance (-ClassName [-Filter] [-KeyOnly] |
        -InputObject), New-CimInstance, Set-CimInstance, Remove-CimInstance,
        Invoke-CimMethod (-ClassName | -InputObject), structured or as script
        text, with -Verbose, -Debug, -WarningAction, -ErrorAction, -WhatIf
        (docs/serve.md). Nothing but protocol goes to standard output;
        logging only to --log FILE or --log syslog (ident mi-psrp,
        facility daemon). --config FILE: a TOML file of modules, log and
        limits; --module adds modules after the file's, --log replaces its
        log.

invoke, get, enumerate, create, modify and delete load the MI provider
MODULE (a shared library exporting MI_Main) and run one operation on class
CLASS: invoke runs METHOD, static, or with --key on the instance with those
keys. Values are JSON objects of property (or parameter) names, converted by
each one's declared type: integers range-checked, char16 as a one-character
string or a number, datetimes as ISO 8601 (2024-05-06T07:08:09+02:00),
CIM text (20240506070809.000000+120) or durations (P1DT2H), embedded
instances as objects (\"__class\" names a derived class). enumerate --filter
takes WQL (\"Name = 'w1' AND Size = 3\"): the provider receives it, and what
it posts that does not match is not shown.
OPTIONS:
  --namespace NS   the namespace (default root/cimv2)
  --verbose        ask for and show VERBOSE messages
  --debug          ask for and show DEBUG messages
  --json           one JSON line per record and per output object
  --psrp FILE      also write the PSRP fragments to FILE
Shows progress bars, warnings, errors and then each output object as
Format-List does. Exit status: 0 when the operation ended OK, 1 when it
ended with an error, 2 on a usage, load or value error.";

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all
        .first()
        .is_some_and(|w| provider::is_provider_command(w))
    {
        return run_provider(&all);
    }
    if all.first().is_some_and(|w| w == "serve") {
        if all.iter().any(|w| w == "--help" || w == "-h") {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        return match mi_psrp::cli::serve::parse_args(&all[1..]) {
            Ok(args) => ExitCode::from(mi_psrp::cli::serve::run_serve(&args)),
            Err(e) => {
                eprintln!("mi-psrp: {}\n{USAGE}", mi_psrp::cli::sanitize::visible(&e));
                ExitCode::from(2)
            }
        };
    }
    let mut max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
    let mut words = Vec::new();
    let mut args = all.into_iter();
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

/// `invoke`, `get`, `enumerate`, `create`, `modify`, `delete`.
fn run_provider(words: &[String]) -> ExitCode {
    if words.iter().any(|w| w == "--help" || w == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let command = match provider::parse_command(words) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mi-psrp: {}\n{USAGE}", mi_psrp::cli::sanitize::visible(&e));
            return ExitCode::from(provider::USAGE_ERROR);
        }
    };
    let stdout = io::stdout();
    let mut show: Box<dyn Show> = if command.json {
        Box::new(JsonLines::new(stdout.lock()))
    } else if stdout.is_terminal() {
        Box::new(Bars::new(console::Term::stdout()))
    } else {
        Box::new(Lines::new(stdout.lock()))
    };
    let mut out = io::stdout();
    let code = provider::run_command(&command, show.as_mut(), &mut out, &mut io::stderr());
    ExitCode::from(code)
}
