//! `mi-psrp serve --config FILE` and `--log syslog`: the configuration
//! file read (every key, each kind of bad file with its line), merged with
//! the command line, and the built binary run end to end with a file that
//! names the xyz test module by a relative path, a log and a limit; a bad
//! file refused before any session; `--log syslog` writing nothing but
//! protocol to standard output and nothing to standard error (and, where
//! the machine has no syslog daemon, its lines caught on a `/dev/log` of
//! the test's own).

mod common;
#[path = "serve_client/mod.rs"]
mod serve_client;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mi_psrp::cli::serve::{LogTarget, ServeArgs, parse_args, resolve};
use mi_psrp::cli::serve_config::{ConfigError, FileConfig, parse_config, read_config};
use mi_psrp::serve::Config;
use mi_psrp::serve::messages as m;
use mi_psrp::serve::transport::Packet;
use serve_client::{Client, OUTPUT, Sent, messages, pipeline_id, state_error, state_of};

fn parse(text: &str) -> Result<FileConfig, ConfigError> {
    parse_config(Path::new("/etc/mi-psrp/serve.toml"), text)
}

fn words(ws: &[&str]) -> Vec<String> {
    ws.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_full_file_sets_modules_log_and_every_limit() {
    let c = parse(
        r#"
# the endpoint's configuration
modules = ["/opt/acme/libacme.so", "libother.so", "sub/libthird.so"]
log = "logs/serve.log"

[limits]
max_pipelines = 8
max_message_size = 65536
shutdown_grace = 0.5
max_queued_output = 1048576
"#,
    )
    .unwrap();
    assert_eq!(
        c.modules,
        [
            PathBuf::from("/opt/acme/libacme.so"),
            PathBuf::from("/etc/mi-psrp/libother.so"),
            PathBuf::from("/etc/mi-psrp/sub/libthird.so"),
        ]
    );
    assert_eq!(
        c.log,
        Some(LogTarget::File("/etc/mi-psrp/logs/serve.log".into()))
    );
    let mut config = Config::new(vec![]);
    c.apply_limits(&mut config);
    assert_eq!(config.max_pipelines, 8);
    assert_eq!(config.max_message_size, 65536);
    assert_eq!(config.shutdown_grace, Duration::from_millis(500));
    assert_eq!(config.max_queued_output, 1 << 20);

    // An integer grace; syslog.
    let c = parse("log = \"syslog\"\n[limits]\nshutdown_grace = 2\n").unwrap();
    assert_eq!(c.log, Some(LogTarget::Syslog));
    assert_eq!(c.shutdown_grace, Some(Duration::from_secs(2)));
}

/// examples/serve.toml (docs/serve.md's sample) reads, and says the defaults.
#[test]
fn the_sample_file_reads_and_gives_the_defaults() {
    let c = read_config(&common::repo().join("examples/serve.toml")).unwrap();
    assert_eq!(c.modules, [PathBuf::from("/opt/acme/libacme_provider.so")]);
    assert_eq!(c.log, Some(LogTarget::Syslog));
    let defaults = Config::new(vec![]);
    assert_eq!(c.max_pipelines, Some(defaults.max_pipelines));
    assert_eq!(c.max_message_size, Some(defaults.max_message_size));
    assert_eq!(c.shutdown_grace, Some(defaults.shutdown_grace));
    assert_eq!(c.max_queued_output, Some(defaults.max_queued_output));
}

#[test]
fn an_empty_file_changes_nothing() {
    let c = parse("# nothing\n").unwrap();
    assert_eq!(c, FileConfig::default());
    let mut config = Config::new(vec![]);
    let before = format!("{config:?}");
    c.apply_limits(&mut config);
    assert_eq!(format!("{config:?}"), before);
    assert_eq!(config.shutdown_grace, Duration::from_secs(5));
    assert_eq!(config.max_queued_output, 1 << 20);
}

/// Each bad file: its error names the file and the line, and says what.
#[test]
fn each_bad_file_is_refused_with_its_line() {
    let cases: &[(&str, usize, &str)] = &[
        // TOML syntax
        ("modules = [\"a.so\"\nlog = \"x\"\n", 2, "missing comma"),
        ("\n\nmodules = \"a.so\" extra\n", 3, ""),
        // an unknown key, at the top and in [limits]
        (
            "modules = [\"a.so\"]\nmodule = [\"b.so\"]\n",
            2,
            "unknown field `module`",
        ),
        (
            "[limits]\nmax_pipeline = 3\n",
            2,
            "unknown field `max_pipeline`",
        ),
        ("[limit]\nmax_pipelines = 3\n", 1, "unknown field `limit`"),
        // wrong types
        ("modules = \"a.so\"\n", 1, "invalid type"),
        ("modules = [1]\n", 1, "invalid type"),
        ("log = 3\n", 1, "invalid type"),
        ("[limits]\nmax_pipelines = \"8\"\n", 2, "invalid type"),
        (
            "[limits]\n\nshutdown_grace = \"5s\"\n",
            3,
            "a number of seconds",
        ),
        // out of range
        (
            "[limits]\nmax_pipelines = 0\n",
            2,
            "max_pipelines = 0: must be from 1 to 1024",
        ),
        (
            "[limits]\nmax_pipelines = 5000\n",
            2,
            "must be from 1 to 1024",
        ),
        (
            "[limits]\nmax_message_size = 100\n",
            2,
            "must be from 1024 to 1048576",
        ),
        (
            "[limits]\nmax_message_size = 2097152\n",
            2,
            "must be from 1024 to 1048576",
        ),
        (
            "[limits]\nmax_queued_output = 10\n",
            2,
            "max_queued_output = 10",
        ),
        (
            "[limits]\nshutdown_grace = -1\n",
            2,
            "must be from 0 to 300 seconds",
        ),
        (
            "[limits]\nshutdown_grace = nan\n",
            2,
            "must be from 0 to 300 seconds",
        ),
        (
            "[limits]\nshutdown_grace = 1e9\n",
            2,
            "must be from 0 to 300 seconds",
        ),
        // empty names
        ("modules = [\"a.so\", \"\"]\n", 1, "modules: an empty path"),
        ("\nlog = \"\"\n", 2, "log: an empty file name"),
    ];
    for (text, line, says) in cases {
        let e = parse(text).expect_err(text);
        assert_eq!(e.line, Some(*line), "{text:?}: {e}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("/etc/mi-psrp/serve.toml:{line}: ")),
            "{text:?}: {shown}"
        );
        assert!(shown.contains(says), "{text:?}: {shown}");
        assert!(!shown.contains('\n'), "one line: {shown:?}");
    }
    // A file that cannot be read: its name, no line.
    let e = read_config(Path::new("/nonexistent/mi-psrp.toml")).unwrap_err();
    assert_eq!(e.line, None);
    assert!(
        e.to_string().starts_with("/nonexistent/mi-psrp.toml: "),
        "{e}"
    );
}

#[test]
fn the_command_line_and_the_file_are_merged() {
    let dir = common::tmp_dir().join(format!("serve-config-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("serve.toml");
    std::fs::write(&file, "modules = [\"first.so\"]\nlog = \"file.log\"\n").unwrap();
    let f = file.to_str().unwrap();

    // The file's modules first, then --module; --log replaces the file's.
    let args = parse_args(&words(&[
        "--module",
        "/x/second.so",
        "--config",
        f,
        "--log",
        "syslog",
    ]))
    .unwrap();
    let r = resolve(&args).unwrap();
    assert_eq!(
        r.modules,
        [dir.join("first.so"), PathBuf::from("/x/second.so")]
    );
    assert_eq!(r.log, Some(LogTarget::Syslog));
    // Without --log, the file's.
    let r = resolve(&parse_args(&words(&["--config", f])).unwrap()).unwrap();
    assert_eq!(r.log, Some(LogTarget::File(dir.join("file.log"))));
    assert_eq!(r.modules, [dir.join("first.so")]);

    // A file with no modules and no --module: refused, naming the file.
    std::fs::write(&file, "log = \"syslog\"\n").unwrap();
    let e = resolve(&parse_args(&words(&["--config", f])).unwrap()).unwrap_err();
    assert!(e.starts_with(&format!("{f}: no modules")), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn serve_arguments() {
    let a = parse_args(&words(&["--module", "a.so", "--log", "syslog"])).unwrap();
    assert_eq!(
        a,
        ServeArgs {
            config: None,
            modules: vec!["a.so".into()],
            log: Some(LogTarget::Syslog),
        }
    );
    let a = parse_args(&words(&["--module", "a.so", "--log", "/tmp/syslog"])).unwrap();
    assert_eq!(a.log, Some(LogTarget::File("/tmp/syslog".into())));
    let a = parse_args(&words(&["--config", "c.toml"])).unwrap();
    assert_eq!(a.config, Some("c.toml".into()));
    assert!(a.modules.is_empty());
    for bad in [
        &["--config"][..],
        &["--config", "a", "--config", "b"],
        &["--module", "a.so", "--log"],
        &["--module", "a.so", "--log", ""],
        &["--module", "a.so", "--log", "x", "--log", "syslog"],
        &[],
        &["--module", "a.so", "--syslog"],
    ] {
        assert!(parse_args(&words(bad)).is_err(), "{bad:?}");
    }
}

// ---- the binary -----------------------------------------------------------

/// `mi-psrp serve` with these arguments, its output collected by a thread.
struct Served {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mi-psrp"))
            .arg("serve")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let o = Arc::clone(&out);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                o.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Served {
            child,
            stdin,
            out,
            reader: Some(reader),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stdin.as_mut().unwrap().write_all(bytes).unwrap();
    }

    /// Waits (bounded, a hang guard) until the messages so far satisfy `done`.
    fn until(&self, done: &dyn Fn(&[Sent]) -> bool) -> Vec<Sent> {
        let start = Instant::now();
        loop {
            let bytes = self.out.lock().unwrap().clone();
            let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let msgs = messages(&bytes[..end]);
            if done(&msgs) {
                return msgs;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "hung: {}",
                String::from_utf8_lossy(&bytes)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Closes standard input; the exit status, standard output and error.
    fn finish(mut self) -> (i32, Vec<u8>, String) {
        drop(self.stdin.take());
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = self.child.kill();
                panic!("mi-psrp serve did not exit at the end of input");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        self.reader.take().unwrap().join().unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let out = std::mem::take(&mut *self.out.lock().unwrap());
        (status.code().unwrap_or(-1), out, err)
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = common::tmp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn finished(pid: mi_psrp::psrp::Guid) -> impl Fn(&[Sent]) -> bool {
    move |msgs: &[Sent]| {
        msgs.iter()
            .any(|(t, p, d)| *t == m::PIPELINE_STATE && *p == pid && state_of(d) >= 3)
    }
}

/// The file names the module by a path relative to itself, a log file and
/// `max_pipelines = 1`: the module's classes are served, the log is
/// written, and a second pipeline while one runs is refused.
#[test]
fn serve_runs_with_a_config_file() {
    let dir = scratch("serve-config-e2e");
    std::fs::copy(
        common::modules::build_module("xyz", 2),
        dir.join("libxyz.so"),
    )
    .unwrap();
    let file = dir.join("serve.toml");
    std::fs::write(
        &file,
        "modules = [\"libxyz.so\"]\nlog = \"serve.log\"\n[limits]\nmax_pipelines = 1\nshutdown_grace = 2\n",
    )
    .unwrap();
    let mut s = Served::start(&["--config", file.to_str().unwrap()]);
    let mut c = Client::new();
    s.send(&c.open_lines());

    let first = pipeline_id(1);
    s.send(&c.create_pipeline_line(first, "Get-CimInstance", &[("ClassName", "XYZ_Widget")]));
    let msgs = s.until(&finished(first));
    let mine: Vec<&Sent> = msgs.iter().filter(|(_, p, _)| *p == first).collect();
    let outputs: Vec<String> = mine
        .iter()
        .filter(|(t, _, _)| *t == OUTPUT)
        .map(|(_, _, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    assert_eq!(outputs.len(), 2, "{outputs:?}");
    assert!(outputs[0].contains("alpha") && outputs[1].contains("beta"));
    let last = mine
        .iter()
        .rev()
        .find(|(t, _, _)| *t == m::PIPELINE_STATE)
        .unwrap();
    assert_eq!(state_of(&last.2), 4);

    // One pipeline that never ends holds the only place.
    let running = pipeline_id(2);
    s.send(&c.create_pipeline_line(
        running,
        "Invoke-CimMethod",
        &[("ClassName", "XYZ_Bad"), ("MethodName", "NeverEnds")],
    ));
    s.until(&|msgs: &[Sent]| {
        msgs.iter()
            .any(|(t, p, _)| *t == serve_client::PROGRESS && *p == running)
    });
    let refused = pipeline_id(3);
    s.send(&c.create_pipeline_line(refused, "Get-CimInstance", &[("ClassName", "XYZ_Widget")]));
    let msgs = s.until(&finished(refused));
    let (_, _, d) = msgs
        .iter()
        .rev()
        .find(|(t, p, _)| *t == m::PIPELINE_STATE && *p == refused)
        .unwrap();
    assert_eq!(state_of(d), 5);
    assert!(
        state_error(d).contains("pipelines open"),
        "{}",
        state_error(d)
    );

    // The end of input: the running one cancelled, exit 0.
    let (status, out, err) = s.finish();
    assert_eq!(status, 0, "{err}");
    assert_eq!(err, "");
    // Nothing but protocol on standard output.
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        assert!(mi_psrp::serve::transport::parse_line(line).is_ok());
    }
    let log = std::fs::read_to_string(dir.join("serve.log")).unwrap();
    assert!(
        log.contains("serving 1 module(s): ") && log.contains("libxyz.so"),
        "{log}"
    );
    assert!(log.contains("PipelineStarted"), "{log}");
    assert!(log.contains("pipelines open"), "{log}");
    assert!(log.contains("session over"), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A bad file: exit 2, the file and line on standard error, nothing on
/// standard output, no module loaded, no log written.
#[test]
fn serve_refuses_a_bad_config_file_before_any_session() {
    let dir = scratch("serve-config-bad");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "modules = [\"/nonexistent/lib.so\"]\nlog = \"serve.log\"\n[limits]\nmax_pipelines = 0\n",
    )
    .unwrap();
    let mut s = Served::start(&["--config", file.to_str().unwrap()]);
    s.stdin.take();
    let (status, out, err) = s.finish();
    assert_eq!(status, 2);
    assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    assert_eq!(
        err.trim_end(),
        format!(
            "mi-psrp serve: {}:4: max_pipelines = 0: must be from 1 to 1024",
            file.display()
        )
    );
    assert!(!dir.join("serve.log").exists());

    // A module the file names that does not load: exit 2, its path said.
    std::fs::write(&file, "modules = [\"missing.so\"]\n").unwrap();
    let s = Served::start(&["--config", file.to_str().unwrap()]);
    let (status, out, err) = s.finish();
    assert_eq!(status, 2);
    assert!(out.is_empty());
    assert!(
        err.contains(&dir.join("missing.so").display().to_string()),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A `/dev/log` of the test's own, when the machine has none (no syslog
/// daemon: nothing else reads it); removed when dropped.
struct DevLog(std::os::unix::net::UnixDatagram);

impl DevLog {
    fn bind() -> Option<DevLog> {
        if Path::new("/dev/log").exists() {
            return None;
        }
        let s = std::os::unix::net::UnixDatagram::bind("/dev/log").ok()?;
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        Some(DevLog(s))
    }

    fn received(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 8192];
        while let Ok(n) = self.0.recv(&mut buf) {
            out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        out
    }
}

impl Drop for DevLog {
    fn drop(&mut self) {
        let _ = std::fs::remove_file("/dev/log");
    }
}

/// `--log syslog`: the session runs, nothing but protocol reaches standard
/// output and nothing standard error. Where this machine has no `/dev/log`
/// (no syslog daemon) and the test may make one, its datagrams are read:
/// `<30>` (LOG_DAEMON | LOG_INFO) lines tagged `mi-psrp[PID]:` with the
/// session's events, `<27>` (LOG_ERR) for errors.
#[test]
fn serve_logs_to_syslog() {
    let devlog = DevLog::bind();
    if devlog.is_none() {
        eprintln!("/dev/log exists or cannot be made: syslog's lines are not read here");
    }
    let module = common::modules::build_module("xyz", 2);
    let mut s = Served::start(&["--module", module.to_str().unwrap(), "--log", "syslog"]);
    let server_pid = s.child.id();
    let mut c = Client::new();
    s.send(&c.open_lines());
    let pid = pipeline_id(7);
    s.send(&c.create_pipeline_line(pid, "Get-CimInstance", &[("ClassName", "XYZ_Widget")]));
    s.until(&finished(pid));
    // A line the transport cannot read: an error, and the session goes on.
    s.send(b"<Nonsense />\n");
    s.send(&Packet::Close(mi_psrp::psrp::Guid::NIL).to_line());
    let (status, out, err) = s.finish();
    assert_eq!(status, 0);
    assert_eq!(err, "", "nothing on standard error");
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        assert!(
            mi_psrp::serve::transport::parse_line(line).is_ok(),
            "{}",
            String::from_utf8_lossy(line)
        );
    }
    if let Some(devlog) = devlog {
        let lines = devlog.received();
        let tag = format!("mi-psrp[{server_pid}]: ");
        let ours: Vec<&String> = lines.iter().filter(|l| l.contains(&tag)).collect();
        assert!(
            ours.iter()
                .any(|l| l.starts_with("<30>") && l.contains("serving 1 module(s)")),
            "{lines:?}"
        );
        assert!(
            ours.iter()
                .any(|l| l.starts_with("<30>") && l.contains("PipelineStarted")),
            "{lines:?}"
        );
        assert!(
            ours.iter()
                .any(|l| l.starts_with("<27>") && l.contains("error: ")),
            "{lines:?}"
        );
        assert!(ours.iter().any(|l| l.contains("session over")), "{lines:?}");
    }
}
