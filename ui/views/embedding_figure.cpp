// Paints one column per token and one colour strip per embedding vector; hover explains a cell.
#include "embedding_figure.h"

#include "colormaps.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QStaticText>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

constexpr int kStripCellsMax = 64;  // dimensions per strip line; wider vectors wrap onto more lines

int stripColumns(int hidden)
{
    if (hidden <= kStripCellsMax)
        return std::max(1, hidden);
    const int lines = (hidden + kStripCellsMax - 1) / kStripCellsMax;
    return (hidden + lines - 1) / lines;
}

QString tokenText(const Encoding& e, int i)
{
    return QString::fromStdString(e.tokens[static_cast<size_t>(i)]);
}

} // namespace

EmbeddingFigure::EmbeddingFigure(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Embedding parts"));
    setAccessibleDescription(tr("For each input token, its token, segment and position embeddings, their sum and "
                                "the LayerNorm output, one cell per dimension."));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QString EmbeddingFigure::rowTitle(Row row)
{
    switch (row) {
    case TokenRow: return tr("Token embeddings");
    case SegmentRow: return tr("Segment embeddings");
    case PositionRow: return tr("Position embeddings");
    case SumRow: return tr("Sum");
    case NormRow: return tr("LayerNorm output");
    case RowCount: break;
    }
    return {};
}

void EmbeddingFigure::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_ || selected_ >= analysis_->encoding.size())
        selected_ = -1;
    invalidateCaches();
    rebuildScales();
    updateGeometry();
    update();
}

void EmbeddingFigure::setSelectedToken(int position)
{
    selected_ = position;
    update();
}

void EmbeddingFigure::invalidateCaches()
{
    geometry_.reset();
    for (auto& row : strips_)
        row.clear();
}

void EmbeddingFigure::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        invalidateCaches();
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}

void EmbeddingFigure::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    update();
}

const Matrix* EmbeddingFigure::rowMatrix(int row) const
{
    if (!analysis_ || !analysis_->trace.embeddings)
        return nullptr;
    const EmbeddingParts& e = *analysis_->trace.embeddings;
    switch (row) {
    case TokenRow: return &e.token;
    case SegmentRow: return &e.segment;
    case PositionRow: return &e.position;
    case SumRow: return &e.sum;
    case NormRow: return &e.normalized;
    default: return nullptr;
    }
}

void EmbeddingFigure::rebuildScales()
{
    absMax_.fill(1.f);
    for (int r = 0; r < RowCount; ++r) {
        const Matrix* m = rowMatrix(r);
        if (!m || m->size() == 0)
            continue;
        // The 99th percentile of |value| so that one outlier dimension doesn't wash out the rest.
        std::vector<float> mags(static_cast<size_t>(m->size()));
        for (Eigen::Index i = 0; i < m->size(); ++i)
            mags[static_cast<size_t>(i)] = std::abs(m->data()[i]);
        const size_t k = std::min(mags.size() - 1, static_cast<size_t>(0.99 * static_cast<double>(mags.size())));
        std::nth_element(mags.begin(), mags.begin() + static_cast<std::ptrdiff_t>(k), mags.end());
        absMax_[static_cast<size_t>(r)] = std::max(mags[k], 1e-6f);
    }
}

