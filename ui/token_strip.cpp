// Paints the wordpiece chips in wrapped rows; a chip shows position, wordpiece and id.
#include "token_strip.h"

#include "colormaps.h"

#include <QAccessible>
#include <QEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cstdlib>

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
    // Tab reaches the strip and the arrows then walk the chips; a click does not take the focus
    // from the sentence being typed.
    setFocusPolicy(Qt::TabFocus);
    setAccessibleName(tr("Tokens"));
    // Assistive tools read this as the strip's help; the description says which token is current.
    setWhatsThis(tr("The wordpieces the model reads. Left and Right move between tokens, Space, Enter "
                    "or M replaces the current token by [MASK] or restores it, Home and End go to the "
                    "first and last token."));
    setAccessibleDescription(whatsThis());
}

void TokenStrip::setChips(std::vector<TokenChip> chips)
{
    chips_ = std::move(chips);
    hovered_ = -1;
    // Masking re-runs the analysis and rebuilds the chips: the keyboard stays on the same position.
    if (current_ >= static_cast<int>(chips_.size()))
        current_ = chips_.empty() ? -1 : static_cast<int>(chips_.size()) - 1;
    rects_ = layoutChips(width());
    updateGeometry();
    update();
    if (hasFocus())
        describeCurrent();
}

void TokenStrip::setCurrentChip(int position)
{
    if (chips_.empty())
        position = -1;
    else
        position = std::clamp(position, 0, static_cast<int>(chips_.size()) - 1);
    if (position == current_)
        return;
    current_ = position;
    update();
    describeCurrent();
}

void TokenStrip::describeCurrent()
{
    if (current_ < 0 || current_ >= static_cast<int>(chips_.size()))
        return;
    const TokenChip& chip = chips_[static_cast<size_t>(current_)];
    QString state;
    if (chip.special)
        state = tr("special token");
    else if (chip.masked)
        state = tr("masked, was %1").arg(chip.original);
    else if (chip.typedMask)
        state = tr("[MASK] typed in the text");
    // A screen reader hears the current chip as the strip's description.
    const int count = static_cast<int>(chips_.size());
    setAccessibleDescription(state.isEmpty()
                                 ? tr("Token %1 of %2: %3").arg(current_).arg(count).arg(chip.text)
                                 : tr("Token %1 of %2: %3 (%4)").arg(current_).arg(count).arg(chip.text, state));
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&event);
    }
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

int TokenStrip::chipInNextRow(int from, int direction) const
{
    if (from < 0 || from >= static_cast<int>(rects_.size()))
        return from;
    const QRect here = rects_[static_cast<size_t>(from)];
    // The nearest row in that direction, then the chip in it whose centre is closest to this one's.
    int rowY = -1;
    for (const QRect& r : rects_) {
        const bool beyond = direction < 0 ? r.y() < here.y() : r.y() > here.y();
        if (beyond && (rowY < 0 || (direction < 0 ? r.y() > rowY : r.y() < rowY)))
            rowY = r.y();
    }
    if (rowY < 0)
        return from;
    int best = from;
    int bestDistance = 0;
    for (size_t i = 0; i < rects_.size(); ++i) {
        if (rects_[i].y() != rowY)
            continue;
        const int distance = std::abs(rects_[i].center().x() - here.center().x());
        if (best == from || distance < bestDistance) {
            best = static_cast<int>(i);
            bestDistance = distance;
        }
    }
    return best;
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
    if (hasFocus() && current_ >= 0 && current_ < static_cast<int>(rects_.size())) {
        // Drawn in the gap around the chip, in the palette's highlight, so masked (dark) chips show it too.
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(pal.color(QPalette::Highlight), 2.0));
        p.drawRoundedRect(QRectF(rects_[static_cast<size_t>(current_)]).adjusted(-1.5, -1.5, 1.5, 1.5), 6, 6);
    }
}

void TokenStrip::keyPressEvent(QKeyEvent* event)
{
    if (chips_.empty() || event->modifiers().testAnyFlags(Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return QWidget::keyPressEvent(event);  // Ctrl+arrows step layers and heads in the window
    const int last = static_cast<int>(chips_.size()) - 1;
    const int here = current_ < 0 ? 0 : current_;
    switch (event->key()) {
    case Qt::Key_Left: setCurrentChip(here - 1); break;
    case Qt::Key_Right: setCurrentChip(current_ < 0 ? 0 : here + 1); break;
    case Qt::Key_Up: setCurrentChip(chipInNextRow(here, -1)); break;
    case Qt::Key_Down: setCurrentChip(chipInNextRow(here, +1)); break;
    case Qt::Key_Home: setCurrentChip(0); break;
    case Qt::Key_End: setCurrentChip(last); break;
    case Qt::Key_Space:
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_M:
        setCurrentChip(here);
        if (!chips_[static_cast<size_t>(current_)].special)
            emit tokenClicked(current_);  // the same signal as a click: one path masks
        break;
    default: return QWidget::keyPressEvent(event);
    }
    event->accept();
}

void TokenStrip::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    if (current_ < 0 && !chips_.empty()) {
        // Start on the first real word: [CLS] cannot be masked.
        const auto first = std::find_if(chips_.begin(), chips_.end(), [](const TokenChip& c) { return !c.special; });
        current_ = first == chips_.end() ? 0 : static_cast<int>(first - chips_.begin());
    }
    describeCurrent();
    update();
}

void TokenStrip::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    update();
}

void TokenStrip::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int i = chipAt(event->position().toPoint());
    if (i >= 0)
        setCurrentChip(i);  // the keyboard goes on from the clicked chip
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
