// Training backward pass: PyTorch autograd fixtures and finite differences for every parameter.
#include "test_support.h"

#include "bert_config.h"
#include "safetensors.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/training_batch.h"
#include "training/training_model.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

using namespace bertlab;

namespace {

struct Fixture {
    BertConfig config;
    ParameterBuffer params;
    std::vector<PretrainingExample> examples;
};

Fixture loadFixture()
{
    const std::string dir = testing::dataPath("fixtures/training/");
    BertConfig config = BertConfig::fromFile(dir + "model/config.json");
    ParameterBuffer params = ParameterBuffer::fromTensors(config, readSafetensors(dir + "model/model.safetensors"));
    return {config, std::move(params), readExamplesJsonl(dir + "examples.jsonl", config.vocabSize)};
}

TrainingBatch firstBatch(const Fixture& f, int count)
{
    std::vector<const PretrainingExample*> chosen;
    for (int i = 0; i < count; ++i) chosen.push_back(&f.examples[i]);
    return TrainingBatch::make(chosen, 0, f.config.vocabSize, f.config.maxPositionEmbeddings);
}

} // namespace

class TestTrainingGradients : public QObject {
    Q_OBJECT
private slots:
    void matchesPytorchAutograd();
    void finiteDifferencesEveryParameter_data();
    void finiteDifferencesEveryParameter();
    void gradientsAccumulateAcrossCalls();
};

void TestTrainingGradients::matchesPytorchAutograd()
{
    Fixture f = loadFixture();
    const auto expected = nlohmann::json::parse(testing::readText(testing::dataPath("fixtures/training/gradients.json")));
    const TensorMap grads = readSafetensors(testing::dataPath("fixtures/training/gradients.safetensors"));
    TrainingBatch batch = firstBatch(f, expected["examples"].get<int>());
    QVERIFY(batch.seqLength > 0);

    TrainingModel model(f.config);
    model.setDropout(0.0f, 0.0f);
    const LossStats stats = model.forward(f.params, batch, 1);
    QVERIFY(std::fabs(stats.loss - expected["loss"].get<double>()) < 1e-4);
    QVERIFY(std::fabs(stats.mlmLoss - expected["mlm_loss"].get<double>()) < 1e-4);
    QVERIFY(std::fabs(stats.nspLoss - expected["nsp_loss"].get<double>()) < 1e-4);
    QCOMPARE(double(stats.mlmCorrect) / stats.mlmCount, expected["mlm_accuracy"].get<double>());

    std::vector<float> g(f.params.size(), 0.0f);
    model.backward(f.params, g.data());
    int checked = 0;
    for (const ParameterEntry& e : f.params.layout().entries) {
        auto it = grads.tensors.find(e.name);
        QVERIFY2(it != grads.tensors.end(), e.name.c_str());
        QCOMPARE(static_cast<size_t>(it->second.numel()), e.numel);
        const float diff = testing::maxAbsDiff(g.data() + e.offset, it->second.data, int64_t(e.numel));
        float largest = 0.0f;
        for (size_t i = 0; i < e.numel; ++i) largest = std::max(largest, std::fabs(it->second.data[i]));
        QVERIFY2(diff <= 1e-4f, qPrintable(QString("%1: max diff %2 (largest grad %3)")
                                               .arg(e.name.c_str()).arg(diff).arg(largest)));
        // A key bias shifts every score of a row equally, so softmax makes its gradient exactly 0.
        const bool keyBias = e.name.find("key.bias") != std::string::npos;
        QVERIFY2(keyBias || largest > 1e-4f, qPrintable(QString("%1 has a vanishing reference gradient").arg(e.name.c_str())));
        ++checked;
    }
    QCOMPARE(checked, int(grads.tensors.size()));
}

void TestTrainingGradients::finiteDifferencesEveryParameter_data()
{
    QTest::addColumn<float>("dropout");
    QTest::newRow("no dropout") << 0.0f;
    QTest::newRow("dropout 0.1, masks kept") << 0.1f;
}

// Central differences of the float loss: eps 1e-2 keeps rounding error (~1e-4 of a loss near 5)
// well under the tolerance while the truncation error stays O(eps²).
void TestTrainingGradients::finiteDifferencesEveryParameter()
{
    QFETCH(float, dropout);
    Fixture f = loadFixture();
    TrainingBatch batch = firstBatch(f, 3);
    TrainingModel model(f.config);
    model.setDropout(dropout, dropout);
    const uint64_t key = 99;
    model.forward(f.params, batch, key);
    std::vector<float> g(f.params.size(), 0.0f);
    model.backward(f.params, g.data());

    std::mt19937 rng(5);
    const float eps = 1e-2f;
    int probes = 0;
    for (const ParameterEntry& e : f.params.layout().entries) {
        std::vector<size_t> picks;
        size_t argmax = 0;
        for (size_t i = 0; i < e.numel; ++i)
            if (std::fabs(g[e.offset + i]) > std::fabs(g[e.offset + argmax])) argmax = i;
        picks.push_back(argmax);
        for (int r = 0; r < 3; ++r) picks.push_back(std::uniform_int_distribution<size_t>(0, e.numel - 1)(rng));
        for (size_t i : picks) {
            float& w = f.params.data()[e.offset + i];
            const float saved = w;
            w = saved + eps;
            const double up = model.forward(f.params, batch, key).loss;
            w = saved - eps;
            const double down = model.forward(f.params, batch, key).loss;
            w = saved;
            const double numeric = (up - down) / (2.0 * eps);
            const double analytic = g[e.offset + i];
            QVERIFY2(std::fabs(numeric - analytic) <= 2e-3 + 2e-2 * std::fabs(analytic),
                     qPrintable(QString("%1[%2]: finite difference %3, backward %4")
                                    .arg(e.name.c_str()).arg(i).arg(numeric).arg(analytic)));
            ++probes;
        }
    }
    QVERIFY(probes >= 4 * int(f.params.layout().entries.size()));
}

void TestTrainingGradients::gradientsAccumulateAcrossCalls()
{
    Fixture f = loadFixture();
    TrainingBatch batch = firstBatch(f, 2);
    TrainingModel model(f.config);
    model.setDropout(0.0f, 0.0f);
    std::vector<float> once(f.params.size(), 0.0f), twice(f.params.size(), 0.0f);
    model.forward(f.params, batch, 1);
    model.backward(f.params, once.data());
    for (int r = 0; r < 2; ++r) {
        model.forward(f.params, batch, 1);
        model.backward(f.params, twice.data(), 0.5f);
    }
    QVERIFY(testing::maxAbsDiff(once.data(), twice.data(), int64_t(once.size())) < 1e-6f);
}

QTEST_APPLESS_MAIN(TestTrainingGradients)
#include "test_training_gradients.moc"
