// A reader of stored (uncompressed) ZIP archives held in memory, as torch.save writes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bertlab {

// Validates the whole directory up front: every entry must be stored (method 0), lie inside the
// archive before the central directory, and not overlap another entry; names must be unique.
// Sizes come from the central directory (torch leaves them 0 in the local headers), with ZIP64
// records honoured. The bytes must outlive the archive object.
class ZipArchive {
public:
    struct Entry {
        std::string name;
        uint64_t headerOffset = 0;  // local file header
        uint64_t dataOffset = 0;    // first byte of the stored data
        uint64_t size = 0;
        uint32_t crc32 = 0;         // from the central directory
    };

    ZipArchive(const uint8_t* data, size_t size);

    static bool looksLikeZip(const uint8_t* data, size_t size);

    const std::vector<Entry>& entries() const { return entries_; }
    const Entry* find(const std::string& name) const;  // nullptr if absent

    // The entry's bytes after checking them against the central directory's CRC-32.
    const uint8_t* read(const Entry& entry) const;

private:
    const uint8_t* data_;
    std::vector<Entry> entries_;  // sorted by name
};

} // namespace bertlab
