// Runs runLinearProbe on a worker thread with progress and Cancel, and plots dev accuracy per layer against the baseline.
#include "finetune/probe_dialog.h"

#include "cancelled.h"
#include "colormaps.h"
#include "export.h"
#include "finetune/browse_row.h"
#include "finetune/builtin_tasks.h"
#include "finetune/metric_plot.h"
#include "hub/model_reference.h"
#include "model_io.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <exception>

namespace bertlab::ui {

ProbeDialog::ProbeDialog(std::shared_ptr<const BertModel> openModel, const QString& openPath, QWidget* parent)
    : QDialog(parent), openModel_(std::move(openModel)), openPath_(openPath)
{
    setWindowTitle(tr("Probe Layers"));
    setObjectName(QStringLiteral("probeDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("A <b>linear probe</b> asks how well a plain linear classifier can read a task's labels "
                                "off each layer's hidden states, without changing the model: layer 0 is the "
                                "embedding output, then one point per encoder layer. The dashed line is the majority "
                                "baseline (always guessing the most frequent training label)."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    model_ = new QLineEdit(openPath_);
    auto* modelBrowse = new QPushButton(tr("Browse…"));
    form->addRow(tr("Model:"), withBrowse(model_, modelBrowse));
    task_ = new QComboBox;
    task_->addItem(tr("Token task (each word's first wordpiece)"), static_cast<int>(ClassifierTask::Token));
    task_->addItem(tr("Sequence task (mean of the sentence's states)"), static_cast<int>(ClassifierTask::Sequence));
    form->addRow(tr("Task:"), task_);
    train_ = new QLineEdit;
    dev_ = new QLineEdit;
    auto* trainBrowse = new QPushButton(tr("Browse…"));
    auto* devBrowse = new QPushButton(tr("Browse…"));
    form->addRow(tr("Training file:"), withBrowse(train_, trainBrowse));
    form->addRow(tr("Dev file:"), withBrowse(dev_, devBrowse));
    auto* examples = new QHBoxLayout;
    const QVector<BuiltinTask> tasks = builtinTasks();
    for (int i = 0; i < tasks.size(); ++i) {
        auto* b = new QPushButton(tasks[i].name);
        b->setToolTip(tasks[i].description);
        connect(b, &QPushButton::clicked, this, [this, i] { useBuiltinTask(i); });
        examples->addWidget(b);
    }
    examples->addStretch(1);
    form->addRow(tr("Ready examples:"), examples);
    maxSeq_ = new QSpinBox;
    maxSeq_->setRange(8, 4096);
    // 128 as the CLI, or all the open model has when it has fewer positions.
    maxSeq_->setValue(openModel_ ? std::min(128, openModel_->config().maxPositionEmbeddings) : 128);
    maxTrain_ = new QSpinBox;
    maxTrain_->setRange(10, 10'000'000);
    maxTrain_->setValue(20000);
    maxTrain_->setToolTip(tr("Training items are capped by a seeded sample so every layer's features fit in memory"));
    auto* limits = new QHBoxLayout;
    limits->addWidget(new QLabel(tr("Max sequence length:")));
    limits->addWidget(maxSeq_);
    limits->addSpacing(12);
    limits->addWidget(new QLabel(tr("Max training items:")));
    limits->addWidget(maxTrain_);
    limits->addStretch(1);
    form->addRow(limits);
    layout->addLayout(form);

    auto* controls = new QHBoxLayout;
    run_ = new QPushButton(tr("Run Probe"));
    cancel_ = new QPushButton(tr("Cancel"));
    export_ = new QPushButton(tr("Export…"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    controls->addWidget(progress_, 1);
    controls->addWidget(export_);
    layout->addLayout(controls);
    status_ = new QLabel;
    status_->setWordWrap(true);
    layout->addWidget(status_);
    plot_ = makeMetricPlot(tr("Linear probe: dev accuracy per layer"), tr("layer (0 = embeddings)"), tr("dev accuracy"));
    addMetricGraph(plot_, tr("probe"), categoricalColor(0), true);
    QCPGraph* baseline = addMetricGraph(plot_, tr("majority baseline"), categoricalColor(5), false);
    baseline->setPen(QPen(categoricalColor(5), 2, Qt::DashLine));
    plot_->legend->setVisible(true);
    plot_->setMinimumSize(520, 320);
    layout->addWidget(plot_, 1);

    connect(modelBrowse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), model_->text());
        if (!dir.isEmpty())
            model_->setText(dir);
    });
    connect(trainBrowse, &QPushButton::clicked, this, [this] { browseFile(train_, tr("Training file")); });
    connect(devBrowse, &QPushButton::clicked, this, [this] { browseFile(dev_, tr("Dev file")); });
    connect(run_, &QPushButton::clicked, this, [this] { start(); });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (running_)
            cancel();
        else
            reject();
    });
    connect(export_, &QPushButton::clicked, this, &ProbeDialog::chooseExport);
    setRunning(false);
    resize(900, 720);
}

