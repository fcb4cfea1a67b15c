// Live view of training runs: loss, accuracy, learning-rate and gradient-norm curves, progress, controls, checkpoints.
#include "training/run_view.h"

#include "plot/lazy_refresh.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QSlider>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <functional>

namespace bertlab::ui {
namespace {

const QColor kRunColors[] = {QColor(0x1f77b4), QColor(0xd62728), QColor(0x2ca02c), QColor(0x9467bd), QColor(0xff7f0e),
                             QColor(0x8c564b)};
const QColor kMetricColors[] = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728)};

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("?");
    const qint64 s = qRound64(seconds);
    if (s >= 3600) return QStringLiteral("%1h%2m").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QCustomPlot* makePlot(const QString& title, const QString& yLabel)
{
    auto* plot = new QCustomPlot;
    plot->setAccessibleName(title);
    useLazyRefresh(plot);
    plot->setMinimumSize(260, 170);
    plot->plotLayout()->insertRow(0);
    QFont font = plot->font();
    font.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, font));
    plot->xAxis->setLabel(QObject::tr("step"));
    plot->yAxis->setLabel(yLabel);
    QFont small = plot->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    plot->legend->setIconSize(18, 8);
    plot->legend->setRowSpacing(-3);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setPlottingHint(QCP::phFastPolylines, true);  // live curves redraw often
    return plot;
}

// TensorBoard-style exponential moving average, de-biased so the first points are not pulled to zero.
QVector<double> smoothed(const QVector<double>& v, bool on)
{
    if (!on) return v;
    constexpr double a = 0.9;
    QVector<double> out(v.size());
    double acc = 0.0, weight = 0.0;
    for (int i = 0; i < v.size(); ++i) {
        acc = a * acc + (1 - a) * v[i];
        weight = a * weight + (1 - a);
        out[i] = acc / weight;
    }
    return out;
}

void setLog(QCustomPlot* plot, bool on)
{
    plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

} // namespace

