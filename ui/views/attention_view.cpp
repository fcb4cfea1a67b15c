// Builds the attention explorer's sub-views from a Trace and keeps them on the shared layer/head selection.
#include "views/attention_view.h"

#include "export.h"
#include "plot/heatmap_plot.h"
#include "plot/matrix_table_model.h"
#include "views/attention_lines.h"
#include "views/heads_grid.h"
#include "views/percent_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

QVector<double> toDoubles(const AttentionMatrix& m)
{
    QVector<double> v(static_cast<qsizetype>(m.size()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            v[static_cast<qsizetype>(r * m.cols() + c)] = m(r, c);
    return v;
}

// English, as the export's JSON keeps it; the view shows it through tr().
const char* filterName(SegmentFilter f)
{
    switch (f) {
    case SegmentFilter::AToB: return QT_TRANSLATE_NOOP("bertlab::ui::AttentionView", "A to B");
    case SegmentFilter::BToA: return QT_TRANSLATE_NOOP("bertlab::ui::AttentionView", "B to A");
    case SegmentFilter::Within: return QT_TRANSLATE_NOOP("bertlab::ui::AttentionView", "within sentence");
    case SegmentFilter::All: break;
    }
    return QT_TRANSLATE_NOOP("bertlab::ui::AttentionView", "all pairs");
}

} // namespace

AttentionView::AttentionView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);

    emptyLabel_ = new QLabel(this);
    emptyLabel_->setAlignment(Qt::AlignCenter);
    emptyLabel_->setWordWrap(true);
    emptyLabel_->setMargin(24);
    stack_->addWidget(emptyLabel_);

    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    controls_ = new QWidget(page);
    auto* bar = new QHBoxLayout(controls_);
    bar->setContentsMargins(0, 0, 0, 0);
    layerSpin_ = new QSpinBox(controls_);
    headSpin_ = new QSpinBox(controls_);
    layerSpin_->setToolTip(tr("Encoder layer, counted from 1"));
    headSpin_->setToolTip(tr("Attention head, counted from 1"));
    modeCombo_ = new QComboBox(controls_);
    modeCombo_->addItem(tr("Selected head"));
    modeCombo_->addItem(tr("Mean over heads"));
    modeCombo_->addItem(tr("Attention rollout"));
    modeCombo_->setToolTip(tr("Rollout multiplies 0.5·(mean attention) + 0.5·I through layers 1..L and renormalises rows"));
    filterCombo_ = new QComboBox(controls_);
    filterCombo_->addItem(tr("All pairs"));
    filterCombo_->addItem(tr("A → B"));
    filterCombo_->addItem(tr("B → A"));
    filterCombo_->addItem(tr("Within sentence"));
    filterCombo_->setToolTip(tr("Keep only query→key pairs by sentence (token type id); other cells become 0"));
    bar->addWidget(new QLabel(tr("Layer"), controls_));
    bar->addWidget(layerSpin_);
    bar->addWidget(new QLabel(tr("Head"), controls_));
    bar->addWidget(headSpin_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Show"), controls_));
    bar->addWidget(modeCombo_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Pairs"), controls_));
    bar->addWidget(filterCombo_);
    bar->addStretch(1);
    layout->addWidget(controls_);
    caption_ = new QLabel(page);
    caption_->setWordWrap(true);
    layout->addWidget(caption_);

    tabs_ = new QTabWidget(page);
    heatmap_ = new HeatmapPlot(tabs_);
    heatmap_->setAccessibleName(tr("Attention heatmap"));
    heatmap_->setAccessibleDescription(tr("Rows: query tokens; columns: key tokens; colour: attention weight."));
    heatmap_->setAxisTitles(tr("query token (attends from)"), tr("key token (attended to)"), tr("attention weight"));
    tabs_->addTab(heatmap_, tr("Heatmap"));

    linesScroll_ = new QScrollArea(tabs_);
    linesScroll_->setWidgetResizable(true);
    lines_ = new AttentionLines(linesScroll_);
    linesScroll_->setWidget(lines_);
    tabs_->addTab(linesScroll_, tr("Lines"));

    gridScroll_ = new QScrollArea(tabs_);
    gridScroll_->setWidgetResizable(true);
    grid_ = new HeadsGrid(gridScroll_);
    gridScroll_->setWidget(grid_);
    tabs_->addTab(gridScroll_, tr("All heads"));

    summaryTable_ = new QTableWidget(tabs_);
    summaryTable_->setColumnCount(7);
    summaryTable_->setHorizontalHeaderLabels({tr("Head"), tr("Entropy (bits)"), tr("→ [CLS]"), tr("→ [SEP]"),
                                              tr("→ self"), tr("→ previous"), tr("→ next")});
    summaryTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    summaryTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    summaryTable_->setSelectionMode(QAbstractItemView::SingleSelection);
    summaryTable_->verticalHeader()->setVisible(false);
    summaryTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    tabs_->addTab(summaryTable_, tr("Head summary"));

    valuesTable_ = new QTableView(tabs_);
    valuesModel_ = new MatrixTableModel(valuesTable_);
    valuesTable_->setModel(valuesModel_);
    valuesTable_->horizontalHeader()->setDefaultSectionSize(64);
    valuesTable_->verticalHeader()->setDefaultSectionSize(22);
    tabs_->addTab(valuesTable_, tr("Values"));
    layout->addWidget(tabs_, 1);
    stack_->addWidget(page);

    connect(layerSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int v) {
        if (v - 1 == layer_)
            return;
        layer_ = v - 1;
        refresh();
        emit layerHeadRequested(layer_, head_);
    });
    connect(headSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int v) {
        if (v - 1 == head_)
            return;
        head_ = v - 1;
        refresh();
        emit layerHeadRequested(layer_, head_);
    });
    connect(modeCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setMode(static_cast<Mode>(i)); });
    connect(filterCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setFilter(static_cast<SegmentFilter>(i)); });
    connect(grid_, &HeadsGrid::headClicked, this, [this](int l, int h) {
        setLayerHead(l, h);
        emit layerHeadRequested(l, h);
    });
    connect(grid_, &HeadsGrid::headToggled, this, &AnalysisView::headAblationToggleRequested);
    connect(grid_, &HeadsGrid::layerToggled, this, &AnalysisView::layerAblationToggleRequested);
    connect(summaryTable_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (row == head_)
            return;
        setLayerHead(layer_, row);
        emit layerHeadRequested(layer_, row);
    });

    showEmpty(tr("Run an analysis to see where each token looks."));
}

