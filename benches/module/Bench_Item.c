/* @migen@ */
/* The provider functions of Bench_Item, the benchmark's provider
 * (benches/modules.rs): the stubs omigen / Convert-MofToProvider write for
 * the class, filled in the way a generated provider is usually written.
 * Nothing here knows about mi-psrp: it includes only MI.h and the generated
 * header.
 *
 *   SetCount (static)   sets how many instances the next EnumerateInstances
 *                       posts (a module global; default 1), posts
 *                       MIReturn = 0 and PostResult(OK). (A posted
 *                       Bench_Item must belong to an EnumerateInstances or
 *                       Get: an Invoke posts only its own out-parameters.)
 *   EnumerateInstances  Count times: Bench_Item_Construct on the stack, every
 *                       one of the 20 properties set through its generated
 *                       _Set_ helper (copied: the helpers pass no flag),
 *                       Bench_Item_Post, Bench_Item_Destruct; then
 *                       PostResult(OK), or the first failing call's code.
 *   Progress (static)   writes Count progress records (the yardstick's
 *                       record, percent i % 101) through
 *                       MI_Context_WriteProgress, asking MI_Context_Canceled
 *                       before each; Count 0: until cancelled. Posts
 *                       MIReturn = the records written and PostResult(OK);
 *                       when cancelled PostResult(MI_RESULT_FAILED) at once
 *                       (benches/serve.rs).
 *   everything else     MI_RESULT_NOT_SUPPORTED.
 */
#include <string.h>
#include <MI.h>
#include "Bench_Item.h"

static MI_Uint32 count = 1;

void MI_CALL Bench_Item_Load(
    _Outptr_result_maybenull_ Bench_Item_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL Bench_Item_Unload(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

/* "item-" and `i` as six digits (at least), NUL-terminated, into `buf` (16). */
static void item_name(MI_Char* buf, MI_Uint32 i)
{
    static const MI_Char prefix[] = MI_T("item-");
    MI_Char digits[12];
    size_t n = 0, k, len = sizeof(prefix) / sizeof(prefix[0]) - 1;

    do
    {
        digits[n++] = (MI_Char)(MI_T('0') + (int)(i % 10));
        i /= 10;
    } while (i || n < 6);
    memcpy(buf, prefix, len * sizeof(MI_Char));
    for (k = 0; k < n; k++)
        buf[len + k] = digits[n - 1 - k];
    buf[len + n] = 0;
}

static MI_Result build_and_post(MI_Context* context, MI_Uint32 i)
{
    static const MI_Char* tags[] =
    {
        MI_T("finance"), MI_T("replicated"), MI_T("tier-1"), MI_T("eu-west")
    };
    Bench_Item item;
    MI_Char name[24];
    MI_Datetime modified;
    MI_Result r, d;

    r = Bench_Item_Construct(&item, context);
    if (r != MI_RESULT_OK)
        return r;

    item_name(name, i);
    memset(&modified, 0, sizeof(modified));
    modified.isTimestamp = 1;
    modified.u.timestamp.year = 2026;
    modified.u.timestamp.month = 11;
    modified.u.timestamp.day = 21;
    modified.u.timestamp.hour = 14;
    modified.u.timestamp.minute = 3;
    modified.u.timestamp.second = 27;
    modified.u.timestamp.microseconds = 123456;
    modified.u.timestamp.utc = 0;

    if (r == MI_RESULT_OK) r = Bench_Item_Set_Name(&item, name);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Caption(&item, MI_T("Contoso storage volume"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Description(&item,
        MI_T("Primary data volume of the accounting department, replicated nightly"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Path(&item, MI_T("/srv/data/accounting/2026/quarterly-reports"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Owner(&item, MI_T("CONTOSO\\jdoe"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Status(&item, MI_T("OK"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Version(&item, MI_T("10.0.19045.4291"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Vendor(&item, MI_T("Contoso Ltd."));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Hash(&item,
        MI_T("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Priority(&item, 3);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Offset(&item, -120);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Port(&item, 8443);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Items(&item, 1234);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Delta(&item, -42);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Flags(&item, 0x80000001u);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Size(&item, MI_ULL(1099511627776));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Balance(&item, -MI_LL(9876543210));
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Modified(&item, modified);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Ratio(&item, 0.75);
    if (r == MI_RESULT_OK) r = Bench_Item_Set_Tags(&item, tags, (MI_Uint32)MI_COUNT(tags));
    if (r == MI_RESULT_OK) r = Bench_Item_Post(&item, context);

    d = Bench_Item_Destruct(&item);
    return r != MI_RESULT_OK ? r : d;
}

void MI_CALL Bench_Item_EnumerateInstances(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    MI_Uint32 i, n = count;
    MI_Result r = MI_RESULT_OK;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(keysOnly);
    MI_UNREFERENCED_PARAMETER(filter);

    for (i = 0; i < n && r == MI_RESULT_OK; i++)
        r = build_and_post(context, i + 1);
    MI_Context_PostResult(context, r);
}

void MI_CALL Bench_Item_GetInstance(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Bench_Item* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(propertySet);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Bench_Item_CreateInstance(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Bench_Item* newInstance)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(newInstance);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Bench_Item_ModifyInstance(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Bench_Item* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(modifiedInstance);
    MI_UNREFERENCED_PARAMETER(propertySet);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Bench_Item_DeleteInstance(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const Bench_Item* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL Bench_Item_Invoke_SetCount(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const Bench_Item* instanceName,
    _In_opt_ const Bench_Item_SetCount* in)
{
    Bench_Item_SetCount out;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (!in || !in->Count.exists)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    count = in->Count.value;

    r = Bench_Item_SetCount_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        Bench_Item_SetCount_Set_MIReturn(&out, 0);
        r = Bench_Item_SetCount_Post(&out, context);
        Bench_Item_SetCount_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL Bench_Item_Invoke_Progress(
    _In_opt_ Bench_Item_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const Bench_Item* instanceName,
    _In_opt_ const Bench_Item_Progress* in)
{
    Bench_Item_Progress out;
    MI_Uint32 i, n;
    MI_Boolean cancelled = MI_FALSE;
    MI_Result r = MI_RESULT_OK;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (!in || !in->Count.exists)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    n = in->Count.value;
    for (i = 0; n == 0 || i < n; i++)
    {
        if (MI_Context_Canceled(context, &cancelled) != MI_RESULT_OK || cancelled)
            break;
        r = MI_Context_WriteProgress(context, MI_T("Copying files"),
            MI_T("copying sample.txt"), MI_T("35 of 50 items copied"), i % 101, 30);
        if (r != MI_RESULT_OK)
            break;
    }
    if (cancelled || r != MI_RESULT_OK)
    {
        MI_Context_PostResult(context, cancelled ? MI_RESULT_FAILED : r);
        return;
    }

    r = Bench_Item_Progress_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        Bench_Item_Progress_Set_MIReturn(&out, i);
        r = Bench_Item_Progress_Post(&out, context);
        Bench_Item_Progress_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}
