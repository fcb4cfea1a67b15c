// bertlab-cli's parser: one CLI11 app per command, built from the command's declared options.
#include "command_line.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <iostream>

namespace bertlab::cli {
namespace {

void printCommandList(FILE* out)
{
    std::fprintf(out, "bertlab-cli %s: the scriptable face of bertlab\n\nCommands:\n", BERTLAB_VERSION);
    for (const auto& [name, command] : commandTable())
        std::fprintf(out, "  %s\n", command.usage.c_str());
    std::fprintf(out, "\n`bertlab-cli COMMAND --help` explains a command's options.\n");
}

// CLI11's own integer check also takes 0x10 and 010 (octal); bertlab's options are decimal.
const CLI::Validator wholeNumber(
    [](std::string& value) {
        const size_t digits = !value.empty() && (value[0] == '+' || value[0] == '-') ? 1 : 0;
        const bool whole = value.size() > digits &&
                           std::all_of(value.begin() + static_cast<std::ptrdiff_t>(digits), value.end(),
                                       [](char c) { return c >= '0' && c <= '9'; });
        return whole ? std::string() : "'" + value + "' is not a whole number";
    },
    "");  // no suffix in --help: the value names (N, K) and the help text say it

const CLI::Validator decimalNumber(
    [](std::string& value) {
        try {
            size_t used = 0;
            const double d = std::stod(value, &used);
            if (used == value.size() && std::isfinite(d)) return std::string();
        } catch (...) {
        }
        return "'" + value + "' is not a number";
    },
    "");

std::vector<std::string> choicesOf(const std::string& valueName)
{
    if (valueName.find('|') == std::string::npos) return {};
    std::vector<std::string> choices;
    size_t begin = 0;
    while (begin <= valueName.size()) {
        const size_t end = std::min(valueName.find('|', begin), valueName.size());
        const std::string choice = valueName.substr(begin, end - begin);
        const bool word = !choice.empty() && std::all_of(choice.begin(), choice.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (!word) return {};  // a pattern such as mlm:POS[:TOKEN]|nsp, checked by the command
        choices.push_back(choice);
        begin = end + 1;
    }
    return choices;
}

int usageError(const Command& command, const std::string& message)
{
    std::fprintf(stderr, "error: %s\nusage: bertlab-cli %s   (--help: every option)\n", message.c_str(),
                 command.usage.c_str());
    return 2;
}

// The app for one command; values are bound into `positional` and `values`, which must outlive it.
std::unique_ptr<CLI::App> buildApp(const Command& command, std::vector<std::string>& positional,
                                   std::deque<std::string>& values, std::vector<CLI::Option*>& options)
{
    auto app = std::make_unique<CLI::App>(command.summary, "bertlab-cli " + command.name);
    app->set_help_flag("-h,--help", "print this help and exit");
    app->footer("usage: bertlab-cli " + command.usage);
    positional.resize(command.positionals.size());
    for (size_t i = 0; i < command.positionals.size(); ++i)
        app->add_option(command.positionals[i].name, positional[i], command.positionals[i].help)->required()->type_name("");
    for (const OptionSpec& spec : command.options) {
        CLI::Option* option = nullptr;
        if (spec.kind == ValueKind::Switch) {
            option = app->add_flag(spec.flag, spec.help)->disable_flag_override();
        } else {
            option = app->add_option(spec.flag, values.emplace_back(), spec.help)->type_name(spec.valueName);
            // A value name of the form a|b|c lists the only values the option takes.
            if (const std::vector<std::string> choices = choicesOf(spec.valueName); !choices.empty())
                option->check(CLI::IsMember(choices));
            if (spec.kind == ValueKind::WholeNumber) option->check(wholeNumber);
            if (spec.kind == ValueKind::Number) option->check(decimalNumber);
        }
        options.push_back(option);
    }
    return app;
}

} // namespace

ParsedCommandLine parseCommandLine(int argc, const char* const* argv)
{
    ParsedCommandLine result;
    if (argc < 2) {
        printCommandList(stderr);
        result.exitCode = 2;
        return result;
    }
    const std::string name = argv[1];
    auto& table = commandTable();
    if (name == "--version") {
        std::printf("bertlab-cli %s\n", BERTLAB_VERSION);
        return result;
    }
    const bool helpRequest = name == "help" || name == "--help" || name == "-h";
    if (helpRequest && argc < 3) {
        printCommandList(stdout);
        return result;
    }
    const std::string commandName = helpRequest ? argv[2] : name;
    const auto it = table.find(commandName);
    if (it == table.end()) {
        std::fprintf(stderr, "error: unknown command '%s' (bertlab-cli help lists them)\n", commandName.c_str());
        result.exitCode = 2;
        return result;
    }
    const Command& command = it->second;
    std::vector<std::string> positional;
    std::deque<std::string> values;  // a deque: CLI11 keeps references to the bound strings
    std::vector<CLI::Option*> options;
    const auto app = buildApp(command, positional, values, options);
    if (helpRequest) {
        std::cout << app->help();
        return result;
    }
    try {
        app->parse(argc - 1, argv + 1);  // argv[1], the command's name, stands in for the program name
    } catch (const CLI::CallForHelp&) {
        std::cout << app->help();
        return result;
    } catch (const CLI::ParseError& e) {
        result.exitCode = usageError(command, e.what());
        return result;
    }
    std::map<std::string, std::string> given;
    std::set<std::string> declared;
    auto value = values.begin();
    for (size_t i = 0; i < command.options.size(); ++i) {
        const OptionSpec& spec = command.options[i];
        declared.insert(spec.flag);
        const bool present = options[i]->count() > 0;
        if (spec.kind == ValueKind::Switch) {
            if (present) given[spec.flag] = "1";
        } else {
            if (present) given[spec.flag] = *value;
            ++value;
        }
    }
    result.command = &command;
    result.args.emplace(std::move(positional), std::move(given), std::move(declared));
    return result;
}

} // namespace bertlab::cli
