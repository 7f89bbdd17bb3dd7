#pragma once
/// Session files (.rbmsession): everything a teacher mails so that another machine reproduces a
/// run bit for bit and the same dream: the training settings (with their seed), the dataset, the
/// model Start continues from (weights and training state), and the dream's drawing.
///
/// Format: a NumPy .npz archive (npz.h), written atomically, holding
///   session       0-d unicode string: JSON {"format": "rbm-studio-session", "version": 1,
///                 "config": TrainingConfig, "dataset": {...}, "models": [...], "dream": {...}}
///   model_<i>     |u1 bytes: a complete checkpoint file (checkpoint.h), verbatim
///   train_pixels, train_labels, test_pixels, test_labels   |u1, for a dataset stored inline
///   dream_drawing, dream_clamp                               <f4, rows x cols
/// Why npz and not JSON with base64: arrays stay binary (no 4/3 bloat on a 7 MB dataset),
/// numpy reads every part (json.loads(str(f["session"]))), the reader is the hardened one that
/// checks every size before allocating, and a checkpoint travels as the very file `rbm` writes,
/// so the session format need not follow the checkpoint format's changes.
///
/// A dataset is stored by reference when it is the embedded digits or too large (its path and
/// a fingerprint of its bytes, checked when the session opens: another dataset is refused, never
/// trained on silently), and inline when it is small or has no file (drawn digits).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/training_config.h"

namespace rbm {

constexpr int kSessionVersion = 1;
/// Datasets up to this many pixel bytes (train + test) are stored inside the session.
constexpr std::size_t kSessionInlineBytes = std::size_t(8) << 20;
/// The most the 'session' entry (the settings as UTF-32) may claim: a real one is a few kB.
constexpr std::size_t kSessionMaxSettingsBytes = std::size_t(16) << 20;

struct SessionDataset {
    enum class Kind { Embedded, Path, Inline };
    Kind kind = Kind::Embedded;
    std::string path;  ///< Path: the folder or file it was loaded from (as given)
    std::string name;  ///< for people
    int rows = 0, cols = 0;
    std::size_t trainCount = 0, testCount = 0;
    std::string fingerprint;          ///< datasetFingerprint of train + test
    std::optional<DatasetPair> data;  ///< Inline: the images themselves
};
/// "embedded", "path", "inline" (not toString: QTest would take it for its own and free the text).
const char* datasetKindName(SessionDataset::Kind k);

/// The dream panel's state: replayed with the same model it gives the same frames.
struct SessionDream {
    std::uint64_t seed = 1;
    int chains = 1;
    float beta = 1.0f;
    bool meanField = false;
    int rows = 0, cols = 0;
    std::vector<float> drawing;    ///< rows*cols values in [0,1], row-major
    std::vector<float> clampMask;  ///< empty, or rows*cols values (1 = clamped)
};

struct SessionModel {
    std::string name;  ///< for people: "start model", "epoch 12"...
    Checkpoint checkpoint;
};

struct Session {
    TrainingConfig config;  ///< includes the seed of a new model
    SessionDataset dataset;
    std::vector<SessionModel> models;  ///< models[0], if any, is what Start continues from
    std::optional<SessionDream> dream;
    std::string createdBy;  ///< "rbm-studio 0.1.0", informative only
};

/// 16 hex digits (FNV-1a 64) over the sizes, pixels and labels of both sets.
std::string datasetFingerprint(const Dataset& train, const Dataset& test);
/// How `train`/`test`, loaded from `path` ("", "embedded" or a folder/file), go into a session:
/// by reference (embedded, or larger than `inlineLimit`) or inline.
SessionDataset describeDataset(const Dataset& train, const Dataset& test, const std::string& path,
                               std::size_t inlineLimit = kSessionInlineBytes);
/// The images a session trains on: its inline data, the embedded digits or the file at its path,
/// checked against the fingerprint. Throws Error naming the dataset and the reason.
DatasetPair resolveSessionDataset(const SessionDataset& d);

/// Atomic (AtomicFile via writeNpz); throws Error("Cannot save session '<path>': <reason>.").
void saveSession(const std::string& path, const Session& s);
/// Reads and checks everything (version, every shape, every embedded checkpoint against the
/// dataset's image size) before returning. Throws Error("Cannot open session '<path>': <reason>.")
/// for a truncated, damaged, foreign or newer file, and for a FIFO, device, socket or folder
/// (refused without blocking, file_kind.h). Bounded by what the settings need: entries they do
/// not name are never inflated, each array's header is checked against the shape the settings
/// declare before it is read, and settings whose dataset or model would pass the ceilings of
/// memory_limits.h are refused naming the shape and the bytes.
Session loadSession(const std::string& path);

}  // namespace rbm
