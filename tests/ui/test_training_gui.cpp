// GUI training runs: dialog, live metrics, pause/resume/stop, checkpoints, recovery, a responsive event loop.
#include "test_support.h"

#include "bert_model.h"
#include "bf16_linear.h"
#include "input_panel.h"
#include "main_window.h"
#include "model_io.h"
#include "training/new_run_dialog.h"
#include "training/run_recovery.h"
#include "training/run_view.h"
#include "training/training_controller.h"
#include "training/training_run.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <cmath>

using namespace bertlab;
using namespace bertlab::ui;

namespace {

QString corpusPath()
{
    return QString::fromStdString(testing::dataPath("corpus/small.txt"));
}

// The tiny recipe of the issue: 2 layers, hidden 32, a 1k vocabulary, sequences of 32, batches of 4.
TrainingRunSpec tinySpec(const QString& runDir, int steps, int checkpointEvery, int evalEvery)
{
    NewRunDialog dialog(nullptr, QString());
    dialog.setCorpus(corpusPath());
    dialog.setOutputFolder(runDir);
    dialog.setCustomSize(2, 32, 2, 128);
    dialog.setVocabSize(1000);
    dialog.setSeqLength(32);
    dialog.setBatch(4);
    dialog.setSteps(steps);
    dialog.setCheckpointEvery(checkpointEvery);
    dialog.setEvalEvery(evalEvery);
    TrainingRunSpec spec = dialog.spec();
    spec.threads = 1;
    return spec;
}

// The steps metrics.jsonl records, read by the engine's record reader rather than the GUI's view.
QList<int> stepsInFile(const QString& path)
{
    QList<int> steps;
    for (const TrainingMetrics& m : readMetricsJsonl(path.toStdString())) steps << int(m.step);
    return steps;
}

// The explorer window whose training dock watches a run of the test's own (destroyed first).
struct ExplorerWithRun {
    MainWindow window;
    TrainingRun run;
    RunView* view = nullptr;
    ExplorerWithRun()
    {
        window.setInteractive(false);
        if (auto* controller = window.findChild<TrainingController*>()) view = controller->runView();
        if (view) view->watch(&run);
    }
};

} // namespace

class TestTrainingGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void dialogShowsCorpusAndEstimate();
    void dialogOffersBfloat16WhereNative();
    void shortRunCompletes();
    void pauseResumeStopAndCheckpoint();
    void resumeInterruptedRun();
    void eventLoopNeverBlocked();
    void failureIsReported();
    void fillingDiskStopsRun();
    void mainWindowExploresCheckpoint();
    void checkpointSliderReplaysRun();
    void liveWeightsOpenWhilePaused();
    void screenshots();
};

void TestTrainingGui::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("test_training_gui"));
    QSettings().clear();
}

void TestTrainingGui::dialogOffersBfloat16WhereNative()
{
    NewRunDialog dialog(nullptr, QString());
    QVERIFY(dialog.spec().trainer.precision == Precision::Float32);  // the default
    QCOMPARE(dialog.precisionSelectable(), nativeBfloat16Available());
    QCOMPARE(dialog.setPrecision(Precision::Bfloat16), nativeBfloat16Available());
    QVERIFY(dialog.spec().trainer.precision ==
            (nativeBfloat16Available() ? Precision::Bfloat16 : Precision::Float32));
    QVERIFY(dialog.setPrecision(Precision::Float32));
    QVERIFY(dialog.spec().trainer.precision == Precision::Float32);
}

