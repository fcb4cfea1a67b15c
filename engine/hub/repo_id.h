// A Hugging Face model repository id ("org/name" or "name") and the names the Hub cache derives from it.
#pragma once

#include <string>

namespace bertlab::hub {

// True for ids huggingface_hub accepts: one optional "namespace/", letters, digits, '-', '_', '.',
// no "--" or ".." and no leading or trailing '-' or '.' in either part.
bool isValidRepoId(const std::string& id);
// Throws Error naming the id when it is not valid.
void requireValidRepoId(const std::string& id);

// "models--org--name": the repository's folder in the cache.
std::string repoFolderName(const std::string& repoId);
// The inverse for model folders ("models--org--name" → "org/name"); empty for anything else.
std::string repoIdFromFolderName(const std::string& folder);

// A full 40-hex git commit hash: used as is, never looked up in refs/.
bool isCommitHash(const std::string& revision);

// A revision (branch, tag or commit) that is safe as a file name under refs/ and in a URL path.
void requireValidRevision(const std::string& revision);

} // namespace bertlab::hub
