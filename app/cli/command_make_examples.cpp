// `bertlab-cli make-examples CORPUS --vocab V --out examples.jsonl [...]`: MLM + NSP training examples.
#include "command.h"
#include "model_arguments.h"

#include "error.h"
#include "model_io.h"
#include "tokenizer.h"
#include "training/example_builder.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace bertlab::cli {
namespace {

std::optional<CorpusFormat> corpusFormatArgument(const Args& args)
{
    const std::string f = args.get("--format", "auto");
    if (f == "auto") return std::nullopt;
    if (f == "lines") return CorpusFormat::SentencePerLine;
    if (f == "paragraphs") return CorpusFormat::Paragraphs;
    throw Error("option --format expects auto, lines or paragraphs, got '" + f + "'");
}

// --vocab takes a vocab.txt or a model folder (its vocab.txt); --model takes a whole model and
// reuses its tokenizer, lower-casing included.
std::shared_ptr<const Tokenizer> tokenizerArgument(const Args& args)
{
    if (args.has("--model")) {
        if (args.has("--vocab")) throw Error("give either --vocab or --model, not both");
        auto model = loadModel(resolveModelArgument(args.get("--model")));
        return std::make_shared<const Tokenizer>(model->tokenizer());
    }
    if (!args.has("--vocab")) throw Error("make-examples needs --vocab VOCAB (a vocab.txt or a model folder) or --model MODEL");
    std::string path = args.get("--vocab");
    if (std::filesystem::is_directory(path)) path = (std::filesystem::path(path) / "vocab.txt").string();
    auto vocab = std::make_shared<const Vocab>(Vocab::fromFile(path));
    const bool lowerCase = !args.has("--cased");
    if (lowerCase && !Tokenizer::vocabLooksUncased(*vocab))
        std::fprintf(stderr, "note: %s looks cased; pass --cased unless it was built lower-cased\n", path.c_str());
    return std::make_shared<const Tokenizer>(vocab, lowerCase);
}

int runMakeExamples(const Args& args)
{
    const std::string corpusPath = args.requirePositional(0, "corpus file (bertlab-cli make-examples CORPUS --vocab V --out examples.jsonl)");
    const std::string out = args.require("--out");
    ExampleOptions options;
    options.maxSeqLength = args.getInt("--max-seq-length", options.maxSeqLength);
    options.maxPredictionsPerSeq = args.getInt("--max-predictions", options.maxPredictionsPerSeq);
    options.maskedLmProb = args.getDouble("--masked-lm-prob", options.maskedLmProb);
    options.shortSeqProb = args.getDouble("--short-seq-prob", options.shortSeqProb);
    options.dupeFactor = args.getInt("--dupe-factor", options.dupeFactor);
    options.wholeWordMask = args.has("--whole-word-mask");
    if (args.has("--seed")) {
        const std::string s = args.get("--seed");
        try {
            size_t used = 0;
            options.seed = std::stoull(s, &used);
            if (used != s.size() || s.front() == '-') throw Error("");
        } catch (...) {
            throw Error("option --seed expects a non-negative whole number, got '" + s + "'");
        }
    }
    options.validate();

    const auto tokenizer = tokenizerArgument(args);
    const ExampleBuilder builder(tokenizer->vocab(), options);
    const Corpus corpus = readCorpus(corpusPath, corpusFormatArgument(args));
    const auto documents = tokenizeCorpus(corpus, *tokenizer);
    const auto examples = builder.build(documents);

    ExampleJsonlWriter writer(out);  // temporary name, renamed by commit()
    int64_t randomNext = 0, masked = 0, tokens = 0;
    for (const auto& e : examples) {
        writer.write(e);
        randomNext += e.isRandomNext;
        masked += static_cast<int64_t>(e.maskedPositions.size());
        tokens += static_cast<int64_t>(e.inputIds.size());
    }
    writer.commit();
    const double n = examples.empty() ? 1.0 : static_cast<double>(examples.size());
    std::printf("wrote %s: %zu examples (%.1f%% random next, %.1f tokens and %.1f masked on average) from %zu "
                "documents, %lld sentences (%s), %s, seed %llu\n",
                out.c_str(), examples.size(), 100.0 * static_cast<double>(randomNext) / n,
                static_cast<double>(tokens) / n, static_cast<double>(masked) / n, corpus.documents.size(),
                static_cast<long long>(corpus.sentenceCount()),
                corpus.format == CorpusFormat::SentencePerLine ? "one sentence per line" : "paragraphs",
                tokenizer->lowerCase() ? "uncased" : "cased", static_cast<unsigned long long>(options.seed));
    return 0;
}

const CommandRegistration registration(
    {"make-examples",
     "make-examples CORPUS (--vocab V | --model MODEL) --out examples.jsonl [--max-seq-length 128] "
     "[--max-predictions 20] [--masked-lm-prob 0.15] [--short-seq-prob 0.1] [--dupe-factor 10] "
     "[--whole-word-mask] [--seed 12345] [--cased] [--format auto|lines|paragraphs]",
     {"--whole-word-mask", "--cased"},
     runMakeExamples});

} // namespace
} // namespace bertlab::cli
