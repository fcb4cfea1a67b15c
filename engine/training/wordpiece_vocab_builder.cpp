// WordPiece vocabulary training: characters first, then the most frequent adjacent-piece merges.
#include "training/wordpiece_vocab_builder.h"

#include "error.h"
#include "tokenizer.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>

namespace bertlab {

namespace {

constexpr int kMaxWordChars = 100;  // BERT's tokenizer maps longer words to [UNK] whatever the vocab
constexpr int kBertLayoutMinSize = 2000;
const char* const kSpecials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

// Byte lengths of the UTF-8 code points of a valid UTF-8 string.
std::vector<std::string> codePoints(const std::string& word)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < word.size()) {
        const auto c = static_cast<unsigned char>(word[i]);
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        n = std::min(n, word.size() - i);
        out.push_back(word.substr(i, n));
        i += n;
    }
    return out;
}

uint64_t pairKey(int a, int b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }
int pairLeft(uint64_t key) { return static_cast<int>(key >> 32); }
int pairRight(uint64_t key) { return static_cast<int>(key & 0xFFFFFFFFu); }

struct Word {
    std::vector<int> symbols;
    int64_t count = 0;
};

} // namespace

std::vector<std::string> reservedTokens(int size, SpecialLayout layout)
{
    if (layout == SpecialLayout::Auto) layout = size >= kBertLayoutMinSize ? SpecialLayout::Bert : SpecialLayout::Compact;
    std::vector<std::string> tokens;
    if (layout == SpecialLayout::Compact) {
        for (const char* s : kSpecials) tokens.emplace_back(s);
        return tokens;
    }
    tokens.emplace_back("[PAD]");
    for (int i = 0; i < 99; ++i) tokens.push_back("[unused" + std::to_string(i) + "]");
    tokens.emplace_back("[UNK]");
    tokens.emplace_back("[CLS]");
    tokens.emplace_back("[SEP]");
    tokens.emplace_back("[MASK]");
    return tokens;
}

WordPieceVocabBuilder::WordPieceVocabBuilder(VocabBuilderOptions options) : options_(options)
{
    if (options_.size < 1 || options_.size > 1000000)
        throw Error("vocabulary size must be between 1 and 1,000,000, got " + std::to_string(options_.size));
    if (options_.minFrequency < 1) throw Error("minimum merge frequency must be at least 1");
    const auto reserved = reservedTokens(options_.size, options_.layout);
    if (static_cast<int>(reserved.size()) >= options_.size)
        throw Error("vocabulary size " + std::to_string(options_.size) + " leaves no room after the " +
                    std::to_string(reserved.size()) + " special tokens");
    // The specials are the tokenizer's never-split tokens: with them in this small vocabulary the
    // basic split keeps a literal "[MASK]" whole exactly as the final tokenizer will.
    std::vector<std::string> specials(std::begin(kSpecials), std::end(kSpecials));
    splitter_ = std::make_unique<Tokenizer>(std::make_shared<const Vocab>(specials), options_.lowerCase);
}

WordPieceVocabBuilder::~WordPieceVocabBuilder() = default;

void WordPieceVocabBuilder::addText(const std::string& text)
{
    for (auto& token : splitter_->basicTokens(text)) {
        if (std::find(std::begin(kSpecials), std::end(kSpecials), token) != std::end(kSpecials)) continue;
        ++totalWords_;
        ++wordCounts_[std::move(token)];
    }
}

void WordPieceVocabBuilder::addCorpus(const Corpus& corpus)
{
    for (const auto& doc : corpus.documents)
        for (const auto& sentence : doc) addText(sentence);
}

