// Building the two layouts of a batch: packed sequences for inference, padded ones for training.
#include "layers/sequence_layout.h"

#include "error.h"

#include <algorithm>

namespace bertlab::layers {

int SequenceLayout::longest() const
{
    int most = 0;
    for (int n = 0; n < count(); ++n) most = std::max(most, span(n));
    return most;
}

int SequenceLayout::sequenceOf(int row) const
{
    // Starts ascend in both layouts: the last start at or before the row.
    const auto after = std::upper_bound(start.begin(), start.end(), row);
    if (row < 0 || after == start.begin()) return -1;
    const int n = static_cast<int>(after - start.begin()) - 1;
    return row < start[static_cast<size_t>(n)] + length[static_cast<size_t>(n)] ? n : -1;
}

SequenceLayout SequenceLayout::packed(const std::vector<int>& lengths)
{
    SequenceLayout layout;
    for (int t : lengths) {
        layout.start.push_back(layout.rows);
        layout.length.push_back(t);
        layout.rows += t;
    }
    return layout;
}

SequenceLayout SequenceLayout::padded(int B, int T, const float* keyMask)
{
    SequenceLayout layout;
    layout.stride = T;
    layout.rows = B * T;
    for (int b = 0; b < B; ++b) {
        const float* mask = keyMask + static_cast<size_t>(b) * T;
        int length = 0;
        while (length < T && mask[length] != 0.0f) ++length;
        if (std::any_of(mask + length, mask + T, [](float m) { return m != 0.0f; }))
            throw Error("a padded batch has a real token after padding; padding must come last");
        layout.start.push_back(b * T);
        layout.length.push_back(length);
    }
    return layout;
}

} // namespace bertlab::layers
