// Runs the engine for the newest AnalysisRequest on its own thread and hands back an Analysis.
#pragma once

#include "analysis.h"

#include <QEvent>
#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <vector>
#include <mutex>
#include <optional>
#include <stop_token>

namespace bertlab::ui {

// The intact model's trace for the last tokens analysed with heads switched off: switching
// another head on or off keeps the tokens, so their intact pass need not run again.
class IntactTraceCache {
public:
    std::shared_ptr<const Trace> find(const std::shared_ptr<const BertModel>& model, const Encoding& encoding, int topK, bool bfloat16) const;
    void store(const std::shared_ptr<const BertModel>& model, const Encoding& encoding, int topK, bool bfloat16, std::shared_ptr<const Trace> trace);

private:
    // One entry per precision: a preview request runs bfloat16 and then float32 on the same tokens.
    struct Entry {
        std::weak_ptr<const BertModel> model;  // weak: a replaced model is freed, and never matches again
        std::vector<int> ids, typeIds;
        int topK = 0;
        std::shared_ptr<const Trace> trace;
    };
    mutable std::mutex mutex_;
    Entry entries_[2];  // [float32, bfloat16]
};

// Requests coalesce: a submission cancels the forward pass that is running (it stops before its
// next matrix product) and replaces any request still waiting, so only the newest text is worked
// on; a result that is already superseded is dropped. Some requests are delivered twice, the
// second time after the GUI has drawn the first: with deferMlm, without the MLM guesses and then
// complete; with preview, in bfloat16 and then in float32. Signals arrive on the thread that owns
// the worker (the GUI thread).
class AnalysisWorker : public QObject {
    Q_OBJECT
public:
    explicit AnalysisWorker(QObject* parent = nullptr);
    ~AnalysisWorker() override;

    // Thread-safe; the model is captured with the request, so a later model change is harmless.
    void submit(std::shared_ptr<const BertModel> model, AnalysisRequest request);
    bool isBusy() const;
    // Spins a local event loop until no request is pending or running and its result has been
    // delivered; false on timeout.
    bool waitForIdle(int timeoutMs);

    // The whole job, synchronously: tokenize, apply masks, forward with the right probe.
    // Throws bertlab::Error (bad input), bertlab::Cancelled (stop requested) or std::exception.
    // `cache` (optional) keeps the intact pass of an ablated request for the next one on the same tokens.
    static Analysis run(const std::shared_ptr<const BertModel>& model, const AnalysisRequest& request,
                        std::stop_token stop = {}, IntactTraceCache* cache = nullptr);
    // The second delivery owed for `first` (Analysis::followUpPending): the float32 analysis after
    // a bfloat16 preview, or a copy of a deferred analysis with its MLM guesses added.
    static Analysis followUp(const Analysis& first, std::stop_token stop = {}, IntactTraceCache* cache = nullptr);

signals:
    void busyChanged(bool busy);  // false only once nothing is queued, running or owed
    void analysisReady(bertlab::ui::AnalysisPtr analysis);
    void analysisFailed(quint64 serial, const QString& message);

protected:
    bool event(QEvent* event) override;  // the low-priority "now the second delivery" request

private:
    struct Job {
        std::shared_ptr<const BertModel> model;
        AnalysisRequest request;
        AnalysisPtr first;  // set: the follow-up of this delivered analysis (followUp)
    };
    static constexpr QEvent::Type kCompletionEvent = QEvent::Type(QEvent::User + 17);

    void processPending();  // runs on the worker thread
    void schedule();        // queues processPending on the worker thread if work is pending
    bool busyLocked() const;
    void deliver(AnalysisPtr analysis, quint64 serial, const QString& error, bool cancelled);  // GUI thread

    IntactTraceCache intactCache_;
    QThread thread_;
    QObject* threadContext_ = nullptr;  // lives on thread_, receives the queued work
    mutable std::mutex mutex_;
    std::optional<Job> pending_;
    std::stop_source running_;  // of the job on the worker thread, triggered by a newer submission
    bool scheduled_ = false;   // a processPending call is queued or running
    int inFlight_ = 0;         // results not yet delivered on the GUI thread
    bool awaitingCompletion_ = false;  // a first delivery was shown; its follow-up is owed
    AnalysisPtr completionFor_;        // GUI thread only: the analysis whose follow-up is owed
    quint64 latestSerial_ = 0;
};

} // namespace bertlab::ui
