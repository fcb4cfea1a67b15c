// Paints query→key lines for one attention matrix; only lines crossing the exposed area and above a threshold.
#include "views/attention_lines.h"

#include "colormaps.h"

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace bertlab::ui {

namespace {
constexpr int kMargin = 8;
constexpr int kHeader = 22;
} // namespace

AttentionLines::AttentionLines(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Attention lines"));
    setAccessibleDescription(tr("Query tokens on the left, key tokens on the right, one line per pair with "
                                "opacity equal to the attention weight."));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void AttentionLines::setData(int tokens, QVector<float> weights, QStringList labels, std::vector<int> segments)
{
    tokens_ = weights.size() >= static_cast<qsizetype>(tokens) * tokens ? tokens : 0;
    weights_ = std::move(weights);
    labels_ = std::move(labels);
    segments_ = std::move(segments);
    if (focusLeft_ >= tokens_)
        focusLeft_ = -1;
    if (focusRight_ >= tokens_)
        focusRight_ = -1;
    updateGeometry();
    setMinimumHeight(sizeHint().height());
    update();
}

void AttentionLines::clear()
{
    setData(0, {}, {}, {});
}

void AttentionLines::setPresentationMode(bool on)
{
    presentation_ = on;
    updateGeometry();
    setMinimumHeight(sizeHint().height());
    update();
}

void AttentionLines::setFocusedToken(int leftToken, int rightToken)
{
    focusLeft_ = leftToken < tokens_ ? leftToken : -1;
    focusRight_ = rightToken < tokens_ ? rightToken : -1;
    update();
}

float AttentionLines::threshold() const
{
    // With many tokens most weights are near zero; skipping them keeps 512² pairs cheap
    // and removes nothing a person could see (opacity below ~2%).
    return tokens_ > 48 ? 0.02f : 0.0f;
}

QFont AttentionLines::labelFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * (presentation_ ? 1.5 : 1.0));
    return f;
}

int AttentionLines::rowHeight() const
{
    return QFontMetrics(labelFont()).height() + (presentation_ ? 8 : 4);
}

int AttentionLines::columnWidth() const
{
    // Bold, because the focused token is drawn bold and must not be elided then.
    QFont bold = labelFont();
    bold.setBold(true);
    const QFontMetrics fm(bold);
    int w = std::max(fm.horizontalAdvance(tr("query (from)")), fm.horizontalAdvance(QStringLiteral("[MASK]")));
    for (const QString& l : labels_)
        w = std::max(w, fm.horizontalAdvance(l));
    return std::min(w + 14, 240);
}

int AttentionLines::columnsLeft() const
{
    const int cw = columnWidth();
    return std::max(kMargin, (width() - 2 * cw - gapWidth()) / 2);
}

int AttentionLines::gapWidth() const
{
    // Lines across a very wide gap are nearly flat and hard to follow; bertviz-like proportions read better.
    const int cw = columnWidth();
    return std::clamp(width() - 2 * cw - 2 * kMargin, 100, presentation_ ? 480 : 360);
}

QSize AttentionLines::sizeHint() const
{
    return {2 * columnWidth() + 360 + 2 * kMargin, kHeader + kMargin * 2 + std::max(tokens_, 1) * rowHeight()};
}

QSize AttentionLines::minimumSizeHint() const
{
    return {2 * columnWidth() + 80, sizeHint().height()};
}

int AttentionLines::tokenAt(QPoint pos, bool* left) const
{
    const int rh = rowHeight();
    const int row = (pos.y() - kHeader - kMargin) / rh;
    if (pos.y() < kHeader + kMargin || row < 0 || row >= tokens_)
        return -1;
    const int cw = columnWidth();
    const int lx = columnsLeft(), rx = lx + cw + gapWidth();
    if (pos.x() >= lx && pos.x() < lx + cw) {
        *left = true;
        return row;
    }
    if (pos.x() >= rx && pos.x() < rx + cw) {
        *left = false;
        return row;
    }
    return -1;
}

void AttentionLines::mouseMoveEvent(QMouseEvent* event)
{
    bool left = false;
    const int t = tokenAt(event->position().toPoint(), &left);
    const int l = (t >= 0 && left) ? t : -1;
    const int r = (t >= 0 && !left) ? t : -1;
    if (l != focusLeft_ || r != focusRight_)
        setFocusedToken(l, r);
}

void AttentionLines::leaveEvent(QEvent*)
{
    if (focusLeft_ >= 0 || focusRight_ >= 0)
        setFocusedToken(-1, -1);
}

