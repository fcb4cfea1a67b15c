// Computes head importance by gradient and by sweep off the GUI thread and draws the two heatmaps side by side.
#include "views/importance_view.h"

#include "attribution_targets.h"
#include "cancellable_job.h"
#include "colormaps.h"
#include "export.h"
#include "plot/heatmap_plot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

constexpr int kImportanceDebounceMs = 150;

QString inputKey(const Analysis& a, const AttributionTarget& t)
{
    QString key = QString::number(reinterpret_cast<quintptr>(a.model.get()));
    for (size_t i = 0; i < a.encoding.ids.size(); ++i)
        key += QLatin1Char(' ') + QString::number(a.encoding.ids[i]) + QLatin1Char('/') +
               QString::number(i < a.encoding.typeIds.size() ? a.encoding.typeIds[i] : 0);
    return key + QLatin1Char('|') + QString::fromStdString(t.toString());
}

// Pearson correlation of two equally long series; NaN when either is constant.
double correlation(const std::vector<double>& a, const std::vector<double>& b)
{
    const size_t n = std::min(a.size(), b.size());
    if (n < 2)
        return std::nan("");
    double ma = 0, mb = 0;
    for (size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= static_cast<double>(n);
    mb /= static_cast<double>(n);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::nan("");
}

// The head with the largest |importance|, as "L3 H5".
QString strongest(const HeadImportance& r)
{
    size_t best = 0;
    for (size_t i = 1; i < r.importance.size(); ++i)
        if (std::abs(r.importance[i]) > std::abs(r.importance[best]))
            best = i;
    return QStringLiteral("L%1 H%2").arg(static_cast<int>(best) / r.heads + 1).arg(static_cast<int>(best) % r.heads + 1);
}

QWidget* panel(QWidget* parent, const QString& title, QLabel** status, QVBoxLayout** layout)
{
    auto* w = new QWidget(parent);
    *layout = new QVBoxLayout(w);
    (*layout)->setContentsMargins(0, 0, 0, 0);
    auto* heading = new QLabel(title, w);
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    (*layout)->addWidget(heading);
    *status = new QLabel(w);
    (*status)->setWordWrap(true);
    (*layout)->addWidget(*status);
    return w;
}

} // namespace

