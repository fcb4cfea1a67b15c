// Draws a fine-tuning run as it goes: step loss, per-epoch dev scores, the latest dev confusion matrix and the run's state.
#include "finetune/finetune_run_view.h"

#include "colormaps.h"
#include "export.h"
#include "finetune/metric_plot.h"
#include "plot/heatmap_plot.h"

#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace bertlab::ui {

namespace {

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qRound64(seconds);
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

FinetuneRunView::FinetuneRunView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("finetuneRunView"));
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    summary_ = new QLabel(tr("No fine-tuning run yet: Training ▸ Fine-tune…"));
    summary_->setWordWrap(true);
    top->addWidget(summary_, 1);
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(tr("Stop after the current step; a checkpoint is written, so the run can be resumed"));
    explore_ = new QPushButton(tr("Open in Explorer"));
    explore_->setToolTip(tr("Open the fine-tuned model in the explorer: its Classifier tab answers as you type"));
    export_ = new QPushButton(tr("Export…"));
    top->addWidget(stop_);
    top->addWidget(explore_);
    top->addWidget(export_);
    layout->addLayout(top);
    auto* progressRow = new QHBoxLayout;
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    status_ = new QLabel;
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(status_, 2);
    layout->addLayout(progressRow);

    auto* plots = new QHBoxLayout;
    lossPlot_ = makeMetricPlot(tr("Training loss"), tr("step"), tr("cross-entropy"));
    addMetricGraph(lossPlot_, tr("batch loss"), categoricalColor(0), false);
    lossPlot_->legend->setVisible(false);
    devPlot_ = makeMetricPlot(tr("Dev set after each epoch"), tr("epoch"), tr("score"));
    addMetricGraph(devPlot_, tr("accuracy"), categoricalColor(1), true);
    addMetricGraph(devPlot_, tr("macro-F1"), categoricalColor(2), true);
    devPlot_->legend->setVisible(true);
    devPlot_->yAxis->setRange(0, 1);
    devPlot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
    devPlot_->xAxis->ticker().staticCast<QCPAxisTickerFixed>()->setTickStep(1.0);
    confusion_ = new HeatmapPlot;
    confusion_->setAccessibleName(tr("Dev confusion matrix"));
    confusion_->setMinimumSize(300, 240);
    confusion_->setColorMap(ColorMap::viridis());
    confusion_->setAxisTitles(tr("gold label"), tr("predicted label"), tr("dev items"));
    plots->addWidget(lossPlot_, 1);
    plots->addWidget(devPlot_, 1);
    plots->addWidget(confusion_, 1);
    layout->addLayout(plots, 1);

    connect(stop_, &QPushButton::clicked, this, [this] {
        if (run_)
            run_->stop();
    });
    connect(explore_, &QPushButton::clicked, this, [this] {
        if (run_)
            emit exploreRequested(run_->outDir());
    });
    connect(export_, &QPushButton::clicked, this, &FinetuneRunView::chooseExport);
    onState(FinetuneRun::State::Idle);
}

void FinetuneRunView::watch(FinetuneRun* run)
{
    if (run_)
        disconnect(run_, nullptr, this, nullptr);
    run_ = run;
    step_.clear();
    loss_.clear();
    lr_.clear();
    epoch_.clear();
    devAcc_.clear();
    devF1_.clear();
    devLoss_.clear();
    confusionValues_.clear();
    labels_.clear();
    confusion_->clearMatrix();
    last_ = {};
    summary_->setText(run->state() == FinetuneRun::State::Idle
                          ? tr("No fine-tuning run yet: Training ▸ Fine-tune…")
                          : tr("Preparing %1…").arg(QDir::toNativeSeparators(run->outDir())));
    connect(run, &FinetuneRun::stepped, this, &FinetuneRunView::onStep);
    connect(run, &FinetuneRun::stateChanged, this, &FinetuneRunView::onState);
    connect(run, &FinetuneRun::prepared, this, [this](const QString& summary) {
        summary_->setText(QStringLiteral("%1 — %2").arg(QDir::toNativeSeparators(run_->outDir()), summary));
        labels_.clear();
        for (const std::string& l : run_->options().labels)
            labels_ << QString::fromStdString(l);
        progress_->setRange(0, static_cast<int>(run_->totalSteps()));
    });
    connect(run, &FinetuneRun::failed, this, [this](const QString& m) { summary_->setText(tr("Failed: %1").arg(m)); });
    onState(run->state());
    replotNow();
}

void FinetuneRunView::onStep(const FinetuneStepMetrics& m)
{
    last_ = m;
    step_.push_back(static_cast<double>(m.step));
    loss_.push_back(m.loss);
    lr_.push_back(m.lr);
    lossPlot_->graph(0)->setData(step_, loss_, true);
    if (m.dev) {
        epoch_.push_back(m.epoch);
        devAcc_.push_back(m.dev->accuracy);
        devF1_.push_back(m.dev->macroF1);
        devLoss_.push_back(m.dev->loss);
        devPlot_->graph(0)->setData(epoch_, devAcc_, true);
        devPlot_->graph(1)->setData(epoch_, devF1_, true);
        showConfusion(*m.dev);
    }
    progress_->setRange(0, static_cast<int>(m.totalSteps));
    progress_->setValue(static_cast<int>(m.step));
    status_->setText(statusText());
    replotNow();
}