AttentionView::~AttentionView() = default;

QString AttentionView::title() const
{
    return tr("Attention");
}

QString AttentionView::explanation() const
{
    return tr("Each attention head lets every token (a row, the query) take a weighted average of all tokens "
              "(the columns, the keys); each row's weights are positive and sum to 1. The heatmap shows those "
              "weights for the selected layer and head, the lines view draws one line per pair with opacity "
              "equal to the weight (hover a token to isolate it), and the grid shows every head of every layer "
              "at once: click one to select it, click its corner switch (or Ctrl+click it, or press Ctrl+K) to "
              "switch it off, click a layer's label to switch the whole layer off; switched-off heads are greyed "
              "and crossed, their attention is zero and every view shows the model without them. \"Mean over heads\" averages a layer's heads; \"attention "
              "rollout\" multiplies 0.5·(mean attention) + 0.5·identity through layers 1 to the selected one "
              "to estimate how much each output token draws on each input token. The pair filter keeps only "
              "attention from sentence A to B, from B to A, or within a sentence. Attention weights show where "
              "a head reads from, not why the model decides what it does.");
}

int AttentionView::layerCount() const
{
    return analysis_ ? static_cast<int>(analysis_->trace.attentions.size()) : 0;
}

int AttentionView::headCount() const
{
    return layerCount() > 0 ? static_cast<int>(analysis_->trace.attentions.front().size()) : 0;
}

int AttentionView::tokenCount() const
{
    if (headCount() == 0)
        return 0;
    return static_cast<int>(analysis_->trace.attentions.front().front().rows());
}

QStringList AttentionView::tokenLabels() const
{
    QStringList labels;
    const int t = tokenCount();
    for (int i = 0; i < t; ++i) {
        if (analysis_ && i < analysis_->encoding.size())
            labels << QString::fromStdString(analysis_->encoding.tokens[static_cast<size_t>(i)]);
        else
            labels << QString::number(i);
    }
    return labels;
}

bool AttentionView::showsEmptyState() const
{
    return stack_->currentIndex() == 0;
}

