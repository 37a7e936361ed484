//! `cargo bench --bench write_progress`: the costs issue 4 asks about.
//! docs/performance.md has the numbers and the method.

mod support;

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mi_psrp::ffi::host::mipsrp_context_set_progress_interval;
use mi_psrp::mi::{MI_Char, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK};
use mi_psrp::psrp::{Guid, MessageHeader};
use support::{ACTIVITY, OPERATION, STATUS, context, core_encode, pool, w, write};

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

    // Two threads, two contexts, one pool: wall time per call.
    let (a, b2) = (context(p) as usize, context(p) as usize);
    c.bench_function("c_call_2_threads_2_contexts_1_pool", |b| {
        b.iter_custom(|iters| {
            let barrier = Barrier::new(2);
            let per_thread = iters.div_ceil(2);
            let start = Instant::now();
            std::thread::scope(|s| {
                for ctx in [a, b2] {
                    let (activity, op, status, barrier) = (&activity, &op, &status, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        for i in 0..per_thread {
                            write(ctx as *mut _, activity, op, status, (i % 101) as u32, 30);
                        }
                    });
                }
            });
            start.elapsed().div_f64(2.0)
        })
    });
}

criterion_group! {
    name = group;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(group);