void FinetuneRunView::showConfusion(const FinetuneEvaluation& e)
{
    const int n = e.confusion.labels();
    confusionValues_.resize(n * n);
    QStringList texts;
    for (int g = 0; g < n; ++g)
        for (int p = 0; p < n; ++p) {
            confusionValues_[g * n + p] = e.confusion.count(g, p);
            texts << QString::number(e.confusion.count(g, p));
        }
    confusionEpoch_ = e.epoch;
    confusion_->setMatrix(n, n, confusionValues_, labels_, labels_);
    confusion_->setValueRange(0, 0);
    if (n <= 16)
        confusion_->setCellTexts(texts);
}

QString FinetuneRunView::statusText() const
{
    if (!run_)
        return {};
    QString s = tr("step %1 of %2, epoch %3, loss %4, lr %5, %6 ex/s, ETA %7")
                    .arg(last_.step)
                    .arg(last_.totalSteps)
                    .arg(last_.epoch)
                    .arg(last_.loss, 0, 'f', 4)
                    .arg(last_.lr, 0, 'e', 2)
                    .arg(last_.itemsPerSecond, 0, 'f', 1)
                    .arg(duration(last_.etaSeconds));
    if (!devAcc_.isEmpty())
        s += tr("; dev accuracy %1, macro-F1 %2").arg(devAcc_.last(), 0, 'f', 4).arg(devF1_.last(), 0, 'f', 4);
    return s;
}

void FinetuneRunView::onState(FinetuneRun::State state)
{
    const bool active = run_ && run_->isActive();
    stop_->setEnabled(active && state != FinetuneRun::State::Stopping);
    explore_->setEnabled(state == FinetuneRun::State::Finished);
    export_->setEnabled(!step_.isEmpty() || state == FinetuneRun::State::Finished);
    switch (state) {
    case FinetuneRun::State::Finished:
        status_->setText(tr("Finished. %1").arg(statusText()));
        progress_->setValue(progress_->maximum());
        break;
    case FinetuneRun::State::Stopped:
        status_->setText(tr("Stopped at step %1; the checkpoint is kept (Training ▸ Resume Fine-tuning…).")
                             .arg(last_.step));
        break;
    case FinetuneRun::State::Preparing:
        summary_->setText(tr("Preparing %1: reading the base model and the data…")
                              .arg(QDir::toNativeSeparators(run_ ? run_->outDir() : QString())));
        status_->clear();
        break;
    case FinetuneRun::State::Stopping:
        status_->setText(tr("Stopping after this step…"));
        break;
    case FinetuneRun::State::Failed:
        status_->setText(run_ ? run_->lastError() : QString());
        break;
    default:
        break;
    }
}

void FinetuneRunView::replotNow()
{
    for (QCustomPlot* p : {lossPlot_, devPlot_}) {
        p->rescaleAxes();
        if (p == devPlot_) {
            p->yAxis->setRange(0, 1.02);
            p->xAxis->setRange(0.5, std::max(1.0, epoch_.isEmpty() ? 1.0 : epoch_.last()) + 0.5);
        }
        p->replot();
    }
    confusion_->replot();
}

bool FinetuneRunView::exportImage(const QString& path, int dpi, QString* error)
{
    replotNow();
    return exporting::saveWidget(this, path, dpi, error);
}

bool FinetuneRunView::exportData(const QString& path, QString* error)
{
    if (step_.isEmpty()) {
        if (error)
            *error = tr("Nothing to export: the run has no steps yet.");
        return false;
    }
    exporting::Table steps;
    steps.name = tr("training steps");
    steps.cols = 3;
    steps.colLabels = {QStringLiteral("step"), QStringLiteral("loss"), QStringLiteral("lr")};
    steps.rows = static_cast<int>(step_.size());
    for (int i = 0; i < steps.rows; ++i)
        steps.values.insert(steps.values.end(), {step_[i], loss_[i], lr_[i]});
    exporting::Table epochs;
    epochs.name = tr("dev evaluation");
    epochs.cols = 4;
    epochs.colLabels = {QStringLiteral("epoch"), QStringLiteral("dev_loss"), QStringLiteral("dev_accuracy"),
                        QStringLiteral("dev_macro_f1")};
    epochs.rows = static_cast<int>(epoch_.size());
    for (int i = 0; i < epochs.rows; ++i)
        epochs.values.insert(epochs.values.end(), {epoch_[i], devLoss_[i], devAcc_[i], devF1_[i]});
    std::vector<exporting::Table> tables{steps, epochs};
    if (!confusionValues_.isEmpty()) {
        exporting::Table c;
        c.name = tr("dev confusion matrix after epoch %1 (rows gold, columns predicted)").arg(confusionEpoch_);
        c.rows = c.cols = static_cast<int>(labels_.size());
        c.rowLabels = c.colLabels = labels_;
        c.values.assign(confusionValues_.begin(), confusionValues_.end());
        tables.push_back(c);
    }
    return exporting::saveTables(tables, path, error);
}

void FinetuneRunView::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Fine-tuning Run"), QDir::home().filePath(QStringLiteral("finetune-run.png")),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV table (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool data = exporting::dataFormatFor(path) != exporting::DataFormat::Unknown;
    const bool ok = data ? exportData(path, &error) : exportImage(path, 144, &error);
    if (!ok)
        summary_->setText(tr("Export failed: %1").arg(error));
}

} // namespace bertlab::ui
