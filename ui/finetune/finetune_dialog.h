// Training ▸ Fine-tune…: base model, task, data files with a preview and label counts, hyperparameters, output folder.
#pragma once

#include "finetune/finetune_options.h"

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace bertlab::ui {

class FinetuneDialog : public QDialog {
    Q_OBJECT
public:
    // `openModel`: the explorer's model folder, offered as the base (empty: none open).
    explicit FinetuneDialog(const QString& openModel, QWidget* parent = nullptr);

    // What the fields say; initPath resolved (a Hub repo id to its cached folder) by checkInputs().
    FinetuneOptions options() const;
    QString outDir() const;
    // Reads the data (the preview's check) and the output folder as the engine's setup will:
    // false and a one-line *error (with file and line for bad data) when the run could not start.
    bool checkInputs(QString* error);

    // The fields, for tests and the ready examples.
    void setBaseModel(const QString& path);
    void setTask(ClassifierTask task);
    void setTrainFile(const QString& path);
    void setDevFile(const QString& path);
    void setOutDir(const QString& path);
    void setLabelOrder(const QString& labels);  // "L1,L2,…", as --labels
    void useBuiltinTask(int index);  // fills task, train and dev files from builtinTasks()
    QSpinBox* epochsBox() const { return epochs_; }
    QSpinBox* batchBox() const { return batch_; }
    QComboBox* lrBox() const { return lr_; }
    QDoubleSpinBox* warmupBox() const { return warmup_; }
    QDoubleSpinBox* weightDecayBox() const { return weightDecay_; }
    QSpinBox* maxSeqBox() const { return maxSeq_; }
    QDoubleSpinBox* dropoutBox() const { return dropout_; }
    QSpinBox* seedBox() const { return seed_; }
    QCheckBox* shuffleBox() const { return shuffle_; }
    QTableWidget* preview() const { return preview_; }
    QString labelCountsText() const;
    QString dataErrorText() const;

    void accept() override;  // only when checkInputs() passes; the error is shown otherwise

private:
    QWidget* buildData();
    QWidget* buildHyperparameters();
    void refreshPreview();
    void browseModel();
    void browseFile(QLineEdit* edit, const QString& title);
    void browseOutDir();
    void suggestOutDir();

    QString openModel_;
    QLineEdit* model_ = nullptr;
    QComboBox* task_ = nullptr;
    QLineEdit* train_ = nullptr;
    QLineEdit* dev_ = nullptr;
    QLineEdit* labels_ = nullptr;
    QTableWidget* preview_ = nullptr;
    QLabel* counts_ = nullptr;
    QLabel* dataError_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QComboBox* lr_ = nullptr;
    QDoubleSpinBox* warmup_ = nullptr;
    QDoubleSpinBox* weightDecay_ = nullptr;
    QSpinBox* maxSeq_ = nullptr;
    QDoubleSpinBox* dropout_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QCheckBox* shuffle_ = nullptr;
    QLineEdit* out_ = nullptr;
    QLabel* error_ = nullptr;
    bool outEdited_ = false;
};

} // namespace bertlab::ui
