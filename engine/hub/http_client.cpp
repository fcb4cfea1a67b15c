// libcurl easy handle per client; header and body callbacks fill an HttpResponse; errors become one line.
#include "http_client.h"

#include "cancelled.h"
#include "error.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace bertlab::hub {
namespace {

// curl_global_init is not thread-safe before libcurl 7.84; doing it once at static-init time is.
[[maybe_unused]] const CURLcode globalInit = curl_global_init(CURL_GLOBAL_DEFAULT);

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s)
{
    const size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::string hostOf(const std::string& url)
{
    const size_t scheme = url.find("://");
    const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    return url.substr(start, url.find_first_of("/?#", start) - start);
}

struct Transfer {
    CURL* curl = nullptr;
    HttpResponse response;
    const BodySink* sink = nullptr;
    const TransferProgress* progress = nullptr;
    std::stop_token stop;
    uint64_t received = 0;
    bool sinkRefused = false;
};

size_t onHeader(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        t->response.headers.clear();  // a new response (after a redirect or a 100 Continue)
    } else if (const size_t colon = line.find(':'); colon != std::string::npos) {
        t->response.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300 || !t->sink) {
        if (t->response.body.size() < 4096) t->response.body.append(data, std::min<size_t>(n, 4096));
        return n;
    }
    if (!(*t->sink)(status, data, n)) {
        t->sinkRefused = true;
        return 0;  // CURLE_WRITE_ERROR
    }
    t->received += n;
    if (t->progress && *t->progress) (*t->progress)(t->received);
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

} // namespace

std::string HttpResponse::header(const std::string& lowerCaseName) const
{
    const auto it = headers.find(lowerCaseName);
    return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
    CURL* curl = nullptr;
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>())
{
    impl_->curl = curl_easy_init();
    if (!impl_->curl) throw Error("libcurl could not start");
}

HttpClient::~HttpClient()
{
    curl_easy_cleanup(impl_->curl);
}

namespace {

HttpResponse perform(CURL* curl, const std::string& url, const std::vector<std::string>& headers, bool head,
                     Transfer& t, const std::string* sinkError)
{
    curl_easy_reset(curl);
    t.curl = curl;
    curl_slist* list = nullptr;
    for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
    const std::unique_ptr<curl_slist, void (*)(curl_slist*)> headerList(list, &curl_slist_free_all);
    char message[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    curl_easy_setopt(curl, CURLOPT_NOBODY, head ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, head ? 0L : 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "bertlab (huggingface_hub-compatible cache)");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    // A stalled connection is a network failure, not a hang: under 1 byte/s for 30 s aborts.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // safe on worker threads
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

    const CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.response.status);
    if (code == CURLE_OK) return std::move(t.response);
    if (code == CURLE_ABORTED_BY_CALLBACK) throw Cancelled();
    if (code == CURLE_WRITE_ERROR && t.sinkRefused && sinkError && !sinkError->empty()) throw Error(*sinkError);
    const std::string what = message[0] ? trim(message) : std::string(curl_easy_strerror(code));
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
        throw NetworkError("cannot reach " + hostOf(url) + " (no network?): " + what);
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        throw Error("the connection to " + hostOf(url) + " broke off: " + what);
    default:
        throw Error("download from " + hostOf(url) + " failed: " + what);
    }
}

} // namespace

HttpResponse HttpClient::head(const std::string& url, const std::vector<std::string>& headers, std::stop_token stop)
{
    Transfer t;
    t.stop = std::move(stop);
    return perform(impl_->curl, url, headers, true, t, nullptr);
}

HttpResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers, const BodySink& sink,
                             const TransferProgress& progress, std::stop_token stop, const std::string* sinkError)
{
    Transfer t;
    t.sink = &sink;
    t.progress = &progress;
    t.stop = std::move(stop);
    return perform(impl_->curl, url, headers, false, t, sinkError);
}

} // namespace bertlab::hub
