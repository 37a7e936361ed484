//! Runs the Python bindings' pytest suite (bindings/python/tests) against the
//! built library; those tests decode what they send with psrpcore.

mod common;

use std::process::Command;

#[test]
fn pytest_suite_passes() {
    let out = Command::new(common::python())
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "bindings/python/tests",
        ])
        .current_dir(common::repo())
        .env("MIPSRP_LIB", common::lib_dir().join("libmi_psrp.so"))
        .env("PYTHONPATH", common::repo().join("bindings/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("31 passed"), "{stdout}");
}
