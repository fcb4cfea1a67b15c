// Lists HubCache::listBertModels() in a tree; the snapshot folder of the chosen row is what opens.
#include "hub_cache_dialog.h"

#include "hub/hub_cache.h"
#include "hub/hub_environment.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace bertlab::ui {

HubCacheDialog::HubCacheDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Open From Hugging Face Cache"));
    setObjectName(QStringLiteral("hubCacheDialog"));
    where_ = new QLabel(this);
    where_->setWordWrap(true);
    where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    list_ = new QTreeWidget(this);
    list_->setObjectName(QStringLiteral("hubCacheList"));
    list_->setHeaderLabels({tr("Model"), tr("Revision"), tr("Size"), tr("Commit")});
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setAlternatingRowColors(true);
    list_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c) list_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    open_ = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    open_->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &HubCacheDialog::openCurrent);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QTreeWidget::itemActivated, this, &HubCacheDialog::openCurrent);
    connect(list_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { open_->setEnabled(item != nullptr); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(where_);
    layout->addWidget(list_, 1);
    layout->addWidget(buttons);
    resize(720, 380);
    fill();
}

void HubCacheDialog::fill()
{
    const hub::HubEnvironment env = hub::HubEnvironment::fromProcess();
    const QString root = QDir::toNativeSeparators(QString::fromStdString(env.cacheDir.string()));
    const std::vector<hub::CachedModel> models = hub::HubCache(env.cacheDir).listBertModels();
    const QLocale locale;
    for (const hub::CachedModel& m : models) {
        QStringList revisions;
        for (const std::string& r : m.revisions) revisions << QString::fromStdString(r);
        const QString commit = QString::fromStdString(m.commit);
        auto* item = new QTreeWidgetItem(list_, {QString::fromStdString(m.repoId),
                                                 revisions.isEmpty() ? commit.left(10) : revisions.join(QStringLiteral(", ")),
                                                 locale.formattedDataSize(static_cast<qint64>(m.sizeBytes)), commit.left(10)});
        item->setData(0, Qt::UserRole, QString::fromStdString(m.snapshot.string()));
        item->setToolTip(0, QDir::toNativeSeparators(QString::fromStdString(m.snapshot.string())));
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    if (models.empty()) {
        where_->setText(tr("No BERT models in the Hugging Face cache at <tt>%1</tt>. Use File ▸ Open From Hugging Face… "
                           "to download one, or point HF_HUB_CACHE or HF_HOME at another cache.")
                            .arg(root.toHtmlEscaped()));
    } else {
        where_->setText(tr("BERT models in the Hugging Face cache at <tt>%1</tt> (shared with transformers):")
                            .arg(root.toHtmlEscaped()));
        list_->setCurrentItem(list_->topLevelItem(0));
    }
    open_->setEnabled(!models.empty());
}

void HubCacheDialog::openCurrent()
{
    const QTreeWidgetItem* item = list_->currentItem();
    if (!item) return;
    chosen_ = item->data(0, Qt::UserRole).toString();
    accept();
}

} // namespace bertlab::ui
