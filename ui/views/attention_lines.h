// The "lines" picture of one attention matrix: tokens in two columns, a line per pair with opacity = weight.
#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

namespace bertlab::ui {

class AttentionLines : public QWidget {
    Q_OBJECT
public:
    explicit AttentionLines(QWidget* parent = nullptr);

    // weights: T × T row-major (row = query on the left, column = key on the right).
    void setData(int tokens, QVector<float> weights, QStringList labels, std::vector<int> segments);
    void clear();
    void setPresentationMode(bool on);
    // -1: none. Positive: only that query's (left) or key's (right) lines are drawn strongly.
    void setFocusedToken(int leftToken, int rightToken);
    int focusedLeft() const { return focusLeft_; }
    int focusedRight() const { return focusRight_; }
    // Lines below this weight are skipped (0 draws everything).
    float threshold() const;
    // Counts lines the last paint drew, so tests can see culling at work.
    int lastPaintedLines() const { return lastPainted_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    int rowHeight() const;
    int columnWidth() const;
    int columnsLeft() const;  // x of the query column
    int gapWidth() const;     // space between the two columns, where lines run
    int tokenAt(QPoint pos, bool* left) const;
    QFont labelFont() const;

    int tokens_ = 0;
    QVector<float> weights_;
    QStringList labels_;
    std::vector<int> segments_;
    bool presentation_ = false;
    int focusLeft_ = -1, focusRight_ = -1;
    int lastPainted_ = 0;
};

} // namespace bertlab::ui
