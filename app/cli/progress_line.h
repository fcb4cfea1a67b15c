// One status line on stderr for long commands: redrawn in place on a terminal, every ~5% otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bertlab::cli {

// "3m05s", "1h02m"; "?" when unknown.
std::string formatDuration(double seconds);

// A stage of a long command ("reading corpus.txt"), on stderr when it is a terminal; logs and
// scripts get only the result and the error line.
void stageNote(const std::string& text);

class ProgressLine {
public:
    ProgressLine();
    // [####....] done/total, then `details` (loss, speed, ETA: whatever the command knows).
    void update(int64_t done, int64_t total, const std::string& details);
    // Ends the line (a newline on a terminal); call before printing anything else.
    void finish();
    bool terminal() const { return tty_; }

private:
    bool tty_;
    bool open_ = false;
    std::chrono::steady_clock::time_point lastDraw_;
};

} // namespace bertlab::cli