ImportanceView::ImportanceView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Importance of each head for"), this));
    targetCombo_ = new QComboBox(this);
    targetCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(targetCombo_);
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
    auto* sides = new QHBoxLayout;
    QVBoxLayout* left = nullptr;
    QVBoxLayout* right = nullptr;
    sides->addWidget(panel(content_, tr("<b>Gradient estimate</b>: ∂target/∂m(l,h) at m = 1 (one backward pass)"),
                           &gradientStatus_, &left), 1);
    sides->addWidget(panel(content_, tr("<b>Exact sweep</b>: target(intact) − target(only that head off), one pass per head"),
                           &sweepStatus_, &right), 1);
    gradientPlot_ = new HeatmapPlot(content_);
    sweepPlot_ = new HeatmapPlot(content_);
    gradientPlot_->setAccessibleName(tr("Head importance: gradient estimate"));
    sweepPlot_->setAccessibleName(tr("Head importance: exact sweep"));
    for (HeatmapPlot* p : {gradientPlot_, sweepPlot_}) {
        p->setColorMap(ColorMap::diverging());
        p->setAxisTitles(tr("layer"), tr("head"), tr("importance"));
        p->setMinimumSize(280, 260);
        p->setToolTip(tr("Click a cell to switch that head off (or back on)"));
    }
    left->addWidget(gradientPlot_, 1);
    // The sweep's controls share its status line, so both heatmaps start at the same height.
    progress_ = new QProgressBar(content_);
    progress_->setMaximumWidth(200);
    cancel_ = new QPushButton(tr("Cancel"), content_);
    rerun_ = new QPushButton(tr("Run sweep"), content_);
    auto* sweepBar = new QHBoxLayout;
    right->removeWidget(sweepStatus_);
    sweepBar->addWidget(sweepStatus_, 1);
    sweepBar->addWidget(progress_);
    sweepBar->addWidget(cancel_);
    sweepBar->addWidget(rerun_);
    right->insertLayout(1, sweepBar);
    right->addWidget(sweepPlot_, 1);
    gradientStatus_->setMinimumHeight(rerun_->sizeHint().height());
    sweepStatus_->setMinimumHeight(rerun_->sizeHint().height());
    layout->addLayout(sides, 1);
    comparison_ = new QLabel(content_);
    comparison_->setWordWrap(true);
    comparison_->setTextFormat(Qt::RichText);
    layout->addWidget(comparison_);
    stack_->addWidget(content_);
    outer->addWidget(stack_, 1);

    gradientJob_ = new CancellableJob(this);
    sweepJob_ = new CancellableJob(this);
    debounce_.setSingleShot(true);
    debounce_.setInterval(kImportanceDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &ImportanceView::compute);
    connect(gradientJob_, &CancellableJob::failed, this, [this](const QString& m) {
        key_.clear();
        gradientStatus_->setText(m);
    });
    connect(sweepJob_, &CancellableJob::runningChanged, this, [this](bool on) {
        progress_->setVisible(on);
        cancel_->setVisible(on);
        rerun_->setVisible(!on);
        if (on)
            progress_->setRange(0, 0);
    });
    connect(sweepJob_, &CancellableJob::progress, this, [this](int done, int total) {
        progress_->setRange(0, std::max(1, total));
        progress_->setValue(done);
        sweepStatus_->setText(tr("Sweeping: layer %1 of %2…").arg(std::min(done + 1, total)).arg(total));
    });
    connect(sweepJob_, &CancellableJob::cancelled, this, [this] {
        sweepKey_.clear();
        sweepStatus_->setText(tr("Cancelled. “Run sweep” starts it again."));
    });
    connect(sweepJob_, &CancellableJob::failed, this, [this](const QString& m) {
        sweepKey_.clear();
        sweepStatus_->setText(m);
    });
    connect(cancel_, &QPushButton::clicked, this, &ImportanceView::cancelSweep);
    connect(rerun_, &QPushButton::clicked, this, &ImportanceView::runSweep);
    connect(targetCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        if (i >= 0) {
            try {
                wanted_ = AttributionTarget::parse(targetCombo_->itemData(i).toString().toStdString());
            } catch (const std::exception&) {
                wanted_.reset();
            }
        }
        scheduleCompute();
    });
    for (HeatmapPlot* p : {gradientPlot_, sweepPlot_})
        connect(p, &HeatmapPlot::cellClicked, this, [this](int layer, int head) { emit headAblationToggleRequested(layer, head); });
    progress_->setVisible(false);
    cancel_->setVisible(false);
    showState(tr("Run an analysis with a [MASK] (or a sentence pair) to rank the heads."));
}

ImportanceView::~ImportanceView() = default;

QString ImportanceView::title() const
{
    return tr("Head importance");
}

QString ImportanceView::explanation() const
{
    return tr("<p><b>Which heads does this answer depend on?</b> For the chosen target (a guess's log-probability or "
              "log p(IsNext)) each cell is one head: layer down, head across. Red: the target falls without the head "
              "(the head helps it); blue: it rises.</p>"
              "<p><b>Exact sweep</b> (right): the model runs once per head with only that head switched off, and the "
              "cell is target(intact) − target(without the head). It is the truth for one head at a time, and costs "
              "one forward pass per head (144 on BERT-Base), so it shows its progress and can be cancelled.</p>"
              "<p><b>Gradient estimate</b> (left): the derivative of the target by the head's multiplier m at m = 1, "
              "from a single backward pass (Michel et al., 2019, rank heads by its size). Switching a head off moves m "
              "from 1 to 0, so the gradient is a straight-line guess of the sweep's number; where the two heatmaps "
              "disagree, the model is far from linear in that head. The line under them gives their correlation.</p>"
              "<p>Both are of the intact model; switched-off heads are marked ×. Click a cell to switch that head off "
              "(or back on) and watch the other views change. A head that matters little alone may still matter "
              "together with others that do the same work.</p>");
}

bool ImportanceView::isBusy() const
{
    return debounce_.isActive() || gradientJob_->isRunning() || sweepJob_->isRunning();
}

QString ImportanceView::stateMessage() const
{
    return stack_->currentWidget() == state_ ? state_->text() : QString();
}

void ImportanceView::showState(const QString& message)
{
    state_->setText(message);
    stack_->setCurrentWidget(state_);
}

void ImportanceView::setTarget(const AttributionTarget& target)
{
    wanted_ = target;
    rebuildTargets();
    scheduleCompute();
}

void ImportanceView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_) {
        debounce_.stop();
        gradientJob_->cancel();
        sweepJob_->cancel();
        gradient_.reset();
        sweep_.reset();
        key_.clear();
        sweepKey_.clear();
        {
            const QSignalBlocker b(targetCombo_);
            targetCombo_->clear();
        }
        showState(tr("Run an analysis with a [MASK] (or a sentence pair) to rank the heads."));
        return;
    }
    rebuildTargets();
    drawPlots();  // the × marks follow the switched-off heads at once
    scheduleCompute();
}

