/* The dyn module's dynamic provider (MI_Module.dynamicProviderFT): one
 * function table for every class, with no class declarations in the schema,
 * so its instances are made at run time with MI_Context_NewDynamicInstance
 * and MI_Instance_AddElement; for one class and one method it also uses a
 * declaration it keeps to itself (Dyn_Fixed, not in the schema) with
 * MI_Context_NewInstance and MI_Context_NewParameters. Every instance it
 * makes it posts and then deletes (MI_Instance_Delete).
 *
 *   Load / Unload       PostResult(OK).
 *   EnumerateInstances  className "Dyn_Fixed": two instances from
 *                       NewInstance(&Dyn_Fixed_rtti) (Name "f1"/"f2", Size
 *                       1/2, set by name with SetElement). Any other class
 *                       name: two dynamic instances OF THAT CLASS NAME
 *                       (NewDynamicInstance(className, MI_FLAG_CLASS)) with
 *                       AddElement: Name (MI_STRING, MI_FLAG_KEY) "one" /
 *                       "two", Label (MI_STRING) "<className> #1" / "#2",
 *                       Count (MI_UINT32) 1 / 2, Tags (MI_STRINGA) ["a", "b"]
 *                       / [] (empty), Nothing (MI_STRING, MI_FLAG_NULL: a
 *                       null property). keysOnly: Name only. Then
 *                       PostResult(OK).
 *   GetInstance         the Name of the instance it gets (GetElement "Name"):
 *                       posts a dynamic instance of that class with Name and
 *                       Label "got <Name>"; MI_RESULT_NOT_FOUND without a
 *                       Name.
 *   Invoke              methodName "Echo": reads Text (MI_STRING) from the
 *                       input parameters (GetElement), posts a dynamic
 *                       parameters instance (NewDynamicInstance(methodName,
 *                       MI_FLAG_METHOD)) with MIReturn (MI_UINT32) 0, Text
 *                       (the same text; "" without one), Length (MI_UINT32,
 *                       in MI_Chars), Twice (MI_STRINGA) [Text, Text].
 *                       "Measure": NewParameters(&Dyn_Fixed_Measure_rtti),
 *                       MIReturn 0 and Size 42 set by name, posted.
 *                       "Server": the MI_Server the module was given in
 *                       MI_Main: MIReturn 0, Version (MI_UINT32, from
 *                       serverFT->GetVersion) and SystemName (MI_STRING,
 *                       from GetSystemName), in a dynamic instance.
 *                       Any other method: MI_RESULT_METHOD_NOT_FOUND.
 *                       Then PostResult(OK), or the first failing call's
 *                       code.
 *   The other slots are NULL. */
#include <MI.h>

MI_EXTERN_C MI_SchemaDecl schemaDecl;
MI_EXTERN_C MI_Server* __mi_server;

/* ---- Dyn_Fixed: a declaration the provider keeps to itself, written as
 *      omigen would write it, but in no schema. */

typedef struct _Dyn_Fixed
{
    MI_Instance __instance;
    /*KEY*/ MI_ConstStringField Name;
    MI_ConstUint64Field Size;
}
Dyn_Fixed;

typedef struct _Dyn_Fixed_Measure
{
    MI_Instance __instance;
    /*OUT*/ MI_ConstUint32Field MIReturn;
    /*OUT*/ MI_ConstUint64Field Size;
}
Dyn_Fixed_Measure;

