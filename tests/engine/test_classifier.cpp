// Fine-tuned classifier folders (sequence and token) load, answer as PyTorch does, save and reload; bad folders are refused.
#include "cli_runner.h"
#include "test_support.h"

#include "bert_model.h"
#include "error.h"
#include "attribution/head_ablation.h"
#include "finetune/classifier.h"
#include "finetune/word_encoding.h"
#include "safetensors.h"
#include "model_io.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace bertlab;
using bertlab::testing::dataPath;
namespace fs = std::filesystem;

namespace {

nlohmann::json expected()
{
    return nlohmann::json::parse(bertlab::testing::readText(dataPath("fixtures/classifier/expected.json")));
}

std::string model(const char* name) { return dataPath(std::string("models/") + name); }

// The tolerance: 1e-4 absolute or 1e-3 relative.
bool close(double a, double b) { return std::fabs(a - b) <= 1e-4 || std::fabs(a - b) <= 1e-3 * std::fabs(b); }

std::vector<float> softmax(const std::vector<double>& logits)
{
    double m = logits[0], z = 0;
    for (double l : logits) m = std::max(m, l);
    for (double l : logits) z += std::exp(l - m);
    std::vector<float> p;
    for (double l : logits) p.push_back(static_cast<float>(std::exp(l - m) / z));
    return p;
}

// Standard output and error together, as a user reads them.
std::string runCli(const QStringList& arguments, int* exitCode = nullptr)
{
    const bertlab::testing::CliResult r = bertlab::testing::runCli(arguments);
    if (exitCode) *exitCode = r.exitCode;
    return r.out + r.err;
}

// A copy of `from` whose config.json is rewritten by `edit`, in a fresh temporary folder.
std::string editedCopy(const std::string& from, const std::string& name,
                       const std::function<void(nlohmann::json&)>& edit)
{
    const fs::path dir = fs::temp_directory_path() / ("bertlab_classifier_" + name);
    fs::remove_all(dir);
    fs::copy(from, dir);
    nlohmann::json config = nlohmann::json::parse(bertlab::testing::readText((dir / "config.json").string()));
    edit(config);
    std::ofstream(dir / "config.json") << config.dump(2);
    return dir.string();
}

} // namespace

class TestClassifier : public QObject {
    Q_OBJECT
private slots:
    void sequenceClassifierMatchesPyTorch()
    {
        const auto m = loadModel(model("tiny-seqcls"));
        QCOMPARE(m->config().classifierTask(), ClassifierTask::Sequence);
        QVERIFY(m->hasClassifier());
        QCOMPARE(m->labels(), (std::vector<std::string>{"negative", "neutral", "positive"}));
        QVERIFY(m->info().warnings.empty() || m->info().warnings.front().find("classifier") == std::string::npos);
        const nlohmann::json all = expected();
        for (const auto& c : all["sequence"]) {
            const std::string a = c["text"].get<std::string>();
            const std::string b = c["pair"].is_null() ? "" : c["pair"].get<std::string>();
            const Encoding e = m->encode(a, c["pair"].is_null() ? nullptr : &b);
            QCOMPARE(e.ids, c["input_ids"].get<std::vector<int>>());
            const SequenceClassification r = classifySequence(*m, e);
            const auto logits = c["logits"].get<std::vector<double>>();
            const auto probs = softmax(logits);
            QCOMPARE(r.logits.size(), logits.size());
            for (size_t i = 0; i < logits.size(); ++i) {
                QVERIFY2(close(r.logits[i], logits[i]), qPrintable(QString("logit %1: %2 vs %3").arg(i).arg(r.logits[i]).arg(logits[i])));
                QVERIFY(close(r.probs[i], probs[i]));
            }
        }
    }

    void tokenClassifierWithoutPoolerMatchesPyTorch()
    {
        const auto m = loadModel(model("tiny-tokcls"));
        QVERIFY(!m->info().hasPooler);
        QCOMPARE(m->config().classifierTask(), ClassifierTask::Token);
        QVERIFY(m->hasClassifier());
        const nlohmann::json all = expected();
        for (const auto& c : all["token"]) {
            const std::vector<std::string> words = splitWords(c["text"].get<std::string>());
            const TokenClassification r = classifyTokens(*m, words);
            QCOMPARE(r.input.encoding.ids, c["input_ids"].get<std::vector<int>>());
            const auto logits = c["logits"].get<std::vector<std::vector<double>>>();
            QCOMPARE(r.words.size(), words.size());
            for (size_t w = 0; w < words.size(); ++w) {
                const int t = r.input.firstPiece[w];
                QCOMPARE(t, static_cast<int>(w) + 1);  // one piece per word in these texts
                const auto probs = softmax(logits[static_cast<size_t>(t)]);
                const int best = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
                QCOMPARE(r.words[w].label, best);
                QVERIFY(close(r.words[w].prob, probs[static_cast<size_t>(best)]));
                for (size_t k = 0; k < probs.size(); ++k)
                    QVERIFY(close(r.logits[static_cast<size_t>(t)][k], logits[static_cast<size_t>(t)][k]));
            }
        }
    }

