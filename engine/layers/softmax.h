// Row softmax, shared by attention, the masked-LM guesses and NSP.
#pragma once

namespace bertlab::layers {

// Each of `rows` rows of `cols` values (row stride ld) becomes its softmax, shifted by its
// maximum so that no exp overflows. Serial: callers run it inside their own parallel loops.
void softmaxRows(float* x, int rows, int cols, int ld);

} // namespace bertlab::layers
