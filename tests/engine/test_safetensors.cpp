// safetensors reader/writer: byte layouts written by hand, every malformation, dtype conversion.
#include "error.h"
#include "safetensors.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace bertlab;

namespace {

std::string le64(uint64_t v)
{
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(v >> (8 * i));
    return s;
}

template <typename T>
std::string bytesOf(const std::vector<T>& values)
{
    std::string s(values.size() * sizeof(T), '\0');
    if (!values.empty()) std::memcpy(s.data(), values.data(), s.size());
    return s;
}

// A file laid out by hand: 8-byte length, the header text exactly as given, then the data.
std::string layout(const std::string& header, const std::string& data)
{
    return le64(header.size()) + header + data;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Whether p lies in a mapping of `path`, according to the kernel (not our code).
bool insideMappingOf(const void* p, const std::string& path)
{
    const std::string canonical = std::filesystem::canonical(path).string();
    std::ifstream maps("/proc/self/maps");
    std::string line;
    const auto addr = reinterpret_cast<uintptr_t>(p);
    while (std::getline(maps, line)) {
        std::istringstream in(line);
        std::string range, perms, offset, dev, inode, name;
        in >> range >> perms >> offset >> dev >> inode;
        std::getline(in >> std::ws, name);
        if (name != canonical) continue;
        const auto dash = range.find('-');
        const uintptr_t begin = std::stoull(range.substr(0, dash), nullptr, 16);
        const uintptr_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
        if (addr >= begin && addr < end) return true;
    }
    return false;
}

__attribute__((target("f16c"))) float hardwareHalfToFloat(uint16_t h)
{
    return _cvtsh_ss(h);
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

    // Expects readSafetensors to throw a one-line Error naming the file and containing `phrase`.
    void expectRejected(const std::string& bytes, const char* phrase)
    {
        const std::string p = path("bad.safetensors");
        writeFile(p, bytes);
        try {
            readSafetensors(p);
        } catch (const Error& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find('\n') == std::string::npos && msg.find('\r') == std::string::npos, msg.c_str());
            QVERIFY2(msg.find(p) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find(phrase) != std::string::npos, (std::string("want '") + phrase + "' in: " + msg).c_str());
            return;
        }
        QFAIL(("accepted a malformed file; expected an error mentioning: " + std::string(phrase)).c_str());
    }

    std::string validHeader() const
    {
        return R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
               R"("__metadata__":{"format":"pt"},)"
               R"("b":{"dtype":"F32","shape":[],"data_offsets":[24,28]}})";
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void readsHandWrittenFile()
    {
        // Key order in the header differs from offset order on purpose; trailing spaces are legal.
        const std::string good =
            R"({"z":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]},)"
            R"("__metadata__":{"format":"pt"},)"
            R"("empty":{"dtype":"F32","shape":[0,5],"data_offsets":[40,40]},)"
            R"("scalar":{"dtype":"F32","shape":[],"data_offsets":[12,16]},)"
            R"("pos":{"dtype":"I64","shape":[1],"data_offsets":[4,12]},)"
            R"("first":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   )";
        std::string padded = good;
        while (padded.size() % 8) padded += ' ';
        const std::vector<float> z = {1.5f, -2.0f, 3.25f, 0.0f, -0.0f, 1e-30f};
        const std::string data = bytesOf(std::vector<float>{7.0f}) + bytesOf(std::vector<int64_t>{42}) +
                                 bytesOf(std::vector<float>{-9.5f}) + bytesOf(z);
        const std::string p = path("good.safetensors");
        writeFile(p, layout(padded, data));

        TensorMap m = readSafetensors(p);
        QCOMPARE(m.sourceFormat, std::string("safetensors"));
        QCOMPARE(m.tensors.size(), size_t(4));  // I64 skipped, __metadata__ not a tensor
        QVERIFY(!m.tensors.count("pos"));
        QVERIFY(!m.tensors.count("__metadata__"));
        const TensorView& tz = m.tensors.at("z");
        QCOMPARE(tz.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(std::memcmp(tz.data, z.data(), 24), 0);
        QCOMPARE(m.tensors.at("scalar").shape, std::vector<int64_t>{});
        QCOMPARE(m.tensors.at("scalar").data[0], -9.5f);
        QCOMPARE(m.tensors.at("first").data[0], 7.0f);
        QCOMPARE(m.tensors.at("empty").numel(), int64_t(0));
        // F32 at 4-byte-aligned file offsets is read in place, not copied.
        QVERIFY(insideMappingOf(tz.data, p));
        QVERIFY(insideMappingOf(m.tensors.at("first").data, p));
    }

    void viewsOutliveTheReaderAndTheFile()
    {
        const std::vector<float> a = {1, 2, 3, 4, 5, 6};
        const std::string p = path("outlive.safetensors");
        writeFile(p, layout(validHeader() + std::string((8 - validHeader().size() % 8) % 8, ' '),
                            bytesOf(a) + bytesOf(std::vector<float>{8.0f})));
        TensorView view;
        {
            TensorMap m = readSafetensors(p);
            view = m.tensors.at("a");
        }
        std::filesystem::remove(p);  // the mapping keeps the bytes alive
        QCOMPARE(std::memcmp(view.data, a.data(), 24), 0);
    }

    void unalignedF32IsCopied()
    {
        // A 9-byte header puts the buffer at file offset 17, so F32 data is not 4-byte aligned.
        const std::string header = R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}})";
        std::string h = header;
        while ((8 + h.size()) % 4 != 1) h += ' ';
        const std::vector<float> x = {0.1f, -0.2f, 1e10f};
        const std::string p = path("unaligned.safetensors");
        writeFile(p, layout(h, bytesOf(x)));
        TensorMap m = readSafetensors(p);
        const TensorView& v = m.tensors.at("x");
        QCOMPARE(reinterpret_cast<uintptr_t>(v.data) % alignof(float), uintptr_t(0));
        QVERIFY(!insideMappingOf(v.data, p));
        QCOMPARE(std::memcmp(v.data, x.data(), 12), 0);
    }

