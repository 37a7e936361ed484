//! `System.Management.Automation.ProgressRecord`, with PowerShell's rules.

use std::fmt;

use super::text::{PsString, PsText};

/// `ProgressRecordType`: whether the activity goes on or has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgressRecordType {
    /// The activity is in progress (0).
    Processing,
    /// The activity has ended: the client removes its progress bar (1).
    Completed,
}

impl ProgressRecordType {
    /// The enumeration's value on the wire.
    pub fn value(self) -> i32 {
        match self {
            ProgressRecordType::Processing => 0,
            ProgressRecordType::Completed => 1,
        }
    }

    /// The type with that value, if any.
    pub fn from_value(v: i32) -> Option<Self> {
        match v {
            0 => Some(ProgressRecordType::Processing),
            1 => Some(ProgressRecordType::Completed),
            _ => None,
        }
    }

    /// The name PowerShell writes in `<ToString>`.
    pub fn name(self) -> &'static str {
        match self {
            ProgressRecordType::Processing => "Processing",
            ProgressRecordType::Completed => "Completed",
        }
    }
}

/// A progress record, generic over its text type: wide strings on the way out
/// of a provider, [`PsString`] out of the decoder, `&str` for Rust callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRecord<S> {
    /// What is being done; never empty.
    pub activity: S,
    /// Identifies the activity; never negative.
    pub activity_id: i32,
    /// The activity's current status; never empty.
    pub status_description: S,
    /// The operation being done now; `None` is written as `<Nil>`.
    pub current_operation: Option<S>,
    /// The parent activity's id; negative for none. Never equal to `activity_id`.
    pub parent_activity_id: i32,
    /// 0 to 100; negative for unknown.
    pub percent_complete: i32,
    /// Seconds left; negative for unknown.
    pub seconds_remaining: i32,
    /// Processing or Completed.
    pub record_type: ProgressRecordType,
}

/// A progress record as the decoder returns it.
pub type DecodedProgressRecord = ProgressRecord<PsString>;

/// Which rule of PowerShell's `ProgressRecord` a record breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationError {
    /// Activity is empty.
    EmptyActivity,
    /// StatusDescription is empty.
    EmptyStatusDescription,
    /// ActivityId is negative.
    NegativeActivityId(i32),
    /// ParentActivityId equals ActivityId.
    ParentIsSelf(i32),
    /// PercentComplete is above 100.
    PercentAbove100(i32),
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationError::EmptyActivity => f.write_str("Activity is empty"),
            ValidationError::EmptyStatusDescription => f.write_str("StatusDescription is empty"),
            ValidationError::NegativeActivityId(v) => write!(f, "ActivityId {v} is negative"),
            ValidationError::ParentIsSelf(v) => {
                write!(f, "ParentActivityId equals ActivityId ({v})")
            }
            ValidationError::PercentAbove100(v) => write!(f, "PercentComplete {v} is above 100"),
        }
    }
}

impl std::error::Error for ValidationError {}

impl<S: PsText> ProgressRecord<S> {
    /// A Processing record with no current operation, no parent and nothing known
    /// of percentage and time left.
    pub fn new(activity_id: i32, activity: S, status_description: S) -> Self {
        ProgressRecord {
            activity,
            activity_id,
            status_description,
            current_operation: None,
            parent_activity_id: -1,
            percent_complete: -1,
            seconds_remaining: -1,
            record_type: ProgressRecordType::Processing,
        }
    }

    /// Checks the rules PowerShell's `ProgressRecord` enforces and a PowerShell
    /// client checks on receipt.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.activity.is_empty() {
            return Err(ValidationError::EmptyActivity);
        }
        if self.status_description.is_empty() {
            return Err(ValidationError::EmptyStatusDescription);
        }
        if self.activity_id < 0 {
            return Err(ValidationError::NegativeActivityId(self.activity_id));
        }
        if self.parent_activity_id == self.activity_id {
            return Err(ValidationError::ParentIsSelf(self.activity_id));
        }
        if self.percent_complete > 100 {
            return Err(ValidationError::PercentAbove100(self.percent_complete));
        }
        Ok(())
    }
}
