/* The xyz module's widget store: clones of XYZ_Widget instances, kept for as
 * long as the module is loaded (module.c's Load fills it, its Unload empties
 * it) behind one mutex, so state persists from one operation to the next.
 *
 * The two seed widgets exercise every MI type. Every value is set through the
 * generated _Set_/_SetPtr_/_Clear_ helpers. The text is the same in both
 * character types: MI_T("...\U0001F600...") is UTF-8 bytes with
 * MI_CHAR_TYPE=1 and one wchar_t code point with MI_CHAR_TYPE=2.
 *
 * "alpha": every property set. U8..S64 at their extremes (S8 -128, S16
 *   -32768, S32 INT32_MIN, S64 INT64_MIN, U64 UINT64_MAX ...), R32 -1.5,
 *   R64 3.141592653589793, C16 0xD800 (a lone surrogate), Stamp
 *   2024-02-29 13:45:30.123456 at UTC+05:30 (utc 330), Text
 *   "a<b & c_x0041_ \U0001F600 caf\u00E9", Part XYZ_Part{p1, 7}, Owner a
 *   reference to XYZ_Base{root}; every array with 2 or 3 elements (Stamps: a
 *   timestamp at UTC-08:00 and the interval 1 2:03:04.000005; Parts:
 *   XYZ_Part{p2, 1} and the derived XYZ_BigPart{p3, 2, "big"}; Owners:
 *   references to XYZ_Base{root} and to the derived XYZ_Widget{beta});
 *   Caption "Alpha & <Co>" (set with _SetPtr_, borrowed).
 * "beta": Enabled false; S8 and S16 null (never set); R32 0.001, R64 0.1,
 *   C16 'Z', Stamp the interval 12345 23:59:59.999999, Text "" (empty, not
 *   null), Part the derived XYZ_BigPart{p4, 4, "\U00010348"}, Owner a
 *   reference to the derived XYZ_Widget{alpha}; arrays: Flags, U16s, U32s,
 *   R32s and Parts empty (Flags set with data NULL, the others with a
 *   non-NULL pointer and size 0), U8s [42], S16s [7], S32s [-7], U64s [1],
 *   R64s [0.5], C16s ['x'], Stamps [the zero interval], Texts [""] (one
 *   empty string); S8s, S64s and Caption null (never set), Owners null
 *   (set, then cleared with _Clear_). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "XYZ_BigPart.h"
#include "xyz_util.h"

#define XYZ_MAX_WIDGETS 64

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static XYZ_Widget* g_widgets[XYZ_MAX_WIDGETS];
static MI_Uint32 g_count;

#define XYZ_MAX_THREADS 64

/* Threads methods started (Later), joined by XYZ_Threads_Wait. */
static pthread_mutex_t g_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t g_threads[XYZ_MAX_THREADS];
static unsigned g_nthreads;

/* ---- seed data */

