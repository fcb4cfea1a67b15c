// File ▸ Open Model…: a dialog that accepts a model folder, a weight file or a Hugging Face repo id.
#pragma once

#include <QString>

class QWidget;

namespace bertlab::ui {

// Starts in the last model folder and remembers the new one; empty when cancelled. A repo id typed
// as the name ("org/name", no such file) comes back as is, for the Hub cache.
QString askForModelPath(QWidget* parent);

} // namespace bertlab::ui
