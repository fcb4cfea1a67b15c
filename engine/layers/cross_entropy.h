// Softmax cross-entropy, the pretraining loss, forward and backward.
#pragma once

namespace bertlab::layers {

// Softmax cross-entropy of logits[N, V] against targets[N]. Overwrites logits with the softmax
// probabilities (what the backward needs), returns the summed loss (in double) and counts argmax
// hits in *correct (when non-null).
double crossEntropyForward(float* logits, const int* targets, int N, int V, int* correct);
// dlogits[N, V] = (probs - onehot) · scale, in place over the probabilities.
void crossEntropyBackward(float* probs, const int* targets, int N, int V, float scale);

} // namespace bertlab::layers
