// The strip above the views that says which heads are switched off, with Reset; hidden while none is.
#pragma once

#include "attribution/head_ablation.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace bertlab::ui {

class AblationBanner : public QFrame {
    Q_OBJECT
public:
    explicit AblationBanner(QWidget* parent = nullptr);

    void setAblation(const HeadAblation& ablation);
    QString text() const { return plain_; }  // what it lists, e.g. "Switched off: L3 H5, L4 (all heads)"
    QPushButton* resetButton() const { return reset_; }

signals:
    void resetRequested();
    void explainRequested();  // "What does this mean?"

private:
    QString plain_;
    QLabel* label_ = nullptr;
    QPushButton* reset_ = nullptr;
};

} // namespace bertlab::ui
