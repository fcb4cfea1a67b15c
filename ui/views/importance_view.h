// How much a target depends on each attention head: the gradient estimate beside the exact ablation sweep, as L × H heatmaps.
#pragma once

#include "analysis_view.h"
#include "attribution/head_importance.h"

#include <QTimer>

#include <optional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace bertlab::ui {

class CancellableJob;
class HeatmapPlot;

// Both are of the intact model (the definition: target(intact) − target(only that head off)), so
// switching heads off marks them here but computes nothing new. The gradient (one backward pass)
// comes at once; the sweep (one ablated pass per head, batched) shows progress and can be
// cancelled and run again. Clicking a cell switches that head off or back on.
class ImportanceView : public AnalysisView {
    Q_OBJECT
public:
    explicit ImportanceView(QWidget* parent = nullptr);
    ~ImportanceView() override;

    QString title() const override;
    QString name() const override { return QStringLiteral("head-importance"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    bool showsMaskedGuesses() const override { return true; }
    bool isBusy() const override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    void setTarget(const AttributionTarget& target);
    std::optional<AttributionTarget> target() const { return wanted_; }
    void runSweep();
    void cancelSweep();

    const std::optional<HeadImportance>& gradient() const { return gradient_; }
    const std::optional<HeadImportance>& sweep() const { return sweep_; }
    QString stateMessage() const;
    HeatmapPlot* gradientPlot() const { return gradientPlot_; }
    HeatmapPlot* sweepPlot() const { return sweepPlot_; }
    QPushButton* cancelButton() const { return cancel_; }

private:
    void showState(const QString& message);
    void rebuildTargets();
    void scheduleCompute();
    void compute();
    void startSweep();
    void drawPlots();
    void drawOne(HeatmapPlot* plot, const std::optional<HeadImportance>& result, double range);
    void updateComparison();

    AnalysisPtr analysis_;
    std::optional<AttributionTarget> wanted_;
    QString key_;        // input + target the results belong to
    QString sweepKey_;   // what the sweep result (or the running sweep) belongs to
    std::optional<HeadImportance> gradient_, sweep_;
    bool presentation_ = false;

    QTimer debounce_;
    CancellableJob* gradientJob_ = nullptr;
    CancellableJob* sweepJob_ = nullptr;
    QComboBox* targetCombo_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* state_ = nullptr;
    QWidget* content_ = nullptr;
    QLabel* caption_ = nullptr;
    QLabel* gradientStatus_ = nullptr;
    HeatmapPlot* gradientPlot_ = nullptr;
    QLabel* sweepStatus_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* rerun_ = nullptr;
    HeatmapPlot* sweepPlot_ = nullptr;
    QLabel* comparison_ = nullptr;
};

} // namespace bertlab::ui
