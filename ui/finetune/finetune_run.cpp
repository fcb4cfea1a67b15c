// Runs prepareFinetune and Finetuner::run on a worker thread; every result reaches the GUI thread as a queued call.
#include "finetune/finetune_run.h"

#include "background_priority.h"
#include "finetune/finetune_setup.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QMetaObject>
#include <QThread>
#include <QTimer>

#include <exception>
#include <functional>

namespace bertlab::ui {

FinetuneRun::FinetuneRun(QObject* parent) : QObject(parent) {}

FinetuneRun::~FinetuneRun()
{
    stop_.request_stop();
    if (thread_.joinable())
        thread_.join();
}

bool FinetuneRun::start(const FinetuneOptions& options, const QString& outDir)
{
    return launch([options, dir = outDir.toStdString()] { return prepareFinetune(options, dir); }, outDir);
}

bool FinetuneRun::resume(const QString& outDir)
{
    return launch([dir = outDir.toStdString()] { return prepareFinetuneResume(dir); }, outDir);
}

bool FinetuneRun::launch(const std::function<PreparedFinetune()>& prepare, const QString& outDir)
{
    if (isActive())
        return false;
    if (thread_.joinable())
        thread_.join();  // the previous run has ended; its thread only has to return
    outDir_ = outDir;
    lastError_.clear();
    stop_ = std::stop_source();
    setState(State::Preparing);
    thread_ = std::jthread([this, prepare, stop = stop_.get_token()] {
        lowerThisThreadsPriority();
        // Everything crosses to the GUI thread by value in a queued call: no exception, and no
        // reference to the worker's objects, leaves this thread.
        try {
            PreparedFinetune p = prepare();
            const FinetuneOptions o = p.run->options();
            const int64_t total = p.run->totalSteps();
            QString summary = tr("%1 task, %2 labels, %3 training and %4 dev examples, %5 steps")
                                  .arg(QString::fromLatin1(classifierTaskName(o.task)))
                                  .arg(o.labels.size())
                                  .arg(p.trainExamples)
                                  .arg(p.devExamples)
                                  .arg(total);
            if (p.run->step() > 0)
                summary += tr("; resuming at step %1").arg(p.run->step());
            if (p.trainLostWords + p.devLostWords > 0)
                summary += tr("; %1 words fall past the maximum sequence length").arg(p.trainLostWords + p.devLostWords);
            QMetaObject::invokeMethod(this, [this, o, total, summary] {
                options_ = o;
                totalSteps_ = total;
                setState(State::Training);
                emit prepared(summary);
            }, Qt::QueuedConnection);
            p.run->onStep([this](const FinetuneStepMetrics& m) {
                QMetaObject::invokeMethod(this, [this, m] { emit stepped(m); }, Qt::QueuedConnection);
            });
            const TrainingOutcome outcome = p.run->run(stop);
            QMetaObject::invokeMethod(this, [this, outcome] {
                setState(outcome == TrainingOutcome::Completed ? State::Finished : State::Stopped);
            }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(this, [this, message] {
                lastError_ = message;
                setState(State::Failed);
                emit failed(message);
            }, Qt::QueuedConnection);
        } catch (...) {
            QMetaObject::invokeMethod(this, [this] {
                lastError_ = tr("The fine-tuning run failed for an unknown reason.");
                setState(State::Failed);
                emit failed(lastError_);
            }, Qt::QueuedConnection);
        }
    });
    return true;
}

void FinetuneRun::stop()
{
    if (!isActive())
        return;
    stop_.request_stop();
    setState(State::Stopping);
}

bool FinetuneRun::wait(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (isActive()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (thread_.joinable())
        thread_.join();
    return true;
}

void FinetuneRun::setState(State state)
{
    if (state == state_)
        return;
    // A stop asked for while preparing keeps "Stopping" until the thread says how it ended.
    if (state_ == State::Stopping && state == State::Training)
        return;
    state_ = state;
    emit stateChanged(state);
}

} // namespace bertlab::ui
