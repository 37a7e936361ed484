/* The provider side: nothing here knows about mi-psrp or PSRP. It includes
 * only mi.h and calls the MI_Context_* functions, exactly as a provider built
 * for Windows or OMI does. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <wchar.h>

#include "sample_provider.h"

static void pause_ms(unsigned ms) {
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

void SampleProvider_CopyFiles(MI_Context *context, unsigned item_count, unsigned delay_ms) {
    wchar_t status[64];
    wchar_t operation[64];
    MI_Result r = MI_RESULT_OK;
    MI_Boolean canceled = MI_FALSE;

    for (unsigned i = 0; i < item_count && r == MI_RESULT_OK; i++) {
        if (MI_Context_Canceled(context, &canceled) == MI_RESULT_OK && canceled) break;
        swprintf(status, sizeof status / sizeof status[0], L"%u of %u items copied", i, item_count);
        swprintf(operation, sizeof operation / sizeof operation[0], L"copying sample%u.txt", i + 1);
        r = MI_Context_WriteProgress(context, MI_T("Copying files"), operation, status,
                                     (MI_Uint32)(i * 100 / item_count),
                                     (MI_Uint32)((item_count - i) * delay_ms / 1000));
        pause_ms(delay_ms);
    }
    if (r == MI_RESULT_OK) {
        if (canceled)
            swprintf(status, sizeof status / sizeof status[0], L"cancelled");
        else
            swprintf(status, sizeof status / sizeof status[0], L"%u of %u items copied", item_count, item_count);
        r = MI_Context_WriteProgress(context, MI_T("Copying files"), NULL, status, canceled ? 0xFFFFFFFFu : 100, 0);
    }
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "provider: WriteProgress returned %u\n", (unsigned)r);
    }
    MI_Context_PostResult(context, r);
}
