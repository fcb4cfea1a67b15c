// Builds the explorer window and routes input, worker results, selection and files between parts.
#include "main_window.h"

#include "analysis_worker.h"
#include "analysis_view.h"
#include "app_settings.h"
#include "error.h"
#include "export.h"
#include "huge_page_buffer.h"
#include "input_panel.h"
#include "model_card.h"
#include "model_io.h"
#include "training/training_controller.h"
#include "training/training_run.h"  // the controller header holds a QPointer<TrainingRun>
#include "views/attention_view.h"
#include "views/embeddings_view.h"
#include "views/mlm_view.h"
#include "views/nsp_view.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QBuffer>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace bertlab::ui {

namespace {

constexpr double kPresentationScale = 1.45;

QPalette darkPalette()
{
    QPalette p;
    const QColor window(37, 39, 43), base(28, 30, 33), text(230, 230, 230), mid(90, 94, 100);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(50, 52, 56));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(48, 50, 55));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 120, 120));
    p.setColor(QPalette::Link, QColor(86, 180, 233));
    p.setColor(QPalette::Highlight, QColor(0, 114, 178));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Mid, mid);
    p.setColor(QPalette::Dark, QColor(20, 20, 22));
    p.setColor(QPalette::Light, QColor(70, 72, 78));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    return p;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("bertlabMainWindow"));
    setAcceptDrops(true);
    baseFont_ = QApplication::font();
    worker_ = new AnalysisWorker(this);
    loader_ = new QFutureWatcher<LoadResult>(this);
    connect(loader_, &QFutureWatcher<LoadResult>::finished, this, &MainWindow::onModelLoadFinished);
    connect(worker_, &AnalysisWorker::analysisReady, this, &MainWindow::onAnalysisReady);
    connect(worker_, &AnalysisWorker::analysisFailed, this, &MainWindow::onAnalysisFailed);
    connect(worker_, &AnalysisWorker::busyChanged, this, &MainWindow::onBusyChanged);

    buildActions();
    buildCentral();
    buildMenus();
    buildToolBar();
    buildStatusBar();
    updateTitle();
    resize(1400, 900);
    new TrainingController(this);  // Training menu and run dock (issue 6); owned by this window
}

MainWindow::~MainWindow()
{
    if (loading_)
        loader_->waitForFinished();
}

// ---------------------------------------------------------------------------------------------
// Construction

