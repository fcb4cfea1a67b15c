// Checks the vocabulary and BERT tokenizer against Hugging Face / Google reference tokenizations.
#include "error.h"
#include "test_support.h"
#include "tokenizer.h"
#include "vocab.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <memory>
#include <sstream>

using bertlab::Encoding;
using bertlab::Error;
using bertlab::Tokenizer;
using bertlab::Vocab;
using bertlab::WordPiece;
using Strings = std::vector<std::string>;
using Spans = std::vector<std::pair<int, int>>;

namespace {

QJsonDocument readJson(const std::string& relative)
{
    const std::string text = bertlab::testing::readText(bertlab::testing::dataPath(relative));
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (doc.isNull()) throw std::runtime_error(relative + ": " + error.errorString().toStdString());
    return doc;
}

Strings toStrings(const QJsonValue& v)
{
    Strings out;
    for (const QJsonValue& x : v.toArray()) out.push_back(x.toString().toStdString());
    return out;
}

std::vector<int> toInts(const QJsonValue& v)
{
    std::vector<int> out;
    for (const QJsonValue& x : v.toArray()) out.push_back(x.toInt());
    return out;
}

std::string join(const Strings& s)
{
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "|" : "") + s[i];
    return out + "]";
}

std::string join(const std::vector<int>& v)
{
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
    return out + "]";
}

Strings tokensOf(const std::vector<WordPiece>& pieces)
{
    Strings out;
    for (const WordPiece& p : pieces) out.push_back(p.token);
    return out;
}

std::vector<int> idsOf(const std::vector<WordPiece>& pieces)
{
    std::vector<int> out;
    for (const WordPiece& p : pieces) out.push_back(p.id);
    return out;
}

Spans spansOf(const std::vector<WordPiece>& pieces)
{
    Spans out;
    for (const WordPiece& p : pieces) out.emplace_back(p.begin, p.end);
    return out;
}

void writeFile(const QString& path, const std::string& bytes)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << bytes;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const Vocab> uncased_;
    std::shared_ptr<const Vocab> cased_;