void TestTrainingGui::dialogShowsCorpusAndEstimate()
{
    NewRunDialog dialog(nullptr, QString());
    dialog.setCorpus(corpusPath());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.corpusStatsReady(), 20000);
    // Independent count of the sentence-per-line layout: non-blank lines, blank-line-separated groups.
    QFile f(corpusPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    int sentences = 0, documents = 0;
    bool inDocument = false;
    for (const QByteArray& raw : f.readAll().split('\n')) {
        const bool blank = raw.trimmed().isEmpty();
        if (!blank) ++sentences;
        if (!blank && !inDocument) ++documents;
        inDocument = !blank;
    }
    const QString stats = dialog.corpusStats();
    QVERIFY2(stats.contains(QLocale().toString(documents) + QStringLiteral(" documents")), qPrintable(stats));
    QVERIFY2(stats.contains(QLocale().toString(sentences) + QStringLiteral(" sentences")), qPrintable(stats));

    // No model open: nothing to reuse or continue.
    QVERIFY(!dialog.spec().continuePretraining);
    QVERIFY(!dialog.spec().reuseModelVocab);

    // Parameter count against the BERT formula, written out independently.
    dialog.setCustomSize(2, 32, 2, 128);
    dialog.setVocabSize(1000);
    const int64_t V = 1000, H = 32, I = 128, L = 2, P = 512;
    const int64_t embeddings = V * H + P * H + 2 * H + 2 * H;
    const int64_t layer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
    const int64_t heads = (H * H + H) + (H * H + H + 2 * H + V) + (2 * H + 2);
    QCOMPARE(dialog.estimate().parameters, embeddings + L * layer + heads);
    QVERIFY(dialog.estimate().secondsPerStep > 0);
    QVERIFY(dialog.estimate().memoryBytes > 4.0 * 4 * double(dialog.estimate().parameters));

    // An empty output folder is fine; a used one is refused.
    QTemporaryDir dir;
    dialog.setOutputFolder(dir.path());
    QVERIFY2(dialog.validate().isEmpty(), qPrintable(dialog.validate()));
    QFile(dir.filePath(QStringLiteral("x"))).open(QIODevice::WriteOnly);
    QVERIFY(!dialog.validate().isEmpty());
}

void TestTrainingGui::shortRunCompletes()
{
    QTemporaryDir tmp;
    const QString runDir = tmp.filePath(QStringLiteral("run"));
    TrainingRun run;
    RunView view;
    view.watch(&run);
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QSignalSpy evals(&run, &TrainingRun::evaluation);
    QSignalSpy finished(&run, &TrainingRun::finished);
    QSignalSpy failed(&run, &TrainingRun::failed);
    QVERIFY(run.start(tinySpec(runDir, 30, 10, 10)));
    QVERIFY(RunRecovery::activeRuns().contains(run.runDir()));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(run.state(), TrainingRun::State::Finished);

    // Every step arrived once, in order, and matches what the engine wrote to metrics.jsonl.
    QCOMPARE(metrics.size(), 30);
    QList<int> received;
    for (const auto& args : metrics) {
        const auto m = args.first().value<TrainingMetrics>();
        received << int(m.step);
        QVERIFY(std::isfinite(m.loss) && m.loss > 0);
        QCOMPARE(m.totalSteps, int64_t(30));
    }
    QCOMPARE(received, stepsInFile(QDir(runDir).filePath(QStringLiteral("metrics.jsonl"))));
    QCOMPARE(evals.size(), 3);
    QCOMPARE(view.pointCount(0), 30);
    QCOMPARE(view.evalPointCount(0), 3);

    // The final model and the checkpoints load as ordinary models.
    auto model = loadModel(runDir.toStdString());
    QCOMPARE(model->config().numHiddenLayers, 2);
    QCOMPARE(model->config().hiddenSize, 32);
    QCOMPARE(model->config().vocabSize, 1000);
    QVERIFY(!view.checkpointFolders().isEmpty());
    QVERIFY(loadModel(view.checkpointFolders().last().toStdString()) != nullptr);
    QVERIFY(!RunRecovery::activeRuns().contains(run.runDir()));
}

