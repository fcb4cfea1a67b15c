// Opening a checkpoint folder (or a weight file in one) and writing Hugging Face folders.
#include "model_io.h"

#include "error.h"
#include "pytorch_checkpoint.h"
#include "safetensors.h"
#include "tf_checkpoint.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unistd.h>

namespace bertlab {

namespace {

namespace fs = std::filesystem;

enum class WeightFormat { Safetensors, Pytorch, Tf };

struct Located {
    fs::path folder;
    std::string weights;  // a file path; for TF, the checkpoint prefix (without .index)
    WeightFormat format = WeightFormat::Safetensors;
};

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "x/bert_model.ckpt.index" or ".data-00000-of-00001" or ".meta" -> "x/bert_model.ckpt"
std::string tfPrefix(const std::string& file)
{
    for (const char* ext : {".index", ".meta"})
        if (endsWith(file, ext)) return file.substr(0, file.size() - std::string(ext).size());
    auto dot = file.rfind(".data-");
    return dot == std::string::npos ? file : file.substr(0, dot);
}

Located findWeightsInFolder(const fs::path& folder)
{
    if (isFile(folder / "model.safetensors")) return {folder, (folder / "model.safetensors").string(), WeightFormat::Safetensors};
    if (isFile(folder / "model.safetensors.index.json"))
        throw Error(folder.string() + " holds a sharded checkpoint (model.safetensors.index.json), which is not supported");
    if (isFile(folder / "pytorch_model.bin")) return {folder, (folder / "pytorch_model.bin").string(), WeightFormat::Pytorch};
    if (isFile(folder / "bert_model.ckpt.index")) return {folder, (folder / "bert_model.ckpt").string(), WeightFormat::Tf};
    // Any other single TF checkpoint, e.g. model.ckpt-100000.index.
    std::error_code ec;
    std::vector<std::string> prefixes;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".index")
            prefixes.push_back(tfPrefix(entry.path().string()));
    std::sort(prefixes.begin(), prefixes.end());
    if (!prefixes.empty()) return {folder, prefixes.back(), WeightFormat::Tf};
    throw Error(folder.string() +
                " has no model weights (looked for model.safetensors, pytorch_model.bin and bert_model.ckpt.index)");
}

Located locate(const std::string& path)
{
    if (path.empty()) throw Error("No model path given");
    const fs::path p(path);
    std::error_code ec;
    if (fs::is_directory(p, ec)) return findWeightsInFolder(p);
    if (!fs::exists(p, ec)) {
        if (isFile(path + ".index")) return {p.parent_path(), path, WeightFormat::Tf};
        throw Error("No such file or folder: " + path);
    }
    fs::path folder = p.parent_path();
    if (folder.empty()) folder = ".";
    const std::string name = p.filename().string();
    // Picking the config or the vocabulary in a file dialog means "this folder".
    if (name == "config.json" || name == "bert_config.json" || name == "vocab.txt" || name == "tokenizer_config.json")
        return findWeightsInFolder(folder);
    if (endsWith(name, ".safetensors")) return {folder, path, WeightFormat::Safetensors};
    if (endsWith(name, ".bin") || endsWith(name, ".pt") || endsWith(name, ".pth"))
        return {folder, path, WeightFormat::Pytorch};
    if (endsWith(name, ".index") || endsWith(name, ".meta") || name.find(".data-") != std::string::npos)
        return {folder, tfPrefix(path), WeightFormat::Tf};
    // Unknown extension: torch's zip and pickle magics, else try safetensors (it validates strictly).
    std::ifstream in(path, std::ios::binary);
    char magic[2] = {0, 0};
    in.read(magic, 2);
    if ((magic[0] == 'P' && magic[1] == 'K') || static_cast<unsigned char>(magic[0]) == 0x80)
        return {folder, path, WeightFormat::Pytorch};
    return {folder, path, WeightFormat::Safetensors};
}

TensorMap readWeights(const Located& where)
{
    switch (where.format) {
    case WeightFormat::Safetensors:
        return readSafetensors(where.weights);
    case WeightFormat::Pytorch:
        return readPytorchCheckpoint(where.weights);
    case WeightFormat::Tf:
        return readTfCheckpoint(where.weights);
    }
    throw Error(where.weights + ": unknown weight format");
}

std::string withPath(const std::string& message, const std::string& path)
{
    return message.find(path) != std::string::npos ? message : path + ": " + message;
}

// tokenizer_config.json's do_lower_case, if the folder has one that says.
std::optional<bool> lowerCaseFromTokenizerConfig(const fs::path& folder, std::vector<std::string>& warnings)
{
    const fs::path file = folder / "tokenizer_config.json";
    if (!isFile(file)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    try {
        auto j = nlohmann::json::parse(s.str());
        if (j.is_object() && j.contains("do_lower_case") && j["do_lower_case"].is_boolean())
            return j["do_lower_case"].get<bool>();
    } catch (const nlohmann::json::exception&) {
        warnings.push_back(file.string() + " is not valid JSON; guessed lower-casing from the vocabulary");
    }
    return std::nullopt;
}

std::string tempNameFor(const fs::path& target)
{
    static std::atomic<unsigned> counter{0};
    return target.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

void commitTemp(const std::string& temp, const fs::path& target)
{
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw Error("Cannot write " + target.string() + ": " + ec.message());
    }
}

void writeTextAtomically(const fs::path& target, const std::string& text)
{
    const std::string temp = tempNameFor(target);
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            fs::remove(temp, ec);
            throw Error("Cannot write " + target.string());
        }
    }
    commitTemp(temp, target);
}

} // namespace

