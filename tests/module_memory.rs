//! The ownership paths of mi-psrp's `MI_Instance` and every operation of the
//! test modules, driven from C (`tests/c/module_host.c`: both xyz builds and
//! the dyn module loaded at once), memory-clean: run plain, under
//! AddressSanitizer + UBSan with leak detection (host and modules built with
//! the sanitizers, which are checked to be linked), and under valgrind's
//! memcheck with definite and indirect leaks counted as errors; and the
//! calls with `MI_FLAG_ADOPT` that fail, which must leave the memory to the
//! caller.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SANITIZE: &[&str] = &[
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
];

const HOST: &str = "tests/c/module_host.c";

fn links_asan(file: &Path) -> bool {
    let out = Command::new("ldd").arg(file).output().expect("ldd");
    String::from_utf8_lossy(&out.stdout).contains("libasan")
}

/// Builds the module in `tests/c/modules/<dir>` as `common::modules` does
/// (C11, `-Wall -Wextra -Wpedantic -Werror -fPIC`, linked `-shared
/// -Wl,--no-undefined` against the library), with `extra` flags on every
/// compile and on the link; into a directory of its own (`tag`).
fn build_module_with(dir: &str, char_type: u32, extra: &[&str], tag: &str) -> PathBuf {
    let src_dir = common::repo().join("tests/c/modules").join(dir);
    let out = common::tmp_dir()
        .join("modules")
        .join(format!("{tag}-{dir}-{char_type}"));
    let objdir = out.join(format!("obj-{}", std::process::id()));
    std::fs::create_dir_all(&objdir).unwrap();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&src_dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no .c files in {}", src_dir.display());
    let run = |cmd: &mut Command| {
        let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        assert!(
            o.status.success(),
            "{cmd:?}:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let mut objects = Vec::new();
    for src in &sources {
        let obj = objdir.join(format!("{}.o", src.file_stem().unwrap().to_string_lossy()));
        run(Command::new(common::cc())
            .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
            .args(["-fPIC", "-g", "-c"])
            .arg(format!("-DMI_CHAR_TYPE={char_type}"))
            .args(extra)
            .arg("-I")
            .arg(common::repo().join("include"))
            .arg("-I")
            .arg(&src_dir)
            .arg(src)
            .arg("-o")
            .arg(&obj));
        objects.push(obj);
    }
    let lib = common::lib_dir();
    let so = out.join(format!("lib{dir}.so"));
    let tmp = out.join(format!("lib{dir}.so.{}", std::process::id()));
    run(Command::new(common::cc())
        .arg("-shared")
        .args(&objects)
        .args(extra)
        .arg("-o")
        .arg(&tmp)
        .arg("-Wl,--no-undefined")
        .arg(format!("-L{}", lib.display()))
        .arg("-lmi_psrp")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lpthread"));
    std::fs::rename(&tmp, &so).unwrap();
    let _ = std::fs::remove_dir_all(&objdir);
    so
}

fn args(modules: &[PathBuf; 3]) -> Vec<&str> {
    modules.iter().map(|p| p.to_str().unwrap()).collect()
}

fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The host's own verdict: every check passed.
fn assert_all_passed(stdout: &str, stderr: &str) {
    let last = stdout.trim_end().lines().last().unwrap_or("");
    assert!(
        last.ends_with(" passed, 0 failed") && !stdout.contains("FAIL "),
        "{stdout}\n{stderr}"
    );
    let passed: u32 = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed > 10_000, "only {passed} checks ran:\n{stdout}");
}

#[test]
fn module_host_passes_with_either_character_type_of_its_own() {
    let modules = [
        common::modules::build_module("xyz", 1),
        common::modules::build_module("xyz", 2),
        common::modules::build_module("dyn", 2),
    ];
    // The host speaks to both module builds whatever its own MI_Char.
    for char_type in [1, 2] {
        let exe = common::compile_c(
            &format!("module_host_{char_type}"),
            &[HOST],
            &[&format!("-DMI_CHAR_TYPE={char_type}"), "-pthread"],
        );
        let out = Command::new(&exe)
            .args(args(&modules))
            .output()
            .expect("run");
        let (stdout, stderr) = texts(&out);
        assert!(out.status.success(), "{stdout}\n{stderr}");
        assert_all_passed(&stdout, &stderr);
    }
}

#[test]
fn module_host_under_asan_and_ubsan() {
    // The modules instrumented too (their code runs every operation); the
    // dyn module in the other character type than the valgrind run's.
    let modules = [
        build_module_with("xyz", 1, SANITIZE, "asan"),
        build_module_with("xyz", 2, SANITIZE, "asan"),
        build_module_with("dyn", 1, SANITIZE, "asan"),
    ];
    let exe = common::compile_c(
        "module_host_asan",
        &[HOST],
        &[SANITIZE, &["-pthread"]].concat(),
    );
    assert!(
        links_asan(&exe),
        "the host is not linked with AddressSanitizer"
    );
    for m in &modules {
        assert!(
            links_asan(m),
            "{} is not linked with AddressSanitizer",
            m.display()
        );
    }
    let out = Command::new(&exe)
        .args(args(&modules))
        .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        .env("UBSAN_OPTIONS", "print_stacktrace=1")
        .output()
        .expect("run");
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_all_passed(&stdout, &stderr);
    assert!(
        !stderr.contains("ERROR: AddressSanitizer")
            && !stderr.contains("ERROR: LeakSanitizer")
            && !stderr.contains("runtime error"),
        "{stderr}"
    );
}

#[test]
fn module_host_under_valgrind() {
    let modules = [
        common::modules::build_module("xyz", 1),
        common::modules::build_module("xyz", 2),
        common::modules::build_module("dyn", 2),
    ];
    let exe = common::compile_c("module_host_vg", &[HOST], &["-pthread"]);
    let out = Command::new("valgrind")
        .args([
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
        ])
        .arg(&exe)
        .args(args(&modules))
        .output()
        .expect("valgrind (install it: apt-get install valgrind)");
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_all_passed(&stdout, &stderr);
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
    assert!(
        !stderr.lines().any(
            |l| (l.contains("definitely lost:") || l.contains("indirectly lost:"))
                && !l.contains(" 0 bytes in 0 blocks")
        ),
        "{stderr}"
    );
}

/// `MI_FLAG_ADOPT` on a call that fails leaves the memory to the caller (MI's
/// rule; "a failing call changes nothing"): AddElement of a name taken, with
/// an empty name, on an instance with a class declaration (and, as a control,
/// SetElement of the wrong type), each in a child process that then frees
/// the value itself — a double free if the library took it. Plain (glibc
/// aborts) and under ASan (whose report shows where the library freed it).
#[test]
fn a_refused_adopt_leaves_the_memory_to_the_caller() {
    let plain = common::compile_c("module_host_adopt", &[HOST], &["-pthread"]);
    let asan = common::compile_c(
        "module_host_adopt_asan",
        &[HOST],
        &[SANITIZE, &["-pthread"]].concat(),
    );
    for exe in [plain, asan] {
        let out = Command::new(&exe)
            .arg("adopt-failures")
            .env("ASAN_OPTIONS", "detect_leaks=1")
            .output()
            .expect("run");
        let (stdout, stderr) = texts(&out);
        assert!(out.status.success(), "{stdout}\n{stderr}");
        assert!(
            stdout.trim_end().ends_with(" passed, 0 failed"),
            "{stdout}\n{stderr}"
        );
        assert!(!stderr.contains("ERROR: AddressSanitizer"), "{stderr}");
    }
}

/// A byte copy of an instance used after its original was deleted: every
/// slot refuses it (`MI_RESULT_INVALID_PARAMETER`, which a plain run checks)
/// without reading the original's freed memory, which valgrind checks (ASan
/// would not see it: the Rust library is not instrumented, only its
/// malloc/free are intercepted).
#[test]
fn a_byte_copy_used_after_its_original_is_deleted_reads_no_freed_memory() {
    let exe = common::compile_c("module_host_copy_vg", &[HOST], &["-pthread"]);
    let out = Command::new("valgrind")
        .args(["--error-exitcode=1", "--leak-check=full"])
        .args(["--errors-for-leak-kinds=definite,indirect"])
        .arg(&exe)
        .arg("copy-after-delete")
        .output()
        .expect("valgrind (install it: apt-get install valgrind)");
    let (stdout, stderr) = texts(&out);
    assert!(
        stdout.trim_end().ends_with(" passed, 0 failed"),
        "{stdout}\n{stderr}"
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
}
