// bertlab GUI entry point: parses the command line, opens the default or given model, or renders screenshots.
#include "ablation_controller.h"
#include "app_settings.h"
#include "hub/repo_id.h"
#include "input_panel.h"
#include "main_window.h"
#include "openblas_library.h"
#include "session.h"
#include "session_controller.h"
#include "ui_language.h"
#include "view_exporter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyleFactory>

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <exception>

namespace {

constexpr int kTimeoutMs = 180000;

// The embedded demo model: next to an installed binary, or in the source tree for a build.
QString defaultModelPath()
{
    QStringList candidates;
    candidates << QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/bertlab/models/demo"));
#ifdef BERTLAB_SOURCE_DIR
    candidates << QStringLiteral(BERTLAB_SOURCE_DIR "/resources/models/demo");
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c).isDir() && QFileInfo(QDir(c).filePath(QStringLiteral("config.json"))).exists())
            return QDir::cleanPath(QFileInfo(c).absoluteFilePath());
    return {};
}

QIcon appIcon()
{
    QStringList candidates;
    candidates << QDir(QCoreApplication::applicationDirPath())
                      .filePath(QStringLiteral("../share/icons/hicolor/scalable/apps/io.github.bertlab.svg"));
#ifdef BERTLAB_SOURCE_DIR
    candidates << QStringLiteral(BERTLAB_SOURCE_DIR "/resources/icons/bertlab.svg");
#endif
    for (const QString& c : candidates)
        if (QFileInfo::exists(c))
            return QIcon(c);
    return QIcon::fromTheme(QStringLiteral("io.github.bertlab"));
}

int fail(const QString& message)
{
    std::fprintf(stderr, "bertlab: %s\n", qPrintable(message));
    return 1;
}

bool hasArgument(int argc, char** argv, std::initializer_list<const char*> names)
{
    for (int i = 1; i < argc; ++i)
        for (const char* name : names)
            if (std::strcmp(argv[i], name) == 0 || (std::strncmp(argv[i], name, std::strlen(name)) == 0 &&
                                                     argv[i][std::strlen(name)] == '='))
                return true;
    return false;
}

struct Options {
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Model folder or weight file to open."),
                             QStringLiteral("M")};
    QCommandLineOption text{QStringLiteral("text"), QStringLiteral("Sentence A."), QStringLiteral("A")};
    QCommandLineOption pair{QStringLiteral("pair"), QStringLiteral("Sentence B (optional)."), QStringLiteral("B")};
    QCommandLineOption mask{QStringLiteral("mask"), QStringLiteral("Token positions to replace by [MASK], e.g. 3,5."),
                            QStringLiteral("i,j")};
    QCommandLineOption ablate{QStringLiteral("ablate"),
                              QStringLiteral("Heads to switch off, 1-based as the window labels them: 3:5 is L3 H5, "
                                             "3:* all of layer 3."),
                              QStringLiteral("L:H[,L:H...]")};
    QCommandLineOption lang{QStringLiteral("lang"),
                            QStringLiteral("UI language: system (the default), en, or a translation that ships "
                                           "(es); overrides View > Language for this run."),
                            QStringLiteral("CODE")};
    QCommandLineOption screenshots{QStringLiteral("screenshot-dir"),
                                   QStringLiteral("Render every view to DIR/<view>.png and exit (no display needed)."),
                                   QStringLiteral("DIR")};

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(QStringLiteral("Explore what a BERT model does with your sentences."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({model, text, pair, mask, ablate, lang, screenshots});
        parser.addPositionalArgument(QStringLiteral("PATH"),
                                     QStringLiteral("A model folder, weight file or .bertlab session to open "
                                                    "(what a file manager passes)."),
                                     QStringLiteral("[PATH]"));
    }
};

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab"));
    QCoreApplication::setApplicationName(QStringLiteral("bertlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTLAB_VERSION));
}

} // namespace

