// The pickle virtual machine, cut down to data-building opcodes and torch's tensor rebuilders.
#include "restricted_unpickler.h"

#include "byte_reader.h"
#include "error.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace bertlab::pickle {

namespace {

constexpr int64_t kMaxElements = int64_t{1} << 50;  // no real tensor comes near; keeps byte counts far from overflow
constexpr size_t kMaxRank = 32;

struct StorageClass {
    const char* name;
    ScalarType type;
};
constexpr StorageClass kStorageClasses[] = {
    {"torch.DoubleStorage", ScalarType::Float64}, {"torch.FloatStorage", ScalarType::Float32},
    {"torch.HalfStorage", ScalarType::Float16},   {"torch.BFloat16Storage", ScalarType::BFloat16},
    {"torch.LongStorage", ScalarType::Int64},     {"torch.IntStorage", ScalarType::Int32},
    {"torch.ShortStorage", ScalarType::Int16},    {"torch.CharStorage", ScalarType::Int8},
    {"torch.ByteStorage", ScalarType::UInt8},     {"torch.BoolStorage", ScalarType::Bool},
    {"torch.ComplexFloatStorage", ScalarType::Complex64}, {"torch.ComplexDoubleStorage", ScalarType::Complex128},
};

// Globals that may be named at all. Only the first six may be called, and only as torch uses them.
constexpr const char* kCallables[] = {
    "collections.OrderedDict",
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._tensor._rebuild_from_type_v2",
};
constexpr const char* kTypeMarkers[] = {"torch.Tensor", "torch.nn.parameter.Parameter"};

const StorageClass* storageClass(const std::string& name)
{
    for (const auto& c : kStorageClasses)
        if (name == c.name) return &c;
    return nullptr;
}

bool isAllowedGlobal(const std::string& name)
{
    if (storageClass(name)) return true;
    for (const char* c : kCallables)
        if (name == c) return true;
    for (const char* c : kTypeMarkers)
        if (name == c) return true;
    return false;
}

std::string printable(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 100)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}

bool validUtf8(const uint8_t* p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c < 0x80) { ++i; continue; }
        size_t len;
        uint32_t cp;
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
        else return false;
        if (n - i < len) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80) return false;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

bool mulOverflows(int64_t a, int64_t b, int64_t& out) { return __builtin_mul_overflow(a, b, &out); }
bool addOverflows(int64_t a, int64_t b, int64_t& out) { return __builtin_add_overflow(a, b, &out); }

} // namespace

int elementSize(ScalarType type)
{
    switch (type) {
    case ScalarType::Float64: case ScalarType::Int64: case ScalarType::Complex64: return 8;
    case ScalarType::Float32: case ScalarType::Int32: return 4;
    case ScalarType::Float16: case ScalarType::BFloat16: case ScalarType::Int16: return 2;
    case ScalarType::Int8: case ScalarType::UInt8: case ScalarType::Bool: return 1;
    case ScalarType::Complex128: return 16;
    }
    return 1;
}

const char* scalarTypeName(ScalarType type)
{
    switch (type) {
    case ScalarType::Float64: return "float64";
    case ScalarType::Float32: return "float32";
    case ScalarType::Float16: return "float16";
    case ScalarType::BFloat16: return "bfloat16";
    case ScalarType::Int64: return "int64";
    case ScalarType::Int32: return "int32";
    case ScalarType::Int16: return "int16";
    case ScalarType::Int8: return "int8";
    case ScalarType::UInt8: return "uint8";
    case ScalarType::Bool: return "bool";
    case ScalarType::Complex64: return "complex64";
    case ScalarType::Complex128: return "complex128";
    }
    return "?";
}

const char* kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::BigInt: return "long int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
    }
    return "?";
}

Value* Arena::make(Kind kind)
{
    if (values_.size() >= maxValues_)
        throw Error("pickle holds more than " + std::to_string(maxValues_) + " objects; refusing to load it");
    Value& v = values_.emplace_back();
    v.kind = kind;
    return &v;
}

