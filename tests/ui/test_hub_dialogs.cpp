// File ▸ Open From Hugging Face… and Open From Hugging Face Cache, against the local Hub-like server; renders both to PNG.
#include "hub_test_server.h"

#include "hub_cache_dialog.h"
#include "hub_download_dialog.h"
#include "main_window.h"
#include "open_model_dialog.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QTimer>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <fstream>

using bertlab::testing::HubTestServer;
using bertlab::ui::HubCacheDialog;
using bertlab::ui::HubDownloadDialog;
using bertlab::ui::MainWindow;

namespace {

const QByteArray kCommit = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";

QString tinyModel() { return QStringLiteral(BERTLAB_TEST_DATA "/models/tiny"); }

} // namespace

class TestHubDialogs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_hub_dialogs"));
        server_ = new HubTestServer(this);
        QVERIFY(server_->listen());
        server_->addModelFolder(QStringLiteral("bertlab-test/tiny"), kCommit, tinyModel());
        // The dialogs read huggingface_hub's variables, as the CLI does.
        qputenv("HF_ENDPOINT", server_->endpoint().toUtf8());
        qputenv("HF_HUB_CACHE", cache().toUtf8());
        qputenv("HF_HOME", dir_.filePath(QStringLiteral("hf-home")).toUtf8());
        qunsetenv("HF_TOKEN");
        qunsetenv("HF_HUB_OFFLINE");
        shots_ = qEnvironmentVariable("BERTLAB_SCREENSHOT_DIR", dir_.filePath(QStringLiteral("shots")));
        QVERIFY(QDir().mkpath(shots_));
    }

    void downloadDialogShowsProgressCancelsAndResumes()
    {
        HubDownloadDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.downloadButton()->isEnabled());
        QTest::keyClicks(dialog.repoEdit(), QStringLiteral("bertlab-test/tiny"));
        QVERIFY(dialog.downloadButton()->isEnabled());

        // The weights stall after 200000 bytes: the dialog shows the transfer and stays responsive.
        server_->stallNextCdnTransferAfter(200000);
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QVERIFY(dialog.isDownloading());
        const QString partial = cache() + "/models--bertlab-test--tiny/blobs/" +
                                HubTestServer::sha256(readFile(tinyModel() + "/model.safetensors")) + ".incomplete";
        QTRY_COMPARE_WITH_TIMEOUT(QFileInfo(partial).size(), qint64(200000), 60000);
        QTRY_VERIFY(dialog.progressBar()->value() > 0 && dialog.progressBar()->value() < 1000);
        QVERIFY(dialog.progressBar()->text().contains(QStringLiteral(" of ")));
        QVERIFY(!dialog.repoEdit()->isEnabled());
        QVERIFY(dialog.grab().save(shots_ + "/hub-download-progress.png"));

        dialog.reject();  // Cancel: stops the download, keeps the dialog and the partial file
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isDownloading(), 60000);
        server_->releaseStalled();
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("Cancelled")), qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(QFileInfo(partial).size(), qint64(200000));

        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 60000);
        QCOMPARE(server_->ranges().last(), QByteArray("bytes=200000-"));
        QCOMPARE(dialog.snapshotFolder(), cache() + "/models--bertlab-test--tiny/snapshots/" + kCommit);
        QVERIFY(!QFileInfo::exists(partial));
    }

    void downloadDialogReportsErrorsInOneLine()
    {
        HubDownloadDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.repoEdit(), QStringLiteral("nobody/nothing"));
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isDownloading(), 60000);
        const QString status = dialog.statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("'nobody/nothing' not found")), qPrintable(status));
        QVERIFY(!status.contains('\n'));
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.repoEdit()->isEnabled());
        QVERIFY(dialog.grab().save(shots_ + "/hub-download-error.png"));
    }

    void cacheDialogListsOnlyBerts()
    {
        // A GPT-2 that transformers cached beside the BERT: not listed.
        const std::string gpt = (cache() + "/models--openai-community--gpt2/snapshots/" + kCommit).toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(gpt)));
        std::ofstream(gpt + "/config.json") << R"({"model_type": "gpt2"})";
        std::ofstream(gpt + "/vocab.txt") << "x\n";
        std::ofstream(gpt + "/model.safetensors") << "x";

        HubCacheDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.list()->topLevelItemCount(), 1);
        const QTreeWidgetItem* row = dialog.list()->topLevelItem(0);
        QCOMPARE(row->text(0), QStringLiteral("bertlab-test/tiny"));
        QCOMPARE(row->text(1), QStringLiteral("main"));
        QCOMPARE(row->text(3), QString::fromLatin1(kCommit.left(10)));
        QVERIFY(dialog.openButton()->isEnabled());
        QVERIFY(dialog.grab().save(shots_ + "/hub-cache.png"));
        QTest::mouseClick(dialog.openButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.snapshotFolder(), cache() + "/models--bertlab-test--tiny/snapshots/" + kCommit);
    }

    // The window: both commands in the File menu, and a repo id opens from the cache by name.
    void windowOpensARepoIdFromTheCache()
    {
        MainWindow window;
        window.setInteractive(false);
        QStringList fileMenu;
        for (QAction* a : window.menuBar()->actions().first()->menu()->actions()) fileMenu << a->text();
        QVERIFY2(fileMenu.contains(QStringLiteral("Open From &Hugging Face…")), qPrintable(fileMenu.join('|')));
        QVERIFY(fileMenu.contains(QStringLiteral("Open From Hugging Face &Cache…")));
        QString error;
        QVERIFY2(window.openModelAndWait(QStringLiteral("bertlab-test/tiny"), 120000, &error), qPrintable(error));
        QCOMPARE(window.modelPath(), cache() + "/models--bertlab-test--tiny/snapshots/" + kCommit);
        QVERIFY2(window.windowTitle().startsWith(QStringLiteral("bertlab-test/tiny")), qPrintable(window.windowTitle()));
        QVERIFY(!window.openModelAndWait(QStringLiteral("bertlab-test/absent"), 120000, &error));
        QVERIFY2(error.contains(QStringLiteral("nor a model in the Hugging Face cache")), qPrintable(error));
    }

    // File ▸ Open Model…: "org/name" typed as the file name comes back as the repo id.
    void openDialogAcceptsARepoId()
    {
        QTimer poll;
        poll.setInterval(20);
        bool typed = false;
        connect(&poll, &QTimer::timeout, this, [&typed] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            auto* name = dialog ? dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")) : nullptr;
            if (!name || typed) return;
            typed = true;
            name->setText(QStringLiteral("bertlab-test/tiny"));
            QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);  // as the Open button does
        });
        poll.start();
        QCOMPARE(bertlab::ui::askForModelPath(nullptr), QStringLiteral("bertlab-test/tiny"));
        QVERIFY(typed);
    }

    void emptyCacheSaysWhatToDo()
    {
        qputenv("HF_HUB_CACHE", dir_.filePath(QStringLiteral("empty-cache")).toUtf8());
        HubCacheDialog dialog;
        QCOMPARE(dialog.list()->topLevelItemCount(), 0);
        QVERIFY(!dialog.openButton()->isEnabled());
        QVERIFY(dialog.findChild<QLabel*>()->text().contains(QStringLiteral("No BERT models")));
        qputenv("HF_HUB_CACHE", cache().toUtf8());
    }

private:
    QString cache() const { return dir_.filePath(QStringLiteral("hub")); }
    static QByteArray readFile(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    QTemporaryDir dir_;
    HubTestServer* server_ = nullptr;
    QString shots_;
};

QTEST_MAIN(TestHubDialogs)
#include "test_hub_dialogs.moc"
