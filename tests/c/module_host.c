/* A module host in C, for the memory tools (tests/module_memory.rs runs it
 * plain, under AddressSanitizer + UBSan with leak detection, and under
 * valgrind's memcheck): every ownership path of mi-psrp's MI_Instance, called
 * directly through `inst->ft`, and every operation of the test modules, with
 * everything freed at the end -- so that a double free, a use after free, an
 * overflow or a single leaked byte anywhere in them shows.
 *
 *   module_host <xyz built with MI_CHAR_TYPE=1> <xyz built with 2> <dyn>
 *
 * Uses only mi_psrp.h and mi.h. The host is compiled with one MI_CHAR_TYPE
 * but talks to modules of both: every string it hands over is made for the
 * instance's or context's own character size (`mk`, `N`), and cast.
 *
 * Covered, for each character size (the two xyz modules loaded at once):
 * SetElement with a copy, MI_FLAG_BORROW and MI_FLAG_ADOPT (malloc'd strings,
 * string arrays of malloc'd strings, scalar and datetime arrays, heap
 * instances and instance arrays), each element overwritten in every order of
 * those, cleared, nulled, cloned deep at every step; the same on an instance
 * ConstructInstance'd into a stack buffer (then Destruct) and on method
 * parameters (NewParameters, ConstructParameters); values refused with the
 * caller's memory left to the caller; a byte copy of an instance refused by
 * every slot with the original intact; indexes out of range; cycles (made by
 * writing a field directly, and by borrowing an instance into itself) refused
 * by Clone and PostInstance; a dynamic instance grown to 200 elements with
 * the names and values handed out before staying where they were. Then every
 * operation of the xyz modules (XYZ_Widget, XYZ_Bad, XYZ_Broken) and of the
 * dyn module, and the modules unloaded.
 *
 *   module_host adopt-failures
 *
 * runs only the calls with MI_FLAG_ADOPT that fail (each in a child
 * process): the caller must keep its memory.
 *
 *   module_host copy-after-delete
 *
 * uses a byte copy of an instance after the original was deleted: refused,
 * without reading freed memory (run it under valgrind).
 *
 * Prints one "FAIL" line per failed check and then "N passed, M failed";
 * exits 1 when a check failed. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>
#include "mi_psrp.h"
#include "check.h"

#define RPID "6397709e-f7d6-c54d-9568-fd4656ae4820"
#define NS "root/xyz"
#define WAIT_MS 30000u

/* ---- the pool and its sink */

static atomic_size_t fragments;
static mipsrp_pool *pool;

static void sink(void *user_data, const uint8_t *fragment, size_t length)
{
    (void)user_data;
    (void)fragment;
    if (length > 21)
        atomic_fetch_add(&fragments, 1);
}

static MI_Context *context(unsigned cs)
{
    static unsigned n;
    char pid[40];
    MI_Context *c = NULL;
    snprintf(pid, sizeof pid, "11111111-2222-3333-4444-%012x", ++n);
    CHECK_RESULT(mipsrp_context_new_ex(pool, pid, -1, -1, cs, &c), MI_RESULT_OK);
    return c;
}

/* ---- strings of either character size */

/* A malloc'd copy of ASCII `s` in `cs`-byte characters. */
static MI_Char *mk(unsigned cs, const char *s)
{
    size_t n = strlen(s), i;
    if (cs == 1) {
        char *p = malloc(n + 1);
        memcpy(p, s, n + 1);
        return (MI_Char *)(void *)p;
    } else {
        wchar_t *w = malloc((n + 1) * sizeof *w);
        for (i = 0; i <= n; i++)
            w[i] = (wchar_t)(unsigned char)s[i];
        return (MI_Char *)w;
    }
}

static MI_Char *mkf(unsigned cs, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return mk(cs, buf);
}

/* `s` in `cs`-byte characters, in one of 16 static buffers (names). */
static const MI_Char *N(unsigned cs, const char *s)
{
    static wchar_t ring[16][128];
    static unsigned next;
    wchar_t *w = ring[next++ % 16];
    size_t i, n = strlen(s);
    if (n > 127)
        n = 127;
    if (cs == 1) {
        char *c = (char *)w;
        memcpy(c, s, n);
        c[n] = 0;
    } else {
        for (i = 0; i < n; i++)
            w[i] = (wchar_t)(unsigned char)s[i];
        w[n] = 0;
    }
    return (const MI_Char *)w;
}

/* Whether `p` is the string `s`. */
static int eq(unsigned cs, const MI_Char *p, const char *s)
{
    size_t i, n = strlen(s);
    if (!p)
        return 0;
    if (cs == 1)
        return strcmp((const char *)p, s) == 0;
    for (i = 0; i < n; i++)
        if (((const wchar_t *)p)[i] != (wchar_t)(unsigned char)s[i])
            return 0;
    return ((const wchar_t *)p)[n] == 0;
}

static int eqf(unsigned cs, const MI_Char *p, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return eq(cs, p, buf);
}

/* ---- memory kept for borrowed values until the instance is gone */

#define KEEP_MAX 4096
static void *kept[KEEP_MAX];
static size_t nkept;
static MI_Instance *kept_inst[KEEP_MAX];
static size_t nkept_inst;

static void keep(void *p)
{
    if (nkept < KEEP_MAX)
        kept[nkept++] = p;
    else
        free(p);
}

static void keep_inst(MI_Instance *i)
{
    if (nkept_inst < KEEP_MAX)
        kept_inst[nkept_inst++] = i;
    else
        i->ft->Delete(i);
}

static void release_kept(void)
{
    while (nkept)
        free(kept[--nkept]);
    while (nkept_inst) {
        MI_Instance *i = kept_inst[--nkept_inst];
        CHECK_RESULT(i->ft->Delete(i), MI_RESULT_OK);
    }
}

/* ---- modules */

typedef struct {
    const char *label;
    mipsrp_module *m;
    unsigned cs;
    MI_Context *ctx; /* a context no module runs: for New*, Construct*, Post */
} Mod;

static MI_Instance *new_inst(const Mod *x, const char *cls)
{
    MI_Instance *i = NULL;
    CHECK_RESULT(mipsrp_module_new_instance(x->m, cls, &i), MI_RESULT_OK);
    return i;
}

static MI_Instance *new_params(const Mod *x, const char *cls, const char *method)
{
    MI_Instance *i = NULL;
    CHECK_RESULT(mipsrp_module_new_parameters(x->m, cls, method, &i), MI_RESULT_OK);
    return i;
}

static MI_Result set(MI_Instance *i, unsigned cs, const char *name, const MI_Value *v,
                     MI_Type t, MI_Uint32 flags)
{
    return i->ft->SetElement(i, N(cs, name), v, t, flags);
}

static MI_Result set_str(MI_Instance *i, unsigned cs, const char *name, const char *s)
{
    MI_Value v;
    MI_Result r;
    memset(&v, 0, sizeof v);
    v.string = mk(cs, s);
    r = set(i, cs, name, &v, MI_STRING, 0);
    free(v.string);
    return r;
}

static MI_Result set_u32(MI_Instance *i, unsigned cs, const char *name, MI_Uint32 u)
{
    MI_Value v;
    memset(&v, 0, sizeof v);
    v.uint32 = u;
    return set(i, cs, name, &v, MI_UINT32, 0);
}

static MI_Result set_u64(MI_Instance *i, unsigned cs, const char *name, MI_Uint64 u)
{
    MI_Value v;
    memset(&v, 0, sizeof v);
    v.uint64 = u;
    return set(i, cs, name, &v, MI_UINT64, 0);
}

/* The string element `name` of `i` (NULL when null or missing). */
static const MI_Char *get_str(const MI_Instance *i, unsigned cs, const char *name)
{
    MI_Value v;
    MI_Type t = 0;
    MI_Uint32 f = 0;
    if (i->ft->GetElement(i, N(cs, name), &v, &t, &f, NULL) != MI_RESULT_OK || t != MI_STRING ||
        (f & MI_FLAG_NULL))
        return NULL;
    return v.string;
}

/* A heap instance of `cls` whose Name is `name`. */
static MI_Instance *named(const Mod *x, const char *cls, const char *name)
{
    MI_Instance *i = new_inst(x, cls);
    if (i)
        CHECK_RESULT(set_str(i, x->cs, "Name", name), MI_RESULT_OK);
    return i;
}

static const MI_PropertyDecl *prop_decl(const MI_Instance *i, unsigned cs, const char *name)
{
    MI_Uint32 k;
    for (k = 0; k < i->classDecl->numProperties; k++)
        if (eq(cs, i->classDecl->properties[k]->name, name))
            return i->classDecl->properties[k];
    return NULL;
}

/* ---- values made for one set, in each ownership mode */

enum { COPY, BORROW, ADOPT, CLEAR, NULLED };
static const char *const MODE[] = { "copy", "borrow", "adopt", "clear", "null" };

typedef struct {
    const char *name;
    MI_Type type;
    const char *cls;     /* instances: the declared class */
    const char *derived; /* instances: a class derived from it (odd rounds) */
} Prop;

typedef struct {
    MI_Value v;
    void *blocks[16];
    size_t nblocks;
    MI_Instance *insts[8];
    size_t ninsts;
} Made;

static void *track(Made *m, void *p)
{
    m->blocks[m->nblocks++] = p;
    return p;
}

static MI_Datetime stamp(int round, unsigned k)
{
    MI_Datetime d;
    memset(&d, 0, sizeof d);
    if ((round + (int)k) % 2) {
        d.isTimestamp = 1;
        d.u.timestamp.year = 2000 + (MI_Uint32)round;
        d.u.timestamp.month = 1 + k;
        d.u.timestamp.day = 2 + k;
        d.u.timestamp.microseconds = 1000u * (MI_Uint32)round + k;
        d.u.timestamp.utc = -480 + (MI_Sint32)k;
    } else {
        d.u.interval.days = (MI_Uint32)round;
        d.u.interval.hours = k;
        d.u.interval.microseconds = 999999u - k;
    }
    return d;
}

