// The file-name form of a view's title, for exports, screenshots and finding a view by name.
#pragma once

#include <QString>

namespace bertlab::ui {

// Lower case, runs of anything but letters and digits as one '-': "Next sentence" -> "next-sentence".
QString fileNameForView(const QString& title);

} // namespace bertlab::ui
