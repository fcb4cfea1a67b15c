// Sentence splitting for raw paragraphs and corpus reading with layout detection.
#include "training/sentence_splitter.h"

#include "error.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string_view>

namespace bertlab {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool isTerminal(char c) { return c == '.' || c == '!' || c == '?'; }

// Length in bytes of a closing quote/bracket at text[i], or 0.
size_t closingAt(std::string_view text, size_t i)
{
    const char c = text[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
    // U+2019 ’ and U+201D ” and U+00BB »
    if (text.substr(i, 3) == "\xE2\x80\x99" || text.substr(i, 3) == "\xE2\x80\x9D") return 3;
    if (text.substr(i, 2) == "\xC2\xBB") return 2;
    return 0;
}

// Whether text[i] starts a sentence: a capital letter, an opening quote or an opening bracket.
bool startsSentence(std::string_view text, size_t i)
{
    const char c = text[i];
    if (c == '"' || c == '\'' || c == '(' || c == '[' || c == '`') return true;
    if (text.substr(i, 3) == "\xE2\x80\x98" || text.substr(i, 3) == "\xE2\x80\x9C") return true;  // ‘ “
    if (text.substr(i, 2) == "\xC2\xAB") return true;                                            // «
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                    static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) return false;
    const auto category = utf8proc_category(cp);
    return category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LT;
}

bool isAbbreviation(std::string word)
{
    // Strip opening punctuation so that "(Dr." and "\"Mr." are recognised.
    while (!word.empty() && (word.front() == '(' || word.front() == '"' || word.front() == '\'' ||
                             word.front() == '[' || word.front() == '`'))
        word.erase(word.begin());
    if (word.empty()) return false;
    if (word.find('.') != std::string::npos) return true;  // e.g. i.e. U.S. a.m. Ph.D.
    // A single letter (ASCII or one multi-byte code point) is an initial.
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
                                    static_cast<utf8proc_ssize_t>(word.size()), &cp);
    if (n > 0 && static_cast<size_t>(n) == word.size()) {
        const auto category = utf8proc_category(cp);
        if (category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LL) return true;
    }
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::array<std::string_view, 50> known = {
        "mr", "mrs", "ms", "messrs", "dr", "prof", "sr", "jr", "st", "mt", "rev", "gen", "col",
        "capt", "lt", "sgt", "gov", "sen", "rep", "hon", "pres", "supt", "vs", "etc", "cf", "al",
        "approx", "dept", "est", "fig", "figs", "vol", "vols", "inc", "ltd", "co", "corp", "bros",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"};
    return std::find(known.begin(), known.end(), word) != known.end();
}

std::string trimmed(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && isSpace(s[b])) ++b;
    while (e > b && isSpace(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

// Collapses newlines and runs of whitespace inside a sentence into single spaces.
std::string normalisedSpaces(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    bool pendingSpace = false;
    for (char c : s) {
        if (isSpace(c)) {
            pendingSpace = !out.empty();
        } else {
            if (pendingSpace) out += ' ';
            pendingSpace = false;
            out += c;
        }
    }
    return out;
}

bool isBlankLine(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return isSpace(c); });
}

// Ends with . ! or ? possibly followed by closing quotes/brackets.
bool endsLikeSentence(std::string_view line)
{
    std::string t = trimmed(line);
    while (!t.empty()) {
        const char c = t.back();
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            t.pop_back();
        } else if (t.size() >= 3 && (t.compare(t.size() - 3, 3, "\xE2\x80\x99") == 0 ||
                                     t.compare(t.size() - 3, 3, "\xE2\x80\x9D") == 0)) {
            t.resize(t.size() - 3);
        } else {
            break;
        }
    }
    return !t.empty() && isTerminal(t.back());
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == text.size()) break;
        start = end + 1;
    }
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

} // namespace

