// libFuzzer target: the restricted unpickler on raw pickle bytes, then the legacy torch.save chain.
#include "error.h"
#include "pytorch_checkpoint.h"
#include "restricted_unpickler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::pickle::Arena arena;
        bertlab::pickle::Unpickler unpickler(arena, bertlab::pickle::PersistentIds::Zip);
        size_t pos = 0;
        unpickler.load(data, size, pos);
    } catch (const bertlab::Error&) {
    }
    try {
        bertlab::parsePytorchCheckpoint(data, size);  // legacy files are a chain of pickles
    } catch (const bertlab::Error&) {
    }
    return 0;
}
