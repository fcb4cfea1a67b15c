// Pretraining examples: pairing, NSP balance, masking statistics, whole-word masking, JSONL files.
#include "test_support.h"

#include "error.h"
#include "tokenizer.h"
#include "training/example_builder.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"
#include "training/wordpiece_vocab_builder.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace bertlab;
using bertlab::testing::dataPath;

namespace {

constexpr int kFirstWord = 5;

// Documents whose every token id is unique, so any id tells which document and which place it
// came from: A and B can be checked against the corpus without trusting the builder. Word ids
// whose index is 1 or 2 mod 4 are "##" pieces, giving three-piece words and one-piece words.
struct Synthetic {
    std::shared_ptr<const Vocab> vocab;
    std::vector<TokenizedDocument> documents;
    std::vector<int> documentOf;  // [V], -1 for specials
};

Synthetic makeSynthetic(int documentCount, int minTokens, int maxTokens, unsigned seed)
{
    std::mt19937 gen(seed);
    Synthetic s;
    std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    s.documentOf.assign(kFirstWord, -1);
    for (int d = 0; d < documentCount; ++d) {
        const int length = std::uniform_int_distribution<int>(minTokens, maxTokens)(gen);
        TokenizedDocument doc;
        int left = length;
        while (left > 0) {
            const int n = std::min(left, std::uniform_int_distribution<int>(4, 25)(gen));
            TokenizedSentence sentence;
            for (int k = 0; k < n; ++k) {
                const int id = static_cast<int>(tokens.size());
                const int w = id - kFirstWord;
                tokens.push_back((w % 4 == 1 || w % 4 == 2 ? "##t" : "t") + std::to_string(w));
                s.documentOf.push_back(d);
                sentence.push_back(id);
            }
            doc.push_back(std::move(sentence));
            left -= n;
        }
        s.documents.push_back(std::move(doc));
    }
    s.vocab = std::make_shared<const Vocab>(tokens);
    return s;
}

std::vector<int> originals(const PretrainingExample& e)
{
    std::vector<int> ids = e.inputIds;
    for (size_t i = 0; i < e.maskedPositions.size(); ++i)
        ids[static_cast<size_t>(e.maskedPositions[i])] = e.maskedIds[i];
    return ids;
}

bool consecutive(const std::vector<int>& ids)
{
    for (size_t i = 1; i < ids.size(); ++i)
        if (ids[i] != ids[i - 1] + 1) return false;
    return true;
}

std::string tempPath(const std::string& name)
{
    return (std::filesystem::temp_directory_path() / ("bertlab_examples_" + name)).string();
}

void writeFile(const std::string& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

std::string expectError(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestExampleBuilder : public QObject {
    Q_OBJECT
private slots:
    void structureMatchesTheCorpus()
    {
        const Synthetic s = makeSynthetic(150, 150, 450, 1);
        ExampleOptions options;
        options.dupeFactor = 4;
        options.seed = 42;
        const auto examples = ExampleBuilder(*s.vocab, options).build(s.documents);
        QVERIFY(examples.size() > 1000);
        const int cls = s.vocab->clsId(), sep = s.vocab->sepId();
        int64_t shorter = 0;
        for (const auto& e : examples) {
            validateExample(e, s.vocab->size());
            QVERIFY(int(e.inputIds.size()) <= options.maxSeqLength);
            if (int(e.inputIds.size()) < options.maxSeqLength) ++shorter;
            const auto ids = originals(e);
            QCOMPARE(ids.front(), cls);
            QCOMPARE(ids.back(), sep);
            const auto firstSep = std::find(ids.begin() + 1, ids.end(), sep) - ids.begin();
            QVERIFY(firstSep < int(ids.size()) - 1);
            const std::vector<int> a(ids.begin() + 1, ids.begin() + firstSep);
            const std::vector<int> b(ids.begin() + firstSep + 1, ids.end() - 1);
            QVERIFY(!a.empty() && !b.empty());
            QVERIFY(std::count(b.begin(), b.end(), sep) == 0 && std::count(b.begin(), b.end(), cls) == 0);
            // Type ids: 0 for [CLS] A [SEP], 1 for B [SEP].
            for (int i = 0; i < int(ids.size()); ++i) QCOMPARE(e.tokenTypeIds[size_t(i)], i <= firstSep ? 0 : 1);
            // A and B are unbroken runs of one document each: truncation only cut their ends, and
            // masked_ids restore exactly the original ids.
            QVERIFY(consecutive(a) && consecutive(b));
            const int docA = s.documentOf[size_t(a.front())], docB = s.documentOf[size_t(b.front())];
            QCOMPARE(s.documentOf[size_t(a.back())], docA);
            QCOMPARE(s.documentOf[size_t(b.back())], docB);
            if (e.isRandomNext) {
                QVERIFY(docB != docA);
            } else {
                QCOMPARE(docB, docA);
                QVERIFY(b.front() > a.back());
            }
        }
        // short_seq_prob 0.1 and document ends give some shorter examples, but most are full.
        QVERIFY(shorter > 0);
        QVERIFY(shorter < int64_t(examples.size()) / 2);
    }

    void nextSentencePredictionIsBalanced()
    {
        const Synthetic s = makeSynthetic(200, 1500, 2500, 2);
        ExampleOptions options;
        options.dupeFactor = 3;
        const auto examples = ExampleBuilder(*s.vocab, options).build(s.documents);
        const double randomShare =
            double(std::count_if(examples.begin(), examples.end(), [](const auto& e) { return e.isRandomNext; })) /
            double(examples.size());
        qInfo("random next share %.4f over %zu examples", randomShare, examples.size());
        QVERIFY2(examples.size() > 5000, std::to_string(examples.size()).c_str());
        // A chunk of one sentence always takes a random B, which lifts the share slightly above half.
        QVERIFY2(randomShare > 0.48 && randomShare < 0.54, std::to_string(randomShare).c_str());
    }

    void maskingFollowsThePaper()
    {
        const Synthetic s = makeSynthetic(150, 200, 600, 3);
        ExampleOptions options;
        options.dupeFactor = 5;
        options.seed = 7;
        const auto examples = ExampleBuilder(*s.vocab, options).build(s.documents);
        const int cls = s.vocab->clsId(), sep = s.vocab->sepId(), pad = s.vocab->padId(), mask = s.vocab->maskId();
        int64_t candidates = 0, masked = 0, asMask = 0, kept = 0, replaced = 0;
        for (const auto& e : examples) {
            const auto ids = originals(e);
            candidates += int64_t(ids.size()) - 3;
            QVERIFY(!e.maskedPositions.empty());
            QVERIFY(int(e.maskedPositions.size()) <= options.maxPredictionsPerSeq);
            for (size_t i = 0; i < e.maskedPositions.size(); ++i) {
                const auto p = size_t(e.maskedPositions[i]);
                QVERIFY(ids[p] != cls && ids[p] != sep && ids[p] != pad);
                QCOMPARE(e.maskedIds[i], ids[p]);
                ++masked;
                if (e.inputIds[p] == mask) ++asMask;
                else if (e.inputIds[p] == ids[p]) ++kept;
                else ++replaced;
            }
            // Outside the masked positions nothing changed.
            int changed = 0;
            for (size_t p = 0; p < ids.size(); ++p) changed += e.inputIds[p] != ids[p];
            QVERIFY(changed <= int(e.maskedPositions.size()));
        }
        const double share = double(masked) / double(candidates);
        QVERIFY2(share > 0.145 && share < 0.165, std::to_string(share).c_str());
        const double m = double(asMask) / double(masked), k = double(kept) / double(masked),
                     r = double(replaced) / double(masked);
        const std::string shares = std::to_string(m) + " " + std::to_string(k) + " " + std::to_string(r);
        qInfo("masked share %.4f of %lld candidates; [MASK] %.4f, kept %.4f, random %.4f", share,
              static_cast<long long>(candidates), m, k, r);
        QVERIFY2(masked > 30000, std::to_string(masked).c_str());
        QVERIFY2(std::abs(m - 0.8) < 0.01 && std::abs(k - 0.1) < 0.01 && std::abs(r - 0.1) < 0.01, shares.c_str());
    }

    void capIsRespected()
    {
        const Synthetic s = makeSynthetic(40, 300, 600, 4);
        ExampleOptions options;
        options.maxSeqLength = 256;
        options.maxPredictionsPerSeq = 5;
        options.dupeFactor = 2;
        for (bool wholeWord : {false, true}) {
            options.wholeWordMask = wholeWord;
            for (const auto& e : ExampleBuilder(*s.vocab, options).build(s.documents)) {
                QVERIFY(int(e.inputIds.size()) <= 256);
                QVERIFY(!e.maskedPositions.empty() && e.maskedPositions.size() <= 5);
            }
        }
    }

    void wholeWordMaskingMasksWholeWords()
    {
        const Synthetic s = makeSynthetic(100, 200, 500, 5);
        ExampleOptions options;
        options.dupeFactor = 3;
        auto countGroups = [&](bool wholeWord, int64_t& partial, int64_t& full) {
            options.wholeWordMask = wholeWord;
            partial = full = 0;
            for (const auto& e : ExampleBuilder(*s.vocab, options).build(s.documents)) {
                const auto ids = originals(e);
                std::vector<bool> isMasked(ids.size(), false);
                for (int p : e.maskedPositions) isMasked[size_t(p)] = true;
                // Words: a piece without "##" and the "##" pieces right after it, inside one segment.
                for (size_t i = 0; i < ids.size(); ++i) {
                    if (s.vocab->isSpecial(ids[i]) || s.vocab->token(ids[i]).rfind("##", 0) == 0) continue;
                    size_t j = i + 1;
                    while (j < ids.size() && !s.vocab->isSpecial(ids[j]) && s.vocab->token(ids[j]).rfind("##", 0) == 0) ++j;
                    if (j - i < 2) continue;
                    const auto n = std::count(isMasked.begin() + long(i), isMasked.begin() + long(j), true);
                    if (n == long(j - i)) ++full;
                    else if (n > 0) ++partial;
                }
            }
        };
        int64_t partial = 0, full = 0;
        countGroups(true, partial, full);
        QCOMPARE(partial, int64_t(0));
        QVERIFY(full > 1000);
        countGroups(false, partial, full);
        QVERIFY(partial > 1000);  // the check above is not vacuous
    }

    void sameSeedSameOutput()
    {
        const Synthetic s = makeSynthetic(60, 100, 400, 6);
        ExampleOptions options;
        options.dupeFactor = 2;
        options.seed = 99;
        const auto first = ExampleBuilder(*s.vocab, options).build(s.documents);
        QVERIFY(first == ExampleBuilder(*s.vocab, options).build(s.documents));
        options.seed = 100;
        QVERIFY(first != ExampleBuilder(*s.vocab, options).build(s.documents));
        options.seed = 99;
        options.wholeWordMask = true;
        const auto wwm = ExampleBuilder(*s.vocab, options).build(s.documents);
        QVERIFY(wwm == ExampleBuilder(*s.vocab, options).build(s.documents));
    }

    void shortSeqProbShortensExamples()
    {
        const Synthetic s = makeSynthetic(100, 800, 1200, 8);
        auto meanLength = [&](double p) {
            ExampleOptions options;
            options.shortSeqProb = p;
            options.dupeFactor = 2;
            double total = 0;
            const auto examples = ExampleBuilder(*s.vocab, options).build(s.documents);
            for (const auto& e : examples) total += double(e.inputIds.size());
            return total / double(examples.size());
        };
        QVERIFY(meanLength(0.0) > 120.0);
        QVERIFY(meanLength(1.0) < 90.0);  // targets uniform in [2, 125]
    }

    void rejectsBadOptionsAndVocabs()
    {
        const Synthetic s = makeSynthetic(3, 50, 60, 9);
        ExampleOptions options;
        options.maxSeqLength = 4;
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(*s.vocab, options));
        options = {};
        options.maskedLmProb = 0.0;
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(*s.vocab, options));
        options = {};
        options.dupeFactor = 0;
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(*s.vocab, options));
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(Vocab({"[PAD]", "[UNK]", "a"}), ExampleOptions{}));
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(*s.vocab, ExampleOptions{}).build({}));
        QVERIFY_THROWS_EXCEPTION(Error, ExampleBuilder(*s.vocab, ExampleOptions{}).build({{{1, 100000}}}));
    }

    void buildsFromTheTextCorpus()
    {
        const Corpus corpus = readCorpus(dataPath("corpus/small.txt"));
        VocabBuilderOptions vocabOptions;
        vocabOptions.size = 1000;
        auto vocab = std::make_shared<const Vocab>(buildWordPieceVocab(corpus, vocabOptions));
        const Tokenizer tokenizer(vocab, true);
        const auto documents = tokenizeCorpus(corpus, tokenizer);
        QCOMPARE(documents.size(), corpus.documents.size());
        ExampleOptions options;
        options.maxSeqLength = 64;
        options.dupeFactor = 3;
        const auto examples = ExampleBuilder(*vocab, options).build(documents);
        QVERIFY(examples.size() > 100);
        for (const auto& e : examples) {
            validateExample(e, vocab->size());
            QVERIFY(e.inputIds.size() <= 64);
        }
    }

    void jsonlRoundTripAndSeek()
    {
        const Synthetic s = makeSynthetic(20, 100, 300, 10);
        ExampleOptions options;
        options.dupeFactor = 2;
        const auto examples = ExampleBuilder(*s.vocab, options).build(s.documents);
        const std::string path = tempPath("roundtrip.jsonl");
        writeExamplesJsonl(path, examples);
        QVERIFY(!std::filesystem::exists(path + ".tmp-" + std::to_string(QCoreApplication::applicationPid())));
        QVERIFY(readExamplesJsonl(path, s.vocab->size()) == examples);

        // Each line is the documented JSON object, read by an independent parser.
        std::ifstream in(path);
        std::string line;
        std::getline(in, line);
        const auto j = nlohmann::json::parse(line);
        QCOMPARE(j.size(), size_t(5));
        QVERIFY(j.at("input_ids").get<std::vector<int>>() == examples[0].inputIds);
        QVERIFY(j.at("token_type_ids").get<std::vector<int>>() == examples[0].tokenTypeIds);
        QVERIFY(j.at("masked_positions").get<std::vector<int>>() == examples[0].maskedPositions);
        QVERIFY(j.at("masked_ids").get<std::vector<int>>() == examples[0].maskedIds);
        QCOMPARE(j.at("is_random_next").get<bool>(), examples[0].isRandomNext);

        ExampleJsonlReader reader(path);
        QCOMPARE(reader.count(), int64_t(examples.size()));
        PretrainingExample e;
        QVERIFY(reader.next(e) && e == examples[0]);
        QCOMPARE(reader.position(), int64_t(1));
        const int64_t k = int64_t(examples.size()) / 2;
        reader.seek(k);
        QVERIFY(reader.next(e) && e == examples[size_t(k)]);
        QVERIFY(reader.next(e) && e == examples[size_t(k) + 1]);
        QCOMPARE(reader.position(), k + 2);
        reader.seek(int64_t(examples.size()));
        QVERIFY(!reader.next(e));
        reader.rewind();
        QVERIFY(reader.next(e) && e == examples[0]);
        QVERIFY_THROWS_EXCEPTION(Error, reader.seek(int64_t(examples.size()) + 1));
        std::filesystem::remove(path);
    }

    void seekCountsExamplesNotBlankLines()
    {
        const std::string a = R"({"input_ids": [2, 7, 3, 8, 3], "token_type_ids": [0, 0, 0, 1, 1], "masked_positions": [1], "masked_ids": [9], "is_random_next": false})";
        const std::string b = R"({"input_ids": [2, 5, 3, 6, 3], "token_type_ids": [0, 0, 0, 1, 1], "masked_positions": [], "masked_ids": [], "is_random_next": true})";
        const std::string path = tempPath("blank.jsonl");
        writeFile(path, "\n" + a + "\r\n\n  \n" + b + "\n");
        ExampleJsonlReader reader(path);
        QCOMPARE(reader.count(), int64_t(2));
        reader.seek(1);
        PretrainingExample e;
        QVERIFY(reader.next(e));
        QVERIFY(e.isRandomNext);
        QCOMPARE(e.inputIds, (std::vector<int>{2, 5, 3, 6, 3}));
        std::filesystem::remove(path);
    }

    void malformedLinesNameTheLine_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("bad json") << R"({"input_ids": [2, 7, 3)" << "not valid JSON";
        QTest::newRow("not object") << "[1, 2, 3]" << "not a JSON object";
        QTest::newRow("type length") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "token_type_ids";
        QTest::newRow("masked length") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [1], "masked_ids": [], "is_random_next": false})" << "masked_ids";
        QTest::newRow("position range") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [3], "masked_ids": [5], "is_random_next": false})" << "out of range";
        QTest::newRow("negative id") << R"({"input_ids": [2, -7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "negative";
        QTest::newRow("negative label") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [1], "masked_ids": [-1], "is_random_next": false})" << "negative";
        QTest::newRow("fraction") << R"({"input_ids": [2, 7.5, 3], "token_type_ids": [0, 0, 0], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "whole numbers";
        QTest::newRow("type id") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 2, 0], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "only 0 or 1";
        QTest::newRow("missing key") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [], "is_random_next": false})" << "missing \"masked_ids\"";
        QTest::newRow("label type") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [], "masked_ids": [], "is_random_next": "no"})" << "is_random_next";
        QTest::newRow("repeated position") << R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [1, 1], "masked_ids": [5, 5], "is_random_next": false})" << "increasing";
        QTest::newRow("empty") << R"({"input_ids": [], "token_type_ids": [], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "empty";
        QTest::newRow("vocab") << R"({"input_ids": [2, 700, 3], "token_type_ids": [0, 0, 0], "masked_positions": [], "masked_ids": [], "is_random_next": false})" << "outside the vocabulary";
    }

    void malformedLinesNameTheLine()
    {
        QFETCH(QString, line);
        QFETCH(QString, reason);
        const std::string good = R"({"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0], "masked_positions": [1], "masked_ids": [9], "is_random_next": false})";
        const std::string path = tempPath("malformed.jsonl");
        writeFile(path, good + "\n\n" + good + "\n" + line.toStdString() + "\n" + good + "\n");
        const std::string message = expectError([&] { readExamplesJsonl(path, 100); });
        QVERIFY2(message.find(path + " line 4: ") == 0, message.c_str());
        QVERIFY2(message.find(reason.toStdString()) != std::string::npos, message.c_str());
        QVERIFY(message.find('\n') == std::string::npos);
        // The streaming reader gives the same error after the good lines.
        ExampleJsonlReader reader(path, 100);
        PretrainingExample e;
        QVERIFY(reader.next(e) && reader.next(e));
        QCOMPARE(expectError([&] { reader.next(e); }), message);
        std::filesystem::remove(path);
    }

    void unfinishedWriterLeavesNothing()
    {
        const std::string path = tempPath("unfinished.jsonl");
        std::filesystem::remove(path);
        {
            ExampleJsonlWriter writer(path);
            PretrainingExample e{{2, 7, 3}, {0, 0, 0}, {1}, {9}, false};
            writer.write(e);
            PretrainingExample bad{{2, 7, 3}, {0, 0}, {}, {}, false};
            QVERIFY_THROWS_EXCEPTION(Error, writer.write(bad));
        }
        QVERIFY(!std::filesystem::exists(path));
        for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
            QVERIFY(entry.path().filename().string().rfind("bertlab_examples_unfinished.jsonl.tmp", 0) != 0);
        QVERIFY_THROWS_EXCEPTION(Error, readExamplesJsonl(path));
    }

    void commandLine()
    {
        const std::string vocabPath = tempPath("cli_vocab.txt");
        VocabBuilderOptions vocabOptions;
        vocabOptions.size = 1000;
        buildWordPieceVocab(readCorpus(dataPath("corpus/small.txt")), vocabOptions).saveToFile(vocabPath);
        auto run = [&](const QStringList& extra, const std::string& out, QString& errors) {
            QProcess p;
            QStringList args = {"make-examples", QString::fromStdString(dataPath("corpus/small.txt")), "--vocab",
                                QString::fromStdString(vocabPath), "--out", QString::fromStdString(out)};
            p.start(BERTLAB_CLI, args + extra);
            p.waitForFinished(120000);
            errors = QString::fromUtf8(p.readAllStandardError());
            return p.exitCode();
        };
        const std::string out1 = tempPath("cli1.jsonl"), out2 = tempPath("cli2.jsonl"), out3 = tempPath("cli3.jsonl");
        QString errors;
        const QStringList options = {"--max-seq-length", "64", "--dupe-factor", "2", "--seed", "5", "--whole-word-mask"};
        QCOMPARE(run(options, out1, errors), 0);
        QCOMPARE(run(options, out2, errors), 0);
        QCOMPARE(testing::readText(out1), testing::readText(out2));
        const auto examples = readExamplesJsonl(out1, 1000);
        QVERIFY(!examples.empty());
        {
            QProcess p;
            p.start(BERTLAB_CLI, QStringList{"make-examples", QString::fromStdString(dataPath("corpus/small.txt")), "--vocab",
                                             QString::fromStdString(vocabPath), "--out", QString::fromStdString(out2), "--json"} +
                                     options);
            QVERIFY(p.waitForFinished(120000));
            QCOMPARE(p.exitCode(), 0);
            const auto summary = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
            QCOMPARE(summary["examples"].get<size_t>(), examples.size());
            QCOMPARE(summary["seed"].get<int>(), 5);
            int64_t masked = 0;
            for (const auto& e : examples) masked += static_cast<int64_t>(e.maskedPositions.size());
            QCOMPARE(summary["masked"].get<int64_t>(), masked);
        }
        for (const auto& e : examples) QVERIFY(e.inputIds.size() <= 64);

        QCOMPARE(run({"--max-seq-length", "3"}, out3, errors), 1);
        QVERIFY2(errors.startsWith("error: ") && errors.count('\n') == 1, qPrintable(errors));
        QVERIFY(!std::filesystem::exists(out3));
        QCOMPARE(run({"--seed", "-4"}, out3, errors), 1);
        QVERIFY2(errors.contains("--seed"), qPrintable(errors));
        for (const auto& p : {vocabPath, out1, out2}) std::filesystem::remove(p);
    }
};

QTEST_APPLESS_MAIN(TestExampleBuilder)
#include "test_example_builder.moc"
