/* Copied unchanged (but for this line) from ../shared/perf/c_limit.c, the team's hand-written C yardstick, on 2026-11-21. */
/*
 * bench_c_limit.c - "physical limit" estimate for serializing one MS-PSRP
 * PROGRESS_RECORD (0x00041010) from wchar_t (UTF-32 on Linux) inputs into a
 * reusable buffer, including the PSRP fragment header.
 *
 * No snprintf, no allocation on the hot path: memcpy of fixed template pieces,
 * hand-written integer formatting, and a single pass per string that does
 * UTF-32 -> UTF-8 plus the escaping PowerShell applies:
 *   - XML text escaping: & -> &amp;  < -> &lt;  > -> &gt;  (quotes are left
 *     alone in element text, as .NET XmlWriter and Python ElementTree do)
 *   - PowerShell EncodeString (serialization.cs): C0 0x00-0x1F, C1 0x7F-0x9F,
 *     UTF-16 surrogates, and '_' when followed by 'x'/'X' -> _xHHHH_ (upper hex);
 *     non-BMP code points are written as the two escaped UTF-16 surrogates,
 *     e.g. U+1F600 -> _xD83D__xDE00_.
 *   - Extra (not in .NET's EncodeString): U+FFFE/U+FFFF -> _xFFFE_/_xFFFF_
 *     (they are not legal XML 1.0 characters); values > 0x10FFFF -> U+FFFD.
 *   - NULL CurrentOperation -> <Nil N="CurrentOperation" />, like
 *     PowerShell's ToPSObjectForRemoting with a null property; empty Activity
 *     -> " " as PowerShell's ToPSObjectForRemoting does.
 * Output layout (one fragment when the message fits in max_blob):
 *   ObjectId u64 BE | FragmentId u64 BE | flags (1=start,2=end) | len u32 BE |
 *   Destination u32 LE (1=client) | MessageType u32 LE | RPID[16] | PID[16] |
 *   EF BB BF | CLIXML
 *
 * Build:  gcc -O2 -march=native -o bench_c_limit bench_c_limit.c
 * Run:    ./bench_c_limit [iterations] [repeats]
 *         ./bench_c_limit --dump out.bin   (writes edge-case messages for the verifier)
 * Little-endian host assumed (x86-64 / aarch64).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static const char HEX[16] = "0123456789ABCDEF";

/* 1 = ASCII char that is copied verbatim; 0 = needs the slow path. */
static uint8_t PLAIN[128];
static void init_tables(void) {
    for (int c = 0; c < 128; c++) PLAIN[c] = (c >= 0x20 && c < 0x7F);
    PLAIN['&'] = PLAIN['<'] = PLAIN['>'] = PLAIN['_'] = 0;
}

static inline uint8_t *put_x(uint8_t *p, uint32_t u) {
    p[0] = '_'; p[1] = 'x';
    p[2] = HEX[(u >> 12) & 15]; p[3] = HEX[(u >> 8) & 15];
    p[4] = HEX[(u >> 4) & 15];  p[5] = HEX[u & 15];
    p[6] = '_';
    return p + 7;
}

static const char DIGITS2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static inline uint8_t *put_i32(uint8_t *p, int32_t v) {
    uint32_t u = (uint32_t)v;
    if (v < 0) { *p++ = '-'; u = 0u - u; }
    if (u < 10) { *p++ = (uint8_t)('0' + u); return p; }
    if (u < 100) { memcpy(p, DIGITS2 + 2 * u, 2); return p + 2; }
    uint8_t tmp[10];
    int n = 10;
    while (u >= 100) { uint32_t r = u % 100; u /= 100; n -= 2; memcpy(tmp + n, DIGITS2 + 2 * r, 2); }
    if (u >= 10) { n -= 2; memcpy(tmp + n, DIGITS2 + 2 * u, 2); }
    else { tmp[--n] = (uint8_t)('0' + u); }
    memcpy(p, tmp + n, 10 - n);
    return p + (10 - n);
}

static inline uint8_t *put_u64be(uint8_t *p, uint64_t v) { v = __builtin_bswap64(v); memcpy(p, &v, 8); return p + 8; }
static inline uint8_t *put_u32be(uint8_t *p, uint32_t v) { v = __builtin_bswap32(v); memcpy(p, &v, 4); return p + 4; }
static inline uint8_t *put_u32le(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); return p + 4; }

/* Worst case output bytes per UTF-32 unit: non-BMP -> 2 * 7 = 14. */
#define MAX_PER_WCHAR 14

