// Wires training into the explorer window: Training menu, run dock, recovery offer, explore and close handling.
#include "training/training_controller.h"

#include "main_window.h"
#include "training/new_run_dialog.h"
#include "training/run_recovery.h"
#include "training/run_view.h"
#include "training/training_run.h"

#include <QAction>
#include <QCoreApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace bertlab::ui {

TrainingController::TrainingController(MainWindow* window) : QObject(window), window_(window)
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 4);
    banner_ = new QWidget;
    auto* bannerLayout = new QHBoxLayout(banner_);
    bannerLayout->setContentsMargins(6, 4, 6, 4);
    bannerText_ = new QLabel;
    bannerText_->setWordWrap(true);
    bannerResume_ = new QPushButton(tr("Resume"));
    auto* forget = new QPushButton(tr("Forget"));
    forget->setToolTip(tr("Stop offering this run; its folder is left untouched."));
    bannerLayout->addWidget(bannerText_, 1);
    bannerLayout->addWidget(bannerResume_);
    bannerLayout->addWidget(forget);
    banner_->setAutoFillBackground(true);
    QPalette p = banner_->palette();
    p.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xce));
    p.setColor(QPalette::WindowText, QColor(0x33, 0x2b, 0x00));
    banner_->setPalette(p);
    banner_->hide();
    view_ = new RunView;
    layout->addWidget(banner_);
    layout->addWidget(view_, 1);

    dock_ = new QDockWidget(tr("Training"), window);
    dock_->setObjectName(QStringLiteral("trainingDock"));
    dock_->setWidget(page);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
    dock_->hide();

    auto* menu = new QMenu(tr("&Training"), window);
    QAction* newRun = menu->addAction(tr("&New Training Run…"));
    newRun->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    QAction* resume = menu->addAction(tr("&Resume Run…"));
    QAction* compare = menu->addAction(tr("&Compare with Run…"));
    menu->addSeparator();
    menu->addAction(dock_->toggleViewAction());
    // Before Help, which is conventionally last.
    const QList<QAction*> menus = window->menuBar()->actions();
    if (menus.isEmpty())
        window->menuBar()->addMenu(menu);
    else
        window->menuBar()->insertMenu(menus.last(), menu);

    connect(newRun, &QAction::triggered, this, &TrainingController::newRun);
    connect(resume, &QAction::triggered, this, &TrainingController::chooseRunToResume);
    connect(compare, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(window_, tr("Run folder to compare"));
        QString error;
        if (!dir.isEmpty() && !view_->addRunFromFolder(dir, &error)) window_->statusBar()->showMessage(error, 8000);
        dock_->show();
    });
    connect(view_, &RunView::exploreCheckpoint, this, &TrainingController::explore);
    // A replay moves faster than a big checkpoint loads: the newest request waits for the current load.
    auto openPending = [this] {
        if (pendingExplore_.isEmpty()) return;
        const QString next = std::exchange(pendingExplore_, QString());
        explore(next);
    };
    connect(window_, &MainWindow::modelLoaded, this, openPending, Qt::QueuedConnection);
    connect(window_, &MainWindow::modelFailed, this, openPending, Qt::QueuedConnection);
    connect(bannerResume_, &QPushButton::clicked, this, [this] {
        banner_->hide();
        resumeRun(offeredRun_);
    });
    connect(forget, &QPushButton::clicked, this, [this] {
        RunRecovery::markFinished(offeredRun_);
        banner_->hide();
        showRecoveryOffer();  // the next one, if any
    });
    window->installEventFilter(this);
    // After construction, so the offer appears in the shown window rather than during startup.
    QTimer::singleShot(0, this, &TrainingController::showRecoveryOffer);
}

void TrainingController::explore(const QString& folder)
{
    if (window_->isLoadingModel()) {
        pendingExplore_ = folder;
        return;
    }
    window_->statusBar()->showMessage(tr("Opening %1; training continues.").arg(QDir::toNativeSeparators(folder)), 5000);
    window_->openModel(folder);
}

