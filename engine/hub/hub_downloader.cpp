// hf_hub_download's protocol for the few files a BERT needs: HEAD for metadata, GET into blobs/, link in snapshots/.
#include "hub_downloader.h"

#include "cancelled.h"
#include "error.h"
#include "hub_cache.h"
#include "http_client.h"
#include "repo_id.h"
#include "sha256.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace bertlab::hub {
namespace {

// What a HEAD on the resolve URL says about one file.
struct FileMetadata {
    std::string name;
    std::string commit;       // X-Repo-Commit
    std::string etag;         // X-Linked-Etag for LFS files (their sha256), else ETag (git blob sha1)
    uint64_t size = 0;        // X-Linked-Size, else Content-Length
    std::string downloadUrl;  // the CDN's Location for LFS files, else the resolve URL itself
    bool onHub = true;        // downloadUrl is the resolve URL: the token may go there
};

std::string percentEncode(const std::string& s, bool keepSlash)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// huggingface_hub strips the weak marker and the quotes: the rest names the blob.
std::string normalizeEtag(std::string etag)
{
    if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    return etag;
}

bool isSha256(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A name that cannot climb out of blobs/ (the ETag comes from the network).
bool isSafeBlobName(const std::string& s)
{
    return !s.empty() && s.size() <= 128 && s.find_first_not_of("0123456789abcdefABCDEF-_") == std::string::npos;
}

uint64_t toSize(const std::string& s)
{
    try {
        return s.empty() ? 0 : std::stoull(s);
    } catch (const std::exception&) {
        return 0;
    }
}

// ".<name>.tmp<pid>" beside `path`: hidden, and unique to this process.
fs::path temporarySibling(const fs::path& path)
{
    std::string name = ".";
    name += path.filename().string();
    name += ".tmp";
    name += std::to_string(::getpid());
    return path.parent_path() / name;
}

// Writes `text` to `target` through a temporary name, so readers see the old or the new content.
void writeAtomically(const fs::path& target, const std::string& text)
{
    fs::create_directories(target.parent_path());
    const fs::path tmp = temporarySibling(target);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw Error("cannot write " + target.string() + " (disk full or read-only?)");
        }
    }
    fs::rename(tmp, target);
}

// snapshots/<commit>/<file> → ../../blobs/<etag>, replaced in one rename.
void linkIntoSnapshot(const fs::path& blob, const fs::path& pointer)
{
    fs::create_directories(pointer.parent_path());
    const fs::path target = fs::relative(blob, pointer.parent_path());
    const fs::path tmp = temporarySibling(pointer);
    std::error_code ec;
    fs::remove(tmp, ec);
    fs::create_symlink(target, tmp);
    fs::rename(tmp, pointer);
}

// The same lock file huggingface_hub takes (.locks/<repo folder>/<etag>.lock), so a transformers
// download of the same blob at the same time waits instead of writing the same .incomplete.
class BlobLock {
public:
    explicit BlobLock(const fs::path& path)
    {
        fs::create_directories(path.parent_path());
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw Error("cannot create the lock file " + path.string() + ": " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX) != 0) {
            ::close(fd_);
            throw Error("cannot lock " + path.string() + ": " + std::strerror(errno));
        }
    }
    ~BlobLock() { ::close(fd_); }  // closing releases the flock
    BlobLock(const BlobLock&) = delete;
    BlobLock& operator=(const BlobLock&) = delete;

private:
    int fd_ = -1;
};

class Download {
public:
    Download(const std::string& repoId, const DownloadOptions& options, const HubEnvironment& env)
        : repoId_(repoId), options_(options), env_(env), cache_(env.cacheDir), repo_(cache_.repoFolder(repoId))
    {
        if (!env_.token.empty()) auth_ = "Authorization: Bearer " + env_.token;
    }

    DownloadResult run();

private:
    std::string resolveUrl(const std::string& revision, const std::string& file) const
    {
        return env_.endpoint + "/" + repoId_ + "/resolve/" + percentEncode(revision, false) + "/" + percentEncode(file, true);
    }
    std::optional<FileMetadata> metadata(const std::string& revision, const std::string& file);
    std::optional<DownloadResult> cached() const;  // a complete snapshot of the revision in the cache
    void fetchBlob(const FileMetadata& file);
    void report(bool force);