    void firstPieceOfSplitWords()
    {
        const auto m = loadModel(model("tiny-tokcls"));
        // "schools" is not a whole token of the cut vocabulary: it splits, and only its first piece
        // carries its label.
        const WordEncoding w = encodeWords(m->tokenizer(), {"the", "schools", "."});
        QCOMPARE(w.firstPiece.front(), 1);
        QVERIFY(w.firstPiece[2] > w.firstPiece[1] + 1);
        QCOMPARE(w.encoding.tokens.back(), std::string("[SEP]"));
        const WordEncoding cut = encodeWords(m->tokenizer(), {"the", "new", "school"}, 4);
        QCOMPARE(cut.encoding.size(), 4);
        QCOMPARE(cut.firstPiece, (std::vector<int>{1, 2, -1}));
        QVERIFY(cut.encoding.truncated);
    }

    void savedFolderReloadsAsTheSameClassifier()
    {
        const auto m = loadModel(model("tiny-seqcls"));
        const fs::path dir = fs::temp_directory_path() / "bertlab_classifier_saved";
        fs::remove_all(dir);
        saveModel(*m, dir.string());
        const auto config = nlohmann::json::parse(bertlab::testing::readText((dir / "config.json").string()));
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("BertForSequenceClassification"));
        QCOMPARE(config["id2label"]["2"].get<std::string>(), std::string("positive"));
        QCOMPARE(config["label2id"]["neutral"].get<int>(), 1);
        const auto again = loadModel(dir.string());
        const Encoding e = m->encode("he made it up .");
        QCOMPARE(classifySequence(*again, e).logits, classifySequence(*m, e).logits);
    }

    void missingOrAbsentClassifierIsAnErrorNeverRandom()
    {
        const auto plain = loadModel(model("tiny"));
        QVERIFY_THROWS_EXCEPTION(Error, classifySequence(*plain, plain->encode("he made it up .")));
        // The config names a sequence classifier but the weights have none.
        const std::string named = editedCopy(model("tiny"), "named", [](nlohmann::json& c) {
            c["architectures"] = {"BertForSequenceClassification"};
        });
        const auto m = loadModel(named);
        QVERIFY(!m->hasClassifier());
        bool warned = false;
        for (const auto& w : m->info().warnings) warned |= w.find("sequence classifier unavailable") != std::string::npos;
        QVERIFY(warned);
        try {
            classifySequence(*m, m->encode("he made it up ."));
            QFAIL("a missing classifier answered");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("classifier head is missing"), e.what());
        }
        // id2label naming more labels than classifier.weight has rows.
        const std::string wrong = editedCopy(model("tiny-seqcls"), "wrong", [](nlohmann::json& c) {
            c["id2label"]["3"] = "extra";
        });
        QVERIFY_THROWS_EXCEPTION(Error, loadModel(wrong));
        const std::string badIds = editedCopy(model("tiny-seqcls"), "badids", [](nlohmann::json& c) {
            c["id2label"] = {{"0", "a"}, {"2", "b"}, {"5", "c"}};
        });
        QVERIFY_THROWS_EXCEPTION(Error, loadModel(badIds));
        // A token model asked for a sequence answer, and the other way round.
        const auto token = loadModel(model("tiny-tokcls"));
        QVERIFY_THROWS_EXCEPTION(Error, classifySequence(*token, token->encode("he made it up .")));
    }

    // Switching head H of layer L off multiplies its context vectors by 0, which is the same as
    // zeroing the columns of that layer's attention output matrix that read head H: a second,
    // independent way to the same answer.
    void ablatedHeadEqualsZeroedOutputColumns()
    {
        for (const char* name : {"tiny-seqcls", "tiny-tokcls"}) {
            const auto m = loadModel(model(name));
            const int layer = 1, head = 2;  // 0-based here; "2:3" in the 1-based spec
            const int headSize = m->config().hiddenSize / m->config().numAttentionHeads;
            TensorMap tensors = m->exportTensors();
            const std::string key = "bert.encoder.layer." + std::to_string(layer) + ".attention.output.dense.weight";
            const TensorView& w = tensors.tensors.at(key);
            std::vector<float> zeroed(w.data, w.data + w.numel());
            for (int64_t r = 0; r < w.rows(); ++r)
                for (int c = head * headSize; c < (head + 1) * headSize; ++c) zeroed[static_cast<size_t>(r * w.cols() + c)] = 0.0f;
            tensors.tensors[key] = makeOwnedTensor(std::move(zeroed), w.shape);
            QTemporaryDir dir;
            const std::string folder = dir.path().toStdString();
            for (const char* file : {"config.json", "vocab.txt"})
                std::filesystem::copy_file(model(name) + "/" + file, folder + "/" + file);
            writeSafetensors(folder + "/model.safetensors", tensors);
            const auto reference = loadModel(folder);
            const std::vector<float> off = HeadAblation::parse("2:3", m->config().numHiddenLayers,
                                                               m->config().numAttentionHeads).multipliers();
            const std::string text = "she was at school and then she came back .";
            std::vector<float> ablated, expected, intact;
            if (m->config().classifierTask() == ClassifierTask::Sequence) {
                const Encoding e = m->encode(text);
                ablated = classifySequence(*m, e, off).logits;
                expected = classifySequence(*reference, e).logits;
                intact = classifySequence(*m, e).logits;
            } else {
                const auto words = splitWords(text);
                for (const auto& row : classifyTokens(*m, words, off).logits) ablated.insert(ablated.end(), row.begin(), row.end());
                for (const auto& row : classifyTokens(*reference, words).logits) expected.insert(expected.end(), row.begin(), row.end());
                for (const auto& row : classifyTokens(*m, words).logits) intact.insert(intact.end(), row.begin(), row.end());
            }
            QCOMPARE(ablated.size(), expected.size());
            double worst = 0.0, moved = 0.0;
            for (size_t i = 0; i < ablated.size(); ++i) {
                worst = std::max(worst, double(std::fabs(ablated[i] - expected[i])));
                moved = std::max(moved, double(std::fabs(ablated[i] - intact[i])));
            }
            QVERIFY2(worst < 1e-5, qPrintable(QString("%1: ablated vs zeroed columns differ by %2").arg(name).arg(worst)));
            QVERIFY2(moved > 1e-4, name);  // the head mattered, so the comparison says something

            // The CLI gives the same numbers, and names what it switched off.
            int code = -1;
            const QString q = QString::fromStdString(text);
            const auto viaCli = nlohmann::json::parse(runCli({"classify", QString::fromStdString(model(name)), "--text", q,
                                                              "--ablate", "2:3", "--json"}, &code));
            QCOMPARE(code, 0);
            QCOMPARE(viaCli["ablated"].get<std::string>(), std::string("2:3"));
            const auto zeroedCli = nlohmann::json::parse(runCli({"classify", QString::fromStdString(folder), "--text", q, "--json"}, &code));
            QCOMPARE(code, 0);
            if (viaCli.contains("logits")) {
                for (size_t k = 0; k < viaCli["logits"].size(); ++k)
                    QVERIFY(std::fabs(viaCli["logits"][k].get<double>() - zeroedCli["logits"][k].get<double>()) < 1e-5);
            } else {
                QCOMPARE(viaCli["words"].size(), zeroedCli["words"].size());
                for (size_t k = 0; k < viaCli["words"].size(); ++k) {
                    QCOMPARE(viaCli["words"][k]["label"], zeroedCli["words"][k]["label"]);
                    QVERIFY(std::fabs(viaCli["words"][k]["prob"].get<double>() - zeroedCli["words"][k]["prob"].get<double>()) < 1e-5);
                }
            }
        }
    }

    void cliClassifyAndInfo()
    {
        int code = -1;
        auto out = nlohmann::json::parse(runCli({"classify", QString::fromStdString(model("tiny-seqcls")), "--text",
                                                 "she was at school .", "--pair", "then she was back .", "--json"},
                                                &code));
        QCOMPARE(code, 0);
        const nlohmann::json all = expected();
        const auto& c = all["sequence"][1];
        const auto probs = softmax(c["logits"].get<std::vector<double>>());
        QCOMPARE(out["labels"][0]["label"].get<std::string>(), std::string("positive"));
        QVERIFY(close(out["labels"][0]["prob"].get<double>(), probs[2]));
        QCOMPARE(out["logits"].size(), size_t{3});
        out = nlohmann::json::parse(runCli({"classify", QString::fromStdString(model("tiny-tokcls")), "--text", "he made it up .", "--json"}, &code));
        QCOMPARE(code, 0);
        QCOMPARE(out["words"].size(), size_t{5});
        QCOMPARE(out["words"][3]["word"].get<std::string>(), std::string("up"));
        QVERIFY(out["words"][3].contains("label") && out["words"][3].contains("prob"));
        QCOMPARE(out["tokens"].front().get<std::string>(), std::string("[CLS]"));
        const auto info = nlohmann::json::parse(runCli({"info", QString::fromStdString(model("tiny-tokcls")), "--json"}, &code));
        QCOMPARE(info["task"].get<std::string>(), std::string("token"));
        QCOMPARE(info["labels"].size(), size_t{4});
        QVERIFY(info["heads"]["classifier"].get<bool>());
        const std::string error = runCli({"classify", QString::fromStdString(model("tiny")), "--text", "hi"}, &code);
        QVERIFY(code != 0);
        QVERIFY2(QString::fromStdString(error).contains("has no classifier"), error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestClassifier)
#include "test_classifier.moc"
