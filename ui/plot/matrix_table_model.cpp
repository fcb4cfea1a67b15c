// Serves matrix cells on demand with a faint background proportional to the value.
#include "plot/matrix_table_model.h"

#include <QColor>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

void MatrixTableModel::setMatrix(int rows, int cols, QVector<double> values, QStringList rowLabels, QStringList colLabels)
{
    beginResetModel();
    const bool ok = rows > 0 && cols > 0 && values.size() >= static_cast<qsizetype>(rows) * cols;
    rows_ = ok ? rows : 0;
    cols_ = ok ? cols : 0;
    values_ = ok ? std::move(values) : QVector<double>{};
    rowLabels_ = std::move(rowLabels);
    colLabels_ = std::move(colLabels);
    max_ = 0;
    for (double v : values_)
        if (std::isfinite(v))
            max_ = std::max(max_, std::abs(v));
    if (max_ <= 0)
        max_ = 1;
    endResetModel();
}

void MatrixTableModel::clear()
{
    setMatrix(0, 0, {}, {}, {});
}

int MatrixTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : rows_;
}

int MatrixTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : cols_;
}

QVariant MatrixTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_ || index.column() >= cols_)
        return {};
    const double v = values_[static_cast<qsizetype>(index.row()) * cols_ + index.column()];
    switch (role) {
    case Qt::DisplayRole:
        return std::isfinite(v) ? QString::number(v, 'f', decimals_) : QStringLiteral("–");
    case Qt::EditRole:
    case Qt::UserRole:
        return v;
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole: {
        if (!std::isfinite(v))
            return {};
        // Light blue wash: strong enough to scan, light enough to keep black text readable.
        const double t = std::clamp(std::abs(v) / max_, 0.0, 1.0);
        return QColor::fromRgbF(1.0 - 0.55 * t, 1.0 - 0.3 * t, 1.0);
    }
    default:
        return {};
    }
}

QVariant MatrixTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const QStringList& labels = orientation == Qt::Horizontal ? colLabels_ : rowLabels_;
    const QString label = section < labels.size() ? labels[section] : QString();
    return label.isEmpty() ? QString::number(section) : QStringLiteral("%1 %2").arg(section).arg(label);
}

} // namespace bertlab::ui
