// Qt Test of the attribution and head-importance views: the engine's numbers on screen, Cancel, clicks that ablate, models without heads.
#include "ablation_controller.h"
#include "analysis_worker.h"
#include "attribution/head_importance.h"
#include "attribution/input_attribution.h"
#include "background_priority.h"
#include "cancellable_job.h"
#include "main_window.h"
#include "model_io.h"
#include "plot/heatmap_plot.h"
#include "test_support.h"
#include "view_exporter.h"
#include "view_synchroniser.h"
#include "views/attribution_view.h"
#include "views/colored_token_strip.h"
#include "views/importance_view.h"
#include "views/mlm_view.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <memory>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>

using namespace bertlab;
using namespace bertlab::ui;

namespace {

constexpr int kWaitMs = 120000;

// The same computation on another thread may sum in another order (BLAS splits by thread): the
// issue's tolerance, 1e-4 absolute or 1e-3 relative.
bool close(double a, double b)
{
    return std::abs(a - b) <= 1e-4 || std::abs(a - b) <= 1e-3 * std::abs(b);
}

AnalysisPtr analyse(const std::shared_ptr<const BertModel>& model, const QString& a, const QString& b,
                    const QString& ablation = {})
{
    AnalysisRequest request;
    request.textA = a;
    request.textB = b;
    if (!ablation.isEmpty())
        request.ablation = HeadAblation::parse(ablation.toStdString(), model->config().numHiddenLayers,
                                               model->config().numAttentionHeads);
    return std::make_shared<const Analysis>(AnalysisWorker::run(model, request));
}

// Every value on screen equals the engine's answer to the same request.
void compareWithEngine(const AttributionView& view, const Analysis& analysis, const AttributionRequest& request)
{
    QVERIFY(view.result().has_value());
    const InputAttribution expected = attributeInputs(*analysis.model, analysis.encoding, request);
    const InputAttribution& shown = *view.result();
    QCOMPARE(shown.method, expected.method);
    QCOMPARE(shown.target.tokenId, expected.target.tokenId);
    QCOMPARE(shown.target.position, expected.target.position);
    QVERIFY(close(shown.target.logprob, expected.target.logprob));
    QCOMPARE(shown.values.size(), expected.values.size());
    for (size_t t = 0; t < expected.values.size(); ++t)
        QVERIFY2(close(shown.values[t], expected.values[t]),
                 qPrintable(QStringLiteral("token %1: %2 vs %3").arg(t).arg(shown.values[t]).arg(expected.values[t])));
    // The chips print those numbers (3 decimals or 3 significant digits).
    const auto& chips = view.tokenStrip()->chips();
    QCOMPARE(chips.size(), expected.values.size());
    for (size_t t = 0; t < chips.size(); ++t) {
        QCOMPARE(chips[t].text, QString::fromStdString(analysis.encoding.tokens[t]));
        const double printed = chips[t].subText.toDouble();
        QVERIFY2(std::abs(printed - expected.values[t]) <= 5e-4 + 5e-3 * std::abs(expected.values[t]),
                 qPrintable(chips[t].subText));
    }
    QCOMPARE(shown.targetAtBaseline.has_value(), expected.targetAtBaseline.has_value());
}

} // namespace

class TestAttributionViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void attributionShowsTheEnginesNumbers();
    void attributionFollowsAblationAndCancels();
    void importanceShowsBothMethodsAndClicksAblate();
    void windowWiresGuessClicksAndCellClicks();
    void modelWithoutHeadsSaysSo();
    void jobsRunBelowTheGuiThreadsPriority();
    void analysisThreadRunsBelowTheGuiThreadsPriority();

private:
    std::shared_ptr<const BertModel> tiny_;
    QTemporaryDir dir_;
};

void TestAttributionViews::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
    tiny_ = loadModel(testing::dataPath("models/tiny"));
}

