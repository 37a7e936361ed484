//! The MI surface: the types, constants and struct layouts of Microsoft's `mi.h`
//! — those a provider's source, generated or written by hand, may name.
//! Declarations only; the exported functions live in [`crate::ffi`].
//! `include/mi.h` is generated from these files (see `cbindgen/mi.toml`).

pub mod const_field;
pub mod context;
pub mod field;
pub mod instance;
pub mod module;
pub mod result;
pub mod schema;
pub mod types;
pub mod value;

pub use const_field::*;
pub use context::*;
pub use field::*;
pub use instance::*;
pub use module::*;
pub use result::*;
pub use schema::*;
pub use types::*;
pub use value::*;
