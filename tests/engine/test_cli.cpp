// bertlab-cli end to end: every public command and JSON contract, checked against the PyTorch fixtures.
#include "cli_runner.h"
#include "test_support.h"

#include "bf16_linear.h"
#include "safetensors.h"

#include <nlohmann/json.hpp>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using bertlab::testing::dataPath;

namespace {

using bertlab::testing::CliResult;
using bertlab::testing::runCli;

QString model(const char* name) { return QString::fromStdString(dataPath(std::string("models/") + name)); }

nlohmann::json fixtureInputs(const std::string& name)
{
    return nlohmann::json::parse(bertlab::testing::readText(dataPath("fixtures/tiny/" + name + ".json")));
}

// `COMMAND tiny --text A --pair B --json` for the fixture's sentence pair.
QStringList pairArguments(const char* command, const nlohmann::json& inputs)
{
    return {command, model("tiny"), "--text", QString::fromStdString(inputs["text_a"].get<std::string>()),
            "--pair", QString::fromStdString(inputs["text_b"].get<std::string>()), "--json"};
}

std::vector<double> softmax(const float* logits, int n)
{
    const float m = *std::max_element(logits, logits + n);
    std::vector<double> p(static_cast<size_t>(n));
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += p[i] = std::exp(static_cast<double>(logits[i]) - m);
    for (double& v : p) v /= sum;
    return p;
}

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void info()
    {
        const CliResult r = runCli({"info", model("tiny"), "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out);
        QCOMPARE(j["config"]["num_hidden_layers"].get<int>(), 2);
        QCOMPARE(j["heads"]["mlm"].get<bool>(), true);
        QCOMPARE(j["heads"]["nsp"].get<bool>(), true);
        QCOMPARE(j["source_format"].get<std::string>(), std::string("safetensors"));
        QVERIFY(j["parameters"].get<long long>() > 0);

        const auto base = nlohmann::json::parse(runCli({"info", model("tiny-base-only"), "--json"}).out);
        QCOMPARE(base["heads"]["mlm"].get<bool>(), false);
        QCOMPARE(base["heads"]["nsp"].get<bool>(), false);
        const auto mlm = nlohmann::json::parse(runCli({"info", model("tiny-mlm"), "--json"}).out);
        QCOMPARE(mlm["heads"]["mlm"].get<bool>(), true);
        QCOMPARE(mlm["heads"]["nsp"].get<bool>(), false);
    }

    void tokenize()
    {
        const auto inputs = fixtureInputs("pair");
        const QString a = QString::fromStdString(inputs["text_a"].get<std::string>());
        const QString b = QString::fromStdString(inputs["text_b"].get<std::string>());
        for (const QStringList& source : {QStringList{"--model", model("tiny")},
                                          QStringList{"--vocab", model("tiny") + "/vocab.txt"}}) {
            const CliResult r = runCli(QStringList{"tokenize"} + source + QStringList{"--text", a, "--pair", b, "--json"});
            QCOMPARE(r.exitCode, 0);
            const auto j = nlohmann::json::parse(r.out);
            QCOMPARE(j["ids"], inputs["input_ids"][0]);
            QCOMPARE(j["type_ids"], inputs["token_type_ids"][0]);
            QCOMPARE(j["tokens"].size(), j["ids"].size());
            QCOMPARE(j["offsets"].size(), j["ids"].size());
            QCOMPARE(j["tokens"][0].get<std::string>(), std::string("[CLS]"));
        }
        // The plain listing: one line per token, the added [CLS] / [SEP] marked as such, the
        // others with their character span.
        const CliResult text = runCli({"tokenize", "--vocab", model("tiny") + "/vocab.txt", "--text", a, "--pair", b});
        QCOMPARE(text.exitCode, 0);
        const QStringList lines = QString::fromStdString(text.out).split('\n', Qt::SkipEmptyParts);
        const auto ids = inputs["input_ids"][0];
        QCOMPARE(static_cast<size_t>(lines.size()), ids.size());
        QVERIFY2(lines.first().contains("[CLS]") && lines.first().endsWith("chars (added)"), qPrintable(lines.first()));
        QVERIFY2(lines.last().contains("[SEP]") && lines.last().endsWith("chars (added)"), qPrintable(lines.last()));
        QVERIFY2(lines.at(1).contains(QRegularExpression("chars 0-[0-9]+$")), qPrintable(lines.at(1)));
    }

    // fill-mask's probabilities are the softmax of PyTorch's MLM logits at the [MASK] position.
    void fillMask()
    {
        const auto inputs = fixtureInputs("single");
        const int position = inputs["masked_positions"][0][0].get<int>();
        const CliResult r = runCli({"fill-mask", model("tiny"), "--text",
                                    QString::fromStdString(inputs["text_a"].get<std::string>()), "--top-k", "4", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out);
        QCOMPARE(j["predictions"].size(), size_t(1));
        QCOMPARE(j["predictions"][0]["position"].get<int>(), position);
        const auto& candidates = j["predictions"][0]["candidates"];
        QCOMPARE(candidates.size(), size_t(4));

        const bertlab::TensorMap expected = bertlab::readSafetensors(dataPath("fixtures/tiny/single.safetensors"));
        const bertlab::TensorView& logits = expected.tensors.at("mlm_logits");
        const int V = static_cast<int>(logits.shape[2]);
        const std::vector<double> p = softmax(logits.data + static_cast<int64_t>(position) * V, V);
        std::vector<int> order(static_cast<size_t>(V));
        for (int i = 0; i < V; ++i) order[i] = i;
        std::partial_sort(order.begin(), order.begin() + 4, order.end(), [&](int x, int y) { return p[x] > p[y]; });
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(candidates[k]["id"].get<int>(), order[k]);
            QVERIFY(std::fabs(candidates[k]["prob"].get<double>() - p[order[k]]) < 1e-5);
            QVERIFY(!candidates[k]["token"].get<std::string>().empty());
        }
    }

    void nsp()
    {
        const auto inputs = fixtureInputs("pair");
        const CliResult r = runCli(pairArguments("nsp", inputs));
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out);
        const bertlab::TensorMap expected = bertlab::readSafetensors(dataPath("fixtures/tiny/pair.safetensors"));
        const float* logits = expected.tensors.at("nsp_logits").data;
        QVERIFY(std::fabs(j["logits"][0].get<double>() - logits[0]) < 1e-4);
        QVERIFY(std::fabs(j["logits"][1].get<double>() - logits[1]) < 1e-4);
        const std::vector<double> p = softmax(logits, 2);
        QVERIFY(std::fabs(j["is_next"].get<double>() - p[0]) < 1e-5);
        QVERIFY(std::fabs(j["not_next"].get<double>() - p[1]) < 1e-5);
    }

    void inspect()
    {
        const auto inputs = fixtureInputs("pair");
        const CliResult r = runCli(pairArguments("inspect", inputs));
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out);
        const bertlab::TensorMap expected = bertlab::readSafetensors(dataPath("fixtures/tiny/pair.safetensors"));
        const size_t T = inputs["input_ids"][0].size();
        QCOMPARE(j["hidden_states"].size(), size_t(3));
        QCOMPARE(j["attentions"].size(), size_t(2));
        QCOMPARE(j["attentions"][0].size(), size_t(4));
        QCOMPARE(j["attentions"][1][3].size(), T);
        for (const char* part : {"token", "segment", "position", "sum", "normalized"}) {
            const bertlab::TensorView& ref = expected.tensors.at(std::string("embeddings.") + part);
            const auto& ours = j["embeddings"][part];
            QCOMPARE(ours.size(), T);
            const int64_t H = ref.shape[2];
            for (size_t t = 0; t < T; ++t)
                for (int64_t h = 0; h < H; ++h)
                    QVERIFY(std::fabs(ours[t][h].get<double>() - ref.data[t * H + h]) < 1e-4);
        }
        const bertlab::TensorView& last = expected.tensors.at("hidden_states.2");
        const int64_t H = last.shape[2];
        for (size_t t = 0; t < T; ++t)
            for (int64_t h = 0; h < H; ++h)
                QVERIFY(std::fabs(j["hidden_states"][2][t][h].get<double>() - last.data[t * H + h]) < 1e-4);
        const bertlab::TensorView& att = expected.tensors.at("attentions.1");
        for (size_t q = 0; q < T; ++q)
            for (size_t k = 0; k < T; ++k)
                QVERIFY(std::fabs(j["attentions"][1][2][q][k].get<double>() - att.data[(2 * T + q) * T + k]) < 1e-4);
        QVERIFY(j["nsp"].is_object());
        QVERIFY(j["logit_lens"].size() == 3);
    }

