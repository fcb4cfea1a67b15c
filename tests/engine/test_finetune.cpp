// Fine-tuning: five AdamW steps against PyTorch for both tasks, metrics, dev scores, resume, and refusals.
#include "cli_runner.h"
#include "test_support.h"

#include "bert_model.h"
#include "error.h"
#include "finetune/classification_metrics.h"
#include "finetune/classifier.h"
#include "finetune/finetuner.h"
#include "model_io.h"
#include "safetensors.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace bertlab;
using bertlab::testing::dataPath;
namespace fs = std::filesystem;

namespace {

using bertlab::testing::CliResult;
using bertlab::testing::runCli;

QString data(const std::string& relative) { return QString::fromStdString(dataPath(relative)); }

QString freshDir(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / ("bertlab_finetune_" + name);
    fs::remove_all(dir);
    return QString::fromStdString(dir.string());
}

std::vector<nlohmann::json> metricsOf(const QString& dir)
{
    std::vector<nlohmann::json> records;
    std::ifstream in(fs::path(dir.toStdString()) / "metrics.jsonl");
    for (std::string line; std::getline(in, line);) records.push_back(nlohmann::json::parse(line));
    return records;
}

// The tolerance: 1e-4 absolute or 1e-3 relative.
bool close(double a, double b) { return std::fabs(a - b) <= 1e-4 || std::fabs(a - b) <= 1e-3 * std::fabs(b); }

QStringList recipe(const char* task, const char* model, const char* train, const QString& out)
{
    return {"finetune", "--task", task, "--init", data(std::string("models/") + model), "--train",
            data(std::string("finetune/") + train), "--out", out, "--epochs", "1", "--batch-size", "2", "--lr", "1e-3",
            "--warmup-ratio", "0.1", "--weight-decay", "0.01", "--max-seq-length", "16", "--dropout", "0",
            "--shuffle", "off", "--json"};
}

void compareWithPyTorch(const char* task, const char* model, const char* train, const char* fixture)
{
    const QString out = freshDir(fixture);
    const CliResult r = runCli(recipe(task, model, train, out));
    QVERIFY2(r.exitCode == 0, r.err.c_str());
    const auto expected =
        nlohmann::json::parse(bertlab::testing::readText(dataPath(std::string("fixtures/finetune/") + fixture + ".json")));
    const auto metrics = metricsOf(out);
    QCOMPARE(metrics.size(), expected["metrics"].size());
    // --json: where the model went and the last metrics.jsonl record's numbers.
    const auto summary = nlohmann::json::parse(r.out);
    QCOMPARE(summary["out"].get<std::string>(), out.toStdString());
    QCOMPARE(summary["steps"].get<size_t>(), metrics.size());
    QVERIFY(close(summary["loss"].get<double>(), metrics.back()["loss"].get<double>()));
    if (metrics.back().contains("dev_accuracy"))
        QVERIFY(close(summary["dev_accuracy"].get<double>(), metrics.back()["dev_accuracy"].get<double>()));
    for (size_t i = 0; i < metrics.size(); ++i) {
        const auto& want = expected["metrics"][i];
        QCOMPARE(metrics[i]["step"].get<int>(), want["step"].get<int>());
        QCOMPARE(metrics[i]["epoch"].get<int>(), want["epoch"].get<int>());
        QVERIFY2(close(metrics[i]["loss"].get<double>(), want["loss"].get<double>()),
                 qPrintable(QString("step %1 loss %2 vs %3").arg(i + 1).arg(metrics[i]["loss"].get<double>())
                                .arg(want["loss"].get<double>())));
        QVERIFY(std::fabs(metrics[i]["lr"].get<double>() - want["lr"].get<double>()) < 1e-12);
    }
    // Weights after the last step: every tensor PyTorch has, and nothing else.
    const TensorMap want = readSafetensors(dataPath(std::string("fixtures/finetune/") + fixture + "_final.safetensors"));
    const TensorMap got = readSafetensors((fs::path(out.toStdString()) / "model.safetensors").string());
    QCOMPARE(got.tensors.size(), want.tensors.size());
    for (const auto& [name, w] : want.tensors) {
        const auto it = got.tensors.find(name);
        QVERIFY2(it != got.tensors.end(), name.c_str());
        QCOMPARE(it->second.numel(), w.numel());
        double worst = 0.0;
        // A key bias shifts every score of a row equally, so softmax makes its gradient exactly 0;
        // Adam (eps 1e-8) then turns the float noise of that zero into steps of up to lr, in PyTorch
        // and here alike. Neither value means anything beyond staying within lr·steps of the start.
        if (name.find("attention.self.key.bias") != std::string::npos) {
            const auto start = loadModel(dataPath(std::string("models/") + model))->exportTensors().tensors.at(name);
            for (int64_t k = 0; k < w.numel(); ++k)
                QVERIFY(std::fabs(it->second.data[k] - start.data[k]) <= 1e-3 * 5);
            continue;
        }
        for (int64_t k = 0; k < w.numel(); ++k)
            if (!close(it->second.data[k], w.data[k])) worst = std::max(worst, double(std::fabs(it->second.data[k] - w.data[k])));
        QVERIFY2(worst == 0.0, qPrintable(QString("%1 differs by %2").arg(name.c_str()).arg(worst)));
    }
    const auto config = nlohmann::json::parse(bertlab::testing::readText((fs::path(out.toStdString()) / "config.json").string()));
    QCOMPARE(config["architectures"][0].get<std::string>(),
             std::string(task) == "sequence" ? "BertForSequenceClassification" : "BertForTokenClassification");
}

} // namespace

