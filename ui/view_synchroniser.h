// Keeps the view tabs in step with the shown analysis, the layer/head selection and presentation mode.
#pragma once

#include "analysis.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>

class QSpinBox;
class QTabWidget;

namespace bertlab::ui {

class AnalysisView;

// Only the view on screen is redrawn; a hidden tab is brought up to date when it is shown, so
// typing stays fast however many views there are. Each view is told only what changed since it
// last drew (analysis, layer/head, presentation).
class ViewSynchroniser : public QObject {
    Q_OBJECT
public:
    // The tabs hold the views; the spin boxes show the selection counted from 1.
    ViewSynchroniser(QTabWidget* tabs, QSpinBox* layerSpin, QSpinBox* headSpin, QObject* parent = nullptr);

    // Adds a tab (in a scroll area) for the view; its layer/head requests change the selection.
    void addView(AnalysisView* view);
    // Takes the view's tab away (views that only some models have); the caller owns the view again.
    void removeView(AnalysisView* view);
    QList<AnalysisView*> views() const { return views_; }
    AnalysisView* currentView() const;
    // By tab title, case-insensitively, or by its file name or name() ("next-sentence"), in any UI language.
    AnalysisView* viewByTitle(const QString& title) const;
    void showView(AnalysisView* view);

    AnalysisPtr analysis() const { return analysis_; }
    void setAnalysis(AnalysisPtr analysis);  // null clears every view
    // Every view redraws in full: the one on screen now, the others when shown (after a palette change).
    void redrawAll();

    // The selection's range: the model's layers and heads (1 x 1 without a model); clamps the selection.
    void setModelShape(int layers, int heads);
    int layer() const { return layer_; }  // 0-based
    int head() const { return head_; }    // 0-based
    void setLayerHead(int layer, int head);  // clamped to the model
    void stepLayer(int delta) { setLayerHead(layer_ + delta, head_); }
    void stepHead(int delta) { setLayerHead(layer_, head_ + delta); }

    bool presentationMode() const { return presentation_; }
    void setPresentationMode(bool on);

    // Brings the view on screen up to date.
    void syncCurrent();
    void sync(AnalysisView* view);

signals:
    void layerHeadChanged(int layer, int head);
    void presentationModeChanged(bool on);
    void viewFailed(const QString& message);  // a view threw while drawing

private:
    // What a view last drew.
    struct Shown {
        quint64 serial = 0;
        bool complete = false;  // had its MLM guesses (see AnalysisRequest::deferMlm)
        bool preview = false;   // was the bfloat16 first delivery (see AnalysisRequest::preview)
    };

    QTabWidget* tabs_;
    QSpinBox* layerSpin_;
    QSpinBox* headSpin_;
    QList<AnalysisView*> views_;
    AnalysisPtr analysis_;
    int layers_ = 1, heads_ = 1;
    int layer_ = 0, head_ = 0;
    bool presentation_ = false;
    QHash<AnalysisView*, Shown> shown_;
    QHash<AnalysisView*, QPair<int, int>> shownLayerHead_;
    QHash<AnalysisView*, bool> shownPresentation_;
};

} // namespace bertlab::ui
