// The forward pass against PyTorch: every embedding part, hidden state, attention, MLM and NSP logit.
#include "test_support.h"

#include "bert_model.h"
#include "cancelled.h"
#include "error.h"
#include "model_io.h"
#include "safetensors.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace bertlab;
using bertlab::testing::dataPath;

namespace {

constexpr float kTolerance = 1e-4f;

struct FixtureCase {
    std::string model;
    std::string name;
    nlohmann::json inputs;
    TensorMap expected;
};

FixtureCase loadCase(const std::string& model, const std::string& name)
{
    const std::string base = dataPath("fixtures/" + model + "/" + name);
    FixtureCase c{model, name, nlohmann::json::parse(bertlab::testing::readText(base + ".json")),
                  readSafetensors(base + ".safetensors")};
    return c;
}

// The unpadded encodings of a fixture batch.
std::vector<Encoding> encodings(const FixtureCase& c)
{
    std::vector<Encoding> out;
    const auto& ids = c.inputs["input_ids"];
    for (size_t n = 0; n < ids.size(); ++n) {
        Encoding e;
        for (size_t i = 0; i < ids[n].size(); ++i) {
            if (c.inputs["attention_mask"][n][i].get<int>() == 0) continue;
            e.ids.push_back(ids[n][i].get<int>());
            e.typeIds.push_back(c.inputs["token_type_ids"][n][i].get<int>());
        }
        out.push_back(std::move(e));
    }
    return out;
}

// Compares rows [0, t) of sequence n of an expected [B, T, ...] tensor with our matrix.
void compareSequence(const FixtureCase& c, const std::string& key, int n, const Matrix& ours)
{
    const auto it = c.expected.tensors.find(key);
    QVERIFY2(it != c.expected.tensors.end(), ("fixture lacks " + key).c_str());
    const TensorView& ref = it->second;
    const int64_t perSequence = ref.numel() / ref.shape[0];
    const int64_t width = ref.shape.back();
    const int64_t padded = perSequence / width;  // rows per sequence in the padded tensor
    QCOMPARE(ours.cols(), width);
    QVERIFY(ours.rows() <= padded);
    const float* base = ref.data + n * perSequence;
    const float diff = bertlab::testing::maxAbsDiff(base, ours.data(), ours.rows() * width);
    QVERIFY2(diff <= kTolerance, (c.model + "/" + c.name + " " + key + " seq " + std::to_string(n) +
                                  ": max |diff| " + std::to_string(diff)).c_str());
}

// A token whose stop was requested before any work starts. GCC 12 misreads libstdc++'s
// stop_source constructor (it passes *this to its state) as reading an uninitialised object.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
[[gnu::noinline]] std::stop_token stoppedToken()
{
    std::stop_source source;
    source.request_stop();
    return source.get_token();
}
#pragma GCC diagnostic pop

// A fixture case with its model loaded and its batch unpadded.
struct ModelCase {
    FixtureCase c;
    std::shared_ptr<BertModel> bert;
    std::vector<Encoding> inputs;
};

ModelCase loadModelCase(const QString& model, const QString& name)
{
    FixtureCase c = loadCase(model.toStdString(), name.toStdString());
    auto bert = loadModel(dataPath("models/" + c.model));
    std::vector<Encoding> inputs = encodings(c);
    return {std::move(c), std::move(bert), std::move(inputs)};
}

// ‖ours − PyTorch‖ / ‖PyTorch‖ over rows [0, t) of sequence n of an expected [B, T, ...] tensor.
double relativeError(const FixtureCase& c, const std::string& key, int n, const Matrix& ours)
{
    const TensorView& ref = c.expected.tensors.at(key);
    const int64_t perSequence = ref.numel() / ref.shape[0];
    const ConstMatrixMap expected(ref.data + n * perSequence, ours.rows(), ours.cols());
    return (expected - ours).norm() / expected.norm();
}

} // namespace

