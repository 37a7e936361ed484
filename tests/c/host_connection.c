/* A host's connection through mi_psrp.h (issue 10), run by
 * tests/c_harness.rs: the framed sink (its info checked against the bytes
 * of each fragment), mipsrp_pool_send and the shared ObjectId counter, the
 * host's ObjectId source, completion and wait across threads, and transport
 * gone. Prints one line per failed check and a closing "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mi_psrp.h"

#include "check.h"

static const char *RPID = "6397709e-f7d6-c54d-9568-fd4656ae4820";
static const char *PID = "632aa393-254e-b24d-8288-4d968d0da65d";
static const char *NIL = "00000000-0000-0000-0000-000000000000";
#define PIPELINE_STATE 0x00041006u
#define PROGRESS_RECORD 0x00041010u

/* ---- the framed sink: every fragment's info, checked as it arrives ------- */

static unsigned fragments, info_mismatches, messages;
static uint64_t last_object_id;
static int object_ids_increase = 1;
static uint32_t message_types[64];
static char message_pids[64][37];
static uint32_t current_type; /* of the message under way, from its header */

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

static void framed_sink(void *user_data, const mipsrp_fragment_info *info,
                        const uint8_t *fragment, size_t length) {
    (void)user_data;
    (void)length;
    fragments++;
    uint8_t flags = fragment[16];
    if (flags & 1) current_type = (uint32_t)fragment[25] | (uint32_t)fragment[26] << 8 |
                                  (uint32_t)fragment[27] << 16 | (uint32_t)fragment[28] << 24;
    if (info->object_id != be64(fragment) || info->fragment_id != be64(fragment + 8) ||
        info->start != ((flags & 1) != 0) || info->end != ((flags & 2) != 0) ||
        info->message_type != current_type || info->pipeline_id[36] != 0 ||
        strlen(info->pipeline_id) != 36)
        info_mismatches++;
    if (info->start) {
        if (info->object_id <= last_object_id) object_ids_increase = 0;
        last_object_id = info->object_id;
        if (messages < 64) {
            message_types[messages] = info->message_type;
            memcpy(message_pids[messages], info->pipeline_id, 37);
        }
        messages++;
    }
}

static MI_Result progress(MI_Context *ctx, const MI_Char *status) {
    return MI_Context_WriteProgress(ctx, MI_T("Copying"), NULL, status, 10, 5);
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void test_framed_sink_and_pool_send(void) {
    mipsrp_pool *pool = NULL;
    CHECK_RESULT(mipsrp_pool_new_framed(RPID, framed_sink, NULL, &pool), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_pool_new_framed(RPID, NULL, NULL, &pool), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(mipsrp_pool_set_fragment_size(pool, 64), MI_RESULT_OK);
    MI_Context *ctx = NULL, *pool_ctx = NULL;
    CHECK_RESULT(mipsrp_context_new(pool, PID, 1, -1, &ctx), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_new(pool, NIL, 2, -1, &pool_ctx), MI_RESULT_OK);

    static const uint8_t state[] = "\xEF\xBB\xBF<Obj RefId=\"0\"><MS><I32 N=\"PipelineState\">4</I32></MS></Obj>";
    CHECK_RESULT(progress(ctx, MI_T("one")), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, PID, state, sizeof state - 1), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_pool_send(pool, 0x00021005u, NULL, NULL, 0), MI_RESULT_OK);
    CHECK_RESULT(progress(pool_ctx, MI_T("pool-level")), MI_RESULT_OK);

    /* Bad input: nothing sent. */
    unsigned before = fragments;
    CHECK_RESULT(mipsrp_pool_send(NULL, PIPELINE_STATE, NULL, state, 1), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, "nope", state, 1), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, NULL, NULL, 1), MI_RESULT_INVALID_PARAMETER);
    static uint8_t big[2048];
    CHECK_RESULT(mipsrp_pool_set_max_message_size(pool, 1024), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, NULL, big, 1024 - 40 + 1),
                 MI_RESULT_SERVER_LIMITS_EXCEEDED);
    CHECK(fragments == before, "refused calls sent %u fragment(s)", fragments - before);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, NULL, big, 1024 - 40), MI_RESULT_OK);

    CHECK_RESULT(MI_Context_PostResult(ctx, MI_RESULT_OK), MI_RESULT_OK);
    mipsrp_context_free(ctx);
    mipsrp_context_free(pool_ctx);
    mipsrp_pool_free(pool);

    CHECK(fragments > 20, "only %u fragments at size 64", fragments);
    CHECK(info_mismatches == 0, "%u fragment infos differ from their bytes", info_mismatches);
    CHECK(object_ids_increase, "ObjectIds not increasing");
    /* The last two: the Completed records of PostResult and of the free. */
    CHECK(messages == 7 && last_object_id == 7, "%u messages, last ObjectId %llu", messages,
          (unsigned long long)last_object_id);
    static const uint32_t types[] = {PROGRESS_RECORD, PIPELINE_STATE, 0x00021005u, PROGRESS_RECORD,
                                     PIPELINE_STATE,  PROGRESS_RECORD, PROGRESS_RECORD};
    const char *pids[] = {PID, PID, NIL, NIL, NIL, PID, NIL};
    for (unsigned i = 0; i < 7 && i < messages; i++) {
        CHECK(message_types[i] == types[i], "message %u type 0x%08x", i, message_types[i]);
        CHECK(strcmp(message_pids[i], pids[i]) == 0, "message %u PID %s", i, message_pids[i]);
    }
}

