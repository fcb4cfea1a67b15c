// "New training run" dialog: corpus, vocabulary, model size, hyperparameters, output folder, cost estimate.
#include "training/new_run_dialog.h"

#include "bert_model.h"
#include "bf16_linear.h"
#include "error.h"
#include "tokenizer.h"
#include "training/sentence_splitter.h"
#include "training/training_presets.h"
#include "vocab.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {
namespace {

QString humanBytes(double bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString humanSeconds(double s)
{
    if (s < 1.0) return QObject::tr("%1 ms").arg(s * 1000.0, 0, 'f', 0);
    if (s < 120.0) return QObject::tr("%1 s").arg(s, 0, 'f', 1);
    if (s < 7200.0) return QObject::tr("%1 min").arg(s / 60.0, 0, 'f', 0);
    return QObject::tr("%1 h").arg(s / 3600.0, 0, 'f', 1);
}

// A field with a one-line explanation of the paper's choice underneath.
QWidget* withNote(QWidget* field, const QString& note)
{
    auto* box = new QWidget;
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 2);
    v->setSpacing(0);
    v->addWidget(field);
    auto* label = new QLabel(note);
    label->setWordWrap(true);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    label->setFont(f);
    label->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(label);
    return box;
}

QSpinBox* spin(int lo, int hi, int value, int step = 1)
{
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setValue(value);
    s->setGroupSeparatorShown(true);
    return s;
}

QDoubleSpinBox* dspin(double lo, double hi, double value, int decimals, double step)
{
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setValue(value);
    return s;
}

} // namespace

NewRunDialog::NewRunDialog(std::shared_ptr<const BertModel> openModel, const QString& openModelName, QWidget* parent)
    : QDialog(parent), openModel_(std::move(openModel))
{
    setWindowTitle(tr("New Training Run"));
    buildUi(openModelName);
    updateEnabled();
    updateEstimate();
}

