// Live view of training runs: loss, accuracy, learning-rate and gradient-norm curves, progress, controls, checkpoints.
#pragma once

#include "training/trainer.h"
#include "training/training_run.h"

#include <QPointer>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QSlider;
class QPushButton;
class QTimer;

namespace bertlab::ui {

class RunView : public QWidget {
    Q_OBJECT
public:
    explicit RunView(QWidget* parent = nullptr);

    // Follows a live run (its controls act on it). Earlier runs stay on the axes for comparison.
    // Metrics it already wrote (a resumed run) are read from its folder first.
    void watch(TrainingRun* run);
    // Adds a finished or interrupted run's curves (metrics.jsonl, eval.jsonl) for comparison.
    bool addRunFromFolder(const QString& runDir, QString* error = nullptr);
    void clearComparisons();  // keeps only the watched run

    TrainingRun* run() const { return run_; }
    int seriesCount() const { return static_cast<int>(series_.size()); }
    int pointCount(int series) const;       // training steps received
    int evalPointCount(int series) const;
    QString statusText() const;
    QStringList checkpointFolders() const;  // every replayable model folder, oldest first

    // The checkpoint slider: moving it (or Play) opens that checkpoint in the explorer, keeping
    // the user's sentence, so the views replay how the run changed.
    QSlider* replaySlider() const { return replay_; }
    void replayTo(int index);  // as if the user dragged the slider there
    void setReplayPlaying(bool on);
    bool isReplayPlaying() const;
    void exploreLiveWeights();

    void setSmoothing(bool on);
    void setLogScale(bool on);
    void replotNow();  // tests and screenshots: draw pending points immediately

signals:
    void exploreCheckpoint(const QString& folder);

private:
    struct Series {
        QString name, runDir;
        QColor color;
        QVector<double> step, loss, mlmLoss, nspLoss, mlmAcc, nspAcc, lr, gradNorm;
        QVector<double> evalStep, evalLoss, evalMlmAcc, evalNspAcc;
        void add(const TrainingMetrics& m);
        void add(const EvaluationMetrics& e);
    };

    Series& newSeries(const QString& runDir);
    static void readHistory(Series& s, const QString& runDir);
    void onMetrics(const TrainingMetrics& m);
    void onEvaluation(const EvaluationMetrics& e);
    void updateStatus();
    void onStateChanged(TrainingRun::State state);
    void refreshCheckpoints();
    void updateButtons();
    void scheduleReplot();
    void replotStaggered();
    void rebuildGraphs();
    void chooseComparison();
    void syncReplaySlider();
    void replayStep();

    QPointer<TrainingRun> run_;
    std::vector<Series> series_;
    int liveSeries_ = -1;
    TrainingMetrics last_;
    bool statusDirty_ = false;

    QCustomPlot* lossPlot_ = nullptr;
    QCustomPlot* accPlot_ = nullptr;
    QCustomPlot* lrPlot_ = nullptr;
    QCustomPlot* gradPlot_ = nullptr;
    QCheckBox* smooth_ = nullptr;
    QCheckBox* log_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* stop_ = nullptr;
    QPushButton* compare_ = nullptr;
    QListWidget* checkpoints_ = nullptr;
    QPushButton* explore_ = nullptr;
    QTimer* replotTimer_ = nullptr;
    QSlider* replay_ = nullptr;
    QLabel* replayLabel_ = nullptr;
    QPushButton* play_ = nullptr;
    QPushButton* live_ = nullptr;
    QTimer* replayDebounce_ = nullptr;
    QTimer* playTimer_ = nullptr;
    bool syncingReplay_ = false;  // programmatic slider moves open nothing
};

} // namespace bertlab::ui
