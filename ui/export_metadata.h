// Marks an exported file with the state it was made under (switched-off heads), so numbers from an ablated model are never mistaken for the intact one.
#pragma once

#include <QString>

namespace bertlab::ui::exporting {

// Adds `ablation` (HeadAblation's "L:H" form) to a finished export: a top-level "ablation" key in
// JSON, a leading "# ablation: L:H" line in CSV, an "ablation" text chunk in PNG; PDF and SVG are
// left as they are. An empty `ablation` changes nothing. Rewrites atomically; false + *error.
bool stampAblation(const QString& path, const QString& ablation, QString* error);

} // namespace bertlab::ui::exporting