ProbeDialog::~ProbeDialog()
{
    stop_.request_stop();
    if (thread_.joinable())
        thread_.join();
}

void ProbeDialog::setModelPath(const QString& path)
{
    model_->setText(path);
}

void ProbeDialog::setTask(ClassifierTask task)
{
    task_->setCurrentIndex(task == ClassifierTask::Sequence ? 1 : 0);
}

void ProbeDialog::setTrainFile(const QString& path)
{
    train_->setText(path);
}

void ProbeDialog::setDevFile(const QString& path)
{
    dev_->setText(path);
}

void ProbeDialog::useBuiltinTask(int index)
{
    const QVector<BuiltinTask> tasks = builtinTasks();
    if (index < 0 || index >= tasks.size())
        return;
    setTask(tasks[index].task);
    train_->setText(tasks[index].trainPath);
    dev_->setText(tasks[index].devPath);
}

void ProbeDialog::browseFile(QLineEdit* edit, const QString& title)
{
    const QString path = QFileDialog::getOpenFileName(this, title, QFileInfo(edit->text()).absolutePath(),
                                                      tr("Task data (*.csv *.tsv *.jsonl *.conll *.txt);;All files (*)"));
    if (!path.isEmpty())
        edit->setText(path);
}

void ProbeDialog::setRunning(bool on)
{
    running_ = on;
    run_->setEnabled(!on);
    cancel_->setText(on ? tr("Cancel") : tr("Close"));
    export_->setEnabled(!on && result_.has_value());
}

bool ProbeDialog::start()
{
    if (running_)
        return false;
    const QString modelPath = model_->text().trimmed();
    if (modelPath.isEmpty() || train_->text().trimmed().isEmpty() || dev_->text().trimmed().isEmpty()) {
        status_->setText(tr("Choose a model, a training file and a dev file."));
        return false;
    }
    ProbeOptions options;
    options.task = static_cast<ClassifierTask>(task_->currentData().toInt());
    options.maxSeqLength = maxSeq_->value();
    options.maxTrainItems = maxTrain_->value();
    std::shared_ptr<const BertModel> reuse =
        openModel_ && QFileInfo(modelPath) == QFileInfo(openPath_) ? openModel_ : nullptr;
    result_.reset();
    error_.clear();
    progress_->setRange(0, 0);  // busy until the first progress report
    status_->setText(tr("Reading the data and computing every layer's features…"));
    setRunning(true);
    if (thread_.joinable())
        thread_.join();
    stop_ = std::stop_source();
    thread_ = std::jthread([this, reuse, options, model = modelPath.toStdString(), train = train_->text().trimmed().toStdString(),
                            dev = dev_->text().trimmed().toStdString(), stop = stop_.get_token()] {
        std::optional<ProbeResult> result;
        QString error;
        try {
            std::shared_ptr<const BertModel> m = reuse ? reuse : loadModel(hub::resolveModelReference(model));
            result = runLinearProbe(*m, train, dev, options, stop, [this](int done, int total) {
                QMetaObject::invokeMethod(this, [this, done, total] {
                    progress_->setRange(0, total);
                    progress_->setValue(done);
                    status_->setText(tr("Probing: %1 of %2").arg(done).arg(total));
                }, Qt::QueuedConnection);
            });
        } catch (const Cancelled&) {
            error = tr("Cancelled.");
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = tr("The probe failed for an unknown reason.");
        }
        QMetaObject::invokeMethod(this, [this, result, error] {
            result_ = result;
            error_ = error;
            progress_->setRange(0, 1);
            progress_->setValue(result_ ? 1 : 0);
            setRunning(false);
            if (result_)
                showResult();
            else
                status_->setText(error_);
            emit finished();
        }, Qt::QueuedConnection);
    });
    return true;
}

