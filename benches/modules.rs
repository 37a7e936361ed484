//! `cargo bench --bench modules`: a provider module's instance output (issue
//! 15 §6). The module is benches/module/ (omigen shape, built here with
//! `cc -O2`): its class `Bench_Item` has 20 properties (a key, eight
//! strings, eight integers of mixed sizes, a datetime, a real64, a string
//! array of four) and its EnumerateInstances constructs, sets (every
//! property through its generated `_Set_` helper), posts and destructs
//! `Count` instances (`Count` is set beforehand by its static method
//! `SetCount`: an Invoke may post only its own out-parameters).
//!
//! - `whole_path_*`: one Enumerate of N instances on a fresh context of a
//!   pool whose sink counts bytes; time per instance (throughput: elements).
//!   Everything from the provider's first `Construct` to the last fragment
//!   handed to the sink, plus one context and one operation per N.
//! - `core_clixml`: `write_output_clixml` of the equivalent `CimInstance`
//!   (checked byte for byte against what the whole path sends);
//!   `core_clixml_fragment`: the same after a message header and BOM, then
//!   `fragment_message` (into a reused buffer): the Rust core alone, per object.
//! - `heap_instance_new_set20`: `Module::new_instance` and the 20
//!   properties set through `Module::set`, then dropped (the Rust host API's
//!   instance path, by name).
//!
//! Before the timings it prints the memory figures (docs/performance.md):
//! heap bytes per live heap instance, what one post holds at its peak, and
//! what a context keeps (`Context::retained_bytes`), from a counting global
//! allocator that costs one load and a branch per allocation when it is off.
//!
//! `MODULES_PROFILE=whole|utf8|core|fragment|heap MODULES_ITERS=N` instead
//! runs that case for N instances (default 10,000) and nothing else: the
//! program to put under `valgrind --tool=callgrind`. `MODULES_PROFILE=dump`
//! prints the object's CLIXML (what benches/psrpcore_cim.py rebuilds).
//! `cargo test --benches` (CI) runs each once, with N = 10.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use mi_psrp::host::{Context, Pool};
use mi_psrp::provider::context::ProviderContext;
use mi_psrp::provider::module::Module;
use mi_psrp::provider::operation::{Request, run};
use mi_psrp::psrp::Guid;
use mi_psrp::psrp::cim::{
    CimClass, CimDatetime, CimInstance, CimOutput, CimProperty, CimPropertyDecl, CimString,
    CimValue, OutputOptions, write_output_clixml,
};
use mi_psrp::psrp::fragment::{
    DEFAULT_FRAGMENT_SIZE, Defragmenter, fragment_message, split_fragments,
};
use mi_psrp::psrp::message::{DESTINATION_CLIENT, MessageHeader, PIPELINE_OUTPUT, UTF8_BOM};

const RPID: &str = "626c4f6f-3c6b-7e4a-9c1d-1234567890ab";
const PID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const NAMESPACE: &str = "root/bench";
const CLASS: &str = "Bench_Item";

// ---- a counting allocator, off unless measuring --------------------------

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes requested and not freed (while counting).
static LIVE: AtomicIsize = AtomicIsize::new(0);
/// The highest `LIVE` since the last reset.
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// What glibc's malloc takes for those requests (chunk sizes, see `chunk`).
static CHUNKS: AtomicIsize = AtomicIsize::new(0);
/// Allocations and reallocations.
static CALLS: AtomicUsize = AtomicUsize::new(0);
/// Bytes requested by them, freed or not.
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

/// The chunk glibc's malloc uses for a request of `n` bytes on x86-64: the
/// request plus its 8-byte size word, rounded up to 16, at least 32.
fn chunk(n: usize) -> isize {
    ((n + 8 + 15) & !15).max(32) as isize
}

