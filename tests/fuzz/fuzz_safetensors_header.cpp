// libFuzzer target: the safetensors reader (header JSON, offsets, dtypes) on a whole file.
#include "error.h"
#include "fuzz_support.h"
#include "safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::readSafetensors(bertlab::fuzz::scratchFile(data, size, ".safetensors"));
    } catch (const bertlab::Error&) {
    }
    return 0;
}