void TestTrainingGui::pauseResumeStopAndCheckpoint()
{
    QTemporaryDir tmp;
    const QString runDir = tmp.filePath(QStringLiteral("run"));
    TrainingRun run;
    RunView view;
    view.watch(&run);
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QSignalSpy checkpoints(&run, &TrainingRun::checkpointWritten);
    QSignalSpy finished(&run, &TrainingRun::finished);
    QSignalSpy failed(&run, &TrainingRun::failed);
    QVERIFY(run.start(tinySpec(runDir, 1000000, 5, 0)));
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 3 || !failed.isEmpty(), 120000);
    QVERIFY(failed.isEmpty());

    run.pause();
    QCOMPARE(run.state(), TrainingRun::State::Paused);
    // The trainer copies live weights only between two updates, and reports after the metrics of
    // the update that was in flight: once the copy is in, nothing more can arrive before resume.
    QSignalSpy copied(&run, &TrainingRun::liveWeightsReady);
    run.snapshotLiveWeights();
    QTRY_VERIFY_WITH_TIMEOUT(!copied.isEmpty(), 60000);
    const qsizetype atPause = metrics.size();
    QTest::qWait(700);
    QCOMPARE(metrics.size(), atPause);  // nothing trains while paused

    run.resume();
    QCOMPARE(run.state(), TrainingRun::State::Training);
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() > atPause + 2, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!checkpoints.isEmpty(), 60000);

    run.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(run.state(), TrainingRun::State::Stopped);
    const int lastStep = int(metrics.last().first().value<TrainingMetrics>().step);
    // The stop wrote a checkpoint at the last step, and it loads with the engine's reader.
    const QStringList folders = TrainingRun::listCheckpoints(runDir);
    QVERIFY(!folders.isEmpty());
    QVERIFY2(folders.last().endsWith(QStringLiteral("step-%1").arg(lastStep, 8, 10, QLatin1Char('0'))),
             qPrintable(folders.last()));
    QVERIFY(loadModel(folders.last().toStdString()) != nullptr);
    // The view lists retired checkpoints (history/, weights only) too, for the replay slider.
    QTRY_COMPARE(view.checkpointFolders(), TrainingRun::listSnapshots(runDir));
    QCOMPARE(view.checkpointFolders().last(), folders.last());
    QSignalSpy explore(&view, &RunView::exploreCheckpoint);
    for (QPushButton* b : view.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Explore this checkpoint")) b->click();
    QCOMPARE(explore.size(), 1);
    QCOMPARE(explore.first().first().toString(), folders.last());
    QVERIFY(!RunRecovery::activeRuns().contains(run.runDir()));  // the user stopped it: not a crash
}

void TestTrainingGui::resumeInterruptedRun()
{
    QTemporaryDir tmp;
    const QString runDir = tmp.filePath(QStringLiteral("run"));
    int stoppedAt = 0;
    {
        TrainingRun run;
        QSignalSpy metrics(&run, &TrainingRun::metrics);
        QSignalSpy finished(&run, &TrainingRun::finished);
        QVERIFY(run.start(tinySpec(runDir, 60, 5, 0)));
        QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 12, 120000);
        run.stop(true);  // as when the app closes mid-run: the run stays listed for recovery
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        stoppedAt = int(metrics.last().first().value<TrainingMetrics>().step);
    }
    QVERIFY(stoppedAt < 60);
    QCOMPARE(RunRecovery::interruptedRuns(), QStringList{QDir::cleanPath(runDir)});

    TrainingRun resumed;
    RunView view;
    QSignalSpy metrics(&resumed, &TrainingRun::metrics);
    QSignalSpy finished(&resumed, &TrainingRun::finished);
    QSignalSpy failed(&resumed, &TrainingRun::failed);
    QVERIFY(resumed.resumeRun(runDir, 1));
    view.watch(&resumed);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(int(metrics.first().first().value<TrainingMetrics>().step), stoppedAt + 1);
    QCOMPARE(int(metrics.last().first().value<TrainingMetrics>().step), 60);
    QList<int> expected;
    for (int i = 1; i <= 60; ++i) expected << i;
    QCOMPARE(stepsInFile(QDir(runDir).filePath(QStringLiteral("metrics.jsonl"))), expected);
    QCOMPARE(view.pointCount(0), 60);  // history from the file plus the live steps
    QVERIFY(RunRecovery::interruptedRuns().isEmpty());
}

