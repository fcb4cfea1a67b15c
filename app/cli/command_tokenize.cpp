// `bertlab-cli tokenize (--model MODEL | --vocab FILE [--cased]) --text A [--pair B] [--json]`.
#include "command.h"
#include "model_arguments.h"
#include "json_output.h"

#include "error.h"
#include "model_io.h"
#include "tokenizer.h"

#include <cstdio>
#include <string>

namespace bertlab::cli {
namespace {

int runTokenize(const Args& args)
{
    std::shared_ptr<BertModel> model;
    std::shared_ptr<Tokenizer> own;
    const Tokenizer* tokenizer = nullptr;
    if (args.has("--model")) {
        model = loadModel(resolveModelArgument(args.get("--model")));
        tokenizer = &model->tokenizer();
    } else if (args.has("--vocab")) {
        auto vocab = std::make_shared<const Vocab>(Vocab::fromFile(args.get("--vocab")));
        own = std::make_shared<Tokenizer>(vocab, !args.has("--cased"));
        tokenizer = own.get();
    } else {
        throw Error("tokenize needs --model MODEL or --vocab FILE");
    }
    const std::string a = args.require("--text");
    const int maxLength = model ? model->config().maxPositionEmbeddings : 0;
    Encoding e;
    if (args.has("--pair")) {
        const std::string b = args.get("--pair");
        e = tokenizer->encode(a, &b, maxLength);
    } else {
        e = tokenizer->encode(a, nullptr, maxLength);
    }
    if (args.has("--json")) {
        std::printf("%s\n", encodingJson(e).dump().c_str());
        return 0;
    }
    for (int i = 0; i < e.size(); ++i) {
        // [CLS] and [SEP] come from no characters (offsets -1, -1 in the JSON).
        const auto [begin, end] = e.offsets[i];
        const std::string chars = begin < 0 ? "(added)" : std::to_string(begin) + "-" + std::to_string(end);
        std::printf("%3d  %-16s %6d  type %d  chars %s\n", i, e.tokens[i].c_str(), e.ids[i], e.typeIds[i], chars.c_str());
    }
    if (e.truncated) std::printf("(truncated to %d tokens)\n", maxLength);
    return 0;
}

const CommandRegistration registration(
    {"tokenize",
     "tokenize (--model MODEL | --vocab FILE [--cased]) --text A [--pair B] [--json]",
     "WordPiece tokens, ids, segments and positions of a text, as the model sees them.",
     {},
     {textOption("--model", "MODEL", "take the vocabulary and casing from this model"),
      textOption("--vocab", "FILE", "a vocab.txt instead"),
      switchOption("--cased", "with --vocab: keep upper case"),
      textInputOption(),
      pairOption(),
      jsonOption()},
     runTokenize});

} // namespace
} // namespace bertlab::cli
