// The masking-lab widget: the engine's MLM masker (the one training runs) on the current sentence for a chosen seed.
#pragma once

#include "analysis.h"
#include "training/mlm_masker.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace bertlab::ui {

class ColoredTokenStrip;

class MaskingLabPanel : public QWidget {
    Q_OBJECT
public:
    explicit MaskingLabPanel(QWidget* parent = nullptr);

    void setAnalysis(AnalysisPtr analysis);
    void setSeed(int seed);
    int seed() const;
    // The example builder's options (bertlab-cli make-examples / train flags of the same names).
    void setMaskingOptions(const MaskingOptions& options);
    MaskingOptions maskingOptions() const;
    void setPresentationMode(bool on);
    // What the draw did; empty when there is no sentence or no model to draw from.
    const MaskedSequence& result() const { return result_; }
    QString summary() const;
    QTableWidget* table() const { return table_; }
    ColoredTokenStrip* strip() const { return strip_; }

private:
    void rerun();

    AnalysisPtr analysis_;
    MaskedSequence result_;
    QSpinBox* seedSpin_ = nullptr;
    QDoubleSpinBox* probSpin_ = nullptr;
    QSpinBox* capSpin_ = nullptr;
    QCheckBox* wholeWord_ = nullptr;
    QLabel* summary_ = nullptr;
    ColoredTokenStrip* strip_ = nullptr;
    QTableWidget* table_ = nullptr;
};

} // namespace bertlab::ui