static MI_Result seed_alpha(MI_Context* context, XYZ_Widget* w)
{
    static const MI_Boolean flags[] = { MI_TRUE, MI_FALSE, MI_TRUE };
    static const MI_Uint8 u8s[] = { 0, 255 };
    static const MI_Sint8 s8s[] = { -1, 1 };
    static const MI_Uint16 u16s[] = { 0, 65535 };
    static const MI_Sint16 s16s[] = { -32768, 32767 };
    static const MI_Uint32 u32s[] = { 0, 1, 4294967295u };
    static const MI_Sint32 s32s[] = { -1, 0, 1 };
    static const MI_Uint64 u64s[] = { 0, MI_ULL(18446744073709551615) };
    static const MI_Sint64 s64s[] = { -MI_LL(9223372036854775807) - MI_LL(1),
        MI_LL(9223372036854775807) };
    static const MI_Real32 r32s[] = { 0.25f, -0.5f };
    static const MI_Real64 r64s[] = { 1e-300, -2.5 };
    static const MI_Char16 c16s[] = { 0x0041, 0x00E9, 0xDC00 };
    static const MI_Char* texts[] = { MI_T("one"), MI_T("<two>"), MI_T("\U0001F600") };
    MI_Datetime stamps[2];
    XYZ_Part part, p2;
    XYZ_BigPart p3;
    XYZ_Base root;
    XYZ_Widget betaRef;
    const XYZ_Part* parts[2];
    const XYZ_Base* owners[2];
    MI_Result r;

    stamps[0] = xyz_timestamp(1999, 12, 31, 23, 59, 59, 999999, -480);
    stamps[1] = xyz_interval(1, 2, 3, 4, 5);

    if ((r = XYZ_Part_Construct(&part, context)) != MI_RESULT_OK)
        return r;
    XYZ_Part_Set_Name(&part, MI_T("p1"));
    XYZ_Part_Set_Weight(&part, 7);
    XYZ_Part_Construct(&p2, context);
    XYZ_Part_Set_Name(&p2, MI_T("p2"));
    XYZ_Part_Set_Weight(&p2, 1);
    XYZ_BigPart_Construct(&p3, context);
    XYZ_BigPart_Set_Name(&p3, MI_T("p3"));
    XYZ_BigPart_Set_Weight(&p3, 2);
    XYZ_BigPart_Set_Extra(&p3, MI_T("big"));
    XYZ_Base_Construct(&root, context);
    XYZ_Base_Set_Name(&root, MI_T("root"));
    XYZ_Widget_Construct(&betaRef, context);
    XYZ_Widget_Set_Name(&betaRef, MI_T("beta"));
    parts[0] = &p2;
    parts[1] = (const XYZ_Part*)&p3;
    owners[0] = &root;
    owners[1] = (const XYZ_Base*)&betaRef;

    XYZ_Widget_Set_Name(w, MI_T("alpha"));
    XYZ_Widget_Set_Enabled(w, MI_TRUE);
    XYZ_Widget_Set_U8(w, 255);
    XYZ_Widget_Set_S8(w, -128);
    XYZ_Widget_Set_U16(w, 65535);
    XYZ_Widget_Set_S16(w, -32768);
    XYZ_Widget_Set_U32(w, 4294967295u);
    XYZ_Widget_Set_S32(w, -2147483647 - 1);
    XYZ_Widget_Set_U64(w, MI_ULL(18446744073709551615));
    XYZ_Widget_Set_S64(w, -MI_LL(9223372036854775807) - MI_LL(1));
    XYZ_Widget_Set_R32(w, -1.5f);
    XYZ_Widget_Set_R64(w, 3.141592653589793);
    XYZ_Widget_Set_C16(w, 0xD800);
    XYZ_Widget_Set_Stamp(w, xyz_timestamp(2024, 2, 29, 13, 45, 30, 123456, 330));
    r = XYZ_Widget_Set_Text(w, MI_T("a<b & c_x0041_ \U0001F600 caf\u00E9"));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Part(w, &part);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Owner(w, &root);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Flags(w, flags, MI_COUNT(flags));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U8s(w, u8s, MI_COUNT(u8s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S8s(w, s8s, MI_COUNT(s8s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U16s(w, u16s, MI_COUNT(u16s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S16s(w, s16s, MI_COUNT(s16s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U32s(w, u32s, MI_COUNT(u32s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S32s(w, s32s, MI_COUNT(s32s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U64s(w, u64s, MI_COUNT(u64s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S64s(w, s64s, MI_COUNT(s64s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_R32s(w, r32s, MI_COUNT(r32s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_R64s(w, r64s, MI_COUNT(r64s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_C16s(w, c16s, MI_COUNT(c16s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Stamps(w, stamps, MI_COUNT(stamps));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Texts(w, texts, MI_COUNT(texts));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Parts(w, parts, MI_COUNT(parts));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Owners(w, owners, MI_COUNT(owners));
    if (r == MI_RESULT_OK) r = XYZ_Widget_SetPtr_Caption(w, MI_T("Alpha & <Co>"));

    XYZ_Widget_Destruct(&betaRef);
    XYZ_Base_Destruct(&root);
    XYZ_BigPart_Destruct(&p3);
    XYZ_Part_Destruct(&p2);
    XYZ_Part_Destruct(&part);
    return r;
}

static MI_Result seed_beta(MI_Context* context, XYZ_Widget* w)
{
    static const MI_Uint8 u8s[] = { 42 };
    static const MI_Sint16 s16s[] = { 7 };
    static const MI_Sint32 s32s[] = { -7 };
    static const MI_Uint64 u64s[] = { 1 };
    static const MI_Real64 r64s[] = { 0.5 };
    static const MI_Char16 c16s[] = { 0x0078 };
    static const MI_Char* texts[] = { MI_T("") };
    static const MI_Uint16 noU16s[1] = { 0 };
    static const MI_Uint32 noU32s[1] = { 0 };
    static const MI_Real32 noR32s[1] = { 0 };
    const XYZ_Part* noParts[1];
    MI_Datetime stamps[1];
    XYZ_BigPart part;
    XYZ_Widget alphaRef;
    XYZ_Base root;
    const XYZ_Base* owners[1];
    MI_Result r;

    stamps[0] = xyz_interval(0, 0, 0, 0, 0);
    if ((r = XYZ_BigPart_Construct(&part, context)) != MI_RESULT_OK)
        return r;
    XYZ_BigPart_Set_Name(&part, MI_T("p4"));
    XYZ_BigPart_Set_Weight(&part, 4);
    XYZ_BigPart_Set_Extra(&part, MI_T("\U00010348"));
    XYZ_Widget_Construct(&alphaRef, context);
    XYZ_Widget_Set_Name(&alphaRef, MI_T("alpha"));
    XYZ_Base_Construct(&root, context);
    XYZ_Base_Set_Name(&root, MI_T("root"));
    noParts[0] = (const XYZ_Part*)&part;
    owners[0] = &root;

    XYZ_Widget_Set_Name(w, MI_T("beta"));
    XYZ_Widget_Set_Enabled(w, MI_FALSE);
    XYZ_Widget_Set_U8(w, 1);
    XYZ_Widget_Set_U16(w, 2);
    XYZ_Widget_Set_U32(w, 3);
    XYZ_Widget_Set_S32(w, -5);
    XYZ_Widget_Set_U64(w, 4);
    XYZ_Widget_Set_S64(w, -6);
    XYZ_Widget_Set_R32(w, 0.001f);
    XYZ_Widget_Set_R64(w, 0.1);
    XYZ_Widget_Set_C16(w, 0x005A);
    XYZ_Widget_Set_Stamp(w, xyz_interval(12345, 23, 59, 59, 999999));
    r = XYZ_Widget_Set_Text(w, MI_T(""));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Part(w, (const XYZ_Part*)&part);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Owner(w, (const XYZ_Base*)&alphaRef);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Flags(w, NULL, 0);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U8s(w, u8s, MI_COUNT(u8s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U16s(w, noU16s, 0);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S16s(w, s16s, MI_COUNT(s16s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U32s(w, noU32s, 0);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_S32s(w, s32s, MI_COUNT(s32s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_U64s(w, u64s, MI_COUNT(u64s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_R32s(w, noR32s, 0);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_R64s(w, r64s, MI_COUNT(r64s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_C16s(w, c16s, MI_COUNT(c16s));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Stamps(w, stamps, MI_COUNT(stamps));
    if (r == MI_RESULT_OK) r = XYZ_Widget_SetPtr_Texts(w, texts, MI_COUNT(texts));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Parts(w, noParts, 0);
    if (r == MI_RESULT_OK) r = XYZ_Widget_Set_Owners(w, owners, MI_COUNT(owners));
    if (r == MI_RESULT_OK) r = XYZ_Widget_Clear_Owners(w);

    XYZ_Base_Destruct(&root);
    XYZ_Widget_Destruct(&alphaRef);
    XYZ_BigPart_Destruct(&part);
    return r;
}

/* ---- the store */

static XYZ_Widget** find_locked(const MI_Char* name)
{
    MI_Uint32 i;
    for (i = 0; i < g_count; i++)
    {
        if (g_widgets[i]->Name.exists && xyz_eq(g_widgets[i]->Name.value, name))
            return &g_widgets[i];
    }
    return NULL;
}

static MI_Result add_locked(const XYZ_Widget* widget)
{
    XYZ_Widget* copy = NULL;
    MI_Result r;

    if (!widget->Name.exists || !widget->Name.value)
        return MI_RESULT_INVALID_PARAMETER;
    if (find_locked(widget->Name.value))
        return MI_RESULT_ALREADY_EXISTS;
    if (g_count == XYZ_MAX_WIDGETS)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    r = MI_Instance_Clone(&widget->__instance, (MI_Instance**)&copy);
    if (r != MI_RESULT_OK)
        return r;
    g_widgets[g_count++] = copy;
    return MI_RESULT_OK;
}

static void clear_locked(void)
{
    while (g_count)
        XYZ_Widget_Delete(g_widgets[--g_count]);
}

MI_Result XYZ_Store_Fill(MI_Context* context)
{
    XYZ_Widget w;
    MI_Result r;

    pthread_mutex_lock(&g_lock);
    clear_locked();
    r = XYZ_Widget_Construct(&w, context);
    if (r == MI_RESULT_OK)
    {
        r = seed_alpha(context, &w);
        if (r == MI_RESULT_OK)
            r = add_locked(&w);
        XYZ_Widget_Destruct(&w);
    }
    if (r == MI_RESULT_OK)
        r = XYZ_Widget_Construct(&w, context);
    if (r == MI_RESULT_OK)
    {
        r = seed_beta(context, &w);
        if (r == MI_RESULT_OK)
            r = add_locked(&w);
        XYZ_Widget_Destruct(&w);
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

void XYZ_Store_Clear(void)
{
    pthread_mutex_lock(&g_lock);
    clear_locked();
    pthread_mutex_unlock(&g_lock);
}

MI_Result XYZ_Store_Snapshot(XYZ_Widget*** list, MI_Uint32* count)
{
    MI_Result r = MI_RESULT_OK;
    MI_Uint32 i, n = 0;

    pthread_mutex_lock(&g_lock);
    *list = (XYZ_Widget**)calloc(g_count ? g_count : 1, sizeof(XYZ_Widget*));
    if (!*list)
        r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    for (i = 0; r == MI_RESULT_OK && i < g_count; i++)
    {
        r = XYZ_Widget_Clone(g_widgets[i], &(*list)[i]);
        if (r == MI_RESULT_OK)
            n++;
    }
    pthread_mutex_unlock(&g_lock);
    if (r != MI_RESULT_OK && *list)
    {
        while (n)
            XYZ_Widget_Delete((*list)[--n]);
        free(*list);
        *list = NULL;
    }
    *count = n;
    return r;
}

MI_Result XYZ_Store_Get(const MI_Char* name, XYZ_Widget** clone)
{
    XYZ_Widget** found;
    MI_Result r;

    pthread_mutex_lock(&g_lock);
    found = find_locked(name);
    r = found ? XYZ_Widget_Clone(*found, clone) : MI_RESULT_NOT_FOUND;
    pthread_mutex_unlock(&g_lock);
    return r;
}

MI_Result XYZ_Store_Add(const XYZ_Widget* widget)
{
    MI_Result r;

    pthread_mutex_lock(&g_lock);
    r = add_locked(widget);
    pthread_mutex_unlock(&g_lock);
    return r;
}

MI_Result XYZ_Store_Modify(const MI_Instance* changes, XYZ_Widget** updated)
{
    const XYZ_Widget* c = (const XYZ_Widget*)changes;
    XYZ_Widget** found;
    MI_Uint32 i, count = 0;
    MI_Result r;

    if (updated)
        *updated = NULL;
    if (!c->Name.exists || !c->Name.value)
        return MI_RESULT_INVALID_PARAMETER;
    pthread_mutex_lock(&g_lock);
    found = find_locked(c->Name.value);
    r = found ? MI_Instance_GetElementCount(changes, &count) : MI_RESULT_NOT_FOUND;
    for (i = 0; r == MI_RESULT_OK && i < count; i++)
    {
        const MI_Char* name = NULL;
        MI_Value value;
        MI_Type type = 0;
        MI_Uint32 flags = 0;

        r = MI_Instance_GetElementAt(changes, i, &name, &value, &type, &flags);
        if (r == MI_RESULT_OK && !(flags & MI_FLAG_NULL))
            r = MI_Instance_SetElement(&(*found)->__instance, name, &value, type, 0);
    }
    if (r == MI_RESULT_OK && updated)
        r = XYZ_Widget_Clone(*found, updated);
    pthread_mutex_unlock(&g_lock);
    return r;
}

MI_Result XYZ_Store_SetU64(const MI_Char* name, MI_Uint64 value)
{
    XYZ_Widget** found;

    pthread_mutex_lock(&g_lock);
    found = find_locked(name);
    if (found)
        XYZ_Widget_Set_U64(*found, value);
    pthread_mutex_unlock(&g_lock);
    return found ? MI_RESULT_OK : MI_RESULT_NOT_FOUND;
}

MI_Result XYZ_Store_Remove(const MI_Char* name)
{
    XYZ_Widget** found;
    MI_Uint32 i;

    pthread_mutex_lock(&g_lock);
    found = find_locked(name);
    if (found)
    {
        XYZ_Widget_Delete(*found);
        for (i = (MI_Uint32)(found - g_widgets); i + 1 < g_count; i++)
            g_widgets[i] = g_widgets[i + 1];
        g_count--;
    }
    pthread_mutex_unlock(&g_lock);
    return found ? MI_RESULT_OK : MI_RESULT_NOT_FOUND;
}

/* ---- threads */

MI_Result XYZ_Threads_Start(void* (*run)(void*), void* arg)
{
    pthread_t t;
    pthread_t old[XYZ_MAX_THREADS];
    unsigned i, n = 0;

    pthread_mutex_lock(&g_threads_lock);
    if (g_nthreads == XYZ_MAX_THREADS)
    {
        /* full: take the recorded ones out and join them first */
        for (i = 0; i < g_nthreads; i++)
            old[n++] = g_threads[i];
        g_nthreads = 0;
    }
    pthread_mutex_unlock(&g_threads_lock);
    for (i = 0; i < n; i++)
        pthread_join(old[i], NULL);

    if (pthread_create(&t, NULL, run, arg) != 0)
        return MI_RESULT_FAILED;
    pthread_mutex_lock(&g_threads_lock);
    g_threads[g_nthreads++] = t;
    pthread_mutex_unlock(&g_threads_lock);
    return MI_RESULT_OK;
}

void XYZ_Threads_Wait(void)
{
    pthread_t old[XYZ_MAX_THREADS];
    unsigned i, n;

    pthread_mutex_lock(&g_threads_lock);
    for (n = 0; n < g_nthreads; n++)
        old[n] = g_threads[n];
    g_nthreads = 0;
    pthread_mutex_unlock(&g_threads_lock);
    for (i = 0; i < n; i++)
        pthread_join(old[i], NULL);
}
