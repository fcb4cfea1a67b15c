// A read-only table model over a labelled matrix, so a QTableView shows 512 × 512 values without an item per cell.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

namespace bertlab::ui {

class MatrixTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setMatrix(int rows, int cols, QVector<double> values, QStringList rowLabels, QStringList colLabels);
    void clear();
    void setDecimals(int decimals) { decimals_ = decimals; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int rows_ = 0, cols_ = 0;
    QVector<double> values_;
    QStringList rowLabels_, colLabels_;
    double max_ = 1.0;
    int decimals_ = 3;
};

} // namespace bertlab::ui