Unpickler::Unpickler(Arena& arena, PersistentIds persistentIds, Limits limits)
    : arena_(arena), persistentIds_(persistentIds), limits_(limits)
{
    // Shared constants, so that a run of NONE opcodes costs no memory.
    none_ = arena_.make(Kind::None);
    true_ = arena_.make(Kind::Bool);
    true_->boolean = true;
    false_ = arena_.make(Kind::Bool);
}

// One run of the virtual machine over one pickle.
struct Unpickler::Machine {
    Unpickler& owner;
    ByteReader in;
    std::vector<Value*> stack;
    std::vector<size_t> marks;
    std::unordered_map<uint32_t, Value*> memo;

    Machine(Unpickler& u, const uint8_t* data, size_t size) : owner(u), in(data, size, "pickle") {}

    [[noreturn]] static void malformed(const std::string& why) { throw Error("pickle is malformed: " + why); }

    size_t floor() const { return marks.empty() ? 0 : marks.back(); }

    void push(Value* v)
    {
        if (stack.size() >= owner.limits_.maxStack) throw Error("pickle stack grows past its limit; refusing to load it");
        stack.push_back(v);
    }
    Value* pop()
    {
        if (stack.size() <= floor()) malformed("stack underflow");
        Value* v = stack.back();
        stack.pop_back();
        return v;
    }
    Value* top()
    {
        if (stack.size() <= floor()) malformed("stack underflow");
        return stack.back();
    }
    // Items pushed since the last MARK, which is removed.
    std::vector<Value*> popMark()
    {
        if (marks.empty()) malformed("no MARK for an opcode that needs one");
        size_t m = marks.back();
        marks.pop_back();
        std::vector<Value*> items(stack.begin() + static_cast<std::ptrdiff_t>(m), stack.end());
        stack.resize(m);
        return items;
    }

    void adopt(Value& container, const Value* child)
    {
        int d = child->depth + 1;
        if (d > owner.limits_.maxDepth)
            throw Error("pickle nests containers more than " + std::to_string(owner.limits_.maxDepth) + " deep; refusing to load it");
        container.depth = std::max<uint16_t>(container.depth, static_cast<uint16_t>(d));
    }

    Value* make(Kind k) { return owner.arena_.make(k); }

    Value* makeInt(int64_t i)
    {
        Value* v = make(Kind::Int);
        v->integer = i;
        return v;
    }

    Value* makeText(Kind k, const uint8_t* p, size_t n)
    {
        if (k == Kind::String && !validUtf8(p, n)) malformed("a string is not valid UTF-8");
        Value* v = make(k);
        v->text.assign(reinterpret_cast<const char*>(p), n);
        return v;
    }

    Value* makeTuple(std::vector<Value*> items)
    {
        Value* t = make(Kind::Tuple);
        for (Value* i : items) adopt(*t, i);
        t->items = std::move(items);
        return t;
    }

    Value* makeLong(const uint8_t* p, size_t n)
    {
        if (n == 0) return makeInt(0);
        if (n <= 8) {
            uint64_t u = 0;
            for (size_t i = 0; i < n; ++i) u |= static_cast<uint64_t>(p[i]) << (8 * i);
            if (n < 8 && (p[n - 1] & 0x80)) u |= ~uint64_t{0} << (8 * n);  // sign-extend
            return makeInt(static_cast<int64_t>(u));
        }
        Value* v = make(Kind::BigInt);
        v->text.assign(reinterpret_cast<const char*>(p), n);
        return v;
    }

    void memoPut(uint32_t index, Value* v)
    {
        if (memo.size() >= owner.limits_.maxMemo && !memo.count(index))
            throw Error("pickle memo grows past its limit; refusing to load it");
        memo[index] = v;
    }
    Value* memoGet(uint32_t index)
    {
        auto it = memo.find(index);
        if (it == memo.end()) malformed("reference to an unknown memo entry");
        return it->second;
    }

