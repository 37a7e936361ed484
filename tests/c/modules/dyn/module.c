/* The dyn test module: a DYNAMIC provider. Its MI_Module has a schema with
 * no classes and sets dynamicProviderFT, so (OMI's MI.h on MI_Module) the
 * server finds no class declaration for a request and calls the dynamic
 * provider's functions for every class and method, with the class and method
 * names as strings. (MI also allows schemaDecl == NULL for a module with only
 * a dynamic provider; this one keeps an empty schema, which is what an
 * omigen-built module with no classes would have.) Written by hand in the
 * shape of a generated module.c; the provider is in dyn.c. */
#include <MI.h>

MI_EXTERN_C MI_SchemaDecl schemaDecl;
MI_EXTERN_C MI_CONST MI_ProviderFT Dyn_funcs;

void MI_CALL Load(_Outptr_result_maybenull_ MI_Module_Self** self, _In_ struct _MI_Context* context)
{
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL Unload(_In_opt_ MI_Module_Self* self, _In_ struct _MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

/* No qualifier declarations, no classes. */
MI_SchemaDecl schemaDecl =
{
    NULL, /* qualifierDecls */
    0, /* numQualifierDecls */
    NULL, /* classDecls */
    0, /* numClassDecls */
};

MI_Server* __mi_server;

MI_EXTERN_C MI_EXPORT MI_Module* MI_MAIN_CALL MI_Main(_In_ MI_Server* server)
{
    static MI_Module module;
    MI_EXTERN_C MI_Server* __mi_server;
    __mi_server = server;
    module.flags |= MI_MODULE_FLAG_STANDARD_QUALIFIERS;
    module.charSize = sizeof(MI_Char);
    module.version = MI_VERSION;
    module.generatorVersion = MI_MAKE_VERSION(1,0,0);
    module.schemaDecl = &schemaDecl;
    module.Load = Load;
    module.Unload = Unload;
    module.dynamicProviderFT = &Dyn_funcs;
    return &module;
}
