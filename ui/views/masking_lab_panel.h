// The masking-lab widget: replays BERT's 15% / 80-10-10 masking on the current sentence for a chosen seed.
#pragma once

#include "analysis.h"
#include "views/masking_lab.h"

#include <QWidget>

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
    void setPresentationMode(bool on);
    const MaskingResult& result() const { return result_; }
    QTableWidget* table() const { return table_; }
    ColoredTokenStrip* strip() const { return strip_; }

private:
    void rerun();

    AnalysisPtr analysis_;
    std::vector<int> replacementIds_;
    MaskingResult result_;
    QSpinBox* seedSpin_ = nullptr;
    QLabel* summary_ = nullptr;
    ColoredTokenStrip* strip_ = nullptr;
    QTableWidget* table_ = nullptr;
};

} // namespace bertlab::ui
