// What the intact model said where the shown analysis has heads switched off: the "before" beside each "after".
#pragma once

#include "analysis.h"

#include <optional>

namespace bertlab::ui {

// All return nothing when the analysis has no heads off (Analysis::intact is null) or the intact
// pass did not look at that position.
const MaskedPrediction* intactGuesses(const Analysis& analysis, int position);
// The intact model's probability of `tokenId` at masked `position` (softmax of its kept logits).
std::optional<double> intactProbability(const Analysis& analysis, int position, int tokenId);
// The intact logit lens at hidden state `layer` (0 = embeddings) and masked `position`.
const MaskedPrediction* intactLens(const Analysis& analysis, int layer, int position);
const NspResult* intactNsp(const Analysis& analysis);

} // namespace bertlab::ui
