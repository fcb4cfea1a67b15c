// Builds the Fine-tune dialog, previews the data as the engine reads it, and checks the run's inputs before it starts.
#include "finetune/finetune_dialog.h"

#include "error.h"
#include "finetune/browse_row.h"
#include "finetune/builtin_tasks.h"
#include "finetune/finetune_setup.h"
#include "finetune/task_data.h"
#include "hub/model_reference.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <exception>

namespace bertlab::ui {

namespace {

constexpr int kPreviewRows = 8;

QString countsText(const std::map<std::string, int>& counts, const QString& unit)
{
    QStringList parts;
    int total = 0;
    for (const auto& [label, n] : counts) {
        parts << QStringLiteral("%1 %2").arg(QString::fromStdString(label)).arg(n);
        total += n;
    }
    return QStringLiteral("%1 %2, %3 labels: %4").arg(total).arg(unit).arg(counts.size()).arg(parts.join(QStringLiteral(", ")));
}

} // namespace

FinetuneDialog::FinetuneDialog(const QString& openModel, QWidget* parent) : QDialog(parent), openModel_(openModel)
{
    setWindowTitle(tr("Fine-tune a Model"));
    setObjectName(QStringLiteral("finetuneDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* columns = new QHBoxLayout;
    columns->addWidget(buildData(), 3);
    columns->addWidget(buildHyperparameters(), 2);
    layout->addLayout(columns, 1);

    auto* outForm = new QFormLayout;
    out_ = new QLineEdit;
    out_->setPlaceholderText(tr("a new or empty folder"));
    auto* outBrowse = new QPushButton(tr("Browse…"));
    outForm->addRow(tr("Output folder:"), withBrowse(out_, outBrowse));
    layout->addLayout(outForm);
    error_ = new QLabel;
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color:#d55e00"));
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start Fine-tuning"));
    layout->addWidget(buttons);

    connect(outBrowse, &QPushButton::clicked, this, &FinetuneDialog::browseOutDir);
    connect(out_, &QLineEdit::textEdited, this, [this] { outEdited_ = true; });
    connect(buttons, &QDialogButtonBox::accepted, this, &FinetuneDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setBaseModel(openModel_);
    resize(1100, 680);
}

QWidget* FinetuneDialog::buildData()
{
    auto* box = new QGroupBox(tr("Model and data"));
    auto* layout = new QVBoxLayout(box);
    auto* form = new QFormLayout;
    model_ = new QLineEdit;
    model_->setPlaceholderText(tr("a model folder, or a Hugging Face repo id in the cache"));
    auto* modelRow = new QWidget;
    auto* modelLayout = new QHBoxLayout(modelRow);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    modelLayout->addWidget(model_, 1);
    auto* useOpen = new QPushButton(tr("Open Model"));
    useOpen->setToolTip(tr("The model open in the explorer"));
    useOpen->setEnabled(!openModel_.isEmpty());
    auto* browse = new QPushButton(tr("Browse…"));
    modelLayout->addWidget(useOpen);
    modelLayout->addWidget(browse);
    form->addRow(tr("Base model:"), modelRow);
    task_ = new QComboBox;
    task_->addItem(tr("Sequence classification (a label per sentence or pair)"), static_cast<int>(ClassifierTask::Sequence));
    task_->addItem(tr("Token classification (a label per word)"), static_cast<int>(ClassifierTask::Token));
    form->addRow(tr("Task:"), task_);
    train_ = new QLineEdit;
    dev_ = new QLineEdit;
    dev_->setPlaceholderText(tr("optional: evaluated after every epoch"));
    auto* trainBrowse = new QPushButton(tr("Browse…"));
    auto* devBrowse = new QPushButton(tr("Browse…"));
    form->addRow(tr("Training file:"), withBrowse(train_, trainBrowse));
    form->addRow(tr("Dev file:"), withBrowse(dev_, devBrowse));
    labels_ = new QLineEdit;
    labels_->setPlaceholderText(tr("optional: L1,L2,… (default: the order the training file first uses them)"));
    labels_->setToolTip(tr("The label ids of the new classifier, in this order (as --labels). Every label of the "
                           "data must be in the list; a label the data never uses is allowed."));
    form->addRow(tr("Label order:"), labels_);
    layout->addLayout(form);

    auto* examples = new QHBoxLayout;
    examples->addWidget(new QLabel(tr("Ready examples:")));
    const QVector<BuiltinTask> tasks = builtinTasks();
    for (int i = 0; i < tasks.size(); ++i) {
        auto* b = new QPushButton(tasks[i].name);
        b->setToolTip(tasks[i].description);
        connect(b, &QPushButton::clicked, this, [this, i] { useBuiltinTask(i); });
        examples->addWidget(b);
    }
    if (tasks.isEmpty())
        examples->addWidget(new QLabel(tr("(the built-in Brown tasks are not installed)")));
    examples->addStretch(1);
    layout->addLayout(examples);

    auto* formats = new QLabel(tr("<small>Sequence tasks: .csv / .tsv with a header naming <i>text</i>, optional "
                                  "<i>text_b</i> and <i>label</i>, or .jsonl with those keys. Token tasks: "
                                  "<i>word&lt;TAB&gt;label</i> per line, a blank line between sentences.</small>"));
    formats->setWordWrap(true);
    layout->addWidget(formats);
    preview_ = new QTableWidget;
    preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    preview_->verticalHeader()->setVisible(false);  // the "line" column says where each row is
    preview_->verticalHeader()->setDefaultSectionSize(preview_->fontMetrics().height() + 6);
    layout->addWidget(new QLabel(tr("Training data (first rows):")));
    layout->addWidget(preview_, 1);
    counts_ = new QLabel;
    counts_->setWordWrap(true);
    layout->addWidget(counts_);
    dataError_ = new QLabel;
    dataError_->setWordWrap(true);
    dataError_->setStyleSheet(QStringLiteral("color:#d55e00"));
    layout->addWidget(dataError_);

    connect(useOpen, &QPushButton::clicked, this, [this] { setBaseModel(openModel_); });
    connect(browse, &QPushButton::clicked, this, &FinetuneDialog::browseModel);
    connect(model_, &QLineEdit::textChanged, this, &FinetuneDialog::suggestOutDir);
    connect(task_, &QComboBox::currentIndexChanged, this, &FinetuneDialog::refreshPreview);
    connect(train_, &QLineEdit::editingFinished, this, &FinetuneDialog::refreshPreview);
    connect(dev_, &QLineEdit::editingFinished, this, &FinetuneDialog::refreshPreview);
    connect(trainBrowse, &QPushButton::clicked, this, [this] { browseFile(train_, tr("Training file")); });
    connect(devBrowse, &QPushButton::clicked, this, [this] { browseFile(dev_, tr("Dev file")); });
    return box;
}

QWidget* FinetuneDialog::buildHyperparameters()
{
    auto* box = new QGroupBox(tr("Hyperparameters"));
    auto* layout = new QVBoxLayout(box);
    auto* form = new QFormLayout;
    epochs_ = new QSpinBox;
    epochs_->setRange(1, 1000);
    epochs_->setValue(3);
    batch_ = new QSpinBox;
    batch_->setRange(1, 4096);
    batch_->setValue(32);
    lr_ = new QComboBox;
    lr_->setEditable(true);
    lr_->addItems({QStringLiteral("5e-5"), QStringLiteral("3e-5"), QStringLiteral("2e-5")});
    lr_->setCurrentText(QStringLiteral("2e-5"));
    warmup_ = new QDoubleSpinBox;
    warmup_->setRange(0.0, 1.0);
    warmup_->setSingleStep(0.05);
    warmup_->setDecimals(3);
    warmup_->setValue(0.1);
    weightDecay_ = new QDoubleSpinBox;
    weightDecay_->setRange(0.0, 1.0);
    weightDecay_->setSingleStep(0.01);
    weightDecay_->setDecimals(4);
    weightDecay_->setValue(0.01);
    maxSeq_ = new QSpinBox;
    maxSeq_->setRange(8, 4096);
    maxSeq_->setValue(128);
    dropout_ = new QDoubleSpinBox;
    dropout_->setRange(0.0, 0.9);
    dropout_->setSingleStep(0.05);
    dropout_->setValue(0.1);
    seed_ = new QSpinBox;
    seed_->setRange(0, 2147483647);
    seed_->setValue(42);
    shuffle_ = new QCheckBox(tr("Shuffle the training data each epoch"));
    shuffle_->setChecked(true);
    form->addRow(tr("Epochs:"), epochs_);
    form->addRow(tr("Batch size:"), batch_);
    form->addRow(tr("Learning rate:"), lr_);
    form->addRow(tr("Warmup ratio:"), warmup_);
    form->addRow(tr("Weight decay:"), weightDecay_);
    form->addRow(tr("Max sequence length:"), maxSeq_);
    form->addRow(tr("Dropout:"), dropout_);
    form->addRow(tr("Seed:"), seed_);
    form->addRow(QString(), shuffle_);
    layout->addLayout(form);
    auto* advice = new QLabel(tr(
        "<p><b>What the BERT paper recommends</b> (Devlin et al. 2019, appendix A.3): pick from "
        "<b>learning rate 5e-5, 3e-5 or 2e-5</b>, <b>batch size 16 or 32</b> and <b>2 to 4 epochs</b>, and keep "
        "the one that does best on the dev set; large data sets are less sensitive to the choice. Everything "
        "else stays as in pre-training: dropout 0.1, weight decay 0.01. Warmup 0.1 (the rate climbs over the "
        "first 10% of steps, then falls linearly to 0) is the default of Google's fine-tuning script.</p>"
        "<p>A shorter maximum length trains faster: pairs are cut longest-first, and in a token task the "
        "words past it are not trained on. Dropout 0 and no shuffling make a run easy to compare with "
        "another.</p>"));
    advice->setWordWrap(true);
    advice->setTextFormat(Qt::RichText);
    layout->addWidget(advice);
    layout->addStretch(1);
    return box;
}

void FinetuneDialog::setBaseModel(const QString& path)
{
    model_->setText(path);
    suggestOutDir();
}

void FinetuneDialog::setTask(ClassifierTask task)
{
    task_->setCurrentIndex(task == ClassifierTask::Token ? 1 : 0);
    refreshPreview();
}

void FinetuneDialog::setTrainFile(const QString& path)
{
    train_->setText(path);
    refreshPreview();
}

void FinetuneDialog::setDevFile(const QString& path)
{
    dev_->setText(path);
    refreshPreview();
}

void FinetuneDialog::setLabelOrder(const QString& labels)
{
    labels_->setText(labels);
}

void FinetuneDialog::setOutDir(const QString& path)
{
    out_->setText(path);
    outEdited_ = true;
}

void FinetuneDialog::useBuiltinTask(int index)
{
    const QVector<BuiltinTask> tasks = builtinTasks();
    if (index < 0 || index >= tasks.size())
        return;
    const BuiltinTask& t = tasks[index];
    {
        const QSignalBlocker block(task_);
        task_->setCurrentIndex(t.task == ClassifierTask::Token ? 1 : 0);
    }
    train_->setText(t.trainPath);
    dev_->setText(t.devPath);
    refreshPreview();
    suggestOutDir();
}

void FinetuneDialog::suggestOutDir()
{
    if (outEdited_ || model_->text().trimmed().isEmpty())
        return;
    // A new folder beside the base model, named after it and the task's data: never an existing one.
    const QFileInfo base(model_->text().trimmed());
    const QString stem = QFileInfo(train_->text()).completeBaseName().section(QLatin1Char('-'), 0, 0);
    const QString name = base.fileName() + QStringLiteral("-") + (stem.isEmpty() ? QStringLiteral("finetuned") : stem);
    const QDir parent = base.isDir() ? QDir(base.absolutePath()) : QDir::home();
    QString candidate = QDir(parent.absolutePath()).filePath(name);
    if (!QFileInfo(parent.absolutePath()).isWritable())
        candidate = QDir::home().filePath(name);
    for (int i = 2; QFileInfo::exists(candidate) && i < 1000; ++i)
        candidate = QDir(QFileInfo(candidate).absolutePath()).filePath(QStringLiteral("%1-%2").arg(name).arg(i));
    out_->setText(candidate);
}

namespace {

ClassifierTask currentTask(const QComboBox* box)
{
    return static_cast<ClassifierTask>(box->currentData().toInt());
}

} // namespace

void FinetuneDialog::refreshPreview()
{
    suggestOutDir();
    preview_->clear();
    preview_->setRowCount(0);
    counts_->clear();
    dataError_->clear();
    const QString train = train_->text().trimmed();
    if (train.isEmpty())
        return;
    const std::string path = train.toStdString();
    try {
        if (currentTask(task_) == ClassifierTask::Sequence) {
            const SequenceTaskData data = readSequenceTask(path);
            const int rows = std::min<int>(kPreviewRows, static_cast<int>(data.items.size()));
            preview_->setColumnCount(data.hasPairs ? 4 : 3);
            QStringList headers{tr("line"), QStringLiteral("text")};
            if (data.hasPairs)
                headers << QStringLiteral("text_b");
            headers << QStringLiteral("label");
            preview_->setHorizontalHeaderLabels(headers);
            preview_->setRowCount(rows);
            for (int r = 0; r < rows; ++r) {
                const SequenceItem& item = data.items[static_cast<size_t>(r)];
                int c = 0;
                preview_->setItem(r, c++, new QTableWidgetItem(QString::number(item.line)));
                preview_->setItem(r, c++, new QTableWidgetItem(QString::fromStdString(item.text)));
                if (data.hasPairs)
                    preview_->setItem(r, c++, new QTableWidgetItem(QString::fromStdString(item.textB)));
                preview_->setItem(r, c, new QTableWidgetItem(QString::fromStdString(item.label)));
            }
            counts_->setText(tr("Training: %1").arg(countsText(labelCounts(data), tr("sentences"))));
        } else {
            const TokenTaskData data = readTokenTask(path);
            const int rows = std::min<int>(kPreviewRows, static_cast<int>(data.sentences.size()));
            preview_->setColumnCount(2);
            preview_->setHorizontalHeaderLabels({tr("line"), tr("word/label …")});
            preview_->setRowCount(rows);
            for (int r = 0; r < rows; ++r) {
                const TokenSentence& s = data.sentences[static_cast<size_t>(r)];
                QStringList pairs;
                for (size_t w = 0; w < s.words.size(); ++w)
                    pairs << QString::fromStdString(s.words[w]) + QLatin1Char('/') + QString::fromStdString(s.labels[w]);
                preview_->setItem(r, 0, new QTableWidgetItem(QString::number(s.line)));
                preview_->setItem(r, 1, new QTableWidgetItem(pairs.join(QLatin1Char(' '))));
            }
            counts_->setText(tr("Training: %1 sentences, %2")
                                 .arg(data.sentences.size())
                                 .arg(countsText(labelCounts(data), tr("words"))));
        }
        // The texts take the room; line numbers and labels only what they need.
        QHeaderView* header = preview_->horizontalHeader();
        for (int c = 0; c < preview_->columnCount(); ++c) {
            const bool text = preview_->horizontalHeaderItem(c)->text().startsWith(QLatin1String("text")) ||
                              (preview_->columnCount() == 2 && c == 1);
            header->setSectionResizeMode(c, text ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
        }
        const QString dev = dev_->text().trimmed();
        if (!dev.isEmpty()) {
            const std::string devPath = dev.toStdString();
            const QString devCounts = currentTask(task_) == ClassifierTask::Sequence
                                          ? countsText(labelCounts(readSequenceTask(devPath)), tr("sentences"))
                                          : countsText(labelCounts(readTokenTask(devPath)), tr("words"));
            counts_->setText(counts_->text() + QStringLiteral("\n") + tr("Dev: %1").arg(devCounts));
        }
    } catch (const std::exception& e) {
        // The engine's message names the file and line (train.csv:14: …).
        dataError_->setText(QString::fromStdString(e.what()));
    }
}

QString FinetuneDialog::labelCountsText() const
{
    return counts_->text();
}

QString FinetuneDialog::dataErrorText() const
{
    return dataError_->text();
}

FinetuneOptions FinetuneDialog::options() const
{
    FinetuneOptions o;
    o.task = currentTask(task_);
    o.initPath = model_->text().trimmed().toStdString();
    o.trainPath = train_->text().trimmed().toStdString();
    o.devPath = dev_->text().trimmed().toStdString();
    o.epochs = epochs_->value();
    o.batchSize = batch_->value();
    bool ok = false;
    const double lr = lr_->currentText().trimmed().toDouble(&ok);
    o.lr = ok ? lr : -1.0;  // validate() names it
    o.warmupRatio = warmup_->value();
    o.weightDecay = weightDecay_->value();
    o.maxSeqLength = maxSeq_->value();
    o.dropout = static_cast<float>(dropout_->value());
    o.seed = static_cast<uint64_t>(seed_->value());
    o.shuffle = shuffle_->isChecked();
    const std::string labels = labels_->text().trimmed().toStdString();
    if (!labels.empty())
        o.labels = parseLabelList(labels);  // throws Error: checkInputs() reports it
    return o;
}

QString FinetuneDialog::outDir() const
{
    return out_->text().trimmed();
}

bool FinetuneDialog::checkInputs(QString* error)
{
    try {
        FinetuneOptions o = options();
        if (o.initPath.empty())
            throw Error("choose a base model");
        o.initPath = hub::resolveModelReference(o.initPath);
        model_->setText(QString::fromStdString(o.initPath));
        if (o.trainPath.empty())
            throw Error("choose a training file");
        o.validate();
        // With a label order given, every item's label must be in it (file and line otherwise).
        if (o.task == ClassifierTask::Sequence) {
            for (const std::string& path : {o.trainPath, o.devPath})
                if (!path.empty()) {
                    const SequenceTaskData data = readSequenceTask(path);
                    if (!o.labels.empty())
                        checkLabels(data, o.labels);
                }
        } else {
            for (const std::string& path : {o.trainPath, o.devPath})
                if (!path.empty()) {
                    const TokenTaskData data = readTokenTask(path);
                    if (!o.labels.empty())
                        checkLabels(data, o.labels);
                }
        }
        checkFinetuneOutputFolder(outDir().toStdString(), o.initPath);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void FinetuneDialog::accept()
{
    QString error;
    if (!checkInputs(&error)) {
        error_->setText(error);
        error_->show();
        return;
    }
    QDialog::accept();
}

void FinetuneDialog::browseModel()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Base model folder"), model_->text());
    if (!dir.isEmpty())
        setBaseModel(dir);
}

void FinetuneDialog::browseFile(QLineEdit* edit, const QString& title)
{
    const QString path = QFileDialog::getOpenFileName(this, title, QFileInfo(edit->text()).absolutePath(),
                                                      tr("Task data (*.csv *.tsv *.jsonl *.conll *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    edit->setText(path);
    refreshPreview();
}

void FinetuneDialog::browseOutDir()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder (new or empty)"), out_->text());
    if (!dir.isEmpty())
        setOutDir(dir);
}

} // namespace bertlab::ui
