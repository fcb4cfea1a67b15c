// The TF1 checkpoint reader against keras-bert's real Google-format checkpoint, intact and damaged.
#include "error.h"
#include "tf_checkpoint.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QtTest/QtTest>

#include <cstring>
#include <fstream>
#include <set>
#include <string>

using namespace bertlab;
using bertlab::testing::dataPath;
using bertlab::testing::readText;

namespace {

const std::string kFolder = "refdata/models/keras-bert-tiny-tf1-ckpt/";
std::string prefix() { return dataPath(kFolder + "bert_model.ckpt"); }
std::string indexBytes() { return readText(prefix() + ".index"); }
std::string dataBytes() { return readText(prefix() + ".data-00000-of-00001"); }

// Raw little-endian floats of the .data file, read without the reader under test.
std::vector<float> rawFloats(const std::string& data, size_t offset, size_t count)
{
    std::vector<float> v(count);
    std::memcpy(v.data(), data.data() + offset, count * 4);
    return v;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Writes a copy of the checkpoint with the given index and data bytes; returns its prefix.
std::string writeCheckpoint(const QTemporaryDir& dir, const std::string& index, const std::string& data)
{
    std::string p = dir.path().toStdString() + "/bert_model.ckpt";
    writeFile(p + ".index", index);
    writeFile(p + ".data-00000-of-00001", data);
    return p;
}

TfBundleIndex parseIndex(const std::string& bytes)
{
    return parseTfBundleIndex(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

uint64_t varint(const std::string& s, size_t& pos)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b = static_cast<uint8_t>(s.at(pos++));
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
}

#define EXPECT_ERROR(statement, needle)                                                                     \
    do {                                                                                                    \
        QString message_;                                                                                   \
        try {                                                                                               \
            statement;                                                                                      \
        } catch (const bertlab::Error& e_) {                                                                \
            message_ = QString::fromUtf8(e_.what());                                                        \
        }                                                                                                   \
        QVERIFY2(!message_.isEmpty(), "no error thrown");                                                   \
        QVERIFY2(message_.contains(QString::fromUtf8(needle)), qPrintable("unexpected message: " + message_)); \
        QVERIFY2(!message_.contains('\n'), "message is not one line");                                    \
    } while (0)

} // namespace

class TestTfCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void indexAsDocumented()
    {
        // The files are the ones SOURCES.md fingerprints (sha256 prefix...suffix).
        auto sha = [](const std::string& b) {
            return QCryptographicHash::hash(QByteArray(b.data(), static_cast<qsizetype>(b.size())), QCryptographicHash::Sha256).toHex();
        };
        QByteArray indexSha = sha(indexBytes()), dataSha = sha(dataBytes());
        QVERIFY(indexSha.startsWith("b7a18fca") && indexSha.endsWith("45ed8b"));
        QVERIFY(dataSha.startsWith("4764dd18") && dataSha.endsWith("71da04ca"));

        // Offsets and shapes as the fixture's README lists them (parsed by hand upstream).
        TfBundleIndex index = parseIndex(indexBytes());
        QCOMPARE(index.numShards, int64_t{1});
        std::map<std::string, const TfBundleEntry*> byName;
        for (const auto& e : index.entries) byName[e.name] = &e;
        struct Doc { const char* name; uint64_t offset; std::vector<int64_t> shape; };
        const Doc docs[] = {
            {"bert/embeddings/LayerNorm/beta", 0, {4}},
            {"bert/embeddings/LayerNorm/gamma", 48, {4}},
            {"bert/embeddings/position_embeddings", 96, {16, 4}},
            {"bert/embeddings/token_type_embeddings", 864, {2, 4}},
            {"bert/embeddings/word_embeddings", 960, {15, 4}},
            {"bert/pooler/dense/kernel", 7584, {4, 4}},
            {"bert/pooler/dense/bias", 7536, {4}},
            {"cls/predictions/output_bias", 7776, {15}},
            {"cls/predictions/transform/dense/kernel", 8100, {4, 4}},
            {"cls/predictions/transform/dense/bias", 8052, {4}},
            {"cls/predictions/transform/LayerNorm/gamma", 8004, {4}},
            {"cls/predictions/transform/LayerNorm/beta", 7956, {4}},
            {"cls/seq_relationship/output_weights", 8316, {2, 4}},
            {"cls/seq_relationship/output_bias", 8292, {2}},
            {"global_step", 8412, {}},
        };
        for (const Doc& d : docs) {
            QVERIFY2(byName.count(d.name), d.name);
            QCOMPARE(byName[d.name]->offset, d.offset);
            QCOMPARE(byName[d.name]->shape, d.shape);
            QCOMPARE(byName[d.name]->dtype, std::string(d.name) == "global_step" ? 9 : 1);
        }
        QCOMPARE(byName["bert/encoder/layer_1/intermediate/dense/kernel"]->shape, (std::vector<int64_t>{4, 16}));
        // global_step is int64 20, read straight from the data file.
        std::string data = dataBytes();
        int64_t step;
        std::memcpy(&step, data.data() + 8412, 8);
        QCOMPARE(step, int64_t{20});

        // Every variable has its Adam slots; 46 weights + 92 slots + global_step. (The fixture's
        // README says "47 model tensors", counting global_step among them.)
        int slotCount = 0;
        for (const auto& e : index.entries) slotCount += e.name.ends_with("/adam_m") || e.name.ends_with("/adam_v");
        QCOMPARE(slotCount, 92);
        QCOMPARE(index.entries.size(), size_t{46 + 92 + 1});
    }

    void loadsWithHuggingFaceNames()
    {
        TensorMap map = readTfCheckpoint(prefix());
        QCOMPARE(map.sourceFormat, std::string("tf-checkpoint"));
        QCOMPARE(map.tensors.size(), size_t{46});
        QVERIFY(map.warnings.empty());
        for (const auto& [name, t] : map.tensors) {
            QVERIFY2(name.find("adam") == std::string::npos && name.find("global_step") == std::string::npos, name.c_str());
            QVERIFY2(name.find('/') == std::string::npos, name.c_str());
        }
        const std::pair<const char*, std::vector<int64_t>> expected[] = {
            {"bert.embeddings.word_embeddings.weight", {15, 4}},
            {"bert.embeddings.position_embeddings.weight", {16, 4}},
            {"bert.embeddings.token_type_embeddings.weight", {2, 4}},
            {"bert.embeddings.LayerNorm.weight", {4}},
            {"bert.embeddings.LayerNorm.bias", {4}},
            {"bert.encoder.layer.0.attention.self.query.weight", {4, 4}},
            {"bert.encoder.layer.1.attention.self.value.bias", {4}},
            {"bert.encoder.layer.0.attention.output.LayerNorm.weight", {4}},
            {"bert.encoder.layer.1.intermediate.dense.weight", {16, 4}},  // TF [4, 16], transposed
            {"bert.encoder.layer.1.output.dense.weight", {4, 16}},        // TF [16, 4], transposed
            {"bert.pooler.dense.weight", {4, 4}},
            {"cls.predictions.bias", {15}},
            {"cls.predictions.transform.dense.weight", {4, 4}},
            {"cls.predictions.transform.LayerNorm.bias", {4}},
            {"cls.seq_relationship.weight", {2, 4}},  // already [out, in]
            {"cls.seq_relationship.bias", {2}},
        };
        for (const auto& [name, shape] : expected) {
            QVERIFY2(map.tensors.count(name), name);
            QCOMPARE(map.tensors.at(name).shape, shape);
        }
    }

    void valuesAndTransposition()
    {
        TensorMap map = readTfCheckpoint(prefix() + ".index");  // a path to the .index works too
        std::string data = dataBytes();
        // Pooler kernel, stored [in, out] at byte 7584: weight[o][i] == kernel[i][o].
        std::vector<float> kernel = rawFloats(data, 7584, 16);
        const TensorView& pooler = map.tensors.at("bert.pooler.dense.weight");
        for (int i = 0; i < 4; ++i)
            for (int o = 0; o < 4; ++o) QCOMPARE(pooler.data[o * 4 + i], kernel[i * 4 + o]);
        QVERIFY(kernel[1] != kernel[4]);  // not symmetric, so the check above can tell

        // A non-square kernel: intermediate [in 4, out 16] becomes [16, 4].
        TfBundleIndex index = parseIndex(indexBytes());
        const TfBundleEntry* inter = nullptr;
        for (const auto& e : index.entries)
            if (e.name == "bert/encoder/layer_0/intermediate/dense/kernel") inter = &e;
        QVERIFY(inter);
        std::vector<float> raw = rawFloats(data, inter->offset, 64);
        const TensorView& w = map.tensors.at("bert.encoder.layer.0.intermediate.dense.weight");
        for (int i = 0; i < 4; ++i)
            for (int o = 0; o < 16; ++o) QCOMPARE(w.data[o * 4 + i], raw[i * 16 + o]);

        // Untransposed tensors are the bytes as stored.
        QCOMPARE(std::vector<float>(map.tensors.at("bert.embeddings.word_embeddings.weight").data,
                                    map.tensors.at("bert.embeddings.word_embeddings.weight").data + 60), rawFloats(data, 960, 60));
        QCOMPARE(std::vector<float>(map.tensors.at("cls.seq_relationship.weight").data,
                                    map.tensors.at("cls.seq_relationship.weight").data + 8), rawFloats(data, 8316, 8));
        QCOMPARE(std::vector<float>(map.tensors.at("cls.predictions.bias").data,
                                    map.tensors.at("cls.predictions.bias").data + 15), rawFloats(data, 7776, 15));
    }

    void nameMapping()
    {
        auto check = [](const char* tf, const char* hf, bool transpose) {
            auto n = huggingFaceName(tf);
            QVERIFY2(n.has_value(), tf);
            QCOMPARE(n->name, std::string(hf));
            QCOMPARE(n->transpose, transpose);
        };
        check("bert/encoder/layer_11/attention/self/key/kernel", "bert.encoder.layer.11.attention.self.key.weight", true);
        check("bert/encoder/layer_3/output/LayerNorm/gamma", "bert.encoder.layer.3.output.LayerNorm.weight", false);
        check("bert/embeddings/LayerNorm/beta", "bert.embeddings.LayerNorm.bias", false);
        check("cls/predictions/output_bias", "cls.predictions.bias", false);
        check("cls/seq_relationship/output_weights", "cls.seq_relationship.weight", false);
        for (const char* skipped : {"global_step", "bert/pooler/dense/kernel/adam_m", "bert/pooler/dense/kernel/adam_v",
                                    "bert/embeddings/word_embeddings/AdamWeightDecayOptimizer"})
            QVERIFY2(!huggingFaceName(skipped).has_value(), skipped);
    }

    void checksumsVerified()
    {
        // Every stored CRC matches (the reader checks them); one flipped data byte is caught.
        std::string data = dataBytes();
        QTemporaryDir dir;
        std::string corrupt = data;
        corrupt[7584 + 5] ^= 0x10;  // inside the pooler kernel
        EXPECT_ERROR(readTfCheckpoint(writeCheckpoint(dir, indexBytes(), corrupt)), "bert/pooler/dense/kernel' is corrupt (CRC-32C");
        EXPECT_ERROR(readTfCheckpoint(writeCheckpoint(dir, indexBytes(), data.substr(0, 8000))), "past the end of its data file");
        // Damage in an Adam slot does not matter: slots are never read.
        TfBundleIndex index = parseIndex(indexBytes());
        for (const auto& e : index.entries) {
            if (e.name == "bert/pooler/dense/kernel/adam_m") {
                std::string slotDamaged = data;
                slotDamaged[e.offset] ^= 0x55;
                QCOMPARE(readTfCheckpoint(writeCheckpoint(dir, indexBytes(), slotDamaged)).tensors.size(), size_t{46});
            }
        }
        EXPECT_ERROR(readTfCheckpoint(dir.path().toStdString() + "/missing.ckpt"), "missing.ckpt.index");
    }

    void corruptIndexRejected()
    {
        std::string index = indexBytes();
        // Every truncation is refused.
        for (size_t n = 0; n < index.size(); ++n) {
            bool threw = false;
            try {
                parseIndex(index.substr(0, n));
            } catch (const Error&) {
                threw = true;
            }
            QVERIFY2(threw, qPrintable(QString("index cut to %1 bytes parsed").arg(n)));
        }
        // Every single-byte change is refused or harmless (the footer has unchecked padding); never a crash.
        int refused = 0;
        for (size_t i = 0; i < index.size(); ++i) {
            std::string copy = index;
            copy[i] ^= 0x41;
            try {
                parseIndex(copy);
            } catch (const Error&) {
                ++refused;
            }
        }
        QVERIFY(refused > static_cast<int>(index.size()) - 48);

        std::string badMagic = index;
        badMagic[badMagic.size() - 1] ^= 1;
        EXPECT_ERROR(parseIndex(badMagic), "magic");

        // Mark the index block as snappy-compressed, with a CRC that is right for the change.
        size_t pos = index.size() - 48;
        varint(index, pos);
        varint(index, pos);
        size_t indexOffset = varint(index, pos);
        size_t indexSize = varint(index, pos);
        std::string compressed = index;
        compressed[indexOffset + indexSize] = 1;
        uint32_t crc = 0;
        {
            // CRC-32C computed bitwise here, independently of the engine's implementation.
            uint32_t c = 0xffffffffu;
            for (size_t k = 0; k < indexSize + 1; ++k) {
                c ^= static_cast<uint8_t>(compressed[indexOffset + k]);
                for (int b = 0; b < 8; ++b) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
            }
            c ^= 0xffffffffu;
            crc = ((c >> 15) | (c << 17)) + 0xa282ead8u;
        }
        std::memcpy(&compressed[indexOffset + indexSize + 1], &crc, 4);
        EXPECT_ERROR(parseIndex(compressed), "compressed blocks");

        std::string flipped = index;
        flipped[indexOffset + 2] ^= 0x20;
        EXPECT_ERROR(parseIndex(flipped), "CRC-32C");
        EXPECT_ERROR(parseIndex(std::string(100, '\0')), "magic");
    }
};

QTEST_APPLESS_MAIN(TestTfCheckpoint)
#include "test_tf_checkpoint.moc"