void TestAttributionViews::attributionShowsTheEnginesNumbers()
{
    const AnalysisPtr analysis = analyse(tiny_, QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought milk ."));
    QVERIFY(!analysis->trace.mlm.empty());
    AttributionView view;
    view.resize(1000, 700);
    view.show();
    view.setAnalysis(analysis);
    QVERIFY(view.isBusy());  // debounced, then on a pool thread: the call itself computes nothing
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    QVERIFY2(view.stateMessage().isEmpty(), qPrintable(view.stateMessage()));

    // The default target is the shown model's best guess at the mask, by grad-input.
    const MaskedPrediction& mp = analysis->trace.mlm.front();
    QVERIFY(view.target());
    QCOMPARE(view.target()->position, mp.position);
    QCOMPARE(view.target()->token, mp.candidates.front().token);
    AttributionRequest request;
    request.target = *view.target();
    request.method = AttributionMethod::GradientTimesInput;
    compareWithEngine(view, *analysis, request);

    // Integrated gradients with 8 steps, and its completeness line.
    view.setMethod(AttributionMethod::IntegratedGradients, 8);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    request.method = AttributionMethod::IntegratedGradients;
    request.steps = 8;
    compareWithEngine(view, *analysis, request);
    QVERIFY(view.result()->targetAtBaseline);
    QVERIFY2(view.completenessText().contains(QStringLiteral("Completeness")), qPrintable(view.completenessText()));
    // For a person to look at (like test_views' gallery).
    QDir().mkpath(QStringLiteral("views-png"));
    QVERIFY2(view.grab().save(QStringLiteral("views-png/attribution-ig.png")), "grab");

    // Another guess (second best) and NSP, by grad.
    AttributionTarget second;
    second.position = mp.position;
    second.token = mp.candidates[1].token;
    view.setMethod(AttributionMethod::Gradient);
    view.setTarget(second);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    request.target = second;
    request.method = AttributionMethod::Gradient;
    compareWithEngine(view, *analysis, request);
    QCOMPARE(view.result()->target.token, second.token);

    AttributionTarget nsp;
    nsp.kind = AttributionTarget::Kind::NextSentence;
    view.setTarget(nsp);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    request.target = nsp;
    compareWithEngine(view, *analysis, request);
    QVERIFY(view.targetCombo()->currentText().contains(QStringLiteral("Next sentence")));

    // Data export: the CLI's JSON keys.
    const QString json = dir_.filePath(QStringLiteral("attribution.json"));
    QString error;
    QVERIFY2(view.exportData(json, &error), qPrintable(error));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("method")).toString(), QStringLiteral("grad"));
    QCOMPARE(root.value(QStringLiteral("attributions")).toArray().size(), analysis->encoding.size());
    QCOMPARE(root.value(QStringLiteral("target")).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("nsp"));
    QVERIFY2(view.exportImage(dir_.filePath(QStringLiteral("attribution.png")), 96, &error), qPrintable(error));
}

