//! `mi-psrp serve [--config FILE] [--module PATH…] [--log FILE|syslog]`:
//! the stdin/stdout loop around [`crate::serve::Session`].
//!
//! The main thread reads standard input and feeds the session; a writer
//! thread writes what the session (and the providers' threads, through the
//! pool) queue, as it comes. Nothing but protocol reaches standard output:
//! the protocol gets its own descriptor, and descriptors 1 and 2 are
//! pointed at the log file (or `/dev/null`; with syslog, at a pipe whose
//! lines are sent to syslog), so that a provider's `printf` cannot corrupt
//! the stream and nothing reaches a client that merges standard error into
//! it. The configuration file is [`super::serve_config`].

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use super::serve_config::LogTarget;
use super::serve_config::{ConfigError, read_config};
use crate::provider::module::Module;
use crate::serve::{Config, Session};

/// A parsed `serve` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeArgs {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// The `--module` paths, in lookup order (after the file's).
    pub modules: Vec<PathBuf>,
    /// `--log FILE` or `--log syslog` (replaces the file's).
    pub log: Option<LogTarget>,
}

/// Parses the words after `serve`.
pub fn parse_args(words: &[String]) -> Result<ServeArgs, String> {
    let mut modules = Vec::new();
    let mut log = None;
    let mut config = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "--module" => modules.push(PathBuf::from(it.next().ok_or("--module needs a path")?)),
            "--log" => {
                let word = it.next().ok_or("--log needs a file or syslog")?;
                if word.is_empty() {
                    return Err("--log needs a file or syslog".into());
                }
                if log.replace(LogTarget::parse(word)).is_some() {
                    return Err("serve: --log given twice".into());
                }
            }
            "--config" => {
                let file = it.next().ok_or("--config needs a file")?;
                if config.replace(PathBuf::from(file)).is_some() {
                    return Err("serve: --config given twice".into());
                }
            }
            other => return Err(format!("serve: unknown argument {other}")),
        }
    }
    if modules.is_empty() && config.is_none() {
        return Err(
            "serve needs at least one --module PATH (or a --config FILE naming modules)".into(),
        );
    }
    Ok(ServeArgs {
        config,
        modules,
        log,
    })
}

/// What a session will be given: the command line and the configuration
/// file together.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The file's modules, then the command line's.
    pub modules: Vec<PathBuf>,
    /// The command line's log, else the file's.
    pub log: Option<LogTarget>,
    /// The session's limits (the defaults, then the file's).
    pub limits: super::serve_config::FileConfig,
}

/// Reads the configuration file, if any, and merges it with the command
/// line: modules from the file first, then `--module`s; `--log` over the
/// file's `log`. At least one module must come from one or the other.
pub fn resolve(args: &ServeArgs) -> Result<Resolved, String> {
    let mut file = match &args.config {
        Some(p) => read_config(p).map_err(|e: ConfigError| e.to_string())?,
        None => Default::default(),
    };
    let mut modules = std::mem::take(&mut file.modules);
    modules.extend(args.modules.iter().cloned());
    if modules.is_empty() {
        return Err(match &args.config {
            Some(p) => format!(
                "{}: no modules: the file names none and no --module PATH was given",
                p.display()
            ),
            None => "serve needs at least one --module PATH".into(),
        });
    }
    let log = args.log.clone().or(file.log.take());
    Ok(Resolved {
        modules,
        log,
        limits: file,
    })
}

/// Where log lines go.
enum Sink {
    File(Mutex<File>),
    Syslog,
}

/// The log: a file, syslog, or nothing. Lines are cut at 400 characters,
/// control characters shown escaped.
#[derive(Clone, Default)]
struct Log(Option<Arc<Sink>>);

/// syslog(3) on Unix; refused elsewhere (Windows has none).
#[cfg(unix)]
mod syslog {
    use std::ffi::CString;

    pub const INFO: i32 = libc::LOG_INFO;
    pub const ERR: i32 = libc::LOG_ERR;

    /// syslog's ident: `openlog` keeps the pointer, so it lives forever.
    const IDENT: &std::ffi::CStr = c"mi-psrp";

    pub fn open() -> std::io::Result<()> {
        // SAFETY: IDENT is a 'static NUL-terminated string (openlog keeps
        // the pointer). No LOG_CONS or LOG_PERROR: nothing is ever written
        // to the console or standard error.
        unsafe { libc::openlog(IDENT.as_ptr(), libc::LOG_PID, libc::LOG_DAEMON) };
        Ok(())
    }

    pub fn send(priority: i32, line: String) {
        // `visible` escaped control characters, NUL among them.
        let c = CString::new(line).unwrap_or_default();
        // SAFETY: a constant "%s" format and one NUL-terminated string
        // argument, as the format asks.
        unsafe { libc::syslog(priority, c"%s".as_ptr(), c.as_ptr()) };
    }
}

/// syslog(3) on Unix; refused elsewhere (Windows has none).
#[cfg(not(unix))]
mod syslog {
    pub const INFO: i32 = 6;
    pub const ERR: i32 = 3;

    pub fn open() -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "syslog is not available on this system: give --log a file",
        ))
    }

    pub fn send(_: i32, _: String) {}
}

