// Draws what the MLM head guessed at each [MASK], how that guess forms layer by layer, and the masking lab.
#include "views/mlm_view.h"

#include "colormaps.h"
#include "export.h"
#include "intact_comparison.h"
#include "plot/heatmap_plot.h"
#include "plot/lazy_refresh.h"
#include "views/masking_lab_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

QString percentText(double p)
{
    return p >= 0.1 ? QStringLiteral("%1%").arg(100.0 * p, 0, 'f', 0)
                    : QStringLiteral("%1%").arg(100.0 * p, 0, 'f', 1);
}

const MaskedPrediction* findPosition(const std::vector<MaskedPrediction>& preds, int position)
{
    for (const auto& p : preds)
        if (p.position == position)
            return &p;
    return nullptr;
}

QLabel* makeStateLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setMargin(24);
    return label;
}

} // namespace

MlmView::MlmView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);
    stateLabel_ = makeStateLabel(this);
    stack_->addWidget(stateLabel_);

    tabs_ = new QTabWidget(this);
    guessesStack_ = new QStackedWidget(tabs_);
    noMaskLabel_ = makeStateLabel(guessesStack_);
    noMaskLabel_->setText(tr("No token is masked. Click a token in the input panel (or type [MASK]) and the "
                             "model will guess what belongs there."));
    guessesStack_->addWidget(noMaskLabel_);
    guessesScroll_ = new QScrollArea(guessesStack_);
    guessesScroll_->setWidgetResizable(true);
    guesses_ = new QCustomPlot(guessesScroll_);
    guesses_->setAccessibleName(tr("Masked-word guesses"));
    guesses_->setAccessibleDescription(tr("For each masked position, the model's top guesses as bars of probability."));
    useLazyRefresh(guesses_);
    guessesScroll_->setWidget(guesses_);
    guessesStack_->addWidget(guessesScroll_);
    tabs_->addTab(guessesStack_, tr("Guesses"));

    lensStack_ = new QStackedWidget(tabs_);
    noLensLabel_ = makeStateLabel(lensStack_);
    lensStack_->addWidget(noLensLabel_);
    auto* lensPage = new QWidget(lensStack_);
    auto* lensLayout = new QVBoxLayout(lensPage);
    auto* lensBar = new QHBoxLayout;
    lensCombo_ = new QComboBox(lensPage);
    lensBar->addWidget(new QLabel(tr("Masked position"), lensPage));
    lensBar->addWidget(lensCombo_);
    lensBar->addStretch(1);
    lensLayout->addLayout(lensBar);
    lensCaption_ = new QLabel(lensPage);
    lensCaption_->setWordWrap(true);
    lensLayout->addWidget(lensCaption_);
    lens_ = new HeatmapPlot(lensPage);
    lens_->setAccessibleName(tr("Logit lens"));
    lens_->setAxisTitles(tr("read out after"), tr("candidate token"), tr("probability"));
    lens_->setValueRange(0.0, 1.0);
    lensLayout->addWidget(lens_, 1);
    lensStack_->addWidget(lensPage);
    tabs_->addTab(lensStack_, tr("Logit lens"));

    lab_ = new MaskingLabPanel(tabs_);
    tabs_->addTab(lab_, tr("Masking lab"));
    stack_->addWidget(tabs_);

    connect(lensCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { rebuildLens(); });
    guesses_->setToolTip(tr("Click a guess to see which input words it rests on (Attribution)"));
    connect(guesses_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (!analysis_ || event->button() != Qt::LeftButton)
            return;
        const QPointF pos = event->position();
        for (size_t i = 0; i < guessRects_.size() && i < analysis_->trace.mlm.size(); ++i) {
            QCPAxisRect* rect = guessRects_[i];
            if (!rect->rect().contains(pos.toPoint()))
                continue;
            const MaskedPrediction& mp = analysis_->trace.mlm[i];
            const long rank = std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y()));
            if (rank >= 0 && rank < static_cast<long>(mp.candidates.size()))
                emit attributionRequested(QStringLiteral("mlm:%1:%2").arg(mp.position).arg(
                    QString::fromStdString(mp.candidates[static_cast<size_t>(rank)].token)));
            return;
        }
    });
    showState(tr("Run an analysis with a [MASK] token to see the model's guesses."));
}

QString MlmView::title() const
{
    return tr("Masked words");
}