void NewRunDialog::buildUi(const QString& openModelName)
{
    // Data.
    corpus_ = new QLineEdit;
    corpus_->setPlaceholderText(tr("A UTF-8 .txt: one sentence per line and blank lines between documents, or paragraphs"));
    auto* browseCorpus = new QPushButton(tr("Browse…"));
    auto* corpusRow = new QHBoxLayout;
    corpusRow->addWidget(corpus_, 1);
    corpusRow->addWidget(browseCorpus);
    preview_ = new QPlainTextEdit;
    preview_->setReadOnly(true);
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    preview_->setPlaceholderText(tr("The first lines of the corpus appear here."));
    preview_->setFixedHeight(118);
    stats_ = new QLabel(tr("No corpus chosen."));
    auto* dataBox = new QGroupBox(tr("Corpus"));
    auto* dataLayout = new QVBoxLayout(dataBox);
    dataLayout->addLayout(corpusRow);
    dataLayout->addWidget(preview_);
    dataLayout->addWidget(stats_);

    // Vocabulary.
    const int modelVocab = openModel_ ? openModel_->tokenizer().sharedVocab()->size() : 0;
    buildVocab_ = new QRadioButton(tr("Build a WordPiece vocabulary from the corpus, tokens:"));
    vocabSize_ = spin(200, 100000, 8000, 500);
    vocabSize_->setToolTip(tr("BERT uses 30,522. Small corpora only fill a few thousand; the rest become [unused] slots."));
    reuseVocab_ = new QRadioButton(openModel_ ? tr("Reuse the open model's vocabulary (%L1 tokens)").arg(modelVocab)
                                              : tr("Reuse the open model's vocabulary (no model open)"));
    auto* vocabGroup = new QButtonGroup(this);
    vocabGroup->addButton(buildVocab_);
    vocabGroup->addButton(reuseVocab_);
    buildVocab_->setChecked(true);
    auto* vocabBox = new QGroupBox(tr("Vocabulary"));
    auto* vocabLayout = new QGridLayout(vocabBox);
    vocabLayout->addWidget(buildVocab_, 0, 0);
    vocabLayout->addWidget(vocabSize_, 0, 1);
    vocabLayout->addWidget(reuseVocab_, 1, 0, 1, 2);

    // Model.
    fromPreset_ = new QRadioButton(tr("New model:"));
    preset_ = new QComboBox;
    preset_->addItem(tr("Tiny (L2 H128 A2)"), QStringLiteral("tiny"));
    preset_->addItem(tr("Mini (L4 H256 A4)"), QStringLiteral("mini"));
    preset_->addItem(tr("Small (L4 H512 A8)"), QStringLiteral("small"));
    preset_->addItem(tr("Medium (L8 H512 A8)"), QStringLiteral("medium"));
    preset_->addItem(tr("Custom sizes"), QString());
    layers_ = spin(1, 24, 2);
    hidden_ = spin(8, 1024, 128, 8);
    heads_ = spin(1, 16, 2);
    intermediate_ = spin(8, 4096, 512, 32);
    continueModel_ = new QRadioButton(!openModel_             ? tr("Continue pretraining the open model (no model open)")
                                      : openModelName.isEmpty() ? tr("Continue pretraining the open model")
                                                                : tr("Continue pretraining the open model (%1)").arg(openModelName));
    auto* modelGroup = new QButtonGroup(this);
    modelGroup->addButton(fromPreset_);
    modelGroup->addButton(continueModel_);
    fromPreset_->setChecked(true);
    auto* modelBox = new QGroupBox(tr("Model"));
    auto* modelLayout = new QGridLayout(modelBox);
    modelLayout->addWidget(fromPreset_, 0, 0);
    modelLayout->addWidget(preset_, 0, 1, 1, 3);
    auto* sizes = new QHBoxLayout;
    for (auto [label, box] : {std::pair{tr("layers"), layers_}, std::pair{tr("hidden"), hidden_},
                              std::pair{tr("heads"), heads_}, std::pair{tr("FFN"), intermediate_}}) {
        sizes->addWidget(new QLabel(label));
        sizes->addWidget(box);
    }
    sizes->addStretch(1);
    modelLayout->addLayout(sizes, 1, 0, 1, 4);
    modelLayout->addWidget(continueModel_, 2, 0, 1, 4);
    auto* note = new QLabel(tr("Presets are the compact BERTs of Turc et al. 2019; the FFN is 4 × hidden."));
    note->setForegroundRole(QPalette::PlaceholderText);
    QFont nf = note->font();
    nf.setPointSizeF(nf.pointSizeF() * 0.85);
    note->setFont(nf);
    modelLayout->addWidget(note, 3, 0, 1, 4);

    // Hyperparameters, each with the paper's choice in one line.
    batch_ = spin(1, 4096, 32);
    seq_ = spin(16, 512, 128, 16);
    steps_ = spin(1, 10000000, 1000, 100);
    lr_ = dspin(1e-6, 1e-1, 1e-4, 6, 1e-5);
    warmup_ = spin(-1, 1000000, -1, 10);
    warmup_->setSpecialValueText(tr("auto (10% of steps)"));
    maskProb_ = dspin(0.01, 0.5, 0.15, 2, 0.01);
    wholeWord_ = new QCheckBox(tr("mask every piece of a word together"));
    dropout_ = dspin(0.0, 0.9, 0.1, 2, 0.05);
    seed_ = spin(0, 2147483647, 12345);
    seed_->setGroupSeparatorShown(false);
    precision_ = new QComboBox;
    precision_->addItem(tr("float32"), static_cast<int>(Precision::Float32));
    precision_->addItem(tr("bfloat16"), static_cast<int>(Precision::Bfloat16));
    if (!nativeBfloat16Available()) {
        // Emulated bfloat16 would be slower than float32: not offered at all.
        precision_->setEnabled(false);
        precision_->setToolTip(tr("This CPU has no native bfloat16 (AVX-512 BF16 or AMX), so bfloat16 would only "
                                  "be emulated, slower than float32."));
    }
    auto* hp = new QGroupBox(tr("Hyperparameters (BERT paper's values below each)"));
    auto* form = new QFormLayout(hp);
    form->setVerticalSpacing(3);
    form->addRow(tr("Batch size"), withNote(batch_, tr("Paper: 256 sequences per step.")));
    form->addRow(tr("Sequence length"), withNote(seq_, tr("Paper: 128 tokens for 90% of steps, then 512.")));
    form->addRow(tr("Steps"), withNote(steps_, tr("Paper: 1,000,000 steps (about 40 epochs of 3.3 B words).")));
    form->addRow(tr("Peak learning rate"), withNote(lr_, tr("Paper: 1e-4 with Adam, decayed linearly to 0.")));
    form->addRow(tr("Warmup steps"), withNote(warmup_, tr("Paper: 10,000 steps of linear warmup.")));
    form->addRow(tr("Masking probability"), withNote(maskProb_, tr("Paper: 15% of tokens (80% [MASK], 10% random, 10% kept).")));
    form->addRow(tr("Whole-word masking"), withNote(wholeWord_, tr("Off in the paper; Google's 2019 update masks whole words.")));
    form->addRow(tr("Dropout"), withNote(dropout_, tr("Paper: 0.1 on every layer and on attention weights.")));
    form->addRow(tr("Seed"), withNote(seed_, tr("Same seed, same data and settings: the same run, step for step.")));
    form->addRow(tr("Precision"), withNote(precision_, tr("bfloat16: matrix products in half the bits, faster; weights, "
                                                          "Adam and LayerNorm stay float32.")));

    // Output.
    output_ = new QLineEdit;
    const QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    output_->setText(QDir(base.isEmpty() ? QDir::homePath() : base)
                         .filePath(QStringLiteral("bertlab-runs/run-") +
                                   QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    auto* browseOut = new QPushButton(tr("Browse…"));
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(output_, 1);
    outRow->addWidget(browseOut);
    checkpointEvery_ = spin(0, 1000000, 100, 50);
    checkpointEvery_->setSpecialValueText(tr("only at the end"));
    evalEvery_ = spin(0, 1000000, 50, 10);
    evalEvery_->setSpecialValueText(tr("never"));
    auto* outBox = new QGroupBox(tr("Output"));
    auto* outForm = new QFormLayout(outBox);
    outForm->addRow(tr("Run folder"), outRow);
    auto* every = new QHBoxLayout;
    every->addWidget(checkpointEvery_);
    every->addWidget(new QLabel(tr("held-out evaluation every")));
    every->addWidget(evalEvery_);
    outForm->addRow(tr("Checkpoint every"), every);

    estimate_ = new QLabel;
    estimate_->setWordWrap(true);
    estimate_->setFrameShape(QFrame::StyledPanel);
    estimate_->setMargin(6);
    error_ = new QLabel;
    error_->setWordWrap(true);
    QPalette ep = error_->palette();
    ep.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    error_->setPalette(ep);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Start Training"));

    auto* left = new QVBoxLayout;
    left->addWidget(dataBox);
    left->addWidget(vocabBox);
    left->addWidget(modelBox);
    left->addWidget(outBox);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(hp);
    right->addStretch(1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 5);
    columns->addLayout(right, 4);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(estimate_);
    layout->addWidget(error_);
    layout->addWidget(buttons_);

    statsWatcher_ = new QFutureWatcher<QString>(this);
    connect(statsWatcher_, &QFutureWatcher<QString>::finished, this, [this] {
        stats_->setText(statsWatcher_->result());
        statsReady_ = true;
    });
    connect(browseCorpus, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Corpus"), corpus_->text(), tr("Text (*.txt);;All files (*)"));
        if (!f.isEmpty()) setCorpus(f);
    });
    connect(corpus_, &QLineEdit::editingFinished, this, &NewRunDialog::loadCorpus);
    connect(browseOut, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Run folder"), output_->text());
        if (!d.isEmpty()) output_->setText(d);
    });
    connect(buttons_, &QDialogButtonBox::accepted, this, &NewRunDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &NewRunDialog::reject);
    connect(preset_, &QComboBox::currentIndexChanged, this, [this] {
        const QString name = preset_->currentData().toString();
        if (!name.isEmpty()) {
            const BertConfig c = presetConfig(name.toStdString(), 1000);
            layers_->setValue(c.numHiddenLayers);
            hidden_->setValue(c.hiddenSize);
            heads_->setValue(c.numAttentionHeads);
            intermediate_->setValue(c.intermediateSize);
        }
        updateEnabled();
    });
    for (QRadioButton* r : {buildVocab_, reuseVocab_, fromPreset_, continueModel_})
        connect(r, &QRadioButton::toggled, this, [this] {
            updateEnabled();
            updateEstimate();
        });
    for (QSpinBox* s : {vocabSize_, layers_, hidden_, heads_, intermediate_, batch_, seq_, steps_})
        connect(s, &QSpinBox::valueChanged, this, &NewRunDialog::updateEstimate);
    connect(maskProb_, &QDoubleSpinBox::valueChanged, this, &NewRunDialog::updateEstimate);  // masked positions per step
    connect(precision_, &QComboBox::currentIndexChanged, this, &NewRunDialog::updateEstimate);
}

