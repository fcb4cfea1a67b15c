// Types into the explorer like a user and times how long its visible views take to catch up (explorer_bench.sh).
//
//   explorer-latency MODEL [--seconds S] [--tokens N] [--pause-ms P] [--view TITLE|rotate] [--prefill]
//                    [--no-preview] [--verbose]
//
// Keystrokes go through QLineEdit (QTest key events), so the InputPanel debounce, the cancelling
// AnalysisWorker and MainWindow's view sync all run exactly as they do for a person typing.
#include "analysis_view.h"
#include "input_panel.h"
#include "main_window.h"
#include "openblas_library.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace bertlab;
using namespace bertlab::ui;

namespace {

// Plain prose the user "types"; sentence A carries one [MASK], sentence B continues the story.
constexpr const char* kProseA =
    "the old fisherman walked down to the harbour before sunrise and checked the nets he had mended "
    "during the long winter evenings. his daughter carried a basket of warm bread and a flask of sweet "
    "tea, and together they watched the small boats rock against the stone wall while the gulls "
    "circled above the grey water. nobody else was awake yet, and the only sound was the slow "
    "creak of ropes and the distant bell of a church on the hill behind the village. when the tide "
    "turned they pushed the boat out, started the engine and steered towards the rocks where the "
    "mackerel gathered every spring.";
constexpr const char* kProseB =
    "by noon the sky had cleared and the wind dropped, so they ate their lunch sitting on the crates "
    "and counted the fish in silence. the market in town paid well that week because the storms had "
    "kept the larger ships in port, and the money was enough to repair the leaking roof of the shed. "
    "in the evening she wrote a letter to her brother in the city, telling him about the catch, the "
    "new roof and the neighbour who had finally sold his stubborn old horse to a farmer from the "
    "valley. she promised that they would visit him in the summer once the boat was painted.";

constexpr int kResultTimeoutMs = 120000;  // a pause whose analysis never shows is a failure, not a hang

QStringList words(const char* prose)
{
    return QString::fromLatin1(prose).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double maxOf(const std::vector<double>& v)
{
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

// A /proc/self/status field (VmRSS) in MiB, 0 when unreadable.
double procStatusMiB(const char* key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0.0;
}

// One pause of the typist: from the last keystroke to the views showing that exact text.
struct Pause {
    QString textA, textB;
    QString view;
    qint64 lastKeyMs = 0;
    std::optional<qint64> debounceMs;  // InputPanel::requestChanged for the final text
    std::optional<qint64> shownMs;     // MainWindow::analysisShown with the final text
    std::optional<qint64> paintedMs;   // then the event loop idle again: queued layouts and repaints done
    std::optional<qint64> exactMs;     // the float32 analysis with every guess shown (after any preview)
    bool preview = false;              // the first analysis shown was the bfloat16 preview
    double analysisMs = 0.0;
    double viewUpdateMs = 0.0;  // MainWindow::lastViewUpdateMs: the current view's setAnalysis
    int tokens = 0;
    bool failed = false;
};

// A step of the typing script: a key into an editor, a tab switch (the user looks elsewhere) or a pause.
struct Step {
    enum class Kind { Char, Key, Tab, Pause } kind = Kind::Char;
    QLineEdit* edit = nullptr;
    QChar ch;
    Qt::Key key = Qt::Key_unknown;
    int delayMs = 0;  // before the next step
};

// Posted at low priority, so it is delivered after the repaints (also low priority) queued before it.
class SettleProbe : public QObject {
public:
    static constexpr QEvent::Type kType = QEvent::User;
    std::function<void()> onDelivered;
    void post() { QCoreApplication::postEvent(this, new QEvent(kType), Qt::LowEventPriority); }
    bool event(QEvent* e) override
    {
        if (e->type() != kType)
            return QObject::event(e);
        if (onDelivered)
            onDelivered();
        return true;
    }
};

struct Options {
    QString model;
    int seconds = 120;
    int tokens = 64;
    int pauseMs = 1000;
    QString view = QStringLiteral("rotate");
    bool prefill = false;
    bool preview = true;
    bool verbose = false;
};

class Bench : public QObject {
public:
    Bench(MainWindow& window, Options options) : window_(window), opt_(std::move(options))
    {
        editA_ = window_.inputPanel()->editA();
        editB_ = window_.inputPanel()->editB();
        poolA_ = words(kProseA);
        poolB_ = words(kProseB);
        stepTimer_.setSingleShot(true);
        connect(&stepTimer_, &QTimer::timeout, this, [this] { runStep(); });

        ticker_.setInterval(10);
        ticker_.setTimerType(Qt::PreciseTimer);
        connect(&ticker_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.elapsed();
            const qint64 gap = now - lastTick_;
            lastTick_ = now;
            if (measuringGaps_) {
                if (gap > worstGap_) {
                    worstGap_ = gap;
                    worstGapAfter_ = activity_;
                }
                if (gap > 50)
                    ++gapsOver50_;
            } else {
                idleWorstGap_ = std::max(idleWorstGap_, gap);
            }
        });

        connect(window_.inputPanel(), &InputPanel::requestChanged, this, [this] {
            if (pending_ && !pending_->debounceMs)
                pending_->debounceMs = clock_.elapsed();
        });
        connect(&window_, &MainWindow::analysisShown, this, [this](AnalysisPtr analysis) { onShown(analysis); });
        settleProbe_.onDelivered = [this] { onSettleProbe(); };
    }

    // Returns the process exit code once the run is over.
    int run()
    {
        planInitialTexts();
        clock_.start();
        lastTick_ = 0;
        ticker_.start();
        // What the machine alone costs the 10 ms timer (other jobs on shared cores), for comparison.
        QTest::qWait(1000);
        measuringGaps_ = true;
        typingStart_ = clock_.elapsed();
        warmupSec_ = std::min(60, opt_.seconds / 2);
        if (opt_.view != QLatin1String("rotate"))
            selectView(opt_.view);
        editA_->setFocus();
        stepTimer_.start(0);
        loop_.exec();
        ticker_.stop();
        return report();
    }

protected:
    // Installed only between "shown" and "painted": notes layout and paint work still going on.
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        const QEvent::Type t = event->type();
        if (t == QEvent::LayoutRequest || t == QEvent::UpdateRequest || t == QEvent::Paint)
            guiWorkSeen_ = true;
        return QObject::eventFilter(watched, event);
    }

private:
    // ---- what to type ----

    int tokenCount(const QString& a, const QString& b) const
    {
        try {
            const std::string sa = a.toStdString(), sb = b.toStdString();
            return b.isEmpty() ? window_.model()->encode(sa).size() : window_.model()->encode(sa, &sb).size();
        } catch (const std::exception&) {
            return 1 << 20;  // unreadable text never counts as fitting
        }
    }
    int tokenCount(const QStringList& a, const QStringList& b) const
    {
        return tokenCount(a.join(QLatin1Char(' ')), b.join(QLatin1Char(' ')));
    }
    QString nextWord(int field)
    {
        const QStringList& pool = field == 0 ? poolA_ : poolB_;
        int& at = field == 0 ? atA_ : atB_;
        return pool.at(at++ % pool.size());
    }

    // Sentence A fills about half the target with [MASK] a third of the way in; B tops it up to the target.
    void planInitialTexts()
    {
        QStringList a, b;
        while (a.size() < 3 || tokenCount(a, {}) < opt_.tokens / 2)
            a << nextWord(0);
        maskIndex_ = static_cast<int>(a.size()) / 3;
        a[maskIndex_] = QStringLiteral("[MASK]");
        for (;;) {
            QStringList more = b;
            more << nextWord(1);
            if (b.size() >= 2 && tokenCount(a, more) > opt_.tokens) {
                --atB_;  // the word that did not fit starts the first edit
                break;
            }
            b = more;
        }
        if (opt_.prefill) {
            // Start from the full pair (as a reopened session would) and measure only the edits.
            window_.inputPanel()->setTexts(a.join(QLatin1Char(' ')), b.join(QLatin1Char(' ')));
            window_.waitForIdle(kResultTimeoutMs);
            fields_[0] = a;
            fields_[1] = b;
            phase_ = Phase::Edit;
        } else {
            window_.inputPanel()->setTexts(QString(), QString());
            window_.waitForIdle(kResultTimeoutMs);
            toType_[0] = a;
            toType_[1] = b;
            phase_ = Phase::Initial;
        }
    }

    int charDelay() { return 90 + static_cast<int>(rng_.bounded(71)); }  // 90..160 ms: ~8 chars/s
    int pauseDelay() { return opt_.pauseMs - 100 + static_cast<int>(rng_.bounded(201)); }

    void typeWord(int field, const QString& word)
    {
        QLineEdit* edit = field == 0 ? editA_ : editB_;
        const QString text = fields_[field].isEmpty() ? word : QLatin1Char(' ') + word;
        for (const QChar c : text)
            script_.push_back({Step::Kind::Char, edit, c, Qt::Key_unknown, charDelay()});
        fields_[field] << word;
    }

    void deleteLastWord(int field)
    {
        QLineEdit* edit = field == 0 ? editA_ : editB_;
        const QString last = fields_[field].takeLast();
        const qsizetype n = last.size() + (fields_[field].isEmpty() ? 0 : 1);
        for (qsizetype i = 0; i < n; ++i)
            script_.push_back(
                {Step::Kind::Key, edit, QChar(), Qt::Key_Backspace, 60 + static_cast<int>(rng_.bounded(51))});
    }

    void endWithPause()
    {
        script_.push_back({Step::Kind::Pause, nullptr, QChar(), Qt::Key_unknown, pauseDelay()});
        if (opt_.view == QLatin1String("rotate"))
            script_.push_back({Step::Kind::Tab, nullptr, QChar(), Qt::Key_unknown, 250});
    }

    // Appends the next few words (or a deletion) and a pause; false when the run is over.
    bool planChunk()
    {
        if ((clock_.elapsed() - typingStart_) / 1000 >= opt_.seconds)
            return false;
        const int burst = 3 + static_cast<int>(rng_.bounded(3));  // a pause every 3 to 5 words
        if (phase_ == Phase::Initial) {
            const int field = toType_[0].isEmpty() ? 1 : 0;
            if (field == 1 && fields_[1].isEmpty())
                script_.push_back({Step::Kind::Key, editB_, QChar(), Qt::Key_End, 400});  // moving to sentence B
            for (int i = 0; i < burst && !toType_[field].isEmpty(); ++i)
                typeWord(field, toType_[field].takeFirst());
            if (toType_[0].isEmpty() && toType_[1].isEmpty())
                phase_ = Phase::Edit;
            endWithPause();
            return true;
        }
        if (!toAdd_.isEmpty()) {
            for (int i = 0; i < burst && !toAdd_.isEmpty(); ++i)
                typeWord(editField_, toAdd_.takeFirst());
            endWithPause();
            return true;
        }
        // A new edit: delete the last 2 to 4 words of one sentence (never the [MASK]), pause, then
        // retype different words until the pair is back at the target length.
        const int k = 2 + static_cast<int>(rng_.bounded(3));
        const bool aHasRoom = fields_[0].size() - maskIndex_ - 1 > k;
        editField_ = (editCount_++ % 2 == 1 && aHasRoom) ? 0 : 1;
        QLineEdit* edit = editField_ == 0 ? editA_ : editB_;
        script_.push_back({Step::Kind::Key, edit, QChar(), Qt::Key_End, 300});
        for (int i = 0; i < k && fields_[editField_].size() > 1; ++i)
            deleteLastWord(editField_);
        QStringList a = fields_[0], b = fields_[1];
        QStringList& grow = editField_ == 0 ? a : b;
        for (;;) {
            grow << nextWord(editField_);
            if (tokenCount(a, b) > opt_.tokens && !toAdd_.isEmpty()) {
                int& at = editField_ == 0 ? atA_ : atB_;
                --at;
                break;
            }
            toAdd_ << grow.last();
            if (tokenCount(a, b) >= opt_.tokens)
                break;
        }
        endWithPause();
        return true;
    }

    // ---- running the script ----

    void runStep()
    {
        if (script_.empty() && !planChunk()) {
            loop_.quit();
            return;
        }
        const Step step = script_.front();
        script_.pop_front();
        switch (step.kind) {
        case Step::Kind::Char:
        case Step::Kind::Key: {
            activity_ = QStringLiteral("a keystroke");
            if (step.kind == Step::Kind::Char) {
                QTest::keyClicks(step.edit, QString(step.ch));
                editedSincePause_ = true;
            } else {
                step.edit->setFocus();
                QTest::keyClick(step.edit, step.key);
                editedSincePause_ = editedSincePause_ || step.key == Qt::Key_Backspace;
            }
            const qint64 now = clock_.elapsed();
            if (keyRun_) {
                typingActiveMs_ += now - lastKeyMs_;
                ++keyIntervals_;
            }
            keyRun_ = true;
            lastKeyMs_ = now;
            ++keystrokes_;
            break;
        }
        case Step::Kind::Tab:
            keyRun_ = false;
            window_.tabs()->setCurrentIndex((window_.tabs()->currentIndex() + 1) % window_.tabs()->count());
            activity_ = QStringLiteral("switching to the %1 tab")
                            .arg(window_.viewSync()->currentView() ? window_.viewSync()->currentView()->title() : QString());
            break;
        case Step::Kind::Pause:
            startPause(step.delayMs);
            return;  // the pause schedules the next step when it is over
        }
        // The user stops right after the last key: waiting out a key delay first could let the
        // debounce fire before the pause is being measured.
        if (!script_.empty() && script_.front().kind == Step::Kind::Pause) {
            const int pauseMs = script_.front().delayMs;
            script_.pop_front();
            startPause(pauseMs);
            return;
        }
        stepTimer_.start(step.delayMs);
    }

    void startPause(int ms)
    {
        keyRun_ = false;
        if (!editedSincePause_) {  // nothing changed the text, so nothing is to be waited for
            stepTimer_.start(ms);
            return;
        }
        editedSincePause_ = false;
        Pause p;
        p.textA = editA_->text();
        p.textB = editB_->text();
        p.lastKeyMs = lastKeyMs_;
        p.view = window_.viewSync()->currentView() ? window_.viewSync()->currentView()->title() : QString();
        pending_ = p;
        pauseOver_ = false;
        QTimer::singleShot(ms, this, [this] {
            pauseOver_ = true;
            maybeResume();
        });
        // A pause whose result never comes (a failed analysis) must not stall the run.
        const int id = ++pauseId_;
        QTimer::singleShot(ms + kResultTimeoutMs, this, [this, id] {
            if (pending_ && pauseId_ == id) {
                qApp->removeEventFilter(this);
                pending_->failed = true;
                finishPause();
            }
        });
    }

    void onShown(const AnalysisPtr& analysis)
    {
        ++analysesShown_;
        // MainWindow emits this after it has updated the views, so a gap that ends now was that update.
        activity_ = QStringLiteral("showing a %1-token analysis in %2")
                        .arg(analysis ? analysis->encoding.size() : 0)
                        .arg(window_.viewSync()->currentView() ? window_.viewSync()->currentView()->title() : QString());
        // Only a result requested after the last keystroke's debounce is the one for the final text:
        // older requests are cancelled or dropped by the worker once a newer one is submitted.
        if (!pending_ || !pending_->debounceMs || !analysis)
            return;
        if (analysis->request.textA != pending_->textA || analysis->request.textB != pending_->textB)
            return;
        if (!pending_->exactMs && !analysis->followUpPending())
            pending_->exactMs = clock_.elapsed();
        if (pending_->shownMs) {
            maybeResume();  // the exact analysis after a preview: the pause may be complete now
            return;
        }
        pending_->shownMs = clock_.elapsed();
        pending_->preview = analysis->preview;
        pending_->analysisMs = analysis->elapsedMs;
        pending_->viewUpdateMs = window_.lastViewUpdateMs();
        pending_->tokens = analysis->encoding.size();
        // The views have their data; what they queued (layouts, repaints) runs in the next passes.
        qApp->installEventFilter(this);
        guiWorkSeen_ = false;
        settleProbe_.post();
    }

    // Painted = one full pass of posted events without any layout or paint work left to do.
    void onSettleProbe()
    {
        if (!pending_ || !pending_->shownMs || pending_->paintedMs)
            return;
        if (guiWorkSeen_) {
            guiWorkSeen_ = false;
            settleProbe_.post();
            return;
        }
        qApp->removeEventFilter(this);
        pending_->paintedMs = clock_.elapsed();
        maybeResume();
    }

    // The user resumes after the pause, but never before the measurement is complete: a late
    // result is measured in full rather than cut off by the next keystroke.
    void maybeResume()
    {
        if (!pending_ || !pauseOver_ || !pending_->paintedMs || !pending_->exactMs)
            return;
        finishPause();
    }

    void finishPause()
    {
        const Pause p = *pending_;
        pending_.reset();
        ++pauseId_;
        pauses_.push_back(p);
        const double rss = procStatusMiB("VmRSS");
        const qint64 typed = clock_.elapsed() - typingStart_;
        if (!warmupRss_ && typed >= qint64(warmupSec_) * 1000) {
            warmupRss_ = rss;
            warmupAtSec_ = typed / 1000.0;
        }
        if (warmupRss_)
            maxRssAfterWarmup_ = std::max(maxRssAfterWarmup_, rss);
        if (opt_.verbose) {
            const auto since = [&p](const std::optional<qint64>& t) {
                return t ? QString::number(*t - p.lastKeyMs) : QStringLiteral("-");
            };
            std::fprintf(stderr, "pause %3zu  t=%6.1fs  %2d tokens  %-14s  shown %s ms%s  painted %s ms  exact %s ms  "
                                 "analysis %.0f ms  view update %.0f ms  RSS %.1f MiB\n",
                         pauses_.size(), typed / 1000.0, p.tokens, qPrintable(p.view), qPrintable(since(p.shownMs)),
                         p.preview ? " (preview)" : "", qPrintable(since(p.paintedMs)), qPrintable(since(p.exactMs)),
                         p.analysisMs, p.viewUpdateMs, rss);
        }
        stepTimer_.start(0);
    }

    void selectView(const QString& title)
    {
        if (AnalysisView* v = window_.viewSync()->viewByTitle(title)) {
            window_.tabs()->setCurrentIndex(static_cast<int>(window_.viewSync()->views().indexOf(v)));
            return;
        }
        std::fprintf(stderr, "warning: no view called \"%s\"; keeping the current tab\n", qPrintable(title));
    }

    // ---- the table ----

    int report()
    {
        const double endRss = procStatusMiB("VmRSS");
        const qint64 typedMs = clock_.elapsed() - typingStart_;
        std::vector<double> shown, painted, afterDebounce, analysis, viewUpdate, paintAfterShown, tokens, nearTarget,
            exact;
        int failed = 0, within = 0, previews = 0;
        for (const Pause& p : pauses_) {
            if (p.failed || !p.shownMs) {
                ++failed;
                continue;
            }
            const double s = double(*p.shownMs - p.lastKeyMs);
            shown.push_back(s);
            if (p.paintedMs) {
                painted.push_back(double(*p.paintedMs - p.lastKeyMs));
                paintAfterShown.push_back(double(*p.paintedMs - *p.shownMs));
            }
            viewUpdate.push_back(p.viewUpdateMs);
            if (p.debounceMs)
                afterDebounce.push_back(double(*p.shownMs - *p.debounceMs));
            analysis.push_back(p.analysisMs);
            tokens.push_back(p.tokens);
            if (p.exactMs)
                exact.push_back(double(*p.exactMs - p.lastKeyMs));
            previews += p.preview ? 1 : 0;
            if (p.tokens >= opt_.tokens - 8)
                nearTarget.push_back(p.paintedMs ? double(*p.paintedMs - p.lastKeyMs) : s);
            if ((p.paintedMs ? double(*p.paintedMs - p.lastKeyMs) : s) <= 150.0)
                ++within;
        }
        const auto cell = [](const std::vector<double>& v) {
            return v.empty() ? QStringLiteral("n/a")
                             : QStringLiteral("%1 / %2").arg(median(v), 0, 'f', 0).arg(maxOf(v), 0, 'f', 0);
        };
        const auto yesNo = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
        const auto row = [](const char* what, const QString& value) {
            std::printf("| %s | %s |\n", what, qPrintable(value));
        };
        const BertConfig& c = window_.model()->config();
        std::printf("\n| explorer responsiveness | value |\n|---|---:|\n");
        row("model", QStringLiteral("%1 layers, hidden %2, %3 heads, MLM %4, NSP %5")
                         .arg(c.numHiddenLayers)
                         .arg(c.hiddenSize)
                         .arg(c.numAttentionHeads)
                         .arg(yesNo(window_.model()->hasMlm()), yesNo(window_.model()->hasNsp())));
        row("typing", QStringLiteral("%1 s, %2 keystrokes (%3 keys/s while typing), %4 ms pauses, debounce %5 ms")
                          .arg(typedMs / 1000.0, 0, 'f', 1)
                          .arg(keystrokes_)
                          .arg(typingRate(), 0, 'f', 1)
                          .arg(opt_.pauseMs)
                          .arg(InputPanel::kDebounceMs));
        row("pauses measured (failed)",
            QStringLiteral("%1 (%2); %3 analyses shown in all").arg(shown.size()).arg(failed).arg(analysesShown_));
        row("first picture at a pause", previews ? QStringLiteral("bfloat16 preview at %1 of %2 pauses").arg(previews).arg(shown.size())
                                                 : QStringLiteral("float32 (no preview)"));
        row("tokens at the pauses, min / median / max",
            tokens.empty() ? QStringLiteral("n/a")
                           : QStringLiteral("%1 / %2 / %3")
                                 .arg(*std::min_element(tokens.begin(), tokens.end()))
                                 .arg(median(tokens))
                                 .arg(maxOf(tokens)));
        row("last key → views updated (analysisShown), median / max ms", cell(shown));
        row("last key → views painted, median / max ms", cell(painted));
        row(qPrintable(QStringLiteral("same at ≥ %1 tokens (painted), median / max ms").arg(opt_.tokens - 8)),
            cell(nearTarget) + QStringLiteral(" (n = %1)").arg(nearTarget.size()));
        row("pauses updated within 150 ms", QStringLiteral("%1 / %2").arg(within).arg(shown.size()));
        row("last key → exact float32 analysis shown, median / max ms", cell(exact));
        row("debounce fired → views updated, median / max ms", cell(afterDebounce));
        row("first analysis alone (Analysis::elapsedMs), median / max ms", cell(analysis));
        row("view update on the GUI thread (token strip + current view), median / max ms", cell(viewUpdate));
        row("updated → painted (layouts and repaints), median / max ms", cell(paintAfterShown));
        row("longest event-loop gap, 10 ms timer (idle baseline)",
            QStringLiteral("%1 ms (%2 ms); %3 gaps > 50 ms; the longest after %4")
                .arg(worstGap_)
                .arg(idleWorstGap_)
                .arg(gapsOver50_)
                .arg(worstGapAfter_.isEmpty() ? QStringLiteral("nothing in particular") : worstGapAfter_));
        row(qPrintable(QStringLiteral("RSS after warm-up (%1 s)").arg(warmupRss_ ? warmupAtSec_ : 0.0, 0, 'f', 0)),
            warmupRss_ ? QStringLiteral("%1 MiB").arg(*warmupRss_, 0, 'f', 1) : QStringLiteral("n/a"));
        row("RSS at end (highest sample after warm-up)",
            QStringLiteral("%1 MiB (%2 MiB)").arg(endRss, 0, 'f', 1).arg(maxRssAfterWarmup_, 0, 'f', 1));
        row("RSS growth after warm-up",
            warmupRss_ ? QStringLiteral("%1 MiB").arg(endRss - *warmupRss_, 0, 'f', 1) : QStringLiteral("n/a"));

        if (opt_.view == QLatin1String("rotate")) {
            std::printf("\n| current view | pauses | painted median / max ms | analysis median ms | view update "
                        "median ms |\n|---|---:|---:|---:|---:|\n");
            for (AnalysisView* v : window_.viewSync()->views()) {
                std::vector<double> lat, an, up;
                for (const Pause& p : pauses_)
                    if (p.view == v->title() && p.shownMs) {
                        lat.push_back(double((p.paintedMs ? *p.paintedMs : *p.shownMs) - p.lastKeyMs));
                        an.push_back(p.analysisMs);
                        up.push_back(p.viewUpdateMs);
                    }
                std::printf("| %s | %zu | %s | %.0f | %.0f |\n", qPrintable(v->title()), lat.size(),
                            qPrintable(cell(lat)), median(an), median(up));
            }
        }
        std::fflush(stdout);
        return shown.empty() ? 1 : 0;
    }

    // Keys per second between consecutive keystrokes, pauses and tab switches excluded: the rate
    // the GUI actually sustained, which drops below the script's ~8/s if the event loop stalls.
    double typingRate() const
    {
        return typingActiveMs_ > 0 ? keyIntervals_ * 1000.0 / double(typingActiveMs_) : 0.0;
    }

    enum class Phase { Initial, Edit };

    MainWindow& window_;
    Options opt_;
    QLineEdit* editA_ = nullptr;
    QLineEdit* editB_ = nullptr;
    QStringList poolA_, poolB_;
    int atA_ = 0, atB_ = 0;
    int maskIndex_ = 0;
    Phase phase_ = Phase::Initial;
    QStringList toType_[2];   // the initial pair, still to be typed
    QStringList fields_[2];   // the words each editor holds once the script so far has run
    QStringList toAdd_;       // words still to retype in the current edit
    int editField_ = 1;
    int editCount_ = 0;
    std::deque<Step> script_;
    QRandomGenerator rng_{20261126};  // the same keystroke timing on every run

    QEventLoop loop_;
    QTimer stepTimer_;
    QElapsedTimer clock_;
    qint64 typingStart_ = 0;
    qint64 lastKeyMs_ = 0;
    int keystrokes_ = 0;
    bool keyRun_ = false;           // the previous step was a keystroke too
    bool editedSincePause_ = false;
    qint64 typingActiveMs_ = 0;
    int keyIntervals_ = 0;
    int warmupSec_ = 60;

    std::optional<Pause> pending_;
    SettleProbe settleProbe_;
    bool guiWorkSeen_ = false;
    int pauseId_ = 0;
    bool pauseOver_ = false;
    std::vector<Pause> pauses_;
    int analysesShown_ = 0;

    QTimer ticker_;
    qint64 lastTick_ = 0;
    bool measuringGaps_ = false;
    qint64 worstGap_ = 0, idleWorstGap_ = 0;
    QString activity_;        // the last thing the GUI thread was asked to do
    QString worstGapAfter_;
    int gapsOver50_ = 0;

    std::optional<double> warmupRss_;
    double warmupAtSec_ = 0.0;
    double maxRssAfterWarmup_ = 0.0;
};

} // namespace

