// Linear probes: one score per layer, the majority baseline as the files define it, reproducible, separable data learnt.
#include "test_support.h"

#include "bert_model.h"
#include "error.h"
#include "finetune/linear_probe.h"
#include "model_io.h"

#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

using namespace bertlab;
using bertlab::testing::dataPath;

class TestProbe : public QObject {
    Q_OBJECT
private slots:
    void tokenProbeScoresEveryLayer()
    {
        const auto model = loadModel(dataPath("models/tiny"));
        ProbeOptions o;
        o.task = ClassifierTask::Token;
        o.maxSeqLength = 32;
        const std::string file = dataPath("finetune/tok-train.conll");
        const ProbeResult r = runLinearProbe(*model, file, file, o);
        QCOMPARE(r.layers.size(), size_t(model->config().numHiddenLayers + 1));
        // The baseline counted straight from the file: OTHER is the most frequent tag.
        std::map<std::string, int> counts;
        int words = 0;
        std::ifstream in(file);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) ++counts[line.substr(line.find('\t') + 1)], ++words;
        QCOMPARE(r.majorityLabel, std::string("OTHER"));
        QCOMPARE(r.devItems, words);
        QVERIFY(std::fabs(r.majorityBaseline - double(counts["OTHER"]) / words) < 1e-12);
        // The tags here are a function of the word, and the embedding output tells the words apart:
        // a linear probe on layer 0 fits its training items exactly.
        QCOMPARE(r.layers[0].trainAccuracy, 1.0);
        for (const ProbeLayerScore& s : r.layers) QVERIFY(s.devAccuracy >= 0.0 && s.devAccuracy <= 1.0);
        // Seeded and deterministic.
        const ProbeResult again = runLinearProbe(*model, file, file, o);
        for (size_t l = 0; l < r.layers.size(); ++l) QCOMPARE(again.layers[l].devAccuracy, r.layers[l].devAccuracy);
    }

    void sequenceProbeAndUnknownDevLabels()
    {
        const auto model = loadModel(dataPath("models/tiny"));
        ProbeOptions o;
        o.task = ClassifierTask::Sequence;
        o.maxSeqLength = 32;
        const auto dev = std::filesystem::temp_directory_path() / "bertlab_probe_dev.jsonl";
        std::ofstream(dev) << "{\"text\": \"he made it up .\", \"label\": \"positive\"}\n"
                              "{\"text\": \"she said it .\", \"label\": \"surprise\"}\n";
        const ProbeResult r = runLinearProbe(*model, dataPath("finetune/seq-train.jsonl"), dev.string(), o);
        QCOMPARE(r.devItems, 2);
        // "surprise" never occurs in training: that item can only be wrong.
        for (const ProbeLayerScore& s : r.layers) QVERIFY(s.devAccuracy <= 0.5);
        // Three labels three times each: a tie goes to the label that appears first.
        QCOMPARE(r.majorityLabel, std::string("positive"));
        QCOMPARE(r.majorityBaseline, 0.5);
    }

    void cliJsonContract()
    {
        QProcess p;
        p.start(QStringLiteral(BERTLAB_CLI),
                {"probe", QString::fromStdString(dataPath("models/tiny")), "--task", "token", "--train",
                 QString::fromStdString(dataPath("finetune/tok-train.conll")), "--dev",
                 QString::fromStdString(dataPath("finetune/tok-train.conll")), "--max-seq-length", "32", "--json"});
        p.waitForFinished(120000);
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j.size(), size_t{2});
        QCOMPARE(j["layers"].size(), size_t{3});
        QCOMPARE(j["layers"][2]["layer"].get<int>(), 2);
        QVERIFY(j["layers"][0].contains("dev_accuracy"));
        QVERIFY(j.contains("majority_baseline"));
        p.start(QStringLiteral(BERTLAB_CLI), {"probe", QString::fromStdString(dataPath("models/tiny")), "--task", "words",
                                              "--train", "a", "--dev", "b"});
        p.waitForFinished(60000);
        QCOMPARE(p.exitCode(), 2);  // token|sequence are the option's only values: a usage error
        QVERIFY(p.readAllStandardError().startsWith("error: --task"));
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "test_probe.moc"
