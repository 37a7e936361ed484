//! `cargo bench --bench yardstick`: mi-psrp side by side with the hand-written
//! C yardstick (benches/c_limit/c_limit.c, built with plain `-O2`), the two
//! alternated round after round on the same record, so that the machine's
//! noise hits both. Prints each round's medians and the median ratios.
//!
//! Environment: `YARDSTICK_ROUNDS` (default 5), `YARDSTICK_ITERS` per repeat
//! (default 2,000,000), 9 repeats per measurement as the C program does.
//!
//! `YARDSTICK_PROFILE=core|rust|full|utf8|coalesced|rejected|message|escaped` instead runs that one case
//! `YARDSTICK_ITERS` times and nothing else: the program to put under
//! `valgrind --tool=callgrind` for instruction counts (docs/performance.md).

mod support;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use mi_psrp::mi::MI_Char;
use mi_psrp::psrp::{Guid, MessageHeader};
use support::{
    ACTIVITY, OPERATION, STATUS, context, context_utf8, core_encode, pool, u, w, write,
    write_message, write_utf8,
};

const REPEATS: usize = 9;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Median of `REPEATS` timings of `iters` calls of `f`, in ns per call.
fn median_ns(iters: u64, mut f: impl FnMut(u64)) -> f64 {
    for i in 0..100_000 {
        f(i);
    }
    let mut t: Vec<f64> = (0..REPEATS)
        .map(|_| {
            let start = Instant::now();
            for i in 0..iters {
                f(i);
            }
            start.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[REPEATS / 2]
}

fn build_c() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c_limit");
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-o"])
        .arg(&exe)
        .arg(root.join("benches/c_limit/c_limit.c"))
        .status()
        .expect("run cc");
    assert!(status.success(), "building the C yardstick failed");
    exe
}

fn run_c(exe: &PathBuf, iters: u64) -> f64 {
    let out = Command::new(exe)
        .args([iters.to_string(), REPEATS.to_string()])
        .output()
        .expect("run c_limit");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("build_progress"))
        .expect("c_limit output");
    let median = line
        .split("median ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    median.parse().unwrap()
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too, briefly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick {
        1
    } else {
        env_or("YARDSTICK_ROUNDS", 5)
    };
    let iters = if quick {
        20_000
    } else {
        env_or("YARDSTICK_ITERS", 2_000_000)
    };

    let exe = build_c();
    let (activity, status, op) = (w(ACTIVITY), w(STATUS), w(OPERATION));
    let header = MessageHeader::progress(
        Guid::parse("626c4f6f-3c6b-7e4a-9c1d-1234567890ab").unwrap(),
        Guid::parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").unwrap(),
    )
    .to_bytes();
    let (p, _) = pool();
    let ctx = context(p);
    let utf8 = context_utf8(p);
    let (ua, us, uo) = (u(ACTIVITY), u(STATUS), u(OPERATION));
    let message = w("Copying sample.txt: 35 of 50 items copied");
    let mut buf = Vec::new();

    let strings: [&[MI_Char]; 3] = [&activity, &status, &op];
    let mut core = |i: u64| {
        black_box(core_encode(&mut buf, &header, i + 1, black_box(strings)));
    };

    if let Ok(case) = std::env::var("YARDSTICK_PROFILE") {
        let long = w(&"<a href=\"x\">_x0041_ & \t caf\u{e9} \u{1F600} tail</a> "
            .repeat(100)
            .chars()
            .take(4096)
            .collect::<String>());
        let rust_ctx = rust_context();
        let (ra, rs, ro) = (strip(&activity), strip(&status), strip(&op));
        let held = context(p);
        // SAFETY: live context.
        unsafe { mi_psrp::ffi::host::mipsrp_context_set_progress_interval(held, 3_600_000) };
        write(held, &activity, &op, &status, 1, 1);
        for i in 0..iters {
            match case.as_str() {
                "core" => core(i),
                "full" => {
                    write(ctx, black_box(&activity), &op, &status, black_box(20), 30);
                }
                "rust" => {
                    use mi_psrp::host::ProviderText::Wide;
                    let _ = rust_ctx.write_progress(
                        Some(Wide(black_box(&ra))),
                        Some(Wide(&ro)),
                        Some(Wide(&rs)),
                        black_box(20),
                        30,
                    );
                }
                "utf8" => {
                    write_utf8(utf8, black_box(&ua), &uo, &us, black_box(20), 30);
                }
                "rejected" => {
                    write(ctx, black_box(&activity), &op, &status, black_box(101), 30);
                }
                "message" => {
                    write_message(ctx, 1, black_box(&message));
                }
                "coalesced" => {
                    write(held, black_box(&activity), &op, &status, black_box(20), 30);
                }
                "escaped" => {
                    write(ctx, black_box(&long), &long, &status, 20, 30);
                }
                other => panic!("unknown YARDSTICK_PROFILE {other}"),
            }
        }
        return;
    }

    if std::env::var_os("YARDSTICK_SPLIT").is_some() {
        split(iters, rounds, &exe, &mut core, || {
            write(ctx, black_box(&activity), &op, &status, black_box(20), 30);
        });
        return;
    }

    println!(
        "round  C yardstick  core encode  full C call  full UTF-8   core/C  full/C  UTF-8/C   (median ns per record)"
    );
    let (mut core_ratios, mut full_ratios, mut utf8_ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        let c = run_c(&exe, iters);
        let core_ns = median_ns(iters, &mut core);
        let full_ns = median_ns(iters, |i| {
            write(
                ctx,
                black_box(&activity),
                &op,
                &status,
                black_box(20),
                (i & 0xFF) as u32,
            );
        });
        let utf8_ns = median_ns(iters, |i| {
            write_utf8(
                utf8,
                black_box(&ua),
                &uo,
                &us,
                black_box(20),
                (i & 0xFF) as u32,
            );
        });
        core_ratios.push(core_ns / c);
        full_ratios.push(full_ns / c);
        utf8_ratios.push(utf8_ns / c);
        println!(
            "{round:>5}  {c:>11.1}  {core_ns:>11.1}  {full_ns:>11.1}  {utf8_ns:>10.1}   {:>6.2}  {:>6.2}  {:>7.2}",
            core_ns / c,
            full_ns / c,
            utf8_ns / c
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median ratio to the C yardstick: core encode {:.2}x, full C call {:.2}x, full UTF-8 call {:.2}x (target 1.6x)",
        median(&mut core_ratios),
        median(&mut full_ratios),
        median(&mut utf8_ratios)
    );
}

/// `YARDSTICK_SPLIT=1`: where the whole call's time goes beyond the core
/// encoding, each step added to the one before, timed in the same round:
/// the core alone; the core between two uncontended lock/unlock pairs (what
/// the context and the pool take); the Rust host API (`Context::write_progress`
/// on slices, into a sink that reads each fragment's length: validation, size check,
/// keeping the last record, fragmenting, the sink call, the locks); and the
/// exported C call (dispatch through the table, `wcslen`, panic guard).
fn split(
    iters: u64,
    rounds: u64,
    exe: &PathBuf,
    core: &mut impl FnMut(u64),
    mut full: impl FnMut(),
) {
    use mi_psrp::host::ProviderText;
    use std::sync::Mutex;
    let ctx = rust_context();
    let (a, st, op) = (strip(&w(ACTIVITY)), strip(&w(STATUS)), strip(&w(OPERATION)));
    let (m1, m2) = (Mutex::new(0u64), Mutex::new(0u64));
    println!(
        "round  C yardstick  core  core+2 locks  Rust host API  exported C call   (median ns per record)"
    );
    for round in 1..=rounds {
        let c = run_c(exe, iters);
        let core_ns = median_ns(iters, &mut *core);
        let locked = median_ns(iters, |i| {
            let _a = m1.lock().unwrap();
            core(i);
            *m2.lock().unwrap() += 1;
        });
        let rust = median_ns(iters, |_| {
            ctx.write_progress(
                Some(ProviderText::Wide(black_box(&a))),
                Some(ProviderText::Wide(&op)),
                Some(ProviderText::Wide(&st)),
                black_box(20),
                30,
            )
            .unwrap();
        });
        let ffi = median_ns(iters, |_| full());
        println!(
            "{round:>5}  {c:>11.1}  {core_ns:>4.1}  {locked:>12.1}  {rust:>13.1}  {ffi:>15.1}"
        );
    }
}

/// A context of the Rust host API with the yardstick's ids, whose pool's sink
/// only reads each fragment's length (as the C benches' sink, no atomic
/// read-modify-write).
fn rust_context() -> mi_psrp::host::Context {
    let pool = mi_psrp::host::Pool::new(
        Guid::parse("626c4f6f-3c6b-7e4a-9c1d-1234567890ab").unwrap(),
        |f: &[u8]| {
            black_box(f.len());
        },
    );
    mi_psrp::host::Context::new(
        &pool,
        Guid::parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").unwrap(),
        4,
        -1,
    )
    .unwrap()
}

/// A NUL-terminated wide string without its NUL.
fn strip(v: &[MI_Char]) -> Vec<MI_Char> {
    v[..v.len() - 1].to_vec()
}