    std::string repoId_;
    const DownloadOptions& options_;
    const HubEnvironment& env_;
    HubCache cache_;
    fs::path repo_;
    std::string auth_;
    HttpClient http_;
    uint64_t done_ = 0;
    uint64_t total_ = 0;
    uint64_t lastReported_ = 0;
    uint64_t downloaded_ = 0;
};

std::optional<FileMetadata> Download::metadata(const std::string& revision, const std::string& file)
{
    std::vector<std::string> headers = {"Accept-Encoding: identity"};  // Content-Length is the file's size
    if (!auth_.empty()) headers.push_back(auth_);
    std::string url = resolveUrl(revision, file);
    HttpResponse r = http_.head(url, headers, options_.stop);
    // A renamed repo answers with a redirect on the same host: followed, like huggingface_hub does;
    // a redirect to another host (the CDN) is where the content lives, read below.
    for (int hops = 0; hops < 5 && r.status >= 300 && r.status < 400 && r.header("location").rfind("/", 0) == 0; ++hops) {
        const size_t hostEnd = url.find('/', url.find("://") + 3);
        url = url.substr(0, hostEnd) + r.header("location");
        r = http_.head(url, headers, options_.stop);
    }
    const std::string code = r.header("x-error-code");
    if (code == "EntryNotFound" || (r.status == 404 && code.empty())) {
        // As huggingface_hub does: remember the absence, so offline lookups need not ask again.
        if (!r.header("x-repo-commit").empty() && isCommitHash(r.header("x-repo-commit"))) {
            std::error_code ec;
            fs::create_directories(repo_ / ".no_exist" / r.header("x-repo-commit"), ec);
            std::ofstream(repo_ / ".no_exist" / r.header("x-repo-commit") / file);
        }
        return std::nullopt;
    }
    // The Hub answers a gated repo with 401 (anonymous) or 403 (a token without access), GatedRepo both times.
    if (code == "GatedRepo" || (r.status == 403 && code.empty()))
        throw Error("'" + repoId_ + "' is gated: accept its conditions on " + env_.endpoint + "/" + repoId_ +
                    (env_.token.empty() ? " and set HF_TOKEN" : " with the account of your HF_TOKEN"));
    if (code == "RepositoryNotFound" || r.status == 401 || r.status == 403)
        throw Error("repository '" + repoId_ + "' not found on " + env_.endpoint +
                    (env_.token.empty() ? " (if it is private or gated, set HF_TOKEN)" : " (or your HF_TOKEN cannot read it)"));
    if (code == "RevisionNotFound")
        throw Error("revision '" + revision + "' not found in '" + repoId_ + "'");
    if (r.status >= 400)
        throw Error("'" + repoId_ + "' " + file + ": " + env_.endpoint + " answered HTTP " + std::to_string(r.status));

    FileMetadata m;
    m.name = file;
    m.commit = r.header("x-repo-commit");
    m.etag = normalizeEtag(r.header("x-linked-etag").empty() ? r.header("etag") : r.header("x-linked-etag"));
    m.size = toSize(r.header("x-linked-size").empty() ? r.header("content-length") : r.header("x-linked-size"));
    m.downloadUrl = (r.status >= 300 && r.status < 400 && !r.header("location").empty()) ? r.header("location") : url;
    m.onHub = m.downloadUrl == url;
    if (!isCommitHash(m.commit))
        throw Error(env_.endpoint + " gave no commit for '" + repoId_ + "' (no X-Repo-Commit header): is HF_ENDPOINT a Hugging Face Hub?");
    if (!isSafeBlobName(m.etag))
        throw Error(env_.endpoint + " gave no usable ETag for " + repoId_ + "/" + file);
    return m;
}

void Download::report(bool force)
{
    if (!options_.progress) return;
    if (force || done_ - lastReported_ >= (64u << 10)) {
        lastReported_ = done_;
        options_.progress(done_, total_);
    }
}