    void convertsEveryHalfPattern()
    {
        if (!__builtin_cpu_supports("f16c")) QSKIP("no F16C to compare against");
        std::vector<uint16_t> all(65536);
        for (uint32_t i = 0; i < 65536; ++i) all[i] = static_cast<uint16_t>(i);
        const std::string header = R"({"h":{"dtype":"F16","shape":[256,256],"data_offsets":[0,131072]}})";
        const std::string p = path("f16.safetensors");
        writeFile(p, layout(header, bytesOf(all)));
        TensorMap m = readSafetensors(p);
        const TensorView& v = m.tensors.at("h");
        QCOMPARE(v.shape, (std::vector<int64_t>{256, 256}));
        for (uint32_t i = 0; i < 65536; ++i) {
            const float want = hardwareHalfToFloat(static_cast<uint16_t>(i));
            if (std::isnan(want)) {
                QVERIFY2(std::isnan(v.data[i]), std::to_string(i).c_str());
            } else if (std::bit_cast<uint32_t>(want) != std::bit_cast<uint32_t>(v.data[i])) {
                QFAIL(("half pattern " + std::to_string(i) + " converted wrongly").c_str());
            }
        }
        QVERIFY(!m.warnings.empty());  // the conversion is reported
    }

    void convertsBf16AndF64()
    {
        // bfloat16 is the top half of an fp32: known patterns from the format definition.
        const std::vector<uint16_t> bf = {0x3f80, 0xc020, 0x0000, 0x8000, 0x7f80, 0x4049};
        const std::vector<float> bfWant = {1.0f, -2.5f, 0.0f, -0.0f, INFINITY, 3.140625f};
        const std::vector<double> f64 = {0.1, -1e300, 123456.789};
        const std::string header = R"({"b":{"dtype":"BF16","shape":[6],"data_offsets":[0,12]},)"
                                   R"("d":{"dtype":"F64","shape":[3],"data_offsets":[12,36]}})";
        const std::string p = path("bf16.safetensors");
        writeFile(p, layout(header, bytesOf(bf) + bytesOf(f64)));
        TensorMap m = readSafetensors(p);
        for (size_t i = 0; i < bf.size(); ++i)
            QCOMPARE(std::bit_cast<uint32_t>(m.tensors.at("b").data[i]), std::bit_cast<uint32_t>(bfWant[i]));
        QCOMPARE(m.tensors.at("d").data[0], 0.1f);
        QVERIFY(std::isinf(m.tensors.at("d").data[1]) && m.tensors.at("d").data[1] < 0);
        QCOMPARE(m.tensors.at("d").data[2], static_cast<float>(123456.789));
    }

