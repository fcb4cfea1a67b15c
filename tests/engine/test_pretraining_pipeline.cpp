// The pretraining pipeline: `train --corpus` and the engine pipeline equal the step-by-step commands; metrics.jsonl records.
#include "test_support.h"

#include "error.h"
#include "training/metrics_record.h"
#include "training/pretraining_pipeline.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace bertlab;

namespace {

bool runCli(const QStringList& args, QString* err = nullptr)
{
    QProcess p;
    p.start(BERTLAB_CLI, args);
    if (!p.waitForFinished(300000)) return false;
    if (err) *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QString corpus() { return QString::fromStdString(testing::dataPath("corpus/small.txt")); }

std::string text(const QString& path) { return testing::readText(path.toStdString()); }

// The recipe every variant below shares: a small vocabulary, short examples, a few steps with dropout on.
constexpr int kVocabSize = 1000, kSeqLength = 64, kDupeFactor = 2, kSteps = 4, kBatch = 4, kSeed = 7;

QStringList trainFlags()
{
    return {"--preset", "tiny", "--steps", QString::number(kSteps), "--batch-size", QString::number(kBatch), "--seed",
            QString::number(kSeed), "--checkpoint-every", "0"};
}

} // namespace

class TestPretrainingPipeline : public QObject {
    Q_OBJECT
private slots:
    void corpusFormEqualsStepByStepCommands();
    void stopBetweenStepsBuildsNothingMore();
    void rejectsConflictingSources();
    void metricsRecordRoundTripsTheFileFormat();
    void metricsReaderSkipsATornLine();
};

// One command (and the engine pipeline called directly) gives the vocabulary, examples, metrics and
// model of build-vocab + make-examples + train with the same seed.
void TestPretrainingPipeline::corpusFormEqualsStepByStepCommands()
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

void TestPretrainingPipeline::stopBetweenStepsBuildsNothingMore()
{
    QTemporaryDir tmp;
    PretrainingOptions o;
    o.runDir = tmp.filePath("run").toStdString();
    o.corpusPath = corpus().toStdString();
    o.preset = "tiny";
    o.vocabBuilder.size = kVocabSize;
    std::stop_source stop;
    PretrainingCallbacks callbacks;
    callbacks.stage = [&](const std::string& stage, int) {
        if (stage.rfind("tokenizing", 0) == 0) stop.request_stop();
    };
    PretrainingPipeline pipeline(o, callbacks);
    QVERIFY(!pipeline.prepare(stop.get_token()));
    QVERIFY(pipeline.trainer() == nullptr);
    QVERIFY(std::filesystem::exists(o.runDir + "/vocab.txt"));  // the step before the stop finished
    QVERIFY(!std::filesystem::exists(o.runDir + "/examples.jsonl"));
    QVERIFY(!std::filesystem::exists(o.runDir + "/checkpoints"));
    QCOMPARE(int(PretrainingPipeline(o).run(stop.get_token())), int(TrainingOutcome::Cancelled));
}

void TestPretrainingPipeline::rejectsConflictingSources()
{
    QTemporaryDir tmp;
    auto errorOf = [](PretrainingOptions o) -> QString {
        try {
            PretrainingPipeline(std::move(o)).prepare();
        } catch (const Error& e) {
            return QString::fromUtf8(e.what());
        }
        return QStringLiteral("(no error)");
    };
    PretrainingOptions o;
    o.runDir = tmp.filePath("run").toStdString();
    o.preset = "tiny";
    o.examplesPath = testing::dataPath("fixtures/training/examples.jsonl");
    QVERIFY(errorOf(o).contains("needs a vocabulary"));
    o.corpusPath = corpus().toStdString();
    QVERIFY(errorOf(o).contains("exactly one of a corpus or an examples file"));
    o.examplesPath.clear();
    o.preset = "huge";
    QVERIFY(errorOf(o).contains("unknown preset"));
    o.preset = "tiny";
    o.initModelPath = testing::dataPath("fixtures/training/model");
    QVERIFY(errorOf(o).contains("exactly one of a model to continue or a new model"));
    QVERIFY(!std::filesystem::exists(o.runDir + "/vocab.txt"));  // refused before any work

    QString err;
    QVERIFY(!runCli({"train", "--preset", "tiny", "--examples", QString::fromStdString(o.examplesPath), "--out",
                     tmp.filePath("x")},
                    &err));
    QVERIFY2(err.contains("--vocab") && err.contains("--corpus"), qPrintable(err));
    QVERIFY(!runCli({"train", "--preset", "tiny", "--vocab", QString::fromStdString(testing::dataPath("fixtures/training/model")),
                     "--corpus", corpus(), "--vocab-size", "500", "--out", tmp.filePath("y")},
                    &err));
    QVERIFY2(err.contains("--vocab-size"), qPrintable(err));
}

// A line as trainer.cpp's printf wrote it before the record existed (and as docs/training.md lists
// its keys): read into the struct and written back, it comes out byte for byte the same.
void TestPretrainingPipeline::metricsRecordRoundTripsTheFileFormat()
{
    const std::string line = "{\"step\": 42, \"loss\": 7.31244421, \"mlm_loss\": 6.62345171, \"nsp_loss\": 0.688992500, "
                             "\"mlm_accuracy\": 0.0512820513, \"nsp_accuracy\": 0.53125, \"lr\": 8.4e-05, "
                             "\"grad_norm\": 2.14530063}";
    const std::string canonical = "{\"step\": 42, \"loss\": 7.31244421, \"mlm_loss\": 6.62345171, \"nsp_loss\": 0.6889925, "
                                  "\"mlm_accuracy\": 0.0512820513, \"nsp_accuracy\": 0.53125, \"lr\": 8.4e-05, "
                                  "\"grad_norm\": 2.14530063}";
    const TrainingMetrics m = trainingMetricsFromJson(line);
    QCOMPARE(m.step, int64_t(42));
    QCOMPARE(m.loss, 7.31244421);
    QCOMPARE(m.mlmLoss, 6.62345171);
    QCOMPARE(m.nspLoss, 0.6889925);
    QCOMPARE(m.mlmAccuracy, 0.0512820513);
    QCOMPARE(m.nspAccuracy, 0.53125);
    QCOMPARE(m.lr, 8.4e-05);
    QCOMPARE(m.gradNorm, 2.14530063);
    QCOMPARE(toJson(m), canonical);  // %.9g drops the trailing zeros, as the printf did
    QCOMPARE(toJson(trainingMetricsFromJson(canonical)), canonical);

    const std::string eval = "{\"step\": 100, \"loss\": 5.5, \"mlm_loss\": 4.875, \"nsp_loss\": 0.625, "
                             "\"mlm_accuracy\": 0.25, \"nsp_accuracy\": 0.75, \"examples\": 123}";
    const EvaluationMetrics e = evaluationMetricsFromJson(eval);
    QCOMPARE(e.step, int64_t(100));
    QCOMPARE(e.mlmLoss, 4.875);
    QCOMPARE(e.examples, int64_t(123));
    QCOMPARE(toJson(e), eval);

    // Keys in another order and other spacing are the same record; a missing or mistyped key is an error.
    QCOMPARE(toJson(trainingMetricsFromJson("{\"grad_norm\":2.14530063,\"lr\":8.4e-05,\"nsp_accuracy\":0.53125,"
                                            "\"mlm_accuracy\":0.0512820513,\"nsp_loss\":0.6889925,\"mlm_loss\":6.62345171,"
                                            "\"loss\":7.31244421,\"step\":42}")),
             canonical);
    QVERIFY_THROWS_EXCEPTION(Error, trainingMetricsFromJson("{\"step\": 1, \"loss\": 2}"));
    QVERIFY_THROWS_EXCEPTION(Error, trainingMetricsFromJson(
                                        "{\"step\": 1.5, \"loss\": 1, \"mlm_loss\": 1, \"nsp_loss\": 1, \"mlm_accuracy\": 1, "
                                        "\"nsp_accuracy\": 1, \"lr\": 1, \"grad_norm\": 1}"));
    QVERIFY_THROWS_EXCEPTION(Error, evaluationMetricsFromJson("not json"));
}

void TestPretrainingPipeline::metricsReaderSkipsATornLine()
{
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("metrics.jsonl").toStdString();
    {
        std::ofstream out(path, std::ios::binary);
        out << "{\"step\": 1, \"loss\": 3, \"mlm_loss\": 2, \"nsp_loss\": 1, \"mlm_accuracy\": 0, \"nsp_accuracy\": 0.5, "
               "\"lr\": 1e-05, \"grad_norm\": 4}\n"
            << "{\"step\": 2, \"loss\": 2.5, \"mlm_loss\": 1.5, \"nsp_loss\": 1, \"mlm_accuracy\": 0.25, \"nsp_accuracy\": 0.5, "
               "\"lr\": 2e-05, \"grad_norm\": 3}\n"
            << "{\"step\": 3, \"loss\": 2.";
    }
    const auto records = readMetricsJsonl(path);
    QCOMPARE(records.size(), size_t(2));
    QCOMPARE(records[1].step, int64_t(2));
    QCOMPARE(records[1].lr, 2e-05);
    QVERIFY(readMetricsJsonl(tmp.filePath("missing.jsonl").toStdString()).empty());
}

QTEST_APPLESS_MAIN(TestPretrainingPipeline)
#include "test_pretraining_pipeline.moc"
