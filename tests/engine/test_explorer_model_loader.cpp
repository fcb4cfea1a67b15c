// The explorer's memory policy: each preview rule with its reason, and the decision on the tiny model.
#include "bf16_linear.h"
#include "error.h"
#include "explorer_model_loader.h"
#include "huge_page_buffer.h"
#include "model_io.h"
#include "test_support.h"

#include <QtTest>

#include <string>

using namespace bertlab;

namespace {

constexpr int64_t kMiB = int64_t(1) << 20;

// A machine where every rule but the one under test passes: a BERT-Base-sized model on a CPU with
// native bfloat16 and plenty of free memory.
PreviewFacts roomyFacts()
{
    PreviewFacts f;
    f.weightBytes = 420 * kMiB;
    f.copyBytes = 210 * kMiB;
    f.nativeBfloat16 = true;
    f.freeMemory = uint64_t(16) << 30;
    return f;
}

bool mentions(const std::string& text, const char* part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class ExplorerModelLoaderTest : public QObject {
    Q_OBJECT

private slots:
    void sizesReadAsTheUserWouldWriteThem()
    {
        QCOMPARE(formatMemorySize(42 * kMiB), std::string("42.0 MiB"));
        QCOMPARE(formatMemorySize(kPreviewMinimumWeightBytes), std::string("200 MiB"));
        QCOMPARE(formatMemorySize(kMiB * 17 / 10), std::string("1.7 MiB"));
        QCOMPARE(formatMemorySize(int64_t(1280) * kMiB), std::string("1.25 GiB"));
        QCOMPARE(formatMemorySize(493772), std::string("482.2 KiB"));
        QCOMPARE(formatMemorySize(512), std::string("512 bytes"));
    }

    void aBigModelOnANativeCpuGetsThePreview()
    {
        const MemoryChoice c = decidePreview(roomyFacts(), {});
        QVERIFY(c.on);
        QVERIFY2(mentions(c.reason, "bfloat16 copies, 210 MiB"), c.reason.c_str());
    }

    void aSmallModelDoesNotNeedIt()
    {
        PreviewFacts f = roomyFacts();
        f.weightBytes = 42 * kMiB;
        const MemoryChoice c = decidePreview(f, {});
        QVERIFY(!c.on);
        QVERIFY2(mentions(c.reason, "not needed") && mentions(c.reason, "42.0 MiB of float32 weights") &&
                     mentions(c.reason, "under the 200 MiB"),
                 c.reason.c_str());
        // The threshold is the caller's: at or above it the copies are made.
        ExplorerLoadOptions lower;
        lower.previewMinimumWeightBytes = 42 * kMiB;
        QVERIFY(decidePreview(f, lower).on);
    }

    void noNativeBfloat16MeansNoPreviewWhateverTheSize()
    {
        PreviewFacts f = roomyFacts();
        f.nativeBfloat16 = false;
        const MemoryChoice c = decidePreview(f, {});
        QVERIFY(!c.on);
        QVERIFY2(mentions(c.reason, "no native bfloat16"), c.reason.c_str());
        f.weightBytes = 42 * kMiB;  // the CPU is the first reason given: it holds for any model
        QVERIFY(mentions(decidePreview(f, {}).reason, "no native bfloat16"));
    }

    void shortFreeMemoryKeepsTheCopiesOut()
    {
        PreviewFacts f = roomyFacts();
        f.freeMemory = 4 * static_cast<uint64_t>(f.copyBytes);  // exactly four times: not more
        MemoryChoice c = decidePreview(f, {});
        QVERIFY(!c.on);
        QVERIFY2(mentions(c.reason, "840 MiB of free memory") && mentions(c.reason, "210 MiB of bfloat16 copies"),
                 c.reason.c_str());
        f.freeMemory += kMiB;
        QVERIFY(decidePreview(f, {}).on);
        f.freeMemory = 0;  // unknown (no /proc/meminfo): not a reason to refuse
        QVERIFY(decidePreview(f, {}).on);
    }

    void notAskedForIsOff()
    {
        ExplorerLoadOptions off;
        off.preview = false;
        const MemoryChoice c = decidePreview(roomyFacts(), off);
        QVERIFY(!c.on);
        QVERIFY(mentions(c.reason, "not asked for"));
    }

    void theTinyModelGetsNoCopiesAndSaysWhy()
    {
        const ExplorerModel loaded = loadExplorerModel(testing::dataPath("models/tiny"));
        QVERIFY(loaded.model);
        const int64_t weightBytes = loaded.model->info().weightBytes;
        QVERIFY(weightBytes > 0 && weightBytes < kPreviewMinimumWeightBytes);
        QVERIFY(!loaded.model->hasBfloat16());
        QVERIFY(!loaded.memory.preview.on);
        const std::string& why = loaded.memory.preview.reason;
        if (nativeBfloat16Available())
            QVERIFY2(mentions(why, "not needed") && mentions(why, formatMemorySize(weightBytes).c_str()), why.c_str());
        else
            QVERIFY2(mentions(why, "no native bfloat16"), why.c_str());
        // Huge pages never come where the kernel offers none.
        if (!HugePageBuffer::available()) {
            QVERIFY(!loaded.memory.hugePages.on);
            QVERIFY(mentions(loaded.memory.hugePages.reason, "no transparent huge pages"));
        }
        QVERIFY(!loaded.memory.hugePages.reason.empty());
        // Wherever its weights went, the model computes what the same model loaded plainly does.
        const std::shared_ptr<BertModel> plain = loadModel(testing::dataPath("models/tiny"));
        Probe probe;
        probe.hiddenStates = true;
        const Encoding e = plain->encode("the man went to the store .");
        const Trace expected = plain->forward(e, probe), got = loaded.model->forward(e, probe);
        QCOMPARE(got.hiddenStates.size(), expected.hiddenStates.size());
        QVERIFY(!got.hiddenStates.empty());
        const Matrix& last = got.hiddenStates.back();
        QVERIFY(testing::maxAbsDiff(last.data(), expected.hiddenStates.back().data(), last.size()) < 1e-5f);
    }

    void withNoMinimumTheCopiesComeWhereTheCpuHasNativeBfloat16()
    {
        ExplorerLoadOptions options;
        options.previewMinimumWeightBytes = 0;
        options.hugePages = false;
        const ExplorerModel loaded = loadExplorerModel(testing::dataPath("models/tiny"), options);
        const bool native = nativeBfloat16Available();
        QCOMPARE(loaded.memory.preview.on, native);
        QCOMPARE(loaded.model->hasBfloat16(), native);
        QVERIFY(!loaded.memory.hugePages.on);
        QVERIFY(mentions(loaded.memory.hugePages.reason, "not asked for"));
        if (native) {
            // The reason gives the packed size, not the estimate.
            const std::string size = formatMemorySize(loaded.model->bfloat16Bytes());
            QVERIFY2(mentions(loaded.memory.preview.reason, ("bfloat16 copies, " + size).c_str()),
                     loaded.memory.preview.reason.c_str());
        }
    }

    void anUnreadableModelThrowsOneLine()
    {
        try {
            loadExplorerModel(testing::dataPath("models/no-such-model"));
            QFAIL("expected an Error");
        } catch (const Error& e) {
            const std::string what = e.what();
            QVERIFY(!what.empty());
            QVERIFY(what.find('\n') == std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(ExplorerModelLoaderTest)
#include "test_explorer_model_loader.moc"
