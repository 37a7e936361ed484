/* @migen@ */
/*
**==============================================================================
**
** WARNING: THIS FILE WAS AUTOMATICALLY GENERATED. PLEASE DO NOT EDIT.
**
**==============================================================================
*/
#include <ctype.h>
#include <MI.h>
#include "MSFT_Sample.h"

/*
**==============================================================================
**
** Schema Declaration
**
**==============================================================================
*/

MI_EXTERN_C MI_SchemaDecl schemaDecl;

/*
**==============================================================================
**
** Qualifier declarations
**
**==============================================================================
*/

static MI_CONST MI_QualifierDecl Description_qual_decl =
{
    MI_T("Description"), /* name */
    MI_STRING, /* type */
    MI_FLAG_ANY, /* scope */
    MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS|MI_FLAG_TRANSLATABLE, /* flavor */
    0, /* subscript */
    NULL, /* value */
};

static MI_CONST MI_Boolean Key_qual_decl_value = 0;

static MI_CONST MI_QualifierDecl Key_qual_decl =
{
    MI_T("Key"), /* name */
    MI_BOOLEAN, /* type */
    MI_FLAG_PROPERTY|MI_FLAG_REFERENCE, /* scope */
    MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS, /* flavor */
    0, /* subscript */
    &Key_qual_decl_value, /* value */
};

static MI_CONST MI_QualifierDecl Values_qual_decl =
{
    MI_T("Values"), /* name */
    MI_STRINGA, /* type */
    MI_FLAG_METHOD|MI_FLAG_PARAMETER|MI_FLAG_PROPERTY, /* scope */
    MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS|MI_FLAG_TRANSLATABLE, /* flavor */
    0, /* subscript */
    NULL, /* value */
};

static MI_QualifierDecl MI_CONST* MI_CONST qualifierDecls[] =
{
    &Description_qual_decl,
    &Key_qual_decl,
    &Values_qual_decl,
};

/*
**==============================================================================
**
** MSFT_Sample
**
**==============================================================================
*/

/* property MSFT_Sample.Id */
static MI_CONST MI_PropertyDecl MSFT_Sample_Id_prop =
{
    MI_FLAG_PROPERTY|MI_FLAG_KEY, /* flags */
    0x00696402, /* code */
    MI_T("Id"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_STRING, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample, Id), /* offset */
    MI_T("MSFT_Sample"), /* origin */
    MI_T("MSFT_Sample"), /* propagator */
    NULL,
};

static MI_CONST MI_Char* MSFT_Sample_Count_Values_qual_data_value[] =
{
    MI_T("None"),
    MI_T("Some"),
};

static MI_CONST MI_ConstStringA MSFT_Sample_Count_Values_qual_value =
{
    MSFT_Sample_Count_Values_qual_data_value,
    MI_COUNT(MSFT_Sample_Count_Values_qual_data_value),
};

static MI_CONST MI_Qualifier MSFT_Sample_Count_Values_qual =
{
    MI_T("Values"),
    MI_STRINGA,
    MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS|MI_FLAG_TRANSLATABLE,
    &MSFT_Sample_Count_Values_qual_value
};

static MI_Qualifier MI_CONST* MI_CONST MSFT_Sample_Count_quals[] =
{
    &MSFT_Sample_Count_Values_qual,
};

/* property MSFT_Sample.Count */
static MI_CONST MI_PropertyDecl MSFT_Sample_Count_prop =
{
    MI_FLAG_PROPERTY, /* flags */
    0x00637405, /* code */
    MI_T("Count"), /* name */
    MSFT_Sample_Count_quals, /* qualifiers */
    MI_COUNT(MSFT_Sample_Count_quals), /* numQualifiers */
    MI_UINT32, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample, Count), /* offset */
    MI_T("MSFT_Sample"), /* origin */
    MI_T("MSFT_Sample"), /* propagator */
    NULL,
};

/* property MSFT_Sample.Enabled */
static MI_CONST MI_PropertyDecl MSFT_Sample_Enabled_prop =
{
    MI_FLAG_PROPERTY, /* flags */
    0x00656407, /* code */
    MI_T("Enabled"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_BOOLEAN, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample, Enabled), /* offset */
    MI_T("MSFT_Sample"), /* origin */
    MI_T("MSFT_Sample"), /* propagator */
    NULL,
};

/* property MSFT_Sample.Tags */
static MI_CONST MI_PropertyDecl MSFT_Sample_Tags_prop =
{
    MI_FLAG_PROPERTY, /* flags */
    0x00747304, /* code */
    MI_T("Tags"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_STRINGA, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample, Tags), /* offset */
    MI_T("MSFT_Sample"), /* origin */
    MI_T("MSFT_Sample"), /* propagator */
    NULL,
};

static MI_PropertyDecl MI_CONST* MI_CONST MSFT_Sample_props[] =
{
    &MSFT_Sample_Id_prop,
    &MSFT_Sample_Count_prop,
    &MSFT_Sample_Enabled_prop,
    &MSFT_Sample_Tags_prop,
};

/* parameter MSFT_Sample.Reset(): Force */
static MI_CONST MI_ParameterDecl MSFT_Sample_Reset_Force_param =
{
    MI_FLAG_PARAMETER|MI_FLAG_IN, /* flags */
    0x00666505, /* code */
    MI_T("Force"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_BOOLEAN, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample_Reset, Force), /* offset */
};

