// Training ▸ Probe Layers…: a linear probe per layer on frozen features, run off the event loop, plotted with the majority baseline.
#pragma once

#include "bert_model.h"
#include "finetune/linear_probe.h"

#include <QDialog>
#include <QString>

#include <memory>
#include <optional>
#include <stop_token>
#include <thread>

class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace bertlab::ui {

class ProbeDialog : public QDialog {
    Q_OBJECT
public:
    // `openModel` (may be null) is reused when the model field names its folder `openPath`.
    ProbeDialog(std::shared_ptr<const BertModel> openModel, const QString& openPath, QWidget* parent = nullptr);
    ~ProbeDialog() override;  // cancels a running probe and joins its thread

    void setModelPath(const QString& path);
    void setTask(ClassifierTask task);
    void setTrainFile(const QString& path);
    void setDevFile(const QString& path);
    void useBuiltinTask(int index);
    QSpinBox* maxTrainItemsBox() const { return maxTrain_; }
    QSpinBox* maxSeqBox() const { return maxSeq_; }

    // Starts the probe on a worker thread; false (and the reason shown) when one runs or an input is missing.
    bool start();
    void cancel();
    bool isRunning() const { return running_; }
    // Spins the event loop until the probe has finished, failed or been cancelled; false on timeout.
    bool wait(int timeoutMs);

    const std::optional<ProbeResult>& result() const { return result_; }
    QString errorText() const;
    QCustomPlot* plot() const { return plot_; }
    bool exportImage(const QString& path, int dpi, QString* error);
    bool exportData(const QString& path, QString* error);  // .csv or .json

signals:
    void finished();  // with a result, an error or after a cancel

private:
    void showResult();
    void setRunning(bool on);
    void chooseExport();
    void browseFile(QLineEdit* edit, const QString& title);

    std::shared_ptr<const BertModel> openModel_;
    QString openPath_;
    QLineEdit* model_ = nullptr;
    QComboBox* task_ = nullptr;
    QLineEdit* train_ = nullptr;
    QLineEdit* dev_ = nullptr;
    QSpinBox* maxSeq_ = nullptr;
    QSpinBox* maxTrain_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* export_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    std::optional<ProbeResult> result_;
    QString error_;
    bool running_ = false;
    std::stop_source stop_;
    std::jthread thread_;
};

} // namespace bertlab::ui
