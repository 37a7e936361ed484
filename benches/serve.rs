//! `cargo bench --bench serve`: `mi-psrp serve`'s throughput and stop
//! latency (issue 16 §5). The provider is benches/module/'s
//! `Bench_Item.Progress(Count)`: Count progress records (the yardstick's
//! record, 558-byte fragments) written through `MI_Context_WriteProgress`,
//! then its result; Count 0 writes until the operation is cancelled. The
//! client asks with `Invoke-CimMethod -ClassName Bench_Item -MethodName
//! Progress -Arguments @{Count = N}` (CREATE_PIPELINE, structured), and a
//! client thread reads every line the endpoint writes: parses the
//! OutOfProc element, decodes the base64, reassembles the fragments and
//! reads each message's header (tests/serve_client/mod.rs) — what a PSRP
//! client must do at the least.
//!
//! Two endpoints, the same client:
//! - `session_api`: a [`Session`] in this process (sans-IO): lines in by
//!   `Session::receive_bytes`, out by a thread waiting on its `Outbox`.
//! - `process`: the built `mi-psrp serve --module …` (the bench profile's
//!   binary), lines written to its standard input, its standard output read
//!   through a pipe.
//!
//! Benchmarks (group `serve`):
//! - `progress_{session_api,process}`: one pipeline of N records, from
//!   sending CREATE_PIPELINE to reading PIPELINE_STATE Completed; throughput
//!   in records (N = 20,000; `cargo test --benches`: 100, once).
//! - `signal_to_stopped_{session_api,process}`: an endless Progress
//!   pipeline; once 20,000 of its records are read (the stream in its
//!   steady state; `cargo test --benches`: 10), the `<Signal>` is sent;
//!   the time until its PIPELINE_STATE Stopped is read. `_queue256k`: the same
//!   with `max_queued_output = 262144` (a `--config` file): Stopped comes
//!   after what is already queued, so the queue's size is the latency's.
//!
//! Before the timings, memory over 10⁵ then 10⁶ records (`cargo test
//! --benches`: 10³ then 10⁴), each one pipeline, with `max_queued_output`
//! 256 KiB: the `mi-psrp serve` process's VmRSS and VmHWM
//! (/proc/PID/status), and the session's heap in this process (glibc's
//! `mallinfo2().uordblks`). It asserts that neither grows by more than
//! 4 MiB from the first figure to the second: memory stays flat in the
//! record count.

#[path = "../tests/serve_client/mod.rs"]
mod serve_client;
mod support;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use mi_psrp::provider::module::Module;
use mi_psrp::psrp::Guid;
use mi_psrp::serve::messages as m;
use mi_psrp::serve::transport::Packet;
use mi_psrp::serve::{Config, Session};
use serve_client::{Client, PROGRESS, Reader, pipeline_id, state_of};

fn quick() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

fn module_path() -> PathBuf {
    support::cmodule::build_module("benches/module", 2)
}

/// How many progress records of a pipeline the client reads before it
/// says so ([`Note::Reached`]): the stop latency is measured from there,
/// the stream in its steady state.
static STOP_AFTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// What the client thread tells the driver.
enum Note {
    /// [`STOP_AFTER`] progress records of this pipeline were read.
    Reached(Guid),
    /// Its PIPELINE_STATE (3 Stopped, 4 Completed, 5 Failed) was read,
    /// after this many progress records.
    Ended(Guid, i64, u64),
}

/// The client's reading thread: every line, decoded; notes per pipeline.
fn client_thread(mut next: impl FnMut() -> Option<Vec<u8>> + Send + 'static) -> Receiver<Note> {
    let (tx, rx): (Sender<Note>, Receiver<Note>) = channel();
    std::thread::Builder::new()
        .name("bench client".into())
        .spawn(move || {
            let mut reader = Reader::default();
            let mut count: std::collections::HashMap<Guid, u64> = Default::default();
            while let Some(bytes) = next() {
                reader.feed(&bytes, &mut |_, _, msg| {
                    let Some((t, pid, data)) = msg else { return };
                    if t == PROGRESS {
                        let c = count.entry(pid).or_default();
                        *c += 1;
                        if *c == STOP_AFTER.load(std::sync::atomic::Ordering::Relaxed) {
                            let _ = tx.send(Note::Reached(pid));
                        }
                    } else if t == m::PIPELINE_STATE {
                        let s = state_of(&data);
                        if s >= 3 {
                            let n = count.remove(&pid).unwrap_or(0);
                            let _ = tx.send(Note::Ended(pid, s, n));
                        }
                    }
                });
            }
        })
        .unwrap();
    rx
}

enum Endpoint {
    SessionApi(Box<Session>),
    /// The child, its standard input (taken to close it).
    Process(Child, Option<ChildStdin>),
}

