// Shows which tokens BERT's pre-training masking picks for a seed and what each became, drawn by the engine's MlmMasker.
#include "views/masking_lab_panel.h"

#include "colormaps.h"
#include "error.h"
#include "views/colored_token_strip.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace bertlab::ui {

namespace {

QColor actionColor(MaskAction a)
{
    switch (a) {
    case MaskAction::Masked: return categoricalColor(0);  // blue
    case MaskAction::Random: return categoricalColor(1);  // orange
    case MaskAction::Kept: return categoricalColor(2);    // bluish green
    case MaskAction::NotChosen: break;
    }
    return QColor(0xee, 0xee, 0xee);
}

QString actionText(MaskAction a)
{
    switch (a) {
    case MaskAction::Masked: return QObject::tr("→ [MASK] (80%)");
    case MaskAction::Random: return QObject::tr("→ random token (10%)");
    case MaskAction::Kept: return QObject::tr("kept, still predicted (10%)");
    case MaskAction::NotChosen: break;
    }
    return {};
}

} // namespace

MaskingLabPanel::MaskingLabPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("This is the masking that training runs (the example builder of bertlab-cli make-examples "
                                "and of training runs): about 15% of the sequence, [CLS] and [SEP] counted but never "
                                "chosen, at most the cap; of the chosen tokens 80% become [MASK], 10% a random "
                                "vocabulary token and 10% stay as they are. Change the seed to draw again."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    const MaskingOptions defaults;
    auto* bar = new QHBoxLayout;
    seedSpin_ = new QSpinBox(this);
    seedSpin_->setRange(0, 999999);
    seedSpin_->setValue(42);
    auto* next = new QPushButton(tr("Next seed"), this);
    probSpin_ = new QDoubleSpinBox(this);
    probSpin_->setRange(0.01, 1.0);
    probSpin_->setDecimals(2);
    probSpin_->setSingleStep(0.01);
    probSpin_->setValue(defaults.maskedLmProb);
    probSpin_->setToolTip(tr("--masked-lm-prob: the share of the sequence to predict"));
    capSpin_ = new QSpinBox(this);
    capSpin_->setRange(1, 512);
    capSpin_->setValue(defaults.maxPredictions);
    capSpin_->setToolTip(tr("--max-predictions: at most this many predicted tokens per sequence"));
    wholeWord_ = new QCheckBox(tr("Whole words"), this);
    wholeWord_->setToolTip(tr("--whole-word-mask: the ## pieces of a word are chosen together with it"));
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(seedSpin_);
    bar->addWidget(next);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Share"), this));
    bar->addWidget(probSpin_);
    bar->addWidget(new QLabel(tr("Cap"), this));
    bar->addWidget(capSpin_);
    bar->addWidget(wholeWord_);
    bar->addStretch(1);
    layout->addLayout(bar);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    strip_ = new ColoredTokenStrip(this);
    strip_->setAccessibleName(tr("Tokens as the masking procedure changed them"));
    layout->addWidget(strip_);
    auto* legend = new QLabel(this);
    const auto swatch = [](MaskAction a) {
        return QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span>").arg(actionColor(a).name());
    };
    legend->setText(tr("%1 → [MASK] &nbsp;&nbsp; %2 → random token &nbsp;&nbsp; %3 kept (still predicted) &nbsp;&nbsp; "
                       "%4 not chosen")
                        .arg(swatch(MaskAction::Masked), swatch(MaskAction::Random), swatch(MaskAction::Kept),
                             swatch(MaskAction::NotChosen)));
    layout->addWidget(legend);
    table_ = new QTableWidget(this);
    table_->setColumnCount(4);
    table_->setHorizontalHeaderLabels({tr("Position"), tr("Token"), tr("What happened"), tr("Model sees")});
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(table_, 1);

    connect(seedSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { rerun(); });
    connect(next, &QPushButton::clicked, this, [this] { seedSpin_->setValue(seedSpin_->value() + 1); });
    connect(probSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] { rerun(); });
    connect(capSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { rerun(); });
    connect(wholeWord_, &QCheckBox::toggled, this, [this] { rerun(); });
}

void MaskingLabPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    rerun();
}

void MaskingLabPanel::setSeed(int seed)
{
    seedSpin_->setValue(seed);
    rerun();
}

int MaskingLabPanel::seed() const
{
    return seedSpin_->value();
}

