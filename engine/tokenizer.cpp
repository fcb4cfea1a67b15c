// BERT's basic tokenizer and greedy WordPiece, keeping an alignment from every piece to the input.
#include "tokenizer.h"

#include "error.h"

#include <utf8proc.h>

#include <algorithm>

namespace bertlab {

// Basic tokens as ranges over one flat buffer of normalized code points, so that tokenizing a
// text allocates a handful of vectors rather than a string per character or per word.
struct Tokenizer::Normalized {
    struct Token {
        int begin = 0;       // range [begin, end) in chars
        int end = 0;
        int origBegin = 0;   // code-point span in the original text
        int origEnd = 0;
        int neverSplit = -1; // index into neverSplit_ for a token kept whole
    };
    std::vector<char32_t> chars;  // lower-cased / accent-stripped text of all normal tokens
    std::vector<int> origin;      // for each of chars, the code-point index it came from
    std::vector<Token> tokens;
};

namespace {

utf8proc_category_t category(char32_t c)
{
    return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

// BERT's _is_control: every "C*" category (which includes unassigned and private-use code
// points), except the three ASCII controls it treats as whitespace.
bool isControl(char32_t c)
{
    if (c == '\t' || c == '\n' || c == '\r') return false;
    if (c >= 0x20 && c < 0x7F) return false;
    switch (category(c)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
        return true;
    default:
        return false;
    }
}

// BERT maps these to spaces; Python's str.split() then also breaks on U+2028 and U+2029, the only
// characters it treats as white space that survive cleaning without being Zs.
bool isSeparator(char32_t c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) return true;
    return c > 0x7F && category(c) == UTF8PROC_CATEGORY_ZS;
}

// ASCII symbols such as $ + < ^ ` | are not Unicode P* but BERT splits them like punctuation.
bool isPunctuation(char32_t c)
{
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
        return true;
    if (c < 0x80) return false;
    utf8proc_category_t cat = category(c);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

// The CJK Unified Ideographs blocks BERT isolates; Hangul, kana etc. are deliberately not here.
bool isCjk(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
           (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// Unicode "Cased", approximated from the general category and utf8proc's case tables.
bool isCased(char32_t c)
{
    utf8proc_category_t cat = category(c);
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT)
        return true;
    auto u = static_cast<utf8proc_int32_t>(c);
    return utf8proc_islower(u) || utf8proc_isupper(u);
}

// Unicode "Case_Ignorable": Mn Me Cf Lm Sk plus the Word_Break MidLetter/MidNumLet/Single_Quote set.
bool isCaseIgnorable(char32_t c)
{
    switch (c) {
    case 0x27: case 0x2E: case 0x3A: case 0xB7: case 0x387: case 0x55F: case 0x5F4:
    case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52: case 0xFE55:
    case 0xFF07: case 0xFF0E: case 0xFF1A:
        return true;
    default:
        break;
    }
    switch (category(c)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_SK:
        return true;
    default:
        return false;
    }
}

// Python's str.lower() (which BERT applies per whitespace word) turns a capital sigma at the end
// of a word into final sigma; utf8proc only has the context-free mapping.
bool isFinalSigma(const std::vector<char32_t>& word, size_t i)
{
    size_t j = i;
    while (j > 0 && isCaseIgnorable(word[j - 1])) --j;
    if (j == 0 || !isCased(word[j - 1])) return false;
    size_t k = i + 1;
    while (k < word.size() && isCaseIgnorable(word[k])) ++k;
    return k == word.size() || !isCased(word[k]);
}

int combiningClass(char32_t c)
{
    return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class;
}

void appendUtf8(std::string& out, char32_t c)
{
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

int countCodePoints(const std::string& s)
{
    int n = 0;
    for (unsigned char b : s)
        if ((b & 0xC0) != 0x80) ++n;
    return n;
}

} // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Vocab> vocab, bool lowerCase)
    : vocab_(std::move(vocab)), lowerCase_(lowerCase)
{
    if (!vocab_ || vocab_->size() == 0) throw Error("the tokenizer needs a non-empty vocabulary");
    unkId_ = vocab_->lookup("[UNK]");
    for (const std::string& t : vocab_->tokens()) maxTokenBytes_ = std::max(maxTokenBytes_, t.size());
    std::vector<std::string> specials;
    for (const char* name : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
        if (vocab_->lookup(name) >= 0) specials.emplace_back(name);
    setNeverSplit(std::move(specials));
}

void Tokenizer::setNeverSplit(std::vector<std::string> tokens)
{
    for (const std::string& t : tokens) {
        if (t.empty()) throw Error("a never-split token cannot be empty");
        if (vocab_->lookup(t) < 0) throw Error("never-split token \"" + t + "\" is not in the vocabulary");
    }
    std::sort(tokens.begin(), tokens.end(), [](const std::string& x, const std::string& y) {
        return x.size() != y.size() ? x.size() > y.size() : x < y;
    });
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    neverSplit_ = std::move(tokens);
    neverSplitLead_.fill(false);
    for (const std::string& t : neverSplit_) neverSplitLead_[static_cast<unsigned char>(t[0])] = true;
}

void Tokenizer::normalize(const std::string& text, Normalized& out) const
{
    out.chars.clear();
    out.origin.clear();
    out.tokens.clear();
    out.chars.reserve(text.size());
    out.origin.reserve(text.size());

    // The current whitespace-delimited word after cleaning, before case and accent handling.
    std::vector<char32_t> word;
    std::vector<int> wordOrigin;

    auto pushToken = [&out](size_t begin, size_t end) {
        Normalized::Token t;
        t.begin = static_cast<int>(begin);
        t.end = static_cast<int>(end);
        const auto [lo, hi] = std::minmax_element(out.origin.begin() + static_cast<long>(begin),
                                                  out.origin.begin() + static_cast<long>(end));
        t.origBegin = *lo;
        t.origEnd = *hi + 1;
        out.tokens.push_back(t);
    };

    auto flushWord = [&]() {
        if (word.empty()) return;
        const size_t start = out.chars.size();
        if (lowerCase_) {
            // Lower-case, then NFD, then drop Mn, as BERT does; U+0130 maps to plain "i" here
            // where Python gives "i" + U+0307, which the Mn step removes anyway.
            for (size_t k = 0; k < word.size(); ++k) {
                char32_t c = word[k];
                if (c < 0x80) {  // most text: no decomposition, no marks, trivial case mapping
                    out.chars.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
                    out.origin.push_back(wordOrigin[k]);
                    continue;
                }
                char32_t lower = c == 0x3A3 ? (isFinalSigma(word, k) ? 0x3C2 : 0x3C3)
                                            : static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
                utf8proc_int32_t parts[8];
                int boundclass = 0;
                utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(lower), parts, 8,
                                                             UTF8PROC_DECOMPOSE, &boundclass);
                if (n < 1 || n > 8) {
                    parts[0] = static_cast<utf8proc_int32_t>(lower);
                    n = 1;
                }
                for (utf8proc_ssize_t j = 0; j < n; ++j) {
                    out.chars.push_back(static_cast<char32_t>(parts[j]));
                    out.origin.push_back(wordOrigin[k]);
                }
            }
            // NFD also puts runs of combining marks in canonical order; decomposing one
            // character at a time does not, so sort each run here (stable, by class).
            for (size_t r = start + 1; r < out.chars.size(); ++r) {
                if (out.chars[r] < 0x300) continue;  // nothing below U+0300 combines
                int cls = combiningClass(out.chars[r]);
                if (cls == 0) continue;
                for (size_t j = r; j > start && combiningClass(out.chars[j - 1]) > cls; --j) {
                    std::swap(out.chars[j - 1], out.chars[j]);
                    std::swap(out.origin[j - 1], out.origin[j]);
                }
            }
            size_t kept = start;
            for (size_t r = start; r < out.chars.size(); ++r) {
                if (out.chars[r] >= 0x300 && category(out.chars[r]) == UTF8PROC_CATEGORY_MN) continue;
                out.chars[kept] = out.chars[r];
                out.origin[kept] = out.origin[r];
                ++kept;
            }
            out.chars.resize(kept);
            out.origin.resize(kept);
        } else {
            out.chars.insert(out.chars.end(), word.begin(), word.end());
            out.origin.insert(out.origin.end(), wordOrigin.begin(), wordOrigin.end());
        }
        size_t tokenStart = start;
        for (size_t r = start; r < out.chars.size(); ++r) {
            if (!isPunctuation(out.chars[r])) continue;
            if (r > tokenStart) pushToken(tokenStart, r);
            pushToken(r, r + 1);
            tokenStart = r + 1;
        }
        if (out.chars.size() > tokenStart) pushToken(tokenStart, out.chars.size());
        word.clear();
        wordOrigin.clear();
    };

    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    const size_t size = text.size();
    size_t pos = 0;
    int index = 0;  // code points consumed so far
    while (pos < size) {
        // Like Hugging Face's added tokens, never-split tokens are found in the raw text before
        // any cleaning, so "[MASK]." and "x[MASK]" keep the whole [MASK].
        if (neverSplitLead_[bytes[pos]]) {
            int match = -1;
            for (size_t k = 0; k < neverSplit_.size(); ++k) {
                const std::string& t = neverSplit_[k];
                if (text.compare(pos, t.size(), t) == 0) {
                    match = static_cast<int>(k);
                    break;
                }
            }
            if (match >= 0) {
                flushWord();
                const std::string& t = neverSplit_[static_cast<size_t>(match)];
                Normalized::Token tok;
                tok.origBegin = index;
                index += countCodePoints(t);
                tok.origEnd = index;
                tok.neverSplit = match;
                out.tokens.push_back(tok);
                pos += t.size();
                continue;
            }
        }
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(size - pos), &cp);
        if (n <= 0) throw Error("text is not valid UTF-8 (bad byte at offset " + std::to_string(pos) + ")");
        pos += static_cast<size_t>(n);
        const int here = index++;
        const auto c = static_cast<char32_t>(cp);
        if (c == 0 || c == 0xFFFD || isControl(c)) continue;
        if (isSeparator(c)) {
            flushWord();
        } else if (isCjk(c)) {
            flushWord();
            word.push_back(c);
            wordOrigin.push_back(here);
            flushWord();
        } else {
            word.push_back(c);
            wordOrigin.push_back(here);
        }
    }
    flushWord();
}

std::vector<std::string> Tokenizer::basicTokens(const std::string& text) const
{
    Normalized norm;
    normalize(text, norm);
    std::vector<std::string> out;
    out.reserve(norm.tokens.size());
    for (const Normalized::Token& t : norm.tokens) {
        if (t.neverSplit >= 0) {
            out.push_back(neverSplit_[static_cast<size_t>(t.neverSplit)]);
            continue;
        }
        std::string s;
        for (int k = t.begin; k < t.end; ++k) appendUtf8(s, norm.chars[static_cast<size_t>(k)]);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<WordPiece> Tokenizer::tokenize(const std::string& text) const
{
    Normalized norm;
    normalize(text, norm);

    std::vector<WordPiece> out;
    out.reserve(norm.tokens.size() + norm.tokens.size() / 2);
    auto pushUnknown = [&](int begin, int end) {
        if (unkId_ < 0) throw Error("the vocabulary has no [UNK] token");
        out.push_back(WordPiece{vocab_->token(unkId_), unkId_, begin, end});
    };

    std::string word;              // UTF-8 of the current basic token
    std::vector<size_t> byteAt;    // byte offset of each of its code points, plus the end
    std::string candidate;         // "##" + the rest of the word from the current piece start
    std::vector<std::pair<int, int>> pieces;  // (id, end code point) of the pieces found
    for (const Normalized::Token& t : norm.tokens) {
        if (t.neverSplit >= 0) {
            const std::string& s = neverSplit_[static_cast<size_t>(t.neverSplit)];
            out.push_back(WordPiece{s, vocab_->lookup(s), t.origBegin, t.origEnd});
            continue;
        }
        const int length = t.end - t.begin;
        if (length > kMaxWordChars) {
            pushUnknown(t.origBegin, t.origEnd);
            continue;
        }
        word.clear();
        byteAt.clear();
        for (int k = t.begin; k < t.end; ++k) {
            byteAt.push_back(word.size());
            appendUtf8(word, norm.chars[static_cast<size_t>(k)]);
        }
        byteAt.push_back(word.size());

        // Greedy longest match first; one unmatched remainder turns the whole word into [UNK].
        pieces.clear();
        bool unknown = false;
        for (int start = 0; start < length;) {
            const size_t prefix = start > 0 ? 2 : 0;
            candidate.assign("##", prefix);
            candidate.append(word, byteAt[static_cast<size_t>(start)]);
            int id = -1;
            int end = length;
            for (; end > start; --end) {
                const size_t bytes = prefix + byteAt[static_cast<size_t>(end)] - byteAt[static_cast<size_t>(start)];
                if (bytes > maxTokenBytes_) continue;
                id = vocab_->lookup(std::string_view(candidate.data(), bytes));
                if (id >= 0) break;
            }
            if (id < 0) {
                unknown = true;
                break;
            }
            pieces.emplace_back(id, end);
            start = end;
        }
        if (unknown) {
            pushUnknown(t.origBegin, t.origEnd);
            continue;
        }
        int start = 0;
        for (const auto& [id, end] : pieces) {
            // Origins only go backwards where canonical reordering swapped two combining marks,
            // so min/max equals first/last everywhere else and never yields an inverted span.
            int begin = norm.origin[static_cast<size_t>(t.begin + start)];
            int last = begin;
            for (int k = t.begin + start; k < t.begin + end; ++k) {
                begin = std::min(begin, norm.origin[static_cast<size_t>(k)]);
                last = std::max(last, norm.origin[static_cast<size_t>(k)]);
            }
            out.push_back(WordPiece{vocab_->token(id), id, begin, last + 1});
            start = end;
        }
    }
    return out;
}

Encoding Tokenizer::encode(const std::string& a, const std::string* b, int maxLength) const
{
    const int cls = vocab_->clsId();
    const int sep = vocab_->sepId();
    const int specials = b ? 3 : 2;
    if (maxLength < 0) throw Error("maxLength cannot be negative");
    if (maxLength > 0 && maxLength < specials + (b ? 2 : 1))
        throw Error("maxLength " + std::to_string(maxLength) + " leaves no room for the text (needs at least " +
                    std::to_string(specials + (b ? 2 : 1)) + ")");

    std::vector<WordPiece> first = tokenize(a);
    std::vector<WordPiece> second;
    if (b) second = tokenize(*b);

    Encoding enc;
    if (maxLength > 0) {
        // Hugging Face's (and Google's) longest_first: drop one token at a time from the end of
        // the longer sequence, from the second one when they are equally long.
        const size_t budget = static_cast<size_t>(maxLength - specials);
        while (first.size() + second.size() > budget) {
            if (!b || first.size() > second.size())
                first.pop_back();
            else
                second.pop_back();
            enc.truncated = true;
        }
    }

    const size_t total = first.size() + second.size() + static_cast<size_t>(specials);
    enc.ids.reserve(total);
    enc.tokens.reserve(total);
    enc.typeIds.reserve(total);
    enc.offsets.reserve(total);
    enc.segment.reserve(total);
    enc.specialMask.reserve(total);
    auto addSpecial = [&](int id, int type) {
        enc.ids.push_back(id);
        enc.tokens.push_back(vocab_->token(id));
        enc.typeIds.push_back(type);
        enc.offsets.emplace_back(-1, -1);
        enc.segment.push_back(-1);
        enc.specialMask.push_back(true);
    };
    auto addPieces = [&](std::vector<WordPiece>& pieces, int type) {
        for (WordPiece& p : pieces) {
            enc.ids.push_back(p.id);
            enc.tokens.push_back(std::move(p.token));
            enc.typeIds.push_back(type);
            enc.offsets.emplace_back(p.begin, p.end);
            enc.segment.push_back(type);
            enc.specialMask.push_back(false);
        }
    };
    addSpecial(cls, 0);
    addPieces(first, 0);
    addSpecial(sep, 0);
    if (b) {
        addPieces(second, 1);
        addSpecial(sep, 1);
    }
    return enc;
}

bool Tokenizer::vocabLooksUncased(const Vocab& vocab)
{
    // Bracketed entries ([CLS], [unused0], ...) are markers, not words; cased BERT vocabs have
    // thousands of capitalised words, uncased ones none, so a tiny allowance covers added tokens.
    int upper = 0;
    for (const std::string& t : vocab.tokens()) {
        if (t.size() >= 2 && t.front() == '[' && t.back() == ']') continue;
        if (std::any_of(t.begin(), t.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) ++upper;
    }
    return static_cast<long>(upper) * 1000 < static_cast<long>(vocab.size());
}

} // namespace bertlab
