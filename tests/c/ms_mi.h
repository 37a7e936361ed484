/* A stand-in for Microsoft's mi.h, written from mi-context-abi.md and not
 * derived from mi-psrp's header: the MI_Context layout under Microsoft's own
 * tags (_MI_Context, _MI_ContextFT), Windows' 30-slot table (no OMI slot 30),
 * and Microsoft-style static inline wrappers that call through the table.
 * tests/c/ms_provider.c is compiled against this header only. */
#ifndef MS_MI_H
#define MS_MI_H

#include <stddef.h>
#include <wchar.h>

#define MI_CALL
#define MI_INLINE static __inline
#define MI_MAX_LOCALE_SIZE 128
#define MI_TRUE ((MI_Boolean)1)
#define MI_FALSE ((MI_Boolean)0)
#define MI_T(STR) L##STR

typedef wchar_t MI_Char;
typedef unsigned char MI_Boolean;
typedef unsigned int MI_Uint32;

typedef enum _MI_Result {
    MI_RESULT_OK = 0,
    MI_RESULT_FAILED = 1,
    MI_RESULT_INVALID_PARAMETER = 4,
    MI_RESULT_NOT_SUPPORTED = 7
} MI_Result;

typedef enum _MI_LocaleType {
    MI_LOCALE_TYPE_REQUESTED_UI = 0,
    MI_LOCALE_TYPE_REQUESTED_DATA = 1,
    MI_LOCALE_TYPE_CLOSEST_UI = 2,
    MI_LOCALE_TYPE_CLOSEST_DATA = 3
} MI_LocaleType;

typedef enum _MI_CancellationReason {
    MI_REASON_NONE = 0,
    MI_REASON_TIMEOUT = 1,
    MI_REASON_SHUTDOWN = 2,
    MI_REASON_SERVICESTOP = 3
} MI_CancellationReason;

typedef void(MI_CALL *MI_CancelCallback)(MI_CancellationReason reason, void *callbackData);

typedef struct _MI_Context MI_Context;
typedef struct _MI_ContextFT MI_ContextFT;
typedef void *MI_Opaque; /* instances, declarations, values: pointers only */

struct _MI_ContextFT {
    MI_Result(MI_CALL *PostResult)(MI_Context *context, MI_Result result);
    void *PostInstance, *PostIndication, *ConstructInstance, *ConstructParameters, *NewInstance,
        *NewDynamicInstance, *NewParameters;
    MI_Result(MI_CALL *Canceled)(const MI_Context *context, MI_Boolean *flag);
    MI_Result(MI_CALL *GetLocale)(const MI_Context *context, MI_LocaleType localeType,
                                  MI_Char locale[MI_MAX_LOCALE_SIZE]);
    MI_Result(MI_CALL *RegisterCancel)(MI_Context *context, MI_CancelCallback callback,
                                       void *callbackData);
    void *RequestUnload, *RefuseUnload, *GetLocalSession, *SetStringOption, *GetStringOption,
        *GetNumberOption, *GetCustomOption, *GetCustomOptionCount, *GetCustomOptionAt,
        *WriteMessage;
    MI_Result(MI_CALL *WriteProgress)(MI_Context *context, const MI_Char *activity,
                                      const MI_Char *currentOperation,
                                      const MI_Char *statusDescription, MI_Uint32 percentComplete,
                                      MI_Uint32 secondsRemaining);
    void *WriteStreamParameter, *WriteCimError, *PromptUser, *ShouldProcess, *ShouldContinue,
        *PostError, *PostCimError, *WriteError;
};

struct _MI_Context {
    const MI_ContextFT *ft;
    ptrdiff_t reserved[3];
};

MI_INLINE MI_Result MI_CALL MI_Context_PostResult(MI_Context *context, MI_Result result) {
    if (context && context->ft) return context->ft->PostResult(context, result);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_Canceled(const MI_Context *context, MI_Boolean *flag) {
    if (context && context->ft) return context->ft->Canceled(context, flag);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_GetLocale(const MI_Context *context,
                                                 MI_LocaleType localeType,
                                                 MI_Char locale[MI_MAX_LOCALE_SIZE]) {
    if (context && context->ft) return context->ft->GetLocale(context, localeType, locale);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_RegisterCancel(MI_Context *context,
                                                      MI_CancelCallback callback,
                                                      void *callbackData) {
    if (context && context->ft) return context->ft->RegisterCancel(context, callback, callbackData);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_WriteProgress(MI_Context *context, const MI_Char *activity,
                                                     const MI_Char *currentOperation,
                                                     const MI_Char *statusDescription,
                                                     MI_Uint32 percentComplete,
                                                     MI_Uint32 secondsRemaining) {
    if (context && context->ft)
        return context->ft->WriteProgress(context, activity, currentOperation, statusDescription,
                                          percentComplete, secondsRemaining);
    return MI_RESULT_INVALID_PARAMETER;
}

#endif
