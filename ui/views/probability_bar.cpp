// Paints a two-share bar with each share's label inside it when it fits, beside it otherwise.
#include "views/probability_bar.h"

#include "colormaps.h"

#include <QPainter>

#include <algorithm>

namespace bertlab::ui {

ProbabilityBar::ProbabilityBar(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Next-sentence probability"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ProbabilityBar::setShares(double first, const QString& firstLabel, const QString& secondLabel)
{
    first_ = std::clamp(first, 0.0, 1.0);
    firstLabel_ = firstLabel;
    secondLabel_ = secondLabel;
    update();
}

void ProbabilityBar::setPresentationMode(bool on)
{
    presentation_ = on;
    updateGeometry();
    update();
}

QSize ProbabilityBar::sizeHint() const
{
    return {400, QFontMetrics(font()).height() * (presentation_ ? 3 : 2) + 8};
}

QSize ProbabilityBar::minimumSizeHint() const
{
    return {120, sizeHint().height()};
}

void ProbabilityBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * (presentation_ ? 1.5 : 1.0));
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QRectF bar = QRectF(rect()).adjusted(1, 4, -1, -4);
    const double split = bar.left() + bar.width() * first_;
    // Okabe-Ito bluish green and vermillion: distinct under every common colour-vision deficiency, and
    // unlike the segment colours (sky blue / orange) shown just below.
    const QColor a = categoricalColor(2), b = categoricalColor(5);
    p.setPen(Qt::NoPen);
    p.setBrush(a);
    p.drawRect(QRectF(bar.left(), bar.top(), split - bar.left(), bar.height()));
    p.setBrush(b);
    p.drawRect(QRectF(split, bar.top(), bar.right() - split, bar.height()));
    p.setPen(QPen(palette().color(QPalette::WindowText), presentation_ ? 3 : 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar);

    const QRectF left(bar.left() + 6, bar.top(), split - bar.left() - 12, bar.height());
    const QRectF right(split + 6, bar.top(), bar.right() - split - 12, bar.height());
    if (fm.horizontalAdvance(firstLabel_) <= left.width()) {
        p.setPen(textColorOn(a));
        p.drawText(left, Qt::AlignLeft | Qt::AlignVCenter, firstLabel_);
    }
    if (fm.horizontalAdvance(secondLabel_) <= right.width()) {
        p.setPen(textColorOn(b));
        p.drawText(right, Qt::AlignRight | Qt::AlignVCenter, secondLabel_);
    }
}

} // namespace bertlab::ui
