// Reader of the LevelDB table format ("SSTable") in which TensorFlow keeps a checkpoint's .index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bertlab {

struct TableEntry {
    std::string key;
    std::string value;
};

// Every key/value pair of the table, in key order. Checks the footer magic, each block's masked
// CRC-32C, that keys strictly increase and that blocks lie in order inside the file; refuses
// compressed blocks (TensorFlow writes its bundles uncompressed). Throws Error.
std::vector<TableEntry> readSortedTable(const uint8_t* data, size_t size);

} // namespace bertlab
