// Reads fine-tuning data: CSV/TSV through libcsv (RFC 4180), JSON lines through nlohmann::json, CoNLL by hand (a tab split).
#include "finetune/task_data.h"

#include "error.h"

#include <csv.h>
#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>

namespace bertlab {
namespace {

std::string where(const std::string& path, int line) { return path + ":" + std::to_string(line) + ": "; }

// utf8proc decides what valid UTF-8 is, as the tokenizer does.
bool validUtf8(const std::string& s)
{
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    for (utf8proc_ssize_t i = 0, n = static_cast<utf8proc_ssize_t>(s.size()); i < n;) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t step = utf8proc_iterate(bytes + i, n - i, &cp);
        if (step <= 0) return false;
        i += step;
    }
    return true;
}

std::ifstream openText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open " + path);
    return in;
}

std::string extensionOf(const std::string& path)
{
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::string withoutCr(std::string line)
{
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// Collects the records libcsv reports, each with the line it started on.
struct CsvRecords {
    struct Record {
        std::vector<std::string> fields;
        int line = 0;
    };
    std::vector<Record> records;
    Record current;
    int line = 1;             // the line being fed
    bool recordOpen = false;

    static void onField(void* data, size_t size, void* self)
    {
        auto& r = *static_cast<CsvRecords*>(self);
        if (!r.recordOpen) r.current.line = r.line, r.recordOpen = true;
        r.current.fields.emplace_back(data ? static_cast<const char*>(data) : "", data ? size : 0);
    }
    static void onRecord(int, void* self)
    {
        auto& r = *static_cast<CsvRecords*>(self);
        if (r.recordOpen) r.records.push_back(std::move(r.current));
        r.current = {};
        r.recordOpen = false;
    }
};

struct CsvParser {
    csv_parser parser{};
    explicit CsvParser(unsigned char delimiter)
    {
        if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error("cannot set up the CSV reader");
        csv_set_delim(&parser, delimiter);
        // libcsv trims spaces around unquoted fields by default; RFC 4180 keeps them, as Python does.
        csv_set_space_func(&parser, [](unsigned char) { return 0; });
    }
    ~CsvParser() { csv_free(&parser); }
    CsvParser(const CsvParser&) = delete;
    CsvParser& operator=(const CsvParser&) = delete;
};

std::vector<CsvRecords::Record> readDelimited(const std::string& path, unsigned char delimiter)
{
    std::ifstream in = openText(path);
    CsvParser csv(delimiter);
    CsvRecords records;
    std::string line;
    while (std::getline(in, line)) {
        line += '\n';
        if (csv_parse(&csv.parser, line.data(), line.size(), CsvRecords::onField, CsvRecords::onRecord, &records) !=
            line.size())
            throw Error(where(path, records.line) + "malformed " + (delimiter == ',' ? "CSV" : "TSV") + " (" +
                        csv_strerror(csv_error(&csv.parser)) + "; a quote inside a quoted field is written \"\")");
        ++records.line;
    }
    if (csv_fini(&csv.parser, CsvRecords::onField, CsvRecords::onRecord, &records) != 0)
        throw Error(where(path, records.line - 1) + "a quoted field is never closed");
    return std::move(records.records);
}

SequenceItem itemOf(const std::string& path, int line, std::string text, std::string textB, std::string label)
{
    if (!validUtf8(text) || !validUtf8(textB) || !validUtf8(label))
        throw Error(where(path, line) + "text is not valid UTF-8");
    if (text.empty()) throw Error(where(path, line) + "empty text");
    if (label.empty()) throw Error(where(path, line) + "empty label");
    return {std::move(text), std::move(textB), std::move(label), line};
}

SequenceTaskData readDelimitedTask(const std::string& path, unsigned char delimiter)
{
    const auto records = readDelimited(path, delimiter);
    if (records.empty()) throw Error(path + ": the file is empty (it needs a header naming text and label)");
    const auto& header = records.front().fields;
    const auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : static_cast<int>(it - header.begin());
    };
    const int text = column("text"), textB = column("text_b"), label = column("label");
    if (text < 0 || label < 0)
        throw Error(where(path, records.front().line) + "the header needs columns named text and label" +
                    (delimiter == ',' && header.size() == 1 ? " (is it tab-separated? name it .tsv)" : ""));
    SequenceTaskData data;
    data.path = path;
    data.hasPairs = textB >= 0;
    const int needed = std::max({text, textB, label}) + 1;
    for (size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // a blank line
        if (static_cast<int>(rec.fields.size()) < needed)
            throw Error(where(path, rec.line) + "the row has " + std::to_string(rec.fields.size()) +
                        " fields; the header has " + std::to_string(header.size()));
        data.items.push_back(itemOf(path, rec.line, rec.fields[text], textB >= 0 ? rec.fields[textB] : "",
                                    rec.fields[label]));
    }
    return data;
}

SequenceTaskData readJsonLinesTask(const std::string& path)
{
    std::ifstream in = openText(path);
    SequenceTaskData data;
    data.path = path;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = withoutCr(line);
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (!validUtf8(line)) throw Error(where(path, number) + "text is not valid UTF-8");
        nlohmann::json object;
        try {
            object = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception&) {
            throw Error(where(path, number) + "not a JSON object (JSON lines: one object per line)");
        }
        if (!object.is_object()) throw Error(where(path, number) + "not a JSON object (JSON lines: one object per line)");
        const auto string = [&](const char* key, bool required) -> std::string {
            const auto it = object.find(key);
            if (it == object.end() || it->is_null()) {
                if (required) throw Error(where(path, number) + "no \"" + key + "\" key");
                return "";
            }
            if (it->is_string()) return it->get<std::string>();
            // Numeric or boolean labels are common (0/1); they are names like any other.
            if (std::string(key) == "label" && (it->is_number_integer() || it->is_boolean())) return it->dump();
            throw Error(where(path, number) + "\"" + key + "\" is not a string");
        };
        if (object.contains("text_b")) data.hasPairs = true;
        data.items.push_back(itemOf(path, number, string("text", true), string("text_b", false), string("label", true)));
    }
    return data;
}

} // namespace

