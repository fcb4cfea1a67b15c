// The torch.save reader against real PyTorch-written files and hand-built hostile ones.
#include "error.h"
#include "pytorch_checkpoint.h"
#include "safetensors.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <zlib.h>

#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace bertlab;
using bertlab::pickle::Kind;
using bertlab::pickle::ScalarType;
using bertlab::pickle::Value;
using bertlab::testing::dataPath;
using bertlab::testing::readText;

namespace {

std::string refPath(const std::string& name) { return dataPath("refdata/pytorch/" + name); }

struct Loaded {
    std::string bytes;  // keeps the storage bytes alive for the object
    PytorchObject object;
};

Loaded loadObject(const std::string& name)
{
    Loaded l;
    l.bytes = readText(refPath(name));
    l.object = loadPytorchObject(reinterpret_cast<const uint8_t*>(l.bytes.data()), l.bytes.size());
    return l;
}

TensorMap parse(const std::string& bytes)
{
    return parsePytorchCheckpoint(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

const Value* dictGet(const Value* dict, const std::string& key)
{
    if (!dict || dict->kind != Kind::Dict) return nullptr;
    for (const auto& [k, v] : dict->entries)
        if (k->kind == Kind::String && k->text == key) return v;
    return nullptr;
}

std::vector<double> iota(int from, int to)
{
    std::vector<double> v;
    for (int i = from; i <= to; ++i) v.push_back(i);
    return v;
}

std::vector<float> floats(const TensorView& t) { return std::vector<float>(t.data, t.data + t.numel()); }

// --- builders for hostile files -------------------------------------------------------------

// Emits protocol-2 pickle opcodes.
struct PickleWriter {
    std::string out = "\x80\x02";
    PickleWriter& op(char c) { out += c; return *this; }
    PickleWriter& global(const std::string& module, const std::string& name) { out += "c" + module + "\n" + name + "\n"; return *this; }
    PickleWriter& str(const std::string& s)
    {
        out += 'X';
        uint32_t n = static_cast<uint32_t>(s.size());
        out.append(reinterpret_cast<const char*>(&n), 4);
        out += s;
        return *this;
    }
    PickleWriter& integer(int64_t v)
    {
        out += '\x8a';  // LONG1, 8 bytes little-endian
        out += '\x08';
        out.append(reinterpret_cast<const char*>(&v), 8);
        return *this;
    }
    PickleWriter& mark() { return op('('); }
    PickleWriter& tuple() { return op('t'); }
    PickleWriter& stop() { return op('.'); }
};

struct TensorSpec {
    std::string name = "w";
    std::string storageClass = "FloatStorage";
    std::string key = "0";
    int64_t storageNumel = 4;
    int64_t offset = 0;
    std::vector<int64_t> shape{4};
    std::vector<int64_t> stride{1};
};

// An OrderedDict state dict as torch.save's zip format pickles it.
std::string stateDictPickle(const std::vector<TensorSpec>& specs, bool legacy = false)
{
    PickleWriter p;
    p.global("collections", "OrderedDict").op(')').op('R');
    for (const auto& s : specs) {
        p.str(s.name).global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", s.storageClass).str(s.key).str("cpu").integer(s.storageNumel);
        if (legacy) p.op('N');
        p.tuple().op('Q');
        p.integer(s.offset);
        p.mark();
        for (int64_t d : s.shape) p.integer(d);
        p.tuple().mark();
        for (int64_t d : s.stride) p.integer(d);
        p.tuple().op('\x89').global("collections", "OrderedDict").op(')').op('R').tuple().op('R').op('s');
    }
    return p.stop().out;
}

struct ZipEntrySpec {
    std::string name;
    std::string data;
    uint16_t method = 0;
};

struct ZipOptions {
    bool zip64Extra = false;  // sizes and offset as 0xffffffff with the real values in a zip64 extra
    std::function<void(std::string&, std::vector<size_t>&)> patchCentral;  // edit central records
};

void put16(std::string& s, uint16_t v) { s.append(reinterpret_cast<const char*>(&v), 2); }
void put32(std::string& s, uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }
void put64(std::string& s, uint64_t v) { s.append(reinterpret_cast<const char*>(&v), 8); }
void set32(std::string& s, size_t at, uint32_t v) { std::memcpy(&s[at], &v, 4); }

// A stored zip archive with an optional zip64 end record, like torch.save writes.
std::string makeZip(const std::vector<ZipEntrySpec>& entries, const ZipOptions& options = {})
{
    std::string file, central;
    std::vector<size_t> centralStarts;
    for (const auto& e : entries) {
        uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
        size_t offset = file.size();
        put32(file, 0x04034b50); put16(file, 20); put16(file, 0); put16(file, e.method);
        put32(file, 0); put32(file, crc); put32(file, static_cast<uint32_t>(e.data.size()));
        put32(file, static_cast<uint32_t>(e.data.size())); put16(file, static_cast<uint16_t>(e.name.size())); put16(file, 0);
        file += e.name + e.data;

        centralStarts.push_back(central.size());
        std::string extra;
        uint32_t size32 = static_cast<uint32_t>(e.data.size()), offset32 = static_cast<uint32_t>(offset);
        if (options.zip64Extra) {
            put16(extra, 1); put16(extra, 24); put64(extra, e.data.size()); put64(extra, e.data.size()); put64(extra, offset);
            size32 = offset32 = 0xffffffffu;
        }
        put32(central, 0x02014b50); put16(central, 45); put16(central, 45); put16(central, 0); put16(central, e.method);
        put32(central, 0); put32(central, crc); put32(central, size32); put32(central, size32);
        put16(central, static_cast<uint16_t>(e.name.size())); put16(central, static_cast<uint16_t>(extra.size()));
        put16(central, 0); put16(central, 0); put16(central, 0); put32(central, 0); put32(central, offset32);
        central += e.name + extra;
    }
    if (options.patchCentral) options.patchCentral(central, centralStarts);
    size_t cdOffset = file.size();
    file += central;
    size_t zip64Offset = file.size();
    put32(file, 0x06064b50); put64(file, 44); put16(file, 45); put16(file, 45); put32(file, 0); put32(file, 0);
    put64(file, entries.size()); put64(file, entries.size()); put64(file, central.size()); put64(file, cdOffset);
    put32(file, 0x07064b50); put32(file, 0); put64(file, zip64Offset); put32(file, 1);
    put32(file, 0x06054b50); put16(file, 0); put16(file, 0);
    put16(file, options.zip64Extra ? 0xffff : static_cast<uint16_t>(entries.size()));
    put16(file, options.zip64Extra ? 0xffff : static_cast<uint16_t>(entries.size()));
    put32(file, options.zip64Extra ? 0xffffffffu : static_cast<uint32_t>(central.size()));
    put32(file, options.zip64Extra ? 0xffffffffu : static_cast<uint32_t>(cdOffset));
    put16(file, 0);
    return file;
}

std::string floatBytes(const std::vector<float>& v) { return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4); }

// A zip checkpoint holding `pickle` and one float storage "0" with `values`.
std::string zipCheckpoint(const std::string& pickle, const std::vector<float>& values = {1, 2, 3, 4}, const ZipOptions& options = {})
{
    return makeZip({{"archive/data.pkl", pickle}, {"archive/data/0", floatBytes(values)}, {"archive/version", "3\n"}}, options);
}

// A legacy checkpoint: magic, protocol, sys_info, the object, the key list, then the storages.
std::string legacyCheckpoint(const std::string& object, const std::vector<std::pair<std::string, std::vector<float>>>& storages)
{
    std::string out = readText(refPath("bumblebee/noncontiguous_tensor.legacy.pt")).substr(0, 137);  // real header pickles
    out += object;
    PickleWriter keys;
    keys.op(']').mark();
    for (const auto& s : storages) keys.str(s.first);
    out += keys.op('e').stop().out;
    for (const auto& s : storages) {
        int64_t n = static_cast<int64_t>(s.second.size());
        out.append(reinterpret_cast<const char*>(&n), 8);
        out += floatBytes(s.second);
    }
    return out;
}

// Asserts that parsing throws bertlab::Error whose single-line message contains `needle`.
#define EXPECT_REFUSED(bytes, needle)                                                                      \
    do {                                                                                                   \
        QString message_;                                                                                  \
        try {                                                                                              \
            parse(bytes);                                                                                  \
        } catch (const bertlab::Error& e_) {                                                               \
            message_ = QString::fromUtf8(e_.what());                                                       \
        }                                                                                                  \
        QVERIFY2(!message_.isEmpty(), "no error thrown");                                                  \
        QVERIFY2(message_.contains(QString::fromUtf8(needle)), qPrintable("unexpected message: " + message_)); \
        QVERIFY2(!message_.contains('\n'), "message is not one line");                                   \
    } while (0)

} // namespace

class TestPytorchCheckpoint : public QObject {
    Q_OBJECT

private slots:
    // --- the 16 real torch.save files ------------------------------------------------------

