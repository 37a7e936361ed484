//! `mi-psrp serve` behind a real OpenSSH server, as a user deploys it:
//! `Subsystem mi-psrp /path/to/mi-psrp serve --module /path/to/libxyz.so`
//! in sshd_config. A throwaway `sshd` (Debian's openssh-server, installed
//! by scripts/test-setup.sh) runs as the current user on 127.0.0.1 at a free
//! port with throwaway keys, and pypsrp 1.0.0b1's SSHInfo (asyncssh) drives
//! the subsystem (`tests/serve/test_ssh.py`). Nothing leaves 127.0.0.1.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

/// A running sshd, killed (and waited for) when dropped, test failure or
/// not; with it any subsystem process it left (found by the `--log` path
/// unique to this test, killed by id).
struct Sshd {
    child: Child,
    port: u16,
    dir: PathBuf,
    serve_log: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in processes_with_arg(&self.serve_log) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

impl Sshd {
    fn log(&self) -> String {
        fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }
}

/// PIDs of the processes whose command line has `arg` as one word.
fn processes_with_arg(arg: &Path) -> Vec<u32> {
    let want = arg.as_os_str().as_encoded_bytes();
    let mut pids = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(cmdline) = fs::read(entry.path().join("cmdline"))
            && cmdline.split(|&b| b == 0).any(|w| w == want)
        {
            pids.push(pid);
        }
    }
    pids
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn keygen(path: &Path) {
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "mi-psrp-test", "-f"])
        .arg(path));
}

/// A port on 127.0.0.1 free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// Starts sshd in `dir` with the subsystem line for `module`; waits until
/// its port answers with an SSH banner. Retries with another port if the
/// one picked was taken meanwhile.
fn start_sshd(dir: &Path, module: &Path) -> Sshd {
    let serve = env!("CARGO_BIN_EXE_mi-psrp");
    let serve_log = dir.join("serve.log");
    // sshd runs the Subsystem command with the user's shell: keep it one word each.
    for p in [Path::new(serve), module, &serve_log] {
        assert!(
            !p.to_string_lossy().contains(char::is_whitespace),
            "{} has white space: the Subsystem line would split it",
            p.display()
        );
    }
    // As root, sshd insists on its privilege separation directory (made
    // by the service at boot, which a container does not run).
    if run(Command::new("id").arg("-u")).trim() == "0" {
        fs::create_dir_all("/run/sshd").expect("mkdir /run/sshd");
    }
    let mut last_log = String::new();
    for _ in 0..3 {
        let port = free_port();
        let config = format!(
            "ListenAddress 127.0.0.1\n\
             Port {port}\n\
             HostKey {dir}/host_ed25519\n\
             PidFile {dir}/sshd.pid\n\
             AuthorizedKeysFile {dir}/authorized_keys\n\
             PubkeyAuthentication yes\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             UsePAM no\n\
             StrictModes no\n\
             PermitRootLogin prohibit-password\n\
             AllowTcpForwarding no\n\
             X11Forwarding no\n\
             PrintMotd no\n\
             LogLevel VERBOSE\n\
             Subsystem mi-psrp {serve} serve --module {module} --log {log}\n",
            dir = dir.display(),
            module = module.display(),
            log = serve_log.display(),
        );
        fs::write(dir.join("sshd_config"), config).unwrap();
        let log = fs::File::create(dir.join("sshd.log")).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(dir.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {SSHD} (openssh-server; scripts/test-setup.sh): {e}")
            });
        let mut sshd = Sshd {
            child,
            port,
            dir: dir.to_owned(),
            serve_log: serve_log.clone(),
        };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if sshd.child.try_wait().unwrap().is_some() {
                break;
            }
            if banner(port).is_some_and(|b| b.starts_with("SSH-2.0-OpenSSH")) {
                return sshd;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        last_log = sshd.log();
        drop(sshd);
    }
    panic!("sshd did not start:\n{last_log}");
}

