// How the token rows of a batch group into sequences: packed back to back (inference) or padded to one length (training).
#pragma once

#include <cstddef>
#include <vector>

namespace bertlab::layers {

// Sequence n owns rows [start[n], start[n] + span(n)). Its first length[n] rows are real tokens and
// attention runs over exactly those, which is what a padding key mask does. Packed (stride 0),
// span = length and no padding row exists; padded, every sequence spans `stride` rows and the rows
// past its length are padding whose outputs nobody reads (the kernels keep them finite).
struct SequenceLayout {
    std::vector<int> start;
    std::vector<int> length;
    int stride = 0;
    int rows = 0;

    int count() const { return static_cast<int>(start.size()); }
    int span(int n) const { return stride > 0 ? stride : length[static_cast<size_t>(n)]; }
    // The longest span: the row stride of kept attention probabilities [S, heads, Tm, Tm].
    int longest() const;
    // The sequence whose real tokens include batch row `row`, or -1 (padding, or outside the batch).
    int sequenceOf(int row) const;

    static SequenceLayout packed(const std::vector<int>& lengths);
    // keyMask [B, T]: 1 = real token, 0 = padding, which must follow the tokens (Error otherwise).
    static SequenceLayout padded(int B, int T, const float* keyMask);
};

} // namespace bertlab::layers
