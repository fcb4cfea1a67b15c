// A loaded BERT: config, vocabulary, weights and which heads it has; runs forward passes.
#pragma once

#include "bert_config.h"
#include "bert_weights.h"
#include "layers/bert_parameters.h"
#include "probe.h"
#include "tensor_map.h"
#include "tokenizer.h"
#include "trace.h"

#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab {

struct Bf16Weights;

// How a pass multiplies: float32 (what PyTorch computes), or bfloat16 weights and matrix inputs
// with float32 sums, for a pass several times faster that agrees to about two decimal places.
enum class Precision { Float32, Bfloat16 };

struct ModelInfo {
    std::string path;
    std::string sourceFormat;
    int64_t parameterCount = 0;
    int64_t weightBytes = 0;
    bool hasPooler = false, hasMlm = false, hasNsp = false;
    ClassifierTask classifierTask = ClassifierTask::None;  // what config.json names
    bool hasClassifier = false;                            // and whether its weights loaded
    std::vector<std::string> warnings;
};

class BertModel {
public:
    // Builds from a checkpoint's tensors; names may carry the "bert." prefix or none, LayerNorm
    // may be gamma/beta; a missing decoder.weight means tied to the word embeddings. Every shape
    // is checked against the config; a head whose weights are missing is left out, never invented.
    BertModel(BertConfig config, std::shared_ptr<const Vocab> vocab, const TensorMap& tensors,
              bool lowerCase);

    const BertConfig& config() const { return config_; }
    const Vocab& vocab() const { return *vocab_; }
    const Tokenizer& tokenizer() const { return tokenizer_; }
    const BertWeights& weights() const { return weights_; }
    const ModelInfo& info() const { return info_; }
    ModelInfo& info() { return info_; }

    bool hasMlm() const { return weights_.mlm.has_value(); }
    bool hasNsp() const { return weights_.nsp.has_value() && weights_.pooler.has_value(); }
    // A fine-tuned classifier whose weights loaded; config().classifierTask() says which task.
    bool hasClassifier() const { return weights_.classifier.has_value(); }
    // id2label in id order: config.json's, or LABEL_0.. (as transformers names them) when it has none.
    const std::vector<std::string>& labels() const { return labels_; }

    // The float32 weights as the layer kernels read them (engine/layers/), e.g. for a
    // TrainingModel pass that differentiates the loaded model; heads it lacks stay null. Valid
    // while the model lives and its weights are not moved (packWeights).
    layers::BertParams parameters() const;

    Encoding encode(const std::string& a, const std::string* b = nullptr) const;

    // One sequence. Throws Error if ids are out of range, the sequence is longer than
    // max_position_embeddings, or the probe asks for a head the model lacks.
    // A triggered stop token makes it throw Cancelled before the next matrix product (a few ms
    // on BERT-Base), so an interactive caller can drop work the user has already typed past.
    // Precision::Bfloat16 needs prepareBfloat16() first (Error otherwise).
    Trace forward(const Encoding& input, const Probe& probe = {}, std::stop_token stop = {},
                  Precision precision = Precision::Float32) const;
    // A padded batch; each Trace covers its own sequence's unpadded tokens.
    std::vector<Trace> forwardBatch(const std::vector<Encoding>& inputs, const Probe& probe = {},
                                    std::stop_token stop = {}, Precision precision = Precision::Float32) const;
    // Adds the masked-LM guesses (and logit lens, raw logits) that `probe` asks for to a trace
    // from a forward pass that kept its hidden states but skipped the MLM head: the same numbers
    // the pass would have given, so an interactive caller can show everything else first.
    void completeMlm(Trace& trace, const Probe& probe, std::stop_token stop = {}) const;

    // Copies every weight into one buffer, on 2 MiB pages where the kernel offers transparent huge
    // pages (HugePageBuffer), and lets go of the old storage, keeping tied tensors tied. Each
    // layer's query, key and value weights (and biases) then lie back to back, which the encoder
    // layer multiplies as one product (fewer, larger products: a few percent of an attribution
    // run); huge pages spare each pass TLB misses (~10% on a weight-streaming sgemm test here;
    // within the noise on a whole pass on this VM). For a long-lived model or a long job: the copy
    // costs about as long as one loading. Returns false, changing nothing, where free memory is
    // short of twice the weights (both copies live for a moment). Not while other threads use it.
    bool packWeights();

    // Packs bfloat16 copies of every matrix a pass reads in full (Bf16Weights: about half the
    // float32 weights' memory again), for Precision::Bfloat16 passes. Returns false, changing
    // nothing, where oneDNN has no native bfloat16 kernel on this CPU. Throws Error if packing
    // fails. Not while other threads use the model. The copies do not follow later changes to the
    // float32 weights: for a model that is only read, as the explorer's is.
    bool prepareBfloat16();
    bool hasBfloat16() const { return bf16_ != nullptr; }
    int64_t bfloat16Bytes() const;

    // Hugging Face names (with "bert." prefix, tied decoder omitted) of every tensor, for saving.
    TensorMap exportTensors() const;

private:
    // The MLM head on stacked rows [(1 + lensLayers) * traces * positions, H]: final rows first,
    // then one block per logit-lens layer; writes mlm, logitLens and mlmLogits of each trace.
    // `fast` set: its bfloat16 copies do the products.
    void fillMlm(const Matrix& rows, const std::vector<Trace*>& traces, const std::vector<int>& positions,
                 int lensLayers, const Probe& probe, const Bf16Weights* fast = nullptr) const;

    BertConfig config_;
    std::shared_ptr<const Vocab> vocab_;
    Tokenizer tokenizer_;
    BertWeights weights_;
    ModelInfo info_;
    std::vector<std::string> labels_;
    std::shared_ptr<const Bf16Weights> bf16_;
};

} // namespace bertlab
