// File ▸ Open Model…: a dialog that accepts a model folder as well as a weight file.
#pragma once

#include <QString>

class QWidget;

namespace bertlab::ui {

// Starts in the last model folder and remembers the new one; empty when cancelled.
QString askForModelPath(QWidget* parent);

} // namespace bertlab::ui
