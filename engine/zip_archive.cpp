// Central-directory-driven ZIP parsing with the checks that keep a hostile archive harmless.
#include "zip_archive.h"

#include "byte_reader.h"
#include "error.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace bertlab {

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr uint64_t kMaxEntries = 1u << 20;

uint32_t peek32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

// Where the classic end-of-central-directory record starts; searched backwards over the comment.
size_t findEndOfCentralDirectory(const uint8_t* data, size_t size)
{
    if (size < kEocdSize) throw Error("zip archive is too small to hold a central directory");
    size_t lowest = size > kEocdSize + 0xffff ? size - kEocdSize - 0xffff : 0;
    for (size_t pos = size - kEocdSize + 1; pos-- > lowest;) {
        if (peek32(data + pos) != kEndOfCentralDirectory) continue;
        size_t commentLength = data[pos + 20] | data[pos + 21] << 8;
        if (pos + kEocdSize + commentLength <= size) return pos;
    }
    throw Error("zip archive has no end-of-central-directory record (truncated file?)");
}

std::string printable(const std::string& name)
{
    std::string out;
    for (char c : name.substr(0, 80)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}

} // namespace

bool ZipArchive::looksLikeZip(const uint8_t* data, size_t size)
{
    return size >= 4 && peek32(data) == kLocalHeader;
}

