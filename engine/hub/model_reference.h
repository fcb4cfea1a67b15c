// What a MODEL argument names: a path on disk, else a Hub repo id resolved in the cache as from_pretrained does offline.
#pragma once

#include "hub_environment.h"

#include <string>

namespace bertlab::hub {

// An existing file or folder is returned unchanged. Otherwise a repo id ("org/name" or "name")
// becomes its cached snapshot folder for `main` (refs/main → snapshots/<commit>), exactly as
// from_pretrained(id, local_files_only=True) finds it; nothing connects to the network.
// Throws Error (one line) when the argument is neither; a string that is no repo id either is
// returned unchanged, so the loader reports the missing path in its own words.
std::string resolveModelReference(const std::string& argument, const HubEnvironment& env = HubEnvironment::fromProcess());

} // namespace bertlab::hub
