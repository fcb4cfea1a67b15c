// `bertlab-cli convert IN OUT [--dtype f32|f16]`: any supported checkpoint to a Hugging Face folder.
#include "command.h"
#include "model_arguments.h"
#include "progress_line.h"

#include "error.h"
#include "model_io.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

namespace bertlab::cli {
namespace {

int runConvert(const Args& args)
{
    const std::string in = args.requirePositional(0, "IN (a model folder or weight file)");
    const std::string out = args.requirePositional(1, "OUT (the folder to write)");
    const std::string dtype = args.get("--dtype", "f32");
    if (dtype != "f32" && dtype != "f16") throw Error("--dtype must be f32 or f16, not '" + dtype + "'");
    stageNote("reading " + in);
    const auto model = loadModel(resolveModelArgument(in));
    stageNote("writing " + out);
    saveModel(*model, out, dtype == "f16" ? StoredFloat::F16 : StoredFloat::F32);
    if (args.has("--json")) {
        const nlohmann::json j{{"out", out}, {"dtype", dtype}, {"source_format", model->info().sourceFormat}};
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("wrote %s (config.json, vocab.txt, model.safetensors, %s) from %s\n", out.c_str(), dtype.c_str(),
                model->info().sourceFormat.c_str());
    return 0;
}

const CommandRegistration registration(
    {"convert",
     "convert IN OUT [--dtype f32|f16] [--json]",
     "Writes any supported checkpoint as a Hugging Face folder (config.json, vocab.txt, model.safetensors).",
     {{"IN", "a model folder or weight file (safetensors, pytorch_model.bin, TF checkpoint), or a repo id in the Hub cache"}, {"OUT", "the folder to write"}},
     {textOption("--dtype", "f32|f16", "stored precision (default f32)"),
      jsonOption()},
     runConvert});

} // namespace
} // namespace bertlab::cli
