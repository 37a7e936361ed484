/* @migen@ */
/*
**==============================================================================
**
** WARNING: THIS FILE WAS AUTOMATICALLY GENERATED. PLEASE DO NOT EDIT.
**
**==============================================================================
*/
#ifndef _MSFT_Sample_h
#define _MSFT_Sample_h

#include <MI.h>

/*
**==============================================================================
**
** MSFT_Sample [MSFT_Sample]
**
** Keys:
**    Id
**
**==============================================================================
*/

typedef struct _MSFT_Sample
{
    MI_Instance __instance;
    /* MSFT_Sample properties */
    /*KEY*/ MI_ConstStringField Id;
    MI_ConstUint32Field Count;
    MI_ConstBooleanField Enabled;
    MI_ConstStringAField Tags;
}
MSFT_Sample;

typedef struct _MSFT_Sample_Ref
{
    MSFT_Sample* value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
MSFT_Sample_Ref;

typedef struct _MSFT_Sample_ConstRef
{
    MI_CONST MSFT_Sample* value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
MSFT_Sample_ConstRef;

typedef struct _MSFT_Sample_Array
{
    struct _MSFT_Sample** data;
    MI_Uint32 size;
}
MSFT_Sample_Array;

typedef struct _MSFT_Sample_ConstArray
{
    struct _MSFT_Sample MI_CONST* MI_CONST* data;
    MI_Uint32 size;
}
MSFT_Sample_ConstArray;

typedef struct _MSFT_Sample_ArrayRef
{
    MSFT_Sample_Array value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
MSFT_Sample_ArrayRef;

typedef struct _MSFT_Sample_ConstArrayRef
{
    MSFT_Sample_ConstArray value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
MSFT_Sample_ConstArrayRef;

MI_EXTERN_C MI_CONST MI_ClassDecl MSFT_Sample_rtti;

MI_INLINE MI_Result MI_CALL MSFT_Sample_Construct(
    _Out_ MSFT_Sample* self,
    _In_ MI_Context* context)
{
    return MI_Context_ConstructInstance(context, &MSFT_Sample_rtti,
        (MI_Instance*)&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Clone(
    _In_ const MSFT_Sample* self,
    _Outptr_ MSFT_Sample** newInstance)
{
    return MI_Instance_Clone(
        &self->__instance, (MI_Instance**)newInstance);
}

MI_INLINE MI_Boolean MI_CALL MSFT_Sample_IsA(
    _In_ const MI_Instance* self)
{
    MI_Boolean res = MI_FALSE;
    return MI_Instance_IsA(self, &MSFT_Sample_rtti, &res) == MI_RESULT_OK && res;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Destruct(_Inout_ MSFT_Sample* self)
{
    return MI_Instance_Destruct(&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Delete(_Inout_ MSFT_Sample* self)
{
    return MI_Instance_Delete(&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Post(
    _In_ const MSFT_Sample* self,
    _In_ MI_Context* context)
{
    return MI_Context_PostInstance(context, &self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Set_Id(
    _Inout_ MSFT_Sample* self,
    _In_z_ const MI_Char* str)
{
    return self->__instance.ft->SetElementAt(
        (MI_Instance*)&self->__instance,
        0,
        (MI_Value*)&str,
        MI_STRING,
        0);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_SetPtr_Id(
    _Inout_ MSFT_Sample* self,
    _In_z_ const MI_Char* str)
{
    return self->__instance.ft->SetElementAt(
        (MI_Instance*)&self->__instance,
        0,
        (MI_Value*)&str,
        MI_STRING,
        MI_FLAG_BORROW);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Clear_Id(
    _Inout_ MSFT_Sample* self)
{
    return self->__instance.ft->ClearElementAt(
        (MI_Instance*)&self->__instance,
        0);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Set_Count(
    _Inout_ MSFT_Sample* self,
    _In_ MI_Uint32 x)
{
    ((MI_Uint32Field*)&self->Count)->value = x;
    ((MI_Uint32Field*)&self->Count)->exists = 1;
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Clear_Count(
    _Inout_ MSFT_Sample* self)
{
    memset((void*)&self->Count, 0, sizeof(self->Count));
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Set_Enabled(
    _Inout_ MSFT_Sample* self,
    _In_ MI_Boolean x)
{
    ((MI_BooleanField*)&self->Enabled)->value = x;
    ((MI_BooleanField*)&self->Enabled)->exists = 1;
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Clear_Enabled(
    _Inout_ MSFT_Sample* self)
{
    memset((void*)&self->Enabled, 0, sizeof(self->Enabled));
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Set_Tags(
    _Inout_ MSFT_Sample* self,
    _In_reads_opt_(size) const MI_Char** data,
    _In_ MI_Uint32 size)
{
    MI_Array arr;
    arr.data = (void*)data;
    arr.size = size;
    return self->__instance.ft->SetElementAt(
        (MI_Instance*)&self->__instance,
        3,
        (MI_Value*)&arr,
        MI_STRINGA,
        0);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_SetPtr_Tags(
    _Inout_ MSFT_Sample* self,
    _In_reads_opt_(size) const MI_Char** data,
    _In_ MI_Uint32 size)
{
    MI_Array arr;
    arr.data = (void*)data;
    arr.size = size;
    return self->__instance.ft->SetElementAt(
        (MI_Instance*)&self->__instance,
        3,
        (MI_Value*)&arr,
        MI_STRINGA,
        MI_FLAG_BORROW);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Clear_Tags(
    _Inout_ MSFT_Sample* self)
{
    return self->__instance.ft->ClearElementAt(
        (MI_Instance*)&self->__instance,
        3);
}

/*
**==============================================================================
**
** MSFT_Sample.Reset()
**
**==============================================================================
*/

typedef struct _MSFT_Sample_Reset
{
    MI_Instance __instance;
    /*OUT*/ MI_ConstUint32Field MIReturn;
    /*IN*/ MI_ConstBooleanField Force;
    /*OUT*/ MI_ConstUint32Field Removed;
}
MSFT_Sample_Reset;

MI_EXTERN_C MI_CONST MI_MethodDecl MSFT_Sample_Reset_rtti;

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Construct(
    _Out_ MSFT_Sample_Reset* self,
    _In_ MI_Context* context)
{
    return MI_Context_ConstructParameters(context, &MSFT_Sample_Reset_rtti,
        (MI_Instance*)&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Clone(
    _In_ const MSFT_Sample_Reset* self,
    _Outptr_ MSFT_Sample_Reset** newInstance)
{
    return MI_Instance_Clone(
        &self->__instance, (MI_Instance**)newInstance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Destruct(
    _Inout_ MSFT_Sample_Reset* self)
{
    return MI_Instance_Destruct(&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Delete(
    _Inout_ MSFT_Sample_Reset* self)
{
    return MI_Instance_Delete(&self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Post(
    _In_ const MSFT_Sample_Reset* self,
    _In_ MI_Context* context)
{
    return MI_Context_PostInstance(context, &self->__instance);
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Set_MIReturn(
    _Inout_ MSFT_Sample_Reset* self,
    _In_ MI_Uint32 x)
{
    ((MI_Uint32Field*)&self->MIReturn)->value = x;
    ((MI_Uint32Field*)&self->MIReturn)->exists = 1;
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Clear_MIReturn(
    _Inout_ MSFT_Sample_Reset* self)
{
    memset((void*)&self->MIReturn, 0, sizeof(self->MIReturn));
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Set_Force(
    _Inout_ MSFT_Sample_Reset* self,
    _In_ MI_Boolean x)
{
    ((MI_BooleanField*)&self->Force)->value = x;
    ((MI_BooleanField*)&self->Force)->exists = 1;
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Clear_Force(
    _Inout_ MSFT_Sample_Reset* self)
{
    memset((void*)&self->Force, 0, sizeof(self->Force));
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Set_Removed(
    _Inout_ MSFT_Sample_Reset* self,
    _In_ MI_Uint32 x)
{
    ((MI_Uint32Field*)&self->Removed)->value = x;
    ((MI_Uint32Field*)&self->Removed)->exists = 1;
    return MI_RESULT_OK;
}

MI_INLINE MI_Result MI_CALL MSFT_Sample_Reset_Clear_Removed(
    _Inout_ MSFT_Sample_Reset* self)
{
    memset((void*)&self->Removed, 0, sizeof(self->Removed));
    return MI_RESULT_OK;
}

/*
**==============================================================================
**
** MSFT_Sample provider function prototypes
**
**==============================================================================
*/

/* The developer may optionally define this structure */
typedef struct _MSFT_Sample_Self MSFT_Sample_Self;

MI_EXTERN_C void MI_CALL MSFT_Sample_Load(
    _Outptr_result_maybenull_ MSFT_Sample_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context);

MI_EXTERN_C void MI_CALL MSFT_Sample_Unload(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context);

MI_EXTERN_C void MI_CALL MSFT_Sample_EnumerateInstances(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter);

MI_EXTERN_C void MI_CALL MSFT_Sample_GetInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* instanceName,
    _In_opt_ const MI_PropertySet* propertySet);

MI_EXTERN_C void MI_CALL MSFT_Sample_CreateInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* newInstance);

MI_EXTERN_C void MI_CALL MSFT_Sample_ModifyInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet);

MI_EXTERN_C void MI_CALL MSFT_Sample_DeleteInstance(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const MSFT_Sample* instanceName);

MI_EXTERN_C void MI_CALL MSFT_Sample_Invoke_Reset(
    _In_opt_ MSFT_Sample_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const MSFT_Sample* instanceName,
    _In_opt_ const MSFT_Sample_Reset* in);


#endif /* _MSFT_Sample_h */
