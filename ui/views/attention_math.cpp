// Head means, attention rollout, segment filters and head statistics over plain Eigen matrices.
#include "attention_math.h"

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

AttentionMatrix meanOverHeads(const std::vector<AttentionMatrix>& heads)
{
    if (heads.empty())
        return {};
    AttentionMatrix sum = AttentionMatrix::Zero(heads.front().rows(), heads.front().cols());
    for (const auto& h : heads)
        sum += h;
    return sum / static_cast<float>(heads.size());
}

std::vector<AttentionMatrix> attentionRolloutPerLayer(const std::vector<std::vector<AttentionMatrix>>& layers, int lastLayer)
{
    const size_t count = lastLayer < 0 ? layers.size() : std::min(layers.size(), static_cast<size_t>(lastLayer) + 1);
    std::vector<AttentionMatrix> out;
    // Accumulate in double: 24 layers of products in float drift visibly in the row sums.
    using Dense = Eigen::MatrixXd;
    Dense rollout;
    for (size_t l = 0; l < count; ++l) {
        const AttentionMatrix mean = meanOverHeads(layers[l]);
        if (mean.size() == 0 || mean.rows() != mean.cols() || (l > 0 && mean.rows() != rollout.rows()))
            break;
        Dense a = 0.5 * mean.cast<double>() + 0.5 * Dense::Identity(mean.rows(), mean.cols());
        for (Eigen::Index r = 0; r < a.rows(); ++r) {
            const double s = a.row(r).sum();
            if (s > 0)
                a.row(r) /= s;
        }
        rollout = (l == 0) ? a : Dense(a * rollout);
        // The product of row-stochastic matrices is row-stochastic; renormalise only rounding away.
        for (Eigen::Index r = 0; r < rollout.rows(); ++r) {
            const double s = rollout.row(r).sum();
            if (s > 0)
                rollout.row(r) /= s;
        }
        out.push_back(rollout.cast<float>());
    }
    return out;
}

AttentionMatrix attentionRollout(const std::vector<std::vector<AttentionMatrix>>& layers, int lastLayer)
{
    if (layers.empty() || lastLayer < 0)
        return {};
    auto all = attentionRolloutPerLayer(layers, lastLayer);
    if (all.empty())
        return {};
    return std::move(all.back());
}

bool segmentFilterKeeps(int queryType, int keyType, SegmentFilter filter)
{
    switch (filter) {
    case SegmentFilter::AToB: return queryType == 0 && keyType == 1;
    case SegmentFilter::BToA: return queryType == 1 && keyType == 0;
    case SegmentFilter::Within: return queryType == keyType;
    case SegmentFilter::All: break;
    }
    return true;
}

AttentionMatrix applySegmentFilter(const AttentionMatrix& m, const std::vector<int>& typeIds, SegmentFilter filter)
{
    if (filter == SegmentFilter::All)
        return m;
    AttentionMatrix out = m;
    const auto typeOf = [&](Eigen::Index i) {
        return i < static_cast<Eigen::Index>(typeIds.size()) ? typeIds[static_cast<size_t>(i)] : 0;
    };
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            if (!segmentFilterKeeps(typeOf(r), typeOf(c), filter))
                out(r, c) = 0.0f;
        }
    }
    return out;
}

HeadSummary summarizeHead(const AttentionMatrix& a, const std::vector<bool>& isCls, const std::vector<bool>& isSep)
{
    HeadSummary s;
    const Eigen::Index t = a.rows();
    if (t == 0 || a.cols() != t)
        return s;
    const auto flag = [](const std::vector<bool>& v, Eigen::Index i) {
        return i < static_cast<Eigen::Index>(v.size()) && v[static_cast<size_t>(i)];
    };
    for (Eigen::Index r = 0; r < t; ++r) {
        double entropy = 0;
        for (Eigen::Index c = 0; c < t; ++c) {
            const double p = a(r, c);
            if (p > 0)
                entropy -= p * std::log2(p);
            if (flag(isCls, c))
                s.toCls += p;
            if (flag(isSep, c))
                s.toSep += p;
        }
        s.entropyBits += entropy;
        s.toSelf += a(r, r);
        if (r > 0)
            s.toPrevious += a(r, r - 1);
        if (r + 1 < t)
            s.toNext += a(r, r + 1);
    }
    const double n = static_cast<double>(t);
    s.entropyBits /= n;
    s.toCls /= n;
    s.toSep /= n;
    s.toSelf /= n;
    s.toPrevious /= n;
    s.toNext /= n;
    return s;
}

} // namespace bertlab::ui
