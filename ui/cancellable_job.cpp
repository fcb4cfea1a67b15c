// Starts, supersedes and cancels background engine work and posts its outcome back to the GUI thread.
#include "cancellable_job.h"

#include "background_priority.h"
#include "cancelled.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QMetaObject>
#include <QRunnable>
#include <QTimer>

#include <exception>

namespace bertlab::ui {

CancellableJob::CancellableJob(QObject* parent) : QObject(parent)
{
    // Two threads: a superseded job may still be finishing its last matrix product while the new one starts.
    pool_.setMaxThreadCount(2);
}

CancellableJob::~CancellableJob()
{
    stop_.request_stop();
    pool_.waitForDone();
}

void CancellableJob::setRunning(bool on)
{
    if (running_ == on)
        return;
    running_ = on;
    emit runningChanged(on);
}

void CancellableJob::start(Work work)
{
    stop_.request_stop();
    stop_ = std::stop_source();
    const quint64 serial = ++serial_;
    const std::stop_token stop = stop_.get_token();
    setRunning(true);
    pool_.start(QRunnable::create([this, serial, stop, work = std::move(work)] {
        lowerThisThreadsPriority();
        // Posted to this object: dropped by Qt if it is gone, and by serial if superseded.
        const auto post = [this, serial](std::function<void()> onGui) {
            QMetaObject::invokeMethod(
                this,
                [this, serial, onGui = std::move(onGui)] {
                    if (serial == serial_)
                        onGui();
                },
                Qt::QueuedConnection);
        };
        const Progress progress = [this, post](int done, int total) { post([this, done, total] { emit this->progress(done, total); }); };
        try {
            std::function<void()> deliver = work(stop, progress);
            post([this, deliver = std::move(deliver)] {
                setRunning(false);
                if (deliver)
                    deliver();
            });
        } catch (const Cancelled&) {
            post([this] {
                setRunning(false);
                emit cancelled();
            });
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            post([this, message] {
                setRunning(false);
                emit failed(message);
            });
        } catch (...) {
            post([this] {
                setRunning(false);
                emit failed(tr("The computation failed for an unknown reason."));
            });
        }
    }));
}

void CancellableJob::cancel()
{
    stop_.request_stop();
    ++serial_;
    if (running_) {
        setRunning(false);
        emit cancelled();
    }
}

bool CancellableJob::waitForIdle(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (running_ && clock.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return !running_;
}

} // namespace bertlab::ui
