/* @migen@ */
/* The provider functions of Demo_Folder: the stubs omigen / Convert-MofToProvider
 * write for the class, filled in. Nothing here knows about mi-psrp or PSRP:
 * it includes only MI.h and the generated header, and talks to whoever loads
 * the module through the MI_Context it is given.
 *
 * The folders are a small catalogue kept in memory (a real provider would
 * walk the file system): EnumerateInstances lists them, GetInstance finds one
 * by Path, and the static method Backup "copies" the ones it is given,
 * reporting its progress (one bar: the folders, and the files of the folder
 * being copied), a verbose message per folder and a warning for a
 * folder it does not know, then returns how many it copied and a
 * Demo_Folder for each. The static method Watch watches folders until it is
 * stopped: a verbose message per folder (a warning for one it does not
 * know), one progress record, then it waits for its cancel callback
 * (MI_Context_RegisterCancel), says why it stopped in a warning and ends with
 * PostResult(MI_RESULT_FAILED). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <MI.h>
#include "Demo_Folder.h"

/* Formatting in the module's character type (MI_CHAR_TYPE 1: char, UTF-8;
 * 2: wchar_t). */
#if MI_CHAR_TYPE == 1
#define FORMAT snprintf
#define PS "%s"
#else
#define FORMAT swprintf
#define PS "%ls"
#endif

struct folder
{
    const MI_Char* path;
    MI_Uint64 size;
    MI_Uint32 files;
    MI_Uint32 year, month, day, hour, minute;
};

static const struct folder catalogue[] =
{
    { MI_T("/srv/photos"), MI_ULL(8254631936), 1523, 2024, 5, 1, 9, 30 },
    { MI_T("/srv/music"), MI_ULL(3120562176), 842, 2023, 11, 17, 21, 5 },
    { MI_T("/srv/docs"), MI_ULL(48234496), 67, 2024, 6, 3, 8, 15 },
};

static const struct folder* find(const MI_Char* path)
{
    size_t i, j;

    for (i = 0; path && i < MI_COUNT(catalogue); i++)
    {
        const MI_Char* p = catalogue[i].path;
        for (j = 0; p[j] && p[j] == path[j]; j++)
            ;
        if (p[j] == path[j])
            return &catalogue[i];
    }
    return NULL;
}

static void pause_ms(unsigned ms)
{
    struct timespec t = { 0, (long)ms * 1000000L };
    nanosleep(&t, NULL);
}

/* Fills `self` (constructed) from `f`; keysOnly: the Path only. */
static MI_Result describe(Demo_Folder* self, const struct folder* f, MI_Boolean keysOnly)
{
    MI_Datetime modified;
    MI_Result r = Demo_Folder_SetPtr_Path(self, f->path);

    if (keysOnly || r != MI_RESULT_OK)
        return r;
    memset(&modified, 0, sizeof(modified));
    modified.isTimestamp = MI_TRUE;
    modified.u.timestamp.year = f->year;
    modified.u.timestamp.month = f->month;
    modified.u.timestamp.day = f->day;
    modified.u.timestamp.hour = f->hour;
    modified.u.timestamp.minute = f->minute;
    Demo_Folder_Set_Size(self, f->size);
    Demo_Folder_Set_Files(self, f->files);
    Demo_Folder_Set_Modified(self, modified);
    return MI_RESULT_OK;
}

