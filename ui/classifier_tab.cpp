// Adds or removes the Classifier view's tab when a model loads, so models without a classifier keep the usual tabs.
#include "classifier_tab.h"

#include "model_loader.h"
#include "view_synchroniser.h"
#include "views/classifier_view.h"

namespace bertlab::ui {

ClassifierTab::ClassifierTab(const ModelLoader* models, ViewSynchroniser* views, QObject* parent)
    : QObject(parent), models_(models), views_(views), view_(new ClassifierView)
{
    connect(models_, &ModelLoader::loaded, this, &ClassifierTab::onModelLoaded);
}

ClassifierTab::~ClassifierTab()
{
    // While shown, the tab's scroll area owns the view and deletes it with the window.
    if (!shown_)
        delete view_;
}

void ClassifierTab::onModelLoaded()
{
    const auto model = models_->model();
    const bool wanted = model && model->config().classifierTask() != ClassifierTask::None;
    if (wanted == shown_)
        return;
    if (wanted)
        views_->addView(view_);
    else
        views_->removeView(view_);
    shown_ = wanted;
    if (!wanted)
        view_->setAnalysis(nullptr);
}

} // namespace bertlab::ui
