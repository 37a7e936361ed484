/* A provider compiled against tests/c/ms_mi.h (Microsoft's layout and inline
 * wrappers), never against mi-psrp's headers. ms_host.c hands it a context
 * made by mi-psrp. Returns a bit mask of the checks that failed (0: all passed). */
#include <wchar.h>

#include "ms_mi.h"

struct cancel_state {
    int calls;
    MI_CancellationReason reason;
};

static void MI_CALL on_cancel(MI_CancellationReason reason, void *data) {
    struct cancel_state *s = data;
    s->calls++;
    s->reason = reason;
}

int ms_provider_run(void *opaque_context) {
    MI_Context *context = opaque_context;
    int failures = 0;
    MI_Char locale[MI_MAX_LOCALE_SIZE];
    MI_Boolean canceled = MI_TRUE;
    static struct cancel_state cancel;

    if (MI_Context_GetLocale(context, MI_LOCALE_TYPE_REQUESTED_UI, locale) != MI_RESULT_OK ||
        wcscmp(locale, L"fr-FR") != 0)
        failures |= 1 << 0;
    if (MI_Context_GetLocale(context, MI_LOCALE_TYPE_CLOSEST_DATA, locale) != MI_RESULT_OK ||
        wcscmp(locale, L"en-US") != 0)
        failures |= 1 << 1;
    if (MI_Context_RegisterCancel(context, on_cancel, &cancel) != MI_RESULT_OK) failures |= 1 << 2;
    if (MI_Context_Canceled(context, &canceled) != MI_RESULT_OK || canceled != MI_FALSE)
        failures |= 1 << 3;

    /* The host cancels from its sink when it sees the second record. */
    for (unsigned i = 0; i < 5; i++) {
        if (MI_Context_Canceled(context, &canceled) != MI_RESULT_OK) failures |= 1 << 4;
        if (canceled) break;
        if (MI_Context_WriteProgress(context, MI_T("Provider built for Windows"), MI_T("item"),
                                     MI_T("working"), i * 20, 5 - i) != MI_RESULT_OK)
            failures |= 1 << 5;
    }
    if (!canceled) failures |= 1 << 6;
    if (cancel.calls != 1 || cancel.reason != MI_REASON_SHUTDOWN) failures |= 1 << 7;
    /* Progress still works while winding down. */
    if (MI_Context_WriteProgress(context, MI_T("Provider built for Windows"), NULL,
                                 MI_T("cancelled, cleaning up"), 100, 0) != MI_RESULT_OK)
        failures |= 1 << 8;
    if (MI_Context_PostResult(context, MI_RESULT_OK) != MI_RESULT_OK) failures |= 1 << 9;
    if (MI_Context_WriteProgress(context, MI_T("late"), NULL, NULL, 1, 1) != MI_RESULT_FAILED)
        failures |= 1 << 10;
    return failures;
}
