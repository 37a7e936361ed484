//! CIM output: `PostInstance`, a method's out-parameters and streamed
//! parameter items as PIPELINE_OUTPUT messages (`psrp-cim-output.md` §2),
//! through the same buffer, lock and ObjectId counter as the context's
//! records, so that output and records reach the client in call order.

use super::{Context, MiError};
use crate::psrp::cim::{CimOutput, OutputOptions, write_output_clixml};
use crate::psrp::message::{MESSAGE_HEADER_LEN, PIPELINE_OUTPUT, UTF8_BOM};

const ENVELOPE: usize = MESSAGE_HEADER_LEN + UTF8_BOM.len();

impl Context {
    /// Sends `object` as one PIPELINE_OUTPUT message (a held progress record
    /// of the context goes first), written with the pool's output settings
    /// ([`crate::host::Pool::set_output_settings`]); with class metadata on,
    /// the context's class cache (one per pipeline) is updated only when the
    /// message was sent.
    ///
    /// A value that cannot be written (a timestamp that names no date) →
    /// [`MiError::InvalidParameter`]; larger than the pool's maximum message
    /// size → [`MiError::LimitsExceeded`]; ended, transport gone or inside
    /// the sink → [`MiError::Failed`]. Nothing is sent then.
    pub fn write_output(&self, object: CimOutput<'_>) -> Result<(), MiError> {
        let mut guard = self.live_state()?;
        let state = &mut *guard;
        let settings = self.pool.output_settings();
        let mut cache = settings.class_metadata.then(|| state.class_cache.clone());
        let mut clixml = Vec::new();
        let mut options = OutputOptions {
            computer_name: settings.computer_name.as_ref(),
            class_cache: cache.as_mut(),
            now_ticks: self.pool.now_ticks(),
            ..Default::default()
        };
        write_output_clixml(object, &mut options, &mut clixml)
            .map_err(|_| MiError::InvalidParameter("a datetime value names no date and time"))?;
        let size = ENVELOPE + clixml.len();
        let max = self.pool.max_message_size() as usize;
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        self.flush_pending(state)?;
        self.send_record(state, PIPELINE_OUTPUT, size, |out| {
            out.extend_from_slice(&clixml);
            Ok(())
        })?;
        if let Some(cache) = cache {
            state.class_cache = cache;
        }
        Ok(())
    }
}
