// BertForPreTraining's heads: pooler + next-sentence classifier, and the masked-LM transform + decoder, forward and backward.
#pragma once

#include "bert_config.h"
#include "layers/bert_parameters.h"

namespace bertlab {
class Bf16Linear;
}

namespace bertlab::layers {

struct Bf16Shadow;

// `bf16` (training in bfloat16, layers/bf16_shadow.h): the dense products on the weights'
// bfloat16 twins; everything else float32. The NSP classifier (2 outputs) always stays float32.

// pooled[B, H] = tanh(pooler.dense(cls[B, H])); pre [B, H] keeps the dense output for the
// backward and may alias pooled when there is none. fast: bfloat16 copy of the pooler.
void poolerForward(float* pooled, float* pre, const float* cls, const LinearOf<const float>& w, int B, int H,
                   const Bf16Linear* fast = nullptr, const Bf16Shadow* bf16 = nullptr);
// dcls[B, H] = dLoss/dcls; dpooled [B, H] is consumed (overwritten).
void poolerBackward(float* dcls, LinearOf<float>& g, float* dpooled, const float* pooled, const float* cls,
                    const LinearOf<const float>& w, int B, int H, const Bf16Shadow* bf16 = nullptr);

// logits[B, 2] = cls.seq_relationship(pooled[B, H]).
void nspForward(float* logits, const float* pooled, const LinearOf<const float>& w, int B, int H);
void nspBackward(float* dpooled, LinearOf<float>& g, const float* dlogits, const float* pooled,
                 const LinearOf<const float>& w, int B, int H);

// What the masked-LM head keeps for its backward, [M, H] each; the inference pass lets all
// three share one buffer and leaves the statistics null.
struct MlmHeadActs {
    float* pre = nullptr;    // transform.dense(in)
    float* act = nullptr;    // hidden_act(pre)
    float* norm = nullptr;   // transform.LayerNorm(act)
    float* mean = nullptr;   // [M]
    float* rstd = nullptr;   // [M]
};

// The bfloat16 copies of the head's two products, for the preview pass.
struct MlmHeadFast {
    const Bf16Linear* transform = nullptr;
    const Bf16Linear* decoder = nullptr;
};

// logits[M, V] = decoder(LayerNorm(hidden_act(transform(in[M, H])))): run only on the rows asked
// for (masked positions, logit-lens rows), never on the whole sequence.
void mlmHeadForward(float* logits, MlmHeadActs& acts, const float* in, const MlmHeadOf<const float>& w, int M,
                    const BertConfig& config, const MlmHeadFast& fast = {}, const Bf16Shadow* bf16 = nullptr);
// din[M, H] = dLoss/din; scratch [M, H]; adds the head's gradients (the decoder's weight into the
// word embeddings' gradient when tied).
void mlmHeadBackward(float* din, MlmHeadOf<float>& g, const float* dlogits, float* scratch, const MlmHeadActs& acts,
                     const float* in, const MlmHeadOf<const float>& w, int M, const BertConfig& config,
                     const Bf16Shadow* bf16 = nullptr);

} // namespace bertlab::layers