    // A machine-wide OPENBLAS_CORETYPE naming an older kernel than the CPU runs is overruled (and
    // said so); BERTLAB_OPENBLAS_CORETYPE forces any kernel.
    void olderEnvironmentKernelIsOverruled()
    {
        const auto kernel = [&](const QStringList& env) {
            QProcess process;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            e.remove(QStringLiteral("OPENBLAS_CORETYPE"));
            e.remove(QStringLiteral("BERTLAB_OPENBLAS_CORETYPE"));
            for (const QString& kv : env) e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
            process.setProcessEnvironment(e);
            process.start(QStringLiteral(BERTLAB_CLI), {"bench", model("tiny"), "--seq", "8", "--iters", "1", "--json"});
            process.waitForFinished(120000);
            const auto j = nlohmann::json::parse(process.readAllStandardOutput().toStdString());
            return std::make_pair(j["blas_core"].get<std::string>(), j["blas_core_source"].get<std::string>());
        };
        __builtin_cpu_init();
        const auto [core, source] = kernel({"OPENBLAS_CORETYPE=Prescott"});
        if (__builtin_cpu_supports("avx")) {
            QVERIFY2(core != "Prescott", core.c_str());
            QVERIFY2(source.find("over OPENBLAS_CORETYPE=Prescott") != std::string::npos, source.c_str());
        } else {
            QCOMPARE(core, std::string("Prescott"));
        }
        const auto [forced, forcedSource] = kernel({"OPENBLAS_CORETYPE=SkylakeX", "BERTLAB_OPENBLAS_CORETYPE=Prescott"});
        QCOMPARE(forced, std::string("Prescott"));
        QCOMPARE(forcedSource, std::string("BERTLAB_OPENBLAS_CORETYPE"));
        // A name OpenBLAS does not know is not reported as obeyed.
        const auto [unknown, unknownSource] = kernel({"BERTLAB_OPENBLAS_CORETYPE=NoSuchKernel"});
        QVERIFY2(unknownSource.find("NoSuchKernel names no kernel OpenBLAS knows") != std::string::npos,
                 unknownSource.c_str());
    }

