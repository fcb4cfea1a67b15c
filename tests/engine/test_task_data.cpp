// Fine-tuning data readers: CSV/TSV/JSON lines and CoNLL files as Python's writers make them, and bad files.
#include "test_support.h"

#include "error.h"
#include "finetune/task_data.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace bertlab;
using bertlab::testing::dataPath;

namespace {

std::string writeTemp(const std::string& name, const std::string& content)
{
    const auto path = std::filesystem::temp_directory_path() / ("bertlab_task_data_" + name);
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

nlohmann::json expected() { return nlohmann::json::parse(bertlab::testing::readText(dataPath("finetune/expected.json"))); }

// The Error's message for reading `content` as `name`, or "" when it reads.
template <typename Reader>
std::string errorOf(Reader read, const std::string& name, const std::string& content)
{
    try {
        read(writeTemp(name, content));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestTaskData : public QObject {
    Q_OBJECT
private slots:
    void readsWhatPythonWrote_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("csv (RFC 4180, CRLF, extra column)") << "pairs.csv";
        QTest::newRow("tsv (Python's csv module, tab)") << "pairs.tsv";
        QTest::newRow("json lines") << "pairs.jsonl";
    }
    void readsWhatPythonWrote()
    {
        QFETCH(QString, file);
        const SequenceTaskData data = readSequenceTask(dataPath("finetune/" + file.toStdString()));
        const auto rows = expected()["rows"];
        QVERIFY(data.hasPairs);
        QCOMPARE(data.items.size(), rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(data.items[i].text, rows[i]["text"].get<std::string>());
            QCOMPARE(data.items[i].textB, rows[i]["text_b"].get<std::string>());
            QCOMPARE(data.items[i].label, rows[i]["label"].get<std::string>());
        }
        // The record after the one with a line break inside quotes starts two lines further on.
        if (file != "pairs.jsonl") QCOMPARE(data.items[3].line, data.items[2].line + 2);
        QCOMPARE(labelsByFirstAppearance(data), (std::vector<std::string>{"positive", "negative", "neutral"}));
        QCOMPARE(labelCounts(data).at("positive"), 2);
    }

    void readsConll()
    {
        const TokenTaskData data = readTokenTask(dataPath("finetune/tags.conll"));
        const auto sentences = expected()["sentences"];
        QCOMPARE(data.sentences.size(), sentences.size());
        for (size_t i = 0; i < sentences.size(); ++i) {
            QCOMPARE(data.sentences[i].words, sentences[i]["words"].get<std::vector<std::string>>());
            QCOMPARE(data.sentences[i].labels, sentences[i]["labels"].get<std::vector<std::string>>());
        }
        QCOMPARE(data.sentences[0].line, 3);  // after the -DOCSTART- line and a blank line
        QCOMPARE(labelsByFirstAppearance(data).front(), std::string("DET"));
        QCOMPARE(labelCounts(data).at("NOUN"), 2);
    }

    void badSequenceFilesNameFileAndLine_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");  // bytes: some are not UTF-8
        QTest::addColumn<QString>("message");
        QTest::newRow("no label column") << "a.csv" << QByteArray("text,score\nhi,1\n") << "a.csv:1: the header needs columns named text and label";
        QTest::newRow("tab data named csv") << "b.csv" << QByteArray("text\tlabel\nhi\tx\n") << "is it tab-separated?";
        QTest::newRow("short row") << "c.csv" << QByteArray("text,label\nfine,a\nonly\n") << "c.csv:3: the row has 1 fields";
        QTest::newRow("empty label") << "d.tsv" << QByteArray("text\tlabel\nhi\t\n") << "d.tsv:2: empty label";
        QTest::newRow("unclosed quote") << "e.csv" << QByteArray("text,label\n\"open,a\n") << "e.csv:2: a quoted field is never closed";
        QTest::newRow("stray quote") << "f.csv" << QByteArray("text,label\n\"a\"b,c\n") << "f.csv:2: malformed CSV";
        QTest::newRow("invalid UTF-8") << "g.jsonl" << QByteArray("{\"text\": \"ok\", \"label\": \"a\"}\n{\"text\": \"\xff\", \"label\": \"a\"}\n") << "g.jsonl:2: text is not valid UTF-8";
        QTest::newRow("invalid UTF-8 in csv") << "h.csv" << QByteArray("text,label\n\xc3(,a\n") << "h.csv:2: text is not valid UTF-8";
        QTest::newRow("json without label") << "i.jsonl" << QByteArray("{\"text\": \"hi\"}\n") << "i.jsonl:1: no \"label\" key";
        QTest::newRow("header only") << "j.csv" << QByteArray("text,label\n") << "no labelled items";
        QTest::newRow("wrong extension") << "k.txt" << QByteArray("text,label\nhi,a\n") << ".csv, .tsv or .jsonl";
    }
    void badSequenceFilesNameFileAndLine()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString error = QString::fromStdString(errorOf(readSequenceTask, name.toStdString(), content.toStdString()));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }

    void badConllNamesLine()
    {
        QVERIFY(QString::fromStdString(errorOf(readTokenTask, "a.conll", "The\tDET\ncat NOUN\n")).contains("a.conll:2: expected word<TAB>label"));
        QVERIFY(QString::fromStdString(errorOf(readTokenTask, "b.conll", "The\tDET\tx\n")).contains("b.conll:1: expected word<TAB>label, found more than two columns"));
        QVERIFY(QString::fromStdString(errorOf(readTokenTask, "c.conll", "\n\nThe\t\n")).contains("c.conll:3: empty label"));
        QVERIFY(QString::fromStdString(errorOf(readTokenTask, "d.conll", "\n\n")).contains("no labelled words"));
    }

    void labelListsAndChecks()
    {
        QCOMPARE(parseLabelList(" neg , pos"), (std::vector<std::string>{"neg", "pos"}));
        QVERIFY_THROWS_EXCEPTION(Error, parseLabelList("a,,b"));
        QVERIFY_THROWS_EXCEPTION(Error, parseLabelList("a,b,a"));
        const SequenceTaskData data = readSequenceTask(dataPath("finetune/pairs.csv"));
        checkLabels(data, {"negative", "neutral", "positive"});
        try {
            checkLabels(data, {"positive", "negative"});
            QFAIL("a label outside the list was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("pairs.csv:4: label \"neutral\" is not among the labels positive, negative"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTaskData)
#include "test_task_data.moc"
