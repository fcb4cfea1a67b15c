// Loads the embedded bertlab_<lang>.qm and Qt's qtbase_<lang>.qm for the chosen or the system language.
#include "ui_language.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>

#include <algorithm>

// Outside any namespace, as Q_INIT_RESOURCE requires: a static library's resources are registered
// only when asked for.
static void registerTranslationResources()
{
    Q_INIT_RESOURCE(bertlab_translations);
}

namespace bertlab::ui {

namespace {

// lrelease's output is embedded by ui/CMakeLists.txt under this prefix.
const QString kQmDir = QStringLiteral(":/i18n");
const QString kPrefix = QStringLiteral("bertlab_");

void ensureResources()
{
    static const bool registered = (registerTranslationResources(), true);
    Q_UNUSED(registered);
}

// The language's name for itself is the translation of this message.
struct SourceText {
    const char* source;
    const char* comment;
};
const char* const kNameContext = "bertlab::ui::Languages";
const SourceText kName = QT_TRANSLATE_NOOP3("bertlab::ui::Languages", "English",
                                            "The name of the language of this translation, written in it");

bool isSystem(const QString& code)
{
    return code.isEmpty() || code == QLatin1String("system");
}

} // namespace

QStringList availableLanguages()
{
    ensureResources();
    QStringList codes{QStringLiteral("en")};
    const QStringList files = QDir(kQmDir).entryList({kPrefix + QStringLiteral("*.qm")}, QDir::Files);
    for (const QString& f : files)
        codes << f.mid(kPrefix.size(), f.size() - kPrefix.size() - 3);
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    return codes;
}

QString languageName(const QString& code)
{
    if (code == QLatin1String("en"))
        return QStringLiteral("English");
    // Each translation names its own language (QLocale's native names carry a country, "español de España").
    QTranslator translation;
    if (translation.load(kQmDir + QLatin1Char('/') + kPrefix + code + QStringLiteral(".qm"))) {
        const QString name = translation.translate(kNameContext, kName.source, kName.comment);
        if (!name.isEmpty())
            return name;
    }
    return code;
}

bool isKnownLanguage(const QString& code)
{
    // es_MX or es-MX is Spanish: the translation is per language, the locale keeps the rest.
    return isSystem(code) || availableLanguages().contains(code.section(QLatin1Char('_'), 0, 0).section(QLatin1Char('-'), 0, 0));
}

UiTranslations::UiTranslations() = default;

UiTranslations::~UiTranslations()
{
    remove();
}

void UiTranslations::remove()
{
    for (auto* t : {own_.get(), qt_.get()})
        if (t)
            QCoreApplication::removeTranslator(t);
    own_.reset();
    qt_.reset();
}

QString UiTranslations::install(const QString& code)
{
    ensureResources();
    remove();
    if (code == QLatin1String("en"))
        return code;
    // QLocale() is the system locale, whose uiLanguages() also honour LANGUAGE's list.
    const QLocale locale = isSystem(code) ? QLocale() : QLocale(code);
    auto own = std::make_unique<QTranslator>();
    if (!own->load(locale, QStringLiteral("bertlab"), QStringLiteral("_"), kQmDir))
        return QStringLiteral("en");  // no translation for it: the source language is shown
    const QString shown = own->language().section(QLatin1Char('_'), 0, 0);
    QCoreApplication::installTranslator(own.get());
    own_ = std::move(own);
    // Qt's own strings (standard buttons, file dialogs) in the same language, when Debian ships them.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QLocale(shown), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qt_ = std::move(qt);
    }
    return shown;
}

} // namespace bertlab::ui
