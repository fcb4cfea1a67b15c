// A wrapping row of token chips in caller-chosen colours with an optional second line (segment ids, masking results).
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

#include <vector>

namespace bertlab::ui {

struct ColoredChip {
    QString text;
    QString subText;        // second line under the token (e.g. "→ [MASK]"); empty for one line
    QColor background;
    QString toolTip;
    bool emphasized = false;  // thick outline
};

class ColoredTokenStrip : public QWidget {
    Q_OBJECT
public:
    explicit ColoredTokenStrip(QWidget* parent = nullptr);

    void setChips(std::vector<ColoredChip> chips);
    const std::vector<ColoredChip>& chips() const { return chips_; }
    void setPresentationMode(bool on);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    // Chip rectangles for a given width (wrapping like text).
    std::vector<QRect> layoutChips(int width) const;
    QFont chipFont() const;
    QFont subFont() const;

    std::vector<ColoredChip> chips_;
    bool presentation_ = false;
};

} // namespace bertlab::ui
