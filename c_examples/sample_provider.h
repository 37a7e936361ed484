/* A sample MI provider operation: copies 50 "files" and reports its progress
 * through MI_Context_WriteProgress, as a provider written for Windows would. */
#ifndef SAMPLE_PROVIDER_H
#define SAMPLE_PROVIDER_H

#include "mi.h"

/* Runs the operation on `context`, taking about `delay_ms` per item, and ends
 * it with MI_Context_PostResult. Stops early, reporting its wind-down, when
 * the host cancels it. */
void SampleProvider_CopyFiles(MI_Context *context, unsigned item_count, unsigned delay_ms);

#endif
