// WordPiece vocabulary builder: special ids, exact size, full coverage of the corpus, determinism.
#include "test_support.h"

#include "error.h"
#include "tokenizer.h"
#include "training/sentence_splitter.h"
#include "training/wordpiece_vocab_builder.h"

#include <QProcess>
#include <nlohmann/json.hpp>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <map>

using namespace bertlab;
using bertlab::testing::dataPath;

namespace {

Vocab build(const Corpus& corpus, int size, bool lowerCase = true)
{
    VocabBuilderOptions options;
    options.size = size;
    options.lowerCase = lowerCase;
    return buildWordPieceVocab(corpus, options);
}

const Corpus& smallCorpus()
{
    static const Corpus corpus = readCorpus(dataPath("corpus/small.txt"));
    return corpus;
}

// Counts the tokenizer's basic tokens: the words the vocabulary has to serve.
std::map<std::string, int> wordCounts(const Corpus& corpus, bool lowerCase)
{
    const Tokenizer basic(std::make_shared<const Vocab>(std::vector<std::string>{"[UNK]"}), lowerCase);
    std::map<std::string, int> counts;
    for (const auto& doc : corpus.documents)
        for (const auto& s : doc)
            for (const auto& w : basic.basicTokens(s)) ++counts[w];
    return counts;
}

int unknownCount(const Vocab& vocab, const Corpus& corpus, bool lowerCase)
{
    const auto shared = std::make_shared<const Vocab>(vocab);
    const Tokenizer tokenizer(shared, lowerCase);
    const int unk = shared->unkId();
    int unknown = 0;
    for (const auto& doc : corpus.documents)
        for (const auto& s : doc)
            for (const auto& piece : tokenizer.tokenize(s)) unknown += piece.id == unk;
    return unknown;
}

} // namespace

class TestVocabBuilder : public QObject {
    Q_OBJECT
private slots:
    void compactLayoutBelow2000()
    {
        const Vocab v = build(smallCorpus(), 1000);
        QCOMPARE(v.padId(), 0);
        QCOMPARE(v.unkId(), 1);
        QCOMPARE(v.clsId(), 2);
        QCOMPARE(v.sepId(), 3);
        QCOMPARE(v.maskId(), 4);
    }

    void bertLayoutFrom2000()
    {
        const Vocab v = build(smallCorpus(), 2000);
        QCOMPARE(v.padId(), 0);
        QCOMPARE(v.unkId(), 100);
        QCOMPARE(v.clsId(), 101);
        QCOMPARE(v.sepId(), 102);
        QCOMPARE(v.maskId(), 103);
        QCOMPARE(v.token(1), std::string("[unused0]"));
        QCOMPARE(v.token(99), std::string("[unused98]"));
        VocabBuilderOptions options;
        options.size = 1500;
        options.layout = SpecialLayout::Bert;
        QCOMPARE(buildWordPieceVocab(smallCorpus(), options).clsId(), 101);
    }

    void sizeIsExact()
    {
        for (int size : {1000, 1200, 2000, 5000}) {
            const Vocab v = build(smallCorpus(), size);
            QCOMPARE(v.size(), size);
        }
        // A small corpus runs out of merges: placeholders fill the rest, none duplicated (Vocab checks).
        const Vocab v = build(smallCorpus(), 5000);
        QVERIFY(v.find("[unused99]").has_value());
    }

    void coversEveryCharacterOfTheCorpus()
    {
        QCOMPARE(unknownCount(build(smallCorpus(), 1000), smallCorpus(), true), 0);
        QCOMPARE(unknownCount(build(smallCorpus(), 1000, false), smallCorpus(), false), 0);
        // Accents, non-Latin scripts, CJK (split per character by BERT), symbols and emoji.
        const Corpus mixed = parseCorpus(
            "Caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e, na\xC3\xAFve fa\xC3\xA7" "ade.\n"
            "\xCE\xA9mega \xCE\xB1\xCE\xB2\xCE\xB3 and \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 too.\n\n"
            "\xE6\x9D\xB1\xE4\xBA\xAC is big; \xE2\x82\xAC" "5 or $7 \xF0\x9F\x98\x80 ok?\n",
            CorpusFormat::SentencePerLine);
        for (bool lowerCase : {true, false}) QCOMPARE(unknownCount(build(mixed, 1000, lowerCase), mixed, lowerCase), 0);
    }

