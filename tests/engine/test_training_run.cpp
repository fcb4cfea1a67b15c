// The trainer against a PyTorch AdamW run, and its checkpoint/resume, pause/cancel and NaN handling.
#include "test_support.h"

#include "bert_config.h"
#include "error.h"
#include "safetensors.h"
#include "training/checkpoint.h"
#include "training/lr_schedule.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/trainer.h"
#include "vocab.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <future>
#include <thread>

#include <csignal>
#include <sys/resource.h>

using namespace bertlab;

namespace {

const std::string kDir = "fixtures/training/";

struct Start {
    BertConfig config;
    std::shared_ptr<const Vocab> vocab;
    std::optional<ParameterBuffer> params;
    std::vector<PretrainingExample> examples;
};

Start loadStart()
{
    Start s;
    s.config = BertConfig::fromFile(testing::dataPath(kDir + "model/config.json"));
    s.vocab = std::make_shared<Vocab>(Vocab::fromFile(testing::dataPath(kDir + "model/vocab.txt")));
    s.params.emplace(ParameterBuffer::fromTensors(s.config, readSafetensors(testing::dataPath(kDir + "model/model.safetensors"))));
    s.examples = readExamplesJsonl(testing::dataPath(kDir + "examples.jsonl"), s.config.vocabSize);
    return s;
}

class ThrowAt : public std::exception {};

} // namespace

class TestTrainingRun : public QObject {
    Q_OBJECT
private slots:
    void scheduleIsLinearWarmupThenDecay();
    void matchesPytorchAdamWStepForStep();
    void resumeReproducesUninterruptedRun();
    void pauseResumeCancelFromAnotherThread();
    void nonFiniteStopsWithCheckpointIntact();
    void checkpointIsHuggingFaceFolder();
    void fullDiskStopsWithCheckpointIntact();
};

void TestTrainingRun::scheduleIsLinearWarmupThenDecay()
{
    LinearWarmupSchedule s{1e-3, 4, 12};
    QCOMPARE(s.at(0), 0.0);
    QCOMPARE(s.at(2), 0.5e-3);
    QCOMPARE(s.at(4), 1e-3);
    QCOMPARE(s.at(8), 0.5e-3);
    QCOMPARE(s.at(12), 0.0);
}

void TestTrainingRun::matchesPytorchAdamWStepForStep()
{
    Start s = loadStart();
    const auto ref = nlohmann::json::parse(testing::readText(testing::dataPath(kDir + "adamw.json")));
    const auto& r = ref["recipe"];
    TrainerOptions o;
    o.steps = r["steps"];
    o.batchSize = r["batch_size"];
    o.peakLr = r["lr"];
    o.warmup = r["warmup"];
    o.dropout = 0.0f;
    o.shuffle = false;
    o.maxGradNorm = r["max_grad_norm"];
    o.adam.weightDecay = r["weight_decay"];
    Trainer trainer(std::move(*s.params), s.vocab, true, s.examples, {}, o, "");
    std::vector<TrainingMetrics> got;
    trainer.onMetrics([&](const TrainingMetrics& m) { got.push_back(m); });
    QVERIFY(trainer.run() == TrainingOutcome::Completed);
    QCOMPARE(got.size(), ref["metrics"].size());
    for (size_t i = 0; i < got.size(); ++i) {
        const auto& e = ref["metrics"][i];
        const auto& m = got[i];
        const QString where = QString("step %1").arg(i + 1);
        QVERIFY2(std::fabs(m.loss - e["loss"].get<double>()) < 1e-4, qPrintable(where + " loss"));
        QVERIFY2(std::fabs(m.mlmLoss - e["mlm_loss"].get<double>()) < 1e-4, qPrintable(where + " mlm"));
        QVERIFY2(std::fabs(m.nspLoss - e["nsp_loss"].get<double>()) < 1e-4, qPrintable(where + " nsp"));
        QVERIFY2(std::fabs(m.lr - e["lr"].get<double>()) < 1e-12, qPrintable(where + " lr"));
        QVERIFY2(std::fabs(m.gradNorm - e["grad_norm"].get<double>()) < 1e-4 * e["grad_norm"].get<double>(),
                 qPrintable(where + QString(" grad norm %1 vs %2").arg(m.gradNorm).arg(e["grad_norm"].get<double>())));
        QVERIFY2(std::fabs(m.mlmAccuracy - e["mlm_accuracy"].get<double>()) < 1e-6, qPrintable(where + " accuracy"));
    }
    const TensorMap final = readSafetensors(testing::dataPath(kDir + "adamw_final.safetensors"));
    for (const ParameterEntry& e : trainer.parameters().layout().entries) {
        const auto& t = final.tensors.at(e.name);
        const float diff = testing::maxAbsDiff(trainer.parameters().data() + e.offset, t.data, int64_t(e.numel));
        QVERIFY2(diff < 1e-4f, qPrintable(QString("%1 differs by %2").arg(e.name.c_str()).arg(diff)));
    }
}

