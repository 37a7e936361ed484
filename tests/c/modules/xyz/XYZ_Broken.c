/* @migen@ */
/* The provider functions of XYZ_Broken (hand-written): a class whose Load
 * fails. Its Load posts MI_RESULT_ACCESS_DENIED, so a correct host never
 * calls anything else of it: every operation on XYZ_Broken ends with
 * MI_RESULT_ACCESS_DENIED (the Load's result) and the functions below, which
 * would post MI_RESULT_FAILED and a warning saying they ran, are never
 * reached. Unload is not called either (the class never loaded). */
#include <MI.h>
#include "XYZ_Broken.h"

static void reached(MI_Context* context, const MI_Char* what)
{
    MI_Context_WriteWarning(context, what);
    MI_Context_PostResult(context, MI_RESULT_FAILED);
}

void MI_CALL XYZ_Broken_Load(
    _Outptr_result_maybenull_ XYZ_Broken_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_ACCESS_DENIED);
}

void MI_CALL XYZ_Broken_Unload(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    reached(context, MI_T("XYZ_Broken_Unload ran, but its Load failed"));
}

void MI_CALL XYZ_Broken_EnumerateInstances(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(keysOnly);
    MI_UNREFERENCED_PARAMETER(filter);

    reached(context, MI_T("XYZ_Broken_EnumerateInstances ran, but its Load failed"));
}

void MI_CALL XYZ_Broken_GetInstance(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Broken* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(propertySet);

    reached(context, MI_T("XYZ_Broken_GetInstance ran, but its Load failed"));
}

void MI_CALL XYZ_Broken_CreateInstance(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Broken* newInstance)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(newInstance);

    reached(context, MI_T("XYZ_Broken_CreateInstance ran, but its Load failed"));
}

void MI_CALL XYZ_Broken_ModifyInstance(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Broken* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(modifiedInstance);
    MI_UNREFERENCED_PARAMETER(propertySet);

    reached(context, MI_T("XYZ_Broken_ModifyInstance ran, but its Load failed"));
}

void MI_CALL XYZ_Broken_DeleteInstance(
    _In_opt_ XYZ_Broken_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Broken* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);

    reached(context, MI_T("XYZ_Broken_DeleteInstance ran, but its Load failed"));
}
