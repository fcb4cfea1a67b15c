// Paints one row per label: its name, a bar as long as its probability, and the percentage.
#include "views/label_bars.h"

#include "colormaps.h"

#include <QPainter>

#include <algorithm>

namespace bertlab::ui {

LabelBars::LabelBars(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Label probabilities"));
    setAccessibleDescription(tr("One bar per label, its probability, best first."));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LabelBars::setBars(std::vector<LabelBar> bars)
{
    bars_ = std::move(bars);
    updateGeometry();
    update();
}

void LabelBars::setPresentationMode(bool on)
{
    presentation_ = on;
    updateGeometry();
    update();
}

QFont LabelBars::rowFont() const
{
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (presentation_ ? 1.5 : 1.1));
    return f;
}

int LabelBars::rowHeight() const
{
    return QFontMetrics(rowFont()).height() + (presentation_ ? 14 : 10);
}

QSize LabelBars::sizeHint() const
{
    return {500, std::max<int>(1, static_cast<int>(bars_.size())) * rowHeight() + 4};
}

QSize LabelBars::minimumSizeHint() const
{
    return {200, sizeHint().height()};
}

void LabelBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont f = rowFont();
    p.setFont(f);
    const QFontMetrics fm(f);
    int nameWidth = 0;
    for (const LabelBar& b : bars_)
        nameWidth = std::max(nameWidth, fm.horizontalAdvance(b.label));
    nameWidth = std::min(nameWidth + 12, width() / 3);
    const int percentWidth = fm.horizontalAdvance(QStringLiteral("100.0%")) + 12;
    const int barLeft = nameWidth;
    const int barWidth = std::max(10, width() - barLeft - percentWidth);
    const int h = rowHeight();
    const QColor text = palette().color(QPalette::WindowText);
    for (size_t i = 0; i < bars_.size(); ++i) {
        const LabelBar& b = bars_[i];
        const int top = static_cast<int>(i) * h + 2;
        p.setPen(text);
        p.drawText(QRect(0, top, nameWidth - 8, h), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(b.label, Qt::ElideRight, nameWidth - 8));
        const QRectF track(barLeft, top + 3, barWidth, h - 6);
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(track);
        p.setPen(Qt::NoPen);
        p.setBrush(categoricalColor(b.colorIndex));
        p.drawRect(QRectF(track.left(), track.top(), track.width() * std::clamp(b.prob, 0.0, 1.0), track.height()));
        p.setPen(text);
        p.drawText(QRect(barLeft + barWidth + 6, top, percentWidth - 6, h), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1%").arg(100.0 * b.prob, 0, 'f', 1));
    }
}

} // namespace bertlab::ui
