// The Hub-like test server: QTcpServer, one request per connection, answers built from the Hub's documented headers.
#include "hub_test_server.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace bertlab::testing {
namespace {

QByteArray statusText(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    default: return "Status";
    }
}

// Headers and, for GET, the body; the connection closes after it (Connection: close).
void respond(QTcpSocket* socket, int status, QList<QPair<QByteArray, QByteArray>> headers, const QByteArray& body,
             bool sendBody, qint64 contentLength = -1)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " " + statusText(status) + "\r\n";
    headers.append(qMakePair(QByteArray("Content-Length"), QByteArray::number(contentLength >= 0 ? contentLength : body.size())));
    headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (sendBody) out += body;
    socket->write(out);
    socket->disconnectFromHost();
}

} // namespace

HubTestServer::HubTestServer(QObject* parent) : QObject(parent), server_(new QTcpServer(this))
{
    connect(server_, &QTcpServer::newConnection, this, &HubTestServer::onConnection);
}

bool HubTestServer::listen()
{
    return server_->listen(QHostAddress::LocalHost, 0);
}

QString HubTestServer::endpoint() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(server_->serverPort());
}

QByteArray HubTestServer::gitBlobSha1(const QByteArray& content)
{
    return QCryptographicHash::hash("blob " + QByteArray::number(content.size()) + '\0' + content, QCryptographicHash::Sha1).toHex();
}

QByteArray HubTestServer::sha256(const QByteArray& content)
{
    return QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
}

bool HubTestServer::isLfs(const QString& file)
{
    return file.endsWith(QLatin1String(".safetensors")) || file.endsWith(QLatin1String(".bin"));
}

void HubTestServer::addRepo(const Repo& repo)
{
    repos_.insert(repo.id, repo);
    for (auto it = repo.files.begin(); it != repo.files.end(); ++it)
        if (isLfs(it.key())) cdn_.insert(sha256(it.value()), it.value());
}

void HubTestServer::addModelFolder(const QString& repoId, const QByteArray& commit, const QString& folder, const QByteArray& token)
{
    Repo repo{repoId, commit, {}, token, {}, false};
    for (const QString& name : QDir(folder).entryList(QDir::Files)) {
        QFile f(QDir(folder).filePath(name));
        if (f.open(QIODevice::ReadOnly)) repo.files.insert(name, f.readAll());
    }
    addRepo(repo);
}

void HubTestServer::releaseStalled()
{
    for (const QPointer<QTcpSocket>& socket : std::as_const(stalled_))
        if (socket) socket->abort();
    stalled_.clear();
}

void HubTestServer::onConnection()
{
    while (QTcpSocket* socket = server_->nextPendingConnection()) {
        ++connections_;
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray request = socket->property("request").toByteArray() + socket->readAll();
            socket->setProperty("request", request);
            const int end = request.indexOf("\r\n\r\n");
            if (end < 0) return;
            const QList<QByteArray> lines = request.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            QHash<QByteArray, QByteArray> headers;
            for (int i = 1; i < lines.size(); ++i) {
                const int colon = lines[i].indexOf(':');
                if (colon > 0) headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            answer(socket, first.value(0), first.value(1), headers);
        });
    }
}

