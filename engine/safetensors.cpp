// safetensors: a validating zero-copy reader over a memory mapping, and an atomic fp32 writer.
#include "safetensors.h"

#include "error.h"
#include "float_convert.h"
#include "mapped_file.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <unistd.h>
#include <vector>

namespace bertlab {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host would need byte swapping");

namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's limit

// Tensor names come from the file, so a hostile one must not break the one-line message.
std::string quoted(const std::string& s)
{
    std::string out = "\"";
    size_t shown = 0;
    for (unsigned char c : s) {
        if (++shown > 120) { out += "..."; break; }
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string oneLine(std::string s)
{
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

enum class DtypeKind { F32, F16, BF16, F64, Integer, UnsupportedFloat };

struct DtypeInfo {
    const char* name;
    unsigned bits;
    DtypeKind kind;
};

// The dtype list of the reference implementation (formats.md §1).
constexpr DtypeInfo kDtypes[] = {
    {"BOOL", 8, DtypeKind::Integer},        {"U8", 8, DtypeKind::Integer},
    {"I8", 8, DtypeKind::Integer},          {"F8_E5M2", 8, DtypeKind::UnsupportedFloat},
    {"F8_E4M3", 8, DtypeKind::UnsupportedFloat}, {"F8_E8M0", 8, DtypeKind::UnsupportedFloat},
    {"F8_E4M3FNUZ", 8, DtypeKind::UnsupportedFloat}, {"F8_E5M2FNUZ", 8, DtypeKind::UnsupportedFloat},
    {"I16", 16, DtypeKind::Integer},        {"U16", 16, DtypeKind::Integer},
    {"F16", 16, DtypeKind::F16},            {"BF16", 16, DtypeKind::BF16},
    {"I32", 32, DtypeKind::Integer},        {"U32", 32, DtypeKind::Integer},
    {"F32", 32, DtypeKind::F32},            {"I64", 64, DtypeKind::Integer},
    {"U64", 64, DtypeKind::Integer},        {"F64", 64, DtypeKind::F64},
    {"C64", 64, DtypeKind::UnsupportedFloat}, {"F4", 4, DtypeKind::UnsupportedFloat},
    {"F6_E2M3", 6, DtypeKind::UnsupportedFloat}, {"F6_E3M2", 6, DtypeKind::UnsupportedFloat},
};

const DtypeInfo* findDtype(const std::string& name)
{
    for (const auto& d : kDtypes)
        if (name == d.name) return &d;
    return nullptr;
}

struct Entry {
    std::string name;
    const DtypeInfo* dtype = nullptr;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;
    uint64_t numel = 0;
};

// nlohmann::json keeps the last of two equal keys without a word; this callback notices them.
class DuplicateKeyCheck {
public:
    bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed)
    {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) {
            keys_.emplace_back();
        } else if (event == E::object_end) {
            if (!keys_.empty()) keys_.pop_back();
        } else if (event == E::key && !keys_.empty() && parsed.is_string()) {
            const auto& key = parsed.get_ref<const std::string&>();
            if (!keys_.back().insert(key).second && duplicate_.empty()) duplicate_ = key.empty() ? std::string("\"\"") : key;
        }
        return true;
    }
    const std::string& duplicate() const { return duplicate_; }

private:
    std::vector<std::set<std::string>> keys_;
    std::string duplicate_;
};

uint64_t readLe64(const unsigned char* p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

Entry parseEntry(const std::string& path, const std::string& name, const nlohmann::json& v)
{
    const std::string where = path + ": tensor " + quoted(name);
    if (!v.is_object()) throw Error(where + " is not described by a JSON object");
    Entry e;
    e.name = name;

    auto dtypeIt = v.find("dtype");
    if (dtypeIt == v.end() || !dtypeIt->is_string()) throw Error(where + " has no \"dtype\" string");
    e.dtype = findDtype(dtypeIt->get<std::string>());
    if (!e.dtype) throw Error(where + " has unknown dtype " + quoted(dtypeIt->get<std::string>()));

    auto shapeIt = v.find("shape");
    if (shapeIt == v.end() || !shapeIt->is_array()) throw Error(where + " has no \"shape\" array");
    uint64_t numel = 1;
    bool overflow = false;
    for (const auto& d : *shapeIt) {
        if (d.is_number_integer() && !d.is_number_unsigned() && d.get<int64_t>() < 0)
            throw Error(where + " has a negative dimension " + std::to_string(d.get<int64_t>()));
        if (!d.is_number_unsigned()) throw Error(where + " has a dimension that is not a non-negative integer");
        uint64_t dim = d.get<uint64_t>();
        if (dim > static_cast<uint64_t>(INT64_MAX)) throw Error(where + " has an impossibly large dimension");
        e.shape.push_back(static_cast<int64_t>(dim));
        if (!overflow && __builtin_mul_overflow(numel, dim, &numel)) overflow = true;
    }
    // An empty tensor with a huge other dimension is still empty, so overflow only matters if numel > 0.
    if (overflow && std::find(e.shape.begin(), e.shape.end(), 0) == e.shape.end())
        throw Error(where + " has a shape whose element count overflows 64 bits");
    if (overflow) numel = 0;
    e.numel = numel;

    auto offIt = v.find("data_offsets");
    if (offIt == v.end() || !offIt->is_array() || offIt->size() != 2 || !(*offIt)[0].is_number_unsigned() ||
        !(*offIt)[1].is_number_unsigned())
        throw Error(where + " has no valid \"data_offsets\" [BEGIN, END] pair of non-negative integers");
    e.begin = (*offIt)[0].get<uint64_t>();
    e.end = (*offIt)[1].get<uint64_t>();
    if (e.end < e.begin)
        throw Error(where + " has data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                    "] that end before they begin");

    uint64_t bits = 0;
    if (__builtin_mul_overflow(numel, static_cast<uint64_t>(e.dtype->bits), &bits))
        throw Error(where + " has a shape whose byte size overflows 64 bits");
    if (bits % 8 != 0) throw Error(where + " does not end on a byte boundary (" + e.dtype->name + ")");
    const uint64_t bytes = bits / 8;
    if (e.end - e.begin != bytes)
        throw Error(where + " has shape " + [&] {
            std::string s = "[";
            for (size_t i = 0; i < e.shape.size(); ++i) s += (i ? ", " : "") + std::to_string(e.shape[i]);
            return s + "]";
        }() + " of " + e.dtype->name + " = " + std::to_string(bytes) + " bytes, but its data_offsets span " +
                    std::to_string(e.end - e.begin) + " bytes");
    return e;
}

} // namespace

TensorMap readSafetensors(const std::string& path)
{
    auto file = MappedFile::open(path);
    const unsigned char* base = file->data();
    const uint64_t fileSize = file->size();

    if (fileSize < 8)
        throw Error(path + " is not a safetensors file: it is " + std::to_string(fileSize) +
                    " bytes long, too short for the 8-byte header length");
    const uint64_t n = readLe64(base);
    if (n > kMaxHeaderBytes)
        throw Error(path + ": safetensors header length " + std::to_string(n) + " is over the limit of " +
                    std::to_string(kMaxHeaderBytes) + " bytes (corrupt or not a safetensors file)");
    if (n > fileSize - 8)
        throw Error(path + ": safetensors header length " + std::to_string(n) + " runs past the end of the file (" +
                    std::to_string(fileSize) + " bytes)");
    if (n == 0 || base[8] != '{') throw Error(path + ": safetensors header does not start with '{'");

    const auto* header = reinterpret_cast<const char*>(base + 8);
    {
        // Whole-header UTF-8 check, so that a bad byte anywhere (not only inside strings) is caught.
        const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(header);
        utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(n);
        while (left > 0) {
            utf8proc_int32_t cp = 0;
            utf8proc_ssize_t used = utf8proc_iterate(p, left, &cp);
            if (used <= 0 || cp < 0)
                throw Error(path + ": safetensors header is not valid UTF-8 (byte " +
                            std::to_string(static_cast<uint64_t>(n) - static_cast<uint64_t>(left)) + ")");
            p += used;
            left -= used;
        }
    }

    DuplicateKeyCheck duplicates;
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(header, header + n, std::ref(duplicates));
    } catch (const nlohmann::json::exception& e) {
        std::string what = e.what();
        if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
            what = what.substr(close + 2);
        throw Error(path + ": safetensors header is not valid JSON: " + oneLine(what));
    }
    if (!duplicates.duplicate().empty())
        throw Error(path + ": safetensors header names " + quoted(duplicates.duplicate()) + " twice");
    if (!json.is_object()) throw Error(path + ": safetensors header is not a JSON object");

    std::vector<Entry> entries;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object()) throw Error(path + ": safetensors __metadata__ is not a JSON object");
            for (auto m = it->begin(); m != it->end(); ++m)
                if (!m->is_string())
                    throw Error(path + ": safetensors __metadata__ value " + quoted(m.key()) + " is not a string");
            continue;
        }
        entries.push_back(parseEntry(path, it.key(), *it));
    }

    std::vector<const Entry*> byOffset;
    for (const auto& e : entries) byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t expected = 0;
    for (const Entry* e : byOffset) {
        if (e->begin != expected) {
            if (e->begin < expected)
                throw Error(path + ": tensor " + quoted(e->name) + " overlaps the previous tensor (data_offsets begin at " +
                            std::to_string(e->begin) + ", previous ends at " + std::to_string(expected) + ")");
            throw Error(path + ": gap in the data buffer before tensor " + quoted(e->name) + " (begins at " +
                        std::to_string(e->begin) + ", previous ends at " + std::to_string(expected) + ")");
        }
        expected = e->end;
    }
    const uint64_t dataStart = 8 + n;
    const uint64_t bufferSize = fileSize - dataStart;
    if (expected != bufferSize) {
        if (expected > bufferSize)
            throw Error(path + ": tensor data_offsets run to byte " + std::to_string(expected) +
                        " of the data buffer, past the end of the file (buffer is " + std::to_string(bufferSize) +
                        " bytes; truncated file?)");
        throw Error(path + ": " + std::to_string(bufferSize - expected) +
                    " bytes after the last tensor are not covered by any tensor");
    }

    TensorMap out;
    out.sourceFormat = "safetensors";
    std::map<std::string, int> converted;
    std::vector<std::string> skipped;
    const std::shared_ptr<const void> owner = file;
    for (const auto& e : entries) {
        const unsigned char* src = base + dataStart + e.begin;
        TensorView view;
        switch (e.dtype->kind) {
        case DtypeKind::Integer:
            skipped.push_back(e.name);
            continue;
        case DtypeKind::UnsupportedFloat:
            throw Error(path + ": tensor " + quoted(e.name) + " has dtype " + e.dtype->name +
                        ", which bertlab cannot read (F32, F16, BF16 and F64 are supported)");
        case DtypeKind::F32:
            if (e.numel == 0) {
                view = makeOwnedTensor({}, e.shape);
            } else if (reinterpret_cast<uintptr_t>(src) % alignof(float) == 0) {
                view.data = reinterpret_cast<const float*>(src);
                view.shape = e.shape;
                view.owner = owner;
            } else {
                std::vector<float> v(e.numel);
                std::memcpy(v.data(), src, e.numel * sizeof(float));
                view = makeOwnedTensor(std::move(v), e.shape);
            }
            break;
        case DtypeKind::F16:
        case DtypeKind::BF16:
        case DtypeKind::F64: {
            std::vector<float> v(e.numel);
            for (uint64_t i = 0; i < e.numel; ++i) {
                if (e.dtype->kind == DtypeKind::F64) {
                    double d;
                    std::memcpy(&d, src + 8 * i, 8);
                    v[i] = static_cast<float>(d);
                } else {
                    uint16_t h;
                    std::memcpy(&h, src + 2 * i, 2);
                    v[i] = e.dtype->kind == DtypeKind::F16 ? halfToFloat(h)
                                                      : bfloat16ToFloat(h);
                }
            }
            view = makeOwnedTensor(std::move(v), e.shape);
            ++converted[e.dtype->name];
            break;
        }
        }
        out.tensors.emplace(e.name, std::move(view));
    }
    for (const auto& [dtype, count] : converted)
        out.warnings.push_back("converted " + std::to_string(count) + " " + dtype + " tensor" +
                               (count == 1 ? "" : "s") + " to F32");
    (void)skipped;  // integer buffers (position_ids) are not weights; nothing to report
    return out;
}