void AttentionView::showEmpty(const QString& message)
{
    emptyLabel_->setText(message);
    stack_->setCurrentIndex(0);
    current_ = {};
    rollout_.clear();
    summaries_.clear();
    summariesLayer_ = -1;
    heatmap_->clearMatrix();
    lines_->clear();
    grid_->clear();
    summaryTable_->setRowCount(0);
    valuesModel_->clear();
}

void AttentionView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    rollout_.clear();
    summariesLayer_ = -1;
    if (!analysis_) {
        showEmpty(tr("Run an analysis to see where each token looks."));
        return;
    }
    const auto& att = analysis_->trace.attentions;
    bool ok = !att.empty() && !att.front().empty();
    const Eigen::Index t = ok ? att.front().front().rows() : 0;
    for (const auto& layer : att) {
        ok = ok && layer.size() == att.front().size();
        for (const auto& h : layer)
            ok = ok && h.rows() == t && h.cols() == t && t > 0;
    }
    if (!ok) {
        analysis_.reset();
        showEmpty(tr("This run kept no attention matrices (or they have inconsistent shapes)."));
        return;
    }
    layer_ = std::clamp(layer_, 0, layerCount() - 1);
    head_ = std::clamp(head_, 0, headCount() - 1);

    // Thumbnails once per run: at most 64 px a side whatever T is.
    std::vector<std::vector<QImage>> thumbs(static_cast<size_t>(layerCount()));
    for (int l = 0; l < layerCount(); ++l)
        for (int h = 0; h < headCount(); ++h) {
            const auto& m = att[static_cast<size_t>(l)][static_cast<size_t>(h)];
            thumbs[static_cast<size_t>(l)].push_back(makeAttentionThumbnail(m.data(), static_cast<int>(m.rows()), 64));
        }
    grid_->setThumbnails(std::move(thumbs));
    grid_->setAblation(analysis_->request.ablation);
    stack_->setCurrentIndex(1);
    syncControls();
    refresh();
}

void AttentionView::setLayerHead(int layer, int head)
{
    if (!analysis_) {
        layer_ = std::max(0, layer);
        head_ = std::max(0, head);
        return;
    }
    layer = std::clamp(layer, 0, layerCount() - 1);
    head = std::clamp(head, 0, headCount() - 1);
    if (layer == layer_ && head == head_ && current_.size() > 0)
        return;
    layer_ = layer;
    head_ = head;
    syncControls();
    refresh();
}

void AttentionView::setMode(Mode mode)
{
    if (mode == mode_)
        return;
    mode_ = mode;
    syncControls();
    if (analysis_)
        refresh();
}

void AttentionView::setFilter(SegmentFilter filter)
{
    if (filter == filter_)
        return;
    filter_ = filter;
    syncControls();
    if (analysis_)
        refresh();
}

void AttentionView::setCurrentTab(Tab tab)
{
    tabs_->setCurrentIndex(static_cast<int>(tab));
}

AttentionView::Tab AttentionView::currentTab() const
{
    return static_cast<Tab>(tabs_->currentIndex());
}

void AttentionView::syncControls()
{
    const QSignalBlocker b1(layerSpin_), b2(headSpin_), b3(modeCombo_), b4(filterCombo_);
    layerSpin_->setRange(1, std::max(1, layerCount()));
    headSpin_->setRange(1, std::max(1, headCount()));
    layerSpin_->setValue(layer_ + 1);
    headSpin_->setValue(head_ + 1);
    headSpin_->setEnabled(mode_ == Mode::Head);
    modeCombo_->setCurrentIndex(static_cast<int>(mode_));
    filterCombo_->setCurrentIndex(static_cast<int>(filter_));
    const bool hasB = analysis_ && std::any_of(analysis_->encoding.typeIds.begin(), analysis_->encoding.typeIds.end(),
                                               [](int t) { return t == 1; });
    // A→B and B→A mean nothing for a single sentence; keep them visible but say why they are empty.
    filterCombo_->setToolTip(hasB ? tr("Keep only query→key pairs by sentence (token type id); other cells become 0")
                                  : tr("There is no sentence B: A → B and B → A are empty"));
}

QString AttentionView::matrixName() const
{
    QString what;
    switch (mode_) {
    case Mode::Head: what = tr("layer %1 head %2").arg(layer_ + 1).arg(head_ + 1); break;
    case Mode::MeanOverHeads: what = tr("layer %1 mean over %2 heads").arg(layer_ + 1).arg(headCount()); break;
    case Mode::Rollout: what = tr("rollout through layers 1–%1").arg(layer_ + 1); break;
    }
    return tr("attention %1 (%2)").arg(what, tr(filterName(filter_)));
}

