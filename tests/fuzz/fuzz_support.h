// Shared by the libFuzzer targets: a scratch file for parsers that only read from paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace bertlab::fuzz {

inline std::string& scratchPath()
{
    static std::string path;
    return path;
}

// Rewrites one per-process temporary file with the input and returns its path; removed at exit.
inline std::string scratchFile(const uint8_t* data, size_t size, const char* suffix)
{
    std::string& path = scratchPath();
    if (path.empty()) {
        std::string p = std::string("/tmp/bertlab-fuzz-XXXXXX") + suffix;
        int fd = ::mkstemps(p.data(), static_cast<int>(std::string(suffix).size()));
        if (fd < 0) std::abort();
        ::close(fd);
        path = p;
        std::atexit([] { ::unlink(scratchPath().c_str()); });
    }
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

} // namespace bertlab::fuzz