void HubTestServer::answer(QTcpSocket* socket, const QByteArray& method, const QByteArray& path,
                           const QHash<QByteArray, QByteArray>& headers)
{
    requests_.append(QString::fromLatin1(method + " " + path));
    if (path.startsWith("/cdn/")) {
        answerCdn(socket, method, path.mid(5), headers);
        return;
    }
    // /org/name/resolve/rev/file or /name/resolve/rev/file
    const QStringList parts = QString::fromLatin1(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    answerResolve(socket, method, parts, headers);
}

void HubTestServer::answerResolve(QTcpSocket* socket, const QByteArray& method, const QStringList& parts,
                                  const QHash<QByteArray, QByteArray>& headers)
{
    const int at = parts.indexOf(QStringLiteral("resolve"));
    if (at < 1 || at + 2 >= parts.size()) {
        respond(socket, 404, {}, "not a resolve URL", method == "GET");
        return;
    }
    authorizations_.append(headers.value("authorization"));
    const QString repoId = parts.mid(0, at).join(QLatin1Char('/'));
    const QString revision = QUrl::fromPercentEncoding(parts[at + 1].toLatin1());
    const QString file = QUrl::fromPercentEncoding(parts.mid(at + 2).join(QLatin1Char('/')).toLatin1());
    const bool body = method == "GET";
    const auto it = repos_.constFind(repoId);
    const bool authorised = it != repos_.constEnd() && (it->token.isEmpty() || headers.value("authorization") == "Bearer " + it->token);
    if (it != repos_.constEnd() && !authorised && it->gated) {
        respond(socket, 401, {{"X-Error-Code", "GatedRepo"}, {"X-Error-Message", "Access to this model is restricted"}},
                R"({"error":"Access to model is restricted"})", body);
        return;
    }
    if (!authorised) {
        // The Hub's answer to an anonymous request for a repo that does not exist or is private.
        respond(socket, 401, {{"X-Error-Code", "RepositoryNotFound"}, {"X-Error-Message", "Repository not found"}},
                R"({"error":"Repository Not Found"})", body);
        return;
    }
    const Repo& repo = *it;
    if (revision != QLatin1String("main") && revision.toLatin1() != repo.commit) {
        respond(socket, 404, {{"X-Error-Code", "RevisionNotFound"}}, R"({"error":"Invalid rev id"})", body);
        return;
    }
    if (!repo.files.contains(file)) {
        respond(socket, 404, {{"X-Error-Code", "EntryNotFound"}, {"X-Repo-Commit", repo.commit}},
                R"({"error":"Entry not found"})", body);
        return;
    }
    const QByteArray content = repo.files.value(file);
    if (!isLfs(file)) {
        respond(socket, 200, {{"X-Repo-Commit", repo.commit}, {"ETag", '"' + gitBlobSha1(content) + '"'}}, content, body);
        return;
    }
    const QByteArray announced = repo.wrongSha256.contains(file) ? sha256("some other file") : sha256(content);
    if (announced != sha256(content)) cdn_.insert(announced, content);  // the CDN serves the real bytes under that name
    const QByteArray location = endpoint().toLatin1() + "/cdn/" + announced;
    respond(socket, 302,
            {{"X-Repo-Commit", repo.commit},
             {"X-Linked-Etag", '"' + announced + '"'},
             {"X-Linked-Size", QByteArray::number(content.size())},
             {"ETag", "W/\"" + gitBlobSha1("lfs pointer " + announced) + '"'},
             {"Location", location}},
            {}, body);
}

void HubTestServer::answerCdn(QTcpSocket* socket, const QByteArray& method, const QByteArray& sha,
                              const QHash<QByteArray, QByteArray>& headers)
{
    if (!cdn_.contains(sha)) {
        respond(socket, 404, {}, "NoSuchKey", method == "GET");
        return;
    }
    const QByteArray content = cdn_.value(sha);
    const QByteArray range = headers.value("range");
    ranges_.append(range);
    cdnAuthorizations_.append(headers.value("authorization"));
    qint64 from = 0;
    if (range.startsWith("bytes=") && range.endsWith('-')) from = range.mid(6, range.size() - 7).toLongLong();
    if (from >= content.size() && from > 0) {
        respond(socket, 416, {{"Content-Range", "bytes */" + QByteArray::number(content.size())}}, {}, method == "GET");
        return;
    }
    const QByteArray body = content.mid(from);
    QList<QPair<QByteArray, QByteArray>> h = {{"Accept-Ranges", "bytes"}};
    if (from > 0)
        h.append(qMakePair(QByteArray("Content-Range"), "bytes " + QByteArray::number(from) + "-" +
                                                           QByteArray::number(content.size() - 1) + "/" +
                                                           QByteArray::number(content.size())));
    if (stallAfter_ >= 0 && method == "GET") {
        QByteArray out = "HTTP/1.1 " + QByteArray(from > 0 ? "206" : "200") + " OK\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\n";
        for (const auto& [name, value] : h) out += name + ": " + value + "\r\n";
        socket->write(out + "\r\n" + body.left(stallAfter_));
        stallAfter_ = -1;
        stalled_.append(socket);
        return;
    }
    if (interruptAfter_ >= 0 && method == "GET") {
        const qint64 cut = interruptAfter_;
        interruptAfter_ = -1;
        respond(socket, from > 0 ? 206 : 200, h, body.left(cut), true, body.size());  // announces more than it sends
        return;
    }
    respond(socket, from > 0 ? 206 : 200, h, body, method == "GET");
}

} // namespace bertlab::testing
