// Qt Test of keyboard use and accessible names: the token strip masks by key exactly as by click; custom views are named.
#include "analysis_view.h"
#include "input_panel.h"
#include "main_window.h"
#include "plot/heatmap_plot.h"
#include "token_strip.h"
#include "views/attention_lines.h"
#include "views/colored_token_strip.h"
#include "views/embedding_figure.h"
#include "views/heads_grid.h"
#include "views/label_bars.h"
#include "views/probability_bar.h"

#include <QAccessible>
#include <QApplication>
#include <QLineEdit>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <qcustomplot.h>
#include <QtTest>

#include <memory>

using bertlab::ui::MainWindow;
using bertlab::ui::TokenStrip;

namespace {

struct Result {
    std::vector<int> ids;
    std::vector<std::string> tokens;
    std::vector<int> masks;
    bool operator==(const Result&) const = default;
};

Result current(const MainWindow& window)
{
    const auto analysis = window.currentAnalysis();
    if (!analysis)
        return {};
    return {analysis->encoding.ids, analysis->encoding.tokens, window.inputPanel()->masks()};
}

} // namespace

class TestKeyboardAccess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void tabReachesTheTokenStrip();
    void keysMaskLikeAClick();
    void arrowsHomeEndMoveTheFocus();
    void customViewsHaveAccessibleNames();

private:
    void typePair();

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
};

void TestKeyboardAccess::initTestCase()
{
    QVERIFY(dir_.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_keyboard_access"));
    window_ = std::make_unique<MainWindow>();
    window_->setInteractive(false);
    window_->resize(1300, 850);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    QString error;
    QVERIFY2(window_->openModelAndWait(QStringLiteral(BERTLAB_TEST_DATA "/models/tiny"), 120000, &error),
             qPrintable(error));
    typePair();
}

void TestKeyboardAccess::typePair()
{
    window_->inputPanel()->setTexts(QStringLiteral("the cat sat on the mat ."), QStringLiteral("it was happy ."));
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(window_->currentAnalysis());
}

void TestKeyboardAccess::tabReachesTheTokenStrip()
{
    TokenStrip* strip = window_->inputPanel()->tokenStrip();
    QVERIFY(strip->focusPolicy() & Qt::TabFocus);
    QLineEdit* b = window_->inputPanel()->editB();
    b->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), b);
    QTest::keyClick(b, Qt::Key_Tab);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(strip));
    // The keyboard starts on the first token that can be masked, not on [CLS].
    QCOMPARE(strip->currentChip(), 1);
    QVERIFY(!strip->chips()[1].special);
}

void TestKeyboardAccess::keysMaskLikeAClick()
{
    TokenStrip* strip = window_->inputPanel()->tokenStrip();
    const int position = 2;  // "cat"
    const Result intact = current(*window_);
    QVERIFY(intact.masks.empty());

    // The reference: what a mouse click on the chip produces.
    QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(position).center());
    QVERIFY(window_->waitForIdle(60000));
    const Result clicked = current(*window_);
    QVERIFY(clicked.masks == std::vector<int>{position});
    QCOMPARE(clicked.tokens[position], std::string("[MASK]"));
    QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(position).center());
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(current(*window_) == intact);

    // The same with each masking key: identical encoding, and the same key again restores the token.
    strip->setFocus(Qt::TabFocusReason);
    for (Qt::Key key : {Qt::Key_Space, Qt::Key_Return, Qt::Key_Enter, Qt::Key_M}) {
        QTest::keyClick(strip, Qt::Key_Home);
        QTest::keyClick(strip, Qt::Key_Right);
        QTest::keyClick(strip, Qt::Key_Right);
        QCOMPARE(strip->currentChip(), position);
        QTest::keyClick(strip, key);
        QVERIFY(window_->waitForIdle(60000));
        QVERIFY2(current(*window_) == clicked, qPrintable(QString::number(key, 16)));
        QVERIFY(strip->chips()[position].masked);
        QCOMPARE(strip->currentChip(), position);  // the focus stays on the chip through the re-analysis
        QTest::keyClick(strip, key);
        QVERIFY(window_->waitForIdle(60000));
        QVERIFY(current(*window_) == intact);
    }
    // [CLS] cannot be masked, by key as by click.
    QTest::keyClick(strip, Qt::Key_Home);
    QCOMPARE(strip->currentChip(), 0);
    QTest::keyClick(strip, Qt::Key_Space);
    QVERIFY(window_->waitForIdle(60000));
    QVERIFY(current(*window_) == intact);
}

