// bertlab-cli: dispatches to the registered subcommands; errors become one line and exit code 1.
#include "command.h"

#include "error.h"
#include "openblas_library.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

using namespace bertlab;

static void printUsage(FILE* out)
{
    std::fprintf(out, "bertlab-cli %s: the scriptable face of bertlab\n\nCommands:\n", BERTLAB_VERSION);
    for (const auto& [name, command] : cli::commandTable())
        std::fprintf(out, "  %s\n", command.usage.c_str());
}

int main(int argc, char** argv)
{
    if (argc < 2) {
        printUsage(stderr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") {
        printUsage(stdout);
        return 0;
    }
    if (name == "--version") {
        std::printf("bertlab-cli %s\n", BERTLAB_VERSION);
        return 0;
    }
    auto& table = cli::commandTable();
    auto it = table.find(name);
    if (it == table.end()) {
        std::fprintf(stderr, "error: unknown command '%s' (try bertlab-cli help)\n", name.c_str());
        return 2;
    }
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::printf("usage: bertlab-cli %s\n", it->second.usage.c_str());
            return 0;
        }
    }
    try {
        initBlas();  // before any thread: it sets OPENBLAS_CORETYPE for the library's loader
        cli::Args args(std::vector<std::string>(argv + 2, argv + argc), it->second.switches);
        return it->second.run(args);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "error: out of memory\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
    return 1;
}