static unsigned array_len(int round)
{
    return (unsigned)(round % 4); /* 0 .. 3: the empty array too */
}

static MI_Instance *part(const Mod *x, const Prop *p, int round, unsigned k)
{
    const char *cls = (round + (int)k) % 2 ? p->derived : p->cls;
    char name[64];
    snprintf(name, sizeof name, "%s-%d-%u", p->name, round, k);
    return named(x, cls, name);
}

static void make_value(Made *m, const Mod *x, const Prop *p, int round)
{
    unsigned cs = x->cs, n = array_len(round), k;
    memset(m, 0, sizeof *m);
    switch (p->type) {
    case MI_STRING:
        m->v.string = track(m, mkf(cs, "%s-%d", p->name, round));
        break;
    case MI_STRINGA: {
        MI_Char **d = n ? track(m, malloc(n * sizeof *d)) : NULL;
        for (k = 0; k < n; k++)
            d[k] = k == 1 ? NULL : track(m, mkf(cs, "%s-%d-%u", p->name, round, k));
        m->v.stringa.data = d;
        m->v.stringa.size = n;
        break;
    }
    case MI_UINT32A: {
        /* The empty array: data NULL on round 0, a real block otherwise. */
        MI_Uint32 *d = round ? track(m, malloc((n + 1) * sizeof *d)) : NULL;
        for (k = 0; k < n; k++)
            d[k] = 1000u * (MI_Uint32)round + k;
        m->v.uint32a.data = d;
        m->v.uint32a.size = n;
        break;
    }
    case MI_DATETIME:
        m->v.datetime = stamp(round, 7);
        break;
    case MI_DATETIMEA: {
        MI_Datetime *d = n ? track(m, malloc(n * sizeof *d)) : NULL;
        for (k = 0; k < n; k++)
            d[k] = stamp(round, k);
        m->v.datetimea.data = d;
        m->v.datetimea.size = n;
        break;
    }
    case MI_INSTANCE:
    case MI_REFERENCE:
        m->v.instance = m->insts[m->ninsts++] = part(x, p, round, 0);
        break;
    case MI_INSTANCEA:
    case MI_REFERENCEA: {
        MI_Instance **d = n ? track(m, malloc(n * sizeof *d)) : NULL;
        for (k = 0; k < n; k++)
            d[k] = k == 1 ? NULL : (m->insts[m->ninsts++] = part(x, p, round, k));
        m->v.instancea.data = d;
        m->v.instancea.size = n;
        break;
    }
    default:
        break;
    }
}

/* What happens to the made memory once the set returned: a copy's sources
 * are freed at once (so that a shallow copy shows as a use after free), a
 * borrowed value's are kept until the instance is gone, an adopted value's
 * belong to the instance -- unless the set failed, when the caller still
 * owns them (MI's rule) and frees them. */
static void dispose(Made *m, int mode, MI_Result r)
{
    size_t k;
    if (mode == ADOPT && r == MI_RESULT_OK)
        return;
    for (k = 0; k < m->nblocks; k++) {
        if (mode == BORROW && r == MI_RESULT_OK)
            keep(m->blocks[k]);
        else
            free(m->blocks[k]);
    }
    for (k = 0; k < m->ninsts; k++) {
        if (mode == BORROW && r == MI_RESULT_OK)
            keep_inst(m->insts[k]);
        else
            CHECK_RESULT(m->insts[k]->ft->Delete(m->insts[k]), MI_RESULT_OK);
    }
}

/* Checks element `p` of `i` holds round `round`'s value; `src` is where the
 * set value's memory was (0: not checked), which the element must point at
 * (borrow, adopt) or not (copy). */
static void check_value(const MI_Instance *i, const Mod *x, const Prop *p, int round, int mode,
                        uintptr_t src)
{
    unsigned cs = x->cs, n = array_len(round), k;
    MI_Value v;
    MI_Type t = 99;
    MI_Uint32 f = 0, idx = 9999;
    uintptr_t got = 0;
    const char *where = MODE[mode];

    memset(&v, 0, sizeof v);
    CHECK_RESULT(i->ft->GetElement(i, N(cs, p->name), &v, &t, &f, &idx), MI_RESULT_OK);
    CHECK(t == p->type, "%s %s round %d (%s): type %u", x->label, p->name, round, where, t);
    if (mode == CLEAR || mode == NULLED) {
        CHECK(f & MI_FLAG_NULL, "%s %s round %d (%s): not null", x->label, p->name, round, where);
        return;
    }
    CHECK(!(f & MI_FLAG_NULL), "%s %s round %d (%s): null", x->label, p->name, round, where);
    switch (p->type) {
    case MI_STRING:
        CHECK(eqf(cs, v.string, "%s-%d", p->name, round), "%s %s round %d (%s): text", x->label,
              p->name, round, where);
        got = (uintptr_t)v.string;
        break;
    case MI_STRINGA:
        CHECK(v.stringa.size == n, "%s %s round %d: size %u", x->label, p->name, round,
              v.stringa.size);
        for (k = 0; k < n && k < v.stringa.size; k++) {
            if (k == 1)
                CHECK(v.stringa.data[k] == NULL, "%s %s[1] round %d: not NULL", x->label, p->name,
                      round);
            else
                CHECK(eqf(cs, v.stringa.data[k], "%s-%d-%u", p->name, round, k),
                      "%s %s[%u] round %d (%s): text", x->label, p->name, k, round, where);
        }
        got = n ? (uintptr_t)v.stringa.data : 0;
        break;
    case MI_UINT32A:
        CHECK(v.uint32a.size == n, "%s %s round %d: size %u", x->label, p->name, round,
              v.uint32a.size);
        for (k = 0; k < n && k < v.uint32a.size; k++)
            CHECK(v.uint32a.data[k] == 1000u * (MI_Uint32)round + k, "%s %s[%u] round %d: %u",
                  x->label, p->name, k, round, v.uint32a.data[k]);
        got = n ? (uintptr_t)v.uint32a.data : 0;
        break;
    case MI_DATETIME: {
        MI_Datetime d = stamp(round, 7);
        CHECK(memcmp(&v.datetime, &d, sizeof d) == 0, "%s %s round %d: datetime", x->label,
              p->name, round);
        break;
    }
    case MI_DATETIMEA:
        CHECK(v.datetimea.size == n, "%s %s round %d: size %u", x->label, p->name, round,
              v.datetimea.size);
        for (k = 0; k < n && k < v.datetimea.size; k++) {
            MI_Datetime d = stamp(round, k);
            CHECK(memcmp(&v.datetimea.data[k], &d, sizeof d) == 0,
                  "%s %s[%u] round %d (%s): datetime", x->label, p->name, k, round, where);
        }
        got = n ? (uintptr_t)v.datetimea.data : 0;
        break;
    case MI_INSTANCE:
    case MI_REFERENCE: {
        const MI_Char *cn = NULL;
        CHECK(v.instance != NULL, "%s %s round %d: NULL instance", x->label, p->name, round);
        if (!v.instance)
            break;
        CHECK(eqf(cs, get_str(v.instance, cs, "Name"), "%s-%d-0", p->name, round),
              "%s %s round %d (%s): embedded Name", x->label, p->name, round, where);
        CHECK_RESULT(v.instance->ft->GetClassName(v.instance, &cn), MI_RESULT_OK);
        CHECK(eq(cs, cn, round % 2 ? p->derived : p->cls), "%s %s round %d: class", x->label,
              p->name, round);
        got = (uintptr_t)v.instance;
        break;
    }
    case MI_INSTANCEA:
    case MI_REFERENCEA:
        CHECK(v.instancea.size == n, "%s %s round %d: size %u", x->label, p->name, round,
              v.instancea.size);
        for (k = 0; k < n && k < v.instancea.size; k++) {
            MI_Instance *e = v.instancea.data[k];
            if (k == 1) {
                CHECK(e == NULL, "%s %s[1] round %d: not NULL", x->label, p->name, round);
                continue;
            }
            CHECK(e && eqf(cs, get_str(e, cs, "Name"), "%s-%d-%u", p->name, round, k),
                  "%s %s[%u] round %d (%s): embedded Name", x->label, p->name, k, round, where);
        }
        got = n ? (uintptr_t)v.instancea.data : 0;
        break;
    default:
        break;
    }
    if (src) {
        if (mode == COPY)
            CHECK(got != src, "%s %s round %d: a copy points at the caller's memory", x->label,
                  p->name, round);
        else
            CHECK(got == src, "%s %s round %d (%s): not the caller's memory", x->label, p->name,
                  round, where);
    }
}

/* Where a value's memory is, for the identity checks. */
static uintptr_t where_of(const Made *m, MI_Type t)
{
    switch (t) {
    case MI_STRING:
    case MI_INSTANCE:
    case MI_REFERENCE:
        return (uintptr_t)m->v.string;
    case MI_STRINGA:
    case MI_UINT32A:
    case MI_DATETIMEA:
    case MI_INSTANCEA:
    case MI_REFERENCEA:
        return m->v.array.size ? (uintptr_t)m->v.array.data : 0;
    default:
        return 0;
    }
}

/* A clone of `i`, checked to hold `p`'s value of `round` in memory of its own. */
static void check_clone(const MI_Instance *i, const Mod *x, const Prop *p, int round, int mode)
{
    MI_Instance *c = NULL;
    MI_Value a, b;
    MI_Uint32 fa = 0, fb = 0;
    CHECK_RESULT(i->ft->Clone(i, &c), MI_RESULT_OK);
    if (!c)
        return;
    check_value(c, x, p, round, mode, 0);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    i->ft->GetElement(i, N(x->cs, p->name), &a, NULL, &fa, NULL);
    c->ft->GetElement(c, N(x->cs, p->name), &b, NULL, &fb, NULL);
    /* (An empty array's data may be any pointer: nothing is read from it.) */
    if (!(fa & MI_FLAG_NULL) && p->type >= MI_STRING && a.array.data &&
        (p->type < MI_BOOLEANA || a.array.size > 0))
        CHECK(a.array.data != b.array.data, "%s %s round %d: the clone shares memory", x->label,
              p->name, round);
    CHECK_RESULT(c->ft->Delete(c), MI_RESULT_OK);
}

