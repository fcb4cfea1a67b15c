// Paints every head's thumbnail in one widget (no child widgets), highlighting the selected head.
#include "views/heads_grid.h"

#include "colormaps.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {
constexpr int kCellGap = 4;
}

QImage makeAttentionThumbnail(const float* weights, int tokens, int size)
{
    if (tokens <= 0 || size <= 0)
        return {};
    // 144 thumbnails are made on every keystroke: one table lookup per pixel, where interpolating
    // a QColor per pixel cost BERT-Base's 12 x 12 heads about 30 ms.
    static const ColorTable table(ColorMap::viridis());
    const int n = std::min(tokens, size);
    std::vector<float> cells(static_cast<size_t>(n) * n, 0.f);
    if (n == tokens) {
        std::copy(weights, weights + static_cast<size_t>(n) * n, cells.begin());
    } else {
        // Box-average blocks of tokens into n x n cells.
        std::vector<int> counts(cells.size(), 0);
        for (int r = 0; r < tokens; ++r) {
            const int br = static_cast<int>(static_cast<long long>(r) * n / tokens);
            for (int c = 0; c < tokens; ++c) {
                const int bc = static_cast<int>(static_cast<long long>(c) * n / tokens);
                cells[static_cast<size_t>(br) * n + bc] += weights[static_cast<size_t>(r) * tokens + c];
                ++counts[static_cast<size_t>(br) * n + bc];
            }
        }
        for (size_t i = 0; i < cells.size(); ++i)
            cells[i] /= static_cast<float>(std::max(1, counts[i]));
    }
    const float mx = *std::max_element(cells.begin(), cells.end());
    const float scale = mx > 0.f ? 1.f / mx : 0.f;
    QImage img(n, n, QImage::Format_RGB32);
    for (int r = 0; r < n; ++r) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(r));
        for (int c = 0; c < n; ++c)
            line[c] = table.at(cells[static_cast<size_t>(r) * n + c] * scale);
    }
    return img;
}

HeadsGrid::HeadsGrid(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("All attention heads"));
    setAccessibleDescription(tr("One small attention map per head, layers down and heads across; switched-off "
                                "heads are crossed out."));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setCursor(Qt::PointingHandCursor);
}

void HeadsGrid::setThumbnails(std::vector<std::vector<QImage>> thumbnails)
{
    thumbs_ = std::move(thumbnails);
    updateGeometry();
    update();
}

void HeadsGrid::clear()
{
    setThumbnails({});
}

void HeadsGrid::setCurrent(int layer, int head)
{
    layer_ = layer;
    head_ = head;
    update();
}

void HeadsGrid::setPresentationMode(bool on)
{
    presentation_ = on;
    updateGeometry();
    update();
}

void HeadsGrid::setAblation(const HeadAblation& ablation)
{
    ablation_ = ablation;
    update();
}

QFont HeadsGrid::labelFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * (presentation_ ? 1.5 : 1.0));
    return f;
}

int HeadsGrid::labelWidth() const
{
    return QFontMetrics(labelFont()).horizontalAdvance(QStringLiteral("Layer 24")) + 10;
}

int HeadsGrid::headerHeight() const
{
    return QFontMetrics(labelFont()).height() + 6;
}

int HeadsGrid::cellSize(int width) const
{
    const int heads = thumbs_.empty() ? 1 : static_cast<int>(thumbs_.front().size());
    const int avail = width - labelWidth() - kCellGap;
    return std::clamp(avail / std::max(1, heads) - kCellGap, 24, 160);
}

QRect HeadsGrid::cellRect(int layer, int head) const
{
    const int cs = cellSize(width());
    return {labelWidth() + kCellGap + head * (cs + kCellGap), headerHeight() + layer * (cs + kCellGap), cs, cs};
}

QRect HeadsGrid::switchRect(int layer, int head) const
{
    const QRect c = cellRect(layer, head);
    const int s = std::clamp(c.width() / 4, 12, 22);
    return {c.right() - s - 1, c.top() + 2, s, s};
}

QRect HeadsGrid::layerLabelRect(int layer) const
{
    const QRect c0 = cellRect(layer, 0);
    return {0, c0.top(), labelWidth() - 2, c0.height()};
}

bool HeadsGrid::cellAt(const QPoint& pos, int* layer, int* head) const
{
    for (int l = 0; l < static_cast<int>(thumbs_.size()); ++l)
        for (int h = 0; h < static_cast<int>(thumbs_[static_cast<size_t>(l)].size()); ++h)
            if (cellRect(l, h).contains(pos)) {
                *layer = l;
                *head = h;
                return true;
            }
    return false;
}

int HeadsGrid::heightForWidth(int width) const
{
    const int cs = cellSize(width);
    return headerHeight() + static_cast<int>(thumbs_.size()) * (cs + kCellGap) + kCellGap;
}

QSize HeadsGrid::sizeHint() const
{
    const int heads = thumbs_.empty() ? 1 : static_cast<int>(thumbs_.front().size());
    const int w = labelWidth() + kCellGap + heads * (72 + kCellGap);
    return {w, heightForWidth(w)};
}

void HeadsGrid::paintSwitch(QPainter& p, const QRect& r, bool off) const
{
    // A power symbol: white on a dark disc while on, white on vermillion once switched off.
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, 1));
    p.setBrush(off ? categoricalColor(5) : QColor(0, 0, 0, 150));
    p.drawEllipse(QRectF(r));
    const QRectF inner = QRectF(r).adjusted(r.width() * 0.28, r.height() * 0.28, -r.width() * 0.28, -r.height() * 0.28);
    p.setPen(QPen(Qt::white, std::max(1.2, r.width() / 9.0), Qt::SolidLine, Qt::RoundCap));
    p.setBrush(Qt::NoBrush);
    p.drawArc(inner, 120 * 16, 300 * 16);
    p.drawLine(QPointF(inner.center().x(), inner.top() - r.height() * 0.08), QPointF(inner.center().x(), inner.center().y()));
    p.restore();
}

