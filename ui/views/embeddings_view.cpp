// Wires the embedding figure and the three small panels to an Analysis, and exports them.
#include "embeddings_view.h"

#include "colormaps.h"
#include "embedding_figure.h"
#include "export.h"
#include "plot/lazy_refresh.h"
#include "plot/token_paths_plottable.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace bertlab::ui {

namespace {

constexpr int kNeighbours = 12;

QStringList tokenLabels(const Encoding& e)
{
    QStringList labels;
    for (int i = 0; i < e.size(); ++i)
        labels << QStringLiteral("%1:%2").arg(i).arg(QString::fromStdString(e.tokens[static_cast<size_t>(i)]));
    return labels;
}

// A plot that has never been laid out has no paint buffer yet; it replots itself when resized.
void replotIfSized(QCustomPlot* plot)
{
    if (plot->width() > 0 && plot->height() > 0)
        plot->replot();
}

void stylePlot(QCustomPlot* plot, const QPalette& pal)
{
    const QColor fg = pal.color(QPalette::Text);
    plot->setBackground(pal.color(QPalette::Base));
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    }
}

} // namespace

EmbeddingsView::EmbeddingsView(QWidget* parent) : AnalysisView(parent)
{
    setObjectName(QStringLiteral("embeddingsView"));
    stack_ = new QStackedWidget(this);
    emptyLabel_ = new QLabel(tr("Open a model and type a sentence to see how BERT builds its input vectors."), this);
    emptyLabel_->setAlignment(Qt::AlignCenter);
    emptyLabel_->setWordWrap(true);
    stack_->addWidget(emptyLabel_);

    content_ = new QWidget(this);
    stack_->addWidget(content_);

    figure_ = new EmbeddingFigure(content_);
    figureScroll_ = new QScrollArea(content_);
    figureScroll_->setWidget(figure_);
    figureScroll_->setWidgetResizable(true);
    figureScroll_->setFrameShape(QFrame::NoFrame);
    figureScroll_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    figureScroll_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    // Position similarity.
    positionPlot_ = new QCustomPlot(content_);
    useLazyRefresh(positionPlot_);
    positionPlot_->setObjectName(QStringLiteral("positionSimilarityPlot"));
    positionPlot_->setAccessibleName(tr("Position embeddings: cosine similarity"));
    positionPlot_->setMinimumSize(220, 200);
    auto* posBox = new QGroupBox(tr("Position embeddings: cosine similarity"), content_);
    auto* posLayout = new QVBoxLayout(posBox);
    posLayout->setContentsMargins(4, 4, 4, 4);
    posLayout->addWidget(positionPlot_);

    // PCA of token vectors.
    pcaPlot_ = new QCustomPlot(content_);
    useLazyRefresh(pcaPlot_);
    pcaPlot_->setObjectName(QStringLiteral("pcaPlot"));
    pcaPlot_->setAccessibleName(tr("Token vectors (PCA) and their path through the layers"));
    pcaPlot_->setMinimumSize(240, 200);
    pcaLayerSpin_ = new QSpinBox(content_);
    pcaLayerSpin_->setRange(0, 0);
    pcaLayerSpin_->setToolTip(tr("Hidden state to fit the PCA on: 0 = embedding output, n = after layer n"));
    auto* pcaBox = new QGroupBox(tr("Token vectors (PCA) and their path through the layers"), content_);
    auto* pcaLayout = new QVBoxLayout(pcaBox);
    pcaLayout->setContentsMargins(4, 4, 4, 4);
    auto* pcaTop = new QHBoxLayout;
    pcaTop->addWidget(new QLabel(tr("Hidden state:"), pcaBox));
    pcaTop->addWidget(pcaLayerSpin_);
    pcaTop->addStretch(1);
    pcaLayout->addLayout(pcaTop);
    pcaLayout->addWidget(pcaPlot_, 1);

    // Nearest neighbours.
    neighbourTitle_ = new QLabel(content_);
    neighbourTitle_->setWordWrap(true);
    neighbours_ = new QTableWidget(0, 3, content_);
    neighbours_->setObjectName(QStringLiteral("neighbourTable"));
    neighbours_->setHorizontalHeaderLabels({tr("#"), tr("Wordpiece"), tr("Cosine")});
    neighbours_->verticalHeader()->hide();
    neighbours_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    neighbours_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    neighbours_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    neighbours_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    neighbours_->setSelectionMode(QAbstractItemView::NoSelection);
    auto* nnBox = new QGroupBox(tr("Nearest vocabulary neighbours"), content_);
    auto* nnLayout = new QVBoxLayout(nnBox);
    nnLayout->setContentsMargins(4, 4, 4, 4);
    nnLayout->addWidget(neighbourTitle_);
    nnLayout->addWidget(neighbours_, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, content_);
    splitter->addWidget(posBox);
    splitter->addWidget(pcaBox);
    splitter->addWidget(nnBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 4);
    splitter->setStretchFactor(2, 2);
    splitter->setChildrenCollapsible(false);

    auto* contentLayout = new QVBoxLayout(content_);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(figureScroll_);
    contentLayout->addWidget(splitter, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);

    connect(figure_, &EmbeddingFigure::tokenClicked, this, &EmbeddingsView::selectToken);
    connect(pcaLayerSpin_, &QSpinBox::valueChanged, this, [this] { updatePca(); });
    pcaPaths_ = new TokenPathsPlottable(pcaPlot_->xAxis, pcaPlot_->yAxis);
    pcaPlot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectPlottables);
    connect(pcaPlot_, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable* plottable, int token, QMouseEvent*) {
                if (plottable == pcaPaths_)
                    selectToken(token);
            });
    applyPlotFonts();
}

