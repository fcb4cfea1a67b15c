// Computes input attributions off the GUI thread and draws them as coloured tokens and signed bars.
#include "views/attribution_view.h"

#include "attribution_targets.h"
#include "cancellable_job.h"
#include "colormaps.h"
#include "export.h"
#include "plot/lazy_refresh.h"
#include "views/colored_token_strip.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

constexpr int kAttributionDebounceMs = 150;

QString number(double v)
{
    return std::abs(v) >= 0.01 || v == 0.0 ? QString::number(v, 'f', 3) : QString::number(v, 'g', 3);
}

QString keyOf(const Analysis& a, const AttributionTarget& t, AttributionMethod m, int steps)
{
    QString key = QString::number(reinterpret_cast<quintptr>(a.model.get()));
    for (size_t i = 0; i < a.encoding.ids.size(); ++i)
        key += QLatin1Char(' ') + QString::number(a.encoding.ids[i]) + QLatin1Char('/') +
               QString::number(i < a.encoding.typeIds.size() ? a.encoding.typeIds[i] : 0);
    key += QLatin1Char('|') + QString::fromStdString(a.request.ablation.toString() + "|" + t.toString() + "|" +
                                                     std::string(attributionMethodName(m)));
    if (m == AttributionMethod::IntegratedGradients)
        key += QLatin1Char('|') + QString::number(steps);
    return key;
}

} // namespace

AttributionView::AttributionView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Explain"), this));
    targetCombo_ = new QComboBox(this);
    targetCombo_->setObjectName(QStringLiteral("attributionTarget"));
    targetCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    targetCombo_->setToolTip(tr("The number to explain: a masked position's guess (click a bar in Masked words) or "
                                "the next-sentence verdict"));
    bar->addWidget(targetCombo_);
    bar->addWidget(new QLabel(tr("by"), this));
    methodCombo_ = new QComboBox(this);
    methodCombo_->addItem(tr("gradient norm (grad)"), static_cast<int>(AttributionMethod::Gradient));
    methodCombo_->addItem(tr("gradient × input (grad-input)"), static_cast<int>(AttributionMethod::GradientTimesInput));
    methodCombo_->addItem(tr("integrated gradients (ig)"), static_cast<int>(AttributionMethod::IntegratedGradients));
    methodCombo_->setCurrentIndex(1);
    bar->addWidget(methodCombo_);
    stepsSpin_ = new QSpinBox(this);
    stepsSpin_->setRange(1, 512);
    stepsSpin_->setValue(32);
    stepsSpin_->setPrefix(tr("steps "));
    stepsSpin_->setToolTip(tr("Integrated gradients: points on the straight path from the all-zero input to yours"));
    bar->addWidget(stepsSpin_);
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(160);
    progress_->setTextVisible(true);
    bar->addWidget(progress_);
    cancel_ = new QPushButton(tr("Cancel"), this);
    bar->addWidget(cancel_);
    bar->addStretch(1);
    outer->addLayout(bar);

    stack_ = new QStackedWidget(this);
    state_ = new QLabel(stack_);
    state_->setWordWrap(true);
    state_->setAlignment(Qt::AlignCenter);
    state_->setMargin(24);
    stack_->addWidget(state_);
    content_ = new QWidget(stack_);
    content_->setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(content_);
    caption_ = new QLabel(content_);
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::RichText);
    layout->addWidget(caption_);
    strip_ = new ColoredTokenStrip(content_);
    strip_->setAccessibleName(tr("Tokens coloured by attribution"));
    layout->addWidget(strip_);
    bars_ = new QCustomPlot(content_);
    bars_->setAccessibleName(tr("Attribution per token"));
    useLazyRefresh(bars_);
    bars_->setMinimumHeight(260);
    layout->addWidget(bars_, 1);
    completeness_ = new QLabel(content_);
    completeness_->setWordWrap(true);
    completeness_->setTextFormat(Qt::RichText);
    layout->addWidget(completeness_);
    stack_->addWidget(content_);
    outer->addWidget(stack_, 1);

    job_ = new CancellableJob(this);
    debounce_.setSingleShot(true);
    debounce_.setInterval(kAttributionDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &AttributionView::compute);
    connect(job_, &CancellableJob::runningChanged, this, &AttributionView::setProgressVisible);
    connect(job_, &CancellableJob::progress, this, [this](int done, int total) {
        progress_->setRange(0, std::max(1, total));
        progress_->setValue(done);
    });
    connect(job_, &CancellableJob::failed, this, [this](const QString& message) {
        computedKey_.clear();
        showState(message);
    });
    connect(job_, &CancellableJob::cancelled, this, [this] {
        computedKey_.clear();  // a later change (or a re-selection) computes again
        if (!result_)
            showState(tr("Cancelled. Change the target or method to compute again."));
    });
    connect(cancel_, &QPushButton::clicked, this, &AttributionView::cancel);
    connect(targetCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        if (i >= 0 && i < targetCombo_->count()) {
            const QString spec = targetCombo_->itemData(i).toString();
            try {
                wanted_ = AttributionTarget::parse(spec.toStdString());
            } catch (const std::exception&) {
                wanted_.reset();
            }
        }
        scheduleCompute();
    });
    connect(methodCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        stepsSpin_->setEnabled(method() == AttributionMethod::IntegratedGradients);
        scheduleCompute();
    });
    connect(stepsSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { scheduleCompute(); });
    stepsSpin_->setEnabled(false);
    setProgressVisible(false);
    showState(tr("Run an analysis with a [MASK] (or a sentence pair) to see which words a guess rests on."));
}