namespace {

class TempFile {
public:
    explicit TempFile(const std::string& target) : target_(target)
    {
        static std::atomic<unsigned> counter{0};
        temp_ = target + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd_ < 0) fail();
    }
    ~TempFile()
    {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(temp_.c_str());
    }
    void write(const void* data, size_t size)
    {
        auto* p = static_cast<const char*>(data);
        while (size > 0) {
            ssize_t w = ::write(fd_, p, std::min<size_t>(size, size_t{1} << 30));
            if (w < 0) {
                if (errno == EINTR) continue;
                fail();
            }
            p += w;
            size -= static_cast<size_t>(w);
        }
    }
    void commit()
    {
        if (::fsync(fd_) != 0) fail();
        int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail();
        if (::rename(temp_.c_str(), target_.c_str()) != 0) fail();
        committed_ = true;
    }

private:
    [[noreturn]] void fail() { throw Error("Cannot write " + target_ + ": " + std::strerror(errno)); }
    std::string target_, temp_;
    int fd_ = -1;
    bool committed_ = false;
};

} // namespace

void writeSafetensors(const std::string& path, const TensorMap& tensors, StoredFloat stored)
{
    const bool half = stored == StoredFloat::F16;
    const size_t elementSize = half ? sizeof(uint16_t) : sizeof(float);
    nlohmann::json header = nlohmann::json::object();
    header["__metadata__"] = {{"format", "pt"}};  // transformers checks this before loading
    uint64_t offset = 0;
    for (const auto& [name, view] : tensors.tensors) {
        if (name.empty() || name == "__metadata__")
            throw Error("Cannot write " + path + ": invalid tensor name " + quoted(name));
        int64_t numel = 1;
        for (int64_t d : view.shape) {
            if (d < 0) throw Error("Cannot write " + path + ": tensor " + quoted(name) + " has a negative dimension");
            numel *= d;
        }
        if (numel > 0 && !view.data) throw Error("Cannot write " + path + ": tensor " + quoted(name) + " has no data");
        const uint64_t bytes = static_cast<uint64_t>(numel) * elementSize;
        header[name] = {{"dtype", half ? "F16" : "F32"}, {"shape", view.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    // Pad with spaces so the data buffer starts 8-byte aligned, as the reference writer does.
    text.append((8 - (text.size() % 8)) % 8, ' ');
    unsigned char length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(static_cast<uint64_t>(text.size()) >> (8 * i));

    TempFile out(path);
    out.write(length, 8);
    out.write(text.data(), text.size());
    for (const auto& [name, view] : tensors.tensors) {
        if (view.numel() <= 0) continue;
        if (!half) {
            out.write(view.data, static_cast<size_t>(view.numel()) * sizeof(float));
            continue;
        }
        std::vector<uint16_t> bits(static_cast<size_t>(view.numel()));
        for (size_t i = 0; i < bits.size(); ++i) bits[i] = floatToHalf(view.data[i]);
        out.write(bits.data(), bits.size() * sizeof(uint16_t));
    }
    out.commit();
}

} // namespace bertlab
