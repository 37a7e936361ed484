/* @migen@ */
/* The provider functions of XYZ_Bad (hand-written): static methods that break
 * MI's rules, so that a test can see what the host answers. Each records,
 * in order, the MI_Result codes its calls returned into a module-global list
 * (reset when the method starts); LastCodes() returns that list, which is how
 * a test reads codes that come after the method's output was posted or after
 * its operation ended. Where it still can, a method also returns its codes
 * in its own out-parameter Codes[].
 *
 * What a correct host gives each (mi-psrp's contexts are documented in
 * include/MI.h; OMI's provider manager, Unix/provmgr/context.c and
 * Unix/base/instance.c, for comparison):
 *
 * PostTwice()    posts its out-parameters (MIReturn 0, Codes []), then
 *                PostResult(MI_RESULT_OK), then PostResult(MI_RESULT_FAILED).
 *                LastCodes: [post, first PostResult, second PostResult]
 *                = [0, 0, 1]: the second PostResult returns MI_RESULT_FAILED
 *                (mi-psrp: "MI_RESULT_FAILED when the operation had already
 *                ended") and changes nothing: the operation succeeded, with
 *                that output. (OMI wipes its context at the first
 *                PostResult; the second one then fails its magic check,
 *                MI_RESULT_INVALID_PARAMETER, when the memory is still there.)
 *
 * PostAfterEnd() PostResult(MI_RESULT_OK) first, then PostInstance(its
 *                out-parameters, cloned before the end), WriteVerbose,
 *                WriteProgress, Canceled, PostError(MI_RESULT_FAILED).
 *                LastCodes: [0, 1, 1, 1, 1, 1]: everything after the end
 *                returns MI_RESULT_FAILED and sends nothing; the operation
 *                succeeded with no output at all. The host must keep the
 *                context valid until the method returns.
 *
 * BadIndex()     on its out-parameters instance (2 elements: MIReturn,
 *                Codes), with n = GetElementCount: SetElementAt(n),
 *                SetElementAt(n + 100), GetElementAt(n), GetElementAt(n + 100),
 *                ClearElementAt(n), ClearElementAt(n + 100). Posts MIReturn = n
 *                (2) and Codes = those six codes, then PostResult(OK);
 *                LastCodes: the six codes, then the post's code (0).
 *                Each of the six must fail and touch nothing. MI.h documents
 *                MI_RESULT_NOT_FOUND among SetElementAt's/GetElement's codes;
 *                OMI returns MI_RESULT_FAILED from Set/ClearElementAt and
 *                MI_RESULT_INVALID_PARAMETER from GetElementAt (and, a bug,
 *                reads one past its property array at index == n).
 *
 * WrongType()    on its out-parameters instance: SetElement("MIReturn",
 *                MI_STRING), SetElementAt(0 = MIReturn, MI_BOOLEAN),
 *                SetElementAt(1 = Codes, MI_UINT32: a scalar for an array),
 *                GetElement("NoSuchThing"), SetElement("NoSuchThing",
 *                MI_UINT32), ClearElement("NoSuchThing"), AddElement("Extra",
 *                MI_UINT32) (an instance with a declaration cannot grow),
 *                SetElement("mireturn", MI_UINT32 9) (names are
 *                case-insensitive). Posts MIReturn (9 when the last call
 *                worked, else 0) and Codes = the eight codes, then
 *                PostResult(OK). Expected Codes: [13, 13, 13, 12, 12, 12, 1,
 *                0] = TYPE_MISMATCH x3, NO_SUCH_PROPERTY x3, FAILED (OMI's
 *                code for AddElement on a non-dynamic instance), OK; and
 *                MIReturn 9.
 *
 * NullName()     SetElement, GetElement, ClearElement and AddElement with a
 *                NULL name on its out-parameters; on a new dynamic instance
 *                (NewDynamicInstance "XYZ_Dynamic", MI_FLAG_CLASS)
 *                AddElement with a NULL name and with "" (not a CIM name);
 *                NewDynamicInstance with a NULL class name; WriteMessage
 *                (verbose) with a NULL message. Posts MIReturn 0 and Codes =
 *                those eight codes, then PostResult(OK). Expected: all eight
 *                MI_RESULT_INVALID_PARAMETER (4), nothing sent for the
 *                message.
 *
 * OtherClass()   posts an XYZ_Part (Name "intruder", Weight 1) as if it were
 *                the method's output, then its real out-parameters (MIReturn
 *                0, Codes = [the first post's code]), then PostResult(OK).
 *                LastCodes: [first post, second post, PostResult]. A host
 *                that checks what a method posts refuses the XYZ_Part (a
 *                method's output is an instance of its parameters;
 *                MI_RESULT_INVALID_PARAMETER is the natural code) and then
 *                takes the real one: [4, 0, 0]. OMI checks nothing (and its
 *                client sees the XYZ_Part): [0, 0, 0].
 *
 * NeverEnds()    RegisterCancel(callback), a progress record, and returns
 *                without PostResult. The operation stays open until the host
 *                cancels it; the callback records the reason and calls
 *                PostResult(MI_RESULT_CANCELED) (MI_RESULT_FAILED: MI_Result
 *                has no cancelled code, see xyz_util.h), recording its code.
 *                LastCodes after the cancel: [RegisterCancel, WriteProgress,
 *                reason, PostResult] = [0, 0, reason, 0] -- reason
 *                MI_REASON_NONE (0) for a plain cancel, MI_REASON_TIMEOUT
 *                (1), _SHUTDOWN (2), _SERVICESTOP (3). (When the operation
 *                was already cancelled, the callback runs inside
 *                RegisterCancel: [reason, 0, 0, 1].)
 *
 * LastCodes()    posts MIReturn = how many codes are recorded and Codes = the
 *                codes, then PostResult(OK). Does not reset them. */
