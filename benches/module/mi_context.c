/* MI_Context_PostResult, _WriteProgress and _Canceled for the benchmark
 * module: the MI functions it calls that MI.h declares instead of defining
 * inline (Microsoft's mi.h
 * defines it inline). A module in production takes it from libmi_psrp
 * (-lmi_psrp); the benchmark hosts the module in its own executable, whose
 * copy of the library exports no symbols, so the module carries the same
 * calls through the context's own table. Not generated: the bench's own.
 * (WriteProgress and Canceled: Bench_Item.Progress, benches/serve.rs.) */
#include <MI.h>

MI_Result MI_Context_PostResult(struct _MI_Context* context, MI_Result result)
{
    if (!context || !context->ft)
        return MI_RESULT_INVALID_PARAMETER;
    if (!context->ft->PostResult)
        return MI_RESULT_NOT_SUPPORTED;
    return context->ft->PostResult(context, result);
}

MI_Result MI_Context_WriteProgress(struct _MI_Context* context,
    const MI_Char* activity, const MI_Char* currentOperation,
    const MI_Char* statusDescription, MI_Uint32 percentComplete,
    MI_Uint32 secondsRemaining)
{
    if (!context || !context->ft)
        return MI_RESULT_INVALID_PARAMETER;
    if (!context->ft->WriteProgress)
        return MI_RESULT_NOT_SUPPORTED;
    return context->ft->WriteProgress(context, activity, currentOperation,
        statusDescription, percentComplete, secondsRemaining);
}

MI_Result MI_Context_Canceled(const struct _MI_Context* context, MI_Boolean* flag)
{
    if (!context || !context->ft)
        return MI_RESULT_INVALID_PARAMETER;
    if (!context->ft->Canceled)
        return MI_RESULT_NOT_SUPPORTED;
    return context->ft->Canceled(context, flag);
}
