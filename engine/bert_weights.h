// BERT's parameters grouped as Hugging Face's modules name them, so loading is a name walk.
#pragma once

#include "tensor.h"

#include <optional>
#include <vector>

namespace bertlab {

struct LinearWeights {
    TensorView weight;  // [out, in], as torch.nn.Linear stores it
    TensorView bias;    // [out]
};

struct LayerNormWeights {
    TensorView weight;  // gamma, [H]
    TensorView bias;    // beta, [H]
};

struct EmbeddingWeights {       // bert.embeddings.*
    TensorView word;            // word_embeddings.weight [V, H]
    TensorView position;        // position_embeddings.weight [P, H]
    TensorView tokenType;       // token_type_embeddings.weight [types, H]
    LayerNormWeights norm;      // LayerNorm
};

struct EncoderLayerWeights {    // bert.encoder.layer.N.*
    LinearWeights query, key, value;    // attention.self.*
    LinearWeights attentionOutput;      // attention.output.dense
    LayerNormWeights attentionNorm;     // attention.output.LayerNorm
    LinearWeights intermediate;         // intermediate.dense [I, H]
    LinearWeights output;               // output.dense [H, I]
    LayerNormWeights outputNorm;        // output.LayerNorm
};

struct MlmHeadWeights {         // cls.predictions.*
    LinearWeights transform;    // transform.dense
    LayerNormWeights norm;      // transform.LayerNorm
    TensorView decoderWeight;   // decoder.weight [V, H]; the word embeddings when tied
    TensorView decoderBias;     // decoder.bias or bias [V]
};

struct BertWeights {
    EmbeddingWeights embeddings;
    std::vector<EncoderLayerWeights> layers;
    std::optional<LinearWeights> pooler;  // bert.pooler.dense
    std::optional<MlmHeadWeights> mlm;    // absent: MLM reported unavailable, never random
    std::optional<LinearWeights> nsp;     // cls.seq_relationship [2, H]; needs the pooler
    // classifier [labels, H] of a fine-tuned model: on the pooled [CLS] output (sequence task,
    // needs the pooler) or on every token's last hidden state (token task).
    std::optional<LinearWeights> classifier;
};

} // namespace bertlab
