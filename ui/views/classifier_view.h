// The Classifier tab of a fine-tuned model: label probabilities for the sentence (pair), or a label under each word.
#pragma once

#include "analysis_view.h"

#include <memory>

class QLabel;
class QTableWidget;

namespace bertlab::ui {

class ColoredTokenStrip;
class LabelBars;
struct ClassifierOutput;

class ClassifierView : public AnalysisView {
    Q_OBJECT
public:
    explicit ClassifierView(QWidget* parent = nullptr);
    ~ClassifierView() override;

    QString title() const override;
    QString name() const override { return QStringLiteral("classifier"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    // Non-empty when the view shows a state instead of a result.
    QString stateMessage() const;
    QString headline() const;
    LabelBars* bars() const { return bars_; }              // sequence task: best first
    ColoredTokenStrip* wordStrip() const { return strip_; } // token task: a chip per word
    QTableWidget* wordTable() const { return table_; }     // token task: word, label, probability

private:
    void showState(const QString& message);
    void showSequence();
    void showTokens();

    AnalysisPtr analysis_;
    std::shared_ptr<const ClassifierOutput> output_;  // what is drawn (kept through a preview delivery)
    QLabel* state_ = nullptr;
    QWidget* content_ = nullptr;  // what exportImage renders
    QLabel* headline_ = nullptr;
    LabelBars* bars_ = nullptr;
    ColoredTokenStrip* strip_ = nullptr;
    QTableWidget* table_ = nullptr;
    QLabel* note_ = nullptr;
};

} // namespace bertlab::ui
