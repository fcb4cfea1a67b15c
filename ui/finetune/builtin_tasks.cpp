// Locates resources/tasks (or its installed copy) and names the two Brown tasks in it.
#include "finetune/builtin_tasks.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace bertlab::ui {

QString builtinTasksFolder()
{
    QStringList candidates;
    candidates << QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/bertlab/tasks"));
#ifdef BERTLAB_SOURCE_DIR
    candidates << QStringLiteral(BERTLAB_SOURCE_DIR "/resources/tasks");
#endif
    for (const QString& c : candidates)
        if (QFileInfo(QDir(c).filePath(QStringLiteral("genre-train.jsonl"))).isFile())
            return QDir::cleanPath(QFileInfo(c).absoluteFilePath());
    return {};
}

QVector<BuiltinTask> builtinTasks()
{
    const QString folder = builtinTasksFolder();
    if (folder.isEmpty())
        return {};
    const QDir dir(folder);
    QVector<BuiltinTask> tasks;
    const BuiltinTask all[] = {
        {QCoreApplication::translate("BuiltinTasks", "Brown genre"),
         QCoreApplication::translate("BuiltinTasks", "Sentence classification: press reportage, religion, learned or "
                                                     "general fiction (5,675 training and 1,200 dev sentences)"),
         ClassifierTask::Sequence, dir.filePath(QStringLiteral("genre-train.jsonl")),
         dir.filePath(QStringLiteral("genre-dev.jsonl"))},
        {QCoreApplication::translate("BuiltinTasks", "Brown part of speech"),
         QCoreApplication::translate("BuiltinTasks", "Token classification: twelve coarse tags (NOUN, VERB, ADJ, …) "
                                                     "for every word (6,000 training and 1,000 dev sentences)"),
         ClassifierTask::Token, dir.filePath(QStringLiteral("pos-train.conll")),
         dir.filePath(QStringLiteral("pos-dev.conll"))},
    };
    for (const BuiltinTask& t : all)
        if (QFileInfo(t.trainPath).isFile() && QFileInfo(t.devPath).isFile())
            tasks.push_back(t);
    return tasks;
}

} // namespace bertlab::ui
