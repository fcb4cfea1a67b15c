// Rewrites an export with its ablation recorded, in the way each format holds metadata.
#include "export_metadata.h"

#include "export.h"
#include "exporting_context.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>

namespace bertlab::ui::exporting {

namespace {

bool readAll(const QString& path, QByteArray* bytes, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = Exporting::tr("Cannot reopen %1: %2").arg(path, file.errorString());
        return false;
    }
    *bytes = file.readAll();
    return true;
}

} // namespace

bool stampAblation(const QString& path, const QString& ablation, QString* error)
{
    if (ablation.isEmpty())
        return true;
    const bool isCsv = dataFormatFor(path) == DataFormat::Csv;
    const bool isJson = dataFormatFor(path) == DataFormat::Json;
    const bool isPng = imageFormatFor(path) == ImageFormat::Png;
    if (!isCsv && !isJson && !isPng)
        return true;
    QByteArray bytes;
    if (!readAll(path, &bytes, error))
        return false;
    if (isCsv)
        return writeFileAtomically(path, "# ablation: " + ablation.toUtf8() + '\n' + bytes, error);
    if (isJson) {
        QJsonDocument doc = QJsonDocument::fromJson(bytes);
        if (!doc.isObject())
            return true;  // every view writes an object; anything else is left alone
        QJsonObject root = doc.object();
        root.insert(QStringLiteral("ablation"), ablation);
        return writeFileAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Indented), error);
    }
    QImage image;
    if (!image.loadFromData(bytes, "PNG")) {
        if (error)
            *error = Exporting::tr("Cannot reread the image %1").arg(path);
        return false;
    }
    image.setText(QStringLiteral("ablation"), ablation);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return writeFileAtomically(path, png, error);
}

} // namespace bertlab::ui::exporting
