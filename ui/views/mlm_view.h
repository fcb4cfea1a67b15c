// The masked-language-model explorer: top-k guesses per [MASK], the logit lens, and the masking lab.
#pragma once

#include "analysis_view.h"

class QComboBox;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QTabWidget;
class QCustomPlot;
class QCPAxisRect;

namespace bertlab::ui {

class HeatmapPlot;
class MaskingLabPanel;

class MlmView : public AnalysisView {
    Q_OBJECT
public:
    enum class Tab { Guesses = 0, LogitLens, MaskingLab };

    explicit MlmView(QWidget* parent = nullptr);

    QString title() const override;
    QString name() const override { return QStringLiteral("masked-words"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    bool showsMaskedGuesses() const override { return true; }
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    void setCurrentTab(Tab tab);
    Tab currentTab() const;
    // Which masked position (index into Trace::mlm) the logit lens shows.
    void setLensPosition(int index);
    int lensPosition() const;

    bool showsEmptyState() const;
    QString stateMessage() const;
    QCustomPlot* guessesPlot() const { return guesses_; }
    HeatmapPlot* lensPlot() const { return lens_; }
    MaskingLabPanel* maskingLab() const { return lab_; }
    // Where the bar of guess `rank` at masked position `index` (into Trace::mlm) is drawn; a click
    // there asks the attribution view to explain that guess (attributionRequested).
    QPoint guessBarCenter(int index, int rank) const;

private:
    void showState(const QString& message);
    void rebuildGuesses();
    void rebuildLens();
    int guessesHeight() const;
    QString tokenAt(const Encoding& e, int position) const;

    AnalysisPtr analysis_;
    std::vector<QCPAxisRect*> guessRects_;  // one per Trace::mlm entry, owned by guesses_
    bool presentation_ = false;
    QStackedWidget* stack_ = nullptr;
    QLabel* stateLabel_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QStackedWidget* guessesStack_ = nullptr;
    QLabel* noMaskLabel_ = nullptr;
    QScrollArea* guessesScroll_ = nullptr;
    QCustomPlot* guesses_ = nullptr;
    QStackedWidget* lensStack_ = nullptr;
    QLabel* noLensLabel_ = nullptr;
    QComboBox* lensCombo_ = nullptr;
    QLabel* lensCaption_ = nullptr;
    HeatmapPlot* lens_ = nullptr;
    MaskingLabPanel* lab_ = nullptr;
};

} // namespace bertlab::ui