void TrainingController::showRecoveryOffer()
{
    const QStringList runs = RunRecovery::interruptedRuns();
    if (runs.isEmpty() || (run_ && run_->isActive())) return;
    offeredRun_ = runs.first();
    const QStringList cps = TrainingRun::listCheckpoints(offeredRun_);
    const QString step = cps.isEmpty() ? tr("?") : QString::number(QFileInfo(cps.last()).fileName().mid(5).toInt());
    bannerText_->setText(tr("The training run <b>%1</b> was interrupted (last checkpoint at step %2). Resume it?")
                             .arg(QDir::toNativeSeparators(offeredRun_).toHtmlEscaped(), step));
    banner_->show();
    dock_->show();
}

TrainingRun* TrainingController::freshRun()
{
    if (run_ && run_->isActive()) {
        QMessageBox::information(window_, tr("Training"),
                                 tr("A run is already training. Stop it first (its checkpoint lets you resume it later)."));
        return nullptr;
    }
    // The old run object goes; its curves stay in the view for comparison.
    if (run_) run_->deleteLater();
    run_ = new TrainingRun(this);
    connect(run_, &TrainingRun::failed, this, [this](const QString& message) {
        window_->statusBar()->showMessage(tr("Training failed: %1").arg(message), 15000);
    });
    connect(run_, &TrainingRun::finished, this, [this](bool completed) {
        window_->statusBar()->showMessage(completed ? tr("Training finished.") : tr("Training stopped."), 8000);
        closeIfAsked();
    });
    connect(run_, &TrainingRun::failed, this, &TrainingController::closeIfAsked);
    return run_;
}

void TrainingController::closeIfAsked()
{
    if (!closeWhenDone_) return;
    const bool hidden = !window_->isVisible();
    window_->close();
    if (hidden) QCoreApplication::quit();  // a hidden window's close does not end the application
}

void TrainingController::newRun()
{
    NewRunDialog dialog(window_->model(), QString(), window_);
    if (dialog.exec() != QDialog::Accepted) return;
    TrainingRun* run = freshRun();
    if (!run) return;
    run->start(dialog.spec());
    view_->watch(run);
    banner_->hide();
    dock_->show();
    dock_->raise();
}

void TrainingController::resumeRun(const QString& runDir)
{
    TrainingRun* run = freshRun();
    if (!run) return;
    run->resumeRun(runDir);
    view_->watch(run);
    dock_->show();
    dock_->raise();
}

void TrainingController::chooseRunToResume()
{
    const QString dir = QFileDialog::getExistingDirectory(window_, tr("Run folder to resume"));
    if (dir.isEmpty()) return;
    if (TrainingRun::listCheckpoints(dir).isEmpty()) {
        QMessageBox::warning(window_, tr("Resume Run"), tr("%1 has no checkpoints to resume from.").arg(dir));
        return;
    }
    resumeRun(dir);
}

bool TrainingController::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == window_ && event->type() == QEvent::Close && !confirmClose()) {
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

bool TrainingController::confirmClose()
{
    if (!run_ || !run_->isActive()) return true;
    if (closeWhenDone_) return false;  // still finishing in the background
    QMessageBox box(QMessageBox::Question, tr("A run is training"),
                    tr("The run in %1 is still training.").arg(QDir::toNativeSeparators(run_->runDir())),
                    QMessageBox::NoButton, window_);
    box.setInformativeText(tr("Stop it now (a checkpoint is written and the run is offered for resume next time), "
                              "or keep it training in the background and quit when it finishes?"));
    QPushButton* stop = box.addButton(tr("Stop and Quit"), QMessageBox::AcceptRole);
    QPushButton* keep = box.addButton(tr("Keep Training, Quit When Done"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(stop);
    box.exec();
    if (box.clickedButton() == stop) {
        window_->statusBar()->showMessage(tr("Stopping the run and writing a checkpoint…"));
        run_->stop(true);
        closeWhenDone_ = true;  // finished() closes the window once the checkpoint is on disk
        return false;
    }
    if (box.clickedButton() == keep) {
        closeWhenDone_ = true;
        window_->hide();
        return false;
    }
    return false;
}

} // namespace bertlab::ui