    void candleTest()
    {
        for (const char* file : {"test.pt", "test_with_key.pt"}) {
            Loaded l = loadObject(file);
            QCOMPARE(l.object.format, std::string("pytorch-zip"));
            const Value* dict = std::string(file) == "test.pt" ? l.object.root : dictGet(l.object.root, "model_state_dict");
            const Value* t = dictGet(dict, "test");
            QVERIFY(t && t->kind == Kind::Tensor);
            QCOMPARE(t->tensor->storage->storage->type, ScalarType::Int64);
            QCOMPARE(t->tensor->shape, (std::vector<int64_t>{2, 4}));
            QCOMPARE(t->tensor->stride, (std::vector<int64_t>{4, 1}));
            QCOMPARE(tensorValues(*t->tensor), iota(1, 8));
        }
        // Only an int64 tensor: nothing for the model, said plainly.
        EXPECT_REFUSED(readText(refPath("test.pt")), "no floating-point tensors");
    }

    void fortranStrides()
    {
        Loaded l = loadObject("fortran_tensor_3d.pth");
        const Value* t = dictGet(l.object.root, "tensor_fortran");
        QVERIFY(t && t->kind == Kind::Tensor);
        QCOMPARE(t->tensor->shape, (std::vector<int64_t>{2, 3, 4}));
        QCOMPARE(t->tensor->stride, (std::vector<int64_t>{1, 2, 6}));
        QCOMPARE(tensorValues(*t->tensor), iota(1, 24));
        const int64_t* raw = reinterpret_cast<const int64_t*>(t->tensor->storage->storage->bytes);
        QCOMPARE(raw[0], int64_t{1});
        QCOMPARE(raw[1], int64_t{13});
        QCOMPARE(raw[2], int64_t{5});
        QCOMPARE(raw[3], int64_t{17});
    }