void MaskingLabPanel::setMaskingOptions(const MaskingOptions& options)
{
    const QSignalBlocker a(probSpin_), b(capSpin_), c(wholeWord_);
    probSpin_->setValue(options.maskedLmProb);
    capSpin_->setValue(options.maxPredictions);
    wholeWord_->setChecked(options.wholeWordMask);
    rerun();
}

MaskingOptions MaskingLabPanel::maskingOptions() const
{
    MaskingOptions o;
    o.maskedLmProb = probSpin_->value();
    o.maxPredictions = capSpin_->value();
    o.wholeWordMask = wholeWord_->isChecked();
    return o;
}

QString MaskingLabPanel::summary() const
{
    return summary_->text();
}

void MaskingLabPanel::setPresentationMode(bool on)
{
    strip_->setPresentationMode(on);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (on ? 1.4 : 1.0));
    table_->setFont(f);
    summary_->setFont(f);
}

void MaskingLabPanel::rerun()
{
    result_ = {};
    table_->setRowCount(0);
    strip_->setChips({});
    if (!analysis_ || analysis_->original.size() == 0) {
        summary_->setText(tr("Type a sentence to try the masking procedure."));
        return;
    }
    if (!analysis_->model) {
        summary_->setText(tr("Open a model: the masking draws its random tokens from the model's vocabulary."));
        return;
    }
    const Vocab& vocab = analysis_->model->vocab();
    const Encoding& enc = analysis_->original;
    const MaskingOptions options = maskingOptions();
    try {
        // A fresh generator seeded with the lab's seed: the draws of a builder whose stream is at that point.
        ExampleRng rng(static_cast<uint64_t>(seedSpin_->value()));
        result_ = MlmMasker(vocab, options).mask(enc.ids, rng);
    } catch (const Error& e) {
        summary_->setText(tr("This model's vocabulary cannot be masked as in training: %1").arg(QString::fromStdString(e.what())));
        return;
    }

    std::vector<ColoredChip> chips;
    int masked = 0, random = 0, kept = 0;
    for (size_t i = 0; i < enc.ids.size(); ++i) {
        const MaskAction a = result_.actions[i];
        masked += a == MaskAction::Masked;
        random += a == MaskAction::Random;
        kept += a == MaskAction::Kept;
        const QString seen = QString::fromStdString(vocab.token(result_.inputIds[i]));
        ColoredChip chip;
        chip.text = QString::fromStdString(enc.tokens[i]);
        chip.background = actionColor(a);
        if (a == MaskAction::Masked || a == MaskAction::Random)
            chip.subText = QStringLiteral("→ %1").arg(seen);
        else if (a == MaskAction::Kept)
            chip.subText = tr("(kept)");
        else
            chip.subText = QStringLiteral(" ");
        chip.emphasized = a != MaskAction::NotChosen;
        const bool boundary = enc.ids[i] == vocab.clsId() || enc.ids[i] == vocab.sepId();
        chip.toolTip = boundary ? tr("[CLS] / [SEP]: counted in the share, never chosen") : actionText(a);
        chips.push_back(chip);
        if (a == MaskAction::NotChosen)
            continue;
        const int row = table_->rowCount();
        table_->insertRow(row);
        const QStringList cells{QString::number(i), chip.text, actionText(a), seen};
        for (int c = 0; c < cells.size(); ++c)
            table_->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    strip_->setChips(std::move(chips));
    const int length = static_cast<int>(enc.ids.size());
    const int chosen = static_cast<int>(result_.maskedPositions.size());
    summary_->setText(tr("%1 tokens → target min(cap %2, max(1, round(%3% × %1))) = %4; %5 chosen from %6 candidates "
                         "(all but [CLS] and [SEP]%7): %8 → [MASK], %9 → random, %10 kept. Training asks the model "
                         "for the original token at every chosen position.")
                          .arg(length)
                          .arg(options.maxPredictions)
                          .arg(options.maskedLmProb * 100.0, 0, 'g', 3)
                          .arg(result_.target)
                          .arg(chosen)
                          .arg(result_.candidates)
                          .arg(options.wholeWordMask ? tr("; whole words that would pass the target are skipped")
                                                     : QString())
                          .arg(masked)
                          .arg(random)
                          .arg(kept));
}

} // namespace bertlab::ui
