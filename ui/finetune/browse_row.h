// A line edit with its "Browse…" button beside it, as one form row of the fine-tuning dialogs.
#pragma once

class QLineEdit;
class QPushButton;
class QWidget;

namespace bertlab::ui {

// The returned row owns neither until it is placed in a layout; then Qt's parenting does.
QWidget* withBrowse(QLineEdit* edit, QPushButton* button);

} // namespace bertlab::ui
