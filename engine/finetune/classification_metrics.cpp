// Counts gold/predicted pairs; F1 per label from the counts, averaged over the labels seen.
#include "finetune/classification_metrics.h"

#include "error.h"

namespace bertlab {

ConfusionMatrix::ConfusionMatrix(int labels) : labels_(labels), counts_(static_cast<size_t>(labels) * labels, 0) {}

void ConfusionMatrix::add(int gold, int predicted)
{
    if (gold < 0 || gold >= labels_ || predicted < 0 || predicted >= labels_)
        throw Error("a label id outside the classifier's " + std::to_string(labels_) + " labels");
    ++counts_[static_cast<size_t>(gold) * labels_ + predicted];
    ++total_;
}

double ConfusionMatrix::accuracy() const
{
    if (total_ == 0) return 0.0;
    int right = 0;
    for (int k = 0; k < labels_; ++k) right += count(k, k);
    return static_cast<double>(right) / total_;
}

double ConfusionMatrix::macroF1() const
{
    double sum = 0.0;
    int seen = 0;
    for (int k = 0; k < labels_; ++k) {
        int gold = 0, predicted = 0;
        for (int j = 0; j < labels_; ++j) gold += count(k, j), predicted += count(j, k);
        if (gold == 0 && predicted == 0) continue;
        ++seen;
        // F1 = 2TP / (2TP + FP + FN) = 2TP / (gold + predicted); 0 when TP is 0.
        sum += 2.0 * count(k, k) / (gold + predicted);
    }
    return seen ? sum / seen : 0.0;
}

} // namespace bertlab
