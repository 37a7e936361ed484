//! `mi-psrp serve --module PATH [--module PATH…] [--log FILE]`: the
//! stdin/stdout loop around [`crate::serve::Session`].
//!
//! The main thread reads standard input and feeds the session; a writer
//! thread writes what the session (and the providers' threads, through the
//! pool) queue, as it comes. Nothing but protocol reaches standard output:
//! the protocol gets its own descriptor, and descriptors 1 and 2 are
//! pointed at the log (or `/dev/null`), so that a provider's `printf`
//! cannot corrupt the stream and nothing reaches a client that merges
//! standard error into it.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::provider::module::Module;
use crate::serve::{Config, Session};

/// A parsed `serve` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeArgs {
    /// The modules, in lookup order.
    pub modules: Vec<PathBuf>,
    /// The log file.
    pub log: Option<PathBuf>,
}

/// Parses the words after `serve`.
pub fn parse_args(words: &[String]) -> Result<ServeArgs, String> {
    let mut modules = Vec::new();
    let mut log = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "--module" => modules.push(PathBuf::from(it.next().ok_or("--module needs a path")?)),
            "--log" => log = Some(PathBuf::from(it.next().ok_or("--log needs a file")?)),
            other => return Err(format!("serve: unknown argument {other}")),
        }
    }
    if modules.is_empty() {
        return Err("serve needs at least one --module PATH".into());
    }
    Ok(ServeArgs { modules, log })
}

/// The log: a file, or nothing.
#[derive(Clone, Default)]
struct Log(Option<Arc<Mutex<File>>>);

impl Log {
    fn line(&self, text: &str) {
        if let Some(f) = &self.0 {
            let mut text: String = super::sanitize::visible(text).chars().take(400).collect();
            text.push('\n');
            if let Ok(mut f) = f.lock() {
                let _ = f.write_all(text.as_bytes());
            }
        }
    }
}

/// Runs the endpoint: loads the modules, then serves standard input and
/// output until the client's Close or the end of input. Returns the exit
/// status: 0 after a session (however it ended), 2 when a module does not
/// load or the log cannot be opened (said on standard error: no session
/// has begun).
pub fn run_serve(args: &ServeArgs) -> u8 {
    let log_file = match &args.log {
        Some(p) => match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
        {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("mi-psrp serve: --log {}: {e}", p.display());
                return 2;
            }
        },
        None => None,
    };
    let mut modules = Vec::new();
    for path in &args.modules {
        match Module::load(path) {
            Ok(m) => modules.push(m),
            Err(e) => {
                eprintln!("mi-psrp serve: {}: {e}", path.display());
                return 2;
            }
        }
    }
    // The protocol's own descriptor; 1 and 2 go to the log or /dev/null.
    let protocol = match take_stdout(log_file.as_ref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("mi-psrp serve: standard output: {e}");
            return 2;
        }
    };
    let log = Log(log_file.map(|f| Arc::new(Mutex::new(f))));
    log.line(&format!(
        "serving {} module(s): {}",
        modules.len(),
        args.modules
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    serve(Config::new(modules), io::stdin().lock(), protocol, &log);
    log.line("session over");
    0
}

/// Duplicates standard output for the protocol and points descriptors 1
/// and 2 at `log` (or `/dev/null`).
#[cfg(unix)]
fn take_stdout(log: Option<&File>) -> io::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    io::stdout().flush()?;
    // SAFETY: dup of a descriptor this process has; the new one is owned by the File.
    let fd = unsafe { libc::dup(libc::STDOUT_FILENO) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor, owned from here on.
    let protocol = unsafe { File::from_raw_fd(fd) };
    let null;
    let target = match log {
        Some(f) => f.as_raw_fd(),
        None => {
            null = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
            null.as_raw_fd()
        }
    };
    // SAFETY: both descriptors are open; dup2 replaces 1 and 2 atomically.
    unsafe {
        if libc::dup2(target, libc::STDOUT_FILENO) < 0
            || libc::dup2(target, libc::STDERR_FILENO) < 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(protocol)
}

/// Windows: duplicates the standard output handle for the protocol and
/// points the process's standard output and error handles (what Rust's
/// `print!` and `eprint!` use) at `log` (or `NUL`). The C runtime's
/// descriptors 1 and 2 of a provider's `printf` are not redirected.
#[cfg(windows)]
fn take_stdout(log: Option<&File>) -> io::Result<File> {
    use std::os::windows::io::{AsHandle, IntoRawHandle, RawHandle};
    unsafe extern "system" {
        fn SetStdHandle(which: u32, handle: RawHandle) -> i32;
    }
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const STD_ERROR_HANDLE: u32 = -12i32 as u32;
    io::stdout().flush()?;
    let protocol = File::from(io::stdout().as_handle().try_clone_to_owned()?);
    let target = match log {
        Some(f) => f.try_clone()?,
        None => std::fs::OpenOptions::new().write(true).open("NUL")?,
    };
    // Left open for the life of the process: it is the standard handle now.
    let target = target.into_raw_handle();
    // SAFETY: a handle this process owns and never closes.
    unsafe {
        if SetStdHandle(STD_OUTPUT_HANDLE, target) == 0
            || SetStdHandle(STD_ERROR_HANDLE, target) == 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(protocol)
}

/// Serves one session on `input`/`output` (the testable part of
/// [`run_serve`]).
fn serve(config: Config, mut input: impl Read, mut output: File, log: &Log) {
    let mut session = Session::new(config);
    let outbox = session.outbox();
    let writer = std::thread::Builder::new()
        .name("serve writer".into())
        .spawn(move || {
            loop {
                match outbox.wait(Duration::from_millis(200)) {
                    Ok(Some(bytes)) => {
                        if output
                            .write_all(&bytes)
                            .and_then(|_| output.flush())
                            .is_err()
                        {
                            // The client is gone; the reader sees the end of input.
                            outbox.discard();
                        }
                    }
                    Ok(None) => {}
                    Err(()) => break,
                }
            }
        });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                log.line(&format!("reading: {e}"));
                break;
            }
        };
        for r in session.receive_bytes(&buf[..n]) {
            match r {
                Ok(events) => {
                    for e in events {
                        log.line(&format!("{e:?}"));
                    }
                }
                Err(e) => log.line(&format!("error: {e}")),
            }
        }
        if session.is_closed() {
            break;
        }
    }
    if !session.is_closed() {
        log.line("end of input");
    }
    session.end_of_input();
    if let Ok(w) = writer {
        let _ = w.join();
    }
    drop(session);
}
