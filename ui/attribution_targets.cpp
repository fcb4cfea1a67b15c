// Lists what can be explained for an analysis: each masked position's guesses and next-sentence prediction.
#include "attribution_targets.h"

#include <QCoreApplication>

#include <algorithm>

namespace bertlab::ui {

namespace {

// Gives the free functions a tr() context that lupdate and the translator agree on.
struct AttributionTargets {
    Q_DECLARE_TR_FUNCTIONS(bertlab::ui::AttributionTargets)
};

} // namespace

std::vector<TargetChoice> targetChoices(const Analysis& analysis, QString* why)
{
    std::vector<TargetChoice> out;
    const bool hasMlm = analysis.model && analysis.model->hasMlm();
    const bool hasNsp = analysis.model && analysis.model->hasNsp();
    for (const MaskedPrediction& mp : analysis.trace.mlm)
        for (const TokenGuess& g : mp.candidates) {
            TargetChoice c;
            c.target.kind = AttributionTarget::Kind::MaskedWord;
            c.target.position = mp.position;
            c.target.token = g.token;
            c.label = AttributionTargets::tr("[MASK] at %1 → %2 (%3%)")
                          .arg(mp.position)
                          .arg(QString::fromStdString(g.token))
                          .arg(100.0 * g.prob, 0, 'f', g.prob >= 0.1f ? 0 : 1);
            out.push_back(c);
        }
    const auto& types = analysis.encoding.typeIds;
    const bool hasB = std::find(types.begin(), types.end(), 1) != types.end();
    if (hasNsp && hasB) {
        TargetChoice c;
        c.target.kind = AttributionTarget::Kind::NextSentence;
        c.label = AttributionTargets::tr("Next sentence: log p(B follows A)");
        out.push_back(c);
    }
    if (out.empty() && why) {
        if (!hasMlm && !hasNsp)
            *why = AttributionTargets::tr("This model has neither a masked-LM head nor a next-sentence head, so "
                                          "there is no guess or verdict to explain. (Its checkpoint holds only the "
                                          "encoder.)");
        else if (!hasMlm)
            *why = AttributionTargets::tr(
                "This model has no masked-LM head; add a sentence B to explain its next-sentence verdict.");
        else if (!hasNsp)
            *why = AttributionTargets::tr("Nothing to explain yet: click a token in the input panel to mask it (or "
                                          "type [MASK]); this model has no next-sentence head.");
        else
            *why = AttributionTargets::tr("Nothing to explain yet: click a token in the input panel to mask it (or "
                                          "type [MASK]), or add a sentence B for the next-sentence verdict.");
    }
    return out;
}

bool sameTarget(const AttributionTarget& a, const AttributionTarget& b)
{
    if (a.kind != b.kind)
        return false;
    return a.kind == AttributionTarget::Kind::NextSentence || (a.position == b.position && a.token == b.token);
}

QString describeTarget(const ResolvedTarget& target)
{
    if (target.kind == AttributionTarget::Kind::NextSentence)
        return AttributionTargets::tr("log p(IsNext)");
    return AttributionTargets::tr("log p(%1 at position %2)").arg(QString::fromStdString(target.token)).arg(target.position);
}

} // namespace bertlab::ui
