// Views of BERT's parameters (or of their gradients) as raw pointers, grouped as Hugging Face's modules name them.
#pragma once

#include <vector>

namespace bertlab::layers {

// F = const float for parameters, float for gradients: the inference model points these at its
// loaded tensors, the training model at offsets of its one contiguous buffer; the kernels read
// both the same way.
template <typename F>
struct LinearOf {
    F* weight = nullptr;  // [out, in], as torch.nn.Linear stores it
    F* bias = nullptr;    // [out]
};

template <typename F>
struct NormOf {
    F* gamma = nullptr;  // [H]
    F* beta = nullptr;   // [H]
};

template <typename F>
struct EmbeddingsOf {   // bert.embeddings.*
    F* word = nullptr;       // [V, H]
    F* position = nullptr;   // [P, H]
    F* tokenType = nullptr;  // [types, H]
    NormOf<F> norm;
};

template <typename F>
struct EncoderLayerOf {  // bert.encoder.layer.N.*
    LinearOf<F> query, key, value, attentionOutput;
    NormOf<F> attentionNorm;
    LinearOf<F> intermediate, output;
    NormOf<F> outputNorm;
};

template <typename F>
struct MlmHeadOf {  // cls.predictions.*
    LinearOf<F> transform;
    NormOf<F> norm;
    LinearOf<F> decoder;  // [V, H] weight: the word embeddings when tied
};

template <typename F>
struct BertOf {
    EmbeddingsOf<F> embeddings;
    std::vector<EncoderLayerOf<F>> layers;
    LinearOf<F> pooler;  // bert.pooler.dense
    LinearOf<F> nsp;     // cls.seq_relationship
    MlmHeadOf<F> mlm;
};

using BertParams = BertOf<const float>;
using BertGrads = BertOf<float>;

} // namespace bertlab::layers