static MI_CONST MI_PropertyDecl Dyn_Fixed_Name_prop =
{
    MI_FLAG_PROPERTY|MI_FLAG_KEY, /* flags */
    0x006E6504, /* code */
    MI_T("Name"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_STRING, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(Dyn_Fixed, Name), /* offset */
    MI_T("Dyn_Fixed"), /* origin */
    MI_T("Dyn_Fixed"), /* propagator */
    NULL,
};

static MI_CONST MI_PropertyDecl Dyn_Fixed_Size_prop =
{
    MI_FLAG_PROPERTY, /* flags */
    0x00736504, /* code */
    MI_T("Size"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_UINT64, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(Dyn_Fixed, Size), /* offset */
    MI_T("Dyn_Fixed"), /* origin */
    MI_T("Dyn_Fixed"), /* propagator */
    NULL,
};

static MI_PropertyDecl MI_CONST* MI_CONST Dyn_Fixed_props[] =
{
    &Dyn_Fixed_Name_prop,
    &Dyn_Fixed_Size_prop,
};

static MI_CONST MI_ParameterDecl Dyn_Fixed_Measure_MIReturn_param =
{
    MI_FLAG_PARAMETER|MI_FLAG_OUT, /* flags */
    0x006D6E08, /* code */
    MI_T("MIReturn"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_UINT32, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(Dyn_Fixed_Measure, MIReturn), /* offset */
};

static MI_CONST MI_ParameterDecl Dyn_Fixed_Measure_Size_param =
{
    MI_FLAG_PARAMETER|MI_FLAG_OUT, /* flags */
    0x00736504, /* code */
    MI_T("Size"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_UINT64, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(Dyn_Fixed_Measure, Size), /* offset */
};

static MI_ParameterDecl MI_CONST* MI_CONST Dyn_Fixed_Measure_params[] =
{
    &Dyn_Fixed_Measure_MIReturn_param,
    &Dyn_Fixed_Measure_Size_param,
};

static MI_CONST MI_MethodDecl Dyn_Fixed_Measure_rtti =
{
    MI_FLAG_METHOD|MI_FLAG_STATIC, /* flags */
    0x006D6507, /* code */
    MI_T("Measure"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    Dyn_Fixed_Measure_params, /* parameters */
    MI_COUNT(Dyn_Fixed_Measure_params), /* numParameters */
    sizeof(Dyn_Fixed_Measure), /* size */
    MI_UINT32, /* returnType */
    MI_T("Dyn_Fixed"), /* origin */
    MI_T("Dyn_Fixed"), /* propagator */
    &schemaDecl, /* schema */
    NULL, /* method: the dynamic provider's Invoke runs it */
};

static MI_MethodDecl MI_CONST* MI_CONST Dyn_Fixed_meths[] =
{
    &Dyn_Fixed_Measure_rtti,
};

static MI_CONST MI_ClassDecl Dyn_Fixed_rtti =
{
    MI_FLAG_CLASS, /* flags */
    0x00646409, /* code */
    MI_T("Dyn_Fixed"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    Dyn_Fixed_props, /* properties */
    MI_COUNT(Dyn_Fixed_props), /* numProperties */
    sizeof(Dyn_Fixed), /* size */
    NULL, /* superClass */
    NULL, /* superClassDecl */
    Dyn_Fixed_meths, /* methods */
    MI_COUNT(Dyn_Fixed_meths), /* numMethods */
    &schemaDecl, /* schema */
    NULL, /* functions */
    NULL, /* owningClass */
};

/* ---- helpers */

static int eq(const MI_Char* a, const MI_Char* b)
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

static MI_Uint32 length(const MI_Char* s)
{
    MI_Uint32 n = 0;
    while (s && s[n])
        n++;
    return n;
}

/* dst = a + b, truncated to cap MI_Chars with the NUL */
static void join(MI_Char* dst, size_t cap, const MI_Char* a, const MI_Char* b)
{
    size_t n = 0;
    while (a && *a && n + 1 < cap)
        dst[n++] = *a++;
    while (b && *b && n + 1 < cap)
        dst[n++] = *b++;
    dst[n] = 0;
}

static MI_Result add_string(MI_Instance* inst, const MI_Char* name, const MI_Char* s, MI_Uint32 flags)
{
    MI_Value v;
    v.string = (MI_Char*)s;
    return MI_Instance_AddElement(inst, name, &v, MI_STRING, flags);
}

static MI_Result add_uint32(MI_Instance* inst, const MI_Char* name, MI_Uint32 x)
{
    MI_Value v;
    v.uint32 = x;
    return MI_Instance_AddElement(inst, name, &v, MI_UINT32, 0);
}

static MI_Result add_strings(MI_Instance* inst, const MI_Char* name, const MI_Char** data, MI_Uint32 size)
{
    MI_Value v;
    v.stringa.data = (MI_Char**)data;
    v.stringa.size = size;
    return MI_Instance_AddElement(inst, name, &v, MI_STRINGA, 0);
}

/* Posts `inst` and deletes it; returns the first failure. */
static MI_Result post_and_delete(MI_Context* context, MI_Instance* inst, MI_Result r)
{
    if (r == MI_RESULT_OK)
        r = MI_Context_PostInstance(context, inst);
    MI_Instance_Delete(inst);
    return r;
}

/* ---- the dynamic provider */

static void MI_CALL Dyn_Load(void** self, MI_Module_Self* selfModule, MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Dyn_Unload(void* self, MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

static MI_Result enumerate_fixed(MI_Context* context)
{
    static const MI_Char* names[] = { MI_T("f1"), MI_T("f2") };
    MI_Result r = MI_RESULT_OK;
    MI_Uint32 i;

    for (i = 0; i < 2 && r == MI_RESULT_OK; i++)
    {
        MI_Instance* inst = NULL;
        MI_Value v;

        r = MI_Context_NewInstance(context, &Dyn_Fixed_rtti, &inst);
        if (r != MI_RESULT_OK)
            break;
        v.string = (MI_Char*)names[i];
        r = MI_Instance_SetElement(inst, MI_T("Name"), &v, MI_STRING, 0);
        v.uint64 = i + 1;
        if (r == MI_RESULT_OK)
            r = MI_Instance_SetElement(inst, MI_T("Size"), &v, MI_UINT64, 0);
        r = post_and_delete(context, inst, r);
    }
    return r;
}

static void MI_CALL Dyn_EnumerateInstances(
    void* self,
    MI_Context* context,
    const MI_Char* nameSpace,
    const MI_Char* className,
    const MI_PropertySet* propertySet,
    MI_Boolean keysOnly,
    const MI_Filter* filter)
{
    static const MI_Char* names[] = { MI_T("one"), MI_T("two") };
    static const MI_Char* labels[] = { MI_T(" #1"), MI_T(" #2") };
    static const MI_Char* tags[] = { MI_T("a"), MI_T("b") };
    MI_Result r = MI_RESULT_OK;
    MI_Uint32 i;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(filter);

    if (!className)
    {
        MI_Context_PostResult(context, MI_RESULT_INVALID_CLASS);
        return;
    }
    if (eq(className, MI_T("Dyn_Fixed")))
    {
        MI_Context_PostResult(context, enumerate_fixed(context));
        return;
    }
    for (i = 0; i < 2 && r == MI_RESULT_OK; i++)
    {
        MI_Instance* inst = NULL;
        MI_Char label[128];

        r = MI_Context_NewDynamicInstance(context, className, MI_FLAG_CLASS, &inst);
        if (r != MI_RESULT_OK)
            break;
        r = add_string(inst, MI_T("Name"), names[i], MI_FLAG_KEY);
        if (!keysOnly)
        {
            join(label, MI_COUNT(label), className, labels[i]);
            if (r == MI_RESULT_OK)
                r = add_string(inst, MI_T("Label"), label, 0);
            if (r == MI_RESULT_OK)
                r = add_uint32(inst, MI_T("Count"), i + 1);
            if (r == MI_RESULT_OK)
                r = add_strings(inst, MI_T("Tags"), tags, i == 0 ? 2 : 0);
            if (r == MI_RESULT_OK)
                r = add_string(inst, MI_T("Nothing"), NULL, MI_FLAG_NULL);
        }
        r = post_and_delete(context, inst, r);
    }
    MI_Context_PostResult(context, r);
}

static void MI_CALL Dyn_GetInstance(
    void* self,
    MI_Context* context,
    const MI_Char* nameSpace,
    const MI_Char* className,
    const MI_Instance* instanceName,
    const MI_PropertySet* propertySet)
{
    MI_Instance* inst = NULL;
    MI_Value name;
    MI_Type type = 0;
    MI_Uint32 flags = 0;
    MI_Char label[128];
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(propertySet);

    r = MI_Instance_GetElement(instanceName, MI_T("Name"), &name, &type, &flags, NULL);
    if (r != MI_RESULT_OK || type != MI_STRING || (flags & MI_FLAG_NULL) || !name.string)
    {
        MI_Context_PostResult(context, MI_RESULT_NOT_FOUND);
        return;
    }
    r = MI_Context_NewDynamicInstance(context, className, MI_FLAG_CLASS, &inst);
    if (r == MI_RESULT_OK)
    {
        join(label, MI_COUNT(label), MI_T("got "), name.string);
        r = add_string(inst, MI_T("Name"), name.string, MI_FLAG_KEY);
        if (r == MI_RESULT_OK)
            r = add_string(inst, MI_T("Label"), label, 0);
        r = post_and_delete(context, inst, r);
    }
    MI_Context_PostResult(context, r);
}

static MI_Result invoke_echo(MI_Context* context, const MI_Char* methodName, const MI_Instance* in)
{
    MI_Instance* out = NULL;
    MI_Value v;
    MI_Type type = 0;
    MI_Uint32 flags = 0;
    const MI_Char* text = MI_T("");
    const MI_Char* twice[2];
    MI_Result r;

    if (in && MI_Instance_GetElement(in, MI_T("Text"), &v, &type, &flags, NULL) == MI_RESULT_OK
        && type == MI_STRING && !(flags & MI_FLAG_NULL) && v.string)
        text = v.string;
    r = MI_Context_NewDynamicInstance(context, methodName, MI_FLAG_METHOD, &out);
    if (r != MI_RESULT_OK)
        return r;
    twice[0] = twice[1] = text;
    r = add_uint32(out, MI_T("MIReturn"), 0);
    if (r == MI_RESULT_OK)
        r = add_string(out, MI_T("Text"), text, 0);
    if (r == MI_RESULT_OK)
        r = add_uint32(out, MI_T("Length"), length(text));
    if (r == MI_RESULT_OK)
        r = add_strings(out, MI_T("Twice"), twice, 2);
    return post_and_delete(context, out, r);
}

static MI_Result invoke_measure(MI_Context* context)
{
    MI_Instance* out = NULL;
    MI_Value v;
    MI_Result r;

    r = MI_Context_NewParameters(context, &Dyn_Fixed_Measure_rtti, &out);
    if (r != MI_RESULT_OK)
        return r;
    v.uint32 = 0;
    r = MI_Instance_SetElement(out, MI_T("MIReturn"), &v, MI_UINT32, 0);
    v.uint64 = 42;
    if (r == MI_RESULT_OK)
        r = MI_Instance_SetElement(out, MI_T("Size"), &v, MI_UINT64, 0);
    return post_and_delete(context, out, r);
}

static MI_Result invoke_server(MI_Context* context, const MI_Char* methodName)
{
    MI_Instance* out = NULL;
    MI_Uint32 version = 0;
    const MI_Char* systemName = NULL;
    MI_Result r;

    if (!__mi_server || !__mi_server->serverFT)
        return MI_RESULT_FAILED;
    r = __mi_server->serverFT->GetVersion(&version);
    if (r == MI_RESULT_OK)
        r = __mi_server->serverFT->GetSystemName(&systemName);
    if (r != MI_RESULT_OK)
        return r;
    r = MI_Context_NewDynamicInstance(context, methodName, MI_FLAG_METHOD, &out);
    if (r != MI_RESULT_OK)
        return r;
    r = add_uint32(out, MI_T("MIReturn"), 0);
    if (r == MI_RESULT_OK)
        r = add_uint32(out, MI_T("Version"), version);
    if (r == MI_RESULT_OK)
        r = add_string(out, MI_T("SystemName"), systemName, systemName ? 0 : MI_FLAG_NULL);
    return post_and_delete(context, out, r);
}

static void MI_CALL Dyn_Invoke(
    void* self,
    MI_Context* context,
    const MI_Char* nameSpace,
    const MI_Char* className,
    const MI_Char* methodName,
    const MI_Instance* instanceName,
    const MI_Instance* inputParameters)
{
    MI_Result r;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);

    if (eq(methodName, MI_T("Echo")))
        r = invoke_echo(context, methodName, inputParameters);
    else if (eq(methodName, MI_T("Measure")))
        r = invoke_measure(context);
    else if (eq(methodName, MI_T("Server")))
        r = invoke_server(context, methodName);
    else
        r = MI_RESULT_METHOD_NOT_FOUND;
    MI_Context_PostResult(context, r);
}

MI_CONST MI_ProviderFT Dyn_funcs =
{
    Dyn_Load,
    Dyn_Unload,
    Dyn_GetInstance,
    Dyn_EnumerateInstances,
    NULL, /* CreateInstance */
    NULL, /* ModifyInstance */
    NULL, /* DeleteInstance */
    NULL, /* AssociatorInstances */
    NULL, /* ReferenceInstances */
    NULL, /* EnableIndications */
    NULL, /* DisableIndications */
    NULL, /* Subscribe */
    NULL, /* Unsubscribe */
    Dyn_Invoke,
};
