// The BERT paper's input-representation figure, live: token + segment + position = sum -> LayerNorm.
#pragma once

#include "analysis.h"

#include <QHash>
#include <QStaticText>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

class QPainter;

namespace bertlab::ui {

class EmbeddingFigure : public QWidget {
    Q_OBJECT
public:
    enum Row { TokenRow, SegmentRow, PositionRow, SumRow, NormRow, RowCount };

    explicit EmbeddingFigure(QWidget* parent = nullptr);

    void setAnalysis(AnalysisPtr analysis);
    void setSelectedToken(int position);
    int selectedToken() const { return selected_; }

    static QString rowTitle(Row row);
    // Where a token's box of a row sits, for tests and hover; empty when out of range.
    QRect boxRect(int row, int position) const;
    // The tooltip text at a point (empty outside boxes); what hovering shows.
    QString describeAt(const QPoint& p) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void tokenClicked(int position);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Geometry {
        int labelWidth = 0;
        int columnWidth = 0;           // what is drawn: fitted to the widget's width
        int minColumnWidth = 0;
        int preferredColumnWidth = 0;
        int headerHeight = 0;  // the input tokens row
        int rowHeight = 0;     // one embedding row (caption + strip)
        int gapHeight = 0;     // between rows, where "+", "=", "LayerNorm" sit
        int stripHeight = 0;
        int captionHeight = 0;
    };
    Geometry geometry() const;  // cached per analysis, font and width: paint asks for it per box
    const Matrix* rowMatrix(int row) const;
    QString boxCaption(int row, int position) const;
    const QImage& stripImage(int row, int position) const;
    const QStaticText& staticText(const QString& text, const QFont& font) const;
    // Text centred in r (elided when too wide), from the layout cache.
    void drawCentered(QPainter& p, const QRect& r, const QString& text, const QFont& font) const;
    void rebuildScales();
    void invalidateCaches();

    AnalysisPtr analysis_;
    std::array<float, RowCount> absMax_{};  // colour scale per row (robust maximum of |value|)
    // Built on first paint after a change; repaints (selection, hover, scrolling) reuse them.
    mutable std::optional<Geometry> geometry_;
    mutable int geometryWidth_ = -1;
    mutable std::array<std::vector<QImage>, RowCount> strips_;
    mutable QHash<QString, QStaticText> textCache_;  // by font key and text
    int selected_ = -1;
};

} // namespace bertlab::ui
