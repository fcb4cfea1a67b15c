// Which input words a masked-word guess or the next-sentence verdict rests on: gradients and integrated gradients, coloured per token.
#pragma once

#include "analysis_view.h"
#include "attribution/input_attribution.h"

#include <QTimer>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QCustomPlot;

namespace bertlab::ui {

class CancellableJob;
class ColoredTokenStrip;

// Never calls the engine on the GUI thread: each (input, heads off, target, method, steps) is
// computed once on a CancellableJob, 150 ms after the last change, and any older computation is
// cancelled. Only recomputes while it is on screen (the window hands hidden views nothing).
class AttributionView : public AnalysisView {
    Q_OBJECT
public:
    explicit AttributionView(QWidget* parent = nullptr);
    ~AttributionView() override;

    QString title() const override;
    QString name() const override { return QStringLiteral("attribution"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    bool showsMaskedGuesses() const override { return true; }  // its targets are the guesses
    bool isBusy() const override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    // Selects the target (added to the list if the shown guesses lack it) and recomputes.
    void setTarget(const AttributionTarget& target);
    void setMethod(AttributionMethod method, int steps = 32);
    std::optional<AttributionTarget> target() const;
    AttributionMethod method() const;
    int steps() const;
    void cancel();

    // What is on screen: the engine's result and the tokens it was computed for; empty before one.
    const std::optional<InputAttribution>& result() const { return result_; }
    QString stateMessage() const;  // non-empty while a message replaces the result
    QString completenessText() const;
    ColoredTokenStrip* tokenStrip() const { return strip_; }
    QCustomPlot* barsPlot() const { return bars_; }
    QComboBox* targetCombo() const { return targetCombo_; }

private:
    void showState(const QString& message);
    void rebuildTargets();
    void scheduleCompute();
    void compute();
    void showResult();
    void setProgressVisible(bool on);

    AnalysisPtr analysis_;
    std::optional<AttributionTarget> wanted_;  // the user's choice, kept across analyses
    QString computedKey_;                      // what result_ (or the running job) belongs to
    std::optional<InputAttribution> result_;
    std::vector<std::string> resultTokens_;
    QString resultAblation_;
    bool presentation_ = false;

    QTimer debounce_;
    CancellableJob* job_ = nullptr;
    QComboBox* targetCombo_ = nullptr;
    QComboBox* methodCombo_ = nullptr;
    QSpinBox* stepsSpin_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* state_ = nullptr;
    QWidget* content_ = nullptr;  // what exportImage renders
    QLabel* caption_ = nullptr;
    ColoredTokenStrip* strip_ = nullptr;
    QCustomPlot* bars_ = nullptr;
    QLabel* completeness_ = nullptr;
};

} // namespace bertlab::ui
