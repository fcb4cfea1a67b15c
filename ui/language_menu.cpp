// Lists System plus every embedded translation; choosing one saves it and says when it takes effect.
#include "language_menu.h"

#include "app_settings.h"
#include "ui_language.h"

#include <QActionGroup>
#include <QMessageBox>

namespace bertlab::ui {

LanguageMenu::LanguageMenu(QWidget* parent) : QMenu(tr("&Language"), parent), group_(new QActionGroup(this))
{
    setObjectName(QStringLiteral("languageMenu"));
    group_->setExclusive(true);
    const QString saved = AppSettings().language();
    auto add = [this, &saved](const QString& text, const QString& code) {
        QAction* a = addAction(text);
        a->setCheckable(true);
        a->setData(code);
        a->setChecked(code == saved);
        group_->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] { choose(code); });
    };
    add(tr("&System Language"), QString::fromLatin1(kSystemLanguage));
    addSeparator();
    for (const QString& code : availableLanguages())
        add(languageName(code), code);  // each in its own language, so a reader finds theirs
    if (!group_->checkedAction() && !group_->actions().isEmpty())
        group_->actions().front()->setChecked(true);  // a saved code whose translation is gone
}

QString LanguageMenu::chosen() const
{
    const QAction* a = group_->checkedAction();
    return a ? a->data().toString() : QString();
}

void LanguageMenu::choose(const QString& code)
{
    AppSettings settings;
    if (settings.language() == code)
        return;
    settings.setLanguage(code);
    emit languageChosen(code);
    // Every widget reads its texts once, when it is built: a restart is the honest way to switch.
    const QString name = code.isEmpty() ? tr("the system's language") : languageName(code);
    auto* box = new QMessageBox(QMessageBox::Information, tr("Language"),
                                tr("bertlab will be shown in %1 the next time it starts.").arg(name),
                                QMessageBox::Ok, parentWidget());
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace bertlab::ui
