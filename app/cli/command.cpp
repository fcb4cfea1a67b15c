// The registry behind bertlab-cli's subcommands and the typed view of one parsed command line.
#include "command.h"

#include "error.h"

#include <limits>
#include <stdexcept>

namespace bertlab::cli {

OptionSpec textOption(std::string flag, std::string valueName, std::string help)
{
    return {std::move(flag), ValueKind::Text, std::move(valueName), std::move(help)};
}

OptionSpec wholeOption(std::string flag, std::string valueName, std::string help)
{
    return {std::move(flag), ValueKind::WholeNumber, std::move(valueName), std::move(help)};
}

OptionSpec numberOption(std::string flag, std::string valueName, std::string help)
{
    return {std::move(flag), ValueKind::Number, std::move(valueName), std::move(help)};
}

OptionSpec switchOption(std::string flag, std::string help)
{
    return {std::move(flag), ValueKind::Switch, "", std::move(help)};
}

OptionSpec jsonOption()
{
    return switchOption("--json", "print one JSON object on stdout instead of text (keys in README.md)");
}

OptionSpec textInputOption()
{
    return textOption("--text", "A", "the text (the first sentence of a pair); begin it with - as --text=-...");
}

OptionSpec pairOption()
{
    return textOption("--pair", "B", "a second sentence (segment B)");
}

OptionSpec ablateOption()
{
    return textOption("--ablate", "L:H[,L:H...]", "switch these attention heads off (1-based; L:* is a whole layer)");
}

PositionalSpec modelPositional()
{
    return {"MODEL", "a model folder, a weight file, or a Hugging Face repo id already in the Hub cache"};
}

Args::Args(std::vector<std::string> positional, std::map<std::string, std::string> values, std::set<std::string> declared)
    : positional_(std::move(positional)), values_(std::move(values)), declared_(std::move(declared))
{
}

void Args::checkDeclared(const std::string& flag) const
{
    if (!declared_.count(flag))
        throw std::logic_error("internal error: bertlab-cli reads option " + flag + ", which this command does not declare");
}

bool Args::has(const std::string& flag) const
{
    checkDeclared(flag);
    return values_.count(flag) != 0;
}

std::string Args::get(const std::string& flag, const std::string& fallback) const
{
    checkDeclared(flag);
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::require(const std::string& flag) const
{
    checkDeclared(flag);
    auto it = values_.find(flag);
    if (it == values_.end()) throw Error("missing required option " + flag);
    return it->second;
}

int Args::getInt(const std::string& flag, int fallback) const
{
    if (!has(flag)) return fallback;
    const std::string v = get(flag);
    // The parser already checked the form; what is left is int's range.
    try {
        size_t used = 0;
        const long long n = std::stoll(v, &used);
        if (used == v.size() && n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max())
            return static_cast<int>(n);
    } catch (...) {
    }
    throw Error("option " + flag + " expects a whole number that fits in 32 bits, got '" + v + "'");
}

double Args::getDouble(const std::string& flag, double fallback) const
{
    if (!has(flag)) return fallback;
    const std::string v = get(flag);
    try {
        size_t used = 0;
        const double d = std::stod(v, &used);
        if (used == v.size()) return d;
    } catch (...) {
    }
    throw Error("option " + flag + " expects a number, got '" + v + "'");
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
