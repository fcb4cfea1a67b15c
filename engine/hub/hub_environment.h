// The settings huggingface_hub reads from the environment: cache folder, endpoint, token, offline mode.
#pragma once

#include <filesystem>
#include <string>

namespace bertlab::hub {

struct HubEnvironment {
    std::filesystem::path cacheDir;  // HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
    std::string endpoint;            // HF_ENDPOINT without a trailing '/', default https://huggingface.co
    std::string token;               // HF_TOKEN, else the file $HF_HOME/token written by `huggingface-cli login`
    bool offline = false;            // HF_HUB_OFFLINE=1 (or true/yes/on): never open a connection

    // Read now, not cached: tests and the GUI change the environment between calls.
    static HubEnvironment fromProcess();
};

} // namespace bertlab::hub
