// create_masked_lm_predictions of google-research/bert, drawing from one ExampleRng.
#include "training/mlm_masker.h"

#include "error.h"
#include "vocab.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace bertlab {

void MaskingOptions::validate() const
{
    if (maxPredictions < 1 || maxPredictions > 8192)
        throw Error("max predictions per sequence must be between 1 and 8192, got " + std::to_string(maxPredictions));
    if (!(maskedLmProb > 0.0 && maskedLmProb <= 1.0))
        throw Error("masked LM probability must be in (0, 1], got " + std::to_string(maskedLmProb));
}

MlmMasker::MlmMasker(const Vocab& vocab, MaskingOptions options) : options_(options)
{
    options_.validate();
    vocabSize_ = vocab.size();
    clsId_ = vocab.clsId();
    sepId_ = vocab.sepId();
    maskId_ = vocab.maskId();
    continuation_.resize(static_cast<size_t>(vocabSize_));
    for (int id = 0; id < vocabSize_; ++id) continuation_[static_cast<size_t>(id)] = vocab.token(id).rfind("##", 0) == 0;
}

int MlmMasker::targetCount(int sequenceLength, const MaskingOptions& options)
{
    // Python's round() rounds halves to even, as nearbyint does in the default rounding mode.
    const auto rounded = static_cast<int>(std::nearbyint(static_cast<double>(sequenceLength) * options.maskedLmProb));
    return std::min(options.maxPredictions, std::max(1, rounded));
}

MaskedSequence MlmMasker::mask(const std::vector<int>& ids, ExampleRng& rng) const
{
    MaskedSequence out;
    out.inputIds = ids;
    out.actions.assign(ids.size(), MaskAction::NotChosen);
    std::vector<std::vector<int>> groups;
    for (size_t p = 0; p < ids.size(); ++p) {
        const int id = ids[p];
        if (id < 0 || id >= vocabSize_)
            throw Error("token id " + std::to_string(id) + " is outside the vocabulary of " + std::to_string(vocabSize_));
        if (id == clsId_ || id == sepId_) continue;
        ++out.candidates;
        if (options_.wholeWordMask && !groups.empty() && continuation_[static_cast<size_t>(id)])
            groups.back().push_back(static_cast<int>(p));
        else
            groups.push_back({static_cast<int>(p)});
    }
    rng.shuffle(groups);
    out.target = targetCount(static_cast<int>(ids.size()), options_);

    int chosen = 0;
    for (const auto& group : groups) {
        if (chosen >= out.target) break;
        if (chosen + static_cast<int>(group.size()) > out.target) continue;
        // Groups never overlap, so unlike the reference no "already covered" check is needed.
        for (int p : group) {
            const auto at = static_cast<size_t>(p);
            if (rng.random() < 0.8) {
                out.actions[at] = MaskAction::Masked;
                out.inputIds[at] = maskId_;
            } else if (rng.random() < 0.5) {
                out.actions[at] = MaskAction::Kept;
            } else {
                // Uniform over the whole vocabulary, as the reference (specials and [unused] included).
                out.actions[at] = MaskAction::Random;
                out.inputIds[at] = static_cast<int>(rng.randint(0, vocabSize_ - 1));
            }
            ++chosen;
        }
    }
    for (size_t p = 0; p < ids.size(); ++p)
        if (out.actions[p] != MaskAction::NotChosen) {
            out.maskedPositions.push_back(static_cast<int>(p));
            out.maskedIds.push_back(ids[p]);
        }
    return out;
}

} // namespace bertlab
