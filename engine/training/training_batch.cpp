// Padding pretraining examples into one rectangular batch with an attention mask.
#include "training/training_batch.h"

#include "error.h"

#include <algorithm>

namespace bertlab {

TrainingBatch TrainingBatch::make(const std::vector<const PretrainingExample*>& examples, int padId,
                                  int vocabSize, int maxLength)
{
    if (examples.empty()) throw Error("a training batch needs at least one example");
    TrainingBatch batch;
    batch.batchSize = static_cast<int>(examples.size());
    for (const auto* e : examples) batch.seqLength = std::max(batch.seqLength, static_cast<int>(e->inputIds.size()));
    if (batch.seqLength == 0) throw Error("a training example has no tokens");
    if (maxLength > 0 && batch.seqLength > maxLength)
        throw Error("a training example has " + std::to_string(batch.seqLength) +
                    " tokens, more than the model's " + std::to_string(maxLength) + " positions");
    const int B = batch.batchSize, T = batch.seqLength;
    batch.ids.assign(static_cast<size_t>(B) * T, padId);
    batch.typeIds.assign(static_cast<size_t>(B) * T, 0);
    batch.attentionMask.assign(static_cast<size_t>(B) * T, 0.0f);
    for (int b = 0; b < B; ++b) {
        const PretrainingExample& e = *examples[b];
        const int n = static_cast<int>(e.inputIds.size());
        if (e.tokenTypeIds.size() != e.inputIds.size())
            throw Error("a training example's token_type_ids and input_ids differ in length");
        if (e.maskedPositions.size() != e.maskedIds.size())
            throw Error("a training example's masked_positions and masked_ids differ in length");
        for (int t = 0; t < n; ++t) {
            const int id = e.inputIds[t];
            if (id < 0 || (vocabSize > 0 && id >= vocabSize))
                throw Error("token id " + std::to_string(id) + " is outside the vocabulary");
            if (e.tokenTypeIds[t] < 0 || e.tokenTypeIds[t] > 1)
                throw Error("token type id " + std::to_string(e.tokenTypeIds[t]) + " is not 0 or 1");
            batch.ids[static_cast<size_t>(b) * T + t] = id;
            batch.typeIds[static_cast<size_t>(b) * T + t] = e.tokenTypeIds[t];
            batch.attentionMask[static_cast<size_t>(b) * T + t] = 1.0f;
        }
        for (size_t m = 0; m < e.maskedPositions.size(); ++m) {
            const int pos = e.maskedPositions[m];
            const int id = e.maskedIds[m];
            if (pos < 0 || pos >= n) throw Error("masked position " + std::to_string(pos) + " is outside its example");
            if (id < 0 || (vocabSize > 0 && id >= vocabSize))
                throw Error("masked id " + std::to_string(id) + " is outside the vocabulary");
            batch.maskedRows.push_back(b * T + pos);
            batch.maskedIds.push_back(id);
        }
        batch.nspLabels.push_back(e.isRandomNext ? 1 : 0);
        batch.realTokens += n;
    }
    return batch;
}

} // namespace bertlab
