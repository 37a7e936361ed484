//! `cargo bench --bench write_progress`: the cost of each kind of call, and of
//! two writers at once (issues 4 and 11). docs/performance.md has the numbers
//! and the method; `cargo test --benches` (CI) runs each once.

mod support;

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mi_psrp::ffi::host::mipsrp_context_set_progress_interval;
use mi_psrp::mi::{MI_Char, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK};
use mi_psrp::psrp::{Guid, MessageHeader};
use support::{
    ACTIVITY, OPERATION, STATUS, context, context_utf8, core_encode, pool, u, w, write,
    write_message, write_utf8,
};

fn benches(c: &mut Criterion) {
    let (activity, status, op) = (w(ACTIVITY), w(STATUS), w(OPERATION));
    let header = MessageHeader::progress(
        Guid::parse("626c4f6f-3c6b-7e4a-9c1d-1234567890ab").unwrap(),
        Guid::parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").unwrap(),
    )
    .to_bytes();

    let mut buf = Vec::new();
    let mut id = 0u64;
    c.bench_function("core_encode_reused_buffer", |b| {
        b.iter(|| {
            id += 1;
            black_box(core_encode(
                &mut buf,
                &header,
                id,
                [black_box(&activity), &status, &op],
            ))
        })
    });

    let (p, _) = pool();
    let ctx = context(p);
    c.bench_function("c_call_full", |b| {
        b.iter(|| {
            assert_eq!(
                write(ctx, black_box(&activity), &op, &status, black_box(20), 30),
                MI_RESULT_OK
            )
        })
    });

    let (ua, us, uo) = (u(ACTIVITY), u(STATUS), u(OPERATION));
    let utf8 = context_utf8(p);
    c.bench_function("c_call_full_utf8", |b| {
        b.iter(|| {
            assert_eq!(
                write_utf8(utf8, black_box(&ua), &uo, &us, black_box(20), 30),
                MI_RESULT_OK
            )
        })
    });

    let message = w("Copying sample.txt: 35 of 50 items copied");
    c.bench_function("c_call_write_message_verbose", |b| {
        b.iter(|| assert_eq!(write_message(ctx, 1, black_box(&message)), MI_RESULT_OK))
    });

    c.bench_function("c_call_rejected", |b| {
        b.iter(|| {
            assert_eq!(
                write(ctx, black_box(&activity), &op, &status, black_box(101), 30),
                MI_RESULT_INVALID_PARAMETER
            )
        })
    });

    let long: Vec<MI_Char> = w(&"<a href=\"x\">_x0041_ & \t caf\u{e9} \u{1F600} tail</a> "
        .repeat(4096 / 48)
        .chars()
        .take(4096)
        .collect::<String>());
    c.bench_function("c_call_4KiB_escaped", |b| {
        b.iter(|| {
            assert_eq!(
                write(ctx, black_box(&long), &long, &status, 20, 30),
                MI_RESULT_OK
            )
        })
    });

    let coalesced = context(p);
    // SAFETY: live context.
    unsafe { mipsrp_context_set_progress_interval(coalesced, 3_600_000) };
    write(coalesced, &activity, &op, &status, 1, 1); // the first is sent; the rest are held
    c.bench_function("c_call_coalesced", |b| {
        b.iter(|| {
            assert_eq!(
                write(
                    coalesced,
                    black_box(&activity),
                    &op,
                    &status,
                    black_box(20),
                    30
                ),
                MI_RESULT_OK
            )
        })
    });

    // N writer threads, each on its own context, of one pool or of one pool
    // each: wall time per call of one thread (so 1 / it is the throughput per
    // thread; equal figures for N = 1 and 2 mean perfect scaling).
    for threads in [1usize, 2] {
        for pools in ["1_pool", "n_pools"] {
            let contexts: Vec<usize> = (0..threads)
                .map(|_| {
                    let p = if pools == "1_pool" { p } else { pool().0 };
                    context(p) as usize
                })
                .collect();
            let name = format!("contention_{threads}_threads_{pools}");
            c.bench_function(&name, |b| {
                b.iter_custom(|iters| {
                    let barrier = Barrier::new(threads);
                    let start = Instant::now();
                    std::thread::scope(|s| {
                        for &ctx in &contexts {
                            let (activity, op, status, barrier) =
                                (&activity, &op, &status, &barrier);
                            s.spawn(move || {
                                barrier.wait();
                                for i in 0..iters {
                                    write(
                                        ctx as *mut _,
                                        activity,
                                        op,
                                        status,
                                        (i % 101) as u32,
                                        30,
                                    );
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            });
        }
    }
}

criterion_group! {
    name = group;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(group);
