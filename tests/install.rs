//! mi-psrp as an installed C library: `make install` into a temporary prefix,
//! then c_examples built against it with nothing but pkg-config (dynamically
//! and statically, with the flags the README documents) and with CMake
//! (find_package + ctest).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Installs once per test binary; returns the prefix.
fn prefix() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let prefix = common::tmp_dir().join("install-prefix");
        let _ = std::fs::remove_dir_all(&prefix);
        let target = common::lib_dir().parent().unwrap().to_path_buf(); // <target>/clib
        let status = Command::new("make")
            .arg("install")
            .arg(format!("PREFIX={}", prefix.display()))
            .arg(format!("CARGO_TARGET_DIR={}", target.display()))
            .arg("PROFILE=dev")
            .current_dir(common::repo())
            .status()
            .expect("make");
        assert!(status.success(), "make install failed");
        prefix
    })
}

fn pkg_config(args: &[&str]) -> Vec<String> {
    let out = Command::new("pkg-config")
        .args(args)
        .arg("mi_psrp")
        .env("PKG_CONFIG_PATH", prefix().join("lib/pkgconfig"))
        .output()
        .expect("pkg-config");
    assert!(
        out.status.success(),
        "pkg-config {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn build_sample(name: &str, extra_before: &[&str], flags: &[String]) -> PathBuf {
    let exe = common::tmp_dir().join(name);
    let examples = common::repo().join("c_examples");
    let status = Command::new(common::cc())
        .args(extra_before)
        .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
        .arg(examples.join("sample_host.c"))
        .arg(examples.join("sample_provider.c"))
        .arg("-I")
        .arg(&examples)
        .args(flags)
        .arg("-o")
        .arg(&exe)
        .status()
        .unwrap();
    assert!(status.success(), "building {name} with {flags:?}");
    exe
}

fn ldd(exe: &Path) -> String {
    let out = Command::new("ldd").arg(exe).output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_runs(exe: &Path, env: &[(&str, &Path)]) {
    let out = Command::new(exe)
        .arg("3")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}: {stdout}", exe.display());
    assert!(
        stdout.contains("StatusDescription=\"3 of 3 items copied\"")
            && stdout.contains("Type=Completed")
    );
}

#[test]
fn installs_headers_libraries_and_package_files() {
    let p = prefix();
    for f in [
        "include/mi-psrp/mi.h",
        "include/mi-psrp/MI.h",
        "include/mi-psrp/mi_psrp.h",
        "lib/libmi_psrp.a",
        "lib/libmi_psrp.so",
        "lib/pkgconfig/mi_psrp.pc",
        "lib/cmake/mi_psrp/mi_psrpConfig.cmake",
        "lib/cmake/mi_psrp/mi_psrpConfigVersion.cmake",
        "bin/mi-psrp",
    ] {
        assert!(p.join(f).exists(), "{f} not installed");
    }
    let soname = env!("MIPSRP_SONAME");
    assert_eq!(
        std::fs::read_link(p.join("lib/libmi_psrp.so")).unwrap(),
        Path::new(soname)
    );
    let real = std::fs::read_link(p.join("lib").join(soname)).unwrap();
    assert_eq!(
        real,
        Path::new(&format!("libmi_psrp.so.{}", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(pkg_config(&["--modversion"]), [env!("CARGO_PKG_VERSION")]);
    let out = Command::new(p.join("bin/mi-psrp"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("mi-psrp "));
}

#[test]
fn c_examples_link_dynamically_with_pkg_config() {
    let flags = pkg_config(&["--cflags", "--libs"]);
    let exe = build_sample("pc_dynamic", &[], &flags);
    assert!(ldd(&exe).contains(env!("MIPSRP_SONAME")), "{}", ldd(&exe));
    assert_runs(&exe, &[("LD_LIBRARY_PATH", &prefix().join("lib"))]);
}

#[test]
fn c_examples_link_statically_with_pkg_config() {
    // The README's static recipe: cc -static ... $(pkg-config --static --cflags --libs mi_psrp)
    let flags = pkg_config(&["--static", "--cflags", "--libs"]);
    let exe = build_sample("pc_static", &["-static"], &flags);
    assert!(
        ldd(&exe).contains("not a dynamic executable"),
        "{}",
        ldd(&exe)
    );
    assert_runs(&exe, &[]);
}

#[test]
fn c_examples_build_and_pass_ctest_with_cmake() {
    let build = common::tmp_dir().join("cmake-build");
    let _ = std::fs::remove_dir_all(&build);
    let run = |args: &[&str]| {
        let out = Command::new(args[0])
            .args(&args[1..])
            .output()
            .expect("cmake (install it: apt-get install cmake)");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{args:?}:\n{text}");
        text
    };
    let src = common::repo().join("c_examples");
    run(&[
        "cmake",
        "-S",
        src.to_str().unwrap(),
        "-B",
        build.to_str().unwrap(),
        &format!("-DCMAKE_PREFIX_PATH={}", prefix().display()),
    ]);
    run(&["cmake", "--build", build.to_str().unwrap()]);
    let ctest = run(&[
        "ctest",
        "--test-dir",
        build.to_str().unwrap(),
        "--output-on-failure",
    ]);
    assert!(
        ctest.contains("100% tests passed, 0 tests failed out of 3"),
        "{ctest}"
    );
    let static_exe = build.join("sample_host_static");
    assert!(
        !ldd(&static_exe).contains("libmi_psrp"),
        "mi_psrp::mi_psrp_static linked the .so"
    );
}
