// One piece of engine work at a time on a pool thread, with progress and Cancel; a new start cancels the old.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <stop_token>

namespace bertlab::ui {

// For the attribution and head-importance views: the engine checks the stop token between matrix
// products, so a cancelled or superseded job ends within one product and its result is dropped.
// Signals arrive on the thread that owns the job (the GUI thread); the event loop never waits.
class CancellableJob : public QObject {
    Q_OBJECT
public:
    using Progress = std::function<void(int done, int total)>;
    // Runs on the pool thread and returns what to do with its result on the GUI thread. Throws
    // bertlab::Cancelled when stopped, anything else on failure.
    using Work = std::function<std::function<void()>(std::stop_token stop, const Progress& progress)>;

    explicit CancellableJob(QObject* parent = nullptr);
    ~CancellableJob() override;  // cancels and waits for the pool thread

    void start(Work work);
    void cancel();  // emits cancelled() when a job was running
    bool isRunning() const { return running_; }
    // Spins a local event loop until no job runs; false on timeout.
    bool waitForIdle(int timeoutMs);

signals:
    void runningChanged(bool running);
    void progress(int done, int total);
    void failed(const QString& message);
    void cancelled();

private:
    void setRunning(bool on);

    QThreadPool pool_;
    std::stop_source stop_;
    quint64 serial_ = 0;  // GUI thread only: results of older serials are dropped
    bool running_ = false;
};

} // namespace bertlab::ui
