// Makes a QCustomPlot repaint with the rest of the window instead of at once on every replot().
#pragma once

#include <qcustomplot.h>

namespace bertlab::ui {

// With QCustomPlot's default phImmediateRefresh, replot() calls QWidget::repaint(), which paints
// and flushes every dirty widget of the window on the spot: a view that replots two plots while
// updating for a keystroke paid for repainting the whole tab twice. Without it, replot() still
// redraws the plot's buffers at once (so grabs and exports see the new picture) and the window
// repaints once, when the event loop gets to it.
inline void useLazyRefresh(QCustomPlot* plot)
{
    plot->setPlottingHint(QCP::phImmediateRefresh, false);
}

} // namespace bertlab::ui
