// Image and table export; every file is written under a temporary name and renamed into place.
#include "export.h"
#include "exporting_context.h"

#include <qcustomplot.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <QWidget>

#include <cmath>
#include <filesystem>
#include <system_error>

namespace bertlab::ui::exporting {

namespace {

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}

// A unique temp path next to `path` that keeps its suffix (some writers pick the format by it).
QString tempPathFor(const QString& path)
{
    const QFileInfo info(path);
    QTemporaryFile probe(info.absolutePath() + QStringLiteral("/.") + info.completeBaseName() +
                         QStringLiteral(".XXXXXX.") + info.suffix());
    probe.setAutoRemove(false);
    if (!probe.open())
        return {};
    const QString name = probe.fileName();
    probe.close();
    return name;
}

bool commit(const QString& temp, const QString& path, QString* error)
{
    const QFileInfo written(temp);
    if (!written.exists() || written.size() == 0) {
        QFile::remove(temp);
        setError(error, Exporting::tr("Could not write %1").arg(path));
        return false;
    }
    std::error_code ec;
    std::filesystem::rename(temp.toStdString(), path.toStdString(), ec);
    if (ec) {
        QFile::remove(temp);
        setError(error, Exporting::tr("Could not move the file into place at %1: %2")
                            .arg(path, QString::fromStdString(ec.message())));
        return false;
    }
    return true;
}

// Renders with `paint` into a temp file created by the caller's writer, then renames it.
template <typename Writer>
bool writeVia(const QString& path, QString* error, Writer&& write)
{
    const QString temp = tempPathFor(path);
    if (temp.isEmpty()) {
        setError(error, Exporting::tr("Cannot create a file in %1").arg(QFileInfo(path).absolutePath()));
        return false;
    }
    if (!write(temp)) {
        QFile::remove(temp);
        setError(error, Exporting::tr("Could not render %1").arg(path));
        return false;
    }
    return commit(temp, path, error);
}

QString csvField(const QString& s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')) ||
        s.contains(QLatin1Char('\r'))) {
        QString q = s;
        q.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + q + QLatin1Char('"');
    }
    return s;
}

QString number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    return QString::number(v, 'g', 9);
}

} // namespace

ImageFormat imageFormatFor(const QString& path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("png"))
        return ImageFormat::Png;
    if (s == QLatin1String("pdf"))
        return ImageFormat::Pdf;
    if (s == QLatin1String("svg"))
        return ImageFormat::Svg;
    return ImageFormat::Unknown;
}

DataFormat dataFormatFor(const QString& path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("csv"))
        return DataFormat::Csv;
    if (s == QLatin1String("json"))
        return DataFormat::Json;
    return DataFormat::Unknown;
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, Exporting::tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        setError(error, Exporting::tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool savePlot(QCustomPlot* plot, const QString& path, int dpi, QString* error, int width, int height)
{
    if (!plot) {
        setError(error, Exporting::tr("Nothing to export"));
        return false;
    }
    const int w = width > 0 ? width : std::max(1, plot->width());
    const int h = height > 0 ? height : std::max(1, plot->height());
    dpi = std::clamp(dpi, 24, 1200);
    switch (imageFormatFor(path)) {
    case ImageFormat::Png:
        return writeVia(path, error, [&](const QString& temp) {
            return plot->savePng(temp, w, h, dpi / 96.0, -1, dpi, QCP::ruDotsPerInch);
        });
    case ImageFormat::Pdf:
        return writeVia(path, error, [&](const QString& temp) {
            return plot->savePdf(temp, w, h, QCP::epNoCosmetic, QStringLiteral("bertlab"));
        });
    case ImageFormat::Svg:
        return writeVia(path, error, [&](const QString& temp) {
            QSvgGenerator svg;
            svg.setFileName(temp);
            svg.setSize(QSize(w, h));
            svg.setViewBox(QRect(0, 0, w, h));
            svg.setTitle(QStringLiteral("bertlab"));
            QCPPainter painter;
            if (!painter.begin(&svg))
                return false;
            plot->toPainter(&painter, w, h);
            return painter.end();
        });
    case ImageFormat::Unknown:
        break;
    }
    setError(error, Exporting::tr("Unknown image format for %1 (use .png, .pdf or .svg)").arg(path));
    return false;
}

bool saveWidget(QWidget* widget, const QString& path, int dpi, QString* error)
{
    if (!widget) {
        setError(error, Exporting::tr("Nothing to export"));
        return false;
    }
    if (auto* plot = qobject_cast<QCustomPlot*>(widget))
        return savePlot(plot, path, dpi, error);
    dpi = std::clamp(dpi, 24, 1200);
    const QSize size = widget->size().expandedTo(QSize(1, 1));
    switch (imageFormatFor(path)) {
    case ImageFormat::Png:
        return writeVia(path, error, [&](const QString& temp) {
            const double scale = dpi / 96.0;
            QImage image(QSize(static_cast<int>(std::lround(size.width() * scale)),
                               static_cast<int>(std::lround(size.height() * scale))),
                         QImage::Format_ARGB32_Premultiplied);
            image.fill(widget->palette().color(QPalette::Window));
            const int dpm = static_cast<int>(std::lround(dpi / 0.0254));
            image.setDotsPerMeterX(dpm);
            image.setDotsPerMeterY(dpm);
            {
                QPainter painter(&image);
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setRenderHint(QPainter::TextAntialiasing);
                painter.scale(scale, scale);
                widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren | QWidget::DrawWindowBackground);
            }
            return image.save(temp, "PNG");
        });
    case ImageFormat::Pdf:
        return writeVia(path, error, [&](const QString& temp) {
            QPdfWriter pdf(temp);
            pdf.setCreator(QStringLiteral("bertlab"));
            pdf.setResolution(96);
            pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96.0, size.height() * 72.0 / 96.0),
                                      QPageSize::Point));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            QPainter painter;
            if (!painter.begin(&pdf))
                return false;
            const QRect page = painter.viewport();
            const double s = std::min(page.width() / static_cast<double>(size.width()),
                                      page.height() / static_cast<double>(size.height()));
            painter.scale(s, s);
            widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren | QWidget::DrawWindowBackground);
            return painter.end();
        });
    case ImageFormat::Svg:
        return writeVia(path, error, [&](const QString& temp) {
            QSvgGenerator svg;
            svg.setFileName(temp);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(QStringLiteral("bertlab"));
            QPainter painter;
            if (!painter.begin(&svg))
                return false;
            widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren | QWidget::DrawWindowBackground);
            return painter.end();
        });
    case ImageFormat::Unknown:
        break;
    }
    setError(error, Exporting::tr("Unknown image format for %1 (use .png, .pdf or .svg)").arg(path));
    return false;
}