QString MlmView::explanation() const
{
    return tr("BERT was trained to fill in hidden words. For every [MASK] in your input, the bars show the model's "
              "top guesses and their probabilities (the original word, if you masked a real one, is drawn in "
              "orange). The logit lens applies the same prediction head to the hidden state after every layer: "
              "read it top to bottom to see how the guess forms, from the embeddings to the last layer; grey "
              "cells mean the token was not among that layer's top guesses. The masking lab replays the "
              "pre-training recipe on your sentence: 15% of the non-special tokens are chosen, and of those "
              "80% become [MASK], 10% a random token and 10% stay unchanged.");
}

bool MlmView::showsEmptyState() const
{
    return stack_->currentIndex() == 0;
}

QString MlmView::stateMessage() const
{
    return stateLabel_->text();
}

void MlmView::showState(const QString& message)
{
    guessRects_.clear();
    stateLabel_->setText(message);
    stack_->setCurrentIndex(0);
    guesses_->clearPlottables();
    guesses_->clearItems();
    guesses_->plotLayout()->clear();
    {
        const QSignalBlocker block(lensCombo_);
        lensCombo_->clear();
    }
    lens_->clearMatrix();
    lab_->setAnalysis(nullptr);
}

void MlmView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_) {
        showState(tr("Run an analysis with a [MASK] token to see the model's guesses."));
        return;
    }
    const bool hasHead = analysis_->model ? analysis_->model->hasMlm() : !analysis_->trace.mlm.empty();
    if (!hasHead) {
        showState(tr("This model has no MLM head, so it cannot guess masked words. (Its checkpoint holds no "
                     "cls.predictions weights; fine-tuned classifiers usually drop them.)"));
        analysis_.reset();
        return;
    }
    stack_->setCurrentIndex(1);
    {
        const QSignalBlocker block(lensCombo_);
        lensCombo_->clear();
        for (const auto& mp : analysis_->trace.mlm)
            lensCombo_->addItem(tr("position %1 (was %2)").arg(mp.position).arg(tokenAt(analysis_->original, mp.position)));
    }
    rebuildGuesses();
    rebuildLens();
    lab_->setAnalysis(analysis_);
}

QString MlmView::tokenAt(const Encoding& e, int position) const
{
    if (position >= 0 && position < e.size())
        return QString::fromStdString(e.tokens[static_cast<size_t>(position)]);
    return QStringLiteral("?");
}

int MlmView::guessesHeight() const
{
    if (!analysis_)
        return 0;
    const auto& mlm = analysis_->trace.mlm;
    size_t k = 1;
    for (const auto& mp : mlm)
        k = std::max(k, mp.candidates.size());
    const int columns = mlm.size() > 1 ? 2 : 1;
    const int rows = static_cast<int>((mlm.size() + columns - 1) / columns);
    const int perBar = presentation_ ? 30 : 22;
    const int extra = analysis_->intact ? (presentation_ ? 30 : 20) : 0;  // the intact model's line
    return rows * (static_cast<int>(k) * perBar + (presentation_ ? 110 : 80) + extra);
}

QPoint MlmView::guessBarCenter(int index, int rank) const
{
    if (index < 0 || index >= static_cast<int>(guessRects_.size()))
        return {};
    QCPAxisRect* rect = guessRects_[static_cast<size_t>(index)];
    return {rect->left() + rect->width() / 8, static_cast<int>(std::lround(rect->axis(QCPAxis::atLeft)->coordToPixel(rank)))};
}

