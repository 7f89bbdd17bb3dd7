#include "dream/start_sources.h"

#include <QFileInfo>
#include <cmath>

#include "dream/dream_image.h"

namespace studio {

Grid visibleGrid(const rbm::Rbm& model, const rbm::Dataset* data) {
    const int nv = model.nVisible();
    if (model.imageRows * model.imageCols == nv) return {model.imageRows, model.imageCols};
    if (data && data->pixelsPerImage() == nv) return {data->rows, data->cols};
    const int s = static_cast<int>(std::lround(std::sqrt(double(nv))));
    return s * s == nv ? Grid{s, s} : Grid{1, nv};
}

void StartSources::setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    train_ = std::move(train);
    test_ = std::move(test);
}

const rbm::Dataset* StartSources::testSet() const {
    if (test_ && !test_->empty()) return test_.get();
    if (train_ && !train_->empty()) return train_.get();
    return nullptr;
}

int StartSources::testCount() const {
    const rbm::Dataset* d = testSet();
    return d ? static_cast<int>(d->count) : 0;
}

bool StartSources::hasLabels() const {
    const rbm::Dataset* d = testSet();
    return d && d->hasLabels();
}

std::optional<DreamStart> StartSources::testDigit(int index, Grid grid) const {
    const rbm::Dataset* d = testSet();
    if (!d || index < 0 || static_cast<std::size_t>(index) >= d->count || d->pixelsPerImage() != grid.rows * grid.cols)
        return std::nullopt;
    DreamStart s;
    s.pixels.resize(static_cast<std::size_t>(grid.rows * grid.cols));
    const std::uint8_t* p = d->image(static_cast<std::size_t>(index));
    for (std::size_t i = 0; i < s.pixels.size(); ++i) s.pixels[i] = p[i] / 255.0f;
    s.testIndex = index;
    s.description = d->hasLabels() ? tr("test digit #%1 (a %2)").arg(index).arg(int(d->labels[static_cast<std::size_t>(index)]))
                                   : tr("test digit #%1").arg(index);
    return s;
}

std::optional<DreamStart> StartSources::randomTestDigit(Grid grid) {
    const rbm::Dataset* d = testSet();
    if (!d || d->count == 0) return std::nullopt;
    return testDigit(static_cast<int>(rng_.below(d->count)), grid);
}

std::optional<DreamStart> StartSources::randomOfClass(int digitClass, Grid grid) {
    const rbm::Dataset* d = testSet();
    if (!d || !d->hasLabels()) return std::nullopt;
    std::vector<int> matches;
    for (std::size_t i = 0; i < d->count; ++i)
        if (d->labels[i] == digitClass) matches.push_back(static_cast<int>(i));
    if (matches.empty()) return std::nullopt;
    return testDigit(matches[static_cast<std::size_t>(rng_.below(matches.size()))], grid);
}

std::optional<DreamStart> StartSources::imageFile(const QString& path, Grid grid, QString* error) const {
    DreamStart s;
    if (!loadMnistStyleDigit(path, grid.rows, grid.cols, s.pixels, error)) return std::nullopt;
    s.description = tr("%1 (MNIST-style: 20x20 box, centred by mass)").arg(QFileInfo(path).fileName());
    return s;
}

DreamStart StartSources::noise(Grid grid) {
    DreamStart s;
    s.pixels.resize(static_cast<std::size_t>(grid.rows * grid.cols));
    for (float& x : s.pixels) x = rng_.uniform() < 0.5f ? 1.0f : 0.0f;
    s.description = tr("binary noise (each pixel on with probability 1/2)");
    return s;
}

}  // namespace studio
