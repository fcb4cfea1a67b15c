// Rebuilds the recent-models entries from AppSettings.
#include "recent_models_menu.h"

#include "app_settings.h"

#include <QDir>

namespace bertlab::ui {

RecentModelsMenu::RecentModelsMenu(const QString& title, QWidget* parent) : QMenu(title, parent)
{
    refresh();
}

void RecentModelsMenu::refresh()
{
    clear();
    const QStringList recent = AppSettings().recentModels();
    for (const QString& path : recent) {
        QAction* a = addAction(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (recent.isEmpty()) {
        addAction(tr("(none)"))->setEnabled(false);
        return;
    }
    addSeparator();
    connect(addAction(tr("Clear List")), &QAction::triggered, this, [this] {
        AppSettings().clearRecentModels();
        refresh();
    });
}

} // namespace bertlab::ui
