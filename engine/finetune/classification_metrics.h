// Accuracy, macro-F1 and the confusion matrix of a classifier's predictions on labelled data.
#pragma once

#include <cstddef>
#include <vector>

namespace bertlab {

class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int labels = 0);
    void add(int gold, int predicted);   // ids in [0, labels); anything else throws Error
    int labels() const { return labels_; }
    int count(int gold, int predicted) const { return counts_[static_cast<size_t>(gold) * labels_ + predicted]; }
    int total() const { return total_; }
    double accuracy() const;  // 0 when empty
    // The unweighted mean of per-label F1 over the labels that occur as gold or as prediction
    // (scikit-learn's f1_score(average="macro") on the same lists).
    double macroF1() const;

private:
    int labels_ = 0, total_ = 0;
    std::vector<int> counts_;  // [gold * labels + predicted]
};

} // namespace bertlab
