// Loading every fixture variant, heads and ties, dtype conversion, save round trips, and
// clear errors for files that disagree or are broken.
#include "bert_config.h"
#include "error.h"
#include "model_io.h"
#include "safetensors.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace bertlab;
namespace fs = std::filesystem;

namespace {

std::string modelDir(const std::string& name)
{
    return testing::dataPath("models/" + name);
}

// An independent safetensors reader (Qt's JSON + byte arithmetic): name -> (shape, raw bytes, dtype).
struct RawTensor {
    std::vector<int64_t> shape;
    std::string dtype;
    std::string bytes;
};

std::map<std::string, RawTensor> readRaw(const std::string& path)
{
    const std::string raw = testing::readText(path);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(raw[i]);
    const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(raw.substr(8, n))).object();
    std::map<std::string, RawTensor> out;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == "__metadata__") continue;
        const QJsonObject t = it.value().toObject();
        RawTensor r;
        r.dtype = t.value("dtype").toString().toStdString();
        for (const auto& d : t.value("shape").toArray()) r.shape.push_back(static_cast<int64_t>(d.toDouble()));
        const QJsonArray off = t.value("data_offsets").toArray();
        const auto b = static_cast<size_t>(off[0].toDouble()), e = static_cast<size_t>(off[1].toDouble());
        r.bytes = raw.substr(8 + n + b, e - b);
        out[it.key().toStdString()] = r;
    }
    return out;
}

bool insideMappingOf(const void* p, const std::string& path)
{
    const std::string canonical = fs::canonical(path).string();
    std::ifstream maps("/proc/self/maps");
    std::string line;
    const auto addr = reinterpret_cast<uintptr_t>(p);
    while (std::getline(maps, line)) {
        std::istringstream in(line);
        std::string range, perms, offset, dev, inode, name;
        in >> range >> perms >> offset >> dev >> inode;
        std::getline(in >> std::ws, name);
        if (name != canonical) continue;
        const auto dash = range.find('-');
        if (addr >= std::stoull(range.substr(0, dash), nullptr, 16) && addr < std::stoull(range.substr(dash + 1), nullptr, 16))
            return true;
    }
    return false;
}

__attribute__((target("f16c"))) float roundThroughHalf(float f)
{
    return _cvtsh_ss(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

// Round-to-nearest-even to bfloat16 from the fp32 bit pattern (finite inputs).
float roundThroughBf16(float f)
{
    uint32_t b = std::bit_cast<uint32_t>(f);
    b += 0x7fffu + ((b >> 16) & 1u);
    return std::bit_cast<float>(b & 0xffff0000u);
}

bool sameBytes(const TensorView& a, const TensorView& b)
{
    return a.shape == b.shape && std::memcmp(a.data, b.data, static_cast<size_t>(a.numel()) * 4) == 0;
}

// Parameter count of a BERT with the given heads, from the architecture alone.
int64_t expectedParameters(const BertConfig& c, bool pooler, bool mlm, bool nsp)
{
    const int64_t H = c.hiddenSize, V = c.vocabSize, I = c.intermediateSize;
    int64_t n = (V + c.maxPositionEmbeddings + c.typeVocabSize) * H + 2 * H;
    n += c.numHiddenLayers * (4 * (H * H + H) + 2 * H + (I * H + I) + (H * I + H) + 2 * H);
    if (pooler) n += H * H + H;
    if (mlm) n += H * H + H + 2 * H + V;  // decoder weight tied: counted with the embeddings
    if (nsp) n += 2 * H + 2;
    return n;
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

QJsonObject readJson(const std::string& path)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(testing::readText(path))).object();
}

void writeJson(const std::string& path, const QJsonObject& o)
{
    writeText(path, QJsonDocument(o).toJson().toStdString());
}

bool hasWarning(const ModelInfo& info, const std::string& phrase)
{
    for (const auto& w : info.warnings)
        if (w.find(phrase) != std::string::npos) return true;
    return false;
}

} // namespace