ZipArchive::ZipArchive(const uint8_t* data, size_t size) : data_(data)
{
    size_t eocd = findEndOfCentralDirectory(data, size);
    ByteReader end(data + eocd, size - eocd, "zip end-of-central-directory record");
    end.skip(4);
    uint16_t diskNumber = end.u16();
    uint16_t cdDisk = end.u16();
    uint64_t entriesOnDisk = end.u16();
    uint64_t entryCount = end.u16();
    uint64_t cdSize = end.u32();
    uint64_t cdOffset = end.u32();
    if (diskNumber != 0 || cdDisk != 0) throw Error("multi-part zip archives are not supported");

    // ZIP64: a locator just before the classic record points at the 64-bit record.
    bool saturated = entryCount == 0xffff || entriesOnDisk == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu;
    uint64_t cdLimit = eocd;  // the central directory must end before the records that describe it
    if (eocd >= 20 && peek32(data + eocd - 20) == kZip64Locator) {
        ByteReader loc(data + eocd - 20, 20, "zip64 locator");
        loc.skip(8);
        uint64_t recordOffset = loc.u64();
        if (recordOffset > eocd - 20 || eocd - 20 - recordOffset < 56)
            throw Error("zip64 end-of-central-directory record lies outside the archive");
        ByteReader rec(data + recordOffset, eocd - 20 - recordOffset, "zip64 end-of-central-directory record");
        if (rec.u32() != kZip64End) throw Error("zip64 locator does not point at a zip64 record");
        rec.skip(8 + 2 + 2 + 4 + 4);  // record size, versions, disk numbers
        uint64_t entriesOnDisk64 = rec.u64();
        uint64_t entryCount64 = rec.u64();
        uint64_t cdSize64 = rec.u64();
        uint64_t cdOffset64 = rec.u64();
        if (entryCount == 0xffff || entriesOnDisk == 0xffff) entryCount = entryCount64;
        else if (entryCount != entryCount64 || entriesOnDisk64 != entryCount64)
            throw Error("zip archive's entry counts disagree between its zip64 and classic records");
        if (cdSize == 0xffffffffu) cdSize = cdSize64;
        else if (cdSize != cdSize64) throw Error("zip archive's central directory size disagrees with its zip64 record");
        if (cdOffset == 0xffffffffu) cdOffset = cdOffset64;
        else if (cdOffset != cdOffset64) throw Error("zip archive's central directory offset disagrees with its zip64 record");
        cdLimit = recordOffset;
    } else if (saturated) {
        throw Error("zip archive needs zip64 records but has none");
    }
    if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
        throw Error("zip central directory lies outside the archive");
    if (entryCount > kMaxEntries || entryCount > cdSize / kCentralHeaderSize)
        throw Error("zip archive claims more entries (" + std::to_string(entryCount) + ") than its directory can hold");

    ByteReader cd(data + cdOffset, cdSize, "zip central directory");
    entries_.reserve(entryCount);
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (cd.u32() != kCentralHeader) throw Error("zip central directory is corrupt (bad entry signature)");
        cd.skip(4);  // versions
        uint16_t flags = cd.u16();
        uint16_t method = cd.u16();
        cd.skip(4);  // time, date
        Entry e;
        e.crc32 = cd.u32();
        uint64_t compressedSize = cd.u32();
        uint64_t size = cd.u32();
        uint16_t nameLength = cd.u16();
        uint16_t extraLength = cd.u16();
        uint16_t commentLength = cd.u16();
        uint32_t diskStart = cd.u16();
        cd.skip(2 + 4);  // attributes
        e.headerOffset = cd.u32();
        const uint8_t* name = cd.take(nameLength);
        e.name.assign(reinterpret_cast<const char*>(name), nameLength);
        ByteReader extra(cd.take(extraLength), extraLength, "zip extra field of " + printable(e.name));
        cd.skip(commentLength);

        // ZIP64 extra: only the fields whose classic value is saturated are present, in this order.
        while (extra.remaining() >= 4) {
            uint16_t id = extra.u16();
            uint16_t length = extra.u16();
            ByteReader field(extra.take(length), length, "zip64 extra field of " + printable(e.name));
            if (id != 0x0001) continue;
            if (size == 0xffffffffu) size = field.u64();
            if (compressedSize == 0xffffffffu) compressedSize = field.u64();
            if (e.headerOffset == 0xffffffffu) e.headerOffset = field.u64();
            if (diskStart == 0xffff) diskStart = field.u32();
        }
        if (e.name.empty() || e.name.find('\0') != std::string::npos)
            throw Error("zip archive has an entry with an empty or invalid name");
        if (flags & 0x0001) throw Error("zip entry '" + printable(e.name) + "' is encrypted");
        if (method != 0)
            throw Error("zip entry '" + printable(e.name) + "' is compressed (method " + std::to_string(method) +
                        "); only stored entries, as torch.save writes them, can be read");
        if (compressedSize != size) throw Error("zip entry '" + printable(e.name) + "' has inconsistent sizes");
        if (diskStart != 0) throw Error("multi-part zip archives are not supported");
        e.size = size;

        // The local header only tells where the data begins; its sizes may be zero (data descriptor).
        if (e.headerOffset > cdOffset || cdOffset - e.headerOffset < kLocalHeaderSize)
            throw Error("zip entry '" + printable(e.name) + "' starts outside the archive");
        ByteReader local(data + e.headerOffset, cdOffset - e.headerOffset, "zip local header of " + printable(e.name));
        if (local.u32() != kLocalHeader) throw Error("zip entry '" + printable(e.name) + "' has no local header");
        local.skip(22);
        uint16_t localNameLength = local.u16();
        uint16_t localExtraLength = local.u16();
        const uint8_t* localName = local.take(localNameLength);
        if (localNameLength != nameLength || !std::equal(localName, localName + nameLength, name))
            throw Error("zip entry '" + printable(e.name) + "' has a different name in its local header");
        local.skip(localExtraLength);
        e.dataOffset = e.headerOffset + local.pos();
        if (e.size > cdOffset - e.dataOffset)
            throw Error("zip entry '" + printable(e.name) + "' extends past the end of the archive data");
        entries_.push_back(std::move(e));
    }

    // Entries must not share bytes: overlapping entries are the classic zip-bomb and polyglot trick.
    std::vector<const Entry*> byOffset;
    for (const Entry& e : entries_) byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(), [](const Entry* a, const Entry* b) { return a->headerOffset < b->headerOffset; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        if (byOffset[i]->headerOffset < byOffset[i - 1]->dataOffset + byOffset[i - 1]->size)
            throw Error("zip entries '" + printable(byOffset[i - 1]->name) + "' and '" + printable(byOffset[i]->name) + "' overlap");
    }

    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    for (size_t i = 1; i < entries_.size(); ++i) {
        if (entries_[i].name == entries_[i - 1].name)
            throw Error("zip archive holds entry '" + printable(entries_[i].name) + "' twice");
    }
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const
{
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name, [](const Entry& e, const std::string& n) { return e.name < n; });
    return it != entries_.end() && it->name == name ? &*it : nullptr;
}

const uint8_t* ZipArchive::read(const Entry& entry) const
{
    const uint8_t* p = data_ + entry.dataOffset;
    uLong crc = ::crc32(0L, Z_NULL, 0);
    uint64_t left = entry.size;
    const uint8_t* q = p;
    while (left > 0) {  // zlib takes 32-bit lengths
        uInt chunk = static_cast<uInt>(std::min<uint64_t>(left, std::numeric_limits<uInt>::max() / 2));
        crc = ::crc32(crc, q, chunk);
        q += chunk;
        left -= chunk;
    }
    if (static_cast<uint32_t>(crc) != entry.crc32)
        throw Error("zip entry '" + printable(entry.name) + "' is corrupt (CRC-32 mismatch)");
    return p;
}

} // namespace bertlab
