// The longest the GUI thread goes without serving events while a run trains with live plots, against the 50 ms target.
//
//   gui-event-loop CORPUS
//
// A 10 ms timer ticks on the GUI thread; the largest interval between ticks is how long a click or
// a repaint could have waited. First with nothing training (what the machine itself costs, e.g.
// shared cores), then during a run of the smallest recipe (2 layers, hidden 32, batches of 4 × 32,
// every core training) watched by a RunView with smoothing on: preparation, training, a pause, a
// resume and a stop. bench/gui_train_bench.sh runs it after the throughput comparison.
#include "gap_meter.h"
#include "openblas_library.h"
#include "training/new_run_dialog.h"
#include "training/run_view.h"
#include "training/training_run.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace bertlab;
using namespace bertlab::ui;

using bench::GapMeter;
constexpr qint64 kTargetMs = bench::kEventLoopTargetMs;

int main(int argc, char** argv)
{
    initBlas();  // before QApplication starts any thread: it sets an environment variable
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS\n", argv[0]);
        return 2;
    }
    QTemporaryDir tmp;
    NewRunDialog dialog(nullptr, QString());
    dialog.setCorpus(QString::fromLocal8Bit(argv[1]));
    dialog.setOutputFolder(tmp.filePath(QStringLiteral("run")));
    dialog.setCustomSize(2, 32, 2, 128);
    dialog.setVocabSize(1000);
    dialog.setSeqLength(32);
    dialog.setBatch(4);
    dialog.setSteps(1000000);
    dialog.setCheckpointEvery(50);
    dialog.setEvalEvery(25);
    TrainingRunSpec spec = dialog.spec();
    spec.threads = 0;  // the GUI's default: every core, as many threads as the GUI thread competes with

    TrainingRun run;
    RunView view;
    view.resize(1000, 700);
    view.show();
    view.watch(&run);
    view.setSmoothing(true);
    int steps = 0;
    bool finished = false;
    QString error;
    QObject::connect(&run, &TrainingRun::metrics, [&] { ++steps; });
    QObject::connect(&run, &TrainingRun::finished, [&] { finished = true; });
    QObject::connect(&run, &TrainingRun::failed, [&](const QString& message) { error = message; });

    GapMeter meter;
    QTest::qWait(1500);
    const qint64 idleWorst = meter.worst;
    meter.reset();
    if (!run.start(spec)) {
        std::fprintf(stderr, "error: the run did not start\n");
        return 1;
    }
    if (!QTest::qWaitFor([&] { return steps >= 20 || !error.isEmpty(); }, 120000) || !error.isEmpty()) {
        std::fprintf(stderr, "error: %s\n", error.isEmpty() ? "no 20 steps within 2 minutes" : qPrintable(error));
        return 1;
    }
    QTest::qWait(2000);
    run.pause();
    QTest::qWait(300);
    run.resume();
    QTest::qWait(1500);
    run.stop();
    const bool ended = QTest::qWaitFor([&] { return finished || !error.isEmpty(); }, 60000);
    meter.ticker.stop();
    if (!ended || !error.isEmpty()) {
        std::fprintf(stderr, "error: %s\n", error.isEmpty() ? "the run did not stop within a minute" : qPrintable(error));
        return 1;
    }
    std::printf("| event loop | longest gap (ms) | gaps ≥ %lld ms | ticks |\n|---|---|---|---|\n", kTargetMs);
    std::printf("| idle, no run | %lld | | |\n", idleWorst);
    std::printf("| training %d steps with live plots, pause, resume, stop | %lld | %d | %d |\n", steps, meter.worst,
                meter.overTarget, meter.ticks);
    std::printf("longest gap during the run: %lld ms (target: under %lld ms) %s\n", meter.worst, kTargetMs,
                meter.worst < kTargetMs ? "met" : "MISSED");
    return 0;
}
