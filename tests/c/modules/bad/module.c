/* A module that is wrong on purpose (hand-written, not generated): what its
 * MI_Main returns depends on the name of the file it was loaded from
 * (tests load copies named lib..-<case>.so, see tests/common/modules.rs's
 * module_copy), so that one source gives every refusal a host must make:
 *
 *   -null      MI_Main returns NULL
 *   -version   a module version newer than 1.1.0
 *   -charsize  charSize 3 (neither 1 nor sizeof(wchar_t))
 *   -noschema  no schema and no dynamic provider table
 *   -badfield  a class whose property field lies outside its structure
 *   -loadfail  the module's Load posts MI_RESULT_ACCESS_DENIED
 *   (other)    a sound, empty module (one class, no provider) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <MI.h>

typedef struct _Bad_Thing
{
    MI_Instance __instance;
    MI_ConstStringField Name;
}
Bad_Thing;

static MI_CONST MI_PropertyDecl Bad_Thing_Name_prop =
{
    MI_FLAG_PROPERTY|MI_FLAG_KEY, /* flags */
    0x006E6504, /* code */
    MI_T("Name"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_STRING, /* type */
    NULL, /* className */
    0, /* subscript */
    offsetof(Bad_Thing, Name), /* offset */
    MI_T("Bad_Thing"), /* origin */
    MI_T("Bad_Thing"), /* propagator */
    NULL,
};

/* The same property, its field past the end of the structure. */
static MI_CONST MI_PropertyDecl Bad_Thing_Far_prop =
{
    MI_FLAG_PROPERTY, /* flags */
    0x00667203, /* code */
    MI_T("Far"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    MI_STRING, /* type */
    NULL, /* className */
    0, /* subscript */
    sizeof(Bad_Thing) + 64, /* offset */
    MI_T("Bad_Thing"), /* origin */
    MI_T("Bad_Thing"), /* propagator */
    NULL,
};

static MI_PropertyDecl MI_CONST* MI_CONST good_props[] = { &Bad_Thing_Name_prop };
static MI_PropertyDecl MI_CONST* MI_CONST bad_props[] = { &Bad_Thing_Name_prop, &Bad_Thing_Far_prop };

static MI_ClassDecl Bad_Thing_rtti =
{
    MI_FLAG_CLASS, /* flags */
    0x00626709, /* code */
    MI_T("Bad_Thing"), /* name */
    NULL, /* qualifiers */
    0, /* numQualifiers */
    good_props, /* properties */
    MI_COUNT(good_props), /* numProperties */
    sizeof(Bad_Thing), /* size */
    NULL, /* superClass */
    NULL, /* superClassDecl */
    NULL, /* methods */
    0, /* numMethods */
    NULL, /* schema */
    NULL, /* providerFT */
    NULL, /* owningClass */
};

static MI_ClassDecl MI_CONST* MI_CONST classes[] = { &Bad_Thing_rtti };

static MI_SchemaDecl schemaDecl =
{
    NULL, /* qualifierDecls */
    0, /* numQualifierDecls */
    classes, /* classDecls */
    MI_COUNT(classes), /* numClassDecls */
};

static void MI_CALL Load(MI_Module_Self** self, struct _MI_Context* context)
{
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_ACCESS_DENIED);
}

static void MI_CALL Unload(MI_Module_Self* self, struct _MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_Context_PostResult(context, MI_RESULT_OK);
}

/* Whether the file this module was loaded from is named for `which`. */
static int named(const char* which)
{
    Dl_info info;
    if (dladdr((void*)&schemaDecl, &info) == 0 || info.dli_fname == NULL)
        return 0;
    return strstr(info.dli_fname, which) != NULL;
}

MI_EXTERN_C MI_EXPORT MI_Module* MI_MAIN_CALL MI_Main(MI_Server* server)
{
    static MI_Module module;
    MI_UNREFERENCED_PARAMETER(server);
    if (named("-null."))
        return NULL;
    module.flags = 0;
    module.charSize = sizeof(MI_Char);
    module.version = MI_VERSION;
    module.generatorVersion = MI_MAKE_VERSION(1, 0, 0);
    module.schemaDecl = &schemaDecl;
    module.Load = NULL;
    module.Unload = Unload;
    if (named("-version."))
        module.version = MI_MAKE_VERSION(1, 2, 0);
    if (named("-charsize."))
        module.charSize = 3;
    if (named("-noschema."))
        module.schemaDecl = NULL;
    if (named("-badfield."))
    {
        Bad_Thing_rtti.properties = bad_props;
        Bad_Thing_rtti.numProperties = MI_COUNT(bad_props);
    }
    if (named("-loadfail."))
        module.Load = Load;
    return &module;
}