static uint8_t *escape_slow(uint8_t *p, const wchar_t *s, size_t i, size_t n, size_t *consumed) {
    uint32_t c = (uint32_t)s[i];
    *consumed = 1;
    if (c < 0x80) {
        switch (c) {
        case '&': return LIT(p, "&amp;");
        case '<': return LIT(p, "&lt;");
        case '>': return LIT(p, "&gt;");
        case '_':
            if (i + 1 < n && (s[i + 1] == L'x' || s[i + 1] == L'X')) return put_x(p, 0x5F);
            *p++ = '_';
            return p;
        default: return put_x(p, c); /* C0 and 0x7F */
        }
    }
    if (c < 0x800) {
        if (c <= 0x9F) return put_x(p, c); /* C1 */
        p[0] = (uint8_t)(0xC0 | (c >> 6)); p[1] = (uint8_t)(0x80 | (c & 0x3F));
        return p + 2;
    }
    if (c < 0x10000) {
        if ((c >= 0xD800 && c <= 0xDFFF) || c >= 0xFFFE) return put_x(p, c);
        p[0] = (uint8_t)(0xE0 | (c >> 12)); p[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        p[2] = (uint8_t)(0x80 | (c & 0x3F));
        return p + 3;
    }
    if (c <= 0x10FFFF) {
        c -= 0x10000;
        p = put_x(p, 0xD800 | (c >> 10));
        return put_x(p, 0xDC00 | (c & 0x3FF));
    }
    return LIT(p, "\xEF\xBF\xBD");
}

/* Escape s[0..n) into p. */
static inline uint8_t *escape_w(uint8_t *p, const wchar_t *s, size_t n) {
    size_t i = 0;
#if defined(__AVX2__)
    const __m256i lo = _mm256_set1_epi32(0x1F), hi = _mm256_set1_epi32(0x7F);
    const __m256i amp = _mm256_set1_epi32('&'), lt = _mm256_set1_epi32('<');
    const __m256i gt = _mm256_set1_epi32('>'), us = _mm256_set1_epi32('_');
    /* pick byte 0 of each 32-bit lane */
    const __m256i shuf = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    while (i + 8 <= n) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i ok = _mm256_and_si256(_mm256_cmpgt_epi32(v, lo), _mm256_cmpgt_epi32(hi, v));
        __m256i bad = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi32(v, amp), _mm256_cmpeq_epi32(v, lt)),
                                      _mm256_or_si256(_mm256_cmpeq_epi32(v, gt), _mm256_cmpeq_epi32(v, us)));
        ok = _mm256_andnot_si256(bad, ok);
        if (LIKELY(_mm256_movemask_epi8(ok) == -1)) {
            __m256i b = _mm256_shuffle_epi8(v, shuf);
            uint32_t w0 = (uint32_t)_mm256_extract_epi32(b, 0), w1 = (uint32_t)_mm256_extract_epi32(b, 4);
            memcpy(p, &w0, 4); memcpy(p + 4, &w1, 4);
            p += 8; i += 8;
            continue;
        }
        /* fall through to scalar for this block */
        size_t end = i + 8;
        while (i < end) {
            uint32_t c = (uint32_t)s[i];
            if (LIKELY(c < 0x80 && PLAIN[c])) { *p++ = (uint8_t)c; i++; }
            else { size_t k; p = escape_slow(p, s, i, n, &k); i += k; }
        }
    }
#endif
    while (i < n) {
        uint32_t c = (uint32_t)s[i];
        if (LIKELY(c < 0x80 && PLAIN[c])) { *p++ = (uint8_t)c; i++; }
        else { size_t k; p = escape_slow(p, s, i, n, &k); i += k; }
    }
    return p;
}

typedef struct { uint8_t *buf; size_t cap; uint8_t *scratch; size_t scap; } outbuf;

static void ensure(uint8_t **b, size_t *cap, size_t need) {
    if (need <= *cap) return;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need) nc *= 2;
    *b = realloc(*b, nc);
    if (!*b) { perror("realloc"); exit(2); }
    *cap = nc;
}

#define FRAG_HDR 21
#define MSG_HDR 40

