// Persistent preferences (QSettings): recent models, window geometry and state, palette and language choice.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace bertlab::ui {

class AppSettings {
public:
    static constexpr int kMaxRecentModels = 8;

    QStringList recentModels() const;
    void addRecentModel(const QString& path);  // moves it to the front, drops the oldest
    void removeRecentModel(const QString& path);
    void clearRecentModels();

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray& geometry);
    void setWindowState(const QByteArray& state);

    bool darkMode() const;
    void setDarkMode(bool on);

    QString lastDirectory(const QString& purpose) const;  // e.g. "model", "export", "session"
    void setLastDirectory(const QString& purpose, const QString& dir);

    // The explorer's bfloat16 first pass while typing (AnalysisRequest::preview); on by default.
    bool fastPreview() const;
    void setFastPreview(bool on);

    // The UI language: "" follows the system, else a code such as "es" (View ▸ Language).
    QString language() const;
    void setLanguage(const QString& code);

    int exportDpi() const;
    void setExportDpi(int dpi);
};

} // namespace bertlab::ui
