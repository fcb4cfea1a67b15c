// Draws the CLI's progress bar: carriage-return redraws on a terminal, sparse plain lines in logs.
#include "progress_line.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace bertlab::cli {

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long s = std::lround(seconds);
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else
        std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    return text;
}

void stageNote(const std::string& text)
{
    if (::isatty(2)) std::fprintf(stderr, "%s\n", text.c_str());
}

ProgressLine::ProgressLine() : tty_(::isatty(2) != 0) {}

void ProgressLine::update(int64_t done, int64_t total, const std::string& details)
{
    total = std::max<int64_t>(1, total);
    const int64_t every = std::max<int64_t>(1, total / 20);
    if (!tty_ && done % every != 0 && done != total) return;
    // A terminal redraw per item would cost more than a small item's work: ten a second is enough.
    const auto now = std::chrono::steady_clock::now();
    if (tty_ && open_ && done != total && now - lastDraw_ < std::chrono::milliseconds(100)) return;
    lastDraw_ = now;
    const int width = 24;
    const int filled = static_cast<int>(std::clamp(double(done) / double(total), 0.0, 1.0) * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "%s[%s] %lld/%lld %s%s", tty_ ? "\r" : "", bar.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total), details.c_str(), tty_ ? "\x1b[K" : "\n");
    std::fflush(stderr);
    open_ = tty_;
}

void ProgressLine::finish()
{
    if (open_) std::fprintf(stderr, "\n");
    open_ = false;
}

} // namespace bertlab::cli
