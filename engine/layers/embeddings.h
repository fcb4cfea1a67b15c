// BertEmbeddings: word + position + segment vectors, LayerNorm and dropout, forward and backward.
#pragma once

#include "layers/bert_parameters.h"
#include "layers/sequence_layout.h"

#include <cstdint>

namespace bertlab::layers {

// What the embeddings keep for the backward. The inference pass leaves mean, rstd and dropMask null.
struct EmbeddingActs {
    float* sum = nullptr;       // [N, H] word + position + segment, before LayerNorm
    float* mean = nullptr;      // [N]
    float* rstd = nullptr;      // [N]
    uint8_t* dropMask = nullptr;  // [N, H] (dropout > 0 only)
};

// out[N, H] = dropout(LayerNorm(word + position + segment)); ids, types: [N]; positions count
// from 0 within each sequence of `layout`.
// Input-gradient entry point (integrated gradients): inputsEmbeds [N, H], when set, replaces the
// word-vector lookup wte[ids] row for row, as Hugging Face's inputs_embeds; ids are then unused.
void embeddingsForward(float* out, EmbeddingActs& acts, const int* ids, const int* types,
                       const float* inputsEmbeds, const SequenceLayout& layout, int H,
                       const EmbeddingsOf<const float>& w, float eps, float dropout, uint64_t key);
// dout [N, H] is consumed (overwritten); scratch [N, H]. Adds the parameter gradients (a null
// table is skipped: grads.word for a pass that ran on inputsEmbeds, all of them for a pass that
// wants input gradients only) and writes
// dInputsEmbeds [N, H] = dLoss/d(word vector of each row) when non-null: the gradient with
// respect to the inputs, before the position/segment add and LayerNorm.
void embeddingsBackward(EmbeddingsOf<float>& grads, float* dInputsEmbeds, float* dout, float* scratch,
                        const EmbeddingActs& acts, const int* ids, const int* types,
                        const SequenceLayout& layout, int H, const EmbeddingsOf<const float>& w, float dropout);

} // namespace bertlab::layers