    void benchRuns()
    {
        const CliResult r = runCli({"bench", model("tiny"), "--seq", "16", "--iters", "2", "--mode", "fill-mask", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out);
        QVERIFY(j["median_ms"].get<double>() > 0);
        QCOMPARE(j["seq"].get<int>(), 16);
        QCOMPARE(j["precision"].get<std::string>(), std::string("f32"));

        // The explorer's bfloat16 pass: timed where the CPU has it, a clear refusal elsewhere.
        const CliResult fast = runCli({"bench", model("tiny"), "--seq", "16", "--iters", "2", "--precision", "bf16", "--json"});
        if (bertlab::nativeBfloat16Available()) {
            QCOMPARE(fast.exitCode, 0);
            QCOMPARE(nlohmann::json::parse(fast.out)["precision"].get<std::string>(), std::string("bf16"));
        } else {
            QVERIFY(fast.exitCode != 0);
            QVERIFY(fast.err.find("bfloat16") != std::string::npos);
        }
        const CliResult bad = runCli({"bench", model("tiny"), "--precision", "f8"});
        QCOMPARE(bad.exitCode, 2);  // f32|bf16 are the option's only values: a usage error
        QVERIFY2(bad.err.rfind("error: --precision", 0) == 0, bad.err.c_str());
    }

    void convertRoundTrip()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("converted");
        const CliResult r = runCli({"convert", model("tiny-bin-legacy"), out, "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto summary = nlohmann::json::parse(r.out);
        QCOMPARE(summary["out"].get<std::string>(), out.toStdString());
        QCOMPARE(summary["dtype"].get<std::string>(), std::string("f32"));
        // The converted folder answers exactly like the original safetensors model.
        const auto inputs = fixtureInputs("single");
        const QString text = QString::fromStdString(inputs["text_a"].get<std::string>());
        const CliResult a = runCli({"fill-mask", out, "--text", text, "--json"});
        const CliResult b = runCli({"fill-mask", model("tiny"), "--text", text, "--json"});
        QCOMPARE(a.exitCode, 0);
        QCOMPARE(a.out, b.out);
        const auto info = nlohmann::json::parse(runCli({"info", model("tiny-bin-legacy"), "--json"}).out);
        QVERIFY(info["source_format"].get<std::string>().find("pytorch") != std::string::npos);
        QCOMPARE(summary["source_format"], info["source_format"]);
    }

    // F16 storage: every weight is the nearest half of the original, and the answers barely move.
    void convertToHalf()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("half");
        QCOMPARE(runCli({"convert", model("tiny"), out, "--dtype", "f16"}).exitCode, 0);
        const bertlab::TensorMap half = bertlab::readSafetensors(out.toStdString() + "/model.safetensors");
        const bertlab::TensorMap full = bertlab::readSafetensors(dataPath("models/tiny/model.safetensors"));
        QVERIFY(half.sourceFormat == "safetensors");
        int compared = 0;
        for (const auto& [name, view] : full.tensors) {
            const auto it = half.tensors.find(name);
            QVERIFY2(it != half.tensors.end(), name.c_str());
            QCOMPARE(it->second.shape, view.shape);
            for (int64_t i = 0; i < view.numel(); ++i) {
                const float x = view.data[i];
                // half has 11 significant bits: rounding moves a normal value by at most 2^-11 of it
                QVERIFY(std::fabs(it->second.data[i] - x) <= std::fabs(x) * 0x1p-11f + 0x1p-24f);
            }
            ++compared;
        }
        QVERIFY(compared > 10);
        const QFileInfo halfFile(out + "/model.safetensors"), fullFile(model("tiny") + "/model.safetensors");
        QVERIFY(halfFile.size() < fullFile.size() * 6 / 10);
        QCOMPARE(runCli({"convert", model("tiny"), out, "--dtype", "f8"}).exitCode, 2);  // not f32|f16
    }

    void errorsAreOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("missing model") << QStringList{"info", "/nonexistent/model"};
        QTest::newRow("no mask") << QStringList{"fill-mask", model("tiny"), "--text", "no mask here"};
        QTest::newRow("empty text") << QStringList{"fill-mask", model("tiny"), "--text", "  "};
        QTest::newRow("no pair for nsp") << QStringList{"nsp", model("tiny"), "--text", "a b"};
        QTest::newRow("headless fill-mask") << QStringList{"fill-mask", model("tiny-base-only"), "--text", "the [MASK] ."};
        QTest::newRow("headless nsp") << QStringList{"nsp", model("tiny-mlm"), "--text", "a", "--pair", "b"};
        QTest::newRow("unknown command") << QStringList{"frobnicate"};
    }

