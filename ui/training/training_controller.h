// Wires training into the explorer window: Training menu, run dock, recovery offer, explore and close handling.
#pragma once

#include <QObject>
#include <QPointer>

class QDockWidget;
class QLabel;
class QMainWindow;
class QPushButton;

namespace bertlab::ui {

class MainWindow;
class RunView;
class TrainingRun;

class TrainingController : public QObject {
    Q_OBJECT
public:
    // Adds a "Training" menu and a (hidden until used) run dock to the window; owned by it.
    explicit TrainingController(MainWindow* window);

    RunView* runView() const { return view_; }
    TrainingRun* currentRun() const { return run_; }
    QDockWidget* dock() const { return dock_; }

    void newRun();                             // the dialog, then start
    void resumeRun(const QString& runDir);     // continue an interrupted or stopped run
    void chooseRunToResume();
    // Opens a checkpoint (or live-weight copy) in the explorer, keeping the user's sentence.
    void explore(const QString& folder);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    TrainingRun* freshRun();
    void showRecoveryOffer();
    bool confirmClose();  // false: keep the window open
    void closeIfAsked();

    MainWindow* window_;
    QDockWidget* dock_ = nullptr;
    RunView* view_ = nullptr;
    QWidget* banner_ = nullptr;
    QLabel* bannerText_ = nullptr;
    QPushButton* bannerResume_ = nullptr;
    QString offeredRun_;
    QString pendingExplore_;
    QPointer<TrainingRun> run_;
    bool closeWhenDone_ = false;
};

} // namespace bertlab::ui
