// Shows the Classifier tab exactly while the open model is a fine-tuned classifier (or names one whose head is missing).
#pragma once

#include <QObject>

namespace bertlab::ui {

class ClassifierView;
class ModelLoader;
class ViewSynchroniser;

class ClassifierTab : public QObject {
    Q_OBJECT
public:
    ClassifierTab(const ModelLoader* models, ViewSynchroniser* views, QObject* parent = nullptr);
    ~ClassifierTab() override;

    ClassifierView* view() const { return view_; }
    bool isShown() const { return shown_; }

private:
    void onModelLoaded();

    const ModelLoader* models_;
    ViewSynchroniser* views_;
    ClassifierView* view_;  // owned here while its tab is away, by the tab while shown
    bool shown_ = false;
};

} // namespace bertlab::ui
