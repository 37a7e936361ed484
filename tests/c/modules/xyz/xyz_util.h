/* Hand-written helpers shared by the xyz module's provider files: text built
 * in MI_Char whatever MI_CHAR_TYPE is (no printf, so the same code is UTF-8
 * char and wchar_t), datetimes, the widget store (store.c) and the record of
 * result codes the misbehaving XYZ_Bad methods report (XYZ_Bad.c). */
#ifndef XYZ_UTIL_H
#define XYZ_UTIL_H

#include <MI.h>
#include "XYZ_Widget.h"

/* MI_Result has no "cancelled" code: neither Microsoft's mi.h nor OMI's MI.h
 * defines MI_RESULT_CANCELED (OMI's comments name it, its enum lacks it). A
 * provider whose operation was cancelled posts this; MI_RESULT_FAILED unless
 * the header ever defines one. */
#ifndef MI_RESULT_CANCELED
#define MI_RESULT_CANCELED MI_RESULT_FAILED
#endif

/* WriteProgress's "unknown" percentComplete / secondsRemaining. */
#define XYZ_UNKNOWN 0xFFFFFFFFu

/* ---- text */

MI_INLINE size_t xyz_len(const MI_Char* s)
{
    size_t n = 0;
    while (s && s[n])
        n++;
    return n;
}

MI_INLINE int xyz_eq(const MI_Char* a, const MI_Char* b)
{
    if (!a || !b)
        return 0;
    while (*a && *a == *b)
    {
        a++;
        b++;
    }
    return *a == *b;
}

/* Appends `s` to the NUL-terminated `buf` of `cap` MI_Chars, truncating. */
MI_INLINE void xyz_cat(MI_Char* buf, size_t cap, const MI_Char* s)
{
    size_t n = xyz_len(buf);
    while (s && *s && n + 1 < cap)
        buf[n++] = *s++;
    buf[n] = 0;
}

MI_INLINE void xyz_cat_u64(MI_Char* buf, size_t cap, MI_Uint64 v)
{
    MI_Char digits[24];
    size_t i = sizeof(digits) / sizeof(digits[0]) - 1;
    digits[i] = 0;
    do
    {
        digits[--i] = (MI_Char)(MI_T('0') + (int)(v % 10));
        v /= 10;
    } while (v);
    xyz_cat(buf, cap, &digits[i]);
}

/* ---- datetimes */

MI_INLINE MI_Datetime xyz_timestamp(MI_Uint32 year, MI_Uint32 month, MI_Uint32 day,
    MI_Uint32 hour, MI_Uint32 minute, MI_Uint32 second, MI_Uint32 microseconds, MI_Sint32 utc)
{
    MI_Datetime d;
    memset(&d, 0, sizeof(d));
    d.isTimestamp = 1;
    d.u.timestamp.year = year;
    d.u.timestamp.month = month;
    d.u.timestamp.day = day;
    d.u.timestamp.hour = hour;
    d.u.timestamp.minute = minute;
    d.u.timestamp.second = second;
    d.u.timestamp.microseconds = microseconds;
    d.u.timestamp.utc = utc;
    return d;
}

MI_INLINE MI_Datetime xyz_interval(MI_Uint32 days, MI_Uint32 hours, MI_Uint32 minutes,
    MI_Uint32 seconds, MI_Uint32 microseconds)
{
    MI_Datetime d;
    memset(&d, 0, sizeof(d));
    d.isTimestamp = 0;
    d.u.interval.days = days;
    d.u.interval.hours = hours;
    d.u.interval.minutes = minutes;
    d.u.interval.seconds = seconds;
    d.u.interval.microseconds = microseconds;
    return d;
}

/* ---- the widget store (store.c): one per loaded module, behind a mutex */

/* Empties the store and fills it with the two seed widgets ("alpha" and
 * "beta", see store.c), built with `context`. */
MI_Result XYZ_Store_Fill(MI_Context* context);
/* Deletes every stored widget. */
void XYZ_Store_Clear(void);
/* Clones of every stored widget, in insertion order: `*list` (malloc'd, the
 * caller deletes each widget then frees it) of `*count`. */
MI_Result XYZ_Store_Snapshot(XYZ_Widget*** list, MI_Uint32* count);
/* A clone of the widget whose Name is `name`; MI_RESULT_NOT_FOUND. */
MI_Result XYZ_Store_Get(const MI_Char* name, XYZ_Widget** clone);
/* Stores a clone of `widget`; MI_RESULT_ALREADY_EXISTS,
 * MI_RESULT_INVALID_PARAMETER (no Name), MI_RESULT_SERVER_LIMITS_EXCEEDED. */
MI_Result XYZ_Store_Add(const XYZ_Widget* widget);
/* Copies every non-null property of `changes` onto the stored widget of the
 * same Name; `*updated` (may be NULL) receives a clone of the result. */
MI_Result XYZ_Store_Modify(const MI_Instance* changes, XYZ_Widget** updated);
/* Sets the stored widget's U64 (what Resize does). */
MI_Result XYZ_Store_SetU64(const MI_Char* name, MI_Uint64 value);
MI_Result XYZ_Store_Remove(const MI_Char* name);

/* Runs `run(arg)` on a new thread (what Later does), recorded so that the
 * module's Unload can join it before the code it runs goes away. */
MI_Result XYZ_Threads_Start(void* (*run)(void*), void* arg);
/* Joins every thread XYZ_Threads_Start started. */
void XYZ_Threads_Wait(void);

/* ---- codes the XYZ_Bad methods record (XYZ_Bad.c) */
#define XYZ_MAX_CODES 16
void XYZ_Codes_Reset(void);
void XYZ_Codes_Add(MI_Uint32 code);
MI_Uint32 XYZ_Codes_Get(MI_Uint32 codes[XYZ_MAX_CODES]);

#endif /* XYZ_UTIL_H */
