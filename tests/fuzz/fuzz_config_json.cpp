// libFuzzer target: config.json / bert_config.json parsing and validation.
#include "bert_config.h"
#include "error.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        bertlab::BertConfig config = bertlab::BertConfig::fromJson(std::string(reinterpret_cast<const char*>(data), size));
        bertlab::BertConfig::fromJson(config.toJson());  // what we write must read back
    } catch (const bertlab::Error&) {
    }
    return 0;
}
