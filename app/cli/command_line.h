// Parses bertlab-cli's command line against the registered commands' declarations (CLI11).
#pragma once

#include "command.h"

#include <optional>

namespace bertlab::cli {

// Either a command to run with its arguments, or an exit code: help and the version were printed
// (0), or a usage error was reported with the usage line (2).
struct ParsedCommandLine {
    const Command* command = nullptr;
    std::optional<Args> args;
    int exitCode = 0;
};

ParsedCommandLine parseCommandLine(int argc, const char* const* argv);

} // namespace bertlab::cli
