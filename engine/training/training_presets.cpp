// The compact BERT sizes of Turc et al. 2019.
#include "training/training_presets.h"

#include "error.h"

namespace bertlab {

namespace {

struct Preset {
    const char* name;
    int layers, hidden, heads;
};

constexpr Preset kPresets[] = {{"tiny", 2, 128, 2}, {"mini", 4, 256, 4}, {"small", 4, 512, 8}, {"medium", 8, 512, 8}};

} // namespace

BertConfig presetConfig(const std::string& name, int vocabSize)
{
    for (const Preset& p : kPresets) {
        if (name != p.name) continue;
        BertConfig c;
        c.vocabSize = vocabSize;
        c.numHiddenLayers = p.layers;
        c.hiddenSize = p.hidden;
        c.numAttentionHeads = p.heads;
        c.intermediateSize = 4 * p.hidden;
        c.validate();
        return c;
    }
    throw Error("unknown preset '" + name + "' (use tiny, mini, small or medium)");
}

std::vector<std::string> presetNames()
{
    std::vector<std::string> names;
    for (const Preset& p : kPresets) names.push_back(p.name);
    return names;
}

} // namespace bertlab
