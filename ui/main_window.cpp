// Builds the explorer window and wires its parts: input, worker, model loader, view sync, exports, sessions.
#include "main_window.h"

#include "ablation_banner.h"
#include "ablation_controller.h"
#include "analysis_router.h"
#include "analysis_view.h"
#include "analysis_worker.h"
#include "app_settings.h"
#include "classifier_tab.h"
#include "dark_palette.h"
#include "empty_state_page.h"
#include "explorer_actions.h"
#include "finetune/finetune_controller.h"
#include "help_dialogs.h"
#include "hub_cache_dialog.h"
#include "hub_download_dialog.h"
#include "input_panel.h"
#include "language_menu.h"
#include "model_card.h"
#include "open_model_dialog.h"
#include "recent_models_menu.h"
#include "session_controller.h"
#include "status_indicators.h"
#include "training/training_controller.h"
#include "training/training_run.h"  // the controller header holds a QPointer<TrainingRun>
#include "view_exporter.h"
#include "views/attention_view.h"
#include "views/attribution_view.h"
#include "views/embeddings_view.h"
#include "views/importance_view.h"
#include "views/mlm_view.h"
#include "views/nsp_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace bertlab::ui {

namespace {

constexpr double kPresentationScale = 1.45;

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("bertlabMainWindow"));
    setAcceptDrops(true);
    baseFont_ = QApplication::font();
    actions_ = std::make_unique<ExplorerActions>(this);
    models_ = new ModelLoader(this);
    ablation_ = new AblationController(this);
    buildCentral();
    buildToolBar();
    views_ = new ViewSynchroniser(tabs_, layerSpin_, headSpin_, this);
    router_ = new AnalysisRouter(models_, input_, views_, ablation_, this);
    auto* attribution = new AttributionView;
    auto* importance = new ImportanceView;
    for (AnalysisView* view : QList<AnalysisView*>{new EmbeddingsView, new AttentionView, new MlmView, new NspView,
                                                   attribution, importance}) {
        views_->addView(view);
        connect(view, &AnalysisView::maskToggleRequested, input_, &InputPanel::toggleMask);
        connect(view, &AnalysisView::headAblationToggleRequested, ablation_, &AblationController::toggleHead);
        connect(view, &AnalysisView::layerAblationToggleRequested, ablation_, &AblationController::toggleLayer);
        // A clicked guess becomes the target of both causal views; the attribution comes on screen.
        connect(view, &AnalysisView::attributionRequested, this, [this, attribution, importance](const QString& spec) {
            try {
                const AttributionTarget target = AttributionTarget::parse(spec.toStdString());
                attribution->setTarget(target);
                importance->setTarget(target);
                views_->showView(attribution);
            } catch (const std::exception& e) {
                showMessage(QString::fromStdString(e.what()), 5000);
            }
        });
    }
    exporter_ = new ViewExporter(this, views_, [this](int ms) { return waitForIdle(ms); }, this);
    sessions_ = new SessionController(this, models_, input_, views_, ablation_, this);
    recentMenu_ = new RecentModelsMenu(tr("Open &Recent Model"), this);
    auto* cardDock = new QDockWidget(tr("Model"), this);
    cardDock->setObjectName(QStringLiteral("modelCardDock"));
    cardDock->setWidget(card_);
    cardDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, cardDock);
    resizeDocks({cardDock}, {260}, Qt::Horizontal);
    actions_->addMenus(menuBar(), recentMenu_, cardDock->toggleViewAction(), new LanguageMenu(this));
    status_ = new StatusIndicators(statusBar());
    showMessage(tr("Open a model to begin."));
    connectActions();
    setWindowTitle(tr("bertlab"));
    resize(1400, 900);
    new TrainingController(this);  // Training menu and run dock (issue 6); owned by this window
    new ClassifierTab(models_, views_, this);  // the Classifier tab of fine-tuned models (issue 14)
    new FinetuneController(this);              // Training ▸ Fine-tune… / Probe Layers… (issue 14)
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentral()
{
    stack_ = new QStackedWidget(this);
    emptyPage_ = new EmptyStatePage(stack_);
    stack_->addWidget(emptyPage_);
    explorerPage_ = new QWidget(stack_);
    input_ = new InputPanel(explorerPage_);
    tabs_ = new QTabWidget(explorerPage_);
    tabs_->setObjectName(QStringLiteral("viewTabs"));
    tabs_->setDocumentMode(true);
    auto* layout = new QVBoxLayout(explorerPage_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    banner_ = new AblationBanner(explorerPage_);
    layout->addWidget(input_);
    layout->addWidget(banner_);
    layout->addWidget(tabs_, 1);
    stack_->addWidget(explorerPage_);
    setCentralWidget(stack_);
    card_ = new ModelCard(this);
}

void MainWindow::buildToolBar()
{
    QToolBar* bar = addToolBar(tr("Selection"));
    bar->setObjectName(QStringLiteral("selectionToolBar"));
    bar->setMovable(false);
    bar->addAction(actions_->openModel);
    bar->addSeparator();
    layerSpin_ = new QSpinBox(bar);
    layerSpin_->setObjectName(QStringLiteral("layerSpin"));
    layerSpin_->setPrefix(tr("Layer "));
    layerSpin_->setToolTip(tr("Encoder layer, counted from 1 (Ctrl+Up / Ctrl+Down, or ] and [)"));
    headSpin_ = new QSpinBox(bar);
    headSpin_->setObjectName(QStringLiteral("headSpin"));
    headSpin_->setPrefix(tr("Head "));
    headSpin_->setToolTip(tr("Attention head, counted from 1 (Ctrl+Right / Ctrl+Left, or . and ,)"));
    bar->addWidget(layerSpin_);
    bar->addWidget(headSpin_);
    bar->addSeparator();
    bar->addAction(actions_->presentation);
    bar->addAction(actions_->explain);
}

void MainWindow::connectActions()
{
    const ExplorerActions& a = *actions_;
    connect(a.openModel, &QAction::triggered, this, &MainWindow::chooseModel);
    connect(a.openFromHub, &QAction::triggered, this, &MainWindow::chooseFromHub);
    connect(a.openFromHubCache, &QAction::triggered, this, &MainWindow::chooseFromHubCache);
    connect(emptyPage_, &EmptyStatePage::openRequested, this, &MainWindow::chooseModel);
    connect(recentMenu_, &RecentModelsMenu::openRequested, this, &MainWindow::openModel);
    connect(a.openSession, &QAction::triggered, sessions_, &SessionController::chooseToOpen);
    connect(a.saveSession, &QAction::triggered, sessions_, &SessionController::chooseToSave);
    connect(a.exportImage, &QAction::triggered, exporter_, &ViewExporter::chooseImageExport);
    connect(a.exportData, &QAction::triggered, exporter_, &ViewExporter::chooseDataExport);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
    connect(a.presentation, &QAction::toggled, views_, &ViewSynchroniser::setPresentationMode);
    connect(a.dark, &QAction::toggled, this, &MainWindow::setDarkMode);
    a.preview->setChecked(router_->fastPreview());
    connect(a.preview, &QAction::toggled, this, &MainWindow::setFastPreview);
    connect(a.nextLayer, &QAction::triggered, views_, [this] { views_->stepLayer(+1); });
    connect(a.prevLayer, &QAction::triggered, views_, [this] { views_->stepLayer(-1); });
    connect(a.nextHead, &QAction::triggered, views_, [this] { views_->stepHead(+1); });
    connect(a.prevHead, &QAction::triggered, views_, [this] { views_->stepHead(-1); });
    connect(a.toggleHead, &QAction::triggered, ablation_, [this] { ablation_->toggleHead(views_->layer(), views_->head()); });
    connect(a.toggleLayer, &QAction::triggered, ablation_, [this] { ablation_->toggleLayer(views_->layer()); });
    connect(a.resetAblation, &QAction::triggered, ablation_, &AblationController::reset);
    connect(banner_, &AblationBanner::resetRequested, ablation_, &AblationController::reset);
    connect(banner_, &AblationBanner::explainRequested, this, [this] { showAblationExplanation(this); });
    connect(ablation_, &AblationController::changed, banner_, &AblationBanner::setAblation);
    connect(ablation_, &AblationController::changed, this, [this](const HeadAblation& a) {
        const QString what = AblationController::describe(a);
        showMessage(what.isEmpty() ? tr("Every head is on") : tr("Switched off: %1").arg(what), 4000);
    });
    connect(a.explain, &QAction::triggered, this, [this] { showViewExplanation(this, views_->currentView()); });
    connect(a.about, &QAction::triggered, this, [this] { showAboutBertlab(this); });

    connect(models_, &ModelLoader::loaded, this, &MainWindow::onModelLoaded);
    connect(models_, &ModelLoader::failed, this, &MainWindow::onModelFailed);
    connect(router_, &AnalysisRouter::shown, this, &MainWindow::onAnalysisShown);
    connect(router_, &AnalysisRouter::cleared, this, [this] { showMessage(tr("Type a sentence in Sentence A.")); });
    connect(router_, &AnalysisRouter::failed, this, [this](const QString& message) {
        lastError_ = message;
        showMessage(message, 8000);
    });
    connect(router_->worker(), &AnalysisWorker::busyChanged, this,
            [this](bool busy) { status_->setBusy(busy || isLoadingModel()); });
    connect(views_, &ViewSynchroniser::presentationModeChanged, this, &MainWindow::applyPresentationFont);
    connect(views_, &ViewSynchroniser::layerHeadChanged, this,
            [this](int layer, int head) { showMessage(tr("Layer %1, head %2").arg(layer + 1).arg(head + 1), 2000); });
    connect(views_, &ViewSynchroniser::viewFailed, this, [this](const QString& m) { showError(tr("View error"), m); });
    connect(exporter_, &ViewExporter::failed, this, &MainWindow::showError);
    connect(sessions_, &SessionController::failed, this, &MainWindow::showError);
    connect(exporter_, &ViewExporter::exported, this,
            [this](const QString& path) { showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000); });
    connect(sessions_, &SessionController::saved, this,
            [this](const QString& path) { showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000); });
    connect(sessions_, &SessionController::modelRequested, this, &MainWindow::openModel);
}