void MlmView::rebuildGuesses()
{
    guessRects_.clear();
    guesses_->clearPlottables();
    guesses_->clearItems();
    guesses_->plotLayout()->clear();
    const auto& mlm = analysis_->trace.mlm;
    if (mlm.empty()) {
        guessesStack_->setCurrentIndex(0);
        return;
    }
    guessesStack_->setCurrentIndex(1);
    const double scale = presentation_ ? 1.5 : 1.0;
    QFont tickFont = font();
    tickFont.setPointSizeF(font().pointSizeF() * scale);
    QFont titleFont = tickFont;
    titleFont.setBold(true);
    const int columns = mlm.size() > 1 ? 2 : 1;
    const QColor barColor = categoricalColor(0);
    const QColor originalColor = categoricalColor(1);

    for (size_t i = 0; i < mlm.size(); ++i) {
        const MaskedPrediction& mp = mlm[i];
        const QString original = tokenAt(analysis_->original, mp.position);
        const bool realWord = original != QLatin1String("[MASK]");
        auto* cell = new QCPLayoutGrid;
        guesses_->plotLayout()->addElement(static_cast<int>(i) / columns, static_cast<int>(i) % columns, cell);
        QString heading = tr("Position %1").arg(mp.position);
        if (realWord)
            heading += tr(" · original: %1 (orange if guessed)").arg(original);
        if (!mp.candidates.empty())
            heading += tr(" · best guess: %1 (%2)")
                           .arg(QString::fromStdString(mp.candidates.front().token), percentText(mp.candidates.front().prob));
        const MaskedPrediction* before = intactGuesses(*analysis_, mp.position);
        if (before && !before->candidates.empty())
            heading += tr("\nheads off; grey = intact model, whose best guess was %1 (%2)")
                           .arg(QString::fromStdString(before->candidates.front().token),
                                percentText(before->candidates.front().prob));
        auto* titleElement = new QCPTextElement(guesses_, heading, titleFont);
        cell->addElement(0, 0, titleElement);
        auto* rect = new QCPAxisRect(guesses_);
        cell->addElement(1, 0, rect);
        guessRects_.push_back(rect);
        QCPAxis* keyAxis = rect->axis(QCPAxis::atLeft);
        QCPAxis* valueAxis = rect->axis(QCPAxis::atBottom);

        auto* bars = new QCPBars(keyAxis, valueAxis);
        auto* hit = new QCPBars(keyAxis, valueAxis);  // the original word, when it is among the guesses
        bars->setPen(Qt::NoPen);
        bars->setBrush(barColor);
        hit->setPen(Qt::NoPen);
        hit->setBrush(originalColor);
        bars->setWidth(0.7);
        hit->setWidth(0.7);
        // With heads off, a thin grey bar under each guess gives the intact model's probability.
        QCPBars* intactBars = nullptr;
        if (before) {
            intactBars = new QCPBars(keyAxis, valueAxis);
            intactBars->setPen(Qt::NoPen);
            intactBars->setBrush(QColor(140, 140, 140));
            intactBars->setWidth(0.22);
            bars->setWidth(0.5);
            hit->setWidth(0.5);
        }
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        double maxProb = 0;
        for (size_t r = 0; r < mp.candidates.size(); ++r) {
            const TokenGuess& g = mp.candidates[r];
            const QString token = QString::fromStdString(g.token);
            ticker->addTick(static_cast<double>(r), token);
            const double key = intactBars ? static_cast<double>(r) - 0.12 : static_cast<double>(r);
            (realWord && token == original ? hit : bars)->addData(key, g.prob);
            maxProb = std::max(maxProb, static_cast<double>(g.prob));
            QString text = percentText(g.prob);
            if (intactBars) {
                if (const std::optional<double> p = intactProbability(*analysis_, mp.position, g.id)) {
                    intactBars->addData(static_cast<double>(r) + 0.27, *p);
                    maxProb = std::max(maxProb, *p);
                    text += tr("  (intact %1)").arg(percentText(*p));
                }
            }
            auto* label = new QCPItemText(guesses_);
            label->setClipAxisRect(rect);
            label->position->setAxes(valueAxis, keyAxis);
            label->position->setCoords(g.prob, key);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            label->setPadding(QMargins(4, 0, 0, 0));
            label->setText(text);
            label->setFont(tickFont);
        }
        keyAxis->setTicker(ticker);
        keyAxis->setRangeReversed(true);  // best guess on top
        keyAxis->setRange(-0.6, static_cast<double>(mp.candidates.size()) - 0.4);
        keyAxis->setTickLabelFont(tickFont);
        keyAxis->setSubTicks(false);
        keyAxis->setTickLength(0, 3);
        keyAxis->grid()->setVisible(false);
        // Leave room right of the longest bar for its percentage.
        valueAxis->setRange(0.0, std::min(1.0, std::max(0.05, maxProb * (intactBars ? 1.6 : 1.25) + 0.02)));
        valueAxis->setLabel(tr("probability"));
        valueAxis->setTickLabelFont(tickFont);
        valueAxis->setLabelFont(tickFont);
        auto percentTicker = QSharedPointer<QCPAxisTicker>::create();
        percentTicker->setTickCount(5);
        valueAxis->setTicker(percentTicker);
        valueAxis->setNumberFormat(QStringLiteral("f"));
        valueAxis->setNumberPrecision(2);
        if (presentation_) {
            keyAxis->setBasePen(QPen(Qt::black, 2));
            valueAxis->setBasePen(QPen(Qt::black, 2));
        }
    }
    guesses_->setMinimumHeight(guessesHeight());
    guesses_->replot();
}

