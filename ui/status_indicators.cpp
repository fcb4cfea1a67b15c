// Status bar widgets sized once, so a new time or a busy spell never re-lays out the window.
#include "status_indicators.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

namespace bertlab::ui {

StatusIndicators::StatusIndicators(QStatusBar* bar) : QObject(bar)
{
    busy_ = new QProgressBar(bar);
    busy_->setObjectName(QStringLiteral("busyIndicator"));
    busy_->setRange(0, 0);  // indeterminate
    busy_->setMaximumWidth(90);
    busy_->setMaximumHeight(14);
    busy_->setTextVisible(false);
    // It shows and hides around every analysis: keeping its place stops the status bar (and the
    // window around it) from being laid out and repainted each time.
    QSizePolicy keepPlace = busy_->sizePolicy();
    keepPlace.setRetainSizeWhenHidden(true);
    busy_->setSizePolicy(keepPlace);
    busy_->hide();
    elapsed_ = new QLabel(bar);
    elapsed_->setObjectName(QStringLiteral("elapsedLabel"));
    // Room for the longest text it shows, so a new time does not re-lay out the status bar either.
    elapsed_->setMinimumWidth(
        elapsed_->fontMetrics().horizontalAdvance(tr("%1 tokens · %2 ms preview").arg(512).arg(1234)) + 8);
    elapsed_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    model_ = new QLabel(bar);
    bar->addPermanentWidget(busy_);
    bar->addPermanentWidget(elapsed_);
    bar->addPermanentWidget(model_);
    setModelName({});
}

void StatusIndicators::setBusy(bool busy)
{
    busy_->setVisible(busy);
}

void StatusIndicators::showTiming(const Analysis& analysis)
{
    const QString ms = QString::number(analysis.elapsedMs, 'f', analysis.elapsedMs < 10 ? 2 : 0);
    const auto tokens = analysis.encoding.size();
    elapsed_->setText(analysis.preview ? tr("%1 tokens · %2 ms preview").arg(tokens).arg(ms)
                                       : tr("%1 tokens · %2 ms").arg(tokens).arg(ms));
    elapsed_->setToolTip(analysis.preview ? tr("A bfloat16 preview; the exact float32 analysis follows")
                                          : tr("The exact float32 analysis"));
}

void StatusIndicators::setModelName(const QString& name)
{
    model_->setText(name.isEmpty() ? tr("no model") : name);
}

} // namespace bertlab::ui
