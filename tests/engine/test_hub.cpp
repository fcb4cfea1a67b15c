// Hugging Face Hub download and cache, against a local Hub-like server: layout, resume, checksums, offline, tokens, errors.
#include "hub_test_server.h"
#include "test_support.h"

#include "cancelled.h"
#include "error.h"
#include "hub/hub_cache.h"
#include "hub/hub_downloader.h"
#include "hub/model_reference.h"
#include "model_io.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

namespace fs = std::filesystem;
using bertlab::testing::dataPath;
using bertlab::testing::HubTestServer;
namespace hub = bertlab::hub;

namespace {

const QByteArray kCommit = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";
const QByteArray kBinCommit = "aaaabbbbccccddddeeeeffff0000111122223333";

QString modelFolder(const char* name) { return QString::fromStdString(dataPath(std::string("models/") + name)); }

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs `work` on another thread while this one serves HTTP: the download blocks, the server needs the event loop.
template <class F>
auto whileServing(F work)
{
    auto future = std::async(std::launch::async, work);
    while (future.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.get();
}

// The message of the Error the download throws; empty when it succeeds.
QString downloadError(const std::string& repo, const hub::HubEnvironment& env, const std::string& revision = "main")
{
    return whileServing([&]() -> QString {
        try {
            hub::DownloadOptions o;
            o.revision = revision;
            hub::downloadBertModel(repo, o, env);
            return {};
        } catch (const bertlab::Error& e) {
            return QString::fromUtf8(e.what());
        }
    });
}

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult runCli(const QStringList& arguments, const QProcessEnvironment& env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BERTLAB_CLI), arguments);
    process.waitForStarted();
    while (process.state() != QProcess::NotRunning) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        process.waitForFinished(10);
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class HubTest : public QObject {
    Q_OBJECT

private:
    HubTestServer* server_ = nullptr;
    std::unique_ptr<QTemporaryDir> home_;

    // A fresh, empty cache for each test, and the server as the endpoint; no token, online.
    hub::HubEnvironment environment() const
    {
        hub::HubEnvironment e;
        e.cacheDir = (home_->path() + "/hub").toStdString();
        e.endpoint = server_->endpoint().toStdString();
        return e;
    }
    QProcessEnvironment processEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"HF_TOKEN", "HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN_PATH"})
            env.remove(QString::fromLatin1(name));
        env.insert("HF_HOME", home_->path());  // so the default cache is $HF_HOME/hub
        env.insert("HF_ENDPOINT", server_->endpoint());
        return env;
    }
    QString repoFolder(const char* folder) const { return home_->path() + "/hub/" + folder; }

