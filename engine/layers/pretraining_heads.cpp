// The pretraining heads composed from the dense, activation and LayerNorm kernels.
#include "layers/pretraining_heads.h"

#include "layers/activation.h"
#include "layers/dense.h"
#include "layers/layer_norm.h"

namespace bertlab::layers {

void poolerForward(float* pooled, float* pre, const float* cls, const LinearOf<const float>& w, int B, int H,
                   const Bf16Linear* fast, const Bf16Shadow* bf16)
{
    denseForward(pre, cls, w.weight, w.bias, B, H, H, fast, 0, bf16);
    tanhForward(pooled, pre, static_cast<size_t>(B) * H);
}

void poolerBackward(float* dcls, LinearOf<float>& g, float* dpooled, const float* pooled, const float* cls,
                    const LinearOf<const float>& w, int B, int H, const Bf16Shadow* bf16)
{
    tanhBackward(dpooled, dpooled, pooled, static_cast<size_t>(B) * H);
    denseBackward(dcls, g.weight, g.bias, dpooled, cls, w.weight, B, H, H, false, 0, bf16);
}

void nspForward(float* logits, const float* pooled, const LinearOf<const float>& w, int B, int H)
{
    denseForward(logits, pooled, w.weight, w.bias, B, H, 2);
}

void nspBackward(float* dpooled, LinearOf<float>& g, const float* dlogits, const float* pooled,
                 const LinearOf<const float>& w, int B, int H)
{
    denseBackward(dpooled, g.weight, g.bias, dlogits, pooled, w.weight, B, H, 2, false);
}

void mlmHeadForward(float* logits, MlmHeadActs& a, const float* in, const MlmHeadOf<const float>& w, int M,
                    const BertConfig& c, const MlmHeadFast& fast, const Bf16Shadow* bf16)
{
    const int H = c.hiddenSize, V = c.vocabSize;
    denseForward(a.pre, in, w.transform.weight, w.transform.bias, M, H, H, fast.transform, 0, bf16);
    activationForward(a.act, a.pre, static_cast<size_t>(M) * H, c.hiddenAct);
    layerNormForward(a.norm, a.mean, a.rstd, a.act, nullptr, w.norm.gamma, w.norm.beta, M, H, c.layerNormEps);
    denseForward(logits, a.norm, w.decoder.weight, w.decoder.bias, M, H, V, fast.decoder, 0, bf16);
}

void mlmHeadBackward(float* din, MlmHeadOf<float>& g, const float* dlogits, float* scratch, const MlmHeadActs& a,
                     const float* in, const MlmHeadOf<const float>& w, int M, const BertConfig& c,
                     const Bf16Shadow* bf16)
{
    const int H = c.hiddenSize, V = c.vocabSize;
    denseBackward(din, g.decoder.weight, g.decoder.bias, dlogits, a.norm, w.decoder.weight, M, H, V, false, 0, bf16);
    layerNormBackward(scratch, g.norm.gamma, g.norm.beta, din, a.act, nullptr, w.norm.gamma, a.mean, a.rstd, M, H,
                      false);
    activationBackward(scratch, scratch, a.pre, static_cast<size_t>(M) * H, c.hiddenAct);
    denseBackward(din, g.transform.weight, g.transform.bias, scratch, in, w.transform.weight, M, H, H, false, 0, bf16);
}

} // namespace bertlab::layers
