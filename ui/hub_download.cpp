// Runs hub::downloadBertModel under QtConcurrent; progress hops to the GUI thread as queued signals.
#include "hub_download.h"

#include "cancelled.h"
#include "hub/hub_downloader.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace bertlab::ui {

HubDownload::HubDownload(QObject* parent) : QObject(parent)
{
    watcher_ = new QFutureWatcher<Outcome>(this);
    connect(watcher_, &QFutureWatcher<Outcome>::finished, this, &HubDownload::onFinished);
}

HubDownload::~HubDownload()
{
    if (running_) {
        stop_->request_stop();
        watcher_->waitForFinished();
    }
}

bool HubDownload::start(const QString& repoId, const QString& revision)
{
    if (running_) return false;
    running_ = true;
    stop_ = std::make_unique<std::stop_source>();
    hub::DownloadOptions options;
    options.revision = revision.trimmed().isEmpty() ? std::string("main") : revision.trimmed().toStdString();
    options.stop = stop_->get_token();
    // Emitted from the worker thread: Qt queues the signal to the receivers on the GUI thread.
    options.progress = [this](uint64_t done, uint64_t total) {
        emit progress(static_cast<qint64>(done), static_cast<qint64>(total));
    };
    watcher_->setFuture(QtConcurrent::run([repo = repoId.trimmed().toStdString(), options]() -> Outcome {
        Outcome o;
        // No exception may reach the event loop: everything becomes a one-line message.
        try {
            o.snapshot = QString::fromStdString(hub::downloadBertModel(repo, options).snapshot.string());
        } catch (const Cancelled&) {
            o.cancelled = true;
        } catch (const std::exception& e) {
            o.error = QString::fromUtf8(e.what());
        } catch (...) {
            o.error = tr("The download failed.");
        }
        return o;
    }));
    return true;
}

void HubDownload::cancel()
{
    if (running_) stop_->request_stop();
}

void HubDownload::onFinished()
{
    running_ = false;
    const Outcome o = watcher_->result();
    if (o.cancelled)
        emit cancelled();
    else if (!o.error.isEmpty())
        emit failed(o.error);
    else
        emit finished(o.snapshot);
}

} // namespace bertlab::ui
