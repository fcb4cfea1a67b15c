// torch.save containers (zip archive or legacy pickle chain) turned into fp32 tensors by name.
#include "pytorch_checkpoint.h"

#include "error.h"
#include "float_convert.h"
#include "mapped_file.h"
#include "zip_archive.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

namespace bertlab {

using pickle::Kind;
using pickle::ScalarType;
using pickle::Value;

namespace {

constexpr int kMaxNameDepth = 64;
constexpr size_t kMaxNameLength = 4096;

std::string printable(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 100)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}

template <typename T>
T load(const uint8_t* p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Reads one element (or one half of a complex element) as double.
double elementAt(ScalarType type, const uint8_t* p, int part)
{
    switch (type) {
    case ScalarType::Float64: return load<double>(p);
    case ScalarType::Float32: return load<float>(p);
    case ScalarType::Float16: return halfToFloat(load<uint16_t>(p));
    case ScalarType::BFloat16: return bfloat16ToFloat(load<uint16_t>(p));
    case ScalarType::Int64: return static_cast<double>(load<int64_t>(p));
    case ScalarType::Int32: return load<int32_t>(p);
    case ScalarType::Int16: return load<int16_t>(p);
    case ScalarType::Int8: return load<int8_t>(p);
    case ScalarType::UInt8: return load<uint8_t>(p);
    case ScalarType::Bool: return p[0] != 0;
    case ScalarType::Complex64: return load<float>(p + 4 * part);
    case ScalarType::Complex128: return load<double>(p + 8 * part);
    }
    return 0;
}

// Visits every element's storage index in logical row-major order.
template <typename F>
void forEachElement(const pickle::Tensor& t, F&& f)
{
    if (t.numel == 0) return;
    const auto& s = *t.storage->storage;
    if (!s.bytes) throw Error("checkpoint tensor has no storage data");
    size_t rank = t.shape.size();
    std::vector<int64_t> index(rank, 0);
    int64_t at = s.viewOffset + t.storageOffset;
    for (int64_t n = 0; n < t.numel; ++n) {
        f(at);
        for (size_t d = rank; d-- > 0;) {  // odometer step
            if (++index[d] < t.shape[d]) {
                at += t.stride[d];
                break;
            }
            at -= (t.shape[d] - 1) * t.stride[d];
            index[d] = 0;
        }
    }
}

bool isContiguous(const pickle::Tensor& t)
{
    int64_t expected = 1;
    for (size_t d = t.shape.size(); d-- > 0;) {
        if (t.shape[d] != 1 && t.stride[d] != expected) return false;
        expected *= t.shape[d];
    }
    return true;
}

PytorchObject loadZip(const uint8_t* data, size_t size)
{
    ZipArchive zip(data, size);
    const ZipArchive::Entry* pickleEntry = nullptr;
    for (const auto& e : zip.entries()) {
        if (e.name == "data.pkl" || (e.name.size() > 9 && e.name.ends_with("/data.pkl"))) {
            if (pickleEntry) throw Error("checkpoint archive holds more than one data.pkl");
            pickleEntry = &e;
        }
    }
    if (!pickleEntry) throw Error("zip archive is not a PyTorch checkpoint (no data.pkl entry)");
    std::string prefix = pickleEntry->name.substr(0, pickleEntry->name.size() - 8);

    if (const auto* order = zip.find(prefix + "byteorder")) {
        const uint8_t* p = zip.read(*order);
        std::string text(reinterpret_cast<const char*>(p), std::min<uint64_t>(order->size, 16));
        if (text != "little") throw Error("checkpoint was saved big-endian; only little-endian files are supported");
    }

    PytorchObject obj;
    obj.format = "pytorch-zip";
    obj.arena = std::make_shared<pickle::Arena>();
    pickle::Unpickler unpickler(*obj.arena, pickle::PersistentIds::Zip);
    size_t pos = 0;
    obj.root = unpickler.load(zip.read(*pickleEntry), pickleEntry->size, pos);

    std::map<std::string, const uint8_t*> located;
    for (const auto& [key, root] : unpickler.roots()) {
        const auto* entry = zip.find(prefix + "data/" + key);
        if (!entry) throw Error("checkpoint is missing the data of storage '" + printable(key) + "'");
        uint64_t needed = static_cast<uint64_t>(root.numel) * static_cast<uint64_t>(pickle::elementSize(root.type));
        if (entry->size < needed)
            throw Error("checkpoint storage '" + printable(key) + "' holds " + std::to_string(entry->size) +
                        " bytes but is declared as " + std::to_string(needed));
        located[key] = zip.read(*entry);
    }
    for (const auto& [id, value] : unpickler.storages()) value->storage->bytes = located.at(value->storage->key);
    return obj;
}

// Little-endian 0x1950a86a20f9469cfc6c, the number legacy torch.save writes first.
constexpr uint8_t kLegacyMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

PytorchObject loadLegacy(const uint8_t* data, size_t size)
{
    PytorchObject obj;
    obj.format = "pytorch-legacy";
    obj.arena = std::make_shared<pickle::Arena>();
    pickle::Unpickler header(*obj.arena, pickle::PersistentIds::Refused);
    size_t pos = 0;

    const Value* magic = header.load(data, size, pos);
    if (magic->kind != Kind::BigInt || magic->text.size() != sizeof kLegacyMagic ||
        std::memcmp(magic->text.data(), kLegacyMagic, sizeof kLegacyMagic) != 0)
        throw Error("file is a pickle but not a PyTorch checkpoint (no torch.save magic number)");
    const Value* version = header.load(data, size, pos);
    if (version->kind != Kind::Int || version->integer != 1001)
        throw Error("unsupported legacy PyTorch checkpoint version");
    const Value* sysInfo = header.load(data, size, pos);
    if (sysInfo->kind != Kind::Dict) throw Error("legacy PyTorch checkpoint has no system information");
    for (const auto& [k, v] : sysInfo->entries) {
        if (k->kind == Kind::String && k->text == "little_endian" && !(v->kind == Kind::Bool && v->boolean))
            throw Error("checkpoint was saved big-endian; only little-endian files are supported");
    }

    pickle::Unpickler unpickler(*obj.arena, pickle::PersistentIds::Legacy);
    obj.root = unpickler.load(data, size, pos);

    const Value* keys = header.load(data, size, pos);
    if (keys->kind != Kind::List) throw Error("legacy PyTorch checkpoint has no storage list");
    std::map<std::string, const uint8_t*> located;
    for (const Value* key : keys->items) {
        if (key->kind != Kind::String) throw Error("legacy PyTorch checkpoint has a malformed storage list");
        auto root = unpickler.roots().find(key->text);
        if (root == unpickler.roots().end())
            throw Error("checkpoint stores data for storage '" + printable(key->text) + "', which nothing uses");
        if (located.count(key->text)) throw Error("checkpoint stores storage '" + printable(key->text) + "' twice");
        if (size - pos < 8) throw Error("checkpoint is truncated (storage data missing)");
        int64_t count = load<int64_t>(data + pos);
        pos += 8;
        if (count != root->second.numel)
            throw Error("checkpoint storage '" + printable(key->text) + "' has " + std::to_string(count) +
                        " elements but is declared with " + std::to_string(root->second.numel));
        uint64_t bytes = static_cast<uint64_t>(count) * static_cast<uint64_t>(pickle::elementSize(root->second.type));
        if (bytes > size - pos) throw Error("checkpoint is truncated (storage '" + printable(key->text) + "' is cut short)");
        located[key->text] = data + pos;
        pos += bytes;
    }
    for (const auto& [key, root] : unpickler.roots()) {
        if (!located.count(key)) throw Error("checkpoint is missing the data of storage '" + printable(key) + "'");
    }
    for (const auto& [id, value] : unpickler.storages()) value->storage->bytes = located.at(value->storage->key);
    return obj;
}

// Walks dicts, lists and tuples, collecting tensors under dotted names. Containers are entered
// once each, so shared or cyclic structures cannot multiply the work.
void collectTensors(const Value* v, const std::string& name, int depth, std::set<const Value*>& entered,
                    std::vector<std::pair<std::string, const Value*>>& out)
{
    if (depth > kMaxNameDepth) throw Error("checkpoint nests its tensors too deeply");
    auto child = [&](const std::string& key) {
        // Long names under many tensors would multiply memory; real names are a few dozen bytes.
        if (name.size() + key.size() > kMaxNameLength) throw Error("checkpoint has a tensor name longer than 4096 bytes");
        return name.empty() ? key : name + "." + key;
    };
    switch (v->kind) {
    case Kind::Tensor:
        out.emplace_back(name.empty() ? "tensor" : name, v);
        break;
    case Kind::Dict:
        if (!entered.insert(v).second) return;
        for (const auto& [k, item] : v->entries) {
            if (k->kind == Kind::String) collectTensors(item, child(k->text), depth + 1, entered, out);
            else if (k->kind == Kind::Int) collectTensors(item, child(std::to_string(k->integer)), depth + 1, entered, out);
        }
        break;
    case Kind::List:
    case Kind::Tuple:
        if (!entered.insert(v).second) return;
        for (size_t i = 0; i < v->items.size(); ++i) collectTensors(v->items[i], child(std::to_string(i)), depth + 1, entered, out);
        break;
    default:
        break;
    }
}

} // namespace

PytorchObject loadPytorchObject(const uint8_t* data, size_t size)
{
    if (ZipArchive::looksLikeZip(data, size)) return loadZip(data, size);
    if (size >= 2 && data[0] == 0x80) return loadLegacy(data, size);
    throw Error("not a PyTorch checkpoint: neither a zip archive nor a pickle");
}

std::vector<double> tensorValues(const pickle::Tensor& tensor)
{
    const auto& s = *tensor.storage->storage;
    int es = pickle::elementSize(s.type);
    bool complex = s.type == ScalarType::Complex64 || s.type == ScalarType::Complex128;
    std::vector<double> out;
    out.reserve(static_cast<size_t>(tensor.numel) * (complex ? 2 : 1));
    forEachElement(tensor, [&](int64_t at) {
        const uint8_t* p = s.bytes + at * es;
        out.push_back(elementAt(s.type, p, 0));
        if (complex) out.push_back(elementAt(s.type, p, 1));
    });
    return out;
}

TensorMap parsePytorchCheckpoint(const uint8_t* data, size_t size, std::shared_ptr<const void> owner)
{
    PytorchObject obj = loadPytorchObject(data, size);
    std::vector<std::pair<std::string, const Value*>> found;
    std::set<const Value*> entered;
    collectTensors(obj.root, "", 0, entered, found);

    TensorMap map;
    map.sourceFormat = obj.format;
    // Copies are bounded by the file: fp16 doubles in size, and tied copies are shared below.
    const uint64_t budget = 4 * static_cast<uint64_t>(size) + (1u << 20);
    uint64_t copied = 0;
    std::set<ScalarType> converted;
    using Layout = std::tuple<const Value*, int64_t, std::vector<int64_t>, std::vector<int64_t>>;
    std::map<Layout, TensorView> made;

    for (const auto& [name, value] : found) {
        const pickle::Tensor& t = *value->tensor;
        const pickle::Storage& s = *t.storage->storage;
        if (s.type != ScalarType::Float32 && s.type != ScalarType::Float16 && s.type != ScalarType::BFloat16 &&
            s.type != ScalarType::Float64) {
            map.warnings.push_back("skipped " + std::string(pickle::scalarTypeName(s.type)) + " tensor '" + printable(name) + "'");
            continue;
        }
        if (map.tensors.count(name)) throw Error("checkpoint holds tensor '" + printable(name) + "' twice");
        Layout layout{t.storage, t.storageOffset, t.shape, t.stride};
        if (auto it = made.find(layout); it != made.end()) {
            map.tensors[name] = it->second;
            continue;
        }
        TensorView view;
        view.shape = t.shape;
        const uint8_t* first = s.bytes + (s.viewOffset + t.storageOffset) * pickle::elementSize(s.type);
        if (owner && s.type == ScalarType::Float32 && isContiguous(t) &&
            reinterpret_cast<uintptr_t>(first) % alignof(float) == 0) {
            view.data = t.numel ? reinterpret_cast<const float*>(first) : nullptr;
            view.owner = owner;
            if (!view.data) view = makeOwnedTensor({}, t.shape);
        } else {
            copied += static_cast<uint64_t>(t.numel) * sizeof(float);
            if (copied > budget) throw Error("checkpoint's tensors would need far more memory than the file's size; refusing to load it");
            std::vector<float> values;
            values.reserve(static_cast<size_t>(t.numel));
            int es = pickle::elementSize(s.type);
            forEachElement(t, [&](int64_t at) { values.push_back(static_cast<float>(elementAt(s.type, s.bytes + at * es, 0))); });
            view = makeOwnedTensor(std::move(values), t.shape);
            if (s.type != ScalarType::Float32) converted.insert(s.type);
        }
        made.emplace(std::move(layout), view);
        map.tensors[name] = std::move(view);
    }
    for (ScalarType type : converted)
        map.warnings.push_back("converted " + std::string(pickle::scalarTypeName(type)) + " tensors to float32");
    if (map.tensors.empty()) throw Error("checkpoint holds no floating-point tensors");
    return map;
}

TensorMap readPytorchCheckpoint(const std::string& path)
{
    auto file = MappedFile::open(path);
    try {
        return parsePytorchCheckpoint(file->data(), file->size(), file);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

} // namespace bertlab