void Download::fetchBlob(const FileMetadata& file)
{
    const fs::path blob = repo_ / "blobs" / file.etag;
    const BlobLock lock(env_.cacheDir / ".locks" / repo_.filename() / (file.etag + ".lock"));
    std::error_code ec;
    if (fs::is_regular_file(blob, ec)) return;  // another process finished it while we waited
    fs::create_directories(blob.parent_path());
    const fs::path partial = fs::path(blob.string() + ".incomplete");
    uint64_t offset = fs::is_regular_file(partial, ec) ? fs::file_size(partial, ec) : 0;
    if (offset > file.size) {  // not a prefix of this file: start over
        fs::remove(partial, ec);
        offset = 0;
    }
    done_ += offset;
    report(true);

    if (offset < file.size || file.size == 0) {
        const auto closeFile = [](FILE* f) { if (f) std::fclose(f); };
        std::unique_ptr<FILE, decltype(closeFile)> out(std::fopen(partial.c_str(), "ab"), closeFile);
        if (!out) throw Error("cannot write " + partial.string() + ": " + std::strerror(errno));
        // Unbuffered: libcurl hands over 16 KiB at a time, and the file on disk always holds every
        // byte received, so a killed process resumes from exactly there.
        std::setvbuf(out.get(), nullptr, _IONBF, 0);
        std::vector<std::string> headers;
        // The token is for the Hub only: not sent to the CDN its Location points to (nor does
        // libcurl forward it when a redirect changes host), as huggingface_hub does.
        if (!auth_.empty() && file.onHub) headers.push_back(auth_);
        if (offset > 0) headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
        std::string sinkError;
        bool first = true;
        const uint64_t resumedFrom = offset;
        const BodySink sink = [&](long status, const char* data, size_t n) {
            if (first && status == 200 && offset > 0) {
                // The server ignored the Range: the whole file follows, so the partial one goes.
                done_ -= offset;
                offset = 0;
                if (::ftruncate(::fileno(out.get()), 0) != 0) {
                    sinkError = "cannot truncate " + partial.string() + ": " + std::strerror(errno);
                    return false;
                }
            }
            first = false;
            if (std::fwrite(data, 1, n, out.get()) != n) {
                sinkError = errno == ENOSPC
                                ? "the disk is full while downloading " + file.name + " of '" + repoId_ +
                                      "'; the partial file is kept in " + partial.string() + " and resumes next time"
                                : "cannot write " + partial.string() + ": " + std::strerror(errno);
                return false;
            }
            done_ += n;
            downloaded_ += n;
            report(false);
            return true;
        };
        HttpResponse r;
        try {
            r = http_.get(file.downloadUrl, headers, sink, nullptr, options_.stop, &sinkError);
        } catch (const Error& e) {
            if (!sinkError.empty()) throw;
            std::fflush(out.get());
            throw Error(std::string(e.what()) + " while downloading " + file.name + " of '" + repoId_ + "' (" +
                        std::to_string(fs::file_size(partial, ec)) + " of " + std::to_string(file.size) +
                        " bytes kept; run again to resume)");
        }
        if (r.status == 416 && resumedFrom > 0) {
            fs::remove(partial, ec);  // the partial file no longer matches what the server has
            throw Error(file.name + " of '" + repoId_ + "' changed on the server; run again to download it afresh");
        }
        if (r.status != 200 && r.status != 206)
            throw Error("downloading " + file.name + " of '" + repoId_ + "': HTTP " + std::to_string(r.status));
        if (std::fflush(out.get()) != 0 || ::fsync(::fileno(out.get())) != 0)
            throw Error(errno == ENOSPC ? "the disk is full while downloading " + file.name + " of '" + repoId_ +
                                              "'; the partial file is kept in " + partial.string() + " and resumes next time"
                                        : "cannot write " + partial.string() + ": " + std::strerror(errno));
    }
    const uint64_t got = fs::file_size(partial, ec);
    if (got != file.size)
        throw Error(file.name + " of '" + repoId_ + "': got " + std::to_string(got) + " of " + std::to_string(file.size) +
                    " bytes; run again to resume");
    // LFS files are named by their SHA-256: the one check that says the bytes are the right ones.
    if (isSha256(file.etag)) {
        const std::string actual = sha256OfFile(partial);
        if (actual != file.etag) {
            fs::remove(partial, ec);
            throw Error(file.name + " of '" + repoId_ + "' failed its SHA-256 check (expected " + file.etag.substr(0, 12) +
                        "…, got " + actual.substr(0, 12) + "…); the download was discarded");
        }
    }
    fs::rename(partial, blob);
}

