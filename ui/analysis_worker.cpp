// The analysis thread: coalescing queue, tokenize + mask + forward, errors as strings.
#include "analysis_worker.h"

#include "cancelled.h"
#include "error.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <exception>

namespace bertlab::ui {

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<bertlab::ui::AnalysisPtr>("bertlab::ui::AnalysisPtr");
    thread_.setObjectName(QStringLiteral("bertlab-analysis"));
    auto* context = new QObject;
    context->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, context, &QObject::deleteLater);
    threadContext_ = context;
    thread_.start();
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
    bool schedule = false;
    bool becameBusy = false;
    {
        std::lock_guard lock(mutex_);
        latestSerial_ = std::max(latestSerial_, request.serial);
        becameBusy = !scheduled_ && inFlight_ == 0;
        pending_ = Job{std::move(model), std::move(request)};
        running_.request_stop();  // the user has typed past it; a no-op when nothing runs
        if (!scheduled_) {
            scheduled_ = true;
            schedule = true;
        }
    }
    if (becameBusy)
        emit busyChanged(true);
    if (schedule)
        QMetaObject::invokeMethod(threadContext_, [this] { processPending(); }, Qt::QueuedConnection);
}

bool AnalysisWorker::isBusy() const
{
    std::lock_guard lock(mutex_);
    return scheduled_ || inFlight_ > 0;
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
            result = std::make_shared<const Analysis>(run(job.model, job.request, stop));
        } catch (const Cancelled&) {
            cancelled = true;  // a newer submission (or shutdown) asked for it: nothing to show
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = QStringLiteral("The analysis failed for an unknown reason.");
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
        idle = !scheduled_ && inFlight_ == 0;
    }
    if (!superseded) {
        if (analysis)
            emit analysisReady(analysis);
        else
            emit analysisFailed(serial, error);
    }
    if (idle)
        emit busyChanged(false);
}

Analysis AnalysisWorker::run(const std::shared_ptr<const BertModel>& model, const AnalysisRequest& request,
                             std::stop_token stop)
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
    std::vector<int> maskPositions;
    if (const auto maskId = vocab.find("[MASK]")) {
        for (int i = 0; i < enc.size(); ++i)
            if (enc.ids[static_cast<size_t>(i)] == *maskId)
                maskPositions.push_back(i);
    }

    Probe probe = Probe::everything(maskPositions);
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

    analysis.trace = model->forward(enc, probe, std::move(stop));
    analysis.elapsedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return analysis;
}

} // namespace bertlab::ui
