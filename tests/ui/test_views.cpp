// Attention, MLM and NSP views: selection, modes, filters, states, exports, and the masking lab against the example builder.
#include "test_support.h"

#include "analysis.h"
#include "colormaps.h"
#include "model_io.h"
#include "safetensors.h"
#include "training/example_builder.h"
#include "plot/heatmap_plot.h"
#include "plot/matrix_table_model.h"
#include "views/attention_lines.h"
#include "views/attention_math.h"
#include "views/attention_view.h"
#include "views/heads_grid.h"
#include "views/masking_lab_panel.h"
#include "views/mlm_view.h"
#include "views/nsp_view.h"
#include "views/probability_bar.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <random>

using namespace bertlab;
using namespace bertlab::ui;

namespace {

// A made-up run: [CLS] w1 .. wA [SEP] v1 .. vB [SEP] with random row-stochastic attention.
// Only for rendering and plumbing; none of these numbers come from a model.
struct SyntheticSpec {
    int wordsA = 3;
    int wordsB = 2;
    int layers = 2;
    int heads = 4;
    int maskAt = 2;       // position replaced by [MASK] (-1 for none)
    bool withMlm = true;
    bool withNsp = true;
    unsigned seed = 7;
};

std::shared_ptr<Analysis> makeSynthetic(const SyntheticSpec& spec)
{
    static const char* words[] = {"the", "cat", "sat", "on", "mat", "and", "it", "purr", "##ed", "loudly",
                                  "while", "dog", "slept", "near", "door", "then", "rain", "fell", "soft", "ly"};
    auto a = std::make_shared<Analysis>();
    Encoding e;
    auto push = [&](const std::string& tok, int id, int type, int seg, bool special) {
        e.tokens.push_back(tok);
        e.ids.push_back(id);
        e.typeIds.push_back(type);
        e.segment.push_back(seg);
        e.specialMask.push_back(special);
        e.offsets.emplace_back(special ? -1 : 0, special ? -1 : 1);
    };
    push("[CLS]", 101, 0, -1, true);
    for (int i = 0; i < spec.wordsA; ++i)
        push(words[i % 20], 1000 + i % 20, 0, 0, false);
    push("[SEP]", 102, 0, -1, true);
    for (int i = 0; i < spec.wordsB; ++i)
        push(words[(i + 5) % 20], 1000 + (i + 5) % 20, 1, 1, false);
    if (spec.wordsB > 0)
        push("[SEP]", 102, 1, -1, true);
    a->original = e;
    if (spec.maskAt >= 0) {
        e.tokens[static_cast<size_t>(spec.maskAt)] = "[MASK]";
        e.ids[static_cast<size_t>(spec.maskAt)] = 103;
    }
    a->encoding = e;
    a->request.textA = QStringLiteral("synthetic A");
    if (spec.wordsB > 0)
        a->request.textB = QStringLiteral("synthetic B");

    const int t = e.size();
    std::mt19937 rng(spec.seed);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    Trace& tr = a->trace;
    tr.length = t;
    tr.attentions.resize(static_cast<size_t>(spec.layers));
    for (auto& layer : tr.attentions) {
        for (int h = 0; h < spec.heads; ++h) {
            Matrix m(t, t);
            for (int r = 0; r < t; ++r) {
                float sum = 0;
                for (int c = 0; c < t; ++c) {
                    // Some structure so the pictures have something to show: diagonal-ish heads.
                    const float bias = (h % 4 == 0 && c == r) ? 3.0f : (h % 4 == 1 && c == r - 1) ? 3.0f
                                       : (h % 4 == 2 && c == 0) ? 3.0f : 0.0f;
                    m(r, c) = std::exp(normal(rng) * 0.5f + bias);
                    sum += m(r, c);
                }
                m.row(r) /= sum;
            }
            layer.push_back(m);
        }
    }
    if (spec.withMlm && spec.maskAt >= 0) {
        auto guesses = [&](float top, const std::vector<std::string>& toks) {
            MaskedPrediction mp;
            mp.position = spec.maskAt;
            float p = top;
            for (size_t i = 0; i < toks.size(); ++i) {
                mp.candidates.push_back({2000 + static_cast<int>(i), toks[i], p});
                p *= 0.6f;
            }
            return mp;
        };
        tr.mlm.push_back(guesses(0.62f, {"cat", "dog", "bird", "mouse", "fox"}));
        tr.logitLens.push_back({guesses(0.05f, {"the", ",", "a", "cat", "."})});
        for (int l = 1; l < spec.layers; ++l)
            tr.logitLens.push_back({guesses(0.30f, {"dog", "cat", "animal", "bird", "the"})});
        tr.logitLens.push_back(tr.mlm);
    }
    if (spec.withNsp)
        tr.nsp = NspResult{0.93f, 0.07f, {2.0f, -0.586f}};
    return a;
}

QString outDir()
{
    const QString dir = QDir::current().absoluteFilePath(QStringLiteral("views-png"));
    QDir().mkpath(dir);
    return dir;
}

void checkImageFiles(AnalysisView& view, const QString& stem)
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QString error;
    const QString png = tmp.filePath(stem + QStringLiteral(".png"));
    QVERIFY2(view.exportImage(png, 192, &error), qPrintable(error));
    QImage img(png);
    QVERIFY2(!img.isNull(), qPrintable(png));
    QVERIFY(img.width() > 200 && img.height() > 100);
    QCOMPARE(qRound(img.dotsPerMeterX() * 0.0254), 192);
    const QString pdf = tmp.filePath(stem + QStringLiteral(".pdf"));
    QVERIFY2(view.exportImage(pdf, 192, &error), qPrintable(error));
    QFile pf(pdf);
    QVERIFY(pf.open(QIODevice::ReadOnly));
    QVERIFY(pf.size() > 500);
    QCOMPARE(pf.read(4), QByteArray("%PDF"));
    const QString svg = tmp.filePath(stem + QStringLiteral(".svg"));
    QVERIFY2(view.exportImage(svg, 192, &error), qPrintable(error));
    QFile sf(svg);
    QVERIFY(sf.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&sf);
    bool sawSvg = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
            sawSvg = true;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvg);
    QVERIFY(!QDir(tmp.path()).entryList(QDir::Files).filter(QStringLiteral(".tmp")).size());
}

