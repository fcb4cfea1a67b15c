// The training forward pass gives the same MLM and NSP logits as the inference engine on the same weights.
#include "test_support.h"

#include "bert_model.h"
#include "model_io.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/training_batch.h"
#include "training/training_model.h"

#include <QtTest/QtTest>

using namespace bertlab;

class TestTrainingForward : public QObject {
    Q_OBJECT
private slots:
    void logitsMatchInferenceEngine_data();
    void logitsMatchInferenceEngine();
};

void TestTrainingForward::logitsMatchInferenceEngine_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::newRow("gelu") << "training";
    QTest::newRow("gelu_new") << "training-gelu-new";
    QTest::newRow("relu") << "training-relu";
}

void TestTrainingForward::logitsMatchInferenceEngine()
{
    QFETCH(QString, fixture);
    const std::string dir = "fixtures/" + fixture.toStdString() + "/";
    auto model = loadModel(testing::dataPath(dir + "model"));
    QVERIFY(model->hasMlm() && model->hasNsp());
    const auto examples = readExamplesJsonl(testing::dataPath(dir + "examples.jsonl"));
    const ParameterBuffer params = ParameterBuffer::fromModel(*model, 1);
    TrainingModel training(model->config());
    training.setDropout(0.0f, 0.0f);
    training.setKeepLogits(true);
    // A padded batch: examples of different lengths, so padding must not leak into real tokens.
    std::vector<const PretrainingExample*> chosen = {&examples[0], &examples[1], &examples[2]};
    const TrainingBatch batch = TrainingBatch::make(chosen, 0, model->config().vocabSize, 0);
    training.forward(params, batch, 0, false);
    const int V = model->config().vocabSize;
    int row = 0;
    for (int b = 0; b < 3; ++b) {
        const PretrainingExample& e = *chosen[b];
        Encoding enc;
        enc.ids = e.inputIds;
        enc.typeIds = e.tokenTypeIds;
        for (int id : e.inputIds) {
            enc.tokens.push_back(model->vocab().token(id));
            enc.offsets.push_back({-1, -1});
            enc.segment.push_back(-1);
            enc.specialMask.push_back(false);
        }
        Probe probe;
        probe.mlmPositions = e.maskedPositions;
        probe.mlmLogits = true;
        probe.nsp = true;
        const Trace trace = model->forward(enc, probe);
        QVERIFY(trace.nsp.has_value());
        for (int k = 0; k < 2; ++k)
            QVERIFY2(std::fabs(trace.nsp->logits[k] - training.nspLogits()[b * 2 + k]) < 1e-4f,
                     qPrintable(QString("example %1 NSP logit %2").arg(b).arg(k)));
        QCOMPARE(int(trace.mlmLogits.rows()), int(e.maskedPositions.size()));
        for (int m = 0; m < int(e.maskedPositions.size()); ++m, ++row) {
            const float diff = testing::maxAbsDiff(trace.mlmLogits.row(m).data(),
                                                   training.mlmLogits().data() + size_t(row) * V, V);
            QVERIFY2(diff < 1e-4f, qPrintable(QString("example %1 masked %2: %3").arg(b).arg(m).arg(diff)));
        }
    }
    QCOMPARE(row, int(batch.maskedRows.size()));
}

QTEST_APPLESS_MAIN(TestTrainingForward)
#include "test_training_forward.moc"
