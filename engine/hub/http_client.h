// A small blocking HTTP(S) client over libcurl: HEAD for metadata, GET streamed into a sink.
#pragma once

#include "error.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab::hub {

// The host could not be reached at all (no network, DNS failure, refused, timed out): the caller
// may fall back to what it has cached, as huggingface_hub does.
class NetworkError : public Error {
public:
    using Error::Error;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // of the last response; names in lower case
    std::string body;                            // only for non-2xx answers to a GET (the Hub's error JSON)
    std::string header(const std::string& lowerCaseName) const;
};

// Receives the body of a 2xx GET with its status (200 or 206); returns false to stop the transfer
// (e.g. the disk is full).
using BodySink = std::function<bool(long status, const char* data, size_t size)>;
// Bytes of the body received so far in this transfer.
using TransferProgress = std::function<void(uint64_t received)>;

class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // No redirect is followed: the caller reads Location (the Hub sends large files to a CDN).
    HttpResponse head(const std::string& url, const std::vector<std::string>& headers, std::stop_token stop = {});
    // Follows redirects; `headers` may carry "Range: bytes=N-". Throws Cancelled when `stop` is
    // requested, Error on a network failure (with the sink's own message when the sink refused data).
    HttpResponse get(const std::string& url, const std::vector<std::string>& headers, const BodySink& sink,
                     const TransferProgress& progress, std::stop_token stop, const std::string* sinkError = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace bertlab::hub
