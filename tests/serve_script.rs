//! `mi-psrp serve` given script text (AddScript): the built binary driven
//! end to end by pypsrp 1.0.0b1 (`tests/serve/test_script.py`).

mod common;

use std::time::Duration;

/// pypsrp 1.0.0b1 through ProcessInfo, `add_script`, against the built binary.
#[test]
fn pypsrp_runs_script_text_through_mi_psrp_serve() {
    let module = common::modules::build_module("xyz", 2);
    let (status, stdout, stderr) = common::run_bounded(
        common::pytest("tests/serve/test_script.py")
            .env("MIPSRP_SERVE", env!("CARGO_BIN_EXE_mi-psrp"))
            .env("XYZ_MODULE", &module)
            .env("MIPSRP_SERVE_SCRIPT", "1"),
        Duration::from_secs(600),
    );
    let status = status.unwrap_or_else(|| panic!("hung: killed\n{stdout}\n{stderr}"));
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("6 passed"), "{stdout}");
}
