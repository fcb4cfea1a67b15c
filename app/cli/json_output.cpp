// The CLI's public JSON shapes; keys are a contract with scripts, so change them only additively.
#include "json_output.h"

namespace bertlab::cli {

nlohmann::json matrixJson(const Matrix& m)
{
    nlohmann::json rows = nlohmann::json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        rows.push_back(std::vector<float>(m.row(r).data(), m.row(r).data() + m.cols()));
    return rows;
}

nlohmann::json encodingJson(const Encoding& e)
{
    nlohmann::json offsets = nlohmann::json::array();
    for (const auto& [begin, end] : e.offsets) offsets.push_back({begin, end});
    return {{"tokens", e.tokens}, {"ids", e.ids}, {"type_ids", e.typeIds}, {"offsets", offsets},
            {"truncated", e.truncated}};
}

nlohmann::json nspJson(const NspResult& r)
{
    return {{"is_next", r.isNext}, {"not_next", r.notNext}, {"logits", {r.logits[0], r.logits[1]}}};
}

nlohmann::json predictionsJson(const std::vector<MaskedPrediction>& predictions)
{
    nlohmann::json out = nlohmann::json::array();
    for (const MaskedPrediction& p : predictions) {
        nlohmann::json candidates = nlohmann::json::array();
        for (const TokenGuess& g : p.candidates)
            candidates.push_back({{"token", g.token}, {"id", g.id}, {"prob", g.prob}});
        out.push_back({{"position", p.position}, {"candidates", candidates}});
    }
    return out;
}

} // namespace bertlab::cli

namespace bertlab::cli {

nlohmann::json targetJson(const ResolvedTarget& t)
{
    if (t.kind == AttributionTarget::Kind::NextSentence)
        return {{"kind", "nsp"}, {"position", nullptr}, {"token", nullptr}, {"id", nullptr}, {"logprob", t.logprob}};
    return {{"kind", "mlm"}, {"position", t.position}, {"token", t.token}, {"id", t.tokenId}, {"logprob", t.logprob}};
}

} // namespace bertlab::cli
