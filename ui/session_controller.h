// Sessions in the explorer: capture what is on screen, save it, open one (loading its model first) and apply it.
#pragma once

#include "session.h"

#include <QObject>
#include <QString>

#include <optional>

class QWidget;

namespace bertlab::ui {

class AblationController;
class InputPanel;
class ModelLoader;
class ViewSynchroniser;

class SessionController : public QObject {
    Q_OBJECT
public:
    // `window` parents the file dialogs.
    SessionController(QWidget* window, const ModelLoader* models, InputPanel* input, ViewSynchroniser* views,
                      AblationController* ablation, QObject* parent = nullptr);

    Session current() const;
    bool save(const QString& path, QString* error);
    // Applies the session at once, or, when it names another model, asks for that model
    // (modelRequested) and applies it once the window calls applyPending after the load.
    bool open(const QString& path, QString* error);
    void apply(const Session& session);
    // The window calls this when a model has loaded; false: no session was waiting for it.
    bool applyPending();

    void chooseToOpen();
    void chooseToSave();

signals:
    void modelRequested(const QString& path);
    void saved(const QString& path);
    void failed(const QString& title, const QString& message);

private:
    QWidget* window_;
    const ModelLoader* models_;
    InputPanel* input_;
    ViewSynchroniser* views_;
    AblationController* ablation_;
    std::optional<Session> pending_;
};

} // namespace bertlab::ui