/// A client and an endpoint, the pool open.
struct Driver {
    endpoint: Endpoint,
    client: Client,
    notes: Receiver<Note>,
    next_pipeline: u32,
}

impl Driver {
    /// A session in this process; `queue`: its `max_queued_output`.
    fn session_api(queue: Option<usize>) -> Driver {
        let module = Module::load(module_path()).expect("load the bench module");
        let mut config = Config::new(vec![module]);
        if let Some(q) = queue {
            config.max_queued_output = q;
        }
        let session = Session::new(config);
        let outbox = session.outbox();
        let notes = client_thread(move || {
            loop {
                match outbox.wait(Duration::from_millis(200)) {
                    Ok(Some(b)) => return Some(b),
                    Ok(None) => {}
                    Err(()) => return None,
                }
            }
        });
        Driver::opened(Endpoint::SessionApi(Box::new(session)), notes)
    }

    /// `mi-psrp serve --module …`; `queue`: a `--config` file setting
    /// `max_queued_output`.
    fn process(queue: Option<usize>) -> Driver {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mi-psrp"));
        cmd.arg("serve").arg("--module").arg(module_path());
        if let Some(q) = queue {
            let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("bench-serve-{}-{q}.toml", std::process::id()));
            std::fs::write(&file, format!("[limits]\nmax_queued_output = {q}\n")).unwrap();
            cmd.arg("--config").arg(file);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run mi-psrp serve");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let notes = client_thread(move || {
            let mut buf = vec![0u8; 256 * 1024];
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some(buf)
                }
            }
        });
        Driver::opened(Endpoint::Process(child, Some(stdin)), notes)
    }

    fn opened(endpoint: Endpoint, notes: Receiver<Note>) -> Driver {
        let mut d = Driver {
            endpoint,
            client: Client::new(),
            notes,
            next_pipeline: 1,
        };
        let open = d.client.open_lines();
        d.send(&open);
        d
    }

    fn send(&mut self, bytes: &[u8]) {
        match &mut self.endpoint {
            Endpoint::SessionApi(s) => {
                for r in s.receive_bytes(bytes) {
                    r.expect("the session refused a line");
                }
            }
            Endpoint::Process(_, stdin) => stdin.as_mut().unwrap().write_all(bytes).unwrap(),
        }
    }

    fn send_packet(&mut self, p: Packet) {
        self.send(&p.to_line());
    }

    /// Starts `Progress(count)` on a new pipeline.
    fn start(&mut self, count: u32) -> Guid {
        let pid = pipeline_id(self.next_pipeline);
        self.next_pipeline += 1;
        let table = format!(
            r#"<Obj><TN RefId="90"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT><En><S N="Key">Count</S><I32 N="Value">{count}</I32></En></DCT></Obj>"#
        );
        let line = self.client.create_pipeline_line(
            pid,
            "Invoke-CimMethod",
            &[
                ("ClassName", "Bench_Item"),
                ("MethodName", "Progress"),
                ("Arguments", &table),
            ],
        );
        self.send(&line);
        pid
    }

    fn wait(&self, want: &dyn Fn(&Note) -> bool) -> Note {
        loop {
            let n = self
                .notes
                .recv_timeout(Duration::from_secs(600))
                .expect("the endpoint stopped answering");
            if want(&n) {
                return n;
            }
        }
    }

    fn wait_end(&self, pid: Guid) -> (i64, u64) {
        match self.wait(&|n| matches!(n, Note::Ended(p, ..) if *p == pid)) {
            Note::Ended(_, s, c) => (s, c),
            _ => unreachable!(),
        }
    }

    /// One pipeline of `n` records, start to Completed; then closed.
    fn run(&mut self, n: u32) -> Duration {
        let t0 = Instant::now();
        let pid = self.start(n);
        let (state, count) = self.wait_end(pid);
        let took = t0.elapsed();
        // Every record, and the Completed record the host adds at the end.
        assert_eq!(
            (state, count),
            (4, u64::from(n) + 1),
            "Completed with every record"
        );
        self.send_packet(Packet::Close(pid));
        took
    }

    /// An endless pipeline, [`STOP_AFTER`] of its records read, then
    /// Signal → Stopped.
    fn stop_latency(&mut self) -> Duration {
        let pid = self.start(0);
        self.wait(&|n| matches!(n, Note::Reached(p) if *p == pid));
        let t0 = Instant::now();
        self.send_packet(Packet::Signal(pid));
        let (state, _) = self.wait_end(pid);
        let took = t0.elapsed();
        assert_eq!(state, 3, "Stopped");
        self.send_packet(Packet::Close(pid));
        took
    }

    /// The endpoint process's CPU time so far (user + system), in seconds.
    fn cpu(&self) -> f64 {
        match &self.endpoint {
            Endpoint::Process(c, _) => cpu_of(&c.id().to_string()),
            Endpoint::SessionApi(_) => cpu_of("self"),
        }
    }

    /// (VmRSS, VmHWM) of the endpoint's process, in KiB.
    fn rss(&self) -> (u64, u64) {
        let pid = match &self.endpoint {
            Endpoint::Process(c, _) => c.id().to_string(),
            Endpoint::SessionApi(_) => "self".into(),
        };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        match &mut self.endpoint {
            Endpoint::SessionApi(s) => s.end_of_input(),
            Endpoint::Process(child, stdin) => {
                // The end of input ends the session; then it exits.
                drop(stdin.take());
                let _ = child.wait();
            }
        }
    }
}

