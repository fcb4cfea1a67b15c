// Engine-free arithmetic on attention matrices for the attention view: head means, rollout, filters, head statistics.
#pragma once

#include <Eigen/Core>

#include <vector>

namespace bertlab::ui {

// Same type as bertlab::Matrix (row-major float), spelled out so this file needs no engine header.
using AttentionMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The average of a layer's heads, [T, T]. Empty input gives an empty matrix.
AttentionMatrix meanOverHeads(const std::vector<AttentionMatrix>& heads);

// Attention rollout (Abnar & Zuidema, 2020) through layers 0..lastLayer:
//   R = Â_last · … · Â_1 · Â_0,  Â_l = rownorm(0.5 · mean_h A_l,h + 0.5 · I).
// Row i says how much token i at the output of lastLayer draws on each input token; rows sum to 1.
AttentionMatrix attentionRollout(const std::vector<std::vector<AttentionMatrix>>& layers, int lastLayer);

// Rollout after every layer at once: element l equals attentionRollout(layers, l), for one pass of products.
// lastLayer < 0 means every layer.
std::vector<AttentionMatrix> attentionRolloutPerLayer(const std::vector<std::vector<AttentionMatrix>>& layers,
                                                      int lastLayer = -1);

// Which query→key cells to keep, by the segment (token type id) each token belongs to.
enum class SegmentFilter {
    All,     // keep every cell
    AToB,    // queries in A (type 0) attending to keys in B (type 1)
    BToA,    // queries in B attending to keys in A
    Within,  // query and key in the same sentence
};

// Whether a query of type q attending to a key of type k survives the filter.
bool segmentFilterKeeps(int queryType, int keyType, SegmentFilter filter);

// Zeroes the cells the filter drops; kept cells keep their original weight (no renormalising),
// so the picture still shows what share of each row's attention crosses or stays.
AttentionMatrix applySegmentFilter(const AttentionMatrix& m, const std::vector<int>& typeIds, SegmentFilter filter);

// Per-head statistics averaged over query rows.
struct HeadSummary {
    double entropyBits = 0;  // mean row entropy, in bits (0 = one-hot, log2 T = uniform)
    double toCls = 0;        // mean share of a row's attention on [CLS] tokens
    double toSep = 0;        // ... on [SEP] tokens
    double toSelf = 0;       // ... on the query token itself (diagonal)
    double toPrevious = 0;   // ... on token i-1 (rows with no previous token count 0)
    double toNext = 0;       // ... on token i+1 (rows with no next token count 0)
};

// isCls / isSep flag each position (size T).
HeadSummary summarizeHead(const AttentionMatrix& a, const std::vector<bool>& isCls, const std::vector<bool>& isSep);

} // namespace bertlab::ui