void NewRunDialog::updateEnabled()
{
    const bool haveModel = openModel_ != nullptr;
    reuseVocab_->setEnabled(haveModel && !continueModel_->isChecked());
    continueModel_->setEnabled(haveModel);
    if (!haveModel) {
        buildVocab_->setChecked(true);
        fromPreset_->setChecked(true);
    }
    const bool cont = continueModel_->isChecked();
    buildVocab_->setEnabled(!cont);
    vocabSize_->setEnabled(!cont && buildVocab_->isChecked());
    preset_->setEnabled(!cont);
    const bool custom = !cont && preset_->currentData().toString().isEmpty();
    for (QSpinBox* s : {layers_, hidden_, heads_, intermediate_}) s->setEnabled(custom);
}

BertConfig NewRunDialog::chosenConfig() const
{
    if (continueModel_->isChecked() && openModel_) return openModel_->config();
    BertConfig c = presetConfig("tiny", 1000);
    c.numHiddenLayers = layers_->value();
    c.hiddenSize = hidden_->value();
    c.numAttentionHeads = heads_->value();
    c.intermediateSize = intermediate_->value();
    c.vocabSize = reuseVocab_->isChecked() && openModel_ ? openModel_->tokenizer().sharedVocab()->size()
                                                          : vocabSize_->value();
    c.maxPositionEmbeddings = std::max(512, seq_->value());
    return c;
}