void MainWindow::buildActions()
{
    openModelAction_ = new QAction(tr("&Open Model…"), this);
    openModelAction_->setShortcut(QKeySequence::Open);
    connect(openModelAction_, &QAction::triggered, this, &MainWindow::chooseModel);

    openSessionAction_ = new QAction(tr("Open &Session…"), this);
    openSessionAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(openSessionAction_, &QAction::triggered, this, &MainWindow::chooseSessionToOpen);

    saveSessionAction_ = new QAction(tr("&Save Session…"), this);
    saveSessionAction_->setShortcut(QKeySequence::Save);
    connect(saveSessionAction_, &QAction::triggered, this, &MainWindow::chooseSessionToSave);

    exportImageAction_ = new QAction(tr("Export View &Image (PNG / PDF / SVG)…"), this);
    exportImageAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportImageAction_, &QAction::triggered, this, &MainWindow::chooseImageExport);

    exportDataAction_ = new QAction(tr("Export View &Data (CSV / JSON)…"), this);
    exportDataAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(exportDataAction_, &QAction::triggered, this, &MainWindow::chooseDataExport);

    quitAction_ = new QAction(tr("&Quit"), this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    presentationAction_ = new QAction(tr("&Presentation Mode"), this);
    presentationAction_->setCheckable(true);
    presentationAction_->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_P)});
    connect(presentationAction_, &QAction::toggled, this, &MainWindow::setPresentationMode);

    darkAction_ = new QAction(tr("&Dark Palette"), this);
    darkAction_->setCheckable(true);
    darkAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(darkAction_, &QAction::toggled, this, &MainWindow::setDarkMode);

    previewAction_ = new QAction(tr("Fast &Preview While Typing"), this);
    previewAction_->setCheckable(true);
    previewAction_->setChecked(fastPreview_);
    previewAction_->setStatusTip(tr("Show a bfloat16 analysis at once, then the exact float32 one"));
    connect(previewAction_, &QAction::toggled, this, &MainWindow::setFastPreview);

    nextLayerAction_ = new QAction(tr("Next Layer"), this);
    nextLayerAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Up), QKeySequence(Qt::Key_BracketRight)});
    connect(nextLayerAction_, &QAction::triggered, this, [this] { stepLayer(+1); });
    prevLayerAction_ = new QAction(tr("Previous Layer"), this);
    prevLayerAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Down), QKeySequence(Qt::Key_BracketLeft)});
    connect(prevLayerAction_, &QAction::triggered, this, [this] { stepLayer(-1); });
    nextHeadAction_ = new QAction(tr("Next Head"), this);
    nextHeadAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Right), QKeySequence(Qt::Key_Period)});
    connect(nextHeadAction_, &QAction::triggered, this, [this] { stepHead(+1); });
    prevHeadAction_ = new QAction(tr("Previous Head"), this);
    prevHeadAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Left), QKeySequence(Qt::Key_Comma)});
    connect(prevHeadAction_, &QAction::triggered, this, [this] { stepHead(-1); });
    for (QAction* a : {nextLayerAction_, prevLayerAction_, nextHeadAction_, prevHeadAction_})
        addAction(a);  // window-wide shortcuts even when the toolbar is hidden

    explainAction_ = new QAction(tr("&What Am I Looking At?"), this);
    explainAction_->setShortcut(QKeySequence::HelpContents);
    connect(explainAction_, &QAction::triggered, this, &MainWindow::explainCurrentView);

    aboutAction_ = new QAction(tr("&About bertlab"), this);
    connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openModelAction_);
    recentMenu_ = file->addMenu(tr("Open &Recent Model"));
    file->addSeparator();
    file->addAction(openSessionAction_);
    file->addAction(saveSessionAction_);
    file->addSeparator();
    file->addAction(exportImageAction_);
    file->addAction(exportDataAction_);
    file->addSeparator();
    file->addAction(quitAction_);
    updateRecentMenu();

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(presentationAction_);
    view->addAction(darkAction_);
    view->addAction(previewAction_);
    view->addSeparator();
    view->addAction(nextLayerAction_);
    view->addAction(prevLayerAction_);
    view->addAction(nextHeadAction_);
    view->addAction(prevHeadAction_);
    view->addSeparator();
    view->addAction(cardDock_->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(explainAction_);
    help->addAction(aboutAction_);
}

void MainWindow::buildToolBar()
{
    QToolBar* bar = addToolBar(tr("Selection"));
    bar->setObjectName(QStringLiteral("selectionToolBar"));
    bar->setMovable(false);
    bar->addAction(openModelAction_);
    bar->addSeparator();
    layerSpin_ = new QSpinBox(bar);
    layerSpin_->setObjectName(QStringLiteral("layerSpin"));
    layerSpin_->setPrefix(tr("Layer "));
    layerSpin_->setRange(1, 1);
    layerSpin_->setToolTip(tr("Encoder layer, counted from 1 (Ctrl+Up / Ctrl+Down, or ] and [)"));
    headSpin_ = new QSpinBox(bar);
    headSpin_->setObjectName(QStringLiteral("headSpin"));
    headSpin_->setPrefix(tr("Head "));
    headSpin_->setRange(1, 1);
    headSpin_->setToolTip(tr("Attention head, counted from 1 (Ctrl+Right / Ctrl+Left, or . and ,)"));
    bar->addWidget(layerSpin_);
    bar->addWidget(headSpin_);
    connect(layerSpin_, &QSpinBox::valueChanged, this, [this](int v) { setLayerHead(v - 1, head_); });
    connect(headSpin_, &QSpinBox::valueChanged, this, [this](int v) { setLayerHead(layer_, v - 1); });
    bar->addSeparator();
    bar->addAction(presentationAction_);
    bar->addAction(explainAction_);
}

