// Training with --precision bf16: losses against float32 and PyTorch's autocast run, gradients, weight-copy refresh, resume, and the refusal on CPUs without bfloat16.
#include "cli_runner.h"
#include "test_support.h"

#include "bert_config.h"
#include "bf16_linear.h"
#include "safetensors.h"
#include "training/bf16_parameter_copy.h"
#include "training/checkpoint.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/trainer.h"
#include "training/training_model.h"
#include "vocab.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace bertlab;

namespace {

const std::string kDir = "fixtures/training/";

// bfloat16 keeps 8 significant bits (~2.4 decimal digits); summed in float32, a few steps of
// this model move the loss by about 1e-3 relative (PyTorch's own autocast run: bf16_adamw.json).
// 5e-3 leaves room for the two schemes' different roundings (PyTorch also rounds attention's
// products and every linear layer's output) while a product left in float32 or a stale weight
// copy still shows: see the checks that bfloat16 is really in effect.
constexpr double kLossTolerance = 5e-3;
constexpr double kMinCosine = 0.999;

struct Start {
    BertConfig config;
    std::shared_ptr<const Vocab> vocab;
    std::optional<ParameterBuffer> params;
    std::vector<PretrainingExample> examples;
};

Start loadStart()
{
    Start s;
    s.config = BertConfig::fromFile(testing::dataPath(kDir + "model/config.json"));
    s.vocab = std::make_shared<Vocab>(Vocab::fromFile(testing::dataPath(kDir + "model/vocab.txt")));
    s.params.emplace(ParameterBuffer::fromTensors(s.config, readSafetensors(testing::dataPath(kDir + "model/model.safetensors"))));
    s.examples = readExamplesJsonl(testing::dataPath(kDir + "examples.jsonl"), s.config.vocabSize);
    return s;
}

// The recipe of the PyTorch AdamW fixtures (adamw.json and bf16_adamw.json share it).
TrainerOptions fixtureRecipe(Precision precision)
{
    const auto ref = nlohmann::json::parse(testing::readText(testing::dataPath(kDir + "bf16_adamw.json")));
    const auto& r = ref["recipe"];
    TrainerOptions o;
    o.steps = r["steps"];
    o.batchSize = r["batch_size"];
    o.peakLr = r["lr"];
    o.warmup = r["warmup"];
    o.dropout = 0.0f;
    o.shuffle = false;
    o.maxGradNorm = r["max_grad_norm"];
    o.adam.weightDecay = r["weight_decay"];
    o.precision = precision;
    return o;
}

std::vector<TrainingMetrics> runFixture(Precision precision)
{
    Start s = loadStart();
    Trainer trainer(std::move(*s.params), s.vocab, true, s.examples, {}, fixtureRecipe(precision), "");
    std::vector<TrainingMetrics> got;
    trainer.onMetrics([&](const TrainingMetrics& m) { got.push_back(m); });
    if (trainer.run() != TrainingOutcome::Completed) return {};
    return got;
}

TrainingBatch firstBatch(const Start& s, int n)
{
    std::vector<const PretrainingExample*> chosen;
    for (int i = 0; i < n; ++i) chosen.push_back(&s.examples[static_cast<size_t>(i)]);
    return TrainingBatch::make(chosen, s.vocab->padId(), s.config.vocabSize, s.config.maxPositionEmbeddings);
}

double cosine(const float* a, const float* b, size_t n, double* normA, double* normB)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
    *normA = std::sqrt(aa), *normB = std::sqrt(bb);
    return ab / std::sqrt(aa * bb);
}

#define SKIP_WITHOUT_BF16() \
    if (!nativeBfloat16Available()) QSKIP("this CPU has no native bfloat16 (avx512_bf16 / amx_bf16): bf16 training is refused here")

} // namespace

class TestBf16Training : public QObject {
    Q_OBJECT
private slots:
    void lossesTrackFloat32AndPytorchAutocast();
    void gradientsAreCloseToFloat32();
    void weightCopiesAreRefreshedAfterUpdates();
    void checkpointRecordsPrecisionAndResumeKeepsIt();
    void finetuneTracksFloat32();
    void refusedOnCpuWithoutBfloat16();
};