/// The first line a server at 127.0.0.1:port sends, if it answers.
fn banner(port: u16) -> Option<String> {
    let addr = ([127, 0, 0, 1], port).into();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    // Answer with a version line, so sshd logs a plain early close.
    let _ = s.write_all(b"SSH-2.0-probe\r\n");
    Some(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// The test Python, with asyncssh (pypsrp's SSH transport). The repository's
/// .venv made before asyncssh joined tests/interop/requirements.txt is
/// brought up to it, as `common::python()` makes it; a `$MIPSRP_PYTHON`
/// (scripts/test-setup.sh's) is only checked.
fn python_with_asyncssh() -> String {
    let python = common::python();
    let has = |py: &str| {
        Command::new(py)
            .args(["-c", "import asyncssh"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has(&python) && std::env::var_os("MIPSRP_PYTHON").is_none() {
        let ok = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(common::repo().join("tests/interop/requirements.txt"))
            .status();
        assert!(
            ok.is_ok_and(|s| s.success()),
            "pip install -r tests/interop/requirements.txt failed"
        );
    }
    assert!(
        has(&python),
        "{python} cannot import asyncssh: run scripts/test-setup.sh (tests/interop/requirements.txt)"
    );
    python
}

#[test]
fn pypsrp_runs_cim_cmdlets_through_sshd_subsystem() {
    python_with_asyncssh();
    let module = common::modules::build_module("xyz", 2);
    // Kept after a failure, for its logs; cleared by the next run.
    let dir = common::tmp_dir().join("serve_ssh");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    keygen(&dir.join("host_ed25519"));
    keygen(&dir.join("client_ed25519"));
    fs::copy(dir.join("client_ed25519.pub"), dir.join("authorized_keys")).unwrap();
    let user = run(Command::new("id").arg("-un")).trim().to_owned();

    let sshd = start_sshd(&dir, &module);
    let host_key = fs::read_to_string(dir.join("host_ed25519.pub")).unwrap();
    fs::write(
        dir.join("known_hosts"),
        format!("[127.0.0.1]:{} {}", sshd.port, host_key),
    )
    .unwrap();

    let (status, stdout, stderr) = common::run_bounded(
        common::pytest("tests/serve/test_ssh.py")
            .env("MIPSRP_SSH_PORT", sshd.port.to_string())
            .env("MIPSRP_SSH_USER", &user)
            .env("MIPSRP_SSH_KEY", dir.join("client_ed25519"))
            .env("MIPSRP_SSH_KNOWN_HOSTS", dir.join("known_hosts"))
            .env("MIPSRP_SSH_SERVE_LOG", &sshd.serve_log),
        Duration::from_secs(600),
    );
    let report = |what: &str| {
        format!(
            "{what}\n--- pytest\n{stdout}\n{stderr}\n--- sshd\n{}\n--- mi-psrp serve --log\n{}",
            sshd.log(),
            fs::read_to_string(&sshd.serve_log).unwrap_or_default()
        )
    };
    let status = status.unwrap_or_else(|| panic!("{}", report("hung: killed")));
    assert!(status.success(), "{}", report("pytest failed"));
    assert!(stdout.contains("4 passed"), "{}", report("not 4 passed"));
    // Every session's server process has exited (the Python side checked
    // each; none is left for the guard to kill).
    assert_eq!(
        processes_with_arg(&sshd.serve_log),
        Vec::<u32>::new(),
        "{}",
        report("subsystem processes left")
    );
    // sshd saw public-key logins and started the subsystem once a session
    // (five: three tests of one, one of two at once).
    let log = sshd.log();
    assert!(log.contains("Accepted publickey"), "{}", report("no login"));
    let sessions = log.matches("Starting session: subsystem 'mi-psrp'").count();
    assert_eq!(sessions, 5, "{}", report("not 5 subsystem sessions"));
    // Each ended with the client's Close, not a dropped connection.
    let served = fs::read_to_string(&sshd.serve_log).unwrap_or_default();
    let over = served.lines().filter(|l| *l == "session over").count();
    assert_eq!(over, 5, "{}", report("not 5 sessions over"));
    assert!(
        !served.contains("end of input"),
        "{}",
        report("a session lost its connection")
    );
    drop(sshd);
    let _ = fs::remove_dir_all(&dir);
}