    void errorsAreOneLine()
    {
        QFETCH(QStringList, arguments);
        const CliResult r = runCli(arguments);
        QVERIFY(r.exitCode != 0 && r.exitCode != -1);
        QVERIFY2(r.err.rfind("error: ", 0) == 0, r.err.c_str());
        QCOMPARE(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    }

    // What the parser rejects: exit 2, the error, then the command's usage line; nothing on stdout.
    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("command");
        const QString m = model("tiny");
        const QString text = "the [MASK] sat .";
        QTest::newRow("misspelt option") << QStringList{"fill-mask", m, "--text", text, "--topk", "3"} << "fill-mask";
        QTest::newRow("bad whole number") << QStringList{"fill-mask", m, "--text", text, "--top-k", "x"} << "fill-mask";
        QTest::newRow("fraction for a whole number") << QStringList{"fill-mask", m, "--text", text, "--top-k=2.5"} << "fill-mask";
        QTest::newRow("hexadecimal") << QStringList{"bench", m, "--seq", "0x10"} << "bench";
        QTest::newRow("bad number") << QStringList{"make-examples", "c.txt", "--vocab", "v", "--out", "o", "--masked-lm-prob", "lots"} << "make-examples";
        QTest::newRow("option twice") << QStringList{"fill-mask", m, "--text", text, "--text", text} << "fill-mask";
        QTest::newRow("value missing") << QStringList{"fill-mask", m, "--text"} << "fill-mask";
        QTest::newRow("value to a switch") << QStringList{"info", m, "--json=yes"} << "info";
        QTest::newRow("missing MODEL") << QStringList{"info"} << "info";
        QTest::newRow("extra positional") << QStringList{"info", m, m} << "info";
        QTest::newRow("value not among a|b|c") << QStringList{"make-examples", "c.txt", "--vocab", "v", "--out", "o", "--format", "poems"} << "make-examples";
        QTest::newRow("option of another command") << QStringList{"info", m, "--top-k", "3"} << "info";
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, command);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.empty());
        QVERIFY2(r.err.rfind("error: ", 0) == 0, r.err.c_str());
        const size_t secondLine = r.err.find('\n') + 1;
        const std::string usage = "usage: bertlab-cli " + command.toStdString() + " ";
        QVERIFY2(r.err.compare(secondLine, usage.size(), usage) == 0, r.err.c_str());
        QCOMPARE(std::count(r.err.begin(), r.err.end(), '\n'), 2);
    }

    // --opt=value is --opt value; a negative number is a value, not an option.
    void equalsFormAndNegativeNumbers()
    {
        const QString m = model("tiny");
        const CliResult spaced = runCli({"fill-mask", m, "--text", "the [MASK] sat .", "--top-k", "3", "--json"});
        const CliResult joined = runCli({"fill-mask", m, "--text=the [MASK] sat .", "--top-k=3", "--json"});
        QCOMPARE(spaced.exitCode, 0);
        QCOMPARE(joined.out, spaced.out);
        const CliResult negative = runCli({"fill-mask", m, "--text", "the [MASK] sat .", "--top-k", "-1"});
        QCOMPARE(negative.exitCode, 1);  // parsed as a number, then refused by fill-mask's own range check
        QVERIFY2(negative.err.find("--top-k must be at least 1") != std::string::npos, negative.err.c_str());
    }

    // Help for every command, wherever -h or --help stands, lists each option the command reads.
    void helpPerCommand()
    {
        const CliResult list = runCli({"help"});
        QCOMPARE(list.exitCode, 0);
        for (const char* command : {"attribute", "bench", "build-vocab", "classify", "convert", "download", "evaluate",
                                    "fill-mask", "finetune", "head-importance", "info", "inspect", "make-examples", "nsp",
                                    "probe", "tokenize", "train"}) {
            QVERIFY2(list.out.find(std::string("  ") + command + " ") != std::string::npos, command);
            const CliResult help = runCli({command, "--help"});
            QCOMPARE(help.exitCode, 0);
            QVERIFY2(help.out.find("--json") != std::string::npos, command);  // every command can report as JSON
            QCOMPARE(runCli({"help", command}).out, help.out);
        }
        const CliResult late = runCli({"fill-mask", model("tiny"), "--text", "x", "-h"});
        QCOMPARE(late.exitCode, 0);
        for (const char* option : {"--text", "--pair", "--top-k", "--ablate", "--json"})
            QVERIFY2(late.out.find(option) != std::string::npos, option);
    }
};

QTEST_APPLESS_MAIN(CliTest)
#include "test_cli.moc"