void TestBf16Training::lossesTrackFloat32AndPytorchAutocast()
{
    SKIP_WITHOUT_BF16();
    const auto ref = nlohmann::json::parse(testing::readText(testing::dataPath(kDir + "bf16_adamw.json")));
    const std::vector<TrainingMetrics> f32 = runFixture(Precision::Float32);
    const std::vector<TrainingMetrics> bf16 = runFixture(Precision::Bfloat16);
    QCOMPARE(bf16.size(), ref["metrics"].size());
    QCOMPARE(f32.size(), bf16.size());
    double differs = 0;
    for (size_t i = 0; i < bf16.size(); ++i) {
        const double torchBf16 = ref["metrics"][i]["loss"];
        const double toF32 = std::fabs(bf16[i].loss - f32[i].loss) / f32[i].loss;
        const double toTorch = std::fabs(bf16[i].loss - torchBf16) / torchBf16;
        const QString where = QString("step %1: bf16 %2, f32 %3, torch bf16 %4").arg(i + 1).arg(bf16[i].loss, 0, 'g', 8)
                                  .arg(f32[i].loss, 0, 'g', 8).arg(torchBf16, 0, 'g', 8);
        QVERIFY2(toF32 < kLossTolerance, qPrintable(where));
        QVERIFY2(toTorch < kLossTolerance, qPrintable(where));
        const double torchGrad = ref["metrics"][i]["grad_norm"];
        QVERIFY2(std::fabs(bf16[i].gradNorm - torchGrad) < 2e-2 * torchGrad, qPrintable(where + " grad norm"));
        differs = std::max(differs, toF32);
    }
    // bfloat16 really ran: a float32 pass would agree with f32 to the last bit.
    QVERIFY2(differs > 1e-6, "the bf16 run's losses equal the float32 run's: no product ran in bfloat16");
    qInfo("largest relative loss gap to float32: %.2e (PyTorch autocast's own: %.2e)", differs,
          ref["max_relative_gap_to_float32"].get<double>());
}

void TestBf16Training::gradientsAreCloseToFloat32()
{
    SKIP_WITHOUT_BF16();
    Start s = loadStart();
    const TrainingBatch batch = firstBatch(s, 4);
    const ParameterBuffer& params = *s.params;
    AlignedVector<float> g32(params.size(), 0.0f), g16(params.size(), 0.0f);
    TrainingModel m32(s.config), m16(s.config);
    const LossStats l32 = m32.forward(params, batch, 0, false);
    m32.backward(params, g32.data());
    const Bf16ParameterCopy copy(params);
    m16.setBfloat16Weights(copy.shadow());
    const LossStats l16 = m16.forward(params, batch, 0, false);
    m16.backward(params, g16.data());
    QVERIFY2(std::fabs(l16.loss - l32.loss) < kLossTolerance * l32.loss,
             qPrintable(QString("loss bf16 %1 vs f32 %2").arg(l16.loss).arg(l32.loss)));
    bool anyDiffers = false;
    double worst = 1.0;
    for (const ParameterEntry& e : params.layout().entries) {
        double n32 = 0, n16 = 0;
        const double c = cosine(g32.data() + e.offset, g16.data() + e.offset, e.numel, &n32, &n16);
        const QString what = QString("%1: cosine %2, norms %3 / %4").arg(e.name.c_str()).arg(c, 0, 'g', 8).arg(n16).arg(n32);
        if (n32 < 1e-6) {
            // The key bias: softmax ignores a shift shared by every score of a row, so its
            // gradient is zero but for rounding noise in either precision.
            QVERIFY2(n16 < 1e-5, qPrintable(what));
            continue;
        }
        QVERIFY2(c > kMinCosine, qPrintable(what));
        QVERIFY2(std::fabs(n16 - n32) < 2e-2 * n32, qPrintable(what));
        worst = std::min(worst, c);
        anyDiffers = anyDiffers || testing::maxAbsDiff(g32.data() + e.offset, g16.data() + e.offset, int64_t(e.numel)) > 0;
    }
    QVERIFY2(anyDiffers, "bf16 gradients equal float32's to the bit: no product ran in bfloat16");
    qInfo("lowest cosine to float32 over the parameter tensors: %.6f", worst);
}

