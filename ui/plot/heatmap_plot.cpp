// Draws a labelled matrix as one QCPColorMap image; tick labels thin out so they never overlap.
#include "plot/heatmap_plot.h"

#include "colormaps.h"
#include "plot/lazy_refresh.h"

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

QString labelAt(const QStringList& labels, int i)
{
    return i < labels.size() ? labels[i] : QString::number(i);
}

// Every `step`-th label, chosen so labels of height `pixelsPerLabel` fit in `length` pixels.
QSharedPointer<QCPAxisTickerText> thinnedTicker(const QStringList& labels, int count, int length, int pixelsPerLabel)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    if (count <= 0)
        return ticker;
    const int room = std::max(1, length / std::max(1, pixelsPerLabel));
    const int step = std::max(1, static_cast<int>(std::ceil(static_cast<double>(count) / room)));
    for (int i = 0; i < count; i += step)
        ticker->addTick(i, labelAt(labels, i));
    return ticker;
}

} // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent) : QCustomPlot(parent)
{
    setAccessibleName(tr("Heatmap"));
    setNoAntialiasingOnDrag(true);
    useLazyRefresh(this);
    scale_ = new QCPColorScale(this);
    plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->setBarWidth(12);
    auto* group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    map_ = new QCPColorMap(xAxis, yAxis);
    map_->setColorScale(scale_);
    map_->setInterpolate(false);
    map_->setTightBoundary(false);
    setColorMap(ColorMap::viridis());

    yAxis->setRangeReversed(true);  // row 0 at the top, like a printed matrix
    for (QCPAxis* axis : {xAxis, yAxis, yAxis2}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
        axis->setBasePen(Qt::NoPen);
    }
    xAxis->setTickLabelRotation(-90);
    yAxis2->setRangeReversed(true);
    connect(yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), yAxis2, qOverload<const QCPRange&>(&QCPAxis::setRange));
    applyFonts();
    clearMatrix();
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        int row = 0, col = 0;
        if (event->button() == Qt::LeftButton && cellAt(event->position().toPoint(), &row, &col))
            emit cellClicked(row, col);
    });
}

bool HeatmapPlot::cellAt(const QPoint& pos, int* row, int* col) const
{
    if (rows_ <= 0 || cols_ <= 0 || !axisRect()->rect().contains(pos))
        return false;
    const int c = static_cast<int>(std::lround(xAxis->pixelToCoord(pos.x())));
    const int r = static_cast<int>(std::lround(yAxis->pixelToCoord(pos.y())));
    if (r < 0 || r >= rows_ || c < 0 || c >= cols_)
        return false;
    *row = r;
    *col = c;
    return true;
}

QPoint HeatmapPlot::cellCenter(int row, int col) const
{
    return {static_cast<int>(std::lround(xAxis->coordToPixel(col))), static_cast<int>(std::lround(yAxis->coordToPixel(row)))};
}

void HeatmapPlot::setColorMap(const ColorMap& map)
{
    QCPColorGradient g = map.toQcpGradient();
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(QColor(0xd9, 0xd9, 0xd9));
    map_->setGradient(g);
    scale_->setGradient(g);
}

void HeatmapPlot::setAxisTitles(const QString& rowTitle, const QString& colTitle, const QString& scaleTitle)
{
    yAxis->setLabel(rowTitle);
    xAxis->setLabel(colTitle);
    scale_->axis()->setLabel(scaleTitle);
}

void HeatmapPlot::clearMatrix()
{
    rows_ = cols_ = 0;
    values_.clear();
    rowLabels_.clear();
    colLabels_.clear();
    rightLabels_.clear();
    cellTexts_.clear();
    map_->data()->clear();
    map_->setVisible(false);
    scale_->setVisible(false);
    rebuildCellTexts();
    rebuildTicks();
    replot();
}

void HeatmapPlot::setMatrix(int rows, int cols, const QVector<double>& values, const QStringList& rowLabels,
                            const QStringList& colLabels)
{
    if (rows <= 0 || cols <= 0 || values.size() < static_cast<qsizetype>(rows) * cols) {
        clearMatrix();
        return;
    }
    rows_ = rows;
    cols_ = cols;
    values_ = values;
    rowLabels_ = rowLabels;
    colLabels_ = colLabels;
    cellTexts_.clear();
    rightLabels_.clear();

    auto* data = map_->data();
    data->setSize(cols, rows);
    data->setRange(QCPRange(0, std::max(cols - 1, 0)), QCPRange(0, std::max(rows - 1, 0)));
    double mn = std::numeric_limits<double>::infinity(), mx = -mn;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const double v = values[static_cast<qsizetype>(r) * cols + c];
            data->setCell(c, r, v);
            if (std::isfinite(v)) {
                mn = std::min(mn, v);
                mx = std::max(mx, v);
            }
        }
    }
    if (!std::isfinite(mn)) {
        mn = 0;
        mx = 1;
    }
    if (lo_ < hi_)
        map_->setDataRange(QCPRange(lo_, hi_));
    else
        map_->setDataRange(QCPRange(mn, mx > mn ? mx : mn + 1e-9));
    map_->setVisible(true);
    scale_->setVisible(true);
    xAxis->setRange(-0.5, cols - 0.5);
    yAxis->setRange(-0.5, rows - 0.5);
    rebuildCellTexts();
    rebuildTicks();
    replot();
}

