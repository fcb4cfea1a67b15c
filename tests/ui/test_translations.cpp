// Qt Test of the translations: the .ts is complete and consistent, the embedded .qm matches it, and the window speaks Spanish.
#include "analysis_view.h"
#include "attribution_targets.h"
#include "input_panel.h"
#include "main_window.h"
#include "model_card.h"
#include "session.h"
#include "ui_language.h"
#include "view_synchroniser.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace {

// tests/data is BERTLAB_TEST_DATA; the translations live at the top of the source tree.
QString tsPath(const QString& language)
{
    return QStringLiteral(BERTLAB_TEST_DATA "/../../translations/bertlab_%1.ts").arg(language);
}

struct TsMessage {
    QString context;
    QString source;
    QStringList translations;  // one, or one per plural form
    QString type;              // the translation's type attribute: "" when finished
    bool numerus = false;
    int line = 0;
};

// Reads a Qt Linguist .ts with QXmlStreamReader: an independent reading of the file lrelease compiles.
std::vector<TsMessage> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    std::vector<TsMessage> out;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = TsMessage{};
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            current.line = static_cast<int>(xml.lineNumber());
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.type = xml.attributes().value(QLatin1String("type")).toString();
            if (current.numerus) {
                while (xml.readNextStartElement())
                    current.translations << xml.readElementText();  // <numerusform>
            } else {
                current.translations << xml.readElementText();
            }
            out.push_back(current);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return out;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList matches(const QString& text, const QRegularExpression& re)
{
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out << it.next().captured(0);
    return out;
}

QStringList placeholders(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("%L?\\d+|%n|%p|%v|%m"));
    return sorted(matches(text, re));
}

// "&File" has one accelerator; "&nbsp;" and "&&" are not accelerators.
int accelerators(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("&(?!&|[a-z]+;|#\\d+;)\\w"));
    return static_cast<int>(matches(text, re).size());
}

QStringList htmlTags(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("</?[A-Za-z][A-Za-z0-9]*"));
    return sorted(matches(text, re));
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void tsIsCompleteAndConsistent();
    void embeddedQmMatchesTheTs();
    void languagesAndInstall();
    void systemLocaleIsFollowed();
    void freeFunctionsUseTheirContexts();
    void modelCardGivesThePreviewReasonInSpanish();
    void mainWindowSpeaksSpanish();
    void programFollowsLangAndEnvironment();

private:
    QString translation(const QString& context, const QString& source) const;

    std::vector<TsMessage> es_;
    QTemporaryDir dir_;
};

