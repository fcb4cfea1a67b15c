// Creates the explorer's actions and fills the File, View and Help menus with them.
#include "explorer_actions.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QWidget>

namespace bertlab::ui {

namespace {

QAction* action(QWidget* window, const QString& text, const QList<QKeySequence>& keys = {}, bool checkable = false)
{
    auto* a = new QAction(text, window);
    a->setShortcuts(keys);
    a->setCheckable(checkable);
    return a;
}

} // namespace

ExplorerActions::ExplorerActions(QWidget* window)
    : openModel(action(window, tr("&Open Model…"), {QKeySequence(QKeySequence::Open)})),
      openFromHub(action(window, tr("Open From &Hugging Face…"))),
      openFromHubCache(action(window, tr("Open From Hugging Face &Cache…"))),
      openSession(action(window, tr("Open &Session…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)})),
      saveSession(action(window, tr("&Save Session…"), {QKeySequence(QKeySequence::Save)})),
      exportImage(action(window, tr("Export View &Image (PNG / PDF / SVG)…"), {QKeySequence(Qt::CTRL | Qt::Key_E)})),
      exportData(action(window, tr("Export View &Data (CSV / JSON)…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)})),
      quit(action(window, tr("&Quit"), {QKeySequence(QKeySequence::Quit)})),
      presentation(action(window, tr("&Presentation Mode"),
                          {QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_P)}, true)),
      dark(action(window, tr("&Dark Palette"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)}, true)),
      preview(action(window, tr("Fast &Preview While Typing"), {}, true)),
      nextLayer(action(window, tr("Next Layer"), {QKeySequence(Qt::CTRL | Qt::Key_Up), QKeySequence(Qt::Key_BracketRight)})),
      prevLayer(action(window, tr("Previous Layer"), {QKeySequence(Qt::CTRL | Qt::Key_Down), QKeySequence(Qt::Key_BracketLeft)})),
      nextHead(action(window, tr("Next Head"), {QKeySequence(Qt::CTRL | Qt::Key_Right), QKeySequence(Qt::Key_Period)})),
      prevHead(action(window, tr("Previous Head"), {QKeySequence(Qt::CTRL | Qt::Key_Left), QKeySequence(Qt::Key_Comma)})),
      toggleHead(action(window, tr("Switch Selected &Head Off / On"), {QKeySequence(Qt::CTRL | Qt::Key_K)})),
      toggleLayer(action(window, tr("Switch Selected &Layer Off / On"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K)})),
      resetAblation(action(window, tr("&Reset Switched-Off Heads"), {QKeySequence(Qt::CTRL | Qt::Key_R)})),
      explain(action(window, tr("&What Am I Looking At?"), {QKeySequence(QKeySequence::HelpContents)})),
      about(action(window, tr("&About bertlab")))
{
    openFromHub->setStatusTip(tr("Download a BERT from the Hugging Face Hub into the cache transformers shares, and open it"));
    openFromHubCache->setStatusTip(tr("Open a BERT model already in the Hugging Face cache"));
    preview->setStatusTip(tr("Show a bfloat16 analysis at once, then the exact float32 one"));
    toggleHead->setStatusTip(tr("Multiply the selected head's attention by 0 (Hugging Face's head_mask) and re-run"));
    for (QAction* a : {nextLayer, prevLayer, nextHead, prevHead, toggleHead, toggleLayer, resetAblation})
        window->addAction(a);  // window-wide shortcuts even when the toolbar is hidden
}

void ExplorerActions::addMenus(QMenuBar* bar, QMenu* recent, QAction* cardToggle, QMenu* language) const
{
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(openModel);
    file->addMenu(recent);
    file->addActions({openFromHub, openFromHubCache});
    file->addSeparator();
    file->addActions({openSession, saveSession});
    file->addSeparator();
    file->addActions({exportImage, exportData});
    file->addSeparator();
    file->addAction(quit);

    QMenu* view = bar->addMenu(tr("&View"));
    view->addActions({presentation, dark, preview});
    view->addSeparator();
    view->addActions({nextLayer, prevLayer, nextHead, prevHead});
    view->addSeparator();
    view->addActions({toggleHead, toggleLayer, resetAblation});
    view->addSeparator();
    view->addAction(cardToggle);
    view->addMenu(language);

    QMenu* help = bar->addMenu(tr("&Help"));
    help->addActions({explain, about});
}

} // namespace bertlab::ui
