// Captures, saves, opens and applies sessions against the input panel, the view selection and the model.
#include "session_controller.h"

#include "ablation_controller.h"
#include "analysis_view.h"
#include "app_settings.h"
#include "input_panel.h"
#include "model_loader.h"
#include "view_synchroniser.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace bertlab::ui {

SessionController::SessionController(QWidget* window, const ModelLoader* models, InputPanel* input,
                                     ViewSynchroniser* views, AblationController* ablation, QObject* parent)
    : QObject(parent), window_(window), models_(models), input_(input), views_(views), ablation_(ablation)
{
    // A session waits for its own model only: after a failed load it is dropped.
    connect(models_, &ModelLoader::failed, this, [this] { pending_.reset(); });
}

Session SessionController::current() const
{
    Session s;
    s.modelPath = models_->model() ? models_->path() : QString();
    s.textA = input_->textA();
    s.textB = input_->textB();
    s.masks = input_->masks();
    s.layer = views_->layer();
    s.head = views_->head();
    s.view = views_->currentView() ? views_->currentView()->name() : QString();
    s.presentationMode = views_->presentationMode();
    s.ablation = QString::fromStdString(ablation_->ablation().toString());
    return s;
}

bool SessionController::save(const QString& path, QString* error)
{
    return saveSession(current(), path, error);
}

bool SessionController::open(const QString& path, QString* error)
{
    QString e;
    const std::optional<Session> s = loadSession(path, &e);
    if (!s) {
        if (error)
            *error = e;
        return false;
    }
    const QString shown = models_->model() ? models_->path() : QString();
    if (!s->modelPath.isEmpty() && QFileInfo(s->modelPath).absoluteFilePath() != shown) {
        if (!QFileInfo::exists(s->modelPath)) {
            if (error)
                *error = tr("The session's model %1 does not exist.").arg(s->modelPath);
            return false;
        }
        pending_ = *s;
        emit modelRequested(s->modelPath);
        return true;
    }
    apply(*s);
    return true;
}

void SessionController::apply(const Session& s)
{
    views_->setPresentationMode(s.presentationMode);
    views_->showView(views_->viewByTitle(s.view));
    input_->setTexts(s.textA, s.textB);
    input_->setMasks(s.masks);
    views_->setLayerHead(s.layer, s.head);
    QString error;
    if (!ablation_->setFromString(s.ablation, &error))
        emit failed(tr("Could not switch the session's heads off"), error);
}

bool SessionController::applyPending()
{
    if (!pending_)
        return false;
    const Session s = *pending_;
    pending_.reset();
    apply(s);
    return true;
}

void SessionController::chooseToOpen()
{
    AppSettings settings;
    const QString path = QFileDialog::getOpenFileName(window_, tr("Open Session"),
                                                      settings.lastDirectory(QStringLiteral("session")), sessionFileFilter());
    if (path.isEmpty())
        return;
    settings.setLastDirectory(QStringLiteral("session"), QFileInfo(path).absolutePath());
    QString error;
    if (!open(path, &error))
        emit failed(tr("Could not open the session"), error);
}

void SessionController::chooseToSave()
{
    AppSettings settings;
    const QString suggested = QDir(settings.lastDirectory(QStringLiteral("session"))).filePath(QStringLiteral("session.bertlab"));
    QString path = QFileDialog::getSaveFileName(window_, tr("Save Session"), suggested, sessionFileFilter());
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".") + QLatin1String(kSessionSuffix);
    settings.setLastDirectory(QStringLiteral("session"), QFileInfo(path).absolutePath());
    QString error;
    if (save(path, &error))
        emit saved(path);
    else
        emit failed(tr("Could not save the session"), error);
}

} // namespace bertlab::ui
