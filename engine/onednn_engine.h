// The one oneDNN CPU engine every bfloat16 product in the engine runs on.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace bertlab {

// Created on first use and kept for the process: oneDNN caches primitives per engine.
const dnnl::engine& cpuEngine();

} // namespace bertlab
