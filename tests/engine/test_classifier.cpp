// Fine-tuned classifier folders (sequence and token) load, answer as PyTorch does, save and reload; bad folders are refused.
#include "cli_runner.h"
#include "test_support.h"

#include "bert_model.h"
#include "error.h"
#include "finetune/classifier.h"
#include "model_io.h"

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