void MlmView::rebuildLens()
{
    if (!analysis_)
        return;
    const auto& lensAll = analysis_->trace.logitLens;
    const auto& mlm = analysis_->trace.mlm;
    const int index = lensCombo_->currentIndex();
    if (mlm.empty()) {
        noLensLabel_->setText(tr("No token is masked, so there is nothing to follow through the layers."));
        lensStack_->setCurrentIndex(0);
        lens_->clearMatrix();
        return;
    }
    if (lensAll.empty() || index < 0 || index >= static_cast<int>(mlm.size())) {
        noLensLabel_->setText(tr("This run kept no logit lens (the probe did not ask for it)."));
        lensStack_->setCurrentIndex(0);
        lens_->clearMatrix();
        return;
    }
    lensStack_->setCurrentIndex(1);
    const int position = mlm[static_cast<size_t>(index)].position;
    const int rows = static_cast<int>(lensAll.size());
    std::vector<const MaskedPrediction*> perLayer;
    for (const auto& layer : lensAll)
        perLayer.push_back(findPosition(layer, position));
    // Columns: the final layer's guesses in order, then any token that was top-1 somewhere earlier,
    // so every row's winner has a column.
    std::vector<std::string> columns;
    const auto addColumn = [&](const std::string& t) {
        if (std::find(columns.begin(), columns.end(), t) == columns.end())
            columns.push_back(t);
    };
    const MaskedPrediction* last = perLayer.back() ? perLayer.back() : &mlm[static_cast<size_t>(index)];
    for (const auto& g : last->candidates)
        addColumn(g.token);
    for (int l = rows - 1; l >= 0; --l)
        if (perLayer[static_cast<size_t>(l)] && !perLayer[static_cast<size_t>(l)]->candidates.empty())
            addColumn(perLayer[static_cast<size_t>(l)]->candidates.front().token);
    const int cols = static_cast<int>(columns.size());

    int changedRows = 0;
    QVector<double> values(static_cast<qsizetype>(rows) * cols, std::nan(""));
    QStringList texts, rowLabels, colLabels, rightLabels;
    for (const auto& c : columns)
        colLabels << QString::fromStdString(c);
    for (int l = 0; l < rows; ++l) {
        rowLabels << (l == 0 ? tr("embeddings") : tr("layer %1").arg(l));
        const MaskedPrediction* p = perLayer[static_cast<size_t>(l)];
        const std::string top = p && !p->candidates.empty() ? p->candidates.front().token : std::string();
        for (int c = 0; c < cols; ++c) {
            QString text;
            if (p)
                for (const auto& g : p->candidates)
                    if (g.token == columns[static_cast<size_t>(c)]) {
                        values[static_cast<qsizetype>(l) * cols + c] = g.prob;
                        text = QString::number(std::lround(100.0 * g.prob));
                        if (g.token == top)
                            text = QStringLiteral("★") + text;
                    }
            texts << text;
        }
        QString right = p && !p->candidates.empty()
                            ? tr("top-1: %1 (%2)").arg(QString::fromStdString(top), percentText(p->candidates.front().prob))
                            : tr("—");
        // With heads off: where this layer's winner differs from the intact model's, say so.
        if (const MaskedPrediction* before = intactLens(*analysis_, l, position); before && !before->candidates.empty()) {
            const std::string was = before->candidates.front().token;
            right += was == top ? tr("  = intact") : tr("  ◆ intact: %1").arg(QString::fromStdString(was));
            if (was != top)
                ++changedRows;
        }
        rightLabels << right;
    }
    lens_->setMatrix(rows, cols, values, rowLabels, colLabels);
    lens_->setCellTexts(texts);
    lens_->setRightLabels(rightLabels);
    lensCaption_->setText(tr("Position %1 (was <b>%2</b>). Each row applies the MLM head to the hidden state after "
                             "that layer; cells give the probability in percent, ★ marks the row's top-1, grey "
                             "means not in that layer's top %3. Read top to bottom to watch the guess form.")
                              .arg(position)
                              .arg(tokenAt(analysis_->original, position).toHtmlEscaped())
                              .arg(last->candidates.size()) +
                          (!analysis_->intact ? QString()
                           : changedRows == 0 ? tr(" <b>Heads are switched off:</b> every layer's top-1 is the intact model's.")
                                              : tr(" <b>Heads are switched off:</b> ◆ marks the %1 layer(s) whose top-1 "
                                                   "differs from the intact model's.").arg(changedRows)));
}

void MlmView::setCurrentTab(Tab tab)
{
    tabs_->setCurrentIndex(static_cast<int>(tab));
}

MlmView::Tab MlmView::currentTab() const
{
    return static_cast<Tab>(tabs_->currentIndex());
}