// The tiny PyTorch-made model on the fixture pair "she was at school ." / "then she [MASK] back .".
const std::string kTextA = "she was at school .";
const std::string kTextB = "then she [MASK] back .";

std::shared_ptr<Analysis> analyseReal(const std::string& modelDir)
{
    auto model = loadModel(testing::dataPath(modelDir));
    auto an = std::make_shared<Analysis>();
    an->model = model;
    an->request.textA = QString::fromStdString(kTextA);
    an->request.textB = QString::fromStdString(kTextB);
    an->encoding = model->encode(kTextA, &kTextB);
    an->original = an->encoding;
    std::vector<int> masks;
    for (int i = 0; i < an->encoding.size(); ++i)
        if (an->encoding.tokens[static_cast<size_t>(i)] == "[MASK]")
            masks.push_back(i);
    Probe probe = Probe::everything(model->hasMlm() ? masks : std::vector<int>{});
    probe.topK = 10;
    probe.nsp = model->hasNsp();
    probe.pooled = model->hasNsp();
    an->trace = model->forward(an->encoding, probe);
    return an;
}

std::vector<int> fixtureIds()
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(
        testing::readText(testing::dataPath("fixtures/tiny/pair.json")))).object();
    std::vector<int> ids;
    for (const auto& v : o[QStringLiteral("input_ids")].toArray()[0].toArray())
        ids.push_back(v.toInt());
    return ids;
}

double rowSum(const AttentionMatrix& m, int r)
{
    double s = 0;
    for (int c = 0; c < m.cols(); ++c)
        s += m(r, c);
    return s;
}

} // namespace

class TestViews : public QObject {
    Q_OBJECT
private slots:
    void meanAndRolloutMatchPlainLoops();
    void filtersMaskBySegment();
    void headSummaryOfKnownMatrices();
    void attentionViewSelectsModesAndFilters();
    void attentionViewHeadsGridAndEmptyState();
    void attentionViewExports();
    void headThumbnailsColourAndAverage();
    void attentionLinesCullOnLargeInputs();
    void mlmViewShowsGuessesAndLens();
    void mlmViewStates();
    void mlmViewExports();
    void maskingLabFollowsTheTrainingProcedure();
    void maskingLabSplitOverManySeeds();
    void maskingLabAgreesWithExampleBuilder();
    void maskingLabPanelShowsChoice();
    void nspViewSpellsOutVerdict();
    void nspViewStates();
    void nspViewExports();
    void realModelMatchesPyTorch();
    void realModelWithoutHeads();
    void renderGallery();
};

void TestViews::realModelMatchesPyTorch()
{
    auto an = analyseReal("models/tiny");
    QCOMPARE(an->encoding.ids, fixtureIds());
    const TensorMap ref = readSafetensors(testing::dataPath("fixtures/tiny/pair.safetensors"));
    const int t = an->encoding.size();

    AttentionView attention;
    attention.resize(1000, 800);
    attention.setAnalysis(an);
    QVERIFY(!attention.showsEmptyState());
    attention.setLayerHead(1, 2);
    // PyTorch's attentions.1 is [1, heads, T, T]; head 2 starts at 2·T·T.
    const float* refLayer1 = ref.tensors.at("attentions.1").data;
    QCOMPARE(attention.currentMatrix().rows(), t);
    QVERIFY(testing::maxAbsDiff(attention.currentMatrix().data(), refLayer1 + 2 * t * t, t * t) < 1e-4f);
    attention.setMode(AttentionView::Mode::MeanOverHeads);
    for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) {
            double mean = 0;
            for (int h = 0; h < 4; ++h)
                mean += refLayer1[h * t * t + r * t + c] / 4.0;
            QVERIFY(std::abs(attention.currentMatrix()(r, c) - mean) < 1e-4);
        }
    attention.setMode(AttentionView::Mode::Rollout);
    for (int r = 0; r < t; ++r)
        QVERIFY(std::abs(rowSum(attention.currentMatrix(), r) - 1.0) < 1e-5);

    // MLM: the top bar is PyTorch's argmax at the [MASK] with its softmax probability.
    const int maskPos = 9;
    QCOMPARE(an->encoding.tokens[maskPos], std::string("[MASK]"));
    const TensorView& logits = ref.tensors.at("mlm_logits");
    const int v = static_cast<int>(logits.shape[2]);
    const float* row = logits.data + static_cast<size_t>(maskPos) * v;
    int best = 0;
    double z = 0, mx = row[0];
    for (int i = 0; i < v; ++i)
        if (row[i] > row[best])
            best = i;
    mx = row[best];
    for (int i = 0; i < v; ++i)
        z += std::exp(row[i] - mx);
    MlmView mlm;
    mlm.resize(1000, 800);
    mlm.setAnalysis(an);
    QVERIFY(!mlm.showsEmptyState());
    QCPAxisRect* rect = mlm.guessesPlot()->axisRect(0);
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(rect->axis(QCPAxis::atLeft)->ticker());
    QCOMPARE(ticker->ticks().value(0.0), QString::fromStdString(an->model->vocab().token(best)));
    double topValue = -1;
    for (int i = 0; i < mlm.guessesPlot()->plottableCount(); ++i)
        if (auto* bars = qobject_cast<QCPBars*>(mlm.guessesPlot()->plottable(i)))
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
                if (it->key == 0.0)
                    topValue = it->value;
    QVERIFY(std::abs(topValue - 1.0 / z) < 1e-4);
    QCOMPARE(mlm.lensPlot()->matrixRows(), 3);  // embeddings + 2 layers

    // NSP: the bar's share is softmax(PyTorch's logits)[IsNext].
    const float* nl = ref.tensors.at("nsp_logits").data;
    const double isNext = 1.0 / (1.0 + std::exp(static_cast<double>(nl[1]) - nl[0]));
    NspView nsp;
    nsp.setAnalysis(an);
    QVERIFY(nsp.showsResult());
    QVERIFY(std::abs(nsp.bar()->firstShare() - isNext) < 1e-4);
    QVERIFY(nsp.headline().startsWith(QStringLiteral("B follows A: ")));
}