RunEstimate NewRunDialog::estimate() const
{
    const TrainingRunSpec s = spec();
    return estimateRun(chosenConfig(), s.trainer.batchSize, s.examples.maxSeqLength, s.examples.maxPredictionsPerSeq,
                       TrainingRun::defaultThreads(), s.trainer.precision);
}

void NewRunDialog::updateEstimate()
{
    const BertConfig c = chosenConfig();
    if (c.hiddenSize % c.numAttentionHeads != 0) {
        estimate_->setText(tr("The hidden size must be a multiple of the number of heads."));
        return;
    }
    const RunEstimate e = estimate();
    const int threads = TrainingRun::defaultThreads();
    estimate_->setText(tr("<b>Estimate:</b> %L1 parameters · about %2 of memory · about %3 per step on %4 thread(s), "
                          "%5 for %L6 steps. <i>Rough: from a FLOP count (%7 GFLOP per step) at %8 GFLOP/s per "
                          "thread, from products timed on this machine; the run view shows the real speed.</i>")
                           .arg(e.parameters)
                           .arg(humanBytes(e.memoryBytes))
                           .arg(humanSeconds(e.secondsPerStep))
                           .arg(threads)
                           .arg(humanSeconds(e.secondsPerStep * steps_->value()))
                           .arg(steps_->value())
                           .arg(e.flopsPerStep / 1e9, 0, 'f', e.flopsPerStep < 1e10 ? 2 : 0)
                           .arg(e.gflopsPerThread, 0, 'f', 0));
}

void NewRunDialog::loadCorpus()
{
    const QString path = corpus_->text().trimmed();
    statsReady_ = false;
    preview_->clear();
    if (path.isEmpty()) {
        stats_->setText(tr("No corpus chosen."));
        return;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        stats_->setText(tr("Cannot read %1.").arg(path));
        statsReady_ = true;
        return;
    }
    QStringList lines;
    while (!f.atEnd() && lines.size() < 40) lines << QString::fromUtf8(f.readLine()).trimmed();
    preview_->setPlainText(lines.join(QLatin1Char('\n')));
    stats_->setText(tr("Counting sentences and documents…"));
    const qint64 bytes = f.size();
    // Parsing a large corpus takes a while: off the GUI thread.
    statsWatcher_->setFuture(QtConcurrent::run([path, bytes]() -> QString {
        try {
            const Corpus c = readCorpus(path.toStdString());
            return QObject::tr("%L1 documents · %L2 sentences · %3 · %4")
                .arg(static_cast<qint64>(c.documents.size()))
                .arg(c.sentenceCount())
                .arg(humanBytes(double(bytes)))
                .arg(c.format == CorpusFormat::SentencePerLine ? QObject::tr("one sentence per line")
                                                               : QObject::tr("paragraphs"));
        } catch (const Error& e) {
            return QObject::tr("Not usable: %1").arg(QString::fromStdString(e.what()));
        }
    }));
}

QString NewRunDialog::corpusStats() const
{
    return stats_->text();
}

