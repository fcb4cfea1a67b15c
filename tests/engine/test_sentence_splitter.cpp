// Sentence splitting of raw paragraphs, corpus layout detection and corpus reading.
#include "test_support.h"

#include "error.h"
#include "training/sentence_splitter.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace bertlab;
using bertlab::testing::dataPath;

namespace {

using Strings = std::vector<std::string>;

std::string writeTemp(const std::string& name, const std::string& content)
{
    const auto path = std::filesystem::temp_directory_path() / ("bertlab_splitter_" + name);
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

} // namespace

class TestSentenceSplitter : public QObject {
    Q_OBJECT
private slots:
    void splitsOnTerminalPunctuation()
    {
        QCOMPARE(splitSentences("Hello world. This is a test! Is it? Yes."),
                 (Strings{"Hello world.", "This is a test!", "Is it?", "Yes."}));
    }

    void keepsAbbreviationsAndInitials()
    {
        QCOMPARE(splitSentences("Mr. Smith met Dr. Jones today. They talked."),
                 (Strings{"Mr. Smith met Dr. Jones today.", "They talked."}));
        QCOMPARE(splitSentences("Bring fruit, e.g. Apples or pears. Also bread, i.e. The usual."),
                 (Strings{"Bring fruit, e.g. Apples or pears.", "Also bread, i.e. The usual."}));
        QCOMPARE(splitSentences("J. R. R. Tolkien wrote it. The U.S. Army came. Pens, paper, etc. Were sold."),
                 (Strings{"J. R. R. Tolkien wrote it.", "The U.S. Army came.", "Pens, paper, etc. Were sold."}));
        QCOMPARE(splitSentences("She met Prof. Lee (and Mrs. Lee) at St. Paul's."),
                 (Strings{"She met Prof. Lee (and Mrs. Lee) at St. Paul's."}));
    }

    void needsSpaceAndCapitalAfterThePunctuation()
    {
        QCOMPARE(splitSentences("It costs 3.50 dollars. Cheap."), (Strings{"It costs 3.50 dollars.", "Cheap."}));
        QCOMPARE(splitSentences("see www.example.org for more. then go."), (Strings{"see www.example.org for more. then go."}));
        QCOMPARE(splitSentences("Wait... What happened?! Nothing."), (Strings{"Wait...", "What happened?!", "Nothing."}));
    }

    void handlesQuotesAndBrackets()
    {
        QCOMPARE(splitSentences("\"Stop!\" she said. \"Why?\" He asked."),
                 (Strings{"\"Stop!\" she said.", "\"Why?\"", "He asked."}));
        QCOMPARE(splitSentences("It ended (finally.) Then we left."), (Strings{"It ended (finally.)", "Then we left."}));
        QCOMPARE(splitSentences("Er sagte \xE2\x80\x9CJa.\xE2\x80\x9D \xC3\x9C" "ber alles."),
                 (Strings{"Er sagte \xE2\x80\x9CJa.\xE2\x80\x9D", "\xC3\x9C" "ber alles."}));
    }

    void joinsWrappedLinesAndTrims()
    {
        QCOMPARE(splitSentences("  This is\na wrapped\r\n line.   Next one.\n"),
                 (Strings{"This is a wrapped line.", "Next one."}));
        QCOMPARE(splitSentences("no final punctuation"), (Strings{"no final punctuation"}));
        QVERIFY(splitSentences("   \n ").empty());
    }

    void detectsSentencePerLine()
    {
        const std::string text = testing::readText(dataPath("corpus/small.txt"));
        QCOMPARE(detectCorpusFormat(text), CorpusFormat::SentencePerLine);
        QCOMPARE(detectCorpusFormat("One sentence.\nAnother one here!\n\nA new document?\n"), CorpusFormat::SentencePerLine);
    }

    void detectsParagraphs()
    {
        // Several sentences per line.
        QCOMPARE(detectCorpusFormat("The sun rose. Birds sang. We woke.\n\nIt rained. We stayed in.\n"),
                 CorpusFormat::Paragraphs);
        // Hard-wrapped lines that stop mid-sentence.
        QCOMPARE(detectCorpusFormat("The old road wound through the hills and\nthe valley below, where the "
                                    "river\nran slowly past the mill and the\nfarms on its way to the sea.\n"),
                 CorpusFormat::Paragraphs);
    }

    void parsesSentencePerLine()
    {
        const Corpus c = parseCorpus("\n\nFirst one.\r\nSecond one.\r\n\r\n\r\nThird.\n  \nFourth.\nFifth.", CorpusFormat::SentencePerLine);
        QCOMPARE(c.documents.size(), size_t(3));
        QCOMPARE(c.documents[0], (Strings{"First one.", "Second one."}));
        QCOMPARE(c.documents[1], (Strings{"Third."}));
        QCOMPARE(c.documents[2], (Strings{"Fourth.", "Fifth."}));
        QCOMPARE(c.sentenceCount(), int64_t(5));
    }

    void parsesParagraphs()
    {
        const std::string text = "It was late. The\nlights were off.\n\nShe waited. Nobody came.\n\n\n"
                                 "A new story starts here. It is short.\n";
        const Corpus c = parseCorpus(text);
        QCOMPARE(c.format, CorpusFormat::Paragraphs);
        QCOMPARE(c.documents.size(), size_t(2));  // one blank line joins paragraphs, two end a document
        QCOMPARE(c.documents[0], (Strings{"It was late.", "The lights were off.", "She waited.", "Nobody came."}));
        QCOMPARE(c.documents[1], (Strings{"A new story starts here.", "It is short."}));
    }

    void readsTheCommittedCorpus()
    {
        // Independent count: documents are blank-line separated groups, sentences non-blank lines.
        const QString raw = QString::fromStdString(testing::readText(dataPath("corpus/small.txt")));
        int sentences = 0, documents = 0;
        bool inDocument = false;
        for (const QString& line : raw.split('\n')) {
            if (line.trimmed().isEmpty()) {
                inDocument = false;
            } else {
                ++sentences;
                if (!inDocument) ++documents;
                inDocument = true;
            }
        }
        const Corpus c = readCorpus(dataPath("corpus/small.txt"));
        QCOMPARE(int(c.documents.size()), documents);
        QCOMPARE(int(c.sentenceCount()), sentences);
        QVERIFY(sentences >= 300);
    }

    void readErrorsAreOneLine()
    {
        const std::string bom = writeTemp("bom.txt", "\xEF\xBB\xBFOne.\nTwo.\n");
        QCOMPARE(readCorpus(bom).documents[0], (Strings{"One.", "Two."}));

        const std::string bad = writeTemp("bad.txt", "Fine line.\nAlso fine.\nBroken \xC3\x28 here.\n");
        try {
            readCorpus(bad);
            QFAIL("invalid UTF-8 was accepted");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("line 3") != std::string::npos && m.find("UTF-8") != std::string::npos, m.c_str());
            QVERIFY(m.find('\n') == std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, readCorpus(writeTemp("empty.txt", "\n \n")));
        QVERIFY_THROWS_EXCEPTION(Error, readCorpus("/nonexistent/corpus.txt"));
        QCOMPARE(readCorpus(bom, CorpusFormat::Paragraphs).format, CorpusFormat::Paragraphs);
    }
};

QTEST_APPLESS_MAIN(TestSentenceSplitter)
#include "test_sentence_splitter.moc"
