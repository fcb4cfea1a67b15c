// Parses, edits and prints sets of switched-off heads; the multipliers follow Hugging Face's head_mask.
#include "attribution/head_ablation.h"

#include "error.h"

#include <algorithm>
#include <charconv>

namespace bertlab {
namespace {

// A whole decimal number in [1, limit]; what is wrong goes into the one-line message.
int parseIndex(std::string_view text, int limit, const char* what, const std::string& item)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw Error("--ablate: \"" + item + "\" is not L:H or L:* (1-based layer and head numbers)");
    if (value < 1 || value > limit)
        throw Error(std::string("--ablate: ") + what + " " + std::string(text) + " in \"" + item +
                    "\" is outside 1.." + std::to_string(limit) + " for this model");
    return value - 1;
}

} // namespace

HeadAblation::HeadAblation(int layers, int heads)
    : layers_(layers), heads_(heads), off_(static_cast<size_t>(std::max(0, layers) * std::max(0, heads)), false)
{
    if (layers < 0 || heads < 0) throw Error("a head ablation needs a non-negative number of layers and heads");
}

HeadAblation HeadAblation::parse(const std::string& spec, int layers, int heads)
{
    HeadAblation a(layers, heads);
    size_t begin = 0;
    while (begin <= spec.size()) {
        const size_t comma = std::min(spec.find(',', begin), spec.size());
        const std::string item = spec.substr(begin, comma - begin);
        const size_t colon = item.find(':');
        if (item.empty() || colon == std::string::npos)
            throw Error("--ablate: \"" + item + "\" is not L:H or L:* (1-based layer and head numbers)");
        const int layer = parseIndex(std::string_view(item).substr(0, colon), layers, "layer", item);
        const std::string_view head = std::string_view(item).substr(colon + 1);
        if (head == "*")
            a.setLayerOff(layer, true);
        else
            a.setOff(layer, parseIndex(head, heads, "head", item), true);
        begin = comma + 1;
    }
    return a;
}

bool HeadAblation::empty() const { return std::none_of(off_.begin(), off_.end(), [](bool b) { return b; }); }

int HeadAblation::count() const { return static_cast<int>(std::count(off_.begin(), off_.end(), true)); }

bool HeadAblation::isOff(int layer, int head) const
{
    if (layer < 0 || layer >= layers_ || head < 0 || head >= heads_) return false;
    return off_[static_cast<size_t>(layer) * heads_ + head];
}

bool HeadAblation::isLayerOff(int layer) const
{
    if (layer < 0 || layer >= layers_ || heads_ == 0) return false;
    for (int h = 0; h < heads_; ++h)
        if (!isOff(layer, h)) return false;
    return true;
}

void HeadAblation::setOff(int layer, int head, bool off)
{
    if (layer < 0 || layer >= layers_ || head < 0 || head >= heads_)
        throw Error("head L" + std::to_string(layer + 1) + " H" + std::to_string(head + 1) + " is not in this " +
                    std::to_string(layers_) + "-layer, " + std::to_string(heads_) + "-head model");
    off_[static_cast<size_t>(layer) * heads_ + head] = off;
}

void HeadAblation::setLayerOff(int layer, bool off)
{
    for (int h = 0; h < heads_; ++h) setOff(layer, h, off);
}

void HeadAblation::clear() { std::fill(off_.begin(), off_.end(), false); }

std::vector<float> HeadAblation::multipliers() const
{
    if (empty()) return {};
    std::vector<float> m(off_.size());
    for (size_t i = 0; i < off_.size(); ++i) m[i] = off_[i] ? 0.0f : 1.0f;
    return m;
}

std::string HeadAblation::toString() const
{
    std::string out;
    const auto add = [&out](const std::string& item) { out += (out.empty() ? "" : ",") + item; };
    for (int l = 0; l < layers_; ++l) {
        if (isLayerOff(l)) {
            add(std::to_string(l + 1) + ":*");
            continue;
        }
        for (int h = 0; h < heads_; ++h)
            if (isOff(l, h)) add(std::to_string(l + 1) + ":" + std::to_string(h + 1));
    }
    return out;
}

} // namespace bertlab
