//! `mi-psrp invoke|get|enumerate|create|modify|delete`: loads a provider
//! module, runs one operation on a pool whose sink feeds the fragments to
//! the same views as `watch` (or `decode` with `--json`), then lists the
//! output objects as PowerShell's `Format-List` does.
//!
//! Exit status: 0 when the operation ended OK, 1 when it ended with an error,
//! 2 for a usage error, a module that does not load, or a value that does not
//! fit its property ([`USAGE_ERROR`]).

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use serde_json::Value as Json;

use super::Show;
use super::args::{ValueError, json_to_value};
use super::output::{PsValue, format_list, object_json, read_output};
use crate::host::{Context, Outcome, Pool, ProviderText};
use crate::provider::context::ProviderContext;
use crate::provider::instance::HeapInstance;
use crate::provider::module::Module;
use crate::provider::operation::{Request, run};
use crate::psrp::decode::decode_message;
use crate::psrp::fragment::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader};
use crate::psrp::message::{MESSAGE_HEADER_LEN, MessageHeader, PIPELINE_OUTPUT};
use crate::psrp::{DecodedMessage, Guid};

/// Exit status of a usage, load or value error.
pub const USAGE_ERROR: u8 = 2;

/// The operation to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// A method: static without `key`, else on the instance with those keys.
    Invoke {
        /// The method.
        method: String,
        /// The in-parameters.
        arguments: Option<Json>,
        /// The target instance's keys.
        key: Option<Json>,
    },
    /// GetInstance.
    Get {
        /// The keys.
        key: Json,
    },
    /// EnumerateInstances.
    Enumerate {
        /// Keys only.
        keys_only: bool,
        /// A WQL filter (`--filter`), handed to the provider and applied to what it posts.
        filter: Option<String>,
    },
    /// CreateInstance.
    Create {
        /// The new instance's properties.
        properties: Json,
    },
    /// ModifyInstance.
    Modify {
        /// The properties (keys and those to change).
        properties: Json,
    },
    /// DeleteInstance.
    Delete {
        /// The keys.
        key: Json,
    },
}

/// A parsed command line of one of the provider commands.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The module's path.
    pub module: PathBuf,
    /// The class.
    pub class: String,
    /// The operation.
    pub operation: Operation,
    /// The namespace (default `root/cimv2`).
    pub namespace: String,
    /// Show VERBOSE records (and ask the provider for them).
    pub verbose: bool,
    /// Show DEBUG records (and ask the provider for them).
    pub debug: bool,
    /// JSON lines instead of the console view.
    pub json: bool,
    /// Also write the raw fragments here.
    pub psrp: Option<PathBuf>,
}

/// Whether `word` names one of the provider commands.
pub fn is_provider_command(word: &str) -> bool {
    matches!(
        word,
        "invoke" | "get" | "enumerate" | "create" | "modify" | "delete"
    )
}

fn parse_json(option: &str, text: &str) -> Result<Json, String> {
    let v: Json =
        serde_json::from_str(text).map_err(|e| format!("{option}: not valid JSON: {e}"))?;
    if !v.is_object() {
        return Err(format!("{option}: must be a JSON object"));
    }
    Ok(v)
}