QString EmbeddingsView::explanation() const
{
    return tr("<p><b>How BERT turns wordpieces into vectors.</b> Each column is one input token. Its vector "
              "is the sum of three learned embeddings: the <i>token</i> embedding of the wordpiece, the "
              "<i>segment</i> embedding (sentence A or B) and the <i>position</i> embedding of its index. "
              "The sum is normalised by LayerNorm and that is what the first encoder layer reads. Each strip "
              "shows one vector, one cell per dimension, blue negative and red positive (scaled per row); "
              "hover a strip for its values and norm.</p>"
              "<p><b>Position similarity</b> is the cosine similarity between the learned position "
              "embeddings; a bright diagonal band means neighbouring positions get similar vectors. The "
              "dashed square marks the positions used by this input.</p>"
              "<p><b>PCA</b> projects the sentence's token vectors at the chosen hidden state onto their two "
              "main directions; the thin lines follow each token through every layer (dots) and the labelled "
              "points are at the chosen layer.</p>"
              "<p><b>Neighbours</b>: click a token to list the vocabulary wordpieces whose input embeddings "
              "are most similar (cosine) to its own.</p>");
}

void EmbeddingsView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_ || !analysis_->trace.embeddings) {
        figure_->setAnalysis(nullptr);
        stack_->setCurrentWidget(emptyLabel_);
        return;
    }
    stack_->setCurrentWidget(content_);
    const bool newModel = cachedModel_.expired() || cachedModel_.lock() != analysis_->model;
    if (newModel) {
        cachedModel_ = analysis_->model;
        const BertModel& model = *analysis_->model;
        const TensorView& pos = model.weights().embeddings.position;
        positionSimilarity_ = pos.empty() ? Matrix() : vecmath::cosineSimilarity(Matrix(pos.matrix()));
        const TensorView& word = model.weights().embeddings.word;
        wordNorms_ = word.empty() ? Eigen::VectorXf() : vecmath::rowNorms(word.matrix());
        neighbourCache_.clear();
        selected_ = -1;
    }
    const int layers = static_cast<int>(analysis_->trace.hiddenStates.size()) - 1;
    {
        const QSignalBlocker block(pcaLayerSpin_);
        pcaLayerSpin_->setRange(0, std::max(0, layers));
    }
    if (selected_ >= analysis_->encoding.size())
        selected_ = -1;
    if (selected_ < 0)
        selected_ = std::min(1, analysis_->encoding.size() - 1);  // the first real token
    figure_->setAnalysis(analysis_);
    figure_->setSelectedToken(selected_);
    figureScroll_->setFixedHeight(figure_->sizeHint().height() +
                                  figureScroll_->horizontalScrollBar()->sizeHint().height());
    if (newModel || !usedPositions_)
        updatePositionPlot();
    else
        updateUsedPositions();
    updatePca();
    updateNeighbours();
}

