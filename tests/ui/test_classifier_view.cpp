// Qt Test of the explorer's Classifier tab and model card on the tiny fine-tuned fixtures (made by PyTorch).
#include "classifier_tab.h"
#include "input_panel.h"
#include "ablation_controller.h"
#include "attribution/head_ablation.h"
#include "main_window.h"
#include "model_card.h"
#include "model_io.h"
#include "finetune/classifier.h"
#include "finetune/word_encoding.h"
#include "view_exporter.h"
#include "view_synchroniser.h"
#include "views/classifier_view.h"
#include "views/colored_token_strip.h"
#include "views/label_bars.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

using bertlab::ui::ClassifierView;
using bertlab::ui::MainWindow;

namespace {

QString fixture(const char* name)
{
    return QStringLiteral(BERTLAB_TEST_DATA "/models/") + QLatin1String(name);
}

// The explorer holds its model packed (BertModel::packWeights: one query/key/value product), the
// references here are loaded as-is: the same sums, rounded apart in the last float bits at most.
bool sameProbability(double shown, float engine)
{
    return std::fabs(shown - static_cast<double>(engine)) <= 1e-6;
}

} // namespace

class TestClassifierView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sequenceTabMatchesClassifySequence();
    void tokenTabMatchesClassifyTokens();
    void switchedOffHeadsReachTheClassifier();
    void exportsTheNumbers();
    void noTabWithoutClassifier();
    void cleanupTestCase() { window_.reset(); }

private:
    ClassifierView* classifierView() const
    {
        return qobject_cast<ClassifierView*>(window_->viewSync()->viewByTitle(QStringLiteral("Classifier")));
    }
    void open(const char* model, const QString& a, const QString& b);

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
};

