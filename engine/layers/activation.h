// Elementwise activations, forward and backward: BERT's hidden_act (gelu, gelu_new, relu) and the pooler's tanh.
#pragma once

#include "bert_config.h"

#include <cstddef>

namespace bertlab::layers {

// out = act(in) over n values; out may alias in. Gelu: x·Φ(x) with erf (torch's default);
// GeluTanh: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hugging Face's gelu_new); Relu: max(x, 0).
void activationForward(float* out, const float* in, size_t n, Activation act);
// din = dout · act'(in); din may alias dout. ReLU's derivative at 0 is 0, as torch's.
void activationBackward(float* din, const float* dout, const float* in, size_t n, Activation act);

// out = tanh(in); the backward needs only the output. din may alias dout.
void tanhForward(float* out, const float* in, size_t n);
void tanhBackward(float* din, const float* dout, const float* out, size_t n);

} // namespace bertlab::layers
