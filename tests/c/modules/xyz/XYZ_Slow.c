/* @migen@ */
/* The provider functions of XYZ_Slow (hand-written): a class whose Load ends
 * later, on a thread of its own, as MI allows (the host must wait for the
 * PostResult, from whatever thread and whenever it comes). Its Load starts a
 * thread that sleeps 30 ms and then posts MI_RESULT_OK (Unload joins it);
 * EnumerateInstances
 * posts one XYZ_Slow whose Name says how many times the class was loaded
 * ("loaded 1": a correct host loads a class once). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <MI.h>
#include "XYZ_Slow.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned g_loads;
/* The thread Load started: joined by Unload, so that no code of the module
 * runs once the host may unload it (a detached thread returning into an
 * unloaded library crashes the process). */
static pthread_t g_thread;
static int g_started;

static void* post_later(void* context)
{
    struct timespec t = { 0, 30 * 1000 * 1000 };
    nanosleep(&t, NULL);
    MI_Context_PostResult((MI_Context*)context, MI_RESULT_OK);
    return NULL;
}

void MI_CALL XYZ_Slow_Load(
    _Outptr_result_maybenull_ XYZ_Slow_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context)
{
    pthread_t thread;

    MI_UNREFERENCED_PARAMETER(selfModule);
    *self = NULL;
    pthread_mutex_lock(&g_lock);
    g_loads++;
    pthread_mutex_unlock(&g_lock);
    if (pthread_create(&thread, NULL, post_later, context) != 0)
    {
        MI_Context_PostResult(context, MI_RESULT_FAILED);
        return;
    }
    pthread_mutex_lock(&g_lock);
    g_thread = thread;
    g_started = 1;
    pthread_mutex_unlock(&g_lock);
}

void MI_CALL XYZ_Slow_Unload(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context)
{
    int started;
    pthread_t thread;

    MI_UNREFERENCED_PARAMETER(self);
    pthread_mutex_lock(&g_lock);
    started = g_started;
    thread = g_thread;
    g_started = 0;
    pthread_mutex_unlock(&g_lock);
    if (started)
        pthread_join(thread, NULL);
    MI_Context_PostResult(context, MI_RESULT_OK);
}

void MI_CALL XYZ_Slow_EnumerateInstances(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter)
{
    XYZ_Slow inst;
    MI_Result r;
    unsigned loads;

    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_UNREFERENCED_PARAMETER(keysOnly);
    MI_UNREFERENCED_PARAMETER(filter);

    pthread_mutex_lock(&g_lock);
    loads = g_loads;
    pthread_mutex_unlock(&g_lock);
    r = XYZ_Slow_Construct(&inst, context);
    if (r == MI_RESULT_OK)
    {
        r = XYZ_Slow_Set_Name(&inst, loads == 1 ? MI_T("loaded 1") : MI_T("loaded more than once"));
        if (r == MI_RESULT_OK)
            r = XYZ_Slow_Post(&inst, context);
        XYZ_Slow_Destruct(&inst);
    }
    MI_Context_PostResult(context, r);
}

void MI_CALL XYZ_Slow_GetInstance(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Slow* instanceName,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL XYZ_Slow_CreateInstance(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Slow* newInstance)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(newInstance);
    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL XYZ_Slow_ModifyInstance(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Slow* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(modifiedInstance);
    MI_UNREFERENCED_PARAMETER(propertySet);
    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}

void MI_CALL XYZ_Slow_DeleteInstance(
    _In_opt_ XYZ_Slow_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const XYZ_Slow* instanceName)
{
    MI_UNREFERENCED_PARAMETER(self);
    MI_UNREFERENCED_PARAMETER(nameSpace);
    MI_UNREFERENCED_PARAMETER(className);
    MI_UNREFERENCED_PARAMETER(instanceName);
    MI_Context_PostResult(context, MI_RESULT_NOT_SUPPORTED);
}
