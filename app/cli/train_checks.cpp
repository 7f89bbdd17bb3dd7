#include "train_checks.h"

#include <filesystem>
#include <system_error>

#include "rbm/run_folder.h"
#include "rbm/training_config.h"
#include "rbm/types.h"

namespace fs = std::filesystem;

namespace {

[[noreturn]] void contradiction(const std::string& option, const std::string& given, const std::string& path,
                                const std::string& has) {
    throw rbm::Error(option + " " + given + " contradicts the checkpoint " + path + ", which has " + has +
                     "; leave " + option + " out to continue it, or start a new run without --resume.");
}

bool sameFolder(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) && !ec;
}

}  // namespace

void refuseContradictions(const TrainOptions& o, const rbm::Checkpoint& resumed, const std::string& path) {
    const rbm::TrainingConfig& c = resumed.config;
    if (o.hidden && *o.hidden != resumed.model.nHidden())
        contradiction("--hidden", std::to_string(*o.hidden), path, std::to_string(resumed.model.nHidden()) + " hidden units");
    if (o.init && rbm::initialisationFromString(*o.init) != c.init)
        contradiction("--init", *o.init, path, std::string("initialisation ") + rbm::toString(c.init));
    if (o.binarize && rbm::binarizationFromString(*o.binarize) != c.binarization)
        contradiction("--binarize", *o.binarize, path, std::string("binarization ") + rbm::toString(c.binarization));
    if (o.labels && !resumed.model.hasLabels())
        throw rbm::Error("--labels contradicts the checkpoint " + path +
                         ", which has no label units; leave --labels out to continue it, or start a new run without --resume.");
    if (o.seed && static_cast<std::uint64_t>(*o.seed) != c.seed)
        contradiction("--seed", std::to_string(*o.seed), path, "seed " + std::to_string(c.seed));
}

void refuseOtherImageSize(const rbm::Checkpoint& resumed, const std::string& path, const rbm::Dataset& train) {
    if (resumed.model.nVisible() == train.pixelsPerImage()) return;
    throw rbm::Error("the checkpoint " + path + " has " + std::to_string(resumed.model.nVisible()) +
                     " visible units but the images of " + train.source + " have " +
                     std::to_string(train.pixelsPerImage()) + " pixels (" + std::to_string(train.rows) + "x" +
                     std::to_string(train.cols) + "); resume it on data of its own image size.");
}

std::unique_ptr<rbm::RunLock> claimRunFolder(const std::string& out, const std::string& resumePath) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw rbm::Error("Cannot create the run folder '" + out + "': " + ec.message() + ".");
    if (!fs::is_directory(out, ec)) throw rbm::Error("Cannot use '" + out + "' as a run folder: it is not a folder.");
    auto lock = std::make_unique<rbm::RunLock>(out);  // before looking: no one else changes it now
    if (!rbm::RunFolder::holdsRun(out)) return lock;
    if (resumePath.empty())
        throw rbm::Error("The run folder '" + out + "' holds a run: use --resume " +
                         (fs::path(out) / rbm::RunFolder::latestFileName()).string() + ", or choose another --out.");
    if (!sameFolder(fs::absolute(resumePath, ec).parent_path(), out))
        throw rbm::Error("The run folder '" + out + "' holds another run than " + resumePath +
                         ": continue a run in its own folder, or choose another --out.");
    return lock;
}
