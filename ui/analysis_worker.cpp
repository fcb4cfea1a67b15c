// The analysis thread: coalescing queue, tokenize + mask + forward, errors as strings.
#include "analysis_worker.h"

#include "background_priority.h"

#include "cancelled.h"
#include "classifier_pass.h"
#include "error.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <exception>

namespace bertlab::ui {

namespace {

// Every [MASK] in what the model reads, typed or toggled: where the MLM head runs.
std::vector<int> maskPositions(const Encoding& encoding, const Vocab& vocab)
{
    std::vector<int> positions;
    if (const auto maskId = vocab.find("[MASK]")) {
        for (int i = 0; i < encoding.size(); ++i)
            if (encoding.ids[static_cast<size_t>(i)] == *maskId)
                positions.push_back(i);
    }
    return positions;
}

} // namespace

std::shared_ptr<const Trace> IntactTraceCache::find(const std::shared_ptr<const BertModel>& model, const Encoding& encoding,
                                                    int topK, bool bfloat16) const
{
    std::lock_guard lock(mutex_);
    const Entry& e = entries_[bfloat16 ? 1 : 0];
    if (!model || model != e.model.lock() || topK != e.topK || encoding.ids != e.ids || encoding.typeIds != e.typeIds)
        return nullptr;
    return e.trace;
}

void IntactTraceCache::store(const std::shared_ptr<const BertModel>& model, const Encoding& encoding, int topK,
                             bool bfloat16, std::shared_ptr<const Trace> trace)
{
    std::lock_guard lock(mutex_);
    entries_[bfloat16 ? 1 : 0] = Entry{model, encoding.ids, encoding.typeIds, topK, std::move(trace)};
}

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<bertlab::ui::AnalysisPtr>("bertlab::ui::AnalysisPtr");
    thread_.setObjectName(QStringLiteral("bertlab-analysis"));
    auto* context = new QObject;
    context->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, context, &QObject::deleteLater);
    threadContext_ = context;
    thread_.start();
    QMetaObject::invokeMethod(context, [] { lowerThisThreadsPriority(); }, Qt::QueuedConnection);
}

AnalysisWorker::~AnalysisWorker()
{
    {
        std::lock_guard lock(mutex_);
        pending_.reset();
        running_.request_stop();
    }
    thread_.quit();
    thread_.wait();
}

void AnalysisWorker::submit(std::shared_ptr<const BertModel> model, AnalysisRequest request)
{
    bool becameBusy = false;
    {
        std::lock_guard lock(mutex_);
        latestSerial_ = std::max(latestSerial_, request.serial);
        becameBusy = !busyLocked();
        pending_ = Job{std::move(model), std::move(request), nullptr};
        running_.request_stop();  // the user has typed past it; a no-op when nothing runs
    }
    if (becameBusy)
        emit busyChanged(true);
    schedule();
}

void AnalysisWorker::schedule()
{
    {
        std::lock_guard lock(mutex_);
        if (scheduled_ || !pending_)
            return;
        scheduled_ = true;
    }
    QMetaObject::invokeMethod(threadContext_, [this] { processPending(); }, Qt::QueuedConnection);
}

bool AnalysisWorker::busyLocked() const
{
    return scheduled_ || inFlight_ > 0 || awaitingCompletion_;
}

bool AnalysisWorker::isBusy() const
{
    std::lock_guard lock(mutex_);
    return busyLocked();
}

bool AnalysisWorker::waitForIdle(int timeoutMs)
{
    if (!isBusy())
        return true;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &AnalysisWorker::busyChanged, &loop, [&loop](bool busy) {
        if (!busy)
            loop.quit();
    });
    timer.start(timeoutMs);
    if (isBusy())
        loop.exec();
    return !isBusy();
}

void AnalysisWorker::processPending()
{
    for (;;) {
        Job job;
        std::stop_token stop;
        {
            std::lock_guard lock(mutex_);
            if (!pending_) {
                scheduled_ = false;
                break;
            }
            job = std::move(*pending_);
            pending_.reset();
            ++inFlight_;
            running_ = std::stop_source();
            stop = running_.get_token();
        }
        AnalysisPtr result;
        QString error;
        bool cancelled = false;
        const quint64 serial = job.request.serial;
        try {
            result = std::make_shared<const Analysis>(job.first ? followUp(*job.first, stop, &intactCache_)
                                                                : run(job.model, job.request, stop, &intactCache_));
        } catch (const Cancelled&) {
            cancelled = true;  // a newer submission (or shutdown) asked for it: nothing to show
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = tr("The analysis failed for an unknown reason.");
        }
        // Decide "no more work" before posting the result, so that deliver() sees an idle worker and
        // reports busy = false; a later submit() simply schedules a new round.
        bool more = false;
        {
            std::lock_guard lock(mutex_);
            more = pending_.has_value();
            if (!more)
                scheduled_ = false;
        }
        QMetaObject::invokeMethod(
            this, [this, result, serial, error, cancelled] { deliver(result, serial, error, cancelled); },
            Qt::QueuedConnection);
        if (!more)
            break;
    }
}

void AnalysisWorker::deliver(AnalysisPtr analysis, quint64 serial, const QString& error, bool cancelled)
{
    bool superseded = false;
    bool idle = false;
    {
        std::lock_guard lock(mutex_);
        --inFlight_;
        superseded = cancelled || serial < latestSerial_ || pending_.has_value();
        // A second delivery is still owed: the worker stays busy until it comes.
        if (!superseded && analysis && analysis->followUpPending())
            awaitingCompletion_ = true;
        idle = !busyLocked();
    }
    if (!superseded) {
        if (analysis)
            emit analysisReady(analysis);
        else
            emit analysisFailed(serial, error);
    }
    if (!superseded && analysis && analysis->followUpPending()) {
        // Ask for the follow-up only after the views have drawn the first delivery: posted at low
        // priority, this arrives after the repaints queued above, so the engine does not take a
        // core from them.
        completionFor_ = analysis;
        QCoreApplication::postEvent(this, new QEvent(kCompletionEvent), Qt::LowEventPriority);
    }
    if (idle)
        emit busyChanged(false);
}

