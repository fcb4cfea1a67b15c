// TensorBundle records decoded from their protobuf bytes, checked, and mapped to BERT's HF names.
#include "tf_checkpoint.h"

#include "byte_reader.h"
#include "crc32c.h"
#include "error.h"
#include "float_convert.h"
#include "mapped_file.h"
#include "tf_table_reader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

namespace bertlab {

namespace {

constexpr int kDtFloat = 1, kDtDouble = 2, kDtBfloat16 = 14, kDtHalf = 19;
constexpr int64_t kMaxShards = 10000;
constexpr size_t kMaxRank = 32;

std::string printable(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 120)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}

// Calls f(fieldNumber, wireType, varintOrFixedValue, bytesReader) for each field of a message.
template <typename F>
void forEachField(const std::string& message, const std::string& what, F&& f)
{
    ByteReader in(reinterpret_cast<const uint8_t*>(message.data()), message.size(), what);
    while (!in.atEnd()) {
        uint64_t tag = in.varint();
        uint64_t field = tag >> 3;
        int wire = static_cast<int>(tag & 7);
        uint64_t value = 0;
        std::string bytes;
        switch (wire) {
        case 0: value = in.varint(); break;
        case 1: value = in.u64(); break;
        case 5: value = in.u32(); break;
        case 2: {
            uint64_t n = in.varint();
            if (n > in.remaining()) in.truncated();
            bytes.assign(reinterpret_cast<const char*>(in.take(n)), n);
            break;
        }
        default: throw Error(what + " is malformed (wire type " + std::to_string(wire) + ")");
        }
        f(field, wire, value, bytes);
    }
}

std::vector<int64_t> parseShape(const std::string& message, const std::string& name)
{
    std::vector<int64_t> shape;
    forEachField(message, "shape of " + name, [&](uint64_t field, int wire, uint64_t, const std::string& bytes) {
        if (field == 3 && wire == 0) throw Error("checkpoint variable '" + name + "' has an unknown rank");
        if (field != 2 || wire != 2) return;
        int64_t size = 0;
        forEachField(bytes, "shape of " + name, [&](uint64_t f, int w, uint64_t v, const std::string&) {
            if (f == 1 && w == 0) size = static_cast<int64_t>(v);
        });
        if (size < 0) throw Error("checkpoint variable '" + name + "' has a negative dimension");
        if (shape.size() >= kMaxRank) throw Error("checkpoint variable '" + name + "' has too many dimensions");
        shape.push_back(size);
    });
    return shape;
}

int elementSize(int dtype)
{
    switch (dtype) {
    case kDtFloat: return 4;
    case kDtDouble: return 8;
    case kDtBfloat16: case kDtHalf: return 2;
    default: return 0;
    }
}

const char* dtypeName(int dtype)
{
    switch (dtype) {
    case kDtDouble: return "float64";
    case kDtBfloat16: return "bfloat16";
    case kDtHalf: return "float16";
    case 3: return "int32";
    case 9: return "int64";
    default: return "non-float";
    }
}

float elementAt(int dtype, const uint8_t* p)
{
    switch (dtype) {
    case kDtFloat: { float f; std::memcpy(&f, p, 4); return f; }
    case kDtDouble: { double d; std::memcpy(&d, p, 8); return static_cast<float>(d); }
    case kDtBfloat16: { uint16_t h; std::memcpy(&h, p, 2); return bfloat16ToFloat(h); }
    default: { uint16_t h; std::memcpy(&h, p, 2); return halfToFloat(h); }
    }
}

bool isSkippedPart(const std::string& part)
{
    return part == "adam_m" || part == "adam_v" || part == "AdamWeightDecayOptimizer" ||
           part == "AdamWeightDecayOptimizer_1" || part == "global_step";
}

} // namespace

