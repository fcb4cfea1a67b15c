// The explorer's commands: actions with their texts and shortcuts, and where they sit in the menus.
#pragma once

#include <QCoreApplication>

class QAction;
class QMenu;
class QMenuBar;
class QWidget;

namespace bertlab::ui {

// The window connects them; they belong to (and are deleted with) the window.
struct ExplorerActions {
    Q_DECLARE_TR_FUNCTIONS(ExplorerActions)

public:
    explicit ExplorerActions(QWidget* window);

    // File, View and Help; `recent` goes under Open Model, `cardToggle` (the model dock's) and the
    // `language` submenu last in View.
    void addMenus(QMenuBar* bar, QMenu* recent, QAction* cardToggle, QMenu* language) const;

    QAction* openModel;
    QAction* openFromHub;       // File ▸ Open From Hugging Face…
    QAction* openFromHubCache;  // File ▸ Open From Hugging Face Cache…
    QAction* openSession;
    QAction* saveSession;
    QAction* exportImage;
    QAction* exportData;
    QAction* quit;
    QAction* presentation;  // checkable
    QAction* dark;          // checkable
    QAction* preview;       // checkable
    QAction* nextLayer;
    QAction* prevLayer;
    QAction* nextHead;
    QAction* prevHead;
    QAction* toggleHead;      // switch the selected head off / on
    QAction* toggleLayer;     // switch the selected layer off / on
    QAction* resetAblation;   // every head back on
    QAction* explain;
    QAction* about;
};

} // namespace bertlab::ui