    Value* makeGlobal(const std::string& module, const std::string& name)
    {
        std::string full = module + "." + name;
        if (!isAllowedGlobal(full))
            throw Error("refused to load: the pickle asks for '" + printable(full) +
                        "', which is not plain tensor data (only torch tensors, storages and dicts are allowed)");
        Value* v = make(Kind::Global);
        v->text = full;
        return v;
    }

    void setItems(Value* dict, const std::vector<Value*>& items)
    {
        if (dict->kind != Kind::Dict) malformed(std::string("SETITEM on a ") + kindName(dict->kind));
        if (items.size() % 2) malformed("odd number of items for a dict");
        for (size_t i = 0; i < items.size(); i += 2) {
            adopt(*dict, items[i]);
            adopt(*dict, items[i + 1]);
            dict->entries.emplace_back(items[i], items[i + 1]);
        }
    }

    void appendItems(Value* list, const std::vector<Value*>& items)
    {
        if (list->kind != Kind::List) malformed(std::string("APPEND to a ") + kindName(list->kind));
        for (Value* i : items) {
            adopt(*list, i);
            list->items.push_back(i);
        }
    }

    static int64_t intArg(const Value* v, const char* what)
    {
        if (v->kind == Kind::Bool) return v->boolean;
        if (v->kind != Kind::Int) malformed(std::string(what) + " is a " + kindName(v->kind) + ", not an int");
        return v->integer;
    }

    Value* rebuildTensor(const std::vector<Value*>& args, const std::string& fn)
    {
        if (args.size() < 4) malformed(fn + " called with too few arguments");
        const Value* storage = args[0];
        if (storage->kind != Kind::Storage) malformed(fn + " called without a storage");
        const Storage& s = *storage->storage;
        int64_t offset = intArg(args[1], "storage offset");
        if (args[2]->kind != Kind::Tuple || args[3]->kind != Kind::Tuple) malformed(fn + " needs size and stride tuples");
        const auto& size = args[2]->items;
        const auto& stride = args[3]->items;
        if (size.size() != stride.size()) malformed("tensor size and stride have different ranks");
        if (size.size() > kMaxRank) malformed("tensor rank above " + std::to_string(kMaxRank));

        auto t = std::make_unique<Tensor>();
        t->storage = storage;
        t->storageOffset = offset;
        int64_t numel = 1, last = offset;
        for (size_t d = 0; d < size.size(); ++d) {
            int64_t n = intArg(size[d], "tensor dimension");
            int64_t st = intArg(stride[d], "tensor stride");
            if (n < 0) throw Error("checkpoint has a tensor with a negative dimension (" + std::to_string(n) + ")");
            if (st < 0) throw Error("checkpoint has a tensor with a negative stride");
            if (mulOverflows(numel, n, numel) || numel > kMaxElements) throw Error("checkpoint has a tensor whose size overflows");
            t->shape.push_back(n);
            t->stride.push_back(st);
        }
        if (offset < 0) throw Error("checkpoint has a tensor with a negative storage offset");
        if (numel > 0) {
            for (size_t d = 0; d < size.size(); ++d) {
                int64_t step;
                if (mulOverflows(t->shape[d] - 1, t->stride[d], step) || addOverflows(last, step, last))
                    throw Error("checkpoint has a tensor whose strides overflow");
            }
            if (last >= s.numel)
                throw Error("checkpoint has a tensor reaching past the end of its storage (element " + std::to_string(last) +
                            " of " + std::to_string(s.numel) + ")");
            // Overlapping strides could make a huge tensor out of a tiny storage; real weights never do.
            if (numel > s.numel) throw Error("checkpoint has a tensor with more elements than its storage");
        } else if (offset > s.numel) {
            throw Error("checkpoint has a tensor starting past the end of its storage");
        }
        t->numel = numel;
        Value* v = make(Kind::Tensor);
        v->depth = 1;
        v->tensor = std::move(t);
        return v;
    }