void TestAttributionViews::attributionFollowsAblationAndCancels()
{
    const AnalysisPtr ablated =
        analyse(tiny_, QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought milk ."), QStringLiteral("1:2,2:*"));
    AttributionView view;
    view.resize(1000, 700);
    view.show();
    view.setMethod(AttributionMethod::GradientTimesInput);
    view.setAnalysis(ablated);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    AttributionRequest request;
    request.target = *view.target();
    request.headMultipliers = ablated->request.ablation.multipliers();
    QVERIFY(!request.headMultipliers.empty());
    compareWithEngine(view, *ablated, request);
    // ... which is not the intact model's answer.
    AttributionRequest intact = request;
    intact.headMultipliers.clear();
    const InputAttribution plain = attributeInputs(*tiny_, ablated->encoding, intact);
    QVERIFY(std::abs(plain.target.logprob - view.result()->target.logprob) > 1e-3);

    // Cancel: a long integrated-gradients run stops, nothing new is shown, and the view is idle.
    const InputAttribution before = *view.result();
    view.setMethod(AttributionMethod::IntegratedGradients, 512);
    QTest::qWait(200);  // past the debounce: the job is running
    view.cancel();
    QVERIFY(!view.isBusy());
    QTest::qWait(50);
    QCOMPARE(view.result()->method, before.method);  // the old result stays
    // Asking again computes again.
    view.setMethod(AttributionMethod::IntegratedGradients, 4);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    QCOMPARE(view.result()->steps, 4);
}

void TestAttributionViews::importanceShowsBothMethodsAndClicksAblate()
{
    const AnalysisPtr analysis = analyse(tiny_, QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought milk ."));
    ImportanceView view;
    view.resize(1100, 700);
    view.show();
    view.setAnalysis(analysis);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    QVERIFY(view.gradient() && view.sweep());
    const AttributionTarget target = *view.target();
    for (const auto method : {ImportanceMethod::Gradient, ImportanceMethod::Sweep}) {
        const HeadImportance expected = headImportance(*tiny_, analysis->encoding, target, method);
        const HeadImportance& shown = method == ImportanceMethod::Gradient ? *view.gradient() : *view.sweep();
        QCOMPARE(shown.importance.size(), expected.importance.size());
        for (size_t i = 0; i < expected.importance.size(); ++i)
            QVERIFY2(close(shown.importance[i], expected.importance[i]),
                     qPrintable(QStringLiteral("%1 vs %2").arg(shown.importance[i]).arg(expected.importance[i])));
        // The heatmap holds the same numbers, row = layer, column = head.
        HeatmapPlot* plot = method == ImportanceMethod::Gradient ? view.gradientPlot() : view.sweepPlot();
        QCOMPARE(plot->matrixRows(), expected.layers);
        QCOMPARE(plot->matrixCols(), expected.heads);
        QVERIFY(close(plot->cellValue(1, 2), expected.at(1, 2)));
    }
    // Clicking a cell asks for that head to be switched off.
    QSignalSpy spy(&view, &AnalysisView::headAblationToggleRequested);
    view.sweepPlot()->replot(QCustomPlot::rpImmediateRefresh);
    QTest::mouseClick(view.sweepPlot(), Qt::LeftButton, {}, view.sweepPlot()->cellCenter(1, 2));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 1);
    QCOMPARE(spy.at(0).at(1).toInt(), 2);
    // Cancel the sweep of a new input: the gradient still arrives, the sweep is dropped.
    const AnalysisPtr other = analyse(tiny_, QStringLiteral("a dog [MASK] in the park ."), QStringLiteral("it was sunny ."));
    view.setAnalysis(other);
    QTest::qWait(200);
    view.cancelSweep();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    QVERIFY(view.gradient());
    view.runSweep();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    QVERIFY(view.sweep());
}

void TestAttributionViews::windowWiresGuessClicksAndCellClicks()
{
    MainWindow window;
    window.setInteractive(false);
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QString error;
    QVERIFY2(window.openModelAndWait(QStringLiteral(BERTLAB_TEST_DATA "/models/tiny"), kWaitMs, &error), qPrintable(error));
    QVERIFY(window.waitForIdle(kWaitMs));
    auto* mlm = qobject_cast<MlmView*>(window.viewSync()->viewByTitle(QStringLiteral("Masked words")));
    auto* attribution = qobject_cast<AttributionView*>(window.viewSync()->viewByTitle(QStringLiteral("Attribution")));
    auto* importance = qobject_cast<ImportanceView*>(window.viewSync()->viewByTitle(QStringLiteral("Head importance")));
    QVERIFY(mlm && attribution && importance);
    window.viewSync()->showView(mlm);
    QVERIFY(window.waitForIdle(kWaitMs));
    QCoreApplication::processEvents();
    mlm->guessesPlot()->replot(QCustomPlot::rpImmediateRefresh);
    const MaskedPrediction& mp = window.currentAnalysis()->trace.mlm.front();
    // A click on the second guess's bar explains that guess, in the attribution view.
    QTest::mouseClick(mlm->guessesPlot(), Qt::LeftButton, {}, mlm->guessBarCenter(0, 1));
    QCOMPARE(window.viewSync()->currentView(), static_cast<AnalysisView*>(attribution));
    QVERIFY(window.waitForIdle(kWaitMs));
    QVERIFY(attribution->result());
    QCOMPARE(attribution->result()->target.token, mp.candidates[1].token);
    QCOMPARE(attribution->result()->target.position, mp.position);

    // A click on an importance cell switches that head off in the whole window.
    window.viewSync()->showView(importance);
    QVERIFY(window.waitForIdle(kWaitMs));
    QCOMPARE(importance->target()->token, mp.candidates[1].token);
    importance->sweepPlot()->replot(QCustomPlot::rpImmediateRefresh);
    QTest::mouseClick(importance->sweepPlot(), Qt::LeftButton, {}, importance->sweepPlot()->cellCenter(0, 1));
    QVERIFY(window.waitForIdle(kWaitMs));
    QVERIFY(window.ablation()->ablation().isOff(0, 1));
    QVERIFY(window.currentAnalysis()->request.ablation.isOff(0, 1));
    // Screenshots include both views.
    QStringList written;
    QVERIFY2(window.exporter()->renderScreenshots(dir_.filePath(QStringLiteral("shots")), &error, &written), qPrintable(error));
    QVERIFY(written.contains(QDir(dir_.filePath(QStringLiteral("shots"))).filePath(QStringLiteral("attribution.png"))));
    QVERIFY(written.contains(QDir(dir_.filePath(QStringLiteral("shots"))).filePath(QStringLiteral("head-importance.png"))));
}

void TestAttributionViews::modelWithoutHeadsSaysSo()
{
    const std::shared_ptr<const BertModel> base = loadModel(testing::dataPath("models/tiny-base-only"));
    QVERIFY(!base->hasMlm() && !base->hasNsp());
    const AnalysisPtr analysis = analyse(base, QStringLiteral("the man went to the [MASK] ."), QStringLiteral("he bought milk ."));
    AttributionView attribution;
    ImportanceView importance;
    attribution.setAnalysis(analysis);
    importance.setAnalysis(analysis);
    QVERIFY(!attribution.isBusy() && !importance.isBusy());
    QVERIFY2(attribution.stateMessage().contains(QStringLiteral("neither a masked-LM head nor a next-sentence head")),
             qPrintable(attribution.stateMessage()));
    QVERIFY(importance.stateMessage().contains(QStringLiteral("neither")));
    QDir().mkpath(QStringLiteral("views-png"));
    attribution.resize(900, 400);
    QVERIFY(attribution.grab().save(QStringLiteral("views-png/attribution-base-only.png")));
    QString error;
    QVERIFY(!attribution.exportData(dir_.filePath(QStringLiteral("none.csv")), &error));
    QVERIFY(!error.isEmpty());
}

namespace {
int niceOfThisThread() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }
} // namespace