TfBundleIndex parseTfBundleIndex(const uint8_t* data, size_t size)
{
    std::vector<TableEntry> table = readSortedTable(data, size);
    if (table.empty() || !table.front().key.empty()) throw Error("checkpoint index has no bundle header");

    TfBundleIndex index;
    forEachField(table.front().value, "checkpoint bundle header", [&](uint64_t field, int wire, uint64_t value, const std::string&) {
        if (field == 1 && wire == 0) index.numShards = static_cast<int64_t>(value);
        if (field == 2 && wire == 0 && value != 0) throw Error("checkpoint was written big-endian; only little-endian bundles are supported");
    });
    if (index.numShards < 1 || index.numShards > kMaxShards) throw Error("checkpoint header has an implausible shard count");

    for (size_t i = 1; i < table.size(); ++i) {
        TfBundleEntry e;
        e.name = table[i].key;
        const std::string what = "checkpoint entry for '" + printable(e.name) + "'";
        forEachField(table[i].value, what, [&](uint64_t field, int wire, uint64_t value, const std::string& bytes) {
            switch (field) {
            case 1: if (wire == 0) e.dtype = static_cast<int>(value); break;
            case 2: if (wire == 2) e.shape = parseShape(bytes, printable(e.name)); break;
            case 3: if (wire == 0) e.shard = static_cast<int64_t>(value); break;
            case 4: if (wire == 0) e.offset = value; break;
            case 5: if (wire == 0) e.size = value; break;
            case 6: if (wire == 5) e.maskedCrc32c = static_cast<uint32_t>(value); break;
            case 7: e.sliced = true; break;
            default: break;
            }
        });
        if (e.shard < 0 || e.shard >= index.numShards) throw Error(what + " names a shard that does not exist");
        index.entries.push_back(std::move(e));
    }
    return index;
}

