// QSettings-backed preferences; keys live here only.
#include "app_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace bertlab::ui {

namespace {
QString normalised(const QString& path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}
} // namespace

QStringList AppSettings::recentModels() const
{
    return QSettings().value(QStringLiteral("models/recent")).toStringList();
}

void AppSettings::addRecentModel(const QString& path)
{
    QStringList list = recentModels();
    const QString p = normalised(path);
    list.removeAll(p);
    list.prepend(p);
    while (list.size() > kMaxRecentModels)
        list.removeLast();
    QSettings().setValue(QStringLiteral("models/recent"), list);
}

void AppSettings::removeRecentModel(const QString& path)
{
    QStringList list = recentModels();
    list.removeAll(normalised(path));
    QSettings().setValue(QStringLiteral("models/recent"), list);
}

void AppSettings::clearRecentModels()
{
    QSettings().remove(QStringLiteral("models/recent"));
}

QByteArray AppSettings::windowGeometry() const
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray AppSettings::windowState() const
{
    return QSettings().value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(QStringLiteral("window/geometry"), geometry);
}

void AppSettings::setWindowState(const QByteArray& state)
{
    QSettings().setValue(QStringLiteral("window/state"), state);
}

bool AppSettings::darkMode() const
{
    return QSettings().value(QStringLiteral("view/dark"), false).toBool();
}

void AppSettings::setDarkMode(bool on)
{
    QSettings().setValue(QStringLiteral("view/dark"), on);
}

bool AppSettings::fastPreview() const
{
    return QSettings().value(QStringLiteral("engine/fastPreview"), true).toBool();
}

void AppSettings::setFastPreview(bool on)
{
    QSettings().setValue(QStringLiteral("engine/fastPreview"), on);
}

QString AppSettings::language() const
{
    return QSettings().value(QStringLiteral("view/language"), QString()).toString();
}

void AppSettings::setLanguage(const QString& code)
{
    QSettings().setValue(QStringLiteral("view/language"), code);
}

QString AppSettings::lastDirectory(const QString& purpose) const
{
    return QSettings().value(QStringLiteral("dirs/") + purpose, QDir::homePath()).toString();
}

void AppSettings::setLastDirectory(const QString& purpose, const QString& dir)
{
    QSettings().setValue(QStringLiteral("dirs/") + purpose, dir);
}

int AppSettings::exportDpi() const
{
    return QSettings().value(QStringLiteral("export/dpi"), 192).toInt();
}

void AppSettings::setExportDpi(int dpi)
{
    QSettings().setValue(QStringLiteral("export/dpi"), dpi);
}

} // namespace bertlab::ui
