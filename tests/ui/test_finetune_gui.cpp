// Qt Test of the GUI's fine-tuning and probing: the dialog's checks and preview, a run from its options matching the CLI, Stop/resume, the probe dialog.
#include "finetune/builtin_tasks.h"
#include "finetune/finetune_dialog.h"
#include "finetune/finetune_run.h"
#include "finetune/finetune_run_view.h"
#include "finetune/linear_probe.h"
#include "finetune/probe_dialog.h"
#include "finetune/task_data.h"
#include "model_io.h"
#include "plot/heatmap_plot.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using namespace bertlab;
using namespace bertlab::ui;

namespace {

QString data(const char* relative)
{
    return QStringLiteral(BERTLAB_TEST_DATA "/") + QLatin1String(relative);
}

QList<QJsonObject> readJsonLines(const QString& path)
{
    QList<QJsonObject> lines;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

// The dialog set up for the tiny sequence fixture: 1 epoch, batch 4, lr 5e-5, length 64, the train file as dev too.
void fillTinySequenceRun(FinetuneDialog& dialog, const QString& out)
{
    dialog.setBaseModel(data("models/tiny-seqcls"));
    dialog.setTask(ClassifierTask::Sequence);
    dialog.setTrainFile(data("finetune/seq-train.jsonl"));
    dialog.setDevFile(data("finetune/seq-train.jsonl"));
    dialog.epochsBox()->setValue(1);
    dialog.batchBox()->setValue(4);
    dialog.lrBox()->setCurrentText(QStringLiteral("5e-5"));
    dialog.seedBox()->setValue(7);
    dialog.maxSeqBox()->setValue(64);  // the tiny models have 64 positions
    dialog.setOutDir(out);
}

} // namespace

QString headOf(const QString& path, int lines, const QString& out);

class TestFinetuneGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void dialogPreviewsDataAndCounts();
    void dialogShowsErrorsWithFileAndLine();
    void dialogRefusesUnsafeOutputFolders();
    void dialogTakesALabelOrder();
    void runFromDialogMatchesCli();
    void stopKeepsAResumableCheckpoint();
    void builtinTasksAreFound();
    void probeDialogPlotsEveryLayer();
    void screenshots();

private:
    QTemporaryDir dir_;
};

void TestFinetuneGui::dialogPreviewsDataAndCounts()
{
    FinetuneDialog dialog{QString()};
    dialog.setTask(ClassifierTask::Sequence);
    dialog.setTrainFile(data("finetune/seq-train.jsonl"));
    QVERIFY2(dialog.dataErrorText().isEmpty(), qPrintable(dialog.dataErrorText()));
    const SequenceTaskData file = readSequenceTask(data("finetune/seq-train.jsonl").toStdString());
    QCOMPARE(dialog.preview()->rowCount(), std::min(8, static_cast<int>(file.items.size())));
    QCOMPARE(dialog.preview()->item(0, 1)->text(), QString::fromStdString(file.items[0].text));
    for (const auto& [label, n] : labelCounts(file))
        QVERIFY2(dialog.labelCountsText().contains(QStringLiteral("%1 %2").arg(QString::fromStdString(label)).arg(n)),
                 qPrintable(dialog.labelCountsText()));

    dialog.setTask(ClassifierTask::Token);
    dialog.setTrainFile(data("finetune/tok-train.conll"));
    QVERIFY2(dialog.dataErrorText().isEmpty(), qPrintable(dialog.dataErrorText()));
    const TokenTaskData tokens = readTokenTask(data("finetune/tok-train.conll").toStdString());
    QCOMPARE(dialog.preview()->rowCount(), std::min(8, static_cast<int>(tokens.sentences.size())));
    QVERIFY(dialog.labelCountsText().contains(QStringLiteral("%1 sentences").arg(tokens.sentences.size())));
}