void TestClassifierView::initTestCase()
{
    QVERIFY(dir_.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_classifier_view"));
    window_ = std::make_unique<MainWindow>();
    window_->setInteractive(false);
    window_->resize(1300, 850);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestClassifierView::open(const char* model, const QString& a, const QString& b)
{
    QString error;
    QVERIFY2(window_->openModelAndWait(fixture(model), 60000, &error), qPrintable(error));
    window_->inputPanel()->setTexts(a, b);
    QVERIFY(window_->waitForIdle(60000));
    ClassifierView* view = classifierView();
    QVERIFY(view);
    window_->viewSync()->showView(view);
    QVERIFY(window_->waitForIdle(60000));
}

void TestClassifierView::sequenceTabMatchesClassifySequence()
{
    const QString a = QStringLiteral("the film was great , truly .");
    const QString b = QStringLiteral("i loved it .");
    open("tiny-seqcls", a, b);
    ClassifierView* view = classifierView();
    QVERIFY2(view->stateMessage().isEmpty(), qPrintable(view->stateMessage()));

    // The reference: the engine's classifier on a separately loaded model and the same pair.
    const auto model = bertlab::loadModel(fixture("tiny-seqcls").toStdString());
    const std::string sa = a.toStdString(), sb = b.toStdString();
    const bertlab::SequenceClassification ref = bertlab::classifySequence(*model, model->encode(sa, &sb));
    const auto& bars = view->bars()->bars();
    QCOMPARE(bars.size(), ref.probs.size());
    for (size_t i = 0; i < bars.size(); ++i) {
        const int id = bars[i].colorIndex;
        QCOMPARE(bars[i].label, QString::fromStdString(model->labels()[static_cast<size_t>(id)]));
        QVERIFY(sameProbability(bars[i].prob, ref.probs[static_cast<size_t>(id)]));
        if (i > 0)
            QVERIFY(bars[i - 1].prob >= bars[i].prob);  // best first
    }
    QVERIFY(view->headline().startsWith(bars.front().label));

    const QString card = window_->modelCard()->text();
    QVERIFY2(card.contains(QStringLiteral("sequence classification")), qPrintable(card));
    QVERIFY(card.contains(QStringLiteral("negative, neutral, positive")));

    // Typing again updates the tab.
    window_->inputPanel()->setTexts(QStringLiteral("a dull film ."), QString());
    QVERIFY(window_->waitForIdle(60000));
    const std::string single = "a dull film .";
    const auto again = bertlab::classifySequence(*model, model->encode(single));
    const auto& now = view->bars()->bars();
    QVERIFY(sameProbability(now.front().prob, again.probs[static_cast<size_t>(now.front().colorIndex)]));
}

// Heads switched off in the explorer are off for the classifier too, and the tab says what they changed.
void TestClassifierView::switchedOffHeadsReachTheClassifier()
{
    const QString a = QStringLiteral("she was at school and then she came back .");
    open("tiny-seqcls", a, QString());
    QString error;
    QVERIFY2(window_->ablation()->setFromString(QStringLiteral("2:3,1:1"), &error), qPrintable(error));
    QVERIFY(window_->waitForIdle(60000));
    ClassifierView* view = classifierView();
    const auto model = bertlab::loadModel(fixture("tiny-seqcls").toStdString());
    const std::string sa = a.toStdString();
    const auto off = bertlab::HeadAblation::parse("2:3,1:1", model->config().numHiddenLayers,
                                                  model->config().numAttentionHeads).multipliers();
    const auto ablated = bertlab::classifySequence(*model, model->encode(sa), off);
    const auto intact = bertlab::classifySequence(*model, model->encode(sa));
    const auto& bars = view->bars()->bars();
    QCOMPARE(bars.size(), ablated.probs.size());
    for (const auto& bar : bars)
        QVERIFY(sameProbability(bar.prob, ablated.probs[static_cast<size_t>(bar.colorIndex)]));
    QVERIFY(ablated.probs != intact.probs);  // the heads matter here, so the check above says something
    const int top = bars.front().colorIndex;
    const QString intactTop = QString::number(100.0 * intact.probs[static_cast<size_t>(top)], 'f', 1);
    QVERIFY2(view->headline().contains(intactTop), qPrintable(view->headline() + " lacks " + intactTop));

    window_->ablation()->reset();
    QVERIFY(window_->waitForIdle(60000));
    for (const auto& bar : view->bars()->bars())
        QVERIFY(sameProbability(bar.prob, intact.probs[static_cast<size_t>(bar.colorIndex)]));
}

void TestClassifierView::tokenTabMatchesClassifyTokens()
{
    const QString text = QStringLiteral("the cat sat on the mat .");
    open("tiny-tokcls", text, QString());
    ClassifierView* view = classifierView();
    QVERIFY2(view->stateMessage().isEmpty(), qPrintable(view->stateMessage()));
    const auto model = bertlab::loadModel(fixture("tiny-tokcls").toStdString());
    const auto ref = bertlab::classifyTokens(*model, bertlab::splitWords(text.toStdString()));
    QTableWidget* table = view->wordTable();
    QCOMPARE(table->rowCount(), static_cast<int>(ref.words.size()));
    QCOMPARE(view->wordStrip()->chips().size(), ref.words.size());
    for (int r = 0; r < table->rowCount(); ++r) {
        const auto& w = ref.words[static_cast<size_t>(r)];
        QCOMPARE(table->item(r, 0)->text(), QString::fromStdString(w.word));
        QCOMPARE(table->item(r, 1)->text(), QString::fromStdString(model->labels()[static_cast<size_t>(w.label)]));
        QVERIFY(sameProbability(table->item(r, 2)->data(Qt::UserRole).toDouble(), w.prob));
        QVERIFY(view->wordStrip()->chips()[static_cast<size_t>(r)].subText.startsWith(table->item(r, 1)->text()));
    }
    QVERIFY(window_->modelCard()->text().contains(QStringLiteral("token classification")));
}

void TestClassifierView::exportsTheNumbers()
{
    const QString text = QStringLiteral("a fine day .");
    open("tiny-seqcls", text, QString());
    const auto model = bertlab::loadModel(fixture("tiny-seqcls").toStdString());
    const std::string s = text.toStdString();
    const auto ref = bertlab::classifySequence(*model, model->encode(s));
    const QString json = dir_.filePath(QStringLiteral("classifier.json"));
    QString error;
    QVERIFY2(window_->exporter()->exportCurrentData(json, &error), qPrintable(error));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray logits = root.value(QStringLiteral("logits")).toArray();
    QCOMPARE(logits.size(), static_cast<qsizetype>(ref.logits.size()));
    for (qsizetype k = 0; k < logits.size(); ++k)
        QCOMPARE(static_cast<float>(logits[k].toDouble()), ref.logits[static_cast<size_t>(k)]);
    const QJsonArray labels = root.value(QStringLiteral("labels")).toArray();
    QCOMPARE(labels.size(), 3);
    QVERIFY(labels[0].toObject().value(QStringLiteral("prob")).toDouble() >=
            labels[1].toObject().value(QStringLiteral("prob")).toDouble());
    const QString png = dir_.filePath(QStringLiteral("classifier.png"));
    QVERIFY2(window_->exporter()->exportCurrentImage(png, 96, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    QStringList shots;
    QVERIFY2(window_->exporter()->renderScreenshots(dir_.filePath(QStringLiteral("shots")), &error, &shots),
             qPrintable(error));
    QVERIFY(shots.contains(QDir(dir_.filePath(QStringLiteral("shots"))).filePath(QStringLiteral("classifier.png"))));
}

void TestClassifierView::noTabWithoutClassifier()
{
    QString error;
    QVERIFY2(window_->openModelAndWait(fixture("tiny"), 60000, &error), qPrintable(error));
    QVERIFY(!classifierView());
    QCOMPARE(window_->viewSync()->views().size(), window_->tabs()->count());
    QVERIFY(window_->modelCard()->text().contains(QStringLiteral("none (not fine-tuned)")));
}

QTEST_MAIN(TestClassifierView)
#include "test_classifier_view.moc"