EmbeddingFigure::Geometry EmbeddingFigure::geometry() const
{
    if (geometry_ && geometryWidth_ == width())
        return *geometry_;
    Geometry g;
    const QFontMetrics fm(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bm(bold);
    // Row titles wrap onto two lines, so the widest word sets the label column.
    g.labelWidth = 0;
    for (int r = 0; r < RowCount; ++r)
        for (const QString& word : rowTitle(static_cast<Row>(r)).split(QLatin1Char(' ')))
            g.labelWidth = std::max(g.labelWidth, bm.horizontalAdvance(word));
    g.labelWidth += 16;
    g.minColumnWidth = std::max(34, fm.horizontalAdvance(QStringLiteral("E_00")) + 8);
    g.preferredColumnWidth = std::max(64, fm.horizontalAdvance(QStringLiteral("E_[MASK]")) + 14);
    int tokens = 0;
    if (analysis_) {
        const Encoding& e = analysis_->encoding;
        tokens = e.size();
        for (int i = 0; i < e.size(); ++i)
            g.preferredColumnWidth = std::max(g.preferredColumnWidth, bm.horizontalAdvance(tokenText(e, i)) + 16);
        g.preferredColumnWidth = std::min(g.preferredColumnWidth, 140);
    }
    // Fit the columns into the width we have, down to a minimum; below that the scroll area scrolls.
    const int available = width() - g.labelWidth - 8;
    g.columnWidth = tokens > 0 ? std::clamp(available / tokens, g.minColumnWidth, g.preferredColumnWidth)
                               : g.preferredColumnWidth;
    g.headerHeight = bm.height() + 12;
    g.captionHeight = fm.height();
    int lines = 1;
    if (analysis_) {
        const int h = analysis_->model->config().hiddenSize;
        lines = std::max(1, (h + stripColumns(h) - 1) / stripColumns(h));
    }
    g.stripHeight = std::max(16, std::min(4 * lines, 36));
    g.rowHeight = std::max(g.captionHeight + g.stripHeight + 6, 2 * bm.height() + 4);
    g.gapHeight = fm.height() + 2;
    geometry_ = g;
    geometryWidth_ = width();
    return g;
}

QSize EmbeddingFigure::sizeHint() const
{
    const Geometry g = geometry();
    const int tokens = analysis_ ? analysis_->encoding.size() : 6;
    return {g.labelWidth + tokens * g.preferredColumnWidth + 8,
            g.headerHeight + RowCount * g.rowHeight + RowCount * g.gapHeight + 6};
}

QSize EmbeddingFigure::minimumSizeHint() const
{
    const Geometry g = geometry();
    const int tokens = analysis_ ? analysis_->encoding.size() : 6;
    return {g.labelWidth + tokens * g.minColumnWidth + 8, sizeHint().height()};
}

QRect EmbeddingFigure::boxRect(int row, int position) const
{
    if (!analysis_ || row < 0 || row >= RowCount || position < 0 || position >= analysis_->encoding.size())
        return {};
    const Geometry g = geometry();
    const int x = g.labelWidth + position * g.columnWidth + 3;
    const int y = g.headerHeight + g.gapHeight + row * (g.rowHeight + g.gapHeight);
    return {x, y, g.columnWidth - 6, g.rowHeight};
}

QString EmbeddingFigure::boxCaption(int row, int position) const
{
    const Encoding& e = analysis_->encoding;
    const auto k = static_cast<size_t>(position);
    switch (row) {
    case TokenRow: return QStringLiteral("E_") + QString::fromStdString(e.tokens[k]);
    case SegmentRow: return e.typeIds[k] == 1 ? QStringLiteral("E_B") : QStringLiteral("E_A");
    case PositionRow: return QStringLiteral("E_%1").arg(position);
    case SumRow: return QStringLiteral("Σ");
    case NormRow: return QStringLiteral("LN(Σ)");
    default: return {};
    }
}

const QImage& EmbeddingFigure::stripImage(int row, int position) const
{
    static const QImage none;
    const Matrix* m = rowMatrix(row);
    if (!m || position < 0 || position >= m->rows())
        return none;
    std::vector<QImage>& images = strips_[static_cast<size_t>(row)];
    if (images.empty()) {
        // One table lookup per cell: a whole row of 64 tokens x 768 dimensions takes well under a
        // millisecond, where interpolating QColors cell by cell cost tens of them per repaint.
        static const ColorTable table(ColorMap::diverging());
        const int h = static_cast<int>(m->cols());
        const int cols = stripColumns(h);
        const int lines = (h + cols - 1) / cols;
        const float scale = absMax_[static_cast<size_t>(row)];
        images.reserve(static_cast<size_t>(m->rows()));
        for (Eigen::Index t = 0; t < m->rows(); ++t) {
            QImage image(cols, lines, QImage::Format_RGB32);
            image.fill(palette().color(QPalette::Base));
            for (int d = 0; d < h; ++d) {
                const float v = (*m)(t, d);
                reinterpret_cast<QRgb*>(image.scanLine(d / cols))[d % cols] =
                    table.at(scale > 0.f ? 0.5f + 0.5f * v / scale : 0.5f);
            }
            images.push_back(std::move(image));
        }
    }
    return images[static_cast<size_t>(position)];
}

void EmbeddingFigure::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (!analysis_ || !analysis_->trace.embeddings) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("The embedding parts appear here once a sentence is analysed."));
        return;
    }
    const Geometry g = geometry();
    const Encoding& e = analysis_->encoding;
    // Only the columns the scroll area shows: a long input is wider than the window.
    const QRect exposed = event->rect();
    const int firstColumn = std::clamp((exposed.left() - g.labelWidth) / std::max(1, g.columnWidth) - 1, 0, e.size());
    const int endColumn = std::clamp((exposed.right() - g.labelWidth) / std::max(1, g.columnWidth) + 2, 0, e.size());
    QFont bold = font();
    bold.setBold(true);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));

    // Input tokens across the top, in their segment colour.
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(4, 0, g.labelWidth - 8, g.headerHeight), Qt::AlignVCenter | Qt::AlignLeft, tr("Input"));
    for (int i = firstColumn; i < endColumn; ++i) {
        const QRect r(g.labelWidth + i * g.columnWidth + 3, 4, g.columnWidth - 6, g.headerHeight - 6);
        QColor fill = segmentColor(e.specialMask[static_cast<size_t>(i)] ? -1 : e.segment[static_cast<size_t>(i)]);
        fill.setAlphaF(0.3f);
        p.setPen(i == selected_ ? QPen(pal.color(QPalette::Highlight), 2.5) : QPen(fill.darker(140), 1));
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setPen(pal.color(QPalette::Text));
        // Narrow columns: a smaller font before eliding, so "[CLS]" stays readable.
        const QString text = tokenText(e, i);
        drawCentered(p, r, text, staticText(text, bold).size().width() <= r.width() - 4 ? bold : small);
    }

    static const char* const separators[RowCount] = {"", "+", "+", "=", "↓"};
    for (int row = 0; row < RowCount; ++row) {
        const int top = g.headerHeight + g.gapHeight + row * (g.rowHeight + g.gapHeight);
        // The operator between this row and the one above, centred in each column.
        if (row > 0) {
            p.setFont(bold);
            p.setPen(pal.color(QPalette::Text));
            const QString op = QString::fromUtf8(separators[row]);
            const int gapTop = top - g.gapHeight;
            for (int i = firstColumn; i < endColumn; ++i)
                drawCentered(p, QRect(g.labelWidth + i * g.columnWidth, gapTop, g.columnWidth, g.gapHeight), op, bold);
        }
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(4, top, g.labelWidth - 8, g.rowHeight), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
                   rowTitle(static_cast<Row>(row)));
        p.setFont(small);
        for (int i = firstColumn; i < endColumn; ++i) {
            const QRect box = boxRect(row, i);
            const QRect caption(box.x(), box.y(), box.width(), g.captionHeight);
            p.setPen(pal.color(QPalette::Text));
            drawCentered(p, caption, boxCaption(row, i), small);
            const QRect strip(box.x(), box.y() + g.captionHeight + 2, box.width(), g.stripHeight);
            const QImage& image = stripImage(row, i);
            p.drawImage(strip, image);  // unsmoothed (the painter's default): crisp cells
            p.setPen(QPen(i == selected_ ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid),
                          i == selected_ ? 2.0 : 1.0));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(strip).adjusted(-0.5, -0.5, 0.5, 0.5));
        }
    }
}