void MainWindow::buildCentral()
{
    stack_ = new QStackedWidget(this);

    // Empty state: nothing to show until a model is open.
    emptyPage_ = new QWidget(stack_);
    emptyPage_->setObjectName(QStringLiteral("emptyState"));
    auto* title = new QLabel(tr("No model loaded"), emptyPage_);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    emptyMessage_ = new QLabel(tr("Open a BERT model folder (config.json, vocab.txt and model.safetensors, "
                                  "pytorch_model.bin or a TensorFlow checkpoint), or drop it on this window."),
                               emptyPage_);
    emptyMessage_->setWordWrap(true);
    emptyMessage_->setAlignment(Qt::AlignCenter);
    emptyMessage_->setFixedWidth(560);  // a fixed width lets the wrapped text get its full height
    auto* openButton = new QPushButton(tr("Open Model…"), emptyPage_);
    openButton->setObjectName(QStringLiteral("emptyOpenButton"));
    openButton->setDefault(true);
    connect(openButton, &QPushButton::clicked, this, &MainWindow::chooseModel);
    auto* emptyLayout = new QVBoxLayout(emptyPage_);
    emptyLayout->addStretch(2);
    emptyLayout->addWidget(title, 0, Qt::AlignHCenter);
    // Centred by stretches rather than an alignment flag: aligned items lose height-for-width, which
    // clips wrapped text.
    auto* messageRow = new QHBoxLayout;
    messageRow->addStretch(1);
    messageRow->addWidget(emptyMessage_);
    messageRow->addStretch(1);
    emptyLayout->addLayout(messageRow);
    emptyLayout->addSpacing(12);
    emptyLayout->addWidget(openButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);
    stack_->addWidget(emptyPage_);

    explorerPage_ = new QWidget(stack_);
    input_ = new InputPanel(explorerPage_);
    tabs_ = new QTabWidget(explorerPage_);
    tabs_->setObjectName(QStringLiteral("viewTabs"));
    tabs_->setDocumentMode(true);
    auto* layout = new QVBoxLayout(explorerPage_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(input_);
    layout->addWidget(tabs_, 1);
    stack_->addWidget(explorerPage_);
    setCentralWidget(stack_);

    addView(new EmbeddingsView);
    addView(new AttentionView);
    addView(new MlmView);
    addView(new NspView);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] { syncView(currentView()); });
    connect(input_, &InputPanel::requestChanged, this, &MainWindow::onRequestChanged);

    card_ = new ModelCard(this);
    cardDock_ = new QDockWidget(tr("Model"), this);
    cardDock_->setObjectName(QStringLiteral("modelCardDock"));
    cardDock_->setWidget(card_);
    cardDock_->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, cardDock_);
    resizeDocks({cardDock_}, {260}, Qt::Horizontal);
}

void MainWindow::addView(AnalysisView* view)
{
    views_.append(view);
    // A scroll area per tab: a view with a large minimum size scrolls instead of growing the window.
    auto* scroll = new QScrollArea(tabs_);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(view);
    tabs_->addTab(scroll, view->title());
    connect(view, &AnalysisView::layerHeadRequested, this, &MainWindow::setLayerHead);
    connect(view, &AnalysisView::maskToggleRequested, input_, &InputPanel::toggleMask);
}

void MainWindow::buildStatusBar()
{
    busyBar_ = new QProgressBar(this);
    busyBar_->setObjectName(QStringLiteral("busyIndicator"));
    busyBar_->setRange(0, 0);  // indeterminate
    busyBar_->setMaximumWidth(90);
    busyBar_->setMaximumHeight(14);
    busyBar_->setTextVisible(false);
    // It shows and hides around every analysis: keeping its place stops the status bar (and the
    // window around it) from being laid out and repainted each time.
    QSizePolicy keepPlace = busyBar_->sizePolicy();
    keepPlace.setRetainSizeWhenHidden(true);
    busyBar_->setSizePolicy(keepPlace);
    busyBar_->hide();
    elapsedLabel_ = new QLabel(this);
    elapsedLabel_->setObjectName(QStringLiteral("elapsedLabel"));
    // Room for the longest text it shows, so a new time does not re-lay out the status bar either.
    elapsedLabel_->setMinimumWidth(
        elapsedLabel_->fontMetrics().horizontalAdvance(tr("%1 tokens · %2 ms preview").arg(512).arg(1234)) + 8);
    elapsedLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    modelLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(busyBar_);
    statusBar()->addPermanentWidget(elapsedLabel_);
    statusBar()->addPermanentWidget(modelLabel_);
    statusBar()->showMessage(tr("Open a model to begin."));
}

// ---------------------------------------------------------------------------------------------
// Model loading

