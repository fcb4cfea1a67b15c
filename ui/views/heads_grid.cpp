// Paints every head's thumbnail in one widget (no child widgets), highlighting the selected head.
#include "views/heads_grid.h"

#include "colormaps.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {
constexpr int kGap = 4;
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
    const int avail = width - labelWidth() - kGap;
    return std::clamp(avail / std::max(1, heads) - kGap, 24, 160);
}

QRect HeadsGrid::cellRect(int layer, int head) const
{
    const int cs = cellSize(width());
    return {labelWidth() + kGap + head * (cs + kGap), headerHeight() + layer * (cs + kGap), cs, cs};
}

int HeadsGrid::heightForWidth(int width) const
{
    const int cs = cellSize(width);
    return headerHeight() + static_cast<int>(thumbs_.size()) * (cs + kGap) + kGap;
}

QSize HeadsGrid::sizeHint() const
{
    const int heads = thumbs_.empty() ? 1 : static_cast<int>(thumbs_.front().size());
    const int w = labelWidth() + kGap + heads * (72 + kGap);
    return {w, heightForWidth(w)};
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
    for (int l = 0; l < static_cast<int>(thumbs_.size()); ++l) {
        const QRect c0 = cellRect(l, 0);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, c0.top(), labelWidth() - 4, c0.height()), Qt::AlignRight | Qt::AlignVCenter,
                   tr("Layer %1").arg(l + 1));
        for (int h = 0; h < static_cast<int>(thumbs_[static_cast<size_t>(l)].size()); ++h) {
            const QRect c = cellRect(l, h);
            p.drawImage(c, thumbs_[static_cast<size_t>(l)][static_cast<size_t>(h)]);
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
    const QPoint pos = event->position().toPoint();
    for (int l = 0; l < static_cast<int>(thumbs_.size()); ++l)
        for (int h = 0; h < static_cast<int>(thumbs_[static_cast<size_t>(l)].size()); ++h)
            if (cellRect(l, h).contains(pos)) {
                emit headClicked(l, h);
                return;
            }
    QWidget::mousePressEvent(event);
}

} // namespace bertlab::ui
