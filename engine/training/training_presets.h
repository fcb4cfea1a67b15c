// Model sizes of Turc et al. 2019 ("Well-Read Students Learn Better") by name.
#pragma once

#include "bert_config.h"

#include <string>
#include <vector>

namespace bertlab {

// "tiny" L2/H128/A2, "mini" L4/H256/A4, "small" L4/H512/A8, "medium" L8/H512/A8; I = 4H, 512
// positions. Throws Error for any other name.
BertConfig presetConfig(const std::string& name, int vocabSize);
std::vector<std::string> presetNames();

} // namespace bertlab