class TestModelLoading : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int counter_ = 0;

    // A private copy of a fixture folder to break in one way.
    std::string copyOf(const std::string& name)
    {
        const std::string dst = tmp_.filePath(QString::fromStdString(name + "-" + std::to_string(counter_++))).toStdString();
        fs::copy(modelDir(name), dst, fs::copy_options::recursive);
        for (const auto& e : fs::directory_iterator(dst))
            fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
        return dst;
    }

    // Rewrites a folder's model.safetensors after `edit` changed its tensors.
    template <typename Edit>
    void editWeights(const std::string& folder, Edit edit)
    {
        const std::string file = folder + "/model.safetensors";
        TensorMap m = readSafetensors(file);
        edit(m.tensors);
        writeSafetensors(file, m);
    }

    template <typename Edit>
    void editConfig(const std::string& folder, Edit edit)
    {
        QJsonObject o = readJson(folder + "/config.json");
        edit(o);
        writeJson(folder + "/config.json", o);
    }

    // loadModel must throw one line that names `file` and contains `phrase`.
    void expectLoadError(const std::string& path, const std::string& file, const std::string& phrase)
    {
        try {
            loadModel(path);
        } catch (const Error& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
            QVERIFY2(msg.find(file) != std::string::npos, ("want file '" + file + "' in: " + msg).c_str());
            QVERIFY2(msg.find(phrase) != std::string::npos, ("want '" + phrase + "' in: " + msg).c_str());
            return;
        }
        QFAIL(("loaded a broken model; expected: " + phrase).c_str());
    }

    void compareToTiny(const BertModel& m, const BertModel& tiny)
    {
        const TensorMap a = m.exportTensors(), b = tiny.exportTensors();
        for (const auto& [name, view] : a.tensors) {
            QVERIFY2(b.tensors.count(name), name.c_str());
            QVERIFY2(sameBytes(view, b.tensors.at(name)), name.c_str());
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        if (!fs::exists(modelDir("tiny/model.safetensors"))) QSKIP("fixtures missing: run tests/reference/make_fixtures.py");
    }

    void loadsTinyPretraining()
    {
        const std::string dir = modelDir("tiny");
        auto m = loadModel(dir);
        const BertConfig& c = m->config();
        QCOMPARE(c.hiddenSize, 32);
        QCOMPARE(c.numHiddenLayers, 2);
        QCOMPARE(c.numAttentionHeads, 4);
        QCOMPARE(c.intermediateSize, 64);
        QCOMPARE(c.vocabSize, 3089);
        QCOMPARE(c.maxPositionEmbeddings, 64);
        QCOMPARE(c.layerNormEps, 1e-12f);
        QVERIFY(c.hiddenAct == Activation::Gelu);
        QCOMPARE(m->vocab().size(), 3089);
        QVERIFY(m->tokenizer().lowerCase());  // bert-base-uncased's vocabulary

        const ModelInfo& info = m->info();
        QVERIFY(info.hasPooler && info.hasMlm && info.hasNsp);
        QVERIFY(m->hasMlm() && m->hasNsp());
        QCOMPARE(info.sourceFormat, std::string("safetensors"));
        QVERIFY(info.path.find("model.safetensors") != std::string::npos);
        QVERIFY2(info.warnings.empty(), info.warnings.empty() ? "" : info.warnings.front().c_str());
        QCOMPARE(info.parameterCount, expectedParameters(c, true, true, true));
        QCOMPARE(info.weightBytes, info.parameterCount * 4);

        // The decoder has no tensor of its own in the file: it is the word-embedding matrix.
        const BertWeights& w = m->weights();
        QCOMPARE(w.mlm->decoderWeight.data, w.embeddings.word.data);

        // Every tensor equals the file's bytes and is read in place from the mapping.
        const std::string file = dir + "/model.safetensors";
        const auto raw = readRaw(file);
        const TensorMap exported = m->exportTensors();
        QCOMPARE(exported.tensors.size(), raw.size());
        for (const auto& [name, r] : raw) {
            QVERIFY2(exported.tensors.count(name), name.c_str());
            const TensorView& v = exported.tensors.at(name);
            QCOMPARE(v.shape, r.shape);
            QVERIFY2(std::memcmp(v.data, r.bytes.data(), r.bytes.size()) == 0, name.c_str());
            QVERIFY2(insideMappingOf(v.data, file), name.c_str());
        }
    }

    void loadsGammaBetaWithStoredDecoder()
    {
        // LayerNorm.gamma/beta, decoder.weight stored, decoder.bias but no predictions.bias.
        auto tiny = loadModel(modelDir("tiny"));
        auto m = loadModel(modelDir("tiny-gamma-beta"));
        QVERIFY(m->info().hasMlm && m->info().hasNsp && m->info().hasPooler);
        QVERIFY2(m->info().warnings.empty(), m->info().warnings.empty() ? "" : m->info().warnings.front().c_str());
        compareToTiny(*m, *tiny);
        QCOMPARE(m->exportTensors().tensors.size(), tiny->exportTensors().tensors.size());
        const BertWeights& w = m->weights();
        QCOMPARE(w.mlm->decoderWeight.data, w.embeddings.word.data);  // identical values: tied
        QCOMPARE(m->info().parameterCount, tiny->info().parameterCount);
    }

    void loadsBaseModelWithoutHeads()
    {
        auto tiny = loadModel(modelDir("tiny"));
        auto m = loadModel(modelDir("tiny-base-only"));  // no "bert." prefix, no cls.*
        QVERIFY(m->info().hasPooler);
        QVERIFY(!m->info().hasMlm && !m->hasMlm());
        QVERIFY(!m->info().hasNsp && !m->hasNsp());
        QVERIFY(!m->weights().mlm && !m->weights().nsp);
        QVERIFY(m->info().warnings.empty());
        compareToTiny(*m, *tiny);
        QCOMPARE(m->info().parameterCount, expectedParameters(m->config(), true, false, false));
    }

    void loadsMaskedLmWithoutNsp()
    {
        auto tiny = loadModel(modelDir("tiny"));
        auto m = loadModel(modelDir("tiny-mlm"));
        QVERIFY(m->info().hasMlm);
        QVERIFY(!m->info().hasNsp && !m->info().hasPooler);
        QCOMPARE(m->weights().mlm->decoderWeight.data, m->weights().embeddings.word.data);
        compareToTiny(*m, *tiny);
        QCOMPARE(m->info().parameterCount, expectedParameters(m->config(), false, true, false));
    }

    void convertsF16Model()
    {
        if (!__builtin_cpu_supports("f16c")) QSKIP("no F16C for the reference rounding");
        auto tiny = loadModel(modelDir("tiny"));
        auto m = loadModel(modelDir("tiny-f16"));
        QVERIFY(m->info().hasMlm && m->info().hasNsp);
        QVERIFY(hasWarning(m->info(), "F16"));
        const TensorMap a = m->exportTensors(), b = tiny->exportTensors();
        QCOMPARE(a.tensors.size(), b.tensors.size());
        int64_t checked = 0;
        for (const auto& [name, view] : a.tensors) {
            const TensorView& ref = b.tensors.at(name);
            QCOMPARE(view.shape, ref.shape);
            for (int64_t i = 0; i < view.numel(); ++i, ++checked)
                if (view.data[i] != roundThroughHalf(ref.data[i])) QFAIL((name + " differs from the half-rounded value").c_str());
        }
        QCOMPARE(checked, m->info().parameterCount);
    }

    void convertsBf16Model()
    {
        auto tiny = loadModel(modelDir("tiny"));
        auto m = loadModel(modelDir("tiny-bf16"));
        QVERIFY(hasWarning(m->info(), "BF16"));
        const TensorMap a = m->exportTensors(), b = tiny->exportTensors();
        for (const auto& [name, view] : a.tensors) {
            const TensorView& ref = b.tensors.at(name);
            for (int64_t i = 0; i < view.numel(); ++i)
                if (view.data[i] != roundThroughBf16(ref.data[i])) QFAIL((name + " differs from the bf16-rounded value").c_str());
        }
    }

    void readsActivations()
    {
        auto g = loadModel(modelDir("tiny-gelu-new"));
        QVERIFY(g->config().hiddenAct == Activation::GeluTanh);
        QCOMPARE(g->config().hiddenSize, 24);
        QCOMPARE(int(g->weights().layers.size()), 3);
        auto r = loadModel(modelDir("tiny-relu"));
        QVERIFY(r->config().hiddenAct == Activation::Relu);
        QVERIFY(r->info().hasMlm && r->info().hasNsp);
    }

    void loadsPytorchBins()
    {
        auto tiny = loadModel(modelDir("tiny"));
        for (const char* name : {"tiny-bin-zip", "tiny-bin-legacy"}) {
            auto m = loadModel(modelDir(name));
            QVERIFY(m->info().sourceFormat.rfind("pytorch", 0) == 0);
            QVERIFY(m->info().hasMlm && m->info().hasNsp);
            QCOMPARE(m->weights().mlm->decoderWeight.data, m->weights().embeddings.word.data);
            compareToTiny(*m, *tiny);
            QCOMPARE(m->info().parameterCount, tiny->info().parameterCount);
        }
    }

    void loadsGoogleTfCheckpointFolder()
    {
        const std::string dir = "/work/shared/refdata/models/keras-bert-tiny-tf1-ckpt";
        if (!fs::exists(dir)) QSKIP("refdata not present");
        // Google's bert_config.json: same key names, no layer_norm_eps, extra pooler_* keys.
        const BertConfig c = BertConfig::fromFile(dir + "/bert_config.json");
        QCOMPARE(c.hiddenSize, 4);
        QCOMPARE(c.vocabSize, 15);
        QCOMPARE(c.layerNormEps, 1e-12f);
        auto m = loadModel(dir);
        QCOMPARE(m->info().sourceFormat, std::string("tf-checkpoint"));
        QVERIFY(m->info().hasMlm && m->info().hasNsp && m->info().hasPooler);
        QCOMPARE(m->weights().mlm->decoderWeight.data, m->weights().embeddings.word.data);
        // The same checkpoint picked by any of its files.
        QVERIFY(loadModel(dir + "/bert_model.ckpt.index")->info().hasMlm);
        QVERIFY(loadModel(dir + "/bert_model.ckpt")->info().hasMlm);
    }

    void acceptsFileAndFolderPaths()
    {
        const std::string dir = modelDir("tiny");
        QVERIFY(loadModel(dir + "/model.safetensors")->info().hasMlm);
        QVERIFY(loadModel(dir + "/config.json")->info().hasMlm);
        QVERIFY(loadModel(dir + "/")->info().hasMlm);
    }

    void roundTripKeepsEverything()
    {
        auto m = loadModel(modelDir("tiny"));
        const std::string out = tmp_.filePath("saved/nested").toStdString();
        saveModel(*m, out);  // creates the folders

        std::set<std::string> files;
        for (const auto& e : fs::directory_iterator(out)) files.insert(e.path().filename().string());
        QCOMPARE(files, (std::set<std::string>{"config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"}));

        // What transformers reads: HF keys, model_type, an architecture with the heads present.
        const QJsonObject cfg = readJson(out + "/config.json");
        QCOMPARE(cfg.value("model_type").toString(), QString("bert"));
        QCOMPARE(cfg.value("architectures").toArray().at(0).toString(), QString("BertForPreTraining"));
        QCOMPARE(cfg.value("hidden_size").toInt(), 32);
        QCOMPARE(cfg.value("vocab_size").toInt(), 3089);
        QCOMPARE(cfg.value("hidden_act").toString(), QString("gelu"));
        QCOMPARE(cfg.value("layer_norm_eps").toDouble(), 1e-12);
        QCOMPARE(cfg.value("attention_probs_dropout_prob").toDouble(), 0.1);
        QCOMPARE(readJson(out + "/tokenizer_config.json").value("do_lower_case").toBool(), true);
        QCOMPARE(testing::readText(out + "/vocab.txt"), testing::readText(modelDir("tiny/vocab.txt")));
        // Same tensors, same names as transformers' own safetensors file (tied decoder left out).
        const auto raw = readRaw(out + "/model.safetensors"), orig = readRaw(modelDir("tiny/model.safetensors"));
        QCOMPARE(raw.size(), orig.size());
        for (const auto& [name, r] : orig) {
            QVERIFY2(raw.count(name), name.c_str());
            QCOMPARE(raw.at(name).shape, r.shape);
            QVERIFY2(raw.at(name).bytes == r.bytes, name.c_str());
        }

        auto back = loadModel(out);
        const BertConfig &a = m->config(), &b = back->config();
        QCOMPARE(b.vocabSize, a.vocabSize);
        QCOMPARE(b.hiddenSize, a.hiddenSize);
        QCOMPARE(b.numHiddenLayers, a.numHiddenLayers);
        QCOMPARE(b.numAttentionHeads, a.numAttentionHeads);
        QCOMPARE(b.intermediateSize, a.intermediateSize);
        QVERIFY(b.hiddenAct == a.hiddenAct);
        QCOMPARE(b.maxPositionEmbeddings, a.maxPositionEmbeddings);
        QCOMPARE(b.typeVocabSize, a.typeVocabSize);
        QCOMPARE(b.layerNormEps, a.layerNormEps);
        QCOMPARE(b.hiddenDropoutProb, a.hiddenDropoutProb);
        QCOMPARE(b.attentionDropoutProb, a.attentionDropoutProb);
        QCOMPARE(b.initializerRange, a.initializerRange);
        QCOMPARE(b.padTokenId, a.padTokenId);
        QCOMPARE(back->vocab().tokens(), m->vocab().tokens());
        QCOMPARE(back->tokenizer().lowerCase(), m->tokenizer().lowerCase());
        QVERIFY(back->info().hasMlm && back->info().hasNsp && back->info().hasPooler);
        compareToTiny(*back, *m);
        QCOMPARE(back->exportTensors().tensors.size(), m->exportTensors().tensors.size());
    }

    void roundTripOfOtherVariants()
    {
        const std::pair<const char*, const char*> cases[] = {
            {"tiny-base-only", "BertModel"}, {"tiny-mlm", "BertForMaskedLM"}, {"tiny-gelu-new", "BertForPreTraining"},
            {"tiny-f16", "BertForPreTraining"}};
        for (const auto& [name, architecture] : cases) {
            auto m = loadModel(modelDir(name));
            const std::string out = tmp_.filePath(QString("rt-") + name).toStdString();
            saveModel(*m, out);
            const QJsonObject cfg = readJson(out + "/config.json");
            QCOMPARE(cfg.value("architectures").toArray().at(0).toString(), QString(architecture));
            auto back = loadModel(out);
            QCOMPARE(back->info().hasMlm, m->info().hasMlm);
            QCOMPARE(back->info().hasNsp, m->info().hasNsp);
            QCOMPARE(back->info().hasPooler, m->info().hasPooler);
            QVERIFY(back->config().hiddenAct == m->config().hiddenAct);
            compareToTiny(*back, *m);
            for (const auto& [key, r] : readRaw(out + "/model.safetensors")) {
                QCOMPARE(r.dtype, std::string("F32"));
                QVERIFY2(key.rfind("bert.", 0) == 0 || key.rfind("cls.", 0) == 0, key.c_str());
            }
        }
    }

    void savingOverTheLoadedFolderIsSafe()
    {
        const std::string dir = copyOf("tiny");
        auto m = loadModel(dir);
        const TensorView word = m->weights().embeddings.word;
        const std::vector<float> before(word.data, word.data + word.numel());
        saveModel(*m, dir);
        // The old mapping still reads the old bytes, and the folder holds a loadable model.
        QCOMPARE(std::memcmp(word.data, before.data(), before.size() * 4), 0);
        auto back = loadModel(dir);
        compareToTiny(*back, *m);
        for (const auto& e : fs::directory_iterator(dir))
            QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos, e.path().c_str());
    }

    void tokenizerConfigDecidesCasing()
    {
        const std::string dir = copyOf("tiny");
        writeText(dir + "/tokenizer_config.json", R"({"do_lower_case": false})");
        QVERIFY(!loadModel(dir)->tokenizer().lowerCase());
    }

    void googleStyleConfigName()
    {
        const std::string dir = copyOf("tiny");
        QJsonObject o = readJson(dir + "/config.json");
        for (const char* k : {"architectures", "model_type", "layer_norm_eps", "pad_token_id", "position_embedding_type",
                              "torch_dtype", "use_cache", "classifier_dropout"})
            o.remove(k);
        fs::remove(dir + "/config.json");
        writeJson(dir + "/bert_config.json", o);
        auto m = loadModel(dir);
        QCOMPARE(m->config().layerNormEps, 1e-12f);
        QVERIFY(m->info().hasMlm);
    }

    // ---- partial heads: reported missing with a warning, never invented ----

    void partialMlmHeadIsMissing()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) { t.erase("cls.predictions.transform.dense.weight"); });
        auto m = loadModel(dir);
        QVERIFY(!m->info().hasMlm && !m->hasMlm());
        QVERIFY(m->info().hasNsp);
        QVERIFY(hasWarning(m->info(), "cls.predictions.transform.dense.weight"));
        QVERIFY(!hasWarning(m->info(), "unknown"));  // the rest of the head is known, not unknown
    }

    void mlmWithoutBiasIsMissing()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) { t.erase("cls.predictions.bias"); });
        auto m = loadModel(dir);
        QVERIFY(!m->info().hasMlm);
        QVERIFY(hasWarning(m->info(), "bias"));
    }

    void nspNeedsPooler()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) {
            t.erase("bert.pooler.dense.weight");
            t.erase("bert.pooler.dense.bias");
        });
        auto m = loadModel(dir);
        QVERIFY(!m->info().hasPooler && !m->info().hasNsp && !m->hasNsp());
        QVERIFY(m->info().hasMlm);
        QVERIFY(hasWarning(m->info(), "pooler"));
    }

    void partialNspIsMissing()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) { t.erase("cls.seq_relationship.bias"); });
        auto m = loadModel(dir);
        QVERIFY(!m->info().hasNsp);
        QVERIFY(hasWarning(m->info(), "cls.seq_relationship.bias"));
    }

    void untiedDecoderIsKept()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) {
            const TensorView& w = t.at("bert.embeddings.word_embeddings.weight");
            std::vector<float> v(w.data, w.data + w.numel());
            v[5] += 1.0f;
            t["cls.predictions.decoder.weight"] = makeOwnedTensor(std::move(v), w.shape);
        });
        auto m = loadModel(dir);
        QVERIFY(m->info().hasMlm);
        QVERIFY(m->weights().mlm->decoderWeight.data != m->weights().embeddings.word.data);
        QCOMPARE(m->weights().mlm->decoderWeight.data[5], m->weights().embeddings.word.data[5] + 1.0f);
        QVERIFY(hasWarning(m->info(), "decoder.weight"));
        QCOMPARE(m->info().parameterCount,
                 expectedParameters(m->config(), true, true, true) + int64_t(m->config().vocabSize) * m->config().hiddenSize);
        QVERIFY(m->exportTensors().tensors.count("cls.predictions.decoder.weight"));
    }

    void unknownTensorsAndNonFiniteValuesWarn()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) {
            t["bert.something.extra"] = makeOwnedTensor({1, 2}, {2});
            const TensorView& b = t.at("bert.encoder.layer.0.output.dense.bias");
            std::vector<float> v(b.data, b.data + b.numel());
            v[0] = NAN;
            v[1] = INFINITY;
            t["bert.encoder.layer.0.output.dense.bias"] = makeOwnedTensor(std::move(v), b.shape);
        });
        auto m = loadModel(dir);
        QVERIFY(hasWarning(m->info(), "bert.something.extra"));
        QVERIFY(hasWarning(m->info(), "encoder.layer.0.output.dense.bias has 2 NaN"));
    }

    void positionIdsBufferIsIgnored()
    {
        const std::string dir = copyOf("tiny");
        // A float position_ids buffer (int64 ones are skipped by the reader already).
        editWeights(dir, [](auto& t) { t["bert.embeddings.position_ids"] = makeOwnedTensor({0, 1, 2}, {1, 3}); });
        auto m = loadModel(dir);
        QVERIFY(m->info().warnings.empty());
    }

    // ---- files that disagree or are broken: one clear line, naming the file ----

    void missingPieces()
    {
        expectLoadError(tmp_.filePath("nowhere").toStdString(), "nowhere", "No such file");
        std::string dir = copyOf("tiny");
        fs::remove(dir + "/config.json");
        expectLoadError(dir, dir, "config.json");
        dir = copyOf("tiny");
        fs::remove(dir + "/vocab.txt");
        expectLoadError(dir, dir, "vocab.txt");
        dir = copyOf("tiny");
        fs::remove(dir + "/model.safetensors");
        expectLoadError(dir, dir, "no model weights");
    }

    void configBadJson()
    {
        const std::string dir = copyOf("tiny");
        writeText(dir + "/config.json", "{\"hidden_size\": 32,\n");
        expectLoadError(dir, "config.json", "not valid JSON");
    }

    void configBadValues()
    {
        struct Case {
            const char* key;
            QJsonValue value;
            const char* phrase;
        };
        const Case cases[] = {
            {"hidden_act", "swish", "hidden_act"},
            {"num_attention_heads", 5, "divisible"},
            {"hidden_size", -32, "hidden_size"},
            {"num_hidden_layers", 0, "num_hidden_layers"},
            {"vocab_size", "many", "not an integer"},
            {"model_type", "roberta", "model_type"},
            {"hidden_size", 1e9, "hidden_size"},
            {"position_embedding_type", "relative_key", "position_embedding_type"},
        };
        for (const auto& c : cases) {
            const std::string dir = copyOf("tiny");
            editConfig(dir, [&](QJsonObject& o) { o[c.key] = c.value; });
            expectLoadError(dir, "config.json", c.phrase);
        }
        const std::string dir = copyOf("tiny");
        editConfig(dir, [](QJsonObject& o) { o.remove("hidden_size"); });
        expectLoadError(dir, "config.json", "hidden_size");
    }

    void configShapeMismatchNamesTensor()
    {
        const std::string dir = copyOf("tiny");
        editConfig(dir, [](QJsonObject& o) { o["intermediate_size"] = 48; });
        expectLoadError(dir, "model.safetensors",
                        "encoder.layer.0.intermediate.dense.weight has shape [64, 32], expected [48, 32]");
        const std::string dir2 = copyOf("tiny");
        editConfig(dir2, [](QJsonObject& o) { o["hidden_size"] = 16; });
        expectLoadError(dir2, "config.json", "has shape [3089, 32], expected [3089, 16]");
    }

    void configLayerCountMismatch()
    {
        std::string dir = copyOf("tiny");
        editConfig(dir, [](QJsonObject& o) { o["num_hidden_layers"] = 3; });
        expectLoadError(dir, "model.safetensors", "encoder.layer.2.attention.self.query.weight");
        dir = copyOf("tiny");
        editConfig(dir, [](QJsonObject& o) { o["num_hidden_layers"] = 1; });
        expectLoadError(dir, "model.safetensors", "encoder.layer.1.");
    }

    void vocabDisagreesWithWeights()
    {
        std::string dir = copyOf("tiny");
        writeText(dir + "/vocab.txt", testing::readText(dir + "/vocab.txt") + "[EXTRA]\n");
        expectLoadError(dir, "model.safetensors", "vocab.txt has 3090 tokens but embeddings.word_embeddings.weight has 3089 rows");
        dir = copyOf("tiny");
        editConfig(dir, [](QJsonObject& o) { o["vocab_size"] = 4000; });
        expectLoadError(dir, "config.json", "config.json has vocab_size 4000 but vocab.txt has 3089");
    }

    void tensorShapeMismatchNamesTensor()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) {
            t["bert.encoder.layer.1.attention.self.query.weight"] = makeOwnedTensor(std::vector<float>(32 * 16), {32, 16});
        });
        expectLoadError(dir, "model.safetensors",
                        "encoder.layer.1.attention.self.query.weight has shape [32, 16], expected [32, 32] from config.json");
    }

    void missingRequiredTensor()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) { t.erase("bert.encoder.layer.1.output.LayerNorm.bias"); });
        expectLoadError(dir, "model.safetensors", "no tensor encoder.layer.1.output.LayerNorm.bias");
    }

    void otherModelPrefixIsExplained()
    {
        const std::string dir = copyOf("tiny-base-only");
        editWeights(dir, [](auto& t) {
            std::map<std::string, TensorView> renamed;
            for (auto& [k, v] : t) renamed["roberta." + k] = v;
            t = renamed;
        });
        expectLoadError(dir, "model.safetensors", "roberta.embeddings.word_embeddings.weight");
    }

    void ambiguousNamesAreAnError()
    {
        const std::string dir = copyOf("tiny");
        editWeights(dir, [](auto& t) { t["embeddings.LayerNorm.weight"] = t.at("bert.embeddings.LayerNorm.weight"); });
        expectLoadError(dir, "model.safetensors", "both");
    }

    void brokenWeightFile()
    {
        const std::string dir = copyOf("tiny");
        const std::string file = dir + "/model.safetensors";
        fs::resize_file(file, fs::file_size(file) - 10);
        expectLoadError(dir, "model.safetensors", "past the end of the file");
        writeText(file, "garbage");
        expectLoadError(dir, "model.safetensors", "too short");
    }

    void brokenVocab()
    {
        const std::string dir = copyOf("tiny");
        writeText(dir + "/vocab.txt", "[PAD]\n[PAD]\n");
        expectLoadError(dir, "vocab.txt", "twice");
    }

    void saveFailsCleanly()
    {
        auto m = loadModel(modelDir("tiny"));
        const std::string blocker = tmp_.filePath("a-file").toStdString();
        writeText(blocker, "x");
        try {
            saveModel(*m, blocker + "/inside");
            QFAIL("saved under a regular file");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find(blocker) != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestModelLoading)
#include "test_model_loading.moc"