    void bumblebeeTensors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("zip") << "bumblebee/tensors.zip.pt";
        QTest::newRow("legacy") << "bumblebee/tensors.legacy.pt";
    }
    void bumblebeeTensors()
    {
        QFETCH(QString, file);
        Loaded l = loadObject(file.toStdString());
        QCOMPARE(l.object.format, std::string(file.contains("zip") ? "pytorch-zip" : "pytorch-legacy"));
        const Value* list = l.object.root;
        QVERIFY(list->kind == Kind::List);
        QCOMPARE(list->items.size(), size_t{12});
        const ScalarType types[] = {ScalarType::Float64, ScalarType::Float32, ScalarType::Float16, ScalarType::Int64,
                                    ScalarType::Int32, ScalarType::Int16, ScalarType::Int8, ScalarType::UInt8,
                                    ScalarType::Bool, ScalarType::BFloat16, ScalarType::Complex128, ScalarType::Complex64};
        const std::vector<double> expected[] = {{-1, 1}, {-1, 1}, {-1, 1}, {-1, 1}, {-1, 1}, {-1, 1}, {-1, 1}, {0, 1},
                                                {0, 1, 0, 1}, {-1, 1}, {1, -1, 1, 1}, {1, -1, 1, 1}};
        for (int i = 0; i < 12; ++i) {
            const Value* t = list->items[i];
            QVERIFY(t->kind == Kind::Tensor);
            QCOMPARE(t->tensor->storage->storage->type, types[i]);
            QCOMPARE(tensorValues(*t->tensor), expected[i]);
        }
        // As weights: the four float tensors, converted to fp32; the rest skipped with a warning.
        TensorMap map = parse(l.bytes);
        QCOMPARE(map.sourceFormat, l.object.format);
        QCOMPARE(map.tensors.size(), size_t{4});
        for (const char* name : {"0", "1", "2", "9"}) {
            QVERIFY2(map.tensors.count(name), name);
            QCOMPARE(floats(map.tensors.at(name)), (std::vector<float>{-1, 1}));
        }
        QCOMPARE(map.warnings.size(), size_t{8 + 3});  // 8 skipped tensors, 3 converted dtypes
    }