void MainWindow::openModel(const QString& path)
{
    if (path.isEmpty())
        return;
    if (loading_) {
        statusBar()->showMessage(tr("Still loading %1…").arg(loadingPath_));
        return;
    }
    loading_ = true;
    loadingPath_ = QFileInfo(path).absoluteFilePath();
    busyBar_->show();
    statusBar()->showMessage(tr("Loading %1…").arg(QDir::toNativeSeparators(loadingPath_)));
    const QString p = loadingPath_;
    const qint64 previewMinimum = previewMinimumBytes_;
    loader_->setFuture(QtConcurrent::run([p, previewMinimum]() -> LoadResult {
        LoadResult r;
        r.path = p;
        try {
            const std::shared_ptr<BertModel> model = loadModel(p.toStdString());
            // The explorer runs the model on every pause in typing: worth a one-off copy of the
            // weights onto huge pages. Best effort: without them the mapped weights serve as well.
            try {
                model->moveWeightsToHugePages();
            } catch (const std::exception&) {
            }
            // And bfloat16 copies for the fast preview (half the float32 bytes again), where the
            // model is big enough to need it, the CPU multiplies bfloat16 natively and memory has
            // room to spare. Without them the explorer shows float32 only.
            try {
                const size_t copies = static_cast<size_t>(model->info().parameterCount) * 2;
                const size_t free = HugePageBuffer::availableMemory();
                if (model->info().weightBytes >= previewMinimum && (free == 0 || free > 4 * copies))
                    model->prepareBfloat16();
            } catch (const std::exception&) {
            }
            r.model = model;
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        } catch (...) {
            r.error = QStringLiteral("Could not load the model.");
        }
        return r;
    }));
}