Table Table::fromMatrix(const Matrix& m, QString name, QStringList rowLabels, QStringList colLabels)
{
    Table t;
    t.name = std::move(name);
    t.rows = static_cast<int>(m.rows());
    t.cols = static_cast<int>(m.cols());
    t.rowLabels = std::move(rowLabels);
    t.colLabels = std::move(colLabels);
    t.values.resize(static_cast<size_t>(t.rows) * t.cols);
    for (int r = 0; r < t.rows; ++r)
        for (int c = 0; c < t.cols; ++c)
            t.values[static_cast<size_t>(r) * t.cols + c] = m(r, c);
    return t;
}

QByteArray toCsv(const Table& table)
{
    QString out;
    const bool hasRowLabels = table.rowLabels.size() == table.rows && table.rows > 0;
    QStringList header;
    if (hasRowLabels)
        header << QString();
    for (int c = 0; c < table.cols; ++c)
        header << csvField(c < table.colLabels.size() ? table.colLabels[c] : QStringLiteral("col%1").arg(c));
    out += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < table.rows; ++r) {
        QStringList line;
        if (hasRowLabels)
            line << csvField(table.rowLabels[r]);
        for (int c = 0; c < table.cols; ++c)
            line << number(table.at(r, c));
        out += line.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

QJsonObject toJson(const Table& table)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), table.name);
    o.insert(QStringLiteral("rows"), table.rows);
    o.insert(QStringLiteral("cols"), table.cols);
    o.insert(QStringLiteral("rowLabels"), QJsonArray::fromStringList(table.rowLabels));
    o.insert(QStringLiteral("colLabels"), QJsonArray::fromStringList(table.colLabels));
    QJsonArray rows;
    for (int r = 0; r < table.rows; ++r) {
        QJsonArray row;
        for (int c = 0; c < table.cols; ++c) {
            const double v = table.at(r, c);
            row.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue());  // JSON has no NaN
        }
        rows.append(row);
    }
    o.insert(QStringLiteral("values"), rows);
    return o;
}

bool saveJson(const QJsonDocument& document, const QString& path, QString* error)
{
    return writeFileAtomically(path, document.toJson(QJsonDocument::Indented), error);
}

bool saveTable(const Table& table, const QString& path, QString* error)
{
    return saveTables({table}, path, error);
}

bool saveTables(const std::vector<Table>& tables, const QString& path, QString* error, const QJsonObject& extra)
{
    switch (dataFormatFor(path)) {
    case DataFormat::Csv: {
        if (tables.size() == 1)
            return writeFileAtomically(path, toCsv(tables.front()), error);
        QByteArray bytes;
        for (size_t i = 0; i < tables.size(); ++i) {
            if (i > 0)
                bytes += '\n';
            bytes += "# " + tables[i].name.toUtf8() + '\n';
            bytes += toCsv(tables[i]);
        }
        return writeFileAtomically(path, bytes, error);
    }
    case DataFormat::Json: {
        QJsonObject root = extra;
        if (tables.size() == 1 && extra.isEmpty()) {
            root = toJson(tables.front());
        } else {
            QJsonArray list;
            for (const Table& t : tables)
                list.append(toJson(t));
            root.insert(QStringLiteral("tables"), list);
        }
        return saveJson(QJsonDocument(root), path, error);
    }
    case DataFormat::Unknown:
        break;
    }
    setError(error, Exporting::tr("Unknown data format for %1 (use .csv or .json)").arg(path));
    return false;
}

} // namespace bertlab::ui::exporting
