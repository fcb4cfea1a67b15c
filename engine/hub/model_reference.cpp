// Path first, then the Hub cache: a folder named like a repo id in the working directory wins, as in transformers.
#include "model_reference.h"

#include "error.h"
#include "hub_cache.h"
#include "repo_id.h"

#include <filesystem>
#include <system_error>

namespace bertlab::hub {

std::string resolveModelReference(const std::string& argument, const HubEnvironment& env)
{
    std::error_code ec;
    if (argument.empty() || std::filesystem::exists(argument, ec) || !isValidRepoId(argument)) return argument;
    if (const auto snapshot = HubCache(env.cacheDir).findSnapshot(argument, "main")) return snapshot->string();
    throw Error("'" + argument + "' is neither a model folder or file nor a model in the Hugging Face cache at " +
                env.cacheDir.string() + " (download it with: bertlab-cli download " + argument + ")");
}

} // namespace bertlab::hub
