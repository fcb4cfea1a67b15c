// `bertlab-cli build-vocab CORPUS --size N --out vocab.txt [--cased]`: trains a WordPiece vocabulary.
#include "command.h"

#include "error.h"
#include "training/sentence_splitter.h"
#include "training/wordpiece_vocab_builder.h"

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
    const Corpus corpus = readCorpus(corpusPath);
    WordPieceVocabBuilder builder(options);
    builder.addCorpus(corpus);
    const Vocab vocab = builder.build();
    vocab.saveToFile(out);  // temporary name, then rename
    std::printf("wrote %s: %d tokens (%s) from %lld words, %lld distinct, in %zu documents, %lld sentences\n",
                out.c_str(), vocab.size(), options.lowerCase ? "uncased" : "cased",
                static_cast<long long>(builder.totalWords()), static_cast<long long>(builder.distinctWords()),
                corpus.documents.size(), static_cast<long long>(corpus.sentenceCount()));
    return 0;
}

const CommandRegistration registration({"build-vocab",
                                        "build-vocab CORPUS --size N --out vocab.txt [--cased] [--min-frequency 2]",
                                        {"--cased"}, runBuildVocab});

} // namespace
} // namespace bertlab::cli
