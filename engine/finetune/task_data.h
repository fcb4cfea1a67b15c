// Labelled data for fine-tuning and probing: sequence tasks from CSV/TSV/JSON lines, token tasks from CoNLL files.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bertlab {

// One labelled sentence (or sentence pair) of a sequence task, with the line it starts on.
struct SequenceItem {
    std::string text;
    std::string textB;      // empty when the file has no text_b column (or this row leaves it empty)
    std::string label;
    int line = 0;           // 1-based line of the file where the item starts
};

// One sentence of a token task: a word per CoNLL line, each with its label.
struct TokenSentence {
    std::vector<std::string> words;
    std::vector<std::string> labels;
    int line = 0;           // 1-based line of its first word
};

struct SequenceTaskData {
    std::string path;
    bool hasPairs = false;  // the file names a text_b column
    std::vector<SequenceItem> items;
};

struct TokenTaskData {
    std::string path;
    std::vector<TokenSentence> sentences;
};

// .csv (RFC 4180: quoted fields may hold commas, quotes as "", and line breaks), .tsv (the same
// with tabs, as Python's csv module writes it) or .jsonl (an object per line). The header (or each
// object) names `text`, `label` and optionally `text_b`; other columns are ignored. Throws Error
// naming the file and line on a missing column, a short row, an empty text or label, invalid
// JSON or UTF-8, or a file without items.
SequenceTaskData readSequenceTask(const std::string& path);

// `word<TAB>label` per line, a blank line between sentences; "-DOCSTART-" lines are skipped (as
// CoNLL-2003 files have them). Throws Error naming the file and line on anything else.
TokenTaskData readTokenTask(const std::string& path);

// Labels in order of first appearance.
std::vector<std::string> labelsByFirstAppearance(const SequenceTaskData& data);
std::vector<std::string> labelsByFirstAppearance(const TokenTaskData& data);

// How many items (sequence task) or words (token task) carry each label.
std::map<std::string, int> labelCounts(const SequenceTaskData& data);
std::map<std::string, int> labelCounts(const TokenTaskData& data);

// "a,b,c" as given to --labels: trimmed, non-empty, no duplicates; Error otherwise.
std::vector<std::string> parseLabelList(const std::string& list);

// Throws Error naming the file and line of the first item whose label is not in `labels`.
void checkLabels(const SequenceTaskData& data, const std::vector<std::string>& labels);
void checkLabels(const TokenTaskData& data, const std::vector<std::string>& labels);

} // namespace bertlab