/* parameter MSFT_Sample.Reset(): Removed */
static MI_CONST MI_ParameterDecl MSFT_Sample_Reset_Removed_param =
{
    MI_FLAG_PARAMETER|MI_FLAG_OUT, /* flags */
    0x00726407, /* code */
    MI_T("Removed"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_UINT32, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample_Reset, Removed), /* offset */
};

/* parameter MSFT_Sample.Reset(): MIReturn */
static MI_CONST MI_ParameterDecl MSFT_Sample_Reset_MIReturn_param =
{
    MI_FLAG_PARAMETER|MI_FLAG_OUT, /* flags */
    0x006D6E08, /* code */
    MI_T("MIReturn"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_UINT32, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(MSFT_Sample_Reset, MIReturn), /* offset */
};

static MI_ParameterDecl MI_CONST* MI_CONST MSFT_Sample_Reset_params[] =
{
    &MSFT_Sample_Reset_MIReturn_param,
    &MSFT_Sample_Reset_Force_param,
    &MSFT_Sample_Reset_Removed_param,
};

/* method MSFT_Sample.Reset() */
MI_CONST MI_MethodDecl MSFT_Sample_Reset_rtti =
{
    MI_FLAG_METHOD, /* flags */
    0x00727405, /* code */
    MI_T("Reset"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MSFT_Sample_Reset_params, /* parameters */
    MI_COUNT(MSFT_Sample_Reset_params), /* numParameters */
    sizeof(MSFT_Sample_Reset), /* size */
    MI_UINT32, /* returnType */
    MI_T("MSFT_Sample"), /* origin */
    MI_T("MSFT_Sample"), /* propagator */
    &schemaDecl, /* schema */
    (MI_ProviderFT_Invoke)MSFT_Sample_Invoke_Reset, /* method */
};

static MI_MethodDecl MI_CONST* MI_CONST MSFT_Sample_meths[] =
{
    &MSFT_Sample_Reset_rtti,
};

static MI_CONST MI_ProviderFT MSFT_Sample_funcs =
{
  (MI_ProviderFT_Load)MSFT_Sample_Load,
  (MI_ProviderFT_Unload)MSFT_Sample_Unload,
  (MI_ProviderFT_GetInstance)MSFT_Sample_GetInstance,
  (MI_ProviderFT_EnumerateInstances)MSFT_Sample_EnumerateInstances,
  (MI_ProviderFT_CreateInstance)MSFT_Sample_CreateInstance,
  (MI_ProviderFT_ModifyInstance)MSFT_Sample_ModifyInstance,
  (MI_ProviderFT_DeleteInstance)MSFT_Sample_DeleteInstance,
  (MI_ProviderFT_AssociatorInstances)NULL,
  (MI_ProviderFT_ReferenceInstances)NULL,
  (MI_ProviderFT_EnableIndications)NULL,
  (MI_ProviderFT_DisableIndications)NULL,
  (MI_ProviderFT_Subscribe)NULL,
  (MI_ProviderFT_Unsubscribe)NULL,
  (MI_ProviderFT_Invoke)NULL,
};

static MI_CONST MI_Char* MSFT_Sample_Description_qual_value = MI_T("A sample class for mi-psrp's generated-provider test");

static MI_CONST MI_Qualifier MSFT_Sample_Description_qual =
{
    MI_T("Description"),
    MI_STRING,
    MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS|MI_FLAG_TRANSLATABLE,
    &MSFT_Sample_Description_qual_value
};

static MI_Qualifier MI_CONST* MI_CONST MSFT_Sample_quals[] =
{
    &MSFT_Sample_Description_qual,
};

/* class MSFT_Sample */
MI_CONST MI_ClassDecl MSFT_Sample_rtti =
{
    MI_FLAG_CLASS, /* flags */
    0x006D650B, /* code */
    MI_T("MSFT_Sample"), /* name */
    MSFT_Sample_quals, /* qualifiers */
    MI_COUNT(MSFT_Sample_quals), /* numQualifiers */
    MSFT_Sample_props, /* properties */
    MI_COUNT(MSFT_Sample_props), /* numProperties */
    sizeof(MSFT_Sample), /* size */
    NULL, /* superClass */
    NULL, /* superClassDecl */
    MSFT_Sample_meths, /* methods */
    MI_COUNT(MSFT_Sample_meths), /* numMethods */
    &schemaDecl, /* schema */
    &MSFT_Sample_funcs, /* functions */
    NULL, /* owningClass */
};

/*
**==============================================================================
**
** __mi_server
**
**==============================================================================
*/

MI_Server* __mi_server;
/*
**==============================================================================
**
** Schema
**
**==============================================================================
*/

static MI_ClassDecl MI_CONST* MI_CONST classes[] =
{
    &MSFT_Sample_rtti,
};

MI_SchemaDecl schemaDecl =
{
    qualifierDecls, /* qualifierDecls */
    MI_COUNT(qualifierDecls), /* numQualifierDecls */
    classes, /* classDecls */
    MI_COUNT(classes), /* classDecls */
};

/*
**==============================================================================
**
** MI_Server Methods
**
**==============================================================================
*/

MI_Result MI_CALL MI_Server_GetVersion(
    MI_Uint32* version){
    return __mi_server->serverFT->GetVersion(version);
}

MI_Result MI_CALL MI_Server_GetSystemName(
    const MI_Char** systemName)
{
    return __mi_server->serverFT->GetSystemName(systemName);
}