impl Log {
    fn open(target: Option<&LogTarget>) -> io::Result<Log> {
        Ok(Log(match target {
            None => None,
            Some(LogTarget::File(p)) => Some(Arc::new(Sink::File(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)?,
            )))),
            Some(LogTarget::Syslog) => {
                syslog::open()?;
                Some(Arc::new(Sink::Syslog))
            }
        }))
    }

    fn file(&self) -> Option<&Mutex<File>> {
        match self.0.as_deref() {
            Some(Sink::File(f)) => Some(f),
            _ => None,
        }
    }

    #[cfg_attr(not(unix), allow(dead_code))]
    fn is_syslog(&self) -> bool {
        matches!(self.0.as_deref(), Some(Sink::Syslog))
    }

    fn write(&self, priority: i32, prefix: &str, text: &str) {
        let Some(sink) = &self.0 else { return };
        let mut line = String::from(prefix);
        line.push_str(text);
        let mut line: String = super::sanitize::visible(&line).chars().take(400).collect();
        match &**sink {
            Sink::File(f) => {
                line.push('\n');
                if let Ok(mut f) = f.lock() {
                    let _ = f.write_all(line.as_bytes());
                }
            }
            Sink::Syslog => syslog::send(priority, line),
        }
    }

    /// An event or a note (syslog `LOG_INFO`).
    fn line(&self, text: &str) {
        self.write(syslog::INFO, "", text);
    }

    /// An error (syslog `LOG_ERR`), written `error: …`.
    fn error(&self, text: &str) {
        self.write(syslog::ERR, "error: ", text);
    }
}

/// Runs the endpoint: reads the configuration file, loads the modules,
/// then serves standard input and output until the client's Close or the
/// end of input. Returns the exit status: 0 after a session (however it
/// ended), 2 when the configuration file is bad, a module does not load or
/// the log cannot be opened (said on standard error: no session has begun).
pub fn run_serve(args: &ServeArgs) -> u8 {
    let resolved = match resolve(args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mi-psrp serve: {}", super::sanitize::visible(&e));
            return 2;
        }
    };
    let log = match Log::open(resolved.log.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            if let Some(LogTarget::File(p)) = &resolved.log {
                eprintln!("mi-psrp serve: --log {}: {e}", p.display());
            }
            return 2;
        }
    };
    let mut modules = Vec::new();
    for path in &resolved.modules {
        match Module::load(path) {
            Ok(m) => modules.push(m),
            Err(e) => {
                eprintln!("mi-psrp serve: {}: {e}", path.display());
                return 2;
            }
        }
    }
    // The protocol's own descriptor; 1 and 2 go to the log or /dev/null.
    let protocol = match take_stdout(&log) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("mi-psrp serve: standard output: {e}");
            return 2;
        }
    };
    log.line(&format!(
        "serving {} module(s): {}",
        modules.len(),
        resolved
            .modules
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let mut config = Config::new(modules);
    resolved.limits.apply_limits(&mut config);
    serve(config, io::stdin().lock(), protocol, &log);
    log.line("session over");
    0
}

/// Duplicates standard output for the protocol and points descriptors 1
/// and 2 at the log file, at a pipe whose lines go to syslog, or at
/// `/dev/null`.
#[cfg(unix)]
fn take_stdout(log: &Log) -> io::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    io::stdout().flush()?;
    // SAFETY: dup of a descriptor this process has; the new one is owned by the File.
    let fd = unsafe { libc::dup(libc::STDOUT_FILENO) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor, owned from here on.
    let protocol = unsafe { File::from_raw_fd(fd) };
    // Kept open until dup2 has copied it.
    let target: OwnedFd = match log.file() {
        Some(f) => f
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .try_clone()?
            .into(),
        None if log.is_syslog() => provider_output_to_syslog(log.clone())?,
        None => std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")?
            .into(),
    };
    // SAFETY: both descriptors are open; dup2 replaces 1 and 2 atomically.
    unsafe {
        if libc::dup2(target.as_raw_fd(), libc::STDOUT_FILENO) < 0
            || libc::dup2(target.as_raw_fd(), libc::STDERR_FILENO) < 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(protocol)
}

/// A pipe whose write end is returned (for descriptors 1 and 2) and whose
/// lines a thread sends to syslog (`provider: …`): what a provider writes
/// to standard output or error.
#[cfg(unix)]
fn provider_output_to_syslog(log: Log) -> io::Result<std::os::fd::OwnedFd> {
    use std::io::BufRead;
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two fresh descriptors, each owned from here on.
    let (read, write) = unsafe { (File::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    std::thread::Builder::new()
        .name("serve provider output".into())
        .spawn(move || {
            let mut lines = io::BufReader::new(read);
            let mut line = Vec::new();
            // Until every write end is closed (the process exits).
            while matches!(lines.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line);
                log.line(&format!("provider: {}", text.trim_end_matches('\n')));
                line.clear();
            }
        })?;
    Ok(write)
}

/// Windows: duplicates the standard output handle for the protocol and
/// points the process's standard output and error handles (what Rust's
/// `print!` and `eprint!` use) at the log file (or `NUL`; syslog is
/// refused before this on Windows). The C runtime's
/// descriptors 1 and 2 of a provider's `printf` are not redirected.
#[cfg(windows)]
fn take_stdout(log: &Log) -> io::Result<File> {
    use std::os::windows::io::{AsHandle, IntoRawHandle, RawHandle};
    unsafe extern "system" {
        fn SetStdHandle(which: u32, handle: RawHandle) -> i32;
    }
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const STD_ERROR_HANDLE: u32 = -12i32 as u32;
    io::stdout().flush()?;
    let protocol = File::from(io::stdout().as_handle().try_clone_to_owned()?);
    let target = match log.file() {
        Some(f) => f
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .try_clone()?,
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
                log.error(&format!("reading: {e}"));
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
                Err(e) => log.error(&e.to_string()),
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
