// Adds the fine-tuning and probing commands to the Training menu and connects the run view to the explorer.
#include "finetune/finetune_controller.h"

#include "finetune/finetune_dialog.h"
#include "finetune/finetune_run.h"
#include "finetune/finetune_run_view.h"
#include "finetune/probe_dialog.h"
#include "main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace bertlab::ui {

namespace {

// The Training menu TrainingController made, found by its title; a new one when it is not there.
QMenu* trainingMenu(MainWindow* window)
{
    for (QAction* a : window->menuBar()->actions())
        if (a->menu() && a->text().remove(QLatin1Char('&')) == QObject::tr("Training"))
            return a->menu();
    auto* menu = new QMenu(QObject::tr("&Training"), window);
    window->menuBar()->addMenu(menu);
    return menu;
}

} // namespace

FinetuneController::FinetuneController(MainWindow* window) : QObject(window), window_(window)
{
    run_ = new FinetuneRun(this);
    view_ = new FinetuneRunView;
    view_->watch(run_);
    dock_ = new QDockWidget(tr("Fine-tuning"), window);
    dock_->setObjectName(QStringLiteral("finetuneDock"));
    dock_->setWidget(view_);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
    dock_->hide();

    QMenu* menu = trainingMenu(window);
    menu->addSeparator();
    finetune_ = menu->addAction(tr("&Fine-tune…"));
    finetune_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    resume_ = menu->addAction(tr("Resume Fine-tuning…"));
    probe_ = menu->addAction(tr("&Probe Layers…"));
    probe_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    menu->addAction(dock_->toggleViewAction());

    connect(finetune_, &QAction::triggered, this, &FinetuneController::chooseAndStart);
    connect(resume_, &QAction::triggered, this, &FinetuneController::chooseRunToResume);
    connect(probe_, &QAction::triggered, this, &FinetuneController::openProbe);
    connect(view_, &FinetuneRunView::exploreRequested, window_, &MainWindow::openModel);
    connect(run_, &FinetuneRun::failed, this, [this](const QString& message) {
        // Not exec(): a nested event loop inside a queued result would let the next one in.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Fine-tuning failed"), message, QMessageBox::Ok, window_);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

FinetuneController::~FinetuneController() = default;

void FinetuneController::showDock()
{
    dock_->show();
    dock_->raise();
}

void FinetuneController::chooseAndStart()
{
    if (run_->isActive()) {
        showDock();
        QMessageBox::information(window_, tr("Fine-tuning"), tr("A fine-tuning run is going; stop it first."));
        return;
    }
    FinetuneDialog dialog(window_->modelPath(), window_);
    if (dialog.exec() != QDialog::Accepted)
        return;
    view_->watch(run_);
    run_->start(dialog.options(), dialog.outDir());
    showDock();
}

void FinetuneController::chooseRunToResume()
{
    const QString dir = QFileDialog::getExistingDirectory(window_, tr("Fine-tuning run folder to resume"));
    if (!dir.isEmpty())
        resume(dir);
}

void FinetuneController::resume(const QString& outDir)
{
    if (run_->isActive())
        return;
    view_->watch(run_);
    run_->resume(outDir);
    showDock();
}

void FinetuneController::openProbe()
{
    if (!probeDialog_) {
        probeDialog_ = new ProbeDialog(window_->model(), window_->modelPath(), window_);
        probeDialog_->setAttribute(Qt::WA_DeleteOnClose);
    }
    probeDialog_->show();
    probeDialog_->raise();
}

} // namespace bertlab::ui
