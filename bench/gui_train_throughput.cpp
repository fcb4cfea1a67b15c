// Trains the way the GUI does (TrainingRun on its own thread, metrics queued to an event loop) and prints its tokens/s.
//
//   gui-train-throughput CORPUS RUN_DIR STEPS
//
// bench/gui_train_bench.sh then trains the same examples with bertlab-cli train and compares.
#include "openblas_library.h"
#include "training/training_presets.h"
#include "training/training_run.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace bertlab;
using namespace bertlab::ui;

int main(int argc, char** argv)
{
    initBlas();  // before any thread: it sets an environment variable
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s CORPUS RUN_DIR STEPS\n", argv[0]);
        return 2;
    }
    TrainingRunSpec spec;
    spec.corpusPath = QString::fromLocal8Bit(argv[1]);
    spec.runDir = QString::fromLocal8Bit(argv[2]);
    spec.vocabSize = 4000;
    spec.config = presetConfig("tiny", spec.vocabSize);
    spec.examples.maxSeqLength = 128;
    spec.examples.dupeFactor = 5;
    spec.trainer.steps = std::atoi(argv[3]);
    spec.trainer.batchSize = 32;
    spec.trainer.peakLr = 1e-3;
    spec.trainer.checkpointEvery = 0;
    spec.threads = 0;  // the GUI's default

    TrainingRun run;
    TrainingMetrics last;
    QString error;
    QObject::connect(&run, &TrainingRun::metrics, [&](const TrainingMetrics& m) { last = m; });
    QObject::connect(&run, &TrainingRun::failed, [&](const QString& message) {
        error = message;
        app.quit();
    });
    QObject::connect(&run, &TrainingRun::finished, &app, &QCoreApplication::quit);
    if (!run.start(spec)) return 1;
    app.exec();
    run.wait(-1);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "error: %s\n", error.toLocal8Bit().constData());
        return 1;
    }
    std::printf("%.0f\n", last.tokensPerSecond);
    return 0;
}