/* Writes the CLIXML + message header starting at m. Returns end pointer. */
static inline uint8_t *write_message(uint8_t *m, const uint8_t rpid[16], const uint8_t pid[16],
                                     const wchar_t *act, size_t na, int32_t act_id,
                                     const wchar_t *status, size_t ns, const wchar_t *curop, size_t nc,
                                     int32_t parent, int32_t pct, int completed, int32_t secs) {
    uint8_t *p = m;
    p = put_u32le(p, 1);          /* Destination: client */
    p = put_u32le(p, 0x00041010); /* PROGRESS_RECORD */
    memcpy(p, rpid, 16); p += 16;
    memcpy(p, pid, 16); p += 16;
    p = LIT(p, "\xEF\xBB\xBF<Obj RefId=\"0\"><MS><S N=\"Activity\">");
    if (na == 0) *p++ = ' ';
    else p = escape_w(p, act, na);
    p = LIT(p, "</S><I32 N=\"ActivityId\">");
    p = put_i32(p, act_id);
    p = LIT(p, "</I32><S N=\"StatusDescription\">");
    p = escape_w(p, status, ns);
    if (curop) {
        p = LIT(p, "</S><S N=\"CurrentOperation\">");
        p = escape_w(p, curop, nc);
        p = LIT(p, "</S><I32 N=\"ParentActivityId\">");
    } else {
        p = LIT(p, "</S><Nil N=\"CurrentOperation\" /><I32 N=\"ParentActivityId\">");
    }
    p = put_i32(p, parent);
    p = LIT(p, "</I32><I32 N=\"PercentComplete\">");
    p = put_i32(p, pct);
    p = LIT(p, "</I32><Obj N=\"Type\" RefId=\"1\"><TN RefId=\"0\"><T>System.Management.Automation.ProgressRecordType</T>"
               "<T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>");
    if (completed) p = LIT(p, "Completed</ToString><I32>1");
    else p = LIT(p, "Processing</ToString><I32>0");
    p = LIT(p, "</I32></Obj><I32 N=\"SecondsRemaining\">");
    p = put_i32(p, secs);
    p = LIT(p, "</I32></MS></Obj>");
    return p;
}

#define TEMPLATE_MAX 640 /* fixed bytes incl. headers, generously rounded up */

/* Builds fragments for one progress record into o->buf; returns total length. */
__attribute__((noinline)) static size_t build_progress(outbuf *o, uint64_t object_id, uint32_t max_blob,
                                                       const uint8_t rpid[16], const uint8_t pid[16],
                                                       const wchar_t *act, int32_t act_id, const wchar_t *status,
                                                       const wchar_t *curop, int32_t parent, int32_t pct,
                                                       int completed, int32_t secs) {
    size_t na = act ? wcslen(act) : 0, ns = status ? wcslen(status) : 0, nc = curop ? wcslen(curop) : 0;
    if (!status) status = L"";
    size_t worst = TEMPLATE_MAX + MAX_PER_WCHAR * (na + ns + nc);
    ensure(&o->buf, &o->cap, worst);
    uint8_t *m = o->buf + FRAG_HDR;
    uint8_t *end = write_message(m, rpid, pid, act, na, act_id, status, ns, curop, nc, parent, pct, completed, secs);
    size_t mlen = (size_t)(end - m);
    if (LIKELY(mlen <= max_blob)) {
        uint8_t *h = o->buf;
        h = put_u64be(h, object_id);
        h = put_u64be(h, 0);
        *h++ = 3;
        put_u32be(h, (uint32_t)mlen);
        return FRAG_HDR + mlen;
    }
    /* Rare: split into several fragments. Copy the message aside, then re-emit. */
    ensure(&o->scratch, &o->scap, mlen);
    memcpy(o->scratch, m, mlen);
    size_t nfrag = (mlen + max_blob - 1) / max_blob;
    ensure(&o->buf, &o->cap, mlen + nfrag * FRAG_HDR);
    uint8_t *p = o->buf;
    for (size_t f = 0, off = 0; f < nfrag; f++, off += max_blob) {
        size_t len = mlen - off < max_blob ? mlen - off : max_blob;
        p = put_u64be(p, object_id);
        p = put_u64be(p, f);
        *p++ = (uint8_t)((f == 0 ? 1 : 0) | (f == nfrag - 1 ? 2 : 0));
        p = put_u32be(p, (uint32_t)len);
        memcpy(p, o->scratch + off, len);
        p += len;
    }
    return (size_t)(p - o->buf);
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* RPID/PID in wire (.NET little-endian GUID) byte order, matching bench_peers.py's UUIDs' bytes_le. */
static const uint8_t RPID[16] = {0x62, 0x6c, 0x4f, 0x6f, 0x3c, 0x6b, 0x7e, 0x4a,
                                 0x9c, 0x1d, 0x12, 0x34, 0x56, 0x78, 0x90, 0xab};
static const uint8_t PID[16] = {0x3d, 0x2c, 0x1b, 0x0a, 0x5f, 0x4e, 0x6b, 0x4a,
                                0x8c, 0x7d, 0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x4d};

static int dump(const char *path) {
    static wchar_t big[70001];
    for (int i = 0; i < 70000; i++) big[i] = (i % 100 == 99) ? L'_' : L'A' + (i % 26);
    big[70000] = 0;
    static const wchar_t lone[] = {L'l', L'o', L'n', L'e', 0xD800, L' ', 0xDC00, L' ', 0xDB00, 0};
    static const wchar_t nonchars[] = {L'n', L'c', 0xFFFE, L' ', 0xFFFF, L' ', 0xFFFD, 0};
    struct { const wchar_t *a; int32_t id; const wchar_t *s; const wchar_t *c; int32_t par, pct; int comp; int32_t secs; } E[] = {
        {L"Copying files", 4, L"35 of 50 items copied", L"copying sample.txt", -1, 20, 0, 30},
        {L"a<b & c>d \"dq\" 'sq'", 5, L"<&>\"'", L"]]> <![CDATA[ x", 4, 50, 0, 10},
        {L"ctl\x01\x07\x08" L"end", 6, L"tab\there\nnl\rcr\x1f", L"del\x7f c1\x80\x85\x9f nbsp\xa0", -1, 0, 0, -1},
        {L"_x0041_", 7, L"_X0041_ and x_y and _xyz and trailing_", L"__x__ _x005F_", -1, 1, 0, 1},
        {L"emoji \U0001F600 and \U0001D11E", 8, L"caf\xe9 \x4e2d\x6587 \x2028 \xfffd", L"\U0001F600", -1, 99, 0, 2147483647},
        {L"Act", 9, L"st", L"", -1, -1, 0, -1},
        {L"Act", 10, L"done", NULL, -1, 100, 1, 0},
        {L"bounds", 2147483647, L"min", L"x", (int32_t)0x80000000, (int32_t)0x80000000, 1, (int32_t)0x80000000},
        {big, 11, L"big", L"multi-fragment", -1, 5, 0, 5},
        {lone, 12, nonchars, L"", -1, 6, 0, 6},
        {L"", 13, L"empty activity becomes a space", L"", -1, 7, 0, 7},
    };
    outbuf o = {0};
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return 2; }
    for (size_t k = 0; k < sizeof(E) / sizeof(E[0]); k++) {
        size_t len = build_progress(&o, 100 + k, 32768, RPID, PID, E[k].a, E[k].id, E[k].s, E[k].c, E[k].par,
                                    E[k].pct, E[k].comp, E[k].secs);
        fwrite(o.buf, 1, len, f);
    }
    fclose(f);
    fprintf(stderr, "wrote %zu progress messages to %s\n", sizeof(E) / sizeof(E[0]), path);
    return 0;
}

