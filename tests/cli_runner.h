// Runs bertlab-cli (BERTLAB_CLI, defined for the engine tests) and collects its exit code and output.
#pragma once

#include <QProcess>
#include <QStringList>

#include <string>

namespace bertlab::testing {

struct CliResult {
    int exitCode = -1;  // -1: it crashed or never finished
    std::string out;
    std::string err;
};

inline CliResult runCli(const QStringList& arguments, int timeoutMs = 300000)
{
    QProcess process;
    process.start(QStringLiteral(BERTLAB_CLI), arguments);
    process.waitForFinished(timeoutMs);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
}

} // namespace bertlab::testing