void MlmView::setLensPosition(int index)
{
    lensCombo_->setCurrentIndex(index);
}

int MlmView::lensPosition() const
{
    return lensCombo_->currentIndex();
}

void MlmView::setPresentationMode(bool on)
{
    presentation_ = on;
    lens_->setPresentationMode(on);
    lab_->setPresentationMode(on);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (on ? 1.4 : 1.0));
    for (QWidget* w : {static_cast<QWidget*>(stateLabel_), static_cast<QWidget*>(noMaskLabel_),
                       static_cast<QWidget*>(noLensLabel_), static_cast<QWidget*>(lensCaption_),
                       static_cast<QWidget*>(lensCombo_), static_cast<QWidget*>(tabs_->tabBar())})
        w->setFont(f);
    if (analysis_)
        rebuildGuesses();
}

bool MlmView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!analysis_) {
        if (error)
            *error = tr("Nothing to export: no masked-word predictions are shown.");
        return false;
    }
    switch (currentTab()) {
    case Tab::Guesses: {
        if (analysis_->trace.mlm.empty())
            return exporting::saveWidget(noMaskLabel_, path, dpi, error);
        const int w = std::max(guesses_->width(), analysis_->trace.mlm.size() > 1 ? 1000 : 600);
        return exporting::savePlot(guesses_, path, dpi, error, w, std::max(guesses_->height(), guessesHeight()));
    }
    case Tab::LogitLens: {
        if (lensStack_->currentIndex() == 0)
            return exporting::saveWidget(noLensLabel_, path, dpi, error);
        const bool sized = lens_->width() >= 400 && lens_->height() >= 250;
        return exporting::savePlot(lens_, path, dpi, error, sized ? 0 : 900,
                                   sized ? 0 : std::max(360, lens_->matrixRows() * 34 + 200));
    }
    case Tab::MaskingLab:
        if (lab_->width() < 300)
            lab_->resize(800, 500);
        return exporting::saveWidget(lab_, path, dpi, error);
    }
    return false;
}

bool MlmView::exportData(const QString& path, QString* error)
{
    if (!analysis_) {
        if (error)
            *error = tr("Nothing to export: no masked-word predictions are shown.");
        return false;
    }
    // One row per (position, guess): numbers in columns, the token in the row label.
    exporting::Table guesses;
    guesses.name = tr("masked-word guesses");
    guesses.colLabels = {QStringLiteral("position"), QStringLiteral("rank"), QStringLiteral("token_id"),
                         QStringLiteral("probability")};
    guesses.cols = 4;
    for (const auto& mp : analysis_->trace.mlm)
        for (size_t r = 0; r < mp.candidates.size(); ++r) {
            const TokenGuess& g = mp.candidates[r];
            guesses.rowLabels << QString::fromStdString(g.token);
            guesses.values.insert(guesses.values.end(),
                                  {static_cast<double>(mp.position), static_cast<double>(r + 1), static_cast<double>(g.id),
                                   static_cast<double>(g.prob)});
            ++guesses.rows;
        }
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(guesses, path, error);

    std::vector<exporting::Table> tables{guesses};
    // The logit lens of every masked position: rows = layers, columns = that layer's top-k (rank order).
    for (const auto& mp : analysis_->trace.mlm) {
        exporting::Table lens;
        lens.name = tr("logit lens, position %1").arg(mp.position);
        lens.cols = 2;
        lens.colLabels = {QStringLiteral("top1_token_id"), QStringLiteral("top1_probability")};
        for (size_t l = 0; l < analysis_->trace.logitLens.size(); ++l) {
            const MaskedPrediction* p = findPosition(analysis_->trace.logitLens[l], mp.position);
            if (!p || p->candidates.empty())
                continue;
            lens.rowLabels << QStringLiteral("%1: %2").arg(l == 0 ? QStringLiteral("embeddings") : QStringLiteral("layer %1").arg(l),
                                                         QString::fromStdString(p->candidates.front().token));
            lens.values.insert(lens.values.end(), {static_cast<double>(p->candidates.front().id),
                                                   static_cast<double>(p->candidates.front().prob)});
            ++lens.rows;
        }
        tables.push_back(lens);
    }
    QJsonObject extra;
    QJsonArray tokens;
    for (const auto& t : analysis_->encoding.tokens)
        tokens.append(QString::fromStdString(t));
    extra.insert(QStringLiteral("tokens"), tokens);
    return exporting::saveTables(tables, path, error, extra);
}

} // namespace bertlab::ui
