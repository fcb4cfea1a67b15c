// The Hugging Face Hub cache on disk (huggingface_hub's layout), read the way from_pretrained reads it offline.
//
//   <cache>/models--ORG--NAME/blobs/<etag>                  file contents, named by git sha1 or LFS sha256
//                            /snapshots/<commit>/<file>     relative symlinks to ../../blobs/<etag>
//                            /refs/<revision>               the commit hash a branch or tag pointed to
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bertlab::hub {

// One snapshot of a BERT model found in the cache.
struct CachedModel {
    std::string repoId;
    std::string commit;
    std::vector<std::string> revisions;  // refs pointing at this commit ("main", a tag); may be empty
    std::filesystem::path snapshot;
    uint64_t sizeBytes = 0;              // of the files the snapshot links to
};

class HubCache {
public:
    explicit HubCache(std::filesystem::path root);
    const std::filesystem::path& root() const { return root_; }

    std::filesystem::path repoFolder(const std::string& repoId) const;
    // A commit hash is itself; a branch or tag is what refs/<revision> holds; empty when unknown.
    std::string commitFor(const std::string& repoId, const std::string& revision) const;
    // snapshots/<commit> of the revision when it holds a config.json, as try_to_load_from_cache finds it.
    std::optional<std::filesystem::path> findSnapshot(const std::string& repoId, const std::string& revision = "main") const;

    // Every snapshot whose config.json says BERT (model_type "bert" or a Bert* architecture) and
    // that holds vocab.txt and weights bertlab can load; sorted by repo id, newest snapshot first.
    std::vector<CachedModel> listBertModels() const;

private:
    std::filesystem::path root_;
};

// True when `folder` holds config.json, vocab.txt and model.safetensors or pytorch_model.bin
// (or their sharded index), each resolving to a file.
bool hasBertFiles(const std::filesystem::path& folder);

} // namespace bertlab::hub