AttributionView::~AttributionView() = default;

QString AttributionView::title() const
{
    return tr("Attribution");
}

QString AttributionView::explanation() const
{
    return tr("<p><b>Which input words does this guess rest on?</b> Pick a target — the log-probability of one "
              "guess at a masked position (click any bar in <i>Masked words</i>) or the next-sentence verdict, "
              "log p(IsNext) — and a method. Each token's input is its word-embedding vector e<sub>t</sub> (before "
              "position and segment embeddings are added); the colours and bars say how much the target depends on "
              "it: red raises the target, blue lowers it.</p>"
              "<ul><li><b>grad</b>: the size of ∂target/∂e<sub>t</sub>, how sensitive the target is to that word "
              "(always ≥ 0, says nothing about direction).</li>"
              "<li><b>grad-input</b>: e<sub>t</sub> · ∂target/∂e<sub>t</sub>, a first-order estimate of what removing "
              "the word would change.</li>"
              "<li><b>ig</b> (integrated gradients): the same product averaged along the straight path from an "
              "all-zero input to yours (N steps, midpoint rule).</li></ul>"
              "<p><b>Completeness.</b> Integrated gradients add up: the attributions sum to target(your input) − "
              "target(all-zero input), up to the error of N steps. The line under the bars gives both numbers; "
              "if they differ by much, raise the steps.</p>"
              "<p><b>Why attention is not attribution.</b> An attention map shows where one head reads from in one "
              "layer; the value vectors, the other heads, the feed-forward blocks and the residual connections "
              "all stand between it and the answer. A word can get much attention and not matter, or matter "
              "through a path no single map shows. Gradients follow every path to the answer.</p>"
              "<p>With heads switched off, every number here is the changed model's. It runs in the background; "
              "the bar above shows its progress, Cancel stops it.</p>");
}

std::optional<AttributionTarget> AttributionView::target() const
{
    return wanted_;
}

AttributionMethod AttributionView::method() const
{
    return static_cast<AttributionMethod>(methodCombo_->currentData().toInt());
}

int AttributionView::steps() const
{
    return stepsSpin_->value();
}

bool AttributionView::isBusy() const
{
    return debounce_.isActive() || job_->isRunning();
}

QString AttributionView::stateMessage() const
{
    return stack_->currentWidget() == state_ ? state_->text() : QString();
}

QString AttributionView::completenessText() const
{
    return completeness_->text();
}

void AttributionView::showState(const QString& message)
{
    state_->setText(message);
    stack_->setCurrentWidget(state_);
}

