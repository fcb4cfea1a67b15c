// Builds plots that look like the pretraining run view's: bold title row, small legend top right, drag and zoom.
#include "finetune/metric_plot.h"

#include "plot/lazy_refresh.h"

#include <qcustomplot.h>

namespace bertlab::ui {

QCustomPlot* makeMetricPlot(const QString& title, const QString& xLabel, const QString& yLabel)
{
    auto* plot = new QCustomPlot;
    plot->setAccessibleName(title);
    useLazyRefresh(plot);
    plot->setMinimumSize(260, 200);
    plot->plotLayout()->insertRow(0);
    QFont bold = plot->font();
    bold.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, bold));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    QFont small = plot->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    plot->legend->setIconSize(18, 8);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    return plot;
}

QCPGraph* addMetricGraph(QCustomPlot* plot, const QString& name, const QColor& color, bool markers)
{
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    g->setPen(QPen(color, markers ? 2.0 : 1.5));
    if (markers)
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 6));
    return g;
}

} // namespace bertlab::ui