void TestKeyboardAccess::arrowsHomeEndMoveTheFocus()
{
    TokenStrip* strip = window_->inputPanel()->tokenStrip();
    strip->setFocus(Qt::TabFocusReason);
    const int last = static_cast<int>(strip->chips().size()) - 1;
    QTest::keyClick(strip, Qt::Key_End);
    QCOMPARE(strip->currentChip(), last);
    QTest::keyClick(strip, Qt::Key_Right);  // stays at the end
    QCOMPARE(strip->currentChip(), last);
    QTest::keyClick(strip, Qt::Key_Left);
    QCOMPARE(strip->currentChip(), last - 1);
    QTest::keyClick(strip, Qt::Key_Home);
    QTest::keyClick(strip, Qt::Key_Left);  // stays at the start
    QCOMPARE(strip->currentChip(), 0);

    // Up and Down go to the nearest chip of the row above or below when the chips wrap.
    const int wide = strip->width();
    strip->setFixedWidth(strip->chipRect(0).width() * 4);
    QTRY_VERIFY(strip->chipRect(last).y() > strip->chipRect(0).y());
    QTest::keyClick(strip, Qt::Key_Down);
    const int below = strip->currentChip();
    QVERIFY(below > 0);
    QVERIFY(strip->chipRect(below).y() > strip->chipRect(0).y());
    QTest::keyClick(strip, Qt::Key_Up);
    QCOMPARE(strip->chipRect(strip->currentChip()).y(), strip->chipRect(0).y());
    strip->setMinimumWidth(0);
    strip->setMaximumWidth(QWIDGETSIZE_MAX);
    strip->resize(wide, strip->height());

    // The focus frame is drawn: the painted strip differs with and without the focus.
    const QImage focused = strip->grab().toImage();
    window_->inputPanel()->editA()->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(!strip->hasFocus());
    QVERIFY(strip->grab().toImage() != focused);

    // A screen reader hears the current token.
    QVERIFY2(strip->accessibleDescription().contains(QString::fromStdString(
                 window_->currentAnalysis()->encoding.tokens[static_cast<size_t>(strip->currentChip())])),
             qPrintable(strip->accessibleDescription()));
}

void TestKeyboardAccess::customViewsHaveAccessibleNames()
{
    // Every view builds its widgets with the window; hidden tabs count too.
    QList<QWidget*> custom;
    custom << window_->inputPanel()->tokenStrip();
    for (QCustomPlot* w : window_->findChildren<QCustomPlot*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::HeadsGrid*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::AttentionLines*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::EmbeddingFigure*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::ColoredTokenStrip*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::ProbabilityBar*>())
        custom << w;
    for (QWidget* w : window_->findChildren<bertlab::ui::LabelBars*>())
        custom << w;
    QVERIFY2(custom.size() >= 10, qPrintable(QString::number(custom.size())));
    QVERIFY(!window_->findChildren<bertlab::ui::HeatmapPlot*>().isEmpty());
    for (QWidget* w : custom) {
        // Through Qt's accessibility layer, as an assistive tool asks for it.
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
        QVERIFY(iface);
        const QString name = iface->text(QAccessible::Name);
        QVERIFY2(!name.trimmed().isEmpty(),
                 qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName())));
    }
}

QTEST_MAIN(TestKeyboardAccess)
#include "test_keyboard_access.moc"
