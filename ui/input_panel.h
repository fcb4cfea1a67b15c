// Sentence A / optional Sentence B editors, debounced, with the token strip and truncation warning.
#pragma once

#include "analysis.h"

#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QTimer;

namespace bertlab::ui {

class TokenStrip;

class InputPanel : public QWidget {
    Q_OBJECT
public:
    // Short: the "views within 150 ms of a pause" budget starts at the last key, and each new
    // request cancels the running one, so starting at once costs no backlog. Edits arriving
    // together (a paste, an input method committing several characters) still coalesce.
    static constexpr int kDebounceMs = 5;

    explicit InputPanel(QWidget* parent = nullptr);

    QString textA() const;
    QString textB() const;
    const std::vector<int>& masks() const { return masks_; }  // sorted token positions

    // Programmatic changes (command line, sessions): emit requestChanged at once, no debounce.
    void setTexts(const QString& a, const QString& b);
    void setMasks(std::vector<int> masks);
    void toggleMask(int position);

    // Shows what the model saw; drops masks whose token changed after an edit.
    void setAnalysis(const AnalysisPtr& analysis);
    void setError(const QString& message);  // empty clears
    void clear();
    bool isPending() const;  // an edit is waiting for its debounce to expire

    QLineEdit* editA() const { return editA_; }
    QLineEdit* editB() const { return editB_; }
    TokenStrip* tokenStrip() const { return strip_; }
    QLabel* warningLabel() const { return warning_; }

signals:
    void requestChanged();

private:
    void onEdited();
    void updateMaskHint();

    QLineEdit* editA_ = nullptr;
    QLineEdit* editB_ = nullptr;
    TokenStrip* strip_ = nullptr;
    QLabel* warning_ = nullptr;
    QLabel* hint_ = nullptr;
    QTimer* debounce_ = nullptr;
    std::vector<int> masks_;
    std::vector<std::string> lastTokens_;  // the original wordpieces of the last shown analysis
    bool editedSinceAnalysis_ = false;
};

} // namespace bertlab::ui