std::optional<DownloadResult> Download::cached() const
{
    const std::optional<fs::path> snapshot = cache_.findSnapshot(repoId_, options_.revision);
    if (!snapshot || !hasBertFiles(*snapshot)) return std::nullopt;
    DownloadResult result{repoId_, options_.revision, snapshot->filename().string(), *snapshot, {}, 0, {}};
    for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors", "pytorch_model.bin"})
        if (fs::exists(*snapshot / f)) result.files.emplace_back(f);
    return result;
}

DownloadResult Download::run()
{
    const std::string& revision = options_.revision;
    if (env_.offline) {
        if (auto r = cached()) return *r;
        throw Error("HF_HUB_OFFLINE is set and '" + repoId_ + "' (" + revision + ") is not in the Hugging Face cache at " +
                    env_.cacheDir.string());
    }
    DownloadResult result{repoId_, revision, {}, {}, {}, 0, {}};

    // The first answer fixes the commit; the other files are asked for at that commit, so a push
    // during the download cannot mix two versions in one snapshot.
    std::vector<FileMetadata> files;
    std::optional<FileMetadata> config;
    try {
        config = metadata(revision, "config.json");
    } catch (const NetworkError& e) {
        std::optional<DownloadResult> r = cached();
        if (!r) throw;
        r->warning = std::string(e.what()) + "; using the cached snapshot " + r->commit.substr(0, 12);
        return *r;
    }
    if (!config) throw Error("'" + repoId_ + "' has no config.json at " + revision + ": not a transformers model");
    result.commit = config->commit;
    files.push_back(*config);
    const std::optional<FileMetadata> vocab = metadata(result.commit, "vocab.txt");
    if (!vocab) throw Error("'" + repoId_ + "' has no vocab.txt: bertlab needs a BERT WordPiece vocabulary");
    files.push_back(*vocab);
    if (auto t = metadata(result.commit, "tokenizer_config.json")) files.push_back(*t);  // do_lower_case, when given
    std::optional<FileMetadata> weights = metadata(result.commit, "model.safetensors");
    if (!weights) weights = metadata(result.commit, "pytorch_model.bin");
    if (!weights)
        throw Error("'" + repoId_ + "' has no BERT weights bertlab can load (neither model.safetensors nor pytorch_model.bin)");
    files.push_back(*weights);

    if (revision != result.commit) writeAtomically(repo_ / "refs" / revision, result.commit);

    std::error_code ec;
    for (const FileMetadata& f : files)
        if (!fs::is_regular_file(repo_ / "blobs" / f.etag, ec)) total_ += f.size;
    report(true);
    result.snapshot = repo_ / "snapshots" / result.commit;
    for (const FileMetadata& f : files) {
        fetchBlob(f);
        linkIntoSnapshot(repo_ / "blobs" / f.etag, result.snapshot / f.name);
        result.files.push_back(f.name);
        // A repo whose config.json is not a BERT would download its weights for nothing.
        if (f.name == "config.json") {
            std::ifstream in(result.snapshot / "config.json");
            const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
            if (!j.is_object()) throw Error("the config.json of '" + repoId_ + "' is not valid JSON");
            const std::string type = j.value("model_type", std::string());
            if (!type.empty() && type != "bert")
                throw Error("'" + repoId_ + "' is a " + type + " model, not a BERT");
        }
    }
    report(true);
    result.downloadedBytes = downloaded_;
    return result;
}

} // namespace

DownloadResult downloadBertModel(const std::string& repoId, const DownloadOptions& options, const HubEnvironment& env)
{
    requireValidRepoId(repoId);
    requireValidRevision(options.revision);
    Download download(repoId, options, env);
    try {
        return download.run();
    } catch (const fs::filesystem_error& e) {
        // Folder creation, links and renames: ENOSPC and read-only caches land here.
        throw Error("cannot write to the Hugging Face cache at " + env.cacheDir.string() + ": " + e.code().message());
    }
}

} // namespace bertlab::hub
