// The download dialog: a form, then a HubDownload whose signals drive the progress bar and the outcome.
#include "hub_download_dialog.h"

#include "hub/hub_environment.h"
#include "hub_download.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace bertlab::ui {

HubDownloadDialog::HubDownloadDialog(QWidget* parent) : QDialog(parent), job_(new HubDownload(this))
{
    setWindowTitle(tr("Open From Hugging Face"));
    setObjectName(QStringLiteral("hubDownloadDialog"));
    const hub::HubEnvironment env = hub::HubEnvironment::fromProcess();

    auto* intro = new QLabel(tr("Downloads a BERT model (config.json, vocab.txt and its weights) from %1 into the "
                                "Hugging Face cache that transformers also uses:<br><tt>%2</tt>")
                                 .arg(QString::fromStdString(env.endpoint).toHtmlEscaped(),
                                      QDir::toNativeSeparators(QString::fromStdString(env.cacheDir.string())).toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    repo_ = new QLineEdit(this);
    repo_->setObjectName(QStringLiteral("hubRepoEdit"));
    repo_->setPlaceholderText(QStringLiteral("google-bert/bert-base-uncased"));
    repo_->setClearButtonEnabled(true);
    revision_ = new QLineEdit(QStringLiteral("main"), this);
    revision_->setObjectName(QStringLiteral("hubRevisionEdit"));
    revision_->setToolTip(tr("A branch, tag or commit hash"));
    auto* form = new QFormLayout;
    form->addRow(tr("&Repository:"), repo_);
    form->addRow(tr("Re&vision:"), revision_);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    progress_->setFormat(QString());
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (env.offline)
        showStatus(tr("HF_HUB_OFFLINE is set: only models already in the cache can be opened."), false);
    else if (!env.token.empty())
        showStatus(tr("Using your Hugging Face token (HF_TOKEN) for gated and private models."), false);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    download_ = buttons_->addButton(tr("&Download and Open"), QDialogButtonBox::AcceptRole);
    download_->setDefault(true);
    download_->setEnabled(false);
    connect(repo_, &QLineEdit::textChanged, this, [this](const QString& text) {
        download_->setEnabled(!isDownloading() && !text.trimmed().isEmpty());
    });
    connect(buttons_, &QDialogButtonBox::accepted, this, &HubDownloadDialog::startDownload);
    connect(buttons_, &QDialogButtonBox::rejected, this, &HubDownloadDialog::reject);

    connect(job_, &HubDownload::progress, this, [this](qint64 done, qint64 total) {
        if (total <= 0) return;
        progress_->setValue(static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)));
        const QLocale locale;
        progress_->setFormat(tr("%1 of %2").arg(locale.formattedDataSize(done), locale.formattedDataSize(total)));
    });
    connect(job_, &HubDownload::finished, this, [this](const QString& folder) {
        setRunning(false);
        snapshot_ = folder;
        QDialog::accept();
    });
    connect(job_, &HubDownload::failed, this, [this](const QString& message) {
        setRunning(false);
        showStatus(message, true);
    });
    connect(job_, &HubDownload::cancelled, this, [this] {
        setRunning(false);
        showStatus(tr("Cancelled. What was downloaded is kept; Download resumes from there."), false);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addStretch(1);
    layout->addWidget(buttons_);
    resize(560, sizeHint().height());
}

bool HubDownloadDialog::isDownloading() const
{
    return job_->isRunning();
}

void HubDownloadDialog::startDownload()
{
    if (isDownloading() || repo_->text().trimmed().isEmpty()) return;
    progress_->setValue(0);
    progress_->setFormat(tr("Connecting…"));
    showStatus(tr("Downloading %1…").arg(repo_->text().trimmed()), false);
    setRunning(job_->start(repo_->text(), revision_->text()));
}

void HubDownloadDialog::reject()
{
    if (isDownloading()) {
        showStatus(tr("Cancelling…"), false);
        job_->cancel();  // cancelled() re-enables the form; the dialog stays open
        return;
    }
    QDialog::reject();
}

void HubDownloadDialog::setRunning(bool running)
{
    repo_->setEnabled(!running);
    revision_->setEnabled(!running);
    download_->setEnabled(!running && !repo_->text().trimmed().isEmpty());
    if (!running && progress_->format() == tr("Connecting…")) progress_->setFormat(QString());
}

void HubDownloadDialog::showStatus(const QString& text, bool error)
{
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace bertlab::ui
