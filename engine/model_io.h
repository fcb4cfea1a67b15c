// One entry point to open any supported checkpoint, and the writer of Hugging Face folders.
#pragma once

#include "bert_model.h"
#include "safetensors.h"

#include <memory>
#include <string>

namespace bertlab {

// A folder with config.json (or bert_config.json) + vocab.txt + model.safetensors /
// pytorch_model.bin / bert_model.ckpt.*, or a weight file inside such a folder.
// Throws Error with one line saying what is wrong.
std::shared_ptr<BertModel> loadModel(const std::string& path);

// Writes config.json, vocab.txt and model.safetensors (via temporary names, then rename);
// F16 halves the weight file, as the shipped demo model is stored.
void saveModel(const BertModel& model, const std::string& folder, StoredFloat stored = StoredFloat::F32);

} // namespace bertlab
