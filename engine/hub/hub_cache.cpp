// Reads refs/, snapshots/ and config.json in the Hub cache; never writes (hub_downloader.cpp does).
#include "hub_cache.h"

#include "repo_id.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace bertlab::hub {
namespace {

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);  // follows the snapshot's symlink: a dangling one is no file
}

std::string firstLine(const fs::path& file)
{
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    const size_t end = line.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? std::string() : line.substr(0, end + 1);
}

bool configSaysBert(const fs::path& config)
{
    std::ifstream in(config);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object()) return false;
    if (j.contains("model_type") && j["model_type"] == "bert") return true;
    if (j.contains("architectures") && j["architectures"].is_array())
        for (const auto& a : j["architectures"])
            if (a.is_string() && a.get<std::string>().rfind("Bert", 0) == 0) return true;
    return false;
}

// Bytes of the files a snapshot links to, each blob counted once.
uint64_t snapshotSize(const fs::path& snapshot)
{
    std::error_code ec;
    std::set<fs::path> seen;
    uint64_t total = 0;
    for (auto it = fs::recursive_directory_iterator(snapshot, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path target = fs::weakly_canonical(it->path(), ec);
        if (ec || !isFile(target) || !seen.insert(target).second) continue;
        total += fs::file_size(target, ec);
    }
    return total;
}

} // namespace

bool hasBertFiles(const fs::path& folder)
{
    return isFile(folder / "config.json") && isFile(folder / "vocab.txt") &&
           (isFile(folder / "model.safetensors") || isFile(folder / "pytorch_model.bin"));
}

HubCache::HubCache(fs::path root) : root_(std::move(root)) {}

fs::path HubCache::repoFolder(const std::string& repoId) const
{
    return root_ / repoFolderName(repoId);
}

std::string HubCache::commitFor(const std::string& repoId, const std::string& revision) const
{
    const fs::path ref = repoFolder(repoId) / "refs" / revision;
    if (isFile(ref)) return firstLine(ref);
    return isCommitHash(revision) ? revision : std::string();
}

std::optional<fs::path> HubCache::findSnapshot(const std::string& repoId, const std::string& revision) const
{
    if (!isValidRepoId(repoId) || revision.empty() || revision.find("..") != std::string::npos) return std::nullopt;
    const std::string commit = commitFor(repoId, revision);
    if (commit.empty()) return std::nullopt;
    const fs::path snapshot = repoFolder(repoId) / "snapshots" / commit;
    if (!isFile(snapshot / "config.json")) return std::nullopt;
    return snapshot;
}

std::vector<CachedModel> HubCache::listBertModels() const
{
    std::vector<CachedModel> models;
    std::error_code ec;
    for (const fs::directory_entry& repo : fs::directory_iterator(root_, ec)) {
        const std::string repoId = repoIdFromFolderName(repo.path().filename().string());
        if (repoId.empty()) continue;  // datasets--, spaces--, .locks and anything else
        // Which refs name which commit, so each snapshot shows "main" rather than a hash.
        std::multimap<std::string, std::string> refsByCommit;
        const fs::path refs = repo.path() / "refs";
        std::error_code refEc;
        for (auto it = fs::recursive_directory_iterator(refs, refEc); !refEc && it != fs::recursive_directory_iterator();
             it.increment(refEc))
            if (isFile(it->path())) refsByCommit.emplace(firstLine(it->path()), fs::relative(it->path(), refs).string());

        std::vector<std::pair<fs::file_time_type, CachedModel>> found;
        std::error_code snapEc;
        for (const fs::directory_entry& snap : fs::directory_iterator(repo.path() / "snapshots", snapEc)) {
            if (!hasBertFiles(snap.path()) || !configSaysBert(snap.path() / "config.json")) continue;
            CachedModel m;
            m.repoId = repoId;
            m.commit = snap.path().filename().string();
            const auto [from, to] = refsByCommit.equal_range(m.commit);
            for (auto it = from; it != to; ++it) m.revisions.push_back(it->second);
            std::sort(m.revisions.begin(), m.revisions.end());
            m.snapshot = snap.path();
            m.sizeBytes = snapshotSize(snap.path());
            std::error_code timeEc;
            found.emplace_back(fs::last_write_time(snap.path(), timeEc), std::move(m));
        }
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (auto& f : found) models.push_back(std::move(f.second));
    }
    std::stable_sort(models.begin(), models.end(), [](const CachedModel& a, const CachedModel& b) { return a.repoId < b.repoId; });
    return models;
}

} // namespace bertlab::hub
