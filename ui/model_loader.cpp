// Runs loadExplorerModel on the thread pool and turns its outcome (or exception) into signals.
#include "model_loader.h"

#include "hub/model_reference.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace bertlab::ui {

ModelLoader::ModelLoader(QObject* parent) : QObject(parent)
{
    watcher_ = new QFutureWatcher<Result>(this);
    connect(watcher_, &QFutureWatcher<Result>::finished, this, &ModelLoader::onFinished);
}

ModelLoader::~ModelLoader()
{
    if (loading_)
        watcher_->waitForFinished();
}

bool ModelLoader::load(const QString& path)
{
    if (loading_ || path.isEmpty())
        return false;
    loading_ = true;
    // A path that exists is made absolute; anything else may be a repo id for the Hub cache.
    loadingPath_ = QFileInfo::exists(path) ? QFileInfo(path).absoluteFilePath() : path.trimmed();
    watcher_->setFuture(QtConcurrent::run([p = loadingPath_, options = options_]() -> Result {
        Result r;
        r.path = p;
        // No exception may reach the event loop: everything becomes a one-line message.
        try {
            const std::string resolved = hub::resolveModelReference(p.toStdString());
            r.path = QString::fromStdString(resolved);
            r.model = loadExplorerModel(resolved, options);
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        } catch (...) {
            r.error = tr("Could not load the model.");
        }
        return r;
    }));
    return true;
}

void ModelLoader::onFinished()
{
    loading_ = false;
    Result r = watcher_->result();
    if (!r.model.model) {
        emit failed(r.error.isEmpty() ? tr("Unknown error") : r.error);
        return;
    }
    model_ = std::move(r.model.model);
    memory_ = std::move(r.model.memory);
    path_ = r.path;
    emit loaded();
}

} // namespace bertlab::ui
