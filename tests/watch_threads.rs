//! `mi-psrp watch` on a terminal uses a fixed number of threads whatever the
//! input (issue 12, item 2: indicatif's steady tick started one per bar).
//! Alone in its test binary, so that no other test's threads are counted.

mod screen;

use mi_psrp::cli::Show;
use mi_psrp::cli::bars::Bars;
use mi_psrp::psrp::{
    DecodedMessage, DecodedRecord, Guid, MessageHeader, ProgressRecord, ProgressRecordType,
    PsString,
};

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

fn progress(id: i32, parent: i32) -> DecodedMessage {
    let mut r = ProgressRecord::new(id, PsString::from("copying"), PsString::from("a file"));
    r.parent_activity_id = parent;
    r.percent_complete = if id % 2 == 0 { 40 } else { -1 };
    r.record_type = ProgressRecordType::Processing;
    DecodedMessage {
        object_id: id as u64 + 1,
        header: MessageHeader::progress(Guid::default(), Guid::default()),
        record: DecodedRecord::Progress(r),
    }
}

#[test]
fn thousands_of_open_activities_start_no_thread() {
    let screen = screen::Screen::new(24);
    let before = threads();
    let mut bars = Bars::new(screen.clone());
    for id in 0..3000 {
        // Half of them nested under the one before.
        let parent = if id % 2 == 1 { id - 1 } else { -1 };
        bars.message(&progress(id, parent)).unwrap();
        assert_eq!(threads(), before, "after {} activities", id + 1);
    }
    // What fits a 24-line terminal, and a line for the rest.
    assert_eq!(bars.bars_drawn(), 11);
    assert_eq!(bars.hidden(), 2989);
    bars.end().unwrap();
    assert_eq!(threads(), before);
    assert!(screen.contents().contains("0 activities completed"));
}