SequenceTaskData readSequenceTask(const std::string& path)
{
    const std::string ext = extensionOf(path);
    SequenceTaskData data;
    if (ext == "csv")
        data = readDelimitedTask(path, ',');
    else if (ext == "tsv")
        data = readDelimitedTask(path, '\t');
    else if (ext == "jsonl")
        data = readJsonLinesTask(path);
    else
        throw Error(path + ": a sequence task is read from .csv, .tsv or .jsonl files");
    if (data.items.empty()) throw Error(path + ": no labelled items");
    return data;
}

TokenTaskData readTokenTask(const std::string& path)
{
    std::ifstream in = openText(path);
    TokenTaskData data;
    data.path = path;
    TokenSentence current;
    const auto finish = [&] {
        if (!current.words.empty()) data.sentences.push_back(std::move(current));
        current = {};
    };
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = withoutCr(line);
        if (line.find_first_not_of(" \t") == std::string::npos) {
            finish();
            continue;
        }
        if (line.rfind("-DOCSTART-", 0) == 0) continue;
        if (!validUtf8(line)) throw Error(where(path, number) + "text is not valid UTF-8");
        const size_t tab = line.find('\t');
        if (tab == std::string::npos)
            throw Error(where(path, number) + "expected word<TAB>label");
        if (line.find('\t', tab + 1) != std::string::npos)
            throw Error(where(path, number) + "expected word<TAB>label, found more than two columns");
        std::string word = line.substr(0, tab), label = line.substr(tab + 1);
        if (word.empty() || word.find_first_not_of(' ') == std::string::npos)
            throw Error(where(path, number) + "empty word");
        if (label.empty()) throw Error(where(path, number) + "empty label");
        if (word.find(' ') != std::string::npos)
            throw Error(where(path, number) + "a word holds a space; write one word per line");
        if (current.words.empty()) current.line = number;
        current.words.push_back(std::move(word));
        current.labels.push_back(std::move(label));
    }
    finish();
    if (data.sentences.empty()) throw Error(path + ": no labelled words");
    return data;
}

namespace {

template <typename Each>
std::vector<std::string> inOrder(Each each)
{
    std::vector<std::string> order;
    std::set<std::string> seen;
    each([&](const std::string& label) {
        if (seen.insert(label).second) order.push_back(label);
    });
    return order;
}

} // namespace

std::vector<std::string> labelsByFirstAppearance(const SequenceTaskData& data)
{
    return inOrder([&](auto add) {
        for (const auto& item : data.items) add(item.label);
    });
}

std::vector<std::string> labelsByFirstAppearance(const TokenTaskData& data)
{
    return inOrder([&](auto add) {
        for (const auto& s : data.sentences)
            for (const auto& label : s.labels) add(label);
    });
}

std::map<std::string, int> labelCounts(const SequenceTaskData& data)
{
    std::map<std::string, int> counts;
    for (const auto& item : data.items) ++counts[item.label];
    return counts;
}

std::map<std::string, int> labelCounts(const TokenTaskData& data)
{
    std::map<std::string, int> counts;
    for (const auto& s : data.sentences)
        for (const auto& label : s.labels) ++counts[label];
    return counts;
}

std::vector<std::string> parseLabelList(const std::string& list)
{
    std::vector<std::string> labels;
    std::set<std::string> seen;
    size_t begin = 0;
    while (begin <= list.size()) {
        const size_t comma = std::min(list.find(',', begin), list.size());
        std::string label = list.substr(begin, comma - begin);
        const size_t first = label.find_first_not_of(" \t"), last = label.find_last_not_of(" \t");
        label = first == std::string::npos ? "" : label.substr(first, last - first + 1);
        if (label.empty()) throw Error("--labels: an empty label in \"" + list + "\"");
        if (!seen.insert(label).second) throw Error("--labels: \"" + label + "\" is given twice");
        labels.push_back(std::move(label));
        begin = comma + 1;
    }
    return labels;
}

namespace {

std::string notAmong(const std::string& label, const std::vector<std::string>& labels)
{
    std::string list;
    for (size_t i = 0; i < labels.size() && i < 12; ++i) list += (i ? ", " : "") + labels[i];
    if (labels.size() > 12) list += ", ...";
    return "label \"" + label + "\" is not among the labels " + list;
}

} // namespace

void checkLabels(const SequenceTaskData& data, const std::vector<std::string>& labels)
{
    const std::set<std::string> known(labels.begin(), labels.end());
    for (const auto& item : data.items)
        if (!known.count(item.label))
            throw Error(where(data.path, item.line) + notAmong(item.label, labels));
}

void checkLabels(const TokenTaskData& data, const std::vector<std::string>& labels)
{
    const std::set<std::string> known(labels.begin(), labels.end());
    for (const auto& s : data.sentences)
        for (size_t i = 0; i < s.labels.size(); ++i)
            if (!known.count(s.labels[i]))
                throw Error(where(data.path, s.line + static_cast<int>(i)) + notAmong(s.labels[i], labels));
}

} // namespace bertlab
