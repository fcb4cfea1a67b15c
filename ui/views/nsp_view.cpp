// Spells out the NSP head's verdict and shows exactly which segment ids the model was given.
#include "views/nsp_view.h"

#include "colormaps.h"
#include "export.h"
#include "intact_comparison.h"
#include "views/probability_bar.h"
#include "views/colored_token_strip.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace bertlab::ui {

NspView::NspView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    state_ = new QLabel(this);
    state_->setWordWrap(true);
    top->addWidget(state_, 1);
    top->addStretch(0);
    swap_ = new QPushButton(tr("Swap A/B"), this);
    swap_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    swap_->setToolTip(tr("Exchange the two sentences and run again: does the order matter to the model?"));
    top->addWidget(swap_, 0, Qt::AlignTop);
    outer->addLayout(top);

    content_ = new QWidget(this);
    content_->setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(content_);
    result_ = new QWidget(content_);
    auto* rl = new QVBoxLayout(result_);
    rl->setContentsMargins(0, 0, 0, 0);
    headline_ = new QLabel(result_);
    second_ = new QLabel(result_);
    bar_ = new ProbabilityBar(result_);
    logits_ = new QLabel(result_);
    logits_->setWordWrap(true);
    rl->addWidget(headline_);
    rl->addWidget(second_);
    rl->addWidget(bar_);
    rl->addWidget(logits_);
    layout->addWidget(result_);
    stripTitle_ = new QLabel(tr("What the model saw (token type ids):"), content_);
    layout->addSpacing(8);
    layout->addWidget(stripTitle_);
    strip_ = new ColoredTokenStrip(content_);
    strip_->setAccessibleName(tr("Token type ids the model saw"));
    layout->addWidget(strip_);
    legend_ = new QLabel(content_);
    legend_->setTextFormat(Qt::RichText);
    legend_->setText(tr("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span> type id 0 ([CLS] A [SEP]) &nbsp;&nbsp; "
                        "<span style='background:%2'>&nbsp;&nbsp;&nbsp;&nbsp;</span> type id 1 (B [SEP])")
                         .arg(segmentColor(0).name(), segmentColor(1).name()));
    layout->addWidget(legend_);
    layout->addStretch(1);
    outer->addWidget(content_, 1);

    connect(swap_, &QPushButton::clicked, this, &NspView::swapRequested);
    setPresentationMode(false);
    showState(tr("Run an analysis with two sentences to ask whether B follows A."), false);
}

QString NspView::title() const
{
    return tr("Next sentence");
}

QString NspView::explanation() const
{
    return tr("BERT was also trained on pairs of sentences: half the time B really followed A in the text, half "
              "the time B was a random sentence. The NSP head reads the [CLS] token's pooled vector and gives two "
              "scores (logits); their softmax is the probability that B follows A versus that B is random. The "
              "strip shows the token type ids the model actually saw: 0 for [CLS], A and the first [SEP], 1 for B "
              "and the final [SEP]. \"Swap A/B\" runs the pair the other way round. A high score means the pair "
              "looks coherent to the model, often just because A and B share a topic.");
}

QString NspView::percent(double p)
{
    // Near 0 or 1 a whole percent hides the difference between 99.2% and 100%.
    const int decimals = (p > 0.99 && p < 1.0) || (p > 0.0 && p < 0.01) ? 1 : 0;
    return QStringLiteral("%1%").arg(100.0 * p, 0, 'f', decimals);
}

QString NspView::stateMessage() const
{
    return state_->isHidden() ? QString() : state_->text();
}

bool NspView::showsResult() const
{
    return !result_->isHidden();
}

QString NspView::headline() const
{
    return showsResult() ? headline_->text() : QString();
}

QString NspView::secondLine() const
{
    return showsResult() ? second_->text() : QString();
}

QString NspView::logitsText() const
{
    return showsResult() ? logits_->text() : QString();
}

void NspView::showState(const QString& message, bool keepStrip)
{
    state_->setText(message);
    state_->setHidden(message.isEmpty());
    result_->setHidden(true);
    stripTitle_->setHidden(!keepStrip);
    strip_->setHidden(!keepStrip);
    legend_->setHidden(!keepStrip);
    swap_->setEnabled(false);
}

void NspView::fillStrip()
{
    std::vector<ColoredChip> chips;
    const Encoding& e = analysis_->encoding;
    for (int i = 0; i < e.size(); ++i) {
        ColoredChip chip;
        const int type = i < static_cast<int>(e.typeIds.size()) ? e.typeIds[static_cast<size_t>(i)] : 0;
        chip.text = QString::fromStdString(e.tokens[static_cast<size_t>(i)]);
        chip.subText = QString::number(type);
        chip.background = segmentColor(type);
        chip.toolTip = tr("position %1, token type id %2").arg(i).arg(type);
        chips.push_back(chip);
    }
    strip_->setChips(std::move(chips));
}