#include <pthread.h>
#include <MI.h>
#include "XYZ_Bad.h"
#include "XYZ_Part.h"
#include "xyz_util.h"

/* ---- the record of codes */

static pthread_mutex_t g_codes_lock = PTHREAD_MUTEX_INITIALIZER;
static MI_Uint32 g_codes[XYZ_MAX_CODES];
static MI_Uint32 g_ncodes;

void XYZ_Codes_Reset(void)
{
    pthread_mutex_lock(&g_codes_lock);
    g_ncodes = 0;
    pthread_mutex_unlock(&g_codes_lock);
}

void XYZ_Codes_Add(MI_Uint32 code)
{
    pthread_mutex_lock(&g_codes_lock);
    if (g_ncodes < XYZ_MAX_CODES)
        g_codes[g_ncodes++] = code;
    pthread_mutex_unlock(&g_codes_lock);
}

MI_Uint32 XYZ_Codes_Get(MI_Uint32 codes[XYZ_MAX_CODES])
{
    MI_Uint32 i, n;

    pthread_mutex_lock(&g_codes_lock);
    n = g_ncodes;
    for (i = 0; i < n; i++)
        codes[i] = g_codes[i];
    pthread_mutex_unlock(&g_codes_lock);
    return n;
}

static MI_Result rec(MI_Result r)
{
    XYZ_Codes_Add(r);
    return r;
}

/* ---- the class */

void MI_CALL XYZ_Bad_Load(
    _Outptr_result_maybenull_ XYZ_Bad_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(selfModule);

    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL XYZ_Bad_Unload(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context)
{
    MI_UNREFERENCED_PARAMETER(self);

    MI_Context_PostResult(context, MI_RESULT_OK);
}

#define UNUSED_INVOKE_ARGS() \
    MI_UNREFERENCED_PARAMETER(self); \
    MI_UNREFERENCED_PARAMETER(nameSpace); \
    MI_UNREFERENCED_PARAMETER(className); \
    MI_UNREFERENCED_PARAMETER(methodName); \
    MI_UNREFERENCED_PARAMETER(instanceName); \
    MI_UNREFERENCED_PARAMETER(in)

void MI_CALL XYZ_Bad_Invoke_PostTwice(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_PostTwice* in)
{
    static const MI_Uint32 none[1] = { 0 };
    XYZ_Bad_PostTwice out;
    MI_Result r;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    r = XYZ_Bad_PostTwice_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Bad_PostTwice_Set_MIReturn(&out, 0);
        XYZ_Bad_PostTwice_Set_Codes(&out, none, 0);
        rec(XYZ_Bad_PostTwice_Post(&out, context));
        XYZ_Bad_PostTwice_Destruct(&out);
    }
    rec(MI_Context_PostResult(context, r));
    rec(MI_Context_PostResult(context, MI_RESULT_FAILED));
}