void AttributionView::setProgressVisible(bool on)
{
    progress_->setVisible(on);
    cancel_->setVisible(on);
    if (on) {
        progress_->setRange(0, 0);  // busy until the first report
    }
}

void AttributionView::setMethod(AttributionMethod m, int steps)
{
    const QSignalBlocker b1(methodCombo_), b2(stepsSpin_);
    methodCombo_->setCurrentIndex(std::max(0, methodCombo_->findData(static_cast<int>(m))));
    stepsSpin_->setValue(steps);
    stepsSpin_->setEnabled(m == AttributionMethod::IntegratedGradients);
    scheduleCompute();
}

void AttributionView::setTarget(const AttributionTarget& t)
{
    wanted_ = t;
    rebuildTargets();
    scheduleCompute();
}

void AttributionView::cancel()
{
    debounce_.stop();
    job_->cancel();
}

void AttributionView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_) {
        cancel();
        result_.reset();
        computedKey_.clear();
        {
            const QSignalBlocker b(targetCombo_);
            targetCombo_->clear();
        }
        showState(tr("Run an analysis with a [MASK] (or a sentence pair) to see which words a guess rests on."));
        return;
    }
    rebuildTargets();
    scheduleCompute();
}

void AttributionView::rebuildTargets()
{
    if (!analysis_)
        return;
    QString why;
    std::vector<TargetChoice> choices = targetChoices(*analysis_, &why);
    // A target asked for from elsewhere (a clicked guess) that the list lacks is added to it.
    if (wanted_ && wanted_->kind == AttributionTarget::Kind::MaskedWord &&
        std::none_of(choices.begin(), choices.end(), [&](const TargetChoice& c) { return sameTarget(c.target, *wanted_); }) &&
        std::any_of(analysis_->trace.mlm.begin(), analysis_->trace.mlm.end(),
                    [&](const MaskedPrediction& mp) { return mp.position == wanted_->position; })) {
        TargetChoice c;
        c.target = *wanted_;
        c.label = tr("[MASK] at %1 → %2").arg(wanted_->position).arg(QString::fromStdString(wanted_->token));
        choices.insert(choices.begin(), c);
    }
    const QSignalBlocker b(targetCombo_);
    targetCombo_->clear();
    int selected = -1;
    for (const TargetChoice& c : choices) {
        targetCombo_->addItem(c.label, QString::fromStdString(c.target.toString()));
        if (selected < 0 && wanted_ && sameTarget(c.target, *wanted_))
            selected = targetCombo_->count() - 1;
    }
    targetCombo_->setEnabled(!choices.empty());
    if (choices.empty()) {
        cancel();
        result_.reset();
        computedKey_.clear();
        showState(why);
        return;
    }
    if (selected < 0) {
        // Keep the kind and position the user chose (a retyped word changes the guesses), else the first.
        for (int i = 0; i < static_cast<int>(choices.size()) && selected < 0 && wanted_; ++i)
            if (choices[static_cast<size_t>(i)].target.kind == wanted_->kind &&
                choices[static_cast<size_t>(i)].target.position == wanted_->position)
                selected = i;
        selected = std::max(0, selected);
        wanted_ = choices[static_cast<size_t>(selected)].target;
    }
    targetCombo_->setCurrentIndex(selected);
}

void AttributionView::scheduleCompute()
{
    if (!analysis_ || !wanted_ || targetCombo_->count() == 0)
        return;
    if (keyOf(*analysis_, *wanted_, method(), steps()) == computedKey_)
        return;  // on screen already, or being computed
    debounce_.start();
}