// ---------------------------------------------------------------------------------------------
// Model loading

void MainWindow::openModel(const QString& path)
{
    if (path.isEmpty())
        return;
    if (!models_->load(path)) {
        showMessage(tr("Still loading %1…").arg(models_->loadingPath()));
        return;
    }
    status_->setBusy(true);
    showMessage(tr("Loading %1…").arg(QDir::toNativeSeparators(models_->loadingPath())));
}

void MainWindow::onModelFailed(const QString& message)
{
    status_->setBusy(router_->worker()->isBusy());
    showError(tr("Could not open the model"), message);
    emit modelFailed(lastError_);
}

void MainWindow::onModelLoaded()
{
    status_->setBusy(router_->worker()->isBusy());
    const std::shared_ptr<const BertModel> model = models_->model();
    AppSettings().addRecentModel(models_->path());
    recentMenu_->refresh();
    card_->setModel(model, models_->memory());
    views_->setModelShape(model->config().numHiddenLayers, model->config().numAttentionHeads);
    {
        // A new model starts with every head on; the analysis below runs once, not twice.
        const QSignalBlocker block(ablation_);
        ablation_->setModelShape(model->config().numHiddenLayers, model->config().numAttentionHeads);
    }
    banner_->setAblation(ablation_->ablation());
    // The engine decided about the bfloat16 copies when it loaded the model; its reason says why.
    const QString why = ModelCard::previewReason(models_->memory().preview);
    actions_->preview->setEnabled(model->hasBfloat16());
    actions_->preview->setToolTip(model->hasBfloat16() ? tr("Show a bfloat16 analysis at once, then the exact float32 one")
                                                       : tr("Off for this model: %1").arg(why));
    views_->setAnalysis(nullptr);
    input_->clear();
    stack_->setCurrentWidget(explorerPage_);
    const QString name = ModelCard::displayName(*model);
    setWindowTitle(tr("%1 — bertlab").arg(name));
    status_->setModelName(name);
    showMessage(tr("Loaded %1 (%2 parameters)").arg(name, ModelCard::formatCount(model->info().parameterCount)), 5000);
    emit modelLoaded();
    if (sessions_->applyPending())
        return;
    if (input_->textA().trimmed().isEmpty() && input_->textB().trimmed().isEmpty())
        input_->setTexts(QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought a gallon of milk ."));
    else
        router_->submit();
}

void MainWindow::onAnalysisShown(const AnalysisPtr& analysis, bool guessesOnly)
{
    if (!guessesOnly) {
        // The time the user waited for the views; guesses that follow change nothing else on screen.
        status_->showTiming(*analysis);
        lastError_.clear();
        statusBar()->clearMessage();
    }
    emit analysisShown(analysis);
}

bool MainWindow::openModelAndWait(const QString& path, int timeoutMs, QString* error)
{
    bool failed = false;
    const QMetaObject::Connection c = connect(this, &MainWindow::modelFailed, this, [&failed] { failed = true; });
    openModel(path);
    const bool idle = waitForIdle(timeoutMs);
    disconnect(c);
    if (failed || !model()) {
        if (error)
            *error = lastError_.isEmpty() ? tr("Could not open %1").arg(path) : lastError_;
        return false;
    }
    if (!idle) {
        if (error)
            *error = tr("Timed out after %1 ms while loading %2").arg(timeoutMs).arg(path);
        return false;
    }
    return true;
}

bool MainWindow::isBusy() const
{
    // A view that computes after the analysis (attribution, head importance) counts while it is on screen.
    return isLoadingModel() || router_->worker()->isBusy() || input_->isPending() ||
           (views_->currentView() && views_->currentView()->isBusy());
}

bool MainWindow::waitForIdle(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (isBusy()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QCoreApplication::processEvents();
    return true;
}

bool MainWindow::showsEmptyState() const
{
    return stack_->currentWidget() == emptyPage_;
}

// ---------------------------------------------------------------------------------------------
// Appearance

void MainWindow::applyPresentationFont(bool on)
{
    {
        const QSignalBlocker b(actions_->presentation);
        actions_->presentation->setChecked(on);
    }
    QFont f = baseFont_;
    if (on)
        f.setPointSizeF(baseFont_.pointSizeF() * kPresentationScale);
    QApplication::setFont(f);  // widgets with their own font (the empty-state title) keep it
}

void MainWindow::setFastPreview(bool on)
{
    router_->setFastPreview(on);
    {
        const QSignalBlocker b(actions_->preview);
        actions_->preview->setChecked(on);
    }
    AppSettings().setFastPreview(on);
}

void MainWindow::setDarkMode(bool on)
{
    dark_ = on;
    {
        const QSignalBlocker b(actions_->dark);
        actions_->dark->setChecked(on);
    }
    applyDarkPalette(on);
    AppSettings().setDarkMode(on);
    views_->redrawAll();  // views paint from the palette; plots pick the colours up on a redraw
}

// ---------------------------------------------------------------------------------------------
// Dialogs and events

void MainWindow::showMessage(const QString& message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    lastError_ = message;
    showMessage(message, 10000);
    if (!interactive_)
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::chooseModel()
{
    openModel(askForModelPath(this));
}

void MainWindow::chooseFromHub()
{
    HubDownloadDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        openModel(dialog.snapshotFolder());
}

void MainWindow::chooseFromHubCache()
{
    HubCacheDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        openModel(dialog.snapshotFolder());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (interactive_) {
        AppSettings settings;
        settings.setWindowGeometry(saveGeometry());
        settings.setWindowState(saveState());
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    const QString path = urls.first().toLocalFile();
    event->acceptProposedAction();
    const QFileInfo info(path);
    if (info.isFile() && info.suffix().compare(QLatin1String(kSessionSuffix), Qt::CaseInsensitive) == 0) {
        QString error;
        if (!sessions_->open(path, &error))
            showError(tr("Could not open the session"), error);
        return;
    }
    openModel(path);
}

} // namespace bertlab::ui
