// Carries the input panel's edits to the analysis worker as requests and its analyses to the token strip and views.
#pragma once

#include "analysis.h"

#include <QObject>

namespace bertlab::ui {

class AblationController;
class AnalysisWorker;
class InputPanel;
class ModelLoader;
class ViewSynchroniser;

class AnalysisRouter : public QObject {
    Q_OBJECT
public:
    // Each request carries the ablation's heads; a change to them re-runs the analysis.
    AnalysisRouter(const ModelLoader* models, InputPanel* input, ViewSynchroniser* views,
                   const AblationController* ablation, QObject* parent = nullptr);

    AnalysisWorker* worker() const { return worker_; }
    // Ask for a bfloat16 first delivery where the model has its copies (AnalysisRequest::preview).
    void setFastPreview(bool on) { fastPreview_ = on; }
    bool fastPreview() const { return fastPreview_; }
    // Sends what the input panel holds now (nothing without a model; an empty sentence A clears the views).
    void submit();
    // GUI-thread time the newest analysis took to reach the token strip and the current view.
    double lastViewUpdateMs() const { return lastViewUpdateMs_; }

signals:
    // After the views got it; `guessesOnly`: the same analysis again with its masked-word guesses added.
    void shown(bertlab::ui::AnalysisPtr analysis, bool guessesOnly);
    void cleared();  // sentence A is empty: nothing to analyse
    void failed(const QString& message);

private:
    void onReady(AnalysisPtr analysis);

    const ModelLoader* models_;
    InputPanel* input_;
    ViewSynchroniser* views_;
    const AblationController* ablation_;
    AnalysisWorker* worker_;
    quint64 serial_ = 0;
    bool fastPreview_ = true;
    double lastViewUpdateMs_ = 0.0;
};

} // namespace bertlab::ui
