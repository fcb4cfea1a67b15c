// One Hugging Face Hub download on the thread pool, with progress and cancel as Qt signals.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <stop_token>

namespace bertlab::ui {

class HubDownload : public QObject {
    Q_OBJECT
public:
    explicit HubDownload(QObject* parent = nullptr);
    ~HubDownload() override;  // cancels and waits: no download thread outlives its owner

    // Starts downloadBertModel in the background (environment read now); false while one runs.
    bool start(const QString& repoId, const QString& revision);
    // Asks the running download to stop; cancelled() follows, the partial file stays for resume.
    void cancel();
    bool isRunning() const { return running_; }

signals:
    void progress(qint64 done, qint64 total);
    void finished(const QString& snapshotFolder);
    void failed(const QString& message);  // one line
    void cancelled();

private:
    struct Outcome {
        QString snapshot;
        QString error;
        bool cancelled = false;
    };
    void onFinished();

    QFutureWatcher<Outcome>* watcher_ = nullptr;
    std::unique_ptr<std::stop_source> stop_;
    bool running_ = false;
};

} // namespace bertlab::ui
