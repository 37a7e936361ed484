/* Host for ms_provider.c: makes the context with mi-psrp, sets a locale,
 * cancels from its sink at the second record, and prints each record's
 * status and type so tests/c_harness.rs can check what was sent. */
#include <stdio.h>
#include <string.h>

#include "mi_psrp.h"

int ms_provider_run(void *context);

static MI_Context *context;
static unsigned records;

static void sink(void *user_data, const uint8_t *fragment, size_t length) {
    (void)user_data;
    char xml[4096];
    size_t n = length - 64 < sizeof xml - 1 ? length - 64 : sizeof xml - 1;
    memcpy(xml, fragment + 64, n);
    xml[n] = 0;
    const char *status = strstr(xml, "<S N=\"StatusDescription\">") + 25;
    printf("record %.*s | %s\n", (int)(strchr(status, '<') - status), status,
           strstr(xml, "<ToString>Completed") ? "Completed" : "Processing");
    if (++records == 2) mipsrp_context_cancel(context, MI_REASON_SHUTDOWN);
}

int main(void) {
    mipsrp_pool *pool = NULL;
    if (mipsrp_pool_new("6397709e-f7d6-c54d-9568-fd4656ae4820", sink, NULL, &pool) != MI_RESULT_OK ||
        mipsrp_context_new(pool, "632aa393-254e-b24d-8288-4d968d0da65d", 4, -1, &context) != MI_RESULT_OK ||
        mipsrp_context_set_locale(context, MI_LOCALE_TYPE_REQUESTED_UI, L"fr-FR") != MI_RESULT_OK) {
        printf("setup failed\n");
        return 2;
    }
    int failures = ms_provider_run(context);
    mipsrp_context_free(context);
    mipsrp_pool_free(pool);
    printf("provider failures 0x%x\n", (unsigned)failures);
    return failures ? 1 : 0;
}