/// A process's CPU time so far (user + system, all its threads), seconds.
fn cpu_of(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command's closing parenthesis; utime and stime
    // are the 14th and 15th of the line.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<u64> = rest
        .split(' ')
        .skip(11)
        .take(2)
        .map(|v| v.parse().unwrap())
        .collect();
    // SAFETY: sysconf only reads a system value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (f[0] + f[1]) as f64 / hz
}

/// glibc's heap in use (all arenas), in bytes.
fn heap_in_use() -> usize {
    // SAFETY: mallinfo2 only reads the allocator's statistics.
    unsafe { libc::mallinfo2() }.uordblks
}

const MIB: u64 = 1 << 20;

/// Memory after `small` then `big` records, each one pipeline, with a
/// 256 KiB output queue; asserts it stays flat (≤ 4 MiB of growth).
fn memory_report(quick: bool) {
    let (small, big) = if quick {
        (1_000, 10_000)
    } else {
        (100_000, 1_000_000)
    };
    let queue = Some(256 << 10);

    let mut d = Driver::process(queue);
    d.run(100); // the module loaded, the pool open, the threads started
    let took = d.run(small);
    let (rss1, hwm1) = d.rss();
    let (cpu0, client0) = (d.cpu(), cpu_of("self"));
    let took_big = d.run(big);
    let (cpu, client) = (d.cpu() - cpu0, cpu_of("self") - client0);
    let (rss2, hwm2) = d.rss();
    println!(
        "process: after {small} records VmRSS {rss1} KiB, VmHWM {hwm1} KiB; after {big} more \
         VmRSS {rss2} KiB, VmHWM {hwm2} KiB ({:.0} and {:.0} records/s; CPU per record: \
         the server {:.2} µs, the client {:.2} µs)",
        f64::from(small) / took.as_secs_f64(),
        f64::from(big) / took_big.as_secs_f64(),
        cpu * 1e6 / f64::from(big),
        client * 1e6 / f64::from(big),
    );
    assert!(
        hwm2 * 1024 <= hwm1 * 1024 + 4 * MIB,
        "mi-psrp serve's peak RSS grew with the record count: {hwm1} → {hwm2} KiB"
    );
    drop(d);

    let mut d = Driver::session_api(queue);
    d.run(100);
    d.run(small);
    let heap1 = heap_in_use();
    let (_, hwm1) = d.rss();
    d.run(big);
    let heap2 = heap_in_use();
    let (_, hwm2) = d.rss();
    println!(
        "session API: heap in use after {small} records {} KiB, after {big} more {} KiB \
         (this process's VmHWM {hwm1} → {hwm2} KiB)",
        heap1 >> 10,
        heap2 >> 10,
    );
    assert!(
        heap2 as u64 <= heap1 as u64 + 4 * MIB,
        "the session's heap grew with the record count: {heap1} → {heap2} bytes"
    );
}

fn benches(c: &mut Criterion) {
    let n: u32 = if quick() { 100 } else { 20_000 };
    let mut g = c.benchmark_group("serve");
    g.sample_size(10);
    g.throughput(Throughput::Elements(u64::from(n)));
    for (name, make) in [
        (
            "progress_session_api",
            Driver::session_api as fn(Option<usize>) -> Driver,
        ),
        ("progress_process", Driver::process),
    ] {
        let mut d = make(None);
        d.run(n);
        g.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| d.run(n)).sum())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("serve");
    g.sample_size(10);
    for (name, make, queue) in [
        (
            "signal_to_stopped_session_api",
            Driver::session_api as fn(Option<usize>) -> Driver,
            None,
        ),
        ("signal_to_stopped_process", Driver::process, None),
        (
            "signal_to_stopped_session_api_queue256k",
            Driver::session_api,
            Some(256 << 10),
        ),
        (
            "signal_to_stopped_process_queue256k",
            Driver::process,
            Some(256 << 10),
        ),
    ] {
        let mut d = make(queue);
        d.stop_latency();
        g.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| d.stop_latency()).sum())
        });
    }
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    targets = benches
}

fn main() {
    STOP_AFTER.store(
        if quick() { 10 } else { 20_000 },
        std::sync::atomic::Ordering::Relaxed,
    );
    memory_report(quick());
    group();
    Criterion::default().configure_from_args().final_summary();
}
