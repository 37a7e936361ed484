/* A demo MI provider for the example PSRP endpoint (examples/psrp_server.py).
 *
 * It includes only mi.h and reports through its MI_Context, as any provider
 * does: progress, warning/verbose/debug messages, non-terminating errors,
 * PostResult or PostError, and a cancel callback. Objects it outputs go to a
 * function the host gives it (a real host would take MI_Context_PostInstance
 * instances; this demo keeps to text).
 *
 * The host calls demo_run() on a thread of its own, once per pipeline; it
 * returns when the operation has ended (PostResult/PostError).
 *
 *   "copy"  count N  for each of N files: progress, verbose, debug, output;
 *                    a warning at file 2 and a non-terminating error at file 3;
 *                    then PostResult(MI_RESULT_OK).
 *   "fail"           progress, one output, then
 *                    PostError(MI_RESULT_ACCESS_DENIED, "MI", message).
 *   "wait"           registers a cancel callback, progress, one output, then
 *                    waits for the cancel; reports the reason it was given in a
 *                    warning and ends with PostResult(MI_RESULT_FAILED).
 *
 * The exact texts are part of the example's tests (tests/pypsrp/): change
 * both together.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "mi.h"

/* percentComplete / secondsRemaining "unknown" (sent as -1). */
#define DEMO_UNKNOWN 0xFFFFFFFFu

/* Emits one output object (UTF-8 text) on the pipeline of the operation. */
typedef void (*demo_output_fn)(void *user_data, const char *text);

struct wait_state {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int canceled;
    MI_CancellationReason reason;
};

static void MI_CALL on_cancel(MI_CancellationReason reason, void *callback_data) {
    struct wait_state *w = callback_data;
    pthread_mutex_lock(&w->lock);
    w->canceled = 1;
    w->reason = reason;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static MI_Result run_copy(MI_Context *context, unsigned count, demo_output_fn output, void *user_data) {
    wchar_t file[64], status[64], text[128];
    char name[64];
    for (unsigned i = 1; i <= count; i++) {
        swprintf(file, 64, L"copying file%u.txt", i);
        swprintf(status, 64, L"%u of %u files copied \u2014 caf\u00e9", i - 1, count);
        MI_Result r = MI_Context_WriteProgress(context, MI_T("Copying files"), file, status,
                                               (i - 1) * 100 / count, count - i + 1);
        if (r != MI_RESULT_OK) return r;
        swprintf(text, 128, L"copied file%u.txt", i);
        MI_Context_WriteVerbose(context, text);
        swprintf(text, 128, L"file%u.txt: %u bytes", i, i * 1000);
        MI_Context_WriteDebug(context, text);
        if (i == 2) MI_Context_WriteWarning(context, MI_T("file2.txt is larger than the quota"));
        if (i == 3) {
            MI_Boolean go_on;
            MI_Context_WriteError(context, MI_RESULT_NOT_FOUND, MI_T("MI"), MI_T("file3.txt: not found"),
                                  &go_on);
        }
        snprintf(name, sizeof name, "file%u.txt", i);
        output(user_data, name);
    }
    return MI_Context_PostResult(context, MI_RESULT_OK);
}

static MI_Result run_fail(MI_Context *context, demo_output_fn output, void *user_data) {
    MI_Context_WriteProgress(context, MI_T("Opening share"), MI_T("\\\\server\\share"), MI_T("connecting"), 10,
                             DEMO_UNKNOWN);
    output(user_data, "connected");
    return MI_Context_PostError(context, MI_RESULT_ACCESS_DENIED, MI_T("MI"),
                                MI_T("Access to \\\\server\\share is denied"));
}

static MI_Result run_wait(MI_Context *context, demo_output_fn output, void *user_data) {
    struct wait_state w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, MI_REASON_NONE};
    MI_Result r = MI_Context_RegisterCancel(context, on_cancel, &w);
    if (r != MI_RESULT_OK) return r;
    MI_Context_WriteProgress(context, MI_T("Waiting"), NULL, MI_T("waiting for Stop"), DEMO_UNKNOWN,
                             DEMO_UNKNOWN);
    output(user_data, "waiting");
    pthread_mutex_lock(&w.lock);
    while (!w.canceled) pthread_cond_wait(&w.cond, &w.lock);
    MI_CancellationReason reason = w.reason;
    pthread_mutex_unlock(&w.lock);
    wchar_t text[64];
    swprintf(text, 64, L"cancel callback called, reason %u", (unsigned)reason);
    MI_Context_WriteWarning(context, text);
    return MI_Context_PostResult(context, MI_RESULT_FAILED);
}

/* Runs `operation` to its end on the calling thread. Returns what its last
 * call (PostResult/PostError) returned; MI_RESULT_NOT_SUPPORTED, with the
 * operation ended by PostError, for an unknown operation. */
MI_EXPORT MI_Result demo_run(MI_Context *context, const char *operation, unsigned count, demo_output_fn output,
                             void *user_data) {
    if (strcmp(operation, "copy") == 0 && count > 0) return run_copy(context, count, output, user_data);
    if (strcmp(operation, "fail") == 0) return run_fail(context, output, user_data);
    if (strcmp(operation, "wait") == 0) return run_wait(context, output, user_data);
    MI_Context_PostError(context, MI_RESULT_NOT_SUPPORTED, MI_T("MI"), MI_T("unknown operation"));
    return MI_RESULT_NOT_SUPPORTED;
}
