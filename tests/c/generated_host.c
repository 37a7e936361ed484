/* Loads the generated-shape provider of tests/c/generated/ (a shared object,
 * argv[1]) the way a CIM server does: dlopen, MI_Main(server), then the
 * module's Load and the class's provider functions, each with an MI_Context.
 * First with a recording context (its table checks every call and argument,
 * whatever MI_CHAR_TYPE), then with a context made for the module's charSize by
 * libmi_psrp, whose sink must receive the provider's progress. Prints one
 * line per failed check and "N passed, M failed". */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "mi.h"
#include "mi_psrp.h"

static int passed, failed;

#define CHECK(cond)                                                     \
    do {                                                                \
        if (cond) {                                                     \
            passed++;                                                   \
        } else {                                                        \
            failed++;                                                   \
            printf("FAILED line %d: %s\n", __LINE__, #cond);            \
        }                                                               \
    } while (0)

static int eq(const MI_Char *a, const MI_Char *b) {
    if (!a || !b) return a == b;
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* ---- the server */
static MI_Result MI_CALL server_version(MI_Uint32 *version) {
    *version = MI_VERSION;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL server_name(const MI_Char **name) {
    *name = MI_T("testhost");
    return MI_RESULT_OK;
}
static const MI_ServerFT server_ft = {server_version, server_name};

/* ---- a recording instance table */
static struct {
    int set_id, set_tags, destructs;
} inst_log;

static MI_Result MI_CALL inst_set_element_at(MI_Instance *self, MI_Uint32 index, const MI_Value *value,
                                             MI_Type type, MI_Uint32 flags) {
    (void)self;
    (void)flags;
    if (index == 0 && type == MI_STRING && eq(value->string, MI_T("1"))) inst_log.set_id++;
    if (index == 3 && type == MI_STRINGA && value->stringa.size == 2 &&
        eq(value->stringa.data[1], MI_T("blue")))
        inst_log.set_tags++;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL inst_destruct(MI_Instance *self) {
    (void)self;
    inst_log.destructs++;
    return MI_RESULT_OK;
}
static MI_InstanceFT instance_ft;

/* ---- a recording context table */
static struct {
    int results, last_result, progress, verbose, constructs, posts, errors;
    MI_Uint32 last_percent, posted_count, posted_removed;
    int posted_count_exists;
} log_;
static const MI_ClassDecl *sample_class;
static const MI_MethodDecl *reset_method;

static MI_Result MI_CALL ctx_post_result(MI_Context *c, MI_Result r) {
    (void)c;
    log_.results++;
    log_.last_result = (int)r;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_write_message(MI_Context *c, MI_Uint32 channel, const MI_Char *m) {
    (void)c;
    if (channel == MI_WRITEMESSAGE_CHANNEL_VERBOSE && eq(m, MI_T("enumerating MSFT_Sample")))
        log_.verbose++;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_write_progress(MI_Context *c, const MI_Char *activity, const MI_Char *op,
                                            const MI_Char *status, MI_Uint32 pct, MI_Uint32 secs) {
    (void)c;
    (void)op;
    (void)status;
    (void)secs;
    if (eq(activity, MI_T("Enumerating samples"))) log_.progress++;
    log_.last_percent = pct;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_construct_instance(MI_Context *c, const MI_ClassDecl *cd, MI_Instance *inst) {
    (void)c;
    if (cd != sample_class) return MI_RESULT_INVALID_PARAMETER;
    memset(inst, 0, cd->size);
    inst->ft = &instance_ft;
    inst->classDecl = cd;
    log_.constructs++;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_construct_parameters(MI_Context *c, const MI_MethodDecl *md, MI_Instance *inst) {
    (void)c;
    if (md != reset_method) return MI_RESULT_INVALID_PARAMETER;
    memset(inst, 0, md->size);
    inst->ft = &instance_ft;
    log_.constructs++;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_post_instance(MI_Context *c, const MI_Instance *inst) {
    (void)c;
    log_.posts++;
    if (inst->classDecl == sample_class) {
        /* Read the Count field where the schema says it is. */
        const MI_PropertyDecl *count = sample_class->properties[1];
        const MI_ConstUint32Field *f =
            (const MI_ConstUint32Field *)((const char *)inst + count->offset);
        log_.posted_count = f->value;
        log_.posted_count_exists = f->exists;
    } else {
        const MI_ParameterDecl *removed = reset_method->parameters[2];
        log_.posted_removed =
            ((const MI_ConstUint32Field *)((const char *)inst + removed->offset))->value;
    }
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_canceled(const MI_Context *c, MI_Boolean *flag) {
    (void)c;
    *flag = MI_FALSE;
    return MI_RESULT_OK;
}
static MI_Result MI_CALL ctx_post_error(MI_Context *c, MI_Uint32 code, const MI_Char *type, const MI_Char *m) {
    (void)c;
    (void)code;
    (void)type;
    (void)m;
    log_.errors++;
    return MI_RESULT_OK;
}
static MI_ContextFT context_ft;

/* ---- libmi_psrp's sink */
static int fragments;
/* Message types of the records libmi_psrp sent, in order (single fragments). */
static uint32_t types[16];

static void count_fragment(void *user, const uint8_t *fragment, size_t length) {
    (void)user;
    if (length >= 29 && fragments < 16)
        types[fragments] = (uint32_t)fragment[25] | (uint32_t)fragment[26] << 8 |
                           (uint32_t)fragment[27] << 16 | (uint32_t)fragment[28] << 24;
    fragments++;
}

typedef MI_Module *(MI_MAIN_CALL *main_fn)(MI_Server *);
typedef MI_Result(MI_CALL *version_fn)(MI_Uint32 *);

int main(int argc, char **argv) {
    void *so, *sym;
    main_fn mi_main;
    version_fn get_version;
    MI_Server server;
    MI_Module *module;
    const MI_ClassDecl *cd;
    MI_Context ctx;
    MI_Module_Self *module_self = NULL;
    void *self = NULL;
    MI_Uint32 version = 0;

    if (argc != 2) return 2;
    so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    sym = dlsym(so, "MI_Main");
    CHECK(sym != NULL);
    if (!sym) return 1;
    memcpy(&mi_main, &sym, sizeof sym);

    memset(&server, 0, sizeof server);
    server.serverFT = &server_ft;
    server.contextFT = &context_ft;
    server.instanceFT = &instance_ft;
    module = mi_main(&server);

    /* The module, as generated. */
    CHECK(module != NULL);
    CHECK(module->charSize == sizeof(MI_Char));
    CHECK(module->version == MI_VERSION);
    CHECK(module->generatorVersion == MI_MAKE_VERSION(1, 0, 0));
    CHECK((module->flags & MI_MODULE_FLAG_DESCRIPTIONS) != 0);
    CHECK(module->Load != NULL && module->Unload != NULL);
    CHECK(module->schemaDecl->numClassDecls == 1);
    cd = module->schemaDecl->classDecls[0];
    sample_class = cd;
    CHECK(eq(cd->name, MI_T("MSFT_Sample")));
    CHECK(cd->code == 0x006D650B);
    CHECK(cd->flags == MI_FLAG_CLASS);
    CHECK(cd->schema == module->schemaDecl);
    CHECK(cd->numQualifiers == 1 && eq(cd->qualifiers[0]->name, MI_T("Description")));
    CHECK(eq(*(const MI_Char *const *)cd->qualifiers[0]->value,
             MI_T("A sample class for mi-psrp's generated-provider test")));
    CHECK(module->schemaDecl->numQualifierDecls == 3 &&
          eq(module->schemaDecl->qualifierDecls[2]->name, MI_T("Values")) &&
          module->schemaDecl->qualifierDecls[1]->type == MI_BOOLEAN);
    CHECK(cd->numProperties == 4);
    CHECK(cd->properties[1]->numQualifiers == 1);
    {
        const MI_ConstStringA *values = (const MI_ConstStringA *)cd->properties[1]->qualifiers[0]->value;
        CHECK(values->size == 2 && eq(values->data[1], MI_T("Some")));
    }
    CHECK(eq(cd->properties[0]->name, MI_T("Id")) && cd->properties[0]->type == MI_STRING &&
          cd->properties[0]->flags == (MI_FLAG_PROPERTY | MI_FLAG_KEY));
    CHECK(cd->properties[0]->offset == sizeof(MI_Instance));
    CHECK(cd->properties[1]->type == MI_UINT32 &&
          cd->properties[1]->offset == sizeof(MI_Instance) + sizeof(MI_ConstStringField));
    CHECK(cd->properties[3]->type == MI_STRINGA);
    CHECK(cd->size == cd->properties[3]->offset + sizeof(MI_ConstStringAField));
    CHECK(cd->numMethods == 1 && eq(cd->methods[0]->name, MI_T("Reset")));
    reset_method = cd->methods[0];
    CHECK(reset_method->numParameters == 3 && reset_method->returnType == MI_UINT32);
    CHECK(reset_method->function != NULL);
    CHECK(cd->providerFT->EnumerateInstances != NULL && cd->providerFT->Invoke == NULL);

    /* The generated MI_Server_* functions reach the server through __mi_server. */
    sym = dlsym(so, "MI_Server_GetVersion");
    CHECK(sym != NULL);
    if (sym) {
        memcpy(&get_version, &sym, sizeof sym);
        CHECK(get_version(&version) == MI_RESULT_OK && version == MI_VERSION);
    }

    /* The provider's functions, with a recording context. */
    instance_ft.SetElementAt = inst_set_element_at;
    instance_ft.Destruct = inst_destruct;
    context_ft.PostResult = ctx_post_result;
    context_ft.WriteMessage = ctx_write_message;
    context_ft.WriteProgress = ctx_write_progress;
    context_ft.ConstructInstance = ctx_construct_instance;
    context_ft.ConstructParameters = ctx_construct_parameters;
    context_ft.PostInstance = ctx_post_instance;
    context_ft.Canceled = ctx_canceled;
    context_ft.PostError = ctx_post_error;
    memset(&ctx, 0, sizeof ctx);
    ctx.ft = &context_ft;

    module->Load(&module_self, &ctx);
    CHECK(log_.results == 1 && log_.last_result == MI_RESULT_OK);
    cd->providerFT->Load(&self, module_self, &ctx);
    CHECK(log_.results == 2 && log_.last_result == MI_RESULT_OK);
    cd->providerFT->EnumerateInstances(self, &ctx, MI_T("root/test"), MI_T("MSFT_Sample"), NULL,
                                       MI_FALSE, NULL);
    CHECK(log_.verbose == 1);
    CHECK(log_.progress == 2 && log_.last_percent == 100);
    CHECK(log_.constructs == 1 && inst_log.set_id == 1 && inst_log.set_tags == 1);
    CHECK(log_.posts == 1 && log_.posted_count == 42 && log_.posted_count_exists == 1);
    CHECK(inst_log.destructs == 1);
    CHECK(log_.results == 3 && log_.last_result == MI_RESULT_OK && log_.errors == 0);
    {
        /* Invoke Reset(Force = true) through the method declaration. */
        union {
            MI_Instance instance;
            char bytes[512];
        } in;
        MI_ConstBooleanField *force;
        memset(&in, 0, sizeof in);
        CHECK(reset_method->size <= sizeof in);
        force = (MI_ConstBooleanField *)(in.bytes + reset_method->parameters[1]->offset);
        force->value = MI_TRUE;
        force->exists = MI_TRUE;
        reset_method->function(self, &ctx, MI_T("root/test"), MI_T("MSFT_Sample"), MI_T("Reset"),
                               NULL, &in.instance);
        CHECK(log_.constructs == 2 && log_.posts == 2 && log_.posted_removed == 3);
        CHECK(log_.results == 4 && log_.last_result == MI_RESULT_OK);
    }
    cd->providerFT->Unload(self, &ctx);
    module->Unload(module_self, &ctx);
    CHECK(log_.results == 6);

    {
        /* The same provider with a context libmi_psrp makes for the module's
         * character type, as a host does: a verbose line, a progress record,
         * the instance it constructs and posts (PIPELINE_OUTPUT), a progress
         * record, then PostResult's Completed record. */
        mipsrp_pool *pool = NULL;
        MI_Context *real = NULL;
        CHECK(mipsrp_pool_new("6397709e-f7d6-c54d-9568-fd4656ae4820", count_fragment, NULL,
                              &pool) == MI_RESULT_OK);
        CHECK(mipsrp_context_new_ex(pool, "632aa393-254e-b24d-8288-4d968d0da65d", -1, -1,
                                    module->charSize, &real) == MI_RESULT_OK);
        cd->providerFT->EnumerateInstances(self, real, MI_T("root/test"), MI_T("MSFT_Sample"),
                                           NULL, MI_FALSE, NULL);
        MI_Result result = 99;
        CHECK(mipsrp_context_get_outcome(real, &result, NULL, NULL) == MI_RESULT_OK);
        CHECK(result == MI_RESULT_OK);
        mipsrp_context_free(real);
        mipsrp_pool_free(pool);
        /* verbose, progress, the instance, progress, then the Completed record */
        CHECK(fragments == 5);
        CHECK(types[0] == 0x00041008u && types[1] == 0x00041010u && types[2] == 0x00041004u &&
              types[3] == 0x00041010u && types[4] == 0x00041010u);
    }

    dlclose(so);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
