// Remembers which training runs are in progress so that one cut short by a crash is offered for resume.
#pragma once

#include <QString>
#include <QStringList>

namespace bertlab::ui {

// The list lives in QSettings ("training/activeRuns"): a run is added when it starts and removed
// when it completes or the user ends it, so whatever is left at the next start was interrupted.
class RunRecovery {
public:
    static void markActive(const QString& runDir);
    static void markFinished(const QString& runDir);
    static QStringList activeRuns();
    // Active runs that have a checkpoint to resume from (others are dropped from the list).
    static QStringList interruptedRuns();
};

} // namespace bertlab::ui