int main(int argc, char** argv)
{
    bertlab::initBlas();  // before QApplication starts any thread: it sets an environment variable
    // Without a display the bench still runs (offscreen is what explorer_bench.sh uses anyway).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("bertlab-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("explorer-latency"));
    // Recent-model lists and other preferences go to a throw-away folder, not the user's settings.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explorer latency while typing (see docs/performance.md)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Model folder (BERT-Base-sized, with MLM and NSP heads)."));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("Typing time (default 120)."),
                                        QStringLiteral("S"), QStringLiteral("120"));
    const QCommandLineOption tokensOpt(QStringLiteral("tokens"),
                                       QStringLiteral("Target pair length in tokens (default 64)."),
                                       QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption pauseOpt(QStringLiteral("pause-ms"),
                                      QStringLiteral("Length of the user's pauses (default 1000)."),
                                      QStringLiteral("P"), QStringLiteral("1000"));
    const QCommandLineOption viewOpt(QStringLiteral("view"),
                                     QStringLiteral("Tab to keep open, or rotate (the next tab after each pause)."),
                                     QStringLiteral("TITLE"), QStringLiteral("rotate"));
    const QCommandLineOption prefillOpt(QStringLiteral("prefill"),
                                        QStringLiteral("Start from the full pair and only edit it."));
    const QCommandLineOption noPreviewOpt(QStringLiteral("no-preview"),
                                          QStringLiteral("Float32 only: View > Fast Preview While Typing off."));
    const QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("One line per pause on stderr."));
    parser.addOptions({secondsOpt, tokensOpt, pauseOpt, viewOpt, prefillOpt, noPreviewOpt, verboseOpt});
    parser.process(app);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: explorer-latency MODEL [--seconds S] [--tokens N] [--pause-ms P] "
                             "[--view TITLE|rotate] [--prefill] [--no-preview] [--verbose]\n");
        return 2;
    }
    Options opt;
    opt.model = parser.positionalArguments().first();
    opt.seconds = std::max(1, parser.value(secondsOpt).toInt());
    opt.tokens = std::clamp(parser.value(tokensOpt).toInt(), 8, 512);
    opt.pauseMs = std::max(200, parser.value(pauseOpt).toInt());
    opt.view = parser.value(viewOpt);
    opt.prefill = parser.isSet(prefillOpt);
    opt.verbose = parser.isSet(verboseOpt);
    opt.preview = !parser.isSet(noPreviewOpt);

    MainWindow window;
    window.setInteractive(false);
    window.setFastPreview(opt.preview);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window, 10000))
        std::fprintf(stderr, "warning: the window was not exposed; paint times may be missing\n");
    QString error;
    QElapsedTimer load;
    load.start();
    if (!window.openModelAndWait(opt.model, 600000, &error)) {
        std::fprintf(stderr, "error: %s\n", qPrintable(error));
        return 1;
    }
    // The engine's own reason when it made no bfloat16 copies (CPU, model size, free memory).
    std::fprintf(stderr, "loaded %s in %lld ms (with the first analysis); bfloat16 preview %s\n", qPrintable(opt.model),
                 load.elapsed(),
                 !window.previewAvailable() ? window.models()->memory().preview.reason.c_str() : opt.preview ? "on" : "off");
    if (!window.model()->hasMlm())
        std::fprintf(stderr, "warning: the model has no MLM head; the masked-word view has nothing to update\n");
    if (!window.model()->hasNsp())
        std::fprintf(stderr, "warning: the model has no NSP head; the next-sentence view has nothing to update\n");

    Bench bench(window, opt);
    return bench.run();
}
