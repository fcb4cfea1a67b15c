// Shared by the libFuzzer targets: a scratch file for parsers that only read from paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace bertlab::fuzz {

// Rewrites one per-process temporary file with the input and returns its path.
inline std::string scratchFile(const uint8_t* data, size_t size, const char* suffix)
{
    static std::string path = [suffix] {
        std::string p = std::string("/tmp/bertlab-fuzz-XXXXXX") + suffix;
        int fd = ::mkstemps(p.data(), static_cast<int>(std::string(suffix).size()));
        if (fd < 0) std::abort();
        ::close(fd);
        return p;
    }();
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

} // namespace bertlab::fuzz