const QStaticText& EmbeddingFigure::staticText(const QString& text, const QFont& font) const
{
    // Captions repeat within a figure ("E_A", "+") and across keystrokes ("E_12", most tokens), so
    // their layouts are kept: shaping ~700 strings per paint cost more than the rest of it.
    if (textCache_.size() > 4096)
        textCache_.clear();
    const QString key = font.key() + QChar(0x1f) + text;
    auto it = textCache_.find(key);
    if (it == textCache_.end()) {
        QStaticText st(text);
        st.setTextFormat(Qt::PlainText);
        st.prepare(QTransform(), font);
        it = textCache_.insert(key, st);
    }
    return *it;
}

void EmbeddingFigure::drawCentered(QPainter& p, const QRect& r, const QString& text, const QFont& font) const
{
    p.setFont(font);
    const QStaticText& st = staticText(text, font);
    const QSizeF size = st.size();
    if (size.width() > r.width()) {
        p.drawText(r, Qt::AlignCenter, p.fontMetrics().elidedText(text, Qt::ElideRight, r.width()));
        return;
    }
    p.drawStaticText(QPointF(r.x() + (r.width() - size.width()) / 2.0, r.y() + (r.height() - size.height()) / 2.0), st);
}

QString EmbeddingFigure::describeAt(const QPoint& pos) const
{
    if (!analysis_)
        return {};
    const Encoding& e = analysis_->encoding;
    for (int row = 0; row < RowCount; ++row) {
        for (int i = 0; i < e.size(); ++i) {
            const QRect box = boxRect(row, i);
            if (!box.contains(pos))
                continue;
            const Matrix* m = rowMatrix(row);
            if (!m)
                return {};
            const int h = static_cast<int>(m->cols());
            const auto v = m->row(i);
            QString text = QStringLiteral("<b>%1</b> of <b>%2</b> (position %3)<br>‖v‖ = %4, mean %5, h = %6")
                               .arg(rowTitle(static_cast<Row>(row)), tokenText(e, i).toHtmlEscaped())
                               .arg(i)
                               .arg(static_cast<double>(v.norm()), 0, 'g', 4)
                               .arg(static_cast<double>(v.mean()), 0, 'g', 3)
                               .arg(h);
            const Geometry g = geometry();
            const QRect strip(box.x(), box.y() + g.captionHeight + 2, box.width(), g.stripHeight);
            if (strip.contains(pos)) {
                const int cols = stripColumns(h);
                const int lines = (h + cols - 1) / cols;
                const int cx = std::clamp((pos.x() - strip.x()) * cols / std::max(1, strip.width()), 0, cols - 1);
                const int cy = std::clamp((pos.y() - strip.y()) * lines / std::max(1, strip.height()), 0, lines - 1);
                const int d = std::min(h - 1, cy * cols + cx);
                text += QStringLiteral("<br>dimension %1 = <b>%2</b>").arg(d).arg(static_cast<double>(v(d)), 0, 'g', 4);
            }
            QStringList first;
            for (int d = 0; d < std::min(h, 8); ++d)
                first << QString::number(static_cast<double>(v(d)), 'f', 3);
            text += QStringLiteral("<br><small>[%1%2]</small>").arg(first.join(QStringLiteral(", ")),
                                                                     h > 8 ? QStringLiteral(", …") : QString());
            return text;
        }
    }
    return {};
}

void EmbeddingFigure::mousePressEvent(QMouseEvent* event)
{
    if (!analysis_ || event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const Geometry g = geometry();
    const int x = static_cast<int>(event->position().x()) - g.labelWidth;
    if (x < 0)
        return;
    const int i = x / g.columnWidth;
    if (i < analysis_->encoding.size()) {
        setSelectedToken(i);
        emit tokenClicked(i);
    }
}

bool EmbeddingFigure::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = describeAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace bertlab::ui
