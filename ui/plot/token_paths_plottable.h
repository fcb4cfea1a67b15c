// One QCustomPlot plottable that draws every token's path through the layers, its point at the chosen layer and its label.
#pragma once

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QStaticText>
#include <QString>

#include <qcustomplot.h>

#include <vector>

namespace bertlab::ui {

// One object for the whole picture, where a curve, a graph and a text item per token made a
// 64-token sentence cost ~200 QObjects and tens of milliseconds to rebuild on every keystroke.
// A click reports the token's index as the data index of QCustomPlot::plottableClick.
class TokenPathsPlottable : public QCPAbstractPlottable {
    Q_OBJECT
public:
    struct Token {
        QString label;
        QColor color;
        std::vector<QPointF> path;  // (x, y) per hidden state, in plot coordinates
    };

    TokenPathsPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

    void setTokens(std::vector<Token> tokens, int chosenLayer);
    void setSelectedToken(int token);  // drawn bold and on top; -1 for none
    void setLabelFont(const QFont& font);
    void setLabelColor(const QColor& color) { labelColor_ = color; }
    void setLineScale(double scale) { lineScale_ = scale; }  // presentation mode draws thicker

    int tokenCount() const { return static_cast<int>(tokens_.size()); }
    int selectedToken() const { return selected_; }
    // Where a token's chosen-layer point is drawn, in widget pixels; null when there is none.
    QPointF chosenPixel(int token) const;
    // The token whose chosen-layer point is nearest to a pixel position, or -1 if none is within
    // the plot's selection tolerance.
    int tokenAt(const QPointF& pixel) const;

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    double distanceTo(const QPointF& pixel, int* token) const;
    // x (keys) or y (values) over every path point; values may be limited to points within a key range.
    QCPRange rangeOf(bool& foundRange, QCP::SignDomain inSignDomain, bool values, const QCPRange& inKeyRange) const;

    std::vector<Token> tokens_;
    std::vector<QStaticText> labels_, labelsBold_;  // per token, laid out on first paint
    int chosen_ = 0;
    int selected_ = -1;
    QFont labelFont_;
    QColor labelColor_ = Qt::black;
    double lineScale_ = 1.0;
};

} // namespace bertlab::ui