void TestViews::realModelWithoutHeads()
{
    auto an = analyseReal("models/tiny-base-only");
    QVERIFY(!an->model->hasMlm());
    QVERIFY(!an->model->hasNsp());
    MlmView mlm;
    mlm.setAnalysis(an);
    QVERIFY(mlm.showsEmptyState());
    QVERIFY(mlm.stateMessage().contains(QStringLiteral("no MLM head")));
    NspView nsp;
    nsp.setAnalysis(an);
    QVERIFY(!nsp.showsResult());
    QVERIFY(nsp.stateMessage().contains(QStringLiteral("no NSP head")));
    AttentionView attention;
    attention.setAnalysis(an);
    QVERIFY(!attention.showsEmptyState());
}

void TestViews::meanAndRolloutMatchPlainLoops()
{
    auto a = makeSynthetic({});
    const auto& att = a->trace.attentions;
    const int t = static_cast<int>(att[0][0].rows());
    const AttentionMatrix mean = meanOverHeads(att[1]);
    for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) {
            double s = 0;
            for (const auto& h : att[1])
                s += h(r, c);
            QVERIFY(std::abs(mean(r, c) - s / att[1].size()) < 1e-6);
        }
    // Reference rollout written out independently with plain loops: Â_l = rownorm(0.5 mean + 0.5 I), R = Â_1 Â_0.
    std::vector<std::vector<double>> hat[2];
    for (int l = 0; l < 2; ++l) {
        hat[l].assign(t, std::vector<double>(t, 0.0));
        for (int r = 0; r < t; ++r) {
            double sum = 0;
            for (int c = 0; c < t; ++c) {
                double m = 0;
                for (const auto& h : att[l])
                    m += h(r, c);
                hat[l][r][c] = 0.5 * m / att[l].size() + (r == c ? 0.5 : 0.0);
                sum += hat[l][r][c];
            }
            for (int c = 0; c < t; ++c)
                hat[l][r][c] /= sum;
        }
    }
    const AttentionMatrix r0 = attentionRollout(att, 0);
    const AttentionMatrix r1 = attentionRollout(att, 1);
    for (int r = 0; r < t; ++r) {
        QVERIFY(std::abs(rowSum(r1, r) - 1.0) < 1e-5);
        for (int c = 0; c < t; ++c) {
            QVERIFY(std::abs(r0(r, c) - hat[0][r][c]) < 1e-6);
            double p = 0;
            for (int k = 0; k < t; ++k)
                p += hat[1][r][k] * hat[0][k][c];
            QVERIFY(std::abs(r1(r, c) - p) < 1e-6);
        }
    }
    QCOMPARE(attentionRolloutPerLayer(att).size(), size_t(2));
}

void TestViews::filtersMaskBySegment()
{
    auto a = makeSynthetic({});
    const auto& m = a->trace.attentions[0][1];
    const auto& types = a->encoding.typeIds;
    const AttentionMatrix ab = applySegmentFilter(m, types, SegmentFilter::AToB);
    const AttentionMatrix ba = applySegmentFilter(m, types, SegmentFilter::BToA);
    const AttentionMatrix within = applySegmentFilter(m, types, SegmentFilter::Within);
    for (int r = 0; r < m.rows(); ++r)
        for (int c = 0; c < m.cols(); ++c) {
            const int q = types[r], k = types[c];
            QCOMPARE(ab(r, c), (q == 0 && k == 1) ? m(r, c) : 0.0f);
            QCOMPARE(ba(r, c), (q == 1 && k == 0) ? m(r, c) : 0.0f);
            QCOMPARE(within(r, c), q == k ? m(r, c) : 0.0f);
        }
}

void TestViews::headSummaryOfKnownMatrices()
{
    const int t = 8;
    // Uniform attention: entropy log2 T, every position gets 1/T.
    AttentionMatrix uniform = AttentionMatrix::Constant(t, t, 1.0f / t);
    std::vector<bool> cls(t, false), sep(t, false);
    cls[0] = true;
    sep[4] = sep[7] = true;
    HeadSummary s = summarizeHead(uniform, cls, sep);
    QVERIFY(std::abs(s.entropyBits - 3.0) < 1e-5);
    QVERIFY(std::abs(s.toCls - 1.0 / t) < 1e-6);
    QVERIFY(std::abs(s.toSep - 2.0 / t) < 1e-6);
    QVERIFY(std::abs(s.toSelf - 1.0 / t) < 1e-6);
    QVERIFY(std::abs(s.toPrevious - (t - 1.0) / t / t) < 1e-6);
    // Each token looks only at the previous one (token 0 at itself): zero entropy.
    AttentionMatrix prev = AttentionMatrix::Zero(t, t);
    prev(0, 0) = 1;
    for (int r = 1; r < t; ++r)
        prev(r, r - 1) = 1;
    s = summarizeHead(prev, cls, sep);
    QVERIFY(std::abs(s.entropyBits) < 1e-9);
    QVERIFY(std::abs(s.toPrevious - (t - 1.0) / t) < 1e-6);
    QVERIFY(std::abs(s.toSelf - 1.0 / t) < 1e-6);
    QVERIFY(std::abs(s.toNext) < 1e-9);
}