private slots:
    void initTestCase()
    {
        server_ = new HubTestServer(this);
        QVERIFY(server_->listen());
        server_->addModelFolder("bertlab-test/tiny", kCommit, modelFolder("tiny"));
        server_->addModelFolder("bertlab-test/tiny-bin", kBinCommit, modelFolder("tiny-bin-zip"));
        server_->addModelFolder("private-org/tiny", kCommit, modelFolder("tiny"), "hf_secret_token");
        HubTestServer::Repo gated{"gated-org/tiny", kCommit, {}, "hf_secret_token", {}, true};
        gated.files.insert("config.json", readFile(modelFolder("tiny") + "/config.json"));
        server_->addRepo(gated);
        HubTestServer::Repo noWeights{"bertlab-test/no-weights", kCommit, {}, {}, {}, false};
        noWeights.files.insert("config.json", readFile(modelFolder("tiny") + "/config.json"));
        noWeights.files.insert("vocab.txt", readFile(modelFolder("tiny") + "/vocab.txt"));
        server_->addRepo(noWeights);
        HubTestServer::Repo badSha{"bertlab-test/bad-sha", kCommit, {}, {}, {"model.safetensors"}, false};
        for (const char* f : {"config.json", "vocab.txt", "model.safetensors"})
            badSha.files.insert(f, readFile(modelFolder("tiny") + "/" + f));
        server_->addRepo(badSha);
        HubTestServer::Repo gpt{"openai-community/gpt2", kCommit, {}, {}, {}, false};
        gpt.files.insert("config.json", R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]})");
        gpt.files.insert("vocab.txt", "[PAD]\n");
        gpt.files.insert("model.safetensors", "not a BERT");
        server_->addRepo(gpt);
    }

    void init() { home_ = std::make_unique<QTemporaryDir>(); }

    // The layout hf_hub_download writes (huggingface_hub's cache guide): transformers, pointed at
    // the same cache, finds these files without downloading them again.
    void downloadWritesTheHubCacheLayout()
    {
        const hub::HubEnvironment env = environment();
        std::vector<std::pair<uint64_t, uint64_t>> progress;
        const hub::DownloadResult r = whileServing([&] {
            hub::DownloadOptions o;
            o.progress = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
            return hub::downloadBertModel("bertlab-test/tiny", o, env);
        });
        const QString repo = repoFolder("models--bertlab-test--tiny");
        QCOMPARE(QString::fromStdString(r.commit), QString::fromLatin1(kCommit));
        QCOMPARE(QString::fromStdString(r.snapshot.string()), repo + "/snapshots/" + kCommit);
        QCOMPARE(readFile(repo + "/refs/main"), kCommit);  // the bare hash, as huggingface_hub writes it

        const QByteArray config = readFile(modelFolder("tiny") + "/config.json");
        const QByteArray vocab = readFile(modelFolder("tiny") + "/vocab.txt");
        const QByteArray weights = readFile(modelFolder("tiny") + "/model.safetensors");
        const QMap<QString, QByteArray> expectedBlob = {{"config.json", HubTestServer::gitBlobSha1(config)},
                                                        {"vocab.txt", HubTestServer::gitBlobSha1(vocab)},
                                                        {"model.safetensors", HubTestServer::sha256(weights)}};
        for (auto it = expectedBlob.begin(); it != expectedBlob.end(); ++it) {
            const QString link = repo + "/snapshots/" + kCommit + "/" + it.key();
            QVERIFY2(QFileInfo(link).isSymLink(), qPrintable(link));
            QCOMPARE(QFile::symLinkTarget(link), QFileInfo(repo + "/blobs/" + it.value()).absoluteFilePath());
            QCOMPARE(fs::read_symlink(link.toStdString()).string(), "../../blobs/" + it.value().toStdString());  // relative
            QCOMPARE(readFile(repo + "/blobs/" + it.value()), readFile(modelFolder("tiny") + "/" + it.key()));
        }
        QCOMPARE(QDir(repo + "/blobs").entryList(QDir::Files).size(), 3);  // no .incomplete left behind
        QVERIFY(QFileInfo::exists(repo + "/.no_exist/" + kCommit + "/tokenizer_config.json"));
        QCOMPARE(r.files, (std::vector<std::string>{"config.json", "vocab.txt", "model.safetensors"}));

        // The weights came from the CDN's Location, not from the resolve URL.
        QVERIFY(server_->requests().contains("GET /cdn/" + HubTestServer::sha256(weights)));
        QVERIFY(!progress.empty());
        const uint64_t total = static_cast<uint64_t>(config.size() + vocab.size() + weights.size());
        QCOMPARE(progress.back().first, total);
        QCOMPARE(progress.back().second, total);

        // The snapshot is a model folder the loader opens.
        const auto model = bertlab::loadModel(r.snapshot.string());
        QCOMPARE(model->config().numHiddenLayers, 2);

        // A second download asks for metadata only.
        const int cdnBefore = static_cast<int>(server_->requests().filter("/cdn/").size());
        const hub::DownloadResult again = whileServing([&] { return hub::downloadBertModel("bertlab-test/tiny", {}, env); });
        QCOMPARE(again.downloadedBytes, uint64_t(0));
        QCOMPARE(static_cast<int>(server_->requests().filter("/cdn/").size()), cdnBefore);
    }

    void fallsBackToPytorchBinAndPinsCommits()
    {
        const hub::HubEnvironment env = environment();
        const hub::DownloadResult r = whileServing([&] {
            hub::DownloadOptions o;
            o.revision = kBinCommit.toStdString();  // a commit hash: used as is, no refs/ entry
            return hub::downloadBertModel("bertlab-test/tiny-bin", o, env);
        });
        const QString repo = repoFolder("models--bertlab-test--tiny-bin");
        QVERIFY(QFileInfo(repo + "/snapshots/" + kBinCommit + "/pytorch_model.bin").isSymLink());
        QVERIFY(!QFileInfo::exists(repo + "/snapshots/" + kBinCommit + "/model.safetensors"));
        QVERIFY(QFileInfo::exists(repo + "/.no_exist/" + kBinCommit + "/model.safetensors"));
        QVERIFY(!QFileInfo::exists(repo + "/refs/main"));
        QCOMPARE(bertlab::loadModel(r.snapshot.string())->info().sourceFormat, std::string("pytorch-zip"));
    }

    void resumesAnInterruptedDownload()
    {
        const hub::HubEnvironment env = environment();
        const QByteArray weights = readFile(modelFolder("tiny") + "/model.safetensors");
        const QString repo = repoFolder("models--bertlab-test--tiny");
        const QString partial = repo + "/blobs/" + HubTestServer::sha256(weights) + ".incomplete";
        server_->interruptNextCdnTransferAfter(100000);
        const QString error = downloadError("bertlab-test/tiny", env);
        QVERIFY2(error.contains("resume"), qPrintable(error));
        QVERIFY(!error.contains('\n'));
        QCOMPARE(QFileInfo(partial).size(), qint64(100000));
        QVERIFY(!QFileInfo::exists(repo + "/snapshots/" + kCommit + "/model.safetensors"));

        QCOMPARE(downloadError("bertlab-test/tiny", env), QString());
        QCOMPARE(server_->ranges().last(), QByteArray("bytes=100000-"));
        QVERIFY(!QFileInfo::exists(partial));
        QCOMPARE(readFile(repo + "/snapshots/" + kCommit + "/model.safetensors"), weights);
    }

    void rejectsAWrongSha256()
    {
        const hub::HubEnvironment env = environment();
        const QString error = downloadError("bertlab-test/bad-sha", env);
        QVERIFY2(error.contains("SHA-256"), qPrintable(error));
        QVERIFY(!error.contains('\n'));
        const QString repo = repoFolder("models--bertlab-test--bad-sha");
        // Nothing under the announced name or as a partial file; config and vocab may be cached, no weights.
        QCOMPARE(QDir(repo + "/blobs").entryList(QDir::Files).filter("incomplete").size(), 0);
        QVERIFY(!QFileInfo::exists(repo + "/blobs/" + HubTestServer::sha256("some other file")));
        QVERIFY(!QFileInfo::exists(repo + "/snapshots/" + kCommit + "/model.safetensors"));
    }

    void keepsThePartialFileWhenTheDiskIsFull()
    {
        const hub::HubEnvironment env = environment();
        const QByteArray weights = readFile(modelFolder("tiny") + "/model.safetensors");
        const QString blobs = repoFolder("models--bertlab-test--tiny") + "/blobs";
        QVERIFY(QDir().mkpath(blobs));
        // /dev/full fails every write with ENOSPC, as a full disk does.
        QVERIFY(QFile::link("/dev/full", blobs + "/" + HubTestServer::sha256(weights) + ".incomplete"));
        const QString error = downloadError("bertlab-test/tiny", env);
        QVERIFY2(error.contains("disk is full") && error.contains("resumes"), qPrintable(error));
        QVERIFY(!error.contains('\n'));
        QVERIFY(!QFileInfo::exists(blobs + "/" + HubTestServer::sha256(weights)));
        QVERIFY(!QFileInfo::exists(repoFolder("models--bertlab-test--tiny") + "/snapshots/" + kCommit + "/model.safetensors"));
    }

    void offlineNeverConnects()
    {
        hub::HubEnvironment env = environment();
        env.offline = true;
        const int before = server_->connections();
        const QString error = downloadError("bertlab-test/tiny", env);
        QVERIFY2(error.contains("HF_HUB_OFFLINE"), qPrintable(error));
        QCOMPARE(server_->connections(), before);

        env.offline = false;
        QCOMPARE(downloadError("bertlab-test/tiny", env), QString());
        env.offline = true;
        const int online = server_->connections();
        const hub::DownloadResult r = hub::downloadBertModel("bertlab-test/tiny", {}, env);  // no server needed
        QCOMPARE(QString::fromStdString(r.commit), QString::fromLatin1(kCommit));
        QCOMPARE(server_->connections(), online);

        // Online but unreachable: the cached snapshot, with a warning, as huggingface_hub falls back.
        env.offline = false;
        env.endpoint = "http://127.0.0.1:1";
        const hub::DownloadResult fallback = hub::downloadBertModel("bertlab-test/tiny", {}, env);
        QCOMPARE(fallback.snapshot, r.snapshot);
        QVERIFY2(fallback.warning.find("cannot reach") != std::string::npos, fallback.warning.c_str());

        // The CLI reads HF_HUB_OFFLINE=1 from the environment.
        QProcessEnvironment penv = processEnvironment();
        penv.insert("HF_HUB_OFFLINE", "1");
        penv.insert("HF_HUB_CACHE", QString::fromStdString(env.cacheDir.string()));
        const CliResult cli = runCli({"download", "bertlab-test/tiny-bin"}, penv);
        QCOMPARE(cli.exitCode, 1);
        QVERIFY2(cli.err.contains("HF_HUB_OFFLINE"), qPrintable(cli.err));
        QCOMPARE(server_->connections(), online);
    }

    void sendsHfTokenAsBearer()
    {
        hub::HubEnvironment env = environment();
        const QString anonymous = downloadError("private-org/tiny", env);
        QVERIFY2(anonymous.contains("not found") && anonymous.contains("HF_TOKEN"), qPrintable(anonymous));
        const QString gated = downloadError("gated-org/tiny", env);
        QVERIFY2(gated.contains("'gated-org/tiny' is gated") && gated.contains("set HF_TOKEN"), qPrintable(gated));
        env.token = "hf_secret_token";
        QCOMPARE(downloadError("private-org/tiny", env), QString());
        QCOMPARE(server_->authorizations().last(), QByteArray("Bearer hf_secret_token"));
        QVERIFY(!server_->cdnAuthorizations().isEmpty());
        for (const QByteArray& a : server_->cdnAuthorizations()) QVERIFY(a.isEmpty());  // the CDN never sees it

        // The CLI takes the token from HF_TOKEN.
        QProcessEnvironment penv = processEnvironment();
        penv.insert("HF_TOKEN", "hf_secret_token");
        QDir(home_->path() + "/hub").removeRecursively();
        const CliResult cli = runCli({"download", "private-org/tiny", "--json"}, penv);
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(server_->authorizations().last(), QByteArray("Bearer hf_secret_token"));
    }

    void errorsAreOneLine()
    {
        const hub::HubEnvironment env = environment();
        const QString unknown = downloadError("nobody/nothing", env);
        QVERIFY2(unknown.contains("'nobody/nothing' not found"), qPrintable(unknown));
        const QString noWeights = downloadError("bertlab-test/no-weights", env);
        QVERIFY2(noWeights.contains("has no BERT weights"), qPrintable(noWeights));
        QVERIFY(!QFileInfo::exists(repoFolder("models--bertlab-test--no-weights") + "/snapshots"));
        const QString gpt = downloadError("openai-community/gpt2", env);
        QVERIFY2(gpt.contains("gpt2 model, not a BERT"), qPrintable(gpt));
        const QString revision = downloadError("bertlab-test/tiny", env, "v9");
        QVERIFY2(revision.contains("revision 'v9' not found"), qPrintable(revision));
        const QString badId = downloadError("not a repo", env);
        QVERIFY2(badId.contains("not a Hugging Face repo id"), qPrintable(badId));
        hub::HubEnvironment closed = env;
        closed.endpoint = "http://127.0.0.1:1";  // nothing listens there
        const QString network = downloadError("bertlab-test/tiny", closed);
        QVERIFY2(network.contains("cannot reach 127.0.0.1:1"), qPrintable(network));
        for (const QString& e : {unknown, noWeights, gpt, revision, badId, network}) QVERIFY(!e.contains('\n'));

        const CliResult cli = runCli({"download", "nobody/nothing"}, processEnvironment());
        QCOMPARE(cli.exitCode, 1);
        QCOMPARE(cli.err.count('\n'), 1);
        QVERIFY(cli.err.startsWith("error: repository 'nobody/nothing' not found"));
    }

    // MODEL arguments: a repo id resolves in the cache as from_pretrained(local_files_only=True) does.
    void modelArgumentsResolveRepoIdsInTheCache()
    {
        const QProcessEnvironment penv = processEnvironment();
        const CliResult download = runCli({"download", "bertlab-test/tiny", "--json"}, penv);
        QCOMPARE(download.exitCode, 0);
        const auto j = nlohmann::json::parse(download.out.toStdString());
        const std::string snapshot = (home_->path() + "/hub/models--bertlab-test--tiny/snapshots/" + kCommit).toStdString();
        QCOMPARE(j["repo"].get<std::string>(), std::string("bertlab-test/tiny"));
        QCOMPARE(j["revision"].get<std::string>(), std::string("main"));
        QCOMPARE(j["commit"].get<std::string>(), kCommit.toStdString());
        QCOMPARE(j["path"].get<std::string>(), snapshot);
        QCOMPARE(j["files"].size(), size_t(3));

        const int before = server_->connections();
        const CliResult info = runCli({"info", "bertlab-test/tiny", "--json"}, penv);
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(info.out.toStdString())["path"].get<std::string>(), snapshot + "/model.safetensors");
        const CliResult tokenize = runCli({"tokenize", "--model", "bertlab-test/tiny", "--text", "the man", "--json"}, penv);
        QCOMPARE(tokenize.exitCode, 0);
        QCOMPARE(server_->connections(), before);  // resolution never connects

        const CliResult missing = runCli({"info", "bertlab-test/absent"}, penv);
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.err.count('\n'), 1);
        QVERIFY2(missing.err.contains("neither a model folder or file nor a model in the Hugging Face cache"), qPrintable(missing.err));

        hub::HubEnvironment env = environment();
        QCOMPARE(hub::resolveModelReference("bertlab-test/tiny", env), snapshot);
        const std::string path = modelFolder("tiny").toStdString();
        QCOMPARE(hub::resolveModelReference(path, env), path);  // a path wins
        QVERIFY_THROWS_EXCEPTION(bertlab::Error, hub::resolveModelReference("bertlab-test/absent", env));
        // A snapshot without refs/main is not found for the default revision, as in transformers.
        QVERIFY(QFile::remove(home_->path() + "/hub/models--bertlab-test--tiny/refs/main"));
        QVERIFY_THROWS_EXCEPTION(bertlab::Error, hub::resolveModelReference("bertlab-test/tiny", env));
    }

    void listsTheCachedBertModels()
    {
        const hub::HubEnvironment env = environment();
        QCOMPARE(downloadError("bertlab-test/tiny", env), QString());
        QCOMPARE(downloadError("bertlab-test/tiny-bin", env), QString());
        // A GPT-2 that transformers cached, and a repo of which only the config was fetched.
        const fs::path gpt = env.cacheDir / "models--openai-community--gpt2" / "snapshots" / kCommit.toStdString();
        fs::create_directories(gpt);
        std::ofstream(gpt / "config.json") << R"({"model_type": "gpt2"})";
        std::ofstream(gpt / "vocab.txt") << "[PAD]\n";
        std::ofstream(gpt / "model.safetensors") << "x";
        const fs::path configOnly = env.cacheDir / "models--google-bert--bert-base-uncased" / "snapshots" / kCommit.toStdString();
        fs::create_directories(configOnly);
        std::ofstream(configOnly / "config.json") << R"({"model_type": "bert"})";
        fs::create_directories(env.cacheDir / "datasets--someone--corpus" / "snapshots");

        const std::vector<hub::CachedModel> models = hub::HubCache(env.cacheDir).listBertModels();
        QCOMPARE(models.size(), size_t(2));
        QCOMPARE(models[0].repoId, std::string("bertlab-test/tiny"));
        QCOMPARE(models[0].commit, kCommit.toStdString());
        QCOMPARE(models[0].revisions, std::vector<std::string>{"main"});
        QCOMPARE(models[0].sizeBytes, uint64_t(QFileInfo(modelFolder("tiny") + "/config.json").size() +
                                               QFileInfo(modelFolder("tiny") + "/vocab.txt").size() +
                                               QFileInfo(modelFolder("tiny") + "/model.safetensors").size()));
        QCOMPARE(models[1].repoId, std::string("bertlab-test/tiny-bin"));
    }

    void environmentFollowsHuggingfaceHub()
    {
        qputenv("HOME", "/home/someone");
        qunsetenv("HF_HOME");
        qunsetenv("HF_HUB_CACHE");
        qunsetenv("XDG_CACHE_HOME");
        qunsetenv("HF_ENDPOINT");
        qunsetenv("HF_HUB_OFFLINE");
        hub::HubEnvironment e = hub::HubEnvironment::fromProcess();
        QCOMPARE(e.cacheDir.string(), std::string("/home/someone/.cache/huggingface/hub"));
        QCOMPARE(e.endpoint, std::string("https://huggingface.co"));
        QVERIFY(!e.offline);
        qputenv("HF_HOME", "/data/hf");
        qputenv("HF_ENDPOINT", "https://hf-mirror.example/");
        qputenv("HF_HUB_OFFLINE", "1");
        e = hub::HubEnvironment::fromProcess();
        QCOMPARE(e.cacheDir.string(), std::string("/data/hf/hub"));
        QCOMPARE(e.endpoint, std::string("https://hf-mirror.example"));
        QVERIFY(e.offline);
        qputenv("HF_HUB_CACHE", "~/models");
        QCOMPARE(hub::HubEnvironment::fromProcess().cacheDir.string(), std::string("/home/someone/models"));
    }
};

QTEST_GUILESS_MAIN(HubTest)
#include "test_hub.moc"
