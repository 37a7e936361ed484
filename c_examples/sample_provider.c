/* The provider side: nothing here knows about mi-psrp or PSRP. It includes
 * only mi.h and calls the MI_Context_* functions, exactly as a provider built
 * for Windows or OMI does. */
#include <stdio.h>
#include <wchar.h>

#include "sample_provider.h"

void SampleProvider_CopyFiles(MI_Context *context, unsigned item_count) {
    wchar_t status[64];
    wchar_t operation[64];
    MI_Result r = MI_RESULT_OK;

    for (unsigned i = 0; i < item_count && r == MI_RESULT_OK; i++) {
        swprintf(status, sizeof status / sizeof status[0], L"%u of %u items copied", i, item_count);
        swprintf(operation, sizeof operation / sizeof operation[0], L"copying sample%u.txt", i + 1);
        r = MI_Context_WriteProgress(context, MI_T("Copying files"), operation, status,
                                     (MI_Uint32)(i * 100 / item_count),
                                     (MI_Uint32)(item_count - i)); /* about a second an item */
    }
    if (r == MI_RESULT_OK) {
        swprintf(status, sizeof status / sizeof status[0], L"%u of %u items copied", item_count, item_count);
        r = MI_Context_WriteProgress(context, MI_T("Copying files"), NULL, status, 100, 0);
    }
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "provider: WriteProgress returned %u\n", (unsigned)r);
    }
    MI_Context_PostResult(context, r);
}