void AttentionView::refresh()
{
    if (!analysis_)
        return;
    const auto& att = analysis_->trace.attentions;
    AttentionMatrix base;
    switch (mode_) {
    case Mode::Head: base = att[static_cast<size_t>(layer_)][static_cast<size_t>(head_)]; break;
    case Mode::MeanOverHeads: base = meanOverHeads(att[static_cast<size_t>(layer_)]); break;
    case Mode::Rollout:
        if (rollout_.size() != att.size())
            rollout_ = attentionRolloutPerLayer(att);
        base = layer_ < static_cast<int>(rollout_.size()) ? rollout_[static_cast<size_t>(layer_)] : AttentionMatrix{};
        break;
    }
    std::vector<int> typeIds = analysis_->encoding.typeIds;
    typeIds.resize(static_cast<size_t>(base.rows()), 0);
    current_ = applySegmentFilter(base, typeIds, filter_);

    const int t = static_cast<int>(current_.rows());
    const QStringList labels = tokenLabels();
    const QVector<double> values = toDoubles(current_);
    // The heatmap greys out filtered cells so they don't read as "weight 0"; the table keeps the zeros.
    QVector<double> shown = values;
    if (filter_ != SegmentFilter::All)
        for (int r = 0; r < t; ++r)
            for (int c = 0; c < t; ++c)
                if (!segmentFilterKeeps(typeIds[static_cast<size_t>(r)], typeIds[static_cast<size_t>(c)], filter_))
                    shown[static_cast<qsizetype>(r) * t + c] = std::nan("");
    heatmap_->setMatrix(t, t, shown, labels, labels);
    heatmap_->setValueRange(0.0, std::max(1e-6f, current_.size() > 0 ? current_.maxCoeff() : 1.0f));
    QVector<float> weights(static_cast<qsizetype>(current_.size()));
    std::copy(current_.data(), current_.data() + current_.size(), weights.begin());
    std::vector<int> segments = analysis_->encoding.segment;
    segments.resize(static_cast<size_t>(t), -1);
    lines_->setData(t, std::move(weights), labels, std::move(segments));
    grid_->setCurrent(mode_ == Mode::Head ? layer_ : -1, mode_ == Mode::Head ? head_ : -1);
    valuesModel_->setMatrix(t, t, values, labels, labels);
    refreshSummaries();

    QString caption = tr("<b>%1</b> — rows: query tokens, columns: key tokens.").arg(matrixName().toHtmlEscaped());
    if (mode_ == Mode::Rollout)
        caption += tr(" Rollout rows sum to 1: how much each token after layer %1 draws on each input token.").arg(layer_ + 1);
    if (filter_ != SegmentFilter::All)
        caption += tr(" Filtered-out pairs are grey (0 in the values); kept cells keep their weight, so a row's sum is "
                      "its share of %1 attention.")
                       .arg(tr(filterName(filter_)));
    caption_->setText(caption);
}

void AttentionView::refreshSummaries()
{
    if (summariesLayer_ != layer_) {
        const auto& enc = analysis_->encoding;
        const int t = tokenCount();
        std::vector<bool> isCls(static_cast<size_t>(t), false), isSep(static_cast<size_t>(t), false);
        for (int i = 0; i < t && i < enc.size(); ++i) {
            isCls[static_cast<size_t>(i)] = enc.tokens[static_cast<size_t>(i)] == "[CLS]";
            isSep[static_cast<size_t>(i)] = enc.tokens[static_cast<size_t>(i)] == "[SEP]";
        }
        summaries_.clear();
        for (const auto& h : analysis_->trace.attentions[static_cast<size_t>(layer_)])
            summaries_.push_back(summarizeHead(h, isCls, isSep));
        summariesLayer_ = layer_;
        summaryTable_->setRowCount(static_cast<int>(summaries_.size()));
        for (int h = 0; h < static_cast<int>(summaries_.size()); ++h) {
            const HeadSummary& s = summaries_[static_cast<size_t>(h)];
            const QStringList cells{tr("L%1 H%2").arg(layer_ + 1).arg(h + 1), QString::number(s.entropyBits, 'f', 2),
                                    percentText(s.toCls), percentText(s.toSep), percentText(s.toSelf), percentText(s.toPrevious),
                                    percentText(s.toNext)};
            for (int c = 0; c < cells.size(); ++c) {
                auto* item = new QTableWidgetItem(cells[c]);
                item->setTextAlignment(c == 0 ? Qt::AlignCenter : (Qt::AlignRight | Qt::AlignVCenter));
                summaryTable_->setItem(h, c, item);
            }
        }
    }
    const QSignalBlocker block(summaryTable_);
    if (mode_ == Mode::Head)
        summaryTable_->selectRow(head_);
    else
        summaryTable_->clearSelection();
}

