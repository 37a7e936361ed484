/* @migen@ */
/* The provider functions of MSFT_Sample: the stubs omigen / Convert-MofToProvider
 * write, filled in the way a provider does: report progress, verbose and
 * warning messages, construct and post an instance, post a result or an
 * error. Everything goes through the MI_Context the server passes. */
#include <MI.h>
#include "MSFT_Sample.h"

void MI_CALL MSFT_Sample_Load(
    _Outptr_result_maybenull_ MSFT_Sample_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_PostResult(context, MI_RESULT_OK);
}

void MI_CALL MSFT_Sample_Unload(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_PostResult(context, MI_RESULT_OK);
}

void MI_CALL MSFT_Sample_EnumerateInstances(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    static const MI_Char* tags[] = { MI_T("red"), MI_T("blue") };
    MSFT_Sample instance;
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(keysOnly);
    MI_UNREFERENCED_PARAMETER(filter);

    MI_WriteVerbose(context, MI_T("enumerating MSFT_Sample"));
    MI_Context_WriteProgress(context, MI_T("Enumerating samples"), MI_T("sample 1"),
        MI_T("1 of 1"), 50, 1);

    r = MSFT_Sample_Construct(&instance, context);
    if (r != MI_RESULT_OK)
    {
        MI_Context_WriteWarning(context, MI_T("this server cannot construct instances"));
        MI_PostError(context, r, MI_RESULT_TYPE_MI, MI_T("MSFT_Sample_Construct failed"));
        return;
    }
    MSFT_Sample_Set_Id(&instance, MI_T("1"));
    MSFT_Sample_Set_Count(&instance, 42);
    MSFT_Sample_Set_Enabled(&instance, MI_TRUE);
    MSFT_Sample_Set_Tags(&instance, tags, MI_COUNT(tags));
    MSFT_Sample_Post(&instance, context);
    MSFT_Sample_Destruct(&instance);

    MI_WriteProgress(context, MI_T("Enumerating samples"), NULL, MI_T("done"), 100, 0);
    MI_PostResult(context, MI_RESULT_OK);
}

void MI_CALL MSFT_Sample_GetInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(propertySet);

    MI_Context_WriteDebug(context, MI_T("GetInstance"));
    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL MSFT_Sample_CreateInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* newInstance)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(newInstance);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL MSFT_Sample_ModifyInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(modifiedInstance);
    MI_UNREFERENCED_PARAMETER(propertySet);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL MSFT_Sample_DeleteInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);

    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL MSFT_Sample_Invoke_Reset(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const MSFT_Sample* instanceName,
    _In_opt_ const MSFT_Sample_Reset* in)
{
    MSFT_Sample_Reset out;
    MI_Boolean canceled = MI_FALSE;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(methodName);
    MI_UNREFERENCED_PARAMETER(instanceName);

    MI_Context_Canceled(context, &canceled);
    if (canceled || (in && in->Force.exists && !in->Force.value))
    {
        MI_Context_WriteError(context, MI_RESULT_FAILED, MI_RESULT_TYPE_MI,
            MI_T("Reset refused"), &canceled);
        MI_PostResult(context, MI_RESULT_FAILED);
        return;
    }
    if (MSFT_Sample_Reset_Construct(&out, context) == MI_RESULT_OK)
    {
        MSFT_Sample_Reset_Set_Removed(&out, 3);
        MSFT_Sample_Reset_Set_MIReturn(&out, 0);
        MSFT_Sample_Reset_Post(&out, context);
        MSFT_Sample_Reset_Destruct(&out);
    }
    MI_PostResult(context, MI_RESULT_OK);
}