void TestTranslations::initTestCase()
{
    QVERIFY(dir_.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_translations"));
    // The embedded .qm files register with the first question about languages.
    QVERIFY(bertlab::ui::availableLanguages().contains(QStringLiteral("es")));
    QString error;
    es_ = readTs(tsPath(QStringLiteral("es")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // lupdate saw the whole UI: far more than a handful of strings, from many classes.
    QVERIFY2(es_.size() > 600, qPrintable(QString::number(es_.size())));
}

QString TestTranslations::translation(const QString& context, const QString& source) const
{
    for (const TsMessage& m : es_)
        if (m.context == context && m.source == source && !m.translations.isEmpty())
            return m.translations.front();
    return {};
}

void TestTranslations::tsIsCompleteAndConsistent()
{
    std::set<QString> contexts;
    QStringList problems;
    for (const TsMessage& m : es_) {
        contexts.insert(m.context);
        const QString where = QStringLiteral("line %1 (%2: \"%3\")").arg(m.line).arg(m.context, m.source.left(50));
        if (!m.type.isEmpty())
            problems << QStringLiteral("%1 is %2").arg(where, m.type);
        if (m.translations.isEmpty() || std::any_of(m.translations.begin(), m.translations.end(),
                                                    [](const QString& t) { return t.trimmed().isEmpty(); })) {
            problems << QStringLiteral("%1 has an empty translation").arg(where);
            continue;
        }
        if (m.numerus && m.translations.size() != 2)  // Spanish: singular and plural
            problems << QStringLiteral("%1 has %2 plural forms, not 2").arg(where).arg(m.translations.size());
        for (const QString& t : m.translations) {
            if (placeholders(t) != placeholders(m.source))
                problems << QStringLiteral("%1: placeholders %2 became %3")
                                .arg(where, placeholders(m.source).join(QLatin1Char(' ')),
                                     placeholders(t).join(QLatin1Char(' ')));
            if (accelerators(t) != accelerators(m.source))
                problems << QStringLiteral("%1: %2 accelerator(s) became %3")
                                .arg(where).arg(accelerators(m.source)).arg(accelerators(t));
            if (htmlTags(t) != htmlTags(m.source))
                problems << QStringLiteral("%1: HTML tags differ").arg(where);
            // Fragments are glued to their neighbours: leading and trailing spaces must survive.
            if (t.startsWith(QLatin1Char(' ')) != m.source.startsWith(QLatin1Char(' ')) ||
                t.endsWith(QLatin1Char(' ')) != m.source.endsWith(QLatin1Char(' ')))
                problems << QStringLiteral("%1: leading or trailing space differs").arg(where);
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    for (const char* c : {"ExplorerActions", "bertlab::ui::MainWindow", "bertlab::ui::InputPanel",
                          "bertlab::ui::AttentionView", "bertlab::ui::MlmView", "bertlab::ui::NspView",
                          "bertlab::ui::EmbeddingsView", "bertlab::ui::NewRunDialog", "bertlab::ui::FinetuneDialog",
                          "bertlab::ui::HubDownloadDialog", "bertlab::ui::TokenStrip", "bertlab::ui::LanguageMenu"})
        QVERIFY2(contexts.count(QString::fromLatin1(c)), c);
    // A translation that equals its English source is allowed only where Spanish keeps the term.
    int same = 0;
    for (const TsMessage& m : es_)
        same += m.translations.front() == m.source;
    QVERIFY2(same * 10 < static_cast<int>(es_.size()), qPrintable(QString::number(same)));
}

void TestTranslations::embeddedQmMatchesTheTs()
{
    QTranslator qm;
    QVERIFY(qm.load(QStringLiteral(":/i18n/bertlab_es.qm")));
    QCOMPARE(qm.language(), QStringLiteral("es"));
    int checked = 0;
    for (const TsMessage& m : es_) {
        const QByteArray context = m.context.toUtf8();
        const QByteArray source = m.source.toUtf8();
        if (m.numerus) {
            QCOMPARE(qm.translate(context.constData(), source.constData(), nullptr, 1), m.translations.at(0));
            QCOMPARE(qm.translate(context.constData(), source.constData(), nullptr, 5), m.translations.at(1));
        } else {
            QCOMPARE(qm.translate(context.constData(), source.constData()), m.translations.front());
        }
        ++checked;
    }
    QCOMPARE(checked, static_cast<int>(es_.size()));
}

void TestTranslations::languagesAndInstall()
{
    const QStringList languages = bertlab::ui::availableLanguages();
    QVERIFY(languages.contains(QStringLiteral("en")));
    QVERIFY(languages.contains(QStringLiteral("es")));
    QCOMPARE(bertlab::ui::languageName(QStringLiteral("es")), QStringLiteral("Español"));
    QVERIFY(bertlab::ui::isKnownLanguage(QStringLiteral("es_MX")));
    QVERIFY(bertlab::ui::isKnownLanguage(QStringLiteral("system")));
    QVERIFY(!bertlab::ui::isKnownLanguage(QStringLiteral("xx")));

    const QString file = translation(QStringLiteral("ExplorerActions"), QStringLiteral("&File"));
    QVERIFY(!file.isEmpty() && file != QStringLiteral("&File"));
    {
        bertlab::ui::UiTranslations t;
        QCOMPARE(t.install(QStringLiteral("es")), QStringLiteral("es"));
        QCOMPARE(QCoreApplication::translate("ExplorerActions", "&File"), file);
        // Qt's own strings follow when Debian's qt6-translations-l10n is installed.
        QTranslator qtbase;
        if (qtbase.load(QStringLiteral("qtbase_es"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            const QString cancel = qtbase.translate("QPlatformTheme", "Cancel");
            QVERIFY(!cancel.isEmpty() && cancel != QStringLiteral("Cancel"));
            QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), cancel);
        }
        // English is the source: nothing installed, nothing translated.
        QCOMPARE(t.install(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("ExplorerActions", "&File"), QStringLiteral("&File"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
        QCOMPARE(t.install(QStringLiteral("es")), QStringLiteral("es"));
    }
    // Destroying the holder uninstalls its translators.
    QCOMPARE(QCoreApplication::translate("ExplorerActions", "&File"), QStringLiteral("&File"));
}

void TestTranslations::systemLocaleIsFollowed()
{
    // QLocale() is the system locale unless a default is set, which stands in for LANG=es_ES here.
    const QLocale before;
    QLocale::setDefault(QLocale(QStringLiteral("es_AR")));
    {
        bertlab::ui::UiTranslations t;
        QCOMPARE(t.install(QString()), QStringLiteral("es"));
        QCOMPARE(QCoreApplication::translate("ExplorerActions", "&View"),
                 translation(QStringLiteral("ExplorerActions"), QStringLiteral("&View")));
    }
    QLocale::setDefault(QLocale(QStringLiteral("de_DE")));  // no German translation: English
    {
        bertlab::ui::UiTranslations t;
        QCOMPARE(t.install(QStringLiteral("system")), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("ExplorerActions", "&View"), QStringLiteral("&View"));
    }
    QLocale::setDefault(before);
}

void TestTranslations::freeFunctionsUseTheirContexts()
{
    // Free functions borrow a class's tr(): the context lupdate wrote must be the one asked at run time.
    bertlab::ui::UiTranslations t;
    QCOMPARE(t.install(QStringLiteral("es")), QStringLiteral("es"));
    QString why;
    QVERIFY(bertlab::ui::targetChoices(bertlab::ui::Analysis{}, &why).empty());
    const QString expected = translation(
        QStringLiteral("bertlab::ui::AttributionTargets"),
        QStringLiteral("This model has neither a masked-LM head nor a next-sentence head, so there is no guess or "
                       "verdict to explain. (Its checkpoint holds only the encoder.)"));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(why, expected);

    QString error;
    const QString missing = dir_.filePath(QStringLiteral("missing.bertlab"));
    QVERIFY(!bertlab::ui::loadSession(missing, &error));
    const QString pattern = translation(QStringLiteral("bertlab::ui::Sessions"), QStringLiteral("Cannot open %1: %2"));
    QVERIFY(!pattern.isEmpty());
    QVERIFY2(error.startsWith(pattern.section(QStringLiteral("%1"), 0, 0) + missing), qPrintable(error));
}

void TestTranslations::modelCardGivesThePreviewReasonInSpanish()
{
    // The engine decides in English; the card words the rule and sizes in the window's language.
    bertlab::ui::UiTranslations t;
    QCOMPARE(t.install(QStringLiteral("es")), QStringLiteral("es"));
    const int64_t MiB = int64_t(1) << 20;
    bertlab::PreviewFacts small{42 * MiB, 21 * MiB, true, 0};
    const bertlab::MemoryChoice choice = bertlab::decidePreview(small, {});
    QCOMPARE(choice.rule, bertlab::MemoryChoice::Rule::SmallModel);
    const QString pattern = translation(QStringLiteral("bertlab::ui::ModelCard"),
                                        QStringLiteral("not needed: %1 of float32 weights, under the %2 where a "
                                                       "bfloat16 preview pays off"));
    QVERIFY(!pattern.isEmpty());
    const QString shown = bertlab::ui::ModelCard::previewReason(choice);
    QCOMPARE(shown, pattern.arg(QStringLiteral("42.0 MiB"), QStringLiteral("200 MiB")));
    QVERIFY2(shown != QString::fromStdString(choice.reason), qPrintable(shown));
    bertlab::PreviewFacts noBf16 = small;
    noBf16.nativeBfloat16 = false;
    QCOMPARE(bertlab::ui::ModelCard::previewReason(bertlab::decidePreview(noBf16, {})),
             translation(QStringLiteral("bertlab::ui::ModelCard"),
                         QStringLiteral("off: this CPU has no native bfloat16 (AMX or AVX-512 BF16)")));
    // An error's own words pass through.
    bertlab::MemoryChoice failed{false, "off: the bfloat16 copies could not be made: out of memory"};
    QCOMPARE(bertlab::ui::ModelCard::previewReason(failed), QString::fromStdString(failed.reason));
}

void TestTranslations::mainWindowSpeaksSpanish()
{
    bertlab::ui::UiTranslations t;
    QCOMPARE(t.install(QStringLiteral("es")), QStringLiteral("es"));
    bertlab::ui::MainWindow window;
    window.setInteractive(false);
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QStringList menus;
    for (QAction* a : window.menuBar()->actions())
        menus << a->text();
    for (const char* source : {"&File", "&View", "&Help"})
        QVERIFY2(menus.contains(translation(QStringLiteral("ExplorerActions"), QString::fromLatin1(source))),
                 qPrintable(menus.join(QLatin1Char(','))));
    QVERIFY2(menus.contains(translation(QStringLiteral("bertlab::ui::TrainingController"), QStringLiteral("&Training"))),
             qPrintable(menus.join(QLatin1Char(','))));

    // Every tab title is a Spanish text of the .ts (some, like "Embeddings", are spelt alike).
    std::set<QString> spanish;
    for (const TsMessage& m : es_)
        spanish.insert(m.translations.front());
    QTabWidget* tabs = window.tabs();
    QVERIFY(tabs->count() >= 5);
    QStringList titles;
    for (int i = 0; i < tabs->count(); ++i) {
        titles << tabs->tabText(i);
        QVERIFY2(spanish.count(tabs->tabText(i)), qPrintable(tabs->tabText(i)));
    }
    QVERIFY2(titles.contains(translation(QStringLiteral("bertlab::ui::AttentionView"), QStringLiteral("Attention"))),
             qPrintable(titles.join(QLatin1Char(','))));
    QVERIFY(titles.contains(translation(QStringLiteral("bertlab::ui::MlmView"), QStringLiteral("Masked words"))));
    QCOMPARE(window.inputPanel()->editA()->placeholderText(),
             translation(QStringLiteral("bertlab::ui::InputPanel"),
                         QStringLiteral("Type a sentence, e.g. the man went to the [MASK] .")));

    // Screenshots and sessions name views in English whatever the UI language; old sessions' titles still match.
    QCOMPARE(window.viewSync()->viewByTitle(QStringLiteral("next-sentence"))->name(), QStringLiteral("next-sentence"));
    QCOMPARE(window.viewSync()->viewByTitle(QStringLiteral("Masked words"))->name(), QStringLiteral("masked-words"));

    // View ▸ Language lists the system choice and both languages, each under its own name.
    auto* language = window.findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(language);
    QCOMPARE(language->title(), translation(QStringLiteral("bertlab::ui::LanguageMenu"), QStringLiteral("&Language")));
    QStringList entries;
    for (QAction* a : language->actions())
        if (!a->isSeparator())
            entries << a->text();
    QVERIFY(entries.contains(QStringLiteral("English")));
    QVERIFY(entries.contains(QStringLiteral("Español")));
    QCOMPARE(entries.size(), 3);
}

namespace {

struct Shots {
    int exitCode = -1;
    QString error;
    std::map<QString, QImage> images;  // file name -> image
};

// Runs the built bertlab in screenshot mode on the tiny model with extra arguments and environment.
Shots screenshots(const QString& dir, const QStringList& extra, const std::map<QString, QString>& env)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir);
    environment.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2"));
    for (const auto& [k, v] : env)
        environment.insert(k, v);
    QProcess process;
    process.setProcessEnvironment(environment);
    const QString shots = QDir(dir).filePath(QStringLiteral("shots-%1").arg(QDir(dir).entryList().size()));
    process.start(QStringLiteral(BERTLAB_GUI),
                  QStringList{QStringLiteral("--model"), QStringLiteral(BERTLAB_TEST_DATA "/models/tiny"),
                              QStringLiteral("--text"), QStringLiteral("the man went to the [MASK] ."),
                              QStringLiteral("--screenshot-dir"), shots} +
                      extra);
    Shots out;
    if (!process.waitForFinished(300000))
        return out;
    out.exitCode = process.exitCode();
    out.error = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    for (const QString& name : QDir(shots).entryList({QStringLiteral("*.png")}, QDir::Files))
        out.images[name] = QImage(QDir(shots).filePath(name));
    return out;
}

} // namespace

void TestTranslations::programFollowsLangAndEnvironment()
{
    const Shots english = screenshots(dir_.path(), {}, {});
    QVERIFY2(english.exitCode == 0, qPrintable(english.error));
    QVERIFY(english.images.count(QStringLiteral("attention.png")));
    const Shots byOption = screenshots(dir_.path(), {QStringLiteral("--lang"), QStringLiteral("es")}, {});
    const Shots byEnvironment = screenshots(dir_.path(), {}, {{QStringLiteral("LANG"), QStringLiteral("es_ES.UTF-8")}});
    const Shots overridden = screenshots(dir_.path(), {QStringLiteral("--lang"), QStringLiteral("en")},
                                         {{QStringLiteral("LANG"), QStringLiteral("es_ES.UTF-8")}});
    // The menu bar's strip of the picture: its words are translated and, unlike the status bar's
    // timings, it is the same in every run.
    const auto menuStrip = [](const Shots& shots) {
        const QImage& image = shots.images.at(QStringLiteral("attention.png"));
        return image.copy(0, 0, image.width(), 18);
    };
    for (const Shots* s : {&byOption, &byEnvironment, &overridden}) {
        QVERIFY2(s->exitCode == 0, qPrintable(s->error));
        // The same English file names in every language.
        QCOMPARE(s->images.size(), english.images.size());
        for (const auto& [name, image] : english.images)
            QVERIFY2(s->images.count(name), qPrintable(name));
    }
    QVERIFY(menuStrip(byOption) != menuStrip(english));
    QVERIFY(menuStrip(byEnvironment) == menuStrip(byOption));
    QVERIFY(menuStrip(overridden) == menuStrip(english));  // --lang beats the environment

    const Shots unknown = screenshots(dir_.path(), {QStringLiteral("--lang"), QStringLiteral("xx")}, {});
    QVERIFY(unknown.exitCode != 0);
    // One line of ours (Qt may add its own warnings about the environment).
    const QStringList ours = unknown.error.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^bertlab:")));
    QCOMPARE(ours.size(), 1);
    QVERIFY2(ours.front().startsWith(QStringLiteral("bertlab: --lang xx: no such translation")), qPrintable(unknown.error));
}

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