void NewRunDialog::setCorpus(const QString& path)
{
    corpus_->setText(path);
    loadCorpus();
}

void NewRunDialog::setOutputFolder(const QString& path) { output_->setText(path); }

void NewRunDialog::setCustomSize(int layers, int hidden, int heads, int intermediate)
{
    fromPreset_->setChecked(true);
    preset_->setCurrentIndex(preset_->count() - 1);
    layers_->setValue(layers);
    hidden_->setValue(hidden);
    heads_->setValue(heads);
    intermediate_->setValue(intermediate);
}

void NewRunDialog::setPreset(const QString& name)
{
    fromPreset_->setChecked(true);
    const int i = preset_->findData(name.toLower());
    if (i >= 0) preset_->setCurrentIndex(i);
}

void NewRunDialog::setVocabSize(int size)
{
    buildVocab_->setChecked(true);
    vocabSize_->setValue(size);
}

void NewRunDialog::setBatch(int batch) { batch_->setValue(batch); }
void NewRunDialog::setSeqLength(int length) { seq_->setValue(length); }
void NewRunDialog::setSteps(int steps) { steps_->setValue(steps); }
void NewRunDialog::setCheckpointEvery(int steps) { checkpointEvery_->setValue(steps); }
void NewRunDialog::setEvalEvery(int steps) { evalEvery_->setValue(steps); }
void NewRunDialog::setContinuePretraining(bool on) { (on ? continueModel_ : fromPreset_)->setChecked(true); }

TrainingRunSpec NewRunDialog::spec() const
{
    TrainingRunSpec s;
    s.corpusPath = corpus_->text().trimmed();
    s.runDir = output_->text().trimmed();
    s.continuePretraining = continueModel_->isChecked() && openModel_;
    s.reuseModelVocab = s.continuePretraining || (reuseVocab_->isChecked() && openModel_);
    s.vocabSize = vocabSize_->value();
    s.openModel = openModel_;
    s.config = chosenConfig();
    s.examples.maxSeqLength = seq_->value();
    s.examples.maskedLmProb = maskProb_->value();
    s.examples.wholeWordMask = wholeWord_->isChecked();
    s.examples.maxPredictionsPerSeq = std::max(1, static_cast<int>(std::lround(seq_->value() * maskProb_->value())));
    s.examples.dupeFactor = 5;
    s.trainer.steps = steps_->value();
    s.trainer.batchSize = batch_->value();
    s.trainer.peakLr = lr_->value();
    s.trainer.warmup = warmup_->value();
    s.trainer.dropout = static_cast<float>(dropout_->value());
    s.trainer.seed = static_cast<uint64_t>(seed_->value());
    s.trainer.checkpointEvery = checkpointEvery_->value();
    s.trainer.keepHistory = true;  // the checkpoint slider replays the run from these
    s.trainer.evalEvery = evalEvery_->value();
    s.trainer.precision = static_cast<Precision>(precision_->currentData().toInt());
    return s;
}

QString NewRunDialog::validate() const
{
    const TrainingRunSpec s = spec();
    if (s.corpusPath.isEmpty()) return tr("Choose a corpus file.");
    if (!QFileInfo(s.corpusPath).isFile()) return tr("The corpus %1 does not exist.").arg(s.corpusPath);
    if (s.runDir.isEmpty()) return tr("Choose an output folder.");
    const QDir out(s.runDir);
    if (out.exists() && !out.isEmpty()) return tr("The output folder %1 is not empty: choose a new one.").arg(s.runDir);
    if (!s.continuePretraining && s.config.hiddenSize % s.config.numAttentionHeads != 0)
        return tr("The hidden size must be a multiple of the number of heads.");
    if (s.continuePretraining && s.examples.maxSeqLength > s.config.maxPositionEmbeddings)
        return tr("The open model only has %1 positions: lower the sequence length.").arg(s.config.maxPositionEmbeddings);
    return {};
}

bool NewRunDialog::setPrecision(Precision precision)
{
    if (!precision_->isEnabled() && precision != Precision::Float32) return false;
    precision_->setCurrentIndex(precision_->findData(static_cast<int>(precision)));
    return true;
}

bool NewRunDialog::precisionSelectable() const
{
    return precision_->isEnabled();
}

void NewRunDialog::accept()
{
    const QString problem = validate();
    error_->setText(problem);
    if (problem.isEmpty()) QDialog::accept();
}

} // namespace bertlab::ui
