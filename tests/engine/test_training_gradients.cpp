// Training backward pass: PyTorch autograd fixtures (on OpenBLAS and on oneDNN products) and finite differences for every parameter.
#include "test_support.h"

#include "bert_config.h"
#include "error.h"
#include "openblas_library.h"
#include "safetensors.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/training_batch.h"
#include "training/training_model.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>
#include <oneapi/dnnl/dnnl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace bertlab;

namespace {

struct Fixture {
    BertConfig config;
    ParameterBuffer params;
    std::vector<PretrainingExample> examples;
};

// dir: "training" (hidden_act gelu), "training-gelu-new" or "training-relu", made by
// tests/reference/make_gradient_fixtures.py with the same seeds and config but the activation.
Fixture loadFixture(const std::string& name = "training")
{
    const std::string dir = testing::dataPath("fixtures/" + name + "/");
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
    void matchesPytorchAutograd_data();
    void matchesPytorchAutograd();
    void oneDnnScopeRoutesTheThreadsProducts();
    void finiteDifferencesEveryParameter_data();
    void finiteDifferencesEveryParameter();
    void gradientsAccumulateAcrossCalls();
    void inputGradientMatchesFiniteDifferences();
    void inputEmbeddingsReplaceTheLookup();
    void lastLayerOnLossRowsMatchesTheWholeLayer_data();
    void lastLayerOnLossRowsMatchesTheWholeLayer();
};

void TestTrainingGradients::matchesPytorchAutograd_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("activation");
    QTest::addColumn<bool>("oneDnn");
    QTest::newRow("gelu") << "training" << "gelu" << false;
    QTest::newRow("gelu, oneDNN products (as Trainer runs)") << "training" << "gelu" << true;
    QTest::newRow("gelu_new") << "training-gelu-new" << "gelu_new" << false;
    QTest::newRow("relu") << "training-relu" << "relu" << false;
    QTest::newRow("relu, oneDNN products") << "training-relu" << "relu" << true;
}

void TestTrainingGradients::matchesPytorchAutograd()
{
    QFETCH(QString, fixture);
    QFETCH(QString, activation);
    QFETCH(bool, oneDnn);
    const std::string dir = "fixtures/" + fixture.toStdString() + "/";
    Fixture f = loadFixture(fixture.toStdString());
    QCOMPARE(QString(activationName(f.config.hiddenAct)), activation);
    const auto expected = nlohmann::json::parse(testing::readText(testing::dataPath(dir + "gradients.json")));
    const TensorMap grads = readSafetensors(testing::dataPath(dir + "gradients.safetensors"));
    TrainingBatch batch = firstBatch(f, expected["examples"].get<int>());
    QVERIFY(batch.seqLength > 0);

    TrainingModel model(f.config);
    model.setDropout(0.0f, 0.0f);
    if (oneDnn) model.setFloatProducts(FloatProducts::OneDnn);
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

// The scope must really hand the products to oneDNN (bit for bit what dnnl_sgemm gives), also on
// OpenMP workers that open it as attention's do, and put OpenBLAS back when it closes.
void TestTrainingGradients::oneDnnScopeRoutesTheThreadsProducts()
{
    const int m = 37, n = 29, k = 301;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> a(size_t(m) * k), b(size_t(n) * k);
    for (float& x : a) x = u(rng);
    for (float& x : b) x = u(rng);
    std::vector<float> direct(size_t(m) * n), openBlas(direct.size());
    QCOMPARE(dnnl_sgemm('N', 'T', m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, direct.data(), n), dnnl_success);
    sgemm(false, true, m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, openBlas.data(), n);
    QCOMPARE(threadFloatProducts(), FloatProducts::OpenBlas);
    std::vector<std::vector<float>> perWorker(4, std::vector<float>(direct.size()));
    {
        const FloatProductsScope scope(FloatProducts::OneDnn);
        const FloatProducts products = threadFloatProducts();
#pragma omp parallel for num_threads(2)
        for (int w = 0; w < 4; ++w) {
            const FloatProductsScope same(products);
            sgemm(false, true, m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, perWorker[size_t(w)].data(), n);
        }
    }
    QCOMPARE(threadFloatProducts(), FloatProducts::OpenBlas);
    for (const std::vector<float>& c : perWorker) QVERIFY(std::memcmp(c.data(), direct.data(), direct.size() * sizeof(float)) == 0);
    // Both libraries agree to rounding, so the comparison above is of the right product.
    QVERIFY(testing::maxAbsDiff(openBlas.data(), direct.data(), int64_t(direct.size())) < 1e-4f);
}

void TestTrainingGradients::finiteDifferencesEveryParameter_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<float>("dropout");
    QTest::addColumn<bool>("headMultipliers");
    QTest::newRow("no dropout") << "training" << 0.0f << false;
    QTest::newRow("dropout 0.1, masks kept") << "training" << 0.1f << false;
    QTest::newRow("gelu_new, dropout 0.1") << "training-gelu-new" << 0.1f << false;
    // No ReLU row: a step of eps crosses its kink at 0 somewhere in the model, where a central
    // difference is no reference; matchesPytorchAutograd checks ReLU's gradients.
    QTest::newRow("head multipliers, dropout 0.1") << "training" << 0.1f << true;
}

