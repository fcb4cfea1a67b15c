// Option parsing and the registry behind bertlab-cli's subcommands.
#include "command.h"

#include "error.h"

#include <algorithm>

namespace bertlab::cli {

Args::Args(std::vector<std::string> raw, std::vector<std::string> switches)
{
    for (size_t i = 0; i < raw.size(); ++i) {
        const std::string& a = raw[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            if (std::find(switches.begin(), switches.end(), a) != switches.end()) {
                values_.insert_or_assign(a, std::string(1, '1'));
            } else if (i + 1 < raw.size()) {
                values_[a] = raw[++i];
            } else {
                throw Error("option " + a + " needs a value");
            }
        } else {
            positional_.push_back(a);
        }
    }
}

bool Args::has(const std::string& flag) const { return values_.count(flag) != 0; }

std::string Args::get(const std::string& flag, const std::string& fallback) const
{
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::require(const std::string& flag) const
{
    auto it = values_.find(flag);
    if (it == values_.end()) throw Error("missing required option " + flag);
    return it->second;
}

int Args::getInt(const std::string& flag, int fallback) const
{
    if (!has(flag)) return fallback;
    const std::string v = get(flag);
    try {
        size_t used = 0;
        int n = std::stoi(v, &used);
        if (used != v.size()) throw Error("");
        return n;
    } catch (...) {
        throw Error("option " + flag + " expects a whole number, got '" + v + "'");
    }
}

double Args::getDouble(const std::string& flag, double fallback) const
{
    if (!has(flag)) return fallback;
    const std::string v = get(flag);
    try {
        size_t used = 0;
        double d = std::stod(v, &used);
        if (used != v.size()) throw Error("");
        return d;
    } catch (...) {
        throw Error("option " + flag + " expects a number, got '" + v + "'");
    }
}

std::string Args::requirePositional(size_t index, const char* what) const
{
    if (index >= positional_.size()) throw Error(std::string("missing ") + what);
    return positional_[index];
}

std::map<std::string, Command>& commandTable()
{
    static std::map<std::string, Command> table;
    return table;
}

CommandRegistration::CommandRegistration(Command command)
{
    std::string name = command.name;
    commandTable().emplace(std::move(name), std::move(command));
}

} // namespace bertlab::cli
