// Qt's own (non-native) file dialog, so that a folder can be accepted, not only a file.
#include "open_model_dialog.h"

#include "app_settings.h"
#include "hub/repo_id.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace bertlab::ui {

namespace {

// Gives the free functions a tr() context that lupdate and the translator agree on.
struct OpenModelDialog {
    Q_DECLARE_TR_FUNCTIONS(bertlab::ui::OpenModelDialog)
};

} // namespace

QString askForModelPath(QWidget* parent)
{
    AppSettings settings;
    QFileDialog dialog(parent, OpenModelDialog::tr("Open a BERT model folder or weight file"), settings.lastDirectory(QStringLiteral("model")));
    dialog.setNameFilters({OpenModelDialog::tr("Model folders and weight files (*.safetensors *.bin *.index *.json)"), OpenModelDialog::tr("All files (*)")});
    dialog.setOption(QFileDialog::DontUseNativeDialog, true);
    dialog.setFileMode(QFileDialog::AnyFile);  // lets the user accept a folder as well as a file
    dialog.setLabelText(QFileDialog::Accept, OpenModelDialog::tr("Open"));
    dialog.setLabelText(QFileDialog::FileName, OpenModelDialog::tr("Model or repo id:"));
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
