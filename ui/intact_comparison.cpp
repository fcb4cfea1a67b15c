// Looks up the intact pass's numbers for a masked position or the NSP head.
#include "intact_comparison.h"

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

int indexOf(const std::vector<MaskedPrediction>& predictions, int position)
{
    for (size_t i = 0; i < predictions.size(); ++i)
        if (predictions[i].position == position)
            return static_cast<int>(i);
    return -1;
}

} // namespace

const MaskedPrediction* intactGuesses(const Analysis& analysis, int position)
{
    if (!analysis.intact)
        return nullptr;
    const int i = indexOf(analysis.intact->mlm, position);
    return i < 0 ? nullptr : &analysis.intact->mlm[static_cast<size_t>(i)];
}

std::optional<double> intactProbability(const Analysis& analysis, int position, int tokenId)
{
    if (!analysis.intact)
        return std::nullopt;
    const Matrix& logits = analysis.intact->mlmLogits;  // [positions, V], rows in mlm's order
    const int row = indexOf(analysis.intact->mlm, position);
    if (row < 0 || row >= logits.rows() || tokenId < 0 || tokenId >= logits.cols())
        return std::nullopt;
    const auto r = logits.row(row).cast<double>();
    const double top = r.maxCoeff();
    const double logSum = top + std::log((r.array() - top).exp().sum());
    return std::exp(static_cast<double>(logits(row, tokenId)) - logSum);
}

const MaskedPrediction* intactLens(const Analysis& analysis, int layer, int position)
{
    if (!analysis.intact || layer < 0 || layer >= static_cast<int>(analysis.intact->logitLens.size()))
        return nullptr;
    const auto& lens = analysis.intact->logitLens[static_cast<size_t>(layer)];
    const int i = indexOf(lens, position);
    return i < 0 ? nullptr : &lens[static_cast<size_t>(i)];
}

const NspResult* intactNsp(const Analysis& analysis)
{
    return analysis.intact && analysis.intact->nsp ? &*analysis.intact->nsp : nullptr;
}

} // namespace bertlab::ui
