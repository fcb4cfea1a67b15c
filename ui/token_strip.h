// The row of wordpiece chips under the input: text, id, segment colour, position; click or key to mask.
#pragma once

#include <QString>
#include <QWidget>

#include <vector>

namespace bertlab::ui {

struct TokenChip {
    QString text;        // what the model saw ("[MASK]" when masked)
    QString original;    // the wordpiece before masking
    int id = 0;
    int segment = -1;    // 0 = A, 1 = B, -1 = special
    int typeId = 0;
    bool special = false;
    bool masked = false; // toggled by the user
    bool typedMask = false;
    QString toolTip;
};

class TokenStrip : public QWidget {
    Q_OBJECT
public:
    explicit TokenStrip(QWidget* parent = nullptr);

    void setChips(std::vector<TokenChip> chips);
    const std::vector<TokenChip>& chips() const { return chips_; }
    // The chip's rectangle in widget coordinates (for tests and tooltips); empty when out of range.
    QRect chipRect(int position) const;
    // The chip the keyboard is on (drawn with a focus frame while the strip has focus); -1 if none.
    int currentChip() const { return current_; }
    void setCurrentChip(int position);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void tokenClicked(int position);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    std::vector<QRect> layoutChips(int width) const;
    int chipAt(const QPoint& p) const;
    QSize chipSize(const TokenChip& chip) const;
    int chipInNextRow(int from, int direction) const;  // direction -1: the row above, +1: below
    void describeCurrent();

    std::vector<TokenChip> chips_;
    std::vector<QRect> rects_;
    int hovered_ = -1;
    int current_ = -1;
};

} // namespace bertlab::ui