    void orderedDictOfInts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("zip") << "bumblebee/ordered_dict.zip.pt";
        QTest::newRow("legacy") << "bumblebee/ordered_dict.legacy.pt";
    }
    void orderedDictOfInts()
    {
        QFETCH(QString, file);
        Loaded l = loadObject(file.toStdString());
        const Value* x = dictGet(l.object.root, "x");
        const Value* y = dictGet(l.object.root, "y");
        QVERIFY(x && y && x->kind == Kind::Int && y->kind == Kind::Int);
        QCOMPARE(x->integer, int64_t{1});
        QCOMPARE(y->integer, int64_t{2});
        QCOMPARE(l.object.root->entries.size(), size_t{2});
    }

    void noncontiguous_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("zip") << "bumblebee/noncontiguous_tensor.zip.pt";
        QTest::newRow("legacy") << "bumblebee/noncontiguous_tensor.legacy.pt";
    }
    void noncontiguous()
    {
        QFETCH(QString, file);
        Loaded l = loadObject(file.toStdString());
        const Value* t = l.object.root;
        QVERIFY(t->kind == Kind::Tensor);
        QCOMPARE(t->tensor->shape, (std::vector<int64_t>{2, 2, 3}));
        QCOMPARE(t->tensor->stride, (std::vector<int64_t>{1, 6, 2}));
        QCOMPARE(t->tensor->storage->storage->numel, int64_t{12});
        QCOMPARE(tensorValues(*t->tensor), (std::vector<double>{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}));
    }

    void storageViews()
    {
        Loaded l = loadObject("bumblebee/storage_view.legacy.pt");
        const Value* pair = l.object.root;
        QVERIFY(pair->kind == Kind::Tuple && pair->items.size() == 2);
        for (int i = 0; i < 2; ++i) {
            const Value* s = pair->items[i];
            QVERIFY(s->kind == Kind::Storage);
            QCOMPARE(s->storage->type, ScalarType::Float32);
            QCOMPARE(s->storage->rootNumel, int64_t{2});
            QCOMPARE(s->storage->viewOffset, int64_t{i});
            QCOMPARE(s->storage->numel, int64_t{1});
            float value;
            std::memcpy(&value, s->storage->bytes + 4 * s->storage->viewOffset, 4);
            QCOMPARE(value, 0.0f);
        }
        QCOMPARE(pair->items[0]->storage->bytes, pair->items[1]->storage->bytes);  // one root storage
    }

    void stateDicts()
    {
        TensorMap base = readPytorchCheckpoint(refPath("bumblebee/state_dict_base.zip.pt"));
        QCOMPARE(base.sourceFormat, std::string("pytorch-zip"));
        QCOMPARE(base.tensors.size(), size_t{2});
        QCOMPARE(base.tensors.at("conv.weight").shape, (std::vector<int64_t>{2, 3, 2, 2}));
        QCOMPARE(floats(base.tensors.at("conv.weight")), std::vector<float>(24, 1.0f));
        QCOMPARE(floats(base.tensors.at("conv.bias")), std::vector<float>(2, 0.0f));
        QVERIFY(base.warnings.empty());

        TensorMap full = readPytorchCheckpoint(refPath("bumblebee/state_dict_full.zip.pt"));
        QCOMPARE(full.tensors.size(), size_t{5});
        QCOMPARE(floats(full.tensors.at("base.conv.weight")), std::vector<float>(24, 1.0f));
        QCOMPARE(floats(full.tensors.at("base.conv.bias")), std::vector<float>(2, 0.0f));
        QCOMPARE(full.tensors.at("classifier.layers.0.weight").shape, (std::vector<int64_t>{1, 1}));
        QCOMPARE(floats(full.tensors.at("classifier.layers.0.weight")), std::vector<float>{1.0f});
        QCOMPARE(floats(full.tensors.at("classifier.layers.0.bias")), std::vector<float>{0.0f});
        QCOMPARE(floats(full.tensors.at("extra.weight")), std::vector<float>{1.0f});
    }

    void numpyRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("arrays zip") << "bumblebee/numpy_arrays.zip.pt";
        QTest::newRow("arrays legacy") << "bumblebee/numpy_arrays.legacy.pt";
        QTest::newRow("noncontiguous zip") << "bumblebee/noncontiguous_numpy_array.zip.pt";
        QTest::newRow("noncontiguous legacy") << "bumblebee/noncontiguous_numpy_array.legacy.pt";
    }
    void numpyRefused()
    {
        QFETCH(QString, file);
        EXPECT_REFUSED(readText(refPath(file.toStdString())), "numpy.core.multiarray._reconstruct");
        try {
            readPytorchCheckpoint(refPath(file.toStdString()));
            QFAIL("loaded a numpy pickle");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find(file.toStdString()) != std::string::npos);  // names the file
        }
    }

    // --- the same weights from PyTorch in three containers ----------------------------------

    void binMatchesSafetensors_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("format");
        QTest::newRow("zip") << "tiny-bin-zip" << "pytorch-zip";
        QTest::newRow("legacy") << "tiny-bin-legacy" << "pytorch-legacy";
    }
    void binMatchesSafetensors()
    {
        QFETCH(QString, folder);
        QFETCH(QString, format);
        TensorMap st = readSafetensors(dataPath("models/tiny/model.safetensors"));
        TensorMap bin = readPytorchCheckpoint(dataPath("models/" + folder.toStdString() + "/pytorch_model.bin"));
        QCOMPARE(bin.sourceFormat, format.toStdString());
        QVERIFY(st.tensors.size() > 10);
        for (const auto& [name, t] : st.tensors) {
            QVERIFY2(bin.tensors.count(name), name.c_str());
            const TensorView& b = bin.tensors.at(name);
            QCOMPARE(b.shape, t.shape);
            QVERIFY2(std::memcmp(b.data, t.data, static_cast<size_t>(t.numel()) * 4) == 0, name.c_str());
        }
        // The tied decoder (weight and bias) is stored once in the file and comes back as the same bytes;
        // the safetensors file leaves the tied copies out.
        for (const auto& [name, t] : bin.tensors)
            QVERIFY2(st.tensors.count(name) || name == "cls.predictions.decoder.weight" || name == "cls.predictions.decoder.bias", name.c_str());
        QCOMPARE(bin.tensors.at("cls.predictions.decoder.weight").data, bin.tensors.at("bert.embeddings.word_embeddings.weight").data);
        QCOMPARE(bin.tensors.at("cls.predictions.decoder.bias").data, bin.tensors.at("cls.predictions.bias").data);
    }

    // --- hostile files -----------------------------------------------------------------------

    void refusesCodeExecution()
    {
        PickleWriter system;
        system.global("posix", "system").str("touch /tmp/bertlab-pwned").op('\x85').op('R').stop();
        EXPECT_REFUSED(zipCheckpoint(system.out), "posix.system");
        EXPECT_REFUSED(legacyCheckpoint(system.out, {}), "posix.system");
        PickleWriter osSystem;
        osSystem.global("os", "system").str("true").op('\x85').op('R').stop();
        EXPECT_REFUSED(zipCheckpoint(osSystem.out), "os.system");
        PickleWriter eval;
        eval.global("builtins", "eval").str("1").op('\x85').op('R').stop();
        EXPECT_REFUSED(zipCheckpoint(eval.out), "builtins.eval");
        // STACK_GLOBAL (protocol 4) goes through the same allow-list.
        PickleWriter stackGlobal;
        stackGlobal.str("subprocess").str("call").op('\x93').stop();
        EXPECT_REFUSED(zipCheckpoint(stackGlobal.out), "subprocess.call");
        // Allowed names cannot be called in other ways: a storage class is not a function.
        PickleWriter callStorage;
        callStorage.global("torch", "FloatStorage").op(')').op('R').stop();
        EXPECT_REFUSED(zipCheckpoint(callStorage.out), "torch.FloatStorage");
        // INST/OBJ build arbitrary objects: unsupported opcodes, refused by number.
        PickleWriter inst;
        inst.op('(').op('i').stop();
        EXPECT_REFUSED(zipCheckpoint(inst.out), "unsupported pickle opcode 0x69");
    }

    void syntheticCheckpointsLoad()
    {
        // The builders themselves make loadable files, so each refusal below is about its one fault.
        TensorMap zip = parse(zipCheckpoint(stateDictPickle({TensorSpec{}})));
        QCOMPARE(floats(zip.tensors.at("w")), (std::vector<float>{1, 2, 3, 4}));
        TensorMap legacy = parse(legacyCheckpoint(stateDictPickle({TensorSpec{}}, true), {{"0", {1, 2, 3, 4}}}));
        QCOMPARE(floats(legacy.tensors.at("w")), (std::vector<float>{1, 2, 3, 4}));
        // Strided and offset views over one storage, as a transposed slice.
        TensorSpec t;
        t.name = "t";
        t.offset = 1;
        t.shape = {1, 3};
        t.stride = {1, 1};
        TensorSpec u;
        u.name = "u";
        u.shape = {2, 2};
        u.stride = {1, 2};
        TensorMap views = parse(zipCheckpoint(stateDictPickle({t, u})));
        QCOMPARE(floats(views.tensors.at("t")), (std::vector<float>{2, 3, 4}));
        QCOMPARE(floats(views.tensors.at("u")), (std::vector<float>{1, 3, 2, 4}));
        // ZIP64: every size and offset saturated in the classic fields, real values in extras.
        ZipOptions zip64;
        zip64.zip64Extra = true;
        TensorMap big = parse(zipCheckpoint(stateDictPickle({TensorSpec{}}), {1, 2, 3, 4}, zip64));
        QCOMPARE(floats(big.tensors.at("w")), (std::vector<float>{1, 2, 3, 4}));
    }

    void refusesDeepNesting()
    {
        PickleWriter lists;
        for (int i = 0; i < 300; ++i) lists.op(']');
        for (int i = 0; i < 299; ++i) lists.op('a');
        EXPECT_REFUSED(zipCheckpoint(lists.stop().out), "deep");
        PickleWriter marks;
        for (int i = 0; i < 100000; ++i) marks.op('(');
        EXPECT_REFUSED(zipCheckpoint(marks.stop().out), "MARK");
        PickleWriter tuples;  // nesting built by TUPLE1 rather than APPEND
        tuples.op(')');
        for (int i = 0; i < 1000; ++i) tuples.op('\x85');
        EXPECT_REFUSED(zipCheckpoint(tuples.stop().out), "deep");
        // A list that contains itself is not an infinite loop.
        PickleWriter cycle;
        cycle.op(']').op('q').out += '\0';
        cycle.op('h').out += '\0';
        cycle.op('a');
        EXPECT_REFUSED(zipCheckpoint(cycle.stop().out), "no floating-point tensors");
        // Memo references to nothing, and stack underflow.
        PickleWriter memo;
        memo.op('j').out += std::string("\xff\xff\xff\x7f", 4);
        EXPECT_REFUSED(zipCheckpoint(memo.stop().out), "memo");
        PickleWriter underflow;
        underflow.op('R').stop();
        EXPECT_REFUSED(zipCheckpoint(underflow.out), "underflow");
    }

    void refusesTruncation()
    {
        for (const char* file : {"bumblebee/tensors.zip.pt", "bumblebee/tensors.legacy.pt", "bumblebee/noncontiguous_tensor.legacy.pt"}) {
            std::string bytes = readText(refPath(file));
            for (size_t n = 0; n < bytes.size(); ++n) {
                bool threw = false;
                try {
                    parse(bytes.substr(0, n));
                } catch (const Error&) {
                    threw = true;
                }
                QVERIFY2(threw, qPrintable(QString("%1 cut to %2 bytes loaded").arg(file).arg(n)));
            }
        }
    }

    void survivesCorruption()
    {
        // Every single-byte corruption either loads or throws Error; the zip CRCs catch most.
        for (const char* file : {"bumblebee/state_dict_base.zip.pt", "bumblebee/noncontiguous_tensor.legacy.pt", "bumblebee/tensors.legacy.pt"}) {
            std::string bytes = readText(refPath(file));
            int refused = 0;
            for (size_t i = 0; i < bytes.size(); ++i) {
                for (uint8_t x : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
                    std::string copy = bytes;
                    copy[i] = static_cast<char>(copy[i] ^ x);
                    try {
                        parse(copy);
                    } catch (const Error&) {
                        ++refused;
                    }
                }
            }
            QVERIFY(refused > 0);
        }
    }

    void refusesBadZips()
    {
        std::string pickle = stateDictPickle({TensorSpec{}});
        ZipOptions pastEof;
        pastEof.patchCentral = [](std::string& cd, std::vector<size_t>& starts) { set32(cd, starts[1] + 42, 0x7fffffff); };
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3, 4}, pastEof), "outside the archive");

        ZipOptions bigSize;  // a size that runs past the central directory
        bigSize.patchCentral = [](std::string& cd, std::vector<size_t>& starts) {
            set32(cd, starts[1] + 20, 0x10000000);
            set32(cd, starts[1] + 24, 0x10000000);
        };
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3, 4}, bigSize), "extends past the end");

        ZipOptions overlap;  // the storage entry claims the first bytes of the next entry's header
        overlap.patchCentral = [](std::string& cd, std::vector<size_t>& starts) {
            set32(cd, starts[1] + 20, 24);
            set32(cd, starts[1] + 24, 24);
        };
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3, 4}, overlap), "overlap");

        ZipOptions sameHeader;  // two directory records pointing at one local header
        sameHeader.patchCentral = [](std::string& cd, std::vector<size_t>& starts) {
            uint32_t first;
            std::memcpy(&first, &cd[starts[0] + 42], 4);
            set32(cd, starts[2] + 42, first);
        };
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3, 4}, sameHeader), "different name");

        ZipOptions zip64Huge;  // a zip64 extra whose size field points far beyond the file
        zip64Huge.zip64Extra = true;
        zip64Huge.patchCentral = [](std::string& cd, std::vector<size_t>& starts) {
            uint64_t huge = 0x7fffffffffffffffULL;
            std::memcpy(&cd[starts[1] + 46 + std::string("archive/data/0").size() + 4], &huge, 8);
            std::memcpy(&cd[starts[1] + 46 + std::string("archive/data/0").size() + 12], &huge, 8);
        };
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3, 4}, zip64Huge), "extends past the end");

        EXPECT_REFUSED(makeZip({{"archive/data.pkl", pickle, 8}, {"archive/data/0", floatBytes({1, 2, 3, 4})}}), "compressed (method 8");
        EXPECT_REFUSED(makeZip({{"archive/data.pkl", pickle}, {"archive/data/0", floatBytes({1, 2, 3, 4}), 12}}), "compressed (method 12");
        EXPECT_REFUSED(makeZip({{"archive/data.pkl", pickle}, {"archive/data/0", floatBytes({1, 2, 3, 4})}, {"archive/data/0", "x"}}), "twice");
        EXPECT_REFUSED(makeZip({{"archive/data.pkl", pickle}}), "missing the data of storage '0'");
        EXPECT_REFUSED(makeZip({{"archive/version", "3\n"}}), "no data.pkl");
        EXPECT_REFUSED(zipCheckpoint(pickle, {1, 2, 3}), "holds 12 bytes but is declared as 16");

        std::string corrupt = zipCheckpoint(pickle);
        corrupt[corrupt.find(floatBytes({1, 2, 3, 4}))] ^= 1;
        EXPECT_REFUSED(corrupt, "CRC-32");
        EXPECT_REFUSED(std::string("hello, world"), "neither a zip archive nor a pickle");
        EXPECT_REFUSED(std::string("PK\x03\x04", 4), "too small");
    }

    void refusesBadTensors()
    {
        TensorSpec dup;
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({dup, dup})), "holds tensor 'w' twice");

        TensorSpec hugeStorage;
        hugeStorage.storageNumel = int64_t{1} << 62;
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({hugeStorage})), "overflows");

        TensorSpec hugeDims;
        hugeDims.shape = {int64_t{1} << 40, int64_t{1} << 40};
        hugeDims.stride = {0, 0};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({hugeDims})), "overflows");

        TensorSpec strideOverflow;
        strideOverflow.offset = 1;
        strideOverflow.shape = {2};
        strideOverflow.stride = {std::numeric_limits<int64_t>::max()};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({strideOverflow})), "overflow");

        TensorSpec negative;
        negative.shape = {-4};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({negative})), "negative dimension");

        TensorSpec negativeStride;
        negativeStride.stride = {-1};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({negativeStride})), "negative stride");

        TensorSpec pastEnd;
        pastEnd.offset = 2;
        pastEnd.shape = {3};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({pastEnd})), "past the end of its storage");

        TensorSpec expanded;  // a stride-0 tensor much larger than its storage: a memory bomb
        expanded.shape = {1 << 28};
        expanded.stride = {0};
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({expanded})), "more elements than its storage");

        TensorSpec unknownStorage;
        unknownStorage.storageClass = "UntypedStorage";
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({unknownStorage})), "torch.UntypedStorage");

        TensorSpec longName;
        longName.name = std::string(5000, 'x');
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({longName})), "name longer than 4096 bytes");

        TensorSpec a, b;
        b.name = "v";
        b.storageClass = "HalfStorage";
        EXPECT_REFUSED(zipCheckpoint(stateDictPickle({a, b})), "twice with different types");

        // Legacy: the storage list and counts must agree with the pickle.
        std::string object = stateDictPickle({TensorSpec{}}, true);
        EXPECT_REFUSED(legacyCheckpoint(object, {{"0", {1, 2, 3}}}), "has 3 elements but is declared with 4");
        EXPECT_REFUSED(legacyCheckpoint(object, {{"9", {1, 2, 3, 4}}}), "which nothing uses");
        EXPECT_REFUSED(legacyCheckpoint(object, {}), "missing the data of storage '0'");
        EXPECT_REFUSED(legacyCheckpoint(object, {{"0", {1, 2, 3, 4}}, {"0", {1, 2, 3, 4}}}), "twice");
        std::string lying = legacyCheckpoint(object, {{"0", {1, 2, 3, 4}}});
        int64_t hugeCount = int64_t{1} << 61;
        std::memcpy(&lying[lying.size() - 16 - 8], &hugeCount, 8);
        EXPECT_REFUSED(lying, "elements but is declared");
    }

    void sharedStorageCopiesAreBounded()
    {
        // 2000 half-precision tensors over one 64k-element storage would need 2000 x 256 KiB.
        std::vector<TensorSpec> specs;
        for (int i = 0; i < 2000; ++i) {
            TensorSpec s;
            s.name = "t" + std::to_string(i);
            s.storageClass = "HalfStorage";
            s.storageNumel = 65536;
            s.shape = {65536 - i};  // distinct layouts, so no two copies can be shared
            specs.push_back(s);
        }
        std::string z = makeZip({{"archive/data.pkl", stateDictPickle(specs)}, {"archive/data/0", std::string(131072, '\0')}});
        EXPECT_REFUSED(z, "far more memory");
    }
};

QTEST_APPLESS_MAIN(TestPytorchCheckpoint)
#include "test_pytorch_checkpoint.moc"