void TestTrainingRun::resumeReproducesUninterruptedRun()
{
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string a = tmp.filePath("a").toStdString(), b = tmp.filePath("b").toStdString();
    TrainerOptions o;
    o.steps = 8;
    o.batchSize = 3;
    o.gradientAccumulation = 2;
    o.peakLr = 1e-3;
    o.warmup = 2;
    o.dropout = 0.1f;  // dropout and shuffling on: their streams must resume too
    o.shuffle = true;
    o.checkpointEvery = 3;
    o.keepCheckpoints = 2;
    {
        Trainer whole(*s.params, s.vocab, true, s.examples, {}, o, a);
        QVERIFY(whole.run() == TrainingOutcome::Completed);
    }
    {
        Trainer broken(*s.params, s.vocab, true, s.examples, {}, o, b);
        broken.onMetrics([](const TrainingMetrics& m) {
            if (m.step == 5) throw ThrowAt();  // dies after step 5's metrics line, checkpoint at 3
        });
        QVERIFY_THROWS_EXCEPTION(ThrowAt, broken.run());
    }
    auto resumed = Trainer::resume(b, s.examples, {});
    QCOMPARE(resumed->step(), int64_t(3));
    QVERIFY(resumed->run() == TrainingOutcome::Completed);
    QCOMPARE(QString::fromStdString(testing::readText(b + "/metrics.jsonl")),
             QString::fromStdString(testing::readText(a + "/metrics.jsonl")));
    QCOMPARE(testing::readText(a + "/model.safetensors"), testing::readText(b + "/model.safetensors"));
    // Only the last K = 2 checkpoints remain: steps 6 and 8.
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(a + "/checkpoints")) {
        (void)entry;
        ++count;
    }
    QCOMPARE(count, 2);
    QVERIFY(std::filesystem::exists(checkpointFolder(a, 8)));
    QVERIFY(std::filesystem::exists(checkpointFolder(a, 6)));
}