void EmbeddingsView::changeEvent(QEvent* event)
{
    AnalysisView::changeEvent(event);
    // The position plot is built once per model, so a new palette (dark mode) has to rebuild it.
    if (event->type() == QEvent::PaletteChange && analysis_)
        updatePositionPlot();
}

void EmbeddingsView::setLayerHead(int layer, int)
{
    // The shared selection names encoder layers (0-based); hidden state layer+1 is that layer's output.
    pcaLayerSpin_->setValue(layer + 1);
}

int EmbeddingsView::pcaLayer() const
{
    return pcaLayerSpin_->value();
}

void EmbeddingsView::setPresentationMode(bool on)
{
    presentation_ = on;
    applyPlotFonts();
    if (analysis_) {
        figureScroll_->setFixedHeight(figure_->sizeHint().height() +
                                      figureScroll_->horizontalScrollBar()->sizeHint().height());
        updatePositionPlot();
        updatePca();
    }
}

void EmbeddingsView::applyPlotFonts()
{
    // Widgets follow the application font (the window enlarges it in presentation mode); QCustomPlot
    // keeps fonts of its own, so they are set from the application font here.
    QFont f = QApplication::font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    for (QCustomPlot* plot : {positionPlot_, pcaPlot_}) {
        for (QCPAxis* axis : plot->axisRect()->axes()) {
            axis->setTickLabelFont(f);
            axis->setLabelFont(f);
        }
    }
}

void EmbeddingsView::selectToken(int position)
{
    if (!analysis_ || position < 0 || position >= analysis_->encoding.size())
        return;
    selected_ = position;
    figure_->setSelectedToken(position);
    updateNeighbours();
    updatePca();
}

void EmbeddingsView::updatePositionPlot()
{
    QCustomPlot* plot = positionPlot_;
    plot->clearPlottables();
    plot->clearItems();
    usedPositions_ = nullptr;
    for (int i = plot->plotLayout()->elementCount() - 1; i >= 0; --i)
        if (qobject_cast<QCPColorScale*>(plot->plotLayout()->elementAt(i)))
            plot->plotLayout()->removeAt(i);
    plot->plotLayout()->simplify();
    stylePlot(plot, palette());
    const int p = static_cast<int>(positionSimilarity_.rows());
    if (p == 0) {
        replotIfSized(plot);
        return;
    }
    auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
    map->data()->setSize(p, p);
    map->data()->setRange(QCPRange(0, p - 1), QCPRange(0, p - 1));
    for (int x = 0; x < p; ++x)
        for (int y = 0; y < p; ++y)
            map->data()->setCell(x, y, positionSimilarity_(x, y));
    map->setGradient(ColorMap::diverging().toQcpGradient());
    map->setDataRange(QCPRange(-1, 1));
    map->setInterpolate(false);
    auto* scale = new QCPColorScale(plot);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(ColorMap::diverging().toQcpGradient());
    scale->setDataRange(QCPRange(-1, 1));
    scale->axis()->setTickLabelColor(palette().color(QPalette::Text));
    scale->axis()->setBasePen(QPen(palette().color(QPalette::Text)));
    scale->axis()->setTickPen(QPen(palette().color(QPalette::Text)));
    scale->axis()->setTickLabelFont(plot->xAxis->tickLabelFont());
    scale->setBarWidth(10);
    plot->plotLayout()->addElement(0, 1, scale);
    map->setColorScale(scale);
    auto* group = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);

    // The positions this input uses; moved by updateUsedPositions as the input changes.
    usedPositions_ = new QCPItemRect(plot);
    // QCustomPlot's "overlay" layer has a paint buffer of its own, so moving the square repaints
    // only that layer instead of rescaling the whole 512 x 512 colour map again.
    usedPositions_->setLayer(QStringLiteral("overlay"));
    usedPositions_->setPen(QPen(palette().color(QPalette::Text), 1.2, Qt::DashLine));
    usedPositions_->setBrush(Qt::NoBrush);
    plot->xAxis->setLabel(tr("position"));
    plot->yAxis->setLabel(tr("position"));
    plot->xAxis->setRange(-0.5, p - 0.5);
    plot->yAxis->setRange(-0.5, p - 0.5);
    plot->yAxis->setRangeReversed(true);
    placeUsedPositions();
    replotIfSized(plot);  // everything changed: all layers, not just the square's
}

