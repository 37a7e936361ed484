//! The headers compile warning-free as C11 and C++17 with -Wall -Wextra
//! -Wpedantic -Werror, each on its own and both together, with MI_CHAR_TYPE
//! 1, 2 and the default, and the C++
//! example (which relies on their extern "C" guards) links and runs.

mod common;

use std::process::Command;

fn compile(compiler: &str, std: &str, ext: &str, includes: &[&str], char_type: &[&str]) {
    let src = common::tmp_dir().join(format!(
        "hdr-{}-{}-{}.{ext}",
        includes.join("+").replace('.', "_"),
        std.replace('+', "p"),
        char_type.join("")
    ));
    let body: String = includes
        .iter()
        .map(|h| format!("#include \"{h}\"\n"))
        .collect();
    std::fs::write(
        &src,
        format!("{body}int main(void) {{ return MI_RESULT_OK; }}\n")
            .replace("(void)", if ext == "cpp" { "()" } else { "(void)" }),
    )
    .unwrap();
    let out = Command::new(compiler)
        .args([
            &format!("-std={std}"),
            "-Wall",
            "-Wextra",
            "-Wpedantic",
            "-Werror",
            "-fsyntax-only",
            "-I",
        ])
        .arg(common::repo().join("include"))
        .args(char_type)
        .arg(&src)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{compiler} -std={std} {char_type:?} {includes:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn headers_compile_cleanly_as_c11_and_cpp17() {
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    for includes in [
        &["mi.h"][..],
        &["mi_psrp.h"],
        &["mi.h", "mi_psrp.h"],
        &["mi_psrp.h", "mi.h"],
    ] {
        for char_type in [&["-DMI_CHAR_TYPE=1"][..], &["-DMI_CHAR_TYPE=2"], &[]] {
            compile(&common::cc(), "c11", "c", includes, char_type);
            compile(&cxx, "c++17", "cpp", includes, char_type);
        }
    }
}

#[test]
fn cpp_provider_links_and_runs() {
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    let exe = common::tmp_dir().join("cpp_provider");
    let lib = common::lib_dir();
    let status = Command::new(cxx)
        .args([
            "-std=c++17",
            "-Wall",
            "-Wextra",
            "-Wpedantic",
            "-Werror",
            "-I",
        ])
        .arg(common::repo().join("include"))
        .arg(common::repo().join("c_examples/cpp_provider.cpp"))
        .arg("-o")
        .arg(&exe)
        .arg(format!("-L{}", lib.display()))
        .arg("-lmi_psrp")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .status()
        .unwrap();
    assert!(status.success());
    let out = common::run(&exe, &[]);
    assert!(out.contains("record: 2 of 3 indexed"), "{out}");
    assert!(
        out.ends_with("4 processing records, 1 Completed\n"),
        "{out}"
    );
}
