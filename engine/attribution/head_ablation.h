// Which attention heads are switched off, in the 1-based "L:H" form the CLI and the GUI use, as Probe::headMultipliers.
#pragma once

#include <string>
#include <vector>

namespace bertlab {

// Ablating head h of layer l multiplies its attention probabilities (after softmax) by 0, as
// Hugging Face's head_mask does; the output projection and the residual are unchanged.
// Indices here are 0-based; the text form is 1-based as the GUI labels heads ("L3 H5" = "3:5").
class HeadAblation {
public:
    HeadAblation() = default;
    HeadAblation(int layers, int heads);

    // "L:H[,L:H...]", "L:*" = every head of layer L. Throws Error (one line) on bad syntax or a
    // layer or head the model lacks.
    static HeadAblation parse(const std::string& spec, int layers, int heads);

    int layers() const { return layers_; }
    int heads() const { return heads_; }
    bool empty() const;          // nothing is off
    int count() const;           // heads that are off
    bool isOff(int layer, int head) const;
    bool isLayerOff(int layer) const;  // every head of the layer
    void setOff(int layer, int head, bool off);
    void setLayerOff(int layer, bool off);
    void clear();

    // [L*heads] multipliers (0 = off, 1 = on) for Probe::headMultipliers; empty when nothing is
    // off, so the plain pass runs.
    std::vector<float> multipliers() const;
    // The canonical text form: layers in order, "L:*" for a whole layer; "" when nothing is off.
    std::string toString() const;

    bool operator==(const HeadAblation&) const = default;

private:
    int layers_ = 0, heads_ = 0;
    std::vector<bool> off_;  // [layer * heads + head]
};

} // namespace bertlab
