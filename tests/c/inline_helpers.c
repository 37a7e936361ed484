/* Microsoft's inline helpers as include/mi.h defines them (MI_Instance_*,
 * MI_PropertySet_*, MI_Filter_*, MI_Context_*, and the exported MI_Context_*
 * functions, which behave the same): NULL object or NULL table ->
 * MI_RESULT_INVALID_PARAMETER without calling anything; otherwise the call
 * goes to the object's own table, slot for slot, and its result comes back.
 * WriteWarning/WriteVerbose/WriteDebug reach WriteMessage with channel 0/1/2.
 * Compiled as C and C++ with MI_CHAR_TYPE 1 and 2 (tests/inline_helpers.rs).
 * Prints "N passed, M failed". Generated from the helper list once; edit freely. */
#include <stdio.h>
#include <string.h>

#include "mi.h"

static int passed, failed, last_slot, last_channel;
/* What the pointer arguments point to: never read or written by the slots. */
static union {
    MI_Value value;
    MI_Instance instance;
    MI_Session session;
    void *pointer;
    MI_Char text[MI_MAX_LOCALE_SIZE];
} scratch;

static void MI_CALL on_cancel(MI_CancellationReason reason, void *data) {
    (void)reason;
    (void)data;
}
static const void *last_self;

static void check(int ok, const char *what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAILED: %s\n", what);
    }
}

static MI_Result MI_CALL slot_MI_Filter_Evaluate(const MI_Filter *self, const MI_Instance *instance, MI_Boolean *result) {
    last_slot = 1;
    last_self = self;
    (void)instance;
    (void)result;
    return (MI_Result)(1000 + 1);
}

static MI_Result MI_CALL slot_MI_Filter_GetExpression(const MI_Filter *self, const MI_Char **queryLang, const MI_Char **queryExpr) {
    last_slot = 2;
    last_self = self;
    (void)queryLang;
    (void)queryExpr;
    return (MI_Result)(1000 + 2);
}

static MI_Result MI_CALL slot_MI_PropertySet_GetElementCount(const MI_PropertySet *self, MI_Uint32 *count) {
    last_slot = 3;
    last_self = self;
    (void)count;
    return (MI_Result)(1000 + 3);
}

static MI_Result MI_CALL slot_MI_PropertySet_ContainsElement(const MI_PropertySet *self, const MI_Char *name, MI_Boolean *flag) {
    last_slot = 4;
    last_self = self;
    (void)name;
    (void)flag;
    return (MI_Result)(1000 + 4);
}

static MI_Result MI_CALL slot_MI_PropertySet_AddElement(MI_PropertySet *self, const MI_Char *name) {
    last_slot = 5;
    last_self = self;
    (void)name;
    return (MI_Result)(1000 + 5);
}

static MI_Result MI_CALL slot_MI_PropertySet_GetElementAt(const MI_PropertySet *self, MI_Uint32 index, const MI_Char **name) {
    last_slot = 6;
    last_self = self;
    (void)index;
    (void)name;
    return (MI_Result)(1000 + 6);
}

static MI_Result MI_CALL slot_MI_PropertySet_Clear(MI_PropertySet *self) {
    last_slot = 7;
    last_self = self;
    return (MI_Result)(1000 + 7);
}

static MI_Result MI_CALL slot_MI_PropertySet_Destruct(MI_PropertySet *self) {
    last_slot = 8;
    last_self = self;
    return (MI_Result)(1000 + 8);
}

static MI_Result MI_CALL slot_MI_PropertySet_Delete(MI_PropertySet *self) {
    last_slot = 9;
    last_self = self;
    return (MI_Result)(1000 + 9);
}

static MI_Result MI_CALL slot_MI_PropertySet_Clone(const MI_PropertySet *self, MI_PropertySet **newPropertySet) {
    last_slot = 10;
    last_self = self;
    (void)newPropertySet;
    return (MI_Result)(1000 + 10);
}

static MI_Result MI_CALL slot_MI_Instance_Clone(const MI_Instance *self, MI_Instance **newInstance) {
    last_slot = 11;
    last_self = self;
    (void)newInstance;
    return (MI_Result)(1000 + 11);
}

static MI_Result MI_CALL slot_MI_Instance_Destruct(MI_Instance *self) {
    last_slot = 12;
    last_self = self;
    return (MI_Result)(1000 + 12);
}

static MI_Result MI_CALL slot_MI_Instance_Delete(MI_Instance *self) {
    last_slot = 13;
    last_self = self;
    return (MI_Result)(1000 + 13);
}

static MI_Result MI_CALL slot_MI_Instance_IsA(const MI_Instance *self, const MI_ClassDecl *classDecl, MI_Boolean *flag) {
    last_slot = 14;
    last_self = self;
    (void)classDecl;
    (void)flag;
    return (MI_Result)(1000 + 14);
}

static MI_Result MI_CALL slot_MI_Instance_GetClassName(const MI_Instance *self, const MI_Char **className) {
    last_slot = 15;
    last_self = self;
    (void)className;
    return (MI_Result)(1000 + 15);
}

static MI_Result MI_CALL slot_MI_Instance_SetNameSpace(MI_Instance *self, const MI_Char *nameSpace) {
    last_slot = 16;
    last_self = self;
    (void)nameSpace;
    return (MI_Result)(1000 + 16);
}

static MI_Result MI_CALL slot_MI_Instance_GetNameSpace(const MI_Instance *self, const MI_Char **nameSpace) {
    last_slot = 17;
    last_self = self;
    (void)nameSpace;
    return (MI_Result)(1000 + 17);
}

static MI_Result MI_CALL slot_MI_Instance_GetElementCount(const MI_Instance *self, MI_Uint32 *count) {
    last_slot = 18;
    last_self = self;
    (void)count;
    return (MI_Result)(1000 + 18);
}

static MI_Result MI_CALL slot_MI_Instance_AddElement(MI_Instance *self, const MI_Char *name, const MI_Value *value, MI_Type type, MI_Uint32 flags) {
    last_slot = 19;
    last_self = self;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return (MI_Result)(1000 + 19);
}

static MI_Result MI_CALL slot_MI_Instance_SetElementAt(MI_Instance *self, MI_Uint32 index, const MI_Value *value, MI_Type type, MI_Uint32 flags) {
    last_slot = 20;
    last_self = self;
    (void)index;
    (void)value;
    (void)type;
    (void)flags;
    return (MI_Result)(1000 + 20);
}