void HeadsGrid::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (thumbs_.empty())
        return;
    const QFont f = labelFont();
    p.setFont(f);
    p.setPen(palette().color(QPalette::Text));
    const int heads = static_cast<int>(thumbs_.front().size());
    for (int h = 0; h < heads; ++h) {
        const QRect c = cellRect(0, h);
        p.drawText(QRect(c.left(), 0, c.width(), headerHeight()), Qt::AlignCenter, tr("H%1").arg(h + 1));
    }
    const QColor offColor = categoricalColor(5);
    for (int l = 0; l < static_cast<int>(thumbs_.size()); ++l) {
        const bool layerOff = ablation_.isLayerOff(l);
        QFont lf = f;
        lf.setStrikeOut(layerOff);
        p.setFont(lf);
        p.setPen(layerOff ? offColor : palette().color(QPalette::Text));
        p.drawText(layerLabelRect(l).adjusted(0, 0, -2, 0), Qt::AlignRight | Qt::AlignVCenter, tr("Layer %1").arg(l + 1));
        p.setFont(f);
        for (int h = 0; h < static_cast<int>(thumbs_[static_cast<size_t>(l)].size()); ++h) {
            const QRect c = cellRect(l, h);
            p.drawImage(c, thumbs_[static_cast<size_t>(l)][static_cast<size_t>(h)]);
            const bool off = ablation_.isOff(l, h);
            if (off) {
                // Greyed and crossed: its attention is zero now, and the pattern would mislead.
                p.fillRect(c, QColor(128, 128, 128, 200));
                p.save();
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(QPen(offColor, presentation_ ? 3.0 : 2.0));
                p.drawLine(c.topLeft() + QPoint(3, 3), c.bottomRight() - QPoint(3, 3));
                p.drawLine(c.bottomLeft() + QPoint(3, -3), c.topRight() + QPoint(-3, 3));
                p.restore();
            }
            paintSwitch(p, switchRect(l, h), off);
        }
    }
    if (layer_ >= 0 && head_ >= 0 && layer_ < static_cast<int>(thumbs_.size()) && head_ < heads) {
        p.setRenderHint(QPainter::Antialiasing);
        const double w = presentation_ ? 4.0 : 3.0;
        p.setPen(QPen(categoricalColor(5), w));  // Okabe-Ito vermillion: stands out on viridis
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(cellRect(layer_, head_)).adjusted(-w / 2, -w / 2, w / 2, w / 2));
    }
}

void HeadsGrid::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    int l = 0, h = 0;
    if (cellAt(pos, &l, &h)) {
        if (switchRect(l, h).contains(pos) || (event->modifiers() & Qt::ControlModifier))
            emit headToggled(l, h);
        else
            emit headClicked(l, h);
        return;
    }
    for (int layer = 0; layer < static_cast<int>(thumbs_.size()); ++layer)
        if (layerLabelRect(layer).contains(pos)) {
            emit layerToggled(layer);
            return;
        }
    QWidget::mousePressEvent(event);
}

void HeadsGrid::contextMenuEvent(QContextMenuEvent* event)
{
    int l = 0, h = 0;
    const bool onCell = cellAt(event->pos(), &l, &h);
    if (!onCell) {
        l = -1;
        for (int layer = 0; layer < static_cast<int>(thumbs_.size()); ++layer)
            if (layerLabelRect(layer).contains(event->pos()))
                l = layer;
        if (l < 0)
            return;
    }
    QMenu menu(this);
    if (onCell)
        menu.addAction(ablation_.isOff(l, h) ? tr("Switch L%1 H%2 back on").arg(l + 1).arg(h + 1)
                                             : tr("Switch L%1 H%2 off").arg(l + 1).arg(h + 1),
                       this, [this, l, h] { emit headToggled(l, h); });
    menu.addAction(ablation_.isLayerOff(l) ? tr("Switch layer %1 back on").arg(l + 1)
                                           : tr("Switch every head of layer %1 off").arg(l + 1),
                   this, [this, l] { emit layerToggled(l); });
    menu.exec(event->globalPos());
}

bool HeadsGrid::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    int l = 0, h = 0;
    QString tip;
    if (cellAt(help->pos(), &l, &h)) {
        const bool off = ablation_.isOff(l, h);
        tip = switchRect(l, h).contains(help->pos())
                  ? (off ? tr("Switch L%1 H%2 back on").arg(l + 1).arg(h + 1) : tr("Switch L%1 H%2 off").arg(l + 1).arg(h + 1))
                  : tr("L%1 H%2%3: click to select, Ctrl+click (or its corner switch) to switch it %4")
                        .arg(l + 1).arg(h + 1).arg(off ? tr(" (off)") : QString()).arg(off ? tr("back on") : tr("off"));
    } else {
        for (int layer = 0; layer < static_cast<int>(thumbs_.size()); ++layer)
            if (layerLabelRect(layer).contains(help->pos()))
                tip = ablation_.isLayerOff(layer) ? tr("Click to switch layer %1 back on").arg(layer + 1)
                                                  : tr("Click to switch every head of layer %1 off").arg(layer + 1);
    }
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), tip, this);
    return true;
}

} // namespace bertlab::ui
