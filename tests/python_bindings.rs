//! Runs the Python bindings' pytest suite (bindings/python/tests) against the
//! built library; those tests decode what they send with psrpcore. The
//! module tests (test_modules.py) load the xyz test module built here, in
//! both character types (`MIPSRP_TEST_MODULE_XYZ1`, `…XYZ2`).

mod common;

#[test]
fn pytest_suite_passes() {
    let out = common::pytest("bindings/python/tests")
        .env(
            "MIPSRP_TEST_MODULE_XYZ1",
            common::modules::build_module("xyz", 1),
        )
        .env(
            "MIPSRP_TEST_MODULE_XYZ2",
            common::modules::build_module("xyz", 2),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The suite ran: at least the tests that exist today (a collection
    // error or an emptied suite would pass the exit status alone).
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.split(" passed").next()?.rsplit(' ').next()?.parse().ok())
        .next_back()
        .unwrap_or(0);
    assert!(passed >= 74, "{stdout}");
}