int main(int argc, char** argv)
{
    const Options options;
    // --help and --version print and exit: they must work without a display (packaging, ssh).
    if (hasArgument(argc, argv, {"-h", "--help", "--help-all", "-v", "--version"})) {
        QCoreApplication app(argc, argv);
        nameApplication();
        QCommandLineParser parser;
        options.addTo(parser);
        parser.process(app);
        return 0;
    }
    // Before QApplication, whose platform plugin may start threads: initBlas sets an environment variable.
    try {
        bertlab::initBlas();
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    const bool wantShots = hasArgument(argc, argv, {"--screenshot-dir"});
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        if (wantShots) {
            qputenv("QT_QPA_PLATFORM", "offscreen");  // no window is shown, so none is needed
        } else if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
            return fail(QStringLiteral("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset); "
                                       "use --screenshot-dir DIR for images, or bertlab-cli"));
        }
    }

    QApplication app(argc, argv);
    nameApplication();
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.bertlab"));
    QApplication::setWindowIcon(appIcon());
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    QCommandLineParser parser;
    options.addTo(parser);
    parser.process(app);
    const QCommandLineOption& modelOption = options.model;
    const QCommandLineOption& textOption = options.text;
    const QCommandLineOption& pairOption = options.pair;
    const QCommandLineOption& maskOption = options.mask;
    const QCommandLineOption& shotOption = options.screenshots;

    std::vector<int> masks;
    if (parser.isSet(maskOption)) {
        for (const QString& part : parser.value(maskOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int m = part.trimmed().toInt(&ok);
            if (!ok || m < 0)
                return fail(QStringLiteral("--mask expects comma-separated token positions, e.g. --mask 3,5"));
            masks.push_back(m);
        }
    }
    // A plain PATH is what the desktop file's %f passes: a session file, or a model like --model.
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return fail(QStringLiteral("expected at most one PATH (a model or a session), got %1").arg(positional.size()));
    QString sessionPath;
    QString modelPath = parser.isSet(modelOption) ? parser.value(modelOption) : QString();
    if (!positional.isEmpty()) {
        const QString path = positional.front();
        // A repo id (org/name) is not a file: the model loader looks it up in the Hugging Face cache.
        if (!QFileInfo::exists(path) && !bertlab::hub::isValidRepoId(path.toStdString()))
            return fail(QStringLiteral("%1: no such file or folder").arg(path));
        const bool isSession =
            QFileInfo(path).isFile() && QFileInfo(path).suffix() == QLatin1String(bertlab::ui::kSessionSuffix);
        if (isSession && !modelPath.isEmpty())
            return fail(QStringLiteral("a session names its own model; drop --model"));
        if (isSession)
            sessionPath = path;
        else if (!modelPath.isEmpty())
            return fail(QStringLiteral("give the model either as PATH or with --model, not both"));
        else
            modelPath = path;
    }
    if (modelPath.isEmpty() && sessionPath.isEmpty())
        modelPath = defaultModelPath();
    const bool screenshots = parser.isSet(shotOption);

    // --lang, else the View ▸ Language choice, else the system's; screenshots ignore the saved choice
    // so that they depend only on the command line and the environment.
    QString language = screenshots ? QString() : bertlab::ui::AppSettings().language();
    if (parser.isSet(options.lang)) {
        language = parser.value(options.lang).trimmed();
        if (!bertlab::ui::isKnownLanguage(language))
            return fail(QStringLiteral("--lang %1: no such translation (available: system, %2)")
                            .arg(language, bertlab::ui::availableLanguages().join(QStringLiteral(", "))));
    }
    bertlab::ui::UiTranslations translations;
    translations.install(language);

    try {
        bertlab::ui::MainWindow window;
        if (screenshots) {
            window.setInteractive(false);
            window.setAttribute(Qt::WA_DontShowOnScreen);
            window.resize(1400, 900);
            window.show();
            if (!sessionPath.isEmpty())
                return fail(QStringLiteral("--screenshot-dir takes a model, not a session"));
            if (modelPath.isEmpty())
                return fail(QStringLiteral("no model: pass --model (the demo model is not installed)"));
            if (parser.isSet(textOption))
                window.inputPanel()->setTexts(parser.value(textOption), parser.value(pairOption));
            window.inputPanel()->setMasks(masks);
            QString error;
            if (!window.openModelAndWait(modelPath, kTimeoutMs, &error))
                return fail(error);
            if (parser.isSet(options.ablate) && !window.ablation()->setFromString(parser.value(options.ablate), &error))
                return fail(error);
            if (!window.waitForIdle(kTimeoutMs))
                return fail(QStringLiteral("timed out waiting for the analysis"));
            if (!window.currentAnalysis())
                return fail(window.lastError().isEmpty() ? QStringLiteral("the analysis failed") : window.lastError());
            QStringList written;
            if (!window.exporter()->renderScreenshots(parser.value(shotOption), &error, &written))
                return fail(error);
            for (const QString& path : written)
                std::printf("%s\n", qPrintable(QDir::toNativeSeparators(path)));
            return 0;
        }

        bertlab::ui::AppSettings settings;
        window.restoreGeometry(settings.windowGeometry());
        window.restoreState(settings.windowState());
        window.setDarkMode(settings.darkMode());
        window.setFastPreview(settings.fastPreview());
        if (parser.isSet(textOption))
            window.inputPanel()->setTexts(parser.value(textOption), parser.value(pairOption));
        if (!masks.empty())
            window.inputPanel()->setMasks(masks);
        window.show();
        if (!sessionPath.isEmpty()) {
            QString error;
            // Started from a file manager, stderr is nowhere: say it in the window and go on with the demo.
            if (!window.sessions()->open(sessionPath, &error)) {
                QMessageBox::warning(&window, QCoreApplication::translate("bertlab", "Cannot open session"), error);
                if (const QString demo = defaultModelPath(); !demo.isEmpty())
                    window.openModel(demo);
            }
        } else if (!modelPath.isEmpty()) {
            if (parser.isSet(options.ablate)) {
                // Once, for the model given here; a bad spec is said in the status bar.
                const QString spec = parser.value(options.ablate);
                auto* once = new QObject(&window);
                QObject::connect(&window, &bertlab::ui::MainWindow::modelLoaded, once, [&window, spec, once] {
                    QString error;
                    if (!window.ablation()->setFromString(spec, &error))
                        window.statusBar()->showMessage(error, 10000);
                    once->deleteLater();
                });
            }
            window.openModel(modelPath);
        }
        return app.exec();
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
}
