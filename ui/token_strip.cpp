// Paints the wordpiece chips in wrapped rows; a chip shows position, wordpiece and id.
#include "token_strip.h"

#include "colormaps.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace bertlab::ui {

namespace {
constexpr int kGap = 4;
constexpr int kPadX = 7;
constexpr int kMargin = 2;

QFont smallFont(const QFont& base)
{
    QFont f = base;
    f.setPointSizeF(std::max(6.0, base.pointSizeF() * 0.78));
    return f;
}
} // namespace

TokenStrip::TokenStrip(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setFocusPolicy(Qt::NoFocus);
}

void TokenStrip::setChips(std::vector<TokenChip> chips)
{
    chips_ = std::move(chips);
    hovered_ = -1;
    rects_ = layoutChips(width());
    updateGeometry();
    update();
}

QSize TokenStrip::chipSize(const TokenChip& chip) const
{
    const QFontMetrics main(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics small(smallFont(font()));
    const int textWidth = std::max({boldMetrics.horizontalAdvance(chip.text),
                                    small.horizontalAdvance(QString::number(chip.id)),
                                    small.horizontalAdvance(QStringLiteral("000"))});
    const int height = small.height() * 2 + main.height() + 8;
    return {textWidth + 2 * kPadX, height};
}

std::vector<QRect> TokenStrip::layoutChips(int width) const
{
    std::vector<QRect> rects;
    rects.reserve(chips_.size());
    int x = kMargin, y = kMargin, rowHeight = 0;
    const int available = std::max(width, 60) - kMargin;
    for (const TokenChip& chip : chips_) {
        const QSize s = chipSize(chip);
        if (x > kMargin && x + s.width() > available) {
            x = kMargin;
            y += rowHeight + kGap;
            rowHeight = 0;
        }
        rects.emplace_back(QPoint(x, y), s);
        x += s.width() + kGap;
        rowHeight = std::max(rowHeight, s.height());
    }
    return rects;
}

int TokenStrip::heightForWidth(int width) const
{
    const std::vector<QRect> rects = layoutChips(width);
    int bottom = 0;
    for (const QRect& r : rects)
        bottom = std::max(bottom, r.bottom() + 1);
    if (rects.empty())
        bottom = chipSize(TokenChip{QStringLiteral("[CLS]"), {}, 0, -1, 0, true, false, false, {}}).height();
    return bottom + kMargin;
}

QSize TokenStrip::sizeHint() const
{
    const int w = std::max(400, width());
    return {w, heightForWidth(w)};
}

QSize TokenStrip::minimumSizeHint() const
{
    return {120, heightForWidth(std::max(120, width()))};
}

QRect TokenStrip::chipRect(int position) const
{
    if (position < 0 || position >= static_cast<int>(rects_.size()))
        return {};
    return rects_[static_cast<size_t>(position)];
}

int TokenStrip::chipAt(const QPoint& p) const
{
    for (size_t i = 0; i < rects_.size(); ++i)
        if (rects_[i].contains(p))
            return static_cast<int>(i);
    return -1;
}

void TokenStrip::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    rects_ = layoutChips(width());
    const int wanted = heightForWidth(width());
    if (wanted != height())
        updateGeometry();
}

void TokenStrip::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        rects_ = layoutChips(width());
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}

void TokenStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    const QFont small = smallFont(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics smallMetrics(small);
    const QFontMetrics mainMetrics(bold);

    if (chips_.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(kMargin, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   tr("Tokens appear here once the model has read the text."));
        return;
    }
    for (size_t i = 0; i < chips_.size() && i < rects_.size(); ++i) {
        const TokenChip& chip = chips_[i];
        const QRectF r = QRectF(rects_[i]).adjusted(0.5, 0.5, -0.5, -0.5);
        const QColor seg = segmentColor(chip.special ? -1 : chip.segment);
        QColor fill = seg;
        fill.setAlphaF(dark ? 0.35f : 0.22f);
        QColor textColor = pal.color(QPalette::WindowText);
        if (chip.masked || chip.typedMask) {
            fill = dark ? QColor(230, 230, 230) : QColor(40, 40, 40);
            textColor = textColorOn(fill);
        }
        p.setPen(QPen(seg.darker(chip.special ? 100 : 115), static_cast<int>(i) == hovered_ ? 2.5 : 1.2));
        p.setBrush(fill);
        p.drawRoundedRect(r, 5, 5);

        const int x = rects_[i].x();
        const int w = rects_[i].width();
        int y = rects_[i].y() + 3;
        p.setFont(small);
        p.setPen(chip.masked || chip.typedMask ? textColor : pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(x, y, w, smallMetrics.height()), Qt::AlignHCenter, QString::number(i));
        y += smallMetrics.height() + 1;
        p.setFont(bold);
        p.setPen(textColor);
        p.drawText(QRect(x, y, w, mainMetrics.height()), Qt::AlignHCenter, chip.text);
        y += mainMetrics.height() + 1;
        p.setFont(small);
        p.setPen(chip.masked || chip.typedMask ? textColor : pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(x, y, w, smallMetrics.height()), Qt::AlignHCenter, QString::number(chip.id));
    }
}

void TokenStrip::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int i = chipAt(event->position().toPoint());
    if (i >= 0 && !chips_[static_cast<size_t>(i)].special)
        emit tokenClicked(i);
}

void TokenStrip::mouseMoveEvent(QMouseEvent* event)
{
    const int i = chipAt(event->position().toPoint());
    if (i != hovered_) {
        hovered_ = i;
        setCursor(i >= 0 && !chips_[static_cast<size_t>(i)].special ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void TokenStrip::leaveEvent(QEvent* event)
{
    hovered_ = -1;
    update();
    QWidget::leaveEvent(event);
}

bool TokenStrip::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = chipAt(help->pos());
        if (i >= 0)
            QToolTip::showText(help->globalPos(), chips_[static_cast<size_t>(i)].toolTip, this,
                               rects_[static_cast<size_t>(i)]);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace bertlab::ui