void MI_CALL XYZ_Bad_Invoke_PostAfterEnd(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_PostAfterEnd* in)
{
    static const MI_Uint32 none[1] = { 0 };
    XYZ_Bad_PostAfterEnd out;
    XYZ_Bad_PostAfterEnd* copy = NULL;
    MI_Boolean canceled = MI_FALSE;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    /* The out-parameters, cloned so that they outlive the operation (an
     * instance a context constructed may belong to the operation). */
    if (XYZ_Bad_PostAfterEnd_Construct(&out, context) == MI_RESULT_OK)
    {
        XYZ_Bad_PostAfterEnd_Set_MIReturn(&out, 0);
        XYZ_Bad_PostAfterEnd_Set_Codes(&out, none, 0);
        XYZ_Bad_PostAfterEnd_Clone(&out, &copy);
        XYZ_Bad_PostAfterEnd_Destruct(&out);
    }

    rec(MI_Context_PostResult(context, MI_RESULT_OK));
    rec(copy ? MI_Context_PostInstance(context, &copy->__instance) : MI_RESULT_FAILED);
    rec(MI_Context_WriteVerbose(context, MI_T("written after the end")));
    rec(MI_Context_WriteProgress(context, MI_T("After the end"), NULL, MI_T("too late"), 50, 1));
    rec(MI_Context_Canceled(context, &canceled));
    rec(MI_Context_PostError(context, MI_RESULT_FAILED, MI_RESULT_TYPE_MI, MI_T("too late")));
    if (copy)
        XYZ_Bad_PostAfterEnd_Delete(copy);
}

