// Qt's own (non-native) file dialog, so that a folder can be accepted, not only a file.
#include "open_model_dialog.h"

#include "app_settings.h"
#include "hub/repo_id.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace bertlab::ui {

QString askForModelPath(QWidget* parent)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("bertlab::ui::OpenModelDialog", text); };
    AppSettings settings;
    QFileDialog dialog(parent, tr("Open a BERT model folder or weight file"), settings.lastDirectory(QStringLiteral("model")));
    dialog.setNameFilters({tr("Model folders and weight files (*.safetensors *.bin *.index *.json)"), tr("All files (*)")});
    dialog.setOption(QFileDialog::DontUseNativeDialog, true);
    dialog.setFileMode(QFileDialog::AnyFile);  // lets the user accept a folder as well as a file
    dialog.setLabelText(QFileDialog::Accept, tr("Open"));
    dialog.setLabelText(QFileDialog::FileName, tr("Model or repo id:"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    const QString path = dialog.selectedFiles().first();
    // "org/name" typed into the file name box comes back joined to the folder shown; when no such
    // file exists it is a repo id, for ModelLoader to find in the Hugging Face cache.
    const QString typed = QDir(dialog.directory()).relativeFilePath(path);
    if (!QFileInfo::exists(path) && hub::isValidRepoId(typed.toStdString()))
        return typed;
    settings.setLastDirectory(QStringLiteral("model"), QFileInfo(path).absolutePath());
    return path;
}

} // namespace bertlab::ui
