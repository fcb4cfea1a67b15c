// Loading, saving and querying a WordPiece vocabulary (vocab.txt, one token per line).
#include "vocab.h"

#include "error.h"

#include <utf8proc.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace bertlab {

namespace {

bool isValidUtf8(std::string_view s)
{
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    auto left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) return false;
        p += n;
        left -= n;
    }
    return true;
}

} // namespace

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens))
{
    if (tokens_.empty()) throw Error("vocabulary is empty");
    index_.reserve(tokens_.size());
    for (size_t i = 0; i < tokens_.size(); ++i) {
        const std::string& t = tokens_[i];
        // An empty or non-UTF-8 token can never be produced by the tokenizer, so it means a
        // corrupt file rather than a vocabulary choice.
        if (t.empty()) throw Error("vocabulary has an empty token at line " + std::to_string(i + 1));
        if (!isValidUtf8(t))
            throw Error("vocabulary token at line " + std::to_string(i + 1) + " is not valid UTF-8");
        auto [it, inserted] = index_.emplace(t, static_cast<int>(i));
        if (!inserted)
            throw Error("vocabulary token \"" + t + "\" appears twice (lines " +
                        std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
}

Vocab Vocab::fromFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open vocabulary file " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error("cannot read vocabulary file " + path);

    // A byte-order mark from a Windows editor would otherwise become part of token 0.
    size_t pos = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;

    std::vector<std::string> tokens;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        size_t end = nl == std::string::npos ? text.size() : nl;
        size_t stop = end;
        if (stop > pos && text[stop - 1] == '\r') --stop;
        tokens.emplace_back(text, pos, stop - pos);
        pos = end + 1;
    }
    // Blank lines at the very end carry no id anyone relies on; blank lines inside are errors.
    while (!tokens.empty() && tokens.back().empty()) tokens.pop_back();
    if (tokens.empty()) throw Error("vocabulary file " + path + " is empty");
    try {
        return Vocab(std::move(tokens));
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

void Vocab::saveToFile(const std::string& path) const
{
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("cannot write vocabulary file " + temp);
        for (const std::string& t : tokens_) {
            out.write(t.data(), static_cast<std::streamsize>(t.size()));
            out.put('\n');
        }
        out.flush();
        if (!out) {
            out.close();
            std::remove(temp.c_str());
            throw Error("cannot write vocabulary file " + temp);
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw Error("cannot rename " + temp + " to " + path + ": " + ec.message());
    }
}

std::optional<int> Vocab::find(const std::string& token) const
{
    auto it = index_.find(token);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

int Vocab::lookup(std::string_view token) const
{
    auto it = index_.find(token);
    return it == index_.end() ? -1 : it->second;
}

int Vocab::requireSpecial(const char* name) const
{
    int id = lookup(name);
    if (id < 0) throw Error(std::string("the vocabulary has no ") + name + " token");
    return id;
}

int Vocab::padId() const { return requireSpecial("[PAD]"); }
int Vocab::unkId() const { return requireSpecial("[UNK]"); }
int Vocab::clsId() const { return requireSpecial("[CLS]"); }
int Vocab::sepId() const { return requireSpecial("[SEP]"); }
int Vocab::maskId() const { return requireSpecial("[MASK]"); }

bool Vocab::isSpecial(int id) const
{
    if (id < 0 || id >= size()) return false;
    const std::string& t = tokens_[static_cast<size_t>(id)];
    return t == "[PAD]" || t == "[UNK]" || t == "[CLS]" || t == "[SEP]" || t == "[MASK]";
}

} // namespace bertlab
