//! Helpers shared by the integration tests: calling the C ABI from Rust,
//! capturing fragments, and compiling C programs against the built library.
#![allow(dead_code)]

pub mod connection;
pub mod modules;
pub mod provider;

use std::ffi::{CString, c_void};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use mi_psrp::ffi::host::{mipsrp_context_new, mipsrp_pool, mipsrp_pool_new};
use mi_psrp::mi::{MI_Char, MI_Context, MI_RESULT_OK};

/// A NUL-terminated wide string (`wchar_t`) from Rust text: see [`wide`].
pub fn w(s: &str) -> Vec<MI_Char> {
    let mut units = wide(s);
    units.push(0);
    units
}

/// Rust text as `MI_Char` (`wchar_t`) code units, no terminator: UTF-16 where
/// `wchar_t` is 2 bytes (Windows; values above U+FFFF as surrogate pairs),
/// UTF-32 where it is 4 (Linux).
pub fn wide(s: &str) -> Vec<MI_Char> {
    if size_of::<MI_Char>() == 2 {
        s.encode_utf16().map(|u| u as MI_Char).collect()
    } else {
        s.chars().map(|c| c as u32 as MI_Char).collect()
    }
}

/// Whether `wchar_t` is 4 bytes (UTF-32, Linux): checks of values a 2-byte
/// `wchar_t` cannot hold (a unit above 0xFFFF, say) only mean something then.
pub const WIDE_IS_UTF32: bool = size_of::<MI_Char>() == 4;

/// A NUL-terminated wide string from raw code-unit values (lone surrogates,
/// out-of-range values).
pub fn w_raw(units: &[u32]) -> Vec<MI_Char> {
    units.iter().map(|&u| u as MI_Char).chain([0]).collect()
}

/// The fragments a pool's sink received, in order.
#[derive(Default)]
pub struct Captured(pub Mutex<Vec<Vec<u8>>>);

impl Captured {
    pub fn take(&self) -> Vec<Vec<u8>> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    pub fn stream(&self) -> Vec<u8> {
        self.0.lock().unwrap().concat()
    }
}

/// A `mipsrp_sink_fn` that appends to the `Captured` behind `user_data`.
pub unsafe extern "C" fn capture_sink(user_data: *mut c_void, fragment: *const u8, length: usize) {
    // SAFETY: the tests pass a `&Captured` that outlives the pool, and the
    // library passes `length` readable bytes.
    let (captured, bytes) = unsafe {
        (
            &*(user_data as *const Captured),
            std::slice::from_raw_parts(fragment, length),
        )
    };
    captured.0.lock().unwrap().push(bytes.to_vec());
}

/// A pool (through the C ABI) whose sink appends to `captured`.
pub fn pool(rpid: &str, captured: &Captured) -> *mut mipsrp_pool {
    let id = CString::new(rpid).unwrap();
    let mut pool = std::ptr::null_mut();
    // SAFETY: valid string, sink and out-pointer; `captured` outlives the pool in every test.
    let r = unsafe {
        mipsrp_pool_new(
            id.as_ptr(),
            Some(capture_sink),
            captured as *const Captured as *mut c_void,
            &mut pool,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    pool
}

/// A context (through the C ABI).
pub fn context(
    pool: *mut mipsrp_pool,
    pid: &str,
    activity_id: i32,
    parent: i32,
) -> *mut MI_Context {
    let id = CString::new(pid).unwrap();
    let mut ctx = std::ptr::null_mut();
    // SAFETY: live pool, valid string and out-pointer.
    let r = unsafe { mipsrp_context_new(pool, id.as_ptr(), activity_id, parent, &mut ctx) };
    assert_eq!(r, MI_RESULT_OK);
    ctx
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding a fresh `libmi_psrp.so` / `.a` for C programs.
///
/// `cargo test` builds only the rlib, and the target directory stays locked
/// while tests run, so the C libraries are built here by a nested
/// `cargo build --lib` into a target directory of their own (incremental:
/// after the first time it takes a moment). Built once per test binary.
pub fn lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| build_c_library("debug")).clone()
}

/// As [`lib_dir`], for the release profile (optimized, LTO): what hosts
/// link in production. Built on first use only.
pub fn release_lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| build_c_library("release")).clone()
}

