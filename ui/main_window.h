// The explorer's main window: input panel, view tabs, layer/head toolbar, model card, menus.
#pragma once

#include "analysis.h"
#include "session.h"

#include <QFutureWatcher>
#include <QList>
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QSpinBox;
class QStackedWidget;
class QTabWidget;

namespace bertlab::ui {

class AnalysisView;
class AnalysisWorker;
class InputPanel;
class ModelCard;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads in the background; modelLoaded / modelFailed report the outcome.
    void openModel(const QString& path);
    // Loads and waits (local event loop) for the model and the first analysis; false + *error on failure.
    bool openModelAndWait(const QString& path, int timeoutMs, QString* error);
    std::shared_ptr<const BertModel> model() const { return model_; }
    // Spins the event loop until no load, debounce or analysis is pending; false on timeout.
    bool waitForIdle(int timeoutMs);
    bool isBusy() const;
    bool isLoadingModel() const { return loading_; }
    // GUI-thread time the newest analysis took to reach the token strip and the current view.
    double lastViewUpdateMs() const { return lastViewUpdateMs_; }
    QString modelPath() const { return modelPath_; }

    InputPanel* inputPanel() const { return input_; }
    QTabWidget* tabs() const { return tabs_; }
    ModelCard* modelCard() const { return card_; }
    QList<AnalysisView*> views() const { return views_; }
    AnalysisView* currentView() const;
    AnalysisView* viewByTitle(const QString& title) const;
    AnalysisPtr currentAnalysis() const { return analysis_; }
    QString lastError() const { return lastError_; }
    bool showsEmptyState() const;

    int layer() const { return layer_; }  // 0-based
    int head() const { return head_; }    // 0-based
    void setLayerHead(int layer, int head);
    QSpinBox* layerSpin() const { return layerSpin_; }
    QSpinBox* headSpin() const { return headSpin_; }

    bool presentationMode() const { return presentation_; }
    void setPresentationMode(bool on);
    bool darkMode() const { return dark_; }
    void setDarkMode(bool on);
    // Typing shows a bfloat16 analysis first, then the float32 one (where the CPU has native
    // bfloat16 and the model's copies could be made: see previewAvailable()).
    bool fastPreview() const { return fastPreview_; }
    void setFastPreview(bool on);
    bool previewAvailable() const;
    // Models with less float32 weight get no bfloat16 copies (kFastPreviewMinimumWeightBytes);
    // tests lower it to exercise the preview on small models. Applies to models opened after.
    void setPreviewMinimumWeightBytes(qint64 bytes) { previewMinimumBytes_ = bytes; }
    // false: never open dialogs (tests, screenshots); errors go to the status bar and lastError().
    void setInteractive(bool on) { interactive_ = on; }

    Session session() const;
    bool saveSessionTo(const QString& path, QString* error);
    // Applies a session (loading its model if it differs); completes asynchronously when a load is needed.
    bool openSession(const QString& path, QString* error);
    void applySession(const Session& session);

    bool exportCurrentImage(const QString& path, int dpi, QString* error);
    bool exportCurrentData(const QString& path, QString* error);
    // Renders every tab to dir/<view>.png; *written gets the paths.
    bool renderScreenshots(const QString& dir, QString* error, QStringList* written = nullptr);
    static QString fileNameForView(const QString& title);  // "Next sentence" -> "next-sentence"

signals:
    void modelLoaded();
    void modelFailed(const QString& message);
    void analysisShown(bertlab::ui::AnalysisPtr analysis);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct LoadResult {
        std::shared_ptr<const BertModel> model;
        QString path;
        QString error;
    };

    bool settleForExport(QString* error);  // waits for the exact analysis if a preview is shown
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void buildCentral();
    void buildStatusBar();
    void addView(AnalysisView* view);
    void updateRecentMenu();
    void onModelLoadFinished();
    void onRequestChanged();
    void onAnalysisReady(AnalysisPtr analysis);
    void onAnalysisFailed(quint64 serial, const QString& message);
    void onBusyChanged(bool busy);
    void syncView(AnalysisView* view);
    void syncRanges();
    void stepLayer(int delta);
    void stepHead(int delta);
    void showError(const QString& title, const QString& message);
    void updateTitle();

    // Menu handlers (dialogs).
    void chooseModel();
    void chooseSessionToOpen();
    void chooseSessionToSave();
    void chooseImageExport();
    void chooseDataExport();
    void explainCurrentView();
    void showAbout();

    std::shared_ptr<const BertModel> model_;
    QString modelPath_;  // absolute path the user opened (folder or file)
    AnalysisPtr analysis_;
    AnalysisWorker* worker_ = nullptr;
    QFutureWatcher<LoadResult>* loader_ = nullptr;
    double lastViewUpdateMs_ = 0.0;
    bool loading_ = false;
    QString loadingPath_;
    std::optional<Session> pendingSession_;
    quint64 serial_ = 0;
    int layer_ = 0, head_ = 0;
    bool presentation_ = false;
    bool dark_ = false;
    bool fastPreview_ = true;
    qint64 previewMinimumBytes_ = kFastPreviewMinimumWeightBytes;
    bool interactive_ = true;
    QString lastError_;
    QFont baseFont_;

    QStackedWidget* stack_ = nullptr;
    QWidget* emptyPage_ = nullptr;
    QLabel* emptyMessage_ = nullptr;
    QWidget* explorerPage_ = nullptr;
    InputPanel* input_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QList<AnalysisView*> views_;
    QDockWidget* cardDock_ = nullptr;
    ModelCard* card_ = nullptr;
    QSpinBox* layerSpin_ = nullptr;
    QSpinBox* headSpin_ = nullptr;
    QProgressBar* busyBar_ = nullptr;
    QLabel* elapsedLabel_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QMenu* recentMenu_ = nullptr;

    QAction* openModelAction_ = nullptr;
    QAction* openSessionAction_ = nullptr;
    QAction* saveSessionAction_ = nullptr;
    QAction* exportImageAction_ = nullptr;
    QAction* exportDataAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* presentationAction_ = nullptr;
    QAction* darkAction_ = nullptr;
    QAction* previewAction_ = nullptr;
    QAction* nextLayerAction_ = nullptr;
    QAction* prevLayerAction_ = nullptr;
    QAction* nextHeadAction_ = nullptr;
    QAction* prevHeadAction_ = nullptr;
    QAction* explainAction_ = nullptr;
    QAction* aboutAction_ = nullptr;

    // Which analysis / selection each view has seen, so hidden tabs update lazily when shown.
    struct Shown {
        quint64 serial = 0;
        bool complete = false;  // had its MLM guesses (see AnalysisRequest::deferMlm)
        bool preview = false;   // was the bfloat16 first delivery (see AnalysisRequest::preview)
    };
    QHash<AnalysisView*, Shown> viewShown_;
    QHash<AnalysisView*, QPair<int, int>> viewLayerHead_;
    QHash<AnalysisView*, bool> viewPresentation_;
};

} // namespace bertlab::ui
