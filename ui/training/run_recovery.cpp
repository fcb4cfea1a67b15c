// Remembers which training runs are in progress so that one cut short by a crash is offered for resume.
#include "training/run_recovery.h"

#include "training/training_run.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace bertlab::ui {
namespace {

const QString kKey = QStringLiteral("training/activeRuns");

QString normalized(const QString& dir)
{
    return QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
}

void store(const QStringList& runs)
{
    QSettings settings;
    if (runs.isEmpty())
        settings.remove(kKey);
    else
        settings.setValue(kKey, runs);
    settings.sync();  // a power cut right after starting should still find the run
}

} // namespace

void RunRecovery::markActive(const QString& runDir)
{
    QStringList runs = activeRuns();
    const QString dir = normalized(runDir);
    if (!runs.contains(dir)) runs << dir;
    store(runs);
}

void RunRecovery::markFinished(const QString& runDir)
{
    QStringList runs = activeRuns();
    runs.removeAll(normalized(runDir));
    store(runs);
}

QStringList RunRecovery::activeRuns()
{
    return QSettings().value(kKey).toStringList();
}

QStringList RunRecovery::interruptedRuns()
{
    QStringList out, keep;
    for (const QString& dir : activeRuns()) {
        if (!QFileInfo(dir).isDir()) continue;  // deleted since: forget it
        keep << dir;
        if (!TrainingRun::listCheckpoints(dir).isEmpty()) out << dir;
    }
    if (keep != activeRuns()) store(keep);
    return out;
}

} // namespace bertlab::ui