/* ---- the host's ObjectIds ------------------------------------------------- */

static uint64_t next_id = 1000;
static int refuse;
static uint64_t host_ids(void *user_data) {
    (void)user_data;
    if (refuse) return 0;
    uint64_t id = next_id;
    next_id += 10;
    return id;
}

static void test_object_id_source(void) {
    messages = 0;
    last_object_id = 0;
    mipsrp_pool *pool = NULL;
    MI_Context *ctx = NULL;
    CHECK_RESULT(mipsrp_pool_new_framed(RPID, framed_sink, NULL, &pool), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_new(pool, PID, 1, -1, &ctx), MI_RESULT_OK);
    CHECK_RESULT(progress(ctx, MI_T("own")), MI_RESULT_OK);               /* 1 */
    CHECK_RESULT(mipsrp_pool_set_object_id_source(pool, host_ids, NULL), MI_RESULT_OK);
    CHECK_RESULT(progress(ctx, MI_T("host")), MI_RESULT_OK);              /* 1000 */
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, PID, NULL, 0), MI_RESULT_OK); /* 1010 */
    refuse = 1;
    unsigned before = fragments;
    CHECK_RESULT(progress(ctx, MI_T("refused")), MI_RESULT_FAILED);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, PID, NULL, 0), MI_RESULT_FAILED);
    CHECK(fragments == before, "a refused ObjectId sent something");
    refuse = 0;
    CHECK_RESULT(mipsrp_pool_set_object_id_source(pool, NULL, NULL), MI_RESULT_OK);
    CHECK_RESULT(progress(ctx, MI_T("own again")), MI_RESULT_OK);         /* 1011 */
    CHECK(last_object_id == 1011, "after the host's ids: %llu", (unsigned long long)last_object_id);
    CHECK_RESULT(mipsrp_pool_set_object_id_source(NULL, host_ids, NULL), MI_RESULT_INVALID_PARAMETER);
    mipsrp_context_free(ctx);
    mipsrp_pool_free(pool);
    CHECK(object_ids_increase, "ObjectIds not increasing");
}

/* ---- completion across threads ------------------------------------------- */

static unsigned completions;
static MI_Result completed_result;
static uint32_t completed_ending;
static pthread_t completed_on;
static MI_Result outcome_in_callback = 999;

static void on_complete(void *user_data, MI_Context *context, MI_Result result, uint32_t ending) {
    (void)user_data;
    completions++;
    completed_result = result;
    completed_ending = ending;
    completed_on = pthread_self();
    MI_Result r = 0;
    if (mipsrp_context_get_outcome(context, &r, NULL, NULL) == MI_RESULT_OK) outcome_in_callback = r;
}

static void *provider(void *arg) {
    sleep_ms(100);
    MI_Context_PostResult((MI_Context *)arg, MI_RESULT_ACCESS_DENIED);
    return NULL;
}

static void test_completion_across_threads(void) {
    mipsrp_pool *pool = NULL;
    MI_Context *ctx = NULL;
    CHECK_RESULT(mipsrp_pool_new_framed(RPID, framed_sink, NULL, &pool), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_new(pool, PID, 1, -1, &ctx), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_set_completion(ctx, on_complete, NULL), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_set_completion(NULL, on_complete, NULL), MI_RESULT_INVALID_PARAMETER);
    MI_Result result = 12345;
    CHECK_RESULT(mipsrp_context_wait(ctx, 20, &result), MI_RESULT_NOT_FOUND);
    CHECK(result == 12345, "written while going on");
    CHECK_RESULT(mipsrp_context_wait(NULL, 0, &result), MI_RESULT_INVALID_PARAMETER);

    pthread_t t;
    pthread_create(&t, NULL, provider, ctx);
    CHECK_RESULT(mipsrp_context_wait(ctx, 10000, &result), MI_RESULT_OK);
    CHECK(result == MI_RESULT_ACCESS_DENIED, "wait's result %u", (unsigned)result);
    CHECK(completions == 1, "%u completions when wait returned", completions);
    pthread_join(t, NULL);
    CHECK(pthread_equal(completed_on, t), "the callback ran on another thread than the provider's");
    CHECK(completed_result == MI_RESULT_ACCESS_DENIED && completed_ending == MIPSRP_ENDING_POST_RESULT,
          "completion (%u, %u)", (unsigned)completed_result, completed_ending);
    CHECK(outcome_in_callback == MI_RESULT_ACCESS_DENIED, "get_outcome in the callback: %u",
          (unsigned)outcome_in_callback);
    CHECK_RESULT(mipsrp_context_wait(ctx, MIPSRP_WAIT_INFINITE, NULL), MI_RESULT_OK);

    /* Set after the end: at once, on this thread. */
    CHECK_RESULT(mipsrp_context_set_completion(ctx, on_complete, NULL), MI_RESULT_OK);
    CHECK(completions == 2 && pthread_equal(completed_on, pthread_self()), "set after the end");
    mipsrp_context_free(ctx);
    CHECK(completions == 2, "freeing an ended context completed again");

    /* Freed before the end. */
    CHECK_RESULT(mipsrp_context_new(pool, PID, 2, -1, &ctx), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_set_completion(ctx, on_complete, NULL), MI_RESULT_OK);
    mipsrp_context_free(ctx);
    CHECK(completions == 3 && completed_ending == MIPSRP_ENDING_FREED && completed_result == MI_RESULT_OK,
          "freed: %u completions, ending %u", completions, completed_ending);
    mipsrp_pool_free(pool);
}

