// The one oneDNN CPU engine every bfloat16 product in the engine runs on.
#include "onednn_engine.h"

namespace bertlab {

const dnnl::engine& cpuEngine()
{
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

} // namespace bertlab
