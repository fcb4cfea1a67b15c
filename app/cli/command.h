// The subcommand table of bertlab-cli: each command file registers itself with one static object.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bertlab::cli {

// Parsed "--flag value" / "--switch" options plus positional arguments.
class Args {
public:
    Args(std::vector<std::string> raw, std::vector<std::string> switches);
    const std::vector<std::string>& positional() const { return positional_; }
    bool has(const std::string& flag) const;
    std::string get(const std::string& flag, const std::string& fallback = "") const;
    std::string require(const std::string& flag) const;            // throws Error if missing
    int getInt(const std::string& flag, int fallback) const;         // throws Error if not a number
    double getDouble(const std::string& flag, double fallback) const;
    std::string requirePositional(size_t index, const char* what) const;

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::string> values_;
};

struct Command {
    std::string name;
    std::string usage;                       // one line, shown by `bertlab-cli help`
    std::vector<std::string> switches;       // flags that take no value, e.g. "--json"
    std::function<int(const Args&)> run;     // returns the exit code; throws Error on failure
};

std::map<std::string, Command>& commandTable();

struct CommandRegistration {
    explicit CommandRegistration(Command command);
};

} // namespace bertlab::cli