/// Parses the words after the program name (`invoke MODULE CLASS METHOD
/// [options]`, …). Errors are usage errors.
pub fn parse_command(words: &[String]) -> Result<Command, String> {
    let mut positional = Vec::new();
    let mut arguments = None;
    let mut key = None;
    let mut properties = None;
    let mut namespace = None;
    let mut keys_only = false;
    let mut filter = None;
    let mut verbose = false;
    let mut debug = false;
    let mut json = false;
    let mut psrp = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match w.as_str() {
            "--arguments" => arguments = Some(parse_json(w, &value(w)?)?),
            "--key" => key = Some(parse_json(w, &value(w)?)?),
            "--properties" => properties = Some(parse_json(w, &value(w)?)?),
            "--namespace" => namespace = Some(value(w)?),
            "--psrp" => psrp = Some(PathBuf::from(value(w)?)),
            "--keys-only" => keys_only = true,
            "--filter" => filter = Some(value(w)?),
            "--verbose" => verbose = true,
            "--debug" => debug = true,
            "--json" => json = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => positional.push(w.clone()),
        }
    }
    let command = positional.first().map(String::as_str).unwrap_or_default();
    let want = if command == "invoke" { 4 } else { 3 };
    if !is_provider_command(command) {
        return Err(format!("unknown command {command:?}"));
    }
    if positional.len() != want {
        return Err(format!(
            "{command} takes {} arguments",
            if want == 4 {
                "MODULE CLASS METHOD"
            } else {
                "MODULE CLASS"
            }
        ));
    }
    let refuse = |name: &str, given: bool| {
        if given {
            Err(format!("{command} takes no {name}"))
        } else {
            Ok(())
        }
    };
    let need = |name: &str, v: Option<Json>| v.ok_or_else(|| format!("{command} needs {name}"));
    let operation = match command {
        _ if command != "enumerate" && filter.is_some() => {
            return Err(format!("{command} takes no --filter"));
        }
        "invoke" => {
            refuse("--properties", properties.is_some())?;
            refuse("--keys-only", keys_only)?;
            Operation::Invoke {
                method: positional[3].clone(),
                arguments,
                key,
            }
        }
        "get" | "delete" => {
            refuse("--properties", properties.is_some())?;
            refuse("--arguments", arguments.is_some())?;
            refuse("--keys-only", keys_only)?;
            let key = need("--key", key)?;
            if command == "get" {
                Operation::Get { key }
            } else {
                Operation::Delete { key }
            }
        }
        "enumerate" => {
            refuse("--properties", properties.is_some())?;
            refuse("--arguments", arguments.is_some())?;
            refuse("--key", key.is_some())?;
            Operation::Enumerate { keys_only, filter }
        }
        _ => {
            refuse("--key", key.is_some())?;
            refuse("--arguments", arguments.is_some())?;
            refuse("--keys-only", keys_only)?;
            let properties = need("--properties", properties)?;
            if command == "create" {
                Operation::Create { properties }
            } else {
                Operation::Modify { properties }
            }
        }
    };
    Ok(Command {
        module: PathBuf::from(&positional[1]),
        class: positional[2].clone(),
        operation,
        namespace: namespace.unwrap_or_else(|| "root/cimv2".to_owned()),
        verbose,
        debug,
        json,
        psrp,
    })
}

/// Sets every member of `values` (a JSON object) on `inst`, converted by
/// its declared type; `what` names the instance in an unknown-name error.
fn fill(module: &Module, inst: &HeapInstance, values: &Json, what: &str) -> Result<(), String> {
    let Some(obj) = values.as_object() else {
        return Ok(());
    };
    for (name, v) in obj {
        let (t, class) = module
            .element_type(inst, name)
            .ok_or_else(|| format!("unknown property {name}: {what} has no {name}"))?;
        let value = json_to_value(v, t, class.as_deref(), module, name)
            .map_err(|e: ValueError| e.to_string())?;
        module
            .set(inst, name, value.as_ref())
            .map_err(|e| format!("property {name}: {e}"))?;
    }
    Ok(())
}

enum Event {
    Fragment(Vec<u8>),
    Done(Option<Outcome>),
}

/// What the fragments become, on the main thread.
struct Session<'a> {
    show: &'a mut dyn Show,
    out: &'a mut dyn Write,
    json: bool,
    defrag: Defragmenter,
    psrp: Option<std::fs::File>,
    objects: Vec<PsValue>,
    problem: Option<String>,
    /// Whether an error record came.
    saw_error: bool,
}

