/* MI_Context_PostResult for the benchmark module: the one MI function it
 * calls that MI.h declares instead of defining inline (Microsoft's mi.h
 * defines it inline). A module in production takes it from libmi_psrp
 * (-lmi_psrp); the benchmark hosts the module in its own executable, whose
 * copy of the library exports no symbols, so the module carries the same
 * call through the context's own table. Not generated: the bench's own. */
#include <MI.h>

MI_Result MI_Context_PostResult(struct _MI_Context* context, MI_Result result)
{
    if (!context || !context->ft)
        return MI_RESULT_INVALID_PARAMETER;
    if (!context->ft->PostResult)
        return MI_RESULT_NOT_SUPPORTED;
    return context->ft->PostResult(context, result);
}
