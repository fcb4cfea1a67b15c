// libFuzzer target: the zip reader over a whole archive, then the zip torch.save checkpoint path.
#include "error.h"
#include "pytorch_checkpoint.h"
#include "zip_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::ZipArchive zip(data, size);
        for (const auto& entry : zip.entries()) {
            try {
                zip.read(entry);
            } catch (const bertlab::Error&) {
            }
        }
    } catch (const bertlab::Error&) {
    }
    try {
        bertlab::parsePytorchCheckpoint(data, size);
    } catch (const bertlab::Error&) {
    }
    return 0;
}
