//! The C harness and the stress test under AddressSanitizer + UBSan (gcc) and
//! under valgrind's memcheck, with proof that the sanitizers were linked.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const SANITIZE: &[&str] = &[
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
];

fn output(exe: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run")
}

fn links_asan(exe: &Path) -> bool {
    let out = Command::new("ldd").arg(exe).output().expect("ldd");
    String::from_utf8_lossy(&out.stdout).contains("libasan")
}

#[test]
fn sanitizers_are_really_linked() {
    let probe = common::compile_c("probe_asan", &["tests/c/probe_asan.c"], SANITIZE);
    assert!(links_asan(&probe));
    let out = output(&probe, &[], &[]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("AddressSanitizer: heap-buffer-overflow")
    );
    let out = output(&probe, &["ubsan"], &[]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("runtime error: signed integer overflow")
    );
}

#[test]
fn c_harness_under_asan_and_ubsan() {
    let exe = common::compile_c("harness_asan", &["tests/c/harness.c"], SANITIZE);
    assert!(
        links_asan(&exe),
        "the harness is not linked with AddressSanitizer"
    );
    let out = output(
        &exe,
        &[],
        &[("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    assert!(
        !stderr.contains("ERROR: AddressSanitizer") && !stderr.contains("runtime error"),
        "{stderr}"
    );
}

#[test]
fn stress_under_asan_and_ubsan() {
    let exe = common::compile_c(
        "stress_asan",
        &["tests/c/stress.c"],
        &[SANITIZE, &["-pthread"]].concat(),
    );
    assert!(links_asan(&exe));
    let stream = common::tmp_dir().join("stress_asan.stream");
    let out = output(
        &exe,
        &[stream.to_str().unwrap(), "2000"],
        &[("ASAN_OPTIONS", "detect_leaks=1")],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("overlaps 0 failures 0"), "{stdout}");
    let msgs = mi_psrp::psrp::decode_stream(&std::fs::read(stream).unwrap()).unwrap();
    assert_eq!(msgs.len(), 12 * 2000 + 9);
}

#[test]
fn host_connection_under_asan_and_ubsan() {
    // Completion and cancel callbacks across threads, the framed sink's info.
    let exe = common::compile_c(
        "host_connection_asan",
        &["tests/c/host_connection.c"],
        &[SANITIZE, &["-pthread"]].concat(),
    );
    assert!(links_asan(&exe));
    let out = output(&exe, &[], &[("ASAN_OPTIONS", "detect_leaks=1")]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    assert!(
        !stderr.contains("ERROR: AddressSanitizer") && !stderr.contains("runtime error"),
        "{stderr}"
    );
}

fn valgrind(exe: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new("valgrind")
        .args([
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ])
        .arg(exe)
        .args(args)
        .output()
        .expect("valgrind (install it: apt-get install valgrind)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn c_harness_under_valgrind() {
    let exe = common::compile_c("harness_vg", &["tests/c/harness.c"], &[]);
    let (ok, stdout, stderr) = valgrind(&exe, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
}

#[test]
fn stress_under_valgrind() {
    let exe = common::compile_c("stress_vg", &["tests/c/stress.c"], &["-pthread"]);
    let stream = common::tmp_dir().join("stress_vg.stream");
    let (ok, stdout, stderr) = valgrind(&exe, &[stream.to_str().unwrap(), "500"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
    assert!(stdout.contains("overlaps 0 failures 0"), "{stdout}");
}

#[test]
fn host_connection_under_valgrind() {
    let exe = common::compile_c(
        "host_connection_vg",
        &["tests/c/host_connection.c"],
        &["-pthread"],
    );
    let (ok, stdout, stderr) = valgrind(&exe, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
}

#[test]
fn stream_slots_under_valgrind_for_both_character_types() {
    for char_type in [1, 2] {
        let define = format!("-DMI_CHAR_TYPE={char_type}");
        let exe = common::compile_c(
            &format!("streams_vg_{char_type}"),
            &["tests/c/streams.c"],
            &[&define],
        );
        let (ok, stdout, stderr) = valgrind(&exe, &[]);
        assert!(ok, "{stdout}\n{stderr}");
        assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
        assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    }
}

/// The release library (optimized, LTO), as hosts link it, is valgrind-clean
/// too: no report for a host running valgrind to blame on us, and no
/// suppression file for it to carry.
#[test]
fn release_library_under_valgrind() {
    let lib = common::release_lib_dir();
    // (binary, source, compiler flags, arguments)
    let runs = [
        (
            "harness_rel",
            "tests/c/harness.c",
            "-DMI_CHAR_TYPE=2",
            false,
        ),
        (
            "streams_rel_1",
            "tests/c/streams.c",
            "-DMI_CHAR_TYPE=1",
            false,
        ),
        (
            "streams_rel_2",
            "tests/c/streams.c",
            "-DMI_CHAR_TYPE=2",
            false,
        ),
        ("stress_rel", "tests/c/stress.c", "-pthread", true),
    ];
    for (name, source, flag, stress) in runs {
        let exe = common::compile_c_against(&lib, name, &[source], &[flag]);
        let stream = common::tmp_dir().join(format!("{name}.stream"));
        let all_args: Vec<&str> = if stress {
            vec![stream.to_str().unwrap(), "200"]
        } else {
            vec![]
        };
        let (ok, stdout, stderr) = valgrind(&exe, &all_args);
        assert!(ok, "{name}:\n{stdout}\n{stderr}");
        assert!(
            stderr.contains("ERROR SUMMARY: 0 errors"),
            "{name}: {stderr}"
        );
    }
}