void ImportanceView::rebuildTargets()
{
    if (!analysis_)
        return;
    QString why;
    const std::vector<TargetChoice> choices = targetChoices(*analysis_, &why);
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
        debounce_.stop();
        gradientJob_->cancel();
        sweepJob_->cancel();
        gradient_.reset();
        sweep_.reset();
        key_.clear();
        sweepKey_.clear();
        showState(why);
        return;
    }
    if (selected < 0) {
        for (int i = 0; i < static_cast<int>(choices.size()) && selected < 0 && wanted_; ++i)
            if (choices[static_cast<size_t>(i)].target.kind == wanted_->kind &&
                choices[static_cast<size_t>(i)].target.position == wanted_->position)
                selected = i;
        selected = std::max(0, selected);
        wanted_ = choices[static_cast<size_t>(selected)].target;
    }
    targetCombo_->setCurrentIndex(selected);
}

void ImportanceView::scheduleCompute()
{
    if (!analysis_ || !wanted_ || targetCombo_->count() == 0)
        return;
    if (inputKey(*analysis_, *wanted_) == key_)
        return;
    debounce_.start();
}

void ImportanceView::compute()
{
    if (!analysis_ || !wanted_ || !analysis_->model)
        return;
    const QString key = inputKey(*analysis_, *wanted_);
    if (key == key_)
        return;
    key_ = key;
    gradient_.reset();
    sweep_.reset();
    stack_->setCurrentWidget(content_);
    gradientStatus_->setText(tr("Computing…"));
    drawPlots();
    const std::shared_ptr<const BertModel> model = analysis_->model;
    const Encoding encoding = analysis_->encoding;
    const AttributionTarget target = *wanted_;
    gradientJob_->start([this, model, encoding, target, key](std::stop_token stop, const CancellableJob::Progress& progress) {
        auto r = std::make_shared<HeadImportance>(headImportance(*model, encoding, target, ImportanceMethod::Gradient, stop, progress));
        return std::function<void()>([this, r, key] {
            if (key != key_)
                return;
            gradient_ = *r;
            gradientStatus_->setText(tr("Done."));
            drawPlots();
        });
    });
    startSweep();
}

void ImportanceView::runSweep()
{
    if (!analysis_ || !wanted_)
        return;
    sweepKey_.clear();
    startSweep();
}

void ImportanceView::startSweep()
{
    if (!analysis_ || !wanted_ || !analysis_->model)
        return;
    const QString key = inputKey(*analysis_, *wanted_);
    if (key == sweepKey_ && (sweep_ || sweepJob_->isRunning()))
        return;
    sweepKey_ = key;
    sweep_.reset();
    const std::shared_ptr<const BertModel> model = analysis_->model;
    const Encoding encoding = analysis_->encoding;
    const AttributionTarget target = *wanted_;
    sweepStatus_->setText(tr("Sweeping…"));
    sweepJob_->start([this, model, encoding, target, key](std::stop_token stop, const CancellableJob::Progress& progress) {
        auto r = std::make_shared<HeadImportance>(headImportance(*model, encoding, target, ImportanceMethod::Sweep, stop, progress));
        return std::function<void()>([this, r, key] {
            if (key != sweepKey_)
                return;
            sweep_ = *r;
            sweepStatus_->setText(tr("Done: %1 ablated passes.").arg(r->layers * r->heads));
            drawPlots();
        });
    });
}

void ImportanceView::cancelSweep()
{
    sweepJob_->cancel();
}

void ImportanceView::drawOne(HeatmapPlot* plot, const std::optional<HeadImportance>& r, double range)
{
    if (!r) {
        plot->clearMatrix();
        return;
    }
    QVector<double> values(static_cast<qsizetype>(r->importance.size()));
    for (size_t i = 0; i < r->importance.size(); ++i)
        values[static_cast<qsizetype>(i)] = r->importance[i];
    QStringList rows, cols, texts;
    for (int l = 0; l < r->layers; ++l)
        rows << tr("Layer %1").arg(l + 1);
    for (int h = 0; h < r->heads; ++h)
        cols << tr("H%1").arg(h + 1);
    const HeadAblation* off = analysis_ ? &analysis_->request.ablation : nullptr;
    for (int l = 0; l < r->layers; ++l)
        for (int h = 0; h < r->heads; ++h) {
            QString t = QString::number(r->at(l, h), 'g', 2);
            if (off && off->isOff(l, h))
                t = QStringLiteral("× ") + t;
            texts << t;
        }
    plot->setValueRange(-range, range);  // 0 is white
    plot->setMatrix(r->layers, r->heads, values, rows, cols);
    plot->setCellTexts(texts);
}

