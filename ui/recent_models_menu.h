// File ▸ Recent Models: the models opened lately (AppSettings), newest first, and Clear List.
#pragma once

#include <QMenu>

namespace bertlab::ui {

class RecentModelsMenu : public QMenu {
    Q_OBJECT
public:
    explicit RecentModelsMenu(const QString& title, QWidget* parent = nullptr);
    void refresh();  // rebuilds from the settings

signals:
    void openRequested(const QString& path);
};

} // namespace bertlab::ui
