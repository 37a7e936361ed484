/* Proof that AddressSanitizer and UBSan are really linked: each mode commits
 * the error its sanitizer exists to catch. tests/sanitizers.rs expects both
 * runs to fail with the sanitizer's report. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "ubsan") == 0) {
        volatile int big = INT_MAX;
        return big + argc; /* signed overflow */
    }
    char *p = malloc(8);
    volatile size_t i = 8;
    p[i] = 1; /* heap-buffer-overflow */
    free(p);
    return 0;
}