class TestFinetune : public QObject {
    Q_OBJECT
private slots:
    void sequenceStepsMatchPyTorch() { compareWithPyTorch("sequence", "tiny-seqcls", "seq-train.jsonl", "sequence"); }
    void tokenStepsMatchPyTorch() { compareWithPyTorch("token", "tiny-tokcls", "tok-train.conll", "token"); }

    void devScoresAfterEachEpoch()
    {
        const QString out = freshDir("dev");
        QStringList args = recipe("sequence", "tiny-seqcls", "seq-train.jsonl", out);
        args << "--dev" << data("finetune/seq-train.jsonl");
        args[args.indexOf("--epochs") + 1] = "2";
        const CliResult r = runCli(args);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto metrics = metricsOf(out);
        QCOMPARE(metrics.size(), size_t{10});
        for (size_t i = 0; i < metrics.size(); ++i)
            QCOMPARE(metrics[i].contains("dev_accuracy"), i == 4 || i == 9);
        // The last record's dev accuracy is the final model's: classify every dev item again.
        const auto model = loadModel(out.toStdString());
        const SequenceTaskData dev = readSequenceTask(dataPath("finetune/seq-train.jsonl"));
        int right = 0;
        for (const SequenceItem& item : dev.items) {
            const Encoding e = item.textB.empty() ? model->encode(item.text) : model->encode(item.text, &item.textB);
            Encoding cut = e;
            if (e.size() > 16) cut = model->tokenizer().encode(item.text, item.textB.empty() ? nullptr : &item.textB, 16);
            const auto probs = classifySequence(*model, cut).probs;
            const int best = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
            right += model->labels()[static_cast<size_t>(best)] == item.label;
        }
        QVERIFY(std::fabs(metrics.back()["dev_accuracy"].get<double>() - double(right) / dev.items.size()) < 1e-9);
        QVERIFY(metrics.back().contains("dev_loss") && metrics.back().contains("dev_macro_f1"));
        QVERIFY(fs::is_directory(fs::path(out.toStdString()) / "checkpoints"));
    }