void EmbeddingsView::placeUsedPositions()
{
    const int p = static_cast<int>(positionSimilarity_.rows());
    const int t = analysis_ ? std::min(p, analysis_->encoding.size()) : 0;
    usedPositions_->setVisible(t > 0);
    usedPositions_->topLeft->setCoords(-0.5, t - 0.5);
    usedPositions_->bottomRight->setCoords(t - 0.5, -0.5);
}

void EmbeddingsView::updateUsedPositions()
{
    if (!usedPositions_)
        return;
    placeUsedPositions();
    if (positionPlot_->width() > 0 && positionPlot_->height() > 0)
        usedPositions_->layer()->replot();
}

void EmbeddingsView::updatePca()
{
    QCustomPlot* plot = pcaPlot_;
    stylePlot(plot, palette());
    pcaCoords_ = Matrix();
    if (!analysis_ || analysis_->trace.hiddenStates.empty()) {
        pcaPaths_->setTokens({}, 0);
        replotIfSized(plot);
        return;
    }
    const auto& states = analysis_->trace.hiddenStates;
    const int layerCount = static_cast<int>(states.size());
    const int chosen = std::clamp(pcaLayerSpin_->value(), 0, layerCount - 1);
    const int t = static_cast<int>(states[static_cast<size_t>(chosen)].rows());
    pca_ = vecmath::fitPca2(states[static_cast<size_t>(chosen)]);
    pcaCoords_ = Matrix(static_cast<Eigen::Index>(layerCount) * t, 2);
    for (int l = 0; l < layerCount; ++l)
        pcaCoords_.middleRows(static_cast<Eigen::Index>(l) * t, t) = vecmath::project(pca_, states[static_cast<size_t>(l)]);

    const Encoding& e = analysis_->encoding;
    std::vector<TokenPathsPlottable::Token> tokens(static_cast<size_t>(t));
    for (int i = 0; i < t; ++i) {
        TokenPathsPlottable::Token& token = tokens[static_cast<size_t>(i)];
        token.label = QString::fromStdString(e.tokens[static_cast<size_t>(i)]);
        token.color = categoricalColor(i);
        token.path.reserve(static_cast<size_t>(layerCount));
        for (int l = 0; l < layerCount; ++l)
            token.path.emplace_back(pcaCoords_(static_cast<Eigen::Index>(l) * t + i, 0),
                                    pcaCoords_(static_cast<Eigen::Index>(l) * t + i, 1));
    }
    pcaPaths_->setTokens(std::move(tokens), chosen);
    pcaPaths_->setSelectedToken(selected_);
    pcaPaths_->setLabelFont(plot->xAxis->tickLabelFont());
    pcaPaths_->setLabelColor(palette().color(QPalette::Text));
    pcaPaths_->setLineScale(presentation_ ? 1.6 : 1.0);
    plot->rescaleAxes();
    plot->xAxis->scaleRange(1.15, plot->xAxis->range().center());
    plot->yAxis->scaleRange(1.15, plot->yAxis->range().center());
    plot->xAxis->setLabel(tr("PC1 (%1 % of variance at h%2)").arg(pca_.explained[0] * 100.0, 0, 'f', 0).arg(chosen));
    plot->yAxis->setLabel(tr("PC2 (%1 %)").arg(pca_.explained[1] * 100.0, 0, 'f', 0));
    replotIfSized(plot);
}