void TestTrainingRun::pauseResumeCancelFromAnotherThread()
{
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainerOptions o;
    o.steps = 100000;
    o.batchSize = 2;
    o.warmup = 10;
    Trainer trainer(*s.params, s.vocab, true, s.examples, {}, o, dir);
    std::atomic<int64_t> seen{0};
    trainer.onMetrics([&](const TrainingMetrics& m) { seen = m.step; });
    TrainingOutcome outcome = TrainingOutcome::Completed;
    std::thread worker([&] { outcome = trainer.run(); });
    while (seen < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    trainer.pause();
    // Tasks run between two updates, so this one runs after the update in flight has reported,
    // however long that update takes; the trainer then waits.
    std::promise<int64_t> stepAtPause;
    trainer.runBetweenSteps([&](Trainer& t) { stepAtPause.set_value(t.step()); });
    std::future<int64_t> pausedStep = stepAtPause.get_future();
    QVERIFY(pausedStep.wait_for(std::chrono::seconds(60)) == std::future_status::ready);  // only a hang guard
    const int64_t pausedAt = pausedStep.get();
    QCOMPARE(int64_t(seen), pausedAt);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QCOMPARE(int64_t(seen), pausedAt);  // nothing trains while paused
    trainer.resume();
    while (seen < pausedAt + 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    trainer.cancel();
    worker.join();
    QVERIFY(outcome == TrainingOutcome::Cancelled);
    QVERIFY(trainer.step() < o.steps);
    QCOMPARE(QString::fromStdString(trainer.lastCheckpoint()), QString::fromStdString(checkpointFolder(dir, trainer.step())));
    auto resumed = Trainer::resume(dir, s.examples, {});
    QCOMPARE(resumed->step(), trainer.step());
}

void TestTrainingRun::nonFiniteStopsWithCheckpointIntact()
{
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainerOptions o;
    o.steps = 2;
    o.batchSize = 2;
    o.checkpointEvery = 2;
    {
        Trainer t(*s.params, s.vocab, true, s.examples, {}, o, dir);
        t.run();
    }
    const std::string good = testing::readText(checkpointFolder(dir, 2) + "/model.safetensors");
    auto t = Trainer::resume(dir, s.examples, {});
    t->parameters().data()[t->parameters().layout().layers[0].qW] = NAN;
    try {
        t->run();  // steps already done: nothing to do, no error
    } catch (const Error&) {
        QFAIL("a finished run should not train");
    }
    // A run with steps left hits the NaN on its first update.
    o.steps = 5;
    ParameterBuffer poisoned = *s.params;
    poisoned.data()[poisoned.layout().layers[0].qW] = INFINITY;
    const std::string dir2 = tmp.filePath("run2").toStdString();
    Trainer bad(poisoned, s.vocab, true, s.examples, {}, o, dir2);
    bool threw = false;
    try {
        bad.run();
    } catch (const Error& e) {
        threw = true;
        QVERIFY2(QString(e.what()).contains("NaN or infinite"), e.what());
    }
    QVERIFY(threw);
    QVERIFY(!std::filesystem::exists(checkpointFolder(dir2, 1)));
    QCOMPARE(testing::readText(checkpointFolder(dir, 2) + "/model.safetensors"), good);
}

void TestTrainingRun::checkpointIsHuggingFaceFolder()
{
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainerOptions o;
    o.steps = 1;
    o.batchSize = 2;
    Trainer t(*s.params, s.vocab, true, s.examples, {}, o, dir);
    t.run();
    for (const std::string& folder : {dir, checkpointFolder(dir, 1)}) {
        const BertConfig c = BertConfig::fromFile(folder + "/config.json");
        const ParameterBuffer back = ParameterBuffer::fromTensors(c, readSafetensors(folder + "/model.safetensors"));
        QCOMPARE(testing::maxAbsDiff(back.data(), t.parameters().data(), int64_t(back.size())), 0.0f);
        QCOMPARE(Vocab::fromFile(folder + "/vocab.txt").size(), s.vocab->size());
    }
}

// A write that fails mid-checkpoint (here: the file-size limit, which fails write() with EFBIG the
// way a full disk fails it with ENOSPC) stops the run with a message naming the last good
// checkpoint, which is still whole; no half-written folder is left behind.
void TestTrainingRun::fullDiskStopsWithCheckpointIntact()
{
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainerOptions o;
    o.steps = 10;
    o.batchSize = 2;
    o.checkpointEvery = 2;
    Trainer t(*s.params, s.vocab, true, s.examples, {}, o, dir);
    std::string good;
    rlimit saved{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);  // a failed write, not a killed process
    t.onMetrics([&](const TrainingMetrics& m) {
        if (m.step != 3) return;
        good = testing::readText(checkpointFolder(dir, 2) + "/model.safetensors");
        // Small enough to stop the next model file, large enough for the metrics log to go on.
        const rlimit limit{good.size() / 2, saved.rlim_max};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    QString message;
    try {
        t.run();
    } catch (const Error& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);
    QVERIFY2(!good.empty() && std::filesystem::file_size(dir + "/metrics.jsonl") < good.size() / 2, "setup");
    QVERIFY2(message.contains("cannot write") || message.contains("Cannot write"), qPrintable(message));
    QVERIFY2(message.contains(QString::fromStdString(checkpointFolder(dir, 2)) + ", is intact"), qPrintable(message));
    QVERIFY2(message.contains("stopped at step 4"), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QCOMPARE(t.lastCheckpoint(), checkpointFolder(dir, 2));
    QCOMPARE(testing::readText(checkpointFolder(dir, 2) + "/model.safetensors"), good);
    // Only complete step-* folders: the failed one left nothing, and the run resumes from step 2.
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/checkpoints"))
        QVERIFY2(entry.path().filename() == "step-00000002", entry.path().c_str());
    auto resumed = Trainer::resume(dir, s.examples, {});
    QCOMPARE(resumed->step(), int64_t(2));
}

QTEST_APPLESS_MAIN(TestTrainingRun)
#include "test_training_run.moc"