    void resumedRunEqualsUninterruptedRun()
    {
        const auto init = loadModel(dataPath("models/tiny-tokcls"));
        FinetuneOptions o;
        o.task = ClassifierTask::Token;
        o.epochs = 2;
        o.batchSize = 2;
        o.lr = 1e-3;
        o.maxSeqLength = 16;
        o.dropout = 0.1f;  // dropout on: its masks must follow the step, not the process
        o.labels = init->labels();
        const TokenTaskData data = readTokenTask(dataPath("finetune/tok-train.conll"));
        const auto examples = tokenExamples(data, init->tokenizer(), o.labels, o.maxSeqLength);
        const auto make = [&](const std::string& dir) {
            return std::make_unique<Finetuner>(ParameterBuffer::fromModel(*init, init->config(), o.seed),
                                               init->tokenizer().sharedVocab(), true, o, examples,
                                               std::vector<FinetuneExample>{}, dir);
        };
        const QString whole = freshDir("whole"), parts = freshDir("parts");
        QCOMPARE(make(whole.toStdString())->run(), TrainingOutcome::Completed);
        std::stop_source stop;
        auto first = make(parts.toStdString());
        first->onStep([&](const FinetuneStepMetrics& m) {
            if (m.step == 7) stop.request_stop();
        });
        QCOMPARE(first->run(stop.get_token()), TrainingOutcome::Cancelled);
        QCOMPARE(first->step(), int64_t{7});
        auto second = Finetuner::resume(parts.toStdString(), examples, {});
        QCOMPARE(second->step(), int64_t{7});
        QCOMPARE(second->run(), TrainingOutcome::Completed);
        const TensorMap a = readSafetensors((fs::path(whole.toStdString()) / "model.safetensors").string());
        const TensorMap b = readSafetensors((fs::path(parts.toStdString()) / "model.safetensors").string());
        for (const auto& [name, t] : a.tensors)
            QVERIFY2(std::memcmp(t.data, b.tensors.at(name).data, sizeof(float) * t.numel()) == 0, name.c_str());
        const auto metrics = metricsOf(parts);
        QCOMPARE(metrics.size(), size_t{10});
        QCOMPARE(metrics.back()["step"].get<int>(), 10);
    }

    void freshClassifierAndFirstAppearanceLabels()
    {
        const QString out = freshDir("fresh");
        const CliResult r = runCli(recipe("sequence", "tiny", "seq-train.jsonl", out));
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(QString::fromStdString(r.err).contains("classifier.* starts fresh"), r.err.c_str());
        const auto model = loadModel(out.toStdString());
        QCOMPARE(model->labels(), (std::vector<std::string>{"positive", "neutral", "negative"}));
        QVERIFY(!model->hasMlm() && !model->hasNsp() && model->hasClassifier());
        const QString ordered = freshDir("ordered");
        QStringList args = recipe("sequence", "tiny", "seq-train.jsonl", ordered);
        args << "--labels" << "negative,neutral,positive";
        QCOMPARE(runCli(args).exitCode, 0);
        QCOMPARE(loadModel(ordered.toStdString())->labels(), (std::vector<std::string>{"negative", "neutral", "positive"}));
    }

    void refusesWhatWouldLoseWorkOrMislead()
    {
        const QString out = freshDir("refuse");
        QCOMPARE(runCli(recipe("sequence", "tiny-seqcls", "seq-train.jsonl", out)).exitCode, 0);
        // A second run into the same folder would overwrite the first.
        CliResult r = runCli(recipe("sequence", "tiny-seqcls", "seq-train.jsonl", out));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromStdString(r.err).contains("is not empty; use --resume"), r.err.c_str());
        r = runCli(recipe("sequence", "tiny-seqcls", "seq-train.jsonl", data("models/tiny-seqcls")));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromStdString(r.err).contains("base model stays intact"), r.err.c_str());
        r = runCli(recipe("sentence", "tiny-seqcls", "seq-train.jsonl", freshDir("badtask")));
        QCOMPARE(r.exitCode, 2);  // sequence|token are the option's only values: a usage error
        QVERIFY2(r.err.rfind("error: --task", 0) == 0, r.err.c_str());
        QStringList args = recipe("sequence", "tiny-seqcls", "seq-train.jsonl", freshDir("badlabels"));
        args << "--labels" << "negative,positive";
        r = runCli(args);
        QVERIFY2(QString::fromStdString(r.err).contains("seq-train.jsonl:2: label \"neutral\" is not among the labels negative, positive"),
                 r.err.c_str());
        QVERIFY(r.err.find('\n') == r.err.size() - 1);
    }

    void macroF1AsScikitLearnDefinesIt()
    {
        // gold a a b b c, predicted a b b b a: F1(a) = 2·1/(2+2) = 0.5, F1(b) = 2·2/(2+3) = 0.8,
        // F1(c) = 0 (gold only), d never occurs: left out. Macro = 1.3/3.
        ConfusionMatrix m(4);
        const int gold[] = {0, 0, 1, 1, 2}, predicted[] = {0, 1, 1, 1, 0};
        for (int i = 0; i < 5; ++i) m.add(gold[i], predicted[i]);
        QCOMPARE(m.accuracy(), 0.6);
        QVERIFY(std::fabs(m.macroF1() - 1.3 / 3.0) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(Error, m.add(4, 0));
    }
};

QTEST_GUILESS_MAIN(TestFinetune)
#include "test_finetune.moc"
