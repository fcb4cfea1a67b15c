// The targets the attribution and head-importance views can explain for one analysis, as a person reads them.
#pragma once

#include "analysis.h"
#include "attribution/attribution_target.h"

#include <QString>

#include <vector>

namespace bertlab::ui {

struct TargetChoice {
    AttributionTarget target;
    QString label;  // "[MASK] at 6 → door (12%)", "Next sentence: B follows A"
};

// Every guess at every masked position (the shown model's top-k, best first), then NSP when the
// model has the head and the input has a sentence B. Empty: nothing to explain; *why says why.
std::vector<TargetChoice> targetChoices(const Analysis& analysis, QString* why);

// Same target (kind, position, token)?
bool sameTarget(const AttributionTarget& a, const AttributionTarget& b);
// How a result's resolved target reads: "log p(door at position 6)", "log p(IsNext)".
QString describeTarget(const ResolvedTarget& target);

} // namespace bertlab::ui
