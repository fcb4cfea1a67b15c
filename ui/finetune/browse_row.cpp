// A line edit with its "Browse…" button beside it, as one form row of the fine-tuning dialogs.
#include "finetune/browse_row.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QWidget>

namespace bertlab::ui {

QWidget* withBrowse(QLineEdit* edit, QPushButton* button)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

} // namespace bertlab::ui
