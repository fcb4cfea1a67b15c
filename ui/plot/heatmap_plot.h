// A QCustomPlot showing one labelled matrix as a single colour-map image (rows top to bottom), with a colour scale.
#pragma once

#include <QStringList>
#include <QVector>

#include <qcustomplot.h>

namespace bertlab::ui {

class ColorMap;

class HeatmapPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit HeatmapPlot(QWidget* parent = nullptr);

    // values: rows × cols, row-major; NaN cells are drawn in the "no data" grey.
    // Labels may be shorter than the matrix (missing ones show the index).
    void setMatrix(int rows, int cols, const QVector<double>& values, const QStringList& rowLabels,
                   const QStringList& colLabels);
    void clearMatrix();
    // Colour range; lo == hi picks [min, max] of the data.
    void setValueRange(double lo, double hi);
    void setColorMap(const ColorMap& map);
    void setAxisTitles(const QString& rowTitle, const QString& colTitle, const QString& scaleTitle);
    // Text drawn inside cells (row-major, empty = none); only used for small matrices.
    void setCellTexts(const QStringList& texts);
    // Extra labels on the right of each row (e.g. the row's top-1 guess); empty: none.
    void setRightLabels(const QStringList& labels);
    void setPresentationMode(bool on);

    int matrixRows() const { return rows_; }
    int matrixCols() const { return cols_; }
    double cellValue(int row, int col) const;
    // The cell under a widget position (false outside the matrix), and a cell's centre (for tests).
    bool cellAt(const QPoint& pos, int* row, int* col) const;
    QPoint cellCenter(int row, int col) const;

signals:
    void cellClicked(int row, int col);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildTicks();
    void rebuildCellTexts();
    void applyFonts();

    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    int rows_ = 0, cols_ = 0;
    QVector<double> values_;
    QStringList rowLabels_, colLabels_, rightLabels_, cellTexts_;
    double lo_ = 0, hi_ = 0;
    bool presentation_ = false;
    QList<QCPItemText*> textItems_;
};

} // namespace bertlab::ui
