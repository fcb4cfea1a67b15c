// The next-sentence-prediction view: does B follow A, in words and a bar, with the logits and the segment ids seen.
#pragma once

#include "analysis_view.h"

class QLabel;
class QPushButton;

namespace bertlab::ui {

class ProbabilityBar;
class ColoredTokenStrip;

class NspView : public AnalysisView {
    Q_OBJECT
public:
    explicit NspView(QWidget* parent = nullptr);

    QString title() const override;
    QString name() const override { return QStringLiteral("next-sentence"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    // Non-empty when the view shows a state instead of a result (no run, no B, no NSP head).
    QString stateMessage() const;
    bool showsResult() const;
    QString headline() const;      // e.g. "B follows A: 93%"
    QString secondLine() const;    // e.g. "B is a random sentence: 7%"
    QString logitsText() const;
    ProbabilityBar* bar() const { return bar_; }
    ColoredTokenStrip* segmentStrip() const { return strip_; }
    QPushButton* swapButton() const { return swap_; }

signals:
    // The user wants sentences A and B exchanged and the pair run again; the main window does it.
    void swapRequested();

private:
    void showState(const QString& message, bool keepStrip);
    void fillStrip();
    static QString percent(double p);

    AnalysisPtr analysis_;
    bool presentation_ = false;
    QLabel* state_ = nullptr;
    QWidget* content_ = nullptr;   // what exportImage renders
    QWidget* result_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* second_ = nullptr;
    ProbabilityBar* bar_ = nullptr;
    QLabel* logits_ = nullptr;
    QLabel* stripTitle_ = nullptr;
    ColoredTokenStrip* strip_ = nullptr;
    QLabel* legend_ = nullptr;
    QPushButton* swap_ = nullptr;
};

} // namespace bertlab::ui