void TestBf16Training::weightCopiesAreRefreshedAfterUpdates()
{
    SKIP_WITHOUT_BF16();
    Start s = loadStart();
    const std::vector<PretrainingExample> held(s.examples.begin(), s.examples.begin() + 4);
    TrainerOptions o = fixtureRecipe(Precision::Bfloat16);
    o.steps = 4;
    Trainer trainer(*s.params, s.vocab, true, s.examples, held, o, "");
    QVERIFY(trainer.model().bfloat16());
    QVERIFY(trainer.run() == TrainingOutcome::Completed);
    // The trainer's model evaluates on its own bfloat16 copy; a model given a copy rounded from
    // the weights now must get the same loss to the bit, and one given the starting weights' copy
    // (what a copy never refreshed would hold) a different one.
    const EvaluationMetrics trained = trainer.evaluate();
    const TrainingBatch batch = firstBatch(s, 4);
    TrainingModel fresh(s.config);
    const Bf16ParameterCopy now(trainer.parameters());
    fresh.setBfloat16Weights(now.shadow());
    // Attention's per-head products stay float32; to the bit means on the trainer's library.
    fresh.setFloatProducts(trainer.model().floatProducts());
    const LossStats f = fresh.forward(trainer.parameters(), batch, 0, false);
    QCOMPARE(f.mlmLoss, trained.mlmLoss);
    QCOMPARE(f.nspLoss, trained.nspLoss);

    Bf16ParameterCopy stale(*s.params);
    layers::Bf16Shadow mixed = stale.shadow();
    mixed.base = trainer.parameters().data();  // the start's twins for the trained buffer
    TrainingModel old(s.config);
    old.setBfloat16Weights(mixed);
    old.setFloatProducts(trainer.model().floatProducts());
    const LossStats st = old.forward(trainer.parameters(), batch, 0, false);
    QVERIFY2(st.mlmLoss != trained.mlmLoss, "the weights did not change in 4 updates: the check above proves nothing");

    // A task run between two steps that changes the weights (here: halves them after step 2) is
    // seen by the next step's pass: step 3's loss is a fresh model's on the halved weights.
    Trainer halving(*s.params, s.vocab, true, s.examples, {}, o, "");
    double expected = -1, got = -2;
    halving.onMetrics([&](const TrainingMetrics& m) {
        if (m.step == 3) got = m.loss;
        if (m.step != 2) return;
        halving.runBetweenSteps([&](Trainer& t) {
            float* w = t.parameters().data();
            for (size_t i = 0; i < t.parameters().size(); ++i) w[i] *= 0.5f;
            std::vector<const PretrainingExample*> third;  // no shuffling: step 3 reads examples 8..11
            for (size_t i = 8; i < 12; ++i) third.push_back(&s.examples[i]);
            const TrainingBatch b = TrainingBatch::make(third, s.vocab->padId(), s.config.vocabSize,
                                                        s.config.maxPositionEmbeddings);
            const Bf16ParameterCopy c(t.parameters());
            TrainingModel check(s.config);
            check.setBfloat16Weights(c.shadow());
            check.setFloatProducts(t.model().floatProducts());
            expected = check.forward(t.parameters(), b, 0, false).loss;
        });
    });
    QVERIFY(halving.run() == TrainingOutcome::Completed);
    QCOMPARE(got, expected);
}

void TestBf16Training::checkpointRecordsPrecisionAndResumeKeepsIt()
{
    SKIP_WITHOUT_BF16();
    Start s = loadStart();
    QTemporaryDir tmp;
    const std::string whole = tmp.filePath("whole").toStdString(), broken = tmp.filePath("broken").toStdString();
    TrainerOptions o = fixtureRecipe(Precision::Bfloat16);
    o.steps = 6;
    o.checkpointEvery = 3;
    {
        Trainer t(*s.params, s.vocab, true, s.examples, {}, o, whole);
        QVERIFY(t.run() == TrainingOutcome::Completed);
    }
    {
        Trainer t(*s.params, s.vocab, true, s.examples, {}, o, broken);
        t.onMetrics([&t](const TrainingMetrics& m) {
            if (m.step == 4) t.cancel();
        });
        QVERIFY(t.run() == TrainingOutcome::Cancelled);
    }
    QVERIFY(readLatestCheckpointState(broken).options.precision == Precision::Bfloat16);
    // The checkpoint holds float32 weights; the resumed run rounds its copies from them and so
    // continues exactly as the uninterrupted one.
    auto resumed = Trainer::resume(broken, s.examples, {});
    QVERIFY(resumed->model().bfloat16());
    QVERIFY(resumed->run() == TrainingOutcome::Completed);
    QCOMPARE(testing::readText(broken + "/metrics.jsonl"), testing::readText(whole + "/metrics.jsonl"));
    QCOMPARE(testing::readText(broken + "/model.safetensors"), testing::readText(whole + "/model.safetensors"));
    // Either precision resumes either run.
    auto asF32 = Trainer::resume(whole, s.examples, {}, Precision::Float32);
    QVERIFY(!asF32->model().bfloat16());
    QVERIFY(asF32->options().precision == Precision::Float32);
}