static MI_Result MI_CALL slot_MI_Instance_SetElement(MI_Instance *self, const MI_Char *name, const MI_Value *value, MI_Type type, MI_Uint32 flags) {
    last_slot = 21;
    last_self = self;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return (MI_Result)(1000 + 21);
}

static MI_Result MI_CALL slot_MI_Instance_GetElement(const MI_Instance *self, const MI_Char *name, MI_Value *value, MI_Type *type, MI_Uint32 *flags, MI_Uint32 *index) {
    last_slot = 22;
    last_self = self;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    (void)index;
    return (MI_Result)(1000 + 22);
}

static MI_Result MI_CALL slot_MI_Instance_GetElementAt(const MI_Instance *self, MI_Uint32 index, const MI_Char **name, MI_Value *value, MI_Type *type, MI_Uint32 *flags) {
    last_slot = 23;
    last_self = self;
    (void)index;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return (MI_Result)(1000 + 23);
}

static MI_Result MI_CALL slot_MI_Instance_ClearElement(MI_Instance *self, const MI_Char *name) {
    last_slot = 24;
    last_self = self;
    (void)name;
    return (MI_Result)(1000 + 24);
}

static MI_Result MI_CALL slot_MI_Instance_ClearElementAt(MI_Instance *self, MI_Uint32 index) {
    last_slot = 25;
    last_self = self;
    (void)index;
    return (MI_Result)(1000 + 25);
}

static MI_Result MI_CALL slot_MI_Instance_GetServerName(const MI_Instance *self, const MI_Char **name) {
    last_slot = 26;
    last_self = self;
    (void)name;
    return (MI_Result)(1000 + 26);
}

static MI_Result MI_CALL slot_MI_Instance_SetServerName(MI_Instance *self, const MI_Char *name) {
    last_slot = 27;
    last_self = self;
    (void)name;
    return (MI_Result)(1000 + 27);
}

static MI_Result MI_CALL slot_MI_Instance_GetClass(const MI_Instance *self, MI_Class **instanceClass) {
    last_slot = 28;
    last_self = self;
    (void)instanceClass;
    return (MI_Result)(1000 + 28);
}

static MI_Result MI_CALL slot_MI_Context_PostResult(MI_Context *context, MI_Result result) {
    last_slot = 29;
    last_self = context;
    (void)result;
    return (MI_Result)(1000 + 29);
}

static MI_Result MI_CALL slot_MI_Context_PostCimError(MI_Context *context, const MI_Instance *error) {
    last_slot = 30;
    last_self = context;
    (void)error;
    return (MI_Result)(1000 + 30);
}

static MI_Result MI_CALL slot_MI_Context_PostError(MI_Context *context, MI_Uint32 resultCode, const MI_Char *resultType, const MI_Char *errorMessage) {
    last_slot = 31;
    last_self = context;
    (void)resultCode;
    (void)resultType;
    (void)errorMessage;
    return (MI_Result)(1000 + 31);
}

static MI_Result MI_CALL slot_MI_Context_PostInstance(MI_Context *context, const MI_Instance *instance) {
    last_slot = 32;
    last_self = context;
    (void)instance;
    return (MI_Result)(1000 + 32);
}

static MI_Result MI_CALL slot_MI_Context_PostIndication(MI_Context *context, const MI_Instance *indication, MI_Uint32 subscriptionIDCount, const MI_Char *bookmark) {
    last_slot = 33;
    last_self = context;
    (void)indication;
    (void)subscriptionIDCount;
    (void)bookmark;
    return (MI_Result)(1000 + 33);
}

static MI_Result MI_CALL slot_MI_Context_ConstructInstance(MI_Context *context, const MI_ClassDecl *classDecl, MI_Instance *instance) {
    last_slot = 34;
    last_self = context;
    (void)classDecl;
    (void)instance;
    return (MI_Result)(1000 + 34);
}

static MI_Result MI_CALL slot_MI_Context_ConstructParameters(MI_Context *context, const MI_MethodDecl *methodDecl, MI_Instance *instance) {
    last_slot = 35;
    last_self = context;
    (void)methodDecl;
    (void)instance;
    return (MI_Result)(1000 + 35);
}

static MI_Result MI_CALL slot_MI_Context_NewInstance(MI_Context *context, const MI_ClassDecl *classDecl, MI_Instance **instance) {
    last_slot = 36;
    last_self = context;
    (void)classDecl;
    (void)instance;
    return (MI_Result)(1000 + 36);
}

static MI_Result MI_CALL slot_MI_Context_NewDynamicInstance(MI_Context *context, const MI_Char *className, MI_Uint32 flags, MI_Instance **instance) {
    last_slot = 37;
    last_self = context;
    (void)className;
    (void)flags;
    (void)instance;
    return (MI_Result)(1000 + 37);
}

static MI_Result MI_CALL slot_MI_Context_NewParameters(MI_Context *context, const MI_MethodDecl *methodDecl, MI_Instance **instance) {
    last_slot = 38;
    last_self = context;
    (void)methodDecl;
    (void)instance;
    return (MI_Result)(1000 + 38);
}

static MI_Result MI_CALL slot_MI_Context_Canceled(const MI_Context *context, MI_Boolean *flag) {
    last_slot = 39;
    last_self = context;
    (void)flag;
    return (MI_Result)(1000 + 39);
}

static MI_Result MI_CALL slot_MI_Context_GetLocale(const MI_Context *context, MI_LocaleType localeType, MI_Char *locale) {
    last_slot = 40;
    last_self = context;
    (void)localeType;
    (void)locale;
    return (MI_Result)(1000 + 40);
}

static MI_Result MI_CALL slot_MI_Context_RegisterCancel(MI_Context *context, MI_CancelCallback callback, void *callbackData) {
    last_slot = 41;
    last_self = context;
    (void)callback;
    (void)callbackData;
    return (MI_Result)(1000 + 41);
}

static MI_Result MI_CALL slot_MI_Context_RequestUnload(MI_Context *context) {
    last_slot = 42;
    last_self = context;
    return (MI_Result)(1000 + 42);
}

static MI_Result MI_CALL slot_MI_Context_RefuseUnload(MI_Context *context) {
    last_slot = 43;
    last_self = context;
    return (MI_Result)(1000 + 43);
}