void AttentionLines::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QRect exposed = event->rect();
    p.fillRect(exposed, palette().color(QPalette::Base));
    lastPainted_ = 0;
    if (tokens_ == 0)
        return;
    p.setRenderHint(QPainter::Antialiasing);

    const QFont f = labelFont();
    const QFontMetrics fm(f);
    const int rh = rowHeight();
    const int cw = columnWidth();
    const int top = kHeader + kMargin;
    const int lx = columnsLeft(), rx = lx + cw + gapWidth();
    const double xLeft = lx + cw + 6;
    const double xRight = rx - 6;
    const auto yOf = [&](int i) { return top + i * rh + rh / 2.0; };
    const QColor ink = palette().color(QPalette::Text);
    const QColor lineBase = categoricalColor(0);  // Okabe-Ito blue reads on white and in greyscale
    const bool focused = focusLeft_ >= 0 || focusRight_ >= 0;

    // Header.
    QFont hf = f;
    hf.setBold(true);
    p.setFont(hf);
    p.setPen(ink);
    p.drawText(QRect(lx, 2, cw, kHeader), Qt::AlignRight | Qt::AlignVCenter, tr("query (from)"));
    p.drawText(QRect(rx, 2, cw, kHeader), Qt::AlignLeft | Qt::AlignVCenter, tr("key (to)"));

    // Lines: only rows whose span meets the exposed band, only weights above the threshold.
    const float thr = threshold();
    const double penWidth = presentation_ ? 3.5 : 2.0;
    const double bandTop = exposed.top() - 1, bandBottom = exposed.bottom() + 1;
    for (int i = 0; i < tokens_; ++i) {
        if (focusLeft_ >= 0 && i != focusLeft_)
            continue;
        const double yi = yOf(i);
        for (int j = 0; j < tokens_; ++j) {
            if (focusRight_ >= 0 && j != focusRight_)
                continue;
            const float w = weights_[static_cast<qsizetype>(i) * tokens_ + j];
            if (w <= thr || w <= 0.0f)
                continue;
            const double yj = yOf(j);
            if (std::max(yi, yj) < bandTop || std::min(yi, yj) > bandBottom)
                continue;
            QColor c = lineBase;
            c.setAlphaF(std::clamp(focused ? std::max(w, 0.08f) : w, 0.0f, 1.0f));
            p.setPen(QPen(c, penWidth, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(xLeft, yi), QPointF(xRight, yj));
            ++lastPainted_;
        }
    }

    // Token labels; under focus, the other column is shaded by how much weight each token gets.
    p.setFont(f);
    const int first = std::max(0, (exposed.top() - top) / rh - 1);
    const int last = std::min(tokens_ - 1, (exposed.bottom() - top) / rh + 1);
    for (int i = first; i <= last; ++i) {
        const int y = top + i * rh;
        const QString label = i < labels_.size() ? labels_[i] : QString::number(i);
        const int seg = i < static_cast<int>(segments_.size()) ? segments_[static_cast<size_t>(i)] : 0;
        const QRect lr(lx, y, cw, rh), rr(rx, y, cw, rh);
        QColor segTint = segmentColor(seg);
        segTint.setAlpha(50);
        p.fillRect(QRect(lx, y + 1, 4, rh - 2), segmentColor(seg));
        p.fillRect(QRect(rx + cw - 4, y + 1, 4, rh - 2), segmentColor(seg));
        if (focusLeft_ >= 0) {
            const float w = weights_[static_cast<qsizetype>(focusLeft_) * tokens_ + i];
            QColor c = lineBase;
            c.setAlphaF(std::clamp(w, 0.0f, 1.0f));
            p.fillRect(rr.adjusted(0, 1, -5, -1), c);
        }
        if (focusRight_ >= 0) {
            const float w = weights_[static_cast<qsizetype>(i) * tokens_ + focusRight_];
            QColor c = lineBase;
            c.setAlphaF(std::clamp(w, 0.0f, 1.0f));
            p.fillRect(lr.adjusted(5, 1, 0, -1), c);
        }
        if (i == focusLeft_)
            p.fillRect(lr.adjusted(5, 1, 0, -1), segTint);
        if (i == focusRight_)
            p.fillRect(rr.adjusted(0, 1, -5, -1), segTint);
        QFont tf = f;
        tf.setBold(i == focusLeft_ || i == focusRight_);
        p.setFont(tf);
        const auto inkOn = [&](bool shaded, float w) {
            // Past ~45% opacity the blue shading is dark enough to need white text.
            return shaded && w > 0.45f ? QColor(Qt::white) : ink;
        };
        const float wl = focusRight_ >= 0 ? weights_[static_cast<qsizetype>(i) * tokens_ + focusRight_] : 0.0f;
        const float wr = focusLeft_ >= 0 ? weights_[static_cast<qsizetype>(focusLeft_) * tokens_ + i] : 0.0f;
        p.setPen(inkOn(focusRight_ >= 0, wl));
        p.drawText(lr.adjusted(8, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(label, Qt::ElideMiddle, cw - 12));
        p.setPen(inkOn(focusLeft_ >= 0, wr));
        p.drawText(rr.adjusted(4, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(label, Qt::ElideMiddle, cw - 12));
    }
}

} // namespace bertlab::ui
