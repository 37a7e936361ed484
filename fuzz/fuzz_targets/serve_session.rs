//! `mi-psrp serve`'s session (`mi_psrp::serve::Session`) driven from
//! arbitrary client bytes, as its stdin would give them: every line handled,
//! the output drained, then the end of input. No module is loaded, so no
//! provider thread runs and nothing can wait: every pipeline fails or is
//! refused, and the session never blocks (the outbox's limit is lifted, as
//! the target drains it after every input).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use mi_psrp::serve::{Config, Session};

fuzz_target!(|data: &[u8]| {
    let mut config = Config::new(Vec::new());
    config.max_queued_output = usize::MAX;
    config.shutdown_grace = Duration::ZERO;
    let mut session = Session::new(config);
    // The input in two pieces, so that a line split across reads is handled.
    let (a, b) = data.split_at(data.len() / 2);
    for piece in [a, b] {
        let _ = session.receive_bytes(piece);
        while session.poll_output().is_some() {}
    }
    session.end_of_input();
    while session.poll_output().is_some() {}
    assert!(session.is_closed());
});
