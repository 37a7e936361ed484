//! `mi-psrp serve --config FILE`: the endpoint's configuration file (TOML).
//!
//! ```toml
//! # Classes are looked up in the modules in this order; a relative path is
//! # relative to this file's directory.
//! modules = ["/opt/acme/libacme_provider.so", "libother.so"]
//! # A file (appended to), or "syslog" (ident mi-psrp, facility LOG_DAEMON).
//! log = "/var/log/mi-psrp/serve.log"
//!
//! [limits]                         # each optional; these are the defaults
//! max_pipelines = 64               # pipelines open at once (1 to 1024)
//! max_message_size = 1048576       # bytes, in and out (1024 to 1048576)
//! shutdown_grace = 5               # seconds, may be fractional (0 to 300)
//! max_queued_output = 1048576      # bytes queued for a slow client (64 KiB to 1 GiB)
//! ```
//!
//! Every key is optional; an unknown key, a value of the wrong type or out
//! of range is an error that names the file and the line
//! ([`ConfigError`]). `--module` on the command line adds modules after the
//! file's; `--log` on the command line replaces the file's `log`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::serve::Config;

/// Where the log goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    /// Appended to this file.
    File(PathBuf),
    /// `syslog(3)`, ident `mi-psrp`, facility `LOG_DAEMON`.
    Syslog,
}

impl LogTarget {
    /// `syslog` is syslog; anything else a file name.
    pub fn parse(word: &str) -> LogTarget {
        if word == "syslog" {
            LogTarget::Syslog
        } else {
            LogTarget::File(PathBuf::from(word))
        }
    }
}

/// What a configuration file gives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileConfig {
    /// The modules, in lookup order, relative paths resolved against the
    /// file's directory.
    pub modules: Vec<PathBuf>,
    /// The log, when the file names one (a relative file name is resolved
    /// against the file's directory).
    pub log: Option<LogTarget>,
    /// `[limits] max_pipelines`.
    pub max_pipelines: Option<usize>,
    /// `[limits] max_message_size`.
    pub max_message_size: Option<u32>,
    /// `[limits] shutdown_grace`.
    pub shutdown_grace: Option<Duration>,
    /// `[limits] max_queued_output`.
    pub max_queued_output: Option<usize>,
}

impl FileConfig {
    /// Sets the limits the file gives on `config` (the others stay).
    pub fn apply_limits(&self, config: &mut Config) {
        if let Some(v) = self.max_pipelines {
            config.max_pipelines = v;
        }
        if let Some(v) = self.max_message_size {
            config.max_message_size = v;
        }
        if let Some(v) = self.shutdown_grace {
            config.shutdown_grace = v;
        }
        if let Some(v) = self.max_queued_output {
            config.max_queued_output = v;
        }
    }
}

/// A configuration file that cannot be used: `FILE:LINE: message` (the line
/// when the fault has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// The line (1-based) the fault is on.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The smallest and largest values each limit takes.
pub const MAX_PIPELINES: (usize, usize) = (1, 1024);
/// `max_message_size`'s range: at least the pool's minimum, at most the
/// default (a transport line holds at most a 1 MiB message).
pub const MAX_MESSAGE_SIZE: (u32, u32) = (
    crate::host::pool::MIN_MAX_MESSAGE_SIZE,
    crate::host::pool::DEFAULT_MAX_MESSAGE_SIZE,
);
/// `shutdown_grace`'s range, in seconds.
pub const SHUTDOWN_GRACE: (f64, f64) = (0.0, 300.0);
/// `max_queued_output`'s range, in bytes.
pub const MAX_QUEUED_OUTPUT: (usize, usize) = (64 << 10, 1 << 30);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    modules: Option<Vec<Spanned<String>>>,
    log: Option<Spanned<String>>,
    limits: Option<RawLimits>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_pipelines: Option<Spanned<i64>>,
    max_message_size: Option<Spanned<i64>>,
    shutdown_grace: Option<Spanned<toml::Value>>,
    max_queued_output: Option<Spanned<i64>>,
}

/// Reads and checks the configuration file at `path`.
pub fn read_config(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_owned(),
        line: None,
        message: e.to_string(),
    })?;
    parse_config(path, &text)
}

/// Checks `text`, the contents of the configuration file at `path` (which
/// names the file in errors and resolves relative paths).
pub fn parse_config(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    let line_of = |span: Range<usize>| text[..span.start.min(text.len())].matches('\n').count() + 1;
    let err = |span: Option<Range<usize>>, message: String| ConfigError {
        path: path.to_owned(),
        line: span.map(line_of),
        message,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        // toml's message is several lines (a caret under the text): its first.
        let message = e.message().trim().lines().next().unwrap_or("").to_owned();
        err(e.span(), message)
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: &str| dir.join(p);

    let mut out = FileConfig::default();
    for m in raw.modules.unwrap_or_default() {
        if m.get_ref().is_empty() {
            return Err(err(Some(m.span()), "modules: an empty path".into()));
        }
        out.modules.push(resolve(m.get_ref()));
    }
    if let Some(log) = raw.log {
        out.log = Some(match log.get_ref().as_str() {
            "" => return Err(err(Some(log.span()), "log: an empty file name".into())),
            "syslog" => LogTarget::Syslog,
            file => LogTarget::File(resolve(file)),
        });
    }
    let Some(limits) = raw.limits else {
        return Ok(out);
    };
    let ranged = |name: &str, v: &Spanned<i64>, (lo, hi): (i64, i64)| {
        let n = *v.get_ref();
        if n < lo || n > hi {
            Err(err(
                Some(v.span()),
                format!("{name} = {n}: must be from {lo} to {hi}"),
            ))
        } else {
            Ok(n)
        }
    };
    if let Some(v) = &limits.max_pipelines {
        let (lo, hi) = MAX_PIPELINES;
        out.max_pipelines = Some(ranged("max_pipelines", v, (lo as i64, hi as i64))? as usize);
    }
    if let Some(v) = &limits.max_message_size {
        let (lo, hi) = MAX_MESSAGE_SIZE;
        out.max_message_size =
            Some(ranged("max_message_size", v, (i64::from(lo), i64::from(hi)))? as u32);
    }
    if let Some(v) = &limits.max_queued_output {
        let (lo, hi) = MAX_QUEUED_OUTPUT;
        out.max_queued_output =
            Some(ranged("max_queued_output", v, (lo as i64, hi as i64))? as usize);
    }
    if let Some(v) = &limits.shutdown_grace {
        let secs = match v.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(f) => *f,
            other => {
                return Err(err(
                    Some(v.span()),
                    format!(
                        "shutdown_grace: a number of seconds (5, 0.5), not a {}",
                        other.type_str()
                    ),
                ));
            }
        };
        let (lo, hi) = SHUTDOWN_GRACE;
        // `!(..)`: NaN is out of range too.
        if !(lo..=hi).contains(&secs) {
            return Err(err(
                Some(v.span()),
                format!("shutdown_grace = {secs}: must be from {lo} to {hi} seconds"),
            ));
        }
        out.shutdown_grace = Some(Duration::from_secs_f64(secs));
    }
    Ok(out)
}