void TestBf16Training::finetuneTracksFloat32()
{
    SKIP_WITHOUT_BF16();
    QTemporaryDir tmp;
    // The PyTorch-matched recipe of test_finetune (sequence task, dropout 0, no shuffling).
    const auto run = [&](const QString& precision) {
        const QString out = tmp.filePath(precision);
        const testing::CliResult r = testing::runCli(
            {"finetune", "--task", "sequence", "--init", QString::fromStdString(testing::dataPath("models/tiny-seqcls")),
             "--train", QString::fromStdString(testing::dataPath("finetune/seq-train.jsonl")), "--out", out, "--epochs",
             "1", "--batch-size", "2", "--lr", "1e-3", "--max-seq-length", "16", "--dropout", "0", "--shuffle", "off",
             "--precision", precision});
        std::vector<double> losses;
        if (r.exitCode != 0) qWarning("%s", r.err.c_str());
        std::ifstream in(std::filesystem::path(out.toStdString()) / "metrics.jsonl");
        for (std::string line; std::getline(in, line);) losses.push_back(nlohmann::json::parse(line)["loss"].get<double>());
        return losses;
    };
    const std::vector<double> f32 = run("f32"), bf16 = run("bf16");
    QVERIFY(!f32.empty());
    QCOMPARE(bf16.size(), f32.size());
    double differs = 0;
    for (size_t i = 0; i < f32.size(); ++i) {
        const double gap = std::fabs(bf16[i] - f32[i]) / f32[i];
        // The tiny classifier's loss (~1) moves by 5e-3 in bf16 at its first step, about one
        // bfloat16 rounding (2^-8); 2e-2, the ~3 significant digits bfloat16 keeps, bounds it.
        QVERIFY2(gap < 2e-2, qPrintable(QString("step %1: bf16 %2, f32 %3").arg(i + 1).arg(bf16[i]).arg(f32[i])));
        differs = std::max(differs, gap);
    }
    QVERIFY2(differs > 1e-7, "the bf16 fine-tuning equals float32's: no product ran in bfloat16");
    // The recipe in the checkpoint keeps the precision for --resume.
    bool recorded = false;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(tmp.filePath("bf16").toStdString()))
        if (entry.path().filename() == "finetune_state.json")
            recorded = nlohmann::json::parse(testing::readText(entry.path().string()))["options"]["precision"] == "bf16";
    QVERIFY(recorded);
}

void TestBf16Training::refusedOnCpuWithoutBfloat16()
{
    const QString qemu = QStandardPaths::findExecutable("qemu-x86_64");
    if (qemu.isEmpty()) QSKIP("qemu-x86_64 (qemu-user) is not installed");
    QTemporaryDir tmp;
    const QString d = QString::fromStdString(testing::dataPath(kDir));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("OPENBLAS_CORETYPE");  // a kernel chosen for this machine would not run on Nehalem
    env.remove("BERTLAB_OPENBLAS_CORETYPE");
    env.insert("OMP_NUM_THREADS", "1");
    p.setProcessEnvironment(env);
    p.start(qemu, {"-cpu", "Nehalem", BERTLAB_CLI, "train", "--preset", "tiny", "--vocab", d + "model/vocab.txt",
                   "--examples", d + "examples.jsonl", "--out", tmp.filePath("run"), "--steps", "1", "--precision",
                   "bf16"});
    QVERIFY(p.waitForFinished(300000));
    if (p.exitStatus() != QProcess::NormalExit) QSKIP("the host killed the emulator (qemu-user), not a result");
    const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(!err.contains('\n'), qPrintable(err));
    QVERIFY2(err.contains("avx512_bf16") && err.contains("bfloat16"), qPrintable(err));
    QVERIFY(!QFileInfo::exists(tmp.filePath("run/checkpoints")));
}

QTEST_GUILESS_MAIN(TestBf16Training)
#include "test_bf16_training.moc"