    // Calls an allow-listed global. Nothing here can reach arbitrary code: every branch builds data.
    Value* call(const Value* fn, const Value* argTuple, int nesting = 0)
    {
        if (fn->kind != Kind::Global) malformed(std::string("REDUCE on a ") + kindName(fn->kind));
        if (argTuple->kind != Kind::Tuple) malformed("REDUCE arguments are not a tuple");
        const std::string& name = fn->text;
        const auto& args = argTuple->items;
        if (name == "collections.OrderedDict") {
            if (!args.empty()) malformed("OrderedDict built with arguments");
            return make(Kind::Dict);
        }
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor")
            return rebuildTensor(args, name);
        if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
            if (args.empty() || args[0]->kind != Kind::Tensor) malformed(name + " called without a tensor");
            return args[0];
        }
        if (name == "torch._tensor._rebuild_from_type_v2") {
            // (func, type, args, state): the type must be a plain tensor class; func is called on args.
            if (args.size() < 3) malformed(name + " called with too few arguments");
            if (args[1]->kind != Kind::Global ||
                (args[1]->text != "torch.Tensor" && args[1]->text != "torch.nn.parameter.Parameter"))
                malformed(name + " asks for a tensor subclass");
            if (nesting > 4) malformed(name + " nested too deeply");
            return call(args[0], args[2], nesting + 1);
        }
        throw Error("refused to load: the pickle calls '" + printable(name) + "', which bertlab never calls");
    }

    Value* run()
    {
        for (;;) {
            uint8_t op = in.u8();
            switch (op) {
            case 0x80: {  // PROTO
                if (in.u8() > 5) malformed("unknown pickle protocol");
                break;
            }
            case 0x95: in.skip(8); break;  // FRAME: a framing hint only
            case '.': {                    // STOP
                if (stack.empty()) malformed("nothing to return at STOP");
                return stack.back();
            }
            case '(':  // MARK
                if (marks.size() >= owner.limits_.maxMarks) throw Error("pickle nests MARKs too deeply; refusing to load it");
                marks.push_back(stack.size());
                break;
            case '0': pop(); break;             // POP
            case '1': popMark(); break;         // POP_MARK
            case '2': push(top()); break;       // DUP
            case 'N': push(owner.none_); break;
            case 0x88: push(owner.true_); break;       // NEWTRUE
            case 0x89: push(owner.false_); break;       // NEWFALSE
            case 'J': push(makeInt(static_cast<int32_t>(in.u32()))); break;  // BININT
            case 'K': push(makeInt(in.u8())); break;                          // BININT1
            case 'M': push(makeInt(in.u16())); break;                         // BININT2
            case 0x8a: { size_t n = in.u8(); push(makeLong(in.take(n), n)); break; }   // LONG1
            case 0x8b: { size_t n = in.u32(); push(makeLong(in.take(n), n)); break; }  // LONG4
            case 'G': {  // BINFLOAT, big-endian
                uint64_t bits = 0;
                const uint8_t* p = in.take(8);
                for (int i = 0; i < 8; ++i) bits = bits << 8 | p[i];
                Value* v = make(Kind::Float);
                v->real = std::bit_cast<double>(bits);
                push(v);
                break;
            }
            case 'X': { size_t n = in.u32(); push(makeText(Kind::String, in.take(n), n)); break; }     // BINUNICODE
            case 0x8c: { size_t n = in.u8(); push(makeText(Kind::String, in.take(n), n)); break; }    // SHORT_BINUNICODE
            case 0x8d: { uint64_t n = in.u64(); if (n > in.remaining()) in.truncated();
                         push(makeText(Kind::String, in.take(n), n)); break; }                       // BINUNICODE8
            case 'T': { size_t n = in.u32(); push(makeText(Kind::String, in.take(n), n)); break; }     // BINSTRING
            case 'U': { size_t n = in.u8(); push(makeText(Kind::String, in.take(n), n)); break; }     // SHORT_BINSTRING
            case 'B': { size_t n = in.u32(); push(makeText(Kind::Bytes, in.take(n), n)); break; }      // BINBYTES
            case 'C': { size_t n = in.u8(); push(makeText(Kind::Bytes, in.take(n), n)); break; }      // SHORT_BINBYTES
            case 0x8e: { uint64_t n = in.u64(); if (n > in.remaining()) in.truncated();
                         push(makeText(Kind::Bytes, in.take(n), n)); break; }                        // BINBYTES8
            case ')': push(makeTuple({})); break;                                       // EMPTY_TUPLE
            case 't': push(makeTuple(popMark())); break;                                // TUPLE
            case 0x85: { Value* a = pop(); push(makeTuple({a})); break; }               // TUPLE1
            case 0x86: { Value* b = pop(); Value* a = pop(); push(makeTuple({a, b})); break; }
            case 0x87: { Value* c = pop(); Value* b = pop(); Value* a = pop(); push(makeTuple({a, b, c})); break; }
            case ']': push(make(Kind::List)); break;                                    // EMPTY_LIST
            case 'l': { auto items = popMark(); Value* l = make(Kind::List); appendItems(l, items); push(l); break; }
            case 'a': { Value* item = pop(); appendItems(top(), {item}); break; }       // APPEND
            case 'e': { auto items = popMark(); appendItems(top(), items); break; }     // APPENDS
            case '}': push(make(Kind::Dict)); break;                                    // EMPTY_DICT
            case 'd': { auto items = popMark(); Value* d = make(Kind::Dict); setItems(d, items); push(d); break; }
            case 's': { Value* v = pop(); Value* k = pop(); setItems(top(), {k, v}); break; }  // SETITEM
            case 'u': { auto items = popMark(); setItems(top(), items); break; }        // SETITEMS
            case 'q': memoPut(in.u8(), top()); break;                                   // BINPUT
            case 'r': memoPut(in.u32(), top()); break;                                  // LONG_BINPUT
            case 0x94: memoPut(static_cast<uint32_t>(memo.size()), top()); break;       // MEMOIZE
            case 'h': push(memoGet(in.u8())); break;                                    // BINGET
            case 'j': push(memoGet(in.u32())); break;                                   // LONG_BINGET
            case 'c': {  // GLOBAL "module\nname\n"
                std::string module = readLine(), name = readLine();
                push(makeGlobal(module, name));
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                Value* name = pop();
                Value* module = pop();
                if (name->kind != Kind::String || module->kind != Kind::String) malformed("STACK_GLOBAL needs two strings");
                push(makeGlobal(module->text, name->text));
                break;
            }
            case 'R': {  // REDUCE
                Value* args = pop();
                Value* fn = pop();
                push(call(fn, args));
                break;
            }
            case 0x81: {  // NEWOBJ: cls.__new__(cls, *args); only OrderedDict is a plain-data class
                Value* args = pop();
                Value* cls = pop();
                if (cls->kind == Kind::Global && cls->text == "collections.OrderedDict" && args->kind == Kind::Tuple && args->items.empty()) {
                    push(make(Kind::Dict));
                    break;
                }
                throw Error("refused to load: the pickle constructs '" + printable(cls->kind == Kind::Global ? cls->text : kindName(cls->kind)) + "'");
            }
            case 'b': {  // BUILD: would run __setstate__; only the state torch attaches to dicts/tensors is accepted, and dropped
                pop();
                Value* target = top();
                if (target->kind != Kind::Dict && target->kind != Kind::Tensor)
                    malformed(std::string("BUILD on a ") + kindName(target->kind));
                break;
            }
            case 'Q': {  // BINPERSID
                Value* pid = pop();
                push(owner.makeStorage(*pid));
                break;
            }
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", op);
                throw Error(std::string("refused to load: unsupported pickle opcode ") + hex + " at byte " +
                            std::to_string(in.pos() - 1));
            }
            }
        }
    }

    std::string readLine()
    {
        std::string s;
        for (;;) {
            char c = static_cast<char>(in.u8());
            if (c == '\n') return s;
            if (s.size() > 256) malformed("GLOBAL name too long");
            s += c;
        }
    }
};

