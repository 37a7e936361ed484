/* The checks of the C test programs (harness.c, streams.c, host_connection.c):
 * each failed check prints one line; main prints "N passed, M failed".
 * Include after mi_psrp.h (CHECK_RESULT names MI_Result). */
#ifndef MIPSRP_TEST_CHECK_H
#define MIPSRP_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                    \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
        }                                                                  \
    } while (0)

#define CHECK_RESULT(expr, expected)                                                  \
    do {                                                                              \
        MI_Result r_ = (expr);                                                        \
        CHECK(r_ == (expected), "%s returned %u, expected %u", #expr, (unsigned)r_, \
              (unsigned)(expected));                                                  \
    } while (0)

#endif