// The GUI thread keeps serving events while a run trains, plots, pauses and stops. How long it is
// ever blocked is a speed, measured by bench/gui_train_bench.sh (gui-event-loop) against its 50 ms
// target, not here.
void TestTrainingGui::eventLoopNeverBlocked()
{
    QTemporaryDir tmp;
    TrainingRun run;
    RunView view;
    view.resize(1000, 700);
    view.show();
    view.watch(&run);
    view.setSmoothing(true);
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QSignalSpy finished(&run, &TrainingRun::finished);

    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    // Ticks seen when each batch of metrics arrives: the event loop ran between deliveries.
    QList<int> ticksAtMetrics;
    connect(&run, &TrainingRun::metrics, this, [&] { ticksAtMetrics << ticks; });
    ticker.start();
    TrainingRunSpec spec = tinySpec(tmp.filePath(QStringLiteral("run")), 1000000, 50, 25);
    spec.threads = 0;  // the GUI's default: every core, as many threads as the GUI thread competes with
    QVERIFY(run.start(spec));
    // Preparation, then several seconds of training with live plots, a pause and a stop.
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 20, 120000);
    QTest::qWait(2000);
    run.pause();
    QTest::qWait(300);
    run.resume();
    QTest::qWait(1500);
    run.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    ticker.stop();
    QCOMPARE(finished.first().first().toBool(), false);  // stopped by the user, not failed
    QVERIFY(ticksAtMetrics.size() >= 20);
    QVERIFY2(ticksAtMetrics.first() < ticksAtMetrics.last(),
             "the timer never fired while metrics arrived: the GUI thread was blocked during training");
}

void TestTrainingGui::failureIsReported()
{
    QTemporaryDir tmp;
    TrainingRun run;
    QSignalSpy failed(&run, &TrainingRun::failed);
    TrainingRunSpec spec = tinySpec(tmp.filePath(QStringLiteral("run")), 10, 0, 0);
    spec.corpusPath = tmp.filePath(QStringLiteral("missing.txt"));
    QVERIFY(run.start(spec));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30000);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("missing.txt")));
    QCOMPARE(run.state(), TrainingRun::State::Failed);
}

void TestTrainingGui::mainWindowExploresCheckpoint()
{
    MainWindow window;
    window.setInteractive(false);
    auto* controller = window.findChild<TrainingController*>();
    QVERIFY(controller);
    // The Training menu with New Training Run… on Ctrl+T.
    QAction* newRun = nullptr;
    for (QAction* menu : window.menuBar()->actions())
        if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QStringLiteral("Training"))
            for (QAction* a : menu->menu()->actions())
                if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_T)) newRun = a;
    QVERIFY(newRun);

    // A short run, then "Explore this checkpoint" opens it as the window's model.
    QTemporaryDir tmp;
    TrainingRun run;
    QSignalSpy finished(&run, &TrainingRun::finished);
    QVERIFY(run.start(tinySpec(tmp.filePath(QStringLiteral("run")), 10, 5, 0)));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    const QStringList folders = TrainingRun::listCheckpoints(run.runDir());
    QVERIFY(!folders.isEmpty());
    emit controller->runView()->exploreCheckpoint(folders.first());
    QTRY_VERIFY_WITH_TIMEOUT(window.model() != nullptr, 60000);
    QVERIFY(window.waitForIdle(60000));
    QCOMPARE(window.model()->config().hiddenSize, 32);
    QCOMPARE(window.model()->config().numHiddenLayers, 2);
    QVERIFY(window.close());  // nothing training: closes without asking
}

