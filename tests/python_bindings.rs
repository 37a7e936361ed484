//! Runs the Python bindings' pytest suite (bindings/python/tests) against the
//! built library; those tests decode what they send with psrpcore.

mod common;

#[test]
fn pytest_suite_passes() {
    let out = common::pytest("bindings/python/tests").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("31 passed"), "{stdout}");
}