// The Label order field is --labels: parsed the same way, and checked against every item's label.
void TestFinetuneGui::dialogTakesALabelOrder()
{
    FinetuneDialog dialog{QString()};
    fillTinySequenceRun(dialog, QDir(dir_.path()).filePath(QStringLiteral("ordered")));
    const SequenceTaskData file = readSequenceTask(data("finetune/seq-train.jsonl").toStdString());
    std::vector<std::string> reversed = labelsByFirstAppearance(file);
    std::reverse(reversed.begin(), reversed.end());
    QStringList given;
    for (const std::string& l : reversed)
        given << QString::fromStdString(l);
    dialog.setLabelOrder(QStringLiteral(" ") + given.join(QStringLiteral(" , ")) + QStringLiteral(" "));
    QString error;
    QVERIFY2(dialog.checkInputs(&error), qPrintable(error));
    QCOMPARE(dialog.options().labels, reversed);

    dialog.setLabelOrder(given.mid(1).join(QLatin1Char(',')));  // one label of the data left out
    QVERIFY(!dialog.checkInputs(&error));
    QVERIFY2(error.contains(QStringLiteral("seq-train.jsonl:")), qPrintable(error));
    dialog.setLabelOrder(QStringLiteral("a,,b"));
    QVERIFY(!dialog.checkInputs(&error));
    QVERIFY2(!error.isEmpty(), "an empty label is refused");
    dialog.setLabelOrder(QString());
    QVERIFY2(dialog.checkInputs(&error), qPrintable(error));
    QVERIFY(dialog.options().labels.empty());
}

