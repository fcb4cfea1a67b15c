// A WordPiece vocabulary: one token per line, the line number is the id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bertlab {

class Vocab {
public:
    Vocab() = default;
    explicit Vocab(std::vector<std::string> tokens);  // throws Error on duplicates/empty

    static Vocab fromFile(const std::string& path);  // with or without final newline, CRLF ok
    void saveToFile(const std::string& path) const;

    int size() const { return static_cast<int>(tokens_.size()); }
    std::optional<int> find(const std::string& token) const;
    int lookup(std::string_view token) const;  // -1 when absent; no allocation, for hot loops
    const std::string& token(int id) const { return tokens_.at(static_cast<size_t>(id)); }
    const std::vector<std::string>& tokens() const { return tokens_; }

    // Special ids are looked up by name; a vocab without one throws Error when it is asked for.
    int padId() const;
    int unkId() const;
    int clsId() const;
    int sepId() const;
    int maskId() const;
    bool isSpecial(int id) const;  // [PAD] [UNK] [CLS] [SEP] [MASK]

private:
    // Transparent hashing lets the tokenizer look up string_views without building strings.
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    int requireSpecial(const char* name) const;
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> index_;
};

} // namespace bertlab