void AttentionView::setPresentationMode(bool on)
{
    presentation_ = on;
    heatmap_->setPresentationMode(on);
    lines_->setPresentationMode(on);
    grid_->setPresentationMode(on);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (on ? 1.4 : 1.0));
    for (QWidget* w : {static_cast<QWidget*>(controls_), static_cast<QWidget*>(caption_),
                       static_cast<QWidget*>(summaryTable_), static_cast<QWidget*>(valuesTable_),
                       static_cast<QWidget*>(tabs_->tabBar()), static_cast<QWidget*>(emptyLabel_)})
        w->setFont(f);
    valuesTable_->verticalHeader()->setDefaultSectionSize(on ? 30 : 22);
    valuesTable_->horizontalHeader()->setDefaultSectionSize(on ? 84 : 64);
}

bool AttentionView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!analysis_) {
        if (error)
            *error = tr("Nothing to export: no attention is shown.");
        return false;
    }
    switch (currentTab()) {
    case Tab::Lines:
        if (lines_->width() < lines_->minimumSizeHint().width())
            lines_->resize(lines_->sizeHint());
        return exporting::saveWidget(lines_, path, dpi, error);
    case Tab::AllHeads:
        if (grid_->width() < 200)
            grid_->resize(grid_->sizeHint());
        return exporting::saveWidget(grid_, path, dpi, error);
    case Tab::HeadSummary:
        return exporting::saveWidget(summaryTable_, path, dpi, error);
    case Tab::Heatmap:
    case Tab::Values:
        break;
    }
    // The heatmap may live on a hidden tab and have no size yet: give it a readable one.
    const bool sized = heatmap_->width() >= 300 && heatmap_->height() >= 300;
    const int side = std::clamp(tokenCount() * 14 + 260, 600, 1600);
    return exporting::savePlot(heatmap_, path, dpi, error, sized ? 0 : side, sized ? 0 : side);
}

bool AttentionView::exportData(const QString& path, QString* error)
{
    if (!analysis_) {
        if (error)
            *error = tr("Nothing to export: no attention is shown.");
        return false;
    }
    const QStringList labels = tokenLabels();
    const exporting::Table matrix = exporting::Table::fromMatrix(current_, matrixName(), labels, labels);
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(matrix, path, error);

    exporting::Table summary;
    summary.name = tr("head summary, layer %1").arg(layer_ + 1);
    summary.rows = static_cast<int>(summaries_.size());
    summary.cols = 6;
    summary.colLabels = {QStringLiteral("entropy_bits"), QStringLiteral("to_cls"), QStringLiteral("to_sep"),
                         QStringLiteral("to_self"), QStringLiteral("to_previous"), QStringLiteral("to_next")};
    for (int h = 0; h < summary.rows; ++h) {
        const HeadSummary& s = summaries_[static_cast<size_t>(h)];
        summary.rowLabels << QStringLiteral("head %1").arg(h + 1);
        summary.values.insert(summary.values.end(), {s.entropyBits, s.toCls, s.toSep, s.toSelf, s.toPrevious, s.toNext});
    }
    QJsonObject extra;
    extra.insert(QStringLiteral("layer"), layer_ + 1);
    extra.insert(QStringLiteral("head"), head_ + 1);
    static const char* modes[] = {"head", "mean_over_heads", "rollout"};
    extra.insert(QStringLiteral("mode"), QLatin1String(modes[static_cast<int>(mode_)]));
    extra.insert(QStringLiteral("filter"), QLatin1String(filterName(filter_)));
    extra.insert(QStringLiteral("tokens"), QJsonArray::fromStringList(labels));
    QJsonArray types;
    for (int t : analysis_->encoding.typeIds)
        types.append(t);
    extra.insert(QStringLiteral("typeIds"), types);
    return exporting::saveTables({matrix, summary}, path, error, extra);
}

} // namespace bertlab::ui
