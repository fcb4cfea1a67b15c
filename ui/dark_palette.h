// The explorer's dark palette (View ▸ Dark Palette).
#pragma once

#include <QPalette>

namespace bertlab::ui {

// Grey-on-charcoal with the views' colour-blind-safe blue for links and selection.
QPalette darkPalette();

// Sets it on the application (with the Fusion style, which follows a palette fully), or the style's own.
void applyDarkPalette(bool on);

} // namespace bertlab::ui