/* Every order of copy, borrow, adopt, clear and null on each element of
 * `props`, the value checked (and cloned) after each; ends adopted, so that
 * the instance's Delete or Destruct has the most to free. */
static void exercise(MI_Instance *i, const Mod *x, const Prop *props, size_t nprops)
{
    static const int modes[] = { COPY,   COPY, BORROW, ADOPT, ADOPT, CLEAR, ADOPT, COPY,
                                 BORROW, BORROW, ADOPT, NULLED, BORROW, COPY, ADOPT, COPY,
                                 NULLED, ADOPT, COPY, ADOPT };
    size_t k;
    int r;
    for (k = 0; k < nprops; k++) {
        const Prop *p = &props[k];
        for (r = 0; r < (int)(sizeof modes / sizeof modes[0]); r++) {
            int mode = modes[r];
            Made m;
            MI_Result res;
            uintptr_t src;
            if (mode == CLEAR) {
                CHECK_RESULT(i->ft->ClearElement(i, N(x->cs, p->name)), MI_RESULT_OK);
                check_value(i, x, p, r, mode, 0);
                continue;
            }
            make_value(&m, x, p, r);
            src = where_of(&m, p->type);
            if (mode == NULLED) {
                /* MI_FLAG_NULL with a value (ignored), then a NULL value. */
                res = set(i, x->cs, p->name, &m.v, p->type, MI_FLAG_NULL);
                CHECK(res == MI_RESULT_OK, "%s %s: MI_FLAG_NULL set %u", x->label, p->name, res);
                dispose(&m, COPY, res);
                check_value(i, x, p, r, mode, 0);
                CHECK_RESULT(set(i, x->cs, p->name, NULL, p->type, 0), MI_RESULT_OK);
                check_value(i, x, p, r, mode, 0);
                continue;
            }
            res = set(i, x->cs, p->name, &m.v, p->type,
                      mode == BORROW ? MI_FLAG_BORROW : mode == ADOPT ? MI_FLAG_ADOPT : 0);
            CHECK(res == MI_RESULT_OK, "%s %s round %d (%s): SetElement %u", x->label, p->name, r,
                  MODE[mode], res);
            dispose(&m, mode, res);
            check_value(i, x, p, r, mode, src);
            check_clone(i, x, p, r, mode);
        }
    }
}

static const Prop WIDGET_PROPS[] = {
    { "Text", MI_STRING, NULL, NULL },
    { "Caption", MI_STRING, NULL, NULL },
    { "Texts", MI_STRINGA, NULL, NULL },
    { "U32s", MI_UINT32A, NULL, NULL },
    { "Stamp", MI_DATETIME, NULL, NULL },
    { "Stamps", MI_DATETIMEA, NULL, NULL },
    { "Part", MI_INSTANCE, "XYZ_Part", "XYZ_BigPart" },
    { "Parts", MI_INSTANCEA, "XYZ_Part", "XYZ_BigPart" },
    { "Owner", MI_REFERENCE, "XYZ_Base", "XYZ_Widget" },
    { "Owners", MI_REFERENCEA, "XYZ_Base", "XYZ_Widget" },
};
#define NWIDGET (sizeof WIDGET_PROPS / sizeof WIDGET_PROPS[0])

static const Prop RESIZE_PROPS[] = {
    { "Note", MI_STRING, NULL, NULL },
    { "Part", MI_INSTANCE, "XYZ_Part", "XYZ_BigPart" },
    { "Codes", MI_UINT32A, NULL, NULL },
};
#define NRESIZE (sizeof RESIZE_PROPS / sizeof RESIZE_PROPS[0])

/* Every element of `props` holds the last round's value (adopted or copied),
 * in a whole-instance clone too. */
static void check_all(const MI_Instance *i, const Mod *x, const Prop *props, size_t nprops,
                      int last_round, int last_mode)
{
    MI_Instance *c = NULL;
    size_t k;
    for (k = 0; k < nprops; k++)
        check_value(i, x, &props[k], last_round, last_mode, 0);
    CHECK_RESULT(i->ft->Clone(i, &c), MI_RESULT_OK);
    if (c) {
        for (k = 0; k < nprops; k++)
            check_value(c, x, &props[k], last_round, last_mode, 0);
        CHECK_RESULT(c->ft->Delete(c), MI_RESULT_OK);
    }
}

#define LAST_ROUND 19 /* modes[19]: ADOPT, arrays of 3 */

/* ---- the ownership paths of one character size */

/* Values refused: the caller keeps its memory (freed here; a library that
 * had taken it would show as a double free). */
