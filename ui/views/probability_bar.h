// A horizontal bar split into two labelled shares (e.g. IsNext vs NotNext), painted in two colour-blind-safe colours.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

namespace bertlab::ui {

class ProbabilityBar : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBar(QWidget* parent = nullptr);

    // first in [0, 1]; the rest of the bar is the second share.
    void setShares(double first, const QString& firstLabel, const QString& secondLabel);
    double firstShare() const { return first_; }
    void setPresentationMode(bool on);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double first_ = 0.5;
    QString firstLabel_, secondLabel_;
    bool presentation_ = false;
};

} // namespace bertlab::ui
