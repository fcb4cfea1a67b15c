// AdamW as torch.optim.AdamW computes it, over the flat parameter buffer.
#pragma once

#include "training/parameter_buffer.h"

#include <cstdint>
#include <vector>

namespace bertlab {

struct AdamWOptions {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-6;
    double weightDecay = 0.01;  // applied to entries with decay = true only
};

class AdamW {
public:
    AdamW(const ParameterLayout& layout, AdamWOptions options = {});

    // One update with learning rate lr: decoupled decay, then the bias-corrected Adam step.
    void step(ParameterBuffer& params, const float* grads, double lr);

    int64_t steps() const { return steps_; }
    const AdamWOptions& options() const { return options_; }
    std::vector<float>& firstMoment() { return m_; }
    std::vector<float>& secondMoment() { return v_; }
    const std::vector<float>& firstMoment() const { return m_; }
    const std::vector<float>& secondMoment() const { return v_; }
    void setSteps(int64_t steps) { steps_ = steps; }  // when restoring a checkpoint

private:
    const ParameterLayout* layout_;
    AdamWOptions options_;
    std::vector<float> m_, v_;
    int64_t steps_ = 0;
};

} // namespace bertlab