void TestViews::attentionViewSelectsModesAndFilters()
{
    auto a = makeSynthetic({});
    AttentionView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    QVERIFY(!view.showsEmptyState());
    const auto& att = a->trace.attentions;
    const int t = a->encoding.size();

    view.setLayerHead(1, 2);
    QCOMPARE(view.layer(), 1);
    QCOMPARE(view.head(), 2);
    QVERIFY(view.currentMatrix().isApprox(att[1][2]));
    QCOMPARE(view.heatmap()->matrixRows(), t);
    QCOMPARE(view.heatmap()->cellValue(3, 4), static_cast<double>(att[1][2](3, 4)));
    QCOMPARE(view.valuesTable()->model()->rowCount(), t);
    QCOMPARE(view.valuesTable()->model()->index(3, 4).data(Qt::UserRole).toDouble(), static_cast<double>(att[1][2](3, 4)));
    QCOMPARE(view.summaryTable()->rowCount(), 4);

    view.setMode(AttentionView::Mode::MeanOverHeads);
    for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) {
            const double avg = (att[1][0](r, c) + att[1][1](r, c) + att[1][2](r, c) + att[1][3](r, c)) / 4.0;
            QVERIFY(std::abs(view.currentMatrix()(r, c) - avg) < 1e-6);
            QVERIFY(std::abs(view.heatmap()->cellValue(r, c) - avg) < 1e-6);
        }

    view.setMode(AttentionView::Mode::Rollout);
    for (int r = 0; r < t; ++r)
        QVERIFY(std::abs(rowSum(view.currentMatrix(), r) - 1.0) < 1e-5);
    QVERIFY(view.currentMatrix().isApprox(attentionRollout(att, 1)));

    view.setMode(AttentionView::Mode::Head);
    view.setFilter(SegmentFilter::AToB);
    const auto& types = a->encoding.typeIds;
    bool sawKept = false;
    for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) {
            if (types[r] == 0 && types[c] == 0)
                QCOMPARE(view.currentMatrix()(r, c), 0.0f);
            if (types[r] == 0 && types[c] == 1) {
                QCOMPARE(view.currentMatrix()(r, c), att[1][2](r, c));
                sawKept = true;
            }
            if (types[r] == 1)
                QVERIFY(std::isnan(view.heatmap()->cellValue(r, c)));  // drawn grey: filtered out
        }
    QVERIFY(sawKept);
    view.setFilter(SegmentFilter::Within);
    QCOMPARE(view.currentMatrix()(1, t - 2), 0.0f);
    QCOMPARE(view.currentMatrix()(1, 2), att[1][2](1, 2));
}

void TestViews::attentionViewHeadsGridAndEmptyState()
{
    auto a = makeSynthetic({});
    AttentionView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    view.setCurrentTab(AttentionView::Tab::AllHeads);
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &AnalysisView::layerHeadRequested);
    QTest::mouseClick(view.headsGrid(), Qt::LeftButton, {}, view.headsGrid()->cellRect(1, 3).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 1);
    QCOMPARE(spy.at(0).at(1).toInt(), 3);
    QCOMPARE(view.head(), 3);
    QVERIFY(view.currentMatrix().isApprox(a->trace.attentions[1][3]));

    view.setAnalysis(nullptr);
    QVERIFY(view.showsEmptyState());
    QString error;
    QVERIFY(!view.exportImage(QDir::temp().filePath(QStringLiteral("never.png")), 96, &error));
    QVERIFY(!error.isEmpty());
    auto none = makeSynthetic({});
    none->trace.attentions.clear();
    view.setAnalysis(none);
    QVERIFY(view.showsEmptyState());
}

void TestViews::headThumbnailsColourAndAverage()
{
    const ColorMap& viridis = ColorMap::viridis();
    // Within the size: one pixel per weight, scaled to the largest weight.
    const std::vector<float> w{0.0f, 0.5f, 0.25f, 0.25f};  // 2 x 2
    const QImage small = makeAttentionThumbnail(w.data(), 2, 64);
    QCOMPARE(small.size(), QSize(2, 2));
    const auto near = [](QRgb a, QColor b) {
        return std::abs(qRed(a) - b.red()) <= 2 && std::abs(qGreen(a) - b.green()) <= 2 &&
               std::abs(qBlue(a) - b.blue()) <= 2;
    };
    QVERIFY(near(small.pixel(0, 0), viridis.at(0.0)));
    QVERIFY(near(small.pixel(1, 0), viridis.at(1.0)));
    QVERIFY(near(small.pixel(0, 1), viridis.at(0.5)));
    // Larger than the size: blocks of tokens are averaged (4 x 4 into 2 x 2).
    std::vector<float> big(16, 0.f);
    big[0] = big[1] = big[4] = big[5] = 1.f;  // the top-left block averages 1
    big[2] = 1.f;                             // the top-right block averages 0.25
    const QImage halved = makeAttentionThumbnail(big.data(), 4, 2);
    QCOMPARE(halved.size(), QSize(2, 2));
    QVERIFY(near(halved.pixel(0, 0), viridis.at(1.0)));
    QVERIFY(near(halved.pixel(1, 0), viridis.at(0.25)));
    QVERIFY(near(halved.pixel(0, 1), viridis.at(0.0)));
}

