// Saving plots and widgets as PNG / PDF / SVG and tables as CSV / JSON, always via a temp name + rename.
#pragma once

#include "tensor.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

class QCustomPlot;
class QWidget;

namespace bertlab::ui::exporting {

enum class ImageFormat { Png, Pdf, Svg, Unknown };
enum class DataFormat { Csv, Json, Unknown };

ImageFormat imageFormatFor(const QString& path);  // by suffix, case-insensitive
DataFormat dataFormatFor(const QString& path);

// Writes bytes to path atomically (QSaveFile: temp file in the same folder, then rename).
bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

// Saves a QCustomPlot as .png (rendered at dpi, i.e. scaled by dpi / 96 and tagged with that
// resolution), .pdf (vector) or .svg (vector, QSvgGenerator). width/height 0 = current size.
bool savePlot(QCustomPlot* plot, const QString& path, int dpi, QString* error, int width = 0, int height = 0);

// Saves any widget (with its children) the same way; a QCustomPlot is routed to savePlot.
bool saveWidget(QWidget* widget, const QString& path, int dpi, QString* error);

// A labelled numeric table: values are row-major [rows, cols]. Labels may be empty.
struct Table {
    QString name;            // e.g. "attention layer 3 head 5"
    QStringList rowLabels;   // rows entries, or empty
    QStringList colLabels;   // cols entries, or empty
    int rows = 0;
    int cols = 0;
    std::vector<double> values;

    double at(int r, int c) const { return values[static_cast<size_t>(r) * cols + c]; }
    static Table fromMatrix(const Matrix& m, QString name = {}, QStringList rowLabels = {},
                            QStringList colLabels = {});
};

// CSV: a header line ("" then colLabels, or col0..colN) and one line per row (row label first when
// given). Fields are quoted when needed (RFC 4180). So a table has rows + 1 lines.
QByteArray toCsv(const Table& table);
// JSON: {"name", "rows", "cols", "rowLabels", "colLabels", "values": [[...], ...]}.
QJsonObject toJson(const Table& table);

// Writes one table; format from the suffix (.csv or .json).
bool saveTable(const Table& table, const QString& path, QString* error);
// Writes several tables: .json gets {"tables": [...]} plus any `extra` keys; .csv writes the tables
// one after another, each preceded by a "# name" line and separated by a blank line.
bool saveTables(const std::vector<Table>& tables, const QString& path, QString* error,
                const QJsonObject& extra = {});
bool saveJson(const QJsonDocument& document, const QString& path, QString* error);

} // namespace bertlab::ui::exporting