void AttributionView::compute()
{
    if (!analysis_ || !wanted_ || !analysis_->model)
        return;
    const QString key = keyOf(*analysis_, *wanted_, method(), steps());
    if (key == computedKey_)
        return;
    computedKey_ = key;
    AttributionRequest request;
    request.target = *wanted_;
    request.method = method();
    request.steps = steps();
    request.headMultipliers = analysis_->request.ablation.multipliers();
    const std::shared_ptr<const BertModel> model = analysis_->model;
    const Encoding encoding = analysis_->encoding;
    const QString ablation = QString::fromStdString(analysis_->request.ablation.toString());
    if (!result_)
        showState(tr("Computing…"));
    job_->start([this, model, encoding, request, ablation, key](std::stop_token stop, const CancellableJob::Progress& progress) {
        auto result = std::make_shared<InputAttribution>(attributeInputs(*model, encoding, request, stop, progress));
        return std::function<void()>([this, result, encoding, ablation, key] {
            if (key != computedKey_)
                return;
            result_ = *result;
            resultTokens_ = encoding.tokens;
            resultAblation_ = ablation;
            showResult();
        });
    });
}

void AttributionView::showResult()
{
    if (!result_)
        return;
    const InputAttribution& r = *result_;
    stack_->setCurrentWidget(content_);
    double maxAbs = 0.0;
    for (double v : r.values)
        maxAbs = std::max(maxAbs, std::abs(v));
    const double scale = maxAbs > 0 ? 1.0 / maxAbs : 0.0;
    const ColorMap& map = ColorMap::diverging();

    std::vector<ColoredChip> chips;
    for (size_t t = 0; t < r.values.size() && t < resultTokens_.size(); ++t) {
        ColoredChip chip;
        chip.text = QString::fromStdString(resultTokens_[t]);
        chip.subText = number(r.values[t]);
        chip.background = map.at(0.5 + 0.5 * r.values[t] * scale);
        chip.toolTip = tr("position %1, %2: attribution %3 (%4% of the largest)")
                           .arg(t)
                           .arg(chip.text)
                           .arg(r.values[t], 0, 'g', 6)
                           .arg(100.0 * r.values[t] * scale, 0, 'f', 0);
        chip.emphasized = r.target.kind == AttributionTarget::Kind::MaskedWord && static_cast<int>(t) == r.target.position;
        chips.push_back(chip);
    }
    strip_->setChips(std::move(chips));

    bars_->clearPlottables();
    bars_->clearItems();
    auto* positive = new QCPBars(bars_->xAxis, bars_->yAxis);
    auto* negative = new QCPBars(bars_->xAxis, bars_->yAxis);
    positive->setPen(Qt::NoPen);
    negative->setPen(Qt::NoPen);
    positive->setBrush(map.at(0.9));
    negative->setBrush(map.at(0.1));
    positive->setWidth(0.7);
    negative->setWidth(0.7);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t t = 0; t < r.values.size() && t < resultTokens_.size(); ++t) {
        ticker->addTick(static_cast<double>(t), QString::fromStdString(resultTokens_[t]));
        (r.values[t] >= 0 ? positive : negative)->addData(static_cast<double>(t), r.values[t]);
    }
    bars_->xAxis->setTicker(ticker);
    bars_->xAxis->setTickLabelRotation(r.values.size() > 12 ? -60 : 0);
    bars_->xAxis->setRange(-0.6, static_cast<double>(r.values.size()) - 0.4);
    bars_->xAxis->grid()->setVisible(false);
    bars_->xAxis->setSubTicks(false);
    const double lo = std::min(0.0, *std::min_element(r.values.begin(), r.values.end()));
    const double hi = std::max(0.0, *std::max_element(r.values.begin(), r.values.end()));
    const double pad = std::max(1e-12, (hi - lo) * 0.08);
    bars_->yAxis->setRange(lo - (lo < 0 ? pad : 0), hi + pad);
    bars_->yAxis->setLabel(QString::fromLatin1(attributionMethodName(r.method)));
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (presentation_ ? 1.4 : 1.0));
    for (QCPAxis* a : {bars_->xAxis, bars_->yAxis}) {
        a->setTickLabelFont(f);
        a->setLabelFont(f);
    }
    bars_->replot();

    QString caption = tr("Target: <b>%1</b> = %2 · method <b>%3</b>")
                          .arg(describeTarget(r.target).toHtmlEscaped(), number(r.target.logprob),
                               QString::fromLatin1(attributionMethodName(r.method)));
    if (r.method == AttributionMethod::IntegratedGradients)
        caption += tr(", %1 steps").arg(r.steps);
    if (!resultAblation_.isEmpty())
        caption += tr(" · <b>heads switched off: %1</b> (every number is the changed model's)").arg(resultAblation_);
    caption += tr(". Red raises the target, blue lowers it; hover a token for its value.");
    caption_->setText(caption);
    if (r.targetAtBaseline) {
        const double expected = r.target.logprob - *r.targetAtBaseline;
        completeness_->setText(tr("<b>Completeness:</b> sum of attributions = %1; target − target at the all-zero "
                                  "input = %2 − (%3) = %4; gap %5 (%6% of it). A large gap means too few steps.")
                                   .arg(number(r.sum), number(r.target.logprob), number(*r.targetAtBaseline),
                                        number(expected), number(r.sum - expected))
                                   .arg(expected != 0.0 ? 100.0 * std::abs(r.sum - expected) / std::abs(expected) : 0.0,
                                        0, 'f', 1));
    } else {
        completeness_->setText(tr("Sum of attributions: %1 (only integrated gradients promise that it equals the "
                                  "target's change from an all-zero input).")
                                   .arg(number(r.sum)));
    }
}

