// View ▸ Language: the system's language or one that ships; the choice is saved and applies at the next start.
#pragma once

#include <QMenu>

class QActionGroup;

namespace bertlab::ui {

class LanguageMenu : public QMenu {
    Q_OBJECT
public:
    explicit LanguageMenu(QWidget* parent = nullptr);

    // The saved choice: "" for the system's language, else a code such as "es".
    QString chosen() const;

signals:
    void languageChosen(const QString& code);

private:
    void choose(const QString& code);

    QActionGroup* group_;
};

} // namespace bertlab::ui
