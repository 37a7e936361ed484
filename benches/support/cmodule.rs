//! Building a C provider module for a benchmark (benches/module/): every
//! `.c` of the directory compiled as C11 with `-O2 -Wall -Wextra -Wpedantic
//! -Werror -fPIC` and `-DMI_CHAR_TYPE=1` or `=2` against `include/`, linked
//! `-shared -Wl,--no-undefined` — the flags tests/common/modules.rs uses,
//! optimized as a production module would be. The module needs nothing from
//! libmi_psrp (benches/module/mi_context.c carries the one exported MI
//! function it calls), so the bench builds no C library.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds the module in `dir` (repository-relative) for `char_type` (1:
/// UTF-8 `char`, 2: `wchar_t`); the path of its shared object, under the
/// bench's `CARGO_TARGET_TMPDIR`. Built once per process; later calls
/// return the same path.
pub fn build_module(dir: &str, char_type: u32) -> PathBuf {
    static BUILT: Mutex<Option<HashMap<(String, u32), PathBuf>>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap();
    built
        .get_or_insert_with(HashMap::new)
        .entry((dir.to_owned(), char_type))
        .or_insert_with(|| compile_and_link(dir, char_type))
        .clone()
}

fn compile_and_link(dir: &str, char_type: u32) -> PathBuf {
    assert!(char_type == 1 || char_type == 2, "MI_CHAR_TYPE is 1 or 2");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src_dir = root.join(dir);
    let name = dir.replace(['/', '\\'], "_");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("bench_modules")
        .join(format!("{name}-{char_type}"));
    // Objects per process: two bench runs never write the same file.
    let objdir = out.join(format!("obj-{}", std::process::id()));
    std::fs::create_dir_all(&objdir).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());

    let mut sources: Vec<PathBuf> = std::fs::read_dir(&src_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", src_dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no .c files in {}", src_dir.display());

    let mut objects = Vec::new();
    for src in &sources {
        let obj = objdir.join(format!("{}.o", src.file_stem().unwrap().to_string_lossy()));
        run(Command::new(&cc)
            .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
            .args(["-O2", "-g", "-fPIC", "-c"])
            .arg(format!("-DMI_CHAR_TYPE={char_type}"))
            .arg("-I")
            .arg(root.join("include"))
            .arg("-I")
            .arg(&src_dir)
            .arg(src)
            .arg("-o")
            .arg(&obj));
        objects.push(obj);
    }
    let so = out.join(format!("lib{name}.so"));
    let tmp = out.join(format!("lib{name}.so.{}", std::process::id()));
    run(Command::new(&cc)
        .arg("-shared")
        .args(&objects)
        .arg("-o")
        .arg(&tmp)
        .arg("-Wl,--no-undefined"));
    // Renamed into place whole: a process that has the old one loaded keeps it.
    std::fs::rename(&tmp, &so).unwrap();
    let _ = std::fs::remove_dir_all(&objdir);
    so
}
