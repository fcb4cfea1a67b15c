// One BERT pretraining example (MLM + NSP) and its JSONL file format: writer, reader, seekable stream.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace bertlab {

// [CLS] A [SEP] B [SEP] after masking, with no padding. A JSONL line looks like
// {"input_ids": [...], "token_type_ids": [...], "masked_positions": [...], "masked_ids": [...],
//  "is_random_next": false}
struct PretrainingExample {
    std::vector<int> inputIds;         // [T], already masked
    std::vector<int> tokenTypeIds;     // [T], 0 for [CLS] A [SEP], 1 for B [SEP]
    std::vector<int> maskedPositions;  // [P], indices into inputIds, increasing
    std::vector<int> maskedIds;        // [P], the original ids at maskedPositions
    bool isRandomNext = false;         // NSP label: true = B is a random segment (label 1)

    bool operator==(const PretrainingExample&) const = default;
};

// The example as one JSON line, without the trailing newline.
std::string exampleToJson(const PretrainingExample& example);

// Parses and validates one JSON line. Throws Error with a one-line reason (no file/line prefix).
// vocabSize > 0 also rejects ids >= vocabSize.
PretrainingExample exampleFromJson(const std::string& line, int vocabSize = 0);

// Checks lengths, ranges and types; throws Error with a one-line reason.
void validateExample(const PretrainingExample& example, int vocabSize = 0);

// Whole-file helpers. The writer goes through a temporary name, then renames into place; the reader
// throws Error("PATH line N: reason") for the first malformed line. Blank lines are skipped.
void writeExamplesJsonl(const std::string& path, const std::vector<PretrainingExample>& examples);
std::vector<PretrainingExample> readExamplesJsonl(const std::string& path, int vocabSize = 0);

// Streams examples into PATH.tmp-<pid> and renames it to PATH on commit(); destroying an
// uncommitted writer removes the temporary file, so a failed run never leaves half a file behind.
class ExampleJsonlWriter {
public:
    explicit ExampleJsonlWriter(const std::string& path);
    ~ExampleJsonlWriter();
    ExampleJsonlWriter(const ExampleJsonlWriter&) = delete;
    ExampleJsonlWriter& operator=(const ExampleJsonlWriter&) = delete;

    void write(const PretrainingExample& example);
    void commit();
    int64_t count() const { return count_; }

private:
    std::string path_;
    std::string tempPath_;
    std::ofstream out_;
    int64_t count_ = 0;
    bool committed_ = false;
};

// Reads examples one at a time. position() is the index of the next example (0-based, counting
// examples, not blank lines); seek(k) makes example k the next one read, which is how a resumed
// training run finds its place again. Errors name the physical line number of the file.
class ExampleJsonlReader {
public:
    explicit ExampleJsonlReader(const std::string& path, int vocabSize = 0);

    // Reads the next example into `out`; false at end of file. Throws Error on a malformed line.
    bool next(PretrainingExample& out);
    // Example k becomes the next one; throws Error if the file has fewer than k examples.
    void seek(int64_t k);
    void rewind() { seek(0); }
    int64_t position() const { return position_; }
    // Number of examples in the file (scans it once, then remembers; does not move the reader).
    int64_t count();
    const std::string& path() const { return path_; }

private:
    bool nextLine(std::string& line);  // next non-blank line, updating lineNumber_
    void buildIndex();

    std::string path_;
    int vocabSize_ = 0;
    std::ifstream in_;
    int64_t position_ = 0;    // examples consumed
    int64_t lineNumber_ = 0;  // physical lines consumed
    // Byte offset and physical line number of every example line, built on first seek()/count().
    std::vector<std::pair<std::streamoff, int64_t>> index_;
    bool indexed_ = false;
};

} // namespace bertlab
