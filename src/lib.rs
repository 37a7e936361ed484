//! # mi-psrp
//!
//! `MI_Context_WriteProgress` for management providers off Windows: progress
//! reported through Microsoft's MI API becomes byte-exact PowerShell Remoting
//! Protocol `PROGRESS_RECORD` fragments, handed to the host's sink.
//!
//! The crate is layered; each layer only uses the ones above it in this list:
//!
//! - [`psrp`]: the wire format in pure Rust: [`psrp::ProgressRecord`] and
//!   PowerShell's rules, the string encoding, the CLIXML writer, message and
//!   fragment headers, and the decoder.
//! - [`mi`]: the MI surface as the C ABI sees it — everything a provider may
//!   name from Microsoft's `mi.h`: scalar types, `MI_Result` codes, values,
//!   instances, schema declarations, modules, and `MI_Context` with its
//!   31-slot function table. Declarations only.
//! - [`host`]: the host side in safe Rust: a [`host::Pool`] (runspace pool id,
//!   ObjectId counter, sink) and a [`host::Context`] per operation.
//! - [`serve`]: `mi-psrp serve`'s sans-IO PowerShell remoting endpoint:
//!   the OutOfProc transport, the server side of the session, and the CIM
//!   cmdlets mapped to a module's operations ([`provider`]).
//! - `cli` (feature `cli`): the `mi-psrp` tool's decode and watch views,
//!   built on the decoder.
//! - [`ffi`]: the C functions (`MI_Context_*`, `mipsrp_*`), thin wrappers that
//!   check pointers, catch panics and map errors to `MI_Result`.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use mi_psrp::host::{Context, Pool};
//! use mi_psrp::psrp::{Guid, decode_stream};
//!
//! let wire = Arc::new(Mutex::new(Vec::new()));
//! let sink = Arc::clone(&wire);
//! let pool = Pool::new(
//!     Guid::parse("6397709e-f7d6-c54d-9568-fd4656ae4820").unwrap(),
//!     move |fragment: &[u8]| sink.lock().unwrap().extend_from_slice(fragment),
//! );
//! let pid = Guid::parse("632aa393-254e-b24d-8288-4d968d0da65d").unwrap();
//! let ctx = Context::new(&pool, pid, 4, -1).unwrap();
//! ctx.write_progress(Some("Copying files"), Some("copying sample.txt"),
//!                    Some("35 of 50 items copied"), 20, 30).unwrap();
//!
//! let messages = decode_stream(&wire.lock().unwrap()).unwrap();
//! assert_eq!(messages[0].progress().unwrap().activity, "Copying files");
//! assert_eq!(messages[0].progress().unwrap().percent_complete, 20);
//! ```

#![warn(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod ffi;
pub mod host;
pub mod mi;
pub mod provider;
pub mod psrp;
pub mod serve;