/* ---- transport gone ------------------------------------------------------- */

static unsigned cancels;
static MI_CancellationReason cancel_reason;
static void MI_CALL on_cancel(MI_CancellationReason reason, void *data) {
    (void)data;
    cancels++;
    cancel_reason = reason;
}

static void test_transport_gone(void) {
    mipsrp_pool *pool = NULL;
    MI_Context *a = NULL, *b = NULL, *c = NULL;
    MI_Boolean flag = 0;
    CHECK_RESULT(mipsrp_pool_new_framed(RPID, framed_sink, NULL, &pool), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_new(pool, PID, 1, -1, &a), MI_RESULT_OK);
    CHECK_RESULT(mipsrp_context_new(pool, PID, 2, -1, &b), MI_RESULT_OK);
    CHECK_RESULT(MI_Context_RegisterCancel(a, on_cancel, NULL), MI_RESULT_OK);
    CHECK_RESULT(progress(a, MI_T("before")), MI_RESULT_OK);
    unsigned before = fragments;

    CHECK_RESULT(mipsrp_context_transport_gone(a), MI_RESULT_OK);
    CHECK(cancels == 1 && cancel_reason == MI_REASON_SERVICESTOP, "cancel %u, reason %u", cancels,
          (unsigned)cancel_reason);
    CHECK_RESULT(MI_Context_Canceled(a, &flag), MI_RESULT_OK);
    CHECK(flag == MI_TRUE, "Canceled is false after transport gone");
    CHECK_RESULT(progress(a, MI_T("after")), MI_RESULT_FAILED);
    CHECK_RESULT(MI_Context_WriteMessage(a, 1, MI_T("after")), MI_RESULT_FAILED);
    CHECK_RESULT(mipsrp_context_transport_gone(a), MI_RESULT_OK);
    CHECK(cancels == 1, "cancelled twice");
    CHECK_RESULT(mipsrp_context_set_completion(a, on_complete, NULL), MI_RESULT_OK);
    unsigned done = completions;
    CHECK_RESULT(MI_Context_PostResult(a, MI_RESULT_OK), MI_RESULT_OK);
    CHECK(completions == done + 1, "PostResult after transport gone did not complete");

    CHECK_RESULT(mipsrp_pool_transport_gone(pool), MI_RESULT_OK);
    CHECK_RESULT(progress(b, MI_T("after")), MI_RESULT_FAILED);
    CHECK_RESULT(mipsrp_pool_send(pool, PIPELINE_STATE, NULL, NULL, 0), MI_RESULT_FAILED);
    CHECK_RESULT(mipsrp_context_new(pool, PID, 3, -1, &c), MI_RESULT_OK);
    CHECK_RESULT(MI_Context_Canceled(c, &flag), MI_RESULT_OK);
    CHECK(flag == MI_TRUE, "a context made after the pool's transport went is not cancelled");
    CHECK_RESULT(MI_Context_RegisterCancel(c, on_cancel, NULL), MI_RESULT_OK);
    CHECK(cancels == 2 && cancel_reason == MI_REASON_SERVICESTOP, "late context: cancel %u", cancels);
    CHECK_RESULT(progress(c, MI_T("after")), MI_RESULT_FAILED);
    CHECK_RESULT(mipsrp_pool_transport_gone(NULL), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(mipsrp_context_transport_gone(NULL), MI_RESULT_INVALID_PARAMETER);
    mipsrp_context_free(a);
    mipsrp_context_free(b);
    mipsrp_context_free(c);
    mipsrp_pool_free(pool);
    CHECK(fragments == before, "%u fragment(s) reached the sink after transport gone",
          fragments - before);
}

int main(void) {
    /* The struct's C layout, which tests/c_harness.rs compares with Rust's
     * (and a ctypes binding must match). */
    printf("mipsrp_fragment_info %zu %zu %zu %zu %zu %zu %zu\n", sizeof(mipsrp_fragment_info),
           offsetof(mipsrp_fragment_info, object_id), offsetof(mipsrp_fragment_info, fragment_id),
           offsetof(mipsrp_fragment_info, message_type), offsetof(mipsrp_fragment_info, start),
           offsetof(mipsrp_fragment_info, end), offsetof(mipsrp_fragment_info, pipeline_id));
    test_framed_sink_and_pool_send();
    test_object_id_source();
    test_completion_across_threads();
    test_transport_gone();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
