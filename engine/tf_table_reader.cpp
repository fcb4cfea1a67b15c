// Footer, index block and data blocks of a LevelDB table, decoded with every length checked.
#include "tf_table_reader.h"

#include "byte_reader.h"
#include "crc32c.h"
#include "error.h"

namespace bertlab {

namespace {

constexpr size_t kFooterSize = 48;
constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kTrailerSize = 5;  // compression type + masked CRC

struct BlockHandle {
    uint64_t offset = 0;
    uint64_t size = 0;
};

BlockHandle readHandle(ByteReader& in)
{
    BlockHandle h;
    h.offset = in.varint();
    h.size = in.varint();
    return h;
}

// The contents of a block after its checksum and compression byte are verified.
ByteReader blockAt(const uint8_t* data, size_t limit, const BlockHandle& h, const char* what)
{
    if (h.offset > limit || h.size > limit - h.offset || limit - h.offset - h.size < kTrailerSize)
        throw Error(std::string("checkpoint index is corrupt: its ") + what + " lies outside the file");
    const uint8_t* block = data + h.offset;
    const uint8_t* trailer = block + h.size;
    uint32_t stored = trailer[1] | trailer[2] << 8 | trailer[3] << 16 | static_cast<uint32_t>(trailer[4]) << 24;
    // The CRC covers the contents and the compression byte, which follow each other.
    if (maskCrc32c(crc32c(block, h.size + 1)) != stored)
        throw Error(std::string("checkpoint index is corrupt: its ") + what + " fails its CRC-32C check");
    if (trailer[0] != 0)
        throw Error("checkpoint index uses compressed blocks (type " + std::to_string(trailer[0]) +
                    ", e.g. snappy); only uncompressed indexes, as TensorFlow writes them, can be read");
    return ByteReader(block, h.size, std::string("checkpoint index ") + what);
}

// Decodes a block's prefix-compressed entries; `budget` bounds the bytes the keys may expand to.
void readBlock(ByteReader block, std::vector<TableEntry>& out, uint64_t& budget)
{
    if (block.size() < 4) throw Error("checkpoint index is corrupt: a block is too small");
    block.seek(block.size() - 4);
    uint64_t restarts = block.u32();
    if (restarts > (block.size() - 4) / 4) throw Error("checkpoint index is corrupt: bad restart count");
    size_t end = block.size() - 4 - static_cast<size_t>(restarts) * 4;
    ByteReader in(block.data(), end, block.what());
    std::string key;
    while (!in.atEnd()) {
        uint64_t shared = in.varint();
        uint64_t unshared = in.varint();
        uint64_t valueLength = in.varint();
        if (shared > key.size()) throw Error("checkpoint index is corrupt: a key shares more than the previous key");
        if (unshared > in.remaining() || valueLength > in.remaining() - unshared) in.truncated();
        uint64_t cost = shared + unshared + valueLength + 32;
        if (cost > budget) throw Error("checkpoint index expands to far more than its size; refusing to read it");
        budget -= cost;
        key.resize(shared);
        const uint8_t* suffix = in.take(unshared);
        key.append(reinterpret_cast<const char*>(suffix), unshared);
        const uint8_t* value = in.take(valueLength);
        out.push_back({key, std::string(reinterpret_cast<const char*>(value), valueLength)});
    }
}

} // namespace

std::vector<TableEntry> readSortedTable(const uint8_t* data, size_t size)
{
    if (size < kFooterSize) throw Error("checkpoint index is too small to be a table");
    ByteReader footer(data + size - kFooterSize, kFooterSize, "checkpoint index footer");
    footer.seek(kFooterSize - 8);
    if (footer.u64() != kTableMagic) throw Error("checkpoint index has no table magic number (not a TensorFlow .index file?)");
    footer.seek(0);
    BlockHandle metaHandle = readHandle(footer);
    BlockHandle indexHandle = readHandle(footer);
    size_t limit = size - kFooterSize;
    blockAt(data, limit, metaHandle, "metaindex block");  // holds nothing we need, but must be intact

    uint64_t budget = 16 * static_cast<uint64_t>(size) + (1u << 20);
    std::vector<TableEntry> index;
    readBlock(blockAt(data, limit, indexHandle, "index block"), index, budget);

    std::vector<TableEntry> entries;
    uint64_t nextBlock = 0;
    for (const TableEntry& e : index) {
        ByteReader v(reinterpret_cast<const uint8_t*>(e.value.data()), e.value.size(), "checkpoint index block handle");
        BlockHandle h = readHandle(v);
        // Blocks are written one after another; a handle pointing backwards would re-read bytes.
        if (h.offset < nextBlock) throw Error("checkpoint index is corrupt: its data blocks overlap");
        readBlock(blockAt(data, limit, h, "data block"), entries, budget);
        nextBlock = h.offset + h.size + kTrailerSize;
    }
    for (size_t i = 1; i < entries.size(); ++i) {
        if (!(entries[i - 1].key < entries[i].key)) throw Error("checkpoint index is corrupt: keys are out of order or repeated");
    }
    return entries;
}

} // namespace bertlab
