// The Brown corpus tasks shipped with bertlab (genre classification, part of speech), found like the demo model.
#pragma once

#include "bert_config.h"

#include <QString>
#include <QVector>

namespace bertlab::ui {

struct BuiltinTask {
    QString name;         // "Brown genre"
    QString description;  // one line for the button's tooltip
    ClassifierTask task = ClassifierTask::Sequence;
    QString trainPath, devPath;
};

// The folder holding them: share/bertlab/tasks next to an installed binary, or resources/tasks in
// the source tree for a build; empty when neither is there.
QString builtinTasksFolder();
// The tasks whose files are present (none without the folder).
QVector<BuiltinTask> builtinTasks();

} // namespace bertlab::ui
