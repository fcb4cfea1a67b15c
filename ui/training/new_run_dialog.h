// "New training run" dialog: corpus, vocabulary, model size, hyperparameters, output folder, cost estimate.
#pragma once

#include "training/run_estimate.h"
#include "training/training_run.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QString>

#include <memory>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QSpinBox;

namespace bertlab {
class BertModel;
}

namespace bertlab::ui {

class NewRunDialog : public QDialog {
    Q_OBJECT
public:
    // openModel may be null: then the vocabulary and continued-pretraining options are disabled.
    NewRunDialog(std::shared_ptr<const BertModel> openModel, const QString& openModelName, QWidget* parent = nullptr);

    TrainingRunSpec spec() const;
    QString validate() const;  // empty when the choices can start a run, else a one-line reason
    RunEstimate estimate() const;  // the engine's estimate for the current choices

    // Setters for tests and scripted starts.
    void setCorpus(const QString& path);
    void setOutputFolder(const QString& path);
    void setCustomSize(int layers, int hidden, int heads, int intermediate);
    void setPreset(const QString& name);  // "tiny", "mini", "small", "medium"
    void setVocabSize(int size);
    void setBatch(int batch);
    void setSeqLength(int length);
    void setSteps(int steps);
    void setCheckpointEvery(int steps);
    void setEvalEvery(int steps);
    void setContinuePretraining(bool on);
    // False (and float32 kept) for bfloat16 on a CPU without native bfloat16, where the choice is disabled.
    bool setPrecision(Precision precision);
    bool precisionSelectable() const;
    bool corpusStatsReady() const { return statsReady_; }
    QString corpusStats() const;

    void accept() override;

private:
    void buildUi(const QString& openModelName);
    void loadCorpus();
    void updateEnabled();
    void updateEstimate();
    BertConfig chosenConfig() const;

    std::shared_ptr<const BertModel> openModel_;
    QLineEdit* corpus_ = nullptr;
    QPlainTextEdit* preview_ = nullptr;
    QLabel* stats_ = nullptr;
    QRadioButton* buildVocab_ = nullptr;
    QRadioButton* reuseVocab_ = nullptr;
    QSpinBox* vocabSize_ = nullptr;
    QRadioButton* fromPreset_ = nullptr;
    QRadioButton* continueModel_ = nullptr;
    QComboBox* preset_ = nullptr;
    QSpinBox* layers_ = nullptr;
    QSpinBox* hidden_ = nullptr;
    QSpinBox* heads_ = nullptr;
    QSpinBox* intermediate_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QSpinBox* seq_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QSpinBox* warmup_ = nullptr;
    QDoubleSpinBox* maskProb_ = nullptr;
    QCheckBox* wholeWord_ = nullptr;
    QDoubleSpinBox* dropout_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* precision_ = nullptr;
    QLineEdit* output_ = nullptr;
    QSpinBox* checkpointEvery_ = nullptr;
    QSpinBox* evalEvery_ = nullptr;
    QLabel* estimate_ = nullptr;
    QLabel* error_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    QFutureWatcher<QString>* statsWatcher_ = nullptr;
    bool statsReady_ = false;
};

} // namespace bertlab::ui