std::optional<TfVariableName> huggingFaceName(const std::string& tfName)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t slash = tfName.find('/', start);
        parts.push_back(tfName.substr(start, slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    TfVariableName out;
    std::vector<std::string> names;
    for (const std::string& p : parts) {
        if (isSkippedPart(p)) return std::nullopt;
        if (p.size() > 6 && p.rfind("layer_", 0) == 0 &&
            std::all_of(p.begin() + 6, p.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            names.push_back("layer");
            names.push_back(p.substr(6));
        } else if (p == "kernel") {
            names.push_back("weight");
            out.transpose = true;
        } else if (p == "gamma" || p == "output_weights") {
            names.push_back("weight");
        } else if (p == "beta" || p == "output_bias") {
            names.push_back("bias");
        } else {
            names.push_back(p);
        }
    }
    if (parts.back().size() > 11 && parts.back().ends_with("_embeddings")) names.push_back("weight");
    for (size_t i = 0; i < names.size(); ++i) out.name += (i ? "." : "") + names[i];
    return out;
}

TensorMap tensorsFromTfBundle(const TfBundleIndex& index, const std::vector<TfShard>& shards)
{
    TensorMap map;
    map.sourceFormat = "tf-checkpoint";
    uint64_t available = 0;
    for (const TfShard& s : shards) available += s.size;
    const uint64_t budget = 4 * available + (1u << 20);
    uint64_t copied = 0;
    std::map<std::pair<int64_t, uint64_t>, uint64_t> used;  // (shard, offset) -> end, to refuse overlaps
    std::map<int, int> converted;

    for (const TfBundleEntry& e : index.entries) {
        auto hf = huggingFaceName(e.name);
        if (!hf) continue;
        const std::string name = printable(e.name);
        int es = elementSize(e.dtype);
        if (es == 0) {
            map.warnings.push_back("skipped " + std::string(dtypeName(e.dtype)) + " variable '" + name + "'");
            continue;
        }
        if (e.sliced) throw Error("checkpoint variable '" + name + "' is partitioned, which is not supported");
        int64_t numel = 1;
        for (int64_t d : e.shape) {
            if (__builtin_mul_overflow(numel, d, &numel) || numel > (int64_t{1} << 50))
                throw Error("checkpoint variable '" + name + "' has a size that overflows");
        }
        if (e.size != static_cast<uint64_t>(numel) * static_cast<uint64_t>(es))
            throw Error("checkpoint variable '" + name + "' holds " + std::to_string(e.size) + " bytes, not the " +
                        std::to_string(numel * es) + " its shape needs");
        if (e.shard < 0 || static_cast<size_t>(e.shard) >= shards.size())
            throw Error("checkpoint variable '" + name + "' is in a data shard that is missing");
        const TfShard& shard = shards[static_cast<size_t>(e.shard)];
        if (e.offset > shard.size || e.size > shard.size - e.offset)
            throw Error("checkpoint variable '" + name + "' lies past the end of its data file (truncated?)");
        auto [slot, fresh] = used.emplace(std::make_pair(e.shard, e.offset), e.offset + e.size);
        if (!fresh && e.size > 0) throw Error("checkpoint variables overlap in the data file");
        if (auto next = std::next(slot); next != used.end() && next->first.first == e.shard && next->first.second < e.offset + e.size)
            throw Error("checkpoint variables overlap in the data file");
        if (slot != used.begin()) {
            auto prev = std::prev(slot);
            if (prev->first.first == e.shard && prev->second > e.offset) throw Error("checkpoint variables overlap in the data file");
        }
        const uint8_t* bytes = shard.data + e.offset;
        if (maskCrc32c(crc32c(bytes, e.size)) != e.maskedCrc32c)
            throw Error("checkpoint variable '" + name + "' is corrupt (CRC-32C mismatch)");
        if (map.tensors.count(hf->name)) throw Error("checkpoint holds '" + printable(hf->name) + "' twice");

        std::vector<int64_t> shape = e.shape;
        if (hf->transpose) {
            if (shape.size() != 2) throw Error("checkpoint kernel '" + name + "' is not a matrix");
            std::swap(shape[0], shape[1]);
        }
        TensorView view;
        if (!hf->transpose && e.dtype == kDtFloat && shard.owner && reinterpret_cast<uintptr_t>(bytes) % alignof(float) == 0 && numel > 0) {
            view.data = reinterpret_cast<const float*>(bytes);
            view.shape = shape;
            view.owner = shard.owner;
        } else {
            copied += static_cast<uint64_t>(numel) * 4;
            if (copied > budget) throw Error("checkpoint's tensors would need far more memory than its size; refusing to load it");
            std::vector<float> values(static_cast<size_t>(numel));
            if (hf->transpose) {
                // TF [in, out] row-major becomes [out, in]: element (i, o) goes to (o, i).
                int64_t in = e.shape[0], outDim = e.shape[1];
                for (int64_t i = 0; i < in; ++i)
                    for (int64_t o = 0; o < outDim; ++o) values[o * in + i] = elementAt(e.dtype, bytes + (i * outDim + o) * es);
            } else {
                for (int64_t k = 0; k < numel; ++k) values[k] = elementAt(e.dtype, bytes + k * es);
            }
            view = makeOwnedTensor(std::move(values), shape);
            if (e.dtype != kDtFloat) converted[e.dtype]++;
        }
        map.tensors[hf->name] = std::move(view);
    }
    for (const auto& [dtype, n] : converted)
        map.warnings.push_back("converted " + std::to_string(n) + " " + dtypeName(dtype) + " variables to float32");
    if (map.tensors.empty()) throw Error("checkpoint holds no floating-point model variables");
    return map;
}

TensorMap readTfCheckpoint(const std::string& path)
{
    std::string prefix = path;
    if (prefix.ends_with(".index")) prefix.resize(prefix.size() - 6);
    else if (size_t data = prefix.rfind(".data-"); data != std::string::npos && prefix.find('/', data) == std::string::npos)
        prefix.resize(data);
    try {
        auto indexFile = MappedFile::open(prefix + ".index");
        TfBundleIndex index = parseTfBundleIndex(indexFile->data(), indexFile->size());
        std::vector<TfShard> shards(static_cast<size_t>(index.numShards));
        std::vector<bool> needed(shards.size(), false);
        for (const auto& e : index.entries)
            if (huggingFaceName(e.name)) needed[static_cast<size_t>(e.shard)] = true;
        for (size_t i = 0; i < shards.size(); ++i) {
            if (!needed[i]) continue;
            char suffix[64];
            std::snprintf(suffix, sizeof suffix, ".data-%05zu-of-%05lld", i, static_cast<long long>(index.numShards));
            auto file = MappedFile::open(prefix + suffix);
            shards[i] = TfShard{file->data(), file->size(), file};
        }
        return tensorsFromTfBundle(index, shards);
    } catch (const Error& e) {
        throw Error(prefix + ": " + e.what());
    }
}

} // namespace bertlab