void NspView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_) {
        showState(tr("Run an analysis with two sentences to ask whether B follows A."), false);
        return;
    }
    fillStrip();
    const bool hasHead = analysis_->model ? analysis_->model->hasNsp() : analysis_->trace.nsp.has_value();
    const auto& types = analysis_->encoding.typeIds;
    const bool hasB = std::find(types.begin(), types.end(), 1) != types.end();
    if (!hasHead) {
        showState(tr("This model has no NSP head, so it cannot say whether B follows A. (Its checkpoint holds no "
                     "pooler or cls.seq_relationship weights.)"), true);
        return;
    }
    if (!hasB) {
        showState(tr("There is no sentence B. Enter a second sentence to ask whether it follows the first."), true);
        return;
    }
    if (!analysis_->trace.nsp) {
        showState(tr("This run did not ask for next-sentence prediction."), true);
        return;
    }
    const NspResult& r = *analysis_->trace.nsp;
    state_->clear();
    state_->setHidden(true);
    result_->setHidden(false);
    stripTitle_->setHidden(false);
    strip_->setHidden(false);
    legend_->setHidden(false);
    swap_->setEnabled(true);
    if (const NspResult* before = intactNsp(*analysis_)) {
        // Heads are switched off: before (intact) -> after (ablated), so the change reads at a glance.
        headline_->setText(tr("B follows A: %1 → %2").arg(percent(before->isNext), percent(r.isNext)));
        second_->setText(tr("B is a random sentence: %1 → %2 (intact → with heads switched off)")
                             .arg(percent(before->notNext), percent(r.notNext)));
    } else {
        headline_->setText(tr("B follows A: %1").arg(percent(r.isNext)));
        second_->setText(tr("B is a random sentence: %1").arg(percent(r.notNext)));
    }
    bar_->setShares(r.isNext, tr("follows %1").arg(percent(r.isNext)), tr("random %1").arg(percent(r.notNext)));
    logits_->setText(tr("Logits: IsNext %1, NotNext %2 — their softmax gives the two probabilities.")
                         .arg(static_cast<double>(r.logits[0]), 0, 'f', 3)
                         .arg(static_cast<double>(r.logits[1]), 0, 'f', 3));
}

void NspView::setPresentationMode(bool on)
{
    presentation_ = on;
    const double s = on ? 1.5 : 1.0;
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 2.0 * s);
    big.setBold(true);
    headline_->setFont(big);
    QFont mid = font();
    mid.setPointSizeF(font().pointSizeF() * 1.3 * s);
    second_->setFont(mid);
    QFont normal = font();
    normal.setPointSizeF(font().pointSizeF() * s);
    for (QLabel* l : {logits_, stripTitle_, legend_, state_})
        l->setFont(normal);
    swap_->setFont(normal);
    bar_->setPresentationMode(on);
    strip_->setPresentationMode(on);
}

bool NspView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!analysis_) {
        if (error)
            *error = tr("Nothing to export: no next-sentence prediction is shown.");
        return false;
    }
    if (content_->width() < 300) {
        content_->resize(700, content_->sizeHint().height());
        content_->resize(700, std::max(content_->heightForWidth(700), content_->sizeHint().height()));
    }
    return exporting::saveWidget(content_, path, dpi, error);
}

bool NspView::exportData(const QString& path, QString* error)
{
    if (!analysis_ || !analysis_->trace.nsp || !showsResult()) {
        if (error)
            *error = tr("Nothing to export: no next-sentence prediction is shown.");
        return false;
    }
    const NspResult& r = *analysis_->trace.nsp;
    exporting::Table t;
    t.name = tr("next sentence prediction");
    t.rows = 2;
    t.cols = 2;
    t.rowLabels = {QStringLiteral("IsNext"), QStringLiteral("NotNext")};
    t.colLabels = {QStringLiteral("probability"), QStringLiteral("logit")};
    t.values = {r.isNext, r.logits[0], r.notNext, r.logits[1]};
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(t, path, error);
    QJsonObject extra;
    QJsonArray tokens, types;
    for (const auto& tok : analysis_->encoding.tokens)
        tokens.append(QString::fromStdString(tok));
    for (int ty : analysis_->encoding.typeIds)
        types.append(ty);
    extra.insert(QStringLiteral("tokens"), tokens);
    extra.insert(QStringLiteral("typeIds"), types);
    if (const NspResult* before = intactNsp(*analysis_))
        extra.insert(QStringLiteral("intact"), QJsonObject{{QStringLiteral("isNext"), before->isNext},
                                                           {QStringLiteral("notNext"), before->notNext}});
    return exporting::saveTables({t}, path, error, extra);
}

} // namespace bertlab::ui