static MI_Result MI_CALL slot_MI_Context_GetLocalSession(const MI_Context *context, MI_Session *session) {
    last_slot = 44;
    last_self = context;
    (void)session;
    return (MI_Result)(1000 + 44);
}

static MI_Result MI_CALL slot_MI_Context_SetStringOption(MI_Context *context, const MI_Char *name, const MI_Char *value) {
    last_slot = 45;
    last_self = context;
    (void)name;
    (void)value;
    return (MI_Result)(1000 + 45);
}

static MI_Result MI_CALL slot_MI_Context_GetStringOption(MI_Context *context, const MI_Char *name, const MI_Char **value) {
    last_slot = 46;
    last_self = context;
    (void)name;
    (void)value;
    return (MI_Result)(1000 + 46);
}

static MI_Result MI_CALL slot_MI_Context_GetNumberOption(MI_Context *context, const MI_Char *name, MI_Uint32 *value) {
    last_slot = 47;
    last_self = context;
    (void)name;
    (void)value;
    return (MI_Result)(1000 + 47);
}

static MI_Result MI_CALL slot_MI_Context_GetCustomOption(MI_Context *context, const MI_Char *name, MI_Type *valueType, MI_Value *value) {
    last_slot = 48;
    last_self = context;
    (void)name;
    (void)valueType;
    (void)value;
    return (MI_Result)(1000 + 48);
}

static MI_Result MI_CALL slot_MI_Context_GetCustomOptionCount(MI_Context *context, MI_Uint32 *count) {
    last_slot = 49;
    last_self = context;
    (void)count;
    return (MI_Result)(1000 + 49);
}

static MI_Result MI_CALL slot_MI_Context_GetCustomOptionAt(MI_Context *context, MI_Uint32 index, const MI_Char **name, MI_Type *valueType, MI_Value *value) {
    last_slot = 50;
    last_self = context;
    (void)index;
    (void)name;
    (void)valueType;
    (void)value;
    return (MI_Result)(1000 + 50);
}

static MI_Result MI_CALL slot_MI_Context_ShouldProcess(MI_Context *context, const MI_Char *target, const MI_Char *action, MI_Boolean *result) {
    last_slot = 51;
    last_self = context;
    (void)target;
    (void)action;
    (void)result;
    return (MI_Result)(1000 + 51);
}

static MI_Result MI_CALL slot_MI_Context_ShouldContinue(MI_Context *context, const MI_Char *message, MI_Boolean *result) {
    last_slot = 52;
    last_self = context;
    (void)message;
    (void)result;
    return (MI_Result)(1000 + 52);
}

static MI_Result MI_CALL slot_MI_Context_PromptUser(MI_Context *context, const MI_Char *message, MI_PromptType promptType, MI_Boolean *result) {
    last_slot = 53;
    last_self = context;
    (void)message;
    (void)promptType;
    (void)result;
    return (MI_Result)(1000 + 53);
}

static MI_Result MI_CALL slot_MI_Context_WriteError(MI_Context *context, MI_Uint32 resultCode, const MI_Char *resultType, const MI_Char *errorMessage, MI_Boolean *flag) {
    last_slot = 54;
    last_self = context;
    (void)resultCode;
    (void)resultType;
    (void)errorMessage;
    (void)flag;
    return (MI_Result)(1000 + 54);
}

static MI_Result MI_CALL slot_MI_Context_WriteCimError(MI_Context *context, const MI_Instance *error, MI_Boolean *flag) {
    last_slot = 55;
    last_self = context;
    (void)error;
    (void)flag;
    return (MI_Result)(1000 + 55);
}

static MI_Result MI_CALL slot_MI_Context_WriteMessage(MI_Context *context, MI_Uint32 channel, const MI_Char *message) {
    last_slot = 56;
    last_self = context;
    last_channel = (int)channel;
    (void)message;
    return (MI_Result)(1000 + 56);
}

static MI_Result MI_CALL slot_MI_Context_WriteProgress(MI_Context *context, const MI_Char *activity, const MI_Char *currentOperation, const MI_Char *statusDescription, MI_Uint32 percentComplete, MI_Uint32 secondsRemaining) {
    last_slot = 57;
    last_self = context;
    (void)activity;
    (void)currentOperation;
    (void)statusDescription;
    (void)percentComplete;
    (void)secondsRemaining;
    return (MI_Result)(1000 + 57);
}

static MI_Result MI_CALL slot_MI_Context_WriteStreamParameter(MI_Context *context, const MI_Char *name, const MI_Value *value, MI_Type type, MI_Uint32 flags) {
    last_slot = 58;
    last_self = context;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return (MI_Result)(1000 + 58);
}

static MI_Result MI_CALL slot_MI_Context_GetLifecycleIndicationContext(MI_Context *context, MI_LifecycleIndicationContext **lifecycleContext) {
    last_slot = 59;
    last_self = context;
    (void)lifecycleContext;
    return (MI_Result)(1000 + 59);
}

static MI_FilterFT MI_Filter_table;

static MI_PropertySetFT MI_PropertySet_table;

static MI_InstanceFT MI_Instance_table;

static MI_ContextFT MI_Context_table;

