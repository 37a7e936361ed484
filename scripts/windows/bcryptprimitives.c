/* A stand-in for Windows' bcryptprimitives.dll, for running the tests under
 * Wine 8.0, which lacks it: Rust's standard library (1.78 and later) imports
 * ProcessPrng from it. Built by scripts/windows/test.sh beside the test
 * programs; never shipped (real Windows 10 and later has the DLL). */
#include <windows.h>

/* advapi32's RtlGenRandom. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
