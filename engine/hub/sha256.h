// SHA-256 of a file, as the Hub names LFS files (their ETag), by OpenSSL's libcrypto.
#pragma once

#include <filesystem>
#include <string>

namespace bertlab::hub {

// Lower-case hex digest of the whole file; throws Error when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

} // namespace bertlab::hub