Value* Unpickler::makeStorage(const Value& pid)
{
    auto bad = [](const std::string& why) -> Error { return Error("checkpoint has a malformed storage reference: " + why); };
    if (persistentIds_ == PersistentIds::Refused) throw Error("refused to load: the pickle refers to external objects");
    if (pid.kind != Kind::Tuple) throw bad("not a tuple");
    const auto& f = pid.items;
    size_t expected = persistentIds_ == PersistentIds::Zip ? 5 : 6;
    if (f.size() != expected) throw bad("expected " + std::to_string(expected) + " fields, found " + std::to_string(f.size()));
    if (f[0]->kind != Kind::String || f[0]->text != "storage") throw bad("not a storage");
    if (f[1]->kind != Kind::Global) throw bad("no storage class");
    const StorageClass* cls = storageClass(f[1]->text);
    if (!cls) throw Error("refused to load: '" + printable(f[1]->text) + "' is not a supported storage class");
    if (f[2]->kind != Kind::String || f[2]->text.empty()) throw bad("no key");
    if (f[4]->kind != Kind::Int || f[4]->integer < 0) throw bad("bad element count");
    int64_t rootNumel = f[4]->integer;
    int64_t bytes;
    if (rootNumel > kMaxElements || mulOverflows(rootNumel, elementSize(cls->type), bytes))
        throw Error("checkpoint has a storage whose size overflows");

    std::string key = f[2]->text;
    std::string id = key;
    int64_t viewOffset = 0, numel = rootNumel;
    if (persistentIds_ == PersistentIds::Legacy && f[5]->kind != Kind::None) {
        const Value& view = *f[5];
        if (view.kind != Kind::Tuple || view.items.size() != 3 || view.items[0]->kind != Kind::String ||
            view.items[1]->kind != Kind::Int || view.items[2]->kind != Kind::Int)
            throw bad("bad view metadata");
        id = view.items[0]->text;
        viewOffset = view.items[1]->integer;
        numel = view.items[2]->integer;
        if (viewOffset < 0 || numel < 0 || viewOffset > rootNumel || numel > rootNumel - viewOffset)
            throw Error("checkpoint has a storage view outside its storage");
    }

    auto [root, inserted] = roots_.try_emplace(key, RootStorage{cls->type, rootNumel});
    if (!inserted && (root->second.type != cls->type || root->second.numel != rootNumel))
        throw Error("checkpoint declares storage '" + printable(key) + "' twice with different types or sizes");

    auto it = storages_.find(id);
    if (it != storages_.end()) {
        const Storage& s = *it->second->storage;
        if (s.key != key || s.type != cls->type || s.viewOffset != viewOffset || s.numel != numel)
            throw Error("checkpoint declares storage '" + printable(id) + "' twice differently");
        return it->second;
    }
    Value* v = arena_.make(Kind::Storage);
    v->depth = 1;
    v->storage = std::make_unique<Storage>(Storage{cls->type, key, rootNumel, viewOffset, numel, nullptr});
    storages_.emplace(id, v);
    return v;
}

Value* Unpickler::load(const uint8_t* data, size_t size, size_t& pos)
{
    if (pos > size) throw Error("pickle is truncated");
    Machine m(*this, data + pos, size - pos);
    Value* result = m.run();
    pos += m.in.pos();
    return result;
}

} // namespace bertlab::pickle