void MI_CALL Demo_Folder_Load(
    _Outptr_result_maybenull_ Demo_Folder_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL Demo_Folder_Unload(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL Demo_Folder_EnumerateInstances(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    MI_Result r = MI_RESULT_OK;
    size_t i;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(filter);

    for (i = 0; i < MI_COUNT(catalogue) && r == MI_RESULT_OK; i++)
    {
        Demo_Folder folder;

        r = Demo_Folder_Construct(&folder, context);
        if (r != MI_RESULT_OK)
            break;
        r = describe(&folder, &catalogue[i], keysOnly);
        if (r == MI_RESULT_OK)
            r = Demo_Folder_Post(&folder, context);
        Demo_Folder_Destruct(&folder);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL Demo_Folder_GetInstance(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Demo_Folder* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    const struct folder* f = instanceName->Path.exists ? find(instanceName->Path.value) : NULL;
    Demo_Folder folder;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);

    if (!f)
    {
        MI_Context_PostResult(context, MI_RESULT_NOT_FOUND);
        return;
    }
    r = Demo_Folder_Construct(&folder, context);
    if (r == MI_RESULT_OK)
    {
        r = describe(&folder, f, MI_FALSE);
        if (r == MI_RESULT_OK)
            r = Demo_Folder_Post(&folder, context);
        Demo_Folder_Destruct(&folder);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL Demo_Folder_CreateInstance(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Demo_Folder* newInstance)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(newInstance);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Demo_Folder_ModifyInstance(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Demo_Folder* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(modifiedInstance);
    MI_UNREFERENCED_PARAMETER(propertySet);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Demo_Folder_DeleteInstance(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Demo_Folder* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

#define STEPS 5     /* file progress records per folder */
#define STEP_MS 3   /* ~15 ms a folder */

void MI_CALL Demo_Folder_Invoke_Backup(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const Demo_Folder* instanceName,
    _In_opt_ const Demo_Folder_Backup* in)
{
    enum { MAX_FOLDERS = 16 };
    Demo_Folder results[MAX_FOLDERS];
    const Demo_Folder* resultPtrs[MAX_FOLDERS];
    Demo_Folder_Backup out;
    MI_Uint32 i, count, copied = 0, skipped = 0;
    MI_Char status[128], message[256];
    MI_Boolean canceled = MI_FALSE;
    MI_Result r = MI_RESULT_OK;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (!in || !in->Folders.exists || in->Folders.value.size == 0)
    {
        MI_Context_PostError(context, MI_RESULT_INVALID_PARAMETER, MI_RESULT_TYPE_MI,
            MI_T("Backup needs at least one folder"));
        return;
    }
    count = in->Folders.value.size < MAX_FOLDERS ? in->Folders.value.size : MAX_FOLDERS;

    for (i = 0; i < count && r == MI_RESULT_OK && !canceled; i++)
    {
        const MI_Char* path = in->Folders.value.data[i];
        const struct folder* f = find(path);
        MI_Uint32 step;

        FORMAT(status, MI_COUNT(status), MI_T("%u of %u folders"), (unsigned)i, (unsigned)count);
        MI_Context_WriteProgress(context, MI_T("Backing up folders"), path, status,
            i * 100 / count, (count - i) * STEPS * STEP_MS / 1000);
        if (!f)
        {
            FORMAT(message, MI_COUNT(message), MI_T("skipping ") PS MI_T(": no such folder"),
                path ? path : MI_T("(null)"));
            MI_Context_WriteWarning(context, message);
            skipped++;
            continue;
        }

        for (step = 0; step <= STEPS && !canceled; step++)
        {
            MI_Uint32 done = f->files * step / STEPS;

            /* One operation is one activity (PowerShell's CIM cmdlets give an
             * operation one ActivityId): the files of the folder being copied
             * are part of its status. */
            FORMAT(status, MI_COUNT(status), MI_T("%u of %u folders, %u of %u files copied"),
                (unsigned)i, (unsigned)count, (unsigned)done, (unsigned)f->files);
            MI_Context_WriteProgress(context, MI_T("Backing up folders"), f->path, status,
                (i * STEPS + step) * 100 / (count * STEPS),
                ((count - i) * STEPS - step) * STEP_MS / 1000);
            if (step < STEPS)
                pause_ms(STEP_MS);
            MI_Context_Canceled(context, &canceled);
        }
        if (canceled)
            break;

        r = Demo_Folder_Construct(&results[copied], context);
        if (r == MI_RESULT_OK)
        {
            resultPtrs[copied] = &results[copied];
            r = describe(&results[copied++], f, MI_FALSE);
        }
        FORMAT(message, MI_COUNT(message), MI_T("backed up ") PS MI_T(" (%u files)"),
            f->path, (unsigned)f->files);
        MI_Context_WriteVerbose(context, message);
    }

    if (r == MI_RESULT_OK && !canceled)
    {
        FORMAT(status, MI_COUNT(status), MI_T("%u of %u folders"), (unsigned)count, (unsigned)count);
        MI_Context_WriteProgress(context, MI_T("Backing up folders"), NULL, status, 100, 0);
        r = Demo_Folder_Backup_Construct(&out, context);
        if (r == MI_RESULT_OK)
        {
            Demo_Folder_Backup_Set_Copied(&out, copied);
            Demo_Folder_Backup_Set_MIReturn(&out, skipped);
            r = Demo_Folder_Backup_Set_Results(&out, resultPtrs, copied);
            if (r == MI_RESULT_OK)
                r = Demo_Folder_Backup_Post(&out, context);
            Demo_Folder_Backup_Destruct(&out);
        }
    }
    for (i = 0; i < copied; i++)
        Demo_Folder_Destruct(&results[i]);
    if (canceled)
        MI_Context_PostError(context, MI_RESULT_FAILED, MI_RESULT_TYPE_MI, MI_T("Backup was cancelled"));
    else
        MI_Context_PostResult(context, r);
}

/* Watch's state, shared with its cancel callback. */
struct watch
{
    pthread_mutex_t lock;
    pthread_cond_t stopped;
    MI_Boolean canceled;
    MI_CancellationReason reason;
};

/* Called once, on the thread that cancels the operation (or at once, inside
 * MI_Context_RegisterCancel, when it already is). */
static void MI_CALL watch_canceled(MI_CancellationReason reason, void* callbackData)
{
    struct watch* w = (struct watch*)callbackData;

    pthread_mutex_lock(&w->lock);
    w->canceled = MI_TRUE;
    w->reason = reason;
    pthread_cond_signal(&w->stopped);
    pthread_mutex_unlock(&w->lock);
}

void MI_CALL Demo_Folder_Invoke_Watch(
    _In_opt_ Demo_Folder_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const Demo_Folder* instanceName,
    _In_opt_ const Demo_Folder_Watch* in)
{
    struct watch w;
    MI_Uint32 i, watched = 0;
    MI_Char status[128], message[256];
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (!in || !in->Folders.exists || in->Folders.value.size == 0)
    {
        MI_Context_PostError(context, MI_RESULT_INVALID_PARAMETER, MI_RESULT_TYPE_MI,
            MI_T("Watch needs at least one folder"));
        return;
    }

    for (i = 0; i < in->Folders.value.size; i++)
    {
        const MI_Char* path = in->Folders.value.data[i];

        if (find(path))
        {
            FORMAT(message, MI_COUNT(message), MI_T("watching ") PS, path);
            MI_Context_WriteVerbose(context, message);
            watched++;
        }
        else
        {
            FORMAT(message, MI_COUNT(message), MI_T("skipping ") PS MI_T(": no such folder"),
                path ? path : MI_T("(null)"));
            MI_Context_WriteWarning(context, message);
        }
    }
    FORMAT(status, MI_COUNT(status), MI_T("watching %u folder(s) until stopped"), (unsigned)watched);
    MI_Context_WriteProgress(context, MI_T("Watching folders"), NULL, status,
        (MI_Uint32)-1, (MI_Uint32)-1);

    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.stopped, NULL);
    w.canceled = MI_FALSE;
    w.reason = MI_REASON_NONE;
    r = MI_Context_RegisterCancel(context, watch_canceled, &w);
    if (r == MI_RESULT_OK)
    {
        pthread_mutex_lock(&w.lock);
        while (!w.canceled)
            pthread_cond_wait(&w.stopped, &w.lock);
        pthread_mutex_unlock(&w.lock);
        FORMAT(message, MI_COUNT(message), MI_T("stopped watching %u folder(s): cancel reason %u"),
            (unsigned)watched, (unsigned)w.reason);
        MI_Context_WriteWarning(context, message);
        r = MI_RESULT_FAILED;
    }
    pthread_cond_destroy(&w.stopped);
    pthread_mutex_destroy(&w.lock);
    MI_Context_PostResult(context, r);
}