// Central differences of the float loss: eps 1e-2 keeps rounding error (~1e-4 of a loss near 5)
// well under the tolerance while the truncation error stays O(eps²).
void TestTrainingGradients::finiteDifferencesEveryParameter()
{
    QFETCH(QString, fixture);
    QFETCH(float, dropout);
    QFETCH(bool, headMultipliers);
    Fixture f = loadFixture(fixture.toStdString());
    TrainingBatch batch = firstBatch(f, 3);
    TrainingModel model(f.config);
    model.setDropout(dropout, dropout);
    if (headMultipliers) {
        // One head switched off, one damped, one amplified; the rest plain.
        std::vector<float> m(size_t(f.config.numHiddenLayers * f.config.numAttentionHeads), 1.0f);
        m[1] = 0.0f, m[2] = 0.5f, m[m.size() - 1] = 1.5f;
        model.setHeadMultipliers(m);
    }
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

// The gradient with respect to the inputs (the word vector of every row, before the position and
// segment add, as Hugging Face's inputs_embeds) against central differences of the loss.
void TestTrainingGradients::inputGradientMatchesFiniteDifferences()
{
    Fixture f = loadFixture();
    TrainingBatch batch = firstBatch(f, 3);
    const int H = f.config.hiddenSize, N = batch.batchSize * batch.seqLength;
    std::vector<float> embeds(size_t(N) * H);
    const float* word = f.params.data() + f.params.layout().wordEmb;
    for (int r = 0; r < N; ++r) std::copy_n(word + size_t(batch.ids[r]) * H, H, embeds.data() + size_t(r) * H);
    TrainingModel model(f.config);
    model.setDropout(0.1f, 0.1f);
    model.setInputEmbeddings(embeds.data());
    model.setKeepInputGradient(true);
    const uint64_t key = 7;
    model.forward(f.params, batch, key);
    std::vector<float> g(f.params.size(), 0.0f);
    model.backward(f.params, g.data());
    const auto& dInputs = model.inputGradient();
    QCOMPARE(dInputs.size(), embeds.size());

    std::mt19937 rng(11);
    const float eps = 1e-2f;
    size_t argmax = 0;
    for (size_t i = 0; i < embeds.size(); ++i)
        if (std::fabs(dInputs[i]) > std::fabs(dInputs[argmax])) argmax = i;
    QVERIFY(std::fabs(dInputs[argmax]) > 1e-3f);
    std::vector<size_t> picks = {argmax};
    for (int r = 0; r < 12; ++r) picks.push_back(std::uniform_int_distribution<size_t>(0, embeds.size() - 1)(rng));
    for (size_t i : picks) {
        const float saved = embeds[i];
        embeds[i] = saved + eps;
        const double up = model.forward(f.params, batch, key).loss;
        embeds[i] = saved - eps;
        const double down = model.forward(f.params, batch, key).loss;
        embeds[i] = saved;
        const double numeric = (up - down) / (2.0 * eps);
        QVERIFY2(std::fabs(numeric - dInputs[i]) <= 2e-3 + 2e-2 * std::fabs(dInputs[i]),
                 qPrintable(QString("input [%1]: finite difference %2, backward %3").arg(i).arg(numeric).arg(dInputs[i])));
    }
}

// Input vectors equal to the looked-up word vectors give the plain pass's loss and gradients,
// except that the word table then only gets the tied decoder's share.
void TestTrainingGradients::inputEmbeddingsReplaceTheLookup()
{
    Fixture f = loadFixture();
    TrainingBatch batch = firstBatch(f, 2);
    const int H = f.config.hiddenSize, N = batch.batchSize * batch.seqLength;
    std::vector<float> embeds(size_t(N) * H);
    const size_t wordAt = f.params.layout().wordEmb;
    for (int r = 0; r < N; ++r)
        std::copy_n(f.params.data() + wordAt + size_t(batch.ids[r]) * H, H, embeds.data() + size_t(r) * H);
    TrainingModel plain(f.config), fed(f.config);
    plain.setDropout(0.0f, 0.0f);
    fed.setDropout(0.0f, 0.0f);
    fed.setInputEmbeddings(embeds.data());
    fed.setKeepInputGradient(true);
    std::vector<float> gPlain(f.params.size(), 0.0f), gFed(f.params.size(), 0.0f);
    QCOMPARE(fed.forward(f.params, batch, 1).loss, plain.forward(f.params, batch, 1).loss);
    plain.backward(f.params, gPlain.data());
    fed.backward(f.params, gFed.data());
    // Scattering the input gradient onto the rows' ids gives back the lookup's share of the table.
    std::vector<float> lookup(size_t(f.config.vocabSize) * H, 0.0f);
    for (int r = 0; r < N; ++r)
        for (int h = 0; h < H; ++h) lookup[size_t(batch.ids[r]) * H + h] += fed.inputGradient()[size_t(r) * H + h];
    for (size_t i = 0; i < lookup.size(); ++i) gFed[wordAt + i] += lookup[i];
    QVERIFY(testing::maxAbsDiff(gPlain.data(), gFed.data(), int64_t(gPlain.size())) < 1e-6f);
}

void TestTrainingGradients::lastLayerOnLossRowsMatchesTheWholeLayer_data()
{
    QTest::addColumn<int>("heads");
    QTest::newRow("masked words") << int(LossHeads::MaskedLm);
    QTest::newRow("next sentence") << int(LossHeads::NextSentence);
}

// Attribution's last layer on the loss's rows alone gives the whole layer's loss, logits and every
// gradient (inputs, head multipliers, parameters): padded sequences, several masked rows in one
// sequence (their key and value gradients add), heads switched off and scaled.
void TestTrainingGradients::lastLayerOnLossRowsMatchesTheWholeLayer()
{
    QFETCH(int, heads);
    Fixture f = loadFixture();
    TrainingBatch batch = firstBatch(f, 3);
    QVERIFY(batch.maskedRows.size() > 3);  // more masked rows than sequences
    QVERIFY(std::any_of(batch.attentionMask.begin(), batch.attentionMask.end(), [](float m) { return m == 0.0f; }));
    const int H = f.config.hiddenSize, N = batch.batchSize * batch.seqLength;
    std::vector<float> embeds(size_t(N) * H);
    const float* word = f.params.data() + f.params.layout().wordEmb;
    for (int r = 0; r < N; ++r) std::copy_n(word + size_t(batch.ids[r]) * H, H, embeds.data() + size_t(r) * H);
    std::vector<float> multipliers(size_t(f.config.numHiddenLayers) * f.config.numAttentionHeads, 1.0f);
    multipliers.back() = 0.0f;
    multipliers[multipliers.size() - 2] = 0.5f;
    multipliers.front() = 1.3f;

    TrainingModel whole(f.config), rows(f.config);
    std::vector<float> gWhole(f.params.size(), 0.0f), gRows(f.params.size(), 0.0f);
    for (TrainingModel* m : {&whole, &rows}) {
        m->setDropout(0.0f, 0.0f);
        m->setLossHeads(static_cast<LossHeads>(heads));
        m->setHeadMultipliers(multipliers);
        m->setInputEmbeddings(embeds.data());
        m->setKeepInputGradient(true);
        m->setKeepHeadMultiplierGradient(true);
        m->setKeepLogits(true);
    }
    rows.setLastLayerOnLossRows(true);
    const LossStats a = whole.forward(f.params, batch, 1, false), b = rows.forward(f.params, batch, 1, false);
    QVERIFY(std::fabs(a.loss - b.loss) <= 1e-6 * std::fabs(a.loss));
    // The rows path ran: a real row no loss reads is left unwritten (zero in a fresh model).
    const int unread = static_cast<LossHeads>(heads) == LossHeads::NextSentence ? 1 : [&] {
        for (int r = 1; r < batch.seqLength; ++r)
            if (std::find(batch.maskedRows.begin(), batch.maskedRows.end(), r) == batch.maskedRows.end()) return r;
        return -1;
    }();
    QVERIFY(unread > 0);
    const float* wholeOut = whole.output() + size_t(unread) * H;
    const float* rowsOut = rows.output() + size_t(unread) * H;
    QVERIFY(std::any_of(wholeOut, wholeOut + H, [](float v) { return v != 0.0f; }));
    QVERIFY(std::all_of(rowsOut, rowsOut + H, [](float v) { return v == 0.0f; }));
    const auto& la = static_cast<LossHeads>(heads) == LossHeads::NextSentence ? whole.nspLogits() : whole.mlmLogits();
    const auto& lb = static_cast<LossHeads>(heads) == LossHeads::NextSentence ? rows.nspLogits() : rows.mlmLogits();
    QCOMPARE(la.size(), lb.size());
    QVERIFY(testing::maxAbsDiff(la.data(), lb.data(), int64_t(la.size())) < 1e-5f);

    whole.backward(f.params, gWhole.data());
    rows.backward(f.params, gRows.data());
    const auto scaleOf = [](const float* x, size_t n) {
        float most = 0.0f;
        for (size_t i = 0; i < n; ++i) most = std::max(most, std::fabs(x[i]));
        return most;
    };
    const auto& ia = whole.inputGradient();
    const auto& ib = rows.inputGradient();
    QVERIFY(scaleOf(ia.data(), ia.size()) > 1e-4f);
    QVERIFY(testing::maxAbsDiff(ia.data(), ib.data(), int64_t(ia.size())) < 1e-5f * scaleOf(ia.data(), ia.size()));
    const auto& ha = whole.headMultiplierGradient();
    const auto& hb = rows.headMultiplierGradient();
    QVERIFY(scaleOf(ha.data() + ha.size() - f.config.numAttentionHeads, f.config.numAttentionHeads) > 1e-5f);
    QVERIFY(testing::maxAbsDiff(ha.data(), hb.data(), int64_t(ha.size())) < 1e-5f * scaleOf(ha.data(), ha.size()));
    QVERIFY(testing::maxAbsDiff(gWhole.data(), gRows.data(), int64_t(gWhole.size())) <
            1e-5f * scaleOf(gWhole.data(), gWhole.size()));
    // A caller's gradient on every output row cannot pass through a layer that ran on a few.
    rows.forward(f.params, batch, 1, false);
    const std::vector<float> dOutput(size_t(N) * H, 1.0f);
    QVERIFY_THROWS_EXCEPTION(Error, rows.backward(f.params, gRows.data(), dOutput.data()));
}

QTEST_APPLESS_MAIN(TestTrainingGradients)
#include "test_training_gradients.moc"
