// A local HTTP server that answers like the Hugging Face Hub and its CDN, for tests that must not need the internet.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

class QTcpServer;
class QTcpSocket;

namespace bertlab::testing {

// /{repo}/resolve/{revision}/{file}: small files answered directly with ETag "<git blob sha1>",
// LFS files (*.safetensors, *.bin) with a 302 to /cdn/<sha256> carrying X-Linked-Etag and
// X-Linked-Size; every answer carries X-Repo-Commit. Unknown repos get 401 RepositoryNotFound,
// missing files 404 EntryNotFound, unknown revisions 404 RevisionNotFound. The CDN honours
// "Range: bytes=N-" with 206.
class HubTestServer : public QObject {
    Q_OBJECT
public:
    struct Repo {
        QString id;
        QByteArray commit;                    // 40 hex
        QMap<QString, QByteArray> files;      // name → content
        QByteArray token;                     // when set, only "Authorization: Bearer <token>" may read it
        QStringList wrongSha256;              // LFS files announced with another file's sha256
        bool gated = false;                   // without the token: 401 GatedRepo rather than RepositoryNotFound
    };

    explicit HubTestServer(QObject* parent = nullptr);
    bool listen();
    QString endpoint() const;  // http://127.0.0.1:<port>

    void addRepo(const Repo& repo);
    // A repo serving every file of a folder under tests/data.
    void addModelFolder(const QString& repoId, const QByteArray& commit, const QString& folder, const QByteArray& token = {});

    // The next CDN answer sends its headers for the whole file but closes after `bytes` of body.
    void interruptNextCdnTransferAfter(qint64 bytes) { interruptAfter_ = bytes; }

    // The next CDN answer sends `bytes` of body and then holds the connection open until
    // releaseStalled(): a download in flight, for progress and Cancel.
    void stallNextCdnTransferAfter(qint64 bytes) { stallAfter_ = bytes; }
    void releaseStalled();

    int connections() const { return connections_; }
    QStringList requests() const { return requests_; }            // "HEAD /org/name/resolve/main/config.json"
    QList<QByteArray> authorizations() const { return authorizations_; }  // Authorization values on resolve requests
    QList<QByteArray> ranges() const { return ranges_; }          // Range values on CDN requests
    QList<QByteArray> cdnAuthorizations() const { return cdnAuthorizations_; }

    static QByteArray gitBlobSha1(const QByteArray& content);
    static QByteArray sha256(const QByteArray& content);
    static bool isLfs(const QString& file);

private:
    void onConnection();
    void answer(QTcpSocket* socket, const QByteArray& method, const QByteArray& path, const QHash<QByteArray, QByteArray>& headers);
    void answerResolve(QTcpSocket* socket, const QByteArray& method, const QStringList& parts,
                       const QHash<QByteArray, QByteArray>& headers);
    void answerCdn(QTcpSocket* socket, const QByteArray& method, const QByteArray& sha,
                   const QHash<QByteArray, QByteArray>& headers);

    QTcpServer* server_ = nullptr;
    QMap<QString, Repo> repos_;
    QHash<QByteArray, QByteArray> cdn_;  // sha256 → content
    qint64 interruptAfter_ = -1;
    qint64 stallAfter_ = -1;
    QList<QPointer<QTcpSocket>> stalled_;  // a client that gives up deletes its socket
    int connections_ = 0;
    QStringList requests_;
    QList<QByteArray> authorizations_;
    QList<QByteArray> ranges_;
    QList<QByteArray> cdnAuthorizations_;
};

} // namespace bertlab::testing