void ProbeDialog::cancel()
{
    stop_.request_stop();
    status_->setText(tr("Cancelling…"));
}

bool ProbeDialog::wait(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (running_) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

QString ProbeDialog::errorText() const
{
    return error_;
}

void ProbeDialog::showResult()
{
    const ProbeResult& r = *result_;
    QVector<double> layers, acc;
    int best = 0;
    for (const ProbeLayerScore& s : r.layers) {
        layers.push_back(s.layer);
        acc.push_back(s.devAccuracy);
        if (s.devAccuracy > r.layers[static_cast<size_t>(best)].devAccuracy)
            best = static_cast<int>(layers.size()) - 1;
    }
    plot_->graph(0)->setData(layers, acc, true);
    const double last = layers.isEmpty() ? 1.0 : layers.last();
    plot_->graph(1)->setData({-0.3, last + 0.3}, {r.majorityBaseline, r.majorityBaseline}, true);
    plot_->xAxis->setRange(-0.3, last + 0.3);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
    plot_->xAxis->ticker().staticCast<QCPAxisTickerFixed>()->setTickStep(1.0);
    plot_->yAxis->setRange(0, 1.02);
    plot_->replot();
    status_->setText(tr("Best: layer %1, dev accuracy %2 (majority baseline %3, always \"%4\"); %5 training and %6 dev "
                        "items, %7 labels.")
                         .arg(r.layers.empty() ? 0 : r.layers[static_cast<size_t>(best)].layer)
                         .arg(acc.isEmpty() ? 0.0 : acc[best], 0, 'f', 4)
                         .arg(r.majorityBaseline, 0, 'f', 4)
                         .arg(QString::fromStdString(r.majorityLabel))
                         .arg(r.trainItems)
                         .arg(r.devItems)
                         .arg(r.labels.size()));
}

bool ProbeDialog::exportImage(const QString& path, int dpi, QString* error)
{
    if (!result_) {
        if (error)
            *error = tr("Nothing to export: run the probe first.");
        return false;
    }
    return exporting::savePlot(plot_, path, dpi, error);
}

bool ProbeDialog::exportData(const QString& path, QString* error)
{
    if (!result_) {
        if (error)
            *error = tr("Nothing to export: run the probe first.");
        return false;
    }
    exporting::Table t;
    t.name = tr("linear probe per layer");
    t.cols = 2;
    t.colLabels = {QStringLiteral("dev_accuracy"), QStringLiteral("train_accuracy")};
    QJsonArray layers;
    for (const ProbeLayerScore& s : result_->layers) {
        t.rowLabels << QString::number(s.layer);
        t.values.push_back(s.devAccuracy);
        t.values.push_back(s.trainAccuracy);
        layers.append(QJsonObject{{QStringLiteral("layer"), s.layer}, {QStringLiteral("dev_accuracy"), s.devAccuracy}});
    }
    t.rows = static_cast<int>(t.rowLabels.size());
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(t, path, error);
    // The same keys as `bertlab-cli probe --json`.
    const QJsonObject root{{QStringLiteral("layers"), layers},
                           {QStringLiteral("majority_baseline"), result_->majorityBaseline}};
    return exporting::saveJson(QJsonDocument(root), path, error);
}

void ProbeDialog::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Probe"), QDir::home().filePath(QStringLiteral("probe.png")),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV table (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool data = exporting::dataFormatFor(path) != exporting::DataFormat::Unknown;
    if (!(data ? exportData(path, &error) : exportImage(path, 144, &error)))
        status_->setText(tr("Export failed: %1").arg(error));
}

} // namespace bertlab::ui
