/* Stress test, run by tests/stress.rs: 8 threads x WRITES writes on 8
 * contexts of one pool, plus 4 threads sharing a ninth context. The sink
 * appends every fragment to one buffer with no lock of its own — the pool
 * promises calls never overlap — and counts any overlap it sees. The stream
 * goes to argv[1] for the Rust side to decode and check.
 *
 * Usage: stress STREAM_FILE [WRITES]   (default 20000) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mi_psrp.h"

#define OWN_THREADS 8
#define SHARED_THREADS 4

static unsigned char *stream;
static size_t used, capacity;
static atomic_int in_sink, overlaps, failures;

static void sink(void *user_data, const uint8_t *fragment, size_t length) {
    (void)user_data;
    if (atomic_fetch_add(&in_sink, 1) != 0) atomic_fetch_add(&overlaps, 1);
    if (used + length <= capacity) {
        memcpy(stream + used, fragment, length);
        used += length;
    } else {
        atomic_fetch_add(&failures, 1);
    }
    atomic_fetch_sub(&in_sink, 1);
}

struct job {
    MI_Context *context;
    int thread;
    unsigned writes;
};

static void *writer(void *arg) {
    struct job *job = arg;
    wchar_t status[64], operation[64];
    for (unsigned i = 0; i < job->writes; i++) {
        swprintf(status, 64, L"T%d #%u", job->thread, i);
        swprintf(operation, 64, L"thread %d", job->thread);
        if (MI_Context_WriteProgress(job->context, L"Stress", operation, status, i % 101, i) != MI_RESULT_OK)
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    unsigned writes = argc > 2 ? (unsigned)atoi(argv[2]) : 20000;
    size_t messages = (size_t)(OWN_THREADS + SHARED_THREADS) * writes;
    capacity = messages * 700;
    stream = malloc(capacity);

    mipsrp_pool *pool = NULL;
    if (mipsrp_pool_new("6397709e-f7d6-c54d-9568-fd4656ae4820", sink, NULL, &pool) != MI_RESULT_OK) return 2;
    MI_Context *contexts[OWN_THREADS + 1];
    for (int c = 0; c <= OWN_THREADS; c++) {
        if (mipsrp_context_new(pool, "632aa393-254e-b24d-8288-4d968d0da65d", 100 + c, -1, &contexts[c]) != MI_RESULT_OK)
            return 2;
    }

    pthread_t threads[OWN_THREADS + SHARED_THREADS];
    struct job jobs[OWN_THREADS + SHARED_THREADS];
    for (int t = 0; t < OWN_THREADS + SHARED_THREADS; t++) {
        jobs[t].context = t < OWN_THREADS ? contexts[t] : contexts[OWN_THREADS];
        jobs[t].thread = t;
        jobs[t].writes = writes;
        pthread_create(&threads[t], NULL, writer, &jobs[t]);
    }
    for (int t = 0; t < OWN_THREADS + SHARED_THREADS; t++) pthread_join(threads[t], NULL);
    for (int c = 0; c <= OWN_THREADS; c++) mipsrp_context_free(contexts[c]);
    mipsrp_pool_free(pool);

    FILE *f = fopen(argv[1], "wb");
    if (!f) return 2;
    fwrite(stream, 1, used, f);
    fclose(f);
    free(stream);
    printf("messages %zu bytes %zu overlaps %d failures %d\n", messages, used,
           atomic_load(&overlaps), atomic_load(&failures));
    return overlaps || failures ? 1 : 0;
}
