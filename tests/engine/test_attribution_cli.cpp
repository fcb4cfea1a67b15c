// bertlab-cli attribute, head-importance and --ablate end to end: exact JSON keys, values against the PyTorch fixtures.
#include "cli_runner.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <set>

using bertlab::testing::dataPath;
using nlohmann::json;

namespace {

using bertlab::testing::CliResult;
using bertlab::testing::runCli;

QString model(const std::string& name) { return QString::fromStdString(dataPath("models/" + name)); }

json loadFixture(const std::string& name)
{
    return json::parse(bertlab::testing::readText(dataPath("fixtures/attribution/" + name + ".json")));
}

// COMMAND MODEL --text A [--pair B] [--ablate SPEC] for a fixture case.
QStringList caseArguments(const char* command, const std::string& name, const json& c)
{
    QStringList a{command, model(name), "--text", QString::fromStdString(c["text"].get<std::string>())};
    if (!c["pair"].is_null()) a << "--pair" << QString::fromStdString(c["pair"].get<std::string>());
    if (!c["ablate"].get<std::string>().empty()) a << "--ablate" << QString::fromStdString(c["ablate"].get<std::string>());
    return a;
}

std::set<std::string> keysOf(const json& j)
{
    std::set<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
    return keys;
}

bool close(double ours, double reference)
{
    const double d = std::abs(ours - reference);
    return d <= 1e-4 || d <= 1e-3 * std::abs(reference);
}

// One line on stderr, nothing on stdout, a nonzero exit.
void expectOneLineError(const QStringList& arguments)
{
    const CliResult r = runCli(arguments);
    QVERIFY2(r.exitCode != 0, qPrintable(arguments.join(' ')));
    QVERIFY2(!r.err.empty() && r.err.find('\n') == r.err.size() - 1, r.err.c_str());
    QVERIFY(r.out.empty());
}

} // namespace

