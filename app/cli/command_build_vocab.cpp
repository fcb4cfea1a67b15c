// `bertlab-cli build-vocab CORPUS --size N --out vocab.txt [--cased]`: trains a WordPiece vocabulary.
#include "command.h"
#include "progress_line.h"

#include "error.h"
#include "training/sentence_splitter.h"
#include "training/wordpiece_vocab_builder.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bertlab::cli {
namespace {

int runBuildVocab(const Args& args)
{
    const std::string corpusPath = args.requirePositional(0, "corpus file (bertlab-cli build-vocab CORPUS --size N --out vocab.txt)");
    const std::string out = args.require("--out");
    const int size = args.getInt("--size", 30522);
    if (size < 100 || size > 100000)
        throw Error("option --size must be between 100 and 100000 (1000-32000 is usual), got " + std::to_string(size));
    VocabBuilderOptions options;
    options.size = size;
    options.lowerCase = !args.has("--cased");
    options.minFrequency = args.getInt("--min-frequency", 2);
    if (options.minFrequency < 1) throw Error("option --min-frequency must be at least 1");

    // The layout only decides where sentences end, which does not change the word counts.
    stageNote("reading " + corpusPath);
    const Corpus corpus = readCorpus(corpusPath);
    WordPieceVocabBuilder builder(options);
    ProgressLine line;
    for (size_t d = 0; d < corpus.documents.size(); ++d) {
        for (const std::string& sentence : corpus.documents[d]) builder.addText(sentence);
        line.update(static_cast<int64_t>(d + 1), static_cast<int64_t>(corpus.documents.size()), "documents counted");
    }
    line.finish();
    stageNote("choosing " + std::to_string(size) + " word pieces from " + std::to_string(builder.distinctWords()) +
              " distinct words");
    const Vocab vocab = builder.build();
    vocab.saveToFile(out);  // temporary name, then rename
    if (args.has("--json")) {
        const nlohmann::json j{{"out", out},
                               {"tokens", vocab.size()},
                               {"cased", !options.lowerCase},
                               {"words", builder.totalWords()},
                               {"distinct_words", builder.distinctWords()},
                               {"documents", corpus.documents.size()},
                               {"sentences", corpus.sentenceCount()}};
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("wrote %s: %d tokens (%s) from %lld words, %lld distinct, in %zu documents, %lld sentences\n",
                out.c_str(), vocab.size(), options.lowerCase ? "uncased" : "cased",
                static_cast<long long>(builder.totalWords()), static_cast<long long>(builder.distinctWords()),
                corpus.documents.size(), static_cast<long long>(corpus.sentenceCount()));
    return 0;
}

const CommandRegistration registration(
    {"build-vocab",
     "build-vocab CORPUS --size N --out vocab.txt [--cased] [--min-frequency 2] [--json]",
     "Trains a WordPiece vocabulary on a text corpus.",
     {{"CORPUS", "a plain-text corpus: one sentence per line or paragraphs, documents separated by blank lines"}},
     {textOption("--out", "vocab.txt", "the vocabulary file to write"),
      wholeOption("--size", "N", "vocabulary size (default 30522; 1000-32000 is usual)"),
      switchOption("--cased", "keep upper case (the default lower-cases, as bert-base-uncased)"),
      wholeOption("--min-frequency", "N", "ignore words seen fewer times (default 2)"),
      jsonOption()},
     runBuildVocab});

} // namespace
} // namespace bertlab::cli
