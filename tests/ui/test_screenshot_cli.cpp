// Runs the built bertlab binary in screenshot mode on the tiny model and checks the PNGs it writes.
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString tinyModel()
{
    return QStringLiteral(BERTLAB_TEST_DATA "/models/tiny");
}

QProcessEnvironment offscreenEnvironment(const QString& home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home);  // keep the user's settings untouched
    env.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2"));
    return env;
}

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

} // namespace

class TestScreenshotCli : public QObject {
    Q_OBJECT
private slots:
    void rendersEveryView();
    void failsWithOneLine();
    void printsVersion();
    void takesAPlainPath();
};

void TestScreenshotCli::rendersEveryView()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString shots = dir.filePath(QStringLiteral("shots"));
    QProcess process;
    process.setProcessEnvironment(offscreenEnvironment(dir.path()));
    process.start(QStringLiteral(BERTLAB_GUI),
                  {QStringLiteral("--model"), tinyModel(), QStringLiteral("--text"),
                   QStringLiteral("the man went to the store ."), QStringLiteral("--pair"),
                   QStringLiteral("he bought milk ."), QStringLiteral("--mask"), QStringLiteral("6"),
                   QStringLiteral("--screenshot-dir"), shots});
    QVERIFY(process.waitForFinished(300000));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             process.readAllStandardError().constData());

    const QStringList pngs = QDir(shots).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    QVERIFY2(pngs.size() >= 4, qPrintable(pngs.join(QLatin1Char(' '))));
    QVERIFY(pngs.contains(QStringLiteral("embeddings.png")));
    QVERIFY(pngs.contains(QStringLiteral("attention.png")));
    // stdout lists exactly the files written.
    const QStringList printed =
        QString::fromLocal8Bit(process.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(printed.size(), pngs.size());
    for (const QString& name : pngs) {
        const QImage image(QDir(shots).filePath(name));
        QVERIFY2(!image.isNull(), qPrintable(name));
        QCOMPARE(image.size(), QSize(1400, 900));
        QVERIFY2(distinctColours(image) > 16, qPrintable(name + QStringLiteral(" looks blank")));
    }
    // Nothing half-written is left behind.
    QCOMPARE(QDir(shots).entryList(QDir::Files | QDir::Hidden).size(), pngs.size());
}

void TestScreenshotCli::failsWithOneLine()
{
    QTemporaryDir dir;
    QProcess process;
    process.setProcessEnvironment(offscreenEnvironment(dir.path()));
    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--model"), dir.filePath(QStringLiteral("missing")),
                                                QStringLiteral("--screenshot-dir"), dir.filePath(QStringLiteral("s"))});
    QVERIFY(process.waitForFinished(120000));
    QVERIFY(process.exitCode() != 0);
    const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    QVERIFY(!err.isEmpty());
    // Qt may add platform chatter; our own message is the single line starting with "bertlab:".
    QCOMPARE(err.split(QLatin1Char('\n')).filter(QStringLiteral("bertlab:")).size(), 1);

    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--mask"), QStringLiteral("x"),
                                                QStringLiteral("--screenshot-dir"), dir.filePath(QStringLiteral("s"))});
    QVERIFY(process.waitForFinished(120000));
    QVERIFY(process.exitCode() != 0);
}

// --version and --help work on a machine with no display at all (a server, a package build);
// without one, a plain start says so in one line instead of Qt's platform-plugin abort.
void TestScreenshotCli::printsVersion()
{
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--version")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString version = QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
    QVERIFY2(QRegularExpression(QStringLiteral("^bertlab \\d+\\.\\d+\\.\\d+$")).match(version).hasMatch(), qPrintable(version));

    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().contains("--screenshot-dir"));

    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--model"), tinyModel()});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    QVERIFY2(err.startsWith(QStringLiteral("bertlab: no display")) && !err.contains(QLatin1Char('\n')), qPrintable(err));

    // Screenshots need no display: the offscreen platform is chosen by the program itself.
    const QString shots = dir.filePath(QStringLiteral("shots"));
    process.start(QStringLiteral(BERTLAB_GUI), {QStringLiteral("--model"), tinyModel(), QStringLiteral("--text"),
                                                QStringLiteral("a [MASK] ."), QStringLiteral("--screenshot-dir"), shots});
    QVERIFY(process.waitForFinished(300000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(QFileInfo::exists(QDir(shots).filePath(QStringLiteral("attention.png"))));
}

// `bertlab PATH` (the desktop file's %f) opens a model like --model; mistakes get one line.
void TestScreenshotCli::takesAPlainPath()
{
    QTemporaryDir dir;
    QProcess process;
    process.setProcessEnvironment(offscreenEnvironment(dir.path()));
    const QString shots = dir.filePath(QStringLiteral("shots"));
    process.start(QStringLiteral(BERTLAB_GUI), {tinyModel(), QStringLiteral("--text"), QStringLiteral("a [MASK] ."),
                                                QStringLiteral("--screenshot-dir"), shots});
    QVERIFY(process.waitForFinished(300000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY(QFileInfo::exists(QDir(shots).filePath(QStringLiteral("attention.png"))));

    const auto failsWith = [&](const QStringList& args, const QString& expected) {
        process.start(QStringLiteral(BERTLAB_GUI), args);
        if (!process.waitForFinished(120000)) return false;
        const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        const QStringList ours = err.split(QLatin1Char('\n')).filter(QStringLiteral("bertlab:"));
        return process.exitCode() != 0 && ours.size() == 1 && ours.front().contains(expected);
    };
    QVERIFY(failsWith({dir.filePath(QStringLiteral("missing")), QStringLiteral("--screenshot-dir"), shots},
                      QStringLiteral("no such file or folder")));
    QVERIFY(failsWith({tinyModel(), tinyModel(), QStringLiteral("--screenshot-dir"), shots},
                      QStringLiteral("at most one PATH")));
    QVERIFY(failsWith({tinyModel(), QStringLiteral("--model"), tinyModel(), QStringLiteral("--screenshot-dir"), shots},
                      QStringLiteral("not both")));
    const QString session = dir.filePath(QStringLiteral("class.bertlab"));
    QFile file(session);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{}");
    file.close();
    QVERIFY(failsWith({session, QStringLiteral("--model"), tinyModel(), QStringLiteral("--screenshot-dir"), shots},
                      QStringLiteral("drop --model")));
    QVERIFY(failsWith({session, QStringLiteral("--screenshot-dir"), shots}, QStringLiteral("not a session")));
}

QTEST_MAIN(TestScreenshotCli)
#include "test_screenshot_cli.moc"