impl Session<'_> {
    fn fragment(&mut self, fragment: &[u8]) {
        if let Some(f) = &mut self.psrp {
            if let Err(e) = f.write_all(fragment) {
                self.problem.get_or_insert(format!("--psrp: {e}"));
                self.psrp = None;
            }
        }
        let Some((head, blob)) = fragment.split_first_chunk::<FRAGMENT_HEADER_LEN>() else {
            return;
        };
        let header = FragmentHeader::from_bytes(head);
        let message = match self.defrag.push(&header, blob) {
            Ok(Some((object_id, message))) => (object_id, message),
            Ok(None) => return,
            Err(e) => {
                self.problem
                    .get_or_insert(format!("malformed fragment: {e}"));
                return;
            }
        };
        if let Err(e) = self.message(message.0, &message.1) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                self.problem.get_or_insert(format!("writing: {e}"));
            }
        }
    }

    fn message(&mut self, object_id: u64, message: &[u8]) -> io::Result<()> {
        let Some(head) = message.first_chunk::<MESSAGE_HEADER_LEN>() else {
            return Ok(());
        };
        let header = MessageHeader::from_bytes(head);
        if header.message_type == PIPELINE_OUTPUT {
            match read_output(&message[MESSAGE_HEADER_LEN..]) {
                Ok(v) if self.json => {
                    writeln!(self.out, "{}", object_json(&v))?;
                    self.out.flush()?;
                }
                Ok(v) => self.objects.push(v),
                Err(e) => {
                    self.problem.get_or_insert(e);
                }
            }
            return Ok(());
        }
        match decode_message(message) {
            Ok((header, record)) => {
                self.saw_error |= matches!(record, crate::psrp::DecodedRecord::Error(_));
                self.show.message(&DecodedMessage {
                    object_id,
                    header,
                    record,
                })
            }
            Err(e) => {
                self.problem
                    .get_or_insert(format!("message type 0x{:08x}: {e}", header.message_type));
                Ok(())
            }
        }
    }
}

/// The `MI_RESULT_*` name of a result code.
pub fn result_name(code: u32) -> String {
    let name = match code {
        0 => "OK",
        1 => "FAILED",
        2 => "ACCESS_DENIED",
        3 => "INVALID_NAMESPACE",
        4 => "INVALID_PARAMETER",
        5 => "INVALID_CLASS",
        6 => "NOT_FOUND",
        7 => "NOT_SUPPORTED",
        8 => "CLASS_HAS_CHILDREN",
        9 => "CLASS_HAS_INSTANCES",
        10 => "INVALID_SUPERCLASS",
        11 => "ALREADY_EXISTS",
        12 => "NO_SUCH_PROPERTY",
        13 => "TYPE_MISMATCH",
        14 => "QUERY_LANGUAGE_NOT_SUPPORTED",
        15 => "INVALID_QUERY",
        16 => "METHOD_NOT_AVAILABLE",
        17 => "METHOD_NOT_FOUND",
        20 => "NAMESPACE_NOT_EMPTY",
        21 => "INVALID_ENUMERATION_CONTEXT",
        22 => "INVALID_OPERATION_TIMEOUT",
        23 => "PULL_HAS_BEEN_ABANDONED",
        24 => "PULL_CANNOT_BE_ABANDONED",
        25 => "FILTERED_ENUMERATION_NOT_SUPPORTED",
        26 => "CONTINUATION_ON_ERROR_NOT_SUPPORTED",
        27 => "SERVER_LIMITS_EXCEEDED",
        28 => "SERVER_IS_SHUTTING_DOWN",
        1000 => "CANCELED",
        1001 => "OPEN_FAILED",
        1002 => "INVALID_CLASS_HIERARCHY",
        1003 => "WOULD_BLOCK",
        1004 => "TIME_OUT",
        _ => return format!("MI result {code}"),
    };
    format!("MI_RESULT_{name}")
}

