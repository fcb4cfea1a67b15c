// bertlab GUI entry point: parses the command line, opens the default or given model, or renders screenshots.
#include "app_settings.h"
#include "input_panel.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QStyleFactory>

#include <cstdio>
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

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab"));
    QCoreApplication::setApplicationName(QStringLiteral("bertlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTLAB_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.bertlab"));
    QApplication::setWindowIcon(appIcon());
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explore what a BERT model does with your sentences."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Model folder or weight file to open."),
                                         QStringLiteral("M"));
    const QCommandLineOption textOption(QStringLiteral("text"), QStringLiteral("Sentence A."), QStringLiteral("A"));
    const QCommandLineOption pairOption(QStringLiteral("pair"), QStringLiteral("Sentence B (optional)."),
                                        QStringLiteral("B"));
    const QCommandLineOption maskOption(QStringLiteral("mask"),
                                        QStringLiteral("Token positions to replace by [MASK], e.g. 3,5."),
                                        QStringLiteral("i,j"));
    const QCommandLineOption shotOption(QStringLiteral("screenshot-dir"),
                                        QStringLiteral("Render every view to DIR/<view>.png and exit."),
                                        QStringLiteral("DIR"));
    parser.addOptions({modelOption, textOption, pairOption, maskOption, shotOption});
    parser.process(app);

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
    const QString modelPath = parser.isSet(modelOption) ? parser.value(modelOption) : defaultModelPath();
    const bool screenshots = parser.isSet(shotOption);

    try {
        bertlab::ui::MainWindow window;
        if (screenshots) {
            window.setInteractive(false);
            window.setAttribute(Qt::WA_DontShowOnScreen);
            window.resize(1400, 900);
            window.show();
            if (modelPath.isEmpty())
                return fail(QStringLiteral("no model: pass --model (the demo model is not installed)"));
            if (parser.isSet(textOption))
                window.inputPanel()->setTexts(parser.value(textOption), parser.value(pairOption));
            window.inputPanel()->setMasks(masks);
            QString error;
            if (!window.openModelAndWait(modelPath, kTimeoutMs, &error))
                return fail(error);
            if (!window.waitForIdle(kTimeoutMs))
                return fail(QStringLiteral("timed out waiting for the analysis"));
            if (!window.currentAnalysis())
                return fail(window.lastError().isEmpty() ? QStringLiteral("the analysis failed") : window.lastError());
            QStringList written;
            if (!window.renderScreenshots(parser.value(shotOption), &error, &written))
                return fail(error);
            for (const QString& path : written)
                std::printf("%s\n", qPrintable(QDir::toNativeSeparators(path)));
            return 0;
        }

        bertlab::ui::AppSettings settings;
        window.restoreGeometry(settings.windowGeometry());
        window.restoreState(settings.windowState());
        window.setDarkMode(settings.darkMode());
        if (parser.isSet(textOption))
            window.inputPanel()->setTexts(parser.value(textOption), parser.value(pairOption));
        if (!masks.empty())
            window.inputPanel()->setMasks(masks);
        window.show();
        if (!modelPath.isEmpty())
            window.openModel(modelPath);
        return app.exec();
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
}
