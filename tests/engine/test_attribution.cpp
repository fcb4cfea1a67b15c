// Attribution, head ablation and head importance against PyTorch autograd fixtures, finite differences and separate passes.
#include "test_support.h"

#include "attribution/attribution_target.h"
#include "attribution/head_ablation.h"
#include "attribution/head_importance.h"
#include "attribution/input_attribution.h"
#include "bert_model.h"
#include "cancelled.h"
#include "error.h"
#include "faster_float_products.h"
#include "model_io.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <thread>

using namespace bertlab;
using bertlab::testing::dataPath;
using nlohmann::json;

namespace {

// The tolerance: 1e-4 absolute or 1e-3 relative.
bool close(double ours, double reference)
{
    const double d = std::abs(ours - reference);
    return d <= 1e-4 || d <= 1e-3 * std::abs(reference);
}

#define CHECK_CLOSE(ours, reference, what)                                                                      \
    do {                                                                                                        \
        const double o_ = (ours), r_ = (reference);                                                             \
        if (!close(o_, r_))                                                                                     \
            QFAIL(qPrintable(QString("%1: ours %2, PyTorch %3").arg(QString::fromStdString(what)).arg(o_, 0, 'g', 9) \
                                 .arg(r_, 0, 'g', 9)));                                                         \
    } while (0)

json loadFixture(const std::string& model)
{
    return json::parse(bertlab::testing::readText(dataPath("fixtures/attribution/" + model + ".json")));
}

Encoding encodingOf(const json& c)
{
    Encoding e;
    e.ids = c["ids"].get<std::vector<int>>();
    e.typeIds = c["type_ids"].get<std::vector<int>>();
    return e;
}

std::vector<float> multipliersOf(const json& c)
{
    std::vector<float> m;
    for (const auto& row : c["head_mask"])
        for (const auto& v : row) m.push_back(v.get<float>());
    return m;
}

double logSoftmax(const float* x, int n, int i)
{
    double mx = x[0];
    for (int k = 1; k < n; ++k) mx = std::max<double>(mx, x[k]);
    double s = 0.0;
    for (int k = 0; k < n; ++k) s += std::exp(x[k] - mx);
    return x[i] - mx - std::log(s);
}

// The target's value from a plain forward pass under `multipliers`.
double targetByForward(const BertModel& m, const Encoding& e, const ResolvedTarget& t, const std::vector<float>& multipliers)
{
    Probe p;
    p.headMultipliers = multipliers;
    if (t.kind == AttributionTarget::Kind::NextSentence) {
        p.nsp = true;
        const Trace tr = m.forward(e, p);
        return logSoftmax(tr.nsp->logits, 2, 0);
    }
    p.mlmPositions = {t.position};
    p.mlmLogits = true;
    const Trace tr = m.forward(e, p);
    return logSoftmax(tr.mlmLogits.data(), m.config().vocabSize, t.tokenId);
}

const char* kModels[] = {"tiny", "tiny-gelu-new", "tiny-relu"};

// Attribution's passes take the float32 library measured faster on the machine
// (faster_float_products.h); the checks against PyTorch run on each library, whichever this
// machine would pick, by naming it in BERTLAB_SGEMM for the test's duration.
class ForcedProducts {
public:
    explicit ForcedProducts(const QByteArray& library)
    {
        if (!library.isEmpty()) qputenv("BERTLAB_SGEMM", library);
    }
    ~ForcedProducts() { qunsetenv("BERTLAB_SGEMM"); }
    ForcedProducts(const ForcedProducts&) = delete;
    ForcedProducts& operator=(const ForcedProducts&) = delete;
};

// Each library, on the weights as loaded and packed (BertModel::packWeights: query, key and value
// adjacent, multiplied as one product forward and backward).
void addProductColumns()
{
    QTest::addColumn<QByteArray>("products");
    QTest::addColumn<bool>("packed");
    QTest::newRow("measured") << QByteArray() << false;
    QTest::newRow("openblas") << QByteArray("openblas") << false;
    QTest::newRow("onednn") << QByteArray("onednn") << false;
    QTest::newRow("openblas, packed weights") << QByteArray("openblas") << true;
    QTest::newRow("onednn, packed weights") << QByteArray("onednn") << true;
}

std::shared_ptr<BertModel> loadTestModel(const char* name, bool packed)
{
    auto bert = loadModel(dataPath(std::string("models/") + name));
    if (packed) {
        if (!bert->packWeights()) throw Error("packWeights refused on a tiny model");
        const int64_t H = bert->config().hiddenSize;
        for (const EncoderLayerWeights& l : bert->weights().layers)
            if (l.key.weight.data != l.query.weight.data + H * H || l.value.bias.data != l.key.bias.data + H)
                throw Error("packWeights left query, key and value apart");
    }
    return bert;
}

} // namespace