/// A pipeline id unique enough for one run.
fn new_pipeline_id() -> Guid {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut b = [0u8; 16];
    b[..12].copy_from_slice(&nanos.to_le_bytes()[..12]);
    b[12..].copy_from_slice(&std::process::id().to_le_bytes());
    b[7] = (b[7] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Guid::from_bytes_le(b)
}

/// Loads the module, runs the command, shows what comes back through `show`
/// (records) and `out` (output objects). Returns the exit status; messages
/// for a status 2 or an unexpected failure go to `err`.
pub fn run_command(
    command: &Command,
    show: &mut dyn Show,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match run_inner(command, show, out) {
        Ok(code) => code,
        Err((code, message)) => {
            let _ = writeln!(err, "mi-psrp: {}", super::sanitize::visible(&message));
            code
        }
    }
}

fn usage(message: impl Into<String>) -> (u8, String) {
    (USAGE_ERROR, message.into())
}

fn run_inner(
    command: &Command,
    show: &mut dyn Show,
    out: &mut dyn Write,
) -> Result<u8, (u8, String)> {
    let module = Module::load(&command.module).map_err(|e| usage(e.to_string()))?;
    let class = command.class.as_str();
    let psrp = match &command.psrp {
        Some(p) => {
            Some(std::fs::File::create(p).map_err(|e| usage(format!("{}: {e}", p.display())))?)
        }
        None => None,
    };
    // The instances the request needs, made before anything runs.
    let class_inst = || {
        module
            .new_instance(class)
            .map_err(|e| usage(format!("class {class}: {e}")))
    };
    let what = format!("class {class}");
    let mut target = None;
    let mut parameters = None;
    match &command.operation {
        Operation::Invoke {
            method,
            arguments,
            key,
        } => {
            let params = module
                .new_parameters(class, method)
                .map_err(|e| usage(format!("method {class}.{method}: {e}")))?;
            if let Some(a) = arguments {
                fill(&module, &params, a, &format!("method {class}.{method}")).map_err(usage)?;
            }
            parameters = Some(params);
            if let Some(k) = key {
                let inst = class_inst()?;
                fill(&module, &inst, k, &what).map_err(usage)?;
                target = Some(inst);
            }
        }
        Operation::Get { key: values }
        | Operation::Delete { key: values }
        | Operation::Create { properties: values }
        | Operation::Modify { properties: values } => {
            let inst = class_inst()?;
            fill(&module, &inst, values, &what).map_err(usage)?;
            target = Some(inst);
        }
        Operation::Enumerate { .. } => {}
    }
    let request = match &command.operation {
        Operation::Invoke { method, .. } => Request::Invoke {
            class,
            method,
            instance: target.as_ref(),
            parameters: parameters.as_ref(),
        },
        Operation::Enumerate { keys_only, filter } => Request::Enumerate {
            class,
            keys_only: *keys_only,
            properties: None,
            filter: filter.as_deref(),
        },
        Operation::Get { .. } => Request::Get {
            instance: target.as_ref().expect("made above"),
            properties: None,
        },
        Operation::Create { .. } => Request::Create {
            instance: target.as_ref().expect("made above"),
        },
        Operation::Modify { .. } => Request::Modify {
            instance: target.as_ref().expect("made above"),
            properties: None,
        },
        Operation::Delete { .. } => Request::Delete {
            instance: target.as_ref().expect("made above"),
        },
    };

    let (tx, rx) = mpsc::channel::<Event>();
    let sink_tx = tx.clone();
    let pool = Pool::new(new_pipeline_id(), move |fragment: &[u8]| {
        let _ = sink_tx.send(Event::Fragment(fragment.to_vec()));
    });
    let ctx = Context::with_char_type(&pool, new_pipeline_id(), -1, -1, module.char_type())
        .map_err(|e| (1, format!("context: {e}")))?;
    let _ = ctx.set_message_requested(1, command.verbose);
    let _ = ctx.set_message_requested(2, command.debug);
    let pc = ProviderContext::new(ctx);
    let mut session = Session {
        show,
        out,
        json: command.json,
        defrag: Defragmenter::new(),
        psrp,
        objects: Vec::new(),
        problem: None,
        saw_error: false,
    };
    let outcome = std::thread::scope(|s| {
        if let Err(e) = run(&module, &pc, &command.namespace, request) {
            // Ended already when it failed before the provider was called;
            // otherwise end it here so that the wait below returns.
            if pc.context().wait(Some(std::time::Duration::ZERO)).is_none() {
                let text = e.to_string();
                let _ = pc.context().post_error(
                    e.code(),
                    Some(ProviderText::utf8(b"MI")),
                    Some(ProviderText::utf8(text.as_bytes())),
                );
            }
        }
        let waiter = &pc;
        let done_tx = tx.clone();
        s.spawn(move || {
            let _ = done_tx.send(Event::Done(waiter.context().wait(None)));
        });
        drop(tx);
        let mut outcome = None;
        for event in rx.iter() {
            match event {
                Event::Fragment(f) => session.fragment(&f),
                Event::Done(o) => {
                    outcome = o;
                    break;
                }
            }
        }
        outcome
    });
    drop(pc);
    drop(pool);
    while let Ok(Event::Fragment(f)) = rx.try_recv() {
        session.fragment(&f);
    }
    let Session {
        show,
        out,
        objects,
        problem,
        saw_error,
        ..
    } = session;
    let ended = show.end();
    let mut written = Ok(());
    for (i, o) in objects.iter().enumerate() {
        if i == 0 {
            written = written.and(writeln!(out));
        }
        for line in format_list(o) {
            written = written.and(writeln!(out, "{line}"));
        }
        written = written.and(writeln!(out));
    }
    let _ = out.flush();
    for r in [ended, written] {
        if let Err(e) = r {
            if e.kind() != io::ErrorKind::BrokenPipe {
                return Err((1, format!("writing: {e}")));
            }
        }
    }
    if let Some(p) = problem {
        return Err((1, p));
    }
    match outcome {
        Some(o) if o.result == 0 => Ok(0),
        Some(_) if saw_error => Ok(1),
        // Ended with an error but no error record (PostResult with a code):
        // say so, as PowerShell shows a CimException.
        Some(o) => Err((
            1,
            format!(
                "the operation ended with {} ({}){}",
                result_name(o.result),
                o.result,
                o.message
                    .filter(|m| !m.is_empty())
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ),
        )),
        None => Err((1, "the operation did not end".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn parses_commands() {
        let c = parse_command(&words(&[
            "invoke",
            "m.so",
            "C",
            "Scan",
            "--arguments",
            r#"{"Pattern":"w"}"#,
            "--verbose",
        ]))
        .unwrap();
        assert_eq!(c.namespace, "root/cimv2");
        assert!(c.verbose && !c.debug && !c.json);
        assert_eq!(
            c.operation,
            Operation::Invoke {
                method: "Scan".into(),
                arguments: Some(serde_json::json!({"Pattern": "w"})),
                key: None
            }
        );
        let c = parse_command(&words(&[
            "enumerate",
            "m.so",
            "C",
            "--keys-only",
            "--namespace",
            "root/x",
        ]))
        .unwrap();
        assert_eq!(
            c.operation,
            Operation::Enumerate {
                keys_only: true,
                filter: None
            }
        );
        assert_eq!(c.namespace, "root/x");
        for bad in [
            &["get", "m.so", "C"][..],
            &["get", "m.so", "C", "--key", "[1]"],
            &["get", "m.so", "C", "--key", "{"],
            &["invoke", "m.so", "C"],
            &["enumerate", "m.so", "C", "--key", "{}"],
            &["create", "m.so", "C"],
            &["delete", "m.so", "C", "--key"],
            &["enumerate", "m.so", "C", "--frob"],
            &["frob", "m.so", "C"],
        ] {
            assert!(parse_command(&words(bad)).is_err(), "{bad:?}");
        }
    }
}
