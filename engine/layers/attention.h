// BertSelfAttention's core, softmax(q·kᵀ/√d)·v per sequence and head, forward and backward.
#pragma once

#include "layers/sequence_layout.h"

#include <cstdint>

namespace bertlab::layers {

// Heads are interleaved in H (head h = columns [h·d, (h+1)·d), d = H / heads), as Hugging Face's
// BertSelfAttention. Each sequence of `layout` attends over its own real tokens only: packed
// sequences never see each other, padded rows are never attended to.
struct AttentionOptions {
    // [heads] multiplier m(h) on this layer's probabilities after softmax, before they weight the
    // values (Hugging Face's head_mask; dropout, the output projection and the residual are
    // untouched). Null: the plain pass, which multiplies nothing.
    const float* headMultiplier = nullptr;
    float dropout = 0.0f;        // on the probabilities; 0 = off
    uint64_t key = 0;            // dropout stream
    uint8_t* dropMask = nullptr;  // [S, heads, Tm, Tm] (dropout > 0 only)
    // Backward only, optional: [heads] d loss / d m(h) added here, summed over the sequences:
    // Σ P ⊙ dA over the head's probabilities P (before the multiplier) and the gradient dA of the
    // weights the values saw. Works with or without headMultiplier (null = m = 1).
    float* dHeadMultiplier = nullptr;
};

// q, k, v: rows of the batch with row stride ld (3H when they sit side by side in one [N, 3H]
// buffer). ctx: [N, H]; rows past a sequence's length (padded layout) are zeroed.
// probs: [S, heads, Tm, Tm], Tm = layout.longest(): the softmax output (before the multiplier
// and dropout), kept for the backward or the trace; null = not kept (thread scratch).
void attentionForward(float* ctx, float* probs, const float* q, const float* k, const float* v, int ld,
                      const SequenceLayout& layout, int H, int heads, const AttentionOptions& options);
// dq, dk, dv: [N] rows with row stride ldd, overwritten (zero past each sequence's length);
// dctx [N, H]; probs as the forward kept them.
void attentionBackward(float* dq, float* dk, float* dv, int ldd, const float* dctx, const float* probs,
                       const float* q, const float* k, const float* v, int ld, const SequenceLayout& layout,
                       int H, int heads, const AttentionOptions& options);

// Attention for a few query rows alone, when only they are read afterwards (attribution's last
// layer: the target's rows). Query i, row stride ldq, is that of batch row rows[i], a real token;
// it attends over its sequence's real tokens through the batch's keys and values (row stride ld).
// ctx [R, H]; probs [R, heads, Tm], the softmax output, kept for the backward; no dropout.
void rowAttentionForward(float* ctx, float* probs, const float* q, int ldq, const float* k, const float* v, int ld,
                         const int* rows, int R, const SequenceLayout& layout, int H, int heads,
                         const float* headMultiplier);
// dq [R] rows of stride lddq and dk, dv [N] rows of stride ldd, overwritten (a row no query attends
// to gets zeros); dctx [R, H]; dHeadMultiplier as AttentionOptions' (null = not wanted).
void rowAttentionBackward(float* dq, int lddq, float* dk, float* dv, int ldd, const float* dctx, const float* probs,
                          const float* q, int ldq, const float* k, const float* v, int ld, const int* rows, int R,
                          const SequenceLayout& layout, int H, int heads, const float* headMultiplier,
                          float* dHeadMultiplier);

} // namespace bertlab::layers
