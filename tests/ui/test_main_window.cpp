// Qt Test of the explorer window on the tiny model: input, masking by click, shortcuts, export, sessions, fonts.
#include "ablation_banner.h"
#include "ablation_controller.h"
#include "analysis_view.h"
#include "analysis_worker.h"
#include "bf16_linear.h"
#include "cancelled.h"
#include "colormaps.h"
#include "input_panel.h"
#include "main_window.h"
#include "model_card.h"
#include "plot/token_paths_plottable.h"
#include "session.h"
#include "session_controller.h"
#include "token_strip.h"
#include "view_exporter.h"
#include "view_file_name.h"
#include "views/embedding_figure.h"
#include "views/attention_view.h"
#include "views/embeddings_view.h"
#include "views/heads_grid.h"
#include "views/mlm_view.h"
#include "views/nsp_view.h"

#include <QFile>
#include <QFontDatabase>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <qcustomplot.h>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

using bertlab::ui::AnalysisView;
using bertlab::ui::MainWindow;

namespace {

QString tinyModel()
{
    return QStringLiteral(BERTLAB_TEST_DATA "/models/tiny");
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

int lineCount(const QByteArray& text)
{
    QList<QByteArray> lines = text.split('\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return static_cast<int>(lines.size());
}

bool isWellFormedXml(const QByteArray& bytes)
{
    QXmlStreamReader xml(bytes);
    bool sawSvg = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
            sawSvg = true;
    }
    return !xml.hasError() && sawSvg;
}

// Draws text in black on white and returns the image.
QImage renderText(const QString& text, const QFont& font)
{
    QImage image(320, 60, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setFont(font);
    p.setPen(Qt::black);
    p.drawText(image.rect(), Qt::AlignCenter, text);
    return image;
}

int inkPixels(const QImage& image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qGray(image.pixel(x, y)) < 128)
                ++n;
    return n;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void emptyStateBeforeAModel();
    void unreadableModelGivesAnError();
    void opensTheTinyModel();
    void modelCardShowsTheMemoryReason();
    void typingAPairAnalysesIt();
    void embeddingsViewFollowsTheInput();
    void newerRequestsCancelOlderOnes();
    void guessesFollowWhenNotOnScreen();
    void previewThenExact();
    void clickingATokenMasksIt();
    void shortcutsStepLayersAndHeads();
    void exportsEveryFormat();
    void sessionRoundTrip();
    void clickingAHeadSwitchesItOff();
    void ablationSessionsAndExports();
    void fontsRenderGlyphs();
    void positionMapFollowsTheModel();

private:
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(dir_.isValid());
    // Keep the user's real settings (recent models, window state) out of the tests.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_main_window"));
    window_ = std::make_unique<MainWindow>();
    window_->setInteractive(false);
    window_->resize(1300, 850);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestMainWindow::cleanupTestCase()
{
    window_.reset();
}

void TestMainWindow::emptyStateBeforeAModel()
{
    QVERIFY(window_->showsEmptyState());
    QVERIFY(window_->findChild<QWidget*>(QStringLiteral("emptyOpenButton")) != nullptr);
    QVERIFY(!window_->model());
    QCOMPARE(window_->viewSync()->views().size(), 6);
}

void TestMainWindow::unreadableModelGivesAnError()
{
    QString error;
    QVERIFY(!window_->openModelAndWait(dir_.filePath(QStringLiteral("no-such-model")), 60000, &error));
    QVERIFY2(!error.isEmpty(), "an unreadable model must give a message");
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(window_->showsEmptyState());
}

void TestMainWindow::opensTheTinyModel()
{
    QString error;
    QVERIFY2(window_->openModelAndWait(tinyModel(), 120000, &error), qPrintable(error));
    QVERIFY(!window_->showsEmptyState());
    const auto model = window_->model();
    QVERIFY(model);
    QCOMPARE(window_->layerSpin()->maximum(), model->config().numHiddenLayers);
    QCOMPARE(window_->headSpin()->maximum(), model->config().numAttentionHeads);
    QVERIFY(window_->modelCard()->text().contains(QString::number(model->config().hiddenSize)));
    // The window fills in an example so that a first-time user sees something.
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->currentAnalysis());

    // A model this small is fast in float32: the engine makes no bfloat16 copies, the window runs
    // no preview, and the card gives the engine's reason.
    QVERIFY(model->info().weightBytes < bertlab::kPreviewMinimumWeightBytes);
    QVERIFY(!model->hasBfloat16());
    QVERIFY(!window_->previewAvailable());
    QVERIFY(!window_->currentAnalysis()->preview);
    const bertlab::MemoryChoice& preview = window_->models()->memory().preview;
    QVERIFY(!preview.on);
    const bool native = bertlab::nativeBfloat16Available();
    const QString reason = QString::fromStdString(preview.reason);
    QVERIFY2(native ? reason.startsWith(QStringLiteral("not needed")) && reason.contains(QStringLiteral("200 MiB"))
                    : reason.contains(QStringLiteral("no native bfloat16")),
             qPrintable(reason));
    QVERIFY2(window_->modelCard()->text().contains(QStringLiteral("Fast preview")) &&
                 window_->modelCard()->text().contains(reason),
             qPrintable(window_->modelCard()->text()));

    // The tests below exercise the preview on this small model: reopened with no minimum size, it
    // gets the copies wherever the CPU has native bfloat16.
    window_->models()->options().previewMinimumWeightBytes = 0;
    QVERIFY2(window_->openModelAndWait(tinyModel(), 120000, &error), qPrintable(error));
    QCOMPARE(window_->model()->hasBfloat16(), native);
    QCOMPARE(window_->previewAvailable(), native);
    QCOMPARE(window_->models()->memory().preview.on, native);
    if (native)
        QVERIFY(window_->modelCard()->text().contains(QStringLiteral("on: bfloat16 copies")));
}

void TestMainWindow::modelCardShowsTheMemoryReason()
{
    // Whatever the engine decided, the card shows its words, and nothing when it gave none.
    bertlab::ui::ModelCard card;
    bertlab::MemoryDecision decision;
    decision.preview = {false, "off: 300 MiB of free memory, under four times the 210 MiB of bfloat16 copies"};
    card.setModel(window_->model(), decision);
    QVERIFY2(card.text().contains(QStringLiteral("Fast preview")) &&
                 card.text().contains(QString::fromStdString(decision.preview.reason)),
             qPrintable(card.text()));
    card.setModel(window_->model(), {});
    QVERIFY(!card.text().contains(QStringLiteral("Fast preview")));
    QVERIFY(card.text().contains(QString::number(window_->model()->config().hiddenSize)));
    card.setModel(nullptr);
    QVERIFY(card.text().contains(QStringLiteral("No model loaded")));
}

void TestMainWindow::typingAPairAnalysesIt()
{
    bertlab::ui::InputPanel* input = window_->inputPanel();
    input->editA()->clear();
    input->editB()->clear();
    QTest::keyClicks(input->editA(), QStringLiteral("the cat sat on the mat ."));
    QTest::keyClicks(input->editB(), QStringLiteral("it was happy ."));
    QVERIFY(input->isPending());  // debounced, not run per keystroke
    QVERIFY(window_->waitForIdle(60000));
    const auto analysis = window_->currentAnalysis();
    QVERIFY(analysis);
    QCOMPARE(analysis->request.textA, QStringLiteral("the cat sat on the mat ."));
    QCOMPARE(analysis->request.textB, QStringLiteral("it was happy ."));
    // What the views got is exactly the engine's encoding of the pair.
    const std::string a = "the cat sat on the mat .", b = "it was happy .";
    const bertlab::Encoding expected = window_->model()->encode(a, &b);
    QCOMPARE(analysis->original.ids, expected.ids);
    QCOMPARE(analysis->encoding.ids, expected.ids);
    QCOMPARE(static_cast<int>(analysis->trace.hiddenStates.size()), window_->model()->config().numHiddenLayers + 1);
    QCOMPARE(static_cast<int>(input->tokenStrip()->chips().size()), expected.size());
    QVERIFY(!input->warningLabel()->isVisible());
    // The busy indicator goes away once the result is shown, and the elapsed time is reported.
    QVERIFY(!window_->findChild<QWidget*>(QStringLiteral("busyIndicator"))->isVisible());
    QVERIFY(window_->findChild<QLabel*>(QStringLiteral("elapsedLabel"))->text().contains(QStringLiteral("ms")));
    // The chip for "cat" (position 2) points back at its characters in sentence A; "it" at sentence B.
    const auto& chips = input->tokenStrip()->chips();
    QVERIFY2(chips[2].toolTip.contains(QString::fromStdString(analysis->original.tokens[2]).remove(QStringLiteral("##"))),
             qPrintable(chips[2].toolTip));
    QVERIFY(chips[2].toolTip.contains(QStringLiteral("sentence A")));
    const int firstB = static_cast<int>(std::find(expected.segment.begin(), expected.segment.end(), 1) - expected.segment.begin());
    QVERIFY(chips[static_cast<size_t>(firstB)].toolTip.contains(QStringLiteral("sentence B")));
    QCOMPARE(chips[0].segment, -1);
    // Hovering an embedding strip explains it, with the value of the dimension under the cursor.
    auto* embeddings = qobject_cast<bertlab::ui::EmbeddingsView*>(window_->viewSync()->viewByTitle(QStringLiteral("Embeddings")));
    QVERIFY(embeddings);
    window_->tabs()->setCurrentIndex(0);
    QCoreApplication::processEvents();
    const QRect box = embeddings->figure()->boxRect(bertlab::ui::EmbeddingFigure::PositionRow, 3);
    QVERIFY(box.isValid());
    const QString tip = embeddings->figure()->describeAt(box.center() + QPoint(0, box.height() / 4));
    QVERIFY2(tip.contains(QStringLiteral("Position embeddings")) && tip.contains(QStringLiteral("dimension")),
             qPrintable(tip));
}

void TestMainWindow::embeddingsViewFollowsTheInput()
{
    using bertlab::ui::EmbeddingsView;
    auto* view = qobject_cast<EmbeddingsView*>(window_->viewSync()->viewByTitle(QStringLiteral("Embeddings")));
    QVERIFY(view);
    window_->tabs()->setCurrentIndex(static_cast<int>(window_->viewSync()->views().indexOf(view)));
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QStringLiteral("it was happy ."));
    QVERIFY(window_->waitForIdle(60000));
    QCoreApplication::processEvents();
    auto analysis = window_->currentAnalysis();
    QVERIFY(analysis);
    const int tokens = analysis->encoding.size();

    // One point per token in the PCA; clicking one selects that token everywhere in the view.
    bertlab::ui::TokenPathsPlottable* paths = view->pcaPaths();
    QCOMPARE(paths->tokenCount(), tokens);
    view->pcaPlot()->replot();
    const int target = 3;
    const QPointF at = paths->chosenPixel(target);
    QVERIFY(!at.isNull());
    QCOMPARE(paths->tokenAt(at), target);
    QTest::mouseClick(view->pcaPlot(), Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(view->figure()->selectedToken(), target);
    QCOMPARE(paths->selectedToken(), target);
    const QString word = QString::fromStdString(analysis->encoding.tokens[static_cast<size_t>(target)]);
    QVERIFY(view->findChild<QLabel*>()->parentWidget());  // the neighbour title lives in the view
    bool titled = false;
    for (QLabel* label : view->findChildren<QLabel*>())
        titled = titled || (label->text().contains(QStringLiteral("<b>%1</b>").arg(word)) &&
                            label->text().contains(QStringLiteral("position %1").arg(target)));
    QVERIFY2(titled, "the neighbour list names the clicked token");

    // The dashed square on the position plot follows the input's length without a rebuild.
    QCustomPlot* positions = view->positionPlot();
    QCOMPARE(positions->itemCount(), 1);
    auto* square = qobject_cast<QCPItemRect*>(positions->item(0));
    QVERIFY(square);
    QCOMPARE(square->bottomRight->coords().x(), tokens - 0.5);
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    analysis = window_->currentAnalysis();
    QVERIFY(analysis->encoding.size() < tokens);
    QCOMPARE(positions->item(0), square);
    QCOMPARE(square->bottomRight->coords().x(), analysis->encoding.size() - 0.5);
    QCOMPARE(paths->tokenCount(), analysis->encoding.size());

    // The strips colour each cell from a table sampled off the same map the legend uses.
    const auto& map = bertlab::ui::ColorMap::diverging();
    const bertlab::ui::ColorTable table(map, 5);
    QCOMPARE(table.levels(), 5);
    QCOMPARE(table.at(0.f), map.at(0.0).rgb());
    QCOMPARE(table.at(0.5f), map.at(0.5).rgb());
    QCOMPARE(table.at(0.55f), map.at(0.5).rgb());  // nearest sample
    QCOMPARE(table.at(1.f), map.at(1.0).rgb());
    QCOMPARE(table.at(7.f), map.at(1.0).rgb());     // clamped
    QCOMPARE(table.at(std::nanf("")), map.at(std::nan("")).rgb());

    // A palette change restyles the plots that are built once per model.
    const bool wasDark = window_->darkMode();
    window_->setDarkMode(!wasDark);
    QCoreApplication::processEvents();
    QCOMPARE(positions->xAxis->tickLabelColor(), view->palette().color(QPalette::Text));
    QCOMPARE(positions->item(0)->layer()->name(), QStringLiteral("overlay"));
    window_->setDarkMode(wasDark);
    QCoreApplication::processEvents();
    QCOMPARE(positions->xAxis->tickLabelColor(), view->palette().color(QPalette::Text));
}

void TestMainWindow::newerRequestsCancelOlderOnes()
{
    // The worker's contract: while the user types, only the newest text is shown, and a request
    // dropped mid-run never surfaces as an error.
    const auto model = window_->model();
    QVERIFY(model);
    bertlab::ui::AnalysisWorker worker;
    QSignalSpy ready(&worker, &bertlab::ui::AnalysisWorker::analysisReady);
    QSignalSpy failed(&worker, &bertlab::ui::AnalysisWorker::analysisFailed);
    QString text;
    for (quint64 serial = 1; serial <= 40; ++serial) {
        text += QStringLiteral(" word%1").arg(serial);
        bertlab::ui::AnalysisRequest request;
        request.textA = text;
        request.serial = serial;
        worker.submit(model, request);
    }
    QVERIFY(worker.waitForIdle(60000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(ready.count() >= 1);
    const auto last = ready.last().at(0).value<bertlab::ui::AnalysisPtr>();
    QCOMPARE(last->request.serial, quint64(40));
    QCOMPARE(last->request.textA, text);

    // The same with the guesses deferred (another tab on screen): however the submissions and
    // the two halves interleave, the worker ends idle with the newest text complete.
    if (model->hasMlm()) {
        ready.clear();
        QString masked = QStringLiteral("the [MASK] went");
        for (quint64 serial = 41; serial <= 80; ++serial) {
            masked += QStringLiteral(" on");
            bertlab::ui::AnalysisRequest request;
            request.textA = masked;
            request.serial = serial;
            request.deferMlm = true;
            worker.submit(model, request);
            if (serial % 10 == 0)
                QTest::qWait(1);  // let some halves through, so completions meet newer requests
        }
        QVERIFY(worker.waitForIdle(60000));
        QVERIFY(!worker.isBusy());
        QCOMPARE(failed.count(), 0);
        const auto newest = ready.last().at(0).value<bertlab::ui::AnalysisPtr>();
        QCOMPARE(newest->request.serial, quint64(80));
        QVERIFY(!newest->mlmPending);
        QCOMPARE(newest->trace.mlm.size(), size_t(1));
        // Results arrive in order, halves without guesses and wholes with them, never a stale one.
        quint64 previous = 0;
        for (const QList<QVariant>& args : ready) {
            const auto a = args.at(0).value<bertlab::ui::AnalysisPtr>();
            QVERIFY(a->request.serial >= previous);
            previous = a->request.serial;
            QCOMPARE(a->trace.mlm.size(), size_t(a->mlmPending ? 0 : 1));
        }
    }

    // A stop that arrives before or during the run ends it with Cancelled, not with a result.
    std::stop_source stop;
    stop.request_stop();
    bertlab::ui::AnalysisRequest request;
    request.textA = QStringLiteral("the cat sat on the mat .");
    QVERIFY_THROWS_EXCEPTION(bertlab::Cancelled, bertlab::ui::AnalysisWorker::run(model, request, stop.get_token()));
}

void TestMainWindow::guessesFollowWhenNotOnScreen()
{
    const auto model = window_->model();
    QVERIFY(model);
    if (!model->hasMlm())
        QSKIP("the tiny model has no MLM head");
    const QString text = QStringLiteral("the man went to the [MASK] .");
    // Two float32 deliveries, not a preview first (previewThenExact covers that).
    window_->setFastPreview(false);
    // The expected guesses, straight from the engine.
    const bertlab::ui::Analysis direct = bertlab::ui::AnalysisWorker::run(model, [&] {
        bertlab::ui::AnalysisRequest r;
        r.textA = text;
        return r;
    }());
    QVERIFY(!direct.mlmPending);
    QCOMPARE(direct.trace.mlm.size(), size_t(1));

    // With the Embeddings tab on screen the window shows the rest first, then adds the guesses.
    window_->tabs()->setCurrentIndex(
        static_cast<int>(window_->viewSync()->views().indexOf(window_->viewSync()->viewByTitle(QStringLiteral("Embeddings")))));
    QSignalSpy shown(window_.get(), &MainWindow::analysisShown);
    window_->inputPanel()->setTexts(text, QString());
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(shown.count(), 2);
    const auto first = shown.at(0).at(0).value<bertlab::ui::AnalysisPtr>();
    const auto second = shown.at(1).at(0).value<bertlab::ui::AnalysisPtr>();
    QVERIFY(first->mlmPending);
    QVERIFY(first->trace.mlm.empty());
    QVERIFY(!second->mlmPending);
    QCOMPARE(second->request.serial, first->request.serial);
    QVERIFY(second->trace.hiddenStates.back() == first->trace.hiddenStates.back());
    QCOMPARE(second->trace.mlm.size(), size_t(1));
    QCOMPARE(second->trace.mlm[0].position, direct.trace.mlm[0].position);
    for (size_t k = 0; k < direct.trace.mlm[0].candidates.size(); ++k) {
        QCOMPARE(second->trace.mlm[0].candidates[k].id, direct.trace.mlm[0].candidates[k].id);
        QVERIFY(std::abs(second->trace.mlm[0].candidates[k].prob - direct.trace.mlm[0].candidates[k].prob) < 1e-6f);
    }
    QCOMPARE(second->trace.logitLens.size(), direct.trace.logitLens.size());
    QCOMPARE(window_->currentAnalysis(), second);

    // The masked-words tab, opened now, gets the complete analysis.
    auto* mlm = window_->viewSync()->viewByTitle(QStringLiteral("Masked words"));
    QVERIFY(mlm && mlm->showsMaskedGuesses());
    window_->tabs()->setCurrentIndex(static_cast<int>(window_->viewSync()->views().indexOf(mlm)));
    QCOMPARE(window_->viewSync()->currentView(), mlm);
    QString error;
    const QString csv = dir_.filePath(QStringLiteral("guesses.csv"));
    QVERIFY2(mlm->exportData(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString guess = QString::fromStdString(direct.trace.mlm[0].candidates[0].token);
    QVERIFY2(QString::fromUtf8(file.readAll()).contains(guess), qPrintable(guess));

    // With it on screen, one complete delivery.
    shown.clear();
    window_->inputPanel()->setTexts(QStringLiteral("the woman went to the [MASK] ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(shown.count(), 1);
    QVERIFY(!shown.at(0).at(0).value<bertlab::ui::AnalysisPtr>()->mlmPending);
    QCOMPARE(shown.at(0).at(0).value<bertlab::ui::AnalysisPtr>()->trace.mlm.size(), size_t(1));

    // Back to the pair and the first tab, as the tests after this one expect.
    window_->setFastPreview(true);
    window_->tabs()->setCurrentIndex(0);
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QStringLiteral("it was happy ."));
    QVERIFY(window_->waitForIdle(60000));
}

void TestMainWindow::previewThenExact()
{
    const auto model = window_->model();
    QVERIFY(model);
    if (!window_->previewAvailable())
        QSKIP("this CPU has no native bfloat16, so the explorer shows float32 only");
    QVERIFY(model->hasBfloat16());
    QVERIFY(window_->fastPreview());
    const QString a = QStringLiteral("the man went to the [MASK] .");
    const QString b = QStringLiteral("he bought a gallon of milk .");
    bertlab::ui::AnalysisRequest plain;
    plain.textA = a;
    plain.textB = b;
    const bertlab::ui::Analysis exact = bertlab::ui::AnalysisWorker::run(model, plain);
    QVERIFY(!exact.preview);

    // Every tab: the bfloat16 analysis first, then the float32 one for the same request.
    for (int tab = 0; tab < window_->tabs()->count(); ++tab) {
        window_->tabs()->setCurrentIndex(tab);
        QSignalSpy shown(window_.get(), &MainWindow::analysisShown);
        window_->inputPanel()->setTexts(a, b + QStringLiteral(" ").repeated(tab));  // a new request each time
        QVERIFY(window_->waitForIdle(60000));
        QCOMPARE(shown.count(), 2);
        const auto first = shown.at(0).at(0).value<bertlab::ui::AnalysisPtr>();
        const auto second = shown.at(1).at(0).value<bertlab::ui::AnalysisPtr>();
        QVERIFY(first->preview);
        QVERIFY(!second->preview && !second->mlmPending);
        QCOMPARE(second->request.serial, first->request.serial);
        QCOMPARE(window_->currentAnalysis(), second);

        // The float32 delivery is the plain engine result, bit for bit; the preview is close to
        // it (bfloat16 keeps 8 bits of mantissa) but not the same numbers.
        QCOMPARE(second->encoding.ids, exact.encoding.ids);
        QVERIFY(second->trace.hiddenStates.back() == exact.trace.hiddenStates.back());
        const bertlab::Matrix& h = exact.trace.hiddenStates.back();
        const double relative = (first->trace.hiddenStates.back() - h).norm() / h.norm();
        QVERIFY2(relative > 0.0 && relative < 0.03, qPrintable(QString::number(relative)));
        QVERIFY(std::abs(first->trace.nsp->isNext - exact.trace.nsp->isNext) < 0.02f);
        // The guesses come with the preview only where they are on screen.
        const bool guesses = window_->viewSync()->currentView()->showsMaskedGuesses();
        QCOMPARE(first->mlmPending, !guesses);
        QCOMPARE(first->trace.mlm.size(), guesses ? exact.trace.mlm.size() : size_t(0));
        QCOMPARE(second->trace.mlm.size(), exact.trace.mlm.size());
        QCOMPARE(second->trace.mlm[0].candidates[0].id, exact.trace.mlm[0].candidates[0].id);
        if (guesses)
            QCOMPARE(first->trace.logitLens.size(), exact.trace.logitLens.size());
        for (size_t l = 0; l < exact.trace.attentions.size(); ++l)
            for (size_t k = 0; k < exact.trace.attentions[l].size(); ++k)
                QVERIFY((first->trace.attentions[l][k] - exact.trace.attentions[l][k]).cwiseAbs().maxCoeff() < 0.02f);
    }
    auto* elapsed = window_->findChild<QLabel*>(QStringLiteral("elapsedLabel"));
    QVERIFY(elapsed);
    QVERIFY2(!elapsed->text().contains(QStringLiteral("preview")), qPrintable(elapsed->text()));

    // An export asked for while the preview is on screen waits for, and writes, the exact values.
    window_->tabs()->setCurrentIndex(
        static_cast<int>(window_->viewSync()->views().indexOf(window_->viewSync()->viewByTitle(QStringLiteral("Next sentence")))));
    QSignalSpy shown(window_.get(), &MainWindow::analysisShown);
    window_->inputPanel()->setTexts(b, a);
    QVERIFY(QTest::qWaitFor([&] { return shown.count() >= 1; }, 60000));
    const auto preview = shown.at(0).at(0).value<bertlab::ui::AnalysisPtr>();
    QVERIFY(preview->preview);
    QVERIFY(elapsed->text().contains(QStringLiteral("preview")));
    QString error;
    const QString json = dir_.filePath(QStringLiteral("nsp-exact.json"));
    QVERIFY2(window_->exporter()->exportCurrentData(json, &error), qPrintable(error));
    QVERIFY(!window_->currentAnalysis()->preview);
    plain.textA = b;
    plain.textB = a;
    const float isNext = bertlab::ui::AnalysisWorker::run(model, plain).trace.nsp->isNext;
    QCOMPARE(window_->currentAnalysis()->trace.nsp->isNext, isNext);
    QVERIFY(preview->trace.nsp->isNext != isNext);  // else the file could not tell them apart
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const std::function<bool(const QJsonValue&, double)> holds = [&holds](const QJsonValue& v, double x) {
        if (v.isDouble())
            return v.toDouble() == x;
        if (v.isArray()) {
            for (const QJsonValue& e : v.toArray())
                if (holds(e, x))
                    return true;
        }
        if (v.isObject()) {
            for (const QJsonValue& e : v.toObject())
                if (holds(e, x))
                    return true;
        }
        return false;
    };
    const QJsonValue exported = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY2(holds(exported, isNext), "the exported IsNext is the float32 one");
    QVERIFY(!holds(exported, preview->trace.nsp->isNext));

    // Switched off, typing gets float32 only.
    window_->setFastPreview(false);
    shown.clear();
    window_->inputPanel()->setTexts(a, b);
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(shown.count() >= 1);
    for (const QList<QVariant>& args : shown)
        QVERIFY(!args.at(0).value<bertlab::ui::AnalysisPtr>()->preview);
    window_->setFastPreview(true);
    window_->tabs()->setCurrentIndex(0);
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QStringLiteral("it was happy ."));
    QVERIFY(window_->waitForIdle(60000));
}

void TestMainWindow::clickingATokenMasksIt()
{
    bertlab::ui::TokenStrip* strip = window_->inputPanel()->tokenStrip();
    const int position = 2;  // "cat"
    const QRect chip = strip->chipRect(position);
    QVERIFY(chip.isValid());
    QTest::mouseClick(strip, Qt::LeftButton, {}, chip.center());
    QVERIFY(window_->waitForIdle(60000));
    auto analysis = window_->currentAnalysis();
    QVERIFY(analysis);
    const int maskId = window_->model()->vocab().maskId();
    QCOMPARE(analysis->encoding.ids[position], maskId);
    QCOMPARE(QString::fromStdString(analysis->encoding.tokens[position]), QStringLiteral("[MASK]"));
    QVERIFY(analysis->original.ids[position] != maskId);
    QVERIFY(strip->chips()[position].masked);
    if (window_->model()->hasMlm()) {
        QCOMPARE(static_cast<int>(analysis->trace.mlm.size()), 1);
        QCOMPARE(analysis->trace.mlm[0].position, position);
    }
    // Clicking again restores the token; clicking [CLS] does nothing.
    QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(position).center());
    QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(0).center());
    QVERIFY(window_->waitForIdle(60000));
    analysis = window_->currentAnalysis();
    QCOMPARE(analysis->encoding.ids, analysis->original.ids);
    QVERIFY(window_->inputPanel()->masks().empty());
    // Typed [MASK] is a mask too.
    window_->inputPanel()->setTexts(QStringLiteral("the man went to the [MASK] ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    analysis = window_->currentAnalysis();
    const auto typed = std::find(analysis->original.tokens.begin(), analysis->original.tokens.end(), "[MASK]");
    QVERIFY(typed != analysis->original.tokens.end());  // kept whole by the tokenizer
    QCOMPARE(analysis->encoding.ids[static_cast<size_t>(typed - analysis->original.tokens.begin())], maskId);
    if (window_->model()->hasMlm())
        QCOMPARE(static_cast<int>(analysis->trace.mlm.size()), 1);
    // Mask once more by click for the following tests.
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QStringLiteral("it was happy ."));
    QVERIFY(window_->waitForIdle(60000));
    QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(position).center());
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(window_->currentAnalysis()->encoding.ids[position], maskId);
}

void TestMainWindow::shortcutsStepLayersAndHeads()
{
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    window_->tabs()->setFocus();
    window_->viewSync()->setLayerHead(0, 0);
    const int layers = window_->model()->config().numHiddenLayers;
    const int heads = window_->model()->config().numAttentionHeads;
    QTest::keyClick(window_->tabs(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(window_->viewSync()->layer(), 1);
    QCOMPARE(window_->layerSpin()->value(), 2);
    QTest::keyClick(window_->tabs(), Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(window_->viewSync()->head(), 1);
    QTest::keyClick(window_->tabs(), Qt::Key_Period);
    QCOMPARE(window_->viewSync()->head(), std::min(2, heads - 1));
    QTest::keyClick(window_->tabs(), Qt::Key_Comma);
    QCOMPARE(window_->viewSync()->head(), 1);
    QTest::keyClick(window_->tabs(), Qt::Key_Left, Qt::ControlModifier);
    QCOMPARE(window_->viewSync()->head(), 0);
    QTest::keyClick(window_->tabs(), Qt::Key_Left, Qt::ControlModifier);
    QCOMPARE(window_->viewSync()->head(), 0);  // clamped at the first head
    for (int i = 0; i < layers + 2; ++i)
        QTest::keyClick(window_->tabs(), Qt::Key_BracketRight);
    QCOMPARE(window_->viewSync()->layer(), layers - 1);  // clamped at the last layer
    QTest::keyClick(window_->tabs(), Qt::Key_BracketLeft);
    QCOMPARE(window_->viewSync()->layer(), layers - 2);
    QTest::keyClick(window_->tabs(), Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(window_->viewSync()->layer(), std::max(0, layers - 3));
    // Typing brackets in a sentence types them; it doesn't change the layer.
    window_->viewSync()->setLayerHead(1, 1);
    QLineEdit* edit = window_->inputPanel()->editB();
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_BracketLeft);
    QCOMPARE(window_->viewSync()->layer(), 1);
    QVERIFY(edit->text().endsWith(QLatin1Char('[')));
    QTest::keyClick(edit, Qt::Key_Backspace);
    QVERIFY(window_->waitForIdle(60000));
}

void TestMainWindow::exportsEveryFormat()
{
    const auto analysis = window_->currentAnalysis();
    QVERIFY(analysis);
    QVERIFY2(!analysis->request.textB.isEmpty(), qPrintable(analysis->request.textA));
    QVERIFY(analysis->trace.nsp.has_value());
    const int tokens = analysis->encoding.size();
    const int hidden = window_->model()->config().hiddenSize;
    const int states = window_->model()->config().numHiddenLayers + 1;
    for (int i = 0; i < window_->tabs()->count(); ++i) {
        window_->tabs()->setCurrentIndex(i);
        QCoreApplication::processEvents();
        AnalysisView* view = window_->viewSync()->currentView();
        QVERIFY(view);
        const QString stem = dir_.filePath(bertlab::ui::fileNameForView(view->title()));
        QString error;

        QVERIFY2(window_->exporter()->exportCurrentImage(stem + QStringLiteral(".png"), 192, &error), qPrintable(error));
        const QImage png(stem + QStringLiteral(".png"));
        QVERIFY2(!png.isNull(), qPrintable(view->title()));
        QVERIFY(png.width() > 50 && png.height() > 50);
        QVERIFY2(window_->exporter()->exportCurrentImage(stem + QStringLiteral(".pdf"), 192, &error), qPrintable(error));
        QVERIFY(readAll(stem + QStringLiteral(".pdf")).startsWith("%PDF"));
        QVERIFY2(window_->exporter()->exportCurrentImage(stem + QStringLiteral(".svg"), 192, &error), qPrintable(error));
        QVERIFY2(isWellFormedXml(readAll(stem + QStringLiteral(".svg"))), qPrintable(view->title()));
        QVERIFY2(window_->exporter()->exportCurrentData(stem + QStringLiteral(".json"), &error), qPrintable(error));
        QJsonParseError parseError;
        const QJsonDocument json = QJsonDocument::fromJson(readAll(stem + QStringLiteral(".json")), &parseError);
        QVERIFY2(!json.isNull(), qPrintable(parseError.errorString()));
        QVERIFY2(window_->exporter()->exportCurrentData(stem + QStringLiteral(".csv"), &error), qPrintable(error));
        const QByteArray csv = readAll(stem + QStringLiteral(".csv"));
        QVERIFY(lineCount(csv) >= 2);
        // Temporary names start with a dot; none may be left behind.
        QVERIFY(QDir(dir_.path()).entryList({QStringLiteral(".*")}, QDir::Hidden | QDir::Files).isEmpty());

        if (view->title() == QStringLiteral("Embeddings")) {
            // The PNG is the whole tab at 192 dpi, i.e. twice its on-screen size.
            QCOMPARE(png.size(), view->size() * 2);
            QCOMPARE(png.dotsPerMeterX(), qRound(192 / 0.0254));
            // Five [T, H] tables (token, segment, position, sum, LayerNorm), the [T, T] position similarity
            // and the [(L+1)T, 2] PCA table, each with a "# name" line and a header, separated by blank lines.
            QCOMPARE(lineCount(csv), 7 * 2 + 6 * tokens + states * tokens + 6);
            const QJsonArray tables = json.object().value(QStringLiteral("tables")).toArray();
            QCOMPARE(tables.size(), 7);
            const QJsonObject similarity = tables[5].toObject();
            QCOMPARE(similarity.value(QStringLiteral("rows")).toInt(), tokens);
            // A position embedding is perfectly similar to itself.
            QVERIFY(std::abs(similarity.value(QStringLiteral("values")).toArray()[3].toArray()[3].toDouble() - 1.0) < 1e-5);
            const QJsonObject first = tables[0].toObject();
            QCOMPARE(first.value(QStringLiteral("rows")).toInt(), tokens);
            QCOMPARE(first.value(QStringLiteral("cols")).toInt(), hidden);
            QCOMPARE(first.value(QStringLiteral("values")).toArray().size(), tokens);
            // The exported token embeddings are the trace's numbers.
            const double v = first.value(QStringLiteral("values")).toArray()[1].toArray()[3].toDouble();
            QCOMPARE(static_cast<float>(v), analysis->trace.embeddings->token(1, 3));
        }
    }
    window_->tabs()->setCurrentIndex(0);
}

void TestMainWindow::sessionRoundTrip()
{
    window_->inputPanel()->setTexts(QStringLiteral("the dog barked at the mailman ."), QStringLiteral("he ran away ."));
    window_->inputPanel()->setMasks({2, 4});
    window_->viewSync()->setLayerHead(1, 3);
    window_->tabs()->setCurrentIndex(1);
    QVERIFY(window_->waitForIdle(60000));
    const bertlab::ui::Session saved = window_->sessions()->current();
    QCOMPARE(saved.masks, (std::vector<int>{2, 4}));
    const QString path = dir_.filePath(QStringLiteral("s.bertlab"));
    QString error;
    QVERIFY2(window_->sessions()->save(path, &error), qPrintable(error));

    // Change everything, then reopen.
    window_->inputPanel()->setTexts(QStringLiteral("something else entirely ."), QString());
    window_->inputPanel()->setMasks({});
    window_->viewSync()->setLayerHead(0, 0);
    window_->tabs()->setCurrentIndex(0);
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->sessions()->current() != saved);

    QVERIFY2(window_->sessions()->open(path, &error), qPrintable(error));
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(window_->sessions()->current(), saved);
    const auto analysis = window_->currentAnalysis();
    QCOMPARE(analysis->request.textA, saved.textA);
    QCOMPARE(analysis->encoding.ids[2], window_->model()->vocab().maskId());
    QCOMPARE(analysis->encoding.ids[4], window_->model()->vocab().maskId());

    // A file that is not a session is refused with a message.
    const QString junk = dir_.filePath(QStringLiteral("junk.bertlab"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"hello\": 1}");
    f.close();
    QVERIFY(!window_->sessions()->open(junk, &error));
    QVERIFY(!error.isEmpty());
}

namespace {

// The largest absolute difference between two matrices of the same shape (infinity otherwise).
double maxDiff(const bertlab::Matrix& a, const bertlab::Matrix& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return std::numeric_limits<double>::infinity();
    return (a - b).cwiseAbs().maxCoeff();
}

// The same forward pass the window should have run, made here with multipliers written out by hand.
bertlab::Trace forwardWithMultipliers(const bertlab::BertModel& model, const bertlab::Encoding& encoding,
                                      const std::vector<std::pair<int, int>>& off)
{
    const int heads = model.config().numAttentionHeads;
    bertlab::Probe probe = bertlab::Probe::everything();
    for (int i = 0; i < encoding.size(); ++i)
        if (encoding.ids[static_cast<size_t>(i)] == model.vocab().maskId())
            probe.mlmPositions.push_back(i);
    probe.topK = 10;
    if (!off.empty()) {
        probe.headMultipliers.assign(static_cast<size_t>(model.config().numHiddenLayers) * heads, 1.0f);
        for (const auto& [l, h] : off)
            probe.headMultipliers[static_cast<size_t>(l) * heads + h] = 0.0f;
    }
    return model.forward(encoding, probe);
}

} // namespace

void TestMainWindow::clickingAHeadSwitchesItOff()
{
    window_->ablation()->reset();
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the [MASK] ."), QStringLiteral("it was happy ."));
    auto* attention = qobject_cast<bertlab::ui::AttentionView*>(window_->viewSync()->viewByTitle(QStringLiteral("Attention")));
    QVERIFY(attention);
    window_->viewSync()->showView(attention);
    attention->setCurrentTab(bertlab::ui::AttentionView::Tab::AllHeads);
    QVERIFY(window_->waitForIdle(60000));
    QCoreApplication::processEvents();
    const auto intact = window_->currentAnalysis();
    QVERIFY(intact && intact->request.ablation.empty() && !intact->intact);
    QVERIFY(window_->ablationBanner()->isHidden());

    // A click on a thumbnail selects it and switches nothing off.
    bertlab::ui::HeadsGrid* grid = attention->headsGrid();
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(1, 2).center());
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(window_->viewSync()->layer(), 1);
    QCOMPARE(window_->viewSync()->head(), 2);
    QVERIFY(window_->ablation()->ablation().empty());

    // A click on its switch switches L2 H3 off, and the window re-runs with that head's multiplier 0.
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->switchRect(1, 2).center());
    QVERIFY(window_->waitForIdle(60000));
    auto analysis = window_->currentAnalysis();
    QVERIFY(analysis->request.ablation.isOff(1, 2));
    QCOMPARE(analysis->request.ablation.count(), 1);
    QVERIFY(grid->ablation().isOff(1, 2));
    QDir().mkpath(QStringLiteral("views-png"));  // for a person to look at
    QVERIFY(window_->grab().save(QStringLiteral("views-png/window-ablated-heads-grid.png")));
    QVERIFY(window_->ablationBanner()->isVisibleTo(window_.get()));
    QCOMPARE(window_->ablationBanner()->text(), QStringLiteral("Switched off: L2 H3"));

    const bertlab::BertModel& model = *window_->model();
    const bertlab::Trace expected = forwardWithMultipliers(model, analysis->encoding, {{1, 2}});
    const bertlab::Trace plain = forwardWithMultipliers(model, analysis->encoding, {});
    QCOMPARE(analysis->trace.attentions.size(), expected.attentions.size());
    for (size_t l = 0; l < expected.attentions.size(); ++l)
        for (size_t h = 0; h < expected.attentions[l].size(); ++h)
            QVERIFY(maxDiff(analysis->trace.attentions[l][h], expected.attentions[l][h]) < 1e-6);
    QCOMPARE(analysis->trace.attentions[1][2].cwiseAbs().maxCoeff(), 0.0f);  // an ablated head is zeros
    // ... and the second layer's input changed, so the numbers differ from the intact pass's.
    QVERIFY(maxDiff(intact->trace.hiddenStates.back(), analysis->trace.hiddenStates.back()) > 1e-5);
    QVERIFY(analysis->trace.nsp && expected.nsp);
    QVERIFY(std::abs(analysis->trace.nsp->isNext - expected.nsp->isNext) < 1e-6);
    QCOMPARE(analysis->trace.mlm.size(), expected.mlm.size());
    QVERIFY(!expected.mlm.empty());
    for (size_t i = 0; i < expected.mlm.size(); ++i)
        for (size_t r = 0; r < expected.mlm[i].candidates.size(); ++r) {
            QCOMPARE(analysis->trace.mlm[i].candidates[r].id, expected.mlm[i].candidates[r].id);
            QVERIFY(std::abs(analysis->trace.mlm[i].candidates[r].prob - expected.mlm[i].candidates[r].prob) < 1e-6);
        }
    // The intact "before" is the plain pass's.
    QVERIFY(analysis->intact);
    QVERIFY(analysis->intact->nsp && std::abs(analysis->intact->nsp->isNext - plain.nsp->isNext) < 1e-6);
    QCOMPARE(analysis->intact->mlm.front().candidates.front().id, plain.mlm.front().candidates.front().id);
    QVERIFY(std::abs(analysis->intact->mlm.front().candidates.front().prob - plain.mlm.front().candidates.front().prob) < 1e-6);

    // The next-sentence view says before -> after.
    auto* nsp = qobject_cast<bertlab::ui::NspView*>(window_->viewSync()->viewByTitle(QStringLiteral("Next sentence")));
    window_->viewSync()->showView(nsp);
    QCoreApplication::processEvents();
    QVERIFY2(nsp->headline().contains(QStringLiteral("→")), qPrintable(nsp->headline()));
    QVERIFY(window_->grab().save(QStringLiteral("views-png/window-ablated-next-sentence.png")));
    auto* mlm = qobject_cast<bertlab::ui::MlmView*>(window_->viewSync()->viewByTitle(QStringLiteral("Masked words")));
    window_->viewSync()->showView(mlm);
    mlm->setCurrentTab(bertlab::ui::MlmView::Tab::LogitLens);
    QCoreApplication::processEvents();
    QVERIFY(window_->grab().save(QStringLiteral("views-png/window-ablated-logit-lens.png")));
    mlm->setCurrentTab(bertlab::ui::MlmView::Tab::Guesses);
    QCoreApplication::processEvents();
    QVERIFY(window_->grab().save(QStringLiteral("views-png/window-ablated-guesses.png")));
    window_->viewSync()->showView(attention);
    QCoreApplication::processEvents();

    // Ctrl+click toggles too; a layer's label switches the whole layer; Ctrl+K the selected head.
    QTest::mouseClick(grid, Qt::LeftButton, Qt::ControlModifier, grid->cellRect(0, 0).center());
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->layerLabelRect(1).center());
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->ablation()->ablation().isOff(0, 0));
    QVERIFY(window_->ablation()->ablation().isLayerOff(1));
    QCOMPARE(QString::fromStdString(window_->currentAnalysis()->request.ablation.toString()), QStringLiteral("1:1,2:*"));
    QCOMPARE(window_->ablationBanner()->text(), QStringLiteral("Switched off: L1 H1, L2 (all heads)"));
    // Same tokens, other heads: the intact pass was not run again.
    QCOMPARE(window_->currentAnalysis()->intact.get(), analysis->intact.get());
    window_->viewSync()->setLayerHead(0, 0);
    window_->activateWindow();
    window_->tabs()->setFocus();
    QTest::keyClick(window_->tabs(), Qt::Key_K, Qt::ControlModifier);
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(!window_->ablation()->ablation().isOff(0, 0));

    // Reset: every head back on, the banner gone, the plain pass again.
    QTest::mouseClick(window_->ablationBanner()->resetButton(), Qt::LeftButton);
    QVERIFY(window_->waitForIdle(60000));
    analysis = window_->currentAnalysis();
    QVERIFY(analysis->request.ablation.empty());
    QVERIFY(!analysis->intact);
    QVERIFY(window_->ablationBanner()->isHidden());
    for (size_t l = 0; l < plain.attentions.size(); ++l)
        for (size_t h = 0; h < plain.attentions[l].size(); ++h)
            QVERIFY(maxDiff(analysis->trace.attentions[l][h], plain.attentions[l][h]) < 1e-6);
}

void TestMainWindow::ablationSessionsAndExports()
{
    QString error;
    QVERIFY2(window_->ablation()->setFromString(QStringLiteral("1:2,2:*"), &error), qPrintable(error));
    QVERIFY(!window_->ablation()->setFromString(QStringLiteral("9:1"), &error));  // the model has 2 layers
    QVERIFY(error.contains(QStringLiteral("layer")));
    QVERIFY(window_->waitForIdle(60000));
    const bertlab::ui::Session saved = window_->sessions()->current();
    QCOMPARE(saved.ablation, QStringLiteral("1:2,2:*"));
    const QString path = dir_.filePath(QStringLiteral("ablated.bertlab"));
    QVERIFY2(window_->sessions()->save(path, &error), qPrintable(error));
    QVERIFY(readAll(path).contains("\"ablation\": \"1:2,2:*\""));

    // Exports say which heads were off.
    window_->viewSync()->showView(window_->viewSync()->viewByTitle(QStringLiteral("Next sentence")));
    QVERIFY(window_->waitForIdle(60000));
    const QString json = dir_.filePath(QStringLiteral("ablated.json"));
    const QString csv = dir_.filePath(QStringLiteral("ablated.csv"));
    const QString png = dir_.filePath(QStringLiteral("ablated.png"));
    QVERIFY2(window_->exporter()->exportCurrentData(json, &error), qPrintable(error));
    QVERIFY2(window_->exporter()->exportCurrentData(csv, &error), qPrintable(error));
    QVERIFY2(window_->exporter()->exportCurrentImage(png, 96, &error), qPrintable(error));
    const QJsonObject root = QJsonDocument::fromJson(readAll(json)).object();
    QCOMPARE(root.value(QStringLiteral("ablation")).toString(), QStringLiteral("1:2,2:*"));
    QVERIFY(root.contains(QStringLiteral("intact")));
    QVERIFY(readAll(csv).startsWith("# ablation: 1:2,2:*\n"));
    QCOMPARE(QImage(png).text(QStringLiteral("ablation")), QStringLiteral("1:2,2:*"));

    // Reset, then reopen the session: the heads are off again.
    window_->ablation()->reset();
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->sessions()->current() != saved);
    QVERIFY2(window_->sessions()->open(path, &error), qPrintable(error));
    QVERIFY(window_->waitForIdle(60000));
    QCOMPARE(window_->sessions()->current(), saved);
    QCOMPARE(QString::fromStdString(window_->currentAnalysis()->request.ablation.toString()), QStringLiteral("1:2,2:*"));
    // Ctrl+R resets.
    window_->activateWindow();
    window_->tabs()->setFocus();
    QTest::keyClick(window_->tabs(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->currentAnalysis()->request.ablation.empty());
    // An export of the intact model carries no ablation.
    QVERIFY2(window_->exporter()->exportCurrentData(csv, &error), qPrintable(error));
    QVERIFY(!readAll(csv).startsWith("#"));
    window_->tabs()->setCurrentIndex(0);
}

void TestMainWindow::fontsRenderGlyphs()
{
    QVERIFY(!QFontDatabase::families().isEmpty());
    const QFont font = window_->font();
    // Missing glyphs draw identical boxes; real glyphs of different letters differ.
    const QImage a = renderText(QStringLiteral("abcdef"), font);
    const QImage b = renderText(QStringLiteral("uvwxyz"), font);
    QVERIFY(inkPixels(a) > 20);
    QVERIFY(inkPixels(b) > 20);
    QVERIFY(a != b);
    // CJK text (the tokenizer splits it into one token per character): scripts.md in refdata has
    // Chinese and Japanese cases, and without a CJK font every character is the same box.
    const QImage c = renderText(QStringLiteral("\u6211\u7231\u5317\u4eac"), font);   // 我爱北京
    const QImage d = renderText(QStringLiteral("\u65e5\u672c\u8a9e\u6587"), font);   // 日本語文
    QVERIFY(inkPixels(c) > 40);
    QVERIFY(inkPixels(d) > 40);
    QVERIFY(c != d);
    QVERIFY(!QFontDatabase::families(QFontDatabase::SimplifiedChinese).isEmpty());
    // The same through a real widget.
    QLabel l1(QStringLiteral("Layer"));
    QLabel l2(QStringLiteral("Heads"));
    l1.setFont(font);
    l2.setFont(font);
    l1.resize(120, 30);
    l2.resize(120, 30);
    QVERIFY(l1.grab().toImage() != l2.grab().toImage());
}

void TestMainWindow::positionMapFollowsTheModel()
{
    // What is on screen, not the plot's data: the map is built once per model and the dashed
    // square is redrawn on its own layer, so a stale picture would only show in the pixels.
    using bertlab::ui::EmbeddingsView;
    auto* view = qobject_cast<EmbeddingsView*>(window_->viewSync()->viewByTitle(QStringLiteral("Embeddings")));
    QVERIFY(view);
    window_->tabs()->setCurrentIndex(static_cast<int>(window_->viewSync()->views().indexOf(view)));
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    QCoreApplication::processEvents();
    QCustomPlot* plot = view->positionPlot();
    const QImage tinyMap = plot->grab().toImage();

    // A longer input moves the square, and nothing else.
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat and looked at the birds in the garden ."),
                                    QString());
    QVERIFY(window_->waitForIdle(60000));
    QCoreApplication::processEvents();
    const QImage moved = plot->grab().toImage();
    QVERIFY(moved != tinyMap);

    // Another model with other position embeddings: a different map.
    QString error;
    QVERIFY2(window_->openModelAndWait(QStringLiteral(BERTLAB_TEST_DATA "/models/tiny-relu"), 120000, &error),
             qPrintable(error));
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    window_->tabs()->setCurrentIndex(static_cast<int>(window_->viewSync()->views().indexOf(view)));
    QCoreApplication::processEvents();
    const QImage otherMap = plot->grab().toImage();
    QCOMPARE(otherMap.size(), tinyMap.size());
    int differing = 0;
    for (int y = 0; y < otherMap.height(); ++y)
        for (int x = 0; x < otherMap.width(); ++x)
            differing += otherMap.pixel(x, y) != tinyMap.pixel(x, y);
    QVERIFY2(differing > otherMap.width() * otherMap.height() / 20,
             qPrintable(QStringLiteral("only %1 pixels differ").arg(differing)));

    // Dark mode repaints the whole plot in the new colours, not just the square's layer.
    const bool wasDark = window_->darkMode();
    window_->setDarkMode(true);
    QCoreApplication::processEvents();
    const QImage dark = plot->grab().toImage();
    const QColor corner = dark.pixelColor(2, 2);
    QVERIFY2(corner.lightness() < 100, qPrintable(corner.name()));
    window_->setDarkMode(wasDark);
    QCoreApplication::processEvents();
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