fn build_c_library(profile: &str) -> PathBuf {
    let target = tmp_dir().parent().unwrap().join("clib");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--lib", "--quiet", "--target-dir"])
        .arg(&target)
        .current_dir(repo());
    if profile == "release" {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build --lib");
    assert!(status.success(), "cargo build --lib ({profile}) failed");
    let dir = target.join(profile);
    // The loader looks for the SONAME (libmi_psrp.so.0.1), as it would in
    // an installed prefix: give it that name beside the build output.
    // (Linux only: the C programs are built and run by scripts/windows/test.sh
    // on Windows, not by the test binaries.)
    #[cfg(unix)]
    {
        let soname = dir.join(env!("MIPSRP_SONAME"));
        let _ = std::fs::remove_file(&soname);
        std::os::unix::fs::symlink("libmi_psrp.so", &soname).expect("symlink the SONAME");
    }
    assert!(
        dir.join("libmi_psrp.so").exists() && dir.join("libmi_psrp.a").exists(),
        "libmi_psrp.so/.a not found in {}",
        dir.display()
    );
    dir
}

pub fn tmp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

pub fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// Compiles C `sources` (paths relative to the repository) into an executable
/// linked against the shared library; returns its path.
pub fn compile_c(name: &str, sources: &[&str], extra: &[&str]) -> PathBuf {
    compile_c_against(&lib_dir(), name, sources, extra)
}

/// [`compile_c`] against the library in `lib` (`lib_dir()` or `release_lib_dir()`).
pub fn compile_c_against(lib: &Path, name: &str, sources: &[&str], extra: &[&str]) -> PathBuf {
    let out = tmp_dir().join(name);
    let mut cmd = Command::new(cc());
    cmd.args([
        "-std=c11",
        "-Wall",
        "-Wextra",
        "-Wpedantic",
        "-Werror",
        "-g",
    ])
    .arg("-I")
    .arg(repo().join("include"))
    .args(sources.iter().map(|s| repo().join(s)))
    .args(extra)
    .arg("-o")
    .arg(&out)
    .arg(format!("-L{}", lib.display()))
    .arg("-lmi_psrp")
    .arg(format!("-Wl,-rpath,{}", lib.display()))
    .arg("-lpthread");
    let status = cmd.status().expect("run the C compiler");
    assert!(status.success(), "compiling {sources:?} failed: {cmd:?}");
    out
}

/// Runs `exe`, asserting success; returns stdout.
pub fn run(exe: &Path, args: &[&str]) -> String {
    let out = Command::new(exe).args(args).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        exe.display(),
        out.status,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn imports_test_packages(python: &str) -> bool {
    Command::new(python)
        .args(["-c", "import psrpcore, pytest, psrp"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Python that can import psrpcore, pytest and psrp (pypsrp): `$MIPSRP_PYTHON` if set (CI
/// sets it), else the repository's `.venv`, created from
/// tests/interop/requirements.txt when it is missing. Never a silent skip.
pub fn python() -> String {
    static PYTHON: OnceLock<String> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Ok(p) = std::env::var("MIPSRP_PYTHON") {
                assert!(
                    imports_test_packages(&p),
                    "MIPSRP_PYTHON={p} cannot import psrpcore, pytest and psrp (pypsrp)"
                );
                return p;
            }
            let venv = repo().join(".venv");
            let py = venv.join("bin/python").to_string_lossy().into_owned();
            if !imports_test_packages(&py) {
                let ok = Command::new("python3")
                    .arg("-m")
                    .arg("venv")
                    .arg(&venv)
                    .status();
                assert!(ok.is_ok_and(|s| s.success()), "python3 -m venv failed");
                let ok = Command::new(&py)
                    .args(["-m", "pip", "install", "--quiet", "-r"])
                    .arg(repo().join("tests/interop/requirements.txt"))
                    .status();
                assert!(
                    ok.is_ok_and(|s| s.success()),
                    "pip install -r tests/interop/requirements.txt failed"
                );
            }
            assert!(
                imports_test_packages(&py),
                "{py} cannot import psrpcore, pytest and psrp (pypsrp)"
            );
            py
        })
        .clone()
}

/// `python -m pytest -q <dir>` run from the repository against the built
/// library (`MIPSRP_LIB`), with the bindings importable: the Python suites'
/// one launcher.
pub fn pytest(dir: &str) -> Command {
    let mut cmd = Command::new(python());
    cmd.args(["-m", "pytest", "-q", "-p", "no:cacheprovider", dir])
        .current_dir(repo())
        .env("MIPSRP_LIB", lib_dir().join("libmi_psrp.so"))
        .env("PYTHONPATH", repo().join("bindings/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// Runs `cmd` (a pytest launcher, say) with its output captured, killing it
/// after `limit`: `(exit status, or None when it was killed; stdout; stderr)`.
/// The pipes are read on threads, so a full pipe cannot stall the child.
pub fn run_bounded(
    cmd: &mut Command,
    limit: std::time::Duration,
) -> (Option<std::process::ExitStatus>, String, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child");
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    (status, out.join().unwrap(), err.join().unwrap())
}
