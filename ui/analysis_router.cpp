// Builds each request from the input panel and hands each delivery to the token strip, then the view on screen.
#include "analysis_router.h"

#include "ablation_controller.h"
#include "analysis_view.h"
#include "analysis_worker.h"
#include "input_panel.h"
#include "model_loader.h"
#include "view_synchroniser.h"

#include <QElapsedTimer>

namespace bertlab::ui {

AnalysisRouter::AnalysisRouter(const ModelLoader* models, InputPanel* input, ViewSynchroniser* views,
                               const AblationController* ablation, QObject* parent)
    : QObject(parent), models_(models), input_(input), views_(views), ablation_(ablation), worker_(new AnalysisWorker(this))
{
    connect(input_, &InputPanel::requestChanged, this, &AnalysisRouter::submit);
    connect(ablation_, &AblationController::changed, this, &AnalysisRouter::submit);
    connect(worker_, &AnalysisWorker::analysisReady, this, &AnalysisRouter::onReady);
    connect(worker_, &AnalysisWorker::analysisFailed, this, [this](quint64, const QString& message) {
        input_->setError(message);
        emit failed(message);
    });
}

void AnalysisRouter::submit()
{
    const std::shared_ptr<const BertModel> model = models_->model();
    if (!model)
        return;
    AnalysisRequest request;
    request.textA = input_->textA();
    request.textB = input_->textB();
    request.maskedTokens = input_->masks();
    if (ablation_->ablation().layers() == model->config().numHiddenLayers &&
        ablation_->ablation().heads() == model->config().numAttentionHeads)
        request.ablation = ablation_->ablation();
    request.serial = ++serial_;
    // The guesses can wait while no view on screen shows them; the preview needs the model's copies.
    request.deferMlm = views_->currentView() && !views_->currentView()->showsMaskedGuesses();
    request.preview = fastPreview_ && model->hasBfloat16();
    if (request.textA.trimmed().isEmpty()) {
        input_->clear();
        views_->setAnalysis(nullptr);
        emit cleared();
        return;
    }
    worker_->submit(model, std::move(request));
}

void AnalysisRouter::onReady(AnalysisPtr analysis)
{
    if (!analysis || analysis->model != models_->model())
        return;  // from a model that has since been replaced
    QElapsedTimer clock;
    clock.start();
    // A second delivery for the same request (exact after preview, or the MLM guesses added)
    // has the same tokens: the token strip keeps what it shows.
    const AnalysisPtr shown = views_->analysis();
    const bool followUp = shown && shown->followUpPending() && shown->request.serial == analysis->request.serial;
    const bool guessesOnly = followUp && shown->mlmPending && !shown->preview;
    if (!followUp)
        input_->setAnalysis(analysis);
    views_->setAnalysis(analysis);
    lastViewUpdateMs_ = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    emit this->shown(analysis, guessesOnly);
}

} // namespace bertlab::ui
