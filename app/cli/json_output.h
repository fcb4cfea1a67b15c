// JSON conversions of engine results for the CLI's --json output.
#pragma once

#include "attribution/attribution_target.h"
#include "bert_model.h"

#include <nlohmann/json.hpp>

namespace bertlab::cli {

nlohmann::json matrixJson(const Matrix& m);  // [[row], ...]
nlohmann::json encodingJson(const Encoding& e);  // tokens, ids, type_ids, offsets
nlohmann::json nspJson(const NspResult& r);
nlohmann::json predictionsJson(const std::vector<MaskedPrediction>& predictions);
// {"kind": "mlm"|"nsp", "position", "token", "id", "logprob"}; position, token, id null for nsp.
nlohmann::json targetJson(const ResolvedTarget& t);

} // namespace bertlab::cli