void TestViews::attentionViewExports()
{
    auto a = makeSynthetic({});
    AttentionView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (auto tab : {AttentionView::Tab::Heatmap, AttentionView::Tab::Lines, AttentionView::Tab::AllHeads,
                     AttentionView::Tab::HeadSummary}) {
        view.setCurrentTab(tab);
        checkImageFiles(view, QStringLiteral("attention%1").arg(static_cast<int>(tab)));
    }
    // PNG at 192 dpi is the heatmap at twice its on-screen size.
    view.setCurrentTab(AttentionView::Tab::Heatmap);
    QTemporaryDir tmp;
    QString error;
    QVERIFY(view.exportImage(tmp.filePath(QStringLiteral("h.png")), 192, &error));
    const QImage img(tmp.filePath(QStringLiteral("h.png")));
    QCOMPARE(img.size(), view.heatmap()->size() * 2);

    const int t = a->encoding.size();
    QVERIFY2(view.exportData(tmp.filePath(QStringLiteral("m.csv")), &error), qPrintable(error));
    QFile csv(tmp.filePath(QStringLiteral("m.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), t + 1);  // header + one line per token
    QVERIFY(view.exportData(tmp.filePath(QStringLiteral("m.json")), &error));
    QFile js(tmp.filePath(QStringLiteral("m.json")));
    QVERIFY(js.open(QIODevice::ReadOnly));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(js.readAll(), &perr);
    QCOMPARE(perr.error, QJsonParseError::NoError);
    const QJsonArray values = doc.object()[QStringLiteral("tables")].toArray()[0].toObject()[QStringLiteral("values")].toArray();
    QCOMPARE(values.size(), t);
    QVERIFY(std::abs(values[2].toArray()[3].toDouble() - a->trace.attentions[0][0](2, 3)) < 1e-6);
}

void TestViews::attentionLinesCullOnLargeInputs()
{
    SyntheticSpec spec;
    spec.wordsA = 300;
    spec.wordsB = 209;  // 512 tokens
    spec.layers = 1;
    spec.heads = 2;
    auto a = makeSynthetic(spec);
    QCOMPARE(a->encoding.size(), 512);
    AttentionView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    view.setCurrentTab(AttentionView::Tab::Lines);
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QImage sink(view.lines()->width(), 600, QImage::Format_ARGB32);
    view.lines()->render(&sink, {}, QRegion(0, 0, view.lines()->width(), 600));
    QVERIFY(view.lines()->threshold() > 0);
    // Far fewer lines than the 262 144 pairs: only rows near the visible band, only weights above threshold.
    QVERIFY(view.lines()->lastPaintedLines() < 512 * 512 / 20);
}

void TestViews::mlmViewShowsGuessesAndLens()
{
    auto a = makeSynthetic({});
    MlmView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    QVERIFY(!view.showsEmptyState());
    QCOMPARE(view.guessesPlot()->axisRectCount(), 1);
    auto* bars = qobject_cast<QCPBars*>(view.guessesPlot()->plottable(0));
    QVERIFY(bars);
    auto* hit = qobject_cast<QCPBars*>(view.guessesPlot()->plottable(1));
    QVERIFY(hit);
    // "cat" is the original word and the best guess: it is drawn by the highlighted bars at rank 0.
    QCOMPARE(hit->data()->size(), 1);
    QCOMPARE(hit->data()->at(0)->mainKey(), 0.0);
    QCOMPARE(hit->data()->at(0)->mainValue(), static_cast<double>(a->trace.mlm[0].candidates[0].prob));
    QCOMPARE(bars->data()->size(), 4);

    const int rows = static_cast<int>(a->trace.logitLens.size());
    QCOMPARE(view.lensPlot()->matrixRows(), rows);
    // Columns: final top-5, then "the" (top-1 at the embeddings) — "dog" is already among the final five.
    QCOMPARE(view.lensPlot()->matrixCols(), 6);
    QCOMPARE(view.lensPlot()->cellValue(rows - 1, 0), static_cast<double>(a->trace.mlm[0].candidates[0].prob));
    QCOMPARE(view.lensPlot()->cellValue(1, 1), static_cast<double>(a->trace.logitLens[1][0].candidates[0].prob));
    QVERIFY(std::isnan(view.lensPlot()->cellValue(0, 1)));  // "dog" is not in the embeddings' top-5
}

void TestViews::mlmViewStates()
{
    MlmView view;
    view.setAnalysis(nullptr);
    QVERIFY(view.showsEmptyState());
    SyntheticSpec spec;
    spec.withMlm = false;
    view.setAnalysis(makeSynthetic(spec));
    QVERIFY(view.showsEmptyState());
    QVERIFY(view.stateMessage().contains(QStringLiteral("no MLM head")));
    QString error;
    QVERIFY(!view.exportData(QDir::temp().filePath(QStringLiteral("never.csv")), &error));
}

void TestViews::mlmViewExports()
{
    auto a = makeSynthetic({});
    MlmView view;
    view.resize(1000, 800);
    view.show();
    view.setAnalysis(a);
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (auto tab : {MlmView::Tab::Guesses, MlmView::Tab::LogitLens, MlmView::Tab::MaskingLab}) {
        view.setCurrentTab(tab);
        checkImageFiles(view, QStringLiteral("mlm%1").arg(static_cast<int>(tab)));
    }
    QTemporaryDir tmp;
    QString error;
    QVERIFY(view.exportData(tmp.filePath(QStringLiteral("g.csv")), &error));
    QFile csv(tmp.filePath(QStringLiteral("g.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().trimmed().split('\n').size(), 1 + 5);
    QVERIFY(view.exportData(tmp.filePath(QStringLiteral("g.json")), &error));
    QFile js(tmp.filePath(QStringLiteral("g.json")));
    QVERIFY(js.open(QIODevice::ReadOnly));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(js.readAll(), &perr);
    QCOMPARE(perr.error, QJsonParseError::NoError);
    QCOMPARE(doc.object()[QStringLiteral("tables")].toArray().size(), 2);
}

namespace {

// A sentence pair of the tiny fixture model with several words split into "##" pieces.
AnalysisPtr labAnalysis()
{
    static const std::shared_ptr<const BertModel> model = loadModel(testing::dataPath("models/tiny"));
    auto an = std::make_shared<Analysis>();
    an->model = model;
    const std::string a = "the walking dogs jumped quickly over the sleeping cats in the garden .";
    const std::string b = "then she opened the windows and listened to the singing birds .";
    an->encoding = model->encode(a, &b);
    an->original = an->encoding;
    return an;
}

// Python's round(): halves go to the even neighbour (create_pretraining_data.py rounds this way).
int pythonRound(double x)
{
    const double lower = std::floor(x);
    const double frac = x - lower;
    if (frac > 0.5) return static_cast<int>(lower) + 1;
    if (frac < 0.5) return static_cast<int>(lower);
    return static_cast<int>(lower) % 2 == 0 ? static_cast<int>(lower) : static_cast<int>(lower) + 1;
}

} // namespace

// The lab runs Google's procedure: the share of the whole sequence, [CLS]/[SEP] counted but never
// chosen, the cap, 80/10/10, and whole words with whole-word masking.
void TestViews::maskingLabFollowsTheTrainingProcedure()
{
    const AnalysisPtr an = labAnalysis();
    const Vocab& vocab = an->model->vocab();
    const std::vector<int>& ids = an->original.ids;
    const int T = static_cast<int>(ids.size());
    QVERIFY(T > 25);
    MaskingLabPanel panel;
    panel.setAnalysis(an);
    int boundaries = 0;
    for (int id : ids) boundaries += id == vocab.clsId() || id == vocab.sepId();
    QCOMPARE(boundaries, 3);
    for (const MaskingOptions& o : {MaskingOptions{0.15, 20, false}, MaskingOptions{0.15, 2, false},
                                    MaskingOptions{0.3, 20, false}, MaskingOptions{0.15, 20, true}}) {
        const auto [prob, cap, wholeWord] = o;
        panel.setMaskingOptions(o);
        const int target = std::min(cap, std::max(1, pythonRound(T * prob)));
        for (int seed : {0, 1, 42, 1234}) {
            panel.setSeed(seed);
            const MaskedSequence& r = panel.result();
            const QString where = QStringLiteral("p=%1 cap=%2 wwm=%3 seed=%4").arg(prob).arg(cap).arg(int(wholeWord)).arg(seed);
            QCOMPARE(r.target, target);
            QCOMPARE(r.candidates, T - boundaries);
            int chosen = 0;
            for (int i = 0; i < T; ++i) {
                const MaskAction a = r.actions[size_t(i)];
                const int before = ids[size_t(i)], after = r.inputIds[size_t(i)];
                if (before == vocab.clsId() || before == vocab.sepId()) QCOMPARE(a, MaskAction::NotChosen);
                if (a == MaskAction::NotChosen || a == MaskAction::Kept) QCOMPARE(after, before);
                if (a == MaskAction::Masked) QCOMPARE(after, vocab.maskId());
                if (a == MaskAction::Random) QVERIFY(after >= 0 && after < vocab.size());
                chosen += a != MaskAction::NotChosen;
            }
            QCOMPARE(int(r.maskedPositions.size()), chosen);
            QCOMPARE(panel.table()->rowCount(), chosen);
            if (!wholeWord) {
                QVERIFY2(chosen == target, qPrintable(where));
                continue;
            }
            QVERIFY2(chosen >= 1 && chosen <= target, qPrintable(where));
            // A word is its first piece and the "##" pieces after it: all chosen or none.
            for (int i = 1; i < T; ++i)
                if (vocab.token(ids[size_t(i)]).rfind("##", 0) == 0)
                    QVERIFY2((r.actions[size_t(i)] == MaskAction::NotChosen) ==
                                 (r.actions[size_t(i - 1)] == MaskAction::NotChosen),
                             qPrintable(where));
        }
    }
    int pieces = 0;
    for (int id : ids) pieces += vocab.token(id).rfind("##", 0) == 0;
    QVERIFY(pieces >= 3);  // the whole-word check above is not vacuous
}

void TestViews::maskingLabSplitOverManySeeds()
{
    const AnalysisPtr an = labAnalysis();
    const Vocab& vocab = an->model->vocab();
    const std::vector<int>& ids = an->original.ids;
    MaskingLabPanel panel;
    panel.setAnalysis(an);
    const int seeds = 2000;
    int masked = 0, random = 0, kept = 0, total = 0, bracketed = 0;
    std::vector<int> perPosition(ids.size(), 0);
    for (int s = 0; s < seeds; ++s) {
        panel.setSeed(s);
        const MaskedSequence& r = panel.result();
        for (size_t i = 0; i < r.actions.size(); ++i) {
            masked += r.actions[i] == MaskAction::Masked;
            random += r.actions[i] == MaskAction::Random;
            kept += r.actions[i] == MaskAction::Kept;
            perPosition[i] += r.actions[i] != MaskAction::NotChosen;
            if (r.actions[i] == MaskAction::Random) bracketed += vocab.token(r.inputIds[i]).front() == '[';
        }
        total += r.target;
    }
    QCOMPARE(masked + random + kept, total);
    // About 10,000 draws: the binomial standard deviation of each share is under 0.4 percentage points.
    QVERIFY(std::abs(masked / double(total) - 0.8) < 0.02);
    QVERIFY(std::abs(random / double(total) - 0.1) < 0.015);
    QVERIFY(std::abs(kept / double(total) - 0.1) < 0.015);
    // Random tokens come from the whole vocabulary, [unusedN] included, as in training.
    QVERIFY(bracketed > 0);
    // Every candidate is chosen about target / candidates of the time; [CLS] and [SEP] never.
    const double rate = double(total) / seeds / double(panel.result().candidates);
    for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] == vocab.clsId() || ids[i] == vocab.sepId())
            QCOMPARE(perPosition[i], 0);
        else
            QVERIFY2(std::abs(perPosition[i] / double(seeds) - rate) < 0.04, qPrintable(QString::number(i)));
    }
}

// The done-when of the masking lab: what it shows for a seed is what the example builder writes
// for the same sequence and seed, position for position and token for token.
void TestViews::maskingLabAgreesWithExampleBuilder()
{
    const AnalysisPtr an = labAnalysis();
    const Vocab& vocab = an->model->vocab();
    MaskingLabPanel panel;
    panel.setAnalysis(an);
    int comparisons = 0, differentDraws = 0;
    std::vector<int> previous;
    for (const MaskingOptions& lab : {MaskingOptions{0.15, 20, false}, MaskingOptions{0.15, 20, true},
                                      MaskingOptions{0.15, 3, false}, MaskingOptions{0.4, 5, true}}) {
        // The builder takes make-examples' option names.
        ExampleOptions eo;
        eo.maskedLmProb = lab.maskedLmProb;
        eo.maxPredictionsPerSeq = lab.maxPredictions;
        eo.wholeWordMask = lab.wholeWordMask;
        const ExampleBuilder builder(vocab, eo);
        panel.setMaskingOptions(lab);
        for (int seed : {0, 7, 42, 12345, 999999}) {
            panel.setSeed(seed);
            PretrainingExample example;
            example.inputIds = an->original.ids;
            example.tokenTypeIds = an->original.typeIds;
            ExampleRng rng(static_cast<uint64_t>(seed));
            builder.maskTokens(example, rng);
            const MaskedSequence& r = panel.result();
            QVERIFY(!example.maskedPositions.empty());
            QCOMPARE(r.maskedPositions, example.maskedPositions);
            QCOMPARE(r.maskedIds, example.maskedIds);
            QCOMPARE(r.inputIds, example.inputIds);
            differentDraws += r.maskedPositions != previous;
            previous = r.maskedPositions;
            ++comparisons;
        }
    }
    QCOMPARE(comparisons, 20);
    QVERIFY(differentDraws > 10);  // the seeds really draw differently
}

void TestViews::maskingLabPanelShowsChoice()
{
    MaskingLabPanel panel;
    // A made-up analysis has no vocabulary to draw random tokens from: the lab says so.
    panel.setAnalysis(makeSynthetic({}));
    QVERIFY(panel.result().actions.empty());
    QVERIFY(panel.summary().contains(QStringLiteral("Open a model")));
    panel.setAnalysis(labAnalysis());
    panel.setSeed(5);
    QVERIFY(panel.table()->rowCount() > 0);
    QCOMPARE(panel.table()->rowCount(), int(panel.result().maskedPositions.size()));
    QVERIFY(panel.summary().contains(QStringLiteral("chosen")));
    panel.setAnalysis(nullptr);
    QCOMPARE(panel.table()->rowCount(), 0);
}

void TestViews::nspViewSpellsOutVerdict()
{
    auto a = makeSynthetic({});
    NspView view;
    view.resize(800, 500);
    view.show();
    view.setAnalysis(a);
    QVERIFY(view.showsResult());
    QCOMPARE(view.headline(), QStringLiteral("B follows A: 93%"));
    QCOMPARE(view.secondLine(), QStringLiteral("B is a random sentence: 7%"));
    QVERIFY(view.logitsText().contains(QStringLiteral("2.000")));
    QVERIFY(view.logitsText().contains(QStringLiteral("-0.586")));
    QVERIFY(std::abs(view.bar()->firstShare() - 0.93) < 1e-6);
    QSignalSpy spy(&view, &NspView::swapRequested);
    QTest::mouseClick(view.swapButton(), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
}

void TestViews::nspViewStates()
{
    NspView view;
    view.setAnalysis(nullptr);
    QVERIFY(!view.showsResult());
    SyntheticSpec single;
    single.wordsB = 0;
    view.setAnalysis(makeSynthetic(single));
    QVERIFY(!view.showsResult());
    QVERIFY(view.stateMessage().contains(QStringLiteral("no sentence B")));
    QVERIFY(!view.swapButton()->isEnabled());
    SyntheticSpec noHead;
    noHead.withNsp = false;
    view.setAnalysis(makeSynthetic(noHead));
    QVERIFY(!view.showsResult());
    QVERIFY(view.stateMessage().contains(QStringLiteral("no NSP head")));
}

void TestViews::nspViewExports()
{
    auto a = makeSynthetic({});
    NspView view;
    view.resize(800, 500);
    view.show();
    view.setAnalysis(a);
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    checkImageFiles(view, QStringLiteral("nsp"));
    QTemporaryDir tmp;
    QString error;
    QVERIFY(view.exportData(tmp.filePath(QStringLiteral("n.json")), &error));
    QFile js(tmp.filePath(QStringLiteral("n.json")));
    QVERIFY(js.open(QIODevice::ReadOnly));
    const QJsonObject table = QJsonDocument::fromJson(js.readAll()).object()[QStringLiteral("tables")].toArray()[0].toObject();
    QVERIFY(std::abs(table[QStringLiteral("values")].toArray()[0].toArray()[0].toDouble() - 0.93) < 1e-6);
    QVERIFY(view.exportData(tmp.filePath(QStringLiteral("n.csv")), &error));
}

// Writes what each view looks like to views-png/ in the working directory, for a person to look at.
void TestViews::renderGallery()
{
    const QString dir = outDir();
    auto save = [&](QWidget& w, const QString& name) {
        QCoreApplication::processEvents();
        QVERIFY(w.grab().save(dir + QLatin1Char('/') + name));
    };
    for (int tokens : {0, 128}) {
        SyntheticSpec spec;
        if (tokens == 128) {
            spec.wordsA = 80;
            spec.wordsB = 45;
            spec.layers = 12;
            spec.heads = 12;
        }
        auto a = makeSynthetic(spec);
        const QString suffix = tokens == 128 ? QStringLiteral("-128") : QString();
        AttentionView view;
        view.resize(1100, 850);
        view.show();
        QElapsedTimer timer;
        timer.start();
        view.setAnalysis(a);
        view.setLayerHead(spec.layers - 1, 1);
        qInfo("setAnalysis with %d tokens, %d×%d heads: %lld ms", a->encoding.size(), spec.layers, spec.heads,
              static_cast<long long>(timer.elapsed()));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const char* tabs[] = {"heatmap", "lines", "grid", "summary", "values"};
        for (int t = 0; t < 5; ++t) {
            view.setCurrentTab(static_cast<AttentionView::Tab>(t));
            save(view, QStringLiteral("attention-%1%2.png").arg(QLatin1String(tabs[t]), suffix));
        }
        view.setCurrentTab(AttentionView::Tab::Lines);
        view.lines()->setFocusedToken(2, -1);
        save(view, QStringLiteral("attention-lines-hover%1.png").arg(suffix));
        view.lines()->setFocusedToken(-1, -1);
        view.setCurrentTab(AttentionView::Tab::Heatmap);
        view.setMode(AttentionView::Mode::MeanOverHeads);
        save(view, QStringLiteral("attention-mean%1.png").arg(suffix));
        timer.restart();
        view.setMode(AttentionView::Mode::Rollout);
        qInfo("rollout: %lld ms", static_cast<long long>(timer.elapsed()));
        save(view, QStringLiteral("attention-rollout%1.png").arg(suffix));
        view.setMode(AttentionView::Mode::Head);
        view.setFilter(SegmentFilter::AToB);
        save(view, QStringLiteral("attention-atob%1.png").arg(suffix));
        view.setFilter(SegmentFilter::Within);
        save(view, QStringLiteral("attention-within%1.png").arg(suffix));
        view.setFilter(SegmentFilter::All);
        view.setPresentationMode(true);
        save(view, QStringLiteral("attention-presentation%1.png").arg(suffix));
        QString error;
        QVERIFY(view.exportImage(dir + QStringLiteral("/export-heatmap%1.png").arg(suffix), 150, &error));
        view.setAnalysis(nullptr);
        save(view, QStringLiteral("attention-empty.png"));
    }
    {
        auto a = makeSynthetic({});
        MlmView view;
        view.resize(1000, 750);
        view.show();
        view.setAnalysis(a);
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const char* tabs[] = {"guesses", "lens", "lab"};
        for (int t = 0; t < 3; ++t) {
            view.setCurrentTab(static_cast<MlmView::Tab>(t));
            save(view, QStringLiteral("mlm-%1.png").arg(QLatin1String(tabs[t])));
        }
        view.setPresentationMode(true);
        view.setCurrentTab(MlmView::Tab::Guesses);
        save(view, QStringLiteral("mlm-guesses-presentation.png"));
        SyntheticSpec noMlm;
        noMlm.withMlm = false;
        view.setAnalysis(makeSynthetic(noMlm));
        save(view, QStringLiteral("mlm-nohead.png"));
    }
    {
        // The real tiny model: these pictures show engine numbers, not synthetic ones.
        auto an = analyseReal("models/tiny");
        AttentionView attention;
        attention.resize(1000, 800);
        attention.show();
        attention.setAnalysis(an);
        attention.setLayerHead(1, 0);
        QVERIFY(QTest::qWaitForWindowExposed(&attention));
        save(attention, QStringLiteral("real-attention-heatmap.png"));
        attention.setCurrentTab(AttentionView::Tab::AllHeads);
        save(attention, QStringLiteral("real-attention-grid.png"));
        attention.setCurrentTab(AttentionView::Tab::Lines);
        save(attention, QStringLiteral("real-attention-lines.png"));
        MlmView mlm;
        mlm.resize(1000, 750);
        mlm.show();
        mlm.setAnalysis(an);
        QVERIFY(QTest::qWaitForWindowExposed(&mlm));
        save(mlm, QStringLiteral("real-mlm-guesses.png"));
        mlm.setCurrentTab(MlmView::Tab::LogitLens);
        save(mlm, QStringLiteral("real-mlm-lens.png"));
        mlm.setCurrentTab(MlmView::Tab::MaskingLab);
        save(mlm, QStringLiteral("real-mlm-lab.png"));
        NspView nsp;
        nsp.resize(900, 450);
        nsp.show();
        nsp.setAnalysis(an);
        QVERIFY(QTest::qWaitForWindowExposed(&nsp));
        save(nsp, QStringLiteral("real-nsp.png"));
    }
    {
        NspView view;
        view.resize(900, 450);
        view.show();
        view.setAnalysis(makeSynthetic({}));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        save(view, QStringLiteral("nsp.png"));
        view.setPresentationMode(true);
        save(view, QStringLiteral("nsp-presentation.png"));
        view.setPresentationMode(false);
        SyntheticSpec single;
        single.wordsB = 0;
        view.setAnalysis(makeSynthetic(single));
        save(view, QStringLiteral("nsp-noB.png"));
        SyntheticSpec noHead;
        noHead.withNsp = false;
        view.setAnalysis(makeSynthetic(noHead));
        save(view, QStringLiteral("nsp-nohead.png"));
    }
}

QTEST_MAIN(TestViews)
#include "test_views.moc"
