// The status bar's permanent part: a busy indicator, the newest analysis's size and time, the model's name.
#pragma once

#include "analysis.h"

#include <QObject>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace bertlab::ui {

class StatusIndicators : public QObject {
    Q_OBJECT
public:
    explicit StatusIndicators(QStatusBar* bar);

    void setBusy(bool busy);
    void showTiming(const Analysis& analysis);  // "12 tokens · 34 ms", "… preview" for a bfloat16 one
    void setModelName(const QString& name);     // empty: "no model"

private:
    QProgressBar* busy_;
    QLabel* elapsed_;
    QLabel* model_;
};

} // namespace bertlab::ui
