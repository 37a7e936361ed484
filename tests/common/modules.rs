//! Building the C provider modules (`tests/c/modules/*/`, `c_examples/module/`)
//! into shared objects for the tests, the way `tests/generated_provider.rs`
//! builds its provider: every `.c` of the directory compiled as C11 with
//! `-Wall -Wextra -Wpedantic -Werror -fPIC` and `-DMI_CHAR_TYPE=1` or `=2`
//! against `include/`, linked `-shared -Wl,--no-undefined` against the
//! library in [`super::lib_dir`] (with an rpath to it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

/// The module directories: every directory under `tests/c/modules/`, then
/// `c_examples/module` (repository-relative, sorted).
pub fn module_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(super::repo().join("tests/c/modules"))
        .expect("read tests/c/modules")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("tests/c/modules/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs.push("c_examples/module".to_owned());
    dirs
}

/// `dir` as a repository-relative directory: itself when it exists, else
/// `tests/c/modules/<dir>` (so `build_module("xyz", 2)` works).
fn resolve(dir: &str) -> PathBuf {
    let direct = super::repo().join(dir);
    if direct.is_dir() {
        return direct;
    }
    let under = super::repo().join("tests/c/modules").join(dir);
    assert!(
        under.is_dir(),
        "no module directory {dir} (nor tests/c/modules/{dir})"
    );
    under
}

/// A name for the module in file names: the directory's path below the
/// repository, `/` turned into `_` (`tests_c_modules_xyz`, `c_examples_module`).
fn stem(dir: &Path) -> String {
    dir.strip_prefix(super::repo())
        .unwrap_or(dir)
        .to_string_lossy()
        .replace(['/', '\\'], "_")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn compile_and_link(dir: &Path, char_type: u32) -> PathBuf {
    let name = stem(dir);
    let out = super::tmp_dir()
        .join("modules")
        .join(format!("{name}-{char_type}"));
    // Objects per process: two test binaries never write the same file.
    let objdir = out.join(format!("obj-{}", std::process::id()));
    std::fs::create_dir_all(&objdir).unwrap();

    let mut sources: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no .c files in {}", dir.display());

    let mut objects = Vec::new();
    for src in &sources {
        let obj = objdir.join(format!("{}.o", src.file_stem().unwrap().to_string_lossy()));
        run(Command::new(super::cc())
            .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
            .args(["-fPIC", "-g", "-c"])
            .arg(format!("-DMI_CHAR_TYPE={char_type}"))
            .arg("-I")
            .arg(super::repo().join("include"))
            .arg("-I")
            .arg(dir)
            .arg(src)
            .arg("-o")
            .arg(&obj));
        objects.push(obj);
    }

    let lib = super::lib_dir();
    let so = out.join(format!("lib{name}.so"));
    let tmp = out.join(format!("lib{name}.so.{}", std::process::id()));
    run(Command::new(super::cc())
        .arg("-shared")
        .args(&objects)
        .arg("-o")
        .arg(&tmp)
        .arg("-Wl,--no-undefined")
        .arg(format!("-L{}", lib.display()))
        .arg("-lmi_psrp")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lpthread"));
    // Renamed into place whole: a process that has the old one loaded keeps it.
    std::fs::rename(&tmp, &so).unwrap();
    let _ = std::fs::remove_dir_all(&objdir);
    so
}

/// Builds the module in `dir` (repository-relative, or a name under
/// `tests/c/modules/`) for `char_type` (1: UTF-8 `char`, 2: `wchar_t`) and
/// returns the path of its shared object, in [`super::tmp_dir`]. Built once
/// per (dir, char_type) in a test process; later calls return the same path.
///
/// A module's globals (the xyz module's widget store, its recorded codes)
/// belong to the loaded object: every `dlopen` of this one path in a process
/// shares them. Tests that want a module of their own load a
/// [`module_copy`].
pub fn build_module(dir: &str, char_type: u32) -> PathBuf {
    /// One cell per (module directory, character type), filled by the first build.
    type Built = Mutex<HashMap<(PathBuf, u32), Arc<OnceLock<PathBuf>>>>;
    assert!(char_type == 1 || char_type == 2, "MI_CHAR_TYPE is 1 or 2");
    static BUILT: OnceLock<Built> = OnceLock::new();
    let dir = resolve(dir);
    let cell = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry((dir.clone(), char_type))
        .or_default()
        .clone();
    cell.get_or_init(|| compile_and_link(&dir, char_type))
        .clone()
}

/// A copy of [`build_module`]'s shared object under another file name
/// (`lib<name>-<tag>.so`): `dlopen` treats it as another object, so a module
/// loaded from it has globals of its own.
pub fn module_copy(dir: &str, char_type: u32, tag: &str) -> PathBuf {
    let so = build_module(dir, char_type);
    let name = so.file_stem().unwrap().to_string_lossy().into_owned();
    let copy = so.with_file_name(format!("{name}-{tag}.so"));
    let tmp = so.with_file_name(format!("{name}-{tag}.so.{}", std::process::id()));
    std::fs::copy(&so, &tmp).unwrap();
    std::fs::rename(&tmp, &copy).unwrap();
    copy
}
