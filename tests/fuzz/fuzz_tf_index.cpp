// libFuzzer target: a TF checkpoint .index (table + bundle protos), read against the real data shard.
#include "error.h"
#include "tf_checkpoint.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

// The keras-bert data file, so that entries pointing at real tensors get past their CRC checks.
const std::string& dataShard()
{
    static const std::string bytes = [] {
        std::ifstream in(BERTLAB_TEST_DATA "/refdata/models/keras-bert-tiny-tf1-ckpt/bert_model.ckpt.data-00000-of-00001",
                         std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::TfBundleIndex index = bertlab::parseTfBundleIndex(data, size);
        if (index.numShards > 16) return 0;
        const std::string& shard = dataShard();
        std::vector<bertlab::TfShard> shards(static_cast<size_t>(index.numShards),
                                             bertlab::TfShard{reinterpret_cast<const uint8_t*>(shard.data()), shard.size(), nullptr});
        bertlab::tensorsFromTfBundle(index, shards);
    } catch (const bertlab::Error&) {
    }
    return 0;
}
