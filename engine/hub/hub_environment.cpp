// Reads huggingface_hub's environment variables with the same names, defaults and precedence.
#include "hub_environment.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

namespace bertlab::hub {
namespace {

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// "~/x" as the shell would expand it; huggingface_hub calls expanduser on every path variable.
std::filesystem::path expandHome(const std::string& path)
{
    if (path.rfind("~", 0) == 0 && (path.size() == 1 || path[1] == '/')) return env("HOME") + path.substr(1);
    return path;
}

bool truthy(std::string v)
{
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return v == "1" || v == "on" || v == "yes" || v == "true";
}

std::string trimmed(const std::string& s)
{
    const size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

} // namespace

HubEnvironment HubEnvironment::fromProcess()
{
    HubEnvironment e;
    const std::string xdg = env("XDG_CACHE_HOME");
    const std::filesystem::path home =
        env("HF_HOME").empty() ? (xdg.empty() ? expandHome("~/.cache") : expandHome(xdg)) / "huggingface"
                               : expandHome(env("HF_HOME"));
    if (!env("HF_HUB_CACHE").empty())
        e.cacheDir = expandHome(env("HF_HUB_CACHE"));
    else if (!env("HUGGINGFACE_HUB_CACHE").empty())  // the older name, still honoured by huggingface_hub
        e.cacheDir = expandHome(env("HUGGINGFACE_HUB_CACHE"));
    else
        e.cacheDir = home / "hub";

    e.endpoint = env("HF_ENDPOINT").empty() ? std::string("https://huggingface.co") : env("HF_ENDPOINT");
    while (!e.endpoint.empty() && e.endpoint.back() == '/') e.endpoint.pop_back();

    e.token = trimmed(env("HF_TOKEN"));
    if (e.token.empty()) {
        const std::string tokenPath = env("HF_TOKEN_PATH").empty() ? (home / "token").string() : env("HF_TOKEN_PATH");
        std::ifstream in(expandHome(tokenPath));
        std::string line;
        if (in && std::getline(in, line)) e.token = trimmed(line);
    }
    e.offline = truthy(env("HF_HUB_OFFLINE"));
    return e;
}

} // namespace bertlab::hub