RunView::RunView(QWidget* parent) : QWidget(parent)
{
    lossPlot_ = makePlot(tr("Loss"), tr("cross-entropy"));
    accPlot_ = makePlot(tr("Accuracy"), tr("share correct"));
    lrPlot_ = makePlot(tr("Learning rate"), tr("rate"));
    gradPlot_ = makePlot(tr("Gradient norm (before clipping)"), tr("L2 norm"));
    auto* plots = new QGridLayout;
    plots->setSpacing(4);
    plots->addWidget(lossPlot_, 0, 0);
    plots->addWidget(accPlot_, 0, 1);
    plots->addWidget(lrPlot_, 1, 0);
    plots->addWidget(gradPlot_, 1, 1);
    plots->setRowStretch(0, 3);
    plots->setRowStretch(1, 2);

    smooth_ = new QCheckBox(tr("Smooth"));
    smooth_->setToolTip(tr("Exponential moving average (0.9) of the training curves; held-out points stay raw."));
    log_ = new QCheckBox(tr("Log scale"));
    log_->setToolTip(tr("Logarithmic y axis for the loss and the gradient norm."));
    compare_ = new QPushButton(tr("Compare with run…"));
    compare_->setToolTip(tr("Add the curves of another run folder to the same axes."));
    auto* clear = new QPushButton(tr("Clear others"));
    clear->setToolTip(tr("Remove compared runs, keep the live one."));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    status_ = new QLabel(tr("No run yet: Training ▸ New Training Run…"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setWordWrap(true);
    pause_ = new QPushButton(tr("Pause"));
    resume_ = new QPushButton(tr("Resume"));
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(tr("Stop after the current step; a checkpoint is written so the run can be resumed."));

    auto* controls = new QHBoxLayout;
    controls->addWidget(progress_, 1);
    controls->addWidget(pause_);
    controls->addWidget(resume_);
    controls->addWidget(stop_);
    auto* toggles = new QHBoxLayout;
    toggles->addWidget(smooth_);
    toggles->addWidget(log_);
    toggles->addStretch(1);
    toggles->addWidget(compare_);
    toggles->addWidget(clear);

    checkpoints_ = new QListWidget;
    checkpoints_->setMaximumHeight(110);
    explore_ = new QPushButton(tr("Explore this checkpoint"));
    explore_->setToolTip(tr("Open the selected checkpoint in the explorer views; training continues."));
    live_ = new QPushButton(tr("Explore live weights"));
    live_->setToolTip(tr("Copy the weights as they are now (between two steps) and open the copy in the explorer."));
    replay_ = new QSlider(Qt::Horizontal);
    replay_->setPageStep(1);
    replay_->setToolTip(tr("Replay the run: each position opens a checkpoint in the explorer with your sentence "
                           "(Left/Right step through them)."));
    replayLabel_ = new QLabel;
    play_ = new QPushButton(tr("Play"));
    play_->setCheckable(true);
    play_->setToolTip(tr("Step through the checkpoints from the first, one every 1.5 s."));
    auto* cpBox = new QVBoxLayout;
    auto* cpLabel = new QLabel(tr("<b>Checkpoints</b>"));
    cpBox->addWidget(cpLabel);
    cpBox->addWidget(checkpoints_);
    auto* exploreRow = new QHBoxLayout;
    exploreRow->addWidget(explore_);
    exploreRow->addWidget(live_);
    cpBox->addLayout(exploreRow);
    auto* replayRow = new QHBoxLayout;
    replayRow->addWidget(new QLabel(tr("Replay")));
    replayRow->addWidget(replay_, 1);
    replayRow->addWidget(replayLabel_);
    replayRow->addWidget(play_);
    cpBox->addLayout(replayRow);

    auto* bottom = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addLayout(controls);
    left->addWidget(status_);
    left->addLayout(toggles);
    left->addStretch(1);
    bottom->addLayout(left, 3);
    bottom->addLayout(cpBox, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(plots, 1);
    layout->addLayout(bottom);

    replotTimer_ = new QTimer(this);
    replotTimer_->setSingleShot(true);
    replotTimer_->setInterval(250);  // new points are drawn at most four times a second
    connect(replotTimer_, &QTimer::timeout, this, &RunView::replotStaggered);
    connect(smooth_, &QCheckBox::toggled, this, &RunView::setSmoothing);
    connect(log_, &QCheckBox::toggled, this, &RunView::setLogScale);
    connect(pause_, &QPushButton::clicked, this, [this] {
        if (run_) run_->pause();
    });
    connect(resume_, &QPushButton::clicked, this, [this] {
        if (run_) run_->resume();
    });
    connect(stop_, &QPushButton::clicked, this, [this] {
        if (run_) run_->stop();
    });
    connect(compare_, &QPushButton::clicked, this, &RunView::chooseComparison);
    connect(clear, &QPushButton::clicked, this, &RunView::clearComparisons);
    connect(checkpoints_, &QListWidget::itemSelectionChanged, this, &RunView::updateButtons);
    connect(checkpoints_, &QListWidget::itemDoubleClicked, explore_, &QPushButton::click);
    connect(explore_, &QPushButton::clicked, this, [this] {
        if (auto* item = checkpoints_->currentItem()) emit exploreCheckpoint(item->data(Qt::UserRole).toString());
    });
    connect(live_, &QPushButton::clicked, this, &RunView::exploreLiveWeights);

    // Dragging opens only where the slider comes to rest: loading every checkpoint passed over would queue up.
    replayDebounce_ = new QTimer(this);
    replayDebounce_->setSingleShot(true);
    replayDebounce_->setInterval(250);
    connect(replayDebounce_, &QTimer::timeout, explore_, &QPushButton::click);
    connect(replay_, &QSlider::valueChanged, this, [this](int index) {
        if (syncingReplay_) return;
        checkpoints_->setCurrentRow(index);
        replayDebounce_->start();
    });
    playTimer_ = new QTimer(this);
    playTimer_->setInterval(1500);
    connect(playTimer_, &QTimer::timeout, this, &RunView::replayStep);
    connect(play_, &QPushButton::toggled, this, &RunView::setReplayPlaying);
    updateButtons();
}

RunView::Series& RunView::newSeries(const QString& runDir)
{
    Series s;
    s.runDir = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    s.name = QFileInfo(s.runDir).fileName();
    s.color = kRunColors[series_.size() % std::size(kRunColors)];
    series_.push_back(std::move(s));
    return series_.back();
}

void RunView::readHistory(Series& s, const QString& runDir)
{
    const QDir dir(runDir);
    for (const TrainingMetrics& m : readMetricsJsonl(dir.filePath(QStringLiteral("metrics.jsonl")).toStdString()))
        s.add(m);
    for (const EvaluationMetrics& e : readEvaluationJsonl(dir.filePath(QStringLiteral("eval.jsonl")).toStdString()))
        s.add(e);
}

void RunView::Series::add(const TrainingMetrics& m)
{
    step << double(m.step);
    loss << m.loss;
    mlmLoss << m.mlmLoss;
    nspLoss << m.nspLoss;
    mlmAcc << m.mlmAccuracy;
    nspAcc << m.nspAccuracy;
    lr << m.lr;
    gradNorm << m.gradNorm;
}

void RunView::Series::add(const EvaluationMetrics& e)
{
    evalStep << double(e.step);
    evalLoss << e.loss;
    evalMlmAcc << e.mlmAccuracy;
    evalNspAcc << e.nspAccuracy;
}

void RunView::watch(TrainingRun* run)
{
    if (run_) disconnect(run_, nullptr, this, nullptr);
    run_ = run;
    // The same folder watched again (a resumed run) replaces its old curves.
    const QString dir = run->runDir();
    for (size_t i = 0; i < series_.size(); ++i)
        if (series_[i].runDir == dir) {
            series_.erase(series_.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    Series& s = newSeries(dir);
    readHistory(s, dir);
    liveSeries_ = static_cast<int>(series_.size()) - 1;
    last_ = TrainingMetrics{};
    progress_->setRange(0, 1);
    progress_->setValue(0);
    connect(run, &TrainingRun::metrics, this, &RunView::onMetrics);
    connect(run, &TrainingRun::evaluation, this, &RunView::onEvaluation);
    connect(run, &TrainingRun::stateChanged, this, &RunView::onStateChanged);
    connect(run, &TrainingRun::checkpointWritten, this, &RunView::refreshCheckpoints);
    connect(run, &TrainingRun::liveWeightsReady, this, &RunView::exploreCheckpoint);
    connect(run, &TrainingRun::liveWeightsFailed, this,
            [this](const QString& message) { status_->setText(message.toHtmlEscaped()); });
    connect(run, &TrainingRun::preparing, this, [this](const QString& stage, int percent) {
        status_->setText(tr("Preparing: %1…").arg(stage));
        if (percent < 0) {
            progress_->setRange(0, 0);
        } else {
            progress_->setRange(0, 100);
            progress_->setValue(percent);
            progress_->setFormat(tr("preparing %p%"));
        }
    });
    connect(run, &TrainingRun::failed, this, [this](const QString& message) {
        status_->setText(tr("<b>Run failed:</b> %1").arg(message.toHtmlEscaped()));
    });
    connect(run, &TrainingRun::finished, this, [this](bool completed) {
        statusDirty_ = true;
        updateStatus();
        status_->setText(completed ? tr("Finished: %1 steps, final loss %2. The model is in %3.")
                                         .arg(last_.step)
                                         .arg(last_.loss, 0, 'f', 4)
                                         .arg(run_ ? run_->runDir() : QString())
                                   : tr("Stopped at step %1; the checkpoint lets Training ▸ Resume Run continue it.")
                                         .arg(last_.step));
        refreshCheckpoints();
    });
    refreshCheckpoints();
    updateButtons();
    scheduleReplot();
}

bool RunView::addRunFromFolder(const QString& runDir, QString* error)
{
    if (!QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")))) {
        if (error) *error = tr("%1 has no metrics.jsonl: not a training run folder").arg(runDir);
        return false;
    }
    Series& s = newSeries(runDir);
    readHistory(s, runDir);
    scheduleReplot();
    return true;
}

void RunView::clearComparisons()
{
    if (liveSeries_ >= 0 && liveSeries_ < static_cast<int>(series_.size())) {
        Series keep = std::move(series_[static_cast<size_t>(liveSeries_)]);
        keep.color = kRunColors[0];
        series_.clear();
        series_.push_back(std::move(keep));
        liveSeries_ = 0;
    } else {
        series_.clear();
        liveSeries_ = -1;
    }
    scheduleReplot();
}

void RunView::chooseComparison()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Run folder to compare"));
    if (dir.isEmpty()) return;
    QString error;
    if (!addRunFromFolder(dir, &error)) status_->setText(error);
}

int RunView::pointCount(int series) const
{
    return series >= 0 && series < seriesCount() ? static_cast<int>(series_[static_cast<size_t>(series)].step.size()) : 0;
}

int RunView::evalPointCount(int series) const
{
    return series >= 0 && series < seriesCount() ? static_cast<int>(series_[static_cast<size_t>(series)].evalStep.size())
                                                 : 0;
}

QString RunView::statusText() const
{
    return status_->text();
}

QStringList RunView::checkpointFolders() const
{
    QStringList out;
    for (int i = 0; i < checkpoints_->count(); ++i) out << checkpoints_->item(i)->data(Qt::UserRole).toString();
    return out;
}

void RunView::onMetrics(const TrainingMetrics& m)
{
    if (liveSeries_ < 0) return;
    Series& s = series_[static_cast<size_t>(liveSeries_)];
    // A resumed run repeats the steps after its checkpoint that the file history already had.
    while (!s.step.isEmpty() && s.step.last() >= double(m.step)) {
        for (QVector<double>* v : {&s.step, &s.loss, &s.mlmLoss, &s.nspLoss, &s.mlmAcc, &s.nspAcc, &s.lr, &s.gradNorm})
            v->removeLast();
    }
    s.add(m);
    last_ = m;
    statusDirty_ = true;  // labels follow at the next redraw, not once per step
    scheduleReplot();
}

void RunView::updateStatus()
{
    if (!statusDirty_) return;
    statusDirty_ = false;
    const TrainingMetrics& m = last_;
    progress_->setRange(0, static_cast<int>(m.totalSteps));
    progress_->setValue(static_cast<int>(m.step));
    progress_->setFormat(tr("%v / %m steps"));
    if (run_ && run_->state() == TrainingRun::State::Paused) {
        status_->setText(tr("Paused at step %1 — Resume continues exactly where it stopped.").arg(m.step));
        return;
    }
    if (run_ && run_->state() != TrainingRun::State::Training) return;  // stopping, finished: their own message
    const QLocale locale;
    status_->setText(tr("Step %1 of %2 · loss %3 · MLM accuracy %4 · %5 tokens/s · ETA %6")
                         .arg(m.step)
                         .arg(m.totalSteps)
                         .arg(m.loss, 0, 'f', 3)
                         .arg(m.mlmAccuracy, 0, 'f', 3)
                         .arg(locale.toString(qRound64(m.tokensPerSecond)))
                         .arg(duration(m.etaSeconds)));
}

void RunView::onEvaluation(const EvaluationMetrics& e)
{
    if (liveSeries_ < 0) return;
    series_[static_cast<size_t>(liveSeries_)].add(e);
    scheduleReplot();
}

void RunView::onStateChanged(TrainingRun::State state)
{
    if (state == TrainingRun::State::Paused)
        status_->setText(tr("Paused at step %1 — Resume continues exactly where it stopped.").arg(last_.step));
    else if (state == TrainingRun::State::Stopping)
        status_->setText(tr("Stopping after the current step and writing a checkpoint…"));
    else if (state == TrainingRun::State::Preparing)
        status_->setText(tr("Preparing…"));
    updateButtons();
}

void RunView::refreshCheckpoints()
{
    if (!run_) return;
    // Follow the newest checkpoint unless the user picked an older one.
    const bool followLatest = !checkpoints_->currentItem() || checkpoints_->currentRow() == checkpoints_->count() - 1;
    const QString selected = checkpoints_->currentItem() ? checkpoints_->currentItem()->data(Qt::UserRole).toString()
                                                         : QString();
    checkpoints_->clear();
    for (const QString& folder : TrainingRun::listSnapshots(run_->runDir())) {
        const QString name = QFileInfo(folder).fileName();
        bool ok = false;
        const int step = name.mid(5).toInt(&ok);
        const bool weightsOnly = QFileInfo(folder).dir().dirName() == QLatin1String("history");
        const QString label = ok ? tr("Step %1").arg(step) : name;
        auto* item = new QListWidgetItem(weightsOnly ? tr("%1 (weights only)").arg(label) : label, checkpoints_);
        item->setData(Qt::UserRole, folder);
        item->setToolTip(folder);
        if (folder == selected && !followLatest) checkpoints_->setCurrentItem(item);
    }
    if (!checkpoints_->currentItem() && checkpoints_->count() > 0)
        checkpoints_->setCurrentRow(checkpoints_->count() - 1);
    updateButtons();
}

void RunView::syncReplaySlider()
{
    syncingReplay_ = true;
    replay_->setRange(0, std::max(0, checkpoints_->count() - 1));
    replay_->setValue(std::max(0, checkpoints_->currentRow()));
    syncingReplay_ = false;
    const auto* item = checkpoints_->currentItem();
    replayLabel_->setText(item ? tr("%1 of %2").arg(checkpoints_->currentRow() + 1).arg(checkpoints_->count())
                               : QString());
}

void RunView::replayTo(int index)
{
    if (index < 0 || index >= checkpoints_->count()) return;
    replay_->setValue(index);
    if (replay_->value() == index && checkpoints_->currentRow() != index) checkpoints_->setCurrentRow(index);
    replayDebounce_->stop();
    explore_->click();
}

void RunView::setReplayPlaying(bool on)
{
    if (play_->isChecked() != on) play_->setChecked(on);
    if (!on) {
        playTimer_->stop();
        play_->setText(tr("Play"));
        return;
    }
    if (checkpoints_->count() == 0) {
        play_->setChecked(false);
        return;
    }
    play_->setText(tr("Pause replay"));
    replayTo(0);
    playTimer_->start();
}

bool RunView::isReplayPlaying() const { return playTimer_->isActive(); }

void RunView::replayStep()
{
    const int next = checkpoints_->currentRow() + 1;
    if (next >= checkpoints_->count()) {
        setReplayPlaying(false);
        return;
    }
    replayTo(next);
}

void RunView::exploreLiveWeights()
{
    if (!run_) {
        status_->setText(tr("No run yet: Training ▸ New Training Run…"));
        return;
    }
    run_->snapshotLiveWeights();
}

void RunView::updateButtons()
{
    const auto state = run_ ? run_->state() : TrainingRun::State::Idle;
    const bool active = run_ && run_->isActive() && state != TrainingRun::State::Stopping;
    pause_->setEnabled(active && state != TrainingRun::State::Paused);
    resume_->setEnabled(active && state == TrainingRun::State::Paused);
    stop_->setEnabled(active);
    explore_->setEnabled(checkpoints_->currentItem() != nullptr);
    live_->setEnabled(run_ && (active || state == TrainingRun::State::Finished));
    replay_->setEnabled(checkpoints_->count() > 1);
    play_->setEnabled(checkpoints_->count() > 1);
    syncReplaySlider();
}

void RunView::setSmoothing(bool on)
{
    if (smooth_->isChecked() != on) smooth_->setChecked(on);
    scheduleReplot();
}

void RunView::setLogScale(bool on)
{
    if (log_->isChecked() != on) log_->setChecked(on);
    setLog(lossPlot_, on);
    setLog(gradPlot_, on);
    scheduleReplot();
}

void RunView::scheduleReplot()
{
    if (!replotTimer_->isActive()) replotTimer_->start();
}

void RunView::replotNow()
{
    replotTimer_->stop();
    updateStatus();
    rebuildGraphs();
    for (QCustomPlot* p : {lossPlot_, accPlot_, lrPlot_, gradPlot_}) p->replot();
}

void RunView::replotStaggered()
{
    updateStatus();
    rebuildGraphs();
    // One plot per timer event (a plot takes up to ~25 ms on a busy machine): drawing all four in a row
    // would hold the event loop for longer than the 50 ms we allow.
    int delay = 0;
    for (QCustomPlot* p : {lossPlot_, accPlot_, lrPlot_, gradPlot_}) {
        QTimer::singleShot(delay, p, [p] { p->replot(); });
        delay += 15;
    }
}

void RunView::rebuildGraphs()
{
    const bool smooth = smooth_->isChecked();
    const bool several = series_.size() > 1;
    for (QCustomPlot* p : {lossPlot_, accPlot_, lrPlot_, gradPlot_}) {
        p->clearGraphs();
        p->legend->setVisible(false);
    }
    // One run: a colour per metric. Several: a colour per run and a line style per metric.
    auto line = [&](QCustomPlot* plot, const Series& s, int metric, const QString& label, const QVector<double>& x,
                    const QVector<double>& y, bool doSmooth) {
        QCPGraph* g = plot->addGraph();
        QPen pen(several ? s.color : kMetricColors[metric % std::size(kMetricColors)], 1.6);
        if (several) pen.setStyle(metric == 0 ? Qt::SolidLine : metric == 1 ? Qt::DashLine : Qt::DotLine);
        g->setPen(pen);
        g->setName(several ? s.name + QStringLiteral(": ") + label : label);
        g->setData(x, doSmooth ? smoothed(y, smooth) : y, true);
        plot->legend->setVisible(true);
    };
    auto dots = [&](QCustomPlot* plot, const Series& s, int metric, const QString& label, const QVector<double>& x,
                    const QVector<double>& y) {
        if (x.isEmpty()) return;
        QCPGraph* g = plot->addGraph();
        const QColor c = several ? s.color : kMetricColors[metric % std::size(kMetricColors)];
        g->setPen(QPen(c.darker(130), 1.0, Qt::DashLine));
        g->setScatterStyle(QCPScatterStyle(metric == 0 ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssSquare, c.darker(130),
                                           c, 7));
        g->setName((several ? s.name + QStringLiteral(": ") : QString()) + label);
        g->setData(x, y, true);
    };
    for (const Series& s : series_) {
        line(lossPlot_, s, 0, tr("total"), s.step, s.loss, true);
        line(lossPlot_, s, 1, tr("MLM"), s.step, s.mlmLoss, true);
        line(lossPlot_, s, 2, tr("NSP"), s.step, s.nspLoss, true);
        dots(lossPlot_, s, 0, tr("held-out total"), s.evalStep, s.evalLoss);
        line(accPlot_, s, 0, tr("MLM"), s.step, s.mlmAcc, true);
        line(accPlot_, s, 1, tr("NSP"), s.step, s.nspAcc, true);
        dots(accPlot_, s, 0, tr("held-out MLM"), s.evalStep, s.evalMlmAcc);
        dots(accPlot_, s, 1, tr("held-out NSP"), s.evalStep, s.evalNspAcc);
        line(lrPlot_, s, 0, tr("lr"), s.step, s.lr, false);
        line(gradPlot_, s, 0, tr("norm"), s.step, s.gradNorm, true);
    }
    lrPlot_->legend->setVisible(several);
    gradPlot_->legend->setVisible(several);
    for (QCustomPlot* p : {lossPlot_, accPlot_, lrPlot_, gradPlot_}) p->rescaleAxes();
    accPlot_->yAxis->setRange(0.0, 1.0);
    for (QCustomPlot* p : {lossPlot_, lrPlot_, gradPlot_}) {
        const QCPRange r = p->yAxis->range();
        if (p->yAxis->scaleType() == QCPAxis::stLinear)
            // The loss legend sits top right: leave it headroom above the curves.
            p->yAxis->setRange(std::min(0.0, r.lower), r.upper + (p == lossPlot_ ? 0.4 : 0.05) * std::max(r.size(), 1e-12));
        else
            p->yAxis->setRange(r.lower / 1.2, r.upper * 1.2);
    }
}

} // namespace bertlab::ui
