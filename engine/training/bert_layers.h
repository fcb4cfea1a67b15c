// BERT's building blocks as forward/backward pairs over raw row-major float buffers.
//
// Shapes: N = rows (tokens of the padded batch, B·T), C = input width, OC = output width.
// A backward writes its input gradient (or adds to it when `accumulate` is set) and always
// adds its parameter gradients, so gradients of tied or repeated parameters accumulate.
// Every reduction is split by output column, never by row, so results do not depend on the
// number of threads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bertlab::layers {

// A counter-based random stream: the same (key, index) always gives the same number, on any
// thread, so dropout masks never depend on scheduling and resume needs no generator state.
uint64_t mixKey(uint64_t a, uint64_t b);
float uniformAt(uint64_t key, uint64_t index);  // [0, 1)

// out[N, H] = wte[ids] + wpe[t] + wtt[types]; positions count from 0 within each sequence of T.
void embeddingsForward(float* out, const int* ids, const int* types, int B, int T, int H,
                       const float* wte, const float* wpe, const float* wtt);
void embeddingsBackward(float* dwte, float* dwpe, float* dwtt, const float* dout, const int* ids,
                        const int* types, int B, int T, int H);

// out[N, C] = (in - mean) * rstd * g + b; keeps mean[N] and rstd[N] for the backward.
void layerNormForward(float* out, float* mean, float* rstd, const float* in, const float* g,
                      const float* b, int N, int C, float eps);
void layerNormBackward(float* din, float* dg, float* db, const float* dout, const float* in,
                       const float* g, const float* mean, const float* rstd, int N, int C,
                       bool accumulate);

// out[N, OC] = in[N, C] · W[OC, C]ᵀ + b[OC] (torch.nn.Linear; b may be null).
void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC);
// din[N, C] = dout · W (skipped when din is null); dW += doutᵀ · in; db += Σrows dout.
void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in,
                   const float* W, int N, int C, int OC, bool accumulate);

// GELU with erf, as torch.nn.functional.gelu's default. din may alias dout.
void geluForward(float* out, const float* in, size_t n);
void geluBackward(float* din, const float* dout, const float* in, size_t n);

// out = tanh(in); the backward needs only the output. din may alias dout.
void tanhForward(float* out, const float* in, size_t n);
void tanhBackward(float* din, const float* dout, const float* out, size_t n);

// Inverted dropout in place: x *= keep / (1 - p), keep ~ Bernoulli(1 - p) drawn from (key, i).
// The mask (1 = kept) is stored for the backward. p == 0 leaves x and the mask untouched.
void dropoutForward(float* x, uint8_t* mask, size_t n, float p, uint64_t key);
void dropoutBackward(float* din, const float* dout, const uint8_t* mask, size_t n, float p);

// Scaled dot-product self-attention over heads interleaved in H (head h = columns
// [h·d, (h+1)·d), d = H / heads), as Hugging Face's BertSelfAttention.
//   q, k, v, ctx: [B, T, H]; keyMask: [B, T], 1 = real token, 0 = padding (never attended to);
//   probs: [B, heads, T, T] softmax output kept for the backward;
//   dropMask: [B, heads, T, T] dropout mask on probs (unused when p == 0).
void attentionForward(float* ctx, float* probs, uint8_t* dropMask, const float* q, const float* k,
                      const float* v, const float* keyMask, int B, int T, int H, int heads, float p,
                      uint64_t key);
// dq, dk, dv: [B, T, H], overwritten.
void attentionBackward(float* dq, float* dk, float* dv, const float* dctx, const float* probs,
                       const uint8_t* dropMask, const float* q, const float* k, const float* v,
                       int B, int T, int H, int heads, float p);

// Softmax cross-entropy of logits[N, V] against targets[N]. Overwrites logits with the
// softmax probabilities (what the backward needs), returns the summed loss (in double) and
// counts argmax hits in *correct.
double crossEntropyForward(float* logits, const int* targets, int N, int V, int* correct);
// dlogits[N, V] = (probs - onehot) · scale, in place over the probabilities.
void crossEntropyBackward(float* probs, const int* targets, int N, int V, float scale);

} // namespace bertlab::layers
