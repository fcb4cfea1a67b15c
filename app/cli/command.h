// The subcommand table of bertlab-cli: each command file registers its options and runner with one static object.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace bertlab::cli {

enum class ValueKind {
    Text,         // any string: paths, names, specs such as mlm:3 or 1:2,4:*
    WholeNumber,  // a whole number; range checks stay with the command
    Number,       // a decimal number (1e-4 and 0.15 alike)
    Switch,       // present or absent, no value
};

// One --option of a command: the parser rejects unknown options and values of the wrong kind
// (exit 2 with the usage line), so a typo such as --topk never passes silently.
struct OptionSpec {
    std::string flag;       // "--top-k"
    ValueKind kind;
    std::string valueName;  // shown in --help: "K", "FILE"; empty for a switch
    std::string help;
};

OptionSpec textOption(std::string flag, std::string valueName, std::string help);
OptionSpec wholeOption(std::string flag, std::string valueName, std::string help);
OptionSpec numberOption(std::string flag, std::string valueName, std::string help);
OptionSpec switchOption(std::string flag, std::string help);
OptionSpec jsonOption();  // --json, the same wording on every command
// The options of the commands that read a typed text.
OptionSpec textInputOption();  // --text A
OptionSpec pairOption();       // --pair B
OptionSpec ablateOption();     // --ablate L:H[,L:H...]

// What the parser found: the positional arguments, in order, and the options given.
class Args {
public:
    Args(std::vector<std::string> positional, std::map<std::string, std::string> values, std::set<std::string> declared);
    const std::vector<std::string>& positional() const { return positional_; }
    bool has(const std::string& flag) const;
    std::string get(const std::string& flag, const std::string& fallback = "") const;
    std::string require(const std::string& flag) const;            // throws Error if missing
    int getInt(const std::string& flag, int fallback) const;         // throws Error if out of int's range
    double getDouble(const std::string& flag, double fallback) const;
    std::string requirePositional(size_t index, const char* what) const;

private:
    // Reading an option the command never declared is a bug in bertlab, reported as one.
    void checkDeclared(const std::string& flag) const;

    std::vector<std::string> positional_;
    std::map<std::string, std::string> values_;
    std::set<std::string> declared_;
};

// A required positional argument: "MODEL", "CORPUS", "IN".
struct PositionalSpec {
    std::string name;
    std::string help;
};

PositionalSpec modelPositional();  // MODEL: a folder, a weight file or a repo id in the Hub cache

struct Command {
    std::string name;
    std::string usage;                     // one line, shown by `bertlab-cli help` and after a usage error
    std::string summary;                   // one sentence, the first line of `bertlab-cli NAME --help`
    std::vector<PositionalSpec> positionals;  // required, in order
    std::vector<OptionSpec> options;
    std::function<int(const Args&)> run;   // returns the exit code; throws Error on failure
};

std::map<std::string, Command>& commandTable();

struct CommandRegistration {
    explicit CommandRegistration(Command command);
};

} // namespace bertlab::cli
