// Draws the PCA view's token paths, chosen-layer points and labels in one pass; hit-tests clicks.
#include "token_paths_plottable.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bertlab::ui {

TokenPathsPlottable::TokenPathsPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis)
{
    setSelectable(QCP::stSingleData);
    // The selection itself is not drawn: clicking a token re-selects it through the view instead.
    setSelectionDecorator(nullptr);
}

void TokenPathsPlottable::setTokens(std::vector<Token> tokens, int chosenLayer)
{
    tokens_ = std::move(tokens);
    chosen_ = chosenLayer;
    labels_.assign(tokens_.size(), QStaticText());
    labelsBold_.assign(tokens_.size(), QStaticText());
    if (selected_ >= tokenCount())
        selected_ = -1;
}

void TokenPathsPlottable::setLabelFont(const QFont& font)
{
    if (font == labelFont_)
        return;
    labelFont_ = font;
    labels_.assign(tokens_.size(), QStaticText());
    labelsBold_.assign(tokens_.size(), QStaticText());
}

void TokenPathsPlottable::setSelectedToken(int token)
{
    selected_ = token >= 0 && token < tokenCount() ? token : -1;
}

QPointF TokenPathsPlottable::chosenPixel(int token) const
{
    if (!mKeyAxis || !mValueAxis || token < 0 || token >= tokenCount())
        return {};
    const std::vector<QPointF>& path = tokens_[static_cast<size_t>(token)].path;
    if (chosen_ < 0 || chosen_ >= static_cast<int>(path.size()))
        return {};
    return coordsToPixels(path[static_cast<size_t>(chosen_)].x(), path[static_cast<size_t>(chosen_)].y());
}

double TokenPathsPlottable::distanceTo(const QPointF& pixel, int* token) const
{
    double best = std::numeric_limits<double>::max();
    *token = -1;
    if (!mKeyAxis || !mValueAxis)
        return best;
    for (int i = 0; i < tokenCount(); ++i) {
        const std::vector<QPointF>& path = tokens_[static_cast<size_t>(i)].path;
        if (chosen_ < 0 || chosen_ >= static_cast<int>(path.size()))
            continue;
        const QPointF p = chosenPixel(i);
        const double d = std::hypot(p.x() - pixel.x(), p.y() - pixel.y());
        if (d < best) {
            best = d;
            *token = i;
        }
    }
    return best;
}

int TokenPathsPlottable::tokenAt(const QPointF& pixel) const
{
    int token = -1;
    const double d = distanceTo(pixel, &token);
    return d <= mParentPlot->selectionTolerance() ? token : -1;
}

double TokenPathsPlottable::selectTest(const QPointF& pos, bool onlySelectable, QVariant* details) const
{
    if ((onlySelectable && mSelectable == QCP::stNone) || !mKeyAxis || !mValueAxis)
        return -1;
    if (!mKeyAxis->axisRect()->rect().contains(pos.toPoint()))
        return -1;
    int token = -1;
    const double d = distanceTo(pos, &token);
    if (token < 0 || d > mParentPlot->selectionTolerance())
        return -1;
    if (details)
        details->setValue(QCPDataSelection(QCPDataRange(token, token + 1)));
    return d;
}

QCPRange TokenPathsPlottable::rangeOf(bool& foundRange, QCP::SignDomain inSignDomain, bool values,
                                      const QCPRange& inKeyRange) const
{
    QCPRange range;
    foundRange = false;
    const bool restrictKeys = values && inKeyRange != QCPRange();
    for (const Token& t : tokens_)
        for (const QPointF& p : t.path) {
            const double v = values ? p.y() : p.x();
            if ((inSignDomain == QCP::sdPositive && v <= 0) || (inSignDomain == QCP::sdNegative && v >= 0))
                continue;
            if (restrictKeys && !inKeyRange.contains(p.x()))
                continue;
            if (!foundRange) {
                range = QCPRange(v, v);
                foundRange = true;
            } else {
                range.expand(v);
            }
        }
    return range;
}

QCPRange TokenPathsPlottable::getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain) const
{
    return rangeOf(foundRange, inSignDomain, false, QCPRange());
}

QCPRange TokenPathsPlottable::getValueRange(bool& foundRange, QCP::SignDomain inSignDomain,
                                            const QCPRange& inKeyRange) const
{
    return rangeOf(foundRange, inSignDomain, true, inKeyRange);
}

void TokenPathsPlottable::draw(QCPPainter* painter)
{
    if (!mKeyAxis || !mValueAxis || tokens_.empty())
        return;
    applyDefaultAntialiasingHint(painter);
    // The selected token last, so its path and label sit on top of the others.
    std::vector<int> order;
    for (int i = 0; i < tokenCount(); ++i)
        if (i != selected_)
            order.push_back(i);
    if (selected_ >= 0)
        order.push_back(selected_);

    QFont bold = labelFont_;
    bold.setBold(true);
    for (int i : order) {
        const Token& t = tokens_[static_cast<size_t>(i)];
        const bool selected = i == selected_;
        QPolygonF pixels;
        pixels.reserve(static_cast<qsizetype>(t.path.size()));
        for (const QPointF& p : t.path)
            pixels << coordsToPixels(p.x(), p.y());
        QColor faint = t.color;
        faint.setAlphaF(selected ? 0.9f : 0.35f);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(faint, (selected ? 2.0 : 1.0) * lineScale_));
        painter->drawPolyline(pixels);
        // One call for all of a path's dots: round pen caps draw discs far faster than ellipses.
        QPen dots(faint, 3.0 * lineScale_);
        dots.setCapStyle(Qt::RoundCap);
        painter->setPen(dots);
        painter->drawPoints(pixels);
        if (chosen_ < 0 || chosen_ >= pixels.size())
            continue;
        const QPointF at = pixels[chosen_];
        const double radius = (selected ? 6.0 : 4.0) * lineScale_;
        painter->setPen(QPen(t.color.darker(130), 1.5 * lineScale_));
        painter->setBrush(t.color);
        painter->drawEllipse(at, radius, radius);
        painter->setFont(selected ? bold : labelFont_);
        painter->setPen(labelColor_);
        // Laid out once per text and font, not on every repaint (zooming and dragging repaint a lot).
        QStaticText& label = selected ? labelsBold_[static_cast<size_t>(i)] : labels_[static_cast<size_t>(i)];
        if (label.text().isEmpty() && !t.label.isEmpty()) {
            label.setText(t.label);
            label.setTextFormat(Qt::PlainText);
            label.prepare(QTransform(), selected ? bold : labelFont_);
        }
        const double ascent = QFontMetricsF(selected ? bold : labelFont_).ascent();
        painter->drawStaticText(at + QPointF(radius + 2.0, -2.0 - ascent), label);
    }
}

void TokenPathsPlottable::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const
{
    const QColor color = tokens_.empty() ? QColor(Qt::gray) : tokens_.front().color;
    painter->setPen(QPen(color, 1.5));
    painter->drawLine(QLineF(rect.left(), rect.center().y(), rect.right(), rect.center().y()));
}

} // namespace bertlab::ui