    void writerOutputIsStandard()
    {
        TensorMap m;
        m.tensors["w"] = makeOwnedTensor({1, 2, 3, 4, 5, 6}, {2, 3});
        m.tensors["b"] = makeOwnedTensor({-1.5f}, {1});
        m.tensors["s"] = makeOwnedTensor({2.5f}, {});
        m.tensors["e"] = makeOwnedTensor({}, {0, 4});
        const std::string p = path("written.safetensors");
        writeSafetensors(p, m);

        // Re-read with Qt's JSON parser and plain byte arithmetic.
        const std::string raw = testing::readText(p);
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(raw[i]);
        QCOMPARE(n % 8, uint64_t(0));
        QVERIFY(raw.size() >= 8 + n);
        const std::string header = raw.substr(8, n);
        QCOMPARE(header.front(), '{');
        QJsonParseError err;
        const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(header), &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(root.value("__metadata__").toObject().value("format").toString(), QString("pt"));
        uint64_t total = 0;
        for (const char* name : {"w", "b", "s", "e"}) {
            const QJsonObject t = root.value(name).toObject();
            QCOMPARE(t.value("dtype").toString(), QString("F32"));
            const QJsonArray off = t.value("data_offsets").toArray();
            const auto begin = static_cast<uint64_t>(off[0].toDouble());
            const auto end = static_cast<uint64_t>(off[1].toDouble());
            const TensorView& v = m.tensors.at(name);
            QCOMPARE(end - begin, static_cast<uint64_t>(v.numel() * 4));
            if (v.numel()) QCOMPARE(std::memcmp(raw.data() + 8 + n + begin, v.data, end - begin), 0);
            total += end - begin;
        }
        QCOMPARE(raw.size(), 8 + n + total);
        QCOMPARE(root.value("s").toObject().value("shape").toArray().size(), qsizetype(0));
        // No temporary file is left behind.
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir_.path().toStdString()))
            files += e.path().filename().string().find("written.safetensors") == 0;
        QCOMPARE(files, 1);
        // And it reads back.
        TensorMap back = readSafetensors(p);
        QCOMPARE(back.tensors.size(), size_t(4));
        QCOMPARE(back.tensors.at("w").shape, (std::vector<int64_t>{2, 3}));
    }

    void writerReplacesAMappedFileSafely()
    {
        const std::string p = path("replace.safetensors");
        TensorMap first;
        first.tensors["x"] = makeOwnedTensor({1, 2, 3, 4}, {4});
        writeSafetensors(p, first);
        TensorMap mapped = readSafetensors(p);
        TensorMap second;
        second.tensors["x"] = makeOwnedTensor({9, 9, 9, 9}, {4});
        writeSafetensors(p, second);
        QCOMPARE(mapped.tensors.at("x").data[2], 3.0f);  // old mapping untouched
        QCOMPARE(readSafetensors(p).tensors.at("x").data[2], 9.0f);
        // Writing the mapped views over their own file works too.
        writeSafetensors(p, mapped);
        QCOMPARE(readSafetensors(p).tensors.at("x").data[3], 4.0f);
    }

    void writeFailureIsAnError()
    {
        TensorMap m;
        m.tensors["x"] = makeOwnedTensor({1}, {1});
        QVERIFY_THROWS_EXCEPTION(Error, writeSafetensors(path("no-such-dir/x.safetensors"), m));
    }

    // ---- malformed files: one test per rule of formats.md §1 ----

    void rejectsEmptyFile() { expectRejected("", "too short"); }
    void rejectsShortHeaderLength() { expectRejected(std::string("\x10\x00\x00", 3), "too short"); }
    void rejectsHugeHeaderLength() { expectRejected(le64(100'000'001) + "{}", "over the limit"); }
    void rejectsHeaderPastEof() { expectRejected(le64(64) + "{\"a\":1}", "past the end of the file"); }
    void rejectsZeroHeader() { expectRejected(le64(0), "does not start with"); }
    void rejectsHeaderNotObject() { expectRejected(layout("[1,2]", ""), "does not start with"); }
    void rejectsInvalidUtf8() { expectRejected(layout("{\"a\xff\":{}}", ""), "UTF-8"); }
    void rejectsBadJson() { expectRejected(layout("{\"a\":{\"dtype\":\"F32\",", ""), "not valid JSON"); }
    void rejectsTrailingGarbageInHeader() { expectRejected(layout("{} x", ""), "not valid JSON"); }

    void acceptsEmptyHeaderAndTrailingSpaces()
    {
        const std::string p = path("empty-ok.safetensors");
        writeFile(p, layout("{}      ", ""));
        QVERIFY(readSafetensors(p).tensors.empty());
    }

    void rejectsDuplicateTensorName()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                              std::string(8, '\0')),
                       "twice");
    }

    void rejectsDuplicateField()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}})",
                              std::string(4, '\0')),
                       "twice");
    }

    void rejectsOverlap()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                              std::string(12, '\0')),
                       "overlaps");
    }

    void rejectsSharedOffsets()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                              std::string(4, '\0')),
                       "overlaps");
    }

    void rejectsGap()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                              std::string(12, '\0')),
                       "gap");
    }

    void rejectsFirstNotAtZero()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", std::string(8, '\0')),
                       "gap");
    }

    void rejectsEndBeforeBegin()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}})", std::string(4, '\0')),
                       "end before they begin");
    }

    void rejectsOffsetsPastEof()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, '\0')),
                       "past the end of the file");
    }

    void rejectsUncoveredTrailingBytes()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", std::string(12, '\0')),
                       "not covered");
    }

    void rejectsShapeBytesMismatch()
    {
        expectRejected(layout(R"({"a":{"dtype":"F16","shape":[2,3],"data_offsets":[0,24]}})", std::string(24, '\0')),
                       "12 bytes");
    }

    void rejectsNegativeDimension()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}})", std::string(16, '\0')),
                       "negative dimension");
    }

    void rejectsOverflowingShape()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})",
                              std::string(16, '\0')),
                       "overflows");
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]}})",
                              std::string(16, '\0')),
                       "overflows");
    }

    void rejectsFractionalOrHugeNumbers()
    {
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", std::string(4, '\0')),
                       "not a non-negative integer");
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,1e30]}})", std::string(4, '\0')),
                       "data_offsets");
    }

    void rejectsUnknownDtype()
    {
        expectRejected(layout(R"({"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}})", std::string(4, '\0')),
                       "unknown dtype");
    }

    void rejectsUnreadableFloatDtype()
    {
        expectRejected(layout(R"({"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})", std::string(4, '\0')),
                       "cannot read");
    }

    void rejectsMissingFields()
    {
        expectRejected(layout(R"({"a":{"shape":[1],"data_offsets":[0,4]}})", std::string(4, '\0')), "dtype");
        expectRejected(layout(R"({"a":{"dtype":"F32","data_offsets":[0,4]}})", std::string(4, '\0')), "shape");
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1]}})", std::string(4, '\0')), "data_offsets");
        expectRejected(layout(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", std::string(4, '\0')),
                       "data_offsets");
        expectRejected(layout(R"({"a":[1,2]})", std::string(4, '\0')), "JSON object");
    }

    void rejectsBadMetadata()
    {
        expectRejected(layout(R"({"__metadata__":{"format":1}})", ""), "__metadata__");
    }

    void hostileNameStaysOnOneLine()
    {
        expectRejected(layout("{\"a\\nb\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", std::string(4, '\0')),
                       "unknown dtype");
    }

    void missingFileIsAnError()
    {
        const std::string p = path("does-not-exist.safetensors");
        try {
            readSafetensors(p);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find(p) != std::string::npos);
        }
    }

    // Every truncation and many single-byte corruptions of a valid file: an Error or success, no crash.
    void survivesTruncationAndCorruption()
    {
        std::string h = validHeader();
        while (h.size() % 8) h += ' ';
        const std::string good = layout(h, bytesOf(std::vector<float>{1, 2, 3, 4, 5, 6, 7}));
        const std::string p = path("fuzz.safetensors");
        int errors = 0;
        for (size_t len = 0; len < good.size(); ++len) {
            writeFile(p, good.substr(0, len));
            try {
                readSafetensors(p);
            } catch (const Error&) {
                ++errors;
            }
        }
        QCOMPARE(errors, static_cast<int>(good.size()));  // every strict prefix is invalid
        for (size_t i = 0; i < 8 + h.size(); ++i) {
            for (unsigned char x : {0x00, 0x22, 0x2c, 0x5b, 0x7d, 0x31, 0x80, 0xff}) {
                std::string bad = good;
                bad[i] = static_cast<char>(x);
                writeFile(p, bad);
                try {
                    TensorMap m = readSafetensors(p);
                    for (const auto& [name, v] : m.tensors)
                        for (int64_t k = 0; k < v.numel(); ++k) (void)v.data[k];
                } catch (const Error& e) {
                    QVERIFY(std::string(e.what()).find('\n') == std::string::npos);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