void TestAttributionViews::jobsRunBelowTheGuiThreadsPriority()
{
    // The engine's OpenMP threads must not keep the GUI thread off the cores (the event-loop bench):
    // a job's thread and the OpenMP team it starts run at kBackgroundNice or lower priority.
    const int gui = niceOfThisThread();
    if (gui >= ui::kBackgroundNice) QSKIP("this test already runs at the background nice value");
    std::atomic<int> jobNice{-100}, teamLeast{100}, teamSize{0};
    ui::CancellableJob job;
    job.start([&](std::stop_token, const ui::CancellableJob::Progress&) -> std::function<void()> {
        jobNice = niceOfThisThread();
#pragma omp parallel num_threads(2)
        {
            const int mine = niceOfThisThread();
            int seen = teamLeast.load();
            while (mine < seen && !teamLeast.compare_exchange_weak(seen, mine)) {
            }
            ++teamSize;
        }
        return {};
    });
    QVERIFY(job.waitForIdle(10000));
    QCOMPARE(jobNice.load(), ui::kBackgroundNice);
    QCOMPARE(teamSize.load(), 2);
    QVERIFY2(teamLeast.load() >= ui::kBackgroundNice, qPrintable(QString::number(teamLeast.load())));
    QCOMPARE(niceOfThisThread(), gui);  // the GUI thread keeps its own
}

void TestAttributionViews::analysisThreadRunsBelowTheGuiThreadsPriority()
{
    // Read from the kernel's own record (/proc/self/task/TID/stat, field 19 = nice) of the thread
    // Qt names after the QThread's object name, cut to the 15 characters Linux keeps.
    const auto analysisThreadNice = []() -> std::optional<int> {
        for (const QString& tid : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(tid)), stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
            if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "bertlab-analysi" || !stat.open(QIODevice::ReadOnly))
                continue;
            const QByteArray line = stat.readAll();
            const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');  // from field 3 on
            return fields.size() > 16 ? std::optional<int>(fields[16].toInt()) : std::nullopt;
        }
        return std::nullopt;
    };
    if (niceOfThisThread() >= ui::kBackgroundNice) QSKIP("this test already runs at the background nice value");
    ui::AnalysisWorker worker;
    QTRY_VERIFY_WITH_TIMEOUT(analysisThreadNice() == ui::kBackgroundNice, 5000);
    QVERIFY(niceOfThisThread() < ui::kBackgroundNice);
}

QTEST_MAIN(TestAttributionViews)
#include "test_attribution_views.moc"
