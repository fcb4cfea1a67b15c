// Reader of Google's TensorFlow 1 checkpoints (bert_model.ckpt.index + .data-*) without TensorFlow,
// with the variables renamed and transposed the way Hugging Face's BERT names them.
#pragma once

#include "tensor_map.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bertlab {

// One BundleEntryProto: where a variable's bytes are and what they hold.
struct TfBundleEntry {
    std::string name;            // e.g. "bert/encoder/layer_0/attention/self/query/kernel"
    int dtype = 0;               // TensorFlow DataType: 1 float, 2 double, 3 int32, 9 int64, 14 bfloat16, 19 half
    std::vector<int64_t> shape;
    int64_t shard = 0;
    uint64_t offset = 0;         // in the shard file
    uint64_t size = 0;           // bytes
    uint32_t maskedCrc32c = 0;   // of the tensor bytes
    bool sliced = false;         // a partitioned variable (never in BERT checkpoints)
};

struct TfBundleIndex {
    int64_t numShards = 1;
    std::vector<TfBundleEntry> entries;  // sorted by name; the header record is not an entry
};

// Parses a .index file's bytes. Throws Error on any malformation or a big-endian bundle.
TfBundleIndex parseTfBundleIndex(const uint8_t* data, size_t size);

struct TfVariableName {
    std::string name;        // Hugging Face name, e.g. "bert.encoder.layer.0.attention.self.query.weight"
    bool transpose = false;  // Dense kernels are stored [in, out]; torch.nn.Linear wants [out, in]
};

// The Hugging Face name of a TF variable, or nothing for optimizer slots and global_step.
std::optional<TfVariableName> huggingFaceName(const std::string& tfName);

struct TfShard {
    const uint8_t* data = nullptr;
    size_t size = 0;
    std::shared_ptr<const void> owner;  // null: tensors are copied out
};

// The model variables of a parsed bundle as fp32 tensors under Hugging Face names. Each tensor's
// bytes are checked against its CRC-32C; integer variables are skipped. Throws Error.
TensorMap tensorsFromTfBundle(const TfBundleIndex& index, const std::vector<TfShard>& shards);

// `prefix` is the checkpoint's common path, e.g. ".../bert_model.ckpt" (a path to its .index or
// a .data-* file is accepted too). sourceFormat is "tf-checkpoint". Throws Error naming the file.
TensorMap readTfCheckpoint(const std::string& prefix);

} // namespace bertlab
