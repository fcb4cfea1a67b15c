// The JSON lines of metrics.jsonl and eval.jsonl, written and read from one table of keys per record.
#include "training/metrics_record.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>

namespace bertlab {
namespace {

// One key of a record: an integer or a floating-point member, never both.
template <typename Record>
struct Field {
    const char* key;
    int64_t Record::*integer;
    double Record::*real;
};

// The keys both records open with, then each record's own; the order is the order in the file.
template <typename Record, typename... Own>
constexpr std::array<Field<Record>, 6 + sizeof...(Own)> withCommonFields(Own... own)
{
    return {{{"step", &Record::step, nullptr},
             {"loss", nullptr, &Record::loss},
             {"mlm_loss", nullptr, &Record::mlmLoss},
             {"nsp_loss", nullptr, &Record::nspLoss},
             {"mlm_accuracy", nullptr, &Record::mlmAccuracy},
             {"nsp_accuracy", nullptr, &Record::nspAccuracy},
             own...}};
}

using TrainingField = Field<TrainingMetrics>;
using EvaluationField = Field<EvaluationMetrics>;
constexpr auto kTrainingFields = withCommonFields<TrainingMetrics>(TrainingField{"lr", nullptr, &TrainingMetrics::lr},
                                                                   TrainingField{"grad_norm", nullptr, &TrainingMetrics::gradNorm});
constexpr auto kEvaluationFields =
    withCommonFields<EvaluationMetrics>(EvaluationField{"examples", &EvaluationMetrics::examples, nullptr});

template <typename Record, size_t N>
std::string write(const Record& r, const std::array<Field<Record>, N>& fields)
{
    // Hand-joined rather than json::dump: the file has always had ", " / ": " separators and
    // %.9g numbers, and readers outside bertlab may compare lines.
    std::string out = "{";
    for (size_t i = 0; i < N; ++i) {
        char number[40];
        if (fields[i].integer)
            std::snprintf(number, sizeof number, "%lld", static_cast<long long>(r.*fields[i].integer));
        else
            std::snprintf(number, sizeof number, "%.9g", r.*fields[i].real);
        if (i) out += ", ";
        out += '"';
        out += fields[i].key;
        out += "\": ";
        out += number;
    }
    out += '}';
    return out;
}

template <typename Record, size_t N>
Record read(std::string_view line, const std::array<Field<Record>, N>& fields, const char* what)
{
    const auto j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(std::string(what) + " line is not a JSON object");
    Record r{};
    for (const auto& f : fields) {
        const nlohmann::json::const_iterator it = j.find(std::string(f.key));
        if (it == j.end()) throw Error(std::string(what) + " line has no \"" + f.key + "\"");
        if (f.integer ? !it->is_number_integer() : !it->is_number())
            throw Error(std::string(what) + " line: \"" + f.key + "\" is not " + (f.integer ? "a whole number" : "a number"));
        if (f.integer)
            r.*f.integer = it->get<int64_t>();
        else
            r.*f.real = it->get<double>();
    }
    return r;
}

template <typename Record, size_t N>
std::vector<Record> readFile(const std::string& path, const std::array<Field<Record>, N>& fields, const char* what)
{
    std::vector<Record> out;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        try {
            out.push_back(read(line, fields, what));
        } catch (const Error&) {
            // A torn last line or a stray blank one: see the header.
        }
    }
    return out;
}

} // namespace

std::string toJson(const TrainingMetrics& m) { return write(m, kTrainingFields); }
std::string toJson(const EvaluationMetrics& e) { return write(e, kEvaluationFields); }

TrainingMetrics trainingMetricsFromJson(std::string_view line) { return read(line, kTrainingFields, "metrics"); }
EvaluationMetrics evaluationMetricsFromJson(std::string_view line) { return read(line, kEvaluationFields, "evaluation"); }

std::vector<TrainingMetrics> readMetricsJsonl(const std::string& path) { return readFile(path, kTrainingFields, "metrics"); }
std::vector<EvaluationMetrics> readEvaluationJsonl(const std::string& path)
{
    return readFile(path, kEvaluationFields, "evaluation");
}

} // namespace bertlab
