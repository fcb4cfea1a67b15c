// `bertlab-cli download REPO_ID [--revision R] [--json]`: fetches a BERT from the Hugging Face Hub into the shared cache.
#include "command.h"

#include "hub/hub_downloader.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace bertlab::cli {
namespace {

std::string megabytes(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// Redrawn in place on a terminal at most ten times a second; nothing when stderr is a file or pipe.
class DownloadBar {
public:
    DownloadBar() : tty_(::isatty(2) != 0) {}
    void update(uint64_t done, uint64_t total)
    {
        if (!tty_ || total == 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        const int width = 30;
        const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r[%s] %s of %s\x1b[K", bar.c_str(), megabytes(done).c_str(), megabytes(total).c_str());
        std::fflush(stderr);
        drawn_ = true;
    }
    void finish()
    {
        if (drawn_) std::fprintf(stderr, "\n");
    }

private:
    bool tty_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

int runDownload(const Args& args)
{
    const std::string repo = args.requirePositional(0, "REPO_ID (a Hugging Face repo id such as google-bert/bert-base-uncased)");
    hub::DownloadOptions options;
    options.revision = args.get("--revision", "main");
    DownloadBar bar;
    options.progress = [&bar](uint64_t done, uint64_t total) { bar.update(done, total); };
    hub::DownloadResult r;
    try {
        r = hub::downloadBertModel(repo, options);
    } catch (...) {
        bar.finish();  // the error goes on its own line
        throw;
    }
    bar.finish();
    if (!r.warning.empty()) std::fprintf(stderr, "warning: %s\n", r.warning.c_str());
    if (args.has("--json")) {
        const nlohmann::json j = {{"repo", r.repoId},          {"revision", r.revision}, {"commit", r.commit},
                                  {"path", r.snapshot.string()}, {"files", r.files}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    if (r.downloadedBytes == 0 && r.warning.empty())
        std::fprintf(stderr, "%s (%s) is up to date in the cache\n", repo.c_str(), r.commit.substr(0, 12).c_str());
    std::printf("%s\n", r.snapshot.c_str());
    return 0;
}

const CommandRegistration registration(
    {"download",
     "download REPO_ID [--revision R] [--json]",
     "Downloads a BERT from the Hugging Face Hub into the shared cache.",
     {{"REPO_ID", "a Hugging Face repo id such as google-bert/bert-base-uncased"}},
     {textOption("--revision", "R", "branch, tag or commit (default main)"),
      jsonOption()},
     runDownload});

} // namespace
} // namespace bertlab::cli
