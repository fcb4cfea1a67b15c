// `bertlab-cli convert IN OUT`: any supported checkpoint to a Hugging Face folder with safetensors.
#include "command.h"

#include "error.h"
#include "model_io.h"

#include <cstdio>
#include <filesystem>

namespace bertlab::cli {
namespace {

int runConvert(const Args& args)
{
    const std::string in = args.requirePositional(0, "IN (a model folder or weight file)");
    const std::string out = args.requirePositional(1, "OUT (the folder to write)");
    const auto model = loadModel(in);
    saveModel(*model, out);
    std::printf("wrote %s (config.json, vocab.txt, model.safetensors) from %s\n", out.c_str(),
                model->info().sourceFormat.c_str());
    return 0;
}

const CommandRegistration registration({"convert", "convert IN OUT", {}, runConvert});

} // namespace
} // namespace bertlab::cli
