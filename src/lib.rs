//! placeholder
pub mod ffi;
pub mod host;
pub mod mi;
pub mod psrp;
