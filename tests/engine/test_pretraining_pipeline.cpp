// The pretraining pipeline's stops and checks, and the metrics.jsonl / eval.jsonl record against the file format.
#include "test_support.h"

#include "error.h"
#include "training/metrics_record.h"
#include "training/pretraining_pipeline.h"
#include "training/product_speed.h"
#include "training/run_estimate.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
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
    void runEstimateCountsWorkAtAMeasuredSpeed();
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

// The estimate is the FLOP count over a product speed timed here: the count is checked by hand for
// BERT-Base's encoder, the speed is a real measurement (positive, remembered), and bfloat16 is
// credited with no more than the cap its step-level gain justifies.
void TestPretrainingPipeline::runEstimateCountsWorkAtAMeasuredSpeed()
{
    const BertConfig base;  // BERT-Base's sizes are the defaults
    QCOMPARE(base.hiddenSize, 768);
    const bertlab::RunEstimate e = bertlab::estimateRun(base, 8, 128, 20, 2);
    // Encoder matrices: 12 × (4·768² + 2·768·3072) weights; forward 2 FLOPs per weight per token,
    // attention 2 products of S² · H per layer; heads: 160 masked rows × (H² + H·V), 8 × (H² + 2H)
    // pooled; backward twice the forward.
    const double encoder = 2.0 * 8 * 128 * 12 * (4.0 * 768 * 768 + 2.0 * 768 * 3072);
    const double attention = 12 * 2.0 * 2 * 8 * 128 * 128 * 768;
    const double heads = 160 * (768.0 * 768 + 768.0 * 30522) * 2 + 8 * (768.0 * 768 + 2 * 768) * 2;
    QVERIFY(std::abs(e.flopsPerStep - 3 * (encoder + attention + heads)) < 1e-9 * e.flopsPerStep);
    QCOMPARE(e.parameters, int64_t(110106428));  // BertForPreTraining's count, pooler and NSP included

    const double f32 = bertlab::measuredProductGflopsPerThread(Precision::Float32, 768);
    QVERIFY2(f32 > 0 && std::isfinite(f32), qPrintable(QString::number(f32)));  // a speed, not a bound on it
    QCOMPARE(bertlab::measuredProductGflopsPerThread(Precision::Float32, 768), f32);  // timed once
    QCOMPARE(e.gflopsPerThread, 0.5 * f32);
    QCOMPARE(e.secondsPerStep, 0.005 + e.flopsPerStep / (e.gflopsPerThread * 1e9 * 2));  // a fixed 5 ms per step

    const bertlab::RunEstimate bf16 = bertlab::estimateRun(base, 8, 128, 20, 2, Precision::Bfloat16);
    QVERIFY(bf16.secondsPerStep <= e.secondsPerStep * 1.0000001);
    QVERIFY(bf16.secondsPerStep >= e.secondsPerStep / 1.5 * 0.9999999);
}

QTEST_APPLESS_MAIN(TestPretrainingPipeline)
#include "test_pretraining_pipeline.moc"