class AttributionTest : public QObject {
    Q_OBJECT

private slots:
    void forwardUnderHeadMasksMatchesPyTorch()
    {
        for (const bool packed : {false, true})
        for (const char* name : kModels) {
            const json fx = loadFixture(name);
            const auto bert = loadTestModel(name, packed);
            for (const json& c : fx["cases"]) {
                const std::string where =
                    std::string(name) + "/" + c["name"].get<std::string>() + (packed ? " (packed)" : "");
                const Encoding e = encodingOf(c);
                Probe p;
                p.headMultipliers = multipliersOf(c);
                p.mlmPositions = c["forward"]["mlm_positions"].get<std::vector<int>>();
                p.mlmLogits = p.nsp = p.attentions = true;
                const Trace t = bert->forward(e, p);
                for (size_t j = 0; j < p.mlmPositions.size(); ++j)
                    for (int v = 0; v < bert->config().vocabSize; ++v)
                        CHECK_CLOSE(t.mlmLogits(static_cast<int>(j), v), c["forward"]["mlm_logits"][j][v].get<double>(),
                                    where + " mlm logit");
                for (int k = 0; k < 2; ++k)
                    CHECK_CLOSE(t.nsp->logits[k], c["forward"]["nsp_logits"][k].get<double>(), where + " nsp logit");
                const json& att = c["forward"]["attentions"];
                for (size_t l = 0; l < att.size(); ++l)
                    for (size_t h = 0; h < att[l].size(); ++h)
                        for (int i = 0; i < e.size(); ++i)
                            for (int j = 0; j < e.size(); ++j)
                                CHECK_CLOSE(t.attentions[l][h](i, j), att[l][h][i][j].get<double>(), where + " attention");
            }
        }
    }

