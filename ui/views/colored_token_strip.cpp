// Paints token chips that wrap to the widget width, so a 512-token sentence stays one cheap widget.
#include "views/colored_token_strip.h"

#include "colormaps.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace bertlab::ui {

namespace {
constexpr int kGap = 4;
constexpr int kPadX = 6;
constexpr int kPadY = 3;
} // namespace

ColoredTokenStrip::ColoredTokenStrip(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Coloured tokens"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ColoredTokenStrip::setChips(std::vector<ColoredChip> chips)
{
    chips_ = std::move(chips);
    updateGeometry();
    update();
}

void ColoredTokenStrip::setPresentationMode(bool on)
{
    presentation_ = on;
    updateGeometry();
    update();
}

QFont ColoredTokenStrip::chipFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * (presentation_ ? 1.5 : 1.0));
    return f;
}

QFont ColoredTokenStrip::subFont() const
{
    QFont f = chipFont();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    return f;
}

std::vector<QRect> ColoredTokenStrip::layoutChips(int width) const
{
    const QFontMetrics fm(chipFont());
    const QFontMetrics sm(subFont());
    const bool twoLines = std::any_of(chips_.begin(), chips_.end(), [](const ColoredChip& c) { return !c.subText.isEmpty(); });
    const int chipHeight = fm.height() + 2 * kPadY + (twoLines ? sm.height() + 1 : 0);
    std::vector<QRect> rects;
    rects.reserve(chips_.size());
    int x = kGap, y = kGap;
    for (const auto& chip : chips_) {
        const int w = std::max(fm.horizontalAdvance(chip.text), sm.horizontalAdvance(chip.subText)) + 2 * kPadX;
        if (x > kGap && x + w > width - kGap) {
            x = kGap;
            y += chipHeight + kGap;
        }
        rects.emplace_back(x, y, w, chipHeight);
        x += w + kGap;
    }
    return rects;
}

int ColoredTokenStrip::heightForWidth(int width) const
{
    if (chips_.empty())
        return QFontMetrics(chipFont()).height() + 2 * (kPadY + kGap);
    const auto rects = layoutChips(width);
    return rects.back().bottom() + 1 + kGap;
}

QSize ColoredTokenStrip::sizeHint() const
{
    const int w = std::max(width(), 400);
    return {w, heightForWidth(w)};
}

QSize ColoredTokenStrip::minimumSizeHint() const
{
    return {100, heightForWidth(std::max(width(), 100))};
}

void ColoredTokenStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto rects = layoutChips(width());
    const QFont f = chipFont(), sf = subFont();
    const QFontMetrics fm(f);
    for (size_t i = 0; i < chips_.size(); ++i) {
        const auto& chip = chips_[i];
        const QRect r = rects[i];
        p.setPen(QPen(chip.emphasized ? palette().color(QPalette::WindowText) : chip.background.darker(130),
                      chip.emphasized ? (presentation_ ? 3.0 : 2.0) : 1.0));
        p.setBrush(chip.background);
        p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        const QColor ink = textColorOn(chip.background);
        p.setPen(ink);
        p.setFont(f);
        if (chip.subText.trimmed().isEmpty()) {
            // A one-line chip among two-line ones: centre it rather than leave a gap under it.
            p.drawText(r, Qt::AlignCenter, chip.text);
            continue;
        }
        const QRect top(r.left(), r.top() + kPadY, r.width(), fm.height());
        p.drawText(top, Qt::AlignHCenter | Qt::AlignVCenter, chip.text);
        {
            p.setFont(sf);
            const QRect bottom(r.left(), top.bottom() + 1, r.width(), r.bottom() - top.bottom() - kPadY);
            p.drawText(bottom, Qt::AlignHCenter | Qt::AlignVCenter, chip.subText);
        }
    }
}

bool ColoredTokenStrip::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto rects = layoutChips(width());
        for (size_t i = 0; i < rects.size(); ++i) {
            if (rects[i].contains(help->pos()) && !chips_[i].toolTip.isEmpty()) {
                QToolTip::showText(help->globalPos(), chips_[i].toolTip, this, rects[i]);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace bertlab::ui
