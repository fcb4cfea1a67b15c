// The pretraining pipeline's stops and checks, and the metrics.jsonl / eval.jsonl record against the file format.
#include "test_support.h"

#include "error.h"
#include "training/metrics_record.h"
#include "training/pretraining_pipeline.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace bertlab;

namespace {

std::string corpus() { return testing::dataPath("corpus/small.txt"); }

} // namespace

class TestPretrainingPipeline : public QObject {
    Q_OBJECT
private slots:
    void stopBetweenStepsBuildsNothingMore();
    void rejectsConflictingSources();
    void metricsRecordRoundTripsTheFileFormat();
    void metricsReaderSkipsATornLine();
};

void TestPretrainingPipeline::stopBetweenStepsBuildsNothingMore()
{
    QTemporaryDir tmp;
    PretrainingOptions o;
    o.runDir = tmp.filePath("run").toStdString();
    o.corpusPath = corpus();
    o.preset = "tiny";
    o.vocabBuilder.size = 1000;
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
    PretrainingOptions fromExamples;
    fromExamples.runDir = tmp.filePath("run").toStdString();
    fromExamples.preset = "tiny";
    fromExamples.examplesPath = testing::dataPath("fixtures/training/examples.jsonl");
    PretrainingOptions twoDataSources = fromExamples, unknownPreset = fromExamples, twoStarts = fromExamples;
    twoDataSources.corpusPath = corpus();
    unknownPreset.preset = "huge";
    unknownPreset.examplesPath.clear();
    unknownPreset.corpusPath = corpus();
    twoStarts.initModelPath = testing::dataPath("fixtures/training/model");
    const std::pair<const PretrainingOptions*, const char*> cases[] = {
        {&fromExamples, "needs a vocabulary"},
        {&twoDataSources, "exactly one of a corpus or an examples file"},
        {&unknownPreset, "unknown preset"},
        {&twoStarts, "exactly one of a model to continue or a new model"},
    };
    for (const auto& [options, expected] : cases) {
        const QString message = errorOf(*options);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }
    const std::string& runDir = fromExamples.runDir;
    QVERIFY(!std::filesystem::exists(runDir + "/examples.jsonl"));  // refused before any work
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
    // Each member holds the number of its own key (a swapped pair of keys would show here).
    const std::pair<double, double> readAndWritten[] = {
        {m.loss, 7.31244421},          {m.mlmLoss, 6.62345171}, {m.nspLoss, 0.6889925}, {m.mlmAccuracy, 0.0512820513},
        {m.nspAccuracy, 0.53125},      {m.lr, 8.4e-05},         {m.gradNorm, 2.14530063}};
    for (const auto& [got, expected] : readAndWritten) QCOMPARE(got, expected);
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
