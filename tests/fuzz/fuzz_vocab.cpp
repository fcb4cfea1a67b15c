// libFuzzer target: vocab.txt parsing and the special-token lookups.
#include "error.h"
#include "fuzz_support.h"
#include "vocab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::Vocab vocab = bertlab::Vocab::fromFile(bertlab::fuzz::scratchFile(data, size, ".txt"));
        for (int id = 0; id < vocab.size() && id < 64; ++id) vocab.find(vocab.token(id));
        vocab.clsId();
        vocab.sepId();
        vocab.maskId();
    } catch (const bertlab::Error&) {
    }
    return 0;
}
