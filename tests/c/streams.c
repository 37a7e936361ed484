/* The stream slots through the C ABI, compiled once per character type
 * (-DMI_CHAR_TYPE=1 and =2, run by tests/c_harness.rs): WriteMessage,
 * WriteError, PostError, the host's controls for them, GetLocale in the
 * context's type, and (UTF-8) that invalid bytes become U+FFFD.
 * Prints one line per failed check and a closing "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mi_psrp.h"

#include "check.h"

/* The last message: its type and its CLIXML (single-fragment messages). */
static unsigned fragments;
static uint32_t last_type;
static char xml[1 << 16];

static void sink(void *user_data, const uint8_t *fragment, size_t length) {
    (void)user_data;
    fragments++;
    size_t skip = 21 + 40 + 3;
    last_type = (uint32_t)fragment[25] | (uint32_t)fragment[26] << 8 | (uint32_t)fragment[27] << 16 |
                (uint32_t)fragment[28] << 24;
    size_t n = length > skip ? length - skip : 0;
    if (n >= sizeof xml) n = sizeof xml - 1;
    memcpy(xml, fragment + skip, n);
    xml[n] = 0;
}

#define REJECTED(call, expected)                                              \
    do {                                                                      \
        unsigned before_ = fragments;                                         \
        CHECK_RESULT(call, expected);                                         \
        CHECK(fragments == before_, "%s sent %u fragment(s)", #call,          \
              fragments - before_);                                           \
    } while (0)

#define SENT(call, type)                                                      \
    do {                                                                      \
        unsigned before_ = fragments;                                         \
        CHECK_RESULT(call, MI_RESULT_OK);                                     \
        CHECK(fragments == before_ + 1 && last_type == (type),                \
              "%s sent %u fragment(s), type 0x%x", #call, fragments - before_, \
              (unsigned)last_type);                                           \
    } while (0)

#define PID "632aa393-254e-b24d-8288-4d968d0da65d"
static mipsrp_pool *pool;

static MI_Context *new_context(void) {
    MI_Context *ctx = NULL;
    CHECK_RESULT(mipsrp_context_new_ex(pool, PID, 1, -1, sizeof(MI_Char), &ctx), MI_RESULT_OK);
    return ctx;
}

static int has(const char *needle) { return strstr(xml, needle) != NULL; }

static void test_context_new_ex(void) {
    MI_Context *c = (MI_Context *)(uintptr_t)0x5678;
    size_t bad[] = {0, 2, 3, 8, (size_t)-1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (bad[i] == sizeof(wchar_t)) continue;
        REJECTED(mipsrp_context_new_ex(pool, PID, 1, -1, bad[i], &c), MI_RESULT_INVALID_PARAMETER);
    }
    REJECTED(mipsrp_context_new_ex(NULL, PID, 1, -1, 1, &c), MI_RESULT_INVALID_PARAMETER);
    REJECTED(mipsrp_context_new_ex(pool, PID, 1, -1, 1, NULL), MI_RESULT_INVALID_PARAMETER);
    CHECK(c == (MI_Context *)(uintptr_t)0x5678, "out-pointer written on failure");
}

static void test_write_message(void) {
    MI_Context *ctx = new_context();
    SENT(MI_Context_WriteMessage(ctx, MI_WRITEMESSAGE_CHANNEL_WARNING, MI_T("w <1>")), 0x00041009u);
    CHECK(has("<ToString>w &lt;1&gt;</ToString>"), "warning: %s", xml);
    SENT(MI_Context_WriteMessage(ctx, MI_WRITEMESSAGE_CHANNEL_VERBOSE, MI_T("v")), 0x00041008u);
    SENT(MI_Context_WriteMessage(ctx, MI_WRITEMESSAGE_CHANNEL_DEBUG, MI_T("")), 0x00041007u);
    CHECK(has("<ToString />"), "empty debug: %s", xml);
    SENT(ctx->ft->WriteMessage(ctx, 0, MI_T("through the table")), 0x00041009u);
    REJECTED(MI_Context_WriteMessage(ctx, 3, MI_T("m")), MI_RESULT_INVALID_PARAMETER);
    REJECTED(MI_Context_WriteMessage(ctx, 0, NULL), MI_RESULT_INVALID_PARAMETER);
    REJECTED(MI_Context_WriteMessage(NULL, 0, MI_T("m")), MI_RESULT_INVALID_PARAMETER);

    CHECK_RESULT(mipsrp_context_set_message_requested(ctx, 1, MI_FALSE), MI_RESULT_OK);
    REJECTED(MI_Context_WriteMessage(ctx, 1, MI_T("not wanted")), MI_RESULT_OK);
    REJECTED(mipsrp_context_set_message_requested(ctx, 3, MI_FALSE), MI_RESULT_INVALID_PARAMETER);
    REJECTED(mipsrp_context_set_message_requested(NULL, 0, MI_FALSE), MI_RESULT_INVALID_PARAMETER);
    if (sizeof(MI_Char) == 1) {
        /* Invalid UTF-8 is never an error: each bad sequence becomes U+FFFD. */
        SENT(MI_Context_WriteMessage(ctx, 0, (const MI_Char *)"a\xff" "b\xe2\x82"), 0x00041009u);
        CHECK(has("<ToString>a\xef\xbf\xbd" "b\xef\xbf\xbd</ToString>"), "U+FFFD: %s", xml);
    }
    mipsrp_context_free(ctx);
}

