#pragma once
/// Where a dream can start, besides the drawing itself: a test digit by index, a random one, a
/// random one of a class, an image file (converted as MNIST was made) or binary noise. Each
/// gives the start image and the words that say what it is; the panel loads it into the canvas.
#include <QCoreApplication>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/random.h"

namespace studio {

struct DreamStart {
    std::vector<float> pixels;  ///< rows*cols values in [0,1]
    QString description;        ///< e.g. "test digit #7 (a 3)"
    int testIndex = -1;         ///< the test digit, if it is one
};

/// The visible layer as an image: the model's own shape, else the dataset's, else a square
/// (or one row if nVisible is not a square).
struct Grid {
    int rows = 28, cols = 28;
};
Grid visibleGrid(const rbm::Rbm& model, const rbm::Dataset* data);

class StartSources {
    Q_DECLARE_TR_FUNCTIONS(studio::StartSources)
public:
    /// Test digits come from `test` (or `train` if it is empty).
    void setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test);
    const rbm::Dataset* testSet() const;
    int testCount() const;
    bool hasLabels() const;  ///< of the test set

    /// nullopt if there is no such digit or it does not fit the grid.
    std::optional<DreamStart> testDigit(int index, Grid grid) const;
    std::optional<DreamStart> randomTestDigit(Grid grid);
    std::optional<DreamStart> randomOfClass(int digitClass, Grid grid);
    /// nullopt and `error` (a sentence naming the file) if it cannot be read.
    std::optional<DreamStart> imageFile(const QString& path, Grid grid, QString* error = nullptr) const;
    DreamStart noise(Grid grid);

private:
    std::shared_ptr<const rbm::Dataset> train_, test_;
    rbm::Random rng_{20240601};
};

}  // namespace studio