void HeatmapPlot::setValueRange(double lo, double hi)
{
    lo_ = lo;
    hi_ = hi;
    if (rows_ > 0 && lo_ < hi_) {
        map_->setDataRange(QCPRange(lo_, hi_));
        rebuildCellTexts();
        replot();
    }
}

double HeatmapPlot::cellValue(int row, int col) const
{
    if (row < 0 || col < 0 || row >= rows_ || col >= cols_)
        return std::nan("");
    return values_[static_cast<qsizetype>(row) * cols_ + col];
}

void HeatmapPlot::setCellTexts(const QStringList& texts)
{
    cellTexts_ = texts;
    rebuildCellTexts();
    replot();
}

void HeatmapPlot::setRightLabels(const QStringList& labels)
{
    rightLabels_ = labels;
    yAxis2->setVisible(!labels.isEmpty());
    rebuildTicks();
    replot();
}

void HeatmapPlot::rebuildCellTexts()
{
    for (QCPItemText* item : textItems_)
        removeItem(item);
    textItems_.clear();
    if (cellTexts_.isEmpty() || rows_ * cols_ > 600)
        return;
    QCPColorGradient g = map_->gradient();  // color() updates a cache, so not const
    const QCPRange range = map_->dataRange();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * (presentation_ ? 1.3 : 0.85));
    for (int r = 0; r < rows_; ++r) {
        for (int c = 0; c < cols_; ++c) {
            const qsizetype i = static_cast<qsizetype>(r) * cols_ + c;
            if (i >= cellTexts_.size() || cellTexts_[i].isEmpty())
                continue;
            const double v = values_[i];
            QRgb rgb = qRgb(0xd9, 0xd9, 0xd9);
            if (std::isfinite(v)) {
                const double t = range.size() > 0 ? (v - range.lower) / range.size() : 0.5;
                rgb = g.color(std::clamp(t, 0.0, 1.0), QCPRange(0, 1));
            }
            auto* item = new QCPItemText(this);
            item->setClipToAxisRect(true);
            item->position->setType(QCPItemPosition::ptPlotCoords);
            item->position->setCoords(c, r);
            item->setPositionAlignment(Qt::AlignCenter);
            item->setText(cellTexts_[i]);
            item->setFont(f);
            item->setColor(textColorOn(QColor(rgb)));
            textItems_.push_back(item);
        }
    }
}

void HeatmapPlot::rebuildTicks()
{
    const QFontMetrics fm(xAxis->tickLabelFont());
    const int perLabel = fm.height() + 1;
    // Before the first layout the axis rect has no size; fall back to the widget's.
    const int w = axisRect()->width() > 10 ? axisRect()->width() : std::max(100, width() - 200);
    const int h = axisRect()->height() > 10 ? axisRect()->height() : std::max(100, height() - 150);
    xAxis->setTicker(thinnedTicker(colLabels_, cols_, w, perLabel));
    yAxis->setTicker(thinnedTicker(rowLabels_, rows_, h, perLabel));
    yAxis2->setTicker(thinnedTicker(rightLabels_, rightLabels_.isEmpty() ? 0 : rows_, h, perLabel));
    yAxis2->setTickLabels(!rightLabels_.isEmpty());
}

void HeatmapPlot::applyFonts()
{
    QFont tick = font();
    QFont label = font();
    tick.setPointSizeF(font().pointSizeF() * (presentation_ ? 1.5 : 1.0));
    label.setPointSizeF(font().pointSizeF() * (presentation_ ? 1.6 : 1.05));
    label.setBold(true);
    for (QCPAxis* axis : {xAxis, yAxis, yAxis2, scale_->axis()}) {
        axis->setTickLabelFont(tick);
        axis->setLabelFont(label);
    }
    scale_->setBarWidth(presentation_ ? 20 : 12);
}

void HeatmapPlot::setPresentationMode(bool on)
{
    presentation_ = on;
    applyFonts();
    rebuildCellTexts();
    rebuildTicks();
    replot();
}

void HeatmapPlot::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    // The axis rect only has its new size after a layout pass; replot once, retick, replot.
    rebuildTicks();
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace bertlab::ui
