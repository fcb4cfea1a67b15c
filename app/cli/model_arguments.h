// Helpers the model-driven subcommands share: load a model, encode the --text/--pair input.
#pragma once

#include "command.h"

#include "attribution/head_ablation.h"
#include "bert_model.h"

#include <memory>
#include <string>

namespace bertlab::cli {

// A MODEL argument: an existing path as given, else a Hugging Face repo id ("org/name" or "name")
// found in the Hub cache as from_pretrained(local_files_only=True) finds it; Error when neither.
std::string resolveModelArgument(const std::string& argument);
std::shared_ptr<BertModel> loadModelArgument(const Args& args);
// Encodes --text (required) and --pair (optional); warns on stderr when the pair was truncated.
Encoding encodeTextArguments(const BertModel& model, const Args& args);
// --ablate L:H[,L:H...] (1-based, "L:*" = the whole layer): the heads to switch off; nothing
// off when the flag is absent. Throws Error on a bad spec or a head the model lacks.
HeadAblation ablationArgument(const BertModel& model, const Args& args);
// Positions of every [MASK] token in the encoding.
std::vector<int> maskPositions(const BertModel& model, const Encoding& encoding);

} // namespace bertlab::cli
