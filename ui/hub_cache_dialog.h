// File ▸ Open From Hugging Face Cache: the BERT models already in the Hub cache, with revision and size.
#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace bertlab::ui {

class HubCacheDialog : public QDialog {
    Q_OBJECT
public:
    explicit HubCacheDialog(QWidget* parent = nullptr);

    // The snapshot folder chosen (when accepted).
    QString snapshotFolder() const { return chosen_; }
    QTreeWidget* list() const { return list_; }
    QPushButton* openButton() const { return open_; }

private:
    void fill();
    void openCurrent();

    QTreeWidget* list_ = nullptr;
    QLabel* where_ = nullptr;
    QPushButton* open_ = nullptr;
    QString chosen_;
};

} // namespace bertlab::ui