bool AnalysisWorker::event(QEvent* event)
{
    if (event->type() != kCompletionEvent)
        return QObject::event(event);
    AnalysisPtr first = std::move(completionFor_);
    completionFor_.reset();
    bool idle = false;
    {
        std::lock_guard lock(mutex_);
        awaitingCompletion_ = false;
        // A newer request makes this follow-up moot; it brings its own.
        if (first && !pending_ && first->request.serial >= latestSerial_)
            pending_ = Job{first->model, first->request, first};
        idle = !busyLocked() && !pending_;
    }
    schedule();
    if (idle)
        emit busyChanged(false);
    return true;
}

Analysis AnalysisWorker::run(const std::shared_ptr<const BertModel>& model, const AnalysisRequest& request,
                             std::stop_token stop, IntactTraceCache* cache)
{
    if (!model)
        throw Error("No model is loaded.");
    if (request.textA.trimmed().isEmpty())
        throw Error("Type a sentence in Sentence A.");
    QElapsedTimer clock;
    clock.start();

    Analysis analysis;
    analysis.request = request;
    analysis.model = model;
    const std::string a = request.textA.toStdString();
    const std::string b = request.textB.toStdString();
    analysis.original = request.textB.trimmed().isEmpty() ? model->encode(a) : model->encode(a, &b);
    analysis.encoding = analysis.original;

    Encoding& enc = analysis.encoding;
    const Vocab& vocab = model->vocab();
    if (!request.maskedTokens.empty()) {
        const int maskId = vocab.maskId();
        for (int pos : request.maskedTokens) {
            if (pos < 0 || pos >= enc.size() || enc.specialMask[static_cast<size_t>(pos)])
                continue;
            enc.ids[static_cast<size_t>(pos)] = maskId;
            enc.tokens[static_cast<size_t>(pos)] = "[MASK]";
        }
    }
    Probe probe = Probe::everything(maskPositions(enc, vocab));
    probe.topK = std::max(1, request.topK);
    if (!model->hasMlm()) {
        probe.mlmPositions.clear();
        probe.logitLens = false;
        probe.mlmLogits = false;
    }
    if (!model->hasNsp())
        probe.nsp = false;
    if (!model->weights().pooler)
        probe.pooled = false;
    probe.headMultipliers = request.ablation.multipliers();

    // The MLM head reads the whole V x H decoder (94 MB on BERT-Base, as much as three encoder
    // layers): worth keeping off the critical path when no view on screen shows its guesses.
    Probe first = probe;
    const bool preview = request.preview && model->hasBfloat16();
    if (request.deferMlm && !probe.mlmPositions.empty()) {
        first.mlmPositions.clear();
        first.hiddenStates = true;  // completeMlm works from them
        analysis.mlmPending = true;
    }
    analysis.preview = preview;
    const Precision precision = preview ? Precision::Bfloat16 : Precision::Float32;
    analysis.trace = model->forward(enc, first, stop, precision);
    if (!probe.headMultipliers.empty()) {
        // The "before" of every comparison: only the heads' outputs, in the same precision; its
        // guesses come at once even when the ablated ones are deferred (a second pass is cheap
        // beside the views' waiting for a deferred one, and it keeps followUp single-pass).
        analysis.intact = cache ? cache->find(model, enc, probe.topK, preview) : nullptr;
        if (!analysis.intact) {
            Probe intact;
            intact.mlmPositions = probe.mlmPositions;
            intact.topK = probe.topK;
            intact.mlmLogits = !probe.mlmPositions.empty();
            intact.logitLens = probe.logitLens && !probe.mlmPositions.empty();
            intact.nsp = probe.nsp;
            analysis.intact = std::make_shared<const Trace>(model->forward(enc, intact, stop, precision));
            if (cache)
                cache->store(model, enc, probe.topK, preview, analysis.intact);
        }
    }
    if (model->hasClassifier() && !preview) {
        try {
            analysis.classification = std::make_shared<const ClassifierOutput>(
                classifyInput(*model, enc, request.textA, probe.headMultipliers, stop));
            // Intact vs ablated, as the masked-word and NSP views compare them.
            if (!probe.headMultipliers.empty())
                analysis.intactClassification =
                    std::make_shared<const ClassifierOutput>(classifyInput(*model, enc, request.textA, {}, stop));
        } catch (const Error& e) {
            analysis.classificationError = QString::fromStdString(e.what());
        }
    }
    analysis.elapsedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return analysis;
}

Analysis AnalysisWorker::followUp(const Analysis& first, std::stop_token stop, IntactTraceCache* cache)
{
    if (first.preview) {
        // One float32 pass with everything, guesses included, rather than a third delivery.
        AnalysisRequest exact = first.request;
        exact.preview = false;
        exact.deferMlm = false;
        return run(first.model, exact, std::move(stop), cache);
    }
    QElapsedTimer clock;
    clock.start();
    Analysis analysis = first;
    if (!analysis.mlmPending || !analysis.model)
        return analysis;
    Probe probe;
    probe.topK = std::max(1, analysis.request.topK);
    probe.logitLens = true;
    probe.mlmPositions = maskPositions(analysis.encoding, analysis.model->vocab());
    analysis.model->completeMlm(analysis.trace, probe, std::move(stop));
    analysis.mlmPending = false;
    analysis.elapsedMs += static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return analysis;
}

} // namespace bertlab::ui
