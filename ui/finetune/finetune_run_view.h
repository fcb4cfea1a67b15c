// Live view of a fine-tuning run: loss per step, dev accuracy and macro-F1 per epoch, the dev confusion matrix, controls.
#pragma once

#include "finetune/finetune_run.h"

#include <QPointer>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;

namespace bertlab::ui {

class HeatmapPlot;

class FinetuneRunView : public QWidget {
    Q_OBJECT
public:
    explicit FinetuneRunView(QWidget* parent = nullptr);

    // Follows a run (its Stop button acts on it); clears what an earlier run drew.
    void watch(FinetuneRun* run);
    FinetuneRun* run() const { return run_; }

    int stepCount() const { return static_cast<int>(step_.size()); }
    int epochCount() const { return static_cast<int>(epoch_.size()); }
    QString statusText() const;
    HeatmapPlot* confusionPlot() const { return confusion_; }
    QCustomPlot* lossPlot() const { return lossPlot_; }
    QCustomPlot* devPlot() const { return devPlot_; }
    QPushButton* stopButton() const { return stop_; }
    QPushButton* exploreButton() const { return explore_; }
    void replotNow();

    // The three plots to PNG/PDF/SVG (one image of the view) and the numbers to CSV/JSON.
    bool exportImage(const QString& path, int dpi, QString* error);
    bool exportData(const QString& path, QString* error);

signals:
    // "Open in explorer": the run's fine-tuned folder.
    void exploreRequested(const QString& folder);

private:
    void onStep(const FinetuneStepMetrics& m);
    void onState(FinetuneRun::State state);
    void showConfusion(const FinetuneEvaluation& e);
    void chooseExport();

    QPointer<FinetuneRun> run_;
    QVector<double> step_, loss_, lr_;
    QVector<double> epoch_, devAcc_, devF1_, devLoss_;
    QVector<double> confusionValues_;
    int confusionEpoch_ = 0;
    QStringList labels_;
    FinetuneStepMetrics last_;
    QCustomPlot* lossPlot_ = nullptr;
    QCustomPlot* devPlot_ = nullptr;
    HeatmapPlot* confusion_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* summary_ = nullptr;
    QPushButton* stop_ = nullptr;
    QPushButton* explore_ = nullptr;
    QPushButton* export_ = nullptr;
};

} // namespace bertlab::ui
