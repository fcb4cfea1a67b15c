// Wires fine-tuning and probing into the explorer: Training menu items, the fine-tuning run dock, "Open in explorer".
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;

namespace bertlab::ui {

class FinetuneRun;
class FinetuneRunView;
class MainWindow;
class ProbeDialog;

class FinetuneController : public QObject {
    Q_OBJECT
public:
    // Adds Fine-tune…, Resume Fine-tuning… and Probe Layers… to the window's Training menu (made
    // by TrainingController) and a dock for the run view; owned by the window.
    explicit FinetuneController(MainWindow* window);
    ~FinetuneController() override;

    void chooseAndStart();               // the dialog, then the run
    void chooseRunToResume();
    void resume(const QString& outDir);
    void openProbe();
    FinetuneRun* run() const { return run_; }
    FinetuneRunView* runView() const { return view_; }
    QDockWidget* dock() const { return dock_; }
    QAction* finetuneAction() const { return finetune_; }
    QAction* probeAction() const { return probe_; }

private:
    void showDock();

    MainWindow* window_;
    FinetuneRun* run_ = nullptr;
    FinetuneRunView* view_ = nullptr;
    QDockWidget* dock_ = nullptr;
    QAction* finetune_ = nullptr;
    QAction* resume_ = nullptr;
    QAction* probe_ = nullptr;
    QPointer<ProbeDialog> probeDialog_;
};

} // namespace bertlab::ui
