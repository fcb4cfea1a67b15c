// JSONL reading and writing of pretraining examples, with line-numbered one-line errors.
#include "training/pretraining_example.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>
#include <string_view>
#include <unistd.h>

namespace bertlab {

namespace {

void appendInts(std::string& out, const char* key, const std::vector<int>& values)
{
    out += '"';
    out += key;
    out += "\": [";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(values[i]);
    }
    out += ']';
}

std::vector<int> intArray(const nlohmann::json& object, const char* key)
{
    auto it = object.find(key);
    if (it == object.end()) throw Error(std::string("missing \"") + key + "\"");
    if (!it->is_array()) throw Error(std::string("\"") + key + "\" is not an array");
    std::vector<int> values;
    values.reserve(it->size());
    for (const auto& v : *it) {
        if (!v.is_number_integer())
            throw Error(std::string("\"") + key + "\" holds something other than whole numbers");
        const auto n = v.get<int64_t>();
        if (n < 0) throw Error(std::string("\"") + key + "\" holds a negative id " + std::to_string(n));
        if (n > std::numeric_limits<int>::max())
            throw Error(std::string("\"") + key + "\" holds a value too large: " + std::to_string(n));
        values.push_back(static_cast<int>(n));
    }
    return values;
}

bool isBlank(const std::string& line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

std::string tempNameFor(const std::string& path)
{
    return path + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
}

// A parser for the plain shape every writer produces (one flat object, five known keys, whole
// non-negative numbers, no escapes): about ten times faster than building a JSON document. Anything
// else returns false and goes to nlohmann::json, which also words the error messages.
class FastLineParser {
public:
    explicit FastLineParser(const std::string& line) : p_(line.data()), end_(line.data() + line.size()) {}

    bool parse(PretrainingExample& e)
    {
        skipSpace();
        if (!take('{')) return false;
        unsigned seen = 0;
        for (;;) {
            skipSpace();
            std::string_view key;
            if (!parseKey(key)) return false;
            skipSpace();
            if (!take(':')) return false;
            skipSpace();
            unsigned bit = 0;
            bool ok = false;
            if (key == "input_ids") {
                bit = 1, ok = parseInts(e.inputIds);
            } else if (key == "token_type_ids") {
                bit = 2, ok = parseInts(e.tokenTypeIds);
            } else if (key == "masked_positions") {
                bit = 4, ok = parseInts(e.maskedPositions);
            } else if (key == "masked_ids") {
                bit = 8, ok = parseInts(e.maskedIds);
            } else if (key == "is_random_next") {
                bit = 16, ok = parseBool(e.isRandomNext);
            }
            if (!ok || (seen & bit)) return false;
            seen |= bit;
            skipSpace();
            if (take(',')) continue;
            if (take('}')) break;
            return false;
        }
        skipSpace();
        return p_ == end_ && seen == 31;
    }

private:
    void skipSpace()
    {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
    }
    bool take(char c)
    {
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    bool parseKey(std::string_view& key)
    {
        if (!take('"')) return false;
        const char* start = p_;
        while (p_ < end_ && *p_ != '"') {
            if (*p_ == '\\') return false;
            ++p_;
        }
        if (p_ == end_) return false;
        key = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
    }
    bool parseInts(std::vector<int>& out)
    {
        out.clear();
        if (!take('[')) return false;
        skipSpace();
        if (take(']')) return true;
        for (;;) {
            const char* start = p_;
            int64_t value = 0;
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
                value = value * 10 + (*p_ - '0');
                if (value > std::numeric_limits<int>::max()) return false;
                ++p_;
            }
            const auto digits = p_ - start;
            if (digits == 0 || (digits > 1 && *start == '0')) return false;
            out.push_back(static_cast<int>(value));
            skipSpace();
            if (take(',')) {
                skipSpace();
                continue;
            }
            return take(']');
        }
    }
    bool parseBool(bool& out)
    {
        const std::string_view rest(p_, static_cast<size_t>(end_ - p_));
        if (rest.substr(0, 4) == "true") {
            out = true;
            p_ += 4;
            return true;
        }
        if (rest.substr(0, 5) == "false") {
            out = false;
            p_ += 5;
            return true;
        }
        return false;
    }

    const char* p_;
    const char* end_;
};

} // namespace

std::string exampleToJson(const PretrainingExample& example)
{
    std::string out;
    out.reserve(16 + 8 * (example.inputIds.size() * 2 + example.maskedIds.size() * 2) + 128);
    out += '{';
    appendInts(out, "input_ids", example.inputIds);
    out += ", ";
    appendInts(out, "token_type_ids", example.tokenTypeIds);
    out += ", ";
    appendInts(out, "masked_positions", example.maskedPositions);
    out += ", ";
    appendInts(out, "masked_ids", example.maskedIds);
    out += ", \"is_random_next\": ";
    out += example.isRandomNext ? "true" : "false";
    out += '}';
    return out;
}

void validateExample(const PretrainingExample& e, int vocabSize)
{
    const size_t n = e.inputIds.size();
    if (n == 0) throw Error("\"input_ids\" is empty");
    if (e.tokenTypeIds.size() != n)
        throw Error("\"token_type_ids\" has " + std::to_string(e.tokenTypeIds.size()) +
                    " entries but \"input_ids\" has " + std::to_string(n));
    if (e.maskedPositions.size() != e.maskedIds.size())
        throw Error("\"masked_positions\" has " + std::to_string(e.maskedPositions.size()) +
                    " entries but \"masked_ids\" has " + std::to_string(e.maskedIds.size()));
    for (int t : e.tokenTypeIds)
        if (t != 0 && t != 1) throw Error("\"token_type_ids\" holds " + std::to_string(t) + " (only 0 or 1)");
    int previous = -1;
    for (int p : e.maskedPositions) {
        if (p < 0 || static_cast<size_t>(p) >= n)
            throw Error("masked position " + std::to_string(p) + " is out of range for " +
                        std::to_string(n) + " tokens");
        if (p <= previous) throw Error("\"masked_positions\" are not strictly increasing");
        previous = p;
    }
    auto checkIds = [vocabSize](const std::vector<int>& ids, const char* key) {
        for (int id : ids) {
            if (id < 0) throw Error(std::string("\"") + key + "\" holds a negative id " + std::to_string(id));
            if (vocabSize > 0 && id >= vocabSize)
                throw Error(std::string("\"") + key + "\" holds id " + std::to_string(id) +
                            ", outside the vocabulary of " + std::to_string(vocabSize));
        }
    };
    checkIds(e.inputIds, "input_ids");
    checkIds(e.maskedIds, "masked_ids");
}

PretrainingExample exampleFromJson(const std::string& line, int vocabSize)
{
    {
        PretrainingExample e;
        if (FastLineParser(line).parse(e)) {
            validateExample(e, vocabSize);
            return e;
        }
    }
    nlohmann::json object;
    try {
        object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error("not valid JSON (at byte " + std::to_string(e.byte) + ")");
    }
    if (!object.is_object()) throw Error("not a JSON object");
    PretrainingExample e;
    e.inputIds = intArray(object, "input_ids");
    e.tokenTypeIds = intArray(object, "token_type_ids");
    e.maskedPositions = intArray(object, "masked_positions");
    e.maskedIds = intArray(object, "masked_ids");
    auto it = object.find("is_random_next");
    if (it == object.end()) throw Error("missing \"is_random_next\"");
    if (!it->is_boolean()) throw Error("\"is_random_next\" is not true or false");
    e.isRandomNext = it->get<bool>();
    validateExample(e, vocabSize);
    return e;
}

void writeExamplesJsonl(const std::string& path, const std::vector<PretrainingExample>& examples)
{
    ExampleJsonlWriter writer(path);
    for (const auto& e : examples) writer.write(e);
    writer.commit();
}

std::vector<PretrainingExample> readExamplesJsonl(const std::string& path, int vocabSize)
{
    ExampleJsonlReader reader(path, vocabSize);
    std::vector<PretrainingExample> examples;
    PretrainingExample e;
    while (reader.next(e)) examples.push_back(std::move(e));
    return examples;
}

// ---- writer ----

ExampleJsonlWriter::ExampleJsonlWriter(const std::string& path) : path_(path), tempPath_(tempNameFor(path))
{
    out_.open(tempPath_, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error("cannot write " + path + " (cannot create " + tempPath_ + ")");
}

ExampleJsonlWriter::~ExampleJsonlWriter()
{
    if (!committed_) {
        out_.close();
        std::remove(tempPath_.c_str());
    }
}

void ExampleJsonlWriter::write(const PretrainingExample& example)
{
    if (committed_) throw Error("example file " + path_ + " is already complete");
    validateExample(example);
    out_ << exampleToJson(example) << '\n';
    if (!out_) throw Error("cannot write " + tempPath_ + " (disk full?)");
    ++count_;
}

void ExampleJsonlWriter::commit()
{
    if (committed_) return;
    out_.flush();
    out_.close();
    if (out_.fail()) throw Error("cannot write " + tempPath_ + " (disk full?)");
    if (std::rename(tempPath_.c_str(), path_.c_str()) != 0)
        throw Error("cannot rename " + tempPath_ + " to " + path_);
    committed_ = true;
}

// ---- reader ----

ExampleJsonlReader::ExampleJsonlReader(const std::string& path, int vocabSize)
    : path_(path), vocabSize_(vocabSize), in_(path, std::ios::binary)
{
    if (!in_) throw Error("cannot open example file " + path);
}

bool ExampleJsonlReader::nextLine(std::string& line)
{
    while (std::getline(in_, line)) {
        ++lineNumber_;
        if (!isBlank(line)) return true;
    }
    return false;
}

bool ExampleJsonlReader::next(PretrainingExample& out)
{
    std::string line;
    if (!nextLine(line)) return false;
    try {
        out = exampleFromJson(line, vocabSize_);
    } catch (const Error& e) {
        throw Error(path_ + " line " + std::to_string(lineNumber_) + ": " + e.what());
    }
    ++position_;
    return true;
}

void ExampleJsonlReader::buildIndex()
{
    if (indexed_) return;
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw Error("cannot open example file " + path_);
    std::string line;
    int64_t lineNumber = 0;
    std::streamoff offset = 0;
    while (std::getline(in, line)) {
        if (!isBlank(line)) index_.emplace_back(offset, lineNumber);
        ++lineNumber;
        offset += static_cast<std::streamoff>(line.size()) + 1;
    }
    indexed_ = true;
}

int64_t ExampleJsonlReader::count()
{
    buildIndex();
    return static_cast<int64_t>(index_.size());
}

void ExampleJsonlReader::seek(int64_t k)
{
    buildIndex();
    if (k < 0 || k > static_cast<int64_t>(index_.size()))
        throw Error(path_ + " has " + std::to_string(index_.size()) + " examples, cannot seek to example " +
                    std::to_string(k));
    in_.clear();
    if (k == static_cast<int64_t>(index_.size())) {
        in_.seekg(0, std::ios::end);
        lineNumber_ = index_.empty() ? 0 : index_.back().second + 1;
    } else {
        in_.seekg(index_[static_cast<size_t>(k)].first);
        lineNumber_ = index_[static_cast<size_t>(k)].second;
    }
    position_ = k;
}

} // namespace bertlab
