// A checkpoint's tensors by name, as every weight-file reader hands them to the model builder.
#pragma once

#include "tensor.h"

#include <map>
#include <string>
#include <vector>

namespace bertlab {

// Names are as the file spells them (e.g. "bert.encoder.layer.0.attention.self.query.weight");
// the model builder normalises prefixes and gamma/beta.
struct TensorMap {
    std::map<std::string, TensorView> tensors;
    std::string sourceFormat;       // "safetensors", "pytorch-zip", "pytorch-legacy", "tf-checkpoint"
    std::vector<std::string> warnings;  // e.g. converted dtypes, non-finite values
};

} // namespace bertlab
