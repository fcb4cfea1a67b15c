// Shows which tokens BERT's pre-training masking would pick for a seed, and what each one became.
#include "views/masking_lab_panel.h"

#include "colormaps.h"
#include "error.h"
#include "views/colored_token_strip.h"

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
    case MaskAction::Masked: return categoricalColor(0);     // blue
    case MaskAction::Random: return categoricalColor(1);     // orange
    case MaskAction::Unchanged: return categoricalColor(2);  // bluish green
    case MaskAction::NotChosen: break;
    }
    return QColor(0xee, 0xee, 0xee);
}

QString actionText(MaskAction a)
{
    switch (a) {
    case MaskAction::Masked: return QObject::tr("→ [MASK] (80%)");
    case MaskAction::Random: return QObject::tr("→ random token (10%)");
    case MaskAction::Unchanged: return QObject::tr("kept, still predicted (10%)");
    case MaskAction::NotChosen: break;
    }
    return {};
}

} // namespace

MaskingLabPanel::MaskingLabPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("BERT's pre-training picks 15% of the non-special tokens to predict; of those, 80% "
                                "become [MASK], 10% a random token and 10% stay as they are. This replays that "
                                "procedure on your sentence: change the seed to draw again."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* bar = new QHBoxLayout;
    seedSpin_ = new QSpinBox(this);
    seedSpin_->setRange(0, 999999);
    seedSpin_->setValue(42);
    auto* next = new QPushButton(tr("Next seed"), this);
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(seedSpin_);
    bar->addWidget(next);
    bar->addStretch(1);
    layout->addLayout(bar);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    strip_ = new ColoredTokenStrip(this);
    layout->addWidget(strip_);
    auto* legend = new QLabel(this);
    const auto swatch = [](MaskAction a) {
        return QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span>").arg(actionColor(a).name());
    };
    legend->setText(tr("%1 → [MASK] &nbsp;&nbsp; %2 → random token &nbsp;&nbsp; %3 kept (still predicted) &nbsp;&nbsp; "
                       "%4 not chosen")
                        .arg(swatch(MaskAction::Masked), swatch(MaskAction::Random), swatch(MaskAction::Unchanged),
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
}

void MaskingLabPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    replacementIds_.clear();
    if (analysis_ && analysis_->model) {
        // Google's script draws from the whole vocabulary; we skip bracketed entries ([PAD], [unused12], …)
        // so that the lab shows words a reader recognises.
        const Vocab& vocab = analysis_->model->vocab();
        for (int id = 0; id < vocab.size(); ++id) {
            const std::string& t = vocab.token(id);
            if (!(t.size() > 2 && t.front() == '[' && t.back() == ']'))
                replacementIds_.push_back(id);
        }
    } else if (analysis_) {
        for (int i = 0; i < analysis_->original.size(); ++i)
            if (!analysis_->original.specialMask[static_cast<size_t>(i)])
                replacementIds_.push_back(analysis_->original.ids[static_cast<size_t>(i)]);
    }
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
    if (!analysis_ || analysis_->original.size() == 0) {
        strip_->setChips({});
        summary_->setText(tr("Type a sentence to try the masking procedure."));
        return;
    }
    const Encoding& enc = analysis_->original;
    MaskingInput in;
    in.ids = enc.ids;
    in.special = enc.specialMask;
    // A [MASK] the user typed is not a word of the sentence: treat every vocabulary special as special.
    for (size_t i = 0; i < in.ids.size() && i < in.special.size(); ++i)
        if (analysis_->model && analysis_->model->vocab().isSpecial(in.ids[i]))
            in.special[i] = true;
    in.maskId = -1;
    try {
        if (analysis_->model)
            in.maskId = analysis_->model->vocab().maskId();
    } catch (const Error&) {
        // A vocabulary without [MASK]: the lab still shows the choice, written as "[MASK]".
    }
    in.replacementIds = replacementIds_;
    result_ = applyPretrainingMasking(in, static_cast<std::uint32_t>(seedSpin_->value()));

    const auto tokenText = [&](int id, size_t pos) -> QString {
        if (analysis_->model && id >= 0 && id < analysis_->model->vocab().size())
            return QString::fromStdString(analysis_->model->vocab().token(id));
        if (id == in.maskId || id < 0)
            return QStringLiteral("[MASK]");
        return QString::fromStdString(enc.tokens[pos]);
    };
    std::vector<ColoredChip> chips;
    for (size_t i = 0; i < enc.ids.size(); ++i) {
        const MaskAction a = result_.actions[i];
        ColoredChip chip;
        chip.text = QString::fromStdString(enc.tokens[i]);
        chip.background = actionColor(a);
        if (a == MaskAction::Masked)
            chip.subText = QStringLiteral("→ [MASK]");
        else if (a == MaskAction::Random)
            chip.subText = QStringLiteral("→ %1").arg(tokenText(result_.newIds[i], i));
        else if (a == MaskAction::Unchanged)
            chip.subText = tr("(kept)");
        else
            chip.subText = QStringLiteral(" ");
        chip.emphasized = a != MaskAction::NotChosen;
        chip.toolTip = in.special[i] ? tr("special token: never chosen") : actionText(a);
        chips.push_back(chip);
        if (a == MaskAction::NotChosen)
            continue;
        const int row = table_->rowCount();
        table_->insertRow(row);
        const QStringList cells{QString::number(i), chip.text, actionText(a),
                                a == MaskAction::Masked ? QStringLiteral("[MASK]") : tokenText(result_.newIds[i], i)};
        for (int c = 0; c < cells.size(); ++c)
            table_->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    strip_->setChips(std::move(chips));
    int masked = 0, random = 0, kept = 0;
    for (MaskAction a : result_.actions) {
        masked += a == MaskAction::Masked;
        random += a == MaskAction::Random;
        kept += a == MaskAction::Unchanged;
    }
    summary_->setText(tr("%1 non-special tokens → %2 chosen (max(1, round(15% × %1))): %3 → [MASK], %4 → random, "
                         "%5 kept. Training asks the model for the original token at every chosen position.")
                          .arg(result_.candidates)
                          .arg(result_.chosen)
                          .arg(masked)
                          .arg(random)
                          .arg(kept));
}

} // namespace bertlab::ui