void AttributionView::setPresentationMode(bool on)
{
    presentation_ = on;
    strip_->setPresentationMode(on);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (on ? 1.4 : 1.0));
    for (QLabel* l : {caption_, completeness_, state_})
        l->setFont(f);
    if (result_)
        showResult();
}

bool AttributionView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!result_ || stack_->currentWidget() != content_) {
        if (error)
            *error = tr("Nothing to export: no attribution is shown.");
        return false;
    }
    if (content_->width() < 400)
        content_->resize(900, 520);
    return exporting::saveWidget(content_, path, dpi, error);
}

bool AttributionView::exportData(const QString& path, QString* error)
{
    if (!result_) {
        if (error)
            *error = tr("Nothing to export: no attribution is shown.");
        return false;
    }
    const InputAttribution& r = *result_;
    exporting::Table t;
    t.name = tr("attribution");
    t.cols = 2;
    t.colLabels = {QStringLiteral("position"), QStringLiteral("attribution")};
    for (size_t i = 0; i < r.values.size(); ++i) {
        t.rowLabels << (i < resultTokens_.size() ? QString::fromStdString(resultTokens_[i]) : QString());
        t.values.insert(t.values.end(), {static_cast<double>(i), r.values[i]});
        ++t.rows;
    }
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(t, path, error);
    // The CLI's `attribute --json` keys, so a file from either can be read the same way.
    QJsonObject root;
    QJsonArray tokens, values;
    for (const auto& tok : resultTokens_)
        tokens.append(QString::fromStdString(tok));
    for (double v : r.values)
        values.append(v);
    root.insert(QStringLiteral("tokens"), tokens);
    QJsonObject target;
    target.insert(QStringLiteral("kind"), r.target.kind == AttributionTarget::Kind::NextSentence ? QStringLiteral("nsp")
                                                                                                 : QStringLiteral("mlm"));
    target.insert(QStringLiteral("position"), r.target.position);
    target.insert(QStringLiteral("token"), QString::fromStdString(r.target.token));
    target.insert(QStringLiteral("id"), r.target.tokenId);
    target.insert(QStringLiteral("logprob"), r.target.logprob);
    root.insert(QStringLiteral("target"), target);
    root.insert(QStringLiteral("method"), QString::fromLatin1(attributionMethodName(r.method)));
    root.insert(QStringLiteral("steps"), r.method == AttributionMethod::IntegratedGradients ? QJsonValue(r.steps) : QJsonValue());
    root.insert(QStringLiteral("attributions"), values);
    root.insert(QStringLiteral("sum"), r.sum);
    if (r.targetAtBaseline)
        root.insert(QStringLiteral("target_at_baseline"), *r.targetAtBaseline);
    return exporting::saveJson(QJsonDocument(root), path, error);
}

} // namespace bertlab::ui
