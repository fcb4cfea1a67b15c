// A titled QCustomPlot in the training views' style, for fine-tuning curves and probe results.
#pragma once

#include <QColor>
#include <QString>

class QCustomPlot;
class QCPGraph;

namespace bertlab::ui {

QCustomPlot* makeMetricPlot(const QString& title, const QString& xLabel, const QString& yLabel);
// A line with markers (for few points, e.g. one per epoch or layer) or a plain line (many steps).
QCPGraph* addMetricGraph(QCustomPlot* plot, const QString& name, const QColor& color, bool markers);

} // namespace bertlab::ui