class AttributionCliTest : public QObject {
    Q_OBJECT

private slots:
    void attributeMatchesPyTorchWithExactKeys()
    {
        int checked = 0;
        for (const std::string name : {"tiny", "tiny-gelu-new"}) {
            const json fx = loadFixture(name);
            for (const json& c : fx["cases"]) {
                for (const json& ref : c["targets"]) {
                    for (const char* method : {"grad", "grad-input", "ig"}) {
                        QStringList a = caseArguments("attribute", name, c);
                        a << "--target" << QString::fromStdString(ref["target"].get<std::string>()) << "--method" << method
                          << "--json";
                        if (std::string(method) == "ig") a << "--steps" << QString::number(fx["ig_steps"].get<int>());
                        const CliResult r = runCli(a);
                        QVERIFY2(r.exitCode == 0, r.err.c_str());
                        const json j = json::parse(r.out);
                        std::set<std::string> want{"tokens", "target", "method", "steps", "attributions", "sum"};
                        if (std::string(method) == "ig") want.insert("target_at_baseline");
                        if (!c["ablate"].get<std::string>().empty()) want.insert("ablated");
                        QCOMPARE(keysOf(j), want);
                        QCOMPARE(keysOf(j["target"]), (std::set<std::string>{"kind", "position", "token", "id", "logprob"}));
                        QCOMPARE(j["method"].get<std::string>(), std::string(method));
                        QCOMPARE(j["tokens"].size(), c["ids"].size());
                        QVERIFY(close(j["target"]["logprob"].get<double>(), ref["logprob"].get<double>()));
                        if (ref["target"] == "nsp") {
                            QCOMPARE(j["target"]["kind"].get<std::string>(), std::string("nsp"));
                            QVERIFY(j["target"]["position"].is_null() && j["target"]["id"].is_null() &&
                                    j["target"]["token"].is_null());
                        } else {
                            QCOMPARE(j["target"]["kind"].get<std::string>(), std::string("mlm"));
                            QCOMPARE(j["target"]["id"].get<int>(), ref["token_id"].get<int>());
                            QCOMPARE(j["target"]["token"].get<std::string>(), ref["token"].get<std::string>());
                        }
                        const std::string m = method;
                        const json& expected = m == "grad" ? ref["grad"] : m == "grad-input" ? ref["grad_input"] : ref["ig"]["values"];
                        double sum = 0;
                        for (size_t t = 0; t < expected.size(); ++t) {
                            const double v = j["attributions"][t].get<double>();
                            QVERIFY2(close(v, expected[t].get<double>()),
                                     qPrintable(QString("%1 %2 at %3: %4 vs %5").arg(a.join(' ')).arg(method).arg(t).arg(v)
                                                    .arg(expected[t].get<double>())));
                            sum += v;
                        }
                        QVERIFY(std::abs(sum - j["sum"].get<double>()) < 1e-9 * (1 + std::abs(sum)));
                        if (m == "ig") {
                            QCOMPARE(j["steps"].get<int>(), fx["ig_steps"].get<int>());
                            QVERIFY(close(j["target_at_baseline"].get<double>(), ref["ig"]["baseline"].get<double>()));
                        } else {
                            QVERIFY(j["steps"].is_null());
                        }
                        if (j.contains("ablated")) QCOMPARE(j["ablated"].get<std::string>(), c["ablate"].get<std::string>());
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked >= 30);
    }

    void attributeDefaultsAndText()
    {
        const json c = loadFixture("tiny")["cases"][0];
        QStringList a = caseArguments("attribute", "tiny", c);
        const CliResult d = runCli(QStringList(a) << "--target" << "nsp" << "--json");
        QCOMPARE(d.exitCode, 0);
        const json j = json::parse(d.out);
        QCOMPARE(j["method"].get<std::string>(), std::string("grad-input"));  // the default method
        const CliResult ig = runCli(QStringList(a) << "--target" << "mlm:9" << "--method" << "ig");
        QCOMPARE(ig.exitCode, 0);
        QVERIFY2(ig.out.find("32 steps") != std::string::npos, ig.out.c_str());  // the default N
        QVERIFY(ig.out.find("completeness") != std::string::npos);
        QVERIFY(ig.out.find("[MASK]") != std::string::npos);
    }

    void headImportanceMatchesPyTorchWithExactKeys()
    {
        for (const std::string name : {"tiny", "tiny-relu"}) {
            const json fx = loadFixture(name);
            const json& c = fx["cases"][0];
            QVERIFY(c["ablate"].get<std::string>().empty());
            for (const json& ref : c["targets"])
                for (const char* method : {"sweep", "gradient"}) {
                    const CliResult r = runCli(caseArguments("head-importance", name, c)
                                               << "--target" << QString::fromStdString(ref["target"].get<std::string>())
                                               << "--method" << method << "--json");
                    QVERIFY2(r.exitCode == 0, r.err.c_str());
                    const json j = json::parse(r.out);
                    QCOMPARE(keysOf(j), (std::set<std::string>{"tokens", "target", "method", "importance"}));
                    QCOMPARE(j["method"].get<std::string>(), std::string(method));
                    const json& expected =
                        std::string(method) == "sweep" ? ref["importance_sweep"] : ref["importance_gradient"];
                    QCOMPARE(j["importance"].size(), size_t(fx["layers"].get<int>()));
                    for (size_t l = 0; l < expected.size(); ++l) {
                        QCOMPARE(j["importance"][l].size(), size_t(fx["heads"].get<int>()));
                        for (size_t h = 0; h < expected[l].size(); ++h)
                            QVERIFY(close(j["importance"][l][h].get<double>(), expected[l][h].get<double>()));
                    }
                }
            const CliResult text = runCli(caseArguments("head-importance", name, c) << "--target" << "nsp");
            QCOMPARE(text.exitCode, 0);
            QVERIFY(text.out.find("L1") != std::string::npos && text.out.find("H2") != std::string::npos);
            QVERIFY(text.err.empty());  // no progress when stderr is not a terminal
        }
    }

    // fill-mask, nsp and inspect under --ablate against PyTorch's head_mask outputs.
    void ablateOnFillMaskNspInspect()
    {
        const json fx = loadFixture("tiny");
        for (const json& c : fx["cases"]) {
            const bool ablated = !c["ablate"].get<std::string>().empty();
            const json& f = c["forward"];
            // inspect: attentions after the multiplier
            CliResult r = runCli(caseArguments("inspect", "tiny", c) << "--json");
            QVERIFY2(r.exitCode == 0, r.err.c_str());
            json j = json::parse(r.out);
            QCOMPARE(j.contains("ablated"), ablated);
            if (ablated) QCOMPARE(j["ablated"].get<std::string>(), c["ablate"].get<std::string>());
            for (size_t l = 0; l < f["attentions"].size(); ++l)
                for (size_t h = 0; h < f["attentions"][l].size(); ++h)
                    for (size_t i = 0; i < c["ids"].size(); ++i)
                        for (size_t k = 0; k < c["ids"].size(); ++k)
                            QVERIFY(close(j["attentions"][l][h][i][k].get<double>(), f["attentions"][l][h][i][k].get<double>()));
            if (!c["pair"].is_null()) {
                r = runCli(caseArguments("nsp", "tiny", c) << "--json");
                QCOMPARE(r.exitCode, 0);
                j = json::parse(r.out);
                QCOMPARE(j.contains("ablated"), ablated);
                for (int k = 0; k < 2; ++k) QVERIFY(close(j["logits"][k].get<double>(), f["nsp_logits"][k].get<double>()));
            }
            r = runCli(caseArguments("fill-mask", "tiny", c) << "--top-k" << "1" << "--json");
            QCOMPARE(r.exitCode, 0);
            j = json::parse(r.out);
            QCOMPARE(j.contains("ablated"), ablated);
            const std::vector<double> logits = f["mlm_logits"][0].get<std::vector<double>>();
            const size_t best = std::max_element(logits.begin(), logits.end()) - logits.begin();
            double sum = 0;
            for (double x : logits) sum += std::exp(x - logits[best]);
            QCOMPARE(j["predictions"][0]["candidates"][0]["id"].get<size_t>(), best);
            QVERIFY(close(j["predictions"][0]["candidates"][0]["prob"].get<double>(), 1.0 / sum));
        }
    }

    void badValuesAreOneLineErrors()
    {
        const json c = loadFixture("tiny")["cases"][0];
        const QStringList a = caseArguments("attribute", "tiny", c);
        expectOneLineError(QStringList(a) << "--target" << "mlm:99");
        expectOneLineError(QStringList(a) << "--target" << "mlm:3:notawordpiece");
        expectOneLineError(QStringList(a) << "--target" << "mlm");
        expectOneLineError(QStringList(a));  // no --target
        const CliResult badMethod = runCli(QStringList(a) << "--target" << "nsp" << "--method" << "saliency");
        QCOMPARE(badMethod.exitCode, 2);  // not one of the values the option lists: the parser's usage error
        QVERIFY2(badMethod.err.rfind("error: --method", 0) == 0, badMethod.err.c_str());
        expectOneLineError(QStringList(a) << "--target" << "nsp" << "--method" << "ig" << "--steps" << "0");
        expectOneLineError(QStringList(a) << "--target" << "nsp" << "--steps" << "8");
        const CliResult badSteps = runCli(QStringList(a) << "--target" << "nsp" << "--method" << "ig" << "--steps" << "x");
        QCOMPARE(badSteps.exitCode, 2);  // a usage error: the parser's, with the usage line
        QVERIFY2(badSteps.err.rfind("error: --steps", 0) == 0, badSteps.err.c_str());
        expectOneLineError(QStringList(a) << "--target" << "nsp" << "--ablate" << "3:1");
        expectOneLineError(QStringList(a) << "--target" << "nsp" << "--ablate" << "1:5");
        expectOneLineError(QStringList(a) << "--target" << "nsp" << "--ablate" << "1-2");
        expectOneLineError({"attribute", model("tiny-mlm"), "--text", "she was at school .", "--target", "nsp"});
        expectOneLineError({"head-importance", model("tiny-base-only"), "--text", "she was", "--target", "mlm:1"});
        QCOMPARE(runCli(caseArguments("head-importance", "tiny", c) << "--target" << "nsp" << "--method" << "exact").exitCode, 2);
        expectOneLineError(caseArguments("nsp", "tiny", c) << "--ablate" << "0:1");
        expectOneLineError(caseArguments("fill-mask", "tiny", c) << "--ablate" << "2:x");
        expectOneLineError(caseArguments("inspect", "tiny", c) << "--ablate" << "" << "--json");
    }
};

QTEST_APPLESS_MAIN(AttributionCliTest)
#include "test_attribution_cli.moc"
