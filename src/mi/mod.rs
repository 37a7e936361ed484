//! The MI surface: the types, constants and struct layouts of Microsoft's `mi.h`
//! that mi-psrp implements. Declarations only; the exported functions live in
//! [`crate::ffi`]. `include/mi.h` is generated from these files.

pub mod context;
pub mod result;
pub mod types;

pub use context::*;
pub use result::*;
pub use types::*;
