// Session files as small JSON documents; readers reject anything that is not one.
#include "session.h"

#include "export.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace bertlab::ui {

namespace {

// Gives these free functions a tr() context that lupdate and the translator agree on.
struct Sessions {
    Q_DECLARE_TR_FUNCTIONS(bertlab::ui::Sessions)
};
constexpr int kVersion = 1;
constexpr qint64 kMaxSessionBytes = 16 * 1024 * 1024;  // sessions are tiny; refuse huge files

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}
} // namespace

QByteArray sessionToJson(const Session& s)
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), QStringLiteral("bertlab-session"));
    o.insert(QStringLiteral("version"), kVersion);
    o.insert(QStringLiteral("model"), s.modelPath);
    o.insert(QStringLiteral("textA"), s.textA);
    o.insert(QStringLiteral("textB"), s.textB);
    QJsonArray masks;
    for (int m : s.masks)
        masks.append(m);
    o.insert(QStringLiteral("masks"), masks);
    o.insert(QStringLiteral("layer"), s.layer);
    o.insert(QStringLiteral("head"), s.head);
    o.insert(QStringLiteral("view"), s.view);
    o.insert(QStringLiteral("presentationMode"), s.presentationMode);
    o.insert(QStringLiteral("ablation"), s.ablation);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<Session> sessionFromJson(const QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull() || !doc.isObject()) {
        setError(error, Sessions::tr("Not a session file: %1").arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String("bertlab-session")) {
        setError(error, Sessions::tr("Not a bertlab session file."));
        return std::nullopt;
    }
    const int version = o.value(QStringLiteral("version")).toInt(0);
    if (version < 1 || version > kVersion) {
        setError(error, Sessions::tr("Session file version %1 is not supported.").arg(version));
        return std::nullopt;
    }
    Session s;
    s.modelPath = o.value(QStringLiteral("model")).toString();
    s.textA = o.value(QStringLiteral("textA")).toString();
    s.textB = o.value(QStringLiteral("textB")).toString();
    for (const QJsonValue& v : o.value(QStringLiteral("masks")).toArray()) {
        const int m = v.toInt(-1);
        if (m >= 0)
            s.masks.push_back(m);
    }
    s.layer = std::max(0, o.value(QStringLiteral("layer")).toInt(0));
    s.head = std::max(0, o.value(QStringLiteral("head")).toInt(0));
    s.view = o.value(QStringLiteral("view")).toString();
    s.presentationMode = o.value(QStringLiteral("presentationMode")).toBool(false);
    s.ablation = o.value(QStringLiteral("ablation")).toString();  // absent in sessions before issue 13
    return s;
}

bool saveSession(const Session& session, const QString& path, QString* error)
{
    return exporting::writeFileAtomically(path, sessionToJson(session), error);
}

std::optional<Session> loadSession(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, Sessions::tr("Cannot open %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    if (file.size() > kMaxSessionBytes) {
        setError(error, Sessions::tr("%1 is too large to be a session file.").arg(path));
        return std::nullopt;
    }
    return sessionFromJson(file.readAll(), error);
}

QString sessionFileFilter()
{
    return QStringLiteral("bertlab sessions (*.bertlab);;JSON (*.json);;All files (*)");
}

} // namespace bertlab::ui
