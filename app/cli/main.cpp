// bertlab-cli: parses the command line, runs the chosen subcommand; failures become one line and exit code 1.
#include "command_line.h"

#include "error.h"
#include "openblas_library.h"

#include <cstdio>
#include <exception>

using namespace bertlab;

int main(int argc, char** argv)
{
    // Usage errors exit 2 (with the usage line), failures while running exit 1.
    const cli::ParsedCommandLine parsed = cli::parseCommandLine(argc, argv);
    if (!parsed.command) return parsed.exitCode;
    try {
        initBlas();  // before any thread: it sets OPENBLAS_CORETYPE for the library's loader
        return parsed.command->run(*parsed.args);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "error: out of memory\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
    return 1;
}
