// Validation of repo ids and revisions, and the cache's "models--org--name" folder naming.
#include "repo_id.h"

#include "error.h"

#include <algorithm>
#include <cctype>

namespace bertlab::hub {
namespace {

// One part of an id: the Hub's names are at most 96 characters.
bool validPart(const std::string& part)
{
    if (part.empty() || part.size() > 96) return false;
    const auto allowed = [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; };
    if (!std::all_of(part.begin(), part.end(), allowed)) return false;
    const auto edge = [](char c) { return c == '-' || c == '.'; };
    return !edge(part.front()) && !edge(part.back());
}

} // namespace

bool isValidRepoId(const std::string& id)
{
    if (id.find("--") != std::string::npos || id.find("..") != std::string::npos) return false;
    const size_t slash = id.find('/');
    if (slash == std::string::npos) return validPart(id);
    if (id.find('/', slash + 1) != std::string::npos) return false;
    return validPart(id.substr(0, slash)) && validPart(id.substr(slash + 1));
}

void requireValidRepoId(const std::string& id)
{
    if (!isValidRepoId(id))
        throw Error("'" + id + "' is not a Hugging Face repo id (expected ORG/NAME or NAME, e.g. google-bert/bert-base-uncased)");
}

std::string repoFolderName(const std::string& repoId)
{
    const size_t slash = repoId.find('/');
    if (slash == std::string::npos) return "models--" + repoId;
    return "models--" + repoId.substr(0, slash) + "--" + repoId.substr(slash + 1);
}

std::string repoIdFromFolderName(const std::string& folder)
{
    const std::string prefix = "models--";
    if (folder.rfind(prefix, 0) != 0) return {};
    std::string id = folder.substr(prefix.size());
    const size_t sep = id.find("--");
    if (sep != std::string::npos) id = id.substr(0, sep) + '/' + id.substr(sep + 2);
    return isValidRepoId(id) ? id : std::string();
}

bool isCommitHash(const std::string& revision)
{
    return revision.size() == 40 &&
           std::all_of(revision.begin(), revision.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
}

void requireValidRevision(const std::string& revision)
{
    // Branches may hold '/', as in refs/pr/1; the cache keeps them as nested files under refs/.
    const bool safe = !revision.empty() && revision.size() <= 255 && revision.find("..") == std::string::npos &&
                      revision.front() != '/' && revision.back() != '/' &&
                      std::all_of(revision.begin(), revision.end(), [](unsigned char c) {
                          return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
                      });
    if (!safe) throw Error("'" + revision + "' is not a revision (a branch, tag or commit hash)");
}

} // namespace bertlab::hub
