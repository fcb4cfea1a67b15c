// A pickle reader that executes nothing: it builds inert values and knows a fixed allow-list of
// torch globals (OrderedDict, tensor rebuilders, storage classes); anything else is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bertlab::pickle {

enum class ScalarType : uint8_t {
    Float64, Float32, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool, Complex64, Complex128
};
int elementSize(ScalarType type);
const char* scalarTypeName(ScalarType type);  // "float32", "int64", ...

struct Value;

// A torch storage named by a persistent id. The container reader (zip or legacy) sets `bytes`.
struct Storage {
    ScalarType type{};
    std::string key;             // root storage key: zip entry data/<key> or legacy record key
    int64_t rootNumel = 0;       // elements in the root storage
    int64_t viewOffset = 0;      // legacy storage views: first element of the view within the root
    int64_t numel = 0;           // elements visible through this storage (rootNumel unless a view)
    const uint8_t* bytes = nullptr;  // first byte of the root storage, once located
};

// torch's strided view: element i of the logical tensor is at
// storageOffset + sum(index[d] * stride[d]) within the storage. Bounds are checked on creation.
struct Tensor {
    const Value* storage = nullptr;  // kind Storage
    int64_t storageOffset = 0;
    std::vector<int64_t> shape;
    std::vector<int64_t> stride;
    int64_t numel = 0;
};

enum class Kind : uint8_t { None, Bool, Int, BigInt, Float, String, Bytes, List, Tuple, Dict, Global, Storage, Tensor };
const char* kindName(Kind kind);

struct Value {
    Kind kind = Kind::None;
    uint16_t depth = 0;      // container nesting below this value when its items were added
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    std::string text;        // String/Bytes; BigInt: little-endian two's complement; Global: "module.name"
    std::vector<Value*> items;                       // List, Tuple
    std::vector<std::pair<Value*, Value*>> entries;  // Dict, in insertion order (duplicates kept)
    std::unique_ptr<pickle::Storage> storage;
    std::unique_ptr<pickle::Tensor> tensor;
};

struct Limits {
    size_t maxValues = size_t{1} << 20;  // ~120 bytes each: caps a pickle's memory near 128 MiB
    size_t maxMemo = size_t{1} << 20;
    size_t maxStack = size_t{1} << 20;
    size_t maxMarks = 1000;
    int maxDepth = 100;
};

// Owns every value made while unpickling; values may point at each other, even in cycles.
class Arena {
public:
    explicit Arena(size_t maxValues = Limits{}.maxValues) : maxValues_(maxValues) {}
    Value* make(Kind kind);
    size_t size() const { return values_.size(); }

private:
    std::deque<Value> values_;
    size_t maxValues_;
};

// How BINPERSID tuples are read: torch's zip format ('storage', cls, key, location, numel) or the
// legacy format, which adds view metadata (view_key, offset, size) or None.
enum class PersistentIds { Refused, Zip, Legacy };

struct RootStorage {
    ScalarType type{};
    int64_t numel = 0;
};

class Unpickler {
public:
    Unpickler(Arena& arena, PersistentIds persistentIds, Limits limits = {});

    // Runs one pickle from data[pos] through its STOP opcode and leaves `pos` just after it.
    // Throws Error naming the refused global, the bad opcode or the broken limit.
    Value* load(const uint8_t* data, size_t size, size_t& pos);

    // Storages made by persistent ids, keyed by their id key (the view key for legacy views).
    const std::map<std::string, Value*>& storages() const { return storages_; }
    // Root storages by key, with the type and size every reference to them agreed on.
    const std::map<std::string, RootStorage>& roots() const { return roots_; }

private:
    struct Machine;
    Value* makeStorage(const Value& pid);

    Arena& arena_;
    PersistentIds persistentIds_;
    Limits limits_;
    std::map<std::string, Value*> storages_;
    std::map<std::string, RootStorage> roots_;
    Value* none_;
    Value* true_;
    Value* false_;
};

} // namespace bertlab::pickle
