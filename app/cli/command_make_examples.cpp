// `bertlab-cli make-examples CORPUS --vocab V --out examples.jsonl [...]`: MLM + NSP training examples.
#include "command.h"
#include "progress_line.h"
#include "model_arguments.h"

#include "error.h"
#include "model_io.h"
#include "tokenizer.h"
#include "training/example_builder.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"

#include <nlohmann/json.hpp>

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
    stageNote("reading " + corpusPath);
    const Corpus corpus = readCorpus(corpusPath, corpusFormatArgument(args));
    ProgressLine line;
    const auto documents = tokenizeCorpus(corpus, *tokenizer, [&](size_t done, size_t total) {
        line.update(static_cast<int64_t>(done), static_cast<int64_t>(total), "documents tokenized");
    });
    line.finish();
    stageNote("masking and pairing sentences (" + std::to_string(options.dupeFactor) + " passes)");
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
    if (args.has("--json")) {
        const nlohmann::json j{{"out", out},
                               {"examples", examples.size()},
                               {"random_next", randomNext},
                               {"masked", masked},
                               {"tokens", tokens},
                               {"documents", corpus.documents.size()},
                               {"sentences", corpus.sentenceCount()},
                               {"cased", !tokenizer->lowerCase()},
                               {"seed", options.seed}};
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
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
     "[--whole-word-mask] [--seed 12345] [--cased] [--format auto|lines|paragraphs] [--json]",
     "Cuts a corpus into pre-training examples (masked words and sentence pairs) as in the BERT paper.",
     {{"CORPUS", "a plain-text corpus: one sentence per line or paragraphs, documents separated by blank lines"}},
     {textOption("--vocab", "V", "the vocabulary (vocab.txt) to tokenize with"),
      textOption("--model", "MODEL", "take the vocabulary from this model instead"),
      textOption("--out", "examples.jsonl", "the examples file to write"),
      wholeOption("--max-seq-length", "L", "tokens per example (default 128)"),
      wholeOption("--max-predictions", "P", "masked words per example at most (default 20)"),
      numberOption("--masked-lm-prob", "P", "share of tokens masked (default 0.15)"),
      numberOption("--short-seq-prob", "P", "share of shorter examples (default 0.1)"),
      wholeOption("--dupe-factor", "D", "passes over the corpus with different masks (default 10)"),
      switchOption("--whole-word-mask", "mask all pieces of a word together"),
      textOption("--seed", "S", "random seed (default 12345)"),
      switchOption("--cased", "keep upper case"),
      textOption("--format", "auto|lines|paragraphs", "how the corpus marks sentences (default auto)"),
      jsonOption()},
     runMakeExamples});

} // namespace
} // namespace bertlab::cli
