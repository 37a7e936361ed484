//! Microsoft's inline helpers as include/mi.h defines them, and the exported
//! MI_Context_* functions: NULL object or table → MI_RESULT_INVALID_PARAMETER,
//! otherwise a call through the object's own table (tests/c/inline_helpers.c),
//! as C and as C++, with MI_CHAR_TYPE 1 and 2.

mod common;

use std::process::Command;

#[test]
fn helpers_check_null_and_call_through_the_table() {
    let lib = common::lib_dir();
    for char_type in [1, 2] {
        for cpp in [false, true] {
            let exe = common::tmp_dir().join(format!("inline_helpers_{char_type}_{cpp}"));
            let mut cmd = if cpp {
                let mut c = Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
                c.args(["-x", "c++", "-std=c++17"]);
                c
            } else {
                let mut c = Command::new(common::cc());
                c.arg("-std=c11");
                c
            };
            cmd.args(["-Wall", "-Wextra", "-Wpedantic", "-Werror"])
                .arg(format!("-DMI_CHAR_TYPE={char_type}"))
                .arg("-I")
                .arg(common::repo().join("include"))
                .arg(common::repo().join("tests/c/inline_helpers.c"))
                .arg("-o")
                .arg(&exe)
                .arg(format!("-L{}", lib.display()))
                .arg("-lmi_psrp")
                .arg(format!("-Wl,-rpath,{}", lib.display()));
            let status = cmd.status().expect("run the compiler");
            assert!(status.success(), "{cmd:?} failed");
            let out = common::run(&exe, &[]);
            let last = out.lines().last().unwrap_or_default();
            assert!(last.ends_with(" passed, 0 failed"), "{cmd:?}:\n{out}");
            let passed: u32 = last.split_whitespace().next().unwrap().parse().unwrap();
            assert!(passed >= 190, "only {passed} checks ran:\n{out}");
        }
    }
}