static void refusals(const Mod *x, const Mod *other)
{
    unsigned cs = x->cs;
    MI_Instance *w = named(x, "XYZ_Widget", "refusals");
    MI_Instance *base = named(x, "XYZ_Base", "b");
    MI_Instance *foreign = named(other, "XYZ_Part", "f");
    MI_Instance *scan = new_params(x, "XYZ_Widget", "Scan");
    MI_Value v;
    MI_Char *s;
    MI_Uint32 count = 0;
    if (!w || !base || !foreign || !scan)
        return;

    /* An instance of another class than the declared one, adopted. */
    memset(&v, 0, sizeof v);
    v.instance = base;
    CHECK_RESULT(set(w, cs, "Part", &v, MI_INSTANCE, MI_FLAG_ADOPT), MI_RESULT_TYPE_MISMATCH);
    CHECK_RESULT(set(w, cs, "Part", &v, MI_INSTANCE, 0), MI_RESULT_TYPE_MISMATCH);
    /* A reference where an instance is declared. */
    CHECK_RESULT(set(w, cs, "Owner", &v, MI_INSTANCE, MI_FLAG_ADOPT), MI_RESULT_TYPE_MISMATCH);
    /* An instance of the other character size. */
    v.instance = foreign;
    CHECK_RESULT(set(w, cs, "Part", &v, MI_INSTANCE, MI_FLAG_ADOPT), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(set(w, cs, "Part", &v, MI_INSTANCE, MI_FLAG_BORROW), MI_RESULT_INVALID_PARAMETER);
    {
        MI_Instance **arr = malloc(2 * sizeof *arr);
        arr[0] = named(x, "XYZ_Part", "fine");
        arr[1] = foreign;
        v.instancea.data = arr;
        v.instancea.size = 2;
        CHECK_RESULT(set(w, cs, "Parts", &v, MI_INSTANCEA, MI_FLAG_ADOPT),
                     MI_RESULT_INVALID_PARAMETER);
        arr[1] = base;
        CHECK_RESULT(set(w, cs, "Parts", &v, MI_INSTANCEA, MI_FLAG_ADOPT),
                     MI_RESULT_TYPE_MISMATCH);
        CHECK_RESULT(arr[0]->ft->Delete(arr[0]), MI_RESULT_OK);
        free(arr);
    }
    /* An array with NULL data and a size. */
    memset(&v, 0, sizeof v);
    v.stringa.size = 2;
    CHECK_RESULT(set(w, cs, "Texts", &v, MI_STRINGA, MI_FLAG_ADOPT), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(set(w, cs, "U32s", &v, MI_UINT32A, 0), MI_RESULT_INVALID_PARAMETER);
    /* The wrong type, a name the class lacks, an index past the end. */
    s = mk(cs, "adopt me not");
    v.string = s;
    CHECK_RESULT(set(w, cs, "U32s", &v, MI_STRING, MI_FLAG_ADOPT), MI_RESULT_TYPE_MISMATCH);
    CHECK_RESULT(set(w, cs, "NoSuchThing", &v, MI_STRING, MI_FLAG_ADOPT),
                 MI_RESULT_NO_SUCH_PROPERTY);
    CHECK_RESULT(w->ft->GetElementCount(w, &count), MI_RESULT_OK);
    CHECK_RESULT(w->ft->SetElementAt(w, count, &v, MI_STRING, MI_FLAG_ADOPT),
                 MI_RESULT_NO_SUCH_PROPERTY);
    /* A streamed parameter has no field. */
    CHECK_RESULT(set(scan, cs, "Found", &v, MI_STRINGA, 0), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(scan->ft->ClearElement(scan, N(cs, "Found")), MI_RESULT_INVALID_PARAMETER);
    free(s);
    /* None of it changed anything. */
    for (MI_Uint32 k = 0; k < count; k++) {
        MI_Uint32 f = 0;
        const MI_Char *nm = NULL;
        CHECK_RESULT(w->ft->GetElementAt(w, k, &nm, NULL, NULL, &f), MI_RESULT_OK);
        if (!eq(cs, nm, "Name"))
            CHECK(f & MI_FLAG_NULL, "%s: element %u set by a refused call", x->label, k);
    }

    CHECK_RESULT(w->ft->Delete(w), MI_RESULT_OK);
    CHECK_RESULT(base->ft->Delete(base), MI_RESULT_OK);
    CHECK_RESULT(foreign->ft->Delete(foreign), MI_RESULT_OK);
    CHECK_RESULT(scan->ft->Delete(scan), MI_RESULT_OK);
}

static void out_of_range(const Mod *x)
{
    MI_Instance *w = named(x, "XYZ_Widget", "range");
    MI_Uint32 count = 0, bad[3], k;
    if (!w)
        return;
    CHECK_RESULT(w->ft->GetElementCount(w, &count), MI_RESULT_OK);
    CHECK(count == 34, "%s: XYZ_Widget has %u elements", x->label, count);
    bad[0] = count;
    bad[1] = count + 100;
    bad[2] = UINT32_MAX;
    for (k = 0; k < 3; k++) {
        const MI_Char *name = (const MI_Char *)(uintptr_t)0x1234;
        MI_Type t = 77;
        MI_Uint32 f = 55;
        MI_Value v;
        memset(&v, 0xAB, sizeof v);
        CHECK_RESULT(w->ft->GetElementAt(w, bad[k], &name, &v, &t, &f),
                     MI_RESULT_NO_SUCH_PROPERTY);
        CHECK(name == (const MI_Char *)(uintptr_t)0x1234 && t == 77 && f == 55 &&
                  v.uint32 == 0xABABABABu,
              "%s: a refused GetElementAt(%u) wrote its out-pointers", x->label, bad[k]);
        CHECK_RESULT(w->ft->ClearElementAt(w, bad[k]), MI_RESULT_NO_SUCH_PROPERTY);
        memset(&v, 0, sizeof v);
        CHECK_RESULT(w->ft->SetElementAt(w, bad[k], &v, MI_UINT32, 0), MI_RESULT_NO_SUCH_PROPERTY);
    }
    /* The last element is fine. */
    CHECK_RESULT(w->ft->GetElementAt(w, count - 1, NULL, NULL, NULL, NULL), MI_RESULT_OK);
    CHECK(eq(x->cs, get_str(w, x->cs, "Name"), "range"), "%s: Name lost", x->label);
    CHECK_RESULT(w->ft->Delete(w), MI_RESULT_OK);
}

/* A byte copy of `orig` (an instance whose Text is `text`) is refused by
 * every slot and the original stays intact. */
static void byte_copy(const Mod *x, MI_Instance *orig, const char *text)
{
    _Alignas(16) unsigned char buf[8192];
    MI_Instance *copy = (MI_Instance *)(void *)buf;
    const MI_InstanceFT *ft = orig->ft;
    MI_Instance *c = (MI_Instance *)(uintptr_t)0x1;
    MI_Value v;
    MI_Uint32 n = 0;
    unsigned cs = x->cs;
    CHECK(orig->classDecl->size <= sizeof buf, "%s: class too large", x->label);
    if (orig->classDecl->size > sizeof buf)
        return;
    memcpy(buf, orig, orig->classDecl->size);
    memset(&v, 0, sizeof v);
    v.string = mk(cs, "through the copy");
    CHECK_RESULT(ft->SetElement(copy, N(cs, "Text"), &v, MI_STRING, 0),
                 MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->SetElement(copy, N(cs, "Text"), &v, MI_STRING, MI_FLAG_ADOPT),
                 MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->SetElementAt(copy, 0, &v, MI_STRING, 0), MI_RESULT_INVALID_PARAMETER);
    free(v.string);
    CHECK_RESULT(ft->GetElement(copy, N(cs, "Text"), &v, NULL, NULL, NULL),
                 MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->GetElementCount(copy, &n), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->ClearElement(copy, N(cs, "Text")), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->Clone(copy, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK(c == (MI_Instance *)(uintptr_t)0x1, "%s: a refused Clone wrote its out-pointer",
          x->label);
    CHECK_RESULT(ft->SetNameSpace(copy, N(cs, "root/elsewhere")), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, copy), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->Delete(copy), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->Destruct(copy), MI_RESULT_INVALID_PARAMETER);
    /* The original: intact, and still its own. */
    CHECK(memcmp(buf, orig, sizeof(MI_Instance)) == 0, "%s: the copy's calls changed the original",
          x->label);
    CHECK(eq(cs, get_str(orig, cs, "Text"), text), "%s: the original's Text changed", x->label);
}

/* The widget's Owner pointing (written directly, exists = 1) at `target`. */
static void write_owner(MI_Instance *w, unsigned cs, MI_Instance *target)
{
    const MI_PropertyDecl *pd = prop_decl(w, cs, "Owner");
    unsigned char *field;
    CHECK(pd != NULL, "no Owner");
    if (!pd)
        return;
    field = (unsigned char *)w + pd->offset;
    memcpy(field, &target, sizeof target);
    field[sizeof(MI_Instance *)] = 1;
}

static void cycles(const Mod *x)
{
    unsigned cs = x->cs;
    MI_Instance *a = named(x, "XYZ_Widget", "a");
    MI_Instance *b = named(x, "XYZ_Widget", "b");
    MI_Instance *c = NULL, *arr[2];
    MI_Value v;
    const MI_PropertyDecl *pd;
    size_t before;
    if (!a || !b)
        return;

    /* a.Owner owns a clone of b; then written directly to point at a. */
    memset(&v, 0, sizeof v);
    v.reference = b;
    CHECK_RESULT(set(a, cs, "Owner", &v, MI_REFERENCE, 0), MI_RESULT_OK);
    write_owner(a, cs, a);
    before = atomic_load(&fragments);
    c = NULL;
    CHECK_RESULT(a->ft->Clone(a, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK(c == NULL, "%s: a refused Clone gave an instance", x->label);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, a), MI_RESULT_INVALID_PARAMETER);
    CHECK(atomic_load(&fragments) == before, "%s: a cyclic instance was sent", x->label);

    /* a.Owner -> b, b.Owner -> a. */
    write_owner(a, cs, b);
    write_owner(b, cs, a);
    CHECK_RESULT(a->ft->Clone(a, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(b->ft->Clone(b, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, b), MI_RESULT_INVALID_PARAMETER);
    CHECK(c == NULL, "%s: a refused Clone gave an instance", x->label);

    /* The embedded Part written to point at its own widget (of another
     * class than XYZ_Part): refused either way, without recursing for ever. */
    write_owner(a, cs, NULL);
    write_owner(b, cs, NULL);
    pd = prop_decl(a, cs, "Part");
    if (pd) {
        unsigned char *field = (unsigned char *)a + pd->offset;
        MI_Result r;
        memcpy(field, &a, sizeof a);
        field[sizeof(MI_Instance *)] = 1;
        r = a->ft->Clone(a, &c);
        CHECK(r == MI_RESULT_INVALID_PARAMETER || r == MI_RESULT_TYPE_MISMATCH,
              "%s: Clone of a widget whose Part is itself: %u", x->label, r);
        r = x->ctx->ft->PostInstance(x->ctx, a);
        CHECK(r == MI_RESULT_INVALID_PARAMETER || r == MI_RESULT_TYPE_MISMATCH,
              "%s: PostInstance of a widget whose Part is itself: %u", x->label, r);
        memset(field, 0, sizeof(MI_Instance *) + 2);
    }

    /* A cycle made through the API: borrowing an instance into itself. */
    v.reference = b;
    CHECK_RESULT(set(b, cs, "Owner", &v, MI_REFERENCE, MI_FLAG_BORROW), MI_RESULT_OK);
    CHECK_RESULT(b->ft->Clone(b, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, b), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(b->ft->ClearElement(b, N(cs, "Owner")), MI_RESULT_OK);
    arr[0] = NULL;
    arr[1] = b;
    v.referencea.data = arr;
    v.referencea.size = 2;
    CHECK_RESULT(set(b, cs, "Owners", &v, MI_REFERENCEA, MI_FLAG_BORROW), MI_RESULT_OK);
    CHECK_RESULT(b->ft->Clone(b, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, b), MI_RESULT_INVALID_PARAMETER);
    /* Copying it into itself is fine: the copy is taken before the set. */
    CHECK_RESULT(b->ft->ClearElement(b, N(cs, "Owners")), MI_RESULT_OK);
    v.reference = b;
    CHECK_RESULT(set(b, cs, "Owner", &v, MI_REFERENCE, 0), MI_RESULT_OK);
    CHECK_RESULT(set(b, cs, "Owner", &v, MI_REFERENCE, 0), MI_RESULT_OK);
    CHECK_RESULT(b->ft->Clone(b, &c), MI_RESULT_OK);
    if (c)
        CHECK_RESULT(c->ft->Delete(c), MI_RESULT_OK);
    before = atomic_load(&fragments);
    CHECK_RESULT(x->ctx->ft->PostInstance(x->ctx, b), MI_RESULT_OK);
    CHECK(atomic_load(&fragments) > before, "%s: nothing sent", x->label);

    /* Deleting frees what each owns (a's clone of b), not what was written. */
    CHECK_RESULT(a->ft->Delete(a), MI_RESULT_OK);
    CHECK_RESULT(b->ft->Delete(b), MI_RESULT_OK);
}

/* A dynamic instance "Mem_Child" whose Name (adopted) is "child <i>". */
static MI_Instance *dyn_child(const Mod *x, unsigned i)
{
    MI_Context *ctx = x->ctx;
    MI_Instance *child = NULL;
    MI_Value s;
    CHECK_RESULT(ctx->ft->NewDynamicInstance(ctx, N(x->cs, "Mem_Child"), MI_FLAG_CLASS, &child),
                 MI_RESULT_OK);
    if (child) {
        memset(&s, 0, sizeof s);
        s.string = mkf(x->cs, "child %u", i);
        CHECK_RESULT(child->ft->AddElement(child, N(x->cs, "Name"), &s, MI_STRING,
                                           MI_FLAG_KEY | MI_FLAG_ADOPT),
                     MI_RESULT_OK);
    }
    return child;
}

/* A dynamic instance grown to 200 elements of every ownership. */
static void dynamic(const Mod *x)
{
    enum { COUNT = 200 };
    unsigned cs = x->cs;
    MI_Context *ctx = x->ctx;
    MI_Instance *d = NULL, *c = NULL;
    const MI_Char *names[COUNT];
    const MI_Char *first_value = NULL;
    const MI_ClassDecl *decl;
    MI_Value v;
    MI_Uint32 n = 0, i, idx = 0;
    size_t before;

    CHECK_RESULT(ctx->ft->NewDynamicInstance(ctx, N(cs, "Mem_Dynamic"), MI_FLAG_CLASS, &d),
                 MI_RESULT_OK);
    if (!d)
        return;
    decl = d->classDecl;
    for (i = 0; i < COUNT; i++) {
        char name[16];
        MI_Type t = MI_UINT32;
        MI_Uint32 flags = 0;
        void *borrowed = NULL;
        MI_Result r;
        snprintf(name, sizeof name, "E%u", i);
        memset(&v, 0, sizeof v);
        switch (i % 8) {
        case 0: /* a copy */
            t = MI_STRING;
            v.string = mkf(cs, "value %u", i);
            break;
        case 1: /* adopted */
            t = MI_STRING;
            v.string = mkf(cs, "value %u", i);
            flags = MI_FLAG_ADOPT;
            break;
        case 2: /* borrowed */
            t = MI_STRING;
            v.string = mkf(cs, "value %u", i);
            flags = MI_FLAG_BORROW;
            borrowed = v.string;
            break;
        case 3:
            v.uint32 = i;
            break;
        case 4: { /* an adopted string array of adopted strings */
            MI_Char **a = malloc(3 * sizeof *a);
            a[0] = mkf(cs, "s%u", i);
            a[1] = NULL;
            a[2] = mkf(cs, "t%u", i);
            t = MI_STRINGA;
            v.stringa.data = a;
            v.stringa.size = 3;
            flags = MI_FLAG_ADOPT;
            break;
        }
        case 5: { /* a copied scalar array */
            static MI_Uint32 nums[] = { 1, 2, 3 };
            t = MI_UINT32A;
            v.uint32a.data = nums;
            v.uint32a.size = 3;
            break;
        }
        case 6: /* an instance, copied */
            t = MI_INSTANCE;
            v.instance = dyn_child(x, i);
            break;
        case 7: { /* an adopted instance array of adopted instances */
            MI_Instance **a = malloc(2 * sizeof *a);
            a[0] = NULL;
            a[1] = dyn_child(x, i);
            t = MI_INSTANCEA;
            v.instancea.data = a;
            v.instancea.size = 2;
            flags = MI_FLAG_ADOPT;
            break;
        }
        }
        if (i % 10 == 9)
            flags |= MI_FLAG_NULL; /* declared, null; the value stays the caller's */
        r = d->ft->AddElement(d, N(cs, name), &v, t, flags);
        CHECK(r == MI_RESULT_OK, "%s: AddElement(%s) %u", x->label, name, r);
        if ((flags & MI_FLAG_NULL) || !(flags & MI_FLAG_ADOPT)) {
            /* Not adopted: the caller's to free (a borrowed one after the instance). */
            if (borrowed && !(flags & MI_FLAG_NULL))
                keep(borrowed);
            else if (t == MI_STRING)
                free(v.string);
            else if (t == MI_STRINGA) {
                free(v.stringa.data[0]);
                free(v.stringa.data[2]);
                free(v.stringa.data);
            } else if (t == MI_INSTANCE && v.instance) {
                CHECK_RESULT(v.instance->ft->Delete(v.instance), MI_RESULT_OK);
            } else if (t == MI_INSTANCEA) {
                CHECK_RESULT(v.instancea.data[1]->ft->Delete(v.instancea.data[1]), MI_RESULT_OK);
                free(v.instancea.data);
            }
        }
        CHECK_RESULT(d->ft->GetElementAt(d, i, &names[i], NULL, NULL, NULL), MI_RESULT_OK);
        if (i == 0) {
            CHECK_RESULT(d->ft->GetElementAt(d, 0, NULL, &v, NULL, NULL), MI_RESULT_OK);
            first_value = v.string;
        }
    }
    /* The array grew many times: what was handed out stayed where it was. */
    CHECK(d->classDecl == decl, "%s: the dynamic class declaration moved", x->label);
    CHECK_RESULT(d->ft->GetElementCount(d, &n), MI_RESULT_OK);
    CHECK(n == COUNT && d->classDecl->numProperties == COUNT, "%s: %u elements", x->label, n);
    for (i = 0; i < COUNT; i++) {
        const MI_Char *nm = NULL;
        MI_Uint32 f = 0;
        CHECK_RESULT(d->ft->GetElementAt(d, i, &nm, &v, NULL, &f), MI_RESULT_OK);
        CHECK(nm == names[i] && d->classDecl->properties[i]->name == names[i],
              "%s: the name of element %u moved", x->label, i);
        CHECK(eqf(cs, nm, "E%u", i), "%s: element %u's name", x->label, i);
        CHECK(!(f & MI_FLAG_NULL) == (i % 10 != 9), "%s: element %u's null flag", x->label, i);
        if (!(f & MI_FLAG_NULL) && i % 8 <= 2)
            CHECK(eqf(cs, v.string, "value %u", i), "%s: element %u's value", x->label, i);
    }
    CHECK_RESULT(d->ft->GetElementAt(d, 0, NULL, &v, NULL, NULL), MI_RESULT_OK);
    CHECK(v.string == first_value, "%s: the first value moved", x->label);
    CHECK_RESULT(d->ft->GetElement(d, N(cs, "e150"), NULL, NULL, NULL, &idx), MI_RESULT_OK);
    CHECK(idx == 150, "%s: e150 at %u", x->label, idx);

    /* A name taken, a class instance: refused (the value stays the caller's). */
    memset(&v, 0, sizeof v);
    v.uint32 = 1;
    CHECK_RESULT(d->ft->AddElement(d, N(cs, "E5"), &v, MI_UINT32, 0), MI_RESULT_ALREADY_EXISTS);
    CHECK_RESULT(d->ft->AddElement(d, N(cs, "E5"), &v, MI_UINT32, MI_FLAG_ADOPT),
                 MI_RESULT_ALREADY_EXISTS);

    /* Overwrite, clear, clone, post. */
    v.string = mk(cs, "replaced");
    CHECK_RESULT(set(d, cs, "E1", &v, MI_STRING, MI_FLAG_ADOPT), MI_RESULT_OK);
    v.string = mk(cs, "replaced again");
    CHECK_RESULT(set(d, cs, "E1", &v, MI_STRING, 0), MI_RESULT_OK);
    free(v.string);
    CHECK_RESULT(d->ft->ClearElement(d, N(cs, "E4")), MI_RESULT_OK);
    CHECK_RESULT(d->ft->ClearElement(d, N(cs, "E7")), MI_RESULT_OK);
    CHECK_RESULT(d->ft->Clone(d, &c), MI_RESULT_OK);
    if (c) {
        CHECK_RESULT(c->ft->GetElementCount(c, &n), MI_RESULT_OK);
        CHECK(n == COUNT, "%s: the clone has %u elements", x->label, n);
        CHECK(eq(cs, get_str(c, cs, "E1"), "replaced again") && get_str(c, cs, "E1") !=
                  get_str(d, cs, "E1"),
              "%s: the clone's E1", x->label);
        CHECK_RESULT(c->ft->Delete(c), MI_RESULT_OK);
    }
    before = atomic_load(&fragments);
    CHECK_RESULT(ctx->ft->PostInstance(ctx, d), MI_RESULT_OK);
    CHECK(atomic_load(&fragments) > before, "%s: the dynamic instance was not sent", x->label);

    /* A cycle in a dynamic instance (no declared class: any instance). */
    memset(&v, 0, sizeof v);
    v.instance = d;
    CHECK_RESULT(d->ft->AddElement(d, N(cs, "Self"), &v, MI_INSTANCE, MI_FLAG_BORROW),
                 MI_RESULT_OK);
    c = NULL;
    CHECK_RESULT(d->ft->Clone(d, &c), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ctx->ft->PostInstance(ctx, d), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(d->ft->Delete(d), MI_RESULT_OK);
}

/* MI_FLAG_ADOPT on a call that fails: the caller keeps its memory (MI's
 * rule, and "a failing call changes nothing"). Each case runs in a child
 * process: a library that frees the memory anyway makes the caller's free a
 * double free, which aborts the child (glibc, ASan, valgrind's exit code). */
enum { TAKEN_NAME, EMPTY_NAME, CLASS_INSTANCE, WRONG_TYPE };
static const char *const ADOPT_CASE[] = {
    "AddElement of a name taken (MI_RESULT_ALREADY_EXISTS)",
    "AddElement with an empty name (MI_RESULT_INVALID_PARAMETER)",
    "AddElement on an instance with a class declaration (MI_RESULT_NOT_SUPPORTED)",
    "SetElement of the wrong type (MI_RESULT_TYPE_MISMATCH)",
};

static int adopt_case(unsigned cs, int which)
{
    static wchar_t cname[16];
    mipsrp_pool *p = NULL;
    MI_Context *c = NULL;
    MI_Instance *d = NULL, *w = NULL;
    MI_ClassDecl decl;
    MI_Value v;
    MI_Result r = MI_RESULT_OK, want = MI_RESULT_OK;
    if (mipsrp_pool_new(RPID, sink, NULL, &p) != MI_RESULT_OK ||
        mipsrp_context_new_ex(p, "11111111-2222-3333-4444-ffffffffffff", -1, -1, cs, &c) !=
            MI_RESULT_OK ||
        c->ft->NewDynamicInstance(c, N(cs, "Mem_Adopt"), MI_FLAG_CLASS, &d) != MI_RESULT_OK)
        return 3;
    memset(&decl, 0, sizeof decl);
    memcpy(cname, N(cs, "Mem_Empty"), sizeof cname);
    decl.name = (const MI_Char *)cname;
    decl.size = sizeof(MI_Instance);
    if (c->ft->NewInstance(c, &decl, &w) != MI_RESULT_OK)
        return 4;
    memset(&v, 0, sizeof v);
    v.uint32 = 1;
    d->ft->AddElement(d, N(cs, "Taken"), &v, MI_UINT32, 0);
    v.string = mk(cs, "mine");
    switch (which) {
    case TAKEN_NAME:
        r = d->ft->AddElement(d, N(cs, "Taken"), &v, MI_STRING, MI_FLAG_ADOPT);
        want = MI_RESULT_ALREADY_EXISTS;
        break;
    case EMPTY_NAME:
        r = d->ft->AddElement(d, N(cs, ""), &v, MI_STRING, MI_FLAG_ADOPT);
        want = MI_RESULT_INVALID_PARAMETER;
        break;
    case CLASS_INSTANCE:
        r = w->ft->AddElement(w, N(cs, "Extra"), &v, MI_STRING, MI_FLAG_ADOPT);
        want = MI_RESULT_NOT_SUPPORTED;
        break;
    case WRONG_TYPE: /* (a control: refused before anything is taken) */
        r = d->ft->SetElement(d, N(cs, "Taken"), &v, MI_STRING, MI_FLAG_ADOPT);
        want = MI_RESULT_TYPE_MISMATCH;
        break;
    }
    /* Still the caller's: freed here (a double free if the library did). */
    free(v.string);
    w->ft->Delete(w);
    d->ft->Delete(d);
    mipsrp_context_free(c);
    mipsrp_pool_free(p);
    return r == want ? 0 : 5;
}

static void adopt_on_failure(unsigned cs)
{
    int which;
    for (which = TAKEN_NAME; which <= WRONG_TYPE; which++) {
        pid_t child;
        int status = 0;
        fflush(stdout);
        fflush(stderr);
        child = fork();
        if (child == 0)
            _exit(adopt_case(cs, which));
        CHECK(child > 0, "fork");
        if (child <= 0)
            return;
        waitpid(child, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "char size %u: %s with MI_FLAG_ADOPT must leave the value's memory to the caller; "
              "the child (which then frees it) %s %d",
              cs, ADOPT_CASE[which], WIFEXITED(status) ? "exited with" : "was killed by signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
}

/* A byte copy of an instance used after the original was deleted (the
 * order a provider that copied a structure by value and destructs both may
 * well use): every slot must refuse it (MI_RESULT_INVALID_PARAMETER) without
 * reading the original's freed memory -- which only a memory tool sees. */
static void copy_after_delete(unsigned cs)
{
    MI_Context *c = context(cs);
    MI_Instance *d = NULL;
    _Alignas(16) unsigned char buf[sizeof(MI_Instance)];
    MI_Instance *copy = (MI_Instance *)(void *)buf;
    const MI_InstanceFT *ft;
    MI_Value v;
    MI_Uint32 n = 0;
    CHECK_RESULT(c->ft->NewDynamicInstance(c, N(cs, "Mem_Copied"), MI_FLAG_CLASS, &d),
                 MI_RESULT_OK);
    if (!d)
        return;
    memset(&v, 0, sizeof v);
    v.uint32 = 7;
    CHECK_RESULT(d->ft->AddElement(d, N(cs, "Number"), &v, MI_UINT32, 0), MI_RESULT_OK);
    ft = d->ft;
    memcpy(buf, d, sizeof buf);
    CHECK_RESULT(ft->Delete(d), MI_RESULT_OK);
    CHECK_RESULT(ft->GetElementCount(copy, &n), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->SetElement(copy, N(cs, "Number"), &v, MI_UINT32, 0),
                 MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->Delete(copy), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->Destruct(copy), MI_RESULT_INVALID_PARAMETER);
    mipsrp_context_free(c);
}

/* ConstructInstance / ConstructParameters into stack buffers, used, then
 * Destruct. */
static void constructed(const Mod *x, const MI_ClassDecl *widget, const MI_ClassDecl *resize)
{
    _Alignas(16) unsigned char buf[8192];
    _Alignas(16) unsigned char pbuf[2048];
    MI_Instance *w = (MI_Instance *)(void *)buf;
    MI_Instance *p = (MI_Instance *)(void *)pbuf;
    MI_Context *ctx = x->ctx;
    const MI_InstanceFT *ft;
    MI_Instance *h = NULL;
    unsigned cs = x->cs;

    CHECK(widget->size <= sizeof buf && resize->size <= sizeof pbuf, "%s: sizes %u %u", x->label,
          widget->size, resize->size);
    if (widget->size > sizeof buf || resize->size > sizeof pbuf)
        return;
    memset(buf, 0xCD, sizeof buf);
    CHECK_RESULT(ctx->ft->ConstructInstance(ctx, widget, w), MI_RESULT_OK);
    CHECK_RESULT(set_str(w, cs, "Name", "on the stack"), MI_RESULT_OK);
    exercise(w, x, WIDGET_PROPS, NWIDGET);
    check_all(w, x, WIDGET_PROPS, NWIDGET, LAST_ROUND, ADOPT);
    byte_copy(x, w, "Text-19");
    /* A stack instance is no heap instance: Delete refuses it. */
    ft = w->ft;
    CHECK_RESULT(ft->Delete(w), MI_RESULT_INVALID_PARAMETER);
    CHECK(eq(cs, get_str(w, cs, "Name"), "on the stack"), "%s: Delete changed it", x->label);
    /* It runs an operation as any instance of the module does. */
    {
        MI_Context *op = context(cs);
        MI_Result r = 99;
        CHECK_RESULT(set_str(w, cs, "Name", "alpha"), MI_RESULT_OK);
        CHECK_RESULT(mipsrp_module_instance_operation(x->m, op, MIPSRP_OPERATION_GET, NS, w, NULL,
                                                      0),
                     MI_RESULT_OK);
        CHECK_RESULT(mipsrp_context_wait(op, WAIT_MS, &r), MI_RESULT_OK);
        CHECK(r == MI_RESULT_OK, "%s: Get with a constructed instance: %u", x->label, r);
        mipsrp_context_free(op);
    }
    /* Adopted into a heap clone, then Destruct: frees what it owns. */
    CHECK_RESULT(w->ft->Clone(w, &h), MI_RESULT_OK);
    CHECK_RESULT(ft->Destruct(w), MI_RESULT_OK);
    CHECK(w->ft == NULL, "%s: a destructed instance keeps its table", x->label);
    CHECK_RESULT(ft->Destruct(w), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(ft->SetElement(w, N(cs, "Name"), NULL, MI_STRING, 0),
                 MI_RESULT_INVALID_PARAMETER);
    if (h) {
        check_all(h, x, WIDGET_PROPS, NWIDGET, LAST_ROUND, ADOPT);
        CHECK_RESULT(h->ft->Delete(h), MI_RESULT_OK);
    }
    release_kept();

    /* A constructed instance never set is destructed too. */
    CHECK_RESULT(ctx->ft->ConstructInstance(ctx, widget, w), MI_RESULT_OK);
    CHECK_RESULT(w->ft->Destruct(w), MI_RESULT_OK);

    /* Method parameters, constructed. */
    CHECK_RESULT(ctx->ft->ConstructParameters(ctx, (const MI_MethodDecl *)(const void *)resize, p),
                 MI_RESULT_OK);
    exercise(p, x, RESIZE_PROPS, NRESIZE);
    check_all(p, x, RESIZE_PROPS, NRESIZE, LAST_ROUND, ADOPT);
    ft = p->ft;
    CHECK_RESULT(ft->Destruct(p), MI_RESULT_OK);
    release_kept();
}

static void ownership(const Mod *x, const Mod *other)
{
    unsigned cs = x->cs;
    MI_Instance *w = named(x, "XYZ_Widget", "heap");
    MI_Instance *params = new_params(x, "XYZ_Widget", "Resize");
    MI_Instance *viactx = NULL;
    const MI_ClassDecl *widget, *resize;
    MI_Context *ctx = x->ctx;
    size_t before;
    if (!w || !params)
        return;
    widget = w->classDecl;
    resize = params->classDecl;

    /* A heap instance from mipsrp_module_new_instance. */
    exercise(w, x, WIDGET_PROPS, NWIDGET);
    check_all(w, x, WIDGET_PROPS, NWIDGET, LAST_ROUND, ADOPT);
    CHECK_RESULT(w->ft->SetNameSpace(w, N(cs, "root/xyz")), MI_RESULT_OK);
    CHECK_RESULT(w->ft->SetServerName(w, N(cs, "host")), MI_RESULT_OK);
    CHECK_RESULT(w->ft->SetServerName(w, N(cs, "other")), MI_RESULT_OK);
    before = atomic_load(&fragments);
    CHECK_RESULT(ctx->ft->PostInstance(ctx, w), MI_RESULT_OK);
    CHECK(atomic_load(&fragments) > before, "%s: the widget was not sent", x->label);
    byte_copy(x, w, "Text-19");
    /* Adopted into another instance whole, and freed with it. */
    {
        MI_Instance *holder = named(x, "XYZ_Widget", "holder");
        MI_Value v;
        memset(&v, 0, sizeof v);
        v.reference = w;
        if (holder) {
            CHECK_RESULT(set(holder, cs, "Owner", &v, MI_REFERENCE, MI_FLAG_ADOPT), MI_RESULT_OK);
            w = NULL;
            CHECK_RESULT(holder->ft->Delete(holder), MI_RESULT_OK);
        }
        if (w)
            CHECK_RESULT(w->ft->Delete(w), MI_RESULT_OK);
    }
    release_kept();

    /* Parameters from mipsrp_module_new_parameters. */
    exercise(params, x, RESIZE_PROPS, NRESIZE);
    check_all(params, x, RESIZE_PROPS, NRESIZE, LAST_ROUND, ADOPT);
    CHECK_RESULT(ctx->ft->PostInstance(ctx, params), MI_RESULT_INVALID_PARAMETER);
    CHECK_RESULT(params->ft->Delete(params), MI_RESULT_OK);
    release_kept();

    /* NewInstance / NewParameters through the context. */
    CHECK_RESULT(ctx->ft->NewInstance(ctx, widget, &viactx), MI_RESULT_OK);
    if (viactx) {
        exercise(viactx, x, WIDGET_PROPS, NWIDGET);
        CHECK_RESULT(viactx->ft->Delete(viactx), MI_RESULT_OK);
        release_kept();
    }
    viactx = NULL;
    CHECK_RESULT(ctx->ft->NewParameters(ctx, (const MI_MethodDecl *)(const void *)resize, &viactx),
                 MI_RESULT_OK);
    if (viactx) {
        exercise(viactx, x, RESIZE_PROPS, NRESIZE);
        CHECK_RESULT(viactx->ft->Delete(viactx), MI_RESULT_OK);
        release_kept();
    }

    constructed(x, widget, resize);
    refusals(x, other);
    out_of_range(x);
    cycles(x);
    dynamic(x);
    release_kept();
}

/* ---- operations */

/* Checks an operation started with `started` and ended with `want`. */
static void ended(const Mod *x, const char *what, MI_Context *c, MI_Result started,
                  MI_Result want_start, MI_Result want)
{
    MI_Result r = 99, w;
    CHECK(started == want_start, "%s %s: started with %u", x->label, what, started);
    w = mipsrp_context_wait(c, WAIT_MS, &r);
    CHECK(w == MI_RESULT_OK && r == want, "%s %s: wait %u, result %u (want %u)", x->label, what,
          w, r, want);
    mipsrp_context_free(c);
}

static void invoke(const Mod *x, const char *cls, const char *method, const MI_Instance *target,
                   const MI_Instance *params, MI_Result want)
{
    MI_Context *c = context(x->cs);
    size_t before = atomic_load(&fragments);
    MI_Result r = mipsrp_module_invoke(x->m, c, NS, cls, method, target, params);
    ended(x, method, c, r, MI_RESULT_OK, want);
    /* (PostAfterEnd ends before its output: nothing at all is sent.) */
    if (strcmp(method, "PostAfterEnd") != 0)
        CHECK(atomic_load(&fragments) > before, "%s %s: nothing sent", x->label, method);
}

static void instance_op(const Mod *x, const char *what, unsigned op, const MI_Instance *i,
                        MI_Result want)
{
    MI_Context *c = context(x->cs);
    MI_Result r = mipsrp_module_instance_operation(x->m, c, op, NS, i, NULL, 0);
    ended(x, what, c, r, MI_RESULT_OK, want);
}

static void xyz_operations(const Mod *x, const Mod *other)
{
    unsigned cs = x->cs;
    static const char *const props[] = { "Name", "Text", "Parts" };
    static const char *const bad[] = { "PostTwice", "PostAfterEnd", "BadIndex",  "WrongType",
                                       "NullName",  "OtherClass",   "LastCodes" };
    MI_Context *c;
    MI_Instance *w, *k, *p;
    MI_Value v;
    size_t i;

    /* Enumerate: all, keys only, a property set. */
    c = context(cs);
    ended(x, "enumerate", c, mipsrp_module_enumerate(x->m, c, NS, "XYZ_Widget", NULL, 0, NULL, 0),
          MI_RESULT_OK, MI_RESULT_OK);
    c = context(cs);
    ended(x, "enumerate keys", c, mipsrp_module_enumerate(x->m, c, NS, "XYZ_Widget", NULL, 1, NULL, 0),
          MI_RESULT_OK, MI_RESULT_OK);
    c = context(cs);
    ended(x, "enumerate props", c,
          mipsrp_module_enumerate(x->m, c, NS, "XYZ_Widget", NULL, 0, props, 3), MI_RESULT_OK,
          MI_RESULT_OK);
    /* A class whose Load fails; a class the module lacks: ended with an error. */
    c = context(cs);
    ended(x, "enumerate XYZ_Broken", c,
          mipsrp_module_enumerate(x->m, c, NS, "XYZ_Broken", NULL, 0, NULL, 0),
          MI_RESULT_ACCESS_DENIED, MI_RESULT_ACCESS_DENIED);
    c = context(cs);
    ended(x, "enumerate XYZ_Nothing", c,
          mipsrp_module_enumerate(x->m, c, NS, "XYZ_Nothing", NULL, 0, NULL, 0),
          MI_RESULT_INVALID_CLASS, MI_RESULT_INVALID_CLASS);

    /* Create a widget holding adopted, borrowed and copied values: the
     * provider stores a clone of it. */
    w = named(x, "XYZ_Widget", "w-mem");
    if (!w)
        return;
    {
        Made m;
        make_value(&m, x, &WIDGET_PROPS[0], 3); /* Text, adopted */
        CHECK_RESULT(set(w, cs, "Text", &m.v, MI_STRING, MI_FLAG_ADOPT), MI_RESULT_OK);
        dispose(&m, ADOPT, MI_RESULT_OK);
        make_value(&m, x, &WIDGET_PROPS[2], 3); /* Texts, borrowed */
        CHECK_RESULT(set(w, cs, "Texts", &m.v, MI_STRINGA, MI_FLAG_BORROW), MI_RESULT_OK);
        dispose(&m, BORROW, MI_RESULT_OK);
        make_value(&m, x, &WIDGET_PROPS[6], 2); /* Part, adopted */
        CHECK_RESULT(set(w, cs, "Part", &m.v, MI_INSTANCE, MI_FLAG_ADOPT), MI_RESULT_OK);
        dispose(&m, ADOPT, MI_RESULT_OK);
        make_value(&m, x, &WIDGET_PROPS[7], 3); /* Parts, copied */
        CHECK_RESULT(set(w, cs, "Parts", &m.v, MI_INSTANCEA, 0), MI_RESULT_OK);
        dispose(&m, COPY, MI_RESULT_OK);
        make_value(&m, x, &WIDGET_PROPS[5], 3); /* Stamps, adopted */
        CHECK_RESULT(set(w, cs, "Stamps", &m.v, MI_DATETIMEA, MI_FLAG_ADOPT), MI_RESULT_OK);
        dispose(&m, ADOPT, MI_RESULT_OK);
        make_value(&m, x, &WIDGET_PROPS[9], 3); /* Owners, adopted */
        CHECK_RESULT(set(w, cs, "Owners", &m.v, MI_REFERENCEA, MI_FLAG_ADOPT), MI_RESULT_OK);
        dispose(&m, ADOPT, MI_RESULT_OK);
    }
    CHECK_RESULT(set_u64(w, cs, "U64", 4096), MI_RESULT_OK);
    instance_op(x, "create", MIPSRP_OPERATION_CREATE, w, MI_RESULT_OK);
    instance_op(x, "create again", MIPSRP_OPERATION_CREATE, w, MI_RESULT_ALREADY_EXISTS);
    CHECK_RESULT(w->ft->Delete(w), MI_RESULT_OK);
    release_kept();

    /* Get, modify, get. */
    k = named(x, "XYZ_Widget", "w-mem");
    if (!k)
        return;
    instance_op(x, "get", MIPSRP_OPERATION_GET, k, MI_RESULT_OK);
    CHECK_RESULT(set_u64(k, cs, "U64", 7), MI_RESULT_OK);
    CHECK_RESULT(set_str(k, cs, "Text", "modified"), MI_RESULT_OK);
    p = named(x, "XYZ_BigPart", "modified part");
    memset(&v, 0, sizeof v);
    v.instance = p;
    CHECK_RESULT(set(k, cs, "Part", &v, MI_INSTANCE, MI_FLAG_ADOPT), MI_RESULT_OK);
    instance_op(x, "modify", MIPSRP_OPERATION_MODIFY, k, MI_RESULT_OK);
    {
        MI_Context *g = context(cs);
        static const char *const only[] = { "U64", "Part" };
        ended(x, "get props", g,
              mipsrp_module_instance_operation(x->m, g, MIPSRP_OPERATION_GET, NS, k, only, 2),
              MI_RESULT_OK, MI_RESULT_OK);
    }

    /* Resize (an instance method) on it, with adopted parameters. */
    {
        MI_Instance *rp = new_params(x, "XYZ_Widget", "Resize");
        if (rp) {
            CHECK_RESULT(set_u64(rp, cs, "Size", 65536), MI_RESULT_OK);
            memset(&v, 0, sizeof v);
            v.string = mk(cs, "a note");
            CHECK_RESULT(set(rp, cs, "Note", &v, MI_STRING, MI_FLAG_ADOPT), MI_RESULT_OK);
            invoke(x, "XYZ_Widget", "Resize", k, rp, MI_RESULT_OK);
            invoke(x, "XYZ_Widget", "Resize", k, NULL, MI_RESULT_OK);
            CHECK_RESULT(rp->ft->Delete(rp), MI_RESULT_OK);
        }
    }

    /* An instance of the other character size: refused before it starts. */
    {
        MI_Instance *f = named(other, "XYZ_Widget", "w-mem");
        c = context(cs);
        CHECK_RESULT(mipsrp_module_instance_operation(x->m, c, MIPSRP_OPERATION_GET, NS, f, NULL, 0),
                     MI_RESULT_INVALID_PARAMETER);
        mipsrp_context_free(c);
        c = context(other->cs);
        CHECK_RESULT(mipsrp_module_instance_operation(x->m, c, MIPSRP_OPERATION_GET, NS, k, NULL, 0),
                     MI_RESULT_INVALID_PARAMETER);
        mipsrp_context_free(c);
        if (f)
            CHECK_RESULT(f->ft->Delete(f), MI_RESULT_OK);
    }

    /* Delete it; then it is gone. */
    instance_op(x, "delete", MIPSRP_OPERATION_DELETE, k, MI_RESULT_OK);
    instance_op(x, "delete again", MIPSRP_OPERATION_DELETE, k, MI_RESULT_NOT_FOUND);
    instance_op(x, "get deleted", MIPSRP_OPERATION_GET, k, MI_RESULT_NOT_FOUND);
    CHECK_RESULT(k->ft->Delete(k), MI_RESULT_OK);

    /* Scan: with a Pattern, without (PostError). */
    {
        MI_Instance *sp = new_params(x, "XYZ_Widget", "Scan");
        if (sp) {
            MI_Context *e;
            const char *rt = NULL, *msg = NULL;
            MI_Result r = 99;
            CHECK_RESULT(set_str(sp, cs, "Pattern", "pat"), MI_RESULT_OK);
            invoke(x, "XYZ_Widget", "Scan", NULL, sp, MI_RESULT_OK);
            CHECK_RESULT(sp->ft->ClearElement(sp, N(cs, "Pattern")), MI_RESULT_OK);
            e = context(cs);
            ended(x, "Scan without a Pattern", e,
                  mipsrp_module_invoke(x->m, e, NS, "XYZ_Widget", "Scan", NULL, sp), MI_RESULT_OK,
                  MI_RESULT_INVALID_PARAMETER);
            e = context(cs);
            CHECK_RESULT(mipsrp_module_invoke(x->m, e, NS, "XYZ_Widget", "Scan", NULL, NULL),
                         MI_RESULT_OK);
            CHECK_RESULT(mipsrp_context_wait(e, WAIT_MS, &r), MI_RESULT_OK);
            CHECK_RESULT(mipsrp_context_get_outcome(e, &r, &rt, &msg), MI_RESULT_OK);
            CHECK(r == MI_RESULT_INVALID_PARAMETER && msg && strstr(msg, "Pattern"),
                  "%s: Scan's error: %u %s", x->label, r, msg ? msg : "(null)");
            mipsrp_context_free(e);
            CHECK_RESULT(sp->ft->Delete(sp), MI_RESULT_OK);
        }
    }

    /* Later: ended from the provider's own thread. */
    {
        MI_Instance *lp = new_params(x, "XYZ_Widget", "Later");
        if (lp) {
            CHECK_RESULT(set_u32(lp, cs, "DelayMs", 30), MI_RESULT_OK);
            c = context(cs);
            ended(x, "Later", c, mipsrp_module_invoke(x->m, c, NS, "XYZ_Widget", "Later", NULL, lp),
                  MI_RESULT_OK, MI_RESULT_OK);
            /* Cancelled while it waits. */
            CHECK_RESULT(set_u32(lp, cs, "DelayMs", 60000), MI_RESULT_OK);
            c = context(cs);
            CHECK_RESULT(mipsrp_module_invoke(x->m, c, NS, "XYZ_Widget", "Later", NULL, lp),
                         MI_RESULT_OK);
            CHECK_RESULT(mipsrp_context_cancel(c, MI_REASON_NONE), MI_RESULT_OK);
            ended(x, "Later cancelled", c, MI_RESULT_OK, MI_RESULT_OK, MI_RESULT_FAILED);
            CHECK_RESULT(lp->ft->Delete(lp), MI_RESULT_OK);
        }
    }
    invoke(x, "XYZ_Widget", "Pin", NULL, NULL, MI_RESULT_OK);
    invoke(x, "XYZ_Widget", "Release", NULL, NULL, MI_RESULT_OK);

    /* XYZ_Bad: each misbehaviour, each ending OK. */
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        MI_Instance *bp = new_params(x, "XYZ_Bad", bad[i]);
        invoke(x, "XYZ_Bad", bad[i], NULL, bp, MI_RESULT_OK);
        if (bp)
            CHECK_RESULT(bp->ft->Delete(bp), MI_RESULT_OK);
    }
    /* NeverEnds: open until cancelled. */
    {
        MI_Result r = 99;
        c = context(cs);
        CHECK_RESULT(mipsrp_module_invoke(x->m, c, NS, "XYZ_Bad", "NeverEnds", NULL, NULL),
                     MI_RESULT_OK);
        CHECK_RESULT(mipsrp_context_wait(c, 20, &r), MI_RESULT_NOT_FOUND);
        CHECK_RESULT(mipsrp_context_cancel(c, MI_REASON_NONE), MI_RESULT_OK);
        ended(x, "NeverEnds", c, MI_RESULT_OK, MI_RESULT_OK, MI_RESULT_FAILED);
        /* Cancelled for another reason. */
        c = context(cs);
        CHECK_RESULT(mipsrp_module_invoke(x->m, c, NS, "XYZ_Bad", "NeverEnds", NULL, NULL),
                     MI_RESULT_OK);
        CHECK_RESULT(mipsrp_context_cancel(c, MI_REASON_SHUTDOWN), MI_RESULT_OK);
        CHECK_RESULT(mipsrp_context_wait(c, WAIT_MS, &r), MI_RESULT_OK);
        mipsrp_context_free(c);
    }
    /* A method the class lacks. */
    c = context(cs);
    ended(x, "NoSuchMethod", c,
          mipsrp_module_invoke(x->m, c, NS, "XYZ_Widget", "NoSuchMethod", NULL, NULL),
          MI_RESULT_METHOD_NOT_FOUND, MI_RESULT_METHOD_NOT_FOUND);
}

static void dyn_operations(const Mod *x)
{
    unsigned cs = x->cs;
    MI_Context *ctx = x->ctx, *c;
    MI_Instance *k = NULL, *in = NULL, *none = NULL;
    MI_Value v;
    static const char *const methods[] = { "Echo", "Measure", "Server" };
    size_t i;

    c = context(cs);
    ended(x, "enumerate Any_Thing", c,
          mipsrp_module_enumerate(x->m, c, NS, "Any_Thing", NULL, 0, NULL, 0), MI_RESULT_OK,
          MI_RESULT_OK);
    c = context(cs);
    ended(x, "enumerate Any_Thing keys", c,
          mipsrp_module_enumerate(x->m, c, NS, "Any_Thing", NULL, 1, NULL, 0), MI_RESULT_OK,
          MI_RESULT_OK);
    c = context(cs);
    ended(x, "enumerate Dyn_Fixed", c,
          mipsrp_module_enumerate(x->m, c, NS, "Dyn_Fixed", NULL, 0, NULL, 0), MI_RESULT_OK,
          MI_RESULT_OK);

    /* Get with a dynamic instance holding the key; without one. */
    CHECK_RESULT(ctx->ft->NewDynamicInstance(ctx, N(cs, "Any_Thing"), MI_FLAG_CLASS, &k),
                 MI_RESULT_OK);
    CHECK_RESULT(ctx->ft->NewDynamicInstance(ctx, N(cs, "Any_Thing"), MI_FLAG_CLASS, &none),
                 MI_RESULT_OK);
    if (k && none) {
        memset(&v, 0, sizeof v);
        v.string = mk(cs, "one");
        CHECK_RESULT(k->ft->AddElement(k, N(cs, "Name"), &v, MI_STRING, MI_FLAG_KEY | MI_FLAG_ADOPT),
                     MI_RESULT_OK);
        instance_op(x, "get", MIPSRP_OPERATION_GET, k, MI_RESULT_OK);
        instance_op(x, "get without a Name", MIPSRP_OPERATION_GET, none, MI_RESULT_NOT_FOUND);
        c = context(cs);
        ended(x, "create", c,
              mipsrp_module_instance_operation(x->m, c, MIPSRP_OPERATION_CREATE, NS, k, NULL, 0),
              MI_RESULT_NOT_SUPPORTED, MI_RESULT_NOT_SUPPORTED);
    }

    /* Echo with dynamic parameters; Measure, Server without. */
    CHECK_RESULT(ctx->ft->NewDynamicInstance(ctx, N(cs, "Echo"), MI_FLAG_METHOD, &in),
                 MI_RESULT_OK);
    if (in) {
        memset(&v, 0, sizeof v);
        v.string = mk(cs, "echo me");
        CHECK_RESULT(in->ft->AddElement(in, N(cs, "Text"), &v, MI_STRING, MI_FLAG_IN),
                     MI_RESULT_OK);
        free(v.string);
    }
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
        invoke(x, "Any_Thing", methods[i], NULL, i == 0 ? in : NULL, MI_RESULT_OK);
    invoke(x, "Any_Thing", "Echo", NULL, NULL, MI_RESULT_OK);
    c = context(cs);
    ended(x, "Nothing", c, mipsrp_module_invoke(x->m, c, NS, "Any_Thing", "Nothing", NULL, NULL),
          MI_RESULT_OK, MI_RESULT_METHOD_NOT_FOUND);

    if (k)
        CHECK_RESULT(k->ft->Delete(k), MI_RESULT_OK);
    if (none)
        CHECK_RESULT(none->ft->Delete(none), MI_RESULT_OK);
    if (in)
        CHECK_RESULT(in->ft->Delete(in), MI_RESULT_OK);
}

int main(int argc, char **argv)
{
    Mod mods[3];
    int n;
    char err[512];

    setvbuf(stdout, NULL, _IOLBF, 0); /* every line out, whatever happens later */
    if (argc == 2 && strcmp(argv[1], "adopt-failures") == 0) {
        adopt_on_failure(1);
        adopt_on_failure(sizeof(wchar_t));
        printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    if (argc == 2 && strcmp(argv[1], "copy-after-delete") == 0) {
        CHECK_RESULT(mipsrp_pool_new(RPID, sink, NULL, &pool), MI_RESULT_OK);
        copy_after_delete(1);
        copy_after_delete(sizeof(wchar_t));
        mipsrp_pool_free(pool);
        printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    if (argc != 4) {
        fprintf(stderr,
                "usage: %s <xyz char 1> <xyz char 2> <dyn>\n"
                "       %s adopt-failures\n"
                "       %s copy-after-delete\n",
                argv[0], argv[0], argv[0]);
        return 2;
    }

    CHECK_RESULT(mipsrp_pool_new(RPID, sink, NULL, &pool), MI_RESULT_OK);
    memset(mods, 0, sizeof mods);
    mods[0].label = "xyz/1";
    mods[1].label = "xyz/2";
    mods[2].label = "dyn";
    for (n = 0; n < 3; n++) {
        MI_Uint32 cs = 0;
        err[0] = 0;
        CHECK(mipsrp_module_load(argv[1 + n], &mods[n].m, err, sizeof err) == MI_RESULT_OK,
              "load %s: %s", argv[1 + n], err);
        if (!mods[n].m) {
            printf("%d passed, %d failed\n", passed, failed);
            return 1;
        }
        CHECK_RESULT(mipsrp_module_char_size(mods[n].m, &cs), MI_RESULT_OK);
        mods[n].cs = cs;
        mods[n].ctx = context(cs);
    }
    CHECK(mods[0].cs == 1 && mods[1].cs == sizeof(wchar_t), "the xyz modules' char sizes: %u %u",
          mods[0].cs, mods[1].cs);

    ownership(&mods[0], &mods[1]);
    ownership(&mods[1], &mods[0]);
    dynamic(&mods[2]);
    xyz_operations(&mods[0], &mods[1]);
    xyz_operations(&mods[1], &mods[0]);
    dyn_operations(&mods[2]);
    release_kept();

    for (n = 0; n < 3; n++)
        mipsrp_context_free(mods[n].ctx);
    /* Freed in another order than loaded, both xyz builds loaded till the end. */
    mipsrp_module_free(mods[2].m);
    mipsrp_module_free(mods[0].m);
    mipsrp_module_free(mods[1].m);
    mipsrp_pool_free(pool);

    printf("fragments %zu\n", atomic_load(&fragments));
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
