// Opens models off the GUI thread and holds the one the explorer shows, with the engine's memory decision.
#pragma once

#include "explorer_model_loader.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

namespace bertlab::ui {

class ModelLoader : public QObject {
    Q_OBJECT
public:
    explicit ModelLoader(QObject* parent = nullptr);
    ~ModelLoader() override;  // waits for a load still running: no loading thread outlives the window

    // Starts loading in the background; false (nothing started) while another load runs. `path` is
    // a model folder or weight file, or a Hugging Face repo id found in the Hub cache.
    // loaded() or failed() reports the outcome on the GUI thread.
    bool load(const QString& path);
    bool isLoading() const { return loading_; }
    QString loadingPath() const { return loadingPath_; }  // absolute, or the repo id

    // The model shown, its absolute path as opened (folder or file) and what the engine decided
    // about its memory; null before the first successful load. A failed load keeps the previous one.
    std::shared_ptr<const BertModel> model() const { return model_; }
    QString path() const { return path_; }
    const MemoryDecision& memory() const { return memory_; }

    // Passed to the engine for every later load (ExplorerLoadOptions): tests lower the preview's
    // minimum model size to exercise the preview on small models.
    ExplorerLoadOptions& options() { return options_; }

signals:
    void loaded();
    void failed(const QString& message);  // one line

private:
    struct Result {
        ExplorerModel model;
        QString path;
        QString error;
    };
    void onFinished();

    QFutureWatcher<Result>* watcher_ = nullptr;
    ExplorerLoadOptions options_;
    bool loading_ = false;
    QString loadingPath_;
    std::shared_ptr<const BertModel> model_;
    QString path_;
    MemoryDecision memory_;
};

} // namespace bertlab::ui
