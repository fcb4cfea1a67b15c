// File ▸ Open From Hugging Face…: repo id and revision, a Download button, progress and Cancel.
#pragma once

#include <QDialog>
#include <QString>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace bertlab::ui {

class HubDownload;

class HubDownloadDialog : public QDialog {
    Q_OBJECT
public:
    explicit HubDownloadDialog(QWidget* parent = nullptr);

    // The snapshot folder to open once accepted.
    QString snapshotFolder() const { return snapshot_; }

    // The parts tests and screenshots drive.
    QLineEdit* repoEdit() const { return repo_; }
    QLineEdit* revisionEdit() const { return revision_; }
    QPushButton* downloadButton() const { return download_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    bool isDownloading() const;

    void reject() override;  // Cancel stops a running download first; the dialog stays for another try

private:
    void startDownload();
    void setRunning(bool running);
    void showStatus(const QString& text, bool error);

    QLineEdit* repo_ = nullptr;
    QLineEdit* revision_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* download_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    HubDownload* job_ = nullptr;
    QString snapshot_;
};

} // namespace bertlab::ui
