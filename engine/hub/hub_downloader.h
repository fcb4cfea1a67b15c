// Downloads the files bertlab needs from a Hugging Face Hub repo into the shared Hub cache.
#pragma once

#include "hub_environment.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab::hub {

struct DownloadOptions {
    std::string revision = "main";  // a branch, tag or commit hash
    // Bytes done and the total still to fetch (blobs already cached are not counted); called on the
    // downloading thread, about once per 64 KiB.
    std::function<void(uint64_t done, uint64_t total)> progress;
    std::stop_token stop;           // a request throws Cancelled; a partial file is kept for resume
};

struct DownloadResult {
    std::string repoId;
    std::string revision;
    std::string commit;
    std::filesystem::path snapshot;  // the folder to open: snapshots/<commit>
    std::vector<std::string> files;  // as linked in the snapshot
    uint64_t downloadedBytes = 0;    // fetched by this call (0 when everything was cached)
    std::string warning;             // set when the Hub was unreachable and the cached snapshot is used
};

// config.json, vocab.txt, tokenizer_config.json when the repo has one, and model.safetensors,
// else pytorch_model.bin: GET {endpoint}/{repo}/resolve/{revision}/{file} like hf_hub_download,
// blobs named by ETag, LFS files checked against their SHA-256, partial downloads resumed from
// blobs/<etag>.incomplete. With env.offline nothing connects: the cached snapshot or an Error.
// When the Hub cannot be reached at all, a complete cached snapshot of the revision is returned
// with a warning, as huggingface_hub falls back to its cache.
// Every failure is an Error with one line; the cache never holds a corrupt blob or a dangling link.
DownloadResult downloadBertModel(const std::string& repoId, const DownloadOptions& options,
                                 const HubEnvironment& env = HubEnvironment::fromProcess());

} // namespace bertlab::hub