fn note(add: usize, remove: usize) {
    ALLOCATED.fetch_add(add, Relaxed);
    let live =
        LIVE.fetch_add(add as isize - remove as isize, Relaxed) + add as isize - remove as isize;
    PEAK.fetch_max(live, Relaxed);
    let c = if add > 0 { chunk(add) } else { 0 } - if remove > 0 { chunk(remove) } else { 0 };
    CHUNKS.fetch_add(c, Relaxed);
}

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            CALLS.fetch_add(1, Relaxed);
            note(layout.size(), 0);
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Relaxed) {
            note(0, layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            CALLS.fetch_add(1, Relaxed);
            note(new_size, layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What the counters and malloc said at one moment.
#[derive(Clone, Copy)]
struct Snapshot {
    live: isize,
    chunks: isize,
    calls: usize,
    allocated: usize,
    /// glibc's own count of bytes in use (`mallinfo2().uordblks`).
    in_use: isize,
}

fn snapshot() -> Snapshot {
    // SAFETY: a plain query of malloc's statistics.
    let in_use = unsafe { libc::mallinfo2() }.uordblks as isize;
    Snapshot {
        live: LIVE.load(Relaxed),
        chunks: CHUNKS.load(Relaxed),
        calls: CALLS.load(Relaxed),
        allocated: ALLOCATED.load(Relaxed),
        in_use,
    }
}

/// Counts from now on; the peak restarts at the current live bytes.
fn start_counting() -> Snapshot {
    COUNTING.store(true, Relaxed);
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    snapshot()
}

fn stop_counting() {
    COUNTING.store(false, Relaxed);
}

// ---- the module, the pool, the object --------------------------------------

/// The bytes a pool's sink received (a plain add: a pool never calls its
/// sink twice at once).
static SENT: AtomicUsize = AtomicUsize::new(0);

fn counting_pool() -> Arc<Pool> {
    Pool::new(Guid::parse(RPID).unwrap(), |f: &[u8]| {
        SENT.store(SENT.load(Relaxed) + f.len(), Relaxed);
    })
}

fn load(char_type: u32) -> (PathBuf, Arc<Module>) {
    let so = support::cmodule::build_module("benches/module", char_type);
    let module = Module::load(&so).unwrap_or_else(|e| panic!("{e}"));
    (so, module)
}

fn context(pool: &Arc<Pool>, module: &Module) -> ProviderContext {
    ProviderContext::new(
        Context::with_char_type(pool, Guid::parse(PID).unwrap(), -1, -1, module.char_type())
            .unwrap(),
    )
}

/// Runs `request` on a fresh context of `pool`; the context, ended.
fn operation(module: &Arc<Module>, pool: &Arc<Pool>, request: Request<'_>) -> ProviderContext {
    let pc = context(pool, module);
    run(module, &pc, NAMESPACE, request).unwrap();
    let outcome = pc.context().wait(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(outcome.result, 0, "{outcome:?}");
    pc
}

/// `Bench_Item.SetCount(n)`: how many instances the next Enumerate posts.
fn set_count(module: &Arc<Module>, pool: &Arc<Pool>, n: u32) {
    let params = module.new_parameters(CLASS, "SetCount").unwrap();
    module
        .set(&params, "Count", Some(&CimValue::Uint32(n)))
        .unwrap();
    operation(
        module,
        pool,
        Request::Invoke {
            class: CLASS,
            method: "SetCount",
            instance: None,
            parameters: Some(&params),
        },
    );
}

const ENUMERATE: Request<'static> = Request::Enumerate {
    class: CLASS,
    keys_only: false,
    properties: None,
    filter: None,
};

/// One Enumerate: `count` (as set) instances built, posted and sent.
fn enumerate(module: &Arc<Module>, pool: &Arc<Pool>) -> ProviderContext {
    operation(module, pool, ENUMERATE)
}

/// The 20 properties of item `i`, as the module sets them.
fn item_values(i: u32) -> Vec<(&'static str, CimValue)> {
    let s = |t: &str| CimValue::String(CimString::from(t));
    vec![
        ("Name", s(&format!("item-{i:06}"))),
        ("Caption", s("Contoso storage volume")),
        (
            "Description",
            s("Primary data volume of the accounting department, replicated nightly"),
        ),
        ("Path", s("/srv/data/accounting/2026/quarterly-reports")),
        ("Owner", s("CONTOSO\\jdoe")),
        ("Status", s("OK")),
        ("Version", s("10.0.19045.4291")),
        ("Vendor", s("Contoso Ltd.")),
        (
            "Hash",
            s("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ),
        ("Priority", CimValue::Uint8(3)),
        ("Offset", CimValue::Sint16(-120)),
        ("Port", CimValue::Uint16(8443)),
        ("Items", CimValue::Uint32(1234)),
        ("Delta", CimValue::Sint32(-42)),
        ("Flags", CimValue::Uint32(0x8000_0001)),
        ("Size", CimValue::Uint64(1 << 40)),
        ("Balance", CimValue::Sint64(-9_876_543_210)),
        (
            "Modified",
            CimValue::Datetime(CimDatetime::Timestamp {
                year: 2026,
                month: 11,
                day: 21,
                hour: 14,
                minute: 3,
                second: 27,
                microseconds: 123_456,
                utc: 0,
            }),
        ),
        ("Ratio", CimValue::Real64(0.75)),
        (
            "Tags",
            CimValue::StringA(
                ["finance", "replicated", "tier-1", "eu-west"]
                    .iter()
                    .map(|t| Some(CimString::from(*t)))
                    .collect(),
            ),
        ),
    ]
}

/// The `CimInstance` the host reads from item `i` of the module.
fn item_instance(i: u32) -> CimInstance {
    let values = item_values(i);
    let class = Arc::new(CimClass {
        name: CLASS.into(),
        superclass: None,
        local_properties: values
            .iter()
            .map(|(n, v)| CimPropertyDecl {
                name: (*n).into(),
                mi_type: v.mi_type(),
                key: *n == "Name",
                class_name: None,
            })
            .collect(),
        id: 1,
    });
    CimInstance {
        class,
        namespace: NAMESPACE.into(),
        properties: values
            .into_iter()
            .map(|(n, v)| CimProperty {
                name: n.into(),
                value: Some(v),
                key: n == "Name",
            })
            .collect(),
    }
}

fn clixml(inst: &CimInstance, out: &mut Vec<u8>) {
    let mut options = OutputOptions::default();
    write_output_clixml(CimOutput::Instance(inst), &mut options, out).unwrap();
}

/// The core alone: header, BOM and CLIXML into `msg`, its fragments into
/// `out` (both reused); the bytes of fragments.
fn core_fragment(
    header: &[u8; 40],
    inst: &CimInstance,
    object_id: u64,
    msg: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> usize {
    msg.clear();
    msg.extend_from_slice(header);
    msg.extend_from_slice(&UTF8_BOM);
    clixml(inst, msg);
    out.clear();
    fragment_message(msg, object_id, DEFAULT_FRAGMENT_SIZE, out);
    out.len()
}

fn output_header() -> [u8; 40] {
    MessageHeader {
        destination: DESTINATION_CLIENT,
        message_type: PIPELINE_OUTPUT,
        runspace_pool_id: Guid::parse(RPID).unwrap(),
        pipeline_id: Guid::parse(PID).unwrap(),
    }
    .to_bytes()
}

/// The messages one Enumerate of item 1 sends, decoded: its CLIXML must be
/// what the core writes for `item_instance(1)`, and the message header the
/// core's. Returns the CLIXML's length.
fn check_equivalent(module: &Arc<Module>) -> usize {
    let wire: Arc<Mutex<Vec<u8>>> = Arc::default();
    let sink = Arc::clone(&wire);
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| {
        sink.lock().unwrap().extend_from_slice(f)
    });
    set_count(module, &pool, 1);
    wire.lock().unwrap().clear();
    drop(enumerate(module, &pool));
    let stream = std::mem::take(&mut *wire.lock().unwrap());
    let mut d = Defragmenter::new();
    let messages: Vec<Vec<u8>> = split_fragments(&stream)
        .filter_map(|f| {
            let (h, blob) = f.unwrap();
            d.push(&h, blob).unwrap().map(|(_, m)| m)
        })
        .collect();
    assert_eq!(messages.len(), 1, "one PIPELINE_OUTPUT, nothing else");
    let mut expected = Vec::new();
    clixml(&item_instance(1), &mut expected);
    let m = &messages[0];
    assert_eq!(&m[..40], &output_header()[..]);
    assert_eq!(&m[40..43], &UTF8_BOM[..]);
    assert!(
        m[43..] == expected[..],
        "the module's instance differs from item_instance(1):\n{}\n{}",
        String::from_utf8_lossy(&m[43..]),
        String::from_utf8_lossy(&expected)
    );
    expected.len()
}

// ---- memory ----------------------------------------------------------------

fn per(bytes: isize, n: usize) -> f64 {
    bytes as f64 / n as f64
}

/// Prints the memory figures: a live heap instance, one post in flight, a
/// context's buffer.
fn memory_report(module: &Arc<Module>, quick: bool) {
    let k: usize = if quick { 100 } else { 1000 };
    // SAFETY: a checked declaration of the loaded module.
    let struct_size = unsafe { (*module.find_class(CLASS).unwrap().1).size };

    // Heap instances: Module::new_instance + the 20 properties, k kept alive.
    let values: Vec<_> = (1..=k as u32).map(item_values).collect();
    let mut kept = Vec::with_capacity(k);
    let before = start_counting();
    for vals in &values {
        let inst = module.new_instance(CLASS).unwrap();
        for (n, v) in vals {
            module.set(&inst, n, Some(v)).unwrap();
        }
        kept.push(inst);
    }
    let after = snapshot();
    stop_counting();
    drop(kept);
    println!(
        "memory: heap instance (Module::new_instance + 20 sets), per instance over {k}: \
         {:.0} B requested in {:.1} allocations, {:.0} B in malloc chunks (estimated), \
         {:.0} B by mallinfo2; the generated structure is {struct_size} B of it",
        per(after.live - before.live, k),
        (after.calls - before.calls) as f64 / k as f64,
        per(after.chunks - before.chunks, k),
        per(after.in_use - before.in_use, k),
    );

    // One post in flight: the provider's structure is on its stack; the
    // heap at the peak of an Enumerate of one instance, above what was there
    // before (the context made, the module's class loaded).
    let pool = counting_pool();
    for n in [1u32, k as u32] {
        set_count(module, &pool, n);
        let pc = context(&pool, module);
        let before = start_counting();
        run(module, &pc, NAMESPACE, ENUMERATE).unwrap();
        let peak = PEAK.load(Relaxed);
        let after = snapshot();
        stop_counting();
        assert_eq!(pc.context().wait(None).unwrap().result, 0);
        println!(
            "memory: Enumerate of {n}: peak heap {} B above the start, {:.1} allocations per \
             instance ({:.0} B requested per instance, all freed but {} B); the context keeps \
             {} B of buffer (Context::retained_bytes)",
            peak - before.live,
            (after.calls - before.calls) as f64 / n as f64,
            (after.allocated - before.allocated) as f64 / n as f64,
            after.live - before.live,
            pc.context().retained_bytes(),
        );
    }
}

// ---- benches ---------------------------------------------------------------

fn quick() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

fn benches(c: &mut Criterion) {
    let n: u32 = if quick() { 10 } else { 1000 };
    let pool = counting_pool();

    let mut g = c.benchmark_group("modules");
    g.sample_size(20);
    g.throughput(Throughput::Elements(u64::from(n)));
    for (name, char_type) in [("whole_path_wide", 2), ("whole_path_utf8", 1)] {
        let (_, module) = load(char_type);
        check_equivalent(&module);
        set_count(&module, &pool, n);
        g.bench_function(name, |b| b.iter(|| enumerate(&module, &pool)));
    }
    g.finish();

    let inst = item_instance(1);
    let header = output_header();
    let mut g = c.benchmark_group("modules");
    g.throughput(Throughput::Elements(1));
    let mut buf = Vec::new();
    g.bench_function("core_clixml", |b| {
        b.iter(|| {
            buf.clear();
            clixml(black_box(&inst), &mut buf);
            buf.len()
        })
    });
    let (mut msg, mut out, mut id) = (Vec::new(), Vec::new(), 0u64);
    g.bench_function("core_clixml_fragment", |b| {
        b.iter(|| {
            id += 1;
            core_fragment(&header, black_box(&inst), id, &mut msg, &mut out)
        })
    });
    let (_, module) = load(2);
    let values = item_values(1);
    g.bench_function("heap_instance_new_set20", |b| {
        b.iter(|| {
            let inst = module.new_instance(CLASS).unwrap();
            for (n, v) in &values {
                module.set(&inst, n, Some(v)).unwrap();
            }
            inst
        })
    });
    g.finish();
}

/// `MODULES_PROFILE`: one case, `MODULES_ITERS` instances, nothing else.
fn profile(case: &str) {
    let iters: u32 = std::env::var("MODULES_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let pool = counting_pool();
    match case {
        "whole" | "utf8" => {
            let (_, module) = load(if case == "whole" { 2 } else { 1 });
            set_count(&module, &pool, iters);
            drop(enumerate(&module, &pool));
        }
        "core" => {
            let inst = item_instance(1);
            let mut buf = Vec::new();
            for _ in 0..iters {
                buf.clear();
                clixml(black_box(&inst), &mut buf);
            }
        }
        "fragment" => {
            let (inst, header) = (item_instance(1), output_header());
            let (mut msg, mut out) = (Vec::new(), Vec::new());
            for id in 0..iters {
                core_fragment(
                    &header,
                    black_box(&inst),
                    u64::from(id) + 1,
                    &mut msg,
                    &mut out,
                );
            }
        }
        "heap" => {
            let (_, module) = load(2);
            let values = item_values(1);
            for _ in 0..iters {
                let inst = module.new_instance(CLASS).unwrap();
                for (n, v) in &values {
                    module.set(&inst, n, Some(v)).unwrap();
                }
            }
        }
        "dump" => {
            let mut buf = Vec::new();
            clixml(&item_instance(1), &mut buf);
            println!("{}", String::from_utf8_lossy(&buf));
            return;
        }
        other => panic!("unknown MODULES_PROFILE {other}"),
    }
    println!(
        "{case}: {iters} instances, {} bytes sent",
        SENT.load(Relaxed)
    );
}

criterion_group! {
    name = group;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    targets = benches
}

fn main() {
    if let Ok(case) = std::env::var("MODULES_PROFILE") {
        profile(&case);
        return;
    }
    {
        let (_, module) = load(2);
        let len = check_equivalent(&module);
        println!(
            "object: {len} bytes of CLIXML per instance ({} with message header and BOM, \
             one fragment of {} bytes)",
            len + 43,
            len + 43 + 21
        );
        memory_report(&module, quick());
    }
    group();
    Criterion::default().configure_from_args().final_summary();
}
