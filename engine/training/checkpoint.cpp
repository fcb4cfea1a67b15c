// Writing and reading training checkpoints atomically.
#include "training/checkpoint.h"

#include "bert_model.h"
#include "error.h"
#include "model_io.h"
#include "safetensors.h"
#include "vocab.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace bertlab {

namespace {

constexpr const char* kPrefix = "step-";

nlohmann::json optionsToJson(const TrainerOptions& o)
{
    return {{"steps", o.steps}, {"batch_size", o.batchSize}, {"gradient_accumulation", o.gradientAccumulation},
            {"peak_lr", o.peakLr}, {"warmup", o.warmup}, {"dropout", o.dropout}, {"seed", o.seed},
            {"shuffle", o.shuffle}, {"checkpoint_every", o.checkpointEvery},
            {"keep_checkpoints", o.keepCheckpoints}, {"keep_history", o.keepHistory}, {"eval_every", o.evalEvery},
            {"max_grad_norm", o.maxGradNorm}, {"beta1", o.adam.beta1}, {"beta2", o.adam.beta2},
            {"eps", o.adam.eps}, {"weight_decay", o.adam.weightDecay}, {"examples", o.examplesPath},
            {"eval_examples", o.evalExamplesPath}, {"precision", precisionName(o.precision)}};
}

TrainerOptions optionsFromJson(const nlohmann::json& j)
{
    TrainerOptions o;
    o.steps = j.at("steps");
    o.batchSize = j.at("batch_size");
    o.gradientAccumulation = j.at("gradient_accumulation");
    o.peakLr = j.at("peak_lr");
    o.warmup = j.at("warmup");
    o.dropout = j.at("dropout");
    o.seed = j.at("seed");
    o.shuffle = j.at("shuffle");
    o.checkpointEvery = j.at("checkpoint_every");
    o.keepCheckpoints = j.at("keep_checkpoints");
    o.keepHistory = j.value("keep_history", false);  // absent in runs written before it existed
    o.evalEvery = j.at("eval_every");
    o.maxGradNorm = j.at("max_grad_norm");
    o.adam.beta1 = j.at("beta1");
    o.adam.beta2 = j.at("beta2");
    o.adam.eps = j.at("eps");
    o.adam.weightDecay = j.at("weight_decay");
    o.examplesPath = j.at("examples");
    o.evalExamplesPath = j.at("eval_examples");
    o.precision = parsePrecision(j.value("precision", "f32"));  // absent in runs written before it existed
    return o;
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
}

std::vector<std::pair<int64_t, fs::path>> listCheckpoints(const fs::path& root)
{
    std::vector<std::pair<int64_t, fs::path>> found;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return found;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0 || !entry.is_directory()) continue;
        try {
            size_t used = 0;
            const int64_t step = std::stoll(name.substr(5), &used);
            if (used == name.size() - 5) found.emplace_back(step, entry.path());
        } catch (...) {
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

std::string checkpointFolder(const std::string& runDir, int64_t step)
{
    char name[32];
    std::snprintf(name, sizeof name, "%s%08lld", kPrefix, static_cast<long long>(step));
    return (fs::path(runDir) / "checkpoints" / name).string();
}

void writeModelFolder(const std::string& folder, const ParameterBuffer& params,
                      std::shared_ptr<const Vocab> vocab, bool lowerCase)
{
    saveModel(*params.toModel(std::move(vocab), lowerCase), folder);
}

namespace {

// A pruned checkpoint keeps its model folder (not its optimizer state, three times the size) so a
// run can be replayed checkpoint by checkpoint. Best effort: the run goes on if this fails.
void retireToHistory(const std::string& runDir, const fs::path& checkpoint)
{
    std::error_code ec;
    const fs::path history = fs::path(runDir) / "history";
    fs::create_directories(history, ec);
    fs::remove(checkpoint / "optimizer.safetensors", ec);
    fs::remove(checkpoint / "trainer_state.json", ec);
    fs::rename(checkpoint, history / checkpoint.filename(), ec);
}

} // namespace

std::vector<std::pair<int64_t, std::string>> listModelSnapshots(const std::string& runDir)
{
    std::vector<std::pair<int64_t, std::string>> out;
    for (const char* sub : {"history", "checkpoints"})
        for (auto& [step, path] : listCheckpoints(fs::path(runDir) / sub)) out.emplace_back(step, path.string());
    std::sort(out.begin(), out.end());
    // A step both retired and rewritten (a rerun after a crash): the live checkpoint wins.
    std::vector<std::pair<int64_t, std::string>> unique;
    for (auto& e : out) {
        if (!unique.empty() && unique.back().first == e.first) unique.back() = e;
        else unique.push_back(e);
    }
    return unique;
}

std::string writeRunCheckpoint(const std::string& runDir, int64_t step, const ParameterBuffer& params,
                               const AdamW& optimizer, std::shared_ptr<const Vocab> vocab, bool lowerCase,
                               const std::string& stateFile, const std::string& stateText, int keep, bool keepHistory)
{
    for (float x : params.values())
        if (!std::isfinite(x)) throw Error("the weights are no longer finite; checkpoint not written");
    const fs::path finalPath = checkpointFolder(runDir, step);
    const fs::path root = finalPath.parent_path();
    const fs::path temp = root / (".tmp-" + finalPath.filename().string() + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directories(root, ec);
    fs::remove_all(temp, ec);
    fs::create_directories(temp, ec);
    if (ec) throw Error("cannot create checkpoint folder " + temp.string() + ": " + ec.message());
    try {
        writeModelFolder(temp.string(), params, vocab, lowerCase);
        TensorMap moments;
        for (const ParameterEntry& e : params.layout().entries) {
            auto slice = [&](const std::vector<float>& v) {
                return makeOwnedTensor(std::vector<float>(v.begin() + e.offset, v.begin() + e.offset + e.numel), e.shape);
            };
            moments.tensors["exp_avg." + e.name] = slice(optimizer.firstMoment());
            moments.tensors["exp_avg_sq." + e.name] = slice(optimizer.secondMoment());
        }
        writeSafetensors((temp / "optimizer.safetensors").string(), moments);
        writeText(temp / stateFile, stateText);
        // A checkpoint of the same step (a rerun after a crash) is replaced whole.
        fs::remove_all(finalPath, ec);
        fs::rename(temp, finalPath, ec);
        if (ec) throw Error("cannot rename checkpoint into " + finalPath.string() + ": " + ec.message());
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    auto all = listCheckpoints(root);
    keep = std::max(1, keep);
    for (size_t i = 0; i + keep < all.size(); ++i) {
        if (keepHistory) retireToHistory(runDir, all[i].second);
        fs::remove_all(all[i].second, ec);
    }
    return finalPath.string();
}

std::string writeCheckpoint(const std::string& runDir, const ParameterBuffer& params, const AdamW& optimizer,
                            std::shared_ptr<const Vocab> vocab, const CheckpointState& state)
{
    nlohmann::json j = {{"step", state.step},
                        {"examples_seen", state.examplesSeen},
                        {"optimizer_steps", optimizer.steps()},
                        {"lower_case", state.lowerCase},
                        {"rng", {{"kind", "counter-based splitmix64 keyed by seed and position"},
                                 {"seed", state.options.seed}}},
                        {"options", optionsToJson(state.options)}};
    return writeRunCheckpoint(runDir, state.step, params, optimizer, std::move(vocab), state.lowerCase,
                              "trainer_state.json", j.dump(2) + "\n", state.options.keepCheckpoints,
                              state.options.keepHistory);
}

RunCheckpoint readRunCheckpoint(const std::string& runDir, const std::string& stateFile)
{
    auto all = listCheckpoints(fs::path(runDir) / "checkpoints");
    if (all.empty()) throw Error("no checkpoint to resume from in " + runDir + "/checkpoints");
    const fs::path dir = all.back().second;
    RunCheckpoint out;
    out.folder = dir.string();
    {
        std::ifstream in(dir / stateFile, std::ios::binary);
        if (!in) throw Error("checkpoint " + out.folder + " has no " + stateFile);
        std::ostringstream text;
        text << in.rdbuf();
        out.stateText = text.str();
    }
    const BertConfig config = BertConfig::fromFile((dir / "config.json").string());
    out.vocab = std::make_shared<Vocab>(Vocab::fromFile((dir / "vocab.txt").string()));
    out.params.emplace(ParameterBuffer::fromTensors(config, readSafetensors((dir / "model.safetensors").string())));
    const TensorMap moments = readSafetensors((dir / "optimizer.safetensors").string());
    out.exp_avg.assign(out.params->size(), 0.0f);
    out.exp_avg_sq.assign(out.params->size(), 0.0f);
    for (const ParameterEntry& e : out.params->layout().entries) {
        for (auto [prefix, target] : {std::pair{"exp_avg.", &out.exp_avg}, std::pair{"exp_avg_sq.", &out.exp_avg_sq}}) {
            auto it = moments.tensors.find(prefix + e.name);
            if (it == moments.tensors.end() || static_cast<size_t>(it->second.numel()) != e.numel)
                throw Error("checkpoint " + out.folder + " lacks optimizer state for " + e.name);
            std::copy(it->second.data, it->second.data + e.numel, target->begin() + e.offset);
        }
    }
    return out;
}

namespace {

std::pair<fs::path, CheckpointState> latestState(const std::string& runDir)
{
    auto all = listCheckpoints(fs::path(runDir) / "checkpoints");
    if (all.empty()) throw Error("no checkpoint to resume from in " + runDir + "/checkpoints");
    const fs::path dir = all.back().second;
    CheckpointState state;
    try {
        std::ifstream in(dir / "trainer_state.json");
        const nlohmann::json j = nlohmann::json::parse(in);
        state.step = j.at("step");
        state.examplesSeen = j.at("examples_seen");
        state.lowerCase = j.at("lower_case");
        state.options = optionsFromJson(j.at("options"));
    } catch (const nlohmann::json::exception& e) {
        throw Error("checkpoint " + dir.string() + " has a damaged trainer_state.json: " + e.what());
    }
    return {dir, state};
}

} // namespace

CheckpointState readLatestCheckpointState(const std::string& runDir)
{
    return latestState(runDir).second;
}

LoadedCheckpoint readLatestCheckpoint(const std::string& runDir)
{
    const CheckpointState state = latestState(runDir).second;
    RunCheckpoint run = readRunCheckpoint(runDir, "trainer_state.json");
    LoadedCheckpoint out;
    out.folder = std::move(run.folder);
    out.state = state;
    out.vocab = std::move(run.vocab);
    out.params = std::move(run.params);
    out.exp_avg = std::move(run.exp_avg);
    out.exp_avg_sq = std::move(run.exp_avg_sq);
    return out;
}

} // namespace bertlab