void MI_CALL XYZ_Bad_Invoke_BadIndex(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_BadIndex* in)
{
    XYZ_Bad_BadIndex out;
    MI_Uint32 codes[6];
    MI_Uint32 n = 0;
    MI_Value v;
    const MI_Char* name = NULL;
    MI_Type type = 0;
    MI_Uint32 flags = 0;
    MI_Result r;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    r = XYZ_Bad_BadIndex_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        MI_Instance* inst = &out.__instance;

        MI_Instance_GetElementCount(inst, &n);
        v.uint32 = 7;
        codes[0] = rec(MI_Instance_SetElementAt(inst, n, &v, MI_UINT32, 0));
        codes[1] = rec(MI_Instance_SetElementAt(inst, n + 100, &v, MI_UINT32, 0));
        codes[2] = rec(MI_Instance_GetElementAt(inst, n, &name, &v, &type, &flags));
        codes[3] = rec(MI_Instance_GetElementAt(inst, n + 100, &name, &v, &type, &flags));
        codes[4] = rec(MI_Instance_ClearElementAt(inst, n));
        codes[5] = rec(MI_Instance_ClearElementAt(inst, n + 100));
        XYZ_Bad_BadIndex_Set_MIReturn(&out, n);
        r = XYZ_Bad_BadIndex_Set_Codes(&out, codes, MI_COUNT(codes));
        if (r == MI_RESULT_OK)
            r = rec(XYZ_Bad_BadIndex_Post(&out, context));
        XYZ_Bad_BadIndex_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Bad_Invoke_WrongType(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_WrongType* in)
{
    XYZ_Bad_WrongType out;
    MI_Uint32 codes[8];
    MI_Value v;
    MI_Type type = 0;
    MI_Uint32 flags = 0, index = 0;
    MI_Result r;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    r = XYZ_Bad_WrongType_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        MI_Instance* inst = &out.__instance;

        XYZ_Bad_WrongType_Set_MIReturn(&out, 0);
        v.string = (MI_Char*)MI_T("not a number");
        codes[0] = rec(MI_Instance_SetElement(inst, MI_T("MIReturn"), &v, MI_STRING, 0));
        v.boolean = MI_TRUE;
        codes[1] = rec(MI_Instance_SetElementAt(inst, 0, &v, MI_BOOLEAN, 0));
        v.uint32 = 5;
        codes[2] = rec(MI_Instance_SetElementAt(inst, 1, &v, MI_UINT32, 0));
        codes[3] = rec(MI_Instance_GetElement(inst, MI_T("NoSuchThing"), &v, &type, &flags, &index));
        v.uint32 = 5;
        codes[4] = rec(MI_Instance_SetElement(inst, MI_T("NoSuchThing"), &v, MI_UINT32, 0));
        codes[5] = rec(MI_Instance_ClearElement(inst, MI_T("NoSuchThing")));
        codes[6] = rec(MI_Instance_AddElement(inst, MI_T("Extra"), &v, MI_UINT32, 0));
        v.uint32 = 9;
        codes[7] = rec(MI_Instance_SetElement(inst, MI_T("mireturn"), &v, MI_UINT32, 0));
        r = XYZ_Bad_WrongType_Set_Codes(&out, codes, MI_COUNT(codes));
        if (r == MI_RESULT_OK)
            r = rec(XYZ_Bad_WrongType_Post(&out, context));
        XYZ_Bad_WrongType_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Bad_Invoke_NullName(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_NullName* in)
{
    XYZ_Bad_NullName out;
    MI_Instance* dyn = NULL;
    MI_Uint32 codes[8];
    MI_Value v;
    MI_Type type = 0;
    MI_Uint32 flags = 0, index = 0;
    MI_Result r;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    r = XYZ_Bad_NullName_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        MI_Instance* inst = &out.__instance;

        v.uint32 = 1;
        codes[0] = rec(MI_Instance_SetElement(inst, NULL, &v, MI_UINT32, 0));
        codes[1] = rec(MI_Instance_GetElement(inst, NULL, &v, &type, &flags, &index));
        codes[2] = rec(MI_Instance_ClearElement(inst, NULL));
        v.uint32 = 1;
        codes[3] = rec(MI_Instance_AddElement(inst, NULL, &v, MI_UINT32, 0));

        r = MI_Context_NewDynamicInstance(context, MI_T("XYZ_Dynamic"), MI_FLAG_CLASS, &dyn);
        if (r == MI_RESULT_OK && dyn)
        {
            codes[4] = rec(MI_Instance_AddElement(dyn, NULL, &v, MI_UINT32, 0));
            codes[5] = rec(MI_Instance_AddElement(dyn, MI_T(""), &v, MI_UINT32, 0));
            MI_Instance_Delete(dyn);
        }
        else
        {
            codes[4] = rec(r);
            codes[5] = rec(r);
        }
        dyn = NULL;
        codes[6] = rec(MI_Context_NewDynamicInstance(context, NULL, MI_FLAG_CLASS, &dyn));
        if (codes[6] == MI_RESULT_OK && dyn)
            MI_Instance_Delete(dyn);
        codes[7] = rec(MI_Context_WriteMessage(context, MI_WRITEMESSAGE_CHANNEL_VERBOSE, NULL));

        XYZ_Bad_NullName_Set_MIReturn(&out, 0);
        r = XYZ_Bad_NullName_Set_Codes(&out, codes, MI_COUNT(codes));
        if (r == MI_RESULT_OK)
            r = rec(XYZ_Bad_NullName_Post(&out, context));
        XYZ_Bad_NullName_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Bad_Invoke_OtherClass(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_OtherClass* in)
{
    XYZ_Part intruder;
    XYZ_Bad_OtherClass out;
    MI_Uint32 codes[1];
    MI_Result r;

    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    r = XYZ_Part_Construct(&intruder, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Part_Set_Name(&intruder, MI_T("intruder"));
        XYZ_Part_Set_Weight(&intruder, 1);
        codes[0] = rec(XYZ_Part_Post(&intruder, context));
        XYZ_Part_Destruct(&intruder);
    }
    else
    {
        codes[0] = rec(r);
    }

    r = XYZ_Bad_OtherClass_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Bad_OtherClass_Set_MIReturn(&out, 0);
        r = XYZ_Bad_OtherClass_Set_Codes(&out, codes, MI_COUNT(codes));
        if (r == MI_RESULT_OK)
            r = rec(XYZ_Bad_OtherClass_Post(&out, context));
        XYZ_Bad_OtherClass_Destruct(&out);
    }
    rec(MI_Context_PostResult(context, r));
}

static void MI_CALL never_ends_cancelled(MI_CancellationReason reason, void* callbackData)
{
    MI_Context* context = (MI_Context*)callbackData;

    rec(reason);
    rec(MI_Context_PostResult(context, MI_RESULT_CANCELED));
}

void MI_CALL XYZ_Bad_Invoke_NeverEnds(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_NeverEnds* in)
{
    UNUSED_INVOKE_ARGS();
    XYZ_Codes_Reset();

    rec(MI_Context_RegisterCancel(context, never_ends_cancelled, context));
    rec(MI_Context_WriteProgress(context, MI_T("Never ends"), NULL,
        MI_T("waiting to be cancelled"), XYZ_UNKNOWN, XYZ_UNKNOWN));
    /* no PostResult: the cancel callback ends the operation */
}

void MI_CALL XYZ_Bad_Invoke_LastCodes(
    _In_opt_ XYZ_Bad_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const XYZ_Bad* instanceName,
    _In_opt_ const XYZ_Bad_LastCodes* in)
{
    XYZ_Bad_LastCodes out;
    MI_Uint32 codes[XYZ_MAX_CODES];
    MI_Uint32 n;
    MI_Result r;

    UNUSED_INVOKE_ARGS();

    n = XYZ_Codes_Get(codes);
    r = XYZ_Bad_LastCodes_Construct(&out, context);
    if (r == MI_RESULT_OK)
    {
        XYZ_Bad_LastCodes_Set_MIReturn(&out, n);
        r = XYZ_Bad_LastCodes_Set_Codes(&out, codes, n);
        if (r == MI_RESULT_OK)
            r = XYZ_Bad_LastCodes_Post(&out, context);
        XYZ_Bad_LastCodes_Destruct(&out);
    }
    MI_Context_PostResult(context, r);
}
