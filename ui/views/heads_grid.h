// A layers × heads grid of attention thumbnails; clicking one asks for that layer and head.
#pragma once

#include <QImage>
#include <QWidget>

#include <vector>

namespace bertlab::ui {

class HeadsGrid : public QWidget {
    Q_OBJECT
public:
    explicit HeadsGrid(QWidget* parent = nullptr);

    // thumbnails[layer][head]: small images already coloured (see makeAttentionThumbnail).
    void setThumbnails(std::vector<std::vector<QImage>> thumbnails);
    void clear();
    void setCurrent(int layer, int head);
    void setPresentationMode(bool on);
    // Where the thumbnail of (layer, head) is drawn, for tests that click it.
    QRect cellRect(int layer, int head) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

signals:
    void headClicked(int layer, int head);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    int cellSize(int width) const;
    int labelWidth() const;
    int headerHeight() const;
    QFont labelFont() const;

    std::vector<std::vector<QImage>> thumbs_;
    int layer_ = -1, head_ = -1;
    bool presentation_ = false;
};

// Downsamples a T × T matrix (row-major) to at most `size` pixels a side by block means and colours
// it with viridis from 0 to the block maximum, so each head's own pattern is visible.
QImage makeAttentionThumbnail(const float* weights, int tokens, int size);

} // namespace bertlab::ui
