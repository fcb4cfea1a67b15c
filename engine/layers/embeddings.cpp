// Embedding lookup and its scatter-add backward, split by column block so sums never race; dispatched per CPU.
#include "layers/embeddings.h"

#include "dispatch.h"
#include "layers/dropout.h"
#include "layers/layer_norm.h"
#include "layers/parallel_loops.h"

#include <cstring>

namespace bertlab::layers {

BERTLAB_DISPATCH
void embeddingsForward(float* out, EmbeddingActs& acts, const int* ids, const int* types,
                       const float* inputsEmbeds, const SequenceLayout& layout, int H,
                       const EmbeddingsOf<const float>& w, float eps, float dropout, uint64_t key)
{
    for (int n = 0; n < layout.count(); ++n) {
        const int s = layout.start[static_cast<size_t>(n)], span = layout.span(n);
#pragma omp parallel for schedule(static) if (detail::big(size_t(span) * H))
        for (int t = 0; t < span; ++t) {
            const size_t r = static_cast<size_t>(s + t);
            const float* word = inputsEmbeds ? inputsEmbeds + r * H : w.word + static_cast<size_t>(ids[r]) * H;
            const float* position = w.position + static_cast<size_t>(t) * H;
            const float* type = w.tokenType + static_cast<size_t>(types[r]) * H;
            float* sum = acts.sum + r * H;
            for (int c = 0; c < H; ++c) sum[c] = word[c] + position[c] + type[c];
        }
    }
    const size_t NH = static_cast<size_t>(layout.rows) * H;
    layerNormForward(out, acts.mean, acts.rstd, acts.sum, nullptr, w.norm.gamma, w.norm.beta, layout.rows, H, eps);
    dropoutForward(out, acts.dropMask, NH, dropout, key);
}

BERTLAB_DISPATCH
void embeddingsBackward(EmbeddingsOf<float>& grads, float* dInputsEmbeds, float* dout, float* scratch,
                        const EmbeddingActs& acts, const int* ids, const int* types,
                        const SequenceLayout& layout, int H, const EmbeddingsOf<const float>& w, float dropout)
{
    const int N = layout.rows;
    const size_t NH = static_cast<size_t>(N) * H;
    dropoutBackward(dout, dout, acts.dropMask, NH, dropout);
    layerNormBackward(scratch, grads.norm.gamma, grads.norm.beta, dout, acts.sum, nullptr, w.norm.gamma,
                      acts.mean, acts.rstd, N, H, false);
    // The sum's gradient reaches each of its three terms unchanged.
    if (dInputsEmbeds) std::memcpy(dInputsEmbeds, scratch, NH * sizeof(float));
    if (!grads.word && !grads.position && !grads.tokenType) return;  // input gradients only
    using detail::kColumnBlock;
    const int blocks = (H + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (detail::big(NH))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(H, c0 + kColumnBlock);
        for (int n = 0; n < layout.count(); ++n) {
            const int s = layout.start[static_cast<size_t>(n)], span = layout.span(n);
            for (int t = 0; t < span; ++t) {
                const size_t r = static_cast<size_t>(s + t);
                const float* g = scratch + r * H;
                float* word = grads.word ? grads.word + static_cast<size_t>(ids[r]) * H : nullptr;
                float* p = grads.position ? grads.position + static_cast<size_t>(t) * H : nullptr;
                float* y = grads.tokenType ? grads.tokenType + static_cast<size_t>(types[r]) * H : nullptr;
                for (int c = c0; c < c1; ++c) {
                    if (word) word[c] += g[c];
                    if (p) p[c] += g[c];
                    if (y) y[c] += g[c];
                }
            }
        }
    }
}

} // namespace bertlab::layers
