// bertlab-cli train end to end: matches a PyTorch run, --corpus equals the step-by-step commands, SIGKILL + --resume reproduces the metrics.
#include "test_support.h"

#include "training/metrics_record.h"
#include "training/pretraining_pipeline.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <filesystem>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace bertlab;

namespace {

int countLines(const std::string& path)
{
    std::ifstream in(path);
    int n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
}

bool runCli(const QStringList& args, QString* err = nullptr, QString* out = nullptr)
{
    QProcess p;
    p.start(BERTLAB_CLI, args);
    if (!p.waitForFinished(300000)) return false;
    if (err) *err = QString::fromUtf8(p.readAllStandardError());
    if (out) *out = QString::fromUtf8(p.readAllStandardOutput());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QString data(const std::string& rel) { return QString::fromStdString(testing::dataPath(rel)); }

QString corpus() { return data("corpus/small.txt"); }

std::string text(const QString& path) { return testing::readText(path.toStdString()); }

// The recipe every variant of the --corpus test shares: a small vocabulary, short examples, a few steps, dropout on.
constexpr int kVocabSize = 1000, kSeqLength = 64, kDupeFactor = 2, kSteps = 4, kBatch = 4, kSeed = 7;

QStringList trainFlags()
{
    return {"--preset", "tiny", "--steps", QString::number(kSteps), "--batch-size", QString::number(kBatch), "--seed",
            QString::number(kSeed), "--checkpoint-every", "0"};
}

} // namespace

class TestTrainingCli : public QObject {
    Q_OBJECT
private slots:
    void matchesPytorchRecipe();
    void evaluateMatchesPytorch();
    void sigkillThenResumeReproducesMetrics();
    void corpusFormEqualsStepByStepCommands();
    void rejectsBadArguments();
};

void TestTrainingCli::matchesPytorchRecipe()
{
    QTemporaryDir tmp;
    const QString out = tmp.filePath("run");
    QString err, json;
    QVERIFY2(runCli({"train", "--init", data("fixtures/training/model"), "--examples",
                     data("fixtures/training/examples.jsonl"), "--out", out, "--steps", "7", "--batch-size", "4",
                     "--lr", "0.002", "--warmup", "2", "--dropout", "0", "--shuffle", "off", "--json"},
                    &err, &json),
             qPrintable(err));
    const auto summary = nlohmann::json::parse(json.toStdString());
    QCOMPARE(summary["out"].get<std::string>(), out.toStdString());
    QCOMPARE(summary["steps"].get<int>(), 7);
    QVERIFY(std::filesystem::exists(summary["checkpoint"].get<std::string>()));
    const auto ref = nlohmann::json::parse(testing::readText(testing::dataPath("fixtures/training/adamw.json")));
    const auto got = readMetricsJsonl(out.toStdString() + "/metrics.jsonl");
    QCOMPARE(got.size(), ref["metrics"].size());
    for (size_t i = 0; i < got.size(); ++i) {
        const auto& e = ref["metrics"][i];
        QCOMPARE(got[i].step, e["step"].get<int64_t>());
        const std::pair<const char*, double> values[] = {
            {"loss", got[i].loss},         {"mlm_loss", got[i].mlmLoss},         {"nsp_loss", got[i].nspLoss},
            {"mlm_accuracy", got[i].mlmAccuracy}, {"nsp_accuracy", got[i].nspAccuracy}, {"lr", got[i].lr},
            {"grad_norm", got[i].gradNorm}};
        for (const auto& [key, value] : values)
            QVERIFY2(std::fabs(value - e[key].get<double>()) < 1e-4,
                     qPrintable(QString("step %1 %2: %3 vs %4").arg(i + 1).arg(key).arg(value).arg(e[key].get<double>())));
    }
    QVERIFY(QFile::exists(out + "/model.safetensors"));
    QVERIFY(QFile::exists(out + "/config.json"));
    QVERIFY(QFile::exists(out + "/vocab.txt"));
}

// `evaluate` on the first batch of the fixture examples equals PyTorch's first-step figures, which
// are computed before any update with dropout off: the same model, the same examples.
void TestTrainingCli::evaluateMatchesPytorch()
{
    QTemporaryDir tmp;
    std::ifstream in(testing::dataPath("fixtures/training/examples.jsonl"));
    const QString firstBatch = tmp.filePath("batch.jsonl");
    {
        std::ofstream out(firstBatch.toStdString());
        std::string line;
        for (int i = 0; i < 4 && std::getline(in, line); ++i) out << line << "\n";
    }
    QProcess p;
    p.start(BERTLAB_CLI, {"evaluate", data("fixtures/training/model"), "--examples", firstBatch, "--json"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const auto got = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    const auto ref = nlohmann::json::parse(testing::readText(testing::dataPath("fixtures/training/adamw.json")));
    const auto& first = ref["metrics"][0];
    QCOMPARE(got["examples"].get<int>(), 4);
    for (const char* key : {"loss", "mlm_loss", "nsp_loss", "mlm_accuracy", "nsp_accuracy"})
        QVERIFY2(std::fabs(got[key].get<double>() - first[key].get<double>()) < 1e-4,
                 qPrintable(QString("%1: %2 vs %3").arg(key).arg(got[key].get<double>()).arg(first[key].get<double>())));

    // No heads, no scores: a one-line error rather than numbers from random heads.
    p.start(BERTLAB_CLI, {"evaluate", data("models/tiny-base-only"), "--examples", firstBatch});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY(p.exitCode() != 0);
    const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    QVERIFY2(err.startsWith("error: evaluate needs both pretraining heads") && !err.contains('\n'), qPrintable(err));
}

void TestTrainingCli::sigkillThenResumeReproducesMetrics()
{
    QTemporaryDir tmp;
    const QString whole = tmp.filePath("whole"), killed = tmp.filePath("killed");
    // Dropout and shuffling on, so their random streams must resume exactly too.
    const QStringList recipe = {"train", "--init", data("fixtures/training/model"), "--examples",
                                data("fixtures/training/examples.jsonl"), "--steps", "120", "--batch-size", "4",
                                "--lr", "0.001", "--warmup", "12", "--dropout", "0.1", "--seed", "7",
                                "--checkpoint-every", "10"};
    QString err;
    QVERIFY2(runCli(recipe + QStringList{"--out", whole}, &err), qPrintable(err));

    QProcess p;
    p.start(BERTLAB_CLI, recipe + QStringList{"--out", killed});
    QVERIFY(p.waitForStarted());
    const std::string metrics = killed.toStdString() + "/metrics.jsonl";
    QElapsedTimer timer;
    timer.start();
    while (countLines(metrics) < 25 && p.state() != QProcess::NotRunning && timer.elapsed() < 120000)
        QThread::usleep(500);
    p.kill();  // SIGKILL: no chance to clean up
    p.waitForFinished();
    if (p.exitStatus() != QProcess::CrashExit) QSKIP("the run finished before it could be killed");
    const int linesAtKill = countLines(metrics);
    QVERIFY(linesAtKill < 120);

    QVERIFY2(runCli({"train", "--resume", killed}, &err), qPrintable(err));
    QCOMPARE(QString::fromStdString(testing::readText(metrics)),
             QString::fromStdString(testing::readText(whole.toStdString() + "/metrics.jsonl")));
    QCOMPARE(testing::readText(killed.toStdString() + "/model.safetensors"),
             testing::readText(whole.toStdString() + "/model.safetensors"));
}

// One command (and the engine pipeline called directly) gives the vocabulary, examples, metrics and
// model of build-vocab + make-examples + train with the same seed.
void TestTrainingCli::corpusFormEqualsStepByStepCommands()
{
    QTemporaryDir tmp;
    const QString vocab = tmp.filePath("vocab.txt"), examples = tmp.filePath("examples.jsonl");
    const QString steps = tmp.filePath("steps"), oneCommand = tmp.filePath("one"), engine = tmp.filePath("engine");
    QString err;
    QVERIFY2(runCli({"build-vocab", corpus(), "--size", QString::number(kVocabSize), "--out", vocab}, &err), qPrintable(err));
    QVERIFY2(runCli({"make-examples", corpus(), "--vocab", vocab, "--out", examples, "--seed", QString::number(kSeed),
                     "--max-seq-length", QString::number(kSeqLength), "--dupe-factor", QString::number(kDupeFactor)},
                    &err),
             qPrintable(err));
    QVERIFY2(runCli(QStringList{"train", "--vocab", vocab, "--examples", examples, "--out", steps} + trainFlags(), &err),
             qPrintable(err));
    QVERIFY2(runCli(QStringList{"train", "--corpus", corpus(), "--vocab-size", QString::number(kVocabSize),
                                "--max-seq-length", QString::number(kSeqLength), "--dupe-factor",
                                QString::number(kDupeFactor), "--out", oneCommand} +
                        trainFlags(),
                    &err),
             qPrintable(err));
    QVERIFY2(err.contains("estimate: ") && err.contains("parameters"), qPrintable(err));

    PretrainingOptions o;
    o.runDir = engine.toStdString();
    o.corpusPath = corpus().toStdString();
    o.preset = "tiny";
    o.vocabBuilder.size = kVocabSize;
    o.examples.maxSeqLength = kSeqLength;
    o.examples.dupeFactor = kDupeFactor;
    o.trainer.steps = kSteps;
    o.trainer.batchSize = kBatch;
    o.trainer.seed = kSeed;
    QStringList stages;
    std::vector<TrainingMetrics> live;
    PretrainingCallbacks callbacks;
    callbacks.stage = [&](const std::string& stage, int) { stages << QString::fromStdString(stage); };
    callbacks.metrics = [&](const TrainingMetrics& m) { live.push_back(m); };
    PretrainingPipeline pipeline(o, callbacks);
    QCOMPARE(int(pipeline.run()), int(TrainingOutcome::Completed));
    QVERIFY2(stages.size() >= 4, qPrintable(stages.join(" | ")));

    const QString metrics = QStringLiteral("/metrics.jsonl");
    for (const QString& dir : {oneCommand, engine}) {
        QCOMPARE(text(dir + "/vocab.txt"), text(vocab));
        QCOMPARE(text(dir + "/examples.jsonl"), text(examples));
        QVERIFY(!text(steps + metrics).empty());
        QCOMPARE(text(dir + metrics), text(steps + metrics));
        QCOMPARE(text(dir + "/model.safetensors"), text(steps + "/model.safetensors"));
    }
    // What the callbacks delivered is what the file holds.
    const auto written = readMetricsJsonl((engine + metrics).toStdString());
    QCOMPARE(written.size(), size_t(kSteps));
    QCOMPARE(live.size(), written.size());
    for (size_t i = 0; i < live.size(); ++i) {
        QCOMPARE(written[i].step, int64_t(i + 1));
        QCOMPARE(toJson(written[i]), toJson(live[i]));
    }
}

void TestTrainingCli::rejectsBadArguments()
{
    QTemporaryDir tmp;
    QString err;
    QVERIFY(!runCli({"train", "--preset", "huge", "--vocab", data("fixtures/training/model/vocab.txt"), "--examples",
                     data("fixtures/training/examples.jsonl"), "--out", tmp.filePath("x")},
                    &err));
    QVERIFY2(err.startsWith("error: --preset") && err.contains("usage: bertlab-cli train"), qPrintable(err));
    QVERIFY(!runCli({"train", "--resume", tmp.filePath("nothing")}, &err));
    QVERIFY2(err.contains("no checkpoint"), qPrintable(err));
    QVERIFY(!runCli({"train", "--init", data("fixtures/training/model"), "--examples",
                     data("fixtures/training/examples.jsonl"), "--out", tmp.filePath("y"), "--shuffle", "maybe"},
                    &err));
    QVERIFY2(err.contains("--shuffle"), qPrintable(err));
    QVERIFY(!runCli({"train", "--preset", "tiny", "--examples", data("fixtures/training/examples.jsonl"), "--out",
                     tmp.filePath("x")},
                    &err));
    QVERIFY2(err.contains("--vocab") && err.contains("--corpus"), qPrintable(err));
    QVERIFY(!runCli({"train", "--preset", "tiny", "--vocab", data("fixtures/training/model"),
                     "--corpus", corpus(), "--vocab-size", "500", "--out", tmp.filePath("y")},
                    &err));
    QVERIFY2(err.contains("--vocab-size"), qPrintable(err));
}

QTEST_APPLESS_MAIN(TestTrainingCli)
#include "test_training_cli.moc"
