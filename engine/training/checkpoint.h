// Training checkpoints: a Hugging Face model folder plus optimizer, RNG and data position.
//
// RUN/checkpoints/step-00000100/
//   config.json vocab.txt model.safetensors (+ whatever saveModel adds): loadable by any BERT reader
//   optimizer.safetensors   "exp_avg.<name>" and "exp_avg_sq.<name>" per parameter
//   trainer_state.json      step, data position, RNG (seed; every draw is keyed by seed and
//                           position, so no generator state exists beyond them), the recipe
// Each is written into a temporary folder that is renamed into place, so a folder named
// step-* is always complete; older ones beyond the last K are then removed.
#pragma once

#include "training/adamw.h"
#include "training/parameter_buffer.h"
#include "training/trainer_options.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bertlab {

class Vocab;

struct CheckpointState {
    int64_t step = 0;           // updates done
    int64_t examplesSeen = 0;   // data position
    bool lowerCase = true;
    TrainerOptions options;
};

std::string checkpointFolder(const std::string& runDir, int64_t step);

// Returns the folder written. Throws Error if the parameters are not all finite.
std::string writeCheckpoint(const std::string& runDir, const ParameterBuffer& params, const AdamW& optimizer,
                            std::shared_ptr<const Vocab> vocab, const CheckpointState& state);

struct LoadedCheckpoint {
    std::string folder;
    std::shared_ptr<const Vocab> vocab;
    std::optional<ParameterBuffer> params;
    std::vector<float> exp_avg, exp_avg_sq;
    CheckpointState state;
};

// Only the trainer_state.json of the latest checkpoint (recipe, step, data paths).
CheckpointState readLatestCheckpointState(const std::string& runDir);

// The checkpoint with the highest step in runDir/checkpoints; throws Error when there is none.
LoadedCheckpoint readLatestCheckpoint(const std::string& runDir);

// Every model folder of the run in step order: RUN/history (kept with keepHistory) and
// RUN/checkpoints. Each is a loadable Hugging Face folder.
std::vector<std::pair<int64_t, std::string>> listModelSnapshots(const std::string& runDir);

// The atomic core any run's checkpoint shares: RUN/checkpoints/step-N holding the model folder,
// optimizer.safetensors and `stateFile` with `stateText` (the run's own state and recipe); the
// last `keep` are kept (older ones retired to RUN/history when `keepHistory`). Returns the folder.
std::string writeRunCheckpoint(const std::string& runDir, int64_t step, const ParameterBuffer& params,
                               const AdamW& optimizer, std::shared_ptr<const Vocab> vocab, bool lowerCase,
                               const std::string& stateFile, const std::string& stateText, int keep,
                               bool keepHistory = false);

struct RunCheckpoint {
    std::string folder;
    std::shared_ptr<const Vocab> vocab;
    std::optional<ParameterBuffer> params;  // in the layout its config.json describes
    std::vector<float> exp_avg, exp_avg_sq;
    std::string stateText;                  // the `stateFile` written with it
};
// The latest checkpoint of runDir; Error when there is none or it is damaged.
RunCheckpoint readRunCheckpoint(const std::string& runDir, const std::string& stateFile);

// Writes a Hugging Face folder (config.json, vocab.txt, model.safetensors) of the parameters.
void writeModelFolder(const std::string& folder, const ParameterBuffer& params,
                      std::shared_ptr<const Vocab> vocab, bool lowerCase);

} // namespace bertlab
