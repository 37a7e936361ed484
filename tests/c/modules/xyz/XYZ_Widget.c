/* @migen@ */
/* The provider functions of XYZ_Widget (hand-written; the prototypes are in
 * the generated XYZ_Widget.h). The instances live in the module's store
 * (store.c), so what CreateInstance, ModifyInstance, DeleteInstance and
 * Resize change is what later operations see, for as long as the module
 * stays loaded.
 *
 *   EnumerateInstances  a verbose message and a warning, then per stored
 *                       widget a progress record ("Enumerating widgets",
 *                       currentOperation = its Name, "i of n", i*100/n) and
 *                       the widget (keysOnly: a new XYZ_Widget with only its
 *                       Name), then a last progress record at 100 and
 *                       PostResult(OK). A cancelled operation stops with
 *                       PostResult(MI_RESULT_CANCELED); a failed post ends it
 *                       with that post's code.
 *   GetInstance         the widget of that Name; MI_RESULT_NOT_FOUND;
 *                       MI_RESULT_INVALID_PARAMETER without a Name.
 *   CreateInstance      stores a clone (MI_Instance_Clone) and posts the
 *                       instance it was given back; MI_RESULT_ALREADY_EXISTS
 *                       when the Name is taken (nothing posted).
 *   ModifyInstance      copies every non-null property of the given instance
 *                       onto the stored one (GetElementAt/SetElement), posts
 *                       the result; MI_RESULT_NOT_FOUND.
 *   DeleteInstance      removes it; MI_RESULT_NOT_FOUND.
 *   Scan (static)       without Pattern: PostError(MI_RESULT_INVALID_PARAMETER,
 *                       "Scan needs a Pattern"). Otherwise: progress
 *                       ("Scanning", 0 then 50 then 100), one verbose, one
 *                       warning and one debug message, two
 *                       WriteStreamParameter("Found", MI_STRING) with
 *                       "<Pattern>-1" and "<Pattern>-2", then the out
 *                       parameters Count = the number of those writes that
 *                       returned OK and MIReturn = the first code one of
 *                       them returned that was not OK (0 when both were),
 *                       then PostResult(OK).
 *   Resize (instance)   reads its target's Name from the instance it gets;
 *                       MI_RESULT_NOT_FOUND if no such widget is stored.
 *                       Sets the stored widget's U64 to Size, then posts
 *                       Note = "<Note in> resized <Name> to <Size>" (just
 *                       "resized ..." without a Note), Part = XYZ_Part{Name,
 *                       Weight = (uint32)Size}, Codes = [1, 2, 3], MIReturn 0.
 *   Later (static)      starts a thread and returns at once; the thread waits
 *                       DelayMs (in 10 ms steps, watching Canceled: when
 *                       cancelled it calls PostResult(MI_RESULT_CANCELED)),
 *                       writes a progress record ("Later", "waited <DelayMs>
 *                       ms", 100), posts MIReturn = DelayMs and calls
 *                       PostResult(OK) -- all from that other thread.
 *   Pin (static)        MI_Context_RefuseUnload, then posts MIReturn = the
 *                       code it returned and PostResult(OK).
 *   Release (static)    MI_Context_RequestUnload, the same way.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <MI.h>
#include "XYZ_Widget.h"
#include "xyz_util.h"

#define TEXT_CAP 256

static void sleep_ms(unsigned ms)
{
    struct timespec t;
    t.tv_sec = (time_t)(ms / 1000);
    t.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}

/* "<i> of <n>" */
static void of(MI_Char* buf, MI_Uint32 i, MI_Uint32 n)
{
    buf[0] = 0;
    xyz_cat_u64(buf, TEXT_CAP, i);
    xyz_cat(buf, TEXT_CAP, MI_T(" of "));
    xyz_cat_u64(buf, TEXT_CAP, n);
}