std::shared_ptr<BertModel> loadModel(const std::string& path)
{
    const Located where = locate(path);

    fs::path configFile = where.folder / "config.json";
    if (!isFile(configFile)) configFile = where.folder / "bert_config.json";
    if (!isFile(configFile))
        throw Error(where.folder.string() + " has no config.json or bert_config.json describing the model");
    const BertConfig config = BertConfig::fromFile(configFile.string());

    const fs::path vocabFile = where.folder / "vocab.txt";
    if (!isFile(vocabFile)) throw Error(where.folder.string() + " has no vocab.txt");
    std::shared_ptr<const Vocab> vocab;
    try {
        vocab = std::make_shared<const Vocab>(Vocab::fromFile(vocabFile.string()));
    } catch (const Error& e) {
        throw Error(withPath(e.what(), vocabFile.string()));
    }

    std::vector<std::string> extraWarnings;
    const std::optional<bool> configured = lowerCaseFromTokenizerConfig(where.folder, extraWarnings);
    const bool lowerCase = configured ? *configured : Tokenizer::vocabLooksUncased(*vocab);

    TensorMap tensors = readWeights(where);
    std::shared_ptr<BertModel> model;
    try {
        model = std::make_shared<BertModel>(config, vocab, tensors, lowerCase);
    } catch (const Error& e) {
        // The builder cannot know which config file the shapes came from; say it here.
        std::string message = e.what();
        const std::string generic = "the config", name = configFile.filename().string();
        for (auto at = message.find(generic); at != std::string::npos; at = message.find(generic, at + name.size()))
            message.replace(at, generic.size(), name);
        throw Error("Cannot load " + where.weights + ": " + message);
    }
    ModelInfo& info = model->info();
    info.path = where.weights;
    if (info.sourceFormat.empty()) info.sourceFormat = tensors.sourceFormat;
    info.warnings.insert(info.warnings.end(), extraWarnings.begin(), extraWarnings.end());
    return model;
}

void saveModel(const BertModel& model, const std::string& folder, StoredFloat stored)
{
    if (folder.empty()) throw Error("No folder given to save the model in");
    const fs::path dir(folder);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec)) throw Error("Cannot create folder " + folder + (ec ? ": " + ec.message() : ""));

    // Weights first: each file is replaced by rename, so a model mapped from this folder keeps
    // reading its old (now unlinked) file intact.
    writeSafetensors((dir / "model.safetensors").string(), model.exportTensors(), stored);

    // Name the class whose heads the file really has, so from_pretrained initialises nothing at random.
    auto config = nlohmann::json::parse(model.config().toJson());
    const ClassifierTask task = model.hasClassifier() ? model.config().classifierTask() : ClassifierTask::None;
    const char* architecture = task == ClassifierTask::Sequence      ? "BertForSequenceClassification"
                               : task == ClassifierTask::Token       ? "BertForTokenClassification"
                               : model.hasMlm() && model.hasNsp() ? "BertForPreTraining"
                               : model.hasMlm()                 ? "BertForMaskedLM"
                               : model.hasNsp()                 ? "BertForNextSentencePrediction"
                                                                : "BertModel";
    config["architectures"] = {architecture};
    writeTextAtomically(dir / "config.json", config.dump(2) + "\n");

    std::string vocabText;
    for (const auto& token : model.vocab().tokens()) vocabText += token + "\n";
    writeTextAtomically(dir / "vocab.txt", vocabText);

    // Keeps the casing decision, which the vocabulary alone may not show.
    nlohmann::json tokenizerConfig = {{"do_lower_case", model.tokenizer().lowerCase()},
                                      {"model_max_length", model.config().maxPositionEmbeddings},
                                      {"tokenizer_class", "BertTokenizer"}};
    writeTextAtomically(dir / "tokenizer_config.json", tokenizerConfig.dump(2) + "\n");
}

} // namespace bertlab