class ForwardTest : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("name");
        for (const auto& dir : std::filesystem::directory_iterator(dataPath("fixtures"))) {
            if (!dir.is_directory()) continue;
            const std::string model = dir.path().filename().string();
            if (!std::filesystem::exists(dataPath("models/" + model + "/config.json"))) continue;
            for (const auto& file : std::filesystem::directory_iterator(dir.path())) {
                if (file.path().extension() != ".json") continue;
                const std::string name = file.path().stem().string();
                QTest::newRow((model + "/" + name).c_str()) << QString::fromStdString(model) << QString::fromStdString(name);
            }
        }
    }

    void matchesPyTorch()
    {
        QFETCH(QString, model);
        QFETCH(QString, name);
        const auto [c, bert, inputs] = loadModelCase(model, name);
        const int L = bert->config().numHiddenLayers;

        Probe probe;
        probe.embeddingParts = probe.hiddenStates = probe.attentions = true;
        probe.pooled = bert->weights().pooler.has_value();
        probe.nsp = bert->hasNsp();
        const std::vector<Trace> traces = bert->forwardBatch(inputs, probe);
        QCOMPARE(traces.size(), inputs.size());

        for (int n = 0; n < static_cast<int>(inputs.size()); ++n) {
            const Trace& t = traces[n];
            QCOMPARE(t.length, inputs[n].size());
            compareSequence(c, "embeddings.token", n, t.embeddings->token);
            compareSequence(c, "embeddings.segment", n, t.embeddings->segment);
            compareSequence(c, "embeddings.position", n, t.embeddings->position);
            compareSequence(c, "embeddings.sum", n, t.embeddings->sum);
            compareSequence(c, "embeddings.normalized", n, t.embeddings->normalized);
            QCOMPARE(static_cast<int>(t.hiddenStates.size()), L + 1);
            for (int l = 0; l <= L; ++l) compareSequence(c, "hidden_states." + std::to_string(l), n, t.hiddenStates[l]);
            QCOMPARE(static_cast<int>(t.attentions.size()), L);
            for (int l = 0; l < L; ++l) {
                // expected [B, heads, T, T]: compare each head's unpadded block row by row
                const TensorView& ref = c.expected.tensors.at("attentions." + std::to_string(l));
                const int64_t heads = ref.shape[1], T = ref.shape[2];
                QCOMPARE(static_cast<int64_t>(t.attentions[l].size()), heads);
                for (int64_t h = 0; h < heads; ++h) {
                    const Matrix& ours = t.attentions[l][h];
                    for (int i = 0; i < t.length; ++i) {
                        const float* row = ref.data + ((n * heads + h) * T + i) * T;
                        const float diff = bertlab::testing::maxAbsDiff(row, ours.row(i).data(), t.length);
                        QVERIFY2(diff <= kTolerance, ("attention layer " + std::to_string(l) + " head " +
                                                      std::to_string(h) + " diff " + std::to_string(diff)).c_str());
                    }
                }
            }
            if (probe.pooled) compareSequence(c, "pooled", n, Matrix(t.pooled.transpose()));
            if (probe.nsp) {
                const TensorView& ref = c.expected.tensors.at("nsp_logits");
                QVERIFY(std::fabs(ref.data[n * 2] - t.nsp->logits[0]) <= kTolerance);
                QVERIFY(std::fabs(ref.data[n * 2 + 1] - t.nsp->logits[1]) <= kTolerance);
                QVERIFY(std::fabs(t.nsp->isNext + t.nsp->notNext - 1.0f) < 1e-6f);
            }
        }

        // MLM logits at every position, one sequence at a time (positions differ per sequence).
        QCOMPARE(bert->hasMlm(), c.expected.tensors.count("mlm_logits") == 1);
        if (bert->hasMlm()) {
            for (int n = 0; n < static_cast<int>(inputs.size()); ++n) {
                Probe mlm;
                for (int i = 0; i < inputs[n].size(); ++i) mlm.mlmPositions.push_back(i);
                mlm.mlmLogits = true;
                mlm.logitLens = true;
                mlm.topK = 3;
                const Trace t = bert->forward(inputs[n], mlm);
                compareSequence(c, "mlm_logits", n, t.mlmLogits);
                // The explorer's deferred route (hidden states first, guesses added after) gives
                // PyTorch's logits too, and after the weights have moved to huge pages.
                Probe first;
                first.hiddenStates = true;
                Trace later = bert->forward(inputs[n], first);
                bert->completeMlm(later, mlm);
                compareSequence(c, "mlm_logits", n, later.mlmLogits);
                // The logit lens's last layer is the MLM head's own answer.
                QCOMPARE(static_cast<int>(t.logitLens.size()), L + 1);
                for (size_t j = 0; j < t.mlm.size(); ++j)
                    QCOMPARE(t.logitLens[L][j].candidates[0].id, t.mlm[j].candidates[0].id);
                // Top-1 is the arg-max of PyTorch's logits.
                const TensorView& ref = c.expected.tensors.at("mlm_logits");
                const int64_t V = ref.shape.back(), T = ref.shape[1];
                for (int i = 0; i < inputs[n].size(); ++i) {
                    const float* row = ref.data + (n * T + i) * V;
                    const int argmax = static_cast<int>(std::max_element(row, row + V) - row);
                    QCOMPARE(t.mlm[i].candidates[0].id, argmax);
                }
            }
        } else {
            Probe mlm;
            mlm.mlmPositions = {1};
            QVERIFY_THROWS_EXCEPTION(Error, bert->forward(inputs[0], mlm));
        }
    }

    // The explorer's preview: bfloat16 products, float32 everywhere else. It cannot match to 1e-4;
    // it must stay within what 8 bits of mantissa allow, on every output the views show.
    void bfloat16PassTracksPyTorch_data() { matchesPyTorch_data(); }
    void bfloat16PassTracksPyTorch()
    {
        QFETCH(QString, model);
        QFETCH(QString, name);
        const auto [c, bert, inputs] = loadModelCase(model, name);
        const int L = bert->config().numHiddenLayers;
        Probe probe;
        probe.hiddenStates = probe.attentions = true;
        probe.nsp = bert->hasNsp();
        QVERIFY_THROWS_EXCEPTION(Error, bert->forwardBatch(inputs, probe, {}, Precision::Bfloat16));
        if (!bert->prepareBfloat16())
            QSKIP("no native bfloat16 on this CPU; the explorer keeps to float32 here");
        QVERIFY(bert->hasBfloat16());
        QVERIFY(bert->bfloat16Bytes() > 0);
        const std::vector<Trace> fast = bert->forwardBatch(inputs, probe, {}, Precision::Bfloat16);
        const std::vector<Trace> exact = bert->forwardBatch(inputs, probe);
        double worstHidden = 0.0, worstAttention = 0.0;
        for (int n = 0; n < static_cast<int>(inputs.size()); ++n) {
            const Trace& t = fast[n];
            QCOMPARE(static_cast<int>(t.hiddenStates.size()), L + 1);
            // The bfloat16 products really ran: not the float32 numbers.
            QVERIFY(t.hiddenStates.back() != exact[n].hiddenStates.back());
            for (int l = 0; l <= L; ++l)
                worstHidden = std::max(worstHidden, relativeError(c, "hidden_states." + std::to_string(l), n, t.hiddenStates[l]));
            for (int l = 0; l < L; ++l) {
                const TensorView& ref = c.expected.tensors.at("attentions." + std::to_string(l));
                const int64_t heads = ref.shape[1], T = ref.shape[2];
                for (int64_t h = 0; h < heads; ++h)
                    for (int i = 0; i < t.length; ++i) {
                        const float* row = ref.data + ((n * heads + h) * T + i) * T;
                        worstAttention = std::max<double>(
                            worstAttention, bertlab::testing::maxAbsDiff(row, t.attentions[l][h].row(i).data(), t.length));
                    }
            }
            if (probe.nsp) {
                const TensorView& ref = c.expected.tensors.at("nsp_logits");
                const double isNext = 1.0 / (1.0 + std::exp(ref.data[n * 2 + 1] - ref.data[n * 2]));
                QVERIFY2(std::abs(t.nsp->isNext - isNext) < 0.01,
                         qPrintable(QStringLiteral("IsNext %1 vs PyTorch %2").arg(t.nsp->isNext).arg(isNext)));
            }
        }
        QVERIFY2(worstHidden < 0.02, qPrintable(QStringLiteral("hidden states off by %1").arg(worstHidden)));
        QVERIFY2(worstAttention < 0.025, qPrintable(QStringLiteral("attention off by %1").arg(worstAttention)));
        if (bert->hasMlm()) {
            for (int n = 0; n < static_cast<int>(inputs.size()); ++n) {
                Probe mlm;
                for (int i = 0; i < inputs[n].size(); ++i) mlm.mlmPositions.push_back(i);
                mlm.mlmLogits = true;
                const Trace t = bert->forward(inputs[n], mlm, {}, Precision::Bfloat16);
                const double off = relativeError(c, "mlm_logits", n, t.mlmLogits);
                QVERIFY2(off < 0.02, qPrintable(QStringLiteral("MLM logits off by %1").arg(off)));
            }
        }
    }

    // The fixture's text, tokenized by our tokenizer, gives the ids PyTorch was fed.
    void textTokenizesToFixtureIds()
    {
        const FixtureCase c = loadCase("tiny", "pair");
        const auto bert = loadModel(dataPath("models/tiny"));
        const std::string a = c.inputs["text_a"].get<std::string>();
        const std::string b = c.inputs["text_b"].get<std::string>();
        const Encoding e = bert->encode(a, &b);
        const std::vector<Encoding> expected = encodings(c);
        QCOMPARE(e.ids, expected[0].ids);
        QCOMPARE(e.typeIds, expected[0].typeIds);
    }

    void rejectsBadInput()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        Encoding empty;
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(empty));
        Encoding outOfVocab;
        outOfVocab.ids = {101, bert->config().vocabSize, 102};
        outOfVocab.typeIds = {0, 0, 0};
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(outOfVocab));
        Encoding badType;
        badType.ids = {101, 102};
        badType.typeIds = {0, 2};
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(badType));
        Encoding tooLong;
        tooLong.ids.assign(static_cast<size_t>(bert->config().maxPositionEmbeddings + 1), 1996);
        tooLong.typeIds.assign(tooLong.ids.size(), 0);
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(tooLong));
        Encoding ok = bert->encode("he made it up .");
        Probe outside;
        outside.mlmPositions = {ok.size()};
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(ok, outside));
    }

    void stopTokenCancels()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("the man went to the store .");
        const Probe probe = Probe::everything({2});
        // A token nobody triggers changes nothing.
        std::stop_source idle;
        const Trace plain = bert->forward(e, probe);
        const Trace watched = bert->forward(e, probe, idle.get_token());
        QCOMPARE(watched.hiddenStates.size(), plain.hiddenStates.size());
        QVERIFY(watched.hiddenStates.back() == plain.hiddenStates.back());
        QCOMPARE(watched.mlm[0].candidates[0].id, plain.mlm[0].candidates[0].id);
        // A triggered one stops the pass with Cancelled, which is not an Error a user would see.
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, bert->forward(e, probe, stop.get_token()));
        bool wasError = false;
        try {
            bert->forwardBatch({e, e}, probe, stop.get_token());
        } catch (const Error&) {
            wasError = true;
        } catch (const Cancelled&) {
        }
        QVERIFY(!wasError);
    }

    void mlmCanBeAddedAfterTheForwardPass()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const Encoding e = bert->encode("the man went to the store .", nullptr);
        Probe all = Probe::everything({2, 5});
        all.topK = 7;
        all.mlmLogits = true;
        const Trace whole = bert->forward(e, all);
        Probe first = all;
        first.mlmPositions.clear();
        Trace later = bert->forward(e, first);
        QVERIFY(later.mlm.empty() && later.logitLens.empty());
        bert->completeMlm(later, all);
        QCOMPARE(later.mlm.size(), whole.mlm.size());
        QCOMPARE(later.logitLens.size(), whole.logitLens.size());
        QCOMPARE(later.logitLens.size(), size_t(bert->config().numHiddenLayers + 1));
        QVERIFY(later.mlmLogits.isApprox(whole.mlmLogits, 1e-6f));
        const auto same = [](const std::vector<MaskedPrediction>& a, const std::vector<MaskedPrediction>& b) {
            if (a.size() != b.size()) return false;
            for (size_t j = 0; j < a.size(); ++j) {
                if (a[j].position != b[j].position || a[j].candidates.size() != b[j].candidates.size()) return false;
                for (size_t k = 0; k < a[j].candidates.size(); ++k)
                    if (a[j].candidates[k].id != b[j].candidates[k].id ||
                        std::abs(a[j].candidates[k].prob - b[j].candidates[k].prob) > 1e-6f)
                        return false;
            }
            return true;
        };
        QVERIFY(same(later.mlm, whole.mlm));
        for (size_t l = 0; l < whole.logitLens.size(); ++l)
            QVERIFY2(same(later.logitLens[l], whole.logitLens[l]), qPrintable(QStringLiteral("layer %1").arg(l)));
        // The lens's last layer is the final guess itself.
        QVERIFY(same(later.logitLens.back(), later.mlm));

        // Without hidden states there is nothing to add to; a stopped token cancels.
        Probe bare;
        Trace none = bert->forward(e, bare);
        QVERIFY_THROWS_EXCEPTION(Error, bert->completeMlm(none, all));
        Trace again = bert->forward(e, first);
        QVERIFY_THROWS_EXCEPTION(Cancelled, bert->completeMlm(again, all, stoppedToken()));
        const auto headless = loadModel(dataPath("models/tiny-base-only"));
        Probe states;
        states.hiddenStates = true;
        Trace plain = headless->forward(headless->encode("he made it up ."), states);
        QVERIFY_THROWS_EXCEPTION(Error, headless->completeMlm(plain, all));
    }

    // Packing copies every weight into one buffer (on huge pages where the kernel offers them)
    // with each layer's query, key and value adjacent, which the encoder layer then multiplies as
    // one product: every tensor keeps its values and the pass its numbers.
    void packedWeightsKeepValuesAndOutputs()
    {
        for (const char* name : {"models/tiny", "models/tiny-f16", "models/tiny-relu"}) {
            const auto bert = loadModel(dataPath(name));
            const Encoding e = bert->encode("the man went to the store .", nullptr);
            const Probe probe = Probe::everything({3});
            const Trace before = bert->forward(e, probe);
            const BertWeights& w = bert->weights();
            const float* word = w.embeddings.word.data;
            const bool tied = w.mlm && w.mlm->decoderWeight.data == word;
            const TensorMap exported = bert->exportTensors();
            QVERIFY(bert->packWeights());  // refused only when memory is short of twice the (tiny) weights
            QVERIFY(w.embeddings.word.data != word);
            QCOMPARE(reinterpret_cast<uintptr_t>(w.layers[0].query.weight.data) % 64, uintptr_t(0));
            const int64_t H = bert->config().hiddenSize;
            for (const EncoderLayerWeights& l : w.layers) {
                QCOMPARE(l.key.weight.data, l.query.weight.data + H * H);
                QCOMPARE(l.value.weight.data, l.key.weight.data + H * H);
                QCOMPARE(l.key.bias.data, l.query.bias.data + H);
                QCOMPARE(l.value.bias.data, l.key.bias.data + H);
            }
            if (w.mlm)
                QCOMPARE(w.mlm->decoderWeight.data == w.embeddings.word.data, tied);
            const TensorMap after = bert->exportTensors();
            QCOMPARE(after.tensors.size(), exported.tensors.size());
            for (const auto& [key, view] : exported.tensors) {
                const TensorView& now = after.tensors.at(key);
                QCOMPARE(now.shape, view.shape);
                QVERIFY2(std::equal(view.data, view.data + view.numel(), now.data), key.c_str());
            }
            // The fused projection sums the same products; only the library's blocking may differ.
            const Trace again = bert->forward(e, probe);
            const auto& x = again.hiddenStates.back();
            const auto& y = before.hiddenStates.back();
            QCOMPARE(x.rows(), y.rows());
            QCOMPARE(x.cols(), y.cols());
            QVERIFY((x - y).cwiseAbs().maxCoeff() < 1e-5f);
            QCOMPARE(again.mlm[0].candidates[0].id, before.mlm[0].candidates[0].id);
            QVERIFY(std::fabs(again.nsp->isNext - before.nsp->isNext) < 1e-5);
        }
    }

    // The per-head multiplier m(l, h) on the attention probabilities: all ones is the plain pass,
    // a zero silences that head (its probabilities in the trace are zero, and later layers change).
    void headMultipliersScaleAttention()
    {
        const auto bert = loadModel(dataPath("models/tiny"));
        const BertConfig& c = bert->config();
        const std::vector<Encoding> inputs = {bert->encode("the man went to the store ."), bert->encode("he made it up .")};
        Probe probe;
        probe.hiddenStates = probe.attentions = true;
        const std::vector<Trace> plain = bert->forwardBatch(inputs, probe);
        Probe ones = probe;
        ones.headMultipliers.assign(size_t(c.numHiddenLayers * c.numAttentionHeads), 1.0f);
        const std::vector<Trace> same = bert->forwardBatch(inputs, ones);
        for (size_t n = 0; n < inputs.size(); ++n) {
            for (int l = 0; l < c.numHiddenLayers; ++l)
                for (int h = 0; h < c.numAttentionHeads; ++h)
                    QVERIFY(same[n].attentions[l][h].isApprox(plain[n].attentions[l][h], 1e-6f));
            QVERIFY(same[n].hiddenStates.back().isApprox(plain[n].hiddenStates.back(), 1e-6f));
        }
        Probe off = ones;
        off.headMultipliers[1] = 0.0f;  // layer 0, head 1
        const std::vector<Trace> silenced = bert->forwardBatch(inputs, off);
        for (size_t n = 0; n < inputs.size(); ++n) {
            QCOMPARE(silenced[n].attentions[0][1].cwiseAbs().maxCoeff(), 0.0f);
            QVERIFY(silenced[n].attentions[0][0].isApprox(plain[n].attentions[0][0], 1e-6f));
            QVERIFY(plain[n].attentions[0][1].cwiseAbs().maxCoeff() > 0.0f);
            QVERIFY(!silenced[n].hiddenStates[1].isApprox(plain[n].hiddenStates[1], 1e-4f));
        }
        Probe wrong = probe;
        wrong.headMultipliers = {1.0f};
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(inputs[0], wrong));
    }

    void headlessModelReportsMissingHeads()
    {
        const auto bert = loadModel(dataPath("models/tiny-base-only"));
        QVERIFY(!bert->hasMlm());
        QVERIFY(!bert->hasNsp());
        Encoding e = bert->encode("he made it up .");
        Probe nsp;
        nsp.nsp = true;
        QVERIFY_THROWS_EXCEPTION(Error, bert->forward(e, nsp));
    }
};

QTEST_APPLESS_MAIN(ForwardTest)
#include "test_forward.moc"