    void frequentWordsBecomeWholeTokens()
    {
        const Vocab v = build(smallCorpus(), 1000);
        const Tokenizer tokenizer(std::make_shared<const Vocab>(v), true);
        std::vector<std::pair<int, std::string>> byCount;
        for (const auto& [w, n] : wordCounts(smallCorpus(), true)) byCount.emplace_back(n, w);
        std::sort(byCount.rbegin(), byCount.rend());
        for (size_t i = 0; i < 40; ++i) {
            const auto pieces = tokenizer.tokenize(byCount[i].second);
            QVERIFY2(pieces.size() == 1, byCount[i].second.c_str());
            QCOMPARE(pieces[0].token, byCount[i].second);
        }
    }

    void casedKeepsCapitals()
    {
        const Vocab cased = build(smallCorpus(), 1000, false);
        const Vocab uncased = build(smallCorpus(), 1000, true);
        QVERIFY(cased.find("The").has_value());
        QVERIFY(!uncased.find("The").has_value());
        QVERIFY(Tokenizer::vocabLooksUncased(uncased));
    }

    void deterministic()
    {
        const Vocab a = build(smallCorpus(), 1000);
        QCOMPARE(build(smallCorpus(), 1000).tokens(), a.tokens());
        // The order of documents and sentences does not matter, only the counts.
        Corpus reversed = smallCorpus();
        std::reverse(reversed.documents.begin(), reversed.documents.end());
        for (auto& d : reversed.documents) std::reverse(d.begin(), d.end());
        QCOMPARE(build(reversed, 1000).tokens(), a.tokens());
    }

    void savesAndReloads()
    {
        const Vocab a = build(smallCorpus(), 1000);
        const std::string path = (std::filesystem::temp_directory_path() / "bertlab_vocab_builder.txt").string();
        a.saveToFile(path);
        QCOMPARE(Vocab::fromFile(path).tokens(), a.tokens());
        std::filesystem::remove(path);
    }

    void rejectsImpossibleSizes()
    {
        QVERIFY_THROWS_EXCEPTION(Error, build(smallCorpus(), 5));
        QVERIFY_THROWS_EXCEPTION(Error, build(smallCorpus(), 0));
        VocabBuilderOptions options;
        options.size = 104;
        options.layout = SpecialLayout::Bert;
        QVERIFY_THROWS_EXCEPTION(Error, WordPieceVocabBuilder{options});
    }

    void commandLine()
    {
        const std::string out = (std::filesystem::temp_directory_path() / "bertlab_cli_vocab.txt").string();
        QProcess p;
        p.start(BERTLAB_CLI, {"build-vocab", QString::fromStdString(dataPath("corpus/small.txt")), "--size", "1000",
                              "--out", QString::fromStdString(out)});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(Vocab::fromFile(out).tokens(), build(smallCorpus(), 1000).tokens());

        QProcess json;
        json.start(BERTLAB_CLI, {"build-vocab", QString::fromStdString(dataPath("corpus/small.txt")), "--size", "1000",
                                 "--out", QString::fromStdString(out), "--json"});
        QVERIFY(json.waitForFinished(120000));
        QCOMPARE(json.exitCode(), 0);
        const auto summary = nlohmann::json::parse(json.readAllStandardOutput().toStdString());
        QCOMPARE(summary["tokens"].get<int>(), Vocab::fromFile(out).size());
        QCOMPARE(summary["documents"].get<size_t>(), smallCorpus().documents.size());
        QCOMPARE(summary["cased"].get<bool>(), false);

        QProcess bad;
        bad.start(BERTLAB_CLI, {"build-vocab", "/nonexistent/corpus.txt", "--size", "1000", "--out", QString::fromStdString(out)});
        QVERIFY(bad.waitForFinished(120000));
        QCOMPARE(bad.exitCode(), 1);
        const QString errors = QString::fromUtf8(bad.readAllStandardError());
        QVERIFY2(errors.startsWith("error: ") && errors.count('\n') == 1, qPrintable(errors));
        std::filesystem::remove(out);
    }
};

QTEST_APPLESS_MAIN(TestVocabBuilder)
#include "test_vocab_builder.moc"
