// Horizontal probability bars, one row per label (name, bar, percentage), drawn in the label's categorical colour.
#pragma once

#include <QString>
#include <QWidget>

#include <vector>

namespace bertlab::ui {

struct LabelBar {
    QString label;
    double prob = 0.0;
    int colorIndex = 0;  // the label's id, so a label keeps its colour however the rows are sorted
};

class LabelBars : public QWidget {
    Q_OBJECT
public:
    explicit LabelBars(QWidget* parent = nullptr);

    void setBars(std::vector<LabelBar> bars);  // drawn in the given order
    const std::vector<LabelBar>& bars() const { return bars_; }
    void setPresentationMode(bool on);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QFont rowFont() const;
    int rowHeight() const;

    std::vector<LabelBar> bars_;
    bool presentation_ = false;
};

} // namespace bertlab::ui