    void attributionsMatchPyTorch_data() { addProductColumns(); }
    void attributionsMatchPyTorch()
    {
        QFETCH(QByteArray, products);
        QFETCH(bool, packed);
        const ForcedProducts forced(products);
        int checked = 0;
        for (const char* name : kModels) {
            const json fx = loadFixture(name);
            const auto bert = loadTestModel(name, packed);
            for (const json& c : fx["cases"]) {
                const Encoding e = encodingOf(c);
                for (const json& ref : c["targets"]) {
                    const std::string where =
                        std::string(name) + "/" + c["name"].get<std::string>() + " " + ref["target"].get<std::string>();
                    AttributionRequest r;
                    r.target = AttributionTarget::parse(ref["target"].get<std::string>());
                    r.headMultipliers = multipliersOf(c);
                    for (AttributionMethod m : {AttributionMethod::Gradient, AttributionMethod::GradientTimesInput,
                                                AttributionMethod::IntegratedGradients}) {
                        r.method = m;
                        r.steps = fx["ig_steps"].get<int>();
                        const InputAttribution a = attributeInputs(*bert, e, r);
                        if (!ref["token_id"].is_null()) QCOMPARE(a.target.tokenId, ref["token_id"].get<int>());
                        CHECK_CLOSE(a.target.logprob, ref["logprob"].get<double>(), where + " logprob");
                        const json& expected = m == AttributionMethod::Gradient ? ref["grad"]
                                               : m == AttributionMethod::GradientTimesInput ? ref["grad_input"]
                                                                                             : ref["ig"]["values"];
                        QCOMPARE(a.values.size(), expected.size());
                        for (size_t t = 0; t < a.values.size(); ++t)
                            CHECK_CLOSE(a.values[t], expected[t].get<double>(),
                                        where + " " + std::string(attributionMethodName(m)) + " at " + std::to_string(t));
                        if (m == AttributionMethod::IntegratedGradients) {
                            QVERIFY(a.targetAtBaseline.has_value());
                            QCOMPARE(a.steps, r.steps);
                            CHECK_CLOSE(*a.targetAtBaseline, ref["ig"]["baseline"].get<double>(), where + " baseline");
                        } else {
                            QVERIFY(!a.targetAtBaseline.has_value());
                        }
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked >= 30);
    }

    void headImportanceMatchesPyTorch_data() { addProductColumns(); }
    void headImportanceMatchesPyTorch()
    {
        QFETCH(QByteArray, products);
        QFETCH(bool, packed);
        const ForcedProducts forced(products);
        int checked = 0;
        for (const char* name : kModels) {
            const json fx = loadFixture(name);
            const auto bert = loadTestModel(name, packed);
            for (const json& c : fx["cases"]) {
                if (!c["ablate"].get<std::string>().empty()) continue;  // importance is of the intact model
                const Encoding e = encodingOf(c);
                for (const json& ref : c["targets"]) {
                    const AttributionTarget target = AttributionTarget::parse(ref["target"].get<std::string>());
                    for (ImportanceMethod m : {ImportanceMethod::Gradient, ImportanceMethod::Sweep}) {
                        const std::string where = std::string(name) + "/" + c["name"].get<std::string>() + " " +
                                                  ref["target"].get<std::string>() + " " +
                                                  std::string(importanceMethodName(m));
                        const HeadImportance imp = headImportance(*bert, e, target, m);
                        const json& expected =
                            m == ImportanceMethod::Gradient ? ref["importance_gradient"] : ref["importance_sweep"];
                        QCOMPARE(imp.layers, fx["layers"].get<int>());
                        QCOMPARE(imp.heads, fx["heads"].get<int>());
                        for (int l = 0; l < imp.layers; ++l)
                            for (int h = 0; h < imp.heads; ++h)
                                CHECK_CLOSE(imp.at(l, h), expected[l][h].get<double>(),
                                            where + " L" + std::to_string(l + 1) + " H" + std::to_string(h + 1));
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked >= 10);
    }

    // The library choice: BERTLAB_SGEMM forces it unmeasured; otherwise one measurement per shape class.
    void productLibraryIsMeasuredOnceOrForced()
    {
        {
            const ForcedProducts forced("onednn");
            QCOMPARE(fasterFloatProducts(64, 96, 160), FloatProducts::OneDnn);
        }
        {
            const ForcedProducts forced("openblas");
            QCOMPARE(fasterFloatProducts(64, 96, 160), FloatProducts::OpenBlas);
        }
        QVERIFY(!QString::fromStdString(fasterFloatProductsSummary()).contains("rows of 96"));
        const FloatProducts first = fasterFloatProducts(100, 96, 160);
        QVERIFY(QString::fromStdString(fasterFloatProductsSummary()).contains("64 rows of 96"));
        QCOMPARE(fasterFloatProducts(20, 96, 160), first);  // the same class: remembered, not re-measured
        QVERIFY(!QString::fromStdString(fasterFloatProductsSummary()).contains("256 rows of 96"));
    }

    // The batched sweep against one separate ablated BertModel::forward per head.
    void sweepEqualsSeparateAblatedPasses()
    {
        for (const char* name : {"tiny", "tiny-gelu-new"}) {
            const auto bert = loadModel(dataPath(std::string("models/") + name));
            const Encoding e = bert->encode("the new school was at the [MASK] .", nullptr);
            for (const std::string spec : {"mlm:7", "mlm:0:the", "mlm:3", "nsp"}) {
                const HeadImportance imp = headImportance(*bert, e, AttributionTarget::parse(spec), ImportanceMethod::Sweep);
                const double intact = targetByForward(*bert, e, imp.target, {});
                CHECK_CLOSE(intact, imp.target.logprob, spec + " intact");
                for (int l = 0; l < imp.layers; ++l)
                    for (int h = 0; h < imp.heads; ++h) {
                        HeadAblation a(imp.layers, imp.heads);
                        a.setOff(l, h, true);
                        const double ablated = targetByForward(*bert, e, imp.target, a.multipliers());
                        CHECK_CLOSE(imp.at(l, h), intact - ablated, std::string(name) + " " + spec + " sweep");
                    }
            }
        }
    }

    // d target / d m(l, h) against central differences of the multipliers through the forward pass.
    void gradientImportanceMatchesFiniteDifferences()
    {
        const auto bert = loadModel(dataPath("models/tiny-relu"));
        const Encoding e = bert->encode("we were at the [MASK] school .", nullptr);
        for (const std::string spec : {"mlm:5", "nsp"}) {
            const HeadImportance imp =
                headImportance(*bert, e, AttributionTarget::parse(spec), ImportanceMethod::Gradient);
            const int n = imp.layers * imp.heads;
            const double eps = 1e-2;
            for (int i = 0; i < n; ++i) {
                std::vector<float> up(static_cast<size_t>(n), 1.0f), down = up;
                up[static_cast<size_t>(i)] += static_cast<float>(eps);
                down[static_cast<size_t>(i)] -= static_cast<float>(eps);
                const double fd =
                    (targetByForward(*bert, e, imp.target, up) - targetByForward(*bert, e, imp.target, down)) / (2 * eps);
                const double ours = imp.importance[static_cast<size_t>(i)];
                if (std::abs(ours - fd) > 2e-3 + 1e-2 * std::abs(fd))
                    QFAIL(qPrintable(QString("%1 head %2: gradient %3, finite difference %4")
                                         .arg(QString::fromStdString(spec)).arg(i).arg(ours).arg(fd)));
            }
        }
    }

    // IG's completeness: sum over tokens -> target(e) - target(0) as N grows (midpoint rule).
    void integratedGradientsCompleteness()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("it was the [MASK] time .", nullptr);
        for (const std::string spec : {"mlm:4", "nsp"}) {
            double previous = 1e9;
            for (int steps : {2, 8, 64}) {
                AttributionRequest r;
                r.target = AttributionTarget::parse(spec);
                r.method = AttributionMethod::IntegratedGradients;
                r.steps = steps;
                const InputAttribution a = attributeInputs(*bert, e, r);
                const double gap = std::abs(a.sum - (a.target.logprob - *a.targetAtBaseline));
                QVERIFY2(gap <= previous + 1e-6, qPrintable(QString("%1: gap %2 at %3 steps, %4 before")
                                                                .arg(QString::fromStdString(spec)).arg(gap).arg(steps).arg(previous)));
                previous = gap;
            }
            QVERIFY2(previous < 1e-3 * std::max(1.0, std::abs(previous)) + 2e-3, qPrintable(QString::number(previous)));
        }
    }

    void attributionUnderAblationIsTheAblatedModels()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("she was at school .", nullptr);
        const HeadAblation off = HeadAblation::parse("1:*,2:3", 2, 4);
        AttributionRequest r;
        r.target = AttributionTarget::parse("mlm:2");
        r.headMultipliers = off.multipliers();
        const InputAttribution a = attributeInputs(*bert, e, r);
        const ResolvedTarget intact = resolveTarget(*bert, e, r.target);
        QCOMPARE(a.target.tokenId, intact.tokenId);  // named by the intact model
        CHECK_CLOSE(a.target.logprob, targetByForward(*bert, e, a.target, off.multipliers()), "ablated logprob");
        QVERIFY(std::abs(a.target.logprob - intact.logprob) > 1e-3);
    }

    void concurrentCallersAgree()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("she was at school .", nullptr);
        AttributionRequest r;
        r.target = AttributionTarget::parse("mlm:3");
        r.method = AttributionMethod::IntegratedGradients;
        r.steps = 8;
        const InputAttribution alone = attributeInputs(*bert, e, r);
        std::vector<InputAttribution> results(4);
        std::vector<HeadImportance> sweeps(4);
        {
            std::vector<std::jthread> threads;
            for (int i = 0; i < 4; ++i)
                threads.emplace_back([&, i] {
                    results[i] = attributeInputs(*bert, e, r);
                    sweeps[i] = headImportance(*bert, e, r.target, ImportanceMethod::Sweep);
                });
        }
        for (const auto& x : results)
            for (size_t t = 0; t < x.values.size(); ++t) CHECK_CLOSE(x.values[t], alone.values[t], "concurrent ig");
        for (const auto& s : sweeps)
            for (size_t i = 0; i < s.importance.size(); ++i)
                CHECK_CLOSE(s.importance[i], sweeps[0].importance[i], "concurrent sweep");
    }

    // A thread's next call reuses the last call's activation buffers: a longer input, an ablated
    // pass, a head gradient and a cancelled call in between must leave no trace in the numbers.
    void reusedPassesGiveTheSameNumbers()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding shortInput = bert->encode("she was at school .", nullptr);
        const std::string pair = "then he went home to his family .";
        const Encoding longInput = bert->encode("the man went to the store and he bought a gallon of milk .", &pair);
        AttributionRequest r;
        r.target = AttributionTarget::parse("mlm:3");
        r.method = AttributionMethod::GradientTimesInput;
        const InputAttribution first = attributeInputs(*bert, shortInput, r);

        AttributionRequest other = r;
        other.target = AttributionTarget::parse("nsp");
        other.headMultipliers.assign(static_cast<size_t>(bert->config().numHiddenLayers) *
                                         bert->config().numAttentionHeads, 1.0f);
        other.headMultipliers[1] = 0.0f;
        attributeInputs(*bert, longInput, other);
        headImportance(*bert, longInput, other.target, ImportanceMethod::Gradient);
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, attributeInputs(*bert, longInput, other, stop.get_token()));

        const InputAttribution again = attributeInputs(*bert, shortInput, r);
        QCOMPARE(again.target.logprob, first.target.logprob);
        QCOMPARE(again.values.size(), first.values.size());
        for (size_t t = 0; t < first.values.size(); ++t) QCOMPARE(again.values[t], first.values[t]);
    }

    void stopTokenCancels()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("she was at school .", nullptr);
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, headImportance(*bert, e, AttributionTarget::parse("nsp"),
                                                           ImportanceMethod::Sweep, stop.get_token()));
        AttributionRequest r;
        r.target = AttributionTarget::parse("nsp");
        r.method = AttributionMethod::IntegratedGradients;
        QVERIFY_THROWS_EXCEPTION(Cancelled, attributeInputs(*bert, e, r, stop.get_token()));
        // progress reaches its total
        int last = -1, total = 0;
        headImportance(*bert, e, r.target, ImportanceMethod::Sweep, {}, [&](int done, int all) { last = done, total = all; });
        QCOMPARE(total, 2);
        QCOMPARE(last, total);
    }

    void targetsParseAndPrint()
    {
        for (const std::string s : {"nsp", "mlm:0", "mlm:12", "mlm:3:the", "mlm:4:##ing", "mlm:2:[SEP]"})
            QCOMPARE(AttributionTarget::parse(s).toString(), s);
        QCOMPARE(AttributionTarget::parse("mlm:3:the").token, std::string("the"));
        for (const std::string bad : {"", "mlm", "mlm:", "mlm:x", "mlm:-1", "mlm:3:", "nsp:1", "MLM:3", "mlm:1.5", "cls"}) {
            try {
                AttributionTarget::parse(bad);
                QFAIL(qPrintable(QString("accepted \"%1\"").arg(QString::fromStdString(bad))));
            } catch (const Error& err) {
                QVERIFY(std::string(err.what()).find('\n') == std::string::npos);
            }
        }
    }

    void badTargetsAreOneLineErrors()
    {
        const auto tiny = loadModel(dataPath("models/tiny"));
        const auto mlmOnly = loadModel(dataPath("models/tiny-mlm"));
        const auto baseOnly = loadModel(dataPath("models/tiny-base-only"));
        const Encoding e = tiny->encode("she was at school .", nullptr);  // 7 tokens
        const auto fails = [&](const BertModel& m, const std::string& spec, const std::string& needle) {
            try {
                resolveTarget(m, e, AttributionTarget::parse(spec));
                QFAIL(qPrintable(QString("accepted %1").arg(QString::fromStdString(spec))));
            } catch (const Error& err) {
                const std::string what = err.what();
                QVERIFY2(what.find('\n') == std::string::npos && what.find(needle) != std::string::npos, err.what());
            }
        };
        fails(*tiny, "mlm:7", "outside");
        fails(*tiny, "mlm:99:the", "outside");
        fails(*tiny, "mlm:2:notawordpiece", "vocabulary");
        fails(*mlmOnly, "nsp", "next-sentence");
        fails(*baseOnly, "mlm:1", "masked-LM");
        // [CLS] and [SEP] are just positions
        QCOMPARE(resolveTarget(*tiny, e, AttributionTarget::parse("mlm:0")).position, 0);
        QCOMPARE(resolveTarget(*tiny, e, AttributionTarget::parse("mlm:6:[SEP]")).token, std::string("[SEP]"));
        AttributionRequest r;
        r.target = AttributionTarget::parse("mlm:1");
        r.method = AttributionMethod::IntegratedGradients;
        r.steps = 0;
        QVERIFY_THROWS_EXCEPTION(Error, attributeInputs(*tiny, e, r));
        r.steps = 4;
        r.headMultipliers = {1.0f, 0.0f};
        QVERIFY_THROWS_EXCEPTION(Error, attributeInputs(*tiny, e, r));
    }

    void headAblationParsesAndPrints()
    {
        const HeadAblation a = HeadAblation::parse("3:5,1:2,2:*", 4, 6);
        QCOMPARE(a.count(), 8);
        QVERIFY(a.isOff(2, 4) && a.isOff(0, 1) && a.isLayerOff(1) && !a.isOff(3, 0));
        QCOMPARE(a.toString(), std::string("1:2,2:*,3:5"));
        QCOMPARE(HeadAblation::parse(a.toString(), 4, 6), a);
        const std::vector<float> m = a.multipliers();
        QCOMPARE(m.size(), size_t(24));
        QCOMPARE(m[1], 0.0f);
        QCOMPARE(m[0], 1.0f);
        QVERIFY(HeadAblation(4, 6).multipliers().empty());
        for (const std::string bad : {"", "3", "3:", ":2", "0:1", "5:1", "1:7", "1:0", "a:b", "1:2,", ",1:2", "1:2:3", "1:**", "-1:2", "1: 2"}) {
            try {
                HeadAblation::parse(bad, 4, 6);
                QFAIL(qPrintable(QString("accepted \"%1\"").arg(QString::fromStdString(bad))));
            } catch (const Error& err) {
                QVERIFY(std::string(err.what()).find('\n') == std::string::npos);
            }
        }
    }

    void methodNamesRoundTrip()
    {
        for (auto m : {AttributionMethod::Gradient, AttributionMethod::GradientTimesInput, AttributionMethod::IntegratedGradients})
            QCOMPARE(parseAttributionMethod(attributionMethodName(m)), std::optional(m));
        QCOMPARE(parseAttributionMethod("saliency"), std::nullopt);
        for (auto m : {ImportanceMethod::Sweep, ImportanceMethod::Gradient})
            QCOMPARE(parseImportanceMethod(importanceMethodName(m)), std::optional(m));
        QCOMPARE(parseImportanceMethod("random"), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(AttributionTest)
#include "test_attribution.moc"