int main(void) {
    MI_Filter_table.Evaluate = slot_MI_Filter_Evaluate;
    MI_Filter_table.GetExpression = slot_MI_Filter_GetExpression;
    MI_PropertySet_table.GetElementCount = slot_MI_PropertySet_GetElementCount;
    MI_PropertySet_table.ContainsElement = slot_MI_PropertySet_ContainsElement;
    MI_PropertySet_table.AddElement = slot_MI_PropertySet_AddElement;
    MI_PropertySet_table.GetElementAt = slot_MI_PropertySet_GetElementAt;
    MI_PropertySet_table.Clear = slot_MI_PropertySet_Clear;
    MI_PropertySet_table.Destruct = slot_MI_PropertySet_Destruct;
    MI_PropertySet_table.Delete = slot_MI_PropertySet_Delete;
    MI_PropertySet_table.Clone = slot_MI_PropertySet_Clone;
    MI_Instance_table.Clone = slot_MI_Instance_Clone;
    MI_Instance_table.Destruct = slot_MI_Instance_Destruct;
    MI_Instance_table.Delete = slot_MI_Instance_Delete;
    MI_Instance_table.IsA = slot_MI_Instance_IsA;
    MI_Instance_table.GetClassName = slot_MI_Instance_GetClassName;
    MI_Instance_table.SetNameSpace = slot_MI_Instance_SetNameSpace;
    MI_Instance_table.GetNameSpace = slot_MI_Instance_GetNameSpace;
    MI_Instance_table.GetElementCount = slot_MI_Instance_GetElementCount;
    MI_Instance_table.AddElement = slot_MI_Instance_AddElement;
    MI_Instance_table.SetElementAt = slot_MI_Instance_SetElementAt;
    MI_Instance_table.SetElement = slot_MI_Instance_SetElement;
    MI_Instance_table.GetElement = slot_MI_Instance_GetElement;
    MI_Instance_table.GetElementAt = slot_MI_Instance_GetElementAt;
    MI_Instance_table.ClearElement = slot_MI_Instance_ClearElement;
    MI_Instance_table.ClearElementAt = slot_MI_Instance_ClearElementAt;
    MI_Instance_table.GetServerName = slot_MI_Instance_GetServerName;
    MI_Instance_table.SetServerName = slot_MI_Instance_SetServerName;
    MI_Instance_table.GetClass = slot_MI_Instance_GetClass;
    MI_Context_table.PostResult = slot_MI_Context_PostResult;
    MI_Context_table.PostCimError = slot_MI_Context_PostCimError;
    MI_Context_table.PostError = slot_MI_Context_PostError;
    MI_Context_table.PostInstance = slot_MI_Context_PostInstance;
    MI_Context_table.PostIndication = slot_MI_Context_PostIndication;
    MI_Context_table.ConstructInstance = slot_MI_Context_ConstructInstance;
    MI_Context_table.ConstructParameters = slot_MI_Context_ConstructParameters;
    MI_Context_table.NewInstance = slot_MI_Context_NewInstance;
    MI_Context_table.NewDynamicInstance = slot_MI_Context_NewDynamicInstance;
    MI_Context_table.NewParameters = slot_MI_Context_NewParameters;
    MI_Context_table.Canceled = slot_MI_Context_Canceled;
    MI_Context_table.GetLocale = slot_MI_Context_GetLocale;
    MI_Context_table.RegisterCancel = slot_MI_Context_RegisterCancel;
    MI_Context_table.RequestUnload = slot_MI_Context_RequestUnload;
    MI_Context_table.RefuseUnload = slot_MI_Context_RefuseUnload;
    MI_Context_table.GetLocalSession = slot_MI_Context_GetLocalSession;
    MI_Context_table.SetStringOption = slot_MI_Context_SetStringOption;
    MI_Context_table.GetStringOption = slot_MI_Context_GetStringOption;
    MI_Context_table.GetNumberOption = slot_MI_Context_GetNumberOption;
    MI_Context_table.GetCustomOption = slot_MI_Context_GetCustomOption;
    MI_Context_table.GetCustomOptionCount = slot_MI_Context_GetCustomOptionCount;
    MI_Context_table.GetCustomOptionAt = slot_MI_Context_GetCustomOptionAt;
    MI_Context_table.ShouldProcess = slot_MI_Context_ShouldProcess;
    MI_Context_table.ShouldContinue = slot_MI_Context_ShouldContinue;
    MI_Context_table.PromptUser = slot_MI_Context_PromptUser;
    MI_Context_table.WriteError = slot_MI_Context_WriteError;
    MI_Context_table.WriteCimError = slot_MI_Context_WriteCimError;
    MI_Context_table.WriteMessage = slot_MI_Context_WriteMessage;
    MI_Context_table.WriteProgress = slot_MI_Context_WriteProgress;
    MI_Context_table.WriteStreamParameter = slot_MI_Context_WriteStreamParameter;
    MI_Context_table.GetLifecycleIndicationContext = slot_MI_Context_GetLifecycleIndicationContext;
    {
        MI_Filter filter;
        MI_PropertySet set;
        MI_Instance instance;
        MI_Context context;
        MI_Result r;
        memset(&filter, 0, sizeof filter);
        memset(&set, 0, sizeof set);
        memset(&instance, 0, sizeof instance);
        memset(&context, 0, sizeof context);
        /* MI_Filter_Evaluate */
        check(MI_Filter_Evaluate(NULL, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Filter_Evaluate(NULL)");
        filter.ft = NULL;
        check(MI_Filter_Evaluate(&filter, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Filter_Evaluate(no table)");
        filter.ft = &MI_Filter_table;
        last_slot = 0;
        r = MI_Filter_Evaluate(&filter, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 1) && last_slot == 1 && last_self == (const void *)&filter, "MI_Filter_Evaluate calls Evaluate");
        /* MI_Filter_GetExpression */
        check(MI_Filter_GetExpression(NULL, (const MI_Char **)(void *)&scratch, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Filter_GetExpression(NULL)");
        filter.ft = NULL;
        check(MI_Filter_GetExpression(&filter, (const MI_Char **)(void *)&scratch, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Filter_GetExpression(no table)");
        filter.ft = &MI_Filter_table;
        last_slot = 0;
        r = MI_Filter_GetExpression(&filter, (const MI_Char **)(void *)&scratch, (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 2) && last_slot == 2 && last_self == (const void *)&filter, "MI_Filter_GetExpression calls GetExpression");
        /* MI_PropertySet_GetElementCount */
        check(MI_PropertySet_GetElementCount(NULL, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_GetElementCount(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_GetElementCount(&set, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_GetElementCount(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_GetElementCount(&set, (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 3) && last_slot == 3 && last_self == (const void *)&set, "MI_PropertySet_GetElementCount calls GetElementCount");
        /* MI_PropertySet_ContainsElement */
        check(MI_PropertySet_ContainsElement(NULL, MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_ContainsElement(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_ContainsElement(&set, MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_ContainsElement(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_ContainsElement(&set, MI_T("x"), (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 4) && last_slot == 4 && last_self == (const void *)&set, "MI_PropertySet_ContainsElement calls ContainsElement");
        /* MI_PropertySet_AddElement */
        check(MI_PropertySet_AddElement(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_AddElement(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_AddElement(&set, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_AddElement(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_AddElement(&set, MI_T("x"));
        check(r == (MI_Result)(1000 + 5) && last_slot == 5 && last_self == (const void *)&set, "MI_PropertySet_AddElement calls AddElement");
        /* MI_PropertySet_GetElementAt */
        check(MI_PropertySet_GetElementAt(NULL, 0, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_GetElementAt(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_GetElementAt(&set, 0, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_GetElementAt(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_GetElementAt(&set, 0, (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 6) && last_slot == 6 && last_self == (const void *)&set, "MI_PropertySet_GetElementAt calls GetElementAt");
        /* MI_PropertySet_Clear */
        check(MI_PropertySet_Clear(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Clear(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_Clear(&set) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Clear(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_Clear(&set);
        check(r == (MI_Result)(1000 + 7) && last_slot == 7 && last_self == (const void *)&set, "MI_PropertySet_Clear calls Clear");
        /* MI_PropertySet_Destruct */
        check(MI_PropertySet_Destruct(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Destruct(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_Destruct(&set) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Destruct(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_Destruct(&set);
        check(r == (MI_Result)(1000 + 8) && last_slot == 8 && last_self == (const void *)&set, "MI_PropertySet_Destruct calls Destruct");
        /* MI_PropertySet_Delete */
        check(MI_PropertySet_Delete(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Delete(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_Delete(&set) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Delete(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_Delete(&set);
        check(r == (MI_Result)(1000 + 9) && last_slot == 9 && last_self == (const void *)&set, "MI_PropertySet_Delete calls Delete");
        /* MI_PropertySet_Clone */
        check(MI_PropertySet_Clone(NULL, (MI_PropertySet **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Clone(NULL)");
        set.ft = NULL;
        check(MI_PropertySet_Clone(&set, (MI_PropertySet **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_PropertySet_Clone(no table)");
        set.ft = &MI_PropertySet_table;
        last_slot = 0;
        r = MI_PropertySet_Clone(&set, (MI_PropertySet **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 10) && last_slot == 10 && last_self == (const void *)&set, "MI_PropertySet_Clone calls Clone");
        /* MI_Instance_Clone */
        check(MI_Instance_Clone(NULL, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Clone(NULL)");
        instance.ft = NULL;
        check(MI_Instance_Clone(&instance, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Clone(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_Clone(&instance, (MI_Instance **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 11) && last_slot == 11 && last_self == (const void *)&instance, "MI_Instance_Clone calls Clone");
        /* MI_Instance_Destruct */
        check(MI_Instance_Destruct(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Destruct(NULL)");
        instance.ft = NULL;
        check(MI_Instance_Destruct(&instance) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Destruct(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_Destruct(&instance);
        check(r == (MI_Result)(1000 + 12) && last_slot == 12 && last_self == (const void *)&instance, "MI_Instance_Destruct calls Destruct");
        /* MI_Instance_Delete */
        check(MI_Instance_Delete(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Delete(NULL)");
        instance.ft = NULL;
        check(MI_Instance_Delete(&instance) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_Delete(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_Delete(&instance);
        check(r == (MI_Result)(1000 + 13) && last_slot == 13 && last_self == (const void *)&instance, "MI_Instance_Delete calls Delete");
        /* MI_Instance_IsA */
        check(MI_Instance_IsA(NULL, (const MI_ClassDecl *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_IsA(NULL)");
        instance.ft = NULL;
        check(MI_Instance_IsA(&instance, (const MI_ClassDecl *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_IsA(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_IsA(&instance, (const MI_ClassDecl *)(void *)&scratch, (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 14) && last_slot == 14 && last_self == (const void *)&instance, "MI_Instance_IsA calls IsA");
        /* MI_Instance_GetClassName */
        check(MI_Instance_GetClassName(NULL, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetClassName(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetClassName(&instance, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetClassName(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetClassName(&instance, (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 15) && last_slot == 15 && last_self == (const void *)&instance, "MI_Instance_GetClassName calls GetClassName");
        /* MI_Instance_SetNameSpace */
        check(MI_Instance_SetNameSpace(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetNameSpace(NULL)");
        instance.ft = NULL;
        check(MI_Instance_SetNameSpace(&instance, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetNameSpace(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_SetNameSpace(&instance, MI_T("x"));
        check(r == (MI_Result)(1000 + 16) && last_slot == 16 && last_self == (const void *)&instance, "MI_Instance_SetNameSpace calls SetNameSpace");
        /* MI_Instance_GetNameSpace */
        check(MI_Instance_GetNameSpace(NULL, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetNameSpace(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetNameSpace(&instance, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetNameSpace(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetNameSpace(&instance, (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 17) && last_slot == 17 && last_self == (const void *)&instance, "MI_Instance_GetNameSpace calls GetNameSpace");
        /* MI_Instance_GetElementCount */
        check(MI_Instance_GetElementCount(NULL, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElementCount(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetElementCount(&instance, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElementCount(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetElementCount(&instance, (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 18) && last_slot == 18 && last_self == (const void *)&instance, "MI_Instance_GetElementCount calls GetElementCount");
        /* MI_Instance_AddElement */
        check(MI_Instance_AddElement(NULL, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_AddElement(NULL)");
        instance.ft = NULL;
        check(MI_Instance_AddElement(&instance, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_AddElement(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_AddElement(&instance, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0);
        check(r == (MI_Result)(1000 + 19) && last_slot == 19 && last_self == (const void *)&instance, "MI_Instance_AddElement calls AddElement");
        /* MI_Instance_SetElementAt */
        check(MI_Instance_SetElementAt(NULL, 0, (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetElementAt(NULL)");
        instance.ft = NULL;
        check(MI_Instance_SetElementAt(&instance, 0, (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetElementAt(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_SetElementAt(&instance, 0, (const MI_Value *)(void *)&scratch, 0, 0);
        check(r == (MI_Result)(1000 + 20) && last_slot == 20 && last_self == (const void *)&instance, "MI_Instance_SetElementAt calls SetElementAt");
        /* MI_Instance_SetElement */
        check(MI_Instance_SetElement(NULL, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetElement(NULL)");
        instance.ft = NULL;
        check(MI_Instance_SetElement(&instance, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetElement(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_SetElement(&instance, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0);
        check(r == (MI_Result)(1000 + 21) && last_slot == 21 && last_self == (const void *)&instance, "MI_Instance_SetElement calls SetElement");
        /* MI_Instance_GetElement */
        check(MI_Instance_GetElement(NULL, MI_T("x"), (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElement(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetElement(&instance, MI_T("x"), (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElement(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetElement(&instance, MI_T("x"), (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 22) && last_slot == 22 && last_self == (const void *)&instance, "MI_Instance_GetElement calls GetElement");
        /* MI_Instance_GetElementAt */
        check(MI_Instance_GetElementAt(NULL, 0, (const MI_Char **)(void *)&scratch, (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElementAt(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetElementAt(&instance, 0, (const MI_Char **)(void *)&scratch, (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetElementAt(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetElementAt(&instance, 0, (const MI_Char **)(void *)&scratch, (MI_Value *)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 23) && last_slot == 23 && last_self == (const void *)&instance, "MI_Instance_GetElementAt calls GetElementAt");
        /* MI_Instance_ClearElement */
        check(MI_Instance_ClearElement(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_ClearElement(NULL)");
        instance.ft = NULL;
        check(MI_Instance_ClearElement(&instance, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_ClearElement(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_ClearElement(&instance, MI_T("x"));
        check(r == (MI_Result)(1000 + 24) && last_slot == 24 && last_self == (const void *)&instance, "MI_Instance_ClearElement calls ClearElement");
        /* MI_Instance_ClearElementAt */
        check(MI_Instance_ClearElementAt(NULL, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_ClearElementAt(NULL)");
        instance.ft = NULL;
        check(MI_Instance_ClearElementAt(&instance, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_ClearElementAt(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_ClearElementAt(&instance, 0);
        check(r == (MI_Result)(1000 + 25) && last_slot == 25 && last_self == (const void *)&instance, "MI_Instance_ClearElementAt calls ClearElementAt");
        /* MI_Instance_GetServerName */
        check(MI_Instance_GetServerName(NULL, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetServerName(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetServerName(&instance, (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetServerName(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetServerName(&instance, (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 26) && last_slot == 26 && last_self == (const void *)&instance, "MI_Instance_GetServerName calls GetServerName");
        /* MI_Instance_SetServerName */
        check(MI_Instance_SetServerName(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetServerName(NULL)");
        instance.ft = NULL;
        check(MI_Instance_SetServerName(&instance, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_SetServerName(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_SetServerName(&instance, MI_T("x"));
        check(r == (MI_Result)(1000 + 27) && last_slot == 27 && last_self == (const void *)&instance, "MI_Instance_SetServerName calls SetServerName");
        /* MI_Instance_GetClass */
        check(MI_Instance_GetClass(NULL, (MI_Class **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetClass(NULL)");
        instance.ft = NULL;
        check(MI_Instance_GetClass(&instance, (MI_Class **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Instance_GetClass(no table)");
        instance.ft = &MI_Instance_table;
        last_slot = 0;
        r = MI_Instance_GetClass(&instance, (MI_Class **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 28) && last_slot == 28 && last_self == (const void *)&instance, "MI_Instance_GetClass calls GetClass");
        /* MI_Context_PostResult */
        check(MI_Context_PostResult(NULL, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostResult(NULL)");
        context.ft = NULL;
        check(MI_Context_PostResult(&context, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostResult(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PostResult(&context, 0);
        check(r == (MI_Result)(1000 + 29) && last_slot == 29 && last_self == (const void *)&context, "MI_Context_PostResult calls PostResult");
        /* MI_Context_PostCimError */
        check(MI_Context_PostCimError(NULL, (const MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostCimError(NULL)");
        context.ft = NULL;
        check(MI_Context_PostCimError(&context, (const MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostCimError(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PostCimError(&context, (const MI_Instance *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 30) && last_slot == 30 && last_self == (const void *)&context, "MI_Context_PostCimError calls PostCimError");
        /* MI_Context_PostError */
        check(MI_Context_PostError(NULL, 0, MI_T("x"), MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostError(NULL)");
        context.ft = NULL;
        check(MI_Context_PostError(&context, 0, MI_T("x"), MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostError(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PostError(&context, 0, MI_T("x"), MI_T("x"));
        check(r == (MI_Result)(1000 + 31) && last_slot == 31 && last_self == (const void *)&context, "MI_Context_PostError calls PostError");
        /* MI_Context_PostInstance */
        check(MI_Context_PostInstance(NULL, (const MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostInstance(NULL)");
        context.ft = NULL;
        check(MI_Context_PostInstance(&context, (const MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostInstance(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PostInstance(&context, (const MI_Instance *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 32) && last_slot == 32 && last_self == (const void *)&context, "MI_Context_PostInstance calls PostInstance");
        /* MI_Context_PostIndication */
        check(MI_Context_PostIndication(NULL, (const MI_Instance *)(void *)&scratch, 0, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostIndication(NULL)");
        context.ft = NULL;
        check(MI_Context_PostIndication(&context, (const MI_Instance *)(void *)&scratch, 0, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PostIndication(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PostIndication(&context, (const MI_Instance *)(void *)&scratch, 0, MI_T("x"));
        check(r == (MI_Result)(1000 + 33) && last_slot == 33 && last_self == (const void *)&context, "MI_Context_PostIndication calls PostIndication");
        /* MI_Context_ConstructInstance */
        check(MI_Context_ConstructInstance(NULL, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ConstructInstance(NULL)");
        context.ft = NULL;
        check(MI_Context_ConstructInstance(&context, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ConstructInstance(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_ConstructInstance(&context, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 34) && last_slot == 34 && last_self == (const void *)&context, "MI_Context_ConstructInstance calls ConstructInstance");
        /* MI_Context_ConstructParameters */
        check(MI_Context_ConstructParameters(NULL, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ConstructParameters(NULL)");
        context.ft = NULL;
        check(MI_Context_ConstructParameters(&context, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ConstructParameters(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_ConstructParameters(&context, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 35) && last_slot == 35 && last_self == (const void *)&context, "MI_Context_ConstructParameters calls ConstructParameters");
        /* MI_Context_NewInstance */
        check(MI_Context_NewInstance(NULL, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewInstance(NULL)");
        context.ft = NULL;
        check(MI_Context_NewInstance(&context, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewInstance(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_NewInstance(&context, (const MI_ClassDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 36) && last_slot == 36 && last_self == (const void *)&context, "MI_Context_NewInstance calls NewInstance");
        /* MI_Context_NewDynamicInstance */
        check(MI_Context_NewDynamicInstance(NULL, MI_T("x"), 0, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewDynamicInstance(NULL)");
        context.ft = NULL;
        check(MI_Context_NewDynamicInstance(&context, MI_T("x"), 0, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewDynamicInstance(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_NewDynamicInstance(&context, MI_T("x"), 0, (MI_Instance **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 37) && last_slot == 37 && last_self == (const void *)&context, "MI_Context_NewDynamicInstance calls NewDynamicInstance");
        /* MI_Context_NewParameters */
        check(MI_Context_NewParameters(NULL, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewParameters(NULL)");
        context.ft = NULL;
        check(MI_Context_NewParameters(&context, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_NewParameters(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_NewParameters(&context, (const MI_MethodDecl *)(void *)&scratch, (MI_Instance **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 38) && last_slot == 38 && last_self == (const void *)&context, "MI_Context_NewParameters calls NewParameters");
        /* MI_Context_Canceled */
        check(MI_Context_Canceled(NULL, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_Canceled(NULL)");
        context.ft = NULL;
        check(MI_Context_Canceled(&context, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_Canceled(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_Canceled(&context, (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 39) && last_slot == 39 && last_self == (const void *)&context, "MI_Context_Canceled calls Canceled");
        /* MI_Context_GetLocale */
        check(MI_Context_GetLocale(NULL, 0, (MI_Char *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLocale(NULL)");
        context.ft = NULL;
        check(MI_Context_GetLocale(&context, 0, (MI_Char *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLocale(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetLocale(&context, 0, (MI_Char *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 40) && last_slot == 40 && last_self == (const void *)&context, "MI_Context_GetLocale calls GetLocale");
        /* MI_Context_RegisterCancel */
        check(MI_Context_RegisterCancel(NULL, on_cancel, (void *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RegisterCancel(NULL)");
        context.ft = NULL;
        check(MI_Context_RegisterCancel(&context, on_cancel, (void *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RegisterCancel(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_RegisterCancel(&context, on_cancel, (void *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 41) && last_slot == 41 && last_self == (const void *)&context, "MI_Context_RegisterCancel calls RegisterCancel");
        /* MI_Context_RequestUnload */
        check(MI_Context_RequestUnload(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RequestUnload(NULL)");
        context.ft = NULL;
        check(MI_Context_RequestUnload(&context) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RequestUnload(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_RequestUnload(&context);
        check(r == (MI_Result)(1000 + 42) && last_slot == 42 && last_self == (const void *)&context, "MI_Context_RequestUnload calls RequestUnload");
        /* MI_Context_RefuseUnload */
        check(MI_Context_RefuseUnload(NULL) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RefuseUnload(NULL)");
        context.ft = NULL;
        check(MI_Context_RefuseUnload(&context) == MI_RESULT_INVALID_PARAMETER, "MI_Context_RefuseUnload(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_RefuseUnload(&context);
        check(r == (MI_Result)(1000 + 43) && last_slot == 43 && last_self == (const void *)&context, "MI_Context_RefuseUnload calls RefuseUnload");
        /* MI_Context_GetLocalSession */
        check(MI_Context_GetLocalSession(NULL, (MI_Session *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLocalSession(NULL)");
        context.ft = NULL;
        check(MI_Context_GetLocalSession(&context, (MI_Session *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLocalSession(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetLocalSession(&context, (MI_Session *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 44) && last_slot == 44 && last_self == (const void *)&context, "MI_Context_GetLocalSession calls GetLocalSession");
        /* MI_Context_SetStringOption */
        check(MI_Context_SetStringOption(NULL, MI_T("x"), MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_SetStringOption(NULL)");
        context.ft = NULL;
        check(MI_Context_SetStringOption(&context, MI_T("x"), MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_SetStringOption(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_SetStringOption(&context, MI_T("x"), MI_T("x"));
        check(r == (MI_Result)(1000 + 45) && last_slot == 45 && last_self == (const void *)&context, "MI_Context_SetStringOption calls SetStringOption");
        /* MI_Context_GetStringOption */
        check(MI_Context_GetStringOption(NULL, MI_T("x"), (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetStringOption(NULL)");
        context.ft = NULL;
        check(MI_Context_GetStringOption(&context, MI_T("x"), (const MI_Char **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetStringOption(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetStringOption(&context, MI_T("x"), (const MI_Char **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 46) && last_slot == 46 && last_self == (const void *)&context, "MI_Context_GetStringOption calls GetStringOption");
        /* MI_Context_GetNumberOption */
        check(MI_Context_GetNumberOption(NULL, MI_T("x"), (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetNumberOption(NULL)");
        context.ft = NULL;
        check(MI_Context_GetNumberOption(&context, MI_T("x"), (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetNumberOption(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetNumberOption(&context, MI_T("x"), (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 47) && last_slot == 47 && last_self == (const void *)&context, "MI_Context_GetNumberOption calls GetNumberOption");
        /* MI_Context_GetCustomOption */
        check(MI_Context_GetCustomOption(NULL, MI_T("x"), (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOption(NULL)");
        context.ft = NULL;
        check(MI_Context_GetCustomOption(&context, MI_T("x"), (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOption(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetCustomOption(&context, MI_T("x"), (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 48) && last_slot == 48 && last_self == (const void *)&context, "MI_Context_GetCustomOption calls GetCustomOption");
        /* MI_Context_GetCustomOptionCount */
        check(MI_Context_GetCustomOptionCount(NULL, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOptionCount(NULL)");
        context.ft = NULL;
        check(MI_Context_GetCustomOptionCount(&context, (MI_Uint32 *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOptionCount(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetCustomOptionCount(&context, (MI_Uint32 *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 49) && last_slot == 49 && last_self == (const void *)&context, "MI_Context_GetCustomOptionCount calls GetCustomOptionCount");
        /* MI_Context_GetCustomOptionAt */
        check(MI_Context_GetCustomOptionAt(NULL, 0, (const MI_Char **)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOptionAt(NULL)");
        context.ft = NULL;
        check(MI_Context_GetCustomOptionAt(&context, 0, (const MI_Char **)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetCustomOptionAt(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetCustomOptionAt(&context, 0, (const MI_Char **)(void *)&scratch, (MI_Type *)(void *)&scratch, (MI_Value *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 50) && last_slot == 50 && last_self == (const void *)&context, "MI_Context_GetCustomOptionAt calls GetCustomOptionAt");
        /* MI_Context_ShouldProcess */
        check(MI_Context_ShouldProcess(NULL, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ShouldProcess(NULL)");
        context.ft = NULL;
        check(MI_Context_ShouldProcess(&context, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ShouldProcess(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_ShouldProcess(&context, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 51) && last_slot == 51 && last_self == (const void *)&context, "MI_Context_ShouldProcess calls ShouldProcess");
        /* MI_Context_ShouldContinue */
        check(MI_Context_ShouldContinue(NULL, MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ShouldContinue(NULL)");
        context.ft = NULL;
        check(MI_Context_ShouldContinue(&context, MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_ShouldContinue(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_ShouldContinue(&context, MI_T("x"), (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 52) && last_slot == 52 && last_self == (const void *)&context, "MI_Context_ShouldContinue calls ShouldContinue");
        /* MI_Context_PromptUser */
        check(MI_Context_PromptUser(NULL, MI_T("x"), 0, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PromptUser(NULL)");
        context.ft = NULL;
        check(MI_Context_PromptUser(&context, MI_T("x"), 0, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_PromptUser(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_PromptUser(&context, MI_T("x"), 0, (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 53) && last_slot == 53 && last_self == (const void *)&context, "MI_Context_PromptUser calls PromptUser");
        /* MI_Context_WriteError */
        check(MI_Context_WriteError(NULL, 0, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteError(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteError(&context, 0, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteError(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteError(&context, 0, MI_T("x"), MI_T("x"), (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 54) && last_slot == 54 && last_self == (const void *)&context, "MI_Context_WriteError calls WriteError");
        /* MI_Context_WriteCimError */
        check(MI_Context_WriteCimError(NULL, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteCimError(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteCimError(&context, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteCimError(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteCimError(&context, (const MI_Instance *)(void *)&scratch, (MI_Boolean *)(void *)&scratch);
        check(r == (MI_Result)(1000 + 55) && last_slot == 55 && last_self == (const void *)&context, "MI_Context_WriteCimError calls WriteCimError");
        /* MI_Context_WriteMessage */
        check(MI_Context_WriteMessage(NULL, 0, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteMessage(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteMessage(&context, 0, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteMessage(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteMessage(&context, 0, MI_T("x"));
        check(r == (MI_Result)(1000 + 56) && last_slot == 56 && last_self == (const void *)&context, "MI_Context_WriteMessage calls WriteMessage");
        /* MI_Context_WriteProgress */
        check(MI_Context_WriteProgress(NULL, MI_T("x"), MI_T("x"), MI_T("x"), 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteProgress(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteProgress(&context, MI_T("x"), MI_T("x"), MI_T("x"), 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteProgress(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteProgress(&context, MI_T("x"), MI_T("x"), MI_T("x"), 0, 0);
        check(r == (MI_Result)(1000 + 57) && last_slot == 57 && last_self == (const void *)&context, "MI_Context_WriteProgress calls WriteProgress");
        /* MI_Context_WriteStreamParameter */
        check(MI_Context_WriteStreamParameter(NULL, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteStreamParameter(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteStreamParameter(&context, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteStreamParameter(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteStreamParameter(&context, MI_T("x"), (const MI_Value *)(void *)&scratch, 0, 0);
        check(r == (MI_Result)(1000 + 58) && last_slot == 58 && last_self == (const void *)&context, "MI_Context_WriteStreamParameter calls WriteStreamParameter");
        /* MI_Context_GetLifecycleIndicationContext */
        check(MI_Context_GetLifecycleIndicationContext(NULL, (MI_LifecycleIndicationContext **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLifecycleIndicationContext(NULL)");
        context.ft = NULL;
        check(MI_Context_GetLifecycleIndicationContext(&context, (MI_LifecycleIndicationContext **)(void *)&scratch) == MI_RESULT_INVALID_PARAMETER, "MI_Context_GetLifecycleIndicationContext(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_GetLifecycleIndicationContext(&context, (MI_LifecycleIndicationContext **)(void *)&scratch);
        check(r == (MI_Result)(1000 + 59) && last_slot == 59 && last_self == (const void *)&context, "MI_Context_GetLifecycleIndicationContext calls GetLifecycleIndicationContext");
        /* MI_Context_WriteWarning */
        check(MI_Context_WriteWarning(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteWarning(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteWarning(&context, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteWarning(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteWarning(&context, MI_T("x"));
        check(r == (MI_Result)(1000 + 56) && last_slot == 56 && last_self == (const void *)&context, "MI_Context_WriteWarning calls WriteMessage");
        check(last_channel == MI_WRITEMESSAGE_CHANNEL_WARNING, "MI_Context_WriteWarning channel");
        /* MI_Context_WriteVerbose */
        check(MI_Context_WriteVerbose(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteVerbose(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteVerbose(&context, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteVerbose(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteVerbose(&context, MI_T("x"));
        check(r == (MI_Result)(1000 + 56) && last_slot == 56 && last_self == (const void *)&context, "MI_Context_WriteVerbose calls WriteMessage");
        check(last_channel == MI_WRITEMESSAGE_CHANNEL_VERBOSE, "MI_Context_WriteVerbose channel");
        /* MI_Context_WriteDebug */
        check(MI_Context_WriteDebug(NULL, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteDebug(NULL)");
        context.ft = NULL;
        check(MI_Context_WriteDebug(&context, MI_T("x")) == MI_RESULT_INVALID_PARAMETER, "MI_Context_WriteDebug(no table)");
        context.ft = &MI_Context_table;
        last_slot = 0;
        r = MI_Context_WriteDebug(&context, MI_T("x"));
        check(r == (MI_Result)(1000 + 56) && last_slot == 56 && last_self == (const void *)&context, "MI_Context_WriteDebug calls WriteMessage");
        check(last_channel == MI_WRITEMESSAGE_CHANNEL_DEBUG, "MI_Context_WriteDebug channel");
        /* The short names are the MI_Context_* functions. */
        check(MI_PostResult(&context, MI_RESULT_OK) == MI_Context_PostResult(&context, MI_RESULT_OK), "MI_PostResult");
        check(MI_WriteWarning(&context, NULL) == MI_Context_WriteWarning(&context, NULL), "MI_WriteWarning");
        check(MI_PostInstance(&context, NULL) == MI_Context_PostInstance(&context, NULL), "MI_PostInstance");
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
