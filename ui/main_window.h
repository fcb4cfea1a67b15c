// The explorer's main window: wires the input panel, analysis worker, model loader, view tabs, exports and sessions.
#pragma once

#include "analysis.h"
#include "analysis_router.h"
#include "model_loader.h"
#include "view_synchroniser.h"

#include <QMainWindow>

#include <memory>

class QSpinBox;
class QStackedWidget;
class QTabWidget;

namespace bertlab::ui {

class AblationBanner;
class AblationController;
class EmptyStatePage;
class InputPanel;
class ModelCard;
class RecentModelsMenu;
class SessionController;
class StatusIndicators;
class ViewExporter;
struct ExplorerActions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The parts the window wires together.
    ModelLoader* models() const { return models_; }
    ViewSynchroniser* viewSync() const { return views_; }
    ViewExporter* exporter() const { return exporter_; }
    SessionController* sessions() const { return sessions_; }
    AnalysisRouter* router() const { return router_; }
    AblationController* ablation() const { return ablation_; }
    AblationBanner* ablationBanner() const { return banner_; }
    InputPanel* inputPanel() const { return input_; }
    QTabWidget* tabs() const { return tabs_; }
    ModelCard* modelCard() const { return card_; }
    QSpinBox* layerSpin() const { return layerSpin_; }
    QSpinBox* headSpin() const { return headSpin_; }

    // Loads in the background; modelLoaded / modelFailed report the outcome.
    void openModel(const QString& path);
    // Loads and waits (local event loop) for the model and the first analysis; false + *error on failure.
    bool openModelAndWait(const QString& path, int timeoutMs, QString* error);
    std::shared_ptr<const BertModel> model() const { return models_->model(); }
    QString modelPath() const { return models_->path(); }
    bool isLoadingModel() const { return models_->isLoading(); }
    AnalysisPtr currentAnalysis() const { return views_->analysis(); }
    // Spins the event loop until no load, debounce or analysis is pending; false on timeout.
    bool waitForIdle(int timeoutMs);
    bool isBusy() const;
    // GUI-thread time the newest analysis took to reach the token strip and the current view.
    double lastViewUpdateMs() const { return router_->lastViewUpdateMs(); }
    QString lastError() const { return lastError_; }
    bool showsEmptyState() const;

    bool presentationMode() const { return views_->presentationMode(); }
    void setPresentationMode(bool on) { views_->setPresentationMode(on); }
    bool darkMode() const { return dark_; }
    void setDarkMode(bool on);
    // Typing shows a bfloat16 analysis first, then the float32 one, where the engine made the
    // model's bfloat16 copies (the model card says why it did or did not: ModelLoader::memory()).
    bool fastPreview() const { return router_->fastPreview(); }
    void setFastPreview(bool on);
    bool previewAvailable() const { return model() && model()->hasBfloat16(); }
    // false: never open dialogs (tests, screenshots); errors go to the status bar and lastError().
    void setInteractive(bool on) { interactive_ = on; }

signals:
    void modelLoaded();
    void modelFailed(const QString& message);
    void analysisShown(bertlab::ui::AnalysisPtr analysis);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildCentral();
    void buildToolBar();
    void connectActions();
    void onModelLoaded();
    void onModelFailed(const QString& message);
    void onAnalysisShown(const AnalysisPtr& analysis, bool guessesOnly);
    void applyPresentationFont(bool on);
    void showError(const QString& title, const QString& message);
    void showMessage(const QString& message, int timeoutMs = 0);
    void chooseModel();
    void chooseFromHub();
    void chooseFromHubCache();

    std::unique_ptr<ExplorerActions> actions_;
    ModelLoader* models_ = nullptr;
    AblationController* ablation_ = nullptr;
    AblationBanner* banner_ = nullptr;
    AnalysisRouter* router_ = nullptr;
    ViewSynchroniser* views_ = nullptr;
    ViewExporter* exporter_ = nullptr;
    SessionController* sessions_ = nullptr;
    StatusIndicators* status_ = nullptr;
    RecentModelsMenu* recentMenu_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    EmptyStatePage* emptyPage_ = nullptr;
    QWidget* explorerPage_ = nullptr;
    InputPanel* input_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ModelCard* card_ = nullptr;
    QSpinBox* layerSpin_ = nullptr;
    QSpinBox* headSpin_ = nullptr;

    bool dark_ = false;
    bool interactive_ = true;
    QString lastError_;
    QFont baseFont_;
};

} // namespace bertlab::ui
