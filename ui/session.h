// A session file: which model, which sentences and masks, which layer/head and view were on screen.
#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace bertlab::ui {

struct Session {
    QString modelPath;         // absolute; empty when no model was loaded
    QString textA;
    QString textB;
    std::vector<int> masks;    // token positions toggled to [MASK]
    int layer = 0;             // 0-based
    int head = 0;              // 0-based
    QString view;              // the current view's name(), e.g. "masked-words" (older files: its English title)
    bool presentationMode = false;
    QString ablation;          // switched-off heads, HeadAblation's 1-based "L:H,L:*" form; empty: none

    bool operator==(const Session&) const = default;
};

// JSON with a "format": "bertlab-session" marker and a version; written via temp name + rename.
QByteArray sessionToJson(const Session& session);
// Throws nothing: returns std::nullopt and sets *error on unreadable, non-session or newer files.
std::optional<Session> sessionFromJson(const QByteArray& json, QString* error);

bool saveSession(const Session& session, const QString& path, QString* error);
std::optional<Session> loadSession(const QString& path, QString* error);

// File dialog filter and default suffix for sessions.
QString sessionFileFilter();
inline constexpr const char* kSessionSuffix = "bertlab";

} // namespace bertlab::ui
