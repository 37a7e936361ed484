//! Running a test module's operations from Rust and reading back what
//! reached the pool's sink: each message's type and, for PIPELINE_OUTPUT, the
//! object (decoded by the `mi-psrp` tool's reader).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mi_psrp::cli::output::{PsObject, PsValue, read_output};
use mi_psrp::host::{Context, Outcome, Pool};
use mi_psrp::provider::context::ProviderContext;
use mi_psrp::provider::module::Module;
use mi_psrp::provider::operation::{Request, run};
use mi_psrp::psrp::cim::CimValue;
use mi_psrp::psrp::{Defragmenter, Guid, split_fragments};

pub const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
pub const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";
pub const OUTPUT: u32 = 0x0004_1004;
pub const PROGRESS: u32 = 0x0004_1010;
pub const ERROR: u32 = 0x0004_1005;

/// One message the pool sent.
#[derive(Debug, Clone)]
pub struct Message {
    pub object_id: u64,
    pub message_type: u32,
    /// The data after the 40-byte header.
    pub data: Vec<u8>,
}

impl Message {
    /// The CLIXML text (after the BOM).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(
            self.data
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&self.data),
        )
        .into_owned()
    }

    /// The output object of a PIPELINE_OUTPUT message.
    pub fn object(&self) -> PsObject {
        assert_eq!(self.message_type, OUTPUT);
        match read_output(&self.data).unwrap() {
            PsValue::Object(o) => o,
            other => panic!("not an object: {other:?}"),
        }
    }
}

/// A module loaded once per test, a pool whose sink keeps every fragment.
pub struct Harness {
    pub module: Arc<Module>,
    pub pool: Arc<Pool>,
    wire: Arc<Mutex<Vec<u8>>>,
}

impl Harness {
    /// Loads a private copy of the module (tests run in parallel threads;
    /// `dlopen` of one path would give them one set of module globals).
    pub fn new(dir: &str, char_type: u32) -> Harness {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let tag = format!(
            "h{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let path = super::modules::module_copy(dir, char_type, &tag);
        let module = Module::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let wire: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink = Arc::clone(&wire);
        let pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| {
            sink.lock().unwrap().extend_from_slice(f)
        });
        Harness { module, pool, wire }
    }

    /// A fresh context of the module's character type.
    pub fn context(&self) -> ProviderContext {
        ProviderContext::new(
            Context::with_char_type(
                &self.pool,
                Guid::parse(PID).unwrap(),
                -1,
                -1,
                self.module.char_type(),
            )
            .unwrap(),
        )
    }

    /// Takes the fragments sent so far, as the sink received them.
    pub fn take_stream(&self) -> Vec<u8> {
        std::mem::take(&mut *self.wire.lock().unwrap())
    }

    /// Takes the messages sent so far.
    pub fn take(&self) -> Vec<Message> {
        let stream = self.take_stream();
        let mut d = Defragmenter::new();
        let mut out = Vec::new();
        for f in split_fragments(&stream) {
            let (h, blob) = f.unwrap();
            if let Some((object_id, msg)) = d.push(&h, blob).unwrap() {
                out.push(Message {
                    object_id,
                    message_type: u32::from_le_bytes(msg[4..8].try_into().unwrap()),
                    data: msg[40..].to_vec(),
                });
            }
        }
        out
    }

    /// Runs `request`, waits for the operation's end (10 s at most).
    pub fn run(&self, request: Request<'_>) -> (Outcome, Vec<Message>) {
        (self.run_only(request), self.take())
    }

    /// [`Harness::run`], leaving what was sent in the wire.
    pub fn run_only(&self, request: Request<'_>) -> Outcome {
        let pc = self.context();
        run(&self.module, &pc, "root/xyz", request).ok();
        pc.context()
            .wait(Some(Duration::from_secs(10)))
            .expect("the operation ends")
    }

    /// Invokes a static method with `args`.
    pub fn invoke(
        &self,
        class: &str,
        method: &str,
        args: &[(&str, CimValue)],
    ) -> (Outcome, Vec<Message>) {
        (self.invoke_only(class, method, args), self.take())
    }

    /// [`Harness::invoke`], leaving what was sent in the wire.
    pub fn invoke_only(&self, class: &str, method: &str, args: &[(&str, CimValue)]) -> Outcome {
        let params = self.module.new_parameters(class, method).unwrap();
        for (n, v) in args {
            self.module.set(&params, n, Some(v)).unwrap();
        }
        self.run_only(Request::Invoke {
            class,
            method,
            instance: None,
            parameters: Some(&params),
        })
    }

    /// The codes XYZ_Bad recorded (its `LastCodes` method).
    pub fn last_codes(&self) -> Vec<u32> {
        let (outcome, msgs) = self.invoke("XYZ_Bad", "LastCodes", &[]);
        assert_eq!(outcome.result, 0);
        let out: Vec<_> = msgs.iter().filter(|m| m.message_type == OUTPUT).collect();
        assert_eq!(out.len(), 1);
        u32s(&prop(&out[0].object(), "Codes"))
    }
}

/// A property or note of an object.
pub fn prop(o: &PsObject, name: &str) -> PsValue {
    o.properties
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in {o:?}"))
        .1
        .clone()
}

/// The text of a primitive.
pub fn text(v: &PsValue) -> String {
    match v {
        PsValue::Primitive { text, .. } => text.clone(),
        other => panic!("not a primitive: {other:?}"),
    }
}

/// The items of a uint32 array.
pub fn u32s(v: &PsValue) -> Vec<u32> {
    match v {
        PsValue::Object(o) => o
            .items
            .as_ref()
            .expect("an array")
            .iter()
            .map(|i| text(i).parse().unwrap())
            .collect(),
        PsValue::Nil => Vec::new(),
        other => panic!("not an array: {other:?}"),
    }
}