void MainWindow::onModelLoadFinished()
{
    loading_ = false;
    LoadResult r = loader_->result();
    if (!worker_->isBusy())
        busyBar_->hide();
    if (!r.model) {
        pendingSession_.reset();
        showError(tr("Could not open the model"), r.error.isEmpty() ? tr("Unknown error") : r.error);
        emit modelFailed(lastError_);
        return;
    }
    model_ = r.model;
    modelPath_ = r.path;
    analysis_.reset();
    AppSettings().addRecentModel(r.path);
    updateRecentMenu();
    card_->setModel(model_);
    syncRanges();
    previewAction_->setEnabled(model_->hasBfloat16());
    previewAction_->setToolTip(model_->hasBfloat16()
                                   ? tr("Show a bfloat16 analysis at once, then the exact float32 one")
                                   : tr("Off for this model: see Fast preview in the model card"));
    for (AnalysisView* v : views_) {
        v->setAnalysis(nullptr);
        viewShown_.remove(v);
    }
    input_->clear();
    stack_->setCurrentWidget(explorerPage_);
    updateTitle();
    const ModelInfo& info = model_->info();
    statusBar()->showMessage(tr("Loaded %1 (%2 parameters)")
                                 .arg(ModelCard::displayName(*model_), ModelCard::formatCount(info.parameterCount)),
                             5000);
    emit modelLoaded();
    if (pendingSession_) {
        const Session s = *pendingSession_;
        pendingSession_.reset();
        applySession(s);
    } else if (input_->textA().trimmed().isEmpty() && input_->textB().trimmed().isEmpty()) {
        input_->setTexts(QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought a gallon of milk ."));
    } else {
        onRequestChanged();
    }
}

bool MainWindow::openModelAndWait(const QString& path, int timeoutMs, QString* error)
{
    bool failed = false;
    const QMetaObject::Connection c = connect(this, &MainWindow::modelFailed, this, [&failed] { failed = true; });
    openModel(path);
    const bool idle = waitForIdle(timeoutMs);
    disconnect(c);
    if (failed || !model_) {
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
    return loading_ || worker_->isBusy() || input_->isPending();
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

void MainWindow::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = AppSettings().recentModels();
    for (const QString& path : recent) {
        QAction* a = recentMenu_->addAction(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] { openModel(path); });
    }
    if (recent.isEmpty()) {
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    } else {
        recentMenu_->addSeparator();
        connect(recentMenu_->addAction(tr("Clear List")), &QAction::triggered, this, [this] {
            AppSettings().clearRecentModels();
            updateRecentMenu();
        });
    }
}

void MainWindow::updateTitle()
{
    if (model_) {
        const QString name = ModelCard::displayName(*model_);
        setWindowTitle(tr("%1 — bertlab").arg(name));
        modelLabel_->setText(name);
    } else {
        setWindowTitle(tr("bertlab"));
        if (modelLabel_)
            modelLabel_->setText(tr("no model"));
    }
}

// ---------------------------------------------------------------------------------------------
// Analysis

void MainWindow::onRequestChanged()
{
    if (!model_)
        return;
    AnalysisRequest request;
    request.textA = input_->textA();
    request.textB = input_->textB();
    request.maskedTokens = input_->masks();
    request.serial = ++serial_;
    request.deferMlm = currentView() && !currentView()->showsMaskedGuesses();
    request.preview = previewAvailable() && fastPreview_;
    if (request.textA.trimmed().isEmpty()) {
        analysis_.reset();
        input_->clear();
        for (AnalysisView* v : views_) {
            v->setAnalysis(nullptr);
            viewShown_.remove(v);
        }
        statusBar()->showMessage(tr("Type a sentence in Sentence A."));
        return;
    }
    worker_->submit(model_, std::move(request));
}

void MainWindow::onAnalysisReady(AnalysisPtr analysis)
{
    if (!analysis || analysis->model != model_)
        return;  // from a model that has since been replaced
    QElapsedTimer clock;
    clock.start();
    // A second delivery for the same request (exact after preview, or the MLM guesses added)
    // has the same tokens.
    const bool followUp = analysis_ && analysis_->followUpPending() &&
                          analysis_->request.serial == analysis->request.serial;
    const bool guessesOnly = followUp && analysis_->mlmPending && !analysis_->preview;
    analysis_ = analysis;
    if (!followUp)
        input_->setAnalysis(analysis);
    syncView(currentView());
    lastViewUpdateMs_ = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    if (!guessesOnly) {
        // The time the user waited for the views; guesses that follow change nothing else on screen.
        const QString ms = QString::number(analysis->elapsedMs, 'f', analysis->elapsedMs < 10 ? 2 : 0);
        elapsedLabel_->setText(analysis->preview ? tr("%1 tokens · %2 ms preview").arg(analysis->encoding.size()).arg(ms)
                                                 : tr("%1 tokens · %2 ms").arg(analysis->encoding.size()).arg(ms));
        elapsedLabel_->setToolTip(analysis->preview ? tr("A bfloat16 preview; the exact float32 analysis follows")
                                                    : tr("The exact float32 analysis"));
        lastError_.clear();
        statusBar()->clearMessage();
    }
    emit analysisShown(analysis);
}

void MainWindow::onAnalysisFailed(quint64, const QString& message)
{
    lastError_ = message;
    input_->setError(message);
    statusBar()->showMessage(message, 8000);
}

void MainWindow::onBusyChanged(bool busy)
{
    busyBar_->setVisible(busy || loading_);
}

AnalysisView* MainWindow::currentView() const
{
    return views_.value(tabs_->currentIndex(), nullptr);
}

AnalysisView* MainWindow::viewByTitle(const QString& title) const
{
    for (AnalysisView* v : views_)
        if (v->title().compare(title, Qt::CaseInsensitive) == 0 ||
            fileNameForView(v->title()) == fileNameForView(title))
            return v;
    return nullptr;
}

void MainWindow::syncView(AnalysisView* view)
{
    if (!view)
        return;
    // Hidden tabs are brought up to date only when shown: typing stays fast with many views.
    try {
        if (viewPresentation_.value(view, false) != presentation_) {
            view->setPresentationMode(presentation_);
            viewPresentation_[view] = presentation_;
        }
        const quint64 serial = analysis_ ? analysis_->request.serial : 0;
        const bool complete = !analysis_ || !analysis_->mlmPending;
        const bool preview = analysis_ && analysis_->preview;
        const auto seen = viewShown_.constFind(view);
        bool stale = seen == viewShown_.constEnd() || seen->serial != serial || seen->preview != preview;
        if (view->showsMaskedGuesses()) {
            // Half an analysis would read as "no masked words"; the guesses follow within
            // milliseconds, so keep the previous picture until they do.
            stale = (stale || !seen->complete) && complete;
        }
        if (stale) {
            view->setAnalysis(analysis_);
            viewShown_[view] = Shown{serial, complete, preview};
            viewLayerHead_.remove(view);
        }
        const QPair<int, int> lh(layer_, head_);
        if (!viewLayerHead_.contains(view) || viewLayerHead_.value(view) != lh) {
            view->setLayerHead(layer_, head_);
            viewLayerHead_[view] = lh;
        }
    } catch (const std::exception& e) {
        // Views should not throw, but an exception must never cross the event loop.
        showError(tr("View error"), QString::fromStdString(e.what()));
    }
}

void MainWindow::syncRanges()
{
    const int layers = model_ ? model_->config().numHiddenLayers : 1;
    const int heads = model_ ? model_->config().numAttentionHeads : 1;
    const QSignalBlocker b1(layerSpin_), b2(headSpin_);
    layerSpin_->setRange(1, std::max(1, layers));
    headSpin_->setRange(1, std::max(1, heads));
    layer_ = std::clamp(layer_, 0, std::max(0, layers - 1));
    head_ = std::clamp(head_, 0, std::max(0, heads - 1));
    layerSpin_->setValue(layer_ + 1);
    headSpin_->setValue(head_ + 1);
}

void MainWindow::setLayerHead(int layer, int head)
{
    const int layers = model_ ? model_->config().numHiddenLayers : 1;
    const int heads = model_ ? model_->config().numAttentionHeads : 1;
    layer = std::clamp(layer, 0, std::max(0, layers - 1));
    head = std::clamp(head, 0, std::max(0, heads - 1));
    const bool changed = layer != layer_ || head != head_;
    layer_ = layer;
    head_ = head;
    {
        const QSignalBlocker b1(layerSpin_), b2(headSpin_);
        layerSpin_->setValue(layer_ + 1);
        headSpin_->setValue(head_ + 1);
    }
    if (changed) {
        syncView(currentView());
        statusBar()->showMessage(tr("Layer %1, head %2").arg(layer_ + 1).arg(head_ + 1), 2000);
    }
}

void MainWindow::stepLayer(int delta)
{
    setLayerHead(layer_ + delta, head_);
}

void MainWindow::stepHead(int delta)
{
    setLayerHead(layer_, head_ + delta);
}

// ---------------------------------------------------------------------------------------------
// Appearance

void MainWindow::setPresentationMode(bool on)
{
    if (presentation_ == on)
        return;
    presentation_ = on;
    {
        const QSignalBlocker b(presentationAction_);
        presentationAction_->setChecked(on);
    }
    QFont f = baseFont_;
    if (on)
        f.setPointSizeF(baseFont_.pointSizeF() * kPresentationScale);
    QApplication::setFont(f);
    // Widgets with their own font (the empty-state title) are left as they are.
    syncView(currentView());
}

void MainWindow::setFastPreview(bool on)
{
    fastPreview_ = on;
    {
        const QSignalBlocker b(previewAction_);
        previewAction_->setChecked(on);
    }
    AppSettings().setFastPreview(on);
}

bool MainWindow::previewAvailable() const
{
    return model_ && model_->hasBfloat16();
}

void MainWindow::setDarkMode(bool on)
{
    dark_ = on;
    {
        const QSignalBlocker b(darkAction_);
        darkAction_->setChecked(on);
    }
    if (on) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
    AppSettings().setDarkMode(on);
    // Views paint from the palette; give them a fresh analysis so plots pick the colours up.
    viewShown_.clear();
    syncView(currentView());
}

// ---------------------------------------------------------------------------------------------
// Sessions

Session MainWindow::session() const
{
    Session s;
    s.modelPath = model_ ? modelPath_ : QString();
    s.textA = input_->textA();
    s.textB = input_->textB();
    s.masks = input_->masks();
    s.layer = layer_;
    s.head = head_;
    s.view = currentView() ? currentView()->title() : QString();
    s.presentationMode = presentation_;
    return s;
}

bool MainWindow::saveSessionTo(const QString& path, QString* error)
{
    return saveSession(session(), path, error);
}

bool MainWindow::openSession(const QString& path, QString* error)
{
    QString e;
    const std::optional<Session> s = loadSession(path, &e);
    if (!s) {
        if (error)
            *error = e;
        return false;
    }
    const QString current = model_ ? modelPath_ : QString();
    if (!s->modelPath.isEmpty() && QFileInfo(s->modelPath).absoluteFilePath() != current) {
        if (!QFileInfo::exists(s->modelPath)) {
            if (error)
                *error = tr("The session's model %1 does not exist.").arg(s->modelPath);
            return false;
        }
        pendingSession_ = *s;
        openModel(s->modelPath);
        return true;
    }
    applySession(*s);
    return true;
}

void MainWindow::applySession(const Session& s)
{
    setPresentationMode(s.presentationMode);
    if (AnalysisView* v = viewByTitle(s.view))
        tabs_->setCurrentIndex(static_cast<int>(views_.indexOf(v)));
    input_->setTexts(s.textA, s.textB);
    input_->setMasks(s.masks);
    setLayerHead(s.layer, s.head);
}

// ---------------------------------------------------------------------------------------------
// Export and screenshots

bool MainWindow::settleForExport(QString* error)
{
    // A preview (or an analysis still owed its guesses) is never what gets written to a file:
    // the exact one is at most one pass away.
    if (analysis_ && analysis_->followUpPending() && !waitForIdle(120000)) {
        if (error)
            *error = tr("The exact analysis is still running; try again in a moment.");
        return false;
    }
    return true;
}

bool MainWindow::exportCurrentImage(const QString& path, int dpi, QString* error)
{
    if (!settleForExport(error))
        return false;
    AnalysisView* view = currentView();
    if (!view || !analysis_) {
        if (error)
            *error = tr("Nothing to export yet.");
        return false;
    }
    syncView(view);
    try {
        return view->exportImage(path, dpi, error);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::exportCurrentData(const QString& path, QString* error)
{
    if (!settleForExport(error))
        return false;
    AnalysisView* view = currentView();
    if (!view || !analysis_) {
        if (error)
            *error = tr("Nothing to export yet.");
        return false;
    }
    syncView(view);
    try {
        return view->exportData(path, error);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

QString MainWindow::fileNameForView(const QString& title)
{
    QString s;
    for (const QChar c : title.toLower()) {
        if (c.isLetterOrNumber())
            s += c;
        else if (!s.isEmpty() && !s.endsWith(QLatin1Char('-')))
            s += QLatin1Char('-');
    }
    while (s.endsWith(QLatin1Char('-')))
        s.chop(1);
    return s.isEmpty() ? QStringLiteral("view") : s;
}

bool MainWindow::renderScreenshots(const QString& dir, QString* error, QStringList* written)
{
    if (!settleForExport(error))
        return false;
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("Cannot create the folder %1").arg(dir);
        return false;
    }
    const int previous = tabs_->currentIndex();
    for (int i = 0; i < tabs_->count(); ++i) {
        tabs_->setCurrentIndex(i);
        AnalysisView* view = views_.value(i, nullptr);
        syncView(view);
        // Let layouts settle, then make every plot draw at its final size before grabbing.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        for (QCustomPlot* plot : findChildren<QCustomPlot*>())
            if (plot->isVisible())
                plot->replot(QCustomPlot::rpImmediateRefresh);
        QCoreApplication::processEvents();
        const QImage image = grab().toImage();
        if (image.isNull()) {
            if (error)
                *error = tr("Could not render the %1 view").arg(tabs_->tabText(i));
            return false;
        }
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        const QString path = QDir(dir).filePath(fileNameForView(view ? view->title() : tabs_->tabText(i)) +
                                                QStringLiteral(".png"));
        if (!exporting::writeFileAtomically(path, png, error))
            return false;
        if (written)
            written->append(path);
    }
    tabs_->setCurrentIndex(previous);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Dialogs and events

void MainWindow::showError(const QString& title, const QString& message)
{
    lastError_ = message;
    statusBar()->showMessage(message, 10000);
    if (!interactive_)
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::chooseModel()
{
    AppSettings settings;
    QFileDialog dialog(this, tr("Open a BERT model folder or weight file"), settings.lastDirectory(QStringLiteral("model")));
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setNameFilters({tr("Model folders and weight files (*.safetensors *.bin *.index *.json)"), tr("All files (*)")});
    dialog.setOption(QFileDialog::DontUseNativeDialog, true);
    // Let the user accept a folder as well as a file.
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setLabelText(QFileDialog::Accept, tr("Open"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString path = dialog.selectedFiles().first();
    settings.setLastDirectory(QStringLiteral("model"), QFileInfo(path).absolutePath());
    openModel(path);
}

void MainWindow::chooseSessionToOpen()
{
    AppSettings settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"),
                                                      settings.lastDirectory(QStringLiteral("session")), sessionFileFilter());
    if (path.isEmpty())
        return;
    settings.setLastDirectory(QStringLiteral("session"), QFileInfo(path).absolutePath());
    QString error;
    if (!openSession(path, &error))
        showError(tr("Could not open the session"), error);
}

void MainWindow::chooseSessionToSave()
{
    AppSettings settings;
    QString path = QFileDialog::getSaveFileName(this, tr("Save Session"),
                                                QDir(settings.lastDirectory(QStringLiteral("session"))).filePath(QStringLiteral("session.bertlab")),
                                                sessionFileFilter());
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".") + QLatin1String(kSessionSuffix);
    settings.setLastDirectory(QStringLiteral("session"), QFileInfo(path).absolutePath());
    QString error;
    if (saveSessionTo(path, &error))
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
        showError(tr("Could not save the session"), error);
}

void MainWindow::chooseImageExport()
{
    AnalysisView* view = currentView();
    if (!view || !analysis_) {
        showError(tr("Nothing to export"), tr("Open a model and analyse a sentence first."));
        return;
    }
    AppSettings settings;
    QString selectedFilter;
    const QString suggested = QDir(settings.lastDirectory(QStringLiteral("export")))
                                  .filePath(fileNameForView(view->title()) + QStringLiteral(".png"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export %1 Image").arg(view->title()), suggested,
                                                tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"),
                                                &selectedFilter);
    if (path.isEmpty())
        return;
    if (exporting::imageFormatFor(path) == exporting::ImageFormat::Unknown)
        path += selectedFilter.contains(QLatin1String("pdf")) ? QStringLiteral(".pdf")
                : selectedFilter.contains(QLatin1String("svg")) ? QStringLiteral(".svg")
                                                                 : QStringLiteral(".png");
    int dpi = settings.exportDpi();
    if (exporting::imageFormatFor(path) == exporting::ImageFormat::Png) {
        const QStringList choices = {QStringLiteral("96"), QStringLiteral("144"), QStringLiteral("192"),
                                     QStringLiteral("300"), QStringLiteral("600")};
        bool ok = false;
        const int current = std::max<qsizetype>(0, choices.indexOf(QString::number(dpi)));
        const QString choice = QInputDialog::getItem(this, tr("PNG resolution"), tr("Dots per inch:"), choices,
                                                     static_cast<int>(current), false, &ok);
        if (!ok)
            return;
        dpi = choice.toInt();
        settings.setExportDpi(dpi);
    }
    settings.setLastDirectory(QStringLiteral("export"), QFileInfo(path).absolutePath());
    QString error;
    if (exportCurrentImage(path, dpi, &error))
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
        showError(tr("Export failed"), error);
}

void MainWindow::chooseDataExport()
{
    AnalysisView* view = currentView();
    if (!view || !analysis_) {
        showError(tr("Nothing to export"), tr("Open a model and analyse a sentence first."));
        return;
    }
    AppSettings settings;
    QString selectedFilter;
    const QString suggested = QDir(settings.lastDirectory(QStringLiteral("export")))
                                  .filePath(fileNameForView(view->title()) + QStringLiteral(".csv"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export %1 Data").arg(view->title()), suggested,
                                                tr("CSV table (*.csv);;JSON (*.json)"), &selectedFilter);
    if (path.isEmpty())
        return;
    if (exporting::dataFormatFor(path) == exporting::DataFormat::Unknown)
        path += selectedFilter.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    settings.setLastDirectory(QStringLiteral("export"), QFileInfo(path).absolutePath());
    QString error;
    if (exportCurrentData(path, &error))
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
        showError(tr("Export failed"), error);
}

void MainWindow::explainCurrentView()
{
    AnalysisView* view = currentView();
    const QString text = view ? view->explanation() : tr("Open a model to start exploring.");
    auto* box = new QMessageBox(QMessageBox::Information, tr("What am I looking at?"), text, QMessageBox::Close, this);
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About bertlab"),
                       tr("<h3>bertlab %1</h3><p>A native desktop lab for BERT: see how the input is "
                          "embedded, where each head attends, what the masked-LM head guesses and whether "
                          "sentence B follows sentence A.</p><p>Built with Qt %2 and QCustomPlot.</p>")
                           .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
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
        if (!openSession(path, &error))
            showError(tr("Could not open the session"), error);
        return;
    }
    openModel(path);
}

} // namespace bertlab::ui