void MI_CALL XYZ_Widget_Load(
    _Outptr_result_maybenull_ XYZ_Widget_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL XYZ_Widget_Unload(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL XYZ_Widget_EnumerateInstances(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    XYZ_Widget** list = NULL;
    MI_Uint32 i, n = 0;
    MI_Char status[TEXT_CAP];
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(filter);

    r = XYZ_Store_Snapshot(&list, &n);
    if (r != MI_RESULT_OK)
    {
        MI_Context_PostResult(context, r);
        return;
    }
    MI_Context_WriteVerbose(context, MI_T("enumerating XYZ_Widget"));
    MI_Context_WriteWarning(context, MI_T("XYZ_Widget instances last only as long as the module"));

    for (i = 0; i < n && r == MI_RESULT_OK; i++)
    {
        MI_Boolean canceled = MI_FALSE;

        if (MI_Context_Canceled(context, &canceled) == MI_RESULT_OK && canceled)
        {
            r = MI_RESULT_CANCELED;
            break;
        }
        of(status, i + 1, n);
        MI_Context_WriteProgress(context, MI_T("Enumerating widgets"), list[i]->Name.value,
            status, i * 100 / n, XYZ_UNKNOWN);
        if (keysOnly)
        {
            XYZ_Widget key;

            r = XYZ_Widget_Construct(&key, context);
            if (r == MI_RESULT_OK)
            {
                r = XYZ_Widget_Set_Name(&key, list[i]->Name.value);
                if (r == MI_RESULT_OK)
                    r = XYZ_Widget_Post(&key, context);
                XYZ_Widget_Destruct(&key);
            }
        }
        else
        {
            r = XYZ_Widget_Post(list[i], context);
        }
    }
    for (i = 0; i < n; i++)
        XYZ_Widget_Delete(list[i]);
    free(list);

    if (r == MI_RESULT_OK)
    {
        of(status, n, n);
        MI_Context_WriteProgress(context, MI_T("Enumerating widgets"), NULL, status, 100, 0);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_GetInstance(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    XYZ_Widget* found = NULL;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);

    if (!instanceName || !instanceName->Name.exists)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    r = XYZ_Store_Get(instanceName->Name.value, &found);
    if (r == MI_RESULT_OK)
    {
        r = XYZ_Widget_Post(found, context);
        XYZ_Widget_Delete(found);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_CreateInstance(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Widget* newInstance)
{
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);

    r = newInstance ? XYZ_Store_Add(newInstance) : MI_RESULT_INVALID_PARAMETER;
    if (r == MI_RESULT_OK)
        r = XYZ_Widget_Post(newInstance, context);
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_ModifyInstance(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Widget* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    XYZ_Widget* updated = NULL;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);

    r = modifiedInstance ? XYZ_Store_Modify(&modifiedInstance->__instance, &updated)
                         : MI_RESULT_INVALID_PARAMETER;
    if (r == MI_RESULT_OK)
    {
        r = XYZ_Widget_Post(updated, context);
        XYZ_Widget_Delete(updated);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_DeleteInstance(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Widget* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);

    if (!instanceName || !instanceName->Name.exists)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    MI_Context_PostResult(context, XYZ_Store_Remove(instanceName->Name.value));
}

void MI_CALL XYZ_Widget_Invoke_Scan(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Scan* in)
{
    XYZ_Widget_Scan out;
    MI_Char found[TEXT_CAP];
    MI_Uint32 i, written = 0;
    MI_Result first = MI_RESULT_OK;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (!in || !in->Pattern.exists || !in->Pattern.value)
    {
        MI_Context_PostError(context, MI_RESULT_INVALID_PARAMETER, MI_RESULT_TYPE_MI,
            MI_T("Scan needs a Pattern"));
        return;
    }
    MI_Context_WriteProgress(context, MI_T("Scanning"), in->Pattern.value, MI_T("0 of 2"), 0, 2);
    MI_Context_WriteVerbose(context, MI_T("scanning"));
    MI_Context_WriteWarning(context, MI_T("the scan finds made-up things"));
    MI_Context_WriteDebug(context, MI_T("Scan: two results"));

    for (i = 1; i <= 2; i++)
    {
        MI_Value v;
        MI_Char status[TEXT_CAP];

        found[0] = 0;
        xyz_cat(found, TEXT_CAP, in->Pattern.value);
        xyz_cat(found, TEXT_CAP, MI_T("-"));
        xyz_cat_u64(found, TEXT_CAP, i);
        v.string = found;
        r = MI_Context_WriteStreamParameter(context, MI_T("Found"), &v, MI_STRING, 0);
        if (r == MI_RESULT_OK)
            written++;
        else if (first == MI_RESULT_OK)
            first = r;
        of(status, i, 2);
        MI_Context_WriteProgress(context, MI_T("Scanning"), found, status, i * 50, 2 - i);
    }

    r = XYZ_Widget_Scan_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Widget_Scan_Set_Count(&out, written);
        XYZ_Widget_Scan_Set_MIReturn(&out, first);
        r = XYZ_Widget_Scan_Post(&out, context);
        XYZ_Widget_Scan_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_Invoke_Resize(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Resize* in)
{
    static const MI_Uint32 codes[] = { 1, 2, 3 };
    XYZ_Widget_Resize out;
    XYZ_Part part;
    MI_Char note[TEXT_CAP];
    const MI_Char* name;
    MI_Uint64 size;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);

    if (!instanceName || !instanceName->Name.exists || !instanceName->Name.value)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    name = instanceName->Name.value;
    size = in && in->Size.exists ? in->Size.value : 0;
    r = XYZ_Store_SetU64(name, size);
    if (r != MI_RESULT_OK)
    {
        MI_Context_PostResult(context, r);
        return;
    }

    note[0] = 0;
    if (in && in->Note.exists && in->Note.value)
    {
        xyz_cat(note, TEXT_CAP, in->Note.value);
        xyz_cat(note, TEXT_CAP, MI_T(" "));
    }
    xyz_cat(note, TEXT_CAP, MI_T("resized "));
    xyz_cat(note, TEXT_CAP, name);
    xyz_cat(note, TEXT_CAP, MI_T(" to "));
    xyz_cat_u64(note, TEXT_CAP, size);

    r = XYZ_Part_Construct(&part, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Part_Set_Name(&part, name);
        XYZ_Part_Set_Weight(&part, (MI_Uint32)size);
        r = XYZ_Widget_Resize_Construct(&out, context);
        if (r == MI_RESULT_OK)
        {
            r = XYZ_Widget_Resize_Set_Note(&out, note);
            if (r == MI_RESULT_OK)
                r = XYZ_Widget_Resize_Set_Part(&out, &part);
            if (r == MI_RESULT_OK)
                r = XYZ_Widget_Resize_Set_Codes(&out, codes, MI_COUNT(codes));
            XYZ_Widget_Resize_Set_MIReturn(&out, 0);
            if (r == MI_RESULT_OK)
                r = XYZ_Widget_Resize_Post(&out, context);
            XYZ_Widget_Resize_Destruct(&out);
        }
        XYZ_Part_Destruct(&part);
    }
    MI_Context_PostResult(context, r);
}

/* ---- Later: the operation ends on another thread */

struct later
{
    MI_Context* context;
    MI_Uint32 delayMs;
};

static void* later_thread(void* arg)
{
    struct later* job = (struct later*)arg;
    MI_Context* context = job->context;
    MI_Uint32 waited = 0;
    MI_Char status[TEXT_CAP];
    XYZ_Widget_Later out;
    MI_Result r;

    while (waited < job->delayMs)
    {
        MI_Boolean canceled = MI_FALSE;
        MI_Uint32 step = job->delayMs - waited < 10 ? job->delayMs - waited : 10;

        if (MI_Context_Canceled(context, &canceled) == MI_RESULT_OK && canceled)
        {
            free(job);
            MI_Context_PostResult(context, MI_RESULT_CANCELED);
            return NULL;
        }
        sleep_ms(step);
        waited += step;
    }

    status[0] = 0;
    xyz_cat(status, TEXT_CAP, MI_T("waited "));
    xyz_cat_u64(status, TEXT_CAP, job->delayMs);
    xyz_cat(status, TEXT_CAP, MI_T(" ms"));
    MI_Context_WriteProgress(context, MI_T("Later"), NULL, status, 100, 0);

    r = XYZ_Widget_Later_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Widget_Later_Set_MIReturn(&out, job->delayMs);
        r = XYZ_Widget_Later_Post(&out, context);
        XYZ_Widget_Later_Destruct(&out);
    }
    free(job);
    MI_Context_PostResult(context, r);
    return NULL;
}

void MI_CALL XYZ_Widget_Invoke_Later(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Later* in)
{
    struct later* job;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    job = (struct later*)malloc(sizeof(*job));
    if (!job)
    {
        MI_Context_PostResult(context, MI_RESULT_SERVER_LIMITS_EXCEEDED);
        return;
    }
    job->context = context;
    job->delayMs = in && in->DelayMs.exists ? in->DelayMs.value : 0;
    if (XYZ_Threads_Start(later_thread, job) != MI_RESULT_OK)
    {
        free(job);
        MI_Context_PostResult(context, MI_RESULT_FAILED);
    }
    /* returns at once: the thread posts the result */
}

/* ---- Pin and Release */

static void post_code(MI_Context* context, MI_Result code, int pin)
{
    MI_Result r;

    if (pin)
    {
        XYZ_Widget_Pin out;
        r = XYZ_Widget_Pin_Construct(&out, context);
        if (r == MI_RESULT_OK)
        {
            XYZ_Widget_Pin_Set_MIReturn(&out, code);
            r = XYZ_Widget_Pin_Post(&out, context);
            XYZ_Widget_Pin_Destruct(&out);
        }
    }
    else
    {
        XYZ_Widget_Release out;
        r = XYZ_Widget_Release_Construct(&out, context);
        if (r == MI_RESULT_OK)
        {
            XYZ_Widget_Release_Set_MIReturn(&out, code);
            r = XYZ_Widget_Release_Post(&out, context);
            XYZ_Widget_Release_Destruct(&out);
        }
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Widget_Invoke_Pin(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Pin* in)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(in);

    post_code(context, MI_Context_RefuseUnload(context), 1);
}

void MI_CALL XYZ_Widget_Invoke_Release(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Release* in)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(in);

    post_code(context, MI_Context_RequestUnload(context), 0);
}

/* ---- Ask: the prompt slots, each call's code and answer reported */

#define ASK_MAX 16

void MI_CALL XYZ_Widget_Invoke_Ask(
    _In_opt_ XYZ_Widget_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Widget* instanceName,
    _In_opt_ const XYZ_Widget_Ask* in)
{
    MI_Uint32 codes[ASK_MAX];
    MI_Boolean answers[ASK_MAX];
    MI_Uint32 kind = in && in->Kind.exists ? in->Kind.value : 0;
    MI_Uint32 times = in && in->Times.exists ? in->Times.value : 1;
    const MI_Char* text = in && in->Text.exists ? in->Text.value : NULL;
    MI_Uint32 i, yes = 0;
    XYZ_Widget_Ask out;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (times > ASK_MAX)
        times = ASK_MAX;
    for (i = 0; i < times; i++)
    {
        MI_Boolean flag = 7; /* neither MI_TRUE nor MI_FALSE: "not written" */
        switch (kind)
        {
        case 0: codes[i] = MI_Context_ShouldProcess(context, text, MI_T("Restart service"), &flag); break;
        case 1: codes[i] = MI_Context_ShouldContinue(context, text, &flag); break;
        case 2: codes[i] = MI_Context_PromptUser(context, text, MI_PROMPTTYPE_NORMAL, &flag); break;
        case 3: codes[i] = MI_Context_PromptUser(context, text, MI_PROMPTTYPE_CRITICAL, &flag); break;
        case 4: codes[i] = MI_Context_PromptUser(context, text, (MI_PromptType)7, &flag); break;
        default: codes[i] = MI_Context_ShouldProcess(context, text, MI_T("Restart service"), NULL); break;
        }
        answers[i] = flag == MI_TRUE;
        if (flag == 7)
            codes[i] += 1000; /* the slot did not write the flag */
        if (codes[i] == MI_RESULT_OK && flag == MI_TRUE)
        {
            yes++;
            MI_Context_WriteVerbose(context, MI_T("Ask: going on"));
        }
    }
    r = XYZ_Widget_Ask_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Widget_Ask_Set_MIReturn(&out, yes);
        XYZ_Widget_Ask_Set_Codes(&out, codes, times);
        XYZ_Widget_Ask_Set_Answers(&out, answers, times);
        r = XYZ_Widget_Ask_Post(&out, context);
        XYZ_Widget_Ask_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}