Vocab WordPieceVocabBuilder::build() const
{
    std::vector<std::string> vocab = reservedTokens(options_.size, options_.layout);
    const size_t target = static_cast<size_t>(options_.size);
    std::set<std::string> inVocab(vocab.begin(), vocab.end());

    // Symbols are interned; words are sorted so nothing depends on hash-table order.
    std::vector<std::string> symbolText;
    std::unordered_map<std::string, int> symbolId;
    auto intern = [&](const std::string& s) {
        auto [it, added] = symbolId.emplace(s, static_cast<int>(symbolText.size()));
        if (added) symbolText.push_back(s);
        return it->second;
    };
    std::vector<std::pair<std::string, int64_t>> sortedWords(wordCounts_.begin(), wordCounts_.end());
    std::sort(sortedWords.begin(), sortedWords.end());
    std::vector<Word> words;
    std::map<std::string, int64_t> alphabet;  // character piece -> frequency
    for (const auto& [text, count] : sortedWords) {
        const auto chars = codePoints(text);
        if (chars.empty() || static_cast<int>(chars.size()) > kMaxWordChars) continue;
        Word w;
        w.count = count;
        for (size_t i = 0; i < chars.size(); ++i) {
            const std::string piece = i == 0 ? chars[i] : "##" + chars[i];
            alphabet[piece] += count;
            w.symbols.push_back(intern(piece));
        }
        words.push_back(std::move(w));
    }

    // Characters first; if they do not all fit, the most frequent ones win.
    std::vector<std::pair<std::string, int64_t>> chars(alphabet.begin(), alphabet.end());
    const size_t room = target - vocab.size();
    if (chars.size() > room) {
        std::stable_sort(chars.begin(), chars.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
        chars.resize(room);
    }
    std::vector<std::string> plain, continuation;
    for (const auto& [piece, count] : chars) {
        if (inVocab.count(piece)) continue;
        (piece.rfind("##", 0) == 0 ? continuation : plain).push_back(piece);
    }
    std::sort(plain.begin(), plain.end());
    std::sort(continuation.begin(), continuation.end());
    for (auto* group : {&plain, &continuation})
        for (const auto& piece : *group) {
            vocab.push_back(piece);
            inVocab.insert(piece);
        }

    // Pair statistics: how often each adjacent pair occurs, and which words hold it.
    std::unordered_map<uint64_t, int64_t> pairCount;
    std::unordered_map<uint64_t, std::vector<int>> pairWords;
    for (size_t w = 0; w < words.size(); ++w) {
        const auto& s = words[w].symbols;
        for (size_t i = 0; i + 1 < s.size(); ++i) {
            const uint64_t key = pairKey(s[i], s[i + 1]);
            pairCount[key] += words[w].count;
            auto& list = pairWords[key];
            if (list.empty() || list.back() != static_cast<int>(w)) list.push_back(static_cast<int>(w));
        }
    }
    struct Candidate {
        int64_t count;
        uint64_t key;
    };
    // Highest count first; equal counts by the byte order of (left, right).
    auto lowerPriority = [&symbolText](const Candidate& x, const Candidate& y) {
        if (x.count != y.count) return x.count < y.count;
        const std::string& xl = symbolText[static_cast<size_t>(pairLeft(x.key))];
        const std::string& yl = symbolText[static_cast<size_t>(pairLeft(y.key))];
        if (xl != yl) return xl > yl;
        return symbolText[static_cast<size_t>(pairRight(x.key))] > symbolText[static_cast<size_t>(pairRight(y.key))];
    };
    std::priority_queue<Candidate, std::vector<Candidate>, decltype(lowerPriority)> heap(lowerPriority);
    {
        // Pushed in key order so the heap's contents never depend on hash-table iteration order.
        std::vector<std::pair<uint64_t, int64_t>> initial(pairCount.begin(), pairCount.end());
        std::sort(initial.begin(), initial.end());
        for (const auto& [key, count] : initial) heap.push({count, key});
    }

    std::vector<int> seenAt(words.size(), -1);
    std::unordered_map<uint64_t, int64_t> delta;
    int mergeIndex = 0;
    while (vocab.size() < target && !heap.empty()) {
        const Candidate top = heap.top();
        heap.pop();
        auto current = pairCount.find(top.key);
        if (current == pairCount.end() || current->second != top.count) continue;  // stale entry
        if (top.count < options_.minFrequency) break;
        const int a = pairLeft(top.key), b = pairRight(top.key);
        const std::string& right = symbolText[static_cast<size_t>(b)];
        std::string merged = symbolText[static_cast<size_t>(a)] + (right.rfind("##", 0) == 0 ? right.substr(2) : right);
        const int c = intern(merged);
        if (inVocab.insert(merged).second) vocab.push_back(merged);

        std::vector<int> affected = std::move(pairWords[top.key]);
        pairWords.erase(top.key);
        delta.clear();
        for (int w : affected) {
            if (seenAt[static_cast<size_t>(w)] == mergeIndex) continue;
            seenAt[static_cast<size_t>(w)] = mergeIndex;
            Word& word = words[static_cast<size_t>(w)];
            auto& s = word.symbols;
            bool holds = false;
            for (size_t i = 0; i + 1 < s.size() && !holds; ++i) holds = s[i] == a && s[i + 1] == b;
            if (!holds) continue;
            for (size_t i = 0; i + 1 < s.size(); ++i) delta[pairKey(s[i], s[i + 1])] -= word.count;
            std::vector<int> next;
            next.reserve(s.size());
            for (size_t i = 0; i < s.size();) {
                if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
                    next.push_back(c);
                    i += 2;
                } else {
                    next.push_back(s[i]);
                    ++i;
                }
            }
            s = std::move(next);
            for (size_t i = 0; i + 1 < s.size(); ++i) {
                const uint64_t key = pairKey(s[i], s[i + 1]);
                delta[key] += word.count;
                if (s[i] == c || s[i + 1] == c) {
                    auto& list = pairWords[key];
                    if (list.empty() || list.back() != w) list.push_back(w);
                }
            }
        }
        std::vector<std::pair<uint64_t, int64_t>> changes(delta.begin(), delta.end());
        std::sort(changes.begin(), changes.end());
        for (const auto& [key, d] : changes) {
            if (d == 0) continue;
            const int64_t updated = (pairCount[key] += d);
            if (updated <= 0) {
                pairCount.erase(key);
                pairWords.erase(key);
            } else {
                heap.push({updated, key});
            }
        }
        ++mergeIndex;
    }

    // Out of merges: placeholders keep the size exact and leave room for tokens added later.
    for (int n = (vocab.size() > 100 && vocab[1] == "[unused0]") ? 99 : 0; vocab.size() < target; ++n) {
        std::string filler = "[unused" + std::to_string(n) + "]";
        if (inVocab.insert(filler).second) vocab.push_back(std::move(filler));
    }
    return Vocab(std::move(vocab));
}

Vocab buildWordPieceVocab(const Corpus& corpus, const VocabBuilderOptions& options)
{
    WordPieceVocabBuilder builder(options);
    builder.addCorpus(corpus);
    return builder.build();
}

} // namespace bertlab
