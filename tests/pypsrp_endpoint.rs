//! The example PSRP endpoint (examples/psrp_server.py hosting the Demo_Folder
//! sample module of c_examples/module through mi-psrp's module API) against
//! pypsrp, an independent PowerShell remoting client: runs the pytest suite in
//! tests/pypsrp, which drives examples/pypsrp_client.py and compares every
//! record and output object with what the module writes and posts.
//!
//! pypsrp has no timeouts: the suite bounds each client run and this test
//! bounds the whole suite, so a hang fails instead of stalling CI.

mod common;

use std::time::Duration;

/// Far above a normal run; only a hang reaches it.
const SUITE_LIMIT: Duration = Duration::from_secs(900);

#[test]
fn pypsrp_receives_every_record_from_the_example_endpoint() {
    let wide = common::modules::build_module("c_examples/module", 2);
    let utf8 = common::modules::build_module("c_examples/module", 1);
    let (status, stdout, stderr) = common::run_bounded(
        common::pytest("tests/pypsrp")
            .env("DEMO_MODULE", &wide)
            .env("DEMO_MODULE_UTF8", &utf8),
        SUITE_LIMIT,
    );
    let status = status.unwrap_or_else(|| panic!("hung: killed\n{stdout}\n{stderr}"));
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("6 passed"), "{stdout}");
}