void ImportanceView::drawPlots()
{
    if (!analysis_ || stack_->currentWidget() != content_)
        return;
    // One colour scale for both, so the estimate and the truth compare cell for cell.
    double range = 1e-9;
    for (const auto* r : {&gradient_, &sweep_})
        if (*r)
            for (double v : (*r)->importance)
                range = std::max(range, std::abs(v));
    drawOne(gradientPlot_, gradient_, range);
    drawOne(sweepPlot_, sweep_, range);
    const ResolvedTarget* t = gradient_ ? &gradient_->target : sweep_ ? &sweep_->target : nullptr;
    QString caption = t ? tr("Target: <b>%1</b> = %2 under the intact model.").arg(describeTarget(*t).toHtmlEscaped()).arg(t->logprob, 0, 'f', 3)
                        : tr("Computing the target…");
    if (analysis_ && !analysis_->request.ablation.empty())
        caption += tr(" Heads switched off elsewhere are marked × (the numbers stay the intact model's).");
    caption += tr(" Red: the head helps the target; blue: it works against it (one colour scale for both maps). "
                  "Click a cell to switch that head off.");
    caption_->setText(caption);
    updateComparison();
}

void ImportanceView::updateComparison()
{
    if (!gradient_ || !sweep_) {
        comparison_->setText(gradient_ ? tr("Strongest head by gradient: %1. The sweep will tell whether it really is.")
                                             .arg(strongest(*gradient_))
                                       : QString());
        return;
    }
    const double r = correlation(gradient_->importance, sweep_->importance);
    comparison_->setText(tr("Strongest head: <b>%1</b> by the sweep, <b>%2</b> by the gradient. Correlation of the two "
                            "maps: %3 (1 = the straight-line estimate ranks heads exactly as switching them off does).")
                             .arg(strongest(*sweep_), strongest(*gradient_))
                             .arg(std::isnan(r) ? tr("undefined") : QString::number(r, 'f', 2)));
}

void ImportanceView::setPresentationMode(bool on)
{
    presentation_ = on;
    gradientPlot_->setPresentationMode(on);
    sweepPlot_->setPresentationMode(on);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (on ? 1.4 : 1.0));
    for (QLabel* l : {caption_, comparison_, gradientStatus_, sweepStatus_, state_})
        l->setFont(f);
}

bool ImportanceView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!gradient_ && !sweep_) {
        if (error)
            *error = tr("Nothing to export: no head importance is shown.");
        return false;
    }
    if (content_->width() < 500)
        content_->resize(1100, 560);
    return exporting::saveWidget(content_, path, dpi, error);
}

bool ImportanceView::exportData(const QString& path, QString* error)
{
    if (!gradient_ && !sweep_) {
        if (error)
            *error = tr("Nothing to export: no head importance is shown.");
        return false;
    }
    std::vector<exporting::Table> tables;
    for (const auto* r : {&gradient_, &sweep_}) {
        if (!*r)
            continue;
        exporting::Table t;
        t.name = QStringLiteral("importance %1").arg(QString::fromLatin1(importanceMethodName((*r)->method)));
        t.rows = (*r)->layers;
        t.cols = (*r)->heads;
        for (int l = 0; l < t.rows; ++l)
            t.rowLabels << QStringLiteral("L%1").arg(l + 1);
        for (int h = 0; h < t.cols; ++h)
            t.colLabels << QStringLiteral("H%1").arg(h + 1);
        t.values = (*r)->importance;
        tables.push_back(t);
    }
    QJsonObject extra;
    const ResolvedTarget& target = gradient_ ? gradient_->target : sweep_->target;
    extra.insert(QStringLiteral("target"), QString::fromStdString(wanted_ ? wanted_->toString() : std::string()));
    extra.insert(QStringLiteral("logprob"), target.logprob);
    QJsonArray tokens;
    if (analysis_)
        for (const auto& tok : analysis_->encoding.tokens)
            tokens.append(QString::fromStdString(tok));
    extra.insert(QStringLiteral("tokens"), tokens);
    return exporting::saveTables(tables, path, error, extra);
}

} // namespace bertlab::ui
