// The UI language: which translations ship, and installing bertlab's and Qt's own for one of them.
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTranslator>

#include <memory>

namespace bertlab::ui {

// "" follows the system (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); "en" is the untranslated source.
inline constexpr const char* kSystemLanguage = "";

// Language codes with a translation embedded in the program (always includes "en"), sorted.
QStringList availableLanguages();

// The language's own name for itself ("Español"), for the menu.
QString languageName(const QString& code);

// Whether `code` is "", "system" or names a language of availableLanguages() ("es", "es_MX").
bool isKnownLanguage(const QString& code);

// Owns the installed translators; they stay installed while this lives.
class UiTranslations {
public:
    UiTranslations();
    ~UiTranslations();
    UiTranslations(const UiTranslations&) = delete;
    UiTranslations& operator=(const UiTranslations&) = delete;

    // Installs bertlab's translation and Qt's qtbase one for `code` ("" or "system": the system
    // locale). Returns the language now shown ("en" when nothing matched).
    QString install(const QString& code);

private:
    void remove();

    std::unique_ptr<QTranslator> own_;
    std::unique_ptr<QTranslator> qt_;
};

} // namespace bertlab::ui