// When free space drops below what one more checkpoint needs, the run stops with that checkpoint
// written and a message naming it; nothing half-written is left.
void TestTrainingGui::fillingDiskStopsRun()
{
    QTemporaryDir tmp;
    TrainingRun run;
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QSignalSpy failed(&run, &TrainingRun::failed);
    std::atomic<bool> full{false};
    TrainingRun::setFreeSpaceProbeForTesting([&full](const std::string&) -> uintmax_t {
        return full ? uintmax_t(1) << 20 : UINTMAX_MAX;
    });
    QVERIFY(run.start(tinySpec(tmp.filePath(QStringLiteral("run")), 5000, 0, 0)));
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 3, 120000);
    full = true;
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 60000);
    TrainingRun::setFreeSpaceProbeForTesting({});
    QVERIFY(run.wait(60000));
    QCOMPARE(run.state(), TrainingRun::State::Failed);
    const QString message = failed.first().first().toString();
    const QStringList cps = TrainingRun::listCheckpoints(run.runDir());
    QCOMPARE(cps.size(), 1);
    QVERIFY2(message.contains(QStringLiteral("almost full")) && message.contains(cps.last() + QStringLiteral(", is intact")),
             qPrintable(message));
    QVERIFY(loadModel(cps.last().toStdString()) != nullptr);
    QVERIFY(QFile::exists(QDir(cps.last()).filePath(QStringLiteral("optimizer.safetensors"))));
    QCOMPARE(QDir(QDir(run.runDir()).filePath(QStringLiteral("checkpoints"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{QFileInfo(cps.last()).fileName()});
}

// The replay slider walks every checkpoint of the run (retired ones kept in history/) through the
// explorer with the user's sentence; attention and MLM guesses change as the weights do.
void TestTrainingGui::checkpointSliderReplaysRun()
{
    ExplorerWithRun e;
    MainWindow& window = e.window;
    TrainingRun& run = e.run;
    RunView* view = e.view;
    QVERIFY(view);
    QTemporaryDir tmp;
    QSignalSpy finished(&run, &TrainingRun::finished);
    TrainingRunSpec spec = tinySpec(tmp.filePath(QStringLiteral("run")), 20, 5, 0);
    QVERIFY(spec.trainer.keepHistory);  // the dialog turns it on for GUI runs
    spec.trainer.keepCheckpoints = 1;
    spec.trainer.peakLr = 3e-3;
    QVERIFY(run.start(spec));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    QVERIFY(finished.first().first().toBool());

    // Steps 5, 10, 15 retired to history (weights only), 20 the one live checkpoint.
    const QStringList folders = view->checkpointFolders();
    QCOMPARE(folders.size(), 4);
    for (int i = 0; i < 3; ++i) {
        QVERIFY2(folders[i].endsWith(QStringLiteral("history/step-%1").arg((i + 1) * 5, 8, 10, QLatin1Char('0'))),
                 qPrintable(folders[i]));
        QVERIFY(!QFile::exists(QDir(folders[i]).filePath(QStringLiteral("optimizer.safetensors"))));
    }
    QVERIFY(folders[3].endsWith(QStringLiteral("checkpoints/step-00000020")));
    QCOMPARE(TrainingRun::listCheckpoints(run.runDir()).size(), 1);
    QVERIFY(view->replaySlider()->isEnabled());
    QCOMPARE(view->replaySlider()->maximum(), 3);

    const QString text = QStringLiteral("the cat sat on the [MASK] .");
    window.inputPanel()->setTexts(text, QString());
    auto openedAt = [&](int index) {
        view->replayTo(index);
        return QTest::qWaitFor([&] { return window.modelPath() == folders[index] && !window.isBusy(); }, 60000);
    };
    QVERIFY(openedAt(0));
    AnalysisPtr first = window.currentAnalysis();
    QVERIFY(first && !first->trace.mlm.empty() && !first->trace.attentions.empty());
    QCOMPARE(window.inputPanel()->textA(), text);  // the sentence survives the model change

    QVERIFY(openedAt(3));
    AnalysisPtr last = window.currentAnalysis();
    QVERIFY(last && last != first && !last->trace.mlm.empty());
    QCOMPARE(window.inputPanel()->textA(), text);
    QCOMPARE(last->encoding.ids, first->encoding.ids);  // same vocabulary, same tokens
    // Fifteen updates at 3e-3 move every attention map and the guess distribution.
    const Matrix& a0 = first->trace.attentions[0][0];
    const Matrix& a3 = last->trace.attentions[0][0];
    QCOMPARE(a0.rows(), a3.rows());
    QVERIFY((a0 - a3).cwiseAbs().maxCoeff() > 1e-4f);
    QVERIFY(std::abs(first->trace.mlm[0].candidates[0].prob - last->trace.mlm[0].candidates[0].prob) > 1e-5f ||
            first->trace.mlm[0].candidates[0].id != last->trace.mlm[0].candidates[0].id);

    // Play steps through all four from the first, then stops by itself.
    view->setReplayPlaying(true);
    QVERIFY(view->isReplayPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!view->isReplayPlaying(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.modelPath() == folders[3], 30000);
    QVERIFY(window.waitForIdle(60000));
    QVERIFY(window.close());
}

// "Explore live weights" copies the parameters between two updates (here while paused, when the
// trainer waits) and opens the copy; training then continues from where it paused.
void TestTrainingGui::liveWeightsOpenWhilePaused()
{
    ExplorerWithRun e;
    MainWindow& window = e.window;
    TrainingRun& run = e.run;
    RunView* view = e.view;
    QVERIFY(view);
    QTemporaryDir tmp;
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QSignalSpy ready(&run, &TrainingRun::liveWeightsReady);
    QVERIFY(run.start(tinySpec(tmp.filePath(QStringLiteral("run")), 5000, 0, 0)));
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 3, 120000);
    run.pause();
    QTRY_VERIFY_WITH_TIMEOUT(run.state() == TrainingRun::State::Paused, 10000);

    view->exploreLiveWeights();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 30000);
    // The copy is reported after the metrics of the update that was in flight when the run paused.
    const int pausedAt = metrics.last().first().value<TrainingMetrics>().step;
    const QString folder = ready.first().first().toString();
    QCOMPARE(QFileInfo(folder).fileName(), QStringLiteral("step-%1").arg(pausedAt, 8, 10, QLatin1Char('0')));
    QVERIFY(folder.startsWith(QDir(run.runDir()).filePath(QStringLiteral("live"))));
    QTRY_VERIFY_WITH_TIMEOUT(window.modelPath() == QFileInfo(folder).absoluteFilePath(), 60000);
    QVERIFY(window.waitForIdle(60000));
    QCOMPARE(window.model()->config().hiddenSize, 32);
    QVERIFY(window.currentAnalysis());
    QCOMPARE(run.state(), TrainingRun::State::Paused);  // copying did not resume the run

    // A second copy replaces the first rather than piling up.
    run.resume();
    QTRY_VERIFY_WITH_TIMEOUT(metrics.last().first().value<TrainingMetrics>().step > pausedAt + 2, 60000);
    view->exploreLiveWeights();
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() == 2, 30000);
    QCOMPARE(QDir(QDir(run.runDir()).filePath(QStringLiteral("live"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
    QVERIFY(ready.last().first().toString() != folder);
    run.stop();
    QVERIFY(run.wait(60000));
    window.waitForIdle(60000);
}

// Renders the dialog and a live run view; saved under BERTLAB_SCREENSHOT_DIR when it is set.
void TestTrainingGui::screenshots()
{
    QTemporaryDir tmp;
    const QString outDir = qEnvironmentVariableIsSet("BERTLAB_SCREENSHOT_DIR") ? qEnvironmentVariable("BERTLAB_SCREENSHOT_DIR")
                                                                               : tmp.path();
    NewRunDialog dialog(loadModel(testing::dataPath("models/tiny")), QStringLiteral("tiny"));
    dialog.setCorpus(corpusPath());
    dialog.setCustomSize(2, 32, 2, 128);
    dialog.setVocabSize(1000);
    dialog.setSeqLength(32);
    dialog.setBatch(4);
    dialog.setSteps(300);
    dialog.setPrecision(Precision::Bfloat16);  // shown where this CPU has it
    dialog.setOutputFolder(QDir::home().filePath(QStringLiteral("bertlab-runs/garden-tiny")));
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.corpusStatsReady(), 20000);
    dialog.adjustSize();
    QVERIFY(dialog.grab().save(QDir(outDir).filePath(QStringLiteral("training-dialog.png"))));

    const QString runDir = tmp.filePath(QStringLiteral("garden-tiny"));
    TrainingRun run;
    RunView view;
    view.resize(1100, 720);
    view.show();
    view.watch(&run);
    QSignalSpy finished(&run, &TrainingRun::finished);
    TrainingRunSpec spec = tinySpec(runDir, 300, 100, 25);
    spec.trainer.peakLr = 1e-3;
    QVERIFY(run.start(spec));
    QSignalSpy metrics(&run, &TrainingRun::metrics);
    QTRY_VERIFY_WITH_TIMEOUT(metrics.size() >= 220 || !finished.isEmpty(), 180000);
    run.pause();
    QTest::qWait(400);
    view.setSmoothing(true);
    view.replotNow();
    QTest::qWait(100);
    QVERIFY(view.grab().save(QDir(outDir).filePath(QStringLiteral("training-run.png"))));
    run.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
}

QTEST_MAIN(TestTrainingGui)
#include "test_training_gui.moc"