static void test_errors(void) {
    MI_Context *ctx = new_context();
    MI_Boolean flag = 7;
    SENT(MI_Context_WriteError(ctx, 5, MI_T("WIN32"), MI_T("Access is denied."), &flag), 0x00041005u);
    CHECK(flag == MI_TRUE, "flag %d", flag);
    CHECK(has("<S N=\"FullyQualifiedErrorId\">Windows System Error 5</S>") &&
              has("<I32 N=\"ErrorCategory_Category\">18</I32>") &&
              has(">PermissionDenied: (:) [], CimException<"),
          "error: %s", xml);
    flag = 7;
    REJECTED(MI_Context_WriteError(ctx, 1, NULL, NULL, NULL), MI_RESULT_INVALID_PARAMETER);
    REJECTED(MI_Context_WriteError(NULL, 1, NULL, NULL, &flag), MI_RESULT_INVALID_PARAMETER);
    CHECK(flag == 7, "flag written on failure");

    CHECK_RESULT(mipsrp_context_set_error_action(ctx, MIPSRP_ERROR_ACTION_STOP), MI_RESULT_OK);
    SENT(MI_Context_WriteError(ctx, 6, NULL, MI_T("gone"), &flag), 0x00041005u);
    CHECK(flag == MI_FALSE, "Stop: flag %d", flag);
    CHECK(has("MiClientApiError_NotFound"), "id: %s", xml);
    CHECK_RESULT(mipsrp_context_set_error_action(ctx, MIPSRP_ERROR_ACTION_IGNORE), MI_RESULT_OK);
    REJECTED(MI_Context_WriteError(ctx, 6, NULL, MI_T("ignored"), &flag), MI_RESULT_OK);
    CHECK(flag == MI_TRUE, "Ignore: flag %d", flag);
    REJECTED(mipsrp_context_set_error_action(ctx, 3), MI_RESULT_INVALID_PARAMETER);
    REJECTED(mipsrp_context_set_error_action(NULL, 0), MI_RESULT_INVALID_PARAMETER);

    /* PostError: the error, then nothing more. */
    MI_Result result = 99;
    const char *type = "x", *message = "x";
    CHECK_RESULT(mipsrp_context_get_outcome(ctx, &result, &type, &message), MI_RESULT_NOT_FOUND);
    REJECTED(MI_Context_PostError(NULL, 1, NULL, NULL), MI_RESULT_INVALID_PARAMETER);
    SENT(MI_Context_PostError(ctx, 2, MI_T("mi"), MI_T("denied")), 0x00041005u);
    CHECK_RESULT(mipsrp_context_get_outcome(ctx, &result, &type, &message), MI_RESULT_OK);
    CHECK(result == 2 && strcmp(type, "mi") == 0 && strcmp(message, "denied") == 0,
          "outcome %u %s %s", (unsigned)result, type, message);
    REJECTED(MI_Context_PostError(ctx, 2, NULL, NULL), MI_RESULT_FAILED);
    REJECTED(MI_Context_WriteMessage(ctx, 0, MI_T("late")), MI_RESULT_FAILED);
    REJECTED(MI_Context_WriteError(ctx, 1, NULL, NULL, &flag), MI_RESULT_FAILED);
    REJECTED(MI_Context_PostResult(ctx, MI_RESULT_OK), MI_RESULT_FAILED);
    mipsrp_context_free(ctx);
}

static void test_locale(void) {
    MI_Context *ctx = new_context();
    MI_Char locale[MI_MAX_LOCALE_SIZE];
    CHECK_RESULT(MI_Context_GetLocale(ctx, MI_LOCALE_TYPE_REQUESTED_UI, locale), MI_RESULT_OK);
    CHECK(memcmp(locale, MI_T("en-US"), 6 * sizeof(MI_Char)) == 0, "default locale");
    CHECK_RESULT(mipsrp_context_set_locale(ctx, 0, MI_T("de-CH")), MI_RESULT_OK);
    CHECK_RESULT(MI_Context_GetLocale(ctx, 0, locale), MI_RESULT_OK);
    CHECK(memcmp(locale, MI_T("de-CH"), 6 * sizeof(MI_Char)) == 0, "locale in the context's type");
    mipsrp_context_free(ctx);
}

int main(void) {
    CHECK_RESULT(mipsrp_pool_new("6397709e-f7d6-c54d-9568-fd4656ae4820", sink, NULL, &pool), MI_RESULT_OK);
    test_context_new_ex();
    test_write_message();
    test_errors();
    test_locale();
    mipsrp_pool_free(pool);
    printf("MI_CHAR_TYPE %d: %d passed, %d failed\n", MI_CHAR_TYPE, passed, failed);
    return failed != 0;
}
