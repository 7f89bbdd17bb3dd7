#pragma once
/// A grid of digit images: the fantasy particles (persistent chains or the latest negative
/// samples) while training, and the training data before it starts.
#include <QWidget>

#include "rbm/dataset.h"
#include "training/training_snapshot.h"

class QLabel;

namespace studio {

class ImageCanvas;

class DigitGridView : public QWidget {
    Q_OBJECT
public:
    enum class Source { NegativeSamples, Dataset };
    explicit DigitGridView(Source source, QWidget* parent = nullptr);

    /// NegativeSamples views show the snapshot's negative samples; Dataset views ignore it.
    void showSnapshot(const TrainingSnapshot& s);
    void showImages(const rbm::Matrix& rows, int imageRows, int imageCols, const QString& caption);
    void showDataset(const rbm::Dataset& d, int count = 100);
    void clear();
    const QImage& image() const;

private:
    Source source_;
    QLabel* caption_ = nullptr;
    ImageCanvas* canvas_ = nullptr;
};

}  // namespace studio