std::vector<std::string> splitSentences(const std::string& input)
{
    const std::string_view text(input);
    std::vector<std::string> sentences;
    size_t start = 0;
    size_t i = 0;
    while (i < text.size()) {
        if (!isTerminal(text[i])) {
            ++i;
            continue;
        }
        const size_t punct = i;
        size_t j = i;
        while (j < text.size() && isTerminal(text[j])) ++j;
        const bool singleDot = (j == punct + 1 && text[punct] == '.');
        while (j < text.size()) {
            const size_t n = closingAt(text, j);
            if (n == 0) break;
            j += n;
        }
        size_t k = j;
        while (k < text.size() && isSpace(text[k])) ++k;
        const bool boundary = k > j && k < text.size() && startsSentence(text, k);
        if (boundary && singleDot) {
            size_t w = punct;
            while (w > start && !isSpace(text[w - 1])) --w;
            if (isAbbreviation(std::string(text.substr(w, punct - w)))) {
                i = j;
                continue;
            }
        }
        if (boundary) {
            std::string sentence = normalisedSpaces(text.substr(start, j - start));
            if (!sentence.empty()) sentences.push_back(std::move(sentence));
            start = k;
        }
        i = j;
    }
    std::string last = normalisedSpaces(text.substr(start));
    if (!last.empty()) sentences.push_back(std::move(last));
    return sentences;
}

int64_t Corpus::sentenceCount() const
{
    int64_t n = 0;
    for (const auto& d : documents) n += static_cast<int64_t>(d.size());
    return n;
}

CorpusFormat detectCorpusFormat(const std::string& text)
{
    int64_t lines = 0, multi = 0, final = 0;
    for (std::string_view line : splitLines(text)) {
        if (isBlankLine(line)) continue;
        ++lines;
        if (splitSentences(std::string(line)).size() >= 2) ++multi;
        if (endsLikeSentence(line)) ++final;
    }
    if (lines == 0) return CorpusFormat::SentencePerLine;
    // Several sentences on a line mean paragraphs; lines that mostly stop mid-sentence mean
    // hard-wrapped paragraphs.
    const bool fewMulti = multi * 10 <= lines;
    const bool mostFinal = final * 2 >= lines;
    return fewMulti && mostFinal ? CorpusFormat::SentencePerLine : CorpusFormat::Paragraphs;
}

Corpus parseCorpus(const std::string& text, CorpusFormat format)
{
    Corpus corpus;
    corpus.format = format;
    std::vector<std::string> document;
    auto endDocument = [&] {
        if (!document.empty()) corpus.documents.push_back(std::move(document));
        document.clear();
    };
    const auto lines = splitLines(text);
    if (format == CorpusFormat::SentencePerLine) {
        for (std::string_view line : lines) {
            if (isBlankLine(line)) {
                endDocument();
            } else {
                std::string sentence = normalisedSpaces(line);
                if (!sentence.empty()) document.push_back(std::move(sentence));
            }
        }
        endDocument();
        return corpus;
    }
    std::string paragraph;
    int blankRun = 0;
    auto endParagraph = [&] {
        for (auto& s : splitSentences(paragraph)) document.push_back(std::move(s));
        paragraph.clear();
    };
    for (std::string_view line : lines) {
        const bool formFeed = line.find('\f') != std::string_view::npos;
        if (isBlankLine(line)) {
            endParagraph();
            ++blankRun;
            if (blankRun >= 2 || formFeed) endDocument();
            continue;
        }
        blankRun = 0;
        if (!paragraph.empty()) paragraph += ' ';
        paragraph.append(line);
    }
    endParagraph();
    endDocument();
    return corpus;
}

Corpus parseCorpus(const std::string& text) { return parseCorpus(text, detectCorpusFormat(text)); }

Corpus readCorpus(const std::string& path, std::optional<CorpusFormat> format)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open corpus " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw Error("cannot read corpus " + path);
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    // Validate UTF-8 line by line so the error can say where the damage is.
    int64_t lineNumber = 1;
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') {
            ++lineNumber;
            ++i;
            continue;
        }
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) throw Error(path + " line " + std::to_string(lineNumber) + ": invalid UTF-8");
        i += static_cast<size_t>(n);
    }
    Corpus corpus = format ? parseCorpus(text, *format) : parseCorpus(text);
    if (corpus.documents.empty()) throw Error("corpus " + path + " holds no text");
    return corpus;
}

} // namespace bertlab
