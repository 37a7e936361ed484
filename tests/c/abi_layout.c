/* Prints the layout of MI_Context and MI_ContextFT as a C compiler sees
 * include/mi.h: one "name value" line each, compared by tests/abi.rs with the
 * Rust declarations and with the offsets in mi-context-abi.md. */
#include <stddef.h>
#include <stdio.h>

#include "mi.h"

#define SLOT(name) printf("MI_ContextFT.%s %zu %zu\n", #name, offsetof(MI_ContextFT, name), sizeof(((MI_ContextFT *)0)->name))

int main(void) {
    printf("sizeof.MI_Context %zu\n", sizeof(MI_Context));
    printf("alignof.MI_Context %zu\n", _Alignof(MI_Context));
    printf("MI_Context.ft %zu %zu\n", offsetof(MI_Context, ft), sizeof(((MI_Context *)0)->ft));
    printf("MI_Context.reserved %zu %zu\n", offsetof(MI_Context, reserved), sizeof(((MI_Context *)0)->reserved));
    printf("sizeof.MI_ContextFT %zu\n", sizeof(MI_ContextFT));
    printf("sizeof.MI_Char %zu\n", sizeof(MI_Char));
    printf("sizeof.MI_Result %zu\n", sizeof(MI_Result));
    printf("sizeof.MI_Boolean %zu\n", sizeof(MI_Boolean));
    printf("sizeof.MI_Uint64 %zu\n", sizeof(MI_Uint64));
    printf("sizeof.MI_LocaleType %zu\n", sizeof(MI_LocaleType));
    printf("sizeof.MI_CancellationReason %zu\n", sizeof(MI_CancellationReason));
    SLOT(PostResult);
    SLOT(PostInstance);
    SLOT(PostIndication);
    SLOT(ConstructInstance);
    SLOT(ConstructParameters);
    SLOT(NewInstance);
    SLOT(NewDynamicInstance);
    SLOT(NewParameters);
    SLOT(Canceled);
    SLOT(GetLocale);
    SLOT(RegisterCancel);
    SLOT(RequestUnload);
    SLOT(RefuseUnload);
    SLOT(GetLocalSession);
    SLOT(SetStringOption);
    SLOT(GetStringOption);
    SLOT(GetNumberOption);
    SLOT(GetCustomOption);
    SLOT(GetCustomOptionCount);
    SLOT(GetCustomOptionAt);
    SLOT(WriteMessage);
    SLOT(WriteProgress);
    SLOT(WriteStreamParameter);
    SLOT(WriteCimError);
    SLOT(PromptUser);
    SLOT(ShouldProcess);
    SLOT(ShouldContinue);
    SLOT(PostError);
    SLOT(PostCimError);
    SLOT(WriteError);
    SLOT(GetLifecycleIndicationContext);
    return 0;
}