void EmbeddingsView::updateNeighbours()
{
    neighbours_->setRowCount(0);
    if (!analysis_ || selected_ < 0 || selected_ >= analysis_->encoding.size()) {
        neighbourTitle_->setText(tr("Click a token to list its nearest wordpieces."));
        return;
    }
    const BertModel& model = *analysis_->model;
    const TensorView& word = model.weights().embeddings.word;
    const auto k = static_cast<size_t>(selected_);
    const int id = analysis_->encoding.ids[k];
    if (word.empty() || id < 0 || id >= word.rows()) {
        neighbourTitle_->setText(tr("No word embeddings available."));
        return;
    }
    auto cached = neighbourCache_.find(id);
    if (cached == neighbourCache_.end()) {
        if (neighbourCache_.size() >= 512)
            neighbourCache_.clear();  // a bound, not an LRU: a few hundred clicked tokens is plenty
        const ConstMatrixMap table = word.matrix();
        const Eigen::VectorXf query = table.row(id).transpose();
        cached = neighbourCache_.emplace(id, vecmath::nearestRows(table, wordNorms_, query, kNeighbours * 4 + 1)).first;
    }
    const std::vector<vecmath::Neighbour>& nearest = cached->second;
    neighbourTitle_->setText(tr("Closest input embeddings to <b>%1</b> (id %2, position %3):")
                                 .arg(QString::fromStdString(analysis_->encoding.tokens[k]).toHtmlEscaped())
                                 .arg(id)
                                 .arg(selected_));
    int rank = 0;
    for (const vecmath::Neighbour& n : nearest) {
        const std::string& token = model.vocab().token(n.row);
        // Itself, and the untrained [unusedN] placeholders, tell nothing about the token.
        if (n.row == id || token.rfind("[unused", 0) == 0)
            continue;
        if (rank == kNeighbours)
            break;
        neighbours_->insertRow(rank);
        neighbours_->setItem(rank, 0, new QTableWidgetItem(QString::number(rank + 1)));
        neighbours_->setItem(rank, 1, new QTableWidgetItem(QString::fromStdString(token)));
        auto* cos = new QTableWidgetItem(QString::number(static_cast<double>(n.cosine), 'f', 3));
        cos->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        neighbours_->setItem(rank, 2, cos);
        ++rank;
    }
}

bool EmbeddingsView::exportImage(const QString& path, int dpi, QString* error)
{
    // The whole tab: the figure and the three panels belong together.
    return exporting::saveWidget(stack_->currentWidget(), path, dpi, error);
}

bool EmbeddingsView::exportData(const QString& path, QString* error)
{
    if (!analysis_ || !analysis_->trace.embeddings) {
        if (error)
            *error = tr("Nothing to export: no analysis yet.");
        return false;
    }
    const Encoding& e = analysis_->encoding;
    const QStringList tokens = tokenLabels(e);
    const EmbeddingParts& parts = *analysis_->trace.embeddings;
    std::vector<exporting::Table> tables;
    tables.push_back(exporting::Table::fromMatrix(parts.token, QStringLiteral("token embeddings"), tokens));
    tables.push_back(exporting::Table::fromMatrix(parts.segment, QStringLiteral("segment embeddings"), tokens));
    tables.push_back(exporting::Table::fromMatrix(parts.position, QStringLiteral("position embeddings"), tokens));
    tables.push_back(exporting::Table::fromMatrix(parts.sum, QStringLiteral("sum"), tokens));
    tables.push_back(exporting::Table::fromMatrix(parts.normalized, QStringLiteral("layernorm output"), tokens));
    if (positionSimilarity_.rows() > 0) {
        const int t = std::min(static_cast<int>(positionSimilarity_.rows()), e.size());
        QStringList positions;
        for (int i = 0; i < t; ++i)
            positions << QString::number(i);
        tables.push_back(exporting::Table::fromMatrix(Matrix(positionSimilarity_.topLeftCorner(t, t)),
                                                      QStringLiteral("position cosine similarity"), positions,
                                                      positions));
    }
    if (pcaCoords_.rows() > 0) {
        QStringList rows;
        const int layers = static_cast<int>(analysis_->trace.hiddenStates.size());
        for (int l = 0; l < layers; ++l)
            for (const QString& t : tokens)
                rows << QStringLiteral("h%1 %2").arg(l).arg(t);
        tables.push_back(exporting::Table::fromMatrix(pcaCoords_, QStringLiteral("pca fitted at h%1").arg(pcaLayer()),
                                                      rows, {QStringLiteral("pc1"), QStringLiteral("pc2")}));
    }
    QJsonObject extra;
    extra.insert(QStringLiteral("view"), QStringLiteral("embeddings"));
    extra.insert(QStringLiteral("tokens"), QJsonArray::fromStringList(tokens));
    return exporting::saveTables(tables, path, error, extra);
}

} // namespace bertlab::ui
