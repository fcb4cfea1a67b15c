// Every trainable BERT parameter in one contiguous float buffer, addressed by Hugging Face name.
#pragma once

#include "bert_config.h"
#include "tensor_map.h"
#include "training/aligned_buffer.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bertlab {

class BertModel;
class Vocab;

struct ParameterEntry {
    std::string name;            // e.g. "bert.encoder.layer.0.attention.self.query.weight"
    size_t offset = 0;           // in floats, into the buffer
    std::vector<int64_t> shape;  // [out, in] for Linear weights, as torch stores them
    size_t numel = 0;
    bool decay = false;          // weight decay applies: weight matrices and embeddings only
};

// Offsets (in floats) of one encoder layer's tensors inside the buffer.
struct LayerOffsets {
    size_t qW, qB, kW, kB, vW, vB, aoW, aoB, aln1G, aln1B, iW, iB, oW, oB, ln2G, ln2B;
};

// The fixed layout of a BertForPreTraining's parameters for a config, or of a fine-tuned
// classifier's when the config names one (config.classifierTask(): the encoder, the pooler for the
// sequence task only, and classifier.* [labels, H]; no pretraining heads). Gradients and the
// optimizer moments use the same layout so one offset addresses all of them.
struct ParameterLayout {
    BertConfig config;
    std::vector<ParameterEntry> entries;
    size_t total = 0;
    size_t wordEmb, posEmb, typeEmb, embLnG, embLnB;
    std::vector<LayerOffsets> layers;
    // kAbsent for the heads this layout lacks.
    static constexpr size_t kAbsent = static_cast<size_t>(-1);
    size_t poolerW = kAbsent, poolerB = kAbsent;
    size_t mlmDenseW = kAbsent, mlmDenseB = kAbsent, mlmLnG = kAbsent, mlmLnB = kAbsent,
           mlmBias = kAbsent;  // decoder weight = word embeddings
    size_t nspW = kAbsent, nspB = kAbsent;
    size_t classifierW = kAbsent, classifierB = kAbsent;

    explicit ParameterLayout(const BertConfig& config);
    const ParameterEntry* find(const std::string& name) const;  // nullptr when unknown
};

class ParameterBuffer {
public:
    explicit ParameterBuffer(const BertConfig& config);  // all zeros

    // New model as BERT initialises it: N(0, initializerRange) weights, zero biases, LayerNorm 1/0.
    static ParameterBuffer initialized(const BertConfig& config, uint64_t seed);
    // Copies a loaded model's weights. Heads the checkpoint lacks (pooler, MLM, NSP) are
    // initialised fresh from `seed`; their names are appended to `freshHeads` when given.
    static ParameterBuffer fromModel(const BertModel& model, uint64_t seed,
                                     std::vector<std::string>* freshHeads = nullptr);
    // The same into the layout of `config` (same encoder shapes as the model's; e.g. a classifier
    // config for fine-tuning): a classifier of the model is copied when it has as many labels,
    // otherwise classifier.* starts N(0, initializer_range), bias 0, from `seed`.
    static ParameterBuffer fromModel(const BertModel& model, const BertConfig& config, uint64_t seed,
                                     std::vector<std::string>* freshHeads = nullptr);
    // From HF-named tensors (prefix "bert." as saved by toTensorMap()). Missing names throw Error.
    static ParameterBuffer fromTensors(const BertConfig& config, const TensorMap& tensors);

    const ParameterLayout& layout() const { return *layout_; }
    const BertConfig& config() const { return layout_->config; }
    float* data() { return values_.data(); }
    const float* data() const { return values_.data(); }
    size_t size() const { return values_.size(); }
    AlignedVector<float>& values() { return values_; }
    const AlignedVector<float>& values() const { return values_; }

    // Copies of every tensor under its HF name (tied decoder omitted, MLM bias as
    // "cls.predictions.bias"), ready for writeSafetensors or BertModel.
    TensorMap toTensorMap() const;
    // A normal inference model over a copy of these weights.
    std::shared_ptr<BertModel> toModel(std::shared_ptr<const Vocab> vocab, bool lowerCase) const;

private:
    std::shared_ptr<const ParameterLayout> layout_;
    AlignedVector<float> values_;
};

} // namespace bertlab