int main(int argc, char **argv) {
    init_tables();
    if (argc >= 3 && strcmp(argv[1], "--dump") == 0) return dump(argv[2]);
    long iters = argc > 1 ? atol(argv[1]) : 5000000;
    int reps = argc > 2 ? atoi(argv[2]) : 9;

    /* Pass inputs through volatile pointers so nothing is constant-folded. */
    const wchar_t *volatile v_act = L"Copying files";
    const wchar_t *volatile v_status = L"35 of 50 items copied";
    const wchar_t *volatile v_curop = L"copying sample.txt";
    volatile int32_t v_pct = 20, v_secs = 30, v_id = 4;

    outbuf o = {0};
    size_t len = 0;
    uint64_t sink = 0;
    for (long i = 0; i < 100000; i++) /* warm-up */
        sink += build_progress(&o, (uint64_t)i, 32768, RPID, PID, v_act, v_id, v_status, v_curop, -1, v_pct, 0, v_secs);

    double *t = calloc((size_t)reps, sizeof(double));
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            len = build_progress(&o, (uint64_t)i + 1, 32768, RPID, PID, v_act, v_id, v_status, v_curop, -1, v_pct, 0,
                                 v_secs);
            sink += o.buf[len - 1] + len;
        }
        t[r] = (now_ns() - t0) / (double)iters;
    }
    qsort(t, (size_t)reps, sizeof(double), cmpd);
    printf("# bench_c_limit: %s, iters=%ld reps=%d\n",
#if defined(__AVX2__)
           "AVX2 ASCII fast path",
#else
           "scalar",
#endif
           iters, reps);
    printf("build_progress (fragment+message+CLIXML, UTF-32->UTF-8, escaping): median %.1f ns/record, min %.1f, max %.1f; %zu bytes\n",
           t[reps / 2], t[0], t[reps - 1], len);

    /* memcpy of the finished record size alone */
    static uint8_t dst[4096];
    volatile size_t vlen = len;
    long miters = iters * 4;
    for (int r = 0; r < reps; r++) {
        size_t l = vlen;
        double t0 = now_ns();
        for (long i = 0; i < miters; i++) {
            memcpy(dst, o.buf, l);
            __asm__ __volatile__("" : : "r"(dst), "r"(o.buf) : "memory");
        }
        t[r] = (now_ns() - t0) / (double)miters;
    }
    qsort(t, (size_t)reps, sizeof(double), cmpd);
    printf("memcpy(%zu bytes) alone: median %.2f ns, min %.2f\n", (size_t)vlen, t[reps / 2], t[0]);
    fprintf(stderr, "(sink %llu)\n", (unsigned long long)sink);
    free(t);
    return 0;
}
