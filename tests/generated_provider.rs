//! A provider in the exact shape omigen / Convert-MofToProvider generate
//! (tests/c/generated/: the MOF class, `module.c`, `schema.c`, the class
//! header with its `_Construct`/`_Set_*`/`_Clear_*`/`_Post` inline helpers,
//! and the provider functions) compiles unchanged against include/MI.h with
//! MI_CHAR_TYPE 1 and 2, as C and as C++, with -Wall -Wextra -Wpedantic
//! -Werror; links into a shared object with `-Wl,--no-undefined` against
//! libmi_psrp; and works when loaded: `tests/c/generated_host.c` dlopens it,
//! calls `MI_Main`, checks the module and schema, and runs the provider's
//! functions with a recording context and with a libmi_psrp one made for the
//! module's charSize (mipsrp_context_new_ex).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const DIR: &str = "tests/c/generated";

#[derive(Clone, Copy, Debug)]
enum Lang {
    C,
    Cpp,
}

fn cxx() -> String {
    std::env::var("CXX").unwrap_or_else(|_| "c++".into())
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run the compiler");
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Compiles one generated source into an object file.
fn object(file: &str, lang: Lang, char_type: u32, out: &Path) -> PathBuf {
    let obj = out.join(format!("{file}.o"));
    let mut cmd = match lang {
        Lang::C => Command::new(common::cc()),
        Lang::Cpp => Command::new(cxx()),
    };
    match lang {
        Lang::C => cmd.args(["-std=c11"]),
        Lang::Cpp => cmd.args(["-x", "c++", "-std=c++17"]),
    };
    cmd.args([
        "-Wall",
        "-Wextra",
        "-Wpedantic",
        "-Werror",
        "-fPIC",
        "-g",
        "-c",
    ])
    .arg(format!("-DMI_CHAR_TYPE={char_type}"))
    .arg("-I")
    .arg(common::repo().join("include"))
    .arg("-I")
    .arg(common::repo().join(DIR))
    .arg(common::repo().join(DIR).join(file))
    .arg("-o")
    .arg(&obj);
    run(&mut cmd);
    obj
}

/// Builds the provider's shared object; returns its path.
fn provider(lang: Lang, char_type: u32) -> PathBuf {
    let out = common::tmp_dir().join(format!("generated-{lang:?}-{char_type}"));
    std::fs::create_dir_all(&out).unwrap();
    let objects = [
        object("MSFT_Sample.c", lang, char_type, &out),
        object("schema.c", lang, char_type, &out),
        // Convert-MofToProvider's module.c declares `MI_EXTERN_C MI_Server*
        // __mi_server;` inside MI_Main: `extern "C"` there is not C++ with any
        // header, so module.c is always C (linked with the C++ objects).
        object("module.c", Lang::C, char_type, &out),
    ];
    let so = out.join("libMSFT_Sample.so");
    let lib = common::lib_dir();
    let mut cmd = match lang {
        Lang::C => Command::new(common::cc()),
        Lang::Cpp => Command::new(cxx()),
    };
    cmd.arg("-shared")
        .args(&objects)
        .arg("-o")
        .arg(&so)
        .arg("-Wl,--no-undefined")
        .arg(format!("-L{}", lib.display()))
        .arg("-lmi_psrp")
        .arg(format!("-Wl,-rpath,{}", lib.display()));
    run(&mut cmd);
    so
}

/// The dynamic symbols `so` takes from elsewhere.
fn undefined(so: &Path) -> Vec<String> {
    let out = Command::new("nm")
        .args(["-D", "--undefined-only"])
        .arg(so)
        .output()
        .expect("nm");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last().map(str::to_owned))
        .collect()
}

#[test]
fn generated_provider_compiles_links_and_runs_for_both_char_types_in_c_and_cpp() {
    for char_type in [1, 2] {
        let host = common::compile_c(
            &format!("generated_host_{char_type}"),
            &["tests/c/generated_host.c"],
            &[&format!("-DMI_CHAR_TYPE={char_type}"), "-ldl"],
        );
        for lang in [Lang::C, Lang::Cpp] {
            let so = provider(lang, char_type);
            let imports = undefined(&so);
            // The MI_Context_* calls the library exports are calls into it;
            // every other helper is inline and calls through the table.
            assert!(
                imports.iter().any(|s| s == "MI_Context_WriteProgress")
                    && imports.iter().any(|s| s == "MI_Context_PostResult"),
                "{lang:?} {char_type}: {imports:?}"
            );
            assert!(
                !imports.iter().any(|s| s.starts_with("MI_Instance_")),
                "{imports:?}"
            );
            let out = common::run(&host, &[so.to_str().unwrap()]);
            let last = out.lines().last().unwrap_or_default();
            assert!(
                last.ends_with(" passed, 0 failed"),
                "{lang:?} MI_CHAR_TYPE={char_type}:\n{out}"
            );
            let passed: u32 = last.split_whitespace().next().unwrap().parse().unwrap();
            assert!(passed >= 35, "only {passed} checks ran:\n{out}");
        }
    }
}
