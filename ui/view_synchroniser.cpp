// Tells each view what changed since it last drew, and only once it is on screen.
#include "view_synchroniser.h"

#include "analysis_view.h"
#include "view_file_name.h"

#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTabWidget>

#include <algorithm>
#include <exception>

namespace bertlab::ui {

ViewSynchroniser::ViewSynchroniser(QTabWidget* tabs, QSpinBox* layerSpin, QSpinBox* headSpin, QObject* parent)
    : QObject(parent), tabs_(tabs), layerSpin_(layerSpin), headSpin_(headSpin)
{
    connect(tabs_, &QTabWidget::currentChanged, this, &ViewSynchroniser::syncCurrent);
    connect(layerSpin_, &QSpinBox::valueChanged, this, [this](int v) { setLayerHead(v - 1, head_); });
    connect(headSpin_, &QSpinBox::valueChanged, this, [this](int v) { setLayerHead(layer_, v - 1); });
    setModelShape(1, 1);
}

void ViewSynchroniser::addView(AnalysisView* view)
{
    views_.append(view);
    // A scroll area per tab: a view with a large minimum size scrolls instead of growing the window.
    auto* scroll = new QScrollArea(tabs_);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(view);
    tabs_->addTab(scroll, view->title());
    connect(view, &AnalysisView::layerHeadRequested, this, &ViewSynchroniser::setLayerHead);
}

void ViewSynchroniser::removeView(AnalysisView* view)
{
    const int index = static_cast<int>(views_.indexOf(view));
    if (index < 0)
        return;
    views_.removeAt(index);
    shown_.remove(view);
    shownLayerHead_.remove(view);
    shownPresentation_.remove(view);
    disconnect(view, nullptr, this, nullptr);
    auto* scroll = static_cast<QScrollArea*>(tabs_->widget(index));
    tabs_->removeTab(index);
    scroll->takeWidget();
    view->setParent(nullptr);
    delete scroll;
}

AnalysisView* ViewSynchroniser::currentView() const
{
    return views_.value(tabs_->currentIndex(), nullptr);
}

AnalysisView* ViewSynchroniser::viewByTitle(const QString& title) const
{
    for (AnalysisView* v : views_)
        if (v->title().compare(title, Qt::CaseInsensitive) == 0 || fileNameForView(v->title()) == fileNameForView(title) ||
            v->name() == fileNameForView(title))
            return v;
    return nullptr;
}

void ViewSynchroniser::showView(AnalysisView* view)
{
    if (views_.contains(view))
        tabs_->setCurrentIndex(static_cast<int>(views_.indexOf(view)));
}

void ViewSynchroniser::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (analysis_) {
        syncCurrent();
        return;
    }
    for (AnalysisView* v : views_) {
        v->setAnalysis(nullptr);
        shown_.remove(v);
    }
}

void ViewSynchroniser::redrawAll()
{
    shown_.clear();
    syncCurrent();
}

void ViewSynchroniser::setModelShape(int layers, int heads)
{
    layers_ = std::max(1, layers);
    heads_ = std::max(1, heads);
    layer_ = std::clamp(layer_, 0, layers_ - 1);
    head_ = std::clamp(head_, 0, heads_ - 1);
    const QSignalBlocker b1(layerSpin_), b2(headSpin_);
    layerSpin_->setRange(1, layers_);
    headSpin_->setRange(1, heads_);
    layerSpin_->setValue(layer_ + 1);
    headSpin_->setValue(head_ + 1);
}

void ViewSynchroniser::setLayerHead(int layer, int head)
{
    layer = std::clamp(layer, 0, layers_ - 1);
    head = std::clamp(head, 0, heads_ - 1);
    const bool changed = layer != layer_ || head != head_;
    layer_ = layer;
    head_ = head;
    {
        const QSignalBlocker b1(layerSpin_), b2(headSpin_);
        layerSpin_->setValue(layer_ + 1);
        headSpin_->setValue(head_ + 1);
    }
    if (changed) {
        syncCurrent();
        emit layerHeadChanged(layer_, head_);
    }
}

void ViewSynchroniser::setPresentationMode(bool on)
{
    if (presentation_ == on)
        return;
    presentation_ = on;
    emit presentationModeChanged(on);  // first: the window changes the fonts the views then lay out with
    syncCurrent();
}

void ViewSynchroniser::syncCurrent()
{
    sync(currentView());
}

void ViewSynchroniser::sync(AnalysisView* view)
{
    if (!view)
        return;
    try {
        if (shownPresentation_.value(view, false) != presentation_) {
            view->setPresentationMode(presentation_);
            shownPresentation_[view] = presentation_;
        }
        const quint64 serial = analysis_ ? analysis_->request.serial : 0;
        const bool complete = !analysis_ || !analysis_->mlmPending;
        const bool preview = analysis_ && analysis_->preview;
        const auto seen = shown_.constFind(view);
        bool stale = seen == shown_.constEnd() || seen->serial != serial || seen->preview != preview;
        if (view->showsMaskedGuesses()) {
            // Half an analysis would read as "no masked words"; the guesses follow within
            // milliseconds, so keep the previous picture until they do.
            stale = (stale || !seen->complete) && complete;
        }
        if (stale) {
            view->setAnalysis(analysis_);
            shown_[view] = Shown{serial, complete, preview};
            shownLayerHead_.remove(view);
        }
        const QPair<int, int> lh(layer_, head_);
        if (!shownLayerHead_.contains(view) || shownLayerHead_.value(view) != lh) {
            view->setLayerHead(layer_, head_);
            shownLayerHead_[view] = lh;
        }
    } catch (const std::exception& e) {
        // Views should not throw, but an exception must never cross the event loop.
        emit viewFailed(QString::fromStdString(e.what()));
    }
}

} // namespace bertlab::ui