private slots:
    void initTestCase()
    {
        uncased_ = std::make_shared<Vocab>(
            Vocab::fromFile(bertlab::testing::dataPath("refdata/vocab/bert-base-uncased-vocab.txt")));
        cased_ = std::make_shared<Vocab>(
            Vocab::fromFile(bertlab::testing::dataPath("refdata/vocab/bert-base-cased-vocab.txt")));
        QCOMPARE(uncased_->size(), 30522);
        QCOMPARE(cased_->size(), 28996);
    }

    void specialIdsComeFromTheVocab()
    {
        // Published bert-base ids: [PAD]=0 [UNK]=100 [CLS]=101 [SEP]=102 [MASK]=103.
        QCOMPARE(uncased_->padId(), 0);
        QCOMPARE(uncased_->unkId(), 100);
        QCOMPARE(uncased_->clsId(), 101);
        QCOMPARE(uncased_->sepId(), 102);
        QCOMPARE(uncased_->maskId(), 103);
        QVERIFY(uncased_->isSpecial(103));
        QVERIFY(!uncased_->isSpecial(1996));
        QVERIFY(!uncased_->isSpecial(-1));
        QCOMPARE(uncased_->find("the").value_or(-1), 1996);
        QVERIFY(!uncased_->find("definitely-not-a-token").has_value());
        QCOMPARE(uncased_->lookup("the"), 1996);
        QCOMPARE(uncased_->lookup("definitely-not-a-token"), -1);
    }

    // The 117 cases transcribed from google-research/bert, transformers, transformers.js,
    // torchtext, llama.cpp, bumblebee and tensorflow/examples.
    void referenceCases()
    {
        const QJsonArray cases = readJson("refdata/tokenizer/bert_tokenizer_cases.json").array();
        QCOMPARE(cases.size(), 117);
        int passed = 0;
        QStringList failures;
        for (int i = 0; i < cases.size(); ++i) {
            const QJsonObject c = cases[i].toObject();
            const std::string source = c["source"].toString().toStdString();
            const bool lower = c["do_lower_case"].toBool();
            auto vocab = c["vocab"].toString() == "bert-base-uncased" ? uncased_ : cased_;
            QVERIFY(c["vocab"].toString() == "bert-base-uncased" || c["vocab"].toString() == "bert-base-cased");
            Tokenizer tok(vocab, lower);
            // never_split as the producing tool had it. null means that tool's default: the
            // Hugging Face family (transformers, tokenizers.js, bumblebee, llama.cpp's HF
            // export, TF examples) keeps the vocab's special tokens whole, which is our default;
            // torchtext's BERTTokenizer has no never-split list unless one is passed.
            if (c["never_split"].isArray())
                tok.setNeverSplit(toStrings(c["never_split"]));
            else if (source.rfind("torchtext", 0) == 0)
                tok.setNeverSplit({});

            const std::string text = c["text"].toString().toStdString();
            const Strings wantTokens = toStrings(c["tokens"]);
            const std::vector<int> wantIds = toInts(c["ids"]);
            std::string problem;
            if (c["add_special_tokens"].toBool()) {
                std::string pair;
                const bool hasPair = c.contains("text_pair");
                if (hasPair) pair = c["text_pair"].toString().toStdString();
                Encoding enc = tok.encode(text, hasPair ? &pair : nullptr);
                // Some sources list tokens without the added [CLS]/[SEP]; their ids include them.
                Strings gotTokens;
                const bool withSpecials = !wantTokens.empty() && wantTokens.front() == "[CLS]";
                for (int k = 0; k < enc.size(); ++k)
                    if (withSpecials || !enc.specialMask[static_cast<size_t>(k)])
                        gotTokens.push_back(enc.tokens[static_cast<size_t>(k)]);
                if (gotTokens != wantTokens) problem += " tokens " + join(gotTokens) + " want " + join(wantTokens);
                if (enc.ids != wantIds) problem += " ids " + join(enc.ids) + " want " + join(wantIds);
                if (c.contains("token_type_ids") && enc.typeIds != toInts(c["token_type_ids"]))
                    problem += " type ids " + join(enc.typeIds);
                if (c.contains("offsets")) {
                    const QJsonArray offsets = c["offsets"].toArray();
                    if (offsets.size() != enc.size()) problem += " offsets count";
                    for (int k = 0; k < offsets.size() && k < enc.size(); ++k) {
                        const QJsonArray o = offsets[k].toArray();
                        // HF reports (0, 0) for added specials; we report (-1, -1).
                        std::pair<int, int> want{o[0].toInt(), o[1].toInt()};
                        if (enc.specialMask[static_cast<size_t>(k)] && want == std::pair<int, int>{0, 0})
                            want = {-1, -1};
                        if (enc.offsets[static_cast<size_t>(k)] != want)
                            problem += " offset " + std::to_string(k) + " = (" +
                                       std::to_string(enc.offsets[static_cast<size_t>(k)].first) + "," +
                                       std::to_string(enc.offsets[static_cast<size_t>(k)].second) + ")";
                    }
                }
            } else {
                const std::vector<WordPiece> pieces = tok.tokenize(text);
                if (tokensOf(pieces) != wantTokens)
                    problem += " tokens " + join(tokensOf(pieces)) + " want " + join(wantTokens);
                if (idsOf(pieces) != wantIds) problem += " ids " + join(idsOf(pieces)) + " want " + join(wantIds);
            }
            if (problem.empty())
                ++passed;
            else
                failures << QString::fromStdString("case " + std::to_string(i) + " (" + source + "):" + problem);
        }
        for (const QString& f : failures) qWarning().noquote() << f;
        QCOMPARE(passed, 117);
    }

    // 10,570 SQuAD v1.1 dev questions tokenized by HF's Python BertTokenizer (uncased).
    void squadQuestions()
    {
        const QJsonArray entries = readJson("refdata/tokenizer/squad_dev_question_tokens.json").array();
        const QJsonArray ids = readJson("refdata/tokenizer/squad_dev_question_ids.json").array();
        QCOMPARE(entries.size(), 10570);
        QCOMPARE(ids.size(), 10570);
        Tokenizer tok(uncased_, true);
        int basicOk = 0, pieceOk = 0, idOk = 0;
        QStringList failures;
        for (int i = 0; i < entries.size(); ++i) {
            const QJsonObject e = entries[i].toObject();
            const std::string text = e["original"].toString().toStdString();
            const Strings basic = tok.basicTokens(text);
            const std::vector<WordPiece> pieces = tok.tokenize(text);
            const Strings wantBasic = toStrings(e["basic"]);
            const Strings wantPieces = toStrings(e["wordpiece"]);
            const std::vector<int> wantIds = toInts(ids[i]);
            if (basic == wantBasic) ++basicOk;
            else failures << QString::fromStdString(std::to_string(i) + " basic " + join(basic) + " want " + join(wantBasic));
            if (tokensOf(pieces) == wantPieces) ++pieceOk;
            else failures << QString::fromStdString(std::to_string(i) + " pieces " + join(tokensOf(pieces)) + " want " + join(wantPieces));
            if (idsOf(pieces) == wantIds) ++idOk;
            else failures << QString::fromStdString(std::to_string(i) + " ids differ");
        }
        for (int k = 0; k < failures.size() && k < 20; ++k) qWarning().noquote() << failures[k];
        QCOMPARE(basicOk, 10570);
        QCOMPARE(pieceOk, 10570);
        QCOMPARE(idOk, 10570);
    }

    // Spans counted by hand, in code points of the original text.
    void offsets()
    {
        Tokenizer uncased(uncased_, true);
        Tokenizer cased(cased_, false);

        // Accents stripped in uncased mode still cover the accented characters; pieces after the
        // first cover only their own characters (transformers' AllenNLP offsets case).
        auto p = uncased.tokenize("A, naïve [MASK] AllenNLP sentence.");
        QCOMPARE(tokensOf(p), (Strings{"a", ",", "naive", "[MASK]", "allen", "##nl", "##p", "sentence", "."}));
        QCOMPARE(spansOf(p), (Spans{{0, 1}, {1, 2}, {3, 8}, {9, 15}, {16, 21}, {21, 23}, {23, 24}, {25, 33}, {33, 34}}));

        // "Beyoncé" is one word of 7 code points; "é" (precomposed) becomes "e".
        p = uncased.tokenize("Who is Beyoncé?");
        QCOMPARE(tokensOf(p), (Strings{"who", "is", "beyonce", "?"}));
        QCOMPARE(spansOf(p), (Spans{{0, 3}, {4, 6}, {7, 14}, {14, 15}}));

        // Decomposed accent: the dropped U+0301 is not part of any piece, as in HF's alignments.
        p = uncased.tokenize("Cafe\xCC\x81 bar");
        QCOMPARE(tokensOf(p), (Strings{"cafe", "bar"}));
        QCOMPARE(spansOf(p), (Spans{{0, 4}, {6, 9}}));

        // CJK ideographs each become a token; [UNK] for 推 keeps its one character.
        p = uncased.tokenize("ah\xE5\x8D\x9A\xE6\x8E\xA8zz");  // ah博推zz
        QCOMPARE(tokensOf(p), (Strings{"ah", "\xE5\x8D\x9A", "[UNK]", "z", "##z"}));
        QCOMPARE(spansOf(p), (Spans{{0, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}));

        // A non-BMP character counts as one code point (not two UTF-16 units).
        p = uncased.tokenize(" this is \xF0\x9F\xA6\x99.cpp");  // 🦙
        QCOMPARE(tokensOf(p), (Strings{"this", "is", "[UNK]", ".", "cp", "##p"}));
        QCOMPARE(spansOf(p), (Spans{{1, 5}, {6, 8}, {9, 10}, {10, 11}, {11, 13}, {13, 14}}));

        // Removed NUL and U+FFFD stay inside the span of the word they were in.
        p = uncased.tokenize(std::string("1\0" "2\xEF\xBF\xBD" "3", 7));
        QCOMPARE(tokensOf(p), (Strings{"123"}));
        QCOMPARE(spansOf(p), (Spans{{0, 5}}));

        // The umlaut is stripped; "##hrer" starts right after "fu" (F ü | h r e r).
        p = uncased.tokenize("F\xC3\xBChrer");
        QCOMPARE(tokensOf(p), (Strings{"fu", "##hrer"}));
        QCOMPARE(spansOf(p), (Spans{{0, 2}, {2, 6}}));

        // CJK Extension A (U+3400) is one of BERT's ideograph ranges too.
        p = uncased.tokenize("a\xE3\x90\x80" "b");
        QCOMPARE(spansOf(p), (Spans{{0, 1}, {1, 2}, {2, 3}}));

        // NFD reorders U+1D16D (class 226) after U+1D165 (class 216); the [UNK] still spans the
        // whole three-character word rather than an inverted range.
        p = uncased.tokenize("a\xF0\x9D\x85\xAD\xF0\x9D\x85\xA5");
        QCOMPARE(tokensOf(p), (Strings{"[UNK]"}));
        QCOMPARE(spansOf(p), (Spans{{0, 3}}));

        // Cased: "##ï" is the single accented character.
        p = cased.tokenize("A, naïve");
        QCOMPARE(tokensOf(p), (Strings{"A", ",", "na", "##ï", "##ve"}));
        QCOMPARE(spansOf(p), (Spans{{0, 1}, {1, 2}, {3, 5}, {5, 6}, {6, 8}}));

        // Special tokens are found inside words too, and keep their case-sensitive spelling.
        p = uncased.tokenize("x[MASK]y [mask]");
        QCOMPARE(tokensOf(p), (Strings{"x", "[MASK]", "y", "[", "mask", "]"}));
        QCOMPARE(spansOf(p), (Spans{{0, 1}, {1, 7}, {7, 8}, {9, 10}, {10, 14}, {14, 15}}));
    }

    // Python's str.lower() and unicodedata give these (checked with Python 3, Unicode 14).
    void unicodeCaseAndDecomposition()
    {
        Tokenizer uncased(uncased_, true);
        // 'ΟΔΟΣ ΣΑΣ.'.lower() == 'οδος σας.' : final sigma before a space and before a full stop.
        QCOMPARE(uncased.basicTokens("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3\xCE\x91\xCE\xA3."),
                 (Strings{"\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82", "\xCF\x83\xCE\xB1\xCF\x82", "."}));
        // Hangul syllables decompose to conjoining jamo under NFD (and none is Mn).
        // unicodedata.normalize('NFD', '한국') == '\u1112\u1161\u11ab\u1100\u116e\u11a8'
        QCOMPARE(uncased.basicTokens("\xED\x95\x9C\xEA\xB5\xAD"),
                 (Strings{"\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8"}));
        // 'İstanbul'.lower() == 'i̇stanbul'; stripping Mn leaves 'istanbul'.
        QCOMPARE(uncased.basicTokens("\xC4\xB0stanbul"), (Strings{"istanbul"}));
        // NBSP and U+3000 are spaces, U+2028 splits like Python's str.split(), ZWJ vanishes.
        QCOMPARE(uncased.basicTokens("a\xC2\xA0" "b\xE3\x80\x80" "c\xE2\x80\xA8" "d\xE2\x80\x8D" "e"),
                 (Strings{"a", "b", "c", "de"}));
        // U+1FEF GREEK VARIA is NFD-equivalent to '`', which is then split as punctuation.
        QCOMPARE(uncased.basicTokens("a\xE1\xBF\xAF" "b"), (Strings{"a", "`", "b"}));
    }

    void pairEncoding()
    {
        Tokenizer tok(uncased_, true);
        const std::string b = "Answer";
        Encoding enc = tok.encode("Question?", &b);
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "question", "?", "[SEP]", "answer", "[SEP]"}));
        QCOMPARE(enc.ids, (std::vector<int>{101, 3160, 1029, 102, 3437, 102}));
        QCOMPARE(enc.typeIds, (std::vector<int>{0, 0, 0, 0, 1, 1}));
        QCOMPARE(enc.segment, (std::vector<int>{-1, 0, 0, -1, 1, -1}));
        QCOMPARE(enc.specialMask, (std::vector<bool>{true, false, false, true, false, true}));
        QCOMPARE(enc.offsets, (Spans{{-1, -1}, {0, 8}, {8, 9}, {-1, -1}, {0, 6}, {-1, -1}}));
        QVERIFY(!enc.truncated);

        // A [MASK] the user typed is a normal token of its sentence, not an added special.
        enc = tok.encode("a [MASK] b");
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "a", "[MASK]", "b", "[SEP]"}));
        QCOMPARE(enc.specialMask, (std::vector<bool>{true, false, false, false, true}));
        QCOMPARE(enc.segment, (std::vector<int>{-1, 0, 0, 0, -1}));
    }

    // Expected lengths follow HF's slow tokenizer / Google's truncate_seq_pair by hand.
    void truncationLongestFirst()
    {
        Tokenizer tok(uncased_, true);
        // A has 6 tokens, B 3, budget 8-3=5: A loses 3 (6>3, 5>3, 4>3), then at 3=3 B loses 1.
        std::string b = "g h i";
        Encoding enc = tok.encode("a b c d e f", &b, 8);
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "a", "b", "c", "[SEP]", "g", "h", "[SEP]"}));
        QCOMPARE(enc.typeIds, (std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1}));
        QVERIFY(enc.truncated);

        // Equal lengths 4 and 4, budget 5: B, A, B lose one each -> A keeps 3, B keeps 2.
        b = "e f g h";
        enc = tok.encode("a b c d", &b, 8);
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "a", "b", "c", "[SEP]", "e", "f", "[SEP]"}));
        QVERIFY(enc.truncated);

        // B longer: only B is cut.
        b = "c d e f g h";
        enc = tok.encode("a b", &b, 7);
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "a", "b", "[SEP]", "c", "d", "[SEP]"}));
        QVERIFY(enc.truncated);

        // Single sequence; wordpieces are cut, not words (A = un ##want ##ed -> "un").
        enc = tok.encode("a b c d e", nullptr, 4);
        QCOMPARE(enc.tokens, (Strings{"[CLS]", "a", "b", "[SEP]"}));
        QVERIFY(enc.truncated);

        // Exactly fitting is not truncation; 0 means no limit.
        enc = tok.encode("a b", nullptr, 4);
        QCOMPARE(enc.size(), 4);
        QVERIFY(!enc.truncated);
        enc = tok.encode("a b c d e f g h", nullptr, 0);
        QCOMPARE(enc.size(), 10);
        QVERIFY(!enc.truncated);

        QVERIFY_THROWS_EXCEPTION(Error, tok.encode("a", nullptr, 2));
        QVERIFY_THROWS_EXCEPTION(Error, tok.encode("a", &b, 4));
        QVERIFY_THROWS_EXCEPTION(Error, tok.encode("a", nullptr, -1));
    }

    void invalidUtf8IsAnError()
    {
        Tokenizer tok(uncased_, true);
        const std::vector<std::string> bad = {
            "abc\xFF", "\xC3\x28", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "ok \x80"};
        for (const std::string& s : bad) {
            try {
                tok.tokenize(s);
                QFAIL("invalid UTF-8 was accepted");
            } catch (const Error& e) {
                const std::string msg = e.what();
                QVERIFY(msg.find("UTF-8") != std::string::npos);
                QVERIFY(msg.find('\n') == std::string::npos);
            }
        }
        const std::string badPair = "\xFF";
        QVERIFY_THROWS_EXCEPTION(Error, tok.encode("fine", &badPair));
        QVERIFY_THROWS_EXCEPTION(Error, tok.basicTokens("\xFE"));
    }

    void emptyText()
    {
        Tokenizer tok(uncased_, true);
        QVERIFY(tok.tokenize("").empty());
        QVERIFY(tok.tokenize(" \t\n\xC2\xA0").empty());
        QVERIFY(tok.basicTokens("").empty());
        Encoding enc = tok.encode("");
        QCOMPARE(enc.ids, (std::vector<int>{101, 102}));
        const std::string empty;
        enc = tok.encode("", &empty);
        QCOMPARE(enc.ids, (std::vector<int>{101, 102, 102}));
        QCOMPARE(enc.typeIds, (std::vector<int>{0, 0, 1}));
    }

    void longWordsBecomeUnknown()
    {
        Tokenizer tok(uncased_, true);
        // BERT's rule is "more than 100 characters"; 100 is still segmented.
        std::string longWord(101, 'a');
        longWord += " b";  // appended, not operator+: GCC 12 warns (-Warray-bounds, wrongly) on the temporary
        auto p = tok.tokenize(longWord);
        QCOMPARE(tokensOf(p), (Strings{"[UNK]", "b"}));
        QCOMPARE(spansOf(p), (Spans{{0, 101}, {102, 103}}));
        p = tok.tokenize(std::string(100, 'a'));
        QVERIFY(p.size() > 1);
        for (const WordPiece& w : p) QVERIFY(w.token != "[UNK]");
        QCOMPARE(p.back().end, 100);
    }

    void vocabFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::vector<std::string> want = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "##s"};
        const std::vector<std::pair<const char*, std::string>> variants = {
            {"lf", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n##s\n"},
            {"no-final-newline", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n##s"},
            {"crlf", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##s\r\n"},
            {"crlf-no-final", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##s"},
        };
        for (const auto& [name, bytes] : variants) {
            const QString path = dir.filePath(name);
            writeFile(path, bytes);
            QCOMPARE(Vocab::fromFile(path.toStdString()).tokens(), want);
        }

        for (const std::string& bytes : {std::string(), std::string("\n"), std::string("a\nb\na\n"),
                                         std::string("a\n\nb\n"), std::string("a\n\xFF\n")}) {
            const QString path = dir.filePath("bad");
            writeFile(path, bytes);
            QVERIFY_THROWS_EXCEPTION(Error, Vocab::fromFile(path.toStdString()));
        }
        QVERIFY_THROWS_EXCEPTION(Error, Vocab::fromFile(dir.filePath("missing").toStdString()));
        QVERIFY_THROWS_EXCEPTION(Error, Vocab(std::vector<std::string>{}));
        QVERIFY_THROWS_EXCEPTION(Error, Vocab(std::vector<std::string>{"x", "y", "x"}));

        // Save and reload round-trips the ids.
        const QString saved = dir.filePath("saved.txt");
        Vocab(want).saveToFile(saved.toStdString());
        QCOMPARE(Vocab::fromFile(saved.toStdString()).tokens(), want);
        QVERIFY(!QFile::exists(saved + ".tmp"));
    }

    void missingSpecialsFailOnlyWhenAsked()
    {
        auto vocab = std::make_shared<Vocab>(std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "[", "]", "mask"});
        Tokenizer tok(vocab, true);
        // No [MASK] in this vocab, so a typed "[MASK]" is ordinary text.
        QCOMPARE(tokensOf(tok.tokenize("hello [MASK]")), (Strings{"hello", "[", "mask", "]"}));
        QCOMPARE(tok.encode("hello").ids, (std::vector<int>{2, 4, 3}));
        QVERIFY_THROWS_EXCEPTION(Error, vocab->maskId());
        QCOMPARE(vocab->padId(), 0);
        try {
            vocab->maskId();
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("[MASK]") != std::string::npos);
        }
        // Without [CLS] the encoder cannot work, but plain tokenization still does.
        auto noCls = std::make_shared<Vocab>(std::vector<std::string>{"[UNK]", "hello"});
        Tokenizer plain(noCls, true);
        QCOMPARE(tokensOf(plain.tokenize("hello you")), (Strings{"hello", "[UNK]"}));
        QVERIFY_THROWS_EXCEPTION(Error, plain.encode("hello"));
        // A never-split token has to be in the vocab.
        QVERIFY_THROWS_EXCEPTION(Error, plain.setNeverSplit({"[MASK]"}));
    }

    void guessesCasingFromVocab()
    {
        QVERIFY(Tokenizer::vocabLooksUncased(*uncased_));
        QVERIFY(!Tokenizer::vocabLooksUncased(*cased_));
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
