//! `mi-psrp serve` given script text (AddScript): the built binary driven
//! end to end by pypsrp 1.0.0b1 (`tests/serve/test_script.py`).

mod common;

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// pypsrp 1.0.0b1 through ProcessInfo, `add_script`, against the built binary.
#[test]
fn pypsrp_runs_script_text_through_mi_psrp_serve() {
    let module = common::modules::build_module("xyz", 2);
    let mut child = common::pytest("tests/serve/test_script.py")
        .env("MIPSRP_SERVE", env!("CARGO_BIN_EXE_mi-psrp"))
        .env("XYZ_MODULE", &module)
        .env("MIPSRP_SERVE_SCRIPT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pytest");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    let status = status.unwrap_or_else(|| panic!("hung: killed\n{stdout}\n{stderr}"));
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("6 passed"), "{stdout}");
}
