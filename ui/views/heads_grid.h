// A layers × heads grid of attention thumbnails; a click selects a head, its corner switch (or Ctrl+click) switches it off.
#pragma once

#include "attribution/head_ablation.h"

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
    // Which heads are switched off: drawn greyed and crossed out.
    void setAblation(const HeadAblation& ablation);
    const HeadAblation& ablation() const { return ablation_; }
    // Where the thumbnail of (layer, head) is drawn, for tests that click it.
    QRect cellRect(int layer, int head) const;
    // The on/off switch in the thumbnail's top-right corner.
    QRect switchRect(int layer, int head) const;
    // The "Layer n" label left of a row: a click switches the whole layer off or on.
    QRect layerLabelRect(int layer) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

signals:
    void headClicked(int layer, int head);
    void headToggled(int layer, int head);  // its switch was clicked, or the head Ctrl+clicked
    void layerToggled(int layer);           // its label was clicked

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;  // tooltips for switches and labels

private:
    int cellSize(int width) const;
    int labelWidth() const;
    int headerHeight() const;
    QFont labelFont() const;
    bool cellAt(const QPoint& pos, int* layer, int* head) const;
    void paintSwitch(QPainter& p, const QRect& r, bool off) const;

    std::vector<std::vector<QImage>> thumbs_;
    int layer_ = -1, head_ = -1;
    bool presentation_ = false;
    HeadAblation ablation_;
};

// Downsamples a T × T matrix (row-major) to at most `size` pixels a side by block means and colours
// it with viridis from 0 to the block maximum, so each head's own pattern is visible.
QImage makeAttentionThumbnail(const float* weights, int tokens, int size);

} // namespace bertlab::ui