void TestFinetuneGui::dialogShowsErrorsWithFileAndLine()
{
    const QString bad = QDir(dir_.path()).filePath(QStringLiteral("bad.csv"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("text,label\nfine,positive\nno label here\n");
    f.close();
    FinetuneDialog dialog{QString()};
    dialog.setTask(ClassifierTask::Sequence);
    dialog.setTrainFile(bad);
    QVERIFY2(dialog.dataErrorText().contains(QStringLiteral("bad.csv:3")), qPrintable(dialog.dataErrorText()));
    dialog.setBaseModel(data("models/tiny-seqcls"));
    dialog.setOutDir(QDir(dir_.path()).filePath(QStringLiteral("never")));
    QString error;
    QVERIFY(!dialog.checkInputs(&error));
    QVERIFY2(error.contains(QStringLiteral("bad.csv:3")), qPrintable(error));
}

void TestFinetuneGui::dialogRefusesUnsafeOutputFolders()
{
    FinetuneDialog dialog(data("models/tiny-seqcls"));
    fillTinySequenceRun(dialog, data("models/tiny-seqcls"));
    QString error;
    QVERIFY(!dialog.checkInputs(&error));
    QVERIFY2(error.contains(QStringLiteral("model's folder")), qPrintable(error));
    const QString full = QDir(dir_.path()).filePath(QStringLiteral("full"));
    QVERIFY(QDir().mkpath(full));
    QFile note(QDir(full).filePath(QStringLiteral("note.txt")));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.close();
    dialog.setOutDir(full);
    QVERIFY(!dialog.checkInputs(&error));
    QVERIFY2(error.contains(QStringLiteral("not empty")), qPrintable(error));
    dialog.setOutDir(QDir(dir_.path()).filePath(QStringLiteral("fresh")));
    QVERIFY2(dialog.checkInputs(&error), qPrintable(error));
}

void TestFinetuneGui::runFromDialogMatchesCli()
{
    const QString guiOut = QDir(dir_.path()).filePath(QStringLiteral("gui-run"));
    FinetuneDialog dialog{QString()};
    fillTinySequenceRun(dialog, guiOut);
    QString error;
    QVERIFY2(dialog.checkInputs(&error), qPrintable(error));
    FinetuneRun run;
    FinetuneRunView view;
    view.watch(&run);
    QVERIFY(run.start(dialog.options(), dialog.outDir()));
    QVERIFY(run.wait(300000));
    QCOMPARE(run.state(), FinetuneRun::State::Finished);
    QVERIFY2(run.lastError().isEmpty(), qPrintable(run.lastError()));
    QCoreApplication::processEvents();

    const QString cliOut = QDir(dir_.path()).filePath(QStringLiteral("cli-run"));
    QProcess cli;
    cli.start(QStringLiteral(BERTLAB_CLI),
              {QStringLiteral("finetune"), QStringLiteral("--task"), QStringLiteral("sequence"), QStringLiteral("--init"),
               data("models/tiny-seqcls"), QStringLiteral("--train"), data("finetune/seq-train.jsonl"),
               QStringLiteral("--dev"), data("finetune/seq-train.jsonl"), QStringLiteral("--out"), cliOut,
               QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--batch-size"), QStringLiteral("4"),
               QStringLiteral("--lr"), QStringLiteral("5e-5"), QStringLiteral("--seed"), QStringLiteral("7"),
               QStringLiteral("--max-seq-length"), QStringLiteral("64")});
    QVERIFY(cli.waitForFinished(300000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

    const QList<QJsonObject> gui = readJsonLines(QDir(guiOut).filePath(QStringLiteral("metrics.jsonl")));
    const QList<QJsonObject> ref = readJsonLines(QDir(cliOut).filePath(QStringLiteral("metrics.jsonl")));
    QCOMPARE(gui.size(), 3);  // ceil(9 / 4) steps
    QCOMPARE(gui.size(), ref.size());
    for (int i = 0; i < gui.size(); ++i) {
        QCOMPARE(gui[i].keys(), ref[i].keys());
        for (const QString& key : ref[i].keys()) {
            const double a = gui[i].value(key).toDouble(), b = ref[i].value(key).toDouble();
            QVERIFY2(std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)),
                     qPrintable(QStringLiteral("step %1 %2: %3 vs %4").arg(i + 1).arg(key).arg(a).arg(b)));
        }
    }
    QVERIFY(ref.last().contains(QStringLiteral("dev_accuracy")));
    // The view got every step, the epoch's dev scores and a labels × labels confusion matrix.
    QCOMPARE(view.stepCount(), 3);
    QCOMPARE(view.epochCount(), 1);
    QCOMPARE(view.confusionPlot()->matrixRows(), 3);
    double total = 0;
    for (int g = 0; g < 3; ++g)
        for (int p = 0; p < 3; ++p)
            total += view.confusionPlot()->cellValue(g, p);
    QCOMPARE(total, 9.0);
    QVERIFY(view.exploreButton()->isEnabled());
    // The fine-tuned folder opens as a classifier with the run's labels.
    const auto model = loadModel(guiOut.toStdString());
    QVERIFY(model->hasClassifier());
    QCOMPARE(model->labels().size(), size_t{3});
    const QString png = QDir(dir_.path()).filePath(QStringLiteral("run.png"));
    QVERIFY2(view.exportImage(png, 96, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    QVERIFY2(view.exportData(QDir(dir_.path()).filePath(QStringLiteral("run.json")), &error), qPrintable(error));
}

void TestFinetuneGui::stopKeepsAResumableCheckpoint()
{
    const QString out = QDir(dir_.path()).filePath(QStringLiteral("stopped"));
    FinetuneDialog dialog{QString()};
    fillTinySequenceRun(dialog, out);
    dialog.epochsBox()->setValue(3);
    dialog.batchBox()->setValue(1);  // 27 steps
    FinetuneRun run;
    connect(&run, &FinetuneRun::stepped, &run, [&run](const FinetuneStepMetrics& m) {
        if (m.step == 2)
            run.stop();
    });
    QVERIFY(run.start(dialog.options(), dialog.outDir()));
    QVERIFY(run.wait(300000));
    QCOMPARE(run.state(), FinetuneRun::State::Stopped);
    QVERIFY(QDir(QDir(out).filePath(QStringLiteral("checkpoints"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() >= 1);
    const int stoppedAt = readJsonLines(QDir(out).filePath(QStringLiteral("metrics.jsonl"))).size();
    QVERIFY(stoppedAt >= 2 && stoppedAt < 27);
    QVERIFY(run.resume(out));
    QVERIFY(run.wait(300000));
    QCOMPARE(run.state(), FinetuneRun::State::Finished);
    const QList<QJsonObject> all = readJsonLines(QDir(out).filePath(QStringLiteral("metrics.jsonl")));
    QCOMPARE(all.size(), 27);
    QCOMPARE(all.last().value(QStringLiteral("step")).toInt(), 27);
}

void TestFinetuneGui::builtinTasksAreFound()
{
    const QVector<BuiltinTask> tasks = builtinTasks();
    QCOMPARE(tasks.size(), 2);
    QCOMPARE(tasks[0].task, ClassifierTask::Sequence);
    QCOMPARE(tasks[1].task, ClassifierTask::Token);
    FinetuneDialog dialog{QString()};
    dialog.useBuiltinTask(1);
    QVERIFY2(dialog.dataErrorText().isEmpty(), qPrintable(dialog.dataErrorText()));
    QCOMPARE(dialog.options().task, ClassifierTask::Token);
    QVERIFY(dialog.labelCountsText().contains(QStringLiteral("NOUN")));
}

void TestFinetuneGui::probeDialogPlotsEveryLayer()
{
    const auto model = loadModel(data("models/tiny").toStdString());
    ProbeDialog dialog(model, data("models/tiny"));
    dialog.setTask(ClassifierTask::Token);
    dialog.setTrainFile(data("finetune/tok-train.conll"));
    dialog.setDevFile(data("finetune/tok-train.conll"));
    QVERIFY(dialog.start());
    QVERIFY(dialog.wait(300000));
    QVERIFY2(dialog.result().has_value(), qPrintable(dialog.errorText()));
    // The reference: the engine's probe called directly with the same options.
    QCOMPARE(dialog.maxSeqBox()->value(), 64);  // all the tiny model's positions
    ProbeOptions options;
    options.task = ClassifierTask::Token;
    options.maxSeqLength = 64;
    const ProbeResult ref = runLinearProbe(*model, data("finetune/tok-train.conll").toStdString(),
                                           data("finetune/tok-train.conll").toStdString(), options);
    const ProbeResult& got = *dialog.result();
    QCOMPARE(got.layers.size(), size_t(model->config().numHiddenLayers + 1));
    QCOMPARE(got.majorityBaseline, ref.majorityBaseline);
    QCPGraph* curve = dialog.plot()->graph(0);
    QCOMPARE(curve->dataCount(), static_cast<int>(ref.layers.size()));
    for (size_t i = 0; i < ref.layers.size(); ++i) {
        QCOMPARE(got.layers[i].devAccuracy, ref.layers[i].devAccuracy);
        QCOMPARE(curve->data()->at(static_cast<int>(i))->value, ref.layers[i].devAccuracy);
    }
    QCOMPARE(dialog.plot()->graph(1)->data()->at(0)->value, ref.majorityBaseline);
    QString error;
    const QString json = QDir(dir_.path()).filePath(QStringLiteral("probe.json"));
    QVERIFY2(dialog.exportData(json, &error), qPrintable(error));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("layers")).toArray().size(), static_cast<qsizetype>(ref.layers.size()));
    QCOMPARE(root.value(QStringLiteral("majority_baseline")).toDouble(), ref.majorityBaseline);
    QVERIFY2(dialog.exportImage(QDir(dir_.path()).filePath(QStringLiteral("probe.png")), 96, &error), qPrintable(error));
}

// The first `lines` lines of a built-in task file, for a run short enough for a screenshot.
QString headOf(const QString& path, int lines, const QString& out)
{
    QFile in(path);
    QFile o(out);
    if (!in.open(QIODevice::ReadOnly) || !o.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < lines && !in.atEnd(); ++i)
        o.write(in.readLine());
    // A CoNLL file must not end inside a sentence: finish at the next blank line.
    while (path.endsWith(QLatin1String(".conll")) && !in.atEnd()) {
        const QByteArray line = in.readLine();
        o.write(line);
        if (line.trimmed().isEmpty())
            break;
    }
    return out;
}

// Renders the dialog, a live run view and the probe plot. With BERTLAB_SCREENSHOT_DIR set they are
// saved there, from the demo model on slices of the built-in Brown tasks; otherwise the tiny model
// is used and the images are only checked to render.
void TestFinetuneGui::screenshots()
{
    const bool save = qEnvironmentVariableIsSet("BERTLAB_SCREENSHOT_DIR");
    const QString shots = save ? qEnvironmentVariable("BERTLAB_SCREENSHOT_DIR") : QDir(dir_.path()).filePath(QStringLiteral("shots"));
    QVERIFY(QDir().mkpath(shots));
    const QString demo = QDir::cleanPath(QStringLiteral(BERTLAB_TEST_DATA "/../../resources/models/demo"));
    const QVector<BuiltinTask> tasks = builtinTasks();
    QCOMPARE(tasks.size(), 2);

    FinetuneDialog dialog(demo);
    dialog.useBuiltinTask(0);
    dialog.lrBox()->setCurrentText(QStringLiteral("5e-5"));
    dialog.maxSeqBox()->setValue(64);
    dialog.batchBox()->setValue(16);
    dialog.setOutDir(QDir::home().filePath(QStringLiteral("bertlab-runs/demo-genre")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(QDir(shots).filePath(QStringLiteral("finetune-dialog.png"))));
    dialog.hide();

    FinetuneRun run;
    FinetuneRunView view;
    view.resize(1300, 430);
    view.show();
    view.watch(&run);
    FinetuneOptions o;
    if (save) {
        o = dialog.options();
        o.trainPath = headOf(tasks[0].trainPath, 480, QDir(dir_.path()).filePath(QStringLiteral("g-train.jsonl"))).toStdString();
        o.devPath = headOf(tasks[0].devPath, 240, QDir(dir_.path()).filePath(QStringLiteral("g-dev.jsonl"))).toStdString();
        o.epochs = 3;
    } else {
        FinetuneDialog tiny{QString()};
        fillTinySequenceRun(tiny, QString());
        o = tiny.options();
        o.epochs = 2;
    }
    QVERIFY(run.start(o, QDir(dir_.path()).filePath(QStringLiteral("shot-run"))));
    QVERIFY(run.wait(1800000));
    QCOMPARE(run.state(), FinetuneRun::State::Finished);
    QCoreApplication::processEvents();
    view.replotNow();
    QVERIFY(view.grab().save(QDir(shots).filePath(QStringLiteral("finetune-run.png"))));

    const QString probeModel = save ? demo : data("models/tiny");
    ProbeDialog probe(loadModel(probeModel.toStdString()), probeModel);
    if (save) {
        probe.setTask(ClassifierTask::Token);
        probe.setTrainFile(headOf(tasks[1].trainPath, 20000, QDir(dir_.path()).filePath(QStringLiteral("p-train.conll"))));
        probe.setDevFile(headOf(tasks[1].devPath, 6000, QDir(dir_.path()).filePath(QStringLiteral("p-dev.conll"))));
    } else {
        probe.setTask(ClassifierTask::Token);
        probe.setTrainFile(data("finetune/tok-train.conll"));
        probe.setDevFile(data("finetune/tok-train.conll"));
    }
    probe.show();
    QVERIFY(QTest::qWaitForWindowExposed(&probe));
    QVERIFY(probe.start());
    QVERIFY(probe.wait(1800000));
    QVERIFY2(probe.result().has_value(), qPrintable(probe.errorText()));
    QCoreApplication::processEvents();
    QVERIFY(probe.grab().save(QDir(shots).filePath(QStringLiteral("probe-dialog.png"))));
    QString error;
    QVERIFY2(probe.exportImage(QDir(shots).filePath(QStringLiteral("probe.png")), 96, &error), qPrintable(error));
    for (const char* name : {"finetune-dialog.png", "finetune-run.png", "probe-dialog.png", "probe.png"})
        QVERIFY(!QImage(QDir(shots).filePath(QLatin1String(name))).isNull());
}

QTEST_MAIN(TestFinetuneGui)
#include "test_finetune_gui.moc"
